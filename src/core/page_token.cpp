#include "core/page_token.hpp"

#include <array>
#include <cstdint>

#include <shopcore/core/error.hpp>

namespace shopcore::detail {
namespace {

constexpr std::uint8_t token_version = 1;
constexpr std::size_t crc_size = 4;
constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

[[noreturn]] void invalid() { throw validation_error("token", "invalid page token"); }

constexpr std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) {
            c = (c & 1U) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
        }
        table[i] = c;
    }
    return table;
}
constexpr auto crc_table = make_crc_table();

// CRC-32 (IEEE 802.3, as in zlib).
std::uint32_t crc32(std::string_view bytes) noexcept {
    std::uint32_t c = 0xFFFFFFFFU;
    for (const char ch : bytes) {
        c = crc_table[(c ^ static_cast<std::uint8_t>(ch)) & 0xFFU] ^ (c >> 8);
    }
    return c ^ 0xFFFFFFFFU;
}

void put_varint(std::string& out, std::size_t value) {
    while (value >= 0x80) {
        out.push_back(static_cast<char>((value & 0x7F) | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<char>(value));
}

// Reads a minimal LEB128 varint of at most 32 bits from `in` at `pos`.
std::size_t read_varint(std::string_view in, std::size_t& pos) {
    std::size_t value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        if (pos >= in.size()) {
            invalid();
        }
        const auto byte = static_cast<std::uint8_t>(in[pos++]);
        value |= static_cast<std::size_t>(byte & 0x7F) << shift;
        if ((byte & 0x80) == 0) {
            if (byte == 0 && shift > 0) {
                invalid();  // overlong encoding
            }
            return value;
        }
    }
    invalid();
}

int alphabet_index(char c) noexcept {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '-') {
        return 62;
    }
    if (c == '_') {
        return 63;
    }
    return -1;
}

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v =
            static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[i])) << 16 |
            static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[i + 1])) << 8 |
            static_cast<std::uint8_t>(bytes[i + 2]);
        out.push_back(alphabet[v >> 18]);
        out.push_back(alphabet[(v >> 12) & 63U]);
        out.push_back(alphabet[(v >> 6) & 63U]);
        out.push_back(alphabet[v & 63U]);
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t v = static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[i])) << 16;
        if (rest == 2) {
            v |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[i + 1])) << 8;
        }
        out.push_back(alphabet[v >> 18]);
        out.push_back(alphabet[(v >> 12) & 63U]);
        if (rest == 2) {
            out.push_back(alphabet[(v >> 6) & 63U]);
        }
    }
    return out;
}

// Strict decoding: only the URL-safe alphabet, no padding, unused low bits zero, so that every
// byte string has exactly one accepted spelling.
std::string base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1) {
        invalid();
    }
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : text) {
        const int index = alphabet_index(c);
        if (index < 0) {
            invalid();
        }
        buffer = (buffer << 6) | static_cast<std::uint32_t>(index);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFFU));
        }
    }
    if ((buffer & ((1U << bits) - 1U)) != 0) {
        invalid();
    }
    return out;
}

}  // namespace

std::string encode_page_token(const std::vector<std::string>& parts) {
    std::string raw;
    raw.push_back(static_cast<char>(token_version));
    put_varint(raw, parts.size());
    for (const auto& part : parts) {
        put_varint(raw, part.size());
        raw += part;
    }
    const std::uint32_t crc = crc32(raw);
    for (std::size_t i = 0; i < crc_size; ++i) {
        raw.push_back(static_cast<char>((crc >> (8 * i)) & 0xFFU));
    }
    std::string token = base64url_encode(raw);
    if (token.size() > max_page_token_length) {
        throw validation_error(
            "token", "page token too long (" + std::to_string(token.size()) + " characters)");
    }
    return token;
}

std::vector<std::string> decode_page_token(std::string_view token) {
    if (token.empty() || token.size() > max_page_token_length) {
        invalid();
    }
    const std::string raw = base64url_decode(token);
    if (raw.size() < 2 + crc_size) {
        invalid();
    }
    const std::string_view body(raw.data(), raw.size() - crc_size);
    std::uint32_t stored = 0;
    for (std::size_t i = 0; i < crc_size; ++i) {
        stored |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(raw[body.size() + i]))
                  << (8 * i);
    }
    if (stored != crc32(body)) {
        invalid();
    }
    if (static_cast<std::uint8_t>(body[0]) != token_version) {
        invalid();
    }

    std::size_t pos = 1;
    const std::size_t count = read_varint(body, pos);
    if (count > body.size() - pos) {
        invalid();  // every part takes at least one byte
    }
    std::vector<std::string> parts;
    parts.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t length = read_varint(body, pos);
        if (length > body.size() - pos) {
            invalid();
        }
        parts.emplace_back(body.substr(pos, length));
        pos += length;
    }
    if (pos != body.size()) {
        invalid();
    }
    return parts;
}

}  // namespace shopcore::detail

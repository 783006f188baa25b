#include "core/page_token.hpp"
#include "core/validate.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <shopcore/core/error.hpp>

namespace shopcore::detail {
namespace {

using parts_t = std::vector<std::string>;

const std::string url_safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// An independent, bit-by-bit CRC-32 (IEEE) and base64url, to build tokens by hand.
std::uint32_t reference_crc32(const std::string& bytes) {
    std::uint32_t crc = 0xFFFFFFFFU;
    for (const char ch : bytes) {
        crc ^= static_cast<std::uint8_t>(ch);
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1U)));
    }
    return ~crc;
}

std::string reference_base64url(const std::string& bytes) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char ch : bytes) {
        buffer = (buffer << 8) | static_cast<std::uint8_t>(ch);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(url_safe[(buffer >> bits) & 63U]);
        }
    }
    if (bits > 0) out.push_back(url_safe[(buffer << (6 - bits)) & 63U]);
    return out;
}

// A token with the given raw body and a correct checksum.
std::string hand_made_token(const std::string& body) {
    std::string raw = body;
    const std::uint32_t crc = reference_crc32(body);
    for (int i = 0; i < 4; ++i) raw.push_back(static_cast<char>((crc >> (8 * i)) & 0xFFU));
    return reference_base64url(raw);
}

void expect_rejected(const std::string& token) {
    try {
        (void)decode_page_token(token);
        ADD_FAILURE() << "accepted '" << token << "'";
    } catch (const validation_error& e) {
        EXPECT_EQ(e.field(), "token");
        EXPECT_NE(std::string(e.what()).find("invalid page token"), std::string::npos);
    }
}

TEST(PageToken, RoundTripsAnyParts) {
    const std::vector<parts_t> cases = {
        {},
        {""},
        {"", "", ""},
        {"price_asc", "1999", "42"},
        {"name", "Caf\xc3\xa9 cr\xc3\xa8me", "7"},
        {std::string("bin\0ary\xff\x80", 9), "x"},
        {std::string(1000, 'z'), std::string(200, '\0')},
    };
    for (const auto& parts : cases) {
        const std::string token = encode_page_token(parts);
        EXPECT_EQ(token.find_first_not_of(url_safe), std::string::npos) << token;
        EXPECT_EQ(decode_page_token(token), parts);
    }
}

TEST(PageToken, UsesTheDocumentedFormat) {
    EXPECT_EQ(reference_crc32("123456789"), 0xCBF43926U);  // the CRC-32 check value
    // version 1, two parts: "ab", "c".
    const std::string body(
        "\x01\x02\x02"
        "ab"
        "\x01"
        "c",
        7);
    EXPECT_EQ(encode_page_token({"ab", "c"}), hand_made_token(body));
    EXPECT_EQ(decode_page_token(hand_made_token(body)), (parts_t{"ab", "c"}));
}

TEST(PageToken, EveryChangedCharacterIsDetected) {
    const std::string token = encode_page_token({"created_desc", "2026-11-29T12:00:00Z", "1234"});
    for (std::size_t i = 0; i < token.size(); ++i) {
        for (const char c : url_safe) {
            if (c == token[i]) continue;
            std::string edited = token;
            edited[i] = c;
            SCOPED_TRACE(testing::Message() << "position " << i << " -> " << c);
            expect_rejected(edited);
        }
    }
}

TEST(PageToken, TruncatedOrExtendedTokensAreRejected) {
    const std::string token = encode_page_token({"name_asc", "Widget", "17"});
    for (std::size_t n = 0; n < token.size(); ++n) expect_rejected(token.substr(0, n));
    for (const char c : url_safe) expect_rejected(token + c);
    expect_rejected(token + "=");
    expect_rejected(token + token);
    expect_rejected(" " + token);
}

TEST(PageToken, RandomGarbageIsRejected) {
    std::mt19937_64 rng(5);
    std::uniform_int_distribution<std::size_t> length(0, 80);
    std::uniform_int_distribution<std::size_t> letter(0, url_safe.size() - 1);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < 10'000; ++i) {
        std::string garbage(length(rng), '\0');
        for (char& c : garbage) {
            c = i % 2 == 0 ? url_safe[letter(rng)] : static_cast<char>(byte(rng));
        }
        expect_rejected(garbage);
    }
    for (const char* text :
         {"", "====", "AAAA", "AAAAAAAA", "not a token", "eyJhbGciOiJIUzI1NiJ9"}) {
        expect_rejected(text);
    }
}

TEST(PageToken, WellFormedButWrongContentIsRejected) {
    expect_rejected(hand_made_token(std::string("\x02\x00", 2)));  // unknown version
    expect_rejected(
        hand_made_token(std::string("\x01\x01\x05"
                                    "ab",
                                    5)));  // part runs past end
    expect_rejected(
        hand_made_token(std::string("\x01\x01\x01"
                                    "ab",
                                    5)));  // trailing byte
    expect_rejected(
        hand_made_token(std::string("\x01\x02\x01"
                                    "a",
                                    4)));                              // missing part
    expect_rejected(hand_made_token(std::string("\x01\x81\x00", 3)));  // overlong varint
    expect_rejected(hand_made_token(std::string("\x01\xff\xff\xff\xff\xff\x01", 7)));  // huge
    expect_rejected(hand_made_token(std::string("\x01", 1)));                          // no count
    // A non-canonical spelling of a valid token (unused low bits set) is rejected too.
    std::string token = encode_page_token({"a"});
    ASSERT_NE(token.size() % 4, 0U);
    const auto last = url_safe.find(token.back());
    token.back() = url_safe[last | 1U];
    if (token.back() != encode_page_token({"a"}).back()) expect_rejected(token);
}

TEST(PageToken, OverlongTokensAreRejected) {
    expect_rejected(std::string(max_page_token_length + 4, 'A'));
    EXPECT_THROW((void)encode_page_token({std::string(max_page_token_length, 'x')}),
                 validation_error);
}

}  // namespace
}  // namespace shopcore::detail

namespace shopcore {
namespace {

TEST(PageTokenInts, NumbersBeyondSixtyThreeBitsAreRefusedNotWrapped) {
    EXPECT_EQ(detail::parse_token_int("9223372036854775807"), INT64_MAX);
    EXPECT_EQ(detail::parse_token_int("-42"), -42);
    EXPECT_THROW((void)detail::parse_token_int("9223372036854775808"), validation_error);
    EXPECT_THROW((void)detail::parse_token_int("9999999999999999999"), validation_error);
    EXPECT_THROW((void)detail::parse_token_int("12a"), validation_error);
    EXPECT_THROW((void)detail::parse_token_int(""), validation_error);
    EXPECT_THROW((void)detail::parse_token_int("-"), validation_error);
}

}  // namespace
}  // namespace shopcore

#include "core/validate.hpp"

#include <cstdio>

#include <shopcore/core/error.hpp>

namespace shopcore::detail {

namespace {

// Decodes one UTF-8 sequence starting at s[i]; returns the code point and advances i.
char32_t decode(const char* field, std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    int len = 0;
    char32_t cp = 0;
    if (b0 < 0x80) {
        ++i;
        return b0;
    } else if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
    } else {
        throw validation_error(field, "is not valid UTF-8");
    }
    if (i + static_cast<std::size_t>(len) > s.size()) {
        throw validation_error(field, "is not valid UTF-8");
    }
    for (int k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((b & 0xC0) != 0x80) throw validation_error(field, "is not valid UTF-8");
        cp = (cp << 6) | (b & 0x3F);
    }
    const char32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        throw validation_error(field, "is not valid UTF-8");
    }
    i += static_cast<std::size_t>(len);
    return cp;
}

}  // namespace

std::size_t utf8_length(const char* field, std::string_view text) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size();) {
        decode(field, text, i);
        ++n;
    }
    return n;
}

void check_text(const char* field, std::string_view text, std::size_t min, std::size_t max,
                bool multiline) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size();) {
        const char32_t cp = decode(field, text, i);
        const bool allowed_control = multiline && (cp == '\n' || cp == '\t' || cp == '\r');
        if ((cp < 0x20 || cp == 0x7F) && !allowed_control) {
            throw validation_error(field, "contains control characters");
        }
        ++n;
    }
    if (n < min) {
        throw validation_error(
            field, min == 1 ? "must not be empty"
                            : "must have at least " + std::to_string(min) + " characters");
    }
    if (n > max) {
        throw validation_error(field, "must have at most " + std::to_string(max) + " characters");
    }
}

void check_slug(const char* field, std::string_view slug) {
    if (slug.empty()) throw validation_error(field, "must not be empty");
    if (slug.size() > 200) throw validation_error(field, "must have at most 200 characters");
    for (char c : slug) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) throw validation_error(field, "may only contain a-z, 0-9 and '-'");
    }
    if (slug.front() == '-' || slug.back() == '-') {
        throw validation_error(field, "must not start or end with '-'");
    }
}

std::string slugify(std::string_view text) {
    std::string out;
    bool dash = false;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && !out.empty()) out.push_back('-');
            dash = false;
            out.push_back(static_cast<char>(c));
        } else if (c >= 'A' && c <= 'Z') {
            if (dash && !out.empty()) out.push_back('-');
            dash = false;
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        } else {
            dash = true;
        }
        if (out.size() >= 200) break;
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

std::string slug_or_derived(const std::string& slug, std::string_view name) {
    if (!slug.empty()) {
        check_slug("slug", slug);
        return slug;
    }
    std::string derived = slugify(name);
    if (derived.empty()) {
        throw validation_error("slug", "cannot be derived from the name; give one explicitly");
    }
    return derived;
}

std::int64_t parse_token_int(const std::string& text) {
    if (text.empty() || text.size() > 19) throw validation_error("token", "invalid page token");
    std::int64_t v = 0;
    std::size_t i = text[0] == '-' ? 1 : 0;
    if (i == text.size()) throw validation_error("token", "invalid page token");
    for (; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') throw validation_error("token", "invalid page token");
        // Tokens are untrusted input: refuse anything that would not fit in 63 bits.
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, text[i] - '0', &v)) {
            throw validation_error("token", "invalid page token");
        }
    }
    return text[0] == '-' ? -v : v;
}

void require_staff(const actor& by, const char* what) {
    if (!by.is_staff()) {
        throw permission_denied_error(std::string(actor_kind_name(by.kind())) + " may not " + what);
    }
}

std::string fingerprint(std::string_view text) {
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

bool is_country_code(std::string_view text) noexcept {
    return text.size() == 2 && text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'A' && text[1] <= 'Z';
}

}  // namespace shopcore::detail

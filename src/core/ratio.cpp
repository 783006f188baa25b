#include <shopcore/core/ratio.hpp>

#include <algorithm>
#include <limits>
#include <numeric>
#include <ostream>

#include <shopcore/core/error.hpp>

#include "core/int128.hpp"

namespace shopcore {
namespace {

constexpr std::uint64_t int64_max_magnitude =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
constexpr int max_digits = 18;

[[noreturn]] void fail(const std::string& message) { throw validation_error("ratio", message); }

std::uint64_t magnitude(std::int64_t value) noexcept {
    return value < 0 ? 0U - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

std::int64_t power_of_ten(int exponent) noexcept {
    std::int64_t result = 1;
    for (int i = 0; i < exponent; ++i) {
        result *= 10;
    }
    return result;
}

// Reads a run of one or more digits holding a magnitude <= limit.
std::uint64_t parse_integer(std::string_view digits, std::uint64_t limit, std::string_view text) {
    if (digits.empty()) {
        fail("malformed ratio '" + std::string(text) + "'");
    }
    std::uint64_t value = 0;
    for (const char c : digits) {
        if (!is_digit(c)) {
            fail("malformed ratio '" + std::string(text) + "'");
        }
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (value > (limit - digit) / 10) {
            fail("ratio '" + std::string(text) + "' out of range");
        }
        value = value * 10 + digit;
    }
    return value;
}

std::int64_t apply_sign(std::uint64_t value, bool negative) noexcept {
    return negative ? static_cast<std::int64_t>(0U - value) : static_cast<std::int64_t>(value);
}

ratio parse_fraction(std::string_view body, bool negative, std::size_t slash,
                     std::string_view text) {
    const std::uint64_t limit = negative ? int64_max_magnitude + 1 : int64_max_magnitude;
    const std::uint64_t numerator = parse_integer(body.substr(0, slash), limit, text);
    const std::uint64_t denominator =
        parse_integer(body.substr(slash + 1), int64_max_magnitude, text);
    if (denominator == 0) {
        fail("ratio '" + std::string(text) + "' has a zero denominator");
    }
    return ratio::of(apply_sign(numerator, negative), static_cast<std::int64_t>(denominator));
}

ratio parse_decimal(std::string_view body, bool negative, std::string_view text) {
    const bool percent = !body.empty() && body.back() == '%';
    if (percent) {
        body.remove_suffix(1);
    }
    const std::size_t dot = body.find('.');
    const std::string_view whole = body.substr(0, dot);
    std::string_view fraction =
        dot == std::string_view::npos ? std::string_view{} : body.substr(dot + 1);
    const auto all_digits = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
    };
    if (!all_digits(whole) || (dot != std::string_view::npos && !all_digits(fraction))) {
        fail("malformed ratio '" + std::string(text) +
             "' (expected e.g. 0.125, 12.5%, 1/3; no spaces, signs other than a leading '-',"
             " or exponents)");
    }
    while (!fraction.empty() && fraction.back() == '0') {
        fraction.remove_suffix(1);
    }
    const int scale = static_cast<int>(fraction.size()) + (percent ? 2 : 0);

    std::uint64_t mantissa = 0;
    int significant = 0;
    for (const std::string_view part : {whole, fraction}) {
        for (const char c : part) {
            if (significant == 0 && c == '0') {
                continue;
            }
            if (++significant > max_digits) {
                fail("ratio '" + std::string(text) + "' has more than 18 significant digits");
            }
            mantissa = mantissa * 10 + static_cast<std::uint64_t>(c - '0');
        }
    }
    if (scale > max_digits) {
        fail("ratio '" + std::string(text) + "' has more than 18 digits after the point");
    }
    return ratio::of(apply_sign(mantissa, negative), power_of_ten(scale));
}

}  // namespace

ratio ratio::of(std::int64_t numerator, std::int64_t denominator) {
    if (denominator == 0) {
        fail("denominator must not be zero");
    }
    std::uint64_t num = magnitude(numerator);
    std::uint64_t den = magnitude(denominator);
    const std::uint64_t divisor = std::gcd(num, den);
    num /= divisor;
    den /= divisor;
    const bool negative = num != 0 && ((numerator < 0) != (denominator < 0));
    if (den > int64_max_magnitude || num > int64_max_magnitude + (negative ? 1U : 0U)) {
        fail("ratio " + std::to_string(numerator) + "/" + std::to_string(denominator) +
             " cannot be represented");
    }
    return ratio(apply_sign(num, negative), static_cast<std::int64_t>(den));
}

ratio ratio::parse(std::string_view text) {
    if (text.empty()) {
        fail("empty ratio");
    }
    std::string_view body = text;
    const bool negative = body.front() == '-';
    if (negative) {
        body.remove_prefix(1);
    }
    const std::size_t slash = body.find('/');
    if (slash != std::string_view::npos) {
        return parse_fraction(body, negative, slash, text);
    }
    return parse_decimal(body, negative, text);
}

ratio ratio::percent(std::int64_t whole_percent) { return of(whole_percent, 100); }

std::string ratio::to_string() const {
    // A decimal exists iff the denominator is 2^a * 5^b; it has k = max(a, b) fraction digits.
    std::int64_t rest = denominator_;
    int twos = 0;
    int fives = 0;
    for (; rest % 2 == 0; rest /= 2) {
        ++twos;
    }
    for (; rest % 5 == 0; rest /= 5) {
        ++fives;
    }
    const int scale = std::max(twos, fives);
    const std::string sign = numerator_ < 0 ? "-" : "";
    if (rest == 1 && scale <= max_digits) {
        const auto factor = static_cast<std::uint64_t>(power_of_ten(scale) / denominator_);
        const detail::uint128 scaled = detail::uint128{magnitude(numerator_)} * factor;
        std::string digits;
        for (detail::uint128 v = scaled; v != 0; v /= 10) {
            digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
        }
        if (static_cast<int>(digits.size()) <= max_digits) {
            while (static_cast<int>(digits.size()) <= scale) {
                digits.push_back('0');
            }
            std::reverse(digits.begin(), digits.end());
            if (scale > 0) {
                digits.insert(digits.end() - scale, '.');
            }
            return sign + digits;
        }
    }
    return std::to_string(numerator_) + "/" + std::to_string(denominator_);
}

bool ratio::operator<(const ratio& other) const noexcept {
    return detail::int128{numerator_} * other.denominator_ <
           detail::int128{other.numerator_} * denominator_;
}

std::size_t ratio::hash() const noexcept {
    const auto n = static_cast<std::uint64_t>(numerator_);
    const auto d = static_cast<std::uint64_t>(denominator_);
    return static_cast<std::size_t>((n * 0x9E3779B97F4A7C15ULL) ^ (d + 0x7F4A7C159E3779B9ULL));
}

std::ostream& operator<<(std::ostream& out, const ratio& value) { return out << value.to_string(); }

}  // namespace shopcore

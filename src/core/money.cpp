#include <shopcore/core/money.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <limits>
#include <numeric>
#include <ostream>

#include <boost/multiprecision/cpp_int.hpp>

#include <shopcore/core/error.hpp>

#include "core/allocation.hpp"
#include "core/int128.hpp"
#include "core/invariant_divider.hpp"
#include "core/rounds_away.hpp"

namespace shopcore {
namespace {

using boost::multiprecision::checked_int128_t;

constexpr std::uint64_t int64_max_magnitude =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

std::uint64_t magnitude(std::int64_t value) noexcept {
    return value < 0 ? 0U - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

[[noreturn]] void fail_parse(std::string_view text, const std::string& why) {
    throw validation_error("amount", "invalid amount '" + std::string(text) + "': " + why);
}

// A buffer on the stack for the usual handful of lines, on the heap beyond that.
template <class T>
class small_buffer {
public:
    explicit small_buffer(std::size_t n) {
        if (n > inline_size) {
            heap_.resize(n);
            data_ = heap_.data();
        }
    }
    T& operator[](std::size_t i) noexcept { return data_[i]; }
    T* data() noexcept { return data_; }

private:
    static constexpr std::size_t inline_size = 32;
    std::array<T, inline_size> inline_;  // not zeroed: every element is written before use
    std::vector<T> heap_;
    T* data_ = inline_.data();
};

// Gives one unit to each of the `leftover` parts with the largest remainders, ties to the
// lower index: every part whose remainder is above the leftover-th largest gets one, then the
// parts equal to it, in index order, until none is left. O(n).
template <class Rem>
void distribute_leftover(Rem* rems, std::size_t n, std::uint64_t leftover, std::uint64_t* shares) {
    if (leftover == 0) {
        return;
    }
    small_buffer<Rem> sorted(n);
    std::copy(rems, rems + n, sorted.data());
    const auto nth = static_cast<std::ptrdiff_t>(leftover - 1);
    std::nth_element(sorted.data(), sorted.data() + nth, sorted.data() + n, std::greater<>());
    const Rem threshold = sorted[static_cast<std::size_t>(nth)];
    for (std::size_t i = 0; i < n; ++i) {
        if (rems[i] > threshold) {
            ++shares[i];
            --leftover;
        }
    }
    for (std::size_t i = 0; i < n && leftover > 0; ++i) {
        if (rems[i] == threshold) {
            ++shares[i];
            --leftover;
        }
    }
}

// The same for at most rank_max_parts parts whose remainders fit Key with rank_index_bits to
// spare, without data-dependent branches (which, as in a sort, cost more here than the n^2
// comparisons, and 32-bit keys let the compiler compare several at once). The key packs the
// remainder above the reversed index, so keys are distinct and a larger key means a larger
// remainder or, for equal remainders, a lower index; a part gets a unit if fewer than
// `leftover` keys are larger than its own.
constexpr std::size_t rank_max_parts = 64;
constexpr int rank_index_bits = 6;

template <class Key>
void distribute_leftover_by_rank(const std::uint64_t* rems, std::size_t n, std::uint64_t leftover,
                                 std::uint64_t* shares) {
    small_buffer<Key> keys(n);
    for (std::size_t i = 0; i < n; ++i) {
        keys[i] = static_cast<Key>((rems[i] << rank_index_bits) | (rank_max_parts - 1 - i));
    }
    for (std::size_t i = 0; i < n; ++i) {
        const Key key = keys[i];
        Key rank = 0;
        for (std::size_t j = 0; j < n; ++j) {
            rank += keys[j] > key ? 1U : 0U;
        }
        shares[i] += rank < leftover ? 1U : 0U;
    }
}

// floor(amount * w_i / total) and its remainder for every weight, then the leftover units.
// In 64 bits, for when amount * total fits them (so that every product does).
void allocate_magnitude(std::uint64_t amount, const std::int64_t* weights, std::size_t n,
                        std::uint64_t total, std::uint64_t* shares) {
    small_buffer<std::uint64_t> rems(n);
    const detail::invariant_divider by_total(total);
    std::uint64_t given = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t product = amount * static_cast<std::uint64_t>(weights[i]);
        const std::uint64_t share = by_total.divide(product);
        rems[i] = product - share * total;
        shares[i] = share;
        given += share;
    }
    const std::uint64_t leftover = amount - given;
    if (leftover == 0) {
        return;
    }
    if (n <= rank_max_parts && total <= (std::uint64_t{1} << (32 - rank_index_bits))) {
        distribute_leftover_by_rank<std::uint32_t>(rems.data(), n, leftover, shares);
        return;
    }
    if (n <= rank_max_parts && total <= (std::uint64_t{1} << (64 - rank_index_bits))) {
        distribute_leftover_by_rank<std::uint64_t>(rems.data(), n, leftover, shares);
        return;
    }
    distribute_leftover(rems.data(), n, leftover, shares);
}

// In checked 128-bit arithmetic otherwise.
void allocate_magnitude(std::uint64_t amount, const std::int64_t* weights, std::size_t n,
                        const checked_int128_t& total, std::uint64_t* shares) {
    small_buffer<checked_int128_t> rems(n);
    const checked_int128_t whole(amount);
    std::uint64_t given = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const checked_int128_t product = whole * weights[i];
        const checked_int128_t share = product / total;
        rems[i] = product - share * total;
        shares[i] = share.convert_to<std::uint64_t>();
        given += shares[i];
    }
    distribute_leftover(rems.data(), n, amount - given, shares);
}

}  // namespace

namespace detail {

void allocate_minor(std::uint64_t amount, const std::int64_t* weights, std::size_t n,
                    std::uint64_t* shares) {
    std::uint64_t total = 0;
    bool total_overflows = false;
    for (std::size_t i = 0; i < n; ++i) {
        total_overflows |=
            __builtin_add_overflow(total, static_cast<std::uint64_t>(weights[i]), &total);
    }
    std::uint64_t bound = 0;
    if (!total_overflows && !__builtin_mul_overflow(amount, total, &bound)) {
        // amount * w_i <= amount * total fits uint64: exact in 64 bits.
        allocate_magnitude(amount, weights, n, total, shares);
        return;
    }
    checked_int128_t wide_total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        wide_total += weights[i];
    }
    allocate_magnitude(amount, weights, n, wide_total, shares);
}

void throw_currency_mismatch(const char* operation, const currency& left, const currency& right) {
    throw arithmetic_error(std::string("cannot ") + operation + " money in different currencies (" +
                           left.code() + " and " + right.code() + ")");
}

void throw_money_overflow(const char* operation) {
    throw arithmetic_error(std::string("money ") + operation +
                           " overflows the 64-bit range of minor units");
}

}  // namespace detail

money money::parse(std::string_view text, const shopcore::currency& currency) {
    if (text.empty()) {
        fail_parse(text, "empty text");
    }
    std::string_view body = text;
    const bool negative = body.front() == '-';
    if (negative) {
        body.remove_prefix(1);
    }
    const std::size_t dot = body.find('.');
    const std::string_view whole = body.substr(0, dot);
    const std::string_view fraction =
        dot == std::string_view::npos ? std::string_view{} : body.substr(dot + 1);
    const auto all_digits = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
    };
    if (!all_digits(whole) || (dot != std::string_view::npos && !all_digits(fraction))) {
        fail_parse(text,
                   "expected an optional '-', digits, and optionally '.' and digits "
                   "(e.g. 1234.50)");
    }
    const auto exponent = static_cast<std::size_t>(currency.exponent());
    if (fraction.size() > exponent &&
        fraction.find_first_not_of('0', exponent) != std::string_view::npos) {
        fail_parse(text, "more decimals than " + currency.code() + " has (" +
                             std::to_string(exponent) + ")");
    }

    const std::uint64_t limit = negative ? int64_max_magnitude + 1 : int64_max_magnitude;
    std::uint64_t value = 0;
    const auto push = [&](char c) {
        if (__builtin_mul_overflow(value, std::uint64_t{10}, &value) ||
            __builtin_add_overflow(value, static_cast<std::uint64_t>(c - '0'), &value) ||
            value > limit) {
            fail_parse(text, "outside the range of a 64-bit count of minor units");
        }
    };
    for (const char c : whole) {
        push(c);
    }
    for (std::size_t i = 0; i < exponent; ++i) {
        push(i < fraction.size() ? fraction[i] : '0');
    }
    return money(
        negative ? static_cast<std::int64_t>(0U - value) : static_cast<std::int64_t>(value),
        currency);
}

std::string money::format() const {
    std::array<char, 32> buffer{};
    char* const end = buffer.data() + buffer.size();
    char* p = end;
    std::uint64_t rest = magnitude(minor_);
    const int exponent = currency_.exponent();
    for (int i = 0; i < exponent; ++i) {
        *--p = static_cast<char>('0' + rest % 10);
        rest /= 10;
    }
    if (exponent > 0) {
        *--p = '.';
    }
    do {
        *--p = static_cast<char>('0' + rest % 10);
        rest /= 10;
    } while (rest != 0);
    if (minor_ < 0) {
        *--p = '-';
    }
    return std::string(p, end);
}

std::string money::to_string() const {
    std::string text = format();
    text += ' ';
    text += currency_.code();
    return text;
}

money money::multiply(const ratio& rate, rounding mode) const {
    const std::int64_t den = rate.denominator();
    std::int64_t product = 0;
    if (!__builtin_mul_overflow(minor_, rate.numerator(), &product)) {
        // Fast path, still exact: the product fits int64. |q| <= |product| / 2 when den > 1,
        // so moving q one unit cannot overflow.
        std::int64_t q = product / den;
        const std::int64_t rem = product % den;
        if (rem != 0) {
            const auto abs_rem = static_cast<std::int64_t>(magnitude(rem));
            if (detail::rounds_away(mode, q, abs_rem, den)) {
                q += product < 0 ? -1 : 1;
            }
        }
        return money(q, currency_);
    }
    const checked_int128_t exact = checked_int128_t(minor_) * rate.numerator();
    const checked_int128_t divisor(den);
    checked_int128_t q = exact / divisor;
    const checked_int128_t rem = exact - q * divisor;
    if (rem != 0) {
        const checked_int128_t abs_rem = rem < 0 ? checked_int128_t(-rem) : rem;
        if (detail::rounds_away(mode, q, abs_rem, divisor)) {
            q += exact < 0 ? -1 : 1;
        }
    }
    if (q > std::numeric_limits<std::int64_t>::max() ||
        q < std::numeric_limits<std::int64_t>::min()) {
        detail::throw_money_overflow("multiplication by a ratio");
    }
    return money(q.convert_to<std::int64_t>(), currency_);
}

std::vector<money> money::allocate(const std::vector<std::int64_t>& weights) const {
    const std::size_t n = weights.size();
    if (n == 0) {
        throw validation_error("weights", "at least one weight is required");
    }
    bool any_positive = false;
    for (std::size_t i = 0; i < n; ++i) {
        if (weights[i] < 0) {
            throw validation_error("weights", "weight " + std::to_string(i) + " is negative (" +
                                                  std::to_string(weights[i]) + ")");
        }
        any_positive |= weights[i] > 0;
    }
    if (!any_positive) {
        throw validation_error("weights", "weights must not all be zero");
    }

    small_buffer<std::uint64_t> shares(n);
    detail::allocate_minor(magnitude(minor_), weights.data(), n, shares.data());

    // Each share is at most the amount, so it fits int64 (2^63 only for a negative amount).
    std::vector<money> parts;
    parts.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t share = shares[i];
        parts.push_back(money(
            minor_ < 0 ? static_cast<std::int64_t>(0U - share) : static_cast<std::int64_t>(share),
            currency_));
    }
    return parts;
}

std::vector<money> money::allocate_evenly(std::size_t parts) const {
    if (parts == 0) {
        throw validation_error("parts", "cannot split into zero parts");
    }
    const std::uint64_t amount = magnitude(minor_);
    const std::uint64_t q = amount / parts;
    const std::uint64_t extra = amount % parts;
    std::vector<money> result;
    result.reserve(parts);
    for (std::size_t i = 0; i < parts; ++i) {
        const std::uint64_t share = q + (i < extra ? 1U : 0U);
        result.push_back(money(
            minor_ < 0 ? static_cast<std::int64_t>(0U - share) : static_cast<std::int64_t>(share),
            currency_));
    }
    return result;
}

std::ostream& operator<<(std::ostream& out, const money& value) { return out << value.to_string(); }

}  // namespace shopcore

#ifndef SHOPCORE_SRC_PRICING_DISCOUNT_RULES_HPP
#define SHOPCORE_SRC_PRICING_DISCOUNT_RULES_HPP

// Internal: the rules of a discount code that do not depend on a cart, shared by the pricing
// engine and discount_service.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <shopcore/core/clock.hpp>
#include <shopcore/core/currency.hpp>
#include <shopcore/discount/discount_code.hpp>

namespace shopcore::detail {

/// The code in its stored form: ASCII letters upper-cased, surrounding spaces removed.
std::string normalize_code(std::string_view text);

/// True for the characters a code may hold: A-Z, 0-9, '-' and '_'.
constexpr bool is_code_char(char ch) noexcept {
    return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/// Checks a code text: 3..64 of A-Z, 0-9, '-' and '_'; errors name `field`.
void check_code_text(const std::string& code, const char* field);

/// Checks the code text (field "code") and the description (0..500).
void check_discount_text(const discount_code& code);

/// Checks amounts, scope lists, limits and dates. Errors name the field ("percent", ...),
/// or `field` instead when it is given (the pricing engine reports "codes").
void check_discount_rules(const discount_code& code, const currency& shop_currency,
                          const char* field);

/// What judge_discount() reads of a code, for discount_index, which keeps it packed beside each
/// key so that judging needs no second cache miss into the (large) code.
struct code_limits {
    std::optional<timestamp> starts_at;
    std::optional<timestamp> ends_at;
    std::optional<std::int64_t> usage_limit;
    std::optional<std::int64_t> per_customer_limit;
    std::int64_t times_used = 0;
    discount_audience audience = discount_audience::everyone;
    bool active = true;
    bool single_use = false;
};

/// The first refusal among: inactive, not_started, expired, exhausted, login_required,
/// staff_only, already_used. None: the code may apply (its scope and minimums are the
/// engine's business). `Code` is discount_code or code_limits (the same member names), so
/// neither caller copies the other.
template <class Code>
std::optional<discount_refusal> judge_discount(const Code& code, std::int64_t customer_uses,
                                               bool signed_in, bool staff, timestamp at) {
    if (!code.active) return discount_refusal::inactive;
    if (code.starts_at && at < *code.starts_at) return discount_refusal::not_started;
    if (code.ends_at && at >= *code.ends_at) return discount_refusal::expired;
    if ((code.usage_limit && code.times_used >= *code.usage_limit) ||
        (code.single_use && code.times_used >= 1)) {
        return discount_refusal::exhausted;
    }
    const bool needs_login =
        code.audience != discount_audience::everyone || code.per_customer_limit.has_value();
    if (needs_login && !signed_in) return discount_refusal::login_required;
    if (code.audience == discount_audience::staff_only && !staff) {
        return discount_refusal::staff_only;
    }
    if (code.per_customer_limit && customer_uses >= *code.per_customer_limit) {
        return discount_refusal::already_used;
    }
    return std::nullopt;
}

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_PRICING_DISCOUNT_RULES_HPP

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

/// Checks a code text: 3..64 of A-Z, 0-9, '-' and '_'; errors name `field`.
void check_code_text(const std::string& code, const char* field);

/// Checks the code text (field "code") and the description (0..500).
void check_discount_text(const discount_code& code);

/// Checks amounts, scope lists, limits and dates. Errors name the field ("percent", ...),
/// or `field` instead when it is given (the pricing engine reports "codes").
void check_discount_rules(const discount_code& code, const currency& shop_currency,
                          const char* field);

/// What judge_discount() reads of a code: small enough to sit beside a hash-table key, so that
/// discount_index judges a code without touching the (large) code itself.
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

/// The limits of `code`.
code_limits limits_of(const discount_code& code);

/// The first refusal among: inactive, not_started, expired, exhausted, login_required,
/// staff_only, already_used. None: the code may apply (its scope and minimums are the
/// engine's business).
std::optional<discount_refusal> judge_discount(const code_limits& code, std::int64_t customer_uses,
                                               bool signed_in, bool staff, timestamp at);

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_PRICING_DISCOUNT_RULES_HPP

#include "pricing/discount_rules.hpp"

#include <shopcore/core/error.hpp>

#include "core/validate.hpp"

namespace shopcore {

const char* discount_refusal_name(discount_refusal reason) noexcept {
    switch (reason) {
        case discount_refusal::unknown_code:
            return "unknown_code";
        case discount_refusal::inactive:
            return "inactive";
        case discount_refusal::not_started:
            return "not_started";
        case discount_refusal::expired:
            return "expired";
        case discount_refusal::exhausted:
            return "exhausted";
        case discount_refusal::already_used:
            return "already_used";
        case discount_refusal::login_required:
            return "login_required";
        case discount_refusal::staff_only:
            return "staff_only";
        case discount_refusal::minimum_subtotal_not_met:
            return "minimum_subtotal_not_met";
        case discount_refusal::minimum_quantity_not_met:
            return "minimum_quantity_not_met";
        case discount_refusal::no_eligible_items:
            return "no_eligible_items";
        case discount_refusal::not_combinable:
            return "not_combinable";
        case discount_refusal::already_applied:
            return "already_applied";
        case discount_refusal::vetoed:
            return "vetoed";
    }
    return "unknown";
}

const char* discount_kind_name(discount_kind kind) noexcept {
    switch (kind) {
        case discount_kind::percentage:
            return "percentage";
        case discount_kind::fixed_amount:
            return "fixed_amount";
        case discount_kind::free_shipping:
            return "free_shipping";
    }
    return "unknown";
}

namespace detail {

std::string normalize_code(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    std::string out(text);
    for (char& ch : out) {
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    }
    return out;
}

void check_code_text(const std::string& code, const char* field) {
    if (code.size() < 3 || code.size() > 64) {
        throw validation_error(field,
                               "a code has 3..64 characters, not " + std::to_string(code.size()));
    }
    for (const char ch : code) {
        if (!is_code_char(ch)) {
            throw validation_error(field,
                                   "code \"" + code + "\" may hold only A-Z, 0-9, '-' and '_'");
        }
    }
}

void check_discount_text(const discount_code& code) {
    check_code_text(code.code, "code");
    check_text("description", code.description, 0, 500, true);
}

void check_discount_rules(const discount_code& code, const currency& shop_currency,
                          const char* field) {
    const auto fail = [&](const char* own, const std::string& why) {
        throw validation_error(field != nullptr ? field : own, "code " + code.code + ": " + why);
    };
    switch (code.kind) {
        case discount_kind::percentage:
            // Denominators are positive (ratio's invariant): (0, 1] is 0 < num <= den.
            if (code.percent.numerator() <= 0 ||
                code.percent.numerator() > code.percent.denominator()) {
                fail("percent", "a percentage must be in (0, 1], not " + code.percent.to_string());
            }
            break;
        case discount_kind::fixed_amount:
            if (code.amount.currency() != shop_currency || !code.amount.is_positive()) {
                fail("amount", "a fixed amount must be above zero in " + shop_currency.code());
            }
            break;
        case discount_kind::free_shipping:
            break;
    }
    if (code.scope == discount_scope::categories && code.categories.empty()) {
        fail("categories", "a category scope needs at least one category");
    }
    if (code.scope == discount_scope::products && code.products.empty()) {
        fail("products", "a product scope needs at least one product");
    }
    if (code.min_subtotal &&
        (code.min_subtotal->currency() != shop_currency || code.min_subtotal->is_negative())) {
        fail("min_subtotal",
             "the minimum subtotal must be zero or more in " + shop_currency.code());
    }
    if (code.min_quantity < 0) fail("min_quantity", "the minimum quantity must not be negative");
    if (code.starts_at && code.ends_at && *code.ends_at <= *code.starts_at) {
        fail("ends_at", "the end must be after the start");
    }
    if (code.usage_limit && *code.usage_limit < 1) {
        fail("usage_limit", "the usage limit must be at least 1");
    }
    if (code.per_customer_limit && *code.per_customer_limit < 1) {
        fail("per_customer_limit", "the per-customer limit must be at least 1");
    }
}

}  // namespace detail
}  // namespace shopcore

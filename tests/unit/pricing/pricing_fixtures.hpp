#ifndef SHOPCORE_TESTS_UNIT_PRICING_PRICING_FIXTURES_HPP
#define SHOPCORE_TESTS_UNIT_PRICING_PRICING_FIXTURES_HPP

// Builders and comparisons shared by the pricing engine tests. Only public headers: the tests
// check the engine against its documented contract, not against its implementation.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <shopcore/core/clock.hpp>
#include <shopcore/core/currency.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/core/ratio.hpp>
#include <shopcore/core/weight.hpp>
#include <shopcore/discount/discount_code.hpp>
#include <shopcore/pricing/price_breakdown.hpp>
#include <shopcore/pricing/pricing_engine.hpp>
#include <shopcore/pricing/tax.hpp>
#include <shopcore/shipping/shipping_calculator.hpp>
#include <shopcore/shipping/shipping_rule.hpp>

namespace shopcore::pricing_testing {

inline currency usd() { return currency::of("USD"); }
inline currency irr() { return currency::of("IRR"); }

/// "5.00" USD, parsed exactly.
inline money dollars(std::string_view text) { return money::parse(text, usd()); }
/// "20000" IRR, parsed exactly (IRR takes its exponent from the currency table).
inline money rials(std::string_view text) { return money::parse(text, irr()); }

/// The moment every request is priced at unless a test says otherwise.
inline timestamp noon() { return timestamp::parse_iso8601("2026-03-02T12:00:00Z"); }

/// One line: `quantity` units of `product` at `unit_price` (no sale), 100 g each.
inline pricing_line line(std::int64_t product, std::string_view unit_price,
                         std::int64_t quantity = 1, const currency& cur = usd()) {
    pricing_line l;
    l.product = product_id(product);
    l.unit_price = money::parse(unit_price, cur);
    l.sale_unit_price = l.unit_price;
    l.quantity = quantity;
    l.unit_weight = weight::of_grams(100);
    return l;
}

/// `l` in these categories (its own category first, then its ancestors).
inline pricing_line in_categories(pricing_line l, const std::vector<std::int64_t>& categories) {
    l.categories.clear();
    for (const std::int64_t c : categories) l.categories.emplace_back(c);
    return l;
}

/// `l` with a sale price.
inline pricing_line on_sale(pricing_line l, std::string_view sale_unit_price) {
    l.sale_unit_price = money::parse(sale_unit_price, l.unit_price.currency());
    return l;
}

/// `l` weighing `grams` per unit.
inline pricing_line weighing(pricing_line l, std::int64_t grams) {
    l.unit_weight = weight::of_grams(grams);
    return l;
}

/// A valid, active, unrestricted code for every line (order scope); the kind is set by the
/// factories below.
inline discount_code base_code(std::string text) {
    discount_code c;
    c.id = discount_id(1);
    c.code = std::move(text);
    c.description = "Test code " + c.code;
    c.created_at = noon().plus_seconds(-30 * 86400);
    c.updated_at = c.created_at;
    c.version = 1;
    return c;
}

/// A percentage code, e.g. percent_off("SAVE10", "10%").
inline discount_code percent_off(std::string text, std::string_view percent) {
    discount_code c = base_code(std::move(text));
    c.kind = discount_kind::percentage;
    c.percent = ratio::parse(percent);
    return c;
}

/// A fixed-amount code, e.g. amount_off("TWO", "2.00").
inline discount_code amount_off(std::string text, std::string_view amount,
                                const currency& cur = usd()) {
    discount_code c = base_code(std::move(text));
    c.kind = discount_kind::fixed_amount;
    c.amount = money::parse(amount, cur);
    return c;
}

/// A free-shipping code.
inline discount_code free_shipping(std::string text) {
    discount_code c = base_code(std::move(text));
    c.kind = discount_kind::free_shipping;
    return c;
}

/// `c` limited to lines of these products.
inline discount_code for_products(discount_code c, const std::vector<std::int64_t>& products) {
    c.scope = discount_scope::products;
    c.products.clear();
    for (const std::int64_t p : products) c.products.emplace_back(p);
    return c;
}

/// `c` limited to lines in these categories (or their sub-categories).
inline discount_code for_categories(discount_code c, const std::vector<std::int64_t>& categories) {
    c.scope = discount_scope::categories;
    c.categories.clear();
    for (const std::int64_t k : categories) c.categories.emplace_back(k);
    return c;
}

/// `c` with this priority.
inline discount_code with_priority(discount_code c, std::int32_t priority) {
    c.priority = priority;
    return c;
}

/// `c`, exclusive.
inline discount_code exclusive(discount_code c) {
    c.exclusive = true;
    return c;
}

/// A request for `lines` with `codes` (never used by anyone), at noon(), for a guest.
inline pricing_request cart(std::vector<pricing_line> lines,
                            const std::vector<discount_code>& codes = {}) {
    pricing_request r;
    r.lines = std::move(lines);
    for (const discount_code& c : codes) r.codes.push_back(discount_offer{c, 0});
    r.at = noon();
    return r;
}

/// A method with a zone for everywhere and one band up to 1,000 kg at `charge`.
inline shipping_method flat_method(std::string code, const money& charge) {
    shipping_method m;
    m.code = std::move(code);
    m.name = "Method " + m.code;
    m.zones = {{"*", ""}};
    m.bands = {{weight::of_grams(1'000'000), charge}};
    return m;
}

/// A USD engine with these tax settings and shipping methods.
inline pricing_engine usd_engine(tax_settings tax = {}, std::vector<shipping_method> methods = {}) {
    return pricing_engine(usd(), shipping_calculator(std::move(methods), usd()), std::move(tax));
}

/// A rate for every line and destination.
inline tax_rate rate_everywhere(std::string name, std::string_view rate) {
    tax_rate r;
    r.name = std::move(name);
    r.rate = ratio::parse(rate);
    return r;
}

/// Tax settings with one rate for everything.
inline tax_settings flat_tax(std::string_view rate, tax_mode mode = tax_mode::exclusive,
                             tax_rounding rounding = tax_rounding::per_line) {
    tax_settings t;
    t.mode = mode;
    t.rounding = rounding;
    t.rates = {rate_everywhere("Tax", rate)};
    return t;
}

/// The stable name every refusal must have (kept here so that a wrong discount_refusal_name()
/// cannot hide a wrong reason).
inline std::string reason_text(discount_refusal reason) {
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

/// What became of `code`: "applied", the refusal's name, "missing", or "applied and <reason>"
/// when it is listed as both (which is a bug).
inline std::string outcome(const price_breakdown& b, std::string_view code) {
    std::string result;
    for (const applied_discount& a : b.applied) {
        if (a.code == code) result += result.empty() ? "applied" : " and applied";
    }
    for (const refused_discount& r : b.refused) {
        if (r.code == code) result += (result.empty() ? "" : " and ") + reason_text(r.reason);
    }
    return result.empty() ? "missing" : result;
}

/// The applied entry of `code`, or nullptr.
inline const applied_discount* applied_entry(const price_breakdown& b, std::string_view code) {
    for (const applied_discount& a : b.applied) {
        if (a.code == code) return &a;
    }
    return nullptr;
}

/// The refused entry of `code`, or nullptr.
inline const refused_discount* refused_entry(const price_breakdown& b, std::string_view code) {
    for (const refused_discount& r : b.refused) {
        if (r.code == code) return &r;
    }
    return nullptr;
}

/// The name of the tax rate line `index` was taxed at; "" when none matched.
inline std::string tax_name_of(const price_breakdown& b, std::size_t index) {
    const auto& entry = b.lines.at(index).tax_entry;
    return entry ? b.taxes.at(*entry).name : std::string();
}

/// What `code` took from line `index` (zero when nothing).
inline money share(const price_breakdown& b, std::size_t index, std::string_view code) {
    money sum = money::zero(b.currency);
    for (const line_discount& d : b.line_discounts) {
        if (d.line == index && b.applied.at(d.discount).code == code) sum += d.amount;
    }
    return sum;
}

/// The codes of b.applied, in order.
inline std::vector<std::string> applied_codes(const price_breakdown& b) {
    std::vector<std::string> out;
    for (const applied_discount& a : b.applied) out.push_back(a.code);
    return out;
}

namespace detail {

template <class T>
std::string show(const T& value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

inline std::string show(const std::optional<money>& value) {
    return value ? value->to_string() : std::string("none");
}

inline std::string show(const std::string& value) { return '"' + value + '"'; }

inline std::string show(const discount_refusal& value) { return reason_text(value); }

inline std::string show(const discount_kind& value) {
    return std::to_string(static_cast<int>(value));
}

inline std::string show(const discount_scope& value) {
    return std::to_string(static_cast<int>(value));
}

inline std::string show(const shipping_status& value) {
    return std::to_string(static_cast<int>(value));
}

inline std::string show(const tax_mode& value) { return std::to_string(static_cast<int>(value)); }

// Appends "<what>: <a> != <b>" when the two differ.
template <class T>
void compare(std::string& out, const std::string& what, const T& a, const T& b) {
    if (out.empty() && !(a == b)) out = what + ": " + show(a) + " != " + show(b);
}

}  // namespace detail

/// The first field in which two breakdowns differ ("" when none does). Of the shipping
/// options only method_code and cost are compared.
inline std::string first_difference(const price_breakdown& a, const price_breakdown& b) {
    using detail::compare;
    std::string d;
    compare(d, "currency", a.currency, b.currency);
    compare(d, "priced_at", a.priced_at, b.priced_at);
    compare(d, "mode", a.mode, b.mode);
    compare(d, "lines.size", a.lines.size(), b.lines.size());
    for (std::size_t i = 0; d.empty() && i < a.lines.size(); ++i) {
        const priced_line& x = a.lines[i];
        const priced_line& y = b.lines[i];
        const std::string at = "lines[" + std::to_string(i) + "].";
        compare(d, at + "product", x.product, y.product);
        compare(d, at + "quantity", x.quantity, y.quantity);
        compare(d, at + "unit_price", x.unit_price, y.unit_price);
        compare(d, at + "sale_unit_price", x.sale_unit_price, y.sale_unit_price);
        compare(d, at + "list_subtotal", x.list_subtotal, y.list_subtotal);
        compare(d, at + "subtotal", x.subtotal, y.subtotal);
        compare(d, at + "discount", x.discount, y.discount);
        compare(d, at + "total", x.total, y.total);
        compare(d, at + "tax_name", tax_name_of(a, i), tax_name_of(b, i));
        compare(d, at + "tax_rate", x.tax_rate, y.tax_rate);
        compare(d, at + "tax", x.tax, y.tax);
        compare(d, at + "total_weight", x.total_weight, y.total_weight);
    }
    compare(d, "taxes.size", a.taxes.size(), b.taxes.size());
    for (std::size_t i = 0; d.empty() && i < a.taxes.size(); ++i) {
        const std::string at = "taxes[" + std::to_string(i) + "].";
        compare(d, at + "name", a.taxes[i].name, b.taxes[i].name);
        compare(d, at + "rate", a.taxes[i].rate, b.taxes[i].rate);
        compare(d, at + "taxable", a.taxes[i].taxable, b.taxes[i].taxable);
        compare(d, at + "amount", a.taxes[i].amount, b.taxes[i].amount);
    }
    compare(d, "line_discounts.size", a.line_discounts.size(), b.line_discounts.size());
    for (std::size_t i = 0; d.empty() && i < a.line_discounts.size(); ++i) {
        const std::string at = "line_discounts[" + std::to_string(i) + "].";
        compare(d, at + "line", a.line_discounts[i].line, b.line_discounts[i].line);
        compare(d, at + "discount", a.line_discounts[i].discount, b.line_discounts[i].discount);
        compare(d, at + "amount", a.line_discounts[i].amount, b.line_discounts[i].amount);
    }
    compare(d, "applied.size", a.applied.size(), b.applied.size());
    for (std::size_t i = 0; d.empty() && i < a.applied.size(); ++i) {
        const applied_discount& x = a.applied[i];
        const applied_discount& y = b.applied[i];
        const std::string at = "applied[" + std::to_string(i) + "].";
        compare(d, at + "code", x.code, y.code);
        compare(d, at + "kind", x.kind, y.kind);
        compare(d, at + "scope", x.scope, y.scope);
        compare(d, at + "priority", x.priority, y.priority);
        compare(d, at + "eligible_lines", x.eligible_lines, y.eligible_lines);
        compare(d, at + "eligible_subtotal", x.eligible_subtotal, y.eligible_subtotal);
        compare(d, at + "amount", x.amount, y.amount);
    }
    compare(d, "refused.size", a.refused.size(), b.refused.size());
    for (std::size_t i = 0; d.empty() && i < a.refused.size(); ++i) {
        const refused_discount& x = a.refused[i];
        const refused_discount& y = b.refused[i];
        const std::string at = "refused[" + std::to_string(i) + "].";
        compare(d, at + "code", x.code, y.code);
        compare(d, at + "reason", x.reason, y.reason);
        compare(d, at + "missing_amount", x.missing_amount, y.missing_amount);
        compare(d, at + "missing_quantity", x.missing_quantity, y.missing_quantity);
        compare(d, at + "message", x.message, y.message);
    }
    compare(d, "shipping.status", a.shipping.status, b.shipping.status);
    compare(d, "shipping.method_code", a.shipping.method_code, b.shipping.method_code);
    compare(d, "shipping.cost", a.shipping.cost, b.shipping.cost);
    compare(d, "shipping.discount", a.shipping.discount, b.shipping.discount);
    compare(d, "shipping.total", a.shipping.total, b.shipping.total);
    compare(d, "shipping.tax", a.shipping.tax, b.shipping.tax);
    compare(d, "shipping.options.size", a.shipping.options.size(), b.shipping.options.size());
    for (std::size_t i = 0; d.empty() && i < a.shipping.options.size(); ++i) {
        const std::string at = "shipping.options[" + std::to_string(i) + "].";
        compare(d, at + "method_code", a.shipping.options[i].method_code,
                b.shipping.options[i].method_code);
        compare(d, at + "cost", a.shipping.options[i].cost, b.shipping.options[i].cost);
    }
    compare(d, "list_subtotal", a.list_subtotal, b.list_subtotal);
    compare(d, "sale_savings", a.sale_savings, b.sale_savings);
    compare(d, "subtotal", a.subtotal, b.subtotal);
    compare(d, "discount_total", a.discount_total, b.discount_total);
    compare(d, "shipping_total", a.shipping_total, b.shipping_total);
    compare(d, "tax_total", a.tax_total, b.tax_total);
    compare(d, "total", a.total, b.total);
    compare(d, "total_weight", a.total_weight, b.total_weight);
    compare(d, "total_quantity", a.total_quantity, b.total_quantity);
    return d;
}

}  // namespace shopcore::pricing_testing

namespace shopcore {

// Readable GoogleTest output for the enumerations (found by argument-dependent lookup).
inline void PrintTo(shipping_status value, std::ostream* out) {
    static const char* const names[] = {"no_destination", "quoted", "no_method_available",
                                        "method_unavailable"};
    const auto i = static_cast<std::size_t>(value);
    *out << (i < 4 ? names[i] : "shipping_status?");
}
inline void PrintTo(discount_refusal value, std::ostream* out) {
    *out << pricing_testing::reason_text(value);
}
inline void PrintTo(discount_kind value, std::ostream* out) {
    static const char* const names[] = {"percentage", "fixed_amount", "free_shipping"};
    const auto i = static_cast<std::size_t>(value);
    *out << (i < 3 ? names[i] : "discount_kind?");
}
inline void PrintTo(discount_scope value, std::ostream* out) {
    static const char* const names[] = {"order", "categories", "products"};
    const auto i = static_cast<std::size_t>(value);
    *out << (i < 3 ? names[i] : "discount_scope?");
}

}  // namespace shopcore

#endif  // SHOPCORE_TESTS_UNIT_PRICING_PRICING_FIXTURES_HPP

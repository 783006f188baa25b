#include <shopcore/pricing/pricing_engine.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <shopcore/core/clock.hpp>
#include <shopcore/core/currency.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/core/ratio.hpp>
#include <shopcore/core/rounding.hpp>
#include <shopcore/core/weight.hpp>
#include <shopcore/discount/discount_code.hpp>
#include <shopcore/pricing/price_breakdown.hpp>
#include <shopcore/pricing/tax.hpp>
#include <shopcore/shipping/shipping_calculator.hpp>
#include <shopcore/shipping/shipping_rule.hpp>

#include "pricing_fixtures.hpp"

namespace shopcore {
namespace {

using namespace pricing_testing;

constexpr int carts_per_property = 2000;
constexpr int failures_shown = 5;

// Categories 1-3 are roots; 4-12 are their children (4-6 under 1, 7-9 under 2, 10-12 under 3).
std::vector<std::int64_t> category_path(std::int64_t c) {
    if (c <= 3) return {c};
    return {c, (c - 4) / 3 + 1};
}

// What the random carts may contain.
struct cart_options {
    bool order_scope = true;   // codes of order scope
    bool min_subtotal = true;  // codes with a minimum subtotal
};

class cart_maker {
public:
    explicit cart_maker(std::uint64_t seed) : rng_(seed) {}

    std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
    }
    // True with probability percent / 100.
    bool chance(int percent) { return uniform(0, 99) < percent; }

    pricing_line random_line() {
        pricing_line l;
        l.product = product_id(uniform(1, 40));
        if (!chance(15)) l = in_categories(std::move(l), category_path(uniform(1, 12)));
        l.unit_price = money::of_minor(uniform(0, 100000), usd());
        l.sale_unit_price = chance(50)
                                ? l.unit_price
                                : money::of_minor(uniform(0, l.unit_price.minor_units()), usd());
        l.quantity = uniform(1, 20);
        l.unit_weight = weight::of_grams(uniform(0, 2000));
        return l;
    }

    discount_offer random_offer(std::size_t index, const cart_options& o) {
        // Distinct by the index; the random first letter mixes the code order.
        std::string text(1, static_cast<char>('A' + uniform(0, 25)));
        text += "C" + std::to_string(index);
        discount_code c;
        switch (uniform(0, 2)) {
            case 0: {
                ratio percent = ratio::of(uniform(1, 100), 100);
                if (chance(20)) percent = ratio::of(uniform(1, 6), 7);
                if (chance(5)) percent = ratio::of(1, 1);
                c = base_code(std::move(text));
                c.kind = discount_kind::percentage;
                c.percent = percent;
                break;
            }
            case 1:
                c = base_code(std::move(text));
                c.kind = discount_kind::fixed_amount;
                c.amount = money::of_minor(uniform(1, 200000), usd());
                break;
            default:
                c = free_shipping(std::move(text));
                break;
        }
        switch (uniform(o.order_scope ? 0 : 1, 2)) {
            case 0:
                break;
            case 1: {
                std::vector<std::int64_t> cats;
                for (std::int64_t n = uniform(1, 2); n > 0; --n) cats.push_back(uniform(1, 12));
                c = for_categories(std::move(c), cats);
                break;
            }
            default: {
                std::vector<std::int64_t> products;
                for (std::int64_t n = uniform(1, 3); n > 0; --n) products.push_back(uniform(1, 40));
                c = for_products(std::move(c), products);
                break;
            }
        }
        c.priority = static_cast<std::int32_t>(uniform(-2, 3));
        c.exclusive = chance(15);
        if (o.min_subtotal && chance(10))
            c.min_subtotal = money::of_minor(uniform(0, 300000), usd());
        if (chance(10)) c.min_quantity = uniform(1, 30);
        if (chance(5)) c.active = false;
        if (chance(5)) c.starts_at = noon().plus_seconds(uniform(-100, 100));
        if (chance(5)) {
            c.ends_at =
                c.starts_at.value_or(noon().plus_seconds(-200)).plus_seconds(uniform(1, 400));
        }
        if (chance(5)) {
            c.usage_limit = uniform(1, 5);
            c.times_used = uniform(0, 6);
        }
        if (chance(5)) {
            c.single_use = true;
            c.times_used = uniform(0, 1);
        }
        discount_offer offer{c, 0};
        if (chance(8)) {
            offer.code.per_customer_limit = uniform(1, 3);
            offer.customer_uses = uniform(0, 3);
        }
        if (chance(10)) offer.code.audience = discount_audience::customers_only;
        if (chance(5)) offer.code.audience = discount_audience::staff_only;
        return offer;
    }

    pricing_request random_request(const cart_options& o) {
        pricing_request r;
        r.at = noon();
        for (std::int64_t n = uniform(1, 30); n > 0; --n) r.lines.push_back(random_line());
        const std::int64_t codes = uniform(0, 6);
        for (std::int64_t i = 0; i < codes; ++i) {
            r.codes.push_back(random_offer(static_cast<std::size_t>(i), o));
        }
        if (chance(60)) {
            r.customer = user_id(uniform(1, 100));
            r.staff = chance(15);
        }
        static const shipping_destination places[] = {
            {"US", "NY"}, {"US", ""}, {"DE", "BY"}, {"DE", "HE"}, {"FR", ""}};
        if (!chance(30)) r.destination = places[uniform(0, 4)];
        static const char* const methods[] = {"standard", "express", "local", "nope"};
        if (chance(30)) r.shipping_method = methods[uniform(0, 3)];
        return r;
    }

private:
    std::mt19937_64 rng_;
};

// Standard everywhere up to 100 kg (bands and excess), express to US and DE (a percentage of value,
// capped), local in New York (free above 500.00, at least 3.00).
std::vector<shipping_method> property_methods() {
    shipping_method standard = flat_method("standard", dollars("4.90"));
    standard.bands = {{weight::of_grams(999), dollars("4.90")},
                      {weight::of_grams(4999), dollars("9.90")}};
    standard.excess = excess_rule{weight::of_grams(1000), dollars("2.50")};
    standard.limits.max_weight = weight::of_grams(100'000);
    shipping_method express = flat_method("express", dollars("19.00"));
    express.zones = {{"US", ""}, {"DE", ""}};
    express.bands = {{weight::of_grams(20000), dollars("19.00")}};
    express.value.percent_of_value = ratio::parse("1%");
    express.value.maximum_charge = dollars("40.00");
    shipping_method local;
    local.code = "local";
    local.name = "Local courier";
    local.zones = {{"US", "NY"}};
    local.value.free_above = dollars("500.00");
    local.value.minimum_charge = dollars("3.00");
    return {standard, express, local};
}

tax_settings property_tax(tax_mode mode, tax_rounding rounding, shopcore::rounding how,
                          bool tax_shipping) {
    tax_settings t;
    t.mode = mode;
    t.rounding = rounding;
    t.rounding_mode = how;
    tax_rate everywhere = rate_everywhere("Base 5%", "5%");
    tax_rate vat = rate_everywhere("VAT 19%", "19%");
    vat.country = "DE";
    tax_rate reduced = rate_everywhere("VAT 7%", "7%");
    reduced.country = "DE";
    reduced.categories = {category_id(1)};
    tax_rate ny = rate_everywhere("NY 8.875%", "8.875%");
    ny.country = "US";
    ny.province = "NY";
    tax_rate exempt = rate_everywhere("Exempt", "0%");
    exempt.categories = {category_id(2)};
    t.rates = {everywhere, vat, reduced, ny, exempt};
    if (tax_shipping) t.shipping_rate = ratio::parse("19%");
    return t;
}

// Every combination of tax mode, rounding place and rounding mode; shipping taxed in half.
std::vector<pricing_engine> property_engines() {
    std::vector<pricing_engine> engines;
    bool tax_shipping = false;
    for (const tax_mode mode : {tax_mode::exclusive, tax_mode::inclusive}) {
        for (const tax_rounding where : {tax_rounding::per_line, tax_rounding::per_unit}) {
            for (const rounding how :
                 {rounding::half_up, rounding::half_even, rounding::down, rounding::up}) {
                engines.push_back(
                    usd_engine(property_tax(mode, where, how, tax_shipping), property_methods()));
                tax_shipping = !tax_shipping;
            }
        }
    }
    return engines;
}

bool in_scope(const discount_code& c, const pricing_line& l) {
    switch (c.scope) {
        case discount_scope::order:
            return true;
        case discount_scope::products:
            return std::find(c.products.begin(), c.products.end(), l.product) != c.products.end();
        case discount_scope::categories:
            for (const category_id k : l.categories) {
                if (std::find(c.categories.begin(), c.categories.end(), k) != c.categories.end()) {
                    return true;
                }
            }
            return false;
    }
    return false;
}

// 0: line level, 1: order level, 2: shipping level.
int level_of(discount_kind kind, discount_scope scope) {
    if (kind == discount_kind::free_shipping) return 2;
    return scope == discount_scope::order ? 1 : 0;
}

// Every invariant of the contract that one breakdown must satisfy; the violations found.
std::vector<std::string> violations(const pricing_request& r, const price_breakdown& b) {
    std::vector<std::string> v;
    auto check = [&v](bool ok, const std::string& what) {
        if (!ok) v.push_back(what);
    };
    const money zero = money::zero(usd());
    check(b.currency == usd(), "currency");
    check(b.priced_at == r.at, "priced_at");
    if (b.lines.size() != r.lines.size()) {
        v.push_back("lines.size " + std::to_string(b.lines.size()));
        return v;
    }

    // Lines and the sums over them.
    money list_subtotal = zero, subtotal = zero, discount = zero, line_tax = zero;
    weight total_weight;
    std::int64_t quantity = 0;
    for (std::size_t i = 0; i < b.lines.size(); ++i) {
        const priced_line& l = b.lines[i];
        const pricing_line& in = r.lines[i];
        const std::string at = "line " + std::to_string(i) + ": ";
        check(l.product == in.product && l.quantity == in.quantity, at + "product/quantity");
        check(l.list_subtotal == in.unit_price * in.quantity, at + "list_subtotal");
        check(l.subtotal == in.sale_unit_price * in.quantity, at + "subtotal");
        check(l.total_weight == in.unit_weight * in.quantity, at + "total_weight");
        money shares = zero;
        for (const line_discount& d : b.line_discounts) {
            if (d.line == i) shares += d.amount;
        }
        check(l.discount == shares, at + "discount " + l.discount.to_string() +
                                        " != sum of its line_discounts " + shares.to_string());
        check(!l.discount.is_negative() && l.discount <= l.subtotal,
              at + "discount " + l.discount.to_string() + " outside [0, subtotal]");
        check(l.total == l.subtotal - l.discount, at + "total != subtotal - discount");
        check(!l.tax.is_negative(), at + "negative tax");
        if (b.mode == tax_mode::inclusive) check(l.tax <= l.total, at + "included tax > total");
        list_subtotal += l.list_subtotal;
        subtotal += l.subtotal;
        discount += l.discount;
        line_tax += l.tax;
        total_weight += l.total_weight;
        quantity += l.quantity;
    }
    check(b.list_subtotal == list_subtotal, "list_subtotal");
    check(b.subtotal == subtotal, "subtotal");
    check(b.sale_savings == list_subtotal - subtotal, "sale_savings");
    check(b.discount_total == discount, "discount_total != sum of line discounts");
    check(b.total_weight == total_weight, "total_weight");
    check(b.total_quantity == quantity, "total_quantity");
    check(b.tax_total == line_tax + b.shipping.tax, "tax_total != line taxes + shipping tax");
    // The tax summary: one entry per rate used, holding exactly its lines.
    money summary_tax = zero;
    for (std::size_t t = 0; t < b.taxes.size(); ++t) {
        money taxable = zero;
        money amount = zero;
        for (const priced_line& l : b.lines) {
            if (l.tax_entry == t) {
                taxable += l.total;
                amount += l.tax;
            }
        }
        check(b.taxes[t].taxable == taxable && b.taxes[t].amount == amount,
              "tax summary " + b.taxes[t].name + " != its lines");
        summary_tax += b.taxes[t].amount;
    }
    for (const priced_line& l : b.lines) {
        check(!l.tax_entry || *l.tax_entry < b.taxes.size(), "tax_entry out of range");
        check(l.tax_entry || l.tax.is_zero(), "tax without a rate");
    }
    check(summary_tax == line_tax, "tax summary != line taxes");
    check(b.shipping_total == b.shipping.total, "shipping_total");

    // The totals identity of the tax mode.
    if (b.mode == tax_mode::exclusive) {
        check(b.total == b.subtotal - b.discount_total + b.shipping_total + b.tax_total,
              "exclusive total identity");
    } else {
        check(b.total == b.subtotal - b.discount_total + b.shipping_total,
              "inclusive total identity");
    }

    // Every code is either applied or refused, once; refusals are the engine's own.
    std::vector<std::size_t> refused_order;
    for (std::size_t k = 0; k < r.codes.size(); ++k) {
        const std::string& code = r.codes[k].code.code;
        const std::string what = outcome(b, code);
        check(what == "applied" || what.find(' ') == std::string::npos,
              code + " is listed as " + what);
        check(what != "missing", code + " is neither applied nor refused");
        if (refused_entry(b, code) != nullptr) refused_order.push_back(k);
    }
    check(b.applied.size() + b.refused.size() == r.codes.size(), "applied + refused != codes");
    check(std::is_sorted(refused_order.begin(), refused_order.end()),
          "refused not in request order");
    for (const refused_discount& x : b.refused) {
        check(x.reason != discount_refusal::unknown_code &&
                  x.reason != discount_refusal::already_applied &&
                  x.reason != discount_refusal::vetoed,
              x.code + " refused as " + reason_text(x.reason) + " by the engine");
        if (x.reason == discount_refusal::minimum_subtotal_not_met) {
            check(x.missing_amount.has_value() && x.missing_amount->is_positive(),
                  x.code + " missing_amount");
        }
        if (x.reason == discount_refusal::minimum_quantity_not_met) {
            check(x.missing_quantity > 0, x.code + " missing_quantity");
        }
        check(!x.message.empty(), x.code + " has no message");
    }

    // Line discounts name applied codes and are above zero.
    for (const line_discount& d : b.line_discounts) {
        check(d.line < b.lines.size(), "line_discount line index");
        check(d.discount < b.applied.size(), "line_discount discount index");
        if (d.discount >= b.applied.size()) continue;
        const applied_discount& a = b.applied[d.discount];
        check(d.amount.is_positive(), "line_discount of " + a.code + " not above zero");
        check(a.kind != discount_kind::free_shipping,
              "line_discount of " + a.code + " which is not an applied line discount");
    }

    // Applied codes: exclusivity, order, and what each took.
    money applied_sum = zero;
    bool any_exclusive = false;
    std::vector<money> still(b.lines.size(), zero);  // what each line still costs
    for (std::size_t i = 0; i < b.lines.size(); ++i) still[i] = b.lines[i].subtotal;
    for (std::size_t n = 0; n < b.applied.size(); ++n) {
        const applied_discount& a = b.applied[n];
        check(!a.amount.is_negative(), a.code + " amount negative");
        applied_sum += a.amount;
        const discount_code* code = nullptr;
        for (const discount_offer& o : r.codes) {
            if (o.code.code == a.code) code = &o.code;
        }
        if (code == nullptr) {
            v.push_back(a.code + " applied but not offered");
            continue;
        }
        any_exclusive = any_exclusive || code->exclusive;
        check(a.kind == code->kind && a.scope == code->scope && a.priority == code->priority,
              a.code + " kind/scope/priority");
        if (n > 0) {
            const applied_discount& p = b.applied[n - 1];
            const int lp = level_of(p.kind, p.scope);
            const int la = level_of(a.kind, a.scope);
            const bool ordered =
                lp < la || (lp == la && (p.priority > a.priority ||
                                         (p.priority == a.priority && p.code < a.code)));
            check(ordered, p.code + " applied before " + a.code);
        }
        // Replay: the code's eligible lines, what they still cost, what it must take.
        std::vector<std::size_t> eligible;
        money eligible_subtotal = zero, left = zero;
        for (std::size_t i = 0; i < r.lines.size(); ++i) {
            if (!in_scope(*code, r.lines[i])) continue;
            eligible.push_back(i);
            eligible_subtotal += b.lines[i].subtotal;
            left += still[i];
        }
        check(a.eligible_lines == eligible.size(), a.code + " eligible_lines");
        check(a.eligible_subtotal == eligible_subtotal, a.code + " eligible_subtotal");
        if (a.kind == discount_kind::free_shipping) continue;
        // A line-level percentage rounds on each line; order-level percentages and fixed
        // amounts take one amount, allocated by largest remainder.
        const bool per_line =
            a.kind == discount_kind::percentage && code->scope != discount_scope::order;
        std::vector<money> expected_shares(eligible.size(), zero);
        money expected = zero;
        if (per_line) {
            for (std::size_t e = 0; e < eligible.size(); ++e) {
                expected_shares[e] = still[eligible[e]].multiply(code->percent, rounding::half_up);
                expected += expected_shares[e];
            }
        } else {
            expected = a.kind == discount_kind::percentage
                           ? left.multiply(code->percent, rounding::half_up)
                           : std::min(code->amount, left);
            if (left.is_positive()) {
                std::vector<std::int64_t> weights;
                for (const std::size_t i : eligible) weights.push_back(still[i].minor_units());
                expected_shares = expected.allocate(weights);
            }
        }
        check(a.amount == expected, a.code + " took " + a.amount.to_string() + ", expected " +
                                        expected.to_string() + " of " + left.to_string());
        for (std::size_t e = 0; e < eligible.size(); ++e) {
            const money got = share(b, eligible[e], a.code);
            check(got == expected_shares[e], a.code + " on line " + std::to_string(eligible[e]) +
                                                 ": " + got.to_string() + ", expected " +
                                                 expected_shares[e].to_string());
            still[eligible[e]] -= got;
        }
    }
    check(applied_sum == b.discount_total + b.shipping.discount,
          "applied amounts != discount_total + shipping.discount");
    if (any_exclusive) check(b.applied.size() == 1, "an exclusive code applied with another");

    // Shipping.
    const shipping_charge& s = b.shipping;
    check(!s.discount.is_negative() && s.discount <= s.cost, "shipping discount outside [0, cost]");
    check(s.total == s.cost - s.discount, "shipping total");
    check((s.status == shipping_status::no_destination) == !r.destination.has_value(),
          "no_destination iff no destination");
    if (s.status != shipping_status::quoted) {
        check(s.cost.is_zero() && s.discount.is_zero() && s.method_code.empty(),
              "shipping charged though not quoted");
    }
    for (std::size_t k = 1; k < s.options.size(); ++k) {
        check(s.options[k - 1].cost <= s.options[k].cost, "options not cheapest first");
    }
    if (s.status == shipping_status::quoted) {
        if (r.shipping_method.empty()) {
            check(!s.options.empty() && s.method_code == s.options[0].method_code &&
                      s.cost == s.options[0].cost,
                  "the cheapest option was not chosen");
        } else {
            check(s.method_code == r.shipping_method, "the requested method was not charged");
        }
    }
    if (s.status == shipping_status::no_method_available) {
        check(s.options.empty(), "options with no_method_available");
    }
    if (s.status == shipping_status::method_unavailable) {
        check(!r.shipping_method.empty(), "method_unavailable without a requested method");
        for (const shipping_quote& q : s.options) {
            check(q.method_code != r.shipping_method, "the requested method was an option");
        }
    }
    return v;
}

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& p : parts) out += "\n  " + p;
    return out;
}

TEST(PricingProperties, RandomCartsKeepEveryInvariant) {
    const std::vector<pricing_engine> engines = property_engines();
    cart_maker maker(0x5eed'0001);
    price_breakdown reused;
    int failures = 0;
    std::set<std::string> reasons_seen;
    std::set<shipping_status> statuses_seen;
    std::size_t applied_seen = 0;
    for (int n = 0; n < carts_per_property && failures < failures_shown; ++n) {
        const pricing_request r = maker.random_request({});
        for (const discount_offer& o : r.codes) {
            ASSERT_NO_THROW(validate_discount_code(o.code, usd())) << "generator bug, cart " << n;
        }
        const pricing_engine& engine = engines[static_cast<std::size_t>(
            maker.uniform(0, static_cast<std::int64_t>(engines.size()) - 1))];
        price_breakdown b;
        try {
            b = engine.price(r);
        } catch (const std::exception& e) {
            ADD_FAILURE() << "cart " << n << " threw: " << e.what();
            ++failures;
            continue;
        }
        const std::vector<std::string> v = violations(r, b);
        if (!v.empty()) {
            ADD_FAILURE() << "cart " << n << " breaks:" << joined(v) << "\n" << engine.explain(b);
            ++failures;
            continue;
        }
        const std::string again = first_difference(b, engine.price(r));
        engine.price_into(r, reused);
        const std::string into = first_difference(b, reused);
        if (!again.empty() || !into.empty()) {
            ADD_FAILURE() << "cart " << n << " is not deterministic: price again: " << again
                          << "; price_into: " << into;
            ++failures;
        }
        if (engine.explain(b) != engine.explain(engine.price(r))) {
            ADD_FAILURE() << "cart " << n << ": explain differs between equal breakdowns";
            ++failures;
        }
        for (const refused_discount& x : b.refused) reasons_seen.insert(reason_text(x.reason));
        statuses_seen.insert(b.shipping.status);
        applied_seen += b.applied.size();
    }
    // The generator reaches what it is meant to reach (else the property proves little).
    EXPECT_GT(applied_seen, 1000U);
    EXPECT_EQ(statuses_seen.size(), 4U);
    for (const char* reason : {"inactive", "not_started", "expired", "exhausted", "already_used",
                               "login_required", "staff_only", "minimum_subtotal_not_met",
                               "minimum_quantity_not_met", "no_eligible_items", "not_combinable"}) {
        EXPECT_EQ(reasons_seen.count(reason), 1U) << reason << " never produced";
    }
}

TEST(PricingProperties, LineOutsideEveryScopeNeverChangesTheOtherLinesDiscounts) {
    const std::vector<pricing_engine> engines = property_engines();
    cart_maker maker(0x5eed'0002);
    int failures = 0;
    for (int n = 0; n < carts_per_property && failures < failures_shown; ++n) {
        const pricing_request r = maker.random_request({false, false});
        const pricing_engine& engine = engines[static_cast<std::size_t>(
            maker.uniform(0, static_cast<std::int64_t>(engines.size()) - 1))];
        // Product 999 in category 99: no code names either.
        pricing_request wider = r;
        pricing_line outsider = in_categories(line(999, "0.00"), {99});
        outsider.unit_price = money::of_minor(maker.uniform(0, 100000), usd());
        outsider.sale_unit_price = outsider.unit_price;
        outsider.quantity = maker.uniform(1, 20);
        const auto pos =
            static_cast<std::size_t>(maker.uniform(0, static_cast<std::int64_t>(r.lines.size())));
        wider.lines.insert(wider.lines.begin() + static_cast<std::ptrdiff_t>(pos), outsider);

        const price_breakdown before = engine.price(r);
        const price_breakdown after = engine.price(wider);
        std::vector<std::string> v;
        for (std::size_t i = 0; i < r.lines.size(); ++i) {
            const std::size_t j = i < pos ? i : i + 1;
            if (before.lines[i].discount != after.lines[j].discount) {
                v.push_back("line " + std::to_string(i) + ": " +
                            before.lines[i].discount.to_string() + " became " +
                            after.lines[j].discount.to_string());
            }
            for (const discount_offer& o : r.codes) {
                if (share(before, i, o.code.code) != share(after, j, o.code.code)) {
                    v.push_back("line " + std::to_string(i) + ", " + o.code.code + ": " +
                                share(before, i, o.code.code).to_string() + " became " +
                                share(after, j, o.code.code).to_string());
                }
            }
        }
        if (!after.lines[pos].discount.is_zero()) v.push_back("the outsider got a discount");
        for (const discount_offer& o : r.codes) {
            if (outcome(before, o.code.code) != outcome(after, o.code.code)) {
                v.push_back(o.code.code + ": " + outcome(before, o.code.code) + " became " +
                            outcome(after, o.code.code));
            }
        }
        if (before.discount_total != after.discount_total) v.push_back("discount_total changed");
        if (!v.empty()) {
            ADD_FAILURE() << "cart " << n << " (outsider at " << pos << "):" << joined(v) << "\n"
                          << engine.explain(before) << "\n---\n"
                          << engine.explain(after);
            ++failures;
        }
    }
}

}  // namespace
}  // namespace shopcore

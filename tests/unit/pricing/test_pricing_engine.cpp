#include <shopcore/pricing/pricing_engine.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <shopcore/core/clock.hpp>
#include <shopcore/core/currency.hpp>
#include <shopcore/core/error.hpp>
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

// Runs `f` and expects a validation_error naming `field`.
template <class F>
void expect_invalid(F&& f, const std::string& field) {
    try {
        f();
        ADD_FAILURE() << "accepted; expected a validation_error on \"" << field << "\"";
    } catch (const validation_error& e) {
        EXPECT_EQ(e.field(), field) << e.what();
    }
}

// A line of 2 x 20.00 (product 1, category 11 under 1) with `code`: the cart for refusals.
pricing_request one_code_cart(const discount_code& code) {
    return cart({in_categories(line(1, "20.00", 2), {11, 1})}, {code});
}

// What became of the request's first code.
std::string judged(const pricing_request& request) {
    const price_breakdown b = usd_engine().price(request);
    return outcome(b, request.codes.front().code.code);
}

// ---- Money cases from real bugs ---------------------------------------------------------

TEST(PricingEngine, ThreeLinesOfFiveWithTwoOffShareExactlyTwo) {
    // Broadleaf #1113: 2.00 over three equal 5.00 lines became 0.67 + 0.67 + 0.68 = 2.02.
    // Largest remainder: 200 x 500 / 1500 = 66.67 -> 66 each, the 2 cents left go to the
    // lowest indices of the equal remainders: 0.67, 0.67, 0.66.
    const auto b = usd_engine().price(
        cart({line(1, "5.00"), line(2, "5.00"), line(3, "5.00")}, {amount_off("TWOOFF", "2.00")}));
    EXPECT_EQ(share(b, 0, "TWOOFF"), dollars("0.67"));
    EXPECT_EQ(share(b, 1, "TWOOFF"), dollars("0.67"));
    EXPECT_EQ(share(b, 2, "TWOOFF"), dollars("0.66"));
    ASSERT_EQ(b.lines.size(), 3U);
    EXPECT_EQ(b.lines[0].total, dollars("4.33"));
    EXPECT_EQ(b.lines[1].total, dollars("4.33"));
    EXPECT_EQ(b.lines[2].total, dollars("4.34"));
    EXPECT_EQ(b.subtotal, dollars("15.00"));
    EXPECT_EQ(b.discount_total, dollars("2.00"));
    EXPECT_EQ(b.total, dollars("13.00"));
    const applied_discount* a = applied_entry(b, "TWOOFF");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->amount, dollars("2.00"));
    EXPECT_EQ(a->kind, discount_kind::fixed_amount);
    EXPECT_EQ(a->scope, discount_scope::order);
    EXPECT_EQ(a->eligible_lines, 3U);
    EXPECT_EQ(a->eligible_subtotal, dollars("15.00"));
}

TEST(PricingEngine, TenOffThreeLinesOfHundredSharesExactlyTen) {
    // ERPNext #58042: 1000 x 1/3 = 333.33 -> 333 each, 1 cent left to line 0.
    const auto b = usd_engine().price(cart(
        {line(1, "100.00"), line(2, "100.00"), line(3, "100.00")}, {amount_off("TEN", "10.00")}));
    EXPECT_EQ(share(b, 0, "TEN"), dollars("3.34"));
    EXPECT_EQ(share(b, 1, "TEN"), dollars("3.33"));
    EXPECT_EQ(share(b, 2, "TEN"), dollars("3.33"));
    EXPECT_EQ(b.discount_total, dollars("10.00"));
    EXPECT_EQ(b.total, dollars("290.00"));
}

TEST(PricingEngine, HundredPercentOffLeavesEveryLineAtExactlyZero) {
    // Odoo #271032 / Invoice Ninja #3195: 100 % left 0.01 or -0.01.
    // Subtotal 3 x 19.99 + 0.01 + 2 x 7.35 = 59.97 + 0.01 + 14.70 = 74.68, all of it off.
    // What is left to pay: shipping 4.90 + 10 % shipping tax 0.49 = 5.39.
    tax_settings tax = flat_tax("19%");
    tax.shipping_rate = ratio::parse("10%");
    const auto engine = usd_engine(tax, {flat_method("std", dollars("4.90"))});
    pricing_request r = cart({line(1, "19.99", 3), line(2, "0.01"), line(3, "7.35", 2)},
                             {percent_off("ALLFREE", "100%")});
    r.destination = shipping_destination{"US", "NY"};
    const auto b = engine.price(r);
    ASSERT_EQ(b.lines.size(), 3U);
    for (const priced_line& l : b.lines) {
        EXPECT_EQ(l.total, money::zero(usd()));
        EXPECT_EQ(l.discount, l.subtotal);
        EXPECT_EQ(l.tax, money::zero(usd()));
    }
    EXPECT_EQ(b.subtotal, dollars("74.68"));
    EXPECT_EQ(b.discount_total, dollars("74.68"));
    EXPECT_EQ(b.shipping.cost, dollars("4.90"));
    EXPECT_EQ(b.shipping.tax, dollars("0.49"));
    EXPECT_EQ(b.shipping_total, dollars("4.90"));
    EXPECT_EQ(b.tax_total, dollars("0.49"));
    EXPECT_EQ(b.total, dollars("5.39"));
}

TEST(PricingEngine, TaxPerLineRoundsTheLineOnce) {
    // 1.08 x 3 = 3.24; 3.24 x 0.19 = 0.6156 -> 0.62; total 3.24 + 0.62 = 3.86.
    const auto b = usd_engine(flat_tax("19%")).price(cart({line(1, "1.08", 3)}));
    ASSERT_EQ(b.lines.size(), 1U);
    EXPECT_EQ(b.lines[0].tax, dollars("0.62"));
    EXPECT_EQ(b.lines[0].tax_rate, ratio::parse("19%"));
    EXPECT_EQ(tax_name_of(b, 0), "Tax");
    EXPECT_EQ(b.tax_total, dollars("0.62"));
    EXPECT_EQ(b.total, dollars("3.86"));
}

TEST(PricingEngine, TaxPerUnitRoundsEachUnit) {
    // 1.08 x 0.19 = 0.2052 -> 0.21 per unit, x 3 = 0.63; total 3.24 + 0.63 = 3.87.
    const auto b = usd_engine(flat_tax("19%", tax_mode::exclusive, tax_rounding::per_unit))
                       .price(cart({line(1, "1.08", 3)}));
    ASSERT_EQ(b.lines.size(), 1U);
    EXPECT_EQ(b.lines[0].tax, dollars("0.63"));
    EXPECT_EQ(b.tax_total, dollars("0.63"));
    EXPECT_EQ(b.total, dollars("3.87"));
}

TEST(PricingEngine, InclusivePriceOf119At19PercentContains019Tax) {
    // Gross 1.19 = net 1.00 + tax 0.19: 1.19 x 0.19 / 1.19 = 0.19 exactly. Nothing on top.
    const auto b = usd_engine(flat_tax("19%", tax_mode::inclusive)).price(cart({line(1, "1.19")}));
    EXPECT_EQ(b.mode, tax_mode::inclusive);
    ASSERT_EQ(b.lines.size(), 1U);
    EXPECT_EQ(b.lines[0].tax, dollars("0.19"));
    EXPECT_EQ(b.lines[0].total, dollars("1.19"));
    EXPECT_EQ(b.tax_total, dollars("0.19"));
    EXPECT_EQ(b.subtotal, dollars("1.19"));
    EXPECT_EQ(b.total, dollars("1.19"));
}

TEST(PricingEngine, InclusiveTaxIsRoundedFromTheContainedPart) {
    // 10.00 x 0.19 / 1.19 = 1.5966... -> 1.60; the total stays 10.00.
    const auto b = usd_engine(flat_tax("19%", tax_mode::inclusive)).price(cart({line(1, "10.00")}));
    EXPECT_EQ(b.lines[0].tax, dollars("1.60"));
    EXPECT_EQ(b.total, dollars("10.00"));
}

TEST(PricingEngine, InclusiveTaxIsOnTheDiscountedGross) {
    // 119.00 less 10 % = 107.10 gross; 107.10 x 0.19 / 1.19 = 17.10 exactly.
    const auto b = usd_engine(flat_tax("19%", tax_mode::inclusive))
                       .price(cart({line(1, "119.00")}, {percent_off("TENOFF", "10%")}));
    EXPECT_EQ(b.lines[0].total, dollars("107.10"));
    EXPECT_EQ(b.lines[0].tax, dollars("17.10"));
    EXPECT_EQ(b.total, dollars("107.10"));
}

TEST(PricingEngine, InclusiveTotalsDoNotAddTaxOnTop) {
    // 1.19 + shipping 4.90 = 6.09; the 0.19 tax is inside.
    const auto engine =
        usd_engine(flat_tax("19%", tax_mode::inclusive), {flat_method("std", dollars("4.90"))});
    pricing_request r = cart({line(1, "1.19")});
    r.destination = shipping_destination{"US", ""};
    const auto b = engine.price(r);
    EXPECT_EQ(b.tax_total, dollars("0.19"));
    EXPECT_EQ(b.shipping_total, dollars("4.90"));
    EXPECT_EQ(b.total, dollars("6.09"));
}

TEST(PricingEngine, InclusiveTaxPerUnitRoundsEachUnit) {
    // 10 x 0.10 gross at 19 %: per unit 0.10 x 19 / 119 = 0.0160 -> 0.02, x 10 = 0.20;
    // per line 1.00 x 19 / 119 = 0.1597 -> 0.16.
    const auto per_unit = usd_engine(flat_tax("19%", tax_mode::inclusive, tax_rounding::per_unit))
                              .price(cart({line(1, "0.10", 10)}));
    const auto per_line = usd_engine(flat_tax("19%", tax_mode::inclusive, tax_rounding::per_line))
                              .price(cart({line(1, "0.10", 10)}));
    EXPECT_EQ(per_unit.lines[0].tax, dollars("0.20"));
    EXPECT_EQ(per_line.lines[0].tax, dollars("0.16"));
    EXPECT_EQ(per_unit.total, dollars("1.00"));
    EXPECT_EQ(per_line.total, dollars("1.00"));
}

// ---- Sale prices ---------------------------------------------------------------------------

TEST(PricingEngine, SubtotalUsesSalePricesAndReportsTheSavings) {
    // List 3 x 20.00 + 10.00 = 70.00; sale 3 x 15.00 + 10.00 = 55.00; savings 15.00.
    // 10 % off the sale subtotal: 5.50; total 49.50.
    const auto b = usd_engine().price(cart(
        {on_sale(line(1, "20.00", 3), "15.00"), line(2, "10.00")}, {percent_off("TENOFF", "10%")}));
    ASSERT_EQ(b.lines.size(), 2U);
    EXPECT_EQ(b.lines[0].unit_price, dollars("20.00"));
    EXPECT_EQ(b.lines[0].sale_unit_price, dollars("15.00"));
    EXPECT_EQ(b.lines[0].list_subtotal, dollars("60.00"));
    EXPECT_EQ(b.lines[0].subtotal, dollars("45.00"));
    EXPECT_EQ(b.lines[1].list_subtotal, dollars("10.00"));
    EXPECT_EQ(b.lines[1].subtotal, dollars("10.00"));
    EXPECT_EQ(b.list_subtotal, dollars("70.00"));
    EXPECT_EQ(b.subtotal, dollars("55.00"));
    EXPECT_EQ(b.sale_savings, dollars("15.00"));
    const applied_discount* a = applied_entry(b, "TENOFF");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->eligible_subtotal, dollars("55.00"));
    EXPECT_EQ(a->amount, dollars("5.50"));
    EXPECT_EQ(b.total, dollars("49.50"));
}

TEST(PricingEngine, FreeSaleItemIsPricedAtZero) {
    const auto b = usd_engine(flat_tax("19%")).price(cart({on_sale(line(1, "9.99", 2), "0.00")}));
    EXPECT_EQ(b.lines[0].subtotal, money::zero(usd()));
    EXPECT_EQ(b.lines[0].tax, money::zero(usd()));
    EXPECT_EQ(b.sale_savings, dollars("19.98"));
    EXPECT_EQ(b.total, money::zero(usd()));
}

TEST(PricingEngine, LineFactsAndTotalsAreReported) {
    pricing_request r = cart({weighing(line(7, "2.50", 4), 250), weighing(line(8, "1.00"), 40)});
    const auto b = usd_engine().price(r);
    EXPECT_EQ(b.currency, usd());
    EXPECT_EQ(b.priced_at, noon());
    EXPECT_EQ(b.mode, tax_mode::exclusive);
    ASSERT_EQ(b.lines.size(), 2U);
    EXPECT_EQ(b.lines[0].product, product_id(7));
    EXPECT_EQ(b.lines[0].quantity, 4);
    EXPECT_EQ(b.lines[0].total_weight, weight::of_grams(1000));
    EXPECT_EQ(tax_name_of(b, 0), "");
    EXPECT_EQ(b.lines[0].tax_rate, ratio());
    EXPECT_EQ(b.lines[1].product, product_id(8));
    EXPECT_EQ(b.total_weight, weight::of_grams(1040));
    EXPECT_EQ(b.total_quantity, 5);
    EXPECT_EQ(b.total, dollars("11.00"));
}

TEST(PricingEngine, EmptyRequestIsAllZero) {
    const auto b = usd_engine(flat_tax("19%")).price(cart({}));
    EXPECT_TRUE(b.lines.empty());
    EXPECT_TRUE(b.line_discounts.empty());
    EXPECT_TRUE(b.applied.empty());
    EXPECT_EQ(b.currency, usd());
    EXPECT_EQ(b.subtotal, money::zero(usd()));
    EXPECT_EQ(b.list_subtotal, money::zero(usd()));
    EXPECT_EQ(b.discount_total, money::zero(usd()));
    EXPECT_EQ(b.shipping_total, money::zero(usd()));
    EXPECT_EQ(b.tax_total, money::zero(usd()));
    EXPECT_EQ(b.total, money::zero(usd()));
    EXPECT_EQ(b.total_quantity, 0);
    EXPECT_EQ(b.total_weight, weight());
    EXPECT_EQ(b.shipping.status, shipping_status::no_destination);
}

TEST(PricingEngine, EmptyRequestWithADestinationIsStillAllZero) {
    // "lines: may be empty (everything is then zero)": an empty cart is not charged shipping.
    pricing_request r = cart({});
    r.destination = shipping_destination{"US", "NY"};
    const auto b = usd_engine(flat_tax("19%"), {flat_method("std", dollars("4.90"))}).price(r);
    EXPECT_EQ(b.shipping.cost, money::zero(usd()));
    EXPECT_EQ(b.shipping_total, money::zero(usd()));
    EXPECT_EQ(b.total, money::zero(usd()));
}

TEST(PricingEngine, EmptyRequestWithAValidDestinationHasNoShippingStatus) {
    pricing_request r = cart({});
    r.destination = shipping_destination{"IR", "Tehran"};
    const auto b = usd_engine(flat_tax("19%"), {flat_method("std", dollars("4.90"))}).price(r);
    EXPECT_TRUE(b.lines.empty());
    EXPECT_EQ(b.subtotal, money::zero(usd()));
    EXPECT_EQ(b.discount_total, money::zero(usd()));
    EXPECT_EQ(b.shipping.cost, money::zero(usd()));
    EXPECT_EQ(b.shipping.total, money::zero(usd()));
    EXPECT_EQ(b.shipping.tax, money::zero(usd()));
    EXPECT_EQ(b.shipping_total, money::zero(usd()));
    EXPECT_EQ(b.tax_total, money::zero(usd()));
    EXPECT_EQ(b.total, money::zero(usd()));
    EXPECT_EQ(b.total_quantity, 0);
    EXPECT_EQ(b.total_weight, weight());
    EXPECT_EQ(b.shipping.status, shipping_status::no_destination);
    EXPECT_TRUE(b.shipping.method_code.empty());
}

TEST(PricingEngine, OrderCodeOnAnEmptyCartHasNoEligibleItems) {
    const auto b = usd_engine().price(cart({}, {percent_off("TENOFF", "10%")}));
    EXPECT_EQ(outcome(b, "TENOFF"), "no_eligible_items");
}

// ---- Refusals the engine produces -------------------------------------------------------

TEST(PricingEngineRefusal, InactiveCodeIsRefusedAndTakesNothing) {
    discount_code c = percent_off("SLEEPY", "10%");
    c.active = false;
    const auto b = usd_engine().price(one_code_cart(c));
    EXPECT_EQ(outcome(b, "SLEEPY"), "inactive");
    EXPECT_TRUE(b.line_discounts.empty());
    EXPECT_EQ(b.discount_total, money::zero(usd()));
    EXPECT_EQ(b.total, dollars("40.00"));
    const refused_discount* r = refused_entry(b, "SLEEPY");
    ASSERT_NE(r, nullptr);
    EXPECT_FALSE(r->message.empty());
}

TEST(PricingEngineRefusal, CodeBeforeItsStartIsNotStarted) {
    discount_code c = percent_off("SOON", "10%");
    c.starts_at = noon().plus_micros(1);
    EXPECT_EQ(judged(one_code_cart(c)), "not_started");
    c.starts_at = noon().plus_seconds(86400);
    EXPECT_EQ(judged(one_code_cart(c)), "not_started");
}

TEST(PricingEngineRefusal, CodeStartingExactlyNowIsAccepted) {
    discount_code c = percent_off("NOWON", "10%");
    c.starts_at = noon();
    EXPECT_EQ(judged(one_code_cart(c)), "applied");
}

TEST(PricingEngineRefusal, CodeAtOrAfterItsEndIsExpired) {
    discount_code c = percent_off("GONE", "10%");
    c.ends_at = noon();  // ends_at is exclusive
    EXPECT_EQ(judged(one_code_cart(c)), "expired");
    c.ends_at = noon().plus_seconds(-1);
    EXPECT_EQ(judged(one_code_cart(c)), "expired");
}

TEST(PricingEngineRefusal, CodeOneMicrosecondBeforeItsEndIsAccepted) {
    discount_code c = percent_off("LASTCALL", "10%");
    c.starts_at = noon().plus_seconds(-3600);
    c.ends_at = noon().plus_micros(1);
    EXPECT_EQ(judged(one_code_cart(c)), "applied");
}

TEST(PricingEngineRefusal, CodeAtItsUsageLimitIsExhausted) {
    discount_code c = percent_off("LIMITED", "10%");
    c.usage_limit = 5;
    c.times_used = 5;
    EXPECT_EQ(judged(one_code_cart(c)), "exhausted");
    c.times_used = 6;
    EXPECT_EQ(judged(one_code_cart(c)), "exhausted");
    c.times_used = 4;
    EXPECT_EQ(judged(one_code_cart(c)), "applied");
}

TEST(PricingEngineRefusal, UsedSingleUseCodeIsExhausted) {
    discount_code c = percent_off("ONCE", "10%");
    c.single_use = true;
    c.times_used = 1;
    EXPECT_EQ(judged(one_code_cart(c)), "exhausted");
    c.times_used = 0;
    EXPECT_EQ(judged(one_code_cart(c)), "applied");
}

TEST(PricingEngineRefusal, CustomerAtTheirLimitHasAlreadyUsedIt) {
    discount_code c = percent_off("TWICE", "10%");
    c.per_customer_limit = 2;
    pricing_request r = one_code_cart(c);
    r.customer = user_id(7);
    r.codes[0].customer_uses = 2;
    EXPECT_EQ(judged(r), "already_used");
    r.codes[0].customer_uses = 1;
    EXPECT_EQ(judged(r), "applied");
}

TEST(PricingEngineRefusal, CustomersOnlyCodeRequiresLogin) {
    discount_code c = percent_off("MEMBERS", "10%");
    c.audience = discount_audience::customers_only;
    pricing_request r = one_code_cart(c);
    EXPECT_EQ(judged(r), "login_required");
    r.customer = user_id(7);
    EXPECT_EQ(judged(r), "applied");
}

TEST(PricingEngineRefusal, PerCustomerLimitRequiresLogin) {
    discount_code c = percent_off("ONEEACH", "10%");
    c.per_customer_limit = 1;
    pricing_request r = one_code_cart(c);
    EXPECT_EQ(judged(r), "login_required");
    r.customer = user_id(7);
    EXPECT_EQ(judged(r), "applied");
}

TEST(PricingEngineRefusal, StaffOnlyCodeIsRefusedToACustomer) {
    discount_code c = percent_off("STAFF", "30%");
    c.audience = discount_audience::staff_only;
    pricing_request r = one_code_cart(c);
    r.customer = user_id(7);
    EXPECT_EQ(judged(r), "staff_only");
    r.staff = true;
    EXPECT_EQ(judged(r), "applied");
}

TEST(PricingEngineRefusal, MinimumSubtotalNotMetSaysHowMuchIsMissing) {
    // 2 x 20.00 = 40.00 against 50.00: 10.00 missing.
    discount_code c = percent_off("BIGSPEND", "10%");
    c.min_subtotal = dollars("50.00");
    const auto b = usd_engine().price(one_code_cart(c));
    EXPECT_EQ(outcome(b, "BIGSPEND"), "minimum_subtotal_not_met");
    const refused_discount* r = refused_entry(b, "BIGSPEND");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->missing_amount, std::optional<money>(dollars("10.00")));
    EXPECT_FALSE(r->message.empty());
    EXPECT_EQ(b.discount_total, money::zero(usd()));
}

TEST(PricingEngineRefusal, MinimumSubtotalMetExactlyIsAccepted) {
    discount_code c = percent_off("BIGSPEND", "10%");
    c.min_subtotal = dollars("40.00");
    EXPECT_EQ(judged(one_code_cart(c)), "applied");
}

TEST(PricingEngineRefusal, MinimumSubtotalCountsEligibleLinesAtSalePrices) {
    // Product 1 lists at 60.00 but sells at 45.00; product 2's 100.00 is out of scope.
    // 50.00 - 45.00 = 5.00 missing.
    discount_code c = for_products(percent_off("SHOES", "10%"), {1});
    c.min_subtotal = dollars("50.00");
    const auto b =
        usd_engine().price(cart({on_sale(line(1, "60.00"), "45.00"), line(2, "100.00")}, {c}));
    EXPECT_EQ(outcome(b, "SHOES"), "minimum_subtotal_not_met");
    const refused_discount* r = refused_entry(b, "SHOES");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->missing_amount, std::optional<money>(dollars("5.00")));
}

TEST(PricingEngineRefusal, MinimumQuantityNotMetSaysHowManyAreMissing) {
    discount_code c = percent_off("BULK", "10%");
    c.min_quantity = 5;
    const auto b = usd_engine().price(one_code_cart(c));  // 2 units
    EXPECT_EQ(outcome(b, "BULK"), "minimum_quantity_not_met");
    const refused_discount* r = refused_entry(b, "BULK");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->missing_quantity, 3);
    EXPECT_FALSE(r->message.empty());
}

TEST(PricingEngineRefusal, MinimumQuantityCountsOnlyEligibleLines) {
    // 2 units of product 1 are eligible; the 10 units of product 2 are not: 1 missing.
    discount_code c = for_products(percent_off("BULK", "10%"), {1});
    c.min_quantity = 3;
    const auto b = usd_engine().price(cart({line(1, "1.00", 2), line(2, "1.00", 10)}, {c}));
    EXPECT_EQ(outcome(b, "BULK"), "minimum_quantity_not_met");
    const refused_discount* r = refused_entry(b, "BULK");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->missing_quantity, 1);
}

TEST(PricingEngineRefusal, MinimumQuantityMetExactlyIsAccepted) {
    discount_code c = percent_off("BULK", "10%");
    c.min_quantity = 2;
    EXPECT_EQ(judged(one_code_cart(c)), "applied");
}

TEST(PricingEngineRefusal, ScopeMatchingNoLineHasNoEligibleItems) {
    EXPECT_EQ(judged(one_code_cart(for_products(percent_off("OTHER", "10%"), {99}))),
              "no_eligible_items");
    EXPECT_EQ(judged(one_code_cart(for_categories(percent_off("OTHER", "10%"), {99}))),
              "no_eligible_items");
    // Category 11's parent is 1; a code on a sibling (12) does not match.
    EXPECT_EQ(judged(one_code_cart(for_categories(percent_off("OTHER", "10%"), {12}))),
              "no_eligible_items");
}

TEST(PricingEngineRefusal, RefusedCodesAreListedInRequestOrder) {
    discount_code late = percent_off("ZZLATE", "10%");
    late.ends_at = noon();
    discount_code off = percent_off("AAOFF", "10%");
    off.active = false;
    const discount_code nowhere = for_products(percent_off("MMNONE", "10%"), {99});
    const auto b = usd_engine().price(
        cart({line(1, "10.00")}, {late, percent_off("OK10", "10%"), off, nowhere}));
    ASSERT_EQ(b.refused.size(), 3U);
    EXPECT_EQ(b.refused[0].code, "ZZLATE");
    EXPECT_EQ(b.refused[0].reason, discount_refusal::expired);
    EXPECT_EQ(b.refused[1].code, "AAOFF");
    EXPECT_EQ(b.refused[1].reason, discount_refusal::inactive);
    EXPECT_EQ(b.refused[2].code, "MMNONE");
    EXPECT_EQ(b.refused[2].reason, discount_refusal::no_eligible_items);
    EXPECT_EQ(applied_codes(b), std::vector<std::string>{"OK10"});
}

// ---- Exclusivity ------------------------------------------------------------------------

TEST(PricingEngineExclusivity, HighestPriorityExclusiveCodeAppliesAlone) {
    const auto b = usd_engine().price(
        cart({line(1, "100.00")},
             {percent_off("PLAIN", "10%"), exclusive(with_priority(percent_off("SOLO", "20%"), 10)),
              amount_off("FIVE", "5.00")}));
    EXPECT_EQ(outcome(b, "SOLO"), "applied");
    EXPECT_EQ(outcome(b, "PLAIN"), "not_combinable");
    EXPECT_EQ(outcome(b, "FIVE"), "not_combinable");
    EXPECT_EQ(b.discount_total, dollars("20.00"));
}

TEST(PricingEngineExclusivity, ExclusiveCodeBelowANonExclusiveOneIsRefused) {
    const auto b = usd_engine().price(
        cart({line(1, "100.00")},
             {exclusive(percent_off("SOLO", "20%")), with_priority(percent_off("PLAIN", "10%"), 10),
              amount_off("FIVE", "5.00")}));
    EXPECT_EQ(outcome(b, "SOLO"), "not_combinable");
    EXPECT_EQ(outcome(b, "PLAIN"), "applied");
    EXPECT_EQ(outcome(b, "FIVE"), "applied");
    // PLAIN first (priority 10): 10.00, then FIVE: 5.00.
    EXPECT_EQ(b.discount_total, dollars("15.00"));
}

TEST(PricingEngineExclusivity, PriorityTieIsDecidedByTheSmallestCode) {
    const auto exclusive_first = usd_engine().price(cart(
        {line(1, "100.00")}, {percent_off("BBB", "10%"), exclusive(percent_off("AAA", "20%"))}));
    EXPECT_EQ(outcome(exclusive_first, "AAA"), "applied");
    EXPECT_EQ(outcome(exclusive_first, "BBB"), "not_combinable");

    const auto plain_first = usd_engine().price(cart(
        {line(1, "100.00")}, {exclusive(percent_off("BBB", "20%")), percent_off("AAA", "10%")}));
    EXPECT_EQ(outcome(plain_first, "AAA"), "applied");
    EXPECT_EQ(outcome(plain_first, "BBB"), "not_combinable");
}

TEST(PricingEngineExclusivity, RefusedCodeDoesNotDecide) {
    // The expired exclusive code has the highest priority but was not accepted.
    discount_code late = exclusive(with_priority(percent_off("LATE", "50%"), 100));
    late.ends_at = noon();
    const auto b = usd_engine().price(
        cart({line(1, "100.00")}, {late, percent_off("PLAIN", "10%"), amount_off("FIVE", "5.00")}));
    EXPECT_EQ(outcome(b, "LATE"), "expired");
    EXPECT_EQ(outcome(b, "PLAIN"), "applied");
    EXPECT_EQ(outcome(b, "FIVE"), "applied");
}

TEST(PricingEngineExclusivity, TwoExclusiveCodesKeepOnlyTheHigher) {
    const auto b = usd_engine().price(
        cart({line(1, "100.00")}, {exclusive(with_priority(percent_off("LOW", "50%"), 1)),
                                   exclusive(with_priority(percent_off("HIGH", "10%"), 2))}));
    EXPECT_EQ(outcome(b, "HIGH"), "applied");
    EXPECT_EQ(outcome(b, "LOW"), "not_combinable");
    EXPECT_EQ(b.discount_total, dollars("10.00"));
}

TEST(PricingEngineExclusivity, SingleExclusiveCodeApplies) {
    EXPECT_EQ(judged(one_code_cart(exclusive(percent_off("SOLO", "10%")))), "applied");
}

// ---- Scopes ------------------------------------------------------------------------------

TEST(PricingEngineScope, ProductCodeCoversEveryLineOfItsProducts) {
    // 10 % of 10.00 + 30.00 = 4.00, split 10:30 -> 1.00 and 3.00.
    const auto b = usd_engine().price(cart({line(1, "10.00"), line(2, "20.00"), line(1, "30.00")},
                                           {for_products(percent_off("P10", "10%"), {1})}));
    EXPECT_EQ(share(b, 0, "P10"), dollars("1.00"));
    EXPECT_EQ(share(b, 1, "P10"), money::zero(usd()));
    EXPECT_EQ(share(b, 2, "P10"), dollars("3.00"));
    const applied_discount* a = applied_entry(b, "P10");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->scope, discount_scope::products);
    EXPECT_EQ(a->eligible_lines, 2U);
    EXPECT_EQ(a->eligible_subtotal, dollars("40.00"));
    EXPECT_EQ(a->amount, dollars("4.00"));
    EXPECT_EQ(b.lines[1].discount, money::zero(usd()));
}

// Category 1 has the sub-category 11; category 2 is unrelated.
std::vector<pricing_line> category_lines() {
    return {in_categories(line(1, "10.00"), {11, 1}), in_categories(line(2, "20.00"), {1}),
            in_categories(line(3, "40.00"), {2}), line(4, "5.00")};
}

TEST(PricingEngineScope, CategoryCodeCoversSubCategories) {
    // 50 % of 10.00 + 20.00.
    const auto b = usd_engine().price(
        cart(category_lines(), {for_categories(percent_off("CAT1", "50%"), {1})}));
    EXPECT_EQ(share(b, 0, "CAT1"), dollars("5.00"));
    EXPECT_EQ(share(b, 1, "CAT1"), dollars("10.00"));
    EXPECT_EQ(b.lines[2].discount, money::zero(usd()));
    EXPECT_EQ(b.lines[3].discount, money::zero(usd()));
    const applied_discount* a = applied_entry(b, "CAT1");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->scope, discount_scope::categories);
    EXPECT_EQ(a->eligible_lines, 2U);
    EXPECT_EQ(a->eligible_subtotal, dollars("30.00"));
}

TEST(PricingEngineScope, CategoryCodeDoesNotCoverParentCategories) {
    const auto b = usd_engine().price(
        cart(category_lines(), {for_categories(percent_off("C11", "50%"), {11})}));
    EXPECT_EQ(share(b, 0, "C11"), dollars("5.00"));
    EXPECT_EQ(b.lines[1].discount, money::zero(usd()));
    EXPECT_EQ(b.discount_total, dollars("5.00"));
}

TEST(PricingEngineScope, CategoryCodeWithSeveralCategoriesCoversEach) {
    const auto b = usd_engine().price(
        cart(category_lines(), {for_categories(percent_off("CAT2", "50%"), {11, 2})}));
    EXPECT_EQ(share(b, 0, "CAT2"), dollars("5.00"));
    EXPECT_EQ(share(b, 2, "CAT2"), dollars("20.00"));
    EXPECT_EQ(b.discount_total, dollars("25.00"));
}

TEST(PricingEngineScope, OrderCodeCoversEveryLine) {
    // 10 % of 75.00 = 7.50, split 10:20:40:5 -> 1.00, 2.00, 4.00, 0.50.
    const auto b = usd_engine().price(cart(category_lines(), {percent_off("ALL10", "10%")}));
    EXPECT_EQ(share(b, 0, "ALL10"), dollars("1.00"));
    EXPECT_EQ(share(b, 1, "ALL10"), dollars("2.00"));
    EXPECT_EQ(share(b, 2, "ALL10"), dollars("4.00"));
    EXPECT_EQ(share(b, 3, "ALL10"), dollars("0.50"));
    const applied_discount* a = applied_entry(b, "ALL10");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->eligible_lines, 4U);
    EXPECT_EQ(a->eligible_subtotal, dollars("75.00"));
}

// ---- Stacking ----------------------------------------------------------------------------

TEST(PricingEngineStacking, LineLevelCodesApplyBeforeOrderLevelCodes) {
    // The order code has the higher priority but its level comes second:
    // 10 % of 100.00 = 10.00, then 10 % of the 90.00 left = 9.00.
    const auto b = usd_engine().price(
        cart({line(1, "100.00")}, {with_priority(percent_off("ORDER10", "10%"), 100),
                                   for_products(percent_off("PROD10", "10%"), {1})}));
    EXPECT_EQ(applied_codes(b), (std::vector<std::string>{"PROD10", "ORDER10"}));
    EXPECT_EQ(applied_entry(b, "PROD10")->amount, dollars("10.00"));
    EXPECT_EQ(applied_entry(b, "ORDER10")->amount, dollars("9.00"));
    EXPECT_EQ(b.lines[0].discount, dollars("19.00"));
    EXPECT_EQ(b.total, dollars("81.00"));
}

TEST(PricingEngineStacking, HigherPriorityAppliesFirstWithinALevel) {
    // HALF (priority 5) first: 5.00 of 10.00; then EIGHT takes only the 5.00 left.
    // (The other order would be 8.00, then 50 % of 2.00 = 1.00.)
    const auto b = usd_engine().price(
        cart({line(1, "10.00")}, {with_priority(amount_off("EIGHT", "8.00"), 1),
                                  with_priority(percent_off("HALF", "50%"), 5)}));
    EXPECT_EQ(applied_codes(b), (std::vector<std::string>{"HALF", "EIGHT"}));
    EXPECT_EQ(applied_entry(b, "HALF")->amount, dollars("5.00"));
    EXPECT_EQ(applied_entry(b, "EIGHT")->amount, dollars("5.00"));
    EXPECT_EQ(b.lines[0].total, money::zero(usd()));
}

TEST(PricingEngineStacking, NegativePriorityComesAfterZero) {
    const auto b =
        usd_engine().price(cart({line(1, "10.00")}, {with_priority(percent_off("HALF", "50%"), -1),
                                                     amount_off("EIGHT", "8.00")}));
    // EIGHT (0) first: 8.00; then HALF: 50 % of 2.00 = 1.00.
    EXPECT_EQ(applied_codes(b), (std::vector<std::string>{"EIGHT", "HALF"}));
    EXPECT_EQ(applied_entry(b, "HALF")->amount, dollars("1.00"));
    EXPECT_EQ(b.total, dollars("1.00"));
}

TEST(PricingEngineStacking, EqualPrioritiesApplyInCodeOrder) {
    // Given as BBB, AAA; AAA (50 %) applies first: 5.00, then BBB takes the 5.00 left.
    const auto b = usd_engine().price(
        cart({line(1, "10.00")}, {amount_off("BBB", "8.00"), percent_off("AAA", "50%")}));
    EXPECT_EQ(applied_codes(b), (std::vector<std::string>{"AAA", "BBB"}));
    EXPECT_EQ(applied_entry(b, "AAA")->amount, dollars("5.00"));
    EXPECT_EQ(applied_entry(b, "BBB")->amount, dollars("5.00"));
}

TEST(PricingEngineStacking, ProductAndCategoryCodesShareTheLineLevelByPriority) {
    // TWO (product, priority 2) first: 2.00 of 10.00; then HALFCAT: 50 % of 8.00 = 4.00.
    const auto b = usd_engine().price(
        cart({in_categories(line(1, "10.00"), {1})},
             {with_priority(for_categories(percent_off("HALFCAT", "50%"), {1}), 1),
              with_priority(for_products(amount_off("TWO", "2.00"), {1}), 2)}));
    EXPECT_EQ(applied_codes(b), (std::vector<std::string>{"TWO", "HALFCAT"}));
    EXPECT_EQ(applied_entry(b, "HALFCAT")->amount, dollars("4.00"));
    EXPECT_EQ(b.total, dollars("4.00"));
}

TEST(PricingEngineStacking, LaterCodesAreSplitByWhatEachLineStillCosts) {
    // HALF6 takes 3.00 off the 6.00 line; the lines then cost 3.00 and 4.00, so 3.50 off
    // the order splits 3:4 -> 1.50 and 2.00 (not 6:4, which would be 2.10 and 1.40).
    const auto b = usd_engine().price(
        cart({line(1, "6.00"), line(2, "4.00")},
             {for_products(percent_off("HALF6", "50%"), {1}), amount_off("OFF350", "3.50")}));
    EXPECT_EQ(share(b, 0, "HALF6"), dollars("3.00"));
    EXPECT_EQ(share(b, 0, "OFF350"), dollars("1.50"));
    EXPECT_EQ(share(b, 1, "OFF350"), dollars("2.00"));
    EXPECT_EQ(b.lines[0].total, dollars("1.50"));
    EXPECT_EQ(b.lines[1].total, dollars("2.00"));
    const applied_discount* a = applied_entry(b, "OFF350");
    ASSERT_NE(a, nullptr);
    // eligible_subtotal is before codes.
    EXPECT_EQ(a->eligible_subtotal, dollars("10.00"));
}

TEST(PricingEngineStacking, FixedCodeLargerThanWhatIsLeftTakesOnlyThat) {
    const auto b = usd_engine().price(cart({line(1, "10.00")}, {amount_off("FIFTEEN", "15.00")}));
    EXPECT_EQ(applied_entry(b, "FIFTEEN")->amount, dollars("10.00"));
    EXPECT_EQ(b.lines[0].discount, dollars("10.00"));
    EXPECT_EQ(b.lines[0].total, money::zero(usd()));
    EXPECT_EQ(b.total, money::zero(usd()));
}

TEST(PricingEngineStacking, DiscountNeverMakesALineNegative) {
    // FIVE takes the 1.00 product 1 costs; HUNDRED takes the 3.00 left.
    const auto b = usd_engine().price(
        cart({line(1, "1.00"), line(2, "3.00")},
             {for_products(amount_off("FIVE", "5.00"), {1}), amount_off("HUNDRED", "100.00")}));
    EXPECT_EQ(applied_entry(b, "FIVE")->amount, dollars("1.00"));
    EXPECT_EQ(share(b, 0, "HUNDRED"), money::zero(usd()));
    EXPECT_EQ(share(b, 1, "HUNDRED"), dollars("3.00"));
    for (const priced_line& l : b.lines) EXPECT_EQ(l.total, money::zero(usd()));
    for (const line_discount& d : b.line_discounts) EXPECT_TRUE(d.amount.is_positive());
}

TEST(PricingEngineStacking, PercentageRoundsHalfUpOnTheEligibleTotal) {
    // 10 % of 3 x 0.05 = 0.015 -> 0.02 (per line it would be 3 x 0.01 = 0.03). Split
    // equally: 2 x 5 / 15 = 0.67 cent -> 0 each, the 2 cents to lines 0 and 1.
    const auto b = usd_engine().price(
        cart({line(1, "0.05"), line(2, "0.05"), line(3, "0.05")}, {percent_off("TEN", "10%")}));
    EXPECT_EQ(applied_entry(b, "TEN")->amount, dollars("0.02"));
    EXPECT_EQ(share(b, 0, "TEN"), dollars("0.01"));
    EXPECT_EQ(share(b, 1, "TEN"), dollars("0.01"));
    EXPECT_EQ(share(b, 2, "TEN"), money::zero(usd()));
    EXPECT_EQ(b.line_discounts.size(), 2U);  // no zero shares are listed
}

TEST(PricingEngineStacking, PercentageRoundsHalfUpWhateverTheTaxRounding) {
    // 10 % of 0.25 = 0.025 -> 0.03 half up (half even, the tax mode, would give 0.02).
    tax_settings tax;
    tax.rounding_mode = rounding::half_even;
    const auto b = usd_engine(tax).price(cart({line(1, "0.25")}, {percent_off("TEN", "10%")}));
    EXPECT_EQ(applied_entry(b, "TEN")->amount, dollars("0.03"));
}

// ---- Free shipping -----------------------------------------------------------------------

TEST(PricingEngineFreeShipping, TakesTheWholeCharge) {
    // Line 10.00 + 10 % tax 1.00; shipping 4.90 taken off, so no shipping tax: 11.00.
    tax_settings tax = flat_tax("10%");
    tax.shipping_rate = ratio::parse("10%");
    pricing_request r = cart({line(1, "10.00")}, {free_shipping("SHIPFREE")});
    r.destination = shipping_destination{"US", "NY"};
    const auto b = usd_engine(tax, {flat_method("std", dollars("4.90"))}).price(r);
    EXPECT_EQ(b.shipping.status, shipping_status::quoted);
    EXPECT_EQ(b.shipping.cost, dollars("4.90"));
    EXPECT_EQ(b.shipping.discount, b.shipping.cost);
    EXPECT_EQ(b.shipping.total, money::zero(usd()));
    EXPECT_EQ(b.shipping.tax, money::zero(usd()));
    EXPECT_EQ(b.shipping_total, money::zero(usd()));
    EXPECT_EQ(b.discount_total, money::zero(usd()));
    const applied_discount* a = applied_entry(b, "SHIPFREE");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->kind, discount_kind::free_shipping);
    EXPECT_EQ(a->amount, dollars("4.90"));
    EXPECT_TRUE(b.line_discounts.empty());
    EXPECT_EQ(b.tax_total, dollars("1.00"));
    EXPECT_EQ(b.total, dollars("11.00"));
}

TEST(PricingEngineFreeShipping, WithoutDestinationAppliesWithZero) {
    const auto b = usd_engine({}, {flat_method("std", dollars("4.90"))})
                       .price(cart({line(1, "10.00")}, {free_shipping("SHIPFREE")}));
    EXPECT_EQ(outcome(b, "SHIPFREE"), "applied");
    EXPECT_EQ(applied_entry(b, "SHIPFREE")->amount, money::zero(usd()));
    EXPECT_EQ(b.shipping.status, shipping_status::no_destination);
    EXPECT_EQ(b.shipping.discount, money::zero(usd()));
    EXPECT_EQ(b.total, dollars("10.00"));
}

TEST(PricingEngineFreeShipping, AppliesAfterLineAndOrderCodes) {
    pricing_request r = cart({line(1, "100.00")}, {with_priority(free_shipping("SHIPFREE"), 50),
                                                   percent_off("O10", "10%"),
                                                   for_products(percent_off("P10", "10%"), {1})});
    r.destination = shipping_destination{"US", ""};
    const auto b = usd_engine({}, {flat_method("std", dollars("4.90"))}).price(r);
    EXPECT_EQ(applied_codes(b), (std::vector<std::string>{"P10", "O10", "SHIPFREE"}));
    // Applied amounts: 10.00 + 9.00 = discount_total; 4.90 = shipping.discount.
    EXPECT_EQ(b.discount_total, dollars("19.00"));
    EXPECT_EQ(b.shipping.discount, dollars("4.90"));
    EXPECT_EQ(b.total, dollars("81.00"));
}

TEST(PricingEngineFreeShipping, ShippingIsQuotedOnTheGoodsValueAfterDiscounts) {
    // Free above 100.00: 110.00 is above, but 20 % off leaves 88.00, which is not.
    shipping_method m = flat_method("std", dollars("4.90"));
    m.value.free_above = dollars("100.00");
    const auto engine = usd_engine({}, {m});
    pricing_request r = cart({line(1, "110.00")});
    r.destination = shipping_destination{"US", ""};
    EXPECT_EQ(engine.price(r).shipping.cost, money::zero(usd()));
    r.codes.push_back(discount_offer{percent_off("TWENTY", "20%"), 0});
    const auto b = engine.price(r);
    EXPECT_EQ(b.shipping.cost, dollars("4.90"));
    EXPECT_EQ(b.total, dollars("92.90"));
}

// ---- Shipping: the original shop's IRR rule ----------------------------------------------

// Post: anywhere in IR, under 1 kg (up to 999 g) 20,000 IRR, up to 1999 g 40,000 IRR, no
// excess. Courier: Tehran only, up to 4999 g 35,000 IRR.
pricing_engine irr_engine(tax_settings tax = {}) {
    shipping_method post;
    post.code = "post";
    post.name = "Post";
    post.zones = {{"IR", ""}};
    post.bands = {{weight::of_grams(999), rials("20000")},
                  {weight::of_grams(1999), rials("40000")}};
    shipping_method courier;
    courier.code = "courier";
    courier.name = "Courier";
    courier.zones = {{"IR", "Tehran"}};
    courier.bands = {{weight::of_grams(4999), rials("35000")}};
    return pricing_engine(irr(), shipping_calculator({post, courier}, irr()), std::move(tax));
}

// `units` units of 150,000 IRR weighing `grams` each, to `province` (none if empty).
pricing_request irr_cart(std::int64_t units, std::int64_t grams, const std::string& province,
                         std::string method = "") {
    pricing_request r = cart({weighing(line(1, "150000", units, irr()), grams)});
    if (!province.empty()) r.destination = shipping_destination{"IR", province};
    r.shipping_method = std::move(method);
    return r;
}

TEST(PricingEngineShipping, NoDestinationLeavesShippingUnpriced) {
    const auto b = irr_engine().price(irr_cart(3, 500, ""));
    EXPECT_EQ(b.shipping.status, shipping_status::no_destination);
    EXPECT_EQ(b.shipping.method_code, "");
    EXPECT_EQ(b.shipping.cost, money::zero(irr()));
    EXPECT_EQ(b.shipping.total, money::zero(irr()));
    EXPECT_TRUE(b.shipping.options.empty());
    EXPECT_EQ(b.shipping_total, money::zero(irr()));
    EXPECT_EQ(b.total, rials("450000"));
}

TEST(PricingEngineShipping, ParcelUnderOneKilogramCostsTwentyThousand) {
    // 3 x 333 g = 999 g to Shiraz: only post serves it.
    const auto b = irr_engine().price(irr_cart(3, 333, "Shiraz"));
    EXPECT_EQ(b.shipping.status, shipping_status::quoted);
    EXPECT_EQ(b.shipping.method_code, "post");
    EXPECT_EQ(b.shipping.cost, rials("20000"));
    EXPECT_EQ(b.shipping_total, rials("20000"));
    ASSERT_EQ(b.shipping.options.size(), 1U);
    EXPECT_EQ(b.shipping.options[0].method_code, "post");
    EXPECT_EQ(b.total, rials("470000"));
}

TEST(PricingEngineShipping, OneKilogramIsInTheSecondBand) {
    EXPECT_EQ(irr_engine().price(irr_cart(2, 500, "Shiraz")).shipping.cost, rials("40000"));
    EXPECT_EQ(irr_engine().price(irr_cart(1, 1999, "Shiraz")).shipping.cost, rials("40000"));
}

TEST(PricingEngineShipping, CheapestMethodIsChosenAndEveryOptionListed) {
    // 1500 g to Tehran: courier 35,000 < post 40,000.
    const auto b = irr_engine().price(irr_cart(3, 500, "Tehran"));
    EXPECT_EQ(b.shipping.status, shipping_status::quoted);
    EXPECT_EQ(b.shipping.method_code, "courier");
    EXPECT_EQ(b.shipping.cost, rials("35000"));
    ASSERT_EQ(b.shipping.options.size(), 2U);
    EXPECT_EQ(b.shipping.options[0].method_code, "courier");
    EXPECT_EQ(b.shipping.options[0].cost, rials("35000"));
    EXPECT_EQ(b.shipping.options[1].method_code, "post");
    EXPECT_EQ(b.shipping.options[1].cost, rials("40000"));
    EXPECT_EQ(b.total, rials("485000"));

    // 500 g to Tehran: post 20,000 < courier 35,000.
    const auto light = irr_engine().price(irr_cart(1, 500, "Tehran"));
    EXPECT_EQ(light.shipping.method_code, "post");
    EXPECT_EQ(light.shipping.cost, rials("20000"));
    ASSERT_EQ(light.shipping.options.size(), 2U);
    EXPECT_EQ(light.shipping.options[0].method_code, "post");
}

TEST(PricingEngineShipping, RequestedMethodIsHonoured) {
    const auto b = irr_engine().price(irr_cart(3, 500, "Tehran", "post"));
    EXPECT_EQ(b.shipping.status, shipping_status::quoted);
    EXPECT_EQ(b.shipping.method_code, "post");
    EXPECT_EQ(b.shipping.cost, rials("40000"));
    EXPECT_EQ(b.shipping.options.size(), 2U);
}

TEST(PricingEngineShipping, RequestedMethodThatDoesNotApplyIsUnavailable) {
    // The courier does not serve Shiraz; post (20,000) would.
    const auto b = irr_engine().price(irr_cart(1, 500, "Shiraz", "courier"));
    EXPECT_EQ(b.shipping.status, shipping_status::method_unavailable);
    EXPECT_EQ(b.shipping.method_code, "");
    EXPECT_EQ(b.shipping.cost, money::zero(irr()));
    EXPECT_EQ(b.shipping.total, money::zero(irr()));
    EXPECT_EQ(b.shipping_total, money::zero(irr()));
    ASSERT_EQ(b.shipping.options.size(), 1U);
    EXPECT_EQ(b.shipping.options[0].method_code, "post");
    EXPECT_EQ(b.shipping.options[0].cost, rials("20000"));
    EXPECT_EQ(b.total, rials("150000"));
}

TEST(PricingEngineShipping, UnknownRequestedMethodIsUnavailable) {
    const auto b = irr_engine().price(irr_cart(1, 500, "Tehran", "drone"));
    EXPECT_EQ(b.shipping.status, shipping_status::method_unavailable);
    EXPECT_EQ(b.shipping.cost, money::zero(irr()));
    EXPECT_EQ(b.shipping.options.size(), 2U);
}

TEST(PricingEngineShipping, NothingAppliesIsNoMethodAvailable) {
    // 2500 g to Shiraz: over post's top band, and the courier is Tehran only.
    const auto b = irr_engine().price(irr_cart(5, 500, "Shiraz"));
    EXPECT_EQ(b.shipping.status, shipping_status::no_method_available);
    EXPECT_EQ(b.shipping.method_code, "");
    EXPECT_EQ(b.shipping.cost, money::zero(irr()));
    EXPECT_TRUE(b.shipping.options.empty());
    EXPECT_EQ(b.total, rials("750000"));
    // The same weight to Tehran goes by courier.
    EXPECT_EQ(irr_engine().price(irr_cart(5, 500, "Tehran")).shipping.method_code, "courier");
}

TEST(PricingEngineShipping, ShippingAndLinesAreTaxed) {
    // VAT 9 % (IR): 2 x 150,000 = 300,000 -> 27,000; 75,000 -> 6,750; courier 35,000 -> 3,150.
    // Total 375,000 + 35,000 + 36,900 = 446,900.
    tax_settings tax;
    tax_rate vat = rate_everywhere("VAT 9%", "9%");
    vat.country = "IR";
    tax.rates = {vat};
    tax.shipping_rate = ratio::parse("9%");
    pricing_request r = cart(
        {weighing(line(1, "150000", 2, irr()), 500), weighing(line(2, "75000", 1, irr()), 400)});
    r.destination = shipping_destination{"IR", "Tehran"};
    const auto b = irr_engine(tax).price(r);
    EXPECT_EQ(b.total_weight, weight::of_grams(1400));
    EXPECT_EQ(b.shipping.method_code, "courier");
    EXPECT_EQ(b.lines[0].tax, rials("27000"));
    EXPECT_EQ(tax_name_of(b, 0), "VAT 9%");
    EXPECT_EQ(b.lines[1].tax, rials("6750"));
    EXPECT_EQ(b.shipping.tax, rials("3150"));
    EXPECT_EQ(b.tax_total, rials("36900"));
    EXPECT_EQ(b.total, rials("446900"));
}

TEST(PricingEngineShipping, FreeShippingCodeInRials) {
    pricing_request r = irr_cart(3, 500, "Tehran");
    r.codes.push_back(discount_offer{free_shipping("FREESHIP"), 0});
    const auto b = irr_engine().price(r);
    EXPECT_EQ(b.shipping.cost, rials("35000"));
    EXPECT_EQ(b.shipping.discount, rials("35000"));
    EXPECT_EQ(b.shipping.total, money::zero(irr()));
    EXPECT_EQ(applied_entry(b, "FREESHIP")->amount, rials("35000"));
    EXPECT_EQ(b.total, rials("450000"));
}

// ---- Tax ---------------------------------------------------------------------------------

// Rates given least specific first, so that list order cannot explain the choice.
tax_settings layered_rates() {
    auto rate = [](std::string name, std::string_view percent, std::vector<std::int64_t> cats,
                   std::string country, std::string province) {
        tax_rate r = rate_everywhere(std::move(name), percent);
        for (const std::int64_t c : cats) r.categories.emplace_back(c);
        r.country = std::move(country);
        r.province = std::move(province);
        return r;
    };
    tax_settings t;
    t.rates = {
        rate("ALL", "1%", {}, "*", ""),           rate("COUNTRY", "2%", {}, "DE", ""),
        rate("PROVINCE", "3%", {}, "DE", "BY"),   rate("CAT_ALL", "4%", {1}, "*", ""),
        rate("CAT_COUNTRY", "5%", {1}, "DE", ""), rate("CAT_PROVINCE", "6%", {1}, "DE", "BY")};
    return t;
}

struct rate_case {
    std::optional<shipping_destination> to;
    std::string in_category;  // for the line in category 11 (under 1)
    std::string elsewhere;    // for the line without a category
};

TEST(PricingEngineTax, MostSpecificRateIsChosen) {
    const auto engine = usd_engine(layered_rates());
    const std::vector<rate_case> cases = {
        {shipping_destination{"DE", "BY"}, "CAT_PROVINCE", "PROVINCE"},
        {shipping_destination{"DE", "HE"}, "CAT_COUNTRY", "COUNTRY"},
        {shipping_destination{"DE", ""}, "CAT_COUNTRY", "COUNTRY"},
        {shipping_destination{"FR", ""}, "CAT_ALL", "ALL"},
        {std::nullopt, "CAT_ALL", "ALL"},
    };
    for (const rate_case& c : cases) {
        pricing_request r = cart({in_categories(line(1, "100.00"), {11, 1}), line(2, "100.00")});
        r.destination = c.to;
        const auto b = engine.price(r);
        const std::string where = c.to ? c.to->country + "/" + c.to->province : "none";
        ASSERT_EQ(b.lines.size(), 2U);
        EXPECT_EQ(tax_name_of(b, 0), c.in_category) << where;
        EXPECT_EQ(tax_name_of(b, 1), c.elsewhere) << where;
    }
}

TEST(PricingEngineTax, ChosenRateGivesTheTax) {
    pricing_request r = cart({in_categories(line(1, "100.00"), {11, 1}), line(2, "100.00")});
    r.destination = shipping_destination{"DE", "BY"};
    const auto b = usd_engine(layered_rates()).price(r);
    EXPECT_EQ(b.lines[0].tax_rate, ratio::parse("6%"));
    EXPECT_EQ(b.lines[0].tax, dollars("6.00"));
    EXPECT_EQ(b.lines[1].tax_rate, ratio::parse("3%"));
    EXPECT_EQ(b.lines[1].tax, dollars("3.00"));
    EXPECT_EQ(b.tax_total, dollars("9.00"));
    EXPECT_EQ(b.total, dollars("209.00"));
}

TEST(PricingEngineTax, EqualSpecificityGoesToTheEarlierRate) {
    tax_settings t;
    t.rates = {rate_everywhere("FIRST", "7%"), rate_everywhere("SECOND", "8%")};
    EXPECT_EQ(tax_name_of(usd_engine(t).price(cart({line(1, "1.00")})), 0), "FIRST");

    // Both are "category and *": the parent's rate comes first in the list and wins.
    tax_rate parent = rate_everywhere("ON_PARENT", "5%");
    parent.categories = {category_id(1)};
    tax_rate child = rate_everywhere("ON_CHILD", "6%");
    child.categories = {category_id(11)};
    t.rates = {parent, child};
    EXPECT_EQ(tax_name_of(usd_engine(t).price(cart({in_categories(line(1, "1.00"), {11, 1})})), 0),
              "ON_PARENT");
}

TEST(PricingEngineTax, NoMatchingRateMeansNoTax) {
    tax_settings t;
    tax_rate de = rate_everywhere("DE", "19%");
    de.country = "DE";
    t.rates = {de};
    const auto engine = usd_engine(t);
    pricing_request r = cart({line(1, "10.00")});
    for (const auto& to : {std::optional<shipping_destination>(),
                           std::optional<shipping_destination>(shipping_destination{"FR", ""})}) {
        r.destination = to;
        const auto b = engine.price(r);
        EXPECT_EQ(b.lines[0].tax, money::zero(usd()));
        EXPECT_EQ(tax_name_of(b, 0), "");
        EXPECT_EQ(b.lines[0].tax_rate, ratio());
        EXPECT_EQ(b.tax_total, money::zero(usd()));
        EXPECT_EQ(b.total, dollars("10.00"));
    }
}

TEST(PricingEngineTax, ShippingRateTaxesTheShippingTotal) {
    // 10.00 untaxed + shipping 4.90 + 10 % of 4.90 = 0.49: 15.39.
    tax_settings t;
    t.shipping_rate = ratio::parse("10%");
    pricing_request r = cart({line(1, "10.00")});
    r.destination = shipping_destination{"US", ""};
    const auto b = usd_engine(t, {flat_method("std", dollars("4.90"))}).price(r);
    EXPECT_EQ(b.shipping.tax, dollars("0.49"));
    EXPECT_EQ(b.tax_total, dollars("0.49"));
    EXPECT_EQ(b.total, dollars("15.39"));
}

TEST(PricingEngineTax, ShippingIsUntaxedWithoutAShippingRate) {
    pricing_request r = cart({line(1, "10.00")});
    r.destination = shipping_destination{"US", ""};
    const auto b = usd_engine(flat_tax("10%"), {flat_method("std", dollars("4.90"))}).price(r);
    EXPECT_EQ(b.shipping.tax, money::zero(usd()));
    EXPECT_EQ(b.tax_total, dollars("1.00"));
    EXPECT_EQ(b.total, dollars("15.90"));
}

TEST(PricingEngineTax, TaxIsOnTheLineAfterDiscounts) {
    // 100.00 - 10 % = 90.00; 90.00 x 19 % = 17.10.
    const auto b = usd_engine(flat_tax("19%"))
                       .price(cart({line(1, "100.00")}, {percent_off("TENOFF", "10%")}));
    EXPECT_EQ(b.lines[0].tax, dollars("17.10"));
    EXPECT_EQ(b.total, dollars("107.10"));
}

TEST(PricingEngineTax, RoundingModeIsHonoured) {
    // 0.50 x 5 % = 0.025.
    const std::vector<std::pair<rounding, std::string>> cases = {{rounding::half_up, "0.03"},
                                                                 {rounding::half_even, "0.02"},
                                                                 {rounding::down, "0.02"},
                                                                 {rounding::up, "0.03"}};
    for (const auto& [mode, expected] : cases) {
        tax_settings t = flat_tax("5%");
        t.rounding_mode = mode;
        EXPECT_EQ(usd_engine(t).price(cart({line(1, "0.50")})).lines[0].tax, dollars(expected))
            << rounding_name(mode);
    }
}

// ---- Validation --------------------------------------------------------------------------

TEST(PricingEngineValidation, QuantityBelowOneIsRefused) {
    const auto engine = usd_engine();
    expect_invalid([&] { (void)engine.price(cart({line(1, "1.00", 0)})); }, "lines");
    expect_invalid([&] { (void)engine.price(cart({line(1, "1.00", -1)})); }, "lines");
}

TEST(PricingEngineValidation, PriceInAnotherCurrencyIsRefused) {
    const auto engine = usd_engine();
    const currency eur = currency::of("EUR");
    expect_invalid([&] { (void)engine.price(cart({line(1, "1.00", 1, eur)})); }, "lines");
    pricing_line sale_in_eur = line(1, "1.00");
    sale_in_eur.sale_unit_price = money::parse("0.50", eur);
    expect_invalid([&] { (void)engine.price(cart({sale_in_eur})); }, "lines");
}

TEST(PricingEngineValidation, NegativePriceIsRefused) {
    const auto engine = usd_engine();
    pricing_line negative = line(1, "1.00");
    negative.unit_price = dollars("-1.00");
    negative.sale_unit_price = dollars("-1.00");
    expect_invalid([&] { (void)engine.price(cart({negative})); }, "lines");
    expect_invalid([&] { (void)engine.price(cart({on_sale(line(1, "1.00"), "-0.01")})); }, "lines");
}

TEST(PricingEngineValidation, SalePriceAboveListPriceIsRefused) {
    const auto engine = usd_engine();
    expect_invalid([&] { (void)engine.price(cart({on_sale(line(1, "1.00"), "1.01")})); }, "lines");
}

TEST(PricingEngineValidation, SameCodeTwiceIsRefused) {
    const auto engine = usd_engine();
    expect_invalid(
        [&] {
            (void)engine.price(cart({line(1, "1.00")},
                                    {percent_off("TWICE", "10%"), percent_off("TWICE", "10%")}));
        },
        "codes");
}

TEST(PricingEngineValidation, CodeWithMalformedRulesIsRefused) {
    const auto engine = usd_engine();
    auto price_with = [&](const discount_code& c) {
        (void)engine.price(cart({line(1, "1.00")}, {c}));
    };
    expect_invalid([&] { price_with(percent_off("ZERO", "0%")); }, "codes");
    expect_invalid([&] { price_with(amount_off("EURO", "1.00", currency::of("EUR"))); }, "codes");
    discount_code no_products = percent_off("NOPRODUCTS", "10%");
    no_products.scope = discount_scope::products;
    expect_invalid([&] { price_with(no_products); }, "codes");
}

TEST(PricingEngineValidation, CodeWithMalformedTextIsRefused) {
    // validate_discount_code counts the code text among a code's own rules; a lower-case code
    // would also defeat the case-insensitive "same code twice" check.
    const auto engine = usd_engine();
    for (const std::string& text : {std::string("lower"), std::string("AB")}) {
        expect_invalid(
            [&] { (void)engine.price(cart({line(1, "1.00")}, {percent_off(text, "10%")})); },
            "codes");
    }
}

TEST(PricingEngineValidation, BadDestinationCountryIsRefused) {
    const auto engine = usd_engine();
    for (const char* country : {"ir", "IRN", "", "I"}) {
        pricing_request r = cart({line(1, "1.00")});
        r.destination = shipping_destination{country, ""};
        expect_invalid([&] { (void)engine.price(r); }, "country");
    }
}

TEST(PricingEngineValidation, BadDestinationCountryIsRefusedEvenWithoutLines) {
    // The request is checked whole, not only the parts an empty cart would price.
    const auto engine = usd_engine({}, {flat_method("std", dollars("4.90"))});
    pricing_request r = cart({});
    r.destination = shipping_destination{"ir", ""};
    expect_invalid([&] { (void)engine.price(r); }, "country");
}

TEST(PricingEngineValidation, TotalQuantityOverflowIsAnArithmeticError) {
    // Two lines of 2^62 units each: every line is valid, their sum is not an int64.
    constexpr std::int64_t huge = std::int64_t{1} << 62;
    const auto engine = usd_engine();
    pricing_request r =
        cart({weighing(line(1, "0.00", huge), 0), weighing(line(2, "0.00", huge), 0)});
    EXPECT_THROW((void)engine.price(r), arithmetic_error);
    price_breakdown reused;
    EXPECT_THROW(engine.price_into(r, reused), arithmetic_error);
    // One such line alone is fine.
    const auto one = engine.price(cart({weighing(line(1, "0.00", huge), 0)}));
    EXPECT_EQ(one.total_quantity, huge);
    EXPECT_EQ(one.total, money::zero(usd()));
}

TEST(PricingEngineValidation, ConstructorRefusesBadTaxRates) {
    auto with_rate = [](tax_rate r) {
        tax_settings t;
        t.rates = {std::move(r)};
        return t;
    };
    auto build = [](tax_settings t) { (void)usd_engine(std::move(t)); };
    expect_invalid([&] { build(with_rate(rate_everywhere("Too much", "101%"))); }, "tax_rates");
    expect_invalid([&] { build(with_rate(rate_everywhere("Double", "2"))); }, "tax_rates");
    expect_invalid([&] { build(with_rate(rate_everywhere("Negative", "-1%"))); }, "tax_rates");
    expect_invalid([&] { build(with_rate(rate_everywhere("", "5%"))); }, "tax_rates");
    expect_invalid([&] { build(with_rate(rate_everywhere(std::string(101, 'x'), "5%"))); },
                   "tax_rates");
    tax_rate lower = rate_everywhere("Lower", "5%");
    lower.country = "de";
    expect_invalid([&] { build(with_rate(lower)); }, "tax_rates");
    tax_rate star_province = rate_everywhere("Star", "5%");
    star_province.province = "BY";
    expect_invalid([&] { build(with_rate(star_province)); }, "tax_rates");

    // The limits themselves are fine.
    EXPECT_NO_THROW(build(with_rate(rate_everywhere("All", "100%"))));
    EXPECT_NO_THROW(build(with_rate(rate_everywhere("Zero", "0%"))));
    EXPECT_NO_THROW(build(with_rate(rate_everywhere(std::string(100, 'x'), "5%"))));
}

TEST(PricingEngineValidation, ConstructorRefusesBadShippingRate) {
    tax_settings t;
    t.shipping_rate = ratio::of(3, 2);
    expect_invalid([&] { (void)usd_engine(t); }, "shipping_rate");
    t.shipping_rate = ratio::of(-1, 100);
    expect_invalid([&] { (void)usd_engine(t); }, "shipping_rate");
    t.shipping_rate = ratio::of(1, 1);
    EXPECT_NO_THROW((void)usd_engine(t));
}

TEST(PricingEngineValidation, ConstructorRefusesShippingInAnotherCurrency) {
    const currency eur = currency::of("EUR");
    expect_invalid(
        [&] {
            const pricing_engine e(
                usd(), shipping_calculator({flat_method("std", money::parse("1.00", eur))}, eur),
                tax_settings{});
        },
        "currency");
}

TEST(PricingEngineValidation, AccessorsReturnTheConfiguration) {
    tax_settings t = flat_tax("19%", tax_mode::inclusive, tax_rounding::per_unit);
    t.shipping_rate = ratio::parse("7%");
    const auto engine = usd_engine(t, {flat_method("std", dollars("4.90"))});
    EXPECT_EQ(engine.shop_currency(), usd());
    EXPECT_EQ(engine.tax().mode, tax_mode::inclusive);
    EXPECT_EQ(engine.tax().rounding, tax_rounding::per_unit);
    ASSERT_EQ(engine.tax().rates.size(), 1U);
    EXPECT_EQ(engine.tax().rates[0].name, "Tax");
    EXPECT_EQ(engine.tax().shipping_rate, std::optional<ratio>(ratio::parse("7%")));
    ASSERT_EQ(engine.shipping().methods().size(), 1U);
    EXPECT_EQ(engine.shipping().methods()[0].code, "std");
}

// ---- validate_discount_code ---------------------------------------------------------------

void expect_code_invalid(const discount_code& c, const std::string& field) {
    expect_invalid([&] { validate_discount_code(c, usd()); }, field);
}

TEST(ValidateDiscountCode, WellFormedCodesPass) {
    EXPECT_NO_THROW(validate_discount_code(percent_off("SAVE10", "10%"), usd()));
    EXPECT_NO_THROW(validate_discount_code(percent_off("ALL", "100%"), usd()));
    EXPECT_NO_THROW(validate_discount_code(amount_off("A-B_9", "0.01"), usd()));
    EXPECT_NO_THROW(validate_discount_code(free_shipping(std::string(64, 'Z')), usd()));
    EXPECT_NO_THROW(validate_discount_code(for_products(percent_off("PRD", "5%"), {1}), usd()));
    EXPECT_NO_THROW(validate_discount_code(for_categories(percent_off("CAT", "5%"), {1}), usd()));
    discount_code full = amount_off("FULL", "5.00");
    full.description = std::string(500, 'd');
    full.min_subtotal = dollars("0.00");
    full.min_quantity = 0;
    full.starts_at = noon();
    full.ends_at = noon().plus_micros(1);
    full.usage_limit = 1;
    full.per_customer_limit = 1;
    EXPECT_NO_THROW(validate_discount_code(full, usd()));
}

TEST(ValidateDiscountCode, CodeTextMustBeThreeToSixtyFourUpperCaseCharacters) {
    for (const std::string& text :
         {std::string(""), std::string("AB"), std::string(65, 'A'), std::string("save10"),
          std::string("SAVE 10"), std::string("SAVE!")}) {
        expect_code_invalid(percent_off(text, "10%"), "code");
    }
}

TEST(ValidateDiscountCode, DescriptionOfMoreThanFiveHundredCharactersIsRefused) {
    discount_code c = percent_off("LONG", "10%");
    c.description = std::string(501, 'd');
    expect_code_invalid(c, "description");
}

TEST(ValidateDiscountCode, PercentMustBeAboveZeroAndAtMostOne) {
    expect_code_invalid(percent_off("ZERO", "0"), "percent");
    expect_code_invalid(percent_off("OVER", "101%"), "percent");
    expect_code_invalid(percent_off("NEG", "-10%"), "percent");
}

TEST(ValidateDiscountCode, FixedAmountMustBePositiveInTheShopCurrency) {
    expect_code_invalid(amount_off("ZERO", "0.00"), "amount");
    expect_code_invalid(amount_off("NEG", "-1.00"), "amount");
    expect_code_invalid(amount_off("EURO", "1.00", currency::of("EUR")), "amount");
}

TEST(ValidateDiscountCode, ScopeNeedsItsList) {
    discount_code cats = percent_off("CATS", "10%");
    cats.scope = discount_scope::categories;
    expect_code_invalid(cats, "categories");
    discount_code prods = percent_off("PRODS", "10%");
    prods.scope = discount_scope::products;
    expect_code_invalid(prods, "products");
}

TEST(ValidateDiscountCode, MinimumsMustNotBeNegative) {
    discount_code c = percent_off("MIN", "10%");
    c.min_subtotal = dollars("-0.01");
    expect_code_invalid(c, "min_subtotal");
    c.min_subtotal = money::parse("1.00", currency::of("EUR"));
    expect_code_invalid(c, "min_subtotal");
    discount_code q = percent_off("MINQ", "10%");
    q.min_quantity = -1;
    expect_code_invalid(q, "min_quantity");
}

TEST(ValidateDiscountCode, EndMustBeAfterStart) {
    discount_code c = percent_off("WINDOW", "10%");
    c.starts_at = noon();
    c.ends_at = noon();
    expect_code_invalid(c, "ends_at");
    c.ends_at = noon().plus_seconds(-1);
    expect_code_invalid(c, "ends_at");
}

TEST(ValidateDiscountCode, LimitsMustBeAtLeastOne) {
    discount_code c = percent_off("LIMIT", "10%");
    c.usage_limit = 0;
    expect_code_invalid(c, "usage_limit");
    discount_code p = percent_off("PERCUST", "10%");
    p.per_customer_limit = 0;
    expect_code_invalid(p, "per_customer_limit");
}

TEST(DiscountNames, RefusalAndKindNamesAreStable) {
    for (const discount_refusal r :
         {discount_refusal::unknown_code, discount_refusal::inactive, discount_refusal::not_started,
          discount_refusal::expired, discount_refusal::exhausted, discount_refusal::already_used,
          discount_refusal::login_required, discount_refusal::staff_only,
          discount_refusal::minimum_subtotal_not_met, discount_refusal::minimum_quantity_not_met,
          discount_refusal::no_eligible_items, discount_refusal::not_combinable,
          discount_refusal::already_applied, discount_refusal::vetoed}) {
        EXPECT_EQ(std::string(discount_refusal_name(r)), reason_text(r));
    }
    EXPECT_EQ(std::string(discount_refusal_name(static_cast<discount_refusal>(999))), "unknown");
    EXPECT_EQ(std::string(discount_kind_name(discount_kind::percentage)), "percentage");
    EXPECT_EQ(std::string(discount_kind_name(discount_kind::fixed_amount)), "fixed_amount");
    EXPECT_EQ(std::string(discount_kind_name(discount_kind::free_shipping)), "free_shipping");
}

// ---- explain, determinism, price_into ------------------------------------------------------

// A request that exercises every part: sale price, line and order codes, free shipping,
// refusals, shipping and tax.
pricing_request busy_request() {
    discount_code late = percent_off("OLDCODE", "10%");
    late.ends_at = noon();
    discount_code staff = percent_off("STAFFONLY", "30%");
    staff.audience = discount_audience::staff_only;
    discount_code big = amount_off("BIGSPEND", "5.00");
    big.min_subtotal = dollars("1000.00");
    pricing_request r = cart({in_categories(on_sale(line(1, "20.00", 3), "15.00"), {11, 1}),
                              line(2, "7.35", 2), line(3, "0.99")},
                             {for_categories(percent_off("CAT10", "10%"), {1}), late,
                              amount_off("TWOOFF", "2.00"), staff, free_shipping("SHIPFREE"), big});
    r.customer = user_id(7);
    r.destination = shipping_destination{"US", "NY"};
    return r;
}

pricing_engine busy_engine() {
    tax_settings t = flat_tax("8.875%");
    t.shipping_rate = ratio::parse("8.875%");
    return usd_engine(t,
                      {flat_method("std", dollars("4.90")), flat_method("fast", dollars("12.00"))});
}

TEST(PricingEngineExplain, MentionsEveryCodeAndEveryRefusal) {
    const auto engine = busy_engine();
    const auto b = engine.price(busy_request());
    EXPECT_EQ(applied_codes(b), (std::vector<std::string>{"CAT10", "TWOOFF", "SHIPFREE"}));
    EXPECT_EQ(outcome(b, "OLDCODE"), "expired");
    EXPECT_EQ(outcome(b, "STAFFONLY"), "staff_only");
    EXPECT_EQ(outcome(b, "BIGSPEND"), "minimum_subtotal_not_met");
    const std::string text = engine.explain(b);
    for (const char* code : {"CAT10", "TWOOFF", "SHIPFREE", "OLDCODE", "STAFFONLY", "BIGSPEND"}) {
        EXPECT_NE(text.find(code), std::string::npos) << code << " missing from:\n" << text;
    }
    for (const char* reason : {"expired", "staff_only", "minimum_subtotal_not_met"}) {
        EXPECT_NE(text.find(reason), std::string::npos) << reason << " missing from:\n" << text;
    }
    EXPECT_NE(text.find(b.total.format()), std::string::npos) << "total missing:\n" << text;
}

TEST(PricingEngineDeterminism, SameRequestGivesTheSameBreakdownAndText) {
    const auto engine = busy_engine();
    const auto first = engine.price(busy_request());
    const auto second = engine.price(busy_request());
    EXPECT_EQ(first_difference(first, second), "");
    EXPECT_EQ(engine.explain(first), engine.explain(second));
    // A copy of the engine prices the same.
    const pricing_engine copy = engine;
    EXPECT_EQ(first_difference(first, copy.price(busy_request())), "");
}

TEST(PricingEngineDeterminism, PriceIntoReusedBreakdownEqualsPrice) {
    const auto engine = busy_engine();
    price_breakdown out;
    engine.price_into(busy_request(), out);
    EXPECT_EQ(first_difference(out, engine.price(busy_request())), "");
    // A smaller request into the same storage leaves nothing of the bigger one behind.
    const pricing_request small = cart({line(9, "1.00")});
    engine.price_into(small, out);
    EXPECT_EQ(first_difference(out, engine.price(small)), "");
    engine.price_into(busy_request(), out);
    EXPECT_EQ(first_difference(out, engine.price(busy_request())), "");
}

TEST(PricingEngineDeterminism, ConcurrentCallsAgree) {
    const auto engine = busy_engine();
    const auto expected = engine.price(busy_request());
    std::vector<std::string> differences(2);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < differences.size(); ++t) {
        threads.emplace_back([&, t] {
            price_breakdown out;
            for (int i = 0; i < 200 && differences[t].empty(); ++i) {
                engine.price_into(busy_request(), out);
                differences[t] = first_difference(out, expected);
            }
        });
    }
    for (std::thread& th : threads) th.join();
    for (const std::string& d : differences) EXPECT_EQ(d, "");
}

}  // namespace
}  // namespace shopcore

namespace shopcore {
namespace {

TEST(PricingEngineRounding, LineLevelPercentagesRoundOnEachLineOrderLevelOnTheAmount) {
    // Three lines of 0.05 at 10%: a category code prices each line, 0.005 -> 0.01 three times
    // (0.03); an order code takes round(0.15 x 10%) = 0.02 once and allocates it.
    const auto lines = [] {
        return std::vector<pricing_line>{in_categories(line(1, "0.05"), {7}),
                                         in_categories(line(2, "0.05"), {7}),
                                         in_categories(line(3, "0.05"), {7})};
    };
    const price_breakdown by_line =
        usd_engine().price(cart(lines(), {for_categories(percent_off("CAT10", "10%"), {7})}));
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(share(by_line, i, "CAT10"), dollars("0.01"));
    EXPECT_EQ(by_line.discount_total, dollars("0.03"));

    const price_breakdown by_order =
        usd_engine().price(cart(lines(), {percent_off("ALL10", "10%")}));
    EXPECT_EQ(by_order.discount_total, dollars("0.02"));
    EXPECT_EQ(share(by_order, 0, "ALL10"), dollars("0.01"));
    EXPECT_EQ(share(by_order, 1, "ALL10"), dollars("0.01"));
    EXPECT_EQ(share(by_order, 2, "ALL10"), dollars("0.00"));
}

}  // namespace
}  // namespace shopcore

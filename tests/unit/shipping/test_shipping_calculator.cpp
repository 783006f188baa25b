#include <shopcore/shipping/shipping_calculator.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <shopcore/core/currency.hpp>
#include <shopcore/core/error.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/core/ratio.hpp>
#include <shopcore/core/weight.hpp>
#include <shopcore/shipping/shipping_rule.hpp>

namespace shopcore {
namespace {

const currency irr = currency::of("IRR");
const currency usd = currency::of("USD");

money rial(std::int64_t whole) { return money::of_minor(whole * 100, irr); }
money cents(std::int64_t minor) { return money::of_minor(minor, usd); }
weight grams(std::int64_t g) { return weight::of_grams(g); }

const shipping_destination tehran{"IR", "Tehran"};

// The original shop's rule: under 1 kg 20,000 IRR, 1-2 kg 40,000 IRR; then our heavier band,
// up to 5 kg 70,000 IRR, and 15,000 IRR for each started kilogram above that.
shipping_method original_post() {
    shipping_method m;
    m.code = "post";
    m.name = "Post";
    m.zones = {{"IR", ""}};
    m.bands = {{grams(999), rial(20000)}, {grams(2000), rial(40000)}, {grams(5000), rial(70000)}};
    m.excess = excess_rule{grams(1000), rial(15000)};
    return m;
}

// A USD method with only value rules, for the value arithmetic.
shipping_method usd_method(std::string code = "m") {
    shipping_method m;
    m.code = std::move(code);
    m.name = "Method " + m.code;
    m.zones = {{"*", ""}};
    return m;
}

money only_cost(const shipping_calculator& calc, std::int64_t g, const money& value,
                const shipping_destination& to = tehran) {
    const auto quotes = calc.quote(grams(g), value, to);
    EXPECT_EQ(quotes.size(), 1U) << g << " g";
    return quotes.empty() ? money() : quotes.front().cost;
}

bool applies(const shipping_calculator& calc, std::int64_t g, const money& value,
             const shipping_destination& to = tehran) {
    return !calc.quote(grams(g), value, to).empty();
}

void expect_refused(std::vector<shipping_method> methods, const currency& cur,
                    const std::string& field) {
    try {
        const shipping_calculator calc(std::move(methods), cur);
        ADD_FAILURE() << "accepted; expected a refusal of " << field;
    } catch (const validation_error& e) {
        EXPECT_EQ(e.field(), field) << e.what();
    }
}

TEST(ShippingOriginalShop, ChargesByBandAtEveryLimit) {
    const shipping_calculator calc({original_post()}, irr);
    EXPECT_EQ(only_cost(calc, 0, rial(0)), rial(20000));
    EXPECT_EQ(only_cost(calc, 999, rial(0)), rial(20000));
    EXPECT_EQ(only_cost(calc, 1000, rial(0)), rial(40000));
    EXPECT_EQ(only_cost(calc, 2000, rial(0)), rial(40000));
    EXPECT_EQ(only_cost(calc, 2001, rial(0)), rial(70000));
    EXPECT_EQ(only_cost(calc, 5000, rial(0)), rial(70000));
}

TEST(ShippingOriginalShop, ChargesEveryStartedExcessStep) {
    const shipping_calculator calc({original_post()}, irr);
    EXPECT_EQ(only_cost(calc, 5001, rial(0)), rial(85000));
    EXPECT_EQ(only_cost(calc, 6000, rial(0)), rial(85000));
    EXPECT_EQ(only_cost(calc, 6001, rial(0)), rial(100000));
    EXPECT_EQ(only_cost(calc, 15000, rial(0)), rial(220000));
}

TEST(ShippingOriginalShop, QuoteRecordsTheBandOrTheExcessSteps) {
    const shipping_calculator calc({original_post()}, irr);
    const auto in_band = calc.quote(grams(1500), rial(100000), tehran);
    ASSERT_EQ(in_band.size(), 1U);
    const shipping_quote& q = in_band[0];
    EXPECT_EQ(q.method_code, "post");
    EXPECT_EQ(q.method_index, 0U);
    EXPECT_EQ(q.parcel_weight, grams(1500));
    EXPECT_EQ(q.goods_value, rial(100000));
    EXPECT_EQ(q.band, std::optional<std::size_t>(1));
    EXPECT_EQ(q.excess_steps, 0);
    EXPECT_EQ(q.weight_charge, rial(40000));
    EXPECT_EQ(q.percent_charge, rial(0));
    EXPECT_FALSE(q.free_above_reached);
    EXPECT_EQ(q.clamp, shipping_clamp::none);
    EXPECT_EQ(q.cost, rial(40000));
    // Every limit is inclusive: the first and the last band by index.
    EXPECT_EQ(calc.quote(grams(999), rial(0), tehran).at(0).band, std::optional<std::size_t>(0));
    EXPECT_EQ(calc.quote(grams(5000), rial(0), tehran).at(0).band, std::optional<std::size_t>(2));

    const auto excess = calc.quote(grams(7300), rial(100000), tehran);
    ASSERT_EQ(excess.size(), 1U);
    EXPECT_EQ(excess[0].band, std::nullopt);
    EXPECT_EQ(excess[0].excess_steps, 3);
    EXPECT_EQ(excess[0].weight_charge, rial(115000));
    EXPECT_EQ(excess[0].cost, rial(115000));
    const auto one_step = calc.quote(grams(5001), rial(0), tehran);
    ASSERT_EQ(one_step.size(), 1U);
    EXPECT_EQ(one_step[0].band, std::nullopt);
    EXPECT_EQ(one_step[0].excess_steps, 1);
}

TEST(ShippingOriginalShop, ExplainsEachQuoteExactly) {
    const shipping_calculator calc({original_post()}, irr);
    const auto in_band = calc.quote(grams(1500), rial(100000), tehran);
    ASSERT_EQ(in_band.size(), 1U);
    EXPECT_EQ(calc.explain(in_band[0]),
              "1500 g in band up to 2000 g: 40000.00 IRR; total 40000.00 IRR");
    const auto excess = calc.quote(grams(7300), rial(100000), tehran);
    ASSERT_EQ(excess.size(), 1U);
    EXPECT_EQ(calc.explain(excess[0]),
              "7300 g above top band up to 5000 g: 70000.00 IRR + 3 steps of 1000 g x "
              "15000.00 IRR = 45000.00 IRR = 115000.00 IRR; total 115000.00 IRR");
    const auto one_step = calc.quote(grams(5001), rial(0), tehran);
    ASSERT_EQ(one_step.size(), 1U);
    EXPECT_EQ(calc.explain(one_step[0]),
              "5001 g above top band up to 5000 g: 70000.00 IRR + 1 step of 1000 g x "
              "15000.00 IRR = 15000.00 IRR = 85000.00 IRR; total 85000.00 IRR");
}

TEST(ShippingOriginalShop, ValueRulesOfTheWorkedExample) {
    shipping_method m = original_post();
    m.value.free_above = rial(5000000);
    m.value.percent_of_value = ratio::percent(1);
    const shipping_calculator calc({m}, irr);
    const auto quotes = calc.quote(grams(1500), rial(2000000), tehran);
    ASSERT_EQ(quotes.size(), 1U);
    EXPECT_EQ(quotes[0].cost, rial(60000));
    EXPECT_EQ(quotes[0].weight_charge, rial(40000));
    EXPECT_EQ(quotes[0].percent_charge, rial(20000));
    EXPECT_FALSE(quotes[0].free_above_reached);
    EXPECT_EQ(calc.explain(quotes[0]),
              "1500 g in band up to 2000 g: 40000.00 IRR; free above 5000000.00 IRR not reached; "
              "0.01 of 2000000.00 IRR rounded half up: 20000.00 IRR; total 60000.00 IRR");
    const auto free = calc.quote(grams(1500), rial(5000000), tehran);
    ASSERT_EQ(free.size(), 1U);
    EXPECT_EQ(free[0].cost, rial(0));
    EXPECT_TRUE(free[0].free_above_reached);
    EXPECT_EQ(free[0].weight_charge, rial(40000));  // computed, then waived
    EXPECT_EQ(free[0].percent_charge, rial(0));     // free ends the computation
    EXPECT_EQ(calc.explain(free[0]),
              "1500 g in band up to 2000 g: 40000.00 IRR; free above 5000000.00 IRR reached; "
              "total 0.00 IRR");
}

TEST(ShippingOriginalShop, IsOfferedOnlyInIran) {
    const shipping_calculator calc({original_post()}, irr);
    EXPECT_TRUE(applies(calc, 500, rial(0), {"IR", ""}));
    EXPECT_TRUE(applies(calc, 500, rial(0), {"IR", "Fars"}));
    EXPECT_FALSE(applies(calc, 500, rial(0), {"DE", ""}));
}

TEST(ShippingWeight, AboveTheTopBandWithoutExcessIsNotApplicable) {
    shipping_method m = original_post();
    m.excess.reset();
    const shipping_calculator calc({m}, irr);
    EXPECT_TRUE(applies(calc, 5000, rial(0)));
    EXPECT_FALSE(applies(calc, 5001, rial(0)));
}

TEST(ShippingWeight, NoBandsChargesZeroForWeight) {
    const shipping_calculator calc({usd_method()}, usd);
    const auto quotes = calc.quote(grams(123456), cents(1000), tehran);
    ASSERT_EQ(quotes.size(), 1U);
    EXPECT_EQ(quotes[0].cost, cents(0));
    EXPECT_EQ(quotes[0].band, std::nullopt);
    EXPECT_EQ(quotes[0].excess_steps, 0);
    EXPECT_EQ(quotes[0].weight_charge, cents(0));
    EXPECT_EQ(calc.explain(quotes[0]), "123456 g with no weight bands: 0.00 USD; total 0.00 USD");
}

TEST(ShippingValue, FreeFromExactlyTheThresholdNotOneMinorUnitBelow) {
    shipping_method m = usd_method();
    m.bands = {{grams(1000), cents(500)}};
    m.value.free_above = cents(5000);
    m.value.minimum_charge = cents(300);
    const shipping_calculator calc({m}, usd);
    const auto below = calc.quote(grams(100), cents(4999), tehran);
    ASSERT_EQ(below.size(), 1U);
    EXPECT_EQ(below[0].cost, cents(500));
    EXPECT_FALSE(below[0].free_above_reached);
    EXPECT_EQ(calc.explain(below[0]),
              "100 g in band up to 1000 g: 5.00 USD; free above 50.00 USD not reached; "
              "total 5.00 USD");
    const auto at = calc.quote(grams(100), cents(5000), tehran);
    ASSERT_EQ(at.size(), 1U);
    EXPECT_EQ(at[0].cost, cents(0));  // free is not raised to the minimum
    EXPECT_TRUE(at[0].free_above_reached);
    EXPECT_EQ(at[0].clamp, shipping_clamp::none);
    EXPECT_EQ(calc.explain(at[0]),
              "100 g in band up to 1000 g: 5.00 USD; free above 50.00 USD reached; total 0.00 USD");
}

TEST(ShippingValue, PercentOfValueRoundsExactTiesHalfUp) {
    shipping_method m = usd_method();
    m.bands = {{grams(1000), cents(100)}};
    m.value.percent_of_value = ratio::parse("5%");
    const shipping_calculator calc({m}, usd);
    // 5 % of 0.10 is 0.005 exactly: a tie, rounded up to 0.01.
    EXPECT_EQ(only_cost(calc, 1, cents(10)), cents(101));
    // 5 % of 0.30 is 0.015: up to 0.02. 5 % of 0.29 is 0.0145: down to 0.01.
    EXPECT_EQ(only_cost(calc, 1, cents(30)), cents(102));
    EXPECT_EQ(only_cost(calc, 1, cents(29)), cents(101));
    const auto quotes = calc.quote(grams(1), cents(10), tehran);
    ASSERT_EQ(quotes.size(), 1U);
    EXPECT_EQ(quotes[0].percent_charge, cents(1));
    EXPECT_EQ(calc.explain(quotes[0]),
              "1 g in band up to 1000 g: 1.00 USD; 0.05 of 0.10 USD rounded half up: 0.01 USD; "
              "total 1.01 USD");
}

TEST(ShippingValue, ClampsToMinimumAndMaximumInclusively) {
    shipping_method m = usd_method();
    m.value.percent_of_value = ratio::percent(10);
    m.value.minimum_charge = cents(500);
    m.value.maximum_charge = cents(2000);
    const shipping_calculator calc({m}, usd);
    EXPECT_EQ(only_cost(calc, 1, cents(4999)), cents(500));    // 5.00 rounded from 4.999
    EXPECT_EQ(only_cost(calc, 1, cents(4900)), cents(500));    // 4.90 raised
    EXPECT_EQ(only_cost(calc, 1, cents(5010)), cents(501));    // inside
    EXPECT_EQ(only_cost(calc, 1, cents(20000)), cents(2000));  // exactly the maximum
    EXPECT_EQ(only_cost(calc, 1, cents(20010)), cents(2000));  // lowered
    const auto raised = calc.quote(grams(1), cents(0), tehran);
    ASSERT_EQ(raised.size(), 1U);
    EXPECT_EQ(raised[0].clamp, shipping_clamp::raised_to_minimum);
    EXPECT_EQ(raised[0].percent_charge, cents(0));
    EXPECT_EQ(calc.explain(raised[0]),
              "1 g with no weight bands: 0.00 USD; 0.1 of 0.00 USD rounded half up: 0.00 USD; "
              "raised to minimum 5.00 USD; total 5.00 USD");
    const auto inside = calc.quote(grams(1), cents(5010), tehran);
    ASSERT_EQ(inside.size(), 1U);
    EXPECT_EQ(inside[0].clamp, shipping_clamp::none);
    const auto lowered = calc.quote(grams(1), cents(30000), tehran);
    ASSERT_EQ(lowered.size(), 1U);
    EXPECT_EQ(lowered[0].clamp, shipping_clamp::lowered_to_maximum);
    EXPECT_EQ(lowered[0].percent_charge, cents(3000));  // the charge before the clamp
    EXPECT_EQ(lowered[0].cost, cents(2000));
    const std::string text = calc.explain(lowered[0]);
    EXPECT_NE(text.find("; lowered to maximum 20.00 USD; total 20.00 USD"), std::string::npos)
        << text;
}

TEST(ShippingAvailability, LimitsHoldInclusively) {
    shipping_method m = usd_method();
    m.limits.max_weight = grams(3000);
    m.limits.min_value = cents(1000);
    m.limits.max_value = cents(9000);
    const shipping_calculator calc({m}, usd);
    EXPECT_TRUE(applies(calc, 3000, cents(1000)));
    EXPECT_FALSE(applies(calc, 3001, cents(1000)));
    EXPECT_FALSE(applies(calc, 100, cents(999)));
    EXPECT_TRUE(applies(calc, 100, cents(9000)));
    EXPECT_FALSE(applies(calc, 100, cents(9001)));
}

TEST(ShippingZones, MatchWildcardCountryAndProvince) {
    shipping_method everywhere = usd_method("everywhere");
    shipping_method iran = usd_method("iran");
    iran.zones = {{"IR", ""}};
    shipping_method tehran_only = usd_method("tehran");
    tehran_only.zones = {{"IR", "Tehran"}, {"DE", "Berlin"}};
    const shipping_calculator calc({everywhere, iran, tehran_only}, usd);
    const auto codes = [&](const shipping_destination& to) {
        std::vector<std::string> out;
        for (const auto& q : calc.quote(grams(1), cents(0), to)) out.push_back(q.method_code);
        return out;
    };
    EXPECT_EQ(codes({"IR", "Tehran"}), (std::vector<std::string>{"everywhere", "iran", "tehran"}));
    EXPECT_EQ(codes({"IR", "Fars"}), (std::vector<std::string>{"everywhere", "iran"}));
    EXPECT_EQ(codes({"IR", ""}), (std::vector<std::string>{"everywhere", "iran"}));
    EXPECT_EQ(codes({"DE", "Berlin"}), (std::vector<std::string>{"everywhere", "tehran"}));
    EXPECT_EQ(codes({"DE", "tehran"}), (std::vector<std::string>{"everywhere"}));
    EXPECT_EQ(codes({"FR", ""}), (std::vector<std::string>{"everywhere"}));
}

TEST(ShippingOrder, CheapestFirstTiesByCode) {
    shipping_method b = usd_method("b");
    b.bands = {{grams(1000), cents(700)}};
    shipping_method a = usd_method("a");
    a.bands = {{grams(1000), cents(700)}};
    shipping_method c = usd_method("c");
    c.bands = {{grams(1000), cents(300)}};
    shipping_method z = usd_method("z");
    z.bands = {{grams(1000), cents(1)}};
    const shipping_calculator calc({b, a, c, z}, usd);
    const auto quotes = calc.quote(grams(10), cents(0), tehran);
    ASSERT_EQ(quotes.size(), 4U);
    EXPECT_EQ(quotes[0].method_code, "z");
    EXPECT_EQ(quotes[1].method_code, "c");
    EXPECT_EQ(quotes[2].method_code, "a");
    EXPECT_EQ(quotes[3].method_code, "b");
    for (const shipping_quote& q : quotes) {
        EXPECT_EQ(calc.methods().at(q.method_index).code, q.method_code);
    }
    EXPECT_EQ(calc.methods().size(), 4U);
    EXPECT_EQ(calc.methods()[0].code, "b");  // methods() keeps the order given
}

TEST(ShippingQuoteInto, ReusesTheVectorAndMatchesQuote) {
    const shipping_calculator both({usd_method("a"), usd_method("b")}, usd);
    std::vector<shipping_quote> out;
    both.quote_into(grams(1), cents(0), tehran, out);
    ASSERT_EQ(out.size(), 2U);
    both.quote_into(grams(1), cents(0), {"IR", ""}, out);
    EXPECT_EQ(out.size(), 2U);
    const shipping_calculator one({usd_method("a")}, usd);
    one.quote_into(grams(1), cents(0), tehran, out);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0], one.quote(grams(1), cents(0), tehran)[0]);
    EXPECT_EQ(one.explain(out[0]), "1 g with no weight bands: 0.00 USD; total 0.00 USD");
    // A reused element takes every fact of the new quote, none of the old one.
    const shipping_calculator post({original_post()}, irr);
    post.quote_into(grams(7300), rial(100), tehran, out);
    ASSERT_EQ(out.size(), 1U);
    post.quote_into(grams(1500), rial(100), tehran, out);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0], post.quote(grams(1500), rial(100), tehran)[0]);
    EXPECT_THROW(one.quote_into(grams(1), cents(-1), tehran, out), validation_error);
    EXPECT_TRUE(out.empty());
}

void expect_explain_refused(const shipping_calculator& calc, const shipping_quote& q) {
    try {
        const std::string text = calc.explain(q);
        ADD_FAILURE() << "explained " << text;
    } catch (const validation_error& e) {
        EXPECT_EQ(e.field(), "quote") << e.what();
    }
}

TEST(ShippingExplain, RefusesAQuoteThatIsNotFromThisCalculator) {
    const shipping_calculator post({original_post()}, irr);
    const shipping_calculator other({usd_method("a"), usd_method("b")}, usd);
    const shipping_quote from_other = other.quote(grams(1), cents(0), tehran).at(1);
    ASSERT_EQ(from_other.method_index, 1U);
    expect_explain_refused(post, from_other);  // index out of range
    expect_explain_refused(post, other.quote(grams(1), cents(0), tehran).at(0));  // code "a"
    expect_explain_refused(post, shipping_quote());                               // default

    // The same code at the same index, but other bands or another currency.
    shipping_method two_bands = original_post();
    two_bands.bands.resize(2);
    two_bands.excess.reset();
    const shipping_calculator smaller({two_bands}, irr);
    expect_explain_refused(smaller, post.quote(grams(3000), rial(0), tehran).at(0));  // band 2
    expect_explain_refused(smaller, post.quote(grams(9000), rial(0), tehran).at(0));  // excess
    shipping_method cheaper = original_post();
    cheaper.bands[0].charge = rial(1);
    const shipping_calculator cheap({cheaper}, irr);
    expect_explain_refused(cheap, post.quote(grams(10), rial(0), tehran).at(0));
    const shipping_calculator dollars({usd_method("post")}, usd);
    const shipping_calculator rials({usd_method("post")}, irr);  // no amounts: valid in IRR too
    expect_explain_refused(rials, dollars.quote(grams(10), cents(0), tehran).at(0));

    // A copy shares the configuration, so it explains the original's quotes.
    const shipping_calculator copy = post;  // NOLINT(performance-unnecessary-copy-initialization)
    EXPECT_EQ(copy.explain(post.quote(grams(1500), rial(0), tehran).at(0)),
              "1500 g in band up to 2000 g: 40000.00 IRR; total 40000.00 IRR");
}

TEST(ShippingQuote, RefusesForeignOrNegativeGoodsValueAndBadCountry) {
    const shipping_calculator calc({original_post()}, irr);
    for (const money& value : {cents(100), rial(-1), money::of_minor(-1, irr)}) {
        try {
            (void)calc.quote(grams(1), value, tehran);
            ADD_FAILURE() << "accepted " << value;
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "goods_value");
        }
    }
    for (const std::string country : {"", "ir", "IRN", "*"}) {
        try {
            (void)calc.quote(grams(1), rial(0), {country, ""});
            ADD_FAILURE() << "accepted " << country;
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "country");
        }
    }
}

TEST(ShippingQuote, OverflowingChargeThrowsArithmeticError) {
    shipping_method m = original_post();
    m.excess = excess_rule{grams(1), money::of_minor(INT64_MAX / 2, irr)};
    const shipping_calculator calc({m}, irr);
    EXPECT_THROW((void)calc.quote(grams(5003), rial(0), tehran), arithmetic_error);
}

TEST(ShippingConfig, AcceptsTheOriginalShopAndAnEmptyList) {
    EXPECT_NO_THROW(shipping_calculator({original_post()}, irr));
    const shipping_calculator none({}, irr);
    EXPECT_TRUE(none.quote(grams(1), rial(1), tehran).empty());
    EXPECT_EQ(none.shop_currency(), irr);
}

TEST(ShippingConfig, RefusesBadCodesAndNames) {
    shipping_method m = original_post();
    m.code = "";
    expect_refused({m}, irr, "code");
    m.code = std::string(65, 'c');
    expect_refused({m}, irr, "code");
    m.code = std::string(64, 'c');
    EXPECT_NO_THROW(shipping_calculator({m}, irr));
    expect_refused({original_post(), original_post()}, irr, "code");
    m = original_post();
    m.name = "";
    expect_refused({m}, irr, "name");
    m.name = std::string(201, 'n');
    expect_refused({m}, irr, "name");
}

TEST(ShippingConfig, RefusesBadZones) {
    for (const shipping_zone& zone : std::vector<shipping_zone>{
             {"ir", ""}, {"IRN", ""}, {"", ""}, {"*", "Tehran"}, {"I1", ""}}) {
        shipping_method m = original_post();
        m.zones = {zone};
        expect_refused({m}, irr, "zones");
    }
    shipping_method m = original_post();
    m.zones.clear();
    expect_refused({m}, irr, "zones");
}

TEST(ShippingConfig, RefusesBadBands) {
    shipping_method m = original_post();
    m.bands[1].up_to = grams(999);  // equal to the previous limit
    expect_refused({m}, irr, "bands");
    m = original_post();
    std::swap(m.bands[0], m.bands[2]);
    expect_refused({m}, irr, "bands");
    m = original_post();
    m.bands[1].charge = money::of_minor(-1, irr);
    expect_refused({m}, irr, "bands");
    m = original_post();
    m.bands[1].charge = cents(100);
    expect_refused({m}, irr, "bands");
}

TEST(ShippingConfig, RefusesBadExcess) {
    shipping_method m = original_post();
    m.excess->step = grams(0);
    expect_refused({m}, irr, "excess");
    m = original_post();
    m.excess->charge_per_step = money::of_minor(-1, irr);
    expect_refused({m}, irr, "excess");
    m = original_post();
    m.excess->charge_per_step = cents(1);
    expect_refused({m}, irr, "excess");
    m = original_post();
    m.bands.clear();
    expect_refused({m}, irr, "excess");
}

TEST(ShippingConfig, RefusesBadValueRules) {
    shipping_method m = usd_method();
    m.value.free_above = money::of_minor(5, irr);
    expect_refused({m}, usd, "free_above");
    m = usd_method();
    m.value.percent_of_value = ratio::of(-1, 100);
    expect_refused({m}, usd, "percent_of_value");
    m.value.percent_of_value = ratio::of(101, 100);
    expect_refused({m}, usd, "percent_of_value");
    m.value.percent_of_value = ratio::of(1, 1);
    EXPECT_NO_THROW(shipping_calculator({m}, usd));
    m = usd_method();
    m.value.minimum_charge = cents(-1);
    expect_refused({m}, usd, "minimum_charge");
    m = usd_method();
    m.value.maximum_charge = money::of_minor(1, irr);
    expect_refused({m}, usd, "maximum_charge");
    m = usd_method();
    m.value.minimum_charge = cents(501);
    m.value.maximum_charge = cents(500);
    expect_refused({m}, usd, "maximum_charge");
    m.value.maximum_charge = cents(501);
    EXPECT_NO_THROW(shipping_calculator({m}, usd));
}

TEST(ShippingConfig, RefusesBadAvailability) {
    shipping_method m = usd_method();
    m.limits.min_value = cents(-1);
    expect_refused({m}, usd, "min_value");
    m = usd_method();
    m.limits.max_value = money::of_minor(1, irr);
    expect_refused({m}, usd, "max_value");
    m = usd_method();
    m.limits.min_value = cents(10);
    m.limits.max_value = cents(9);
    expect_refused({m}, usd, "max_value");
}

TEST(ShippingConfig, RefusalNamesTheMethod) {
    shipping_method m = original_post();
    m.bands[1].up_to = grams(999);
    try {
        const shipping_calculator calc({m}, irr);
        ADD_FAILURE() << "accepted";
    } catch (const validation_error& e) {
        EXPECT_NE(std::string(e.what()).find("'post'"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace shopcore

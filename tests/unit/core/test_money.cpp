#include <shopcore/core/money.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include <gtest/gtest.h>
#include <boost/multiprecision/cpp_int.hpp>

#include <shopcore/core/error.hpp>

namespace shopcore {
namespace {

constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

currency usd() { return currency::of("USD"); }
currency eur() { return currency::of("EUR"); }
currency jpy() { return currency::of("JPY"); }
currency bhd() { return currency::of("BHD"); }
currency clf() { return currency::of("CLF"); }

money usd_cents(std::int64_t cents) { return money::of_minor(cents, usd()); }

// ---- construction and accessors ----------------------------------------------------------

TEST(Money, DefaultIsZeroOfNoCurrency) {
    const money m;
    EXPECT_EQ(m.minor_units(), 0);
    EXPECT_EQ(m.currency().code(), "XXX");
    EXPECT_TRUE(m.is_zero());
    EXPECT_EQ(m.to_string(), "0 XXX");
}

TEST(Money, OfMinorKeepsTheCountAndTheCurrency) {
    const money m = money::of_minor(1999, usd());
    EXPECT_EQ(m.minor_units(), 1999);
    EXPECT_EQ(m.currency(), usd());
    EXPECT_TRUE(m.is_positive());
    EXPECT_FALSE(m.is_negative());
    EXPECT_FALSE(m.is_zero());
    EXPECT_TRUE(usd_cents(-1).is_negative());
    EXPECT_EQ(money::zero(jpy()), money::of_minor(0, jpy()));
}

// ---- parse -------------------------------------------------------------------------------

struct parse_case {
    const char* text;
    const char* code;
    std::int64_t minor;
};

TEST(Money, ParseReadsDecimalTextExactly) {
    const parse_case cases[] = {
        {"19.99", "USD", 1999},
        {"19.9", "USD", 1990},
        {"19", "USD", 1900},
        {"19.990", "USD", 1999},
        {"19.99000000000000000000", "USD", 1999},
        {"0.01", "USD", 1},
        {"-0.05", "USD", -5},
        {"-0", "USD", 0},
        {"-0.00", "USD", 0},
        {"007.50", "USD", 750},
        {"0.1", "USD", 10},
        {"1234", "JPY", 1234},
        {"1234.000", "JPY", 1234},
        {"1.234", "BHD", 1234},
        {"1.2", "BHD", 1200},
        {"0.0005", "CLF", 5},
        {"92233720368547758.07", "USD", int64_max},
        {"-92233720368547758.08", "USD", int64_min},
        {"9223372036854775807", "JPY", int64_max},
        {"-9223372036854775808", "JPY", int64_min},
        {"-922337203685477.5808", "CLF", int64_min},
        {"00000000000000000000000001.00", "USD", 100},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        const money m = money::parse(c.text, currency::of(c.code));
        EXPECT_EQ(m.minor_units(), c.minor);
        EXPECT_EQ(m.currency(), currency::of(c.code));
    }
}

TEST(Money, ParseRejectsMalformedTextWithAValidationErrorOnAmount) {
    const char* const cases[] = {
        "",      "-",   "+1",    "+1.00", "1.",     ".5",    "-.5",      "1,000.00",     "1.000,00",
        "1 000", " 1",  "1 ",    "\t1",   "1\n",    "1e3",   "1E3",      "1.2.3",        "--1",
        "-+1",   "1-",  "USD 1", "1 USD", "$1",     "1$",    "0x10",     "1_000",        "1'000",
        "NaN",   "inf", "-inf",  "1.0a",  "a1",     "1.-5",  "\xd9\xa1", "\xef\xbc\x91", "1..0",
        ".",     "-.",  "1/2",   "12%",   "(1.00)", "1.00-",
    };
    for (const char* text : cases) {
        SCOPED_TRACE(testing::Message() << "text='" << text << "'");
        try {
            (void)money::parse(text, usd());
            ADD_FAILURE() << "accepted";
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "amount");
        }
    }
    // A string with an embedded NUL is not cut short.
    EXPECT_THROW((void)money::parse(std::string_view("1\0"
                                                     "5",
                                                     3),
                                    usd()),
                 validation_error);
}

TEST(Money, ParseRejectsNonZeroDigitsBeyondTheCurrencyExponent) {
    EXPECT_THROW((void)money::parse("19.999", usd()), validation_error);
    EXPECT_THROW((void)money::parse("19.9901", usd()), validation_error);
    EXPECT_THROW((void)money::parse("1.5", jpy()), validation_error);
    EXPECT_THROW((void)money::parse("1.0001", bhd()), validation_error);
    EXPECT_THROW((void)money::parse("0.00001", clf()), validation_error);
    EXPECT_EQ(money::parse("1.00010", clf()).minor_units(), 10001);
}

TEST(Money, ParseRejectsAmountsOutsideTheInt64Range) {
    const char* const usd_cases[] = {"92233720368547758.08", "-92233720368547758.09",
                                     "99999999999999999999", "100000000000000000.00",
                                     "18446744073709551616"};
    for (const char* text : usd_cases) {
        SCOPED_TRACE(text);
        EXPECT_THROW((void)money::parse(text, usd()), validation_error);
    }
    EXPECT_THROW((void)money::parse("9223372036854775808", jpy()), validation_error);
    EXPECT_THROW((void)money::parse("-9223372036854775809", jpy()), validation_error);
    EXPECT_THROW((void)money::parse("922337203685477.5808", clf()), validation_error);
}

// ---- format ------------------------------------------------------------------------------

TEST(Money, FormatWritesExactlyTheCurrencyExponentDigits) {
    const parse_case cases[] = {
        {"1234.50", "USD", 123450},
        {"-0.05", "USD", -5},
        {"0.00", "USD", 0},
        {"-1.00", "USD", -100},
        {"1234", "JPY", 1234},
        {"-1", "JPY", -1},
        {"1.234", "BHD", 1234},
        {"0.001", "BHD", 1},
        {"0.0005", "CLF", 5},
        {"-92233720368547758.08", "USD", int64_min},
        {"92233720368547758.07", "USD", int64_max},
        {"-9223372036854775808", "JPY", int64_min},
        {"-922337203685477.5808", "CLF", int64_min},
        {"-9223372036854775.808", "KWD", int64_min},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        EXPECT_EQ(money::of_minor(c.minor, currency::of(c.code)).format(), c.text);
    }
}

TEST(Money, ToStringAndStreamAppendTheCode) {
    EXPECT_EQ(usd_cents(123450).to_string(), "1234.50 USD");
    EXPECT_EQ(money::of_minor(-7, jpy()).to_string(), "-7 JPY");
    std::ostringstream out;
    out << money::of_minor(1234, bhd());
    EXPECT_EQ(out.str(), "1.234 BHD");
}

TEST(Money, ParseOfFormatIsIdentityForRandomAmountsInEveryExponent) {
    std::mt19937_64 rng(20261129);
    std::uniform_int_distribution<std::int64_t> full(int64_min, int64_max);
    std::uniform_int_distribution<std::int64_t> small(-1'000'000, 1'000'000);
    std::uniform_int_distribution<int> digits(0, 18);
    const std::int64_t edges[] = {
        int64_min, int64_min + 1, int64_max, int64_max - 1, 0,   1,    -1,   9,     -9,
        10,        -10,           99,        100,           999, 1000, 9999, 10000, -10000};
    for (const char* code : {"JPY", "USD", "BHD", "CLF"}) {
        SCOPED_TRACE(code);
        const currency c = currency::of(code);
        int failures = 0;
        const auto check = [&](std::int64_t minor) {
            const money m = money::of_minor(minor, c);
            const std::string text = m.format();
            if (money::parse(text, c) != m && ++failures <= 5) {
                ADD_FAILURE() << minor << " -> '" << text << "'";
            }
        };
        for (const std::int64_t e : edges) check(e);
        for (int i = 0; i < 100'000; ++i) {
            switch (i % 3) {
                case 0:
                    check(full(rng));
                    break;
                case 1:
                    check(small(rng));
                    break;
                default: {
                    // Every magnitude: a random value with a random number of digits.
                    std::int64_t limit = 1;
                    for (int d = digits(rng); d > 0; --d) limit *= 10;
                    check(std::uniform_int_distribution<std::int64_t>(-limit, limit)(rng));
                }
            }
        }
        EXPECT_EQ(failures, 0);
    }
}

// ---- arithmetic --------------------------------------------------------------------------

TEST(Money, AddsAndSubtractsInTheSameCurrency) {
    EXPECT_EQ(usd_cents(1999) + usd_cents(1), usd_cents(2000));
    EXPECT_EQ(usd_cents(5) - usd_cents(7), usd_cents(-2));
    EXPECT_EQ(-usd_cents(5), usd_cents(-5));
    money m = usd_cents(100);
    m += usd_cents(50);
    EXPECT_EQ(m, usd_cents(150));
    m -= usd_cents(200);
    EXPECT_EQ(m, usd_cents(-50));
    EXPECT_EQ(usd_cents(250) * 3, usd_cents(750));
    EXPECT_EQ(usd_cents(250) * -2, usd_cents(-500));
    EXPECT_EQ(usd_cents(250) * 0, usd_cents(0));
}

TEST(Money, MixingCurrenciesThrowsArithmeticError) {
    const money a = usd_cents(100);
    const money b = money::of_minor(100, eur());
    EXPECT_THROW((void)(a + b), arithmetic_error);
    EXPECT_THROW((void)(a - b), arithmetic_error);
    EXPECT_THROW((void)(a < b), arithmetic_error);
    EXPECT_THROW((void)(a <= b), arithmetic_error);
    EXPECT_THROW((void)(a > b), arithmetic_error);
    EXPECT_THROW((void)(a >= b), arithmetic_error);
    money c = a;
    EXPECT_THROW(c += b, arithmetic_error);
    EXPECT_THROW(c -= b, arithmetic_error);
    EXPECT_EQ(c, a);
    try {
        (void)(a + b);
    } catch (const arithmetic_error& e) {
        EXPECT_EQ(e.code(), error_code::arithmetic);
        EXPECT_NE(std::string(e.what()).find("USD"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("EUR"), std::string::npos);
    }
}

TEST(Money, EqualityComparesCurrencyAndNeverThrows) {
    const money a = usd_cents(100);
    const money b = money::of_minor(100, eur());
    EXPECT_FALSE(a == b);
    EXPECT_TRUE(a != b);
    EXPECT_TRUE(a == usd_cents(100));
    EXPECT_FALSE(a != usd_cents(100));
    EXPECT_NE(money::zero(usd()), money::zero(eur()));
}

TEST(Money, OrderingComparesAmounts) {
    EXPECT_TRUE(usd_cents(-1) < usd_cents(0));
    EXPECT_TRUE(usd_cents(1) <= usd_cents(1));
    EXPECT_TRUE(usd_cents(2) > usd_cents(1));
    EXPECT_TRUE(usd_cents(2) >= usd_cents(2));
    EXPECT_FALSE(usd_cents(2) < usd_cents(2));
    EXPECT_FALSE(usd_cents(1) > usd_cents(2));
}

TEST(Money, OverflowThrowsArithmeticErrorAndLeavesTheTargetUnchanged) {
    const money max = usd_cents(int64_max);
    const money min = usd_cents(int64_min);
    EXPECT_THROW((void)(max + usd_cents(1)), arithmetic_error);
    EXPECT_THROW((void)(min - usd_cents(1)), arithmetic_error);
    EXPECT_THROW((void)(min + usd_cents(-1)), arithmetic_error);
    EXPECT_THROW((void)(max - usd_cents(-1)), arithmetic_error);
    EXPECT_THROW((void)(-min), arithmetic_error);
    EXPECT_THROW((void)(max * 2), arithmetic_error);
    EXPECT_THROW((void)(min * -1), arithmetic_error);
    EXPECT_THROW((void)(usd_cents(int64_max / 3 + 1) * 3), arithmetic_error);
    EXPECT_EQ(-max, usd_cents(-int64_max));
    EXPECT_EQ(max + min, usd_cents(-1));
    money m = max;
    EXPECT_THROW(m += usd_cents(1), arithmetic_error);
    EXPECT_EQ(m, max);
}

TEST(Money, HashAgreesWithEquality) {
    std::unordered_set<money> set;
    set.insert(usd_cents(100));
    set.insert(usd_cents(100));
    set.insert(money::of_minor(100, eur()));
    set.insert(usd_cents(-100));
    EXPECT_EQ(set.size(), 3U);
    EXPECT_EQ(std::hash<money>{}(usd_cents(42)), std::hash<money>{}(money::parse("0.42", usd())));
}

// ---- multiply by a ratio, rounding -------------------------------------------------------

struct rounding_case {
    const char* amount;
    const char* code;
    const char* rate;
    // Expected results for half_up, half_even, down, up (worked out by hand).
    const char* expected[4];
};

const rounding modes[] = {rounding::half_up, rounding::half_even, rounding::down, rounding::up};

TEST(MoneyRounding, MultiplyRoundsHandWorkedCasesInAllFourModes) {
    const rounding_case cases[] = {
        // 0.025: an exact tie between 0.02 and 0.03; 2 is even.
        {"0.05", "USD", "0.5", {"0.03", "0.02", "0.02", "0.03"}},
        {"-0.05", "USD", "0.5", {"-0.03", "-0.02", "-0.02", "-0.03"}},
        {"0.05", "USD", "-0.5", {"-0.03", "-0.02", "-0.02", "-0.03"}},
        // 0.075: a tie with the odd neighbour 7 below, so half_even goes up to 8.
        {"0.15", "USD", "0.5", {"0.08", "0.08", "0.07", "0.08"}},
        {"-0.15", "USD", "0.5", {"-0.08", "-0.08", "-0.07", "-0.08"}},
        // -0.125: tie, 12 is even.
        {"-0.25", "USD", "0.5", {"-0.13", "-0.12", "-0.12", "-0.13"}},
        // 1.975: a 19.75 % rate; tie with odd 197 below.
        {"10.00", "USD", "0.1975", {"1.98", "1.98", "1.97", "1.98"}},
        {"10.00", "USD", "19.75%", {"1.98", "1.98", "1.97", "1.98"}},
        {"-10.00", "USD", "0.1975", {"-1.98", "-1.98", "-1.97", "-1.98"}},
        // 0.20 * 0.1975 = 0.0395: a non-tie above the half.
        {"0.20", "USD", "0.1975", {"0.04", "0.04", "0.03", "0.04"}},
        // 1.15 / 3 = 0.38333...: a non-tie below the half.
        {"1.15", "USD", "1/3", {"0.38", "0.38", "0.38", "0.39"}},
        {"-1.15", "USD", "1/3", {"-0.38", "-0.38", "-0.38", "-0.39"}},
        // 2.00 / 3 = 0.6666...: a non-tie above the half.
        {"2.00", "USD", "1/3", {"0.67", "0.67", "0.66", "0.67"}},
        {"-2.00", "USD", "1/3", {"-0.67", "-0.67", "-0.66", "-0.67"}},
        // 0.0245 and 0.0255: just below and just above a half.
        {"0.05", "USD", "0.49", {"0.02", "0.02", "0.02", "0.03"}},
        {"0.05", "USD", "0.51", {"0.03", "0.03", "0.02", "0.03"}},
        // Exact products are never moved.
        {"19.99", "USD", "1", {"19.99", "19.99", "19.99", "19.99"}},
        {"19.99", "USD", "100%", {"19.99", "19.99", "19.99", "19.99"}},
        {"10.00", "USD", "1.19", {"11.90", "11.90", "11.90", "11.90"}},
        {"19.99", "USD", "0", {"0.00", "0.00", "0.00", "0.00"}},
        // JPY has no minor digits: 100.5 and 101.5 yen.
        {"1005", "JPY", "0.1", {"101", "100", "100", "101"}},
        {"1015", "JPY", "0.1", {"102", "102", "101", "102"}},
        {"-1005", "JPY", "0.1", {"-101", "-100", "-100", "-101"}},
        {"999", "JPY", "8%", {"80", "80", "79", "80"}},
        // BHD has three: 502.5 fils, 1851.75 fils.
        {"1.005", "BHD", "0.5", {"0.503", "0.502", "0.502", "0.503"}},
        {"12.345", "BHD", "15%", {"1.852", "1.852", "1.851", "1.852"}},
        {"-12.345", "BHD", "15%", {"-1.852", "-1.852", "-1.851", "-1.852"}},
    };
    for (const auto& c : cases) {
        const currency cur = currency::of(c.code);
        const money amount = money::parse(c.amount, cur);
        const ratio rate = ratio::parse(c.rate);
        for (int i = 0; i < 4; ++i) {
            SCOPED_TRACE(testing::Message() << c.amount << " " << c.code << " * " << c.rate << " "
                                            << rounding_name(modes[i]));
            EXPECT_EQ(amount.multiply(rate, modes[i]), money::parse(c.expected[i], cur));
        }
    }
}

TEST(MoneyRounding, DefaultModeIsHalfUp) {
    EXPECT_EQ(usd_cents(5).multiply(ratio::parse("0.5")), usd_cents(3));
    EXPECT_EQ(usd_cents(-5).multiply(ratio::parse("0.5")), usd_cents(-3));
}

TEST(MoneyRounding, HundredPercentGivesExactlyTheAmount) {
    for (const std::int64_t minor :
         {int64_min, std::int64_t{-1}, std::int64_t{0}, std::int64_t{1999}, int64_max}) {
        for (const rounding mode : modes) {
            EXPECT_EQ(usd_cents(minor).multiply(ratio::parse("100%"), mode), usd_cents(minor));
            EXPECT_EQ(usd_cents(minor).multiply(ratio::of(7, 7), mode), usd_cents(minor));
        }
    }
}

TEST(MoneyRounding, WideProductsAreExact) {
    // 3,000,000,000,000,000,001 * 5/2 = 7,500,000,000,000,000,002.5: the product overflows
    // int64, the result does not.
    const money big = money::of_minor(3'000'000'000'000'000'001, jpy());
    const ratio five_halves = ratio::of(5, 2);
    const std::int64_t expected[] = {7'500'000'000'000'000'003, 7'500'000'000'000'000'002,
                                     7'500'000'000'000'000'002, 7'500'000'000'000'000'003};
    for (int i = 0; i < 4; ++i) {
        SCOPED_TRACE(rounding_name(modes[i]));
        EXPECT_EQ(big.multiply(five_halves, modes[i]).minor_units(), expected[i]);
        EXPECT_EQ((-big).multiply(five_halves, modes[i]).minor_units(), -expected[i]);
    }
    // 6,000,000,000,000,000,001 * 3/2 = 9,000,000,000,000,000,001.5 (odd below: half_even up).
    const money odd = money::of_minor(6'000'000'000'000'000'001, jpy());
    EXPECT_EQ(odd.multiply(ratio::of(3, 2), rounding::half_even).minor_units(),
              9'000'000'000'000'000'002);
    // INT64_MIN * 3/4 = -6,917,529,027,641,081,856 exactly.
    EXPECT_EQ(money::of_minor(int64_min, jpy()).multiply(ratio::of(3, 4)).minor_units(),
              -6'917'529'027'641'081'856);
}

TEST(MoneyRounding, ResultOutsideInt64ThrowsArithmeticError) {
    EXPECT_THROW((void)usd_cents(int64_max).multiply(ratio::of(2, 1)), arithmetic_error);
    EXPECT_THROW((void)usd_cents(int64_max).multiply(ratio::of(3, 2)), arithmetic_error);
    EXPECT_THROW((void)usd_cents(int64_min).multiply(ratio::of(-1, 1)), arithmetic_error);
    EXPECT_THROW((void)usd_cents(int64_min).multiply(ratio::of(-3, 2)), arithmetic_error);
    // Rounding up past the range: INT64_MAX * (2^63 - 2)/(2^63 - 3) is just above INT64_MAX.
    EXPECT_THROW((void)usd_cents(int64_max).multiply(ratio::of(int64_max - 1, int64_max - 2),
                                                     rounding::down),
                 arithmetic_error);
}

// Oracle: arbitrary precision, rounding decided by comparing 2 * remainder with the divisor.
std::int64_t oracle_multiply(std::int64_t minor, const ratio& r, rounding mode) {
    using boost::multiprecision::cpp_int;
    const cpp_int exact = cpp_int(minor) * r.numerator();
    const cpp_int d = r.denominator();
    const cpp_int magnitude = abs(exact);
    cpp_int q = magnitude / d;
    const cpp_int twice_rem = 2 * (magnitude % d);
    bool away = false;
    if (twice_rem != 0) {
        switch (mode) {
            case rounding::half_up:
                away = twice_rem >= d;
                break;
            case rounding::half_even:
                away = twice_rem > d || (twice_rem == d && q % 2 == 1);
                break;
            case rounding::down:
                away = false;
                break;
            case rounding::up:
                away = true;
                break;
        }
    }
    if (away) ++q;
    if (exact < 0) q = -q;
    return q.convert_to<std::int64_t>();
}

TEST(MoneyRounding, MultiplyMatchesAnArbitraryPrecisionOracle) {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::int64_t> full(int64_min, int64_max);
    std::uniform_int_distribution<std::int64_t> amount(-100'000'000'000, 100'000'000'000);
    std::uniform_int_distribution<std::int64_t> tiny(-3, 3);
    std::uniform_int_distribution<std::int64_t> num(-3000, 3000);
    std::uniform_int_distribution<std::int64_t> den(1, 2000);
    std::uniform_int_distribution<std::int64_t> huge(1, int64_max / 2);
    int failures = 0;
    for (int i = 0; i < 100'000; ++i) {
        std::int64_t minor = 0;
        ratio r;
        switch (i % 4) {
            case 0:  // full-range amounts: the product overflows int64, the result is small
                minor = full(rng);
                r = ratio::of(tiny(rng), huge(rng));
                break;
            case 1: {  // full-range amounts times a rate just below one, with huge terms
                minor = full(rng);
                const std::int64_t x = huge(rng);
                r = ratio::of(x, x + den(rng));
                break;
            }
            default:  // everyday amounts and rates (the int64 fast path)
                minor = amount(rng);
                r = ratio::of(num(rng), den(rng));
        }
        for (const rounding mode : modes) {
            const std::int64_t want = oracle_multiply(minor, r, mode);
            const std::int64_t got = money::of_minor(minor, usd()).multiply(r, mode).minor_units();
            if (got != want && ++failures <= 5) {
                ADD_FAILURE() << minor << " * " << r << " " << rounding_name(mode) << ": got "
                              << got << ", want " << want;
            }
        }
    }
    EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace shopcore

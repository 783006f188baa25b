#include <shopcore/core/ratio.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <unordered_set>

#include <gtest/gtest.h>

#include <shopcore/core/error.hpp>

namespace shopcore {
namespace {

constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

TEST(Ratio, DefaultIsZero) {
    const ratio r;
    EXPECT_EQ(r.numerator(), 0);
    EXPECT_EQ(r.denominator(), 1);
    EXPECT_EQ(r, ratio::of(0, 7));
}

TEST(Ratio, OfReducesToLowestTermsWithAPositiveDenominator) {
    const ratio half = ratio::of(2, 4);
    EXPECT_EQ(half.numerator(), 1);
    EXPECT_EQ(half.denominator(), 2);
    EXPECT_EQ(ratio::of(3, -6).numerator(), -1);
    EXPECT_EQ(ratio::of(3, -6).denominator(), 2);
    EXPECT_EQ(ratio::of(-3, -6), ratio::of(1, 2));
    EXPECT_EQ(ratio::of(0, -5).denominator(), 1);
    EXPECT_EQ(ratio::of(int64_min, 2).numerator(), int64_min / 2);
    EXPECT_EQ(ratio::of(int64_min, int64_min), ratio::of(1, 1));
    EXPECT_EQ(ratio::of(int64_min, 1).numerator(), int64_min);
    EXPECT_EQ(ratio::of(int64_max, int64_max).denominator(), 1);
    EXPECT_EQ(ratio::of(int64_min, -2).numerator(), std::int64_t{1} << 62);
}

TEST(Ratio, ZeroDenominatorAndUnrepresentableValuesThrowValidationError) {
    for (const auto& [n, d] : {std::pair<std::int64_t, std::int64_t>{1, 0},
                               {0, 0},
                               {1, int64_min},
                               {int64_min, -1},
                               {-1, int64_min}}) {
        SCOPED_TRACE(testing::Message() << n << "/" << d);
        try {
            (void)ratio::of(n, d);
            ADD_FAILURE() << "accepted";
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "ratio");
        }
    }
}

TEST(Ratio, ParseReadsDecimalsPercentagesAndFractions) {
    EXPECT_EQ(ratio::parse("12.5%"), ratio::parse("0.125"));
    EXPECT_EQ(ratio::parse("0.125"), ratio::of(1, 8));
    EXPECT_EQ(ratio::parse("12%"), ratio::of(3, 25));
    EXPECT_EQ(ratio::parse("100%"), ratio::of(1, 1));
    EXPECT_EQ(ratio::parse("0%"), ratio());
    EXPECT_EQ(ratio::parse("-0.5"), ratio::of(-1, 2));
    EXPECT_EQ(ratio::parse("-0"), ratio());
    EXPECT_EQ(ratio::parse("1"), ratio::of(1, 1));
    EXPECT_EQ(ratio::parse("19.75%"), ratio::of(79, 400));
    EXPECT_EQ(ratio::parse("0.1975"), ratio::of(79, 400));
    EXPECT_EQ(ratio::parse("007.50"), ratio::of(15, 2));
    EXPECT_EQ(ratio::parse("250%"), ratio::of(5, 2));
    EXPECT_EQ(ratio::parse("1/3"), ratio::of(1, 3));
    EXPECT_EQ(ratio::parse("-7/8"), ratio::of(-7, 8));
    EXPECT_EQ(ratio::parse("6/4"), ratio::of(3, 2));
    EXPECT_EQ(ratio::parse("0/5"), ratio());
    EXPECT_EQ(ratio::parse("-9223372036854775808/1"), ratio::of(int64_min, 1));
    EXPECT_EQ(ratio::parse("9223372036854775807/9223372036854775807"), ratio::of(1, 1));
    // 18 significant digits and 18 digits of scale are the limits.
    EXPECT_EQ(ratio::parse("123456789012345678"), ratio::of(123456789012345678, 1));
    EXPECT_EQ(ratio::parse("0.000000000000000001"), ratio::of(1, 1'000'000'000'000'000'000));
    EXPECT_EQ(ratio::parse("0.0000000000000001%"), ratio::of(1, 1'000'000'000'000'000'000));
    EXPECT_EQ(ratio::parse("0.12345678901234567800000"), ratio::parse("0.123456789012345678"));
    EXPECT_EQ(ratio::parse("000000000000000000000000.5"), ratio::of(1, 2));
}

TEST(Ratio, ParseRejectsBadTextWithAValidationErrorOnRatio) {
    const char* const cases[] = {
        "",
        "-",
        ".5",
        "5.",
        "-.5",
        "+1",
        "1e3",
        "1E3",
        " 1",
        "1 ",
        "1..2",
        "1.2.3",
        "1,5",
        "1 000",
        "12%%",
        "%",
        "%12",
        "12 %",
        "-%",
        "0x10",
        "abc",
        "NaN",
        "inf",
        "\xc2\xbd",  // one half sign
        "1/0",
        "1/",
        "/2",
        "1/-2",
        "-1/-2",
        "1/2/3",
        "1.5/2",
        "1/2.5",
        "1/2%",
        "--1",
        "1234567890123456789",    // 19 significant digits
        "0.1234567890123456789",  // 19 significant digits
        "0.0000000000000000001",  // scale 19
        "0.00000000000000001%",   // scale 17 + 2
        "9223372036854775808/1",
        "-9223372036854775809/1",
        "1/9223372036854775808",
        "99999999999999999999999/1",
    };
    for (const char* text : cases) {
        SCOPED_TRACE(testing::Message() << "text='" << text << "'");
        try {
            (void)ratio::parse(text);
            ADD_FAILURE() << "accepted";
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "ratio");
        }
    }
}

TEST(Ratio, ToStringIsExactDecimalOrFraction) {
    EXPECT_EQ(ratio::of(1, 8).to_string(), "0.125");
    EXPECT_EQ(ratio::of(-1, 8).to_string(), "-0.125");
    EXPECT_EQ(ratio::of(79, 400).to_string(), "0.1975");
    EXPECT_EQ(ratio::of(-3, 1).to_string(), "-3");
    EXPECT_EQ(ratio().to_string(), "0");
    EXPECT_EQ(ratio::of(15, 2).to_string(), "7.5");
    EXPECT_EQ(ratio::of(1, 1'000'000'000'000'000'000).to_string(), "0.000000000000000001");
    EXPECT_EQ(ratio::of(1, 3).to_string(), "1/3");
    EXPECT_EQ(ratio::of(-2, 3).to_string(), "-2/3");
    EXPECT_EQ(ratio::of(1, 6).to_string(), "1/6");
    // 2^-40 has 40 decimals, more than parse accepts: written as a fraction.
    EXPECT_EQ(ratio::of(1, std::int64_t{1} << 40).to_string(), "1/1099511627776");
    EXPECT_EQ(ratio::of(int64_max, 1).to_string(), "9223372036854775807/1");
    std::ostringstream out;
    out << ratio::of(1, 4);
    EXPECT_EQ(out.str(), "0.25");
}

TEST(Ratio, ParseOfToStringIsIdentity) {
    std::mt19937_64 rng(2026);
    std::uniform_int_distribution<std::int64_t> full(int64_min, int64_max);
    std::uniform_int_distribution<std::int64_t> small(-100'000, 100'000);
    std::uniform_int_distribution<int> exponent(0, 30);
    std::uniform_int_distribution<int> kind(0, 3);
    int failures = 0;
    for (int i = 0; i < 100'000; ++i) {
        std::int64_t n = 0;
        std::int64_t d = 1;
        switch (kind(rng)) {
            case 0:  // denominators 2^a 5^b: decimals
                n = small(rng);
                for (int a = exponent(rng) % 20; a > 0; --a) d *= 2;
                for (int b = exponent(rng) % 12; b > 0; --b) d *= 5;
                break;
            case 1:
                n = small(rng);
                d = small(rng);
                break;
            case 2:
                n = full(rng);
                d = full(rng);
                break;
            default:
                n = full(rng);
                d = std::int64_t{1} << (exponent(rng) % 63);
        }
        if (d == 0 || d == int64_min) d = 1;
        const ratio r = ratio::of(n, d);
        const std::string text = r.to_string();
        if (ratio::parse(text) != r && ++failures <= 5) {
            ADD_FAILURE() << n << "/" << d << " -> '" << text << "'";
        }
    }
    EXPECT_EQ(failures, 0);
}

TEST(Ratio, ComparisonsAreExactForExtremeTerms) {
    EXPECT_LT(ratio::of(1, 3), ratio::of(1, 2));
    EXPECT_LT(ratio::of(-1, 2), ratio::of(-1, 3));
    EXPECT_GT(ratio::of(1, 1), ratio::of(int64_max - 1, int64_max));
    // M/(M-1) < (M-1)/(M-2): equal as doubles, different exactly.
    const ratio a = ratio::of(int64_max, int64_max - 1);
    const ratio b = ratio::of(int64_max - 1, int64_max - 2);
    EXPECT_TRUE(a < b);
    EXPECT_TRUE(a <= b);
    EXPECT_TRUE(b > a);
    EXPECT_TRUE(b >= a);
    EXPECT_FALSE(b < a);
    EXPECT_TRUE(a <= a);
    EXPECT_TRUE(a >= a);
    EXPECT_FALSE(a < a);
    EXPECT_LT(ratio::of(int64_min, 1), ratio::of(int64_max, 1));
    EXPECT_LT(ratio::of(int64_min, 1), ratio::of(int64_min + 1, 1));
}

TEST(Ratio, PercentIsOverOneHundred) {
    EXPECT_EQ(ratio::percent(15), ratio::of(3, 20));
    EXPECT_EQ(ratio::percent(100), ratio::of(1, 1));
    EXPECT_EQ(ratio::percent(-5), ratio::of(-1, 20));
    EXPECT_EQ(ratio::percent(0), ratio());
}

TEST(Ratio, HashAgreesWithEquality) {
    std::unordered_set<ratio> set{ratio::of(1, 2), ratio::of(2, 4), ratio::parse("50%"),
                                  ratio::of(-1, 2), ratio::of(1, 3)};
    EXPECT_EQ(set.size(), 3U);
}

}  // namespace
}  // namespace shopcore

#include <shopcore/core/currency.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <type_traits>
#include <unordered_set>

#include <gtest/gtest.h>

#include <shopcore/core/error.hpp>

namespace shopcore {
namespace {

TEST(Currency, IsASmallRegularValue) {
    static_assert(std::is_trivially_copyable_v<currency>);
    EXPECT_EQ(sizeof(currency), 2U);
    const currency a = currency::of("USD");
    currency b;
    b = a;
    EXPECT_EQ(a, b);
}

TEST(Currency, DefaultIsXxxWithExponentZero) {
    const currency none;
    EXPECT_EQ(none.code(), "XXX");
    EXPECT_EQ(none.exponent(), 0);
    EXPECT_EQ(none, currency::of("XXX"));
    EXPECT_NE(none, currency::of("USD"));
}

TEST(Currency, ZeroDigitCurrenciesHaveExponentZero) {
    for (const char* code : {"JPY", "KRW", "CLP", "VND", "ISK", "XAF", "XOF", "XPF", "BIF", "DJF",
                             "GNF", "KMF", "PYG", "RWF", "UGX", "VUV", "UYI"}) {
        SCOPED_TRACE(code);
        EXPECT_EQ(currency::of(code).exponent(), 0);
    }
}

TEST(Currency, ThreeDigitCurrenciesHaveExponentThree) {
    for (const char* code : {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}) {
        SCOPED_TRACE(code);
        EXPECT_EQ(currency::of(code).exponent(), 3);
    }
}

TEST(Currency, ClfAndUywHaveExponentFour) {
    EXPECT_EQ(currency::of("CLF").exponent(), 4);
    EXPECT_EQ(currency::of("UYW").exponent(), 4);
}

TEST(Currency, CommonCurrenciesHaveExponentTwo) {
    for (const char* code : {"USD", "EUR", "GBP", "CHF", "CNY", "INR", "IRR", "HUF", "TWD", "MGA",
                             "XCG", "ZWG", "SLE", "VED"}) {
        SCOPED_TRACE(code);
        EXPECT_EQ(currency::of(code).exponent(), 2);
    }
}

TEST(Currency, UnknownOrMalformedCodeThrowsValidationErrorOnCurrency) {
    for (const char* code : {"",
                             "usd",
                             "Usd",
                             "US",
                             "USDD",
                             " USD",
                             "USD ",
                             "ABC",
                             "ZZZ",
                             "AAA",
                             "123",
                             "U$D",
                             "\xe2\x82\xac",  // the euro sign
                             "HRK",
                             "BGN",
                             "ANG",
                             "ZWL",
                             "SLL",
                             "CUC",  // withdrawn
                             "XAU",
                             "XAG",
                             "XDR",
                             "XTS"}) {  // no minor unit in ISO 4217
        SCOPED_TRACE(code);
        EXPECT_FALSE(currency::is_known(code));
        try {
            (void)currency::of(code);
            ADD_FAILURE() << "accepted";
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "currency");
            EXPECT_EQ(e.code(), error_code::validation);
        }
    }
}

TEST(Currency, EveryKnownCodeRoundTripsAndHasAValidExponent) {
    const auto codes = known_currency_codes();
    EXPECT_GE(codes.size(), 150U);
    EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
    EXPECT_EQ(std::adjacent_find(codes.begin(), codes.end()), codes.end());
    std::unordered_set<currency> distinct;
    for (const auto& code : codes) {
        SCOPED_TRACE(code);
        ASSERT_TRUE(currency::is_known(code));
        const currency c = currency::of(code);
        EXPECT_EQ(c.code(), code);
        const int e = c.exponent();
        EXPECT_TRUE(e == 0 || e == 2 || e == 3 || e == 4);
        distinct.insert(c);
    }
    EXPECT_EQ(distinct.size(), codes.size());
    EXPECT_NE(std::find(codes.begin(), codes.end(), "XXX"), codes.end());
}

TEST(Currency, EqualityHashAndStreamFollowTheCode) {
    EXPECT_EQ(currency::of("EUR"), currency::of("EUR"));
    EXPECT_NE(currency::of("EUR"), currency::of("USD"));
    EXPECT_EQ(std::hash<currency>{}(currency::of("EUR")),
              std::hash<currency>{}(currency::of("EUR")));
    std::ostringstream out;
    out << currency::of("KWD");
    EXPECT_EQ(out.str(), "KWD");
}

}  // namespace
}  // namespace shopcore

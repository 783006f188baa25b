#include <shopcore/core/money.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include <gtest/gtest.h>
#include <boost/multiprecision/cpp_int.hpp>

#include <shopcore/core/error.hpp>

#include "core/invariant_divider.hpp"

namespace shopcore {
namespace {

constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

currency usd() { return currency::of("USD"); }

std::vector<std::int64_t> minor_units(const std::vector<money>& parts) {
    std::vector<std::int64_t> out;
    for (const money& m : parts) out.push_back(m.minor_units());
    return out;
}

std::vector<std::int64_t> allocate(std::int64_t amount, const std::vector<std::int64_t>& w) {
    return minor_units(money::of_minor(amount, usd()).allocate(w));
}

using units = std::vector<std::int64_t>;

// ---- known bug cases ---------------------------------------------------------------------

TEST(Allocation, TwoDollarsOverThreeEqualLinesSumsToTwoDollars) {
    // Broadleaf #1113 gave 0.67 + 0.67 + 0.68 = 2.02.
    const auto parts = money::parse("2.00", usd()).allocate({500, 500, 500});
    ASSERT_EQ(parts.size(), 3U);
    EXPECT_EQ(parts[0], money::parse("0.67", usd()));
    EXPECT_EQ(parts[1], money::parse("0.67", usd()));
    EXPECT_EQ(parts[2], money::parse("0.66", usd()));
    EXPECT_EQ(parts[0] + parts[1] + parts[2], money::parse("2.00", usd()));
}

TEST(Allocation, FiveCentsSeventyThirtyIsFourAndOne) {
    EXPECT_EQ(allocate(5, {70, 30}), (units{4, 1}));
}

TEST(Allocation, EightDollarsEvenlyOverThreeIs267And267And266) {
    EXPECT_EQ(minor_units(money::parse("8.00", usd()).allocate_evenly(3)), (units{267, 267, 266}));
    EXPECT_EQ(allocate(800, {1, 1, 1}), (units{267, 267, 266}));
}

TEST(Allocation, TenOffThreeLinesOfOneHundredSumsToTen) {
    // ERPNext #58042 distributed 9.98 instead of 10.00.
    EXPECT_EQ(allocate(1000, {10000, 10000, 10000}), (units{334, 333, 333}));
}

TEST(Allocation, ThirtyFivePercentOffSplitsBackToTheLines) {
    // Chameleon #236: a 35 % order discount split over lines differed by a cent from the total.
    const money total_discount = money::parse("10.47", usd()).multiply(ratio::parse("35%"));
    EXPECT_EQ(total_discount, money::parse("3.66", usd()));  // 3.6645 rounded half up
    const auto parts = total_discount.allocate({199, 349, 499});
    money sum = money::zero(usd());
    for (const money& p : parts) sum += p;
    EXPECT_EQ(sum, total_discount);
}

// ---- the method --------------------------------------------------------------------------

TEST(Allocation, LeftoverUnitsGoToTheLargestRemainders) {
    // 10 over 3:1:3 is 4.29, 1.43, 4.29: floors 4, 1, 4; the leftover unit goes to the middle
    // part, whose remainder (3/7) beats the others' (2/7), even though it is not first.
    EXPECT_EQ(allocate(10, {3, 1, 3}), (units{4, 2, 4}));
    // 100 over 1:1:1:97 -> 1.0, 1.0, 1.0, 97.0 exactly.
    EXPECT_EQ(allocate(100, {1, 1, 1, 97}), (units{1, 1, 1, 97}));
}

TEST(Allocation, TiesGoToTheLowerIndex) {
    EXPECT_EQ(allocate(1, {1, 1, 1}), (units{1, 0, 0}));
    EXPECT_EQ(allocate(2, {1, 1, 1}), (units{1, 1, 0}));
    // 1.25, 0.25, 0.25, 0.25: four equal remainders, so the first part takes the unit.
    EXPECT_EQ(allocate(2, {5, 1, 1, 1}), (units{2, 0, 0, 0}));
}

TEST(Allocation, ZeroWeightGetsZero) {
    EXPECT_EQ(allocate(5, {0, 1, 0, 1, 0}), (units{0, 3, 0, 2, 0}));
    EXPECT_EQ(allocate(-5, {0, 1, 0}), (units{0, -5, 0}));
    EXPECT_EQ(allocate(1, {0, 0, 0, 1}), (units{0, 0, 0, 1}));
}

TEST(Allocation, NegativeAmountIsTheMirrorImage) {
    EXPECT_EQ(allocate(-5, {70, 30}), (units{-4, -1}));
    EXPECT_EQ(allocate(-200, {1, 1, 1}), (units{-67, -67, -66}));
    EXPECT_EQ(minor_units(money::of_minor(-800, usd()).allocate_evenly(3)),
              (units{-267, -267, -266}));
}

TEST(Allocation, ZeroAmountGivesZeroParts) { EXPECT_EQ(allocate(0, {1, 2, 3}), (units{0, 0, 0})); }

TEST(Allocation, PartsKeepTheCurrency) {
    const currency jpy = currency::of("JPY");
    for (const money& part : money::of_minor(1000, jpy).allocate({1, 2})) {
        EXPECT_EQ(part.currency(), jpy);
    }
    for (const money& part : money::of_minor(1000, jpy).allocate_evenly(4)) {
        EXPECT_EQ(part, money::of_minor(250, jpy));
    }
}

TEST(Allocation, ExtremeAmountsAndWeightsAreExact) {
    EXPECT_EQ(allocate(int64_max, {int64_max, int64_max}),
              (units{int64_max / 2 + 1, int64_max / 2}));
    EXPECT_EQ(allocate(int64_min, {1, 1}), (units{int64_min / 2, int64_min / 2}));
    EXPECT_EQ(allocate(int64_min, {0, 5}), (units{0, int64_min}));
    EXPECT_EQ(allocate(int64_min, {1}), (units{int64_min}));
    EXPECT_EQ(allocate(int64_max, {int64_max, 1}), (units{int64_max - 1, 1}));
    EXPECT_EQ(allocate(3, {int64_max, int64_max, int64_max}), (units{1, 1, 1}));
    EXPECT_EQ(minor_units(money::of_minor(int64_min, usd()).allocate_evenly(1)),
              (units{int64_min}));
    EXPECT_EQ(minor_units(money::of_minor(int64_min, usd()).allocate_evenly(3)),
              (units{-3074457345618258603, -3074457345618258603, -3074457345618258602}));
}

TEST(Allocation, AllocateEvenlyIntoMorePartsThanUnits) {
    EXPECT_EQ(minor_units(money::of_minor(2, usd()).allocate_evenly(5)), (units{1, 1, 0, 0, 0}));
}

TEST(Allocation, BadWeightsThrowValidationErrorOnWeights) {
    const money m = money::of_minor(100, usd());
    const std::vector<std::vector<std::int64_t>> bad = {{},      {0},        {0, 0, 0},     {-1},
                                                        {1, -1}, {5, 0, -3}, {int64_min, 1}};
    for (const auto& weights : bad) {
        try {
            (void)m.allocate(weights);
            ADD_FAILURE() << "accepted " << ::testing::PrintToString(weights);
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "weights");
        }
    }
    try {
        (void)m.allocate_evenly(0);
        ADD_FAILURE() << "accepted zero parts";
    } catch (const validation_error& e) {
        EXPECT_EQ(e.field(), "parts");
    }
}

// ---- properties --------------------------------------------------------------------------

// Oracle: arbitrary precision; floors, then leftover units by a stable sort on remainders.
std::vector<std::int64_t> oracle_allocate(std::int64_t amount,
                                          const std::vector<std::int64_t>& weights) {
    using boost::multiprecision::cpp_int;
    const cpp_int whole = abs(cpp_int(amount));
    cpp_int total = 0;
    for (const auto w : weights) total += w;
    std::vector<cpp_int> shares;
    std::vector<cpp_int> rems;
    cpp_int given = 0;
    for (const auto w : weights) {
        shares.push_back(whole * w / total);
        rems.push_back(whole * w % total);
        given += shares.back();
    }
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return rems[a] > rems[b]; });
    const auto leftover = static_cast<std::size_t>(whole - given);
    for (std::size_t i = 0; i < leftover; ++i) shares[order[i]] += 1;
    std::vector<std::int64_t> out;
    for (cpp_int s : shares) {
        if (amount < 0) s = -s;
        out.push_back(s.convert_to<std::int64_t>());
    }
    return out;
}

TEST(Allocation, AllocationNeverLosesAMinorUnit) {
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::int64_t> full(int64_min, int64_max);
    std::uniform_int_distribution<std::int64_t> everyday(-10'000'000, 10'000'000);
    std::uniform_int_distribution<std::int64_t> tiny(-63, 63);
    std::uniform_int_distribution<std::size_t> few(1, 40);
    std::uniform_int_distribution<std::size_t> many(65, 200);
    std::uniform_int_distribution<std::int64_t> small_weight(0, 1000);
    std::uniform_int_distribution<std::int64_t> medium_weight(0, 1'000'000'000);
    std::uniform_int_distribution<std::int64_t> large_weight(0, int64_max / 64);
    std::uniform_int_distribution<std::int64_t> any_weight(0, int64_max);
    std::uniform_int_distribution<int> percent(0, 99);
    int failures = 0;
    const auto fail = [&](const std::string& what, std::int64_t amount,
                          const std::vector<std::int64_t>& weights) {
        if (++failures <= 5) {
            ADD_FAILURE() << what << ": amount " << amount << " weights "
                          << ::testing::PrintToString(weights);
        }
    };
    for (int i = 0; i < 12'000; ++i) {
        // Every kind of input the implementation treats differently: 64-bit products with few
        // or many parts and small, medium or huge totals, and 128-bit products.
        std::int64_t amount = 0;
        std::size_t n = few(rng);
        std::uniform_int_distribution<std::int64_t>* weight = &small_weight;
        switch (i % 6) {
            case 0:
                amount = everyday(rng);
                break;
            case 1:
                amount = full(rng);
                break;
            case 2:
                amount = everyday(rng);
                weight = &medium_weight;
                break;
            case 3:
                amount = tiny(rng);
                weight = &large_weight;
                break;
            case 4:
                amount = full(rng);
                weight = &any_weight;
                break;
            default:
                amount = everyday(rng);
                n = many(rng);
        }
        std::vector<std::int64_t> weights(n);
        for (auto& w : weights) w = percent(rng) < 25 ? 0 : (*weight)(rng);
        if (std::all_of(weights.begin(), weights.end(), [](auto w) { return w == 0; })) {
            weights[static_cast<std::size_t>(i) % weights.size()] = 1;
        }
        const std::vector<money> parts = money::of_minor(amount, usd()).allocate(weights);
        if (parts.size() != weights.size()) {
            fail("wrong number of parts", amount, weights);
            continue;
        }
        // Parts share the amount's sign, so partial sums move monotonically toward it and the
        // int64 sum cannot overflow.
        std::int64_t sum = 0;
        for (std::size_t k = 0; k < parts.size(); ++k) {
            const std::int64_t p = parts[k].minor_units();
            if (amount >= 0 ? (p < 0 || p > amount) : (p > 0 || p < amount)) {
                fail("part outside [0, amount]", amount, weights);
            }
            if (weights[k] == 0 && p != 0) fail("zero weight got a share", amount, weights);
            sum += p;
        }
        if (sum != amount) fail("parts do not sum to the amount", amount, weights);
        if (minor_units(parts) != oracle_allocate(amount, weights)) {
            fail("differs from the largest-remainder oracle", amount, weights);
        }
        if (amount != int64_min) {
            std::vector<std::int64_t> mirrored;
            for (const money& p : money::of_minor(-amount, usd()).allocate(weights)) {
                mirrored.push_back(-p.minor_units());
            }
            if (mirrored != minor_units(parts)) {
                fail("negative amount is not the mirror image", amount, weights);
            }
        }
    }
    EXPECT_EQ(failures, 0);
}

TEST(Allocation, IsExactForTotalsAroundEveryPowerOfTwo) {
    // The 64-bit path divides by the total with a precomputed reciprocal; check it where such
    // schemes break: totals 2^k - 1, 2^k and 2^k + 1, with the largest amounts that keep
    // amount * total within 64 bits, and with 128-bit products.
    std::mt19937_64 rng(3);
    for (int k = 0; k < 63; ++k) {
        for (const std::int64_t delta : {-1, 0, 1}) {
            const std::int64_t total = (std::int64_t{1} << k) + delta;
            if (total < 1) continue;
            // Three weights summing to total (some may be zero).
            const std::int64_t a = std::uniform_int_distribution<std::int64_t>(0, total)(rng);
            const std::int64_t b = std::uniform_int_distribution<std::int64_t>(0, total - a)(rng);
            const std::vector<std::int64_t> weights = {a, b, total - a - b};
            const auto largest_fitting = static_cast<std::int64_t>(
                std::min<std::uint64_t>(UINT64_MAX / static_cast<std::uint64_t>(total),
                                        static_cast<std::uint64_t>(int64_max)));
            for (const std::int64_t amount :
                 {largest_fitting, largest_fitting - 1, largest_fitting / 3 + 1, std::int64_t{1},
                  std::int64_t{0}, -largest_fitting, int64_max, int64_min}) {
                SCOPED_TRACE(testing::Message() << "amount " << amount << " total " << total);
                EXPECT_EQ(allocate(amount, weights), oracle_allocate(amount, weights));
            }
        }
    }
}

TEST(Allocation, AllocateEvenlySumsExactlyAndDiffersByAtMostOneUnit) {
    std::mt19937_64 rng(99);
    std::uniform_int_distribution<std::int64_t> full(int64_min, int64_max);
    std::uniform_int_distribution<std::size_t> count(1, 50);
    for (int i = 0; i < 10'000; ++i) {
        const std::int64_t amount = full(rng) >> (i % 64);
        const auto parts = money::of_minor(amount, usd()).allocate_evenly(count(rng));
        std::int64_t sum = 0;
        std::int64_t lo = int64_max;
        std::int64_t hi = int64_min;
        for (const money& p : parts) {
            sum += p.minor_units();
            lo = std::min(lo, p.minor_units());
            hi = std::max(hi, p.minor_units());
        }
        ASSERT_EQ(sum, amount);
        ASSERT_LE(hi - lo, 1);
    }
}

// ---- the 64-bit divider behind allocation -------------------------------------------------

TEST(InvariantDivider, MatchesHardwareDivisionForEveryDivisorShape) {
    std::mt19937_64 rng(11);
    std::vector<std::uint64_t> divisors;
    for (std::uint64_t d = 1; d <= 3000; ++d) divisors.push_back(d);
    for (int k = 1; k < 64; ++k) {
        const std::uint64_t p = std::uint64_t{1} << k;
        divisors.insert(divisors.end(), {p - 1, p, p + 1});
    }
    divisors.push_back(UINT64_MAX);
    for (int i = 0; i < 2000; ++i) divisors.push_back(rng() >> (rng() % 64) | 1U);
    std::uniform_int_distribution<std::uint64_t> any;
    int failures = 0;
    for (const std::uint64_t d : divisors) {
        const shopcore::detail::invariant_divider divider(d);
        std::vector<std::uint64_t> dividends = {0, 1, d - 1, d, UINT64_MAX, UINT64_MAX - 1};
        if (d < UINT64_MAX) dividends.push_back(d + 1);
        const std::uint64_t top = UINT64_MAX / d;  // largest quotient
        for (const std::uint64_t q : {std::uint64_t{2}, top / 2, top - 1, top}) {
            if (q == 0 || q > top) continue;
            dividends.insert(dividends.end(), {q * d - 1, q * d});
            if (q * d <= UINT64_MAX - 1) dividends.push_back(q * d + 1);
        }
        for (int k = 0; k < 20; ++k) dividends.push_back(any(rng));
        for (const std::uint64_t n : dividends) {
            if (divider.divide(n) != n / d && ++failures <= 5) {
                ADD_FAILURE() << n << " / " << d << ": got " << divider.divide(n);
            }
        }
    }
    EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace shopcore

#include <shopcore/core/quantity.hpp>
#include <shopcore/core/weight.hpp>

#include <cstdint>
#include <limits>
#include <sstream>
#include <unordered_set>

#include <gtest/gtest.h>

#include <shopcore/core/error.hpp>

namespace shopcore {
namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();

TEST(Weight, HoldsWholeGrams) {
    EXPECT_EQ(weight().grams(), 0);
    EXPECT_EQ(weight::of_grams(1250).grams(), 1250);
    EXPECT_EQ(weight::of_grams(1250).to_string(), "1250 g");
    std::ostringstream out;
    out << weight::of_grams(7);
    EXPECT_EQ(out.str(), "7 g");
}

TEST(Weight, NegativeGramsThrowValidationErrorOnWeight) {
    for (const std::int64_t g : {std::int64_t{-1}, int64_min}) {
        try {
            (void)weight::of_grams(g);
            ADD_FAILURE() << "accepted " << g;
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "weight");
        }
    }
}

TEST(Weight, AddsAndScalesWithOverflowChecks) {
    EXPECT_EQ(weight::of_grams(500) + weight::of_grams(750), weight::of_grams(1250));
    EXPECT_EQ(weight::of_grams(250) * 4, weight::of_grams(1000));
    EXPECT_EQ(weight::of_grams(250) * 0, weight());
    weight w = weight::of_grams(1);
    w += weight::of_grams(2);
    EXPECT_EQ(w, weight::of_grams(3));
    EXPECT_THROW((void)(weight::of_grams(int64_max) + weight::of_grams(1)), arithmetic_error);
    EXPECT_THROW((void)(weight::of_grams(int64_max / 2 + 1) * 2), arithmetic_error);
    EXPECT_THROW((void)(weight::of_grams(1) * -1), validation_error);
    EXPECT_THROW(w += weight::of_grams(int64_max), arithmetic_error);
    EXPECT_EQ(w, weight::of_grams(3));
}

TEST(Weight, ComparesAndHashesByGrams) {
    EXPECT_LT(weight::of_grams(1), weight::of_grams(2));
    EXPECT_LE(weight::of_grams(2), weight::of_grams(2));
    EXPECT_GT(weight::of_grams(3), weight::of_grams(2));
    EXPECT_GE(weight::of_grams(3), weight::of_grams(3));
    EXPECT_NE(weight::of_grams(3), weight::of_grams(4));
    const std::unordered_set<weight> set{weight::of_grams(1), weight::of_grams(1),
                                         weight::of_grams(2)};
    EXPECT_EQ(set.size(), 2U);
}

TEST(Quantity, HoldsANonNegativeCount) {
    EXPECT_EQ(quantity().value(), 0);
    EXPECT_FALSE(quantity().is_positive());
    EXPECT_TRUE(quantity::of(3).is_positive());
    EXPECT_EQ(quantity::of(3).value(), 3);
    EXPECT_EQ(quantity::of(3).to_string(), "3");
    std::ostringstream out;
    out << quantity::of(12);
    EXPECT_EQ(out.str(), "12");
}

TEST(Quantity, NegativeCountThrowsValidationErrorOnQuantity) {
    for (const std::int64_t n : {std::int64_t{-1}, int64_min}) {
        try {
            (void)quantity::of(n);
            ADD_FAILURE() << "accepted " << n;
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "quantity");
        }
    }
}

TEST(Quantity, AddsAndSubtractsWithoutGoingNegativeOrOverflowing) {
    EXPECT_EQ(quantity::of(2) + quantity::of(3), quantity::of(5));
    EXPECT_EQ(quantity::of(5) - quantity::of(3), quantity::of(2));
    EXPECT_EQ(quantity::of(5) - quantity::of(5), quantity());
    EXPECT_THROW((void)(quantity::of(2) - quantity::of(3)), arithmetic_error);
    EXPECT_THROW((void)(quantity::of(int64_max) + quantity::of(1)), arithmetic_error);
    quantity q = quantity::of(4);
    q -= quantity::of(1);
    q += quantity::of(10);
    EXPECT_EQ(q, quantity::of(13));
    EXPECT_THROW(q -= quantity::of(14), arithmetic_error);
    EXPECT_EQ(q, quantity::of(13));
}

TEST(Quantity, ComparesAndHashesByCount) {
    EXPECT_LT(quantity::of(1), quantity::of(2));
    EXPECT_LE(quantity::of(2), quantity::of(2));
    EXPECT_GT(quantity::of(3), quantity::of(2));
    EXPECT_GE(quantity::of(3), quantity::of(3));
    EXPECT_NE(quantity::of(3), quantity::of(4));
    const std::unordered_set<quantity> set{quantity::of(1), quantity::of(1), quantity::of(2)};
    EXPECT_EQ(set.size(), 2U);
}

}  // namespace
}  // namespace shopcore

#include <shopcore/core/ids.hpp>

#include <sstream>
#include <type_traits>
#include <unordered_set>

#include <gtest/gtest.h>

namespace shopcore {
namespace {

// Ids of different kinds are different types; ids are not made from integers implicitly.
static_assert(!std::is_convertible_v<product_id, order_id>);
static_assert(!std::is_constructible_v<order_id, product_id>);
static_assert(!std::is_convertible_v<std::int64_t, product_id>);
static_assert(std::is_trivially_copyable_v<product_id>);
static_assert(sizeof(product_id) == sizeof(std::int64_t));

TEST(Ids, DefaultIdIsZeroAndInvalid) {
    const product_id none;
    EXPECT_EQ(none.value(), 0);
    EXPECT_FALSE(none.is_valid());
    EXPECT_FALSE(user_id(-5).is_valid());
    EXPECT_TRUE(user_id(1).is_valid());
}

TEST(Ids, CompareAndOrderByValue) {
    EXPECT_EQ(order_id(7), order_id(7));
    EXPECT_NE(order_id(7), order_id(8));
    EXPECT_LT(order_id(7), order_id(8));
    EXPECT_LE(order_id(8), order_id(8));
    EXPECT_GT(order_id(9), order_id(8));
    EXPECT_GE(order_id(9), order_id(9));
    EXPECT_FALSE(order_id(9) < order_id(9));
}

TEST(Ids, HashAndPrintByValue) {
    const std::unordered_set<cart_id> set{cart_id(1), cart_id(2), cart_id(1)};
    EXPECT_EQ(set.size(), 2U);
    std::ostringstream out;
    out << ticket_id(42) << ' ' << comment_id(7) << ' ' << category_id(3) << ' ' << discount_id(9);
    EXPECT_EQ(out.str(), "42 7 3 9");
}

}  // namespace
}  // namespace shopcore

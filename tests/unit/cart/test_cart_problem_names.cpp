#include <gtest/gtest.h>

#include <string>

#include <shopcore/cart/cart.hpp>

namespace shopcore {
namespace {

TEST(CartProblemKind, EveryKindHasItsStableName) {
    EXPECT_EQ(std::string(cart_problem_kind_name(cart_problem_kind::inactive)), "inactive");
    EXPECT_EQ(std::string(cart_problem_kind_name(cart_problem_kind::insufficient_stock)),
              "insufficient_stock");
    EXPECT_EQ(std::string(cart_problem_kind_name(cart_problem_kind::shipping_unavailable)),
              "shipping_unavailable");
    EXPECT_EQ(std::string(cart_problem_kind_name(static_cast<cart_problem_kind>(99))), "unknown");
}

}  // namespace
}  // namespace shopcore

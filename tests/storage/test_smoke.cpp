#include "fixture.hpp"

namespace shopcore::test {
namespace {

using Smoke = shop_test;

TEST_F(Smoke, OpensAndCreatesAProduct) {
    EXPECT_EQ(sh().backend(), backend());
    EXPECT_GE(sh().schema_version(), 1);
    auto cat = make_category("Shoes");
    auto p = make_product("SKU-1", "19.99", 5, cat.id);
    EXPECT_TRUE(p.id.is_valid());
    auto again = catalog().product_by_id(visitor, p.id);
    EXPECT_EQ(again.price, usd("19.99"));
    EXPECT_EQ(again.category, cat.id);
    EXPECT_EQ(inventory().stock_of(visitor, p.id).on_hand, 5);
    auto after = inventory().take_stock(admin, p.id, quantity::of(2), "sold");
    EXPECT_EQ(after.on_hand, 3);
    EXPECT_THROW(inventory().take_stock(admin, p.id, quantity::of(4), "sold"),
                 insufficient_stock_error);
    EXPECT_EQ(inventory().stock_of(visitor, p.id).on_hand, 3);
}

}  // namespace
}  // namespace shopcore::test

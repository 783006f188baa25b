// Stock levels, the conditional take, thresholds and the movement log, on every backend.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "expect_rejected.hpp"
#include "fixture.hpp"

namespace shopcore::test {
namespace {

class Inventory : public shop_test {
protected:
    // Every movement of `p`, newest first, `limit` at a time.
    std::vector<stock_movement> all_movements(product_id p, std::int64_t limit = 100) {
        return all_pages(limit,
                         [&](const page_request& r) { return inventory().movements(admin, p, r); });
    }

    std::int64_t on_hand(product_id p) { return inventory().stock_of(visitor, p).on_hand; }
};

TEST_F(Inventory, StockOfReportsTheInitialStockAndThreshold) {
    new_product np;
    np.sku = "SKU-1";
    np.name = "Thing";
    np.price = usd("1.00");
    np.initial_stock = 12;
    np.low_stock_threshold = 3;
    const product p = catalog().create_product(admin, np);
    for (const actor& who : {admin, customer, visitor}) {
        const stock_level s = inventory().stock_of(who, p.id);
        EXPECT_EQ(s.product, p.id);
        EXPECT_EQ(s.on_hand, 12);
        EXPECT_EQ(s.low_stock_threshold, 3);
        EXPECT_EQ(s.updated_at, clock->now());
        EXPECT_FALSE(s.is_low());
    }
}

TEST_F(Inventory, StockOfAnUnknownProductIsNotFound) {
    EXPECT_THROW((void)inventory().stock_of(visitor, product_id(4242)), not_found_error);
}

TEST_F(Inventory, SetStockSetsTheLevelAndStampsTheTime) {
    const product p = make_product("SKU-1", "1.00", 10);
    clock->advance_seconds(30);
    const stock_level up = inventory().set_stock(admin, p.id, 25, "stock count");
    EXPECT_EQ(up.on_hand, 25);
    EXPECT_EQ(up.updated_at, clock->now());
    EXPECT_EQ(on_hand(p.id), 25);
    EXPECT_EQ(inventory().set_stock(admin, p.id, 0, "write-off").on_hand, 0);
    EXPECT_EQ(on_hand(p.id), 0);
    EXPECT_EQ(inventory().set_stock(admin, p.id, 3, "found some").on_hand, 3);
    EXPECT_EQ(on_hand(p.id), 3);
}

TEST_F(Inventory, SetStockToTheCurrentLevelRecordsNoMovement) {
    const product p = make_product("SKU-1", "1.00", 10);
    const auto before = all_movements(p.id).size();
    EXPECT_EQ(inventory().set_stock(admin, p.id, 10, "recount").on_hand, 10);
    EXPECT_EQ(all_movements(p.id).size(), before);
}

TEST_F(Inventory, AdjustStockAddsAndRemoves) {
    const product p = make_product("SKU-1", "1.00", 10);
    EXPECT_EQ(inventory().adjust_stock(admin, p.id, 5, "delivery").on_hand, 15);
    EXPECT_EQ(on_hand(p.id), 15);
    EXPECT_EQ(inventory().adjust_stock(admin, p.id, -15, "damaged").on_hand, 0);
    EXPECT_EQ(on_hand(p.id), 0);
    EXPECT_EQ(inventory().adjust_stock(admin, p.id, 1, "returned").on_hand, 1);
}

TEST_F(Inventory, AdjustingBelowZeroIsRefusedWithTheNumbersAndChangesNothing) {
    const product p = make_product("SKU-1", "1.00", 4);
    auto e = expect_rejected<insufficient_stock_error>(
        url, [&] { inventory().adjust_stock(admin, p.id, -5, "shrinkage"); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), error_code::insufficient_stock);
    EXPECT_EQ(e->product(), p.id);
    EXPECT_EQ(e->requested(), 5);
    EXPECT_EQ(e->available(), 4);
    EXPECT_EQ(on_hand(p.id), 4);
}

TEST_F(Inventory, TakeStockTakesUnitsWhileEnoughAreOnHand) {
    const product p = make_product("SKU-1", "1.00", 5);
    EXPECT_EQ(inventory().take_stock(admin, p.id, quantity::of(2), "order 1").on_hand, 3);
    EXPECT_EQ(inventory().take_stock(actor::system(), p.id, quantity::of(3), "order 2").on_hand, 0);
    EXPECT_EQ(on_hand(p.id), 0);
}

TEST_F(Inventory, TakingMoreThanIsOnHandIsRefusedWithTheNumbersAndChangesNothing) {
    const product p = make_product("SKU-1", "1.00", 3);
    auto e = expect_rejected<insufficient_stock_error>(
        url, [&] { inventory().take_stock(admin, p.id, quantity::of(4), "order 1"); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->product(), p.id);
    EXPECT_EQ(e->requested(), 4);
    EXPECT_EQ(e->available(), 3);
    EXPECT_EQ(on_hand(p.id), 3);

    inventory().take_stock(admin, p.id, quantity::of(3), "order 2");
    auto empty = expect_rejected<insufficient_stock_error>(
        url, [&] { inventory().take_stock(admin, p.id, quantity::of(1), "order 3"); });
    ASSERT_TRUE(empty.has_value());
    EXPECT_EQ(empty->requested(), 1);
    EXPECT_EQ(empty->available(), 0);
}

TEST_F(Inventory, ZeroDeltaNegativeLevelAndNegativeThresholdAreRefused) {
    const product p = make_product("SKU-1", "1.00", 3);
    auto zero = expect_rejected<validation_error>(
        url, [&] { inventory().adjust_stock(admin, p.id, 0, "nothing"); });
    ASSERT_TRUE(zero.has_value());
    EXPECT_EQ(zero->field(), "delta");
    auto negative = expect_rejected<validation_error>(
        url, [&] { inventory().set_stock(admin, p.id, -1, "count"); });
    ASSERT_TRUE(negative.has_value());
    EXPECT_EQ(negative->field(), "on_hand");
    auto take_none = expect_rejected<validation_error>(
        url, [&] { inventory().take_stock(admin, p.id, quantity::of(0), "nothing"); });
    ASSERT_TRUE(take_none.has_value());
    EXPECT_EQ(take_none->field(), "quantity");
    auto threshold = expect_rejected<validation_error>(
        url, [&] { inventory().set_low_stock_threshold(admin, p.id, -1); });
    ASSERT_TRUE(threshold.has_value());
    EXPECT_EQ(threshold->field(), "threshold");
}

TEST_F(Inventory, ReasonsMustBeNonEmptyPrintableAndAtMost500Characters) {
    const product p = make_product("SKU-1", "1.00", 3);
    for (const std::string& reason : {std::string(), std::string(501, 'r'),
                                      std::string("line\nbreak"), std::string("bad \xff utf8")}) {
        SCOPED_TRACE(reason);
        expect_rejected<validation_error>(
            url, [&] { inventory().adjust_stock(admin, p.id, 1, reason); });
        expect_rejected<validation_error>(url,
                                          [&] { inventory().set_stock(admin, p.id, 9, reason); });
        expect_rejected<validation_error>(
            url, [&] { inventory().take_stock(admin, p.id, quantity::of(1), reason); });
    }
    EXPECT_EQ(inventory().adjust_stock(admin, p.id, 1, std::string(500, 'r')).on_hand, 4);
}

TEST_F(Inventory, ChangesToAnUnknownProductAreNotFound) {
    const product_id unknown(987654);
    expect_rejected<not_found_error>(url,
                                     [&] { inventory().set_stock(admin, unknown, 1, "count"); });
    expect_rejected<not_found_error>(url,
                                     [&] { inventory().adjust_stock(admin, unknown, 1, "in"); });
    expect_rejected<not_found_error>(
        url, [&] { inventory().take_stock(admin, unknown, quantity::of(1), "out"); });
    expect_rejected<not_found_error>(
        url, [&] { inventory().set_low_stock_threshold(admin, unknown, 1); });
    EXPECT_THROW((void)inventory().movements(admin, unknown), not_found_error);
}

TEST_F(Inventory, AdjustingPastTheLargestCountIsRefusedAndChangesNothing) {
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    const product p = make_product("SKU-1", "1.00", 10);
    expect_rejected<validation_error>(url,
                                      [&] { inventory().adjust_stock(admin, p.id, max, "huge"); });
    EXPECT_EQ(on_hand(p.id), 10);
    // Up to the limit is fine, and stays an exact integer.
    EXPECT_EQ(inventory().adjust_stock(admin, p.id, max - 10, "fill").on_hand, max);
    EXPECT_EQ(on_hand(p.id), max);
    expect_rejected<validation_error>(
        url, [&] { inventory().adjust_stock(admin, p.id, 1, "one more"); });
    EXPECT_EQ(inventory().take_stock(admin, p.id, quantity::of(max), "all").on_hand, 0);
    EXPECT_EQ(inventory().set_stock(admin, p.id, max, "count").on_hand, max);
    // Removing 2^63 units cannot be reported as a request: refused as input.
    auto e = expect_rejected<validation_error>(url, [&] {
        inventory().adjust_stock(admin, p.id, std::numeric_limits<std::int64_t>::min(), "all");
    });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field(), "delta");
    EXPECT_EQ(inventory().adjust_stock(admin, p.id, -max, "all").on_hand, 0);
}

TEST_F(Inventory, SetStockToTheCurrentLevelChangesNothing) {
    const product p = make_product("SKU-1", "1.00", 10);
    const auto before = snapshot(url);
    clock->advance_seconds(5);
    const stock_level same = inventory().set_stock(admin, p.id, 10, "recount");
    EXPECT_EQ(same.on_hand, 10);
    EXPECT_EQ(snapshot(url), before);
}

TEST_F(Inventory, TheLowStockThresholdCanBeChanged) {
    const product p = make_product("SKU-1", "1.00", 5);
    EXPECT_FALSE(inventory().stock_of(visitor, p.id).is_low());
    clock->advance_seconds(1);
    const stock_level s = inventory().set_low_stock_threshold(admin, p.id, 5);
    EXPECT_EQ(s.low_stock_threshold, 5);
    EXPECT_EQ(s.on_hand, 5);
    EXPECT_TRUE(s.is_low());
    EXPECT_EQ(inventory().stock_of(visitor, p.id).low_stock_threshold, 5);
    EXPECT_TRUE(inventory().stock_of(visitor, p.id).is_low());
    EXPECT_FALSE(inventory().set_low_stock_threshold(admin, p.id, 4).is_low());
    inventory().set_stock(admin, p.id, 0, "gone");
    EXPECT_FALSE(inventory().set_low_stock_threshold(admin, p.id, 10).is_low())
        << "nothing on hand is out of stock, not low";
}

TEST_F(Inventory, TheVersionGrowsByOneWithEveryChange) {
    const product p = make_product("SKU-1", "1.00", 5);
    std::int64_t v = inventory().stock_of(visitor, p.id).version;
    EXPECT_EQ(inventory().adjust_stock(admin, p.id, 1, "in").version, v + 1);
    EXPECT_EQ(inventory().take_stock(admin, p.id, quantity::of(1), "out").version, v + 2);
    EXPECT_EQ(inventory().set_stock(admin, p.id, 9, "count").version, v + 3);
    EXPECT_EQ(inventory().set_low_stock_threshold(admin, p.id, 2).version, v + 4);
    EXPECT_EQ(inventory().stock_of(visitor, p.id).version, v + 4);
}

TEST_F(Inventory, MovementsAreAnAuditLogNewestFirst) {
    const product p = make_product("SKU-1", "1.00", 10);  // "initial stock" by admin
    const timestamp t0 = clock->now();
    clock->advance_seconds(60);
    inventory().adjust_stock(actor::system(), p.id, 5, "delivery");
    clock->advance_seconds(60);
    registration clerk;
    clerk.phone = "+15550000077";
    const actor stock_clerk =
        actor::admin(accounts().create_admin(admin, clerk, {permission::manage_inventory}).user.id);
    inventory().take_stock(stock_clerk, p.id, quantity::of(3), "order 12");
    clock->advance_seconds(60);
    inventory().set_stock(admin, p.id, 2, "stock count");
    // Refused changes leave no trace.
    EXPECT_THROW(inventory().take_stock(admin, p.id, quantity::of(9), "too many"),
                 insufficient_stock_error);

    const auto log = all_movements(p.id);
    ASSERT_EQ(log.size(), 4U);
    EXPECT_EQ(log[0].delta, -10);
    EXPECT_EQ(log[0].on_hand_after, 2);
    EXPECT_EQ(log[0].reason, "stock count");
    EXPECT_EQ(log[0].by_kind, actor_kind::admin);
    EXPECT_EQ(log[0].by_user, user_id(1));
    EXPECT_EQ(log[0].at, t0.plus_seconds(180));

    EXPECT_EQ(log[1].delta, -3);
    EXPECT_EQ(log[1].on_hand_after, 12);
    EXPECT_EQ(log[1].reason, "order 12");
    EXPECT_EQ(log[1].by_kind, actor_kind::admin);
    EXPECT_EQ(log[1].by_user, stock_clerk.user());
    EXPECT_EQ(log[1].at, t0.plus_seconds(120));

    EXPECT_EQ(log[2].delta, 5);
    EXPECT_EQ(log[2].on_hand_after, 15);
    EXPECT_EQ(log[2].reason, "delivery");
    EXPECT_EQ(log[2].by_kind, actor_kind::system);
    EXPECT_FALSE(log[2].by_user.has_value());
    EXPECT_EQ(log[2].at, t0.plus_seconds(60));

    EXPECT_EQ(log[3].delta, 10);
    EXPECT_EQ(log[3].on_hand_after, 10);
    EXPECT_EQ(log[3].by_kind, actor_kind::admin);
    EXPECT_EQ(log[3].by_user, user_id(1));
    EXPECT_EQ(log[3].at, t0);

    for (std::size_t i = 0; i < log.size(); ++i) {
        EXPECT_EQ(log[i].product, p.id);
        if (i > 0) {
            EXPECT_GT(log[i - 1].id, log[i].id);
        }
    }
}

TEST_F(Inventory, AProductCreatedWithoutStockHasAnEmptyLog) {
    const product p = make_product("SKU-1", "1.00", 0);
    EXPECT_TRUE(all_movements(p.id).empty());
    EXPECT_FALSE(inventory().movements(admin, p.id).has_more());
}

TEST_F(Inventory, MovementsOfOneProductDoNotIncludeAnothers) {
    const product a = make_product("SKU-A", "1.00", 1);
    const product b = make_product("SKU-B", "1.00", 1);
    inventory().adjust_stock(admin, b.id, 1, "b only");
    EXPECT_EQ(all_movements(a.id).size(), 1U);
    EXPECT_EQ(all_movements(b.id).size(), 2U);
}

TEST_F(Inventory, WalkingTheMovementPagesGivesEachMovementOnceNewestFirst) {
    const product p = make_product("SKU-1", "1.00", 0);
    const product other = make_product("SKU-2", "1.00", 0);
    for (int i = 1; i <= 7; ++i) {
        inventory().adjust_stock(admin, p.id, i, "in " + std::to_string(i));
        inventory().adjust_stock(admin, other.id, 1, "other");
    }
    const auto everything = all_movements(p.id);
    ASSERT_EQ(everything.size(), 7U);
    for (std::size_t i = 0; i < everything.size(); ++i) {
        EXPECT_EQ(everything[i].reason, "in " + std::to_string(7 - i));
    }
    for (const std::int64_t limit : {1, 2, 3, 7, 8}) {
        SCOPED_TRACE(limit);
        const auto walked = all_movements(p.id, limit);
        ASSERT_EQ(walked.size(), everything.size());
        for (std::size_t i = 0; i < walked.size(); ++i) EXPECT_EQ(walked[i].id, everything[i].id);
    }
    // A page token belongs to its product.
    page_request r;
    r.limit = 2;
    r.token = inventory().movements(admin, p.id, r).next_token;
    ASSERT_FALSE(r.token.empty());
    try {
        (void)inventory().movements(admin, other.id, r);
        ADD_FAILURE() << "accepted another product's token";
    } catch (const validation_error& e) {
        EXPECT_EQ(e.field(), "token");
    }
    r.token = "garbage";
    EXPECT_THROW((void)inventory().movements(admin, p.id, r), validation_error);
    page_request zero;
    zero.limit = 0;
    EXPECT_THROW((void)inventory().movements(admin, p.id, zero), validation_error);
}

TEST_F(Inventory, CustomersAndVisitorsCannotChangeStockOrReadTheLog) {
    const product p = make_product("SKU-1", "1.00", 5);
    for (const actor& who : {customer, visitor}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        expect_rejected<permission_denied_error>(
            url, [&] { inventory().set_stock(who, p.id, 1, "count"); });
        expect_rejected<permission_denied_error>(
            url, [&] { inventory().adjust_stock(who, p.id, 1, "in"); });
        expect_rejected<permission_denied_error>(
            url, [&] { inventory().take_stock(who, p.id, quantity::of(1), "out"); });
        expect_rejected<permission_denied_error>(
            url, [&] { inventory().set_low_stock_threshold(who, p.id, 1); });
        EXPECT_THROW((void)inventory().movements(who, p.id), permission_denied_error);
        EXPECT_EQ(inventory().stock_of(who, p.id).on_hand, 5);
    }
}

}  // namespace
}  // namespace shopcore::test

namespace shopcore::test {
namespace {

using InventoryVisibility = shop_test;

TEST_F(InventoryVisibility, StockOfAnInactiveProductIsHiddenFromCustomersButNotStaff) {
    const auto p = make_product("HIDE-1", "5.00", 4);
    EXPECT_EQ(inventory().stock_of(customer, p.id).on_hand, 4);
    catalog().deactivate_product(admin, p.id);
    EXPECT_THROW((void)inventory().stock_of(customer, p.id), not_found_error);
    EXPECT_THROW((void)inventory().stock_of(visitor, p.id), not_found_error);
    EXPECT_EQ(inventory().stock_of(admin, p.id).on_hand, 4);
}

}  // namespace
}  // namespace shopcore::test

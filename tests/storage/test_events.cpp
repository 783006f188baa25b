// Hooks and notifications through a real shop, on every backend: what fires, when, with what,
// and what a veto or a failing listener does.

#include <algorithm>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "expect_rejected.hpp"
#include "fixture.hpp"

namespace shopcore::test {
namespace {

using names = std::vector<std::string>;

// A recording listener on every notification: the order of names, and each event's values.
struct recorder {
    names log;
    std::vector<category_created_event> category_created;
    std::vector<category_updated_event> category_updated;
    std::vector<category_moved_event> category_moved;
    std::vector<category_deleted_event> category_deleted;
    std::vector<product_created_event> product_created;
    std::vector<product_updated_event> product_updated;
    std::vector<product_price_changed_event> price_changed;
    std::vector<product_deactivated_event> deactivated;
    std::vector<stock_changed_event> stock_changed;
    std::vector<low_stock_event> low_stock;
    std::vector<out_of_stock_event> out_of_stock;
    std::vector<back_in_stock_event> back_in_stock;
    std::vector<subscription> subs;

    template <class Event>
    auto record(const char* name, std::vector<Event>& into) {
        return [this, name, &into](const Event& e) {
            log.emplace_back(name);
            into.push_back(e);
        };
    }

    void attach(event_hub& hub) {
        subs.push_back(hub.on_category_created(record("category_created", category_created)));
        subs.push_back(hub.on_category_updated(record("category_updated", category_updated)));
        subs.push_back(hub.on_category_moved(record("category_moved", category_moved)));
        subs.push_back(hub.on_category_deleted(record("category_deleted", category_deleted)));
        subs.push_back(hub.on_product_created(record("product_created", product_created)));
        subs.push_back(hub.on_product_updated(record("product_updated", product_updated)));
        subs.push_back(
            hub.on_product_price_changed(record("product_price_changed", price_changed)));
        subs.push_back(hub.on_product_deactivated(record("product_deactivated", deactivated)));
        subs.push_back(hub.on_stock_changed(record("stock_changed", stock_changed)));
        subs.push_back(hub.on_low_stock(record("low_stock", low_stock)));
        subs.push_back(hub.on_out_of_stock(record("out_of_stock", out_of_stock)));
        subs.push_back(hub.on_back_in_stock(record("back_in_stock", back_in_stock)));
    }

    // The names logged since the last call.
    names take() {
        names out;
        out.swap(log);
        return out;
    }
};

class Events : public shop_test {
protected:
    void SetUp() override {
        shop_test::SetUp();
        seen.attach(sh().events());
        sh().events().set_error_handler([this](const std::string& event, const std::string& msg) {
            listener_errors.push_back(event + ": " + msg);
        });
    }

    recorder seen;
    names listener_errors;
};

// ---- products ------------------------------------------------------------------------------

TEST_F(Events, CreatingAProductFiresProductCreatedWithTheStoredValues) {
    const category cat = make_category("Cat");
    seen.take();
    new_product np;
    np.sku = "SKU-1";
    np.name = "Lamp";
    np.category = cat.id;
    np.price = usd("20.00");
    np.sale = sale_discount::percentage(ratio::parse("25%"));
    np.initial_stock = 4;
    const product p = catalog().create_product(admin, np);
    // The initial stock is part of the creation, not a stock change.
    EXPECT_EQ(seen.take(), names{"product_created"});
    ASSERT_EQ(seen.product_created.size(), 1U);
    const auto& e = seen.product_created[0];
    EXPECT_EQ(e.by, admin);
    EXPECT_EQ(e.product, p.id);
    EXPECT_EQ(e.sku, "SKU-1");
    EXPECT_EQ(e.name, "Lamp");
    EXPECT_EQ(e.price, usd("20.00"));
    EXPECT_EQ(e.sale_price, usd("15.00"));
    EXPECT_EQ(e.at, clock->now());
    EXPECT_TRUE(listener_errors.empty());
}

TEST_F(Events, NotificationsRunAfterCommitOnTheCallingThread) {
    std::optional<std::string> name_read_in_listener;
    std::thread::id listener_thread;
    auto s = sh().events().on_product_created([&](const product_created_event& e) {
        listener_thread = std::this_thread::get_id();
        name_read_in_listener = catalog().product_by_id(visitor, e.product).name;
    });
    make_product("SKU-1");
    EXPECT_EQ(name_read_in_listener, "Product SKU-1");
    EXPECT_EQ(listener_thread, std::this_thread::get_id());
    EXPECT_TRUE(listener_errors.empty());
}

TEST_F(Events, InsideABeforeHookTheChangeIsUncommittedAndTheNotificationHasNotFired) {
    std::optional<names> log_in_hook;
    std::optional<bool> visible_in_hook;
    auto h = sh().events().before_product_create([&](const before_product_create_event& e) {
        log_in_hook = seen.log;
        try {
            (void)catalog().product_by_sku(admin, e.sku);
            visible_in_hook = true;
        } catch (const not_found_error&) {
            visible_in_hook = false;
        }
    });
    make_product("SKU-1");
    ASSERT_TRUE(log_in_hook.has_value());
    EXPECT_TRUE(log_in_hook->empty());
    EXPECT_EQ(visible_in_hook, false);
    EXPECT_EQ(seen.take(), names{"product_created"});

    const product p = catalog().product_by_sku(admin, "SKU-1");
    std::optional<names> stock_log_in_hook;
    std::optional<std::int64_t> level_in_hook;
    auto sh_hook = sh().events().before_stock_change([&](const before_stock_change_event& e) {
        stock_log_in_hook = seen.log;
        level_in_hook = inventory().stock_of(visitor, e.product).on_hand;
    });
    // take_stock runs the hook after its conditional update: still uncommitted.
    inventory().take_stock(admin, p.id, quantity::of(10), "sold out");
    ASSERT_TRUE(stock_log_in_hook.has_value());
    EXPECT_TRUE(stock_log_in_hook->empty());
    EXPECT_EQ(level_in_hook, 10);  // other connections still see the committed level
    EXPECT_EQ(seen.take(), (names{"stock_changed", "out_of_stock"}));
}

TEST_F(Events, BeforeHooksSeeTheValuesOfTheChange) {
    const category cat = make_category("Cat");
    std::vector<before_product_create_event> creates;
    std::vector<before_product_update_event> updates;
    std::vector<before_category_delete_event> deletes;
    auto h1 = sh().events().before_product_create(
        [&](const before_product_create_event& e) { creates.push_back(e); });
    auto h2 = sh().events().before_product_update(
        [&](const before_product_update_event& e) { updates.push_back(e); });
    auto h3 = sh().events().before_category_delete(
        [&](const before_category_delete_event& e) { deletes.push_back(e); });

    new_product np;
    np.sku = "SKU-1";
    np.name = "Lamp";
    np.category = cat.id;
    np.price = usd("20.00");
    np.sale = sale_discount::amount(usd("5.00"));
    np.initial_stock = 3;
    const product p = catalog().create_product(admin, np);
    ASSERT_EQ(creates.size(), 1U);
    EXPECT_EQ(creates[0].by, admin);
    EXPECT_EQ(creates[0].sku, "SKU-1");
    EXPECT_EQ(creates[0].name, "Lamp");
    EXPECT_EQ(creates[0].category, cat.id);
    EXPECT_EQ(creates[0].price, usd("20.00"));
    EXPECT_EQ(creates[0].sale_price, usd("15.00"));
    EXPECT_EQ(creates[0].initial_stock, 3);

    product_update u;
    u.name = "Desk lamp";
    u.clear_category = true;
    u.price = usd("30.00");
    u.active = false;
    catalog().update_product(actor::system(), p.id, u);
    ASSERT_EQ(updates.size(), 1U);
    EXPECT_EQ(updates[0].by, actor::system());
    EXPECT_EQ(updates[0].product, p.id);
    EXPECT_EQ(updates[0].name, "Desk lamp");
    EXPECT_FALSE(updates[0].category.has_value());
    EXPECT_EQ(updates[0].price, usd("30.00"));
    EXPECT_EQ(updates[0].sale_price, usd("25.00"));
    EXPECT_FALSE(updates[0].active);

    const category other = make_category("Other");
    catalog().delete_category(admin, cat.id, other.id);
    catalog().delete_category(admin, other.id);
    ASSERT_EQ(deletes.size(), 2U);
    EXPECT_EQ(deletes[0].by, admin);
    EXPECT_EQ(deletes[0].category, cat.id);
    EXPECT_EQ(deletes[0].reassign_to, other.id);
    EXPECT_EQ(deletes[1].category, other.id);
    EXPECT_FALSE(deletes[1].reassign_to.has_value());
}

TEST_F(Events, UpdatingAProductFiresProductUpdatedAndPriceChangedOnlyWhenAPriceMoved) {
    const product p = make_product("SKU-1", "20.00");
    seen.take();

    clock->advance_seconds(1);
    product_update name;
    name.name = "Renamed";
    catalog().update_product(admin, p.id, name);
    EXPECT_EQ(seen.take(), names{"product_updated"});
    ASSERT_EQ(seen.product_updated.size(), 1U);
    EXPECT_EQ(seen.product_updated[0].by, admin);
    EXPECT_EQ(seen.product_updated[0].product, p.id);
    EXPECT_EQ(seen.product_updated[0].version, 2);
    EXPECT_EQ(seen.product_updated[0].at, clock->now());

    clock->advance_seconds(1);
    product_update price;
    price.price = usd("25.00");
    catalog().update_product(admin, p.id, price);
    EXPECT_EQ(seen.take(), (names{"product_updated", "product_price_changed"}));
    ASSERT_EQ(seen.price_changed.size(), 1U);
    const auto& pc = seen.price_changed[0];
    EXPECT_EQ(pc.by, admin);
    EXPECT_EQ(pc.product, p.id);
    EXPECT_EQ(pc.old_price, usd("20.00"));
    EXPECT_EQ(pc.new_price, usd("25.00"));
    EXPECT_EQ(pc.old_sale_price, usd("20.00"));
    EXPECT_EQ(pc.new_sale_price, usd("25.00"));
    EXPECT_EQ(pc.at, clock->now());

    // Only the sale price moves.
    product_update sale;
    sale.sale = sale_discount::percentage(ratio::parse("10%"));
    catalog().update_product(admin, p.id, sale);
    EXPECT_EQ(seen.take(), (names{"product_updated", "product_price_changed"}));
    ASSERT_EQ(seen.price_changed.size(), 2U);
    EXPECT_EQ(seen.price_changed[1].old_price, usd("25.00"));
    EXPECT_EQ(seen.price_changed[1].new_price, usd("25.00"));
    EXPECT_EQ(seen.price_changed[1].old_sale_price, usd("25.00"));
    EXPECT_EQ(seen.price_changed[1].new_sale_price, usd("22.50"));

    // The same price again is no price change.
    product_update same;
    same.price = usd("25.00");
    same.sale = sale_discount::percentage(ratio::parse("10%"));
    catalog().update_product(admin, p.id, same);
    EXPECT_EQ(seen.take(), names{"product_updated"});
    // A different sale that gives the same sale price is no price change either.
    product_update equivalent;
    equivalent.sale = sale_discount::amount(usd("2.50"));
    catalog().update_product(admin, p.id, equivalent);
    EXPECT_EQ(seen.take(), names{"product_updated"});
}

TEST_F(Events, DeactivatingFiresProductDeactivatedOnceAndReactivatingDoesNot) {
    const product p = make_product("SKU-1", "20.00");
    seen.take();
    clock->advance_seconds(2);
    catalog().deactivate_product(admin, p.id);
    EXPECT_EQ(seen.take(), (names{"product_updated", "product_deactivated"}));
    ASSERT_EQ(seen.deactivated.size(), 1U);
    EXPECT_EQ(seen.deactivated[0].by, admin);
    EXPECT_EQ(seen.deactivated[0].product, p.id);
    EXPECT_EQ(seen.deactivated[0].at, clock->now());

    catalog().deactivate_product(admin, p.id);
    EXPECT_TRUE(seen.take().empty());

    product_update on;
    on.active = true;
    catalog().update_product(admin, p.id, on);
    EXPECT_EQ(seen.take(), names{"product_updated"});

    // Deactivating and repricing at once: both, after product_updated.
    product_update both;
    both.active = false;
    both.price = usd("1.00");
    catalog().update_product(admin, p.id, both);
    EXPECT_EQ(seen.take(),
              (names{"product_updated", "product_price_changed", "product_deactivated"}));
}

// ---- categories ----------------------------------------------------------------------------

TEST_F(Events, CategoryChangesFireTheirEventsWithTheirValues) {
    const category root = make_category("Root");
    clock->advance_seconds(1);
    new_category nc;
    nc.name = "Child";
    nc.slug = "kid";
    nc.parent = root.id;
    const category child = catalog().create_category(admin, nc);
    ASSERT_EQ(seen.category_created.size(), 2U);
    const auto& created = seen.category_created[1];
    EXPECT_EQ(created.by, admin);
    EXPECT_EQ(created.category, child.id);
    EXPECT_EQ(created.name, "Child");
    EXPECT_EQ(created.slug, "kid");
    EXPECT_EQ(created.parent, root.id);
    EXPECT_EQ(created.at, clock->now());
    EXPECT_EQ(seen.take(), (names{"category_created", "category_created"}));

    clock->advance_seconds(1);
    category_update u;
    u.name = "Kid";
    catalog().update_category(admin, child.id, u);
    EXPECT_EQ(seen.take(), names{"category_updated"});
    ASSERT_EQ(seen.category_updated.size(), 1U);
    EXPECT_EQ(seen.category_updated[0].category, child.id);
    EXPECT_EQ(seen.category_updated[0].name, "Kid");
    EXPECT_EQ(seen.category_updated[0].slug, "kid");
    EXPECT_EQ(seen.category_updated[0].at, clock->now());

    clock->advance_seconds(1);
    catalog().move_category(admin, child.id, std::nullopt);
    EXPECT_EQ(seen.take(), names{"category_moved"});
    ASSERT_EQ(seen.category_moved.size(), 1U);
    EXPECT_EQ(seen.category_moved[0].category, child.id);
    EXPECT_EQ(seen.category_moved[0].old_parent, root.id);
    EXPECT_FALSE(seen.category_moved[0].new_parent.has_value());
    EXPECT_EQ(seen.category_moved[0].at, clock->now());

    make_product("SKU-1", "1.00", 1, child.id);
    seen.take();
    clock->advance_seconds(1);
    catalog().delete_category(admin, child.id, root.id);
    EXPECT_EQ(seen.take(), names{"category_deleted"});
    ASSERT_EQ(seen.category_deleted.size(), 1U);
    EXPECT_EQ(seen.category_deleted[0].by, admin);
    EXPECT_EQ(seen.category_deleted[0].category, child.id);
    EXPECT_EQ(seen.category_deleted[0].reassigned_to, root.id);
    EXPECT_EQ(seen.category_deleted[0].at, clock->now());
}

TEST_F(Events, RefusedChangesFireNothing) {
    const category a = make_category("A");
    const category b = make_category("B", a.id);
    const product p = make_product("SKU-1", "1.00", 2, b.id);
    seen.take();
    EXPECT_THROW(catalog().move_category(admin, a.id, b.id), invalid_state_error);
    EXPECT_THROW(catalog().delete_category(admin, b.id), invalid_state_error);
    EXPECT_THROW(make_product("SKU-1"), conflict_error);
    product_update stale;
    stale.name = "x";
    stale.expected_version = 99;
    EXPECT_THROW(catalog().update_product(admin, p.id, stale), conflict_error);
    EXPECT_THROW(inventory().take_stock(admin, p.id, quantity::of(3), "too many"),
                 insufficient_stock_error);
    EXPECT_THROW(inventory().adjust_stock(admin, p.id, -3, "too many"), insufficient_stock_error);
    EXPECT_THROW(inventory().adjust_stock(customer, p.id, 1, "not allowed"),
                 permission_denied_error);
    EXPECT_TRUE(seen.take().empty());
}

// ---- stock ---------------------------------------------------------------------------------

TEST_F(Events, EveryStockChangeFiresStockChangedWithItsValues) {
    const product p = make_product("SKU-1", "1.00", 10);
    seen.take();
    clock->advance_seconds(1);
    inventory().adjust_stock(admin, p.id, 5, "delivery");
    inventory().take_stock(actor::system(), p.id, quantity::of(2), "order 7");
    inventory().set_stock(admin, p.id, 20, "count");
    EXPECT_EQ(seen.take(), (names{"stock_changed", "stock_changed", "stock_changed"}));
    ASSERT_EQ(seen.stock_changed.size(), 3U);
    EXPECT_EQ(seen.stock_changed[0].by, admin);
    EXPECT_EQ(seen.stock_changed[0].product, p.id);
    EXPECT_EQ(seen.stock_changed[0].delta, 5);
    EXPECT_EQ(seen.stock_changed[0].on_hand, 15);
    EXPECT_EQ(seen.stock_changed[0].reason, "delivery");
    EXPECT_EQ(seen.stock_changed[0].at, clock->now());
    EXPECT_EQ(seen.stock_changed[1].by, actor::system());
    EXPECT_EQ(seen.stock_changed[1].delta, -2);
    EXPECT_EQ(seen.stock_changed[1].on_hand, 13);
    EXPECT_EQ(seen.stock_changed[1].reason, "order 7");
    EXPECT_EQ(seen.stock_changed[2].delta, 7);
    EXPECT_EQ(seen.stock_changed[2].on_hand, 20);

    // No change, no event: the same level again, or a new threshold.
    inventory().set_stock(admin, p.id, 20, "recount");
    inventory().set_low_stock_threshold(admin, p.id, 50);
    EXPECT_TRUE(seen.take().empty());
}

TEST_F(Events, BeforeStockChangeSeesTheLevelsOfEveryKindOfChange) {
    std::vector<before_stock_change_event> hooks;
    auto h = sh().events().before_stock_change(
        [&](const before_stock_change_event& e) { hooks.push_back(e); });
    const product p = make_product("SKU-1", "1.00", 10);
    EXPECT_TRUE(hooks.empty()) << "not fired for the initial stock of a new product";
    inventory().adjust_stock(admin, p.id, 5, "delivery");
    inventory().take_stock(admin, p.id, quantity::of(3), "order");
    inventory().set_stock(actor::system(), p.id, 4, "count");
    ASSERT_EQ(hooks.size(), 3U);
    EXPECT_EQ(hooks[0].by, admin);
    EXPECT_EQ(hooks[0].product, p.id);
    EXPECT_EQ(hooks[0].delta, 5);
    EXPECT_EQ(hooks[0].on_hand_before, 10);
    EXPECT_EQ(hooks[0].on_hand_after, 15);
    EXPECT_EQ(hooks[0].reason, "delivery");
    EXPECT_EQ(hooks[1].delta, -3);
    EXPECT_EQ(hooks[1].on_hand_before, 15);
    EXPECT_EQ(hooks[1].on_hand_after, 12);
    EXPECT_EQ(hooks[1].reason, "order");
    EXPECT_EQ(hooks[2].by, actor::system());
    EXPECT_EQ(hooks[2].delta, -8);
    EXPECT_EQ(hooks[2].on_hand_before, 12);
    EXPECT_EQ(hooks[2].on_hand_after, 4);
}

TEST_F(Events, LowStockFiresWhenStockFallsToTheThresholdAndNotAgainWhileLow) {
    new_product np;
    np.sku = "SKU-1";
    np.name = "Thing";
    np.price = usd("1.00");
    np.initial_stock = 10;
    np.low_stock_threshold = 3;
    const product p = catalog().create_product(admin, np);
    seen.take();

    inventory().take_stock(admin, p.id, quantity::of(6), "order");  // 10 -> 4
    EXPECT_EQ(seen.take(), names{"stock_changed"});
    clock->advance_seconds(1);
    inventory().take_stock(admin, p.id, quantity::of(1), "order");  // 4 -> 3: at the threshold
    EXPECT_EQ(seen.take(), (names{"stock_changed", "low_stock"}));
    ASSERT_EQ(seen.low_stock.size(), 1U);
    EXPECT_EQ(seen.low_stock[0].product, p.id);
    EXPECT_EQ(seen.low_stock[0].on_hand, 3);
    EXPECT_EQ(seen.low_stock[0].threshold, 3);
    EXPECT_EQ(seen.low_stock[0].at, clock->now());
    inventory().take_stock(admin, p.id, quantity::of(1), "order");  // 3 -> 2: still low
    EXPECT_EQ(seen.take(), names{"stock_changed"});
    inventory().adjust_stock(admin, p.id, 8, "delivery");  // 2 -> 10: no longer low
    EXPECT_EQ(seen.take(), names{"stock_changed"});
    inventory().adjust_stock(admin, p.id, -8, "damaged");  // 10 -> 2: falls below again
    EXPECT_EQ(seen.take(), (names{"stock_changed", "low_stock"}));
    EXPECT_EQ(seen.low_stock.back().on_hand, 2);
}

TEST_F(Events, OutOfStockAndBackInStockFireOnTheZeroBoundary) {
    const product p = make_product("SKU-1", "1.00", 5);  // threshold 0: never low
    seen.take();
    clock->advance_seconds(1);
    inventory().take_stock(admin, p.id, quantity::of(5), "order");
    EXPECT_EQ(seen.take(), (names{"stock_changed", "out_of_stock"}));
    ASSERT_EQ(seen.out_of_stock.size(), 1U);
    EXPECT_EQ(seen.out_of_stock[0].product, p.id);
    EXPECT_EQ(seen.out_of_stock[0].at, clock->now());

    clock->advance_seconds(1);
    inventory().adjust_stock(admin, p.id, 4, "delivery");
    EXPECT_EQ(seen.take(), (names{"stock_changed", "back_in_stock"}));
    ASSERT_EQ(seen.back_in_stock.size(), 1U);
    EXPECT_EQ(seen.back_in_stock[0].product, p.id);
    EXPECT_EQ(seen.back_in_stock[0].on_hand, 4);
    EXPECT_EQ(seen.back_in_stock[0].at, clock->now());

    inventory().set_stock(admin, p.id, 0, "write-off");
    EXPECT_EQ(seen.take(), (names{"stock_changed", "out_of_stock"}));
    inventory().set_stock(admin, p.id, 1, "found one");
    EXPECT_EQ(seen.take(), (names{"stock_changed", "back_in_stock"}));
}

TEST_F(Events, FallingFromAboveTheThresholdStraightToZeroIsOutOfStockNotLowStock) {
    const product p = make_product("SKU-1", "1.00", 10);
    inventory().set_low_stock_threshold(admin, p.id, 3);
    seen.take();
    inventory().take_stock(admin, p.id, quantity::of(10), "bulk order");
    EXPECT_EQ(seen.take(), (names{"stock_changed", "out_of_stock"}));
    // And a restock from zero into the low band is back in stock.
    inventory().adjust_stock(admin, p.id, 2, "delivery");
    const names restock = seen.take();
    ASSERT_GE(restock.size(), 2U);
    EXPECT_EQ(restock[0], "stock_changed");
    EXPECT_NE(std::find(restock.begin(), restock.end(), "back_in_stock"), restock.end());
}

TEST_F(Events, ANotificationListenerMayWriteToTheShop) {
    const product p = make_product("SKU-1", "1.00", 2);
    // Automatic restock: whenever a product sells out, put 5 back.
    auto s = sh().events().on_out_of_stock([&](const out_of_stock_event& e) {
        inventory().adjust_stock(actor::system(), e.product, 5, "automatic restock");
    });
    seen.take();
    inventory().take_stock(admin, p.id, quantity::of(2), "order");
    EXPECT_EQ(inventory().stock_of(visitor, p.id).on_hand, 5);
    EXPECT_TRUE(listener_errors.empty());
    const names log = seen.take();
    EXPECT_EQ(std::count(log.begin(), log.end(), "stock_changed"), 2);
    EXPECT_EQ(std::count(log.begin(), log.end(), "back_in_stock"), 1);
}

// ---- vetoes --------------------------------------------------------------------------------

TEST_F(Events, ABeforeProductCreateHookThatThrowsVetoesAndNothingIsWritten) {
    auto h = sh().events().before_product_create([](const before_product_create_event& e) {
        if (e.price > money::parse("100.00", currency::of("USD"))) {
            throw std::runtime_error("too expensive for this shop");
        }
    });
    new_product np;
    np.sku = "SKU-1";
    np.name = "Yacht";
    np.price = usd("100000.00");
    np.initial_stock = 1;
    auto e =
        expect_rejected<hook_rejected_error>(url, [&] { catalog().create_product(admin, np); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), error_code::hook_rejected);
    EXPECT_EQ(e->hook(), "before_product_create");
    EXPECT_EQ(e->reason(), "too expensive for this shop");
    EXPECT_THROW((void)catalog().product_by_sku(admin, "SKU-1"), not_found_error);
    EXPECT_TRUE(seen.take().empty());
    EXPECT_TRUE(listener_errors.empty());
    // A cheaper one passes the same hook.
    np.price = usd("99.00");
    EXPECT_NO_THROW(catalog().create_product(admin, np));
}

TEST_F(Events, ABeforeProductUpdateHookThatThrowsVetoesUpdatesAndDeactivation) {
    const product p = make_product("SKU-1", "10.00");
    seen.take();
    auto h = sh().events().before_product_update([](const before_product_update_event& e) {
        if (!e.active) throw std::runtime_error("products are never hidden here");
        if (e.price.is_zero()) throw std::runtime_error("nothing is free");
    });
    product_update zero_price;
    zero_price.price = usd("0.00");
    auto e = expect_rejected<hook_rejected_error>(
        url, [&] { catalog().update_product(admin, p.id, zero_price); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->hook(), "before_product_update");
    EXPECT_EQ(e->reason(), "nothing is free");
    auto d = expect_rejected<hook_rejected_error>(
        url, [&] { catalog().deactivate_product(admin, p.id); });
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->reason(), "products are never hidden here");
    EXPECT_TRUE(seen.take().empty());
    EXPECT_TRUE(catalog().product_by_id(visitor, p.id).active);
}

TEST_F(Events, ABeforeStockChangeHookThatThrowsVetoesEveryKindOfStockChange) {
    const product p = make_product("SKU-1", "1.00", 10);
    seen.take();
    auto h = sh().events().before_stock_change(
        [](const before_stock_change_event&) { throw std::runtime_error("stock is frozen"); });
    std::vector<std::function<void()>> calls = {
        [&] { inventory().adjust_stock(admin, p.id, 1, "in"); },
        [&] { inventory().adjust_stock(admin, p.id, -1, "out"); },
        [&] { inventory().take_stock(admin, p.id, quantity::of(10), "order"); },
        [&] { inventory().set_stock(admin, p.id, 0, "count"); },
    };
    for (std::size_t i = 0; i < calls.size(); ++i) {
        SCOPED_TRACE(i);
        auto e = expect_rejected<hook_rejected_error>(url, calls[i]);
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->hook(), "before_stock_change");
        EXPECT_EQ(e->reason(), "stock is frozen");
    }
    EXPECT_EQ(inventory().stock_of(visitor, p.id).on_hand, 10);
    EXPECT_TRUE(seen.take().empty());
}

TEST_F(Events, ABeforeCategoryDeleteHookThatThrowsVetoesTheDeletion) {
    const category keep = make_category("Keep");
    const category other = make_category("Other");
    make_product("SKU-1", "1.00", 1, keep.id);
    seen.take();
    auto h = sh().events().before_category_delete(
        [](const before_category_delete_event&) { throw std::runtime_error("catalog frozen"); });
    auto e = expect_rejected<hook_rejected_error>(
        url, [&] { catalog().delete_category(admin, keep.id, other.id); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->hook(), "before_category_delete");
    EXPECT_EQ(e->reason(), "catalog frozen");
    expect_rejected<hook_rejected_error>(url, [&] { catalog().delete_category(admin, other.id); });
    EXPECT_TRUE(seen.take().empty());
}

TEST_F(Events, AHookRejectedErrorThrownByAHookReachesTheCallerUnchanged) {
    auto h = sh().events().before_product_create([](const before_product_create_event&) {
        throw hook_rejected_error("sku_policy", "SKUs must start with ACME-");
    });
    auto e = expect_rejected<hook_rejected_error>(url, [&] { make_product("SKU-1"); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->hook(), "sku_policy");
    EXPECT_EQ(e->reason(), "SKUs must start with ACME-");
}

TEST_F(Events, AVetoByALaterHookStillVetoesAfterEarlierHooksAgreed) {
    int agreed = 0;
    auto h1 = sh().events().before_product_create(
        [&](const before_product_create_event&) { ++agreed; }, -1);
    auto h2 = sh().events().before_product_create(
        [](const before_product_create_event&) { throw std::runtime_error("no"); }, 1);
    expect_rejected<hook_rejected_error>(url, [&] { make_product("SKU-1"); });
    EXPECT_EQ(agreed, 1);
}

// ---- failing listeners, groups, subscriptions ----------------------------------------------

TEST_F(Events, AThrowingListenerIsReportedTheChangeStaysAndLaterListenersRun) {
    names order;
    auto s1 = sh().events().on_product_created(
        [&](const product_created_event&) { order.emplace_back("early"); }, -1);
    auto s2 = sh().events().on_product_created([&](const product_created_event&) {
        order.emplace_back("thrower");
        throw std::runtime_error("search index unreachable");
    });
    auto s3 = sh().events().on_product_created(
        [&](const product_created_event&) { order.emplace_back("late"); }, 1);
    const product p = make_product("SKU-1");
    EXPECT_EQ(order, (names{"early", "thrower", "late"}));
    EXPECT_EQ(listener_errors, names{"on_product_created: search index unreachable"});
    EXPECT_EQ(catalog().product_by_id(visitor, p.id).sku, "SKU-1");
    EXPECT_EQ(seen.take(), names{"product_created"});
}

TEST_F(Events, AThrowingStockListenerDoesNotStopTheBoundaryEvents) {
    const product p = make_product("SKU-1", "1.00", 1);
    seen.take();
    auto s = sh().events().on_stock_changed(
        [](const stock_changed_event&) { throw std::runtime_error("audit sink down"); });
    EXPECT_EQ(inventory().take_stock(admin, p.id, quantity::of(1), "order").on_hand, 0);
    EXPECT_EQ(seen.take(), (names{"stock_changed", "out_of_stock"}));
    EXPECT_EQ(listener_errors, names{"on_stock_changed: audit sink down"});
    EXPECT_EQ(inventory().stock_of(visitor, p.id).on_hand, 0);
}

TEST_F(Events, ListenersRunInGroupOrderLowerFirst) {
    names order;
    auto s1 = sh().events().on_stock_changed(
        [&](const stock_changed_event&) { order.emplace_back("+7"); }, 7);
    auto s2 = sh().events().on_stock_changed(
        [&](const stock_changed_event&) { order.emplace_back("-2"); }, -2);
    auto s3 = sh().events().on_stock_changed(
        [&](const stock_changed_event&) { order.emplace_back("0"); }, 0);
    auto s4 = sh().events().on_stock_changed(
        [&](const stock_changed_event&) { order.emplace_back("+7 second"); }, 7);
    const product p = make_product("SKU-1", "1.00", 1);
    inventory().adjust_stock(admin, p.id, 1, "in");
    EXPECT_EQ(order, (names{"-2", "0", "+7", "+7 second"}));
}

TEST_F(Events, DestroyingASubscriptionStopsDelivery) {
    int calls = 0;
    {
        auto s = sh().events().on_product_created([&](const product_created_event&) { ++calls; });
        make_product("SKU-1");
    }
    make_product("SKU-2");
    EXPECT_EQ(calls, 1);

    int vetoes = 0;
    {
        auto h = sh().events().before_product_create([&](const before_product_create_event&) {
            ++vetoes;
            throw std::runtime_error("no");
        });
        EXPECT_THROW(make_product("SKU-3"), hook_rejected_error);
    }
    EXPECT_NO_THROW(make_product("SKU-3"));
    EXPECT_EQ(vetoes, 1);
}

}  // namespace
}  // namespace shopcore::test

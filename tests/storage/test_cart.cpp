// Carts on every backend: guest and user carts, who may open them, lines and their limits,
// stock, versions and events, destination and shipping, pricing with its problems, expiry and
// purging, merging a guest cart at sign-in, and the cart going with a deleted account.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <latch>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cart_fixture.hpp"
#include "expect_rejected.hpp"

namespace shopcore::test {
namespace {

constexpr std::int64_t day = 24 * 3600;

bool is_base64url(const std::string& text) {
    for (const char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

class Cart : public cart_test {
protected:
    // A token in the right form that no cart has.
    const std::string unknown_token = std::string(43, 'Q');
};

// ---- guest carts --------------------------------------------------------------------------

TEST_F(Cart, AGuestCartIsCreatedEmptyWithA43CharacterTokenThatOpensIt) {
    const guest_cart g = carts().create_guest_cart(visitor);
    EXPECT_EQ(g.token.size(), 43u);
    EXPECT_TRUE(is_base64url(g.token)) << g.token;
    EXPECT_TRUE(g.cart.id.is_valid());
    EXPECT_FALSE(g.cart.owner.has_value());
    EXPECT_TRUE(g.cart.lines.empty());
    EXPECT_TRUE(g.cart.codes.empty());
    EXPECT_FALSE(g.cart.destination.has_value());
    EXPECT_EQ(g.cart.created_at, clock->now());
    EXPECT_EQ(g.cart.expires_at, clock->now().plus_seconds(carts().settings().guest_ttl_seconds));
    EXPECT_EQ(g.cart.version, 1);

    // Whoever holds the token opens it.
    for (const actor& who : {visitor, customer, admin, actor::system()}) {
        const cart k = carts().get(who, by_token(g.token));
        EXPECT_EQ(k.id, g.cart.id);
        EXPECT_EQ(k.version, 1);
        EXPECT_FALSE(k.owner.has_value());
    }

    const guest_cart other = carts().create_guest_cart(visitor);
    EXPECT_NE(other.token, g.token);
    EXPECT_NE(other.cart.id, g.cart.id);
    // The token itself is never stored, only its hash.
    for (const auto& [table, table_rows] : snapshot(url)) {
        for (const auto& row : table_rows) {
            EXPECT_EQ(row.find(g.token), std::string::npos) << "token stored in " << table;
        }
    }
}

TEST_F(Cart, AnUnknownGuestTokenIsNotFound) {
    const product p = make_product("SKU-1");
    (void)carts().create_guest_cart(visitor);
    EXPECT_THROW((void)carts().get(visitor, by_token(unknown_token)), not_found_error);
    EXPECT_THROW((void)carts().price(visitor, by_token(unknown_token)), not_found_error);
    expect_rejected<not_found_error>(
        url, [&] { carts().add_item(visitor, by_token(unknown_token), p.id, 1); });
    expect_rejected<not_found_error>(url, [&] { carts().clear(visitor, by_token(unknown_token)); });
}

// ---- users' own carts ---------------------------------------------------------------------

TEST_F(Cart, AUserWithoutACartGetsAnEmptyOneWithIdZeroAndNothingIsWritten) {
    const actor alice = sign_up("+15551000001");
    const auto before = snapshot(url);
    const cart k = carts().get(alice, own());
    EXPECT_EQ(k.id.value(), 0);
    ASSERT_TRUE(k.owner.has_value());
    EXPECT_EQ(*k.owner, alice.user());
    EXPECT_TRUE(k.lines.empty());
    const priced_cart priced = carts().price(alice, own());
    EXPECT_EQ(priced.cart.id.value(), 0);
    EXPECT_TRUE(priced.breakdown.lines.empty());
    EXPECT_TRUE(priced.breakdown.total.is_zero());
    EXPECT_EQ(snapshot(url), before) << "reading a missing cart wrote something";
}

TEST_F(Cart, AUsersOwnCartIsCreatedByTheFirstChange) {
    const actor alice = sign_up("+15551000001");
    const product p = make_product("SKU-1");
    const std::size_t carts_before = rows("cart");
    const cart added = carts().add_item(alice, own(), p.id, 2);
    EXPECT_TRUE(added.id.is_valid());
    ASSERT_TRUE(added.owner.has_value());
    EXPECT_EQ(*added.owner, alice.user());
    EXPECT_EQ(lines_of(added), (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 2}}));
    EXPECT_EQ(added.expires_at, clock->now().plus_seconds(carts().settings().user_ttl_seconds));
    EXPECT_EQ(rows("cart"), carts_before + 1);

    const cart again = carts().get(alice, own());
    EXPECT_EQ(again.id, added.id);
    EXPECT_EQ(again.version, added.version);
    EXPECT_EQ(lines_of(again), lines_of(added));
    // The second change uses the same cart.
    EXPECT_EQ(carts().add_item(alice, own(), p.id, 1).id, added.id);
    EXPECT_EQ(rows("cart"), carts_before + 1);
}

TEST_F(Cart, AnAnonymousOrSystemActorHasNoOwnCart) {
    const product p = make_product("SKU-1");
    for (const actor& who : {visitor, actor::system()}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        EXPECT_THROW((void)carts().get(who, own()), authentication_error);
        EXPECT_THROW((void)carts().price(who, own()), authentication_error);
        expect_rejected<authentication_error>(url, [&] { carts().add_item(who, own(), p.id, 1); });
        expect_rejected<authentication_error>(url, [&] { carts().clear(who, own()); });
        expect_rejected<authentication_error>(url, [&] {
            carts().set_destination(who, own(), {"IR", ""});
        });
    }
}

TEST_F(Cart, ACustomerCannotSeeAnotherCustomersCart) {
    const actor alice = sign_up("+15551000001");
    const actor bob = sign_up("+15551000002");
    const product p = make_product("SKU-1");
    const product q = make_product("SKU-2");
    const cart alices = carts().add_item(alice, own(), p.id, 3);

    // Bob's empty ref is Bob's cart, not Alice's.
    const cart bobs_view = carts().get(bob, own());
    EXPECT_EQ(bobs_view.id.value(), 0);
    EXPECT_TRUE(bobs_view.lines.empty());
    const cart bobs = carts().add_item(bob, own(), q.id, 1);
    EXPECT_NE(bobs.id, alices.id);
    EXPECT_EQ(*bobs.owner, bob.user());
    EXPECT_EQ(lines_of(bobs), (std::vector<std::pair<product_id, std::int64_t>>{{q.id, 1}}));

    const cart still = carts().get(alice, own());
    EXPECT_EQ(still.id, alices.id);
    EXPECT_EQ(still.version, alices.version);
    EXPECT_EQ(lines_of(still), lines_of(alices));
}

// ---- lines ----------------------------------------------------------------------------------

TEST_F(Cart, AddItemAppendsNewProductsAndAddsToAnExistingLine) {
    const product p = make_product("SKU-1");
    const product q = make_product("SKU-2");
    const guest_cart g = carts().create_guest_cart(visitor);
    const timestamp first = clock->now();
    carts().add_item(visitor, by_token(g.token), p.id, 2);
    clock->advance_seconds(10);
    carts().add_item(visitor, by_token(g.token), q.id, 1);
    clock->advance_seconds(10);
    const cart k = carts().add_item(visitor, by_token(g.token), p.id, 3);
    EXPECT_EQ(lines_of(k),
              (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 5}, {q.id, 1}}));
    ASSERT_EQ(k.lines.size(), 2u);
    EXPECT_EQ(k.lines[0].added_at, first);
    EXPECT_EQ(k.lines[1].added_at, first.plus_seconds(10));
    EXPECT_EQ(lines_of(carts().get(visitor, by_token(g.token))), lines_of(k));
}

TEST_F(Cart, AQuantityBelowOneIsAValidationError) {
    const product p = make_product("SKU-1");
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 1);
    for (const std::int64_t n : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{-1000}}) {
        SCOPED_TRACE(n);
        auto e = expect_rejected<validation_error>(
            url, [&] { carts().add_item(visitor, by_token(g.token), p.id, n); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), "quantity");
    }
    auto negative = expect_rejected<validation_error>(
        url, [&] { carts().set_quantity(visitor, by_token(g.token), p.id, -1); });
    ASSERT_TRUE(negative.has_value());
    EXPECT_EQ(negative->field(), "quantity");
}

TEST_F(Cart, MoreThanTheStockIsRefusedWithTheLinesResultingQuantityAndChangesNothing) {
    const product p = make_product("SKU-1", "10.00", 5);
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 3);

    auto e = expect_rejected<insufficient_stock_error>(
        url, [&] { carts().add_item(visitor, by_token(g.token), p.id, 3); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), error_code::insufficient_stock);
    EXPECT_EQ(e->product(), p.id);
    EXPECT_EQ(e->requested(), 6);  // the line's quantity it would have had
    EXPECT_EQ(e->available(), 5);

    auto set = expect_rejected<insufficient_stock_error>(
        url, [&] { carts().set_quantity(visitor, by_token(g.token), p.id, 7); });
    ASSERT_TRUE(set.has_value());
    EXPECT_EQ(set->requested(), 7);
    EXPECT_EQ(set->available(), 5);

    // A user's first add of too many creates no cart either.
    const actor alice = sign_up("+15551000001");
    auto first = expect_rejected<insufficient_stock_error>(
        url, [&] { carts().add_item(alice, own(), p.id, 6); });
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->requested(), 6);
    EXPECT_EQ(carts().get(alice, own()).id.value(), 0);

    // Exactly the stock is fine.
    EXPECT_EQ(lines_of(carts().add_item(visitor, by_token(g.token), p.id, 2)),
              (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 5}}));
}

TEST_F(Cart, AQuantityThatWouldOverflowTheLineIsAValidationError) {
    const product p = make_product("SKU-1", "10.00", 10);
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 1);
    constexpr std::int64_t huge = std::numeric_limits<std::int64_t>::max();
    auto add = expect_rejected<validation_error>(
        url, [&] { carts().add_item(visitor, by_token(g.token), p.id, huge); });
    ASSERT_TRUE(add.has_value());
    EXPECT_EQ(add->field(), "quantity");
    auto set = expect_rejected<validation_error>(
        url, [&] { carts().set_quantity(visitor, by_token(g.token), p.id, huge); });
    ASSERT_TRUE(set.has_value());
    EXPECT_EQ(set->field(), "quantity");
}

TEST_F(Cart, AnInactiveProductCannotBeAdded) {
    const product p = make_product("SKU-1");
    catalog().deactivate_product(admin, p.id);
    new_product hidden;
    hidden.sku = "SKU-2";
    hidden.name = "Hidden";
    hidden.price = usd("1.00");
    hidden.initial_stock = 5;
    hidden.active = false;
    const product h = catalog().create_product(admin, hidden);
    const guest_cart g = carts().create_guest_cart(visitor);
    for (const product_id id : {p.id, h.id}) {
        expect_rejected<invalid_state_error>(
            url, [&] { carts().add_item(visitor, by_token(g.token), id, 1); });
        expect_rejected<invalid_state_error>(
            url, [&] { carts().set_quantity(visitor, by_token(g.token), id, 1); });
    }
}

TEST_F(Cart, AnUnknownProductIsNotFound) {
    const guest_cart g = carts().create_guest_cart(visitor);
    expect_rejected<not_found_error>(
        url, [&] { carts().add_item(visitor, by_token(g.token), product_id(4242), 1); });
    expect_rejected<not_found_error>(
        url, [&] { carts().set_quantity(visitor, by_token(g.token), product_id(4242), 1); });
}

TEST_F(Cart, TheLineLimitIsEnforcedAndChangesNothing) {
    open_shop([](shop_options& o) { o.carts.max_line_quantity = 3; });
    const product p = make_product("SKU-1");
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 3);
    auto add = expect_rejected<validation_error>(
        url, [&] { carts().add_item(visitor, by_token(g.token), p.id, 1); });
    ASSERT_TRUE(add.has_value());
    EXPECT_EQ(add->field(), "quantity");
    auto set = expect_rejected<validation_error>(
        url, [&] { carts().set_quantity(visitor, by_token(g.token), p.id, 4); });
    ASSERT_TRUE(set.has_value());
    EXPECT_EQ(set->field(), "quantity");
    EXPECT_EQ(lines_of(carts().get(visitor, by_token(g.token))),
              (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 3}}));
}

TEST_F(Cart, TheNumberOfLinesIsLimitedAndChangesNothing) {
    open_shop([](shop_options& o) { o.carts.max_lines = 2; });
    const product a = make_product("SKU-1");
    const product b = make_product("SKU-2");
    const product c = make_product("SKU-3");
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), a.id, 1);
    carts().add_item(visitor, by_token(g.token), b.id, 1);
    auto e = expect_rejected<validation_error>(
        url, [&] { carts().add_item(visitor, by_token(g.token), c.id, 1); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field(), "lines");
    expect_rejected<validation_error>(
        url, [&] { carts().set_quantity(visitor, by_token(g.token), c.id, 1); });
    // An existing line can still grow.
    EXPECT_EQ(carts().add_item(visitor, by_token(g.token), a.id, 1).lines.at(0).quantity, 2);
}

TEST_F(Cart, TheTotalQuantityIsLimitedAndChangesNothing) {
    open_shop([](shop_options& o) { o.carts.max_total_quantity = 5; });
    const product a = make_product("SKU-1");
    const product b = make_product("SKU-2");
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), a.id, 3);
    carts().add_item(visitor, by_token(g.token), b.id, 2);
    auto add = expect_rejected<validation_error>(
        url, [&] { carts().add_item(visitor, by_token(g.token), b.id, 1); });
    ASSERT_TRUE(add.has_value());
    EXPECT_EQ(add->field(), "quantity");
    auto set = expect_rejected<validation_error>(
        url, [&] { carts().set_quantity(visitor, by_token(g.token), a.id, 4); });
    ASSERT_TRUE(set.has_value());
    EXPECT_EQ(set->field(), "quantity");
    // Moving units between lines within the limit is fine.
    carts().set_quantity(visitor, by_token(g.token), b.id, 1);
    EXPECT_EQ(lines_of(carts().set_quantity(visitor, by_token(g.token), a.id, 4)),
              (std::vector<std::pair<product_id, std::int64_t>>{{a.id, 4}, {b.id, 1}}));
}

TEST_F(Cart, CartLimitsOutOfRangeAreRefusedWhenTheShopOpens) {
    const auto opens_with = [&](const std::function<void(cart_settings&)>& spoil) {
        shop_options o;
        o.time_source = clock;
        o.accounts.cost = password_cost::testing_only_insecure;
        spoil(o.carts);
        (void)shop::open(url, o);
    };
    s.reset();
    const std::vector<std::function<void(cart_settings&)>> spoilers = {
        [](cart_settings& c) { c.max_line_quantity = 0; },
        [](cart_settings& c) { c.max_lines = 0; },
        [](cart_settings& c) { c.max_total_quantity = 0; },
        [](cart_settings& c) { c.max_codes = -1; },
        [](cart_settings& c) { c.guest_ttl_seconds = 0; },
        [](cart_settings& c) { c.user_ttl_seconds = 0; },
    };
    for (std::size_t i = 0; i < spoilers.size(); ++i) {
        SCOPED_TRACE(i);
        auto e = expect_rejected<validation_error>(url, [&] { opens_with(spoilers[i]); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), "carts");
    }
}

TEST_F(Cart, SetQuantitySetsAddsAndZeroRemovesTheLine) {
    const product p = make_product("SKU-1");
    const product q = make_product("SKU-2");
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 2);
    EXPECT_EQ(lines_of(carts().set_quantity(visitor, by_token(g.token), p.id, 7)),
              (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 7}}));
    // A product not in the cart is added.
    EXPECT_EQ(lines_of(carts().set_quantity(visitor, by_token(g.token), q.id, 1)),
              (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 7}, {q.id, 1}}));
    EXPECT_EQ(lines_of(carts().set_quantity(visitor, by_token(g.token), p.id, 0)),
              (std::vector<std::pair<product_id, std::int64_t>>{{q.id, 1}}));
    EXPECT_EQ(lines_of(carts().get(visitor, by_token(g.token))),
              (std::vector<std::pair<product_id, std::int64_t>>{{q.id, 1}}));
}

TEST_F(Cart, LoweringALineIsAllowedAfterItsProductStoppedSellingButRaisingItIsNot) {
    const product p = make_product("SKU-1", "10.00", 10);
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 3);
    catalog().deactivate_product(admin, p.id);
    EXPECT_EQ(lines_of(carts().set_quantity(visitor, by_token(g.token), p.id, 2)),
              (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 2}}));
    expect_rejected<invalid_state_error>(
        url, [&] { carts().set_quantity(visitor, by_token(g.token), p.id, 3); });
    EXPECT_EQ(lines_of(carts().get(visitor, by_token(g.token))),
              (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 2}}));
    // Down to zero removes the line.
    EXPECT_TRUE(carts().set_quantity(visitor, by_token(g.token), p.id, 0).lines.empty());
}

TEST_F(Cart, LoweringALineIsAllowedWhenStockFellBelowItButRaisingItIsChecked) {
    const product p = make_product("SKU-1", "10.00", 10);
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 5);
    inventory().set_stock(admin, p.id, 2, "breakage");
    EXPECT_EQ(lines_of(carts().set_quantity(visitor, by_token(g.token), p.id, 4)),
              (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 4}}));
    auto e = expect_rejected<insufficient_stock_error>(
        url, [&] { carts().set_quantity(visitor, by_token(g.token), p.id, 5); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->product(), p.id);
    EXPECT_EQ(e->requested(), 5);
    EXPECT_EQ(e->available(), 2);
    EXPECT_EQ(lines_of(carts().get(visitor, by_token(g.token))),
              (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 4}}));
}

TEST_F(Cart, RemoveItemRemovesTheLineAndAnAbsentProductIsNotFound) {
    const product p = make_product("SKU-1");
    const product q = make_product("SKU-2");
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 2);
    carts().add_item(visitor, by_token(g.token), q.id, 1);
    EXPECT_EQ(lines_of(carts().remove_item(visitor, by_token(g.token), p.id)),
              (std::vector<std::pair<product_id, std::int64_t>>{{q.id, 1}}));
    expect_rejected<not_found_error>(
        url, [&] { carts().remove_item(visitor, by_token(g.token), p.id); });
    expect_rejected<not_found_error>(
        url, [&] { carts().remove_item(visitor, by_token(g.token), product_id(4242)); });
    EXPECT_EQ(lines_of(carts().get(visitor, by_token(g.token))),
              (std::vector<std::pair<product_id, std::int64_t>>{{q.id, 1}}));
}

TEST_F(Cart, ClearRemovesLinesAndCodesButKeepsTheDestinationAndMethod) {
    open_irr_shop();
    const product p = make_product("SKU-1", "100000");
    (void)create_code(percent_off("SAVE10", 10));
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 2);
    carts().set_destination(visitor, by_token(g.token), {"IR", "Tehran"});
    carts().choose_shipping(visitor, by_token(g.token), "post");
    EXPECT_EQ(carts().apply_code(visitor, by_token(g.token), "SAVE10").codes,
              std::vector<std::string>{"SAVE10"});

    const cart cleared = carts().clear(visitor, by_token(g.token));
    EXPECT_TRUE(cleared.lines.empty());
    EXPECT_TRUE(cleared.codes.empty());
    ASSERT_TRUE(cleared.destination.has_value());
    EXPECT_EQ(cleared.destination->country, "IR");
    EXPECT_EQ(cleared.destination->province, "Tehran");
    EXPECT_EQ(cleared.shipping_method, "post");
    const cart read = carts().get(visitor, by_token(g.token));
    EXPECT_TRUE(read.lines.empty());
    EXPECT_TRUE(read.codes.empty());
    EXPECT_EQ(read.version, cleared.version);
    EXPECT_EQ(rows("cart_line"), 0u);
    EXPECT_EQ(rows("cart_code"), 0u);
}

// ---- versions, expiry stamps and events -----------------------------------------------------

TEST_F(Cart, EveryChangeIncrementsTheVersionAndMovesTheExpiry) {
    const product p = make_product("SKU-1");
    const guest_cart g = carts().create_guest_cart(visitor);
    const std::int64_t ttl = carts().settings().guest_ttl_seconds;
    std::int64_t version = g.cart.version;
    const auto changed = [&](const cart& k) {
        EXPECT_EQ(k.version, version + 1);
        EXPECT_EQ(k.updated_at, clock->now());
        EXPECT_EQ(k.expires_at, clock->now().plus_seconds(ttl));
        EXPECT_EQ(carts().get(visitor, by_token(g.token)).version, k.version);
        version = k.version;
    };
    clock->advance_seconds(60);
    changed(carts().add_item(visitor, by_token(g.token), p.id, 1));
    clock->advance_seconds(60);
    changed(carts().set_quantity(visitor, by_token(g.token), p.id, 3));
    clock->advance_seconds(60);
    changed(carts().set_destination(visitor, by_token(g.token), {"US", "CA"}));
    clock->advance_seconds(60);
    changed(carts().remove_item(visitor, by_token(g.token), p.id));
    clock->advance_seconds(60);
    changed(carts().add_item(visitor, by_token(g.token), p.id, 1));
    clock->advance_seconds(60);
    changed(carts().clear(visitor, by_token(g.token)));
    // Reading changes nothing.
    clock->advance_seconds(60);
    EXPECT_EQ(carts().get(visitor, by_token(g.token)).version, version);
    EXPECT_EQ(carts().price(visitor, by_token(g.token)).cart.version, version);
}

TEST_F(Cart, CartChangedFiresAfterCommitWithTheOldAndNewQuantities) {
    const product p = make_product("SKU-1", "10.00", 5);
    const guest_cart g = carts().create_guest_cart(visitor);
    std::vector<cart_changed_event> seen;
    std::vector<std::int64_t> committed;  // the line as another reader saw it in the listener
    auto sub = sh().events().on_cart_changed([&](const cart_changed_event& e) {
        seen.push_back(e);
        const cart k = carts().get(visitor, by_token(g.token));
        std::int64_t n = 0;
        for (const cart_line& l : k.lines) {
            if (e.product && l.product == *e.product) n = l.quantity;
        }
        committed.push_back(n);
    });

    carts().add_item(visitor, by_token(g.token), p.id, 2);
    carts().add_item(visitor, by_token(g.token), p.id, 1);
    carts().set_quantity(visitor, by_token(g.token), p.id, 1);
    expect_rejected<insufficient_stock_error>(
        url, [&] { carts().add_item(visitor, by_token(g.token), p.id, 9); });
    carts().remove_item(visitor, by_token(g.token), p.id);
    carts().add_item(visitor, by_token(g.token), p.id, 4);
    clock->advance_seconds(5);
    carts().clear(visitor, by_token(g.token));

    struct expected {
        std::optional<product_id> product;
        std::int64_t old_quantity;
        std::int64_t new_quantity;
    };
    const std::vector<expected> want = {{p.id, 0, 2}, {p.id, 2, 3}, {p.id, 3, 1},
                                        {p.id, 1, 0}, {p.id, 0, 4}, {std::nullopt, 0, 0}};
    ASSERT_EQ(seen.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(seen[i].cart, g.cart.id);
        EXPECT_EQ(seen[i].by, visitor);
        EXPECT_FALSE(seen[i].owner.has_value());
        EXPECT_EQ(seen[i].product, want[i].product);
        EXPECT_EQ(seen[i].old_quantity, want[i].old_quantity);
        EXPECT_EQ(seen[i].new_quantity, want[i].new_quantity);
        // Delivered after commit: a separate read already sees the new quantity.
        EXPECT_EQ(committed[i], want[i].new_quantity);
    }
    EXPECT_EQ(seen.back().at, clock->now());

    // A user's cart names its owner.
    const actor alice = sign_up("+15551000001");
    seen.clear();
    carts().add_item(alice, own(), p.id, 1);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].owner, std::optional<user_id>(alice.user()));
    EXPECT_EQ(seen[0].by, alice);
}

// ---- concurrency ------------------------------------------------------------------------------

TEST_F(Cart, ConcurrentAddsToOneCartAreAllCounted) {
    const product p = make_product("SKU-1", "10.00", 100);
    const guest_cart g = carts().create_guest_cart(visitor);
    const auto results = race(12, [&] {
        return outcome([&] { carts().add_item(visitor, by_token(g.token), p.id, 1); });
    });
    for (const auto& r : results) EXPECT_EQ(r, "ok");
    const cart k = carts().get(visitor, by_token(g.token));
    EXPECT_EQ(lines_of(k), (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 12}}));
    EXPECT_EQ(k.version, 13);
}

TEST_F(Cart, ConcurrentAddsNeverPutMoreThanTheStockInACart) {
    const product p = make_product("SKU-1", "10.00", 5);
    const guest_cart g = carts().create_guest_cart(visitor);
    const auto results = race(12, [&] {
        return outcome([&] { carts().add_item(visitor, by_token(g.token), p.id, 1); });
    });
    EXPECT_EQ(std::count(results.begin(), results.end(), "ok"), 5);
    EXPECT_EQ(lines_of(carts().get(visitor, by_token(g.token))),
              (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 5}}));
}

TEST_F(Cart, ConcurrentFirstAddsByOneUserShareOneCart) {
    const actor alice = sign_up("+15551000001");
    const product p = make_product("SKU-1", "10.00", 100);
    const auto results =
        race(8, [&] { return outcome([&] { carts().add_item(alice, own(), p.id, 1); }); });
    for (const auto& r : results) EXPECT_EQ(r, "ok");
    EXPECT_EQ(rows("cart"), 1u);
    EXPECT_EQ(lines_of(carts().get(alice, own())),
              (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 8}}));
}

TEST_F(Cart, ConcurrentFirstChangesToAUsersExpiredCartShareOneFreshCart) {
    const actor alice = sign_up("+15551000001");
    const product p = make_product("SKU-1", "10.00", 100);
    cart old = carts().add_item(alice, own(), p.id, 1);
    for (int threads = 2; threads <= 8; ++threads) {
        SCOPED_TRACE(threads);
        clock->advance_seconds(carts().settings().user_ttl_seconds);
        ASSERT_EQ(carts().get(alice, own()).id.value(), 0) << "the cart has not expired";
        // Thread i adds i units, so that every add shows in the sum.
        std::atomic<std::int64_t> next{0};
        const auto results = race(threads, [&] {
            return outcome([&] { carts().add_item(alice, own(), p.id, ++next); });
        });
        for (const auto& r : results) EXPECT_EQ(r, "ok");
        const std::int64_t sum = std::int64_t{threads} * (threads + 1) / 2;
        EXPECT_EQ(rows("cart"), 1u);
        const cart fresh = carts().get(alice, own());
        EXPECT_TRUE(fresh.id.is_valid());
        EXPECT_NE(fresh.id, old.id);
        EXPECT_EQ(lines_of(fresh), (std::vector<std::pair<product_id, std::int64_t>>{{p.id, sum}}));
        EXPECT_EQ(rows("cart_line"), 1u);
        old = fresh;
    }
}

// ---- destination and shipping ---------------------------------------------------------------

TEST_F(Cart, SetDestinationChecksTheCountryAndProvince) {
    const guest_cart g = carts().create_guest_cart(visitor);
    for (const std::string country : {"", "ir", "Ir", "IRN", "I", "1R", "*"}) {
        SCOPED_TRACE(country);
        auto e = expect_rejected<validation_error>(url, [&] {
            carts().set_destination(visitor, by_token(g.token), {country, ""});
        });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), "country");
    }
    auto province = expect_rejected<validation_error>(url, [&] {
        carts().set_destination(visitor, by_token(g.token), {"IR", std::string(201, 'p')});
    });
    ASSERT_TRUE(province.has_value());
    EXPECT_EQ(province->field(), "province");

    const cart k =
        carts().set_destination(visitor, by_token(g.token), {"IR", std::string(200, 'p')});
    ASSERT_TRUE(k.destination.has_value());
    EXPECT_EQ(k.destination->country, "IR");
    EXPECT_EQ(k.destination->province, std::string(200, 'p'));
    const cart read = carts().set_destination(visitor, by_token(g.token), {"DE", ""});
    ASSERT_TRUE(read.destination.has_value());
    EXPECT_EQ(read.destination->country, "DE");
    EXPECT_EQ(read.destination->province, "");
    EXPECT_EQ(carts().get(visitor, by_token(g.token)).destination->country, "DE");
}

TEST_F(Cart, ChoosingAnUnknownShippingMethodIsAValidationError) {
    const guest_cart plain = carts().create_guest_cart(visitor);
    auto none = expect_rejected<validation_error>(
        url, [&] { carts().choose_shipping(visitor, by_token(plain.token), "post"); });
    ASSERT_TRUE(none.has_value());
    EXPECT_EQ(none->field(), "shipping_method");

    open_irr_shop();
    const guest_cart g = carts().create_guest_cart(visitor);
    auto unknown = expect_rejected<validation_error>(
        url, [&] { carts().choose_shipping(visitor, by_token(g.token), "courier"); });
    ASSERT_TRUE(unknown.has_value());
    EXPECT_EQ(unknown->field(), "shipping_method");
    EXPECT_EQ(carts().choose_shipping(visitor, by_token(g.token), "post").shipping_method, "post");
    EXPECT_EQ(carts().get(visitor, by_token(g.token)).shipping_method, "post");
    EXPECT_EQ(carts().choose_shipping(visitor, by_token(g.token), "").shipping_method, "");
}

// ---- pricing --------------------------------------------------------------------------------

TEST_F(Cart, PriceListsEveryLineWithTheTotalsAndNoShippingWithoutADestination) {
    const product p = make_product("SKU-1", "10.00");
    new_product on_sale;
    on_sale.sku = "SKU-2";
    on_sale.name = "On sale";
    on_sale.price = usd("20.00");
    on_sale.sale = sale_discount::percentage(ratio::percent(25));
    on_sale.initial_stock = 10;
    const product q = catalog().create_product(admin, on_sale);
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 2);
    carts().add_item(visitor, by_token(g.token), q.id, 1);

    const priced_cart priced = carts().price(visitor, by_token(g.token));
    EXPECT_TRUE(priced.problems.empty());
    EXPECT_EQ(priced.cart.id, g.cart.id);
    const price_breakdown& b = priced.breakdown;
    EXPECT_EQ(b.currency, currency::of("USD"));
    EXPECT_EQ(b.priced_at, clock->now());
    ASSERT_EQ(b.lines.size(), 2u);
    EXPECT_EQ(b.lines[0].product, p.id);
    EXPECT_EQ(b.lines[0].quantity, 2);
    EXPECT_EQ(b.lines[0].unit_price, usd("10.00"));
    EXPECT_EQ(b.lines[0].subtotal, usd("20.00"));
    EXPECT_EQ(b.lines[0].total_weight, weight::of_grams(500));
    EXPECT_EQ(b.lines[1].product, q.id);
    EXPECT_EQ(b.lines[1].unit_price, usd("20.00"));
    EXPECT_EQ(b.lines[1].sale_unit_price, usd("15.00"));
    EXPECT_EQ(b.list_subtotal, usd("40.00"));
    EXPECT_EQ(b.sale_savings, usd("5.00"));
    EXPECT_EQ(b.subtotal, usd("35.00"));
    EXPECT_EQ(b.discount_total, usd("0.00"));
    EXPECT_EQ(b.shipping.status, shipping_status::no_destination);
    EXPECT_EQ(b.shipping_total, usd("0.00"));
    EXPECT_EQ(b.tax_total, usd("0.00"));
    EXPECT_EQ(b.total, usd("35.00"));
    EXPECT_EQ(b.total_quantity, 3);
}

TEST_F(Cart, AProductDeactivatedAfterAddingIsReportedInactiveAndLeftOutOfThePrice) {
    const product p = make_product("SKU-1", "10.00");
    const product q = make_product("SKU-2", "7.00");
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 1);
    carts().add_item(visitor, by_token(g.token), q.id, 2);
    catalog().deactivate_product(admin, q.id);

    const priced_cart priced = carts().price(visitor, by_token(g.token));
    EXPECT_EQ(priced.cart.lines.size(), 2u) << "the line stays in the cart";
    ASSERT_EQ(priced.breakdown.lines.size(), 1u);
    EXPECT_EQ(priced.breakdown.lines[0].product, p.id);
    EXPECT_EQ(priced.breakdown.total, usd("10.00"));
    ASSERT_EQ(priced.problems.size(), 1u);
    EXPECT_EQ(priced.problems[0].kind, cart_problem_kind::inactive);
    EXPECT_EQ(priced.problems[0].product, std::optional<product_id>(q.id));
}

TEST_F(Cart, StockBelowTheQuantityIsReportedAsAProblem) {
    const product p = make_product("SKU-1", "10.00", 10);
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 5);
    inventory().set_stock(admin, p.id, 2, "breakage");

    const priced_cart priced = carts().price(visitor, by_token(g.token));
    ASSERT_EQ(priced.problems.size(), 1u);
    EXPECT_EQ(priced.problems[0].kind, cart_problem_kind::insufficient_stock);
    EXPECT_EQ(priced.problems[0].product, std::optional<product_id>(p.id));
    EXPECT_EQ(priced.problems[0].available, 2);
    // Still priced as it is.
    ASSERT_EQ(priced.breakdown.lines.size(), 1u);
    EXPECT_EQ(priced.breakdown.lines[0].quantity, 5);
    EXPECT_EQ(priced.breakdown.subtotal, usd("50.00"));
}

TEST_F(Cart, AParcelOf1500GramsCostsExactly40000RialsByTheOriginalRule) {
    open_irr_shop();
    const product p = make_weighed("SKU-1", "150000", 250);
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 6);  // 1,500 g

    const priced_cart before = carts().price(visitor, by_token(g.token));
    EXPECT_EQ(before.breakdown.shipping.status, shipping_status::no_destination);
    EXPECT_EQ(before.breakdown.shipping_total, cash("0"));
    EXPECT_TRUE(before.problems.empty());

    carts().set_destination(visitor, by_token(g.token), {"IR", "Tehran"});
    const priced_cart priced = carts().price(visitor, by_token(g.token));
    const price_breakdown& b = priced.breakdown;
    EXPECT_EQ(b.currency, currency::of("IRR"));
    EXPECT_EQ(b.total_weight, weight::of_grams(1500));
    EXPECT_EQ(b.shipping.status, shipping_status::quoted);
    EXPECT_EQ(b.shipping.method_code, "post");
    EXPECT_EQ(b.shipping.cost, cash("40000"));
    EXPECT_EQ(b.shipping_total, cash("40000"));
    EXPECT_EQ(b.subtotal, cash("900000"));
    EXPECT_EQ(b.total, cash("940000"));
    EXPECT_TRUE(priced.problems.empty());

    // 750 g is in the first band; 999 g is its edge, 1,000 g the next band's start.
    carts().set_quantity(visitor, by_token(g.token), p.id, 3);
    EXPECT_EQ(carts().price(visitor, by_token(g.token)).breakdown.shipping_total, cash("20000"));
    const product edge = make_weighed("SKU-2", "1000", 249);
    carts().add_item(visitor, by_token(g.token), edge.id, 1);  // 999 g
    EXPECT_EQ(carts().price(visitor, by_token(g.token)).breakdown.shipping_total, cash("20000"));
    const product gram = make_weighed("SKU-3", "1000", 1);
    carts().add_item(visitor, by_token(g.token), gram.id, 1);  // 1,000 g
    EXPECT_EQ(carts().price(visitor, by_token(g.token)).breakdown.shipping_total, cash("40000"));
}

TEST_F(Cart, ADestinationNoMethodServesIsReportedAsShippingUnavailable) {
    open_irr_shop();
    const product p = make_weighed("SKU-1", "1000", 250);
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 1);
    carts().set_destination(visitor, by_token(g.token), {"DE", ""});
    const priced_cart priced = carts().price(visitor, by_token(g.token));
    EXPECT_EQ(priced.breakdown.shipping.status, shipping_status::no_method_available);
    EXPECT_EQ(priced.breakdown.shipping_total, cash("0"));
    ASSERT_EQ(priced.problems.size(), 1u);
    EXPECT_EQ(priced.problems[0].kind, cart_problem_kind::shipping_unavailable);
    EXPECT_FALSE(priced.problems[0].product.has_value());

    // Too heavy for every band (no excess rule): no method either.
    carts().set_destination(visitor, by_token(g.token), {"IR", ""});
    carts().set_quantity(visitor, by_token(g.token), p.id, 8);  // 2,000 g
    const priced_cart heavy = carts().price(visitor, by_token(g.token));
    EXPECT_EQ(heavy.breakdown.shipping.status, shipping_status::no_method_available);
    ASSERT_EQ(heavy.problems.size(), 1u);
    EXPECT_EQ(heavy.problems[0].kind, cart_problem_kind::shipping_unavailable);
}

// ---- expiry and purging ---------------------------------------------------------------------

TEST_F(Cart, AGuestCartIdlePastItsLifetimeIsGone) {
    const product p = make_product("SKU-1");
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), p.id, 1);
    const std::int64_t ttl = carts().settings().guest_ttl_seconds;
    EXPECT_EQ(ttl, 30 * day);

    clock->advance_seconds(ttl - 1);
    EXPECT_EQ(carts().get(visitor, by_token(g.token)).id, g.cart.id);
    clock->advance_seconds(1);
    EXPECT_THROW((void)carts().get(visitor, by_token(g.token)), not_found_error);
    EXPECT_THROW((void)carts().price(visitor, by_token(g.token)), not_found_error);
    expect_rejected<not_found_error>(
        url, [&] { carts().add_item(visitor, by_token(g.token), p.id, 1); });
}

TEST_F(Cart, AChangeKeepsAGuestCartAlive) {
    const product p = make_product("SKU-1");
    const guest_cart g = carts().create_guest_cart(visitor);
    const std::int64_t ttl = carts().settings().guest_ttl_seconds;
    clock->advance_seconds(ttl - 10);
    carts().add_item(visitor, by_token(g.token), p.id, 1);
    clock->advance_seconds(ttl - 10);
    EXPECT_EQ(carts().get(visitor, by_token(g.token)).lines.size(), 1u);
}

TEST_F(Cart, AUsersExpiredCartIsReplacedByAFreshOne) {
    const actor alice = sign_up("+15551000001");
    const product p = make_product("SKU-1");
    const cart old = carts().add_item(alice, own(), p.id, 2);
    clock->advance_seconds(carts().settings().user_ttl_seconds);
    const cart gone = carts().get(alice, own());
    EXPECT_EQ(gone.id.value(), 0);
    EXPECT_TRUE(gone.lines.empty());
    const cart fresh = carts().add_item(alice, own(), p.id, 1);
    EXPECT_TRUE(fresh.id.is_valid());
    EXPECT_NE(fresh.id, old.id);
    EXPECT_EQ(lines_of(fresh), (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 1}}));
    EXPECT_EQ(rows("cart"), 1u);
}

TEST_F(Cart, AChangeThatChangesNothingWritesNothingEvenForAUserWithoutACart) {
    const actor alice = sign_up("+15551000001");
    const product p = make_product("SKU-1");
    const auto before = snapshot(url);
    EXPECT_EQ(carts().clear(alice, own()).id.value(), 0);
    EXPECT_EQ(carts().set_quantity(alice, own(), p.id, 0).id.value(), 0);
    EXPECT_EQ(snapshot(url), before);
    EXPECT_EQ(carts().get(alice, own()).id.value(), 0);
    // The first change that writes creates the cart.
    EXPECT_NE(carts().add_item(alice, own(), p.id, 1).id.value(), 0);
    EXPECT_EQ(rows("cart"), 1u);
}

TEST_F(Cart, PurgingExpiredCartsIsForStaffAndDeletesThemWithTheirLines) {
    const actor alice = sign_up("+15551000001");
    const product p = make_product("SKU-1");
    registration clerk;
    clerk.phone = "+15550000002";
    clerk.password = std::string("a catalog clerk's passphrase");
    const actor catalog_only = actor::admin(
        accounts().create_admin(actor::system(), clerk, {permission::manage_catalog}).user.id);
    for (const actor& who : {customer, alice, visitor, catalog_only}) {
        expect_rejected<permission_denied_error>(url, [&] { carts().purge_expired(who); });
    }
    const guest_cart g1 = carts().create_guest_cart(visitor);
    const guest_cart g2 = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g1.token), p.id, 2);
    carts().add_item(alice, own(), p.id, 1);
    clock->advance_seconds(day);
    const guest_cart young = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(young.token), p.id, 1);

    EXPECT_EQ(carts().purge_expired(admin), 0);
    EXPECT_EQ(rows("cart"), 4u);
    clock->advance_seconds(carts().settings().guest_ttl_seconds - day);  // g1, g2 expire now
    EXPECT_EQ(carts().purge_expired(admin), 2);
    EXPECT_EQ(rows("cart"), 2u);
    EXPECT_EQ(rows("cart_line"), 2u);
    EXPECT_THROW((void)carts().get(visitor, by_token(g1.token)), not_found_error);
    EXPECT_EQ(carts().get(visitor, by_token(young.token)).lines.size(), 1u);
    EXPECT_EQ(carts().purge_expired(actor::system()), 0);

    clock->advance_seconds(carts().settings().user_ttl_seconds);
    EXPECT_EQ(carts().purge_expired(actor::system()), 2);
    EXPECT_EQ(rows("cart"), 0u);
    EXPECT_EQ(rows("cart_line"), 0u);
    (void)g2;
}

TEST_F(Cart, PurgingMoreExpiredCartsThanABatchDeletesThemAllAndKeepsTheLiveOne) {
    // purge_expired works in batches of 200: 450 needs three, the last one partial.
    const product p = make_product("SKU-1", "10.00", 100);
    constexpr std::int64_t expired = 450;
    for (std::int64_t i = 0; i < expired; ++i) {
        const guest_cart g = carts().create_guest_cart(visitor);
        if (i % 100 == 0) carts().add_item(visitor, by_token(g.token), p.id, 1);  // each batch
    }
    clock->advance_seconds(carts().settings().guest_ttl_seconds);
    const guest_cart live = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(live.token), p.id, 2);

    EXPECT_EQ(carts().purge_expired(admin), expired);
    EXPECT_EQ(rows("cart"), 1u);
    EXPECT_EQ(rows("cart_line"), 1u);
    const cart k = carts().get(visitor, by_token(live.token));
    EXPECT_EQ(k.id, live.cart.id);
    EXPECT_EQ(lines_of(k), (std::vector<std::pair<product_id, std::int64_t>>{{p.id, 2}}));
    EXPECT_EQ(carts().purge_expired(actor::system()), 0);
}

// ---- merging at sign-in -----------------------------------------------------------------------

class CartMerge : public Cart {
protected:
    // Opens a shop with `policy`; the user has A x2 and C x3, the guest A x3, B x1, C x3; C has
    // 4 units in stock.
    void prepare(cart_merge_policy policy) {
        open_shop([policy](shop_options& o) { o.carts.merge_policy = policy; });
        alice = sign_up("+15551000001");
        a = make_product("SKU-A", "10.00", 10);
        b = make_product("SKU-B", "10.00", 10);
        c = make_product("SKU-C", "10.00", 4);
        mine = carts().add_item(alice, own(), a.id, 2);
        mine = carts().add_item(alice, own(), c.id, 3);
        guest = carts().create_guest_cart(visitor);
        carts().add_item(visitor, by_token(guest.token), a.id, 3);
        carts().add_item(visitor, by_token(guest.token), b.id, 1);
        carts().add_item(visitor, by_token(guest.token), c.id, 3);
        merged_sub = sh().events().on_cart_merged(
            [this](const cart_merged_event& e) { merged.push_back(e); });
    }

    // Merges and checks what every policy promises: the user's cart comes back, the guest
    // cart is gone, cart_merged fired.
    cart merge() {
        const cart out = carts().merge_guest_cart(alice, guest.token);
        EXPECT_EQ(out.id, mine.id);
        EXPECT_EQ(out.owner, std::optional<user_id>(alice.user()));
        EXPECT_EQ(lines_of(carts().get(alice, own())), lines_of(out));
        EXPECT_THROW((void)carts().get(visitor, by_token(guest.token)), not_found_error);
        EXPECT_EQ(rows("cart"), 1u);
        EXPECT_EQ(merged.size(), 1u);
        if (!merged.empty()) {
            EXPECT_EQ(merged[0].user, alice.user());
            EXPECT_EQ(merged[0].guest_cart, guest.cart.id);
            EXPECT_EQ(merged[0].user_cart, mine.id);
            EXPECT_EQ(merged[0].at, clock->now());
        }
        return out;
    }

    using lines = std::vector<std::pair<product_id, std::int64_t>>;

    actor alice;
    product a;
    product b;
    product c;
    cart mine;
    guest_cart guest;
    std::vector<cart_merged_event> merged;
    subscription merged_sub;
};

TEST_F(CartMerge, AddQuantitiesSumsTheLinesCappedByStock) {
    prepare(cart_merge_policy::add_quantities);
    EXPECT_EQ(lines_of(merge()), (lines{{a.id, 5}, {c.id, 4}, {b.id, 1}}));
}

TEST_F(CartMerge, LargerQuantityKeepsTheLargerOfEachLine) {
    prepare(cart_merge_policy::larger_quantity);
    EXPECT_EQ(lines_of(merge()), (lines{{a.id, 3}, {c.id, 3}, {b.id, 1}}));
}

TEST_F(CartMerge, GuestReplacesPutsTheGuestLinesInPlaceOfTheUsers) {
    prepare(cart_merge_policy::guest_replaces);
    EXPECT_EQ(lines_of(merge()), (lines{{a.id, 3}, {b.id, 1}, {c.id, 3}}));
}

TEST_F(CartMerge, KeepUserKeepsTheUsersCartAndDropsTheGuests) {
    prepare(cart_merge_policy::keep_user);
    EXPECT_EQ(lines_of(merge()), (lines{{a.id, 2}, {c.id, 3}}));
}

TEST_F(CartMerge, AUserWithoutACartGetsTheGuestCartsLines) {
    prepare(cart_merge_policy::add_quantities);
    const actor bob = sign_up("+15551000002");
    const cart out = carts().merge_guest_cart(bob, guest.token);
    EXPECT_TRUE(out.id.is_valid());
    EXPECT_NE(out.id, mine.id);
    EXPECT_EQ(out.owner, std::optional<user_id>(bob.user()));
    EXPECT_EQ(lines_of(out), (lines{{a.id, 3}, {b.id, 1}, {c.id, 3}}));
    EXPECT_THROW((void)carts().get(visitor, by_token(guest.token)), not_found_error);
}

TEST_F(CartMerge, TheGuestsCodesJoinWhenTheyApplyWithTheUsers) {
    prepare(cart_merge_policy::add_quantities);
    (void)create_code(percent_off("TEN", 10));
    (void)create_code(percent_off("FIVE", 5));
    carts().apply_code(alice, own(), "TEN");
    carts().apply_code(visitor, by_token(guest.token), "FIVE");
    carts().apply_code(visitor, by_token(guest.token), "TEN");
    EXPECT_EQ(merge().codes, (std::vector<std::string>{"TEN", "FIVE"}));
    const price_breakdown b = carts().price(alice, own()).breakdown;
    EXPECT_EQ(b.applied.size(), 2u);
    EXPECT_TRUE(b.refused.empty());
}

TEST_F(CartMerge, AGuestCodeThatWouldPushOutTheUsersCodeIsDropped) {
    prepare(cart_merge_policy::add_quantities);
    (void)create_code(percent_off("TEN", 10));
    new_discount_code solo = percent_off("SOLO", 20);
    solo.exclusive = true;
    (void)create_code(solo);
    carts().apply_code(alice, own(), "TEN");
    carts().apply_code(visitor, by_token(guest.token), "SOLO");
    // As apply_code() would refuse SOLO (not_combinable), the merge does not keep it: every
    // code left on the cart applies.
    EXPECT_EQ(merge().codes, std::vector<std::string>{"TEN"});
    const price_breakdown b = carts().price(alice, own()).breakdown;
    EXPECT_TRUE(b.refused.empty());
    ASSERT_EQ(b.applied.size(), 1u);
    EXPECT_EQ(b.applied[0].code, "TEN");
}

TEST_F(CartMerge, TheGuestsCodesPassTheBeforeDiscountApplyHooksAsTheUsers) {
    prepare(cart_merge_policy::add_quantities);
    const discount_code ten = create_code(percent_off("TEN", 10));
    (void)create_code(percent_off("FIVE", 5));
    carts().apply_code(visitor, by_token(guest.token), "TEN");
    carts().apply_code(visitor, by_token(guest.token), "FIVE");

    std::vector<before_discount_apply_event> asked;
    std::vector<discount_applied_event> applied;
    std::vector<std::vector<std::string>> codes_seen;  // the user's codes as a reader saw them
    auto hook = sh().events().before_discount_apply([&](const before_discount_apply_event& e) {
        asked.push_back(e);
        if (e.code == "FIVE") throw std::runtime_error("FIVE is for guests only");
    });
    auto listener = sh().events().on_discount_applied([&](const discount_applied_event& e) {
        applied.push_back(e);
        codes_seen.push_back(carts().get(alice, own()).codes);
    });

    // The vetoed code is dropped quietly: the sign-in does not fail for it.
    EXPECT_EQ(merge().codes, std::vector<std::string>{"TEN"});
    ASSERT_EQ(asked.size(), 2u);
    for (const before_discount_apply_event& e : asked) {
        SCOPED_TRACE(e.code);
        EXPECT_EQ(e.by, alice);
        EXPECT_EQ(e.cart, mine.id);
        EXPECT_EQ(e.customer, std::optional<user_id>(alice.user()));
    }
    EXPECT_EQ(asked[0].code, "TEN");
    EXPECT_EQ(asked[0].discount, ten.id);
    EXPECT_EQ(asked[1].code, "FIVE");

    ASSERT_EQ(applied.size(), 1u);
    EXPECT_EQ(applied[0].by, alice);
    EXPECT_EQ(applied[0].cart, mine.id);
    EXPECT_EQ(applied[0].code, "TEN");
    EXPECT_EQ(applied[0].discount, ten.id);
    EXPECT_EQ(applied[0].at, clock->now());
    // Delivered after commit: a separate read already sees the merged code.
    EXPECT_EQ(codes_seen.at(0), std::vector<std::string>{"TEN"});
    EXPECT_EQ(carts().get(alice, own()).codes, std::vector<std::string>{"TEN"});
}

TEST_F(CartMerge, MergingNeedsASignedInUserAndALiveGuestCart) {
    prepare(cart_merge_policy::add_quantities);
    for (const actor& who : {visitor, actor::system()}) {
        expect_rejected<authentication_error>(url,
                                              [&] { carts().merge_guest_cart(who, guest.token); });
    }
    expect_rejected<not_found_error>(url, [&] { carts().merge_guest_cart(alice, unknown_token); });
    expect_rejected<not_found_error>(url, [&] { carts().merge_guest_cart(alice, ""); });
    clock->advance_seconds(carts().settings().guest_ttl_seconds);
    expect_rejected<not_found_error>(url, [&] { carts().merge_guest_cart(alice, guest.token); });
    EXPECT_TRUE(merged.empty());
}

// ---- account deletion -------------------------------------------------------------------------

TEST_F(Cart, DeletingAnAccountDeletesTheUsersCart) {
    const actor alice = sign_up("+15551000001");
    const actor bob = sign_up("+15551000002");
    const product p = make_product("SKU-1");
    (void)create_code(percent_off("SAVE10", 10));
    carts().add_item(alice, own(), p.id, 2);
    carts().set_destination(alice, own(), {"IR", "Tehran"});
    carts().apply_code(alice, own(), "SAVE10");
    const cart bobs = carts().add_item(bob, own(), p.id, 1);
    EXPECT_EQ(rows("cart"), 2u);

    accounts().delete_account(admin, alice.user());
    EXPECT_EQ(rows("cart"), 1u);
    EXPECT_EQ(rows("cart_line"), 1u);
    EXPECT_EQ(rows("cart_code"), 0u);
    EXPECT_EQ(carts().get(bob, own()).id, bobs.id);
}

}  // namespace
}  // namespace shopcore::test

// Orders on every backend: placing an order from a cart (the snapshot it keeps, the purchase
// information, stock, the cart, history and events), idempotency keys, every refusal with
// nothing written, discount-code uses, the status lifecycle with cancelling and expiry,
// payments through the sandbox gateway, purchase history and the admin listing, account
// deletion, placing from several threads, and the statements one placement costs.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cart_fixture.hpp"
#include "expect_rejected.hpp"

namespace shopcore::test {
namespace {

using lines = std::vector<std::pair<product_id, std::int64_t>>;
using os = order_status;

constexpr std::int64_t window = 2 * 3600;  // the fixture shop's payment window
const std::string callback = "https://shop.example/checkout/paid";

const std::vector<order_status> all_statuses = {
    os::pending_payment, os::paid,      os::processing, os::shipped,
    os::delivered,       os::cancelled, os::expired,    os::refunded,
};

std::string named(order_status s) { return order_status_name(s); }

// What an order keeps from its placement, as text: lines, codes, shipping and totals. None of
// it may change later (purchase information, status and history may).
std::string contents(const order& o) {
    std::ostringstream out;
    out << o.id << ' ' << o.number << ' ' << o.currency << ' ' << static_cast<int>(o.prices) << ' '
        << o.placed_at << '\n';
    for (const order_line& l : o.lines) {
        out << l.position << ' ' << l.product << ' ' << l.sku << ' ' << l.name << ' '
            << l.unit_price << ' ' << l.sale_unit_price << ' ' << l.quantity << ' ' << l.unit_weight
            << ' ' << l.subtotal << ' ' << l.discount << ' ' << l.total << ' ' << l.tax_name << ' '
            << l.tax_rate << ' ' << l.tax;
        for (const order_line_discount& d : l.discounts) out << ' ' << d.code << '=' << d.amount;
        out << '\n';
    }
    for (const order_code& c : o.codes) {
        out << c.discount << ' ' << c.code << ' ' << discount_kind_name(c.kind) << ' ' << c.amount
            << '\n';
    }
    out << o.shipping_method << ' ' << o.shipping_cost << ' ' << o.shipping_discount << ' '
        << o.shipping_tax << ' ' << o.subtotal << ' ' << o.discount_total << ' ' << o.shipping_total
        << ' ' << o.tax_total << ' ' << o.total << ' ' << o.total_weight;
    return out.str();
}

// Every field of a purchase_info, '|'-separated.
std::string fields(const purchase_info& p) {
    return p.recipient_name + '|' + p.phone + '|' + p.email.value_or("(none)") + '|' + p.line1 +
           '|' + p.line2 + '|' + p.city + '|' + p.province + '|' + p.postal_code + '|' + p.country +
           '|' + p.note;
}

std::vector<order_id> ids_of(const std::vector<order>& list) {
    std::vector<order_id> out;
    for (const order& o : list) out.push_back(o.id);
    return out;
}

std::vector<std::string> actions_of(const std::vector<order_history_entry>& history) {
    std::vector<std::string> out;
    for (const order_history_entry& h : history) out.push_back(h.action);
    return out;
}

checkout_request keyed(const std::string& key) {
    checkout_request r;
    r.idempotency_key = key;
    return r;
}

// A shop in USD with one US shipping method, 8 % sales tax in the US (on shipping too), the
// sandbox gateway and a payment window of two hours; two buyers with a default US address,
// and two products (the tea on a 10 % sale). Every order notification is recorded.
class order_test : public cart_test {
protected:
    void SetUp() override { prepare(); }

    // Opens a fresh shop as described above, then changed by `customize`.
    void prepare(const std::function<void(shop_options&)>& customize = {}) {
        subscriptions.clear();
        gateway = std::make_shared<sandbox_payment_provider>();
        open_shop([&](shop_options& o) {
            o.shipping_methods = {ground()};
            tax_rate sales;
            sales.name = "Sales tax";
            sales.rate = ratio::percent(8);
            sales.country = "US";
            o.tax.rates = {sales};
            o.tax.shipping_rate = ratio::percent(8);
            o.orders.payment_window_seconds = window;
            o.payments = gateway;
            if (customize) customize(o);
        });
        alice = buyer("+15551000001", "Alice");
        bob = buyer("+15551000002", "Bob");
        mug = make_weighed("MUG", "12.00", 300, 10);
        new_product t;
        t.sku = "TEA";
        t.name = "Green tea";
        t.price = usd("8.00");
        t.sale = sale_discount::percentage(ratio::percent(10));
        t.weight = weight::of_grams(200);
        t.initial_stock = 20;
        tea = catalog().create_product(admin, t);
        event_hub& hub = sh().events();
        subscriptions.push_back(hub.on_order_placed(keep(placed)));
        subscriptions.push_back(hub.on_order_paid(keep(paid)));
        subscriptions.push_back(hub.on_order_cancelled(keep(cancelled)));
        subscriptions.push_back(hub.on_order_status_changed(keep(changed)));
    }

    // US only: 5.00 up to 999 g, 9.00 up to 4,999 g, then 2.00 per started kilogram.
    static shipping_method ground() {
        const currency dollars = currency::of("USD");
        shipping_method m;
        m.code = "ground";
        m.name = "Ground";
        m.zones = {shipping_zone{"US", ""}};
        m.bands = {weight_band{weight::of_grams(999), money::parse("5.00", dollars)},
                   weight_band{weight::of_grams(4999), money::parse("9.00", dollars)}};
        m.excess = excess_rule{weight::of_grams(1000), money::parse("2.00", dollars)};
        return m;
    }

    lines usual() const { return {{mug.id, 2}, {tea.id, 1}}; }

    void fill(const actor& who, const lines& content) {
        for (const auto& [p, n] : content) (void)carts().add_item(who, own(), p, n);
    }

    // Fills `who`'s cart with usual() and places it under `key`.
    order order_for(const actor& who, const std::string& key = "key-1") {
        fill(who, usual());
        return orders().place_order(who, keyed(key));
    }

    // Starts a payment of the order, pays it in full at the gateway and verifies it.
    payment_result pay(const actor& who, order_id id) {
        const payment_start started = orders().start_payment(who, id, callback);
        EXPECT_TRUE(gateway->complete(started.authority));
        return orders().verify_payment(visitor, started.authority);
    }

    // Moves a paid (or later) order on to `to` through every status between, as an admin.
    void advance_to(order_id id, order_status to) {
        for (const order_status step : {os::processing, os::shipped, os::delivered}) {
            if (can_transition(orders().get(admin, id).status, step)) {
                (void)orders().change_status(admin, id, step, "");
            }
            if (step == to) return;
        }
    }

    std::int64_t on_hand(product_id p) { return inventory().stock_of(admin, p).on_hand; }
    std::int64_t uses(discount_id d) { return discounts().by_id(admin, d).times_used; }

    // Places `who`'s cart with `request`, which must fail with `Error`: every row of every table
    // (stock, orders, carts, code uses) is unchanged and order_placed does not fire.
    template <class Error>
    std::optional<Error> refused(const actor& who, const checkout_request& request) {
        const std::size_t before = placed.size();
        auto e = expect_rejected<Error>(url, [&] { (void)orders().place_order(who, request); });
        EXPECT_EQ(placed.size(), before) << "order_placed fired for a refused order";
        return e;
    }

    order_service& orders() { return sh().orders(); }

    std::shared_ptr<sandbox_payment_provider> gateway;
    actor alice;
    actor bob;
    product mug;
    product tea;
    std::vector<order_placed_event> placed;
    std::vector<order_paid_event> paid;
    std::vector<order_cancelled_event> cancelled;
    std::vector<order_status_changed_event> changed;
    std::vector<subscription> subscriptions;
};

class OrderPlacement : public order_test {};
class OrderRefusal : public order_test {};
class OrderCodes : public order_test {};
class OrderLifecycle : public order_test {};
class OrderPayment : public order_test {};
class OrderHistory : public order_test {};
class OrderErasure : public order_test {};
class OrderConcurrency : public order_test {};
class OrderStatements : public order_test {};

// ---- placement ------------------------------------------------------------------------------

TEST_F(OrderPlacement, AnOrderKeepsTheLinesCodesAndTotalsTheCartWasPricedAt) {
    const discount_code ten = create_code(percent_off("TEN", 10));
    new_discount_code n;
    n.code = "MUGDOLLAR";
    n.kind = discount_kind::fixed_amount;
    n.amount = usd("1.00");
    n.scope = discount_scope::products;
    n.products = {mug.id};
    const discount_code dollar = create_code(n);
    fill(alice, usual());
    (void)carts().apply_code(alice, own(), "TEN");
    (void)carts().apply_code(alice, own(), "MUGDOLLAR");
    (void)carts().set_destination(alice, own(), {"US", "CA"});  // as the default address
    const priced_cart priced = carts().price(alice, own());
    const price_breakdown& b = priced.breakdown;
    ASSERT_TRUE(priced.problems.empty());
    ASSERT_EQ(b.lines.size(), 2u);
    ASSERT_EQ(b.applied.size(), 2u);
    ASSERT_EQ(b.shipping.status, shipping_status::quoted);
    // Nothing below compares zeros with zeros.
    ASSERT_TRUE(b.discount_total.is_positive());
    ASSERT_TRUE(b.shipping.tax.is_positive());
    ASSERT_TRUE(b.tax_total.is_positive());

    const order o = orders().place_order(alice, keyed("key-1"));
    EXPECT_TRUE(o.id.is_valid());
    EXPECT_EQ(o.customer, std::optional<user_id>(alice.user()));
    EXPECT_EQ(o.currency, b.currency);
    EXPECT_EQ(o.prices, b.mode);
    const std::vector<product> bought = {mug, tea};
    ASSERT_EQ(o.lines.size(), 2u);
    for (std::size_t i = 0; i < o.lines.size(); ++i) {
        SCOPED_TRACE(bought[i].sku);
        const order_line& l = o.lines[i];
        const priced_line& p = b.lines[i];
        EXPECT_EQ(l.position, static_cast<std::int64_t>(i));
        EXPECT_EQ(l.product, bought[i].id);
        EXPECT_EQ(l.sku, bought[i].sku);
        EXPECT_EQ(l.name, bought[i].name);
        EXPECT_EQ(l.unit_price, p.unit_price);
        EXPECT_EQ(l.sale_unit_price, p.sale_unit_price);
        EXPECT_EQ(l.quantity, p.quantity);
        EXPECT_EQ(l.unit_weight, bought[i].weight);
        EXPECT_EQ(l.unit_weight * l.quantity, p.total_weight);
        EXPECT_EQ(l.subtotal, p.subtotal);
        EXPECT_EQ(l.discount, p.discount);
        EXPECT_EQ(l.total, p.total);
        ASSERT_TRUE(p.tax_entry.has_value());
        EXPECT_EQ(l.tax_name, b.taxes.at(*p.tax_entry).name);
        EXPECT_EQ(l.tax_rate, p.tax_rate);
        EXPECT_EQ(l.tax, p.tax);
        std::map<std::string, money> expected_shares;
        for (const line_discount& d : b.line_discounts) {
            if (d.line == i) expected_shares.emplace(b.applied.at(d.discount).code, d.amount);
        }
        std::map<std::string, money> shares;
        for (const order_line_discount& d : l.discounts) shares.emplace(d.code, d.amount);
        EXPECT_EQ(shares, expected_shares);
    }
    EXPECT_EQ(o.lines[0].tax_name, "Sales tax");
    EXPECT_EQ(o.lines[1].unit_price, usd("8.00"));
    EXPECT_EQ(o.lines[1].sale_unit_price, usd("7.20"));
    EXPECT_EQ(o.lines[0].discounts.size(), 2u) << "the mug line has both codes' shares";

    ASSERT_EQ(o.codes.size(), b.applied.size());
    for (std::size_t i = 0; i < o.codes.size(); ++i) {
        SCOPED_TRACE(o.codes[i].code);
        EXPECT_EQ(o.codes[i].code, b.applied[i].code);
        EXPECT_EQ(o.codes[i].kind, b.applied[i].kind);
        EXPECT_EQ(o.codes[i].amount, b.applied[i].amount);
        EXPECT_EQ(o.codes[i].discount, o.codes[i].code == "TEN" ? ten.id : dollar.id);
    }
    EXPECT_EQ(o.shipping_method, "ground");
    EXPECT_EQ(o.shipping_method, b.shipping.method_code);
    EXPECT_EQ(o.shipping_cost, b.shipping.cost);
    EXPECT_EQ(o.shipping_discount, b.shipping.discount);
    EXPECT_EQ(o.shipping_tax, b.shipping.tax);
    EXPECT_EQ(o.subtotal, b.subtotal);
    EXPECT_EQ(o.discount_total, b.discount_total);
    EXPECT_EQ(o.shipping_total, b.shipping_total);
    EXPECT_EQ(o.tax_total, b.tax_total);
    EXPECT_EQ(o.total, b.total);
    EXPECT_EQ(o.total_weight, b.total_weight);
    // As stored, for the buyer and for staff.
    EXPECT_EQ(contents(orders().get(alice, o.id)), contents(o));
    EXPECT_EQ(contents(orders().get(admin, o.id)), contents(o));
    // Placing counts each code's use.
    EXPECT_EQ(uses(ten.id), 1);
    EXPECT_EQ(uses(dollar.id), 1);
}

TEST_F(OrderPlacement, PurchaseInformationDefaultsToTheDefaultAddressAndTheAccountsContacts) {
    fill(alice, usual());
    checkout_request r = keyed("key-1");
    r.note = "Leave it with the neighbour";
    const order o = orders().place_order(alice, r);
    const user me = accounts().me(alice);
    ASSERT_EQ(me.addresses.size(), 1u);
    const address& home = me.addresses[0];
    // The recipient is the default address's: an address names who receives there.
    EXPECT_EQ(o.purchase.recipient_name, home.recipient_name);
    EXPECT_EQ(o.purchase.recipient_name, "Alice at home");
    EXPECT_EQ(o.purchase.phone, me.phone);
    EXPECT_EQ(o.purchase.phone, "+15551000001");
    EXPECT_EQ(o.purchase.email, me.email);
    EXPECT_EQ(o.purchase.email, std::optional<std::string>("buyer15551000001@example.com"));
    EXPECT_EQ(o.purchase.line1, home.line1);
    EXPECT_EQ(o.purchase.line2, home.line2);
    EXPECT_EQ(o.purchase.city, home.city);
    EXPECT_EQ(o.purchase.province, "CA");
    EXPECT_EQ(o.purchase.postal_code, "94105");
    EXPECT_EQ(o.purchase.country, "US");
    EXPECT_EQ(o.purchase.note, "Leave it with the neighbour");
    EXPECT_EQ(fields(orders().get(alice, o.id).purchase), fields(o.purchase));
}

TEST_F(OrderPlacement, ADefaultAddressWithItsOwnPhoneGivesThatPhone) {
    user me = accounts().me(alice);
    std::vector<address> book = me.addresses;
    book[0].phone = "+1 (555) 777-0000";
    profile_update u;
    u.addresses = book;
    (void)accounts().update_profile(alice, u);
    fill(alice, usual());
    const order o = orders().place_order(alice, keyed("key-1"));
    EXPECT_EQ(o.purchase.phone, "+15557770000");
    EXPECT_EQ(o.purchase.email, me.email);  // the e-mail is always the account's
}

TEST_F(OrderPlacement, PurchaseInformationGivenAtCheckoutReplacesTheDefaults) {
    fill(alice, usual());
    purchase_info gift;
    gift.recipient_name = "Carol Gift";
    gift.phone = "+15552223333";
    gift.email = "carol@example.org";
    gift.line1 = "22 Hudson Street";
    gift.line2 = "Floor 3";
    gift.city = "New York";
    gift.province = "NY";
    gift.postal_code = "10013";
    gift.country = "US";
    gift.note = "A present: no invoice in the parcel";
    checkout_request r = keyed("key-1");
    r.purchase = gift;
    const order o = orders().place_order(alice, r);
    EXPECT_EQ(fields(o.purchase), fields(gift));
    EXPECT_EQ(fields(orders().get(alice, o.id).purchase), fields(gift));
    EXPECT_EQ(o.customer, std::optional<user_id>(alice.user()));
    // The account is not changed by it.
    EXPECT_EQ(accounts().me(alice).addresses.at(0).city, "San Francisco");
}

TEST_F(OrderPlacement, ANewOrderAwaitsPaymentUntilThePaymentWindowEnds) {
    clock->advance_seconds(42);
    const order o = order_for(alice);
    EXPECT_EQ(o.status, os::pending_payment);
    EXPECT_EQ(o.placed_at, clock->now());
    EXPECT_EQ(o.updated_at, o.placed_at);
    EXPECT_FALSE(o.paid_at.has_value());
    EXPECT_EQ(o.payment_due_at, std::optional<timestamp>(o.placed_at.plus_seconds(window)));
    const order read = orders().get(alice, o.id);
    EXPECT_EQ(read.status, os::pending_payment);
    EXPECT_EQ(read.payment_due_at, o.payment_due_at);
    EXPECT_EQ(read.version, o.version);
}

TEST_F(OrderPlacement, PlacingTakesTheStockEmptiesTheCartAndRecordsOnePlacedEntry) {
    const order o = order_for(alice);
    EXPECT_EQ(on_hand(mug.id), 10 - 2);
    EXPECT_EQ(on_hand(tea.id), 20 - 1);
    const cart after = carts().get(alice, own());
    EXPECT_TRUE(after.lines.empty());
    EXPECT_TRUE(after.codes.empty());
    const std::vector<order_history_entry> history = orders().history(alice, o.id);
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].action, "placed");
    EXPECT_EQ(history[0].by, alice);
    EXPECT_EQ(history[0].at, o.placed_at);
    EXPECT_EQ(actions_of(orders().history(admin, o.id)), std::vector<std::string>{"placed"});
    // The emptied cart takes a new order's lines.
    fill(alice, {{mug.id, 1}});
    EXPECT_EQ(lines_of(carts().get(alice, own())), (lines{{mug.id, 1}}));
}

TEST_F(OrderPlacement, OrderPlacedFiresOnceAfterCommitWithTheProductsAndQuantities) {
    std::vector<order_status> seen_committed;  // the order as a separate read saw it
    auto probe = sh().events().on_order_placed([&](const order_placed_event& e) {
        seen_committed.push_back(orders().get(admin, e.order).status);
    });
    clock->advance_seconds(5);
    const order o = order_for(alice);
    ASSERT_EQ(placed.size(), 1u);
    const order_placed_event& e = placed[0];
    EXPECT_EQ(e.by, alice);
    EXPECT_EQ(e.order, o.id);
    EXPECT_EQ(e.number, o.number);
    EXPECT_EQ(e.customer, alice.user());
    EXPECT_EQ(e.total, o.total);
    EXPECT_EQ(e.products, (std::vector<product_id>{mug.id, tea.id}));
    EXPECT_EQ(e.quantities, (std::vector<std::int64_t>{2, 1}));
    EXPECT_EQ(e.at, clock->now());
    EXPECT_EQ(seen_committed, std::vector<order_status>{os::pending_payment});
    EXPECT_TRUE(changed.empty()) << "placing is not a status change";
}

TEST_F(OrderPlacement, EveryOrderGetsItsOwnNumber) {
    const order a = order_for(alice, "a-1");
    const order b = order_for(bob, "b-1");
    const order c = order_for(alice, "a-2");
    for (const order& o : {a, b, c}) {
        EXPECT_FALSE(o.number.empty());
        EXPECT_EQ(orders().find_by_number(admin, o.number).id, o.id);
    }
    EXPECT_NE(a.number, b.number);
    EXPECT_NE(a.number, c.number);
    EXPECT_NE(b.number, c.number);
    EXPECT_EQ(orders().find_by_number(alice, c.number).id, c.id);
}

// ---- idempotency ----------------------------------------------------------------------------

TEST_F(OrderPlacement, SameKeyReturnsTheSameOrder) {
    const order first = order_for(alice, "attempt-7");
    const auto before = snapshot(url);
    // The cart is empty now: the key is honoured before the cart is looked at.
    const order again = orders().place_order(alice, keyed("attempt-7"));
    EXPECT_EQ(again.id, first.id);
    EXPECT_EQ(again.number, first.number);
    EXPECT_EQ(contents(again), contents(first));
    EXPECT_EQ(placed.size(), 1u) << "order_placed fired again";
    EXPECT_EQ(on_hand(mug.id), 8);
    EXPECT_EQ(on_hand(tea.id), 19);
    EXPECT_EQ(orders().list_mine(alice, {}).items.size(), 1u);
    EXPECT_EQ(snapshot(url), before) << "a repeated placement wrote something";
}

TEST_F(OrderPlacement, SameKeyForANewCartIsAnIdempotencyErrorAndWritesNothing) {
    const order first = order_for(alice, "attempt-7");
    fill(alice, {{tea.id, 3}});
    auto e = refused<idempotency_error>(alice, keyed("attempt-7"));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), error_code::idempotency);
    EXPECT_EQ(lines_of(carts().get(alice, own())), (lines{{tea.id, 3}}));
    // A new key places the new cart.
    const order second = orders().place_order(alice, keyed("attempt-8"));
    EXPECT_NE(second.id, first.id);
    EXPECT_EQ(second.lines.size(), 1u);
}

TEST_F(OrderPlacement, SameKeyWithOtherDetailsIsAnIdempotencyError) {
    fill(alice, usual());
    checkout_request r = keyed("attempt-7");
    r.note = "Ring once";
    (void)orders().place_order(alice, r);
    r.note = "Ring twice";
    (void)refused<idempotency_error>(alice, r);
}

TEST_F(OrderPlacement, AnotherCustomersKeyNeverReturnsTheirOrder) {
    const order alices = order_for(alice, "shared-key");
    fill(bob, usual());
    try {
        const order bobs = orders().place_order(bob, keyed("shared-key"));
        EXPECT_NE(bobs.id, alices.id);
        EXPECT_EQ(bobs.customer, std::optional<user_id>(bob.user()));
    } catch (const idempotency_error&) {
        // Refusing the key is safe too; handing out Alice's order is not.
    }
    EXPECT_THROW((void)orders().get(bob, alices.id), not_found_error);
}

TEST_F(OrderPlacement, DifferentKeysMakeDifferentOrders) {
    const order first = order_for(alice, "attempt-1");
    const order second = order_for(alice, "attempt-2");
    EXPECT_NE(first.id, second.id);
    EXPECT_NE(first.number, second.number);
    EXPECT_EQ(on_hand(mug.id), 10 - 4);
    EXPECT_EQ(placed.size(), 2u);
    EXPECT_EQ(orders().list_mine(alice, {}).items.size(), 2u);
}

TEST_F(OrderPlacement, AnEmptyOrOverlongKeyIsAValidationError) {
    fill(alice, usual());
    for (const std::string& key : {std::string(), std::string(256, 'k')}) {
        SCOPED_TRACE(key.size());
        auto e = refused<validation_error>(alice, keyed(key));
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), "idempotency_key");
    }
    EXPECT_EQ(orders().place_order(alice, keyed(std::string(255, 'k'))).lines.size(), 2u);
}

// ---- refusals ---------------------------------------------------------------------------------

TEST_F(OrderRefusal, AnEmptyCartIsRefused) {
    (void)refused<invalid_state_error>(alice, keyed("key-1"));
    // Emptied by hand too.
    fill(alice, {{mug.id, 1}});
    (void)carts().remove_item(alice, own(), mug.id);
    (void)refused<invalid_state_error>(alice, keyed("key-1"));
}

TEST_F(OrderRefusal, PlacingNeedsASignedInUser) {
    fill(alice, usual());
    for (const actor& who : {visitor, actor::system()}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        (void)refused<authentication_error>(who, keyed("key-1"));
    }
    EXPECT_EQ(lines_of(carts().get(alice, own())), usual());
}

TEST_F(OrderRefusal, AnInactiveProductInTheCartIsRefused) {
    fill(alice, usual());
    (void)catalog().deactivate_product(admin, tea.id);
    (void)refused<invalid_state_error>(alice, keyed("key-1"));
    EXPECT_EQ(on_hand(mug.id), 10);
    // Without the line the order goes through.
    (void)carts().remove_item(alice, own(), tea.id);
    EXPECT_EQ(orders().place_order(alice, keyed("key-1")).lines.size(), 1u);
}

TEST_F(OrderRefusal, StockLoweredBelowTheCartIsRefusedListingEveryShortLine) {
    const product jam = make_weighed("JAM", "4.00", 100, 10);
    fill(alice, {{mug.id, 3}, {tea.id, 2}, {jam.id, 4}});
    (void)inventory().set_stock(admin, mug.id, 1, "breakage");
    (void)inventory().set_stock(admin, jam.id, 0, "recall");
    auto e = refused<insufficient_stock_error>(alice, keyed("key-1"));
    ASSERT_TRUE(e.has_value());
    std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>> shortages;
    for (const stock_shortage& s : e->shortages()) {
        shortages.emplace_back(s.product.value(), s.requested, s.available);
    }
    std::sort(shortages.begin(), shortages.end());
    EXPECT_EQ(shortages, (std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t>>{
                             {mug.id.value(), 3, 1}, {jam.id.value(), 4, 0}}));
    ASSERT_FALSE(e->shortages().empty());
    EXPECT_EQ(e->product(), e->shortages().front().product);
    EXPECT_EQ(e->requested(), e->shortages().front().requested);
    EXPECT_EQ(e->available(), e->shortages().front().available);
    EXPECT_EQ(on_hand(tea.id), 20) << "the line with enough stock was not taken either";

    // The failed attempt did not use up its key: with stock back, it places the same cart.
    (void)inventory().set_stock(admin, mug.id, 5, "found more");
    (void)inventory().set_stock(admin, jam.id, 4, "restocked");
    const order o = orders().place_order(alice, keyed("key-1"));
    EXPECT_EQ(o.lines.size(), 3u);
    EXPECT_EQ(on_hand(mug.id), 2);
    EXPECT_EQ(on_hand(jam.id), 0);
}

TEST_F(OrderRefusal, ACodeThatExpiredMeanwhileIsRefusedAsExpired) {
    new_discount_code n = percent_off("BRIEF", 10);
    n.ends_at = clock->now().plus_seconds(600);
    const discount_code brief = create_code(n);
    fill(alice, usual());
    (void)carts().apply_code(alice, own(), "BRIEF");
    clock->advance_seconds(600);
    auto e = refused<discount_rejected_error>(alice, keyed("key-1"));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->reason(), "expired") << e->what();
    EXPECT_EQ(e->code_text(), "BRIEF");
    EXPECT_EQ(uses(brief.id), 0);
}

TEST_F(OrderRefusal, ACodeUsedUpMeanwhileIsRefusedAsExhausted) {
    new_discount_code n = percent_off("ONCE", 10);
    n.usage_limit = 1;
    const discount_code once = create_code(n);
    fill(alice, usual());
    (void)carts().apply_code(alice, own(), "ONCE");
    (void)discounts().record_use(admin, once.id, std::nullopt);
    auto e = refused<discount_rejected_error>(alice, keyed("key-1"));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->reason(), "exhausted") << e->what();
    EXPECT_EQ(e->code_text(), "ONCE");
    EXPECT_EQ(uses(once.id), 1);
}

TEST_F(OrderRefusal, ABeforeOrderPlaceHookVetoRefusesTheOrder) {
    new_discount_code n = percent_off("ONCE", 10);
    n.usage_limit = 1;
    const discount_code once = create_code(n);
    fill(alice, usual());
    (void)carts().apply_code(alice, own(), "ONCE");
    (void)carts().set_destination(alice, own(), {"US", "CA"});
    const priced_cart priced = carts().price(alice, own());
    std::vector<before_order_place_event> asked;
    auto hook = sh().events().before_order_place([&](const before_order_place_event& e) {
        asked.push_back(e);
        throw std::runtime_error("closed for stocktaking");
    });
    // Stock and the code's use were taken inside the transaction: the veto rolls them back.
    auto e = refused<hook_rejected_error>(alice, keyed("key-1"));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->hook(), "before_order_place");
    EXPECT_NE(std::string(e->what()).find("closed for stocktaking"), std::string::npos)
        << e->what();
    ASSERT_EQ(asked.size(), 1u);
    EXPECT_EQ(asked[0].by, alice);
    EXPECT_EQ(asked[0].cart, priced.cart.id);
    EXPECT_FALSE(asked[0].number.empty());
    EXPECT_EQ(asked[0].lines, 2);
    EXPECT_EQ(asked[0].total, priced.breakdown.total);
    EXPECT_EQ(asked[0].codes, std::vector<std::string>{"ONCE"});
    EXPECT_EQ(uses(once.id), 0);

    hook.disconnect();
    (void)orders().place_order(alice, keyed("key-1"));
    EXPECT_EQ(uses(once.id), 1);
}

TEST_F(OrderRefusal, WithoutAStoredOrGivenAddressTheAddressIsRequired) {
    const actor carol = sign_up("+15551000003");  // no address
    fill(carol, usual());
    auto e = refused<validation_error>(carol, keyed("key-1"));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field(), "address");
    // Given at checkout, it is enough.
    purchase_info to;
    to.recipient_name = "Carol";
    to.phone = "+15551000003";
    to.line1 = "5 Pine Road";
    to.city = "Austin";
    to.province = "TX";
    to.country = "US";
    checkout_request r = keyed("key-1");
    r.purchase = to;
    EXPECT_EQ(orders().place_order(carol, r).purchase.city, "Austin");
}

TEST_F(OrderRefusal, AnAddressNoMethodShipsToIsRefused) {
    fill(alice, usual());
    purchase_info abroad;
    abroad.recipient_name = "Alice Smith";
    abroad.phone = "+15551000001";
    abroad.line1 = "Unter den Linden 1";
    abroad.city = "Berlin";
    abroad.country = "DE";  // the ground method ships in the US only
    checkout_request r = keyed("key-1");
    r.purchase = abroad;
    (void)refused<invalid_state_error>(alice, r);
}

TEST_F(OrderRefusal, BadPurchaseInformationOrNoteIsAValidationError) {
    fill(alice, usual());
    checkout_request long_note = keyed("key-1");
    long_note.note = std::string(1001, 'n');
    auto note = refused<validation_error>(alice, long_note);
    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(note->field(), "note");

    purchase_info nobody;
    nobody.phone = "+15551000001";
    nobody.line1 = "1 Market Street";
    nobody.city = "San Francisco";
    nobody.country = "US";  // and no recipient
    checkout_request r = keyed("key-1");
    r.purchase = nobody;
    auto purchase = refused<validation_error>(alice, r);
    ASSERT_TRUE(purchase.has_value());
    EXPECT_EQ(purchase->field(), "purchase");
    long_note.note = std::string(1000, 'n');
    EXPECT_EQ(orders().place_order(alice, long_note).purchase.note.size(), 1000u);
}

// ---- discount codes -----------------------------------------------------------------------

TEST_F(OrderCodes, ACodeLimitedToOneUseServesOneOrderThenIsExhausted) {
    new_discount_code n = percent_off("FIRST", 10);
    n.usage_limit = 1;
    const discount_code first = create_code(n);
    fill(alice, usual());
    fill(bob, usual());
    // Applying is not using: both carts take it.
    (void)carts().apply_code(alice, own(), "FIRST");
    (void)carts().apply_code(bob, own(), "FIRST");
    const order o = orders().place_order(alice, keyed("key-1"));
    ASSERT_EQ(o.codes.size(), 1u);
    EXPECT_EQ(o.codes[0].discount, first.id);
    EXPECT_EQ(uses(first.id), 1);
    auto e = refused<discount_rejected_error>(bob, keyed("key-1"));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->reason(), "exhausted") << e->what();
    EXPECT_EQ(uses(first.id), 1);
}

TEST_F(OrderCodes, CancellingAnOrderGivesItsCodeUseBack) {
    new_discount_code n = percent_off("FIRST", 10);
    n.usage_limit = 1;
    const discount_code first = create_code(n);
    fill(alice, usual());
    (void)carts().apply_code(alice, own(), "FIRST");
    const order o = orders().place_order(alice, keyed("key-1"));
    EXPECT_EQ(uses(first.id), 1);
    (void)orders().cancel(alice, o.id, "wrong size");
    EXPECT_EQ(uses(first.id), 0);
    EXPECT_EQ(discounts().list(admin, {}).items.at(0).times_used, 0);
    // Bob may use it now.
    fill(bob, usual());
    (void)carts().apply_code(bob, own(), "FIRST");
    EXPECT_EQ(orders().place_order(bob, keyed("key-1")).codes.size(), 1u);
    EXPECT_EQ(uses(first.id), 1);
}

TEST_F(OrderCodes, UnderTheKeepPolicyCancellingKeepsTheCodeUse) {
    prepare([](shop_options& o) { o.orders.release_codes = code_release_policy::keep; });
    new_discount_code n = percent_off("FIRST", 10);
    n.usage_limit = 1;
    const discount_code first = create_code(n);
    fill(alice, usual());
    fill(bob, usual());
    (void)carts().apply_code(alice, own(), "FIRST");
    (void)carts().apply_code(bob, own(), "FIRST");
    const order o = orders().place_order(alice, keyed("key-1"));
    (void)orders().cancel(alice, o.id, "wrong size");
    EXPECT_EQ(uses(first.id), 1);
    EXPECT_EQ(on_hand(mug.id), 10) << "the stock returns under either policy";
    auto e = refused<discount_rejected_error>(bob, keyed("key-1"));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->reason(), "exhausted");
}

TEST_F(OrderCodes, ExpiringAnOrderGivesItsCodeUseBack) {
    new_discount_code n = percent_off("FIRST", 10);
    n.usage_limit = 1;
    const discount_code first = create_code(n);
    fill(alice, usual());
    (void)carts().apply_code(alice, own(), "FIRST");
    (void)orders().place_order(alice, keyed("key-1"));
    clock->advance_seconds(window + 1);
    EXPECT_EQ(orders().expire_unpaid(actor::system()), 1);
    EXPECT_EQ(uses(first.id), 0);
}

TEST_F(OrderCodes, ARefundReturnsNeitherTheStockNorTheCodeUse) {
    const discount_code ten = create_code(percent_off("TEN", 10));
    fill(alice, usual());
    (void)carts().apply_code(alice, own(), "TEN");
    const order o = orders().place_order(alice, keyed("key-1"));
    ASSERT_EQ(pay(alice, o.id).status, payment_status::paid);
    EXPECT_EQ(orders().change_status(admin, o.id, os::refunded, "damaged").status, os::refunded);
    EXPECT_EQ(uses(ten.id), 1);
    EXPECT_EQ(on_hand(mug.id), 8);
    EXPECT_EQ(on_hand(tea.id), 19);
    EXPECT_TRUE(cancelled.empty()) << "a refund is not a cancellation";
}

// ---- lifecycle ------------------------------------------------------------------------------

TEST_F(OrderLifecycle, AnAdminMovesAPaidOrderAlongTheTableAndEachMoveIsRecorded) {
    const order o = order_for(alice);
    ASSERT_EQ(pay(alice, o.id).status, payment_status::paid);
    changed.clear();
    order last = orders().get(admin, o.id);
    std::size_t entries = orders().history(admin, o.id).size();
    for (const order_status to : {os::processing, os::shipped, os::delivered, os::refunded}) {
        SCOPED_TRACE(named(to));
        const order_status from = last.status;
        clock->advance_seconds(60);
        const order moved = orders().change_status(admin, o.id, to, "now " + named(to));
        EXPECT_EQ(moved.status, to);
        EXPECT_EQ(moved.version, last.version + 1);
        EXPECT_EQ(moved.updated_at, clock->now());
        EXPECT_EQ(contents(moved), contents(o));
        EXPECT_EQ(orders().get(alice, o.id).status, to);
        const std::vector<order_history_entry> history = orders().history(alice, o.id);
        ASSERT_EQ(history.size(), entries + 1);
        const order_history_entry& h = history.back();
        EXPECT_EQ(h.action, "status_changed");
        EXPECT_EQ(h.by, admin);
        EXPECT_EQ(h.from, std::optional<order_status>(from));
        EXPECT_EQ(h.to, std::optional<order_status>(to));
        EXPECT_EQ(h.at, clock->now());
        EXPECT_EQ(h.note, "now " + named(to));
        ASSERT_FALSE(changed.empty());
        EXPECT_EQ(changed.back().by, admin);
        EXPECT_EQ(changed.back().order, o.id);
        EXPECT_EQ(changed.back().number, o.number);
        EXPECT_EQ(changed.back().from, from);
        EXPECT_EQ(changed.back().to, to);
        EXPECT_EQ(changed.back().at, clock->now());
        last = moved;
        entries = history.size();
    }
    EXPECT_EQ(changed.size(), 4u);
    EXPECT_TRUE(cancelled.empty());
}

TEST_F(OrderLifecycle, ChangeStatusCannotMarkAnOrderPaid) {
    const order pending = order_for(alice);
    expect_rejected<invalid_state_error>(
        url, [&] { (void)orders().change_status(admin, pending.id, os::paid, "paid in cash"); });
    const order other = order_for(bob);
    ASSERT_EQ(pay(bob, other.id).status, payment_status::paid);
    expect_rejected<invalid_state_error>(
        url, [&] { (void)orders().change_status(admin, other.id, os::paid, ""); });
    EXPECT_EQ(orders().get(admin, pending.id).status, os::pending_payment);
    EXPECT_EQ(paid.size(), 1u);
}

TEST_F(OrderLifecycle, MovesTheTableDoesNotAllowAreRefusedAndWriteNothing) {
    // Each order in `from`, refused every status outside `allowed`.
    const auto refuses_all_but = [&](order_id id, const std::vector<order_status>& allowed) {
        const order_status from = orders().get(admin, id).status;
        for (const order_status to : all_statuses) {
            if (std::find(allowed.begin(), allowed.end(), to) != allowed.end()) continue;
            SCOPED_TRACE(named(from) + " -> " + named(to));
            expect_rejected<invalid_state_error>(
                url, [&] { (void)orders().change_status(admin, id, to, ""); });
        }
        EXPECT_EQ(orders().get(admin, id).status, from);
    };
    const order pending = order_for(alice, "a-1");
    refuses_all_but(pending.id, {os::cancelled, os::expired});

    const order delivered = order_for(bob, "b-1");
    ASSERT_EQ(pay(bob, delivered.id).status, payment_status::paid);
    refuses_all_but(delivered.id, {os::processing, os::cancelled, os::refunded});
    advance_to(delivered.id, os::shipped);
    refuses_all_but(delivered.id, {os::delivered, os::refunded});
    advance_to(delivered.id, os::delivered);
    refuses_all_but(delivered.id, {os::refunded});

    (void)orders().cancel(alice, pending.id, "no longer needed");
    refuses_all_but(pending.id, {});
}

TEST_F(OrderLifecycle, OnlyAdminsWithManageOrdersChangeStatus) {
    const order o = order_for(alice);
    ASSERT_EQ(pay(alice, o.id).status, payment_status::paid);
    const actor clerk = staff("+15550000009", permission::manage_catalog);
    for (const actor& who : {alice, clerk}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        expect_rejected<permission_denied_error>(
            url, [&] { (void)orders().change_status(who, o.id, os::processing, ""); });
    }
    const actor order_desk = staff("+15550000010", permission::manage_orders);
    EXPECT_EQ(orders().change_status(order_desk, o.id, os::processing, "").status, os::processing);
    EXPECT_EQ(orders().change_status(actor::system(), o.id, os::shipped, "").status, os::shipped);
}

TEST_F(OrderLifecycle, TheBuyerCancelsAPendingOrderAndItsStockReturns) {
    const order o = order_for(alice);
    EXPECT_EQ(on_hand(mug.id), 8);
    clock->advance_seconds(60);
    const order c = orders().cancel(alice, o.id, "changed my mind");
    EXPECT_EQ(c.status, os::cancelled);
    EXPECT_EQ(c.updated_at, clock->now());
    EXPECT_EQ(c.version, o.version + 1);
    EXPECT_EQ(contents(c), contents(o));
    EXPECT_EQ(on_hand(mug.id), 10);
    EXPECT_EQ(on_hand(tea.id), 20);
    const order_history_entry h = orders().history(alice, o.id).back();
    EXPECT_EQ(h.by, alice);
    EXPECT_EQ(h.from, std::optional<order_status>(os::pending_payment));
    EXPECT_EQ(h.to, std::optional<order_status>(os::cancelled));
    EXPECT_EQ(h.note, "changed my mind");
    ASSERT_EQ(cancelled.size(), 1u);
    EXPECT_EQ(cancelled[0].by, alice);
    EXPECT_EQ(cancelled[0].order, o.id);
    EXPECT_EQ(cancelled[0].number, o.number);
    EXPECT_EQ(cancelled[0].from, os::pending_payment);
    EXPECT_EQ(cancelled[0].to, os::cancelled);
    EXPECT_EQ(cancelled[0].reason, "changed my mind");
    EXPECT_EQ(cancelled[0].at, clock->now());
    std::vector<product_id> line_products;
    for (const order_line& l : o.lines) line_products.push_back(l.product);
    EXPECT_EQ(cancelled[0].products, line_products);
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].from, os::pending_payment);
    EXPECT_EQ(changed[0].to, os::cancelled);

    // Once is enough.
    expect_rejected<invalid_state_error>(url, [&] { (void)orders().cancel(alice, o.id, "again"); });
    EXPECT_EQ(on_hand(mug.id), 10);
    EXPECT_EQ(cancelled.size(), 1u);
}

TEST_F(OrderLifecycle, ACustomerCannotCancelAPaidOrderButAnAdminCan) {
    const order o = order_for(alice);
    ASSERT_EQ(pay(alice, o.id).status, payment_status::paid);
    // The API leaves open which of the two it is; either way nothing changes.
    auto e = expect_rejected<error>(url, [&] { (void)orders().cancel(alice, o.id, "too late"); });
    if (e) {
        EXPECT_TRUE(e->code() == error_code::permission_denied ||
                    e->code() == error_code::invalid_state)
            << e->what();
    }
    EXPECT_EQ(on_hand(mug.id), 8);

    const order c = orders().cancel(admin, o.id, "out of stock at the warehouse");
    EXPECT_EQ(c.status, os::cancelled);
    EXPECT_EQ(on_hand(mug.id), 10);
    ASSERT_EQ(cancelled.size(), 1u);
    EXPECT_EQ(cancelled[0].by, admin);
    EXPECT_EQ(cancelled[0].from, os::paid);
    EXPECT_EQ(cancelled[0].to, os::cancelled);
    // Shipped orders are past cancelling, for admins too.
    const order shipped = order_for(bob);
    ASSERT_EQ(pay(bob, shipped.id).status, payment_status::paid);
    advance_to(shipped.id, os::shipped);
    expect_rejected<invalid_state_error>(url,
                                         [&] { (void)orders().cancel(admin, shipped.id, "x"); });
}

TEST_F(OrderLifecycle, AnotherCustomerCannotCancelAnOrder) {
    const order o = order_for(alice);
    expect_rejected<not_found_error>(url, [&] { (void)orders().cancel(bob, o.id, "mine now"); });
    EXPECT_EQ(orders().get(alice, o.id).status, os::pending_payment);
}

TEST_F(OrderLifecycle, ExpireUnpaidExpiresOrdersPastTheirWindowAndReturnsTheirStock) {
    const order late = order_for(alice, "a-1");
    const order settled = order_for(bob, "b-1");
    ASSERT_EQ(pay(bob, settled.id).status, payment_status::paid);
    clock->advance_seconds(600);
    const order young = order_for(alice, "a-2");
    EXPECT_EQ(on_hand(mug.id), 10 - 6);
    const std::int64_t settled_version = orders().get(admin, settled.id).version;
    cancelled.clear();
    changed.clear();

    clock->set(late.payment_due_at.value().plus_seconds(-1));
    EXPECT_EQ(orders().expire_unpaid(actor::system()), 0);
    EXPECT_EQ(orders().get(admin, late.id).status, os::pending_payment);
    clock->set(late.payment_due_at.value().plus_seconds(1));
    EXPECT_EQ(orders().expire_unpaid(actor::system()), 1);

    EXPECT_EQ(orders().get(alice, late.id).status, os::expired);
    EXPECT_EQ(orders().get(alice, young.id).status, os::pending_payment);
    const order still_paid = orders().get(admin, settled.id);
    EXPECT_EQ(still_paid.status, os::paid);
    EXPECT_EQ(still_paid.version, settled_version);
    EXPECT_EQ(on_hand(mug.id), 10 - 4);
    EXPECT_EQ(on_hand(tea.id), 20 - 2);
    const order_history_entry h = orders().history(admin, late.id).back();
    EXPECT_EQ(h.by, actor::system());
    EXPECT_EQ(h.from, std::optional<order_status>(os::pending_payment));
    EXPECT_EQ(h.to, std::optional<order_status>(os::expired));
    ASSERT_EQ(cancelled.size(), 1u);
    EXPECT_EQ(cancelled[0].order, late.id);
    EXPECT_EQ(cancelled[0].by, actor::system());
    EXPECT_EQ(cancelled[0].from, os::pending_payment);
    EXPECT_EQ(cancelled[0].to, os::expired);
    EXPECT_EQ(cancelled[0].at, clock->now());
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].to, os::expired);

    // Nothing more is due; then the younger order's window ends too.
    EXPECT_EQ(orders().expire_unpaid(admin), 0);
    clock->set(young.payment_due_at.value().plus_seconds(1));
    EXPECT_EQ(orders().expire_unpaid(admin), 1);
    EXPECT_EQ(on_hand(mug.id), 10 - 2);
    EXPECT_EQ(orders().get(admin, settled.id).status, os::paid);
    // An expired order cannot be paid any more.
    expect_rejected<invalid_state_error>(
        url, [&] { (void)orders().start_payment(alice, late.id, callback); });
}

TEST_F(OrderLifecycle, ExpireUnpaidIsForTheSystemAndAdminsWithManageOrders) {
    (void)order_for(alice);
    clock->advance_seconds(window + 1);
    const actor clerk = staff("+15550000009", permission::manage_catalog);
    for (const actor& who : {alice, visitor, clerk}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        expect_rejected<permission_denied_error>(url, [&] { (void)orders().expire_unpaid(who); });
    }
    EXPECT_EQ(orders().expire_unpaid(staff("+15550000010", permission::manage_orders)), 1);
}

// ---- payments -------------------------------------------------------------------------------

TEST_F(OrderPayment, StartPaymentReturnsAnAuthorityAndARedirectUrl) {
    const order o = order_for(alice);
    const payment_start started = orders().start_payment(alice, o.id, callback);
    EXPECT_FALSE(started.authority.empty());
    EXPECT_FALSE(started.redirect_url.empty());
    const order read = orders().get(alice, o.id);
    EXPECT_EQ(read.status, os::pending_payment);
    EXPECT_EQ(orders().history(alice, o.id).back().action, "payment_started");
    // Another attempt gets another authority.
    EXPECT_NE(orders().start_payment(admin, o.id, callback).authority, started.authority);
    EXPECT_EQ(gateway->verifications(), 0);
}

TEST_F(OrderPayment, AVerifiedPaymentOfTheTotalMarksTheOrderPaid) {
    const order o = order_for(alice);
    const payment_start started = orders().start_payment(alice, o.id, callback);
    ASSERT_TRUE(gateway->complete(started.authority));
    clock->advance_seconds(120);
    // The gateway's callback holds no session: anyone with the authority may verify.
    const payment_result r = orders().verify_payment(visitor, started.authority);
    EXPECT_EQ(r.status, payment_status::paid);
    EXPECT_FALSE(r.reference_id.empty());
    EXPECT_EQ(r.order.id, o.id);
    EXPECT_EQ(r.order.status, os::paid);
    EXPECT_EQ(r.order.paid_at, std::optional<timestamp>(clock->now()));
    const order read = orders().get(alice, o.id);
    EXPECT_EQ(read.status, os::paid);
    EXPECT_EQ(read.paid_at, std::optional<timestamp>(clock->now()));
    EXPECT_EQ(contents(read), contents(o));
    EXPECT_EQ(on_hand(mug.id), 8);

    ASSERT_EQ(paid.size(), 1u);
    EXPECT_EQ(paid[0].order, o.id);
    EXPECT_EQ(paid[0].number, o.number);
    EXPECT_EQ(paid[0].amount, o.total);
    EXPECT_EQ(paid[0].reference_id, r.reference_id);
    EXPECT_EQ(paid[0].at, clock->now());
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].from, os::pending_payment);
    EXPECT_EQ(changed[0].to, os::paid);
    const std::vector<order_history_entry> history = orders().history(alice, o.id);
    const std::vector<std::string> actions = actions_of(history);
    EXPECT_NE(std::find(actions.begin(), actions.end(), "paid"), actions.end());
    EXPECT_TRUE(std::any_of(history.begin(), history.end(), [](const order_history_entry& h) {
        return h.from == std::optional<order_status>(os::pending_payment) &&
               h.to == std::optional<order_status>(os::paid);
    }));
}

TEST_F(OrderPayment, VerifyingAgainReturnsTheKeptAnswerWithoutAskingTheGateway) {
    const order o = order_for(alice);
    const payment_start started = orders().start_payment(alice, o.id, callback);
    ASSERT_TRUE(gateway->complete(started.authority));
    const payment_result first = orders().verify_payment(visitor, started.authority);
    ASSERT_EQ(first.status, payment_status::paid);
    EXPECT_EQ(gateway->verifications(), 1);
    const std::size_t entries = orders().history(admin, o.id).size();
    clock->advance_seconds(60);

    const payment_result again = orders().verify_payment(visitor, started.authority);
    EXPECT_EQ(gateway->verifications(), 1);
    EXPECT_EQ(again.status, payment_status::paid);
    EXPECT_EQ(again.reference_id, first.reference_id);
    EXPECT_EQ(again.order.id, o.id);
    EXPECT_EQ(again.order.status, os::paid);
    EXPECT_EQ(again.order.version, first.order.version);
    EXPECT_EQ(again.order.paid_at, first.order.paid_at);
    EXPECT_EQ(orders().history(admin, o.id).size(), entries);
    EXPECT_EQ(paid.size(), 1u);
}

TEST_F(OrderPayment, APaymentOfAnotherAmountFailsAndTheOrderStaysPending) {
    const order o = order_for(alice);
    const payment_start started = orders().start_payment(alice, o.id, callback);
    ASSERT_TRUE(gateway->complete(started.authority, o.total - usd("0.01")));
    const payment_result r = orders().verify_payment(visitor, started.authority);
    EXPECT_EQ(r.status, payment_status::failed);
    EXPECT_FALSE(r.message.empty());
    EXPECT_EQ(r.order.status, os::pending_payment);
    const order read = orders().get(alice, o.id);
    EXPECT_EQ(read.status, os::pending_payment);
    EXPECT_FALSE(read.paid_at.has_value());
    EXPECT_TRUE(paid.empty());
    EXPECT_TRUE(changed.empty());
    EXPECT_EQ(orders().history(alice, o.id).back().action, "payment_failed");
    // The answer is kept too.
    EXPECT_EQ(orders().verify_payment(visitor, started.authority).status, payment_status::failed);
    EXPECT_EQ(gateway->verifications(), 1);
}

TEST_F(OrderPayment, APaymentNeverCompletedFailsAndAnotherAttemptCanSucceed) {
    const order o = order_for(alice);
    const payment_start abandoned = orders().start_payment(alice, o.id, callback);
    const payment_result r = orders().verify_payment(visitor, abandoned.authority);
    EXPECT_EQ(r.status, payment_status::failed);
    EXPECT_EQ(orders().get(alice, o.id).status, os::pending_payment);
    EXPECT_TRUE(paid.empty());

    const payment_start retry = orders().start_payment(alice, o.id, callback);
    EXPECT_NE(retry.authority, abandoned.authority);
    ASSERT_TRUE(gateway->complete(retry.authority));
    EXPECT_EQ(orders().verify_payment(visitor, retry.authority).status, payment_status::paid);
    EXPECT_EQ(orders().get(alice, o.id).status, os::paid);
    EXPECT_EQ(paid.size(), 1u);
}

TEST_F(OrderPayment, APaymentAfterTheOrderWasCancelledIsARefundDue) {
    const order o = order_for(alice);
    const payment_start started = orders().start_payment(alice, o.id, callback);
    (void)orders().cancel(alice, o.id, "found it cheaper");
    ASSERT_TRUE(gateway->complete(started.authority));
    const payment_result r = orders().verify_payment(visitor, started.authority);
    EXPECT_EQ(r.status, payment_status::refund_due);
    EXPECT_FALSE(r.message.empty());
    EXPECT_EQ(r.order.status, os::cancelled);
    EXPECT_EQ(orders().get(alice, o.id).status, os::cancelled);
    EXPECT_TRUE(paid.empty());
    EXPECT_EQ(on_hand(mug.id), 10) << "the stock stays returned";
}

TEST_F(OrderPayment, AnUnknownAuthorityIsNotFound) {
    const order o = order_for(alice);
    (void)orders().start_payment(alice, o.id, callback);
    for (const char* authority : {"SANDBOX-999", "", "sandbox-1"}) {
        SCOPED_TRACE(authority);
        expect_rejected<not_found_error>(
            url, [&] { (void)orders().verify_payment(visitor, authority); });
    }
    EXPECT_EQ(gateway->verifications(), 0);
}

TEST_F(OrderPayment, AShopWithoutAGatewayRefusesToStartAPayment) {
    prepare([](shop_options& o) { o.payments = nullptr; });
    const order o = order_for(alice);
    expect_rejected<invalid_state_error>(
        url, [&] { (void)orders().start_payment(alice, o.id, callback); });
    EXPECT_EQ(orders().get(alice, o.id).status, os::pending_payment);
}

TEST_F(OrderPayment, StartPaymentNeedsTheBuyerAPendingOrderAndACallbackUrl) {
    const order o = order_for(alice);
    for (const std::string& bad : {std::string(), std::string(2001, 'u')}) {
        SCOPED_TRACE(bad.size());
        auto e = expect_rejected<validation_error>(
            url, [&] { (void)orders().start_payment(alice, o.id, bad); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), "callback_url");
    }
    expect_rejected<not_found_error>(url,
                                     [&] { (void)orders().start_payment(bob, o.id, callback); });
    (void)orders().cancel(alice, o.id, "never mind");
    expect_rejected<invalid_state_error>(
        url, [&] { (void)orders().start_payment(alice, o.id, callback); });
}

// ---- purchase history -----------------------------------------------------------------------

TEST_F(OrderHistory, ListMineShowsOnlyOnesOwnOrdersNewestFirst) {
    (void)inventory().set_stock(admin, mug.id, 100, "stocktake");
    std::vector<order_id> alices;
    std::vector<order_id> bobs;
    for (int i = 0; i < 5; ++i) {
        clock->advance_seconds(60);
        alices.push_back(order_for(alice, "a-" + std::to_string(i)).id);
        if (i % 2 == 0) bobs.push_back(order_for(bob, "b-" + std::to_string(i)).id);
    }
    std::reverse(alices.begin(), alices.end());
    std::reverse(bobs.begin(), bobs.end());
    for (const std::int64_t limit : {1, 2, 5, 100}) {
        SCOPED_TRACE(limit);
        const auto mine =
            all_pages(limit, [&](const page_request& r) { return orders().list_mine(alice, r); });
        EXPECT_EQ(ids_of(mine), alices);
        for (const order& o : mine) {
            EXPECT_EQ(o.customer, std::optional<user_id>(alice.user()));
        }
    }
    EXPECT_EQ(
        ids_of(all_pages(2, [&](const page_request& r) { return orders().list_mine(bob, r); })),
        bobs);
    const auto listed = orders().list_mine(alice, page_request{1, ""});
    ASSERT_EQ(listed.items.size(), 1u);
    EXPECT_EQ(contents(listed.items[0]), contents(orders().get(alice, alices[0])));

    const actor carol = sign_up("+15551000003");
    EXPECT_TRUE(orders().list_mine(carol, {}).items.empty());
    EXPECT_THROW((void)orders().list_mine(visitor, {}), authentication_error);
    auto bad_limit = catch_expected<validation_error>([&] {
        (void)orders().list_mine(alice, page_request{0, ""});
    });
    ASSERT_TRUE(bad_limit.has_value());
    EXPECT_EQ(bad_limit->field(), "limit");
}

TEST_F(OrderHistory, AnotherCustomersOrderIsNotFound) {
    const order o = order_for(alice);
    EXPECT_EQ(orders().get(alice, o.id).id, o.id);
    EXPECT_EQ(orders().find_by_number(alice, o.number).id, o.id);
    EXPECT_EQ(orders().get(admin, o.id).id, o.id);
    EXPECT_THROW((void)orders().get(bob, o.id), not_found_error);
    EXPECT_THROW((void)orders().find_by_number(bob, o.number), not_found_error);
    EXPECT_THROW((void)orders().history(bob, o.id), not_found_error);
    expect_rejected<not_found_error>(
        url, [&] { (void)orders().update_purchase_info(bob, o.id, o.purchase, o.version); });
    EXPECT_THROW((void)orders().get(alice, order_id(4242)), not_found_error);
    EXPECT_THROW((void)orders().find_by_number(alice, "NOPE-NOPE-00"), not_found_error);
    EXPECT_THROW((void)orders().find_by_number(alice, ""), not_found_error);
}

TEST_F(OrderHistory, ThePurchaseInformationCanBeEditedUntilTheOrderShips) {
    const order o = order_for(alice);
    purchase_info edit = o.purchase;
    edit.recipient_name = "Alice Smith-Jones";
    edit.phone = "+15559998888";
    edit.line2 = "Suite 7";
    edit.postal_code = "94107";
    edit.note = "Ring twice";
    clock->advance_seconds(60);
    const order u = orders().update_purchase_info(alice, o.id, edit, o.version);
    EXPECT_EQ(fields(u.purchase), fields(edit));
    EXPECT_EQ(fields(orders().get(alice, o.id).purchase), fields(edit));
    EXPECT_EQ(u.version, o.version + 1);
    EXPECT_EQ(u.updated_at, clock->now());
    EXPECT_EQ(u.status, os::pending_payment);
    EXPECT_EQ(contents(u), contents(o));
    const order_history_entry h = orders().history(alice, o.id).back();
    EXPECT_EQ(h.action, "purchase_info_updated");
    EXPECT_EQ(h.by, alice);
    EXPECT_EQ(h.at, clock->now());

    // Paid and processing orders are still editable, by the buyer or an admin.
    ASSERT_EQ(pay(alice, o.id).status, payment_status::paid);
    edit.note = "Paid; ring twice";
    EXPECT_EQ(orders()
                  .update_purchase_info(alice, o.id, edit, orders().get(alice, o.id).version)
                  .purchase.note,
              "Paid; ring twice");
    advance_to(o.id, os::processing);
    edit.note = "Changed by the shop";
    EXPECT_EQ(orders()
                  .update_purchase_info(admin, o.id, edit, orders().get(admin, o.id).version)
                  .purchase.note,
              "Changed by the shop");

    advance_to(o.id, os::shipped);
    edit.note = "Too late";
    const std::int64_t version = orders().get(alice, o.id).version;
    for (const actor& who : {alice, admin}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        expect_rejected<invalid_state_error>(
            url, [&] { (void)orders().update_purchase_info(who, o.id, edit, version); });
    }
    EXPECT_EQ(orders().get(alice, o.id).purchase.note, "Changed by the shop");
}

TEST_F(OrderHistory, TheCountryAndProvinceOfAnOrderCannotChange) {
    const order o = order_for(alice);
    const auto bad = [&](const std::string& field, const std::function<void(purchase_info&)>& f) {
        SCOPED_TRACE(field);
        purchase_info edit = o.purchase;
        f(edit);
        auto e = expect_rejected<validation_error>(
            url, [&] { (void)orders().update_purchase_info(alice, o.id, edit, o.version); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), field);
    };
    bad("country", [](purchase_info& p) { p.country = "CA"; });
    bad("province", [](purchase_info& p) { p.province = "NY"; });
    bad("purchase", [](purchase_info& p) { p.recipient_name = ""; });
}

TEST_F(OrderHistory, AStaleVersionIsAConflict) {
    const order o = order_for(alice);
    purchase_info edit = o.purchase;
    edit.note = "first";
    (void)orders().update_purchase_info(alice, o.id, edit, o.version);
    edit.note = "second, from a stale page";
    expect_rejected<conflict_error>(
        url, [&] { (void)orders().update_purchase_info(alice, o.id, edit, o.version); });
    EXPECT_EQ(orders().get(alice, o.id).purchase.note, "first");
}

TEST_F(OrderHistory, AdminsListOrdersFilteredByStatusCustomerAndDate) {
    const timestamp t0 = clock->now();
    const order a1 = order_for(alice, "a-1");
    clock->advance_seconds(3600);
    const order b1 = order_for(bob, "b-1");
    clock->advance_seconds(3600);
    const order a2 = order_for(alice, "a-2");
    (void)orders().cancel(alice, a2.id, "duplicate");
    const auto listed = [&](const order_filter& f) {
        return ids_of(
            all_pages(2, [&](const page_request& r) { return orders().list(admin, f, r); }));
    };
    using ids = std::vector<order_id>;
    EXPECT_EQ(listed({}), (ids{a2.id, b1.id, a1.id}));

    order_filter f;
    f.status = os::pending_payment;
    EXPECT_EQ(listed(f), (ids{b1.id, a1.id}));
    f.status = os::cancelled;
    EXPECT_EQ(listed(f), (ids{a2.id}));
    f.status = os::paid;
    EXPECT_TRUE(listed(f).empty());

    f = {};
    f.customer = alice.user();
    EXPECT_EQ(listed(f), (ids{a2.id, a1.id}));
    f.status = os::pending_payment;
    EXPECT_EQ(listed(f), (ids{a1.id}));
    f = {};
    f.customer = bob.user();
    EXPECT_EQ(listed(f), (ids{b1.id}));

    f = {};
    f.placed_from = t0.plus_seconds(3600);  // inclusive
    EXPECT_EQ(listed(f), (ids{a2.id, b1.id}));
    f.placed_to = t0.plus_seconds(7200);  // exclusive
    EXPECT_EQ(listed(f), (ids{b1.id}));
    f.placed_from.reset();
    EXPECT_EQ(listed(f), (ids{b1.id, a1.id}));

    for (const std::int64_t to : {3600, 0}) {
        SCOPED_TRACE(to);
        order_filter backwards;
        backwards.placed_from = t0.plus_seconds(3600);
        backwards.placed_to = t0.plus_seconds(to);
        auto e =
            catch_expected<validation_error>([&] { (void)orders().list(admin, backwards, {}); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), "placed_to");
    }
}

TEST_F(OrderHistory, OnlyAdminsWithManageOrdersListOrSeeEveryOrder) {
    const order o = order_for(alice);
    const actor clerk = staff("+15550000009", permission::manage_catalog);
    for (const actor& who : {alice, bob, clerk}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        EXPECT_THROW((void)orders().list(who, {}, {}), permission_denied_error);
    }
    EXPECT_THROW((void)orders().get(clerk, o.id), permission_denied_error);
    const actor order_desk = staff("+15550000010", permission::manage_orders);
    EXPECT_EQ(ids_of(orders().list(order_desk, {}, {}).items), std::vector<order_id>{o.id});
    EXPECT_EQ(orders().get(order_desk, o.id).id, o.id);
}

// ---- account deletion -----------------------------------------------------------------------

TEST_F(OrderErasure, DeletingTheAccountAnonymisesThePurchaseInformationButKeepsLinesAndTotals) {
    // Distinctive values: a hit cannot be a coincidence.
    registration r;
    r.phone = "+15557304411";
    r.email = "wilhelmqx.brackwater@fennelgate.example";
    r.first_name = "Wilhelmqx";
    r.last_name = "Brackwater";
    r.password = std::string("velvet-otter-quarry-19");
    const actor wil = actor::customer(accounts().register_user(visitor, r).user.id);
    address home;
    home.recipient_name = "Wilhelmqx Brackwater";
    home.line1 = "17 Quasselgrub Lane";
    home.line2 = "Flat Xyqq 9";
    home.city = "Plonkstadtzw";
    home.province = "CA";
    home.postal_code = "QZ9 7XW";
    home.country = "US";
    home.is_default = true;
    profile_update u;
    u.addresses = std::vector<address>{home};
    (void)accounts().update_profile(wil, u);
    fill(wil, usual());
    checkout_request c = keyed("key-1");
    c.note = "Ask for Wilhelmqx Brackwater at the gate";
    const order o = orders().place_order(wil, c);
    const order others = order_for(bob);
    const std::vector<std::string> needles = {
        "Wilhelmqx",  "Brackwater",  "5557304411", "wilhelmqx.brackwater",
        "fennelgate", "Quasselgrub", "Xyqq",       "Plonkstadtzw",
        "QZ9 7XW"};
    ASSERT_NE(fields(o.purchase).find("Quasselgrub"), std::string::npos);

    accounts().delete_account(admin, wil.user());
    const order after = orders().get(admin, o.id);
    EXPECT_EQ(contents(after), contents(o));
    const std::string kept = fields(after.purchase);
    for (const std::string& needle : needles) {
        EXPECT_EQ(kept.find(needle), std::string::npos) << needle << " kept in " << kept;
    }
    for (const auto& [table, table_rows] : snapshot(url)) {
        for (const std::string& row : table_rows) {
            for (const std::string& needle : needles) {
                EXPECT_EQ(row.find(needle), std::string::npos) << needle << " kept in " << table;
            }
        }
    }
    const order bobs = orders().get(admin, others.id);
    EXPECT_EQ(fields(bobs.purchase), fields(others.purchase));
    EXPECT_EQ(contents(bobs), contents(others));
}

// ---- concurrency ----------------------------------------------------------------------------

TEST_F(OrderConcurrency, TwoThreadsPlacingWithTheSameKeyGetOneOrder) {
    for (int round = 0; round < 3; ++round) {
        SCOPED_TRACE(round);
        fill(alice, {{tea.id, 1}});
        const std::string key = "double-click-" + std::to_string(round);
        const auto numbers = race(2, [&] {
            try {
                return orders().place_order(alice, keyed(key)).number;
            } catch (const std::exception& e) {
                return std::string("error: ") + e.what();
            }
        });
        EXPECT_EQ(numbers[0].rfind("error: ", 0), std::string::npos) << numbers[0];
        EXPECT_EQ(numbers[0], numbers[1]);
        EXPECT_EQ(orders().list_mine(alice, {}).items.size(), static_cast<std::size_t>(round + 1));
        EXPECT_EQ(on_hand(tea.id), 20 - (round + 1));
        EXPECT_EQ(placed.size(), static_cast<std::size_t>(round + 1));
    }
}

TEST_F(OrderConcurrency, ConcurrentOrdersNeverSellMoreThanTheStock) {
    const product last = make_weighed("LAST", "5.00", 100, 3);
    std::vector<actor> buyers;
    for (int i = 0; i < 6; ++i) {
        buyers.push_back(buyer("+1555200000" + std::to_string(i), "Buyer"));
        fill(buyers.back(), {{last.id, 1}});
    }
    std::atomic<std::size_t> next{0};
    const auto results = race(6, [&] {
        const actor who = buyers.at(next++);
        try {
            (void)orders().place_order(who, keyed("key-1"));
            return std::string("ok");
        } catch (const insufficient_stock_error&) {
            return std::string("insufficient_stock");
        } catch (const std::exception& e) {
            return std::string("error: ") + e.what();
        }
    });
    EXPECT_EQ(std::count(results.begin(), results.end(), "ok"), 3);
    EXPECT_EQ(std::count(results.begin(), results.end(), "insufficient_stock"), 3);
    for (const std::string& r : results) {
        EXPECT_TRUE(r == "ok" || r == "insufficient_stock") << r;
    }
    EXPECT_EQ(on_hand(last.id), 0);
    EXPECT_EQ(orders().list(admin, {}, {}).items.size(), 3u);
    EXPECT_EQ(placed.size(), 3u);
}

// ---- cost -----------------------------------------------------------------------------------

TEST_F(OrderStatements, PlacingAFiveLineOrderTakesAtMost15StatementsOnSqlite) {
    lines five;
    for (int i = 1; i <= 5; ++i) {
        five.emplace_back(make_weighed("SKU-" + std::to_string(i), "3.00", 100).id, i);
    }
    fill(alice, five);

    const std::int64_t before = sh().counters().statements;
    const order o = orders().place_order(alice, keyed("measured"));
    const std::int64_t used = sh().counters().statements - before;
    ASSERT_EQ(o.lines.size(), 5u);
    ASSERT_TRUE(o.codes.empty());
    RecordProperty("statements", std::to_string(used));
    std::cout << "[ statements ] placing a 5-line order on " << sh().backend() << ": " << used
              << '\n';
    if (sh().backend() == "sqlite") {
        EXPECT_LE(used, 15);
    }
}

}  // namespace
}  // namespace shopcore::test

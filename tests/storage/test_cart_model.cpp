// A model-based randomized test of carts on every backend: a fixed-seed sequence of adds, sets,
// removals, clears, stock changes, (de)activations and merges runs against the shop and against
// a small in-memory model of the documented rules (docs/concepts/cart.md). Every call must
// succeed or fail exactly as the model predicts (the error type, its field or its stock
// numbers), a refusal writes nothing, and after every step each cart read and priced from the
// database equals the model's: lines in order with quantities and first-added times, version,
// update and expiry stamps, the priced lines and the problems.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "cart_fixture.hpp"
#include "expect_rejected.hpp"

namespace shopcore::test {
namespace {

// Small limits, so that the random steps run into every one of them often.
constexpr std::int64_t max_line_quantity = 6;
constexpr std::int64_t max_lines = 3;
constexpr std::int64_t max_total_quantity = 11;
constexpr int steps = 800;
// Every n-th refusal also compares the whole database before and after (slow); the others
// check the error only.
constexpr int full_check_every = 5;

using lines = std::vector<std::pair<product_id, std::int64_t>>;

struct model_product {
    product_id id;
    money price;
    std::int64_t stock = 0;
    bool active = true;
};

struct model_line {
    product_id product;
    std::int64_t quantity = 0;
    timestamp added_at;
};

struct model_cart {
    std::string name;           // for messages
    std::optional<actor> user;  // the owner; none: the guest cart, opened by `token`
    std::string token;
    bool exists = false;  // a user's cart is created by their first change
    cart_id id;
    std::int64_t version = 0;
    timestamp updated_at;
    std::vector<model_line> lines;

    [[nodiscard]] const model_line* line(product_id p) const {
        for (const model_line& l : lines) {
            if (l.product == p) return &l;
        }
        return nullptr;
    }
    [[nodiscard]] std::int64_t held(product_id p) const {
        const model_line* l = line(p);
        return l != nullptr ? l->quantity : 0;
    }
    [[nodiscard]] std::int64_t total() const {
        std::int64_t n = 0;
        for (const model_line& l : lines) n += l.quantity;
        return n;
    }
};

// What a call should do.
struct outcome {
    enum class kind { ok, validation, not_found, invalid_state, insufficient_stock };
    kind what = kind::ok;
    bool changes = false;        // ok: the cart changes (version, stamps)
    std::string field;           // validation: the field named
    std::int64_t requested = 0;  // insufficient_stock: the quantity the line would have had
    std::int64_t available = 0;  // insufficient_stock: units on hand

    static outcome ok(bool changes) { return {kind::ok, changes, {}, 0, 0}; }
    static outcome invalid(const std::string& field) {
        return {kind::validation, false, field, 0, 0};
    }
    static outcome missing() { return {kind::not_found, false, {}, 0, 0}; }
    static outcome not_for_sale() { return {kind::invalid_state, false, {}, 0, 0}; }
    static outcome short_of(std::int64_t requested, std::int64_t available) {
        return {kind::insufficient_stock, false, {}, requested, available};
    }
};

std::string describe(const outcome& o) {
    switch (o.what) {
        case outcome::kind::ok:
            return o.changes ? "ok (changes)" : "ok (no change)";
        case outcome::kind::validation:
            return "validation_error(" + o.field + ")";
        case outcome::kind::not_found:
            return "not_found_error";
        case outcome::kind::invalid_state:
            return "invalid_state_error";
        case outcome::kind::insufficient_stock:
            return "insufficient_stock_error(" + std::to_string(o.requested) + ", " +
                   std::to_string(o.available) + ")";
    }
    return "?";
}

// The outcome without its numbers: what the sequence must reach.
std::string label(const outcome& o) {
    if (o.what == outcome::kind::insufficient_stock) return "insufficient_stock_error";
    return describe(o);
}

class CartModel : public cart_test {
protected:
    void SetUp() override {
        open_shop([](shop_options& o) {
            o.carts.max_line_quantity = max_line_quantity;
            o.carts.max_lines = max_lines;
            o.carts.max_total_quantity = max_total_quantity;
            o.carts.merge_policy = cart_merge_policy::add_quantities;
        });
        const std::vector<std::pair<const char*, std::int64_t>> made = {
            {"1.25", 0}, {"2.00", 3}, {"3.50", 5}, {"4.75", 8}, {"0.99", 6}, {"7.00", 2}};
        for (std::size_t i = 0; i < made.size(); ++i) {
            const product p =
                make_product("SKU-" + std::to_string(i), made[i].first, made[i].second);
            products.push_back({p.id, cash(made[i].first), made[i].second, true});
        }
        catalog().deactivate_product(admin, products.back().id);
        products.back().active = false;
        unknown = product_id(products.back().id.value() + 1000);

        alice.name = "alice";
        alice.user = sign_up("+15552000001");
        bob.name = "bob";
        bob.user = sign_up("+15552000002");
        guest.name = "guest";
        new_guest_cart();
    }

    // ---- the model ------------------------------------------------------------------------

    model_product* product_of(product_id id) {
        for (model_product& p : products) {
            if (p.id == id) return &p;
        }
        return nullptr;
    }

    // check_quantity(): the line's new quantity against the limits, then the stock.
    static outcome check_line(const model_cart& k, const model_product& p, std::int64_t wanted) {
        if (wanted > max_line_quantity) return outcome::invalid("quantity");
        if (k.line(p.id) == nullptr && static_cast<std::int64_t>(k.lines.size()) >= max_lines) {
            return outcome::invalid("lines");
        }
        if (k.total() - k.held(p.id) + wanted > max_total_quantity) {
            return outcome::invalid("quantity");
        }
        if (wanted > p.stock) return outcome::short_of(wanted, p.stock);
        return outcome::ok(true);
    }

    outcome predict_add(const model_cart& k, product_id id, std::int64_t n) {
        if (n < 1) return outcome::invalid("quantity");
        const model_product* p = product_of(id);
        if (p == nullptr) return outcome::missing();
        if (!p->active) return outcome::not_for_sale();
        // The units added are checked against the line limit before they are added.
        if (n > max_line_quantity - k.held(id)) return outcome::invalid("quantity");
        return check_line(k, *p, k.held(id) + n);
    }

    outcome predict_set(const model_cart& k, product_id id, std::int64_t n) {
        if (n < 0) return outcome::invalid("quantity");
        const std::int64_t held = k.held(id);
        if (n == held) return outcome::ok(false);  // also 0 for a product not in the cart
        const model_product* p = product_of(id);
        if (n < held) {  // lowering is always allowed (the product is in the cart: known)
            if (n > 0 && !p->active) ++seen["set_quantity lowers an inactive product's line"];
            if (n > 0 && p->active && n > p->stock) {
                ++seen["set_quantity lowers a line still above the stock"];
            }
            return outcome::ok(true);
        }
        if (p == nullptr) return outcome::missing();
        if (!p->active) return outcome::not_for_sale();
        return check_line(k, *p, n);
    }

    static outcome predict_remove(const model_cart& k, product_id id) {
        return k.line(id) != nullptr ? outcome::ok(true) : outcome::missing();
    }

    static outcome predict_clear(const model_cart& k) { return outcome::ok(!k.lines.empty()); }

    // Sets a line in the model (0 removes it); a new line goes at the end.
    void put_line(model_cart& k, product_id id, std::int64_t n) {
        auto at = std::find_if(k.lines.begin(), k.lines.end(),
                               [&](const model_line& l) { return l.product == id; });
        if (n == 0) {
            if (at != k.lines.end()) k.lines.erase(at);
        } else if (at != k.lines.end()) {
            at->quantity = n;
        } else {
            k.lines.push_back({id, n, clock->now()});
        }
    }

    // A change was committed: the version goes up (a user's first change creates the cart,
    // version 1, and bumps it) and the stamps move.
    void changed(model_cart& k) {
        k.version = k.exists ? k.version + 1 : 2;
        k.exists = true;
        k.updated_at = clock->now();
    }

    // The add_quantities merge: the user's lines first, then the guest's new products; each
    // capped by the stock on hand, the line limit and what is left of the cart limit; inactive
    // products and lines beyond max_lines dropped.
    std::vector<model_line> merged_lines(const model_cart& mine, const model_cart& theirs) {
        std::vector<model_line> merged = mine.lines;
        for (const model_line& g : theirs.lines) {
            auto at = std::find_if(merged.begin(), merged.end(),
                                   [&](const model_line& l) { return l.product == g.product; });
            if (at == merged.end()) {
                merged.push_back(g);
            } else {
                at->quantity += g.quantity;
                ++seen["merge adds to a user's line"];
            }
        }
        std::vector<model_line> kept;
        std::int64_t total = 0;
        for (model_line l : merged) {
            const model_product* p = product_of(l.product);
            if (p == nullptr || !p->active) {
                ++seen["merge drops an inactive product"];
                continue;
            }
            if (l.quantity > p->stock) ++seen["merge caps a line by stock"];
            if (l.quantity > max_line_quantity) ++seen["merge caps a line by the line limit"];
            if (l.quantity > max_total_quantity - total) {
                ++seen["merge caps a line by the cart limit"];
            }
            l.quantity =
                std::min({l.quantity, p->stock, max_line_quantity, max_total_quantity - total});
            if (l.quantity <= 0) continue;
            if (static_cast<std::int64_t>(kept.size()) >= max_lines) {
                ++seen["merge drops a line beyond max_lines"];
                continue;
            }
            total += l.quantity;
            kept.push_back(l);
        }
        return kept;
    }

    void new_guest_cart() {
        const guest_cart g = carts().create_guest_cart(visitor);
        guest.token = g.token;
        guest.exists = true;
        guest.id = g.cart.id;
        guest.version = 1;
        guest.updated_at = clock->now();
        guest.lines.clear();
        expect_matches(g.cart, guest, "create_guest_cart");
    }

    // ---- comparing the shop with the model ------------------------------------------------

    actor reader(const model_cart& k) const { return k.user ? *k.user : visitor; }
    static cart_ref ref_of(const model_cart& k) { return k.user ? cart_ref{} : cart_ref{k.token}; }

    void expect_matches(const cart& got, const model_cart& k, const std::string& where) {
        SCOPED_TRACE(where + " of " + k.name + "'s cart");
        if (!k.exists) {
            EXPECT_EQ(got.id.value(), 0) << "a cart the model does not have";
            EXPECT_TRUE(got.lines.empty());
            return;
        }
        EXPECT_EQ(got.id, k.id);
        EXPECT_EQ(got.owner, k.user ? std::optional<user_id>(k.user->user()) : std::nullopt);
        EXPECT_EQ(got.version, k.version);
        EXPECT_EQ(got.updated_at, k.updated_at);
        const std::int64_t ttl =
            k.user ? carts().settings().user_ttl_seconds : carts().settings().guest_ttl_seconds;
        EXPECT_EQ(got.expires_at, k.updated_at.plus_seconds(ttl));
        lines want;
        std::vector<timestamp> want_added;
        for (const model_line& l : k.lines) {
            want.emplace_back(l.product, l.quantity);
            want_added.push_back(l.added_at);
        }
        EXPECT_EQ(lines_of(got), want);
        std::vector<timestamp> added;
        for (const cart_line& l : got.lines) added.push_back(l.added_at);
        EXPECT_EQ(added, want_added) << "the lines' first-added times";
        EXPECT_TRUE(got.codes.empty());
    }

    // get() and price() of every cart against the model. price() never throws on a readable
    // cart: it prices exactly the active lines and reports inactive and short lines.
    void check_every_cart() {
        for (const model_cart* k : {&alice, &bob, &guest}) {
            try {
                expect_matches(carts().get(reader(*k), ref_of(*k)), *k, "get()");
            } catch (const std::exception& e) {
                ADD_FAILURE() << "get() of " << k->name << "'s cart threw " << e.what();
            }
            try {
                check_price(carts().price(reader(*k), ref_of(*k)), *k);
            } catch (const std::exception& e) {
                ADD_FAILURE() << "price() of " << k->name << "'s cart threw " << e.what();
            }
        }
    }

    void check_price(const priced_cart& priced, const model_cart& k) {
        SCOPED_TRACE("price() of " + k.name + "'s cart");
        expect_matches(priced.cart, k, "price()");
        lines want_priced;
        std::vector<std::string> want_problems;
        money subtotal = money::zero(sh().shop_currency());
        std::int64_t units = 0;
        for (const model_line& l : k.lines) {
            const model_product* p = product_of(l.product);
            const std::string id = std::to_string(l.product.value());
            if (p == nullptr || !p->active) {
                want_problems.push_back("inactive " + id);
                ++seen["price() reports an inactive line"];
                continue;
            }
            if (p->stock < l.quantity) {
                ++seen["price() reports a line short of stock"];
                want_problems.push_back("insufficient_stock " + id + " available " +
                                        std::to_string(p->stock));
            }
            want_priced.emplace_back(l.product, l.quantity);
            subtotal += p->price * l.quantity;
            units += l.quantity;
        }
        lines priced_lines;
        for (const priced_line& l : priced.breakdown.lines) {
            priced_lines.emplace_back(l.product, l.quantity);
            const model_product* p = product_of(l.product);
            if (p != nullptr) {
                EXPECT_EQ(l.unit_price, p->price);
            }
        }
        EXPECT_EQ(priced_lines, want_priced) << "the priced lines are the active lines";
        std::vector<std::string> problems;
        for (const cart_problem& c : priced.problems) {
            std::string text = cart_problem_kind_name(c.kind);
            if (c.product) text += " " + std::to_string(c.product->value());
            if (c.kind == cart_problem_kind::insufficient_stock) {
                text += " available " + std::to_string(c.available);
            }
            problems.push_back(text);
        }
        EXPECT_EQ(problems, want_problems);
        EXPECT_EQ(priced.breakdown.subtotal, subtotal);
        EXPECT_EQ(priced.breakdown.total_quantity, units);
    }

    // Runs `call` against `want`. A refusal must be of the predicted type with its field or
    // stock numbers (and, every few refusals, leave every table unchanged); success must
    // return the cart `apply` brings the model to.
    void attempt(const outcome& want, model_cart& k, product_id product,
                 const std::function<cart()>& call, const std::function<void()>& apply) {
        SCOPED_TRACE(doing + ": expected " + describe(want));
        ++seen[label(want)];
        const auto run = [&] { (void)call(); };
        const bool full = want.what != outcome::kind::ok && ++refusals % full_check_every == 0;
        switch (want.what) {
            case outcome::kind::ok: {
                std::optional<cart> got;
                try {
                    got = call();
                } catch (const std::exception& e) {
                    ADD_FAILURE() << "threw " << typeid(e).name() << ": " << e.what();
                    return;
                }
                // A call that changes nothing writes nothing ("setting a line to the quantity
                // it has, or clearing an empty cart, writes nothing"): a user without a cart
                // still has none.
                const bool created = !k.exists && want.changes;
                apply();
                if (want.changes) changed(k);
                if (created) {
                    EXPECT_TRUE(got->id.is_valid());
                    k.id = got->id;
                }
                expect_matches(*got, k, "the returned cart");
                return;
            }
            case outcome::kind::validation: {
                const auto e = full ? expect_rejected<validation_error>(url, run)
                                    : catch_expected<validation_error>(run);
                if (e) {
                    EXPECT_EQ(e->field(), want.field);
                }
                return;
            }
            case outcome::kind::not_found:
                (void)(full ? expect_rejected<not_found_error>(url, run)
                            : catch_expected<not_found_error>(run));
                return;
            case outcome::kind::invalid_state:
                (void)(full ? expect_rejected<invalid_state_error>(url, run)
                            : catch_expected<invalid_state_error>(run));
                return;
            case outcome::kind::insufficient_stock: {
                const auto e = full ? expect_rejected<insufficient_stock_error>(url, run)
                                    : catch_expected<insufficient_stock_error>(run);
                if (e) {
                    EXPECT_EQ(e->product(), product);
                    EXPECT_EQ(e->requested(), want.requested);
                    EXPECT_EQ(e->available(), want.available);
                }
                return;
            }
        }
    }

    // ---- random choices -------------------------------------------------------------------

    std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    }
    bool chance(int percent) { return uniform(0, 99) < percent; }

    model_cart& any_cart() {
        // The guest cart half the time: it is merged often and must have lines by then.
        const std::int64_t i = uniform(0, 3);
        return i == 0 ? alice : i == 1 ? bob : guest;
    }
    // Who acts on a cart: its owner, or for the guest cart a visitor or (holding the token)
    // a signed-in customer.
    actor actor_for(const model_cart& k) {
        if (k.user) return *k.user;
        return chance(80) ? visitor : *alice.user;
    }
    // A product: mostly one of the shop's, sometimes one in the cart, rarely an unknown one.
    product_id any_product(const model_cart& k) {
        if (chance(4)) return unknown;
        if (!k.lines.empty() && chance(25)) {
            return k
                .lines[static_cast<std::size_t>(
                    uniform(0, static_cast<std::int64_t>(k.lines.size()) - 1))]
                .product;
        }
        return products[static_cast<std::size_t>(
                            uniform(0, static_cast<std::int64_t>(products.size()) - 1))]
            .id;
    }
    std::string product_name(product_id id) {
        for (std::size_t i = 0; i < products.size(); ++i) {
            if (products[i].id == id) return "P" + std::to_string(i);
        }
        return "unknown";
    }

    void say(const std::string& what) { doing += ": " + what; }

    // ---- one step -------------------------------------------------------------------------

    // Runs one random operation, adding what it does to `doing` before it runs.
    void step() {
        std::int64_t dice = uniform(0, 99);
        // A guest cart is mostly merged once it holds a few lines, so that merges meet the
        // limits; until then the merge turns into an add to it.
        const bool fill_guest = dice >= 89 && dice < 97 && guest.lines.size() < 3 && chance(70);
        if (fill_guest) dice = 0;
        if (dice < 36) {
            model_cart& k = fill_guest ? guest : any_cart();
            const product_id p = any_product(k);
            const std::int64_t n = chance(4)    ? uniform(-1, 0)
                                   : chance(15) ? uniform(5, 7)
                                                : uniform(1, 4);
            say("add_item(" + k.name + ", " + product_name(p) + ", " + std::to_string(n) + ")");
            const actor by = actor_for(k);
            attempt(
                predict_add(k, p, n), k, p, [&] { return carts().add_item(by, ref_of(k), p, n); },
                [&] { put_line(k, p, k.held(p) + n); });
        } else if (dice < 60) {
            model_cart* target = &any_cart();
            product_id p = any_product(*target);
            std::int64_t n = chance(4) ? -1 : uniform(0, 7);
            if (chance(45)) {
                // Around a line's quantity in any cart, mostly a line that stopped selling or
                // is short of stock: lowering it is how a customer fixes it; raising it is
                // checked.
                std::vector<std::pair<model_cart*, const model_line*>> all;
                std::vector<std::pair<model_cart*, const model_line*>> troubled;
                for (model_cart* c : {&alice, &bob, &guest}) {
                    for (const model_line& l : c->lines) {
                        all.emplace_back(c, &l);
                        const model_product* q = product_of(l.product);
                        if (l.quantity > 1 && (!q->active || q->stock < l.quantity)) {
                            troubled.emplace_back(c, &l);
                        }
                    }
                }
                const auto& from = !troubled.empty() && chance(75) ? troubled : all;
                if (!from.empty()) {
                    const auto [c, l] = from[static_cast<std::size_t>(
                        uniform(0, static_cast<std::int64_t>(from.size()) - 1))];
                    const model_product& q = *product_of(l->product);
                    target = c;
                    p = l->product;
                    n = uniform(0, l->quantity + 1);
                    if (q.active && q.stock + 1 < l->quantity && chance(60)) {
                        n = uniform(q.stock + 1, l->quantity - 1);  // still above the stock
                    } else if (l->quantity > 1 && chance(60)) {
                        n = uniform(1, l->quantity - 1);
                    }
                }
            }
            model_cart& k = *target;
            say("set_quantity(" + k.name + ", " + product_name(p) + ", " + std::to_string(n) + ")");
            const actor by = actor_for(k);
            attempt(
                predict_set(k, p, n), k, p,
                [&] { return carts().set_quantity(by, ref_of(k), p, n); },
                [&] { put_line(k, p, n); });
        } else if (dice < 67) {
            model_cart& k = any_cart();
            const product_id p = any_product(k);
            say("remove_item(" + k.name + ", " + product_name(p) + ")");
            const actor by = actor_for(k);
            attempt(
                predict_remove(k, p), k, p, [&] { return carts().remove_item(by, ref_of(k), p); },
                [&] { put_line(k, p, 0); });
        } else if (dice < 69) {
            model_cart& k = any_cart();
            say("clear(" + k.name + ")");
            const actor by = actor_for(k);
            attempt(
                predict_clear(k), k, unknown, [&] { return carts().clear(by, ref_of(k)); },
                [&] { k.lines.clear(); });
        } else if (dice < 83) {
            model_product& p = products[static_cast<std::size_t>(
                uniform(0, static_cast<std::int64_t>(products.size()) - 1))];
            const std::int64_t n = uniform(0, 8);
            const actor by = chance(50) ? admin : actor::system();
            say("set_stock(" + product_name(p.id) + ", " + std::to_string(n) + ")");
            EXPECT_EQ(inventory().set_stock(by, p.id, n, "recount").on_hand, n);
            p.stock = n;
        } else if (dice < 89) {
            // An inactive product is brought back more often than an active one stops selling,
            // so that most products sell at any time.
            std::vector<model_product*> inactive;
            for (model_product& p : products) {
                if (!p.active) inactive.push_back(&p);
            }
            model_product& p = !inactive.empty() && chance(60)
                                   ? *inactive[static_cast<std::size_t>(uniform(
                                         0, static_cast<std::int64_t>(inactive.size()) - 1))]
                                   : products[static_cast<std::size_t>(uniform(
                                         0, static_cast<std::int64_t>(products.size()) - 1))];
            if (p.active && chance(50)) {
                say("deactivate_product(" + product_name(p.id) + ")");
                EXPECT_FALSE(catalog().deactivate_product(admin, p.id).active);
                p.active = false;
            } else {
                product_update u;
                u.active = !p.active;
                say("update_product(" + product_name(p.id) +
                    ", active=" + (*u.active ? "true" : "false") + ")");
                EXPECT_EQ(catalog().update_product(admin, p.id, u).active, *u.active);
                p.active = *u.active;
            }
        } else if (dice < 97 || stale_tokens.empty()) {
            const bool newcomer = chance(25);
            if (newcomer) {
                // A new customer signs up with the guest cart and takes Bob's place in the
                // model (Bob's cart stays in the database, unwatched).
                bob = model_cart{};
                bob.name = "customer " + std::to_string(++newcomers);
                bob.user = sign_up("+1555300" + std::to_string(1000 + newcomers));
                say("sign_up(" + bob.name + ")");
            }
            model_cart& k = (newcomer || chance(50)) ? bob : alice;
            say("merge_guest_cart(" + k.name + ")");
            const std::vector<model_line> kept = merged_lines(k, guest);
            if (!k.exists) ++seen["merge creates the user's cart"];
            attempt(
                outcome::ok(true), k, unknown,
                [&] { return carts().merge_guest_cart(*k.user, guest.token); },
                [&] { k.lines = kept; });
            EXPECT_THROW((void)carts().get(visitor, by_token(guest.token)), not_found_error)
                << "the merged guest cart is gone";
            stale_tokens.push_back(guest.token);
            new_guest_cart();
        } else {
            model_cart& k = chance(50) ? alice : bob;
            const std::string& token = stale_tokens[static_cast<std::size_t>(
                uniform(0, static_cast<std::int64_t>(stale_tokens.size()) - 1))];
            say("merge_guest_cart(" + k.name + ", a merged guest cart's token)");
            attempt(
                outcome::missing(), k, unknown,
                [&] { return carts().merge_guest_cart(*k.user, token); }, [] {});
        }
    }

    std::vector<model_product> products;
    product_id unknown;
    model_cart alice;
    model_cart bob;
    model_cart guest;
    std::vector<std::string> stale_tokens;
    int refusals = 0;
    int newcomers = 0;
    std::map<std::string, int> seen;  // how often each outcome and merge case came up
    std::string doing;                // the step running, for messages
    std::mt19937_64 rng;
};

TEST_F(CartModel, RandomOperationsMatchTheModelAndRefusalsWriteNothing) {
    // SHOPCORE_CART_MODEL_SEED replays another sequence (to explore, or to reproduce a report).
    // Seed 2 reaches every case below, and at step 28 clears the cart of a user who has none
    // (which once created a cart).
    std::uint64_t seed = 2;
    if (const char* env = std::getenv("SHOPCORE_CART_MODEL_SEED")) seed = std::stoull(env);
    rng.seed(seed);
    check_every_cart();
    for (int i = 1; i <= steps && !HasFailure(); ++i) {
        clock->advance_seconds(1);
        doing = "seed " + std::to_string(seed) + ", step " + std::to_string(i);
        try {
            step();
        } catch (const std::exception& e) {
            ADD_FAILURE() << doing << " threw " << e.what();
        }
        SCOPED_TRACE(doing);
        if (!HasFailure()) check_every_cart();
        if (HasFailure()) ADD_FAILURE() << "the first difference from the model is at " << doing;
    }
    if (HasFailure()) return;
    // The sequence reached every outcome and every merge case it is meant to compare.
    for (const char* expected :
         {"ok (changes)", "ok (no change)", "validation_error(quantity)", "validation_error(lines)",
          "not_found_error", "invalid_state_error", "insufficient_stock_error",
          "merge creates the user's cart", "merge adds to a user's line",
          "merge drops an inactive product", "set_quantity lowers an inactive product's line",
          "set_quantity lowers a line still above the stock", "price() reports an inactive line",
          "price() reports a line short of stock", "merge caps a line by stock",
          "merge caps a line by the line limit", "merge caps a line by the cart limit",
          "merge drops a line beyond max_lines"}) {
        EXPECT_GE(seen[expected], 1) << "no step reached: " << expected;
    }
    std::string counts;
    for (const auto& [what, n] : seen) counts += what + ": " + std::to_string(n) + "; ";
    RecordProperty("reached", counts);
}

}  // namespace
}  // namespace shopcore::test

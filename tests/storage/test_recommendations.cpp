// Recommendations on every backend, from small histories scored by hand: related products by
// the cosine of orders and likes (bought_together, liked_together), suggestions for a guest
// cart, a user's own cart and a user, what every answer leaves out (the query's own products,
// inactive and out-of-stock products, checked in the database at query time), the category
// fallback, who may ask, the index learned as orders are placed and likes given equal to a
// rebuild and to the index built when the shop opens again, cancelled and expired orders,
// rebuild rights, progress and statistics, and queries from several threads while orders are
// placed.

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <shopcore/engagement/engagement_service.hpp>
#include <shopcore/recommend/recommender.hpp>

#include "cart_fixture.hpp"
#include "expect_rejected.hpp"

namespace shopcore::test {
namespace {

using texts = std::vector<std::string>;

constexpr double tolerance = 1e-12;

checkout_request keyed(const std::string& key) {
    checkout_request r;
    r.idempotency_key = key;
    return r;
}

// Products A..D in Kitchen, E and F in Garden (100 of each in stock), four customers with a
// default address (the shop has no shipping method, so orders ship for nothing), and, through
// history(), seven orders:
//
//     o1 alice: A B      o4 dave:  B E      o7 carol: A E
//     o2 bob:   A B      o5 alice: B F
//     o3 carol: A C      o6 bob:   B E
//
// Orders holding each product: O_A = 4, O_B = 5, O_C = 1, O_D = 0, O_E = 3, O_F = 1. Without
// likes n = O and sim(a, b) = O_ab / sqrt(O_a * O_b):
//
//     sim(A, C) = 1 / sqrt(4 * 1) = 0.5      sim(B, E) = 2 / sqrt(5 * 3) = 0.5164
//     sim(A, B) = 2 / sqrt(4 * 5) = 0.4472   sim(B, F) = 1 / sqrt(5 * 1) = 0.4472
//     sim(A, E) = 1 / sqrt(4 * 3) = 0.2887
//
// so A's partners rank C, B, E by the cosine, where counting co-purchases would rank B first.
class reco_test : public cart_test {
protected:
    void SetUp() override { prepare(); }

    // Opens a fresh shop with the fixture's options changed by `customize` (kept for
    // reopen()), and creates the catalog and the customers.
    void prepare(const std::function<void(shop_options&)>& customize = {}) {
        customized = customize;
        open_shop(customize);
        names.clear();
        kitchen = make_category("Kitchen").id;
        garden = make_category("Garden").id;
        a = item("A", kitchen);
        b = item("B", kitchen);
        c = item("C", kitchen);
        d = item("D", kitchen);
        e = item("E", garden);
        f = item("F", garden);
        alice = buyer("+15551000001", "Alice");
        bob = buyer("+15551000002", "Bob");
        carol = buyer("+15551000003", "Carol");
        dave = buyer("+15551000004", "Dave");
    }

    // The options the fixture's shop is opened with (as shop_test::open_shop sets them).
    shop_options options() const {
        shop_options o;
        o.currency = "USD";
        o.synchronous = sqlite_synchronous::normal;
        o.time_source = clock;
        o.accounts.cost = password_cost::testing_only_insecure;
        if (customized) customized(o);
        return o;
    }

    // Closes the shop and opens it again on the same database (the index is built at open),
    // with `more` applied on top of the options it was opened with.
    void reopen(const std::function<void(shop_options&)>& more = {}) {
        s.reset();
        shop_options o = options();
        if (more) more(o);
        s.emplace(shop::open(url, o));
    }

    product_id item(const std::string& name, category_id in) {
        const product p = make_product("SKU-" + name, "10.00", 100, in);
        names[p.id.value()] = name;
        return p.id;
    }

    // Places an order of one unit of each product from `who`'s own cart.
    order buy(const actor& who, std::initializer_list<product_id> products) {
        for (const product_id p : products) (void)carts().add_item(who, own(), p, 1);
        return sh().orders().place_order(who, keyed("order-" + std::to_string(++keys)));
    }

    // The seven orders of the class comment.
    void history() {
        (void)buy(alice, {a, b});
        (void)buy(bob, {a, b});
        (void)buy(carol, {a, c});
        (void)buy(dave, {b, e});
        (void)buy(alice, {b, f});
        (void)buy(bob, {b, e});
        (void)buy(carol, {a, e});
    }

    // A guest cart holding one unit of each product; returns its token.
    std::string guest_cart_with(std::initializer_list<product_id> products) {
        const std::string token = carts().create_guest_cart(visitor).token;
        for (const product_id p : products) (void)carts().add_item(visitor, by_token(token), p, 1);
        return token;
    }

    recommender& reco() { return sh().recommendations(); }
    engagement_service& engagement() { return sh().engagement(); }

    void like(const actor& who, product_id p) { EXPECT_TRUE(engagement().like(who, p)); }

    void set_stock(product_id p, std::int64_t on_hand) {
        (void)inventory().set_stock(admin, p, on_hand, "counted");
    }

    void set_active(product_id p, bool active) {
        product_update u;
        u.active = active;
        (void)catalog().update_product(admin, p, u);
    }

    std::string name(product_id p) const {
        const auto it = names.find(p.value());
        return it == names.end() ? "#" + std::to_string(p.value()) : it->second;
    }

    // "C bought_together A" for each recommendation: product, reason, because.
    texts shown(const std::vector<recommendation>& list) const {
        texts out;
        for (const recommendation& r : list) {
            out.push_back(name(r.product) + ' ' + recommendation_reason_name(r.reason) + ' ' +
                          name(r.because));
        }
        return out;
    }

    // The products only.
    texts products_of(const std::vector<recommendation>& list) const {
        texts out;
        for (const recommendation& r : list) out.push_back(name(r.product));
        return out;
    }

    // Everything, scores to the last bit: what "the same answer" means below.
    std::string exact(const std::vector<recommendation>& list) const {
        std::ostringstream out;
        out.precision(17);
        for (const recommendation& r : list) {
            out << name(r.product) << ' ' << r.score << ' ' << recommendation_reason_name(r.reason)
                << ' ' << name(r.because) << "; ";
        }
        return out.str();
    }

    static std::vector<double> scores_of(const std::vector<recommendation>& list) {
        std::vector<double> out;
        for (const recommendation& r : list) out.push_back(r.score);
        return out;
    }

    std::vector<product_id> all_products() const { return {a, b, c, d, e, f}; }

    // The exact answers to every query: related() of each product (as an admin), the guest
    // cart `token`, and each of `users`.
    texts every_answer(const std::string& token, const std::vector<actor>& users) {
        texts out;
        for (const product_id p : all_products()) {
            out.push_back("related " + name(p) + ": " + exact(reco().related(admin, p, 100)));
        }
        out.push_back("cart: " + exact(reco().for_cart(admin, by_token(token), 100)));
        for (const actor& u : users) {
            out.push_back("user " + std::to_string(u.user().value()) + ": " +
                          exact(reco().for_user(admin, u.user(), 100)));
        }
        return out;
    }

    std::function<void(shop_options&)> customized;
    std::map<std::int64_t, std::string> names;
    int keys = 0;
    category_id kitchen;
    category_id garden;
    product_id a, b, c, d, e, f;
    actor alice, bob, carol, dave;
};

void expect_scores(const std::vector<double>& got, const std::vector<double>& expected) {
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_NEAR(got[i], expected[i], tolerance) << "score " << i;
    }
}

using RecoRelated = reco_test;
using RecoLikes = reco_test;
using RecoCart = reco_test;
using RecoExclusions = reco_test;
using RecoFallback = reco_test;
using RecoForUser = reco_test;
using RecoIncremental = reco_test;
using RecoRebuild = reco_test;
using RecoConcurrency = reco_test;

// ---- related --------------------------------------------------------------------------------

TEST_F(RecoRelated, PartnersRankByTheCosineNotByHowOftenTheyWereBoughtTogether) {
    history();
    const auto related = reco().related(visitor, a);
    // C (1 order with A, bought once) above B (2 orders with A, bought 5 times) above E.
    EXPECT_EQ(shown(related),
              (texts{"C bought_together A", "B bought_together A", "E bought_together A"}));
    expect_scores(scores_of(related),
                  {1 / std::sqrt(4.0 * 1), 2 / std::sqrt(4.0 * 5), 1 / std::sqrt(4.0 * 3)});
    // A is bought with B, C and E only: D and F never appear; A never relates to itself.
    EXPECT_EQ(shown(reco().related(visitor, c)), (texts{"A bought_together C"}));
    EXPECT_EQ(shown(reco().related(visitor, f)), (texts{"B bought_together F"}));
}

TEST_F(RecoRelated, TheLimitCutsTheBestFirstList) {
    history();
    EXPECT_EQ(products_of(reco().related(visitor, a, 1)), (texts{"C"}));
    EXPECT_EQ(products_of(reco().related(visitor, a, 2)), (texts{"C", "B"}));
    EXPECT_EQ(products_of(reco().related(visitor, a, 100)), (texts{"C", "B", "E"}));
}

TEST_F(RecoRelated, ALimitOutside1To100IsAValidationErrorOnEveryQuery) {
    history();
    const cart_ref guest = by_token(guest_cart_with({a}));
    for (const std::size_t limit : {std::size_t{0}, std::size_t{101}}) {
        SCOPED_TRACE(limit);
        const auto r = expect_rejected<validation_error>(
            url, [&] { (void)reco().related(visitor, a, limit); });
        if (r) {
            EXPECT_EQ(r->field(), "limit");
        }
        const auto k = expect_rejected<validation_error>(
            url, [&] { (void)reco().for_cart(visitor, guest, limit); });
        if (k) {
            EXPECT_EQ(k->field(), "limit");
        }
        const auto u = expect_rejected<validation_error>(
            url, [&] { (void)reco().for_user(alice, alice.user(), limit); });
        if (u) {
            EXPECT_EQ(u->field(), "limit");
        }
    }
    EXPECT_EQ(reco().related(visitor, a, 100).size(), 3u);
}

TEST_F(RecoRelated, AnUnknownProductIsNotFound) {
    history();
    const product_id unknown(f.value() + 1000);
    for (const actor& who : {visitor, alice, admin}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        expect_rejected<not_found_error>(url, [&] { (void)reco().related(who, unknown); });
    }
}

TEST_F(RecoRelated, AnInactiveProductIsNotFoundForCustomersAndVisitorsButStaffSeeItsPartners) {
    history();
    set_active(c, false);
    expect_rejected<not_found_error>(url, [&] { (void)reco().related(alice, c); });
    expect_rejected<not_found_error>(url, [&] { (void)reco().related(visitor, c); });
    EXPECT_EQ(shown(reco().related(admin, c)), (texts{"A bought_together C"}));
    EXPECT_EQ(shown(reco().related(actor::system(), c)), (texts{"A bought_together C"}));
}

// ---- likes ----------------------------------------------------------------------------------

TEST_F(RecoLikes, APairLikedByTheSameUsersIsLikedTogetherAndAnOrderOutweighsALike) {
    // Likes only, w = 0.5: alice and bob like E and F, carol likes E and A.
    //   n_E = 0.5 * 3 = 1.5, n_F = 0.5 * 2 = 1, n_A = 0.5 * 1 = 0.5
    //   sim(E, F) = 0.5 * 2 / sqrt(1.5 * 1)  = 0.8165
    //   sim(E, A) = 0.5 * 1 / sqrt(1.5 * 0.5) = 0.5774
    like(alice, e);
    like(alice, f);
    like(bob, e);
    like(bob, f);
    like(carol, e);
    like(carol, a);
    auto related = reco().related(visitor, e);
    EXPECT_EQ(shown(related), (texts{"F liked_together E", "A liked_together E"}));
    expect_scores(scores_of(related), {1.0 / std::sqrt(1.5 * 1.0), 0.5 / std::sqrt(1.5 * 0.5)});
    EXPECT_EQ(shown(reco().related(visitor, f)), (texts{"E liked_together F"}));

    // Dave buys A and E together: O_AE = 1 is more than w * L_AE = 0.5, so the pair is now
    // bought_together, and it overtakes F:
    //   n_E = 1 + 1.5 = 2.5, n_A = 1 + 0.5 = 1.5, c_EA = 1 + 0.5 = 1.5
    //   sim(E, A) = 1.5 / sqrt(2.5 * 1.5) = 0.7746,  sim(E, F) = 1 / sqrt(2.5 * 1) = 0.6325
    (void)buy(dave, {a, e});
    related = reco().related(visitor, e);
    EXPECT_EQ(shown(related), (texts{"A bought_together E", "F liked_together E"}));
    expect_scores(scores_of(related), {1.5 / std::sqrt(2.5 * 1.5), 1.0 / std::sqrt(2.5 * 1.0)});
}

TEST_F(RecoLikes, TakingALikeBackForgetsThePairItAloneSupported) {
    like(alice, e);
    like(alice, f);
    ASSERT_EQ(shown(reco().related(visitor, e)), (texts{"F liked_together E"}));
    EXPECT_TRUE(engagement().unlike(alice, f));
    for (const recommendation& r : reco().related(visitor, e)) {
        EXPECT_NE(r.reason, recommendation_reason::liked_together) << name(r.product);
    }
    EXPECT_EQ(reco().stats().likes, 1);
}

// ---- carts ----------------------------------------------------------------------------------

TEST_F(RecoCart, AGuestCartGetsItsItemsNeighboursMergedByTheirSummedScores) {
    history();
    const std::string token = guest_cart_with({a, b});
    // E: sim(A, E) + sim(B, E) = 0.2887 + 0.5164 = 0.8051, mostly because of B
    // C: sim(A, C) = 0.5 (C is not bought with B)
    // F: sim(B, F) = 0.4472 (F is not bought with A)
    const auto got = reco().for_cart(visitor, by_token(token));
    EXPECT_EQ(shown(got),
              (texts{"E bought_together B", "C bought_together A", "F bought_together B"}));
    expect_scores(scores_of(got), {1 / std::sqrt(4.0 * 3) + 2 / std::sqrt(5.0 * 3),
                                   1 / std::sqrt(4.0 * 1), 1 / std::sqrt(5.0 * 1)});
    EXPECT_EQ(products_of(reco().for_cart(visitor, by_token(token), 2)), (texts{"E", "C"}));
    // Anyone holding the token reaches the cart.
    EXPECT_EQ(shown(reco().for_cart(bob, by_token(token))), shown(got));
}

TEST_F(RecoCart, AUsersOwnCartGetsItsItemsNeighbours) {
    history();
    (void)carts().add_item(dave, own(), c, 1);
    (void)carts().add_item(dave, own(), f, 2);
    // C's only partner is A (0.5), F's is B (0.4472).
    EXPECT_EQ(shown(reco().for_cart(dave, own())),
              (texts{"A bought_together C", "B bought_together F"}));
}

TEST_F(RecoCart, WhatIsInTheCartIsNeverSuggested) {
    history();
    // A's best partner is C, and C's only partner is A: both are in the cart.
    const std::string token = guest_cart_with({a, c});
    EXPECT_EQ(shown(reco().for_cart(visitor, by_token(token))),
              (texts{"B bought_together A", "E bought_together A"}));
    // The same with every partner of B in the cart: nothing of the cart comes back.
    const std::string full = guest_cart_with({a, b, c, e, f});
    for (const recommendation& r : reco().for_cart(visitor, by_token(full), 100)) {
        EXPECT_EQ(name(r.product), "D") << "a product of the cart was suggested";
    }
}

TEST_F(RecoCart, AnEmptyCartGetsNothing) {
    history();
    const std::string token = carts().create_guest_cart(visitor).token;
    EXPECT_TRUE(reco().for_cart(visitor, by_token(token)).empty());
    // Dave has no cart since his order closed it; an emptied cart is empty too.
    EXPECT_TRUE(reco().for_cart(dave, own()).empty());
    (void)carts().add_item(carol, own(), a, 1);
    (void)carts().remove_item(carol, own(), a);
    EXPECT_TRUE(reco().for_cart(carol, own()).empty());
}

TEST_F(RecoCart, AnotherUsersCartIsUnreachableAsInTheCartService) {
    history();
    (void)carts().add_item(bob, own(), a, 1);
    ASSERT_FALSE(reco().for_cart(bob, own()).empty());
    // Carol's empty ref is Carol's (empty) cart, never Bob's.
    EXPECT_TRUE(reco().for_cart(carol, own()).empty());
    // A visitor and the system have no own cart; an unknown token finds nothing.
    expect_rejected<authentication_error>(url, [&] { (void)reco().for_cart(visitor, own()); });
    expect_rejected<authentication_error>(url,
                                          [&] { (void)reco().for_cart(actor::system(), own()); });
    const std::string unknown(43, 'x');
    expect_rejected<not_found_error>(url,
                                     [&] { (void)reco().for_cart(visitor, by_token(unknown)); });
}

// ---- exclusions -----------------------------------------------------------------------------

TEST_F(RecoExclusions, AnOutOfStockProductDisappearsAtOnceAndComesBackWhenRestocked) {
    history();
    const std::string token = guest_cart_with({a, b});
    set_stock(c, 0);
    // The limit is still filled from further down the list.
    EXPECT_EQ(products_of(reco().related(visitor, a, 2)), (texts{"B", "E"}));
    EXPECT_EQ(products_of(reco().for_cart(visitor, by_token(token))), (texts{"E", "F"}));
    EXPECT_EQ(products_of(reco().for_user(alice, alice.user())), (texts{"E"}));
    // C's only partner is still there; the list of an unavailable product is not refused.
    EXPECT_EQ(products_of(reco().related(visitor, c)), (texts{"A"}));

    set_stock(c, 5);
    EXPECT_EQ(products_of(reco().related(visitor, a, 2)), (texts{"C", "B"}));
    EXPECT_EQ(products_of(reco().for_cart(visitor, by_token(token))), (texts{"E", "C", "F"}));
    EXPECT_EQ(products_of(reco().for_user(alice, alice.user())), (texts{"E", "C"}));
}

TEST_F(RecoExclusions, ADeactivatedProductDisappearsAtOnceAndComesBackWhenReactivated) {
    history();
    const std::string token = guest_cart_with({a, b});
    set_active(c, false);
    EXPECT_EQ(products_of(reco().related(visitor, a)), (texts{"B", "E"}));
    EXPECT_EQ(products_of(reco().for_cart(visitor, by_token(token))), (texts{"E", "F"}));
    EXPECT_EQ(products_of(reco().for_user(alice, alice.user())), (texts{"E"}));
    EXPECT_EQ(products_of(reco().related(visitor, d)), (texts{"B", "A"}));  // the fallback

    set_active(c, true);
    EXPECT_EQ(products_of(reco().related(visitor, a)), (texts{"C", "B", "E"}));
    EXPECT_EQ(products_of(reco().related(visitor, d)), (texts{"B", "A", "C"}));
}

TEST_F(RecoExclusions, AvailabilityIsReadFromTheDatabaseNotFromThisShopsEvents) {
    history();
    ASSERT_EQ(products_of(reco().related(visitor, a)), (texts{"C", "B", "E"}));
    {
        // Another process sells out B and withdraws E.
        shop other = shop::open(url, options());
        (void)other.inventory().set_stock(admin, b, 0, "counted elsewhere");
        (void)other.catalog().deactivate_product(admin, e);
    }
    EXPECT_EQ(products_of(reco().related(visitor, a)), (texts{"C"}));
}

// ---- the category fallback ------------------------------------------------------------------

TEST_F(RecoFallback, AProductNeverBoughtWithAnotherGetsItsCategorysBestSellersButNeverItself) {
    history();
    // Kitchen without D by orders: B 5, A 4, C 1. Garden products never appear.
    const auto got = reco().related(visitor, d);
    EXPECT_EQ(shown(got), (texts{"B popular_in_category D", "A popular_in_category D",
                                 "C popular_in_category D"}));
    EXPECT_EQ(products_of(reco().related(visitor, d, 2)), (texts{"B", "A"}));
    // A cart holding only D, and a user who bought only D, get the same.
    const std::string token = guest_cart_with({d});
    EXPECT_EQ(shown(reco().for_cart(visitor, by_token(token))), shown(got));
    const actor erin = buyer("+15551000005", "Erin");
    (void)buy(erin, {d});
    EXPECT_EQ(shown(reco().for_user(erin, erin.user())), shown(got));
    EXPECT_EQ(shown(reco().related(visitor, d)), shown(got));
}

TEST_F(RecoFallback, TheFallbackLeavesOutUnavailableProductsAndLikesCountHalfAnOrder) {
    history();
    set_stock(b, 0);
    EXPECT_EQ(products_of(reco().related(visitor, d)), (texts{"A", "C"}));
    set_stock(b, 3);
    // Popularity O + w * L: seven fans like C (and nothing else, so no pair is liked
    // together): C has 1 + 0.5 * 7 = 4.5, between B's 5 and A's 4.
    for (int i = 0; i < 7; ++i) like(sign_up("+1555200000" + std::to_string(i)), c);
    EXPECT_EQ(products_of(reco().related(visitor, d)), (texts{"B", "C", "A"}));
}

TEST_F(RecoFallback, ANewCategoryStillFillsAndAProductWithoutCategoryGetsNothing) {
    history();
    const category_id attic = make_category("Attic").id;
    const product_id x = item("X", attic);
    const product_id y = item("Y", attic);
    EXPECT_EQ(shown(reco().related(visitor, x)), (texts{"Y popular_in_category X"}));
    EXPECT_EQ(shown(reco().related(visitor, y)), (texts{"X popular_in_category Y"}));
    const product_id loose = make_product("SKU-LOOSE").id;
    EXPECT_TRUE(reco().related(visitor, loose).empty());
}

// ---- for a user -----------------------------------------------------------------------------

TEST_F(RecoForUser, ACustomerGetsTheNeighboursOfWhatTheyBoughtButNotWhatTheyBought) {
    history();
    // Alice bought A, B and F. E: sim(A, E) + sim(B, E) = 0.8051 (mostly B); C: sim(A, C) = 0.5;
    // F's only partner B she bought.
    const auto got = reco().for_user(alice, alice.user());
    EXPECT_EQ(shown(got), (texts{"E bought_together B", "C bought_together A"}));
    expect_scores(scores_of(got),
                  {1 / std::sqrt(4.0 * 3) + 2 / std::sqrt(5.0 * 3), 1 / std::sqrt(4.0 * 1)});
    // Bob bought A, B and E: C from A (0.5), F from B (0.4472).
    EXPECT_EQ(shown(reco().for_user(bob, bob.user())),
              (texts{"C bought_together A", "F bought_together B"}));
    EXPECT_EQ(products_of(reco().for_user(bob, bob.user(), 1)), (texts{"C"}));
}

TEST_F(RecoForUser, AUserWhoOnlyLikesGetsTheNeighboursOfTheLikedProducts) {
    history();
    const actor erin = buyer("+15551000005", "Erin");
    like(erin, c);
    // n_C = 1 + 0.5 = 1.5; C's one partner is A: weight 0.5 * sim(C, A) = 0.5 / sqrt(1.5 * 4).
    const auto got = reco().for_user(erin, erin.user());
    EXPECT_EQ(shown(got), (texts{"A bought_together C"}));
    expect_scores(scores_of(got), {0.5 / std::sqrt(1.5 * 4)});
}

TEST_F(RecoForUser, TheUserThemselfOrAnAdminHoldingManageUsersMayAsk) {
    history();
    const texts alices = shown(reco().for_user(alice, alice.user()));
    ASSERT_EQ(alices, (texts{"E bought_together B", "C bought_together A"}));
    EXPECT_EQ(shown(reco().for_user(admin, alice.user())), alices);
    const actor support = staff("+15550000011", permission::manage_users);
    EXPECT_EQ(shown(reco().for_user(support, alice.user())), alices);
    EXPECT_EQ(shown(reco().for_user(actor::system(), alice.user())), alices);
    // An admin asking about themself needs nothing.
    const actor clerk = staff("+15550000012", permission::manage_catalog);
    EXPECT_TRUE(reco().for_user(clerk, clerk.user()).empty());
}

TEST_F(RecoForUser, AnotherCustomerOrAnAdminWithoutManageUsersIsDeniedAndVisitorsMustSignIn) {
    history();
    const actor clerk = staff("+15550000012", permission::manage_catalog);
    expect_rejected<permission_denied_error>(url,
                                             [&] { (void)reco().for_user(bob, alice.user()); });
    expect_rejected<permission_denied_error>(url,
                                             [&] { (void)reco().for_user(clerk, alice.user()); });
    expect_rejected<authentication_error>(url,
                                          [&] { (void)reco().for_user(visitor, alice.user()); });
}

// ---- learning as it happens, rebuilding, opening again --------------------------------------

TEST_F(RecoIncremental, WhatIsLearnedAsOrdersAndLikesHappenEqualsARebuildAndABuildAtOpen) {
    // Two neighbours per product, so that lists change members as the history grows.
    prepare([](shop_options& o) { o.recommendations.neighbours = 2; });
    const actor erin = buyer("+15551000005", "Erin");
    const std::vector<actor> users = {alice, bob, carol, dave, erin};
    const std::string token = guest_cart_with({a, e});
    history();
    // More orders, from a fixed pseudo-random sequence, with likes given and taken back between.
    std::uint32_t x = 12345;
    const auto next = [&](std::uint32_t n) {
        x = x * 1103515245U + 12345U;
        return (x >> 16) % n;
    };
    const auto products = all_products();
    for (int i = 0; i < 12; ++i) {
        const actor& who = users[next(5)];
        const std::uint32_t first = next(6);
        const std::uint32_t second = (first + 1 + next(5)) % 6;  // never the first
        for (const std::uint32_t k : {first, second}) {
            (void)carts().add_item(who, own(), products[k], 1);
        }
        if (next(2) == 0) (void)carts().add_item(who, own(), products[next(6)], 1);
        (void)sh().orders().place_order(who, keyed("more-" + std::to_string(i)));
        (void)engagement().like(users[next(5)], products[next(6)]);
        if (i % 4 == 3) (void)engagement().unlike(users[next(5)], products[next(6)]);
    }
    (void)engagement().like(erin, d);
    (void)engagement().like(erin, f);
    (void)engagement().like(dave, d);

    const auto learned = every_answer(token, users);
    const recommender_stats before = reco().stats();
    EXPECT_EQ(before.orders, 7 + 12);
    EXPECT_GT(before.likes, 0);

    reco().rebuild(admin);
    EXPECT_EQ(every_answer(token, users), learned);
    EXPECT_EQ(reco().stats().orders, before.orders);
    EXPECT_EQ(reco().stats().likes, before.likes);
    EXPECT_EQ(reco().stats().products, before.products);

    reopen();
    EXPECT_EQ(every_answer(token, users), learned);
    EXPECT_EQ(reco().stats().orders, before.orders);
    EXPECT_EQ(reco().stats().likes, before.likes);
    EXPECT_EQ(reco().stats().products, before.products);
}

TEST_F(RecoIncremental, ACancelledOrderIsForgottenAtOnceAsARebuildWouldForgetIt) {
    history();
    const std::string token = guest_cart_with({a, b});
    const std::vector<actor> users = {alice, bob, carol, dave};
    const auto before = every_answer(token, users);
    // The only order holding D, with F: sim(D, F) = 1 / sqrt(1 * 2).
    const order o = buy(alice, {d, f});
    ASSERT_EQ(shown(reco().related(visitor, d)), (texts{"F bought_together D"}));
    ASSERT_EQ(reco().stats().orders, 8);

    (void)sh().orders().cancel(alice, o.id, "changed my mind");
    EXPECT_EQ(
        shown(reco().related(visitor, d)),
        (texts{"B popular_in_category D", "A popular_in_category D", "C popular_in_category D"}));
    EXPECT_EQ(reco().stats().orders, 7);
    // Every answer is as before the cancelled order, and as a rebuild gives.
    EXPECT_EQ(every_answer(token, users), before);
    reco().rebuild(admin);
    EXPECT_EQ(every_answer(token, users), before);
    EXPECT_EQ(reco().stats().orders, 7);
}

TEST_F(RecoIncremental, AnOrderTheBuildReadIsForgottenWhenItIsCancelledAndOnlyOnce) {
    history();
    const order o = buy(carol, {c, f});
    reco().rebuild(admin);  // the build reads it
    const std::string token = guest_cart_with({a});
    ASSERT_EQ(shown(reco().related(visitor, f)),
              (texts{"C bought_together F", "B bought_together F"}));

    (void)sh().orders().cancel(carol, o.id, "wrong size");
    EXPECT_EQ(shown(reco().related(visitor, f)), (texts{"B bought_together F"}));
    EXPECT_EQ(reco().stats().orders, 7);
    const auto after = every_answer(token, {alice, carol});
    reco().rebuild(admin);
    EXPECT_EQ(every_answer(token, {alice, carol}), after);
    EXPECT_EQ(reco().stats().orders, 7);
}

TEST_F(RecoIncremental, AnExpiredOrderIsForgottenAtOnce) {
    (void)buy(alice, {e, f});
    ASSERT_EQ(shown(reco().related(visitor, e)), (texts{"F bought_together E"}));
    clock->advance_seconds(3600 + 1);
    ASSERT_EQ(sh().orders().expire_unpaid(admin), 1);
    EXPECT_EQ(reco().stats().orders, 0);
    EXPECT_EQ(shown(reco().related(visitor, e)), (texts{"F popular_in_category E"}));
    EXPECT_EQ(scores_of(reco().related(visitor, e)), (std::vector<double>{0.0}));
    reco().rebuild(admin);
    EXPECT_EQ(reco().stats().orders, 0);
    EXPECT_EQ(shown(reco().related(visitor, e)), (texts{"F popular_in_category E"}));
}

TEST_F(RecoIncremental, OrdersAndLikesMadeWhileARebuildRunsAreNotLost) {
    history();
    const order read = buy(carol, {c, e});
    const actor erin = buyer("+15551000005", "Erin");
    bool done = false;
    reco().rebuild(admin, [&](std::size_t, std::size_t) {
        if (done) return;
        done = true;
        // After the rebuild read the database, before it replaces the index: an order and
        // likes, and the cancellation of an order the build read and of one placed meanwhile.
        (void)buy(erin, {c, d});
        like(erin, e);
        like(erin, f);
        (void)sh().orders().cancel(carol, read.id, "changed my mind");
        const order meanwhile = buy(erin, {a, f});
        (void)sh().orders().cancel(erin, meanwhile.id, "changed my mind");
    });
    ASSERT_TRUE(done);
    EXPECT_EQ(reco().stats().orders, 8);
    EXPECT_EQ(reco().stats().likes, 2);
    EXPECT_EQ(shown(reco().related(visitor, d)), (texts{"C bought_together D"}));
    // F: B (1 / sqrt(5 * 1.5) = 0.3651) above E (0.5 / sqrt(1.5 * 3.5) = 0.2182).
    EXPECT_EQ(shown(reco().related(visitor, f)),
              (texts{"B bought_together F", "E liked_together F"}));
    const std::string token = guest_cart_with({a});
    const auto after = every_answer(token, {alice, erin});
    reco().rebuild(admin);
    EXPECT_EQ(every_answer(token, {alice, erin}), after);
    EXPECT_EQ(reco().stats().orders, 8);
    EXPECT_EQ(reco().stats().likes, 2);
}

// ---- rebuild, progress, statistics ----------------------------------------------------------

TEST_F(RecoRebuild, RebuildingNeedsManageCatalog) {
    history();
    const actor users_admin = staff("+15550000011", permission::manage_users);
    const actor clerk = staff("+15550000012", permission::manage_catalog);
    for (const actor& who : {alice, visitor, users_admin}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        expect_rejected<permission_denied_error>(url, [&] { reco().rebuild(who); });
    }
    clock->advance_seconds(60);
    reco().rebuild(clerk);
    EXPECT_EQ(reco().stats().built_at, clock->now());
    clock->advance_seconds(60);
    reco().rebuild(actor::system());
    EXPECT_EQ(reco().stats().built_at, clock->now());
}

TEST_F(RecoRebuild, ProgressRisesAndEndsWithDoneEqualToTotal) {
    history();
    like(alice, c);
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    reco().rebuild(admin,
                   [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); });
    ASSERT_FALSE(calls.empty());
    EXPECT_GT(calls.back().second, 0u);
    EXPECT_EQ(calls.back().first, calls.back().second);
    for (std::size_t i = 1; i < calls.size(); ++i) {
        EXPECT_GE(calls[i].first, calls[i - 1].first) << "call " << i;
        EXPECT_EQ(calls[i].second, calls[0].second) << "call " << i;
    }

    // The build at open reports through the settings.
    std::vector<std::pair<std::size_t, std::size_t>> at_open;
    reopen([&](shop_options& o) {
        o.recommendations.progress = [&](std::size_t done, std::size_t total) {
            at_open.emplace_back(done, total);
        };
    });
    ASSERT_FALSE(at_open.empty());
    EXPECT_EQ(at_open.back(), calls.back());
}

TEST_F(RecoRebuild, StatsCountOrdersLikesAndProductsSeenAndTheBuildTime) {
    const timestamp opened = clock->now();
    recommender_stats st = reco().stats();
    EXPECT_EQ(st.orders, 0);
    EXPECT_EQ(st.likes, 0);
    EXPECT_EQ(st.products, 0);
    EXPECT_EQ(st.built_at, opened);  // built (from nothing) at open

    history();
    like(alice, c);
    like(bob, c);
    st = reco().stats();
    EXPECT_EQ(st.orders, 7);
    EXPECT_EQ(st.likes, 2);
    EXPECT_EQ(st.products, 5);  // A, B, C, E, F; D was never bought nor liked
    EXPECT_EQ(st.built_at, opened);

    clock->advance_seconds(3600);
    reco().rebuild(admin);
    st = reco().stats();
    EXPECT_EQ(st.orders, 7);
    EXPECT_EQ(st.likes, 2);
    EXPECT_EQ(st.products, 5);
    EXPECT_EQ(st.built_at, clock->now());
}

TEST_F(RecoRebuild, StatsCountAProductBoughtOrLikedAloneAsSeen) {
    history();
    ASSERT_EQ(reco().stats().products, 5);
    const actor erin = buyer("+15551000005", "Erin");
    (void)buy(erin, {d});  // D alone: an order, no partner
    const product_id x = item("X", garden);
    like(dave, x);  // Dave likes only X: a like, no partner
    EXPECT_EQ(reco().stats().orders, 8);
    EXPECT_EQ(reco().stats().likes, 1);
    // Neither has a neighbour: both fall back to their category.
    EXPECT_EQ(
        shown(reco().related(visitor, d)),
        (texts{"B popular_in_category D", "A popular_in_category D", "C popular_in_category D"}));
    EXPECT_EQ(shown(reco().related(visitor, x)),
              (texts{"E popular_in_category X", "F popular_in_category X"}));
    // recommender_stats::products: "Products seen in an order or a like".
    EXPECT_EQ(reco().stats().products, 7);
    reco().rebuild(admin);
    EXPECT_EQ(reco().stats().products, 7);
}

TEST_F(RecoRebuild, AMinimumSupportOfTwoWaitsForAPairsSecondOrderAndTheDefaultKeepsEveryPair) {
    history();
    // recommender_settings::min_support: the default lets the build choose, 1 below 100,000
    // orders: A's partners bought with it once (C, E) count.
    EXPECT_EQ(reco().stats().min_support, 1U);
    EXPECT_EQ(shown(reco().related(visitor, a)),
              (texts{"C bought_together A", "B bought_together A", "E bought_together A"}));

    reopen([](shop_options& o) { o.recommendations.min_support = 2; });
    EXPECT_EQ(reco().stats().min_support, 2U);
    EXPECT_EQ(shown(reco().related(visitor, a)), (texts{"B bought_together A"}));
    // A second order of A with C brings C in, above B (2 / sqrt(5 * 2) against 2 / 5).
    (void)buy(carol, {a, c});
    EXPECT_EQ(shown(reco().related(visitor, a)),
              (texts{"C bought_together A", "B bought_together A"}));
    reco().rebuild(admin);
    EXPECT_EQ(shown(reco().related(visitor, a)),
              (texts{"C bought_together A", "B bought_together A"}));
}

TEST_F(RecoRebuild, WithoutBuildAtOpenTheIndexIsEmptyUntilRebuilt) {
    history();
    like(alice, c);
    const std::string token = guest_cart_with({a, b});
    reopen([](shop_options& o) { o.recommendations.build_at_open = false; });
    const recommender_stats st = reco().stats();
    EXPECT_EQ(st.orders, 0);
    EXPECT_EQ(st.likes, 0);
    EXPECT_EQ(st.products, 0);
    EXPECT_FALSE(st.built_at.has_value());
    for (const recommendation& r : reco().related(visitor, a)) {
        EXPECT_EQ(r.reason, recommendation_reason::popular_in_category) << name(r.product);
    }

    clock->advance_seconds(60);
    reco().rebuild(admin);
    EXPECT_EQ(reco().stats().orders, 7);
    EXPECT_EQ(reco().stats().likes, 1);
    EXPECT_EQ(reco().stats().built_at, clock->now());
    // Alice's like of C counts: n_C = 1 + 0.5 = 1.5, so sim(A, C) = 1 / sqrt(4 * 1.5) = 0.4082
    // falls below sim(A, B) = 0.4472 (and below sim(B, F) = 0.4472 in the cart).
    EXPECT_EQ(products_of(reco().related(visitor, a)), (texts{"B", "C", "E"}));
    EXPECT_EQ(products_of(reco().for_cart(visitor, by_token(token))), (texts{"E", "F", "C"}));
}

TEST_F(RecoRebuild, WithoutBuildAtOpenAnswersAreEmptyUntilRebuilt) {
    history();
    const std::string token = guest_cart_with({a, b});
    reopen([](shop_options& o) { o.recommendations.build_at_open = false; });
    // recommender_settings::build_at_open: "until then answers are empty".
    EXPECT_EQ(shown(reco().related(visitor, a)), texts{});
    EXPECT_EQ(shown(reco().for_cart(visitor, by_token(token))), texts{});
    EXPECT_EQ(shown(reco().for_user(alice, alice.user())), texts{});
}

TEST_F(RecoRebuild, SettingsOutOfRangeAreRefusedWhenTheShopOpens) {
    for (const auto& bad : std::vector<std::function<void(shop_options&)>>{
             [](shop_options& o) { o.recommendations.neighbours = 0; },
             [](shop_options& o) { o.recommendations.neighbours = 1001; },
             [](shop_options& o) { o.recommendations.like_weight = 0; },
             [](shop_options& o) { o.recommendations.like_weight = 1.5; },
             [](shop_options& o) { o.recommendations.min_support = 1001; },
         }) {
        shop_options o = options();
        bad(o);
        const auto caught = catch_expected<validation_error>([&] { (void)shop::open(url, o); });
        if (caught) {
            EXPECT_EQ(caught->field(), "recommendations");
        }
    }
}

// ---- concurrency ----------------------------------------------------------------------------

TEST_F(RecoConcurrency, QueriesWhileOrdersArePlacedNeverFailNorOfferUnavailableProducts) {
    history();
    const std::string token = guest_cart_with({a, b});
    // C (A's best partner) sold out, F (B's partner) withdrawn.
    set_stock(c, 0);
    set_active(f, false);
    const actor erin = buyer("+15551000005", "Erin");
    const actor frank = buyer("+15551000006", "Frank");

    constexpr int orders_each = 6;
    std::atomic<int> placing{2};
    std::mutex mutex;
    std::vector<std::string> problems;
    int queries = 0;
    const auto problem = [&](const std::string& what) {
        const std::lock_guard<std::mutex> guard(mutex);
        problems.push_back(what);
    };
    const auto check = [&](const char* query, const std::vector<recommendation>& got) {
        for (const recommendation& r : got) {
            if (r.product == c || r.product == f) {
                problem(std::string(query) + " offered " + name(r.product));
            }
        }
    };
    const auto place = [&](const actor& who, const std::vector<std::vector<product_id>>& baskets) {
        for (int i = 0; i < orders_each; ++i) {
            try {
                for (const product_id p : baskets[static_cast<std::size_t>(i) % baskets.size()]) {
                    (void)carts().add_item(who, own(), p, 1);
                }
                (void)sh().orders().place_order(
                    who,
                    keyed("race-" + std::to_string(who.user().value()) + "-" + std::to_string(i)));
            } catch (const std::exception& ex) {
                problem(std::string("placing: ") + ex.what());
            }
        }
        --placing;
    };
    const auto ask = [&] {
        int asked = 0;
        do {
            try {
                check("related A", reco().related(visitor, a));
                check("related B", reco().related(visitor, b));
                check("related D", reco().related(visitor, d));
                check("related E", reco().related(visitor, e));
                check("for_cart", reco().for_cart(visitor, by_token(token)));
                check("for_user", reco().for_user(alice, alice.user()));
            } catch (const std::exception& ex) {
                problem(std::string("querying: ") + ex.what());
            }
            ++asked;
        } while (placing.load() > 0);
        const std::lock_guard<std::mutex> guard(mutex);
        queries += asked;
    };
    {
        std::vector<std::thread> threads;
        threads.emplace_back(place, erin, std::vector<std::vector<product_id>>{{a, e}, {a, b, d}});
        threads.emplace_back(place, frank, std::vector<std::vector<product_id>>{{b, d}, {d, e}});
        threads.emplace_back(ask);
        threads.emplace_back(ask);
        for (auto& t : threads) t.join();
    }
    EXPECT_EQ(problems, std::vector<std::string>{});
    EXPECT_GE(queries, 2);
    EXPECT_EQ(reco().stats().orders, 7 + 2 * orders_each);

    // Every placement reached the index: it equals a rebuild.
    const auto learned = every_answer(token, {alice, erin, frank});
    reco().rebuild(admin);
    EXPECT_EQ(every_answer(token, {alice, erin, frank}), learned);
}

}  // namespace
}  // namespace shopcore::test

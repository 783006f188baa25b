// cooccurrence_index: small histories scored by hand, normalisation, exclusions, limits, ties,
// likes, and the property that incremental updates leave the index equal to a rebuild.

#include "recommend/cooccurrence_index.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <shopcore/core/error.hpp>
#include <shopcore/core/ids.hpp>

namespace shopcore::detail {

// Readable failures (gtest finds it by argument-dependent lookup).
inline void PrintTo(const scored_product& s, std::ostream* os) {
    const char* signal = s.signal == reco_signal::orders  ? "orders"
                         : s.signal == reco_signal::likes ? "likes"
                                                          : "popularity";
    *os << "{" << s.product << ", " << s.score << ", because " << s.because_of << ", " << signal
        << "}";
}

namespace {

using baskets = std::vector<std::vector<product_id>>;

product_id pid(std::int64_t v) { return product_id(v); }

baskets orders_of(std::initializer_list<std::initializer_list<std::int64_t>> list) {
    baskets out;
    for (const auto& b : list) {
        std::vector<product_id> basket;
        for (const std::int64_t v : b) basket.push_back(pid(v));
        out.push_back(std::move(basket));
    }
    return out;
}

cooccurrence_index built(const baskets& orders, const std::vector<user_like>& likes = {},
                         cooccurrence_settings settings = {}) {
    cooccurrence_index index(settings);
    index.build(orders, likes);
    return index;
}

std::vector<std::int64_t> ids(const std::vector<scored_product>& list) {
    std::vector<std::int64_t> out;
    for (const scored_product& s : list) out.push_back(s.product.value());
    return out;
}

std::vector<weighted_product> items_of(std::initializer_list<std::int64_t> list) {
    std::vector<weighted_product> out;
    for (const std::int64_t v : list) out.push_back({pid(v), 1.0});
    return out;
}

// ---- exact small examples ---------------------------------------------------------------

TEST(Cooccurrence, ScoresASmallHistoryByHand) {
    // n1 = 3, n2 = 3, n3 = 2, n4 = 1; c12 = 2, c13 = 1, c23 = 1.
    const auto index = built(orders_of({{1, 2}, {1, 2}, {1, 3}, {2, 3}, {4}}));
    const auto r1 = index.related(pid(1), 10);
    ASSERT_EQ(r1.size(), 2U);
    EXPECT_EQ(r1[0].product, pid(2));
    EXPECT_DOUBLE_EQ(r1[0].score, 2.0 / 3.0);
    EXPECT_EQ(r1[1].product, pid(3));
    EXPECT_DOUBLE_EQ(r1[1].score, 1.0 / std::sqrt(6.0));
    for (const scored_product& s : r1) {
        EXPECT_EQ(s.because_of, pid(1));
        EXPECT_EQ(s.signal, reco_signal::orders);
    }
    // 3 is as close to 1 as to 2: the tie goes to the smaller id.
    EXPECT_EQ(ids(index.related(pid(3), 10)), (std::vector<std::int64_t>{1, 2}));
    EXPECT_DOUBLE_EQ(index.related(pid(3), 10)[1].score, 1.0 / std::sqrt(6.0));
    // 4 was only ever bought alone.
    EXPECT_TRUE(index.related(pid(4), 10).empty());
    EXPECT_EQ(index.order_count(pid(1)), 3U);
    EXPECT_EQ(index.order_count(pid(4)), 1U);
    EXPECT_EQ(index.total_orders(), 5U);
    EXPECT_EQ(index.product_count(), 4U);
}

TEST(Cooccurrence, CountsAProductOncePerBasket) {
    const auto once = built(orders_of({{1, 2}, {1, 3}}));
    const auto twice = built(orders_of({{1, 1, 2, 2}, {3, 1, 3}}));
    EXPECT_EQ(once.related(pid(1), 10), twice.related(pid(1), 10));
    EXPECT_EQ(twice.order_count(pid(1)), 2U);
}

TEST(Cooccurrence, WeighsLikesLowerThanOrders) {
    // Order {1, 2}; user 7 likes 1 and 3. w = 0.5: n1 = 1.5, n2 = 1, n3 = 0.5.
    // sim(1, 2) = 1 / sqrt(1.5 * 1); sim(1, 3) = 0.5 / sqrt(1.5 * 0.5).
    const auto index = built(orders_of({{1, 2}}), {{user_id(7), pid(1)}, {user_id(7), pid(3)}});
    const auto r = index.related(pid(1), 10);
    ASSERT_EQ(r.size(), 2U);
    EXPECT_EQ(r[0].product, pid(2));
    EXPECT_DOUBLE_EQ(r[0].score, 1.0 / std::sqrt(1.5));
    EXPECT_EQ(r[0].signal, reco_signal::orders);
    EXPECT_EQ(r[1].product, pid(3));
    EXPECT_DOUBLE_EQ(r[1].score, 0.5 / std::sqrt(0.75));
    EXPECT_EQ(r[1].signal, reco_signal::likes);
    EXPECT_LT(r[1].score, r[0].score);
    EXPECT_DOUBLE_EQ(index.popularity(pid(1)), 1.5);
    EXPECT_EQ(index.like_count(pid(3)), 1U);
    EXPECT_EQ(index.order_count(pid(3)), 0U);

    // The same pair seen once through each signal: orders win at the default weight.
    cooccurrence_settings equal;
    equal.like_weight = 1.0;
    const auto same =
        built(orders_of({{1, 2}}), {{user_id(7), pid(1)}, {user_id(7), pid(3)}}, equal);
    EXPECT_DOUBLE_EQ(same.related(pid(1), 10)[0].score, same.related(pid(1), 10)[1].score);
}

TEST(Cooccurrence, CombinesOrdersAndLikesOfAPairInOneScore) {
    // Pair (1, 2) in one order and liked together by two users; like weight 0.5:
    // c = 1 + 0.5 * 2 = 2, n1 = n2 = 1 + 0.5 * 2 = 2, sim = 1. Signal: orders (1 >= 0.5 * 2).
    const std::vector<user_like> likes{{user_id(1), pid(1)},
                                       {user_id(1), pid(2)},
                                       {user_id(2), pid(1)},
                                       {user_id(2), pid(2)},
                                       {user_id(2), pid(2)}};  // a duplicate like counts once
    const auto index = built(orders_of({{1, 2}}), likes);
    const auto r = index.related(pid(1), 10);
    ASSERT_EQ(r.size(), 1U);
    EXPECT_DOUBLE_EQ(r[0].score, 1.0);
    EXPECT_EQ(r[0].signal, reco_signal::orders);
    EXPECT_EQ(index.like_count(pid(2)), 2U);
    EXPECT_EQ(index.likes_of(user_id(2)), (std::vector<product_id>{pid(1), pid(2)}));
}

TEST(Cooccurrence, DoesNotLetAProductBoughtWithEverythingTopEveryList) {
    // Product 1000 is in every order. Each a_i = i is bought with its b_i = 100 + i twice and
    // with 1000 three times: by raw counts 1000 would lead every list.
    baskets orders;
    for (std::int64_t i = 1; i <= 10; ++i) {
        orders.push_back({pid(1000), pid(i), pid(100 + i)});
        orders.push_back({pid(1000), pid(i), pid(100 + i)});
        orders.push_back({pid(1000), pid(i)});
    }
    for (std::int64_t j = 0; j < 60; ++j) orders.push_back({pid(1000), pid(200 + j % 30)});
    const auto index = built(orders);
    for (std::int64_t i = 1; i <= 10; ++i) {
        const auto r = index.related(pid(i), 3);
        ASSERT_FALSE(r.empty());
        EXPECT_EQ(r[0].product, pid(100 + i)) << "for product " << i;
        // sim(a, b) = 2 / sqrt(3 * 2); sim(a, 1000) = 3 / sqrt(3 * 90).
        EXPECT_DOUBLE_EQ(r[0].score, 2.0 / std::sqrt(6.0));
        EXPECT_DOUBLE_EQ(r[1].score, 3.0 / std::sqrt(270.0));
    }
}

TEST(Cooccurrence, KeepsOnlyTheTopNeighbours) {
    cooccurrence_settings two;
    two.neighbours = 2;
    // 1 with 2 (3 times), 3 (2 times), 4 (once), 5 (once).
    const auto index =
        built(orders_of({{1, 2}, {1, 2}, {1, 2}, {1, 3}, {1, 3}, {1, 4}, {1, 5}}), {}, two);
    EXPECT_EQ(ids(index.related(pid(1), 10)), (std::vector<std::int64_t>{2, 3}));
    // A cart of 1 gets the two neighbours only.
    EXPECT_EQ(ids(index.for_items(items_of({1}), 10)), (std::vector<std::int64_t>{2, 3}));
}

TEST(Cooccurrence, DropsPairsBelowTheMinimumSupport) {
    cooccurrence_settings two;
    two.min_support = 2;
    const auto index = built(orders_of({{1, 2}, {1, 2}, {1, 3}}), {}, two);
    EXPECT_EQ(ids(index.related(pid(1), 10)), (std::vector<std::int64_t>{2}));
    EXPECT_TRUE(index.related(pid(3), 10).empty());
    EXPECT_EQ(index.order_count(pid(3)), 1U);
}

TEST(Cooccurrence, TheAutomaticMinimumSupportLeavesOutPairsSeenOnceFrom100000Orders) {
    EXPECT_EQ(automatic_min_support(0), 1U);
    EXPECT_EQ(automatic_min_support(99999), 1U);
    EXPECT_EQ(automatic_min_support(100000), 2U);
    EXPECT_EQ(automatic_min_support(5000000), 2U);
}

TEST(Cooccurrence, CountsLargeBasketsTowardsPopularityOnly) {
    cooccurrence_settings small;
    small.max_basket = 3;
    const auto index = built(orders_of({{1, 2}, {1, 2, 3, 4}, {3, 4}}), {}, small);
    // The 4-product order is left out of co-occurrence: n1 = 1, n2 = 1, sim(1, 2) = 1.
    EXPECT_DOUBLE_EQ(index.related(pid(1), 10).at(0).score, 1.0);
    EXPECT_EQ(ids(index.related(pid(1), 10)), (std::vector<std::int64_t>{2}));
    EXPECT_EQ(index.order_count(pid(1)), 2U);
    EXPECT_EQ(index.total_orders(), 3U);
}

// ---- cart queries, exclusions and limits ------------------------------------------------

TEST(Cooccurrence, MergesTheListsOfACartAndLeavesTheCartOut) {
    // n1 = 2, n2 = 2, n3 = 3, n4 = 1; c13 = 1, c23 = 2, c14 = 1, c12 = 0.
    const auto index = built(orders_of({{1, 3}, {2, 3}, {2, 3}, {1, 4}}));
    const auto r = index.for_items(items_of({1, 2}), 10);
    ASSERT_EQ(r.size(), 2U);
    // 3: sim(1, 3) + sim(2, 3) = 1 / sqrt(6) + 2 / sqrt(6); 4: sim(1, 4) = 1 / sqrt(2).
    EXPECT_EQ(r[0].product, pid(3));
    EXPECT_DOUBLE_EQ(r[0].score, 1.0 / std::sqrt(6.0) + 2.0 / std::sqrt(6.0));
    EXPECT_EQ(r[0].because_of, pid(2));  // 2's contribution is the larger
    EXPECT_EQ(r[1].product, pid(4));
    EXPECT_DOUBLE_EQ(r[1].score, 1.0 / std::sqrt(2.0));
    EXPECT_EQ(r[1].because_of, pid(1));
    // Weights scale contributions; the order of the items does not matter.
    const std::vector<weighted_product> weighted{{pid(2), 0.1}, {pid(1), 1.0}, {pid(2), 0.1}};
    const auto w = index.for_items(weighted, 10);
    ASSERT_EQ(w.size(), 2U);
    EXPECT_EQ(w[0].product, pid(4));
    EXPECT_DOUBLE_EQ(w[1].score, 1.0 / std::sqrt(6.0) + 0.1 * 2.0 / std::sqrt(6.0));
    EXPECT_EQ(w[1].because_of, pid(1));
}

TEST(Cooccurrence, LeavesOutWhatThePredicateRejectsAskingLazily) {
    baskets orders;
    for (std::int64_t i = 2; i <= 40; ++i) {
        for (std::int64_t r = 0; r < 41 - i; ++r) orders.push_back({pid(1), pid(i)});
        orders.push_back({pid(i)});
    }
    const auto index = built(orders);
    const auto all = index.for_items(items_of({1}), 100);
    ASSERT_EQ(all.size(), 39U);
    std::vector<std::int64_t> asked;
    const auto odd_out = [&asked](product_id p) {
        asked.push_back(p.value());
        return p.value() % 2 == 1;
    };
    const auto r = index.for_items(items_of({1}), 5, odd_out);
    ASSERT_EQ(r.size(), 5U);
    for (const scored_product& s : r) EXPECT_EQ(s.product.value() % 2, 0);
    // Asked best first, and not about the whole list.
    EXPECT_LE(asked.size(), 12U);
    EXPECT_EQ(asked.front(), all.front().product.value());
    // The same for related().
    asked.clear();
    EXPECT_EQ(index.related(pid(1), 5, odd_out), r);
    EXPECT_LE(asked.size(), 12U);
    // Everything rejected: nothing left.
    EXPECT_TRUE(index.related(pid(1), 5, [](product_id) { return true; }).empty());
}

TEST(Cooccurrence, RespectsLimits) {
    const auto index = built(orders_of({{1, 2, 3, 4, 5}}));
    EXPECT_TRUE(index.related(pid(1), 0).empty());
    EXPECT_TRUE(index.for_items(items_of({1}), 0).empty());
    EXPECT_EQ(index.related(pid(1), 1).size(), 1U);
    EXPECT_EQ(index.related(pid(1), 3).size(), 3U);
    EXPECT_EQ(index.related(pid(1), 100).size(), 4U);
    EXPECT_EQ(index.for_items(items_of({1, 2}), 100).size(), 3U);
    EXPECT_EQ(index.most_popular(2).size(), 2U);
}

TEST(Cooccurrence, OrdersTiesByIdWhateverTheOrderOfTheHistory) {
    // Every pair is bought together once: all scores tie.
    baskets orders = orders_of({{5, 1}, {5, 9}, {5, 3}, {5, 7}, {2, 5}});
    const auto first = built(orders);
    EXPECT_EQ(ids(first.related(pid(5), 10)), (std::vector<std::int64_t>{1, 2, 3, 7, 9}));
    std::mt19937_64 rng(11);
    for (int round = 0; round < 5; ++round) {
        std::shuffle(orders.begin(), orders.end(), rng);
        for (auto& b : orders) std::shuffle(b.begin(), b.end(), rng);
        const auto again = built(orders);
        EXPECT_EQ(again.related(pid(5), 10), first.related(pid(5), 10));
        EXPECT_EQ(again.for_items(items_of({1, 9}), 10), first.for_items(items_of({9, 1}), 10));
    }
    // Popularity ties too.
    EXPECT_EQ(ids(first.most_popular(3)), (std::vector<std::int64_t>{5, 1, 2}));
}

TEST(Cooccurrence, AnswersNothingWhenEmpty) {
    const cooccurrence_index index;
    EXPECT_TRUE(index.related(pid(1), 10).empty());
    EXPECT_TRUE(index.for_items(items_of({1, 2}), 10).empty());
    EXPECT_TRUE(index.for_user(user_id(1), std::vector<product_id>{pid(1)}, 10).empty());
    EXPECT_TRUE(index.most_popular(10).empty());
    EXPECT_EQ(index.product_count(), 0U);
    EXPECT_EQ(index.total_orders(), 0U);
    EXPECT_TRUE(index.likes_of(user_id(1)).empty());
    cooccurrence_index rebuilt;
    rebuilt.build(baskets{}, {});
    EXPECT_TRUE(rebuilt.most_popular(10).empty());
}

TEST(Cooccurrence, IgnoresUnknownProductsAndInvalidIds) {
    const auto index = built(orders_of({{1, 2}, {0, 1, -3}}));
    EXPECT_TRUE(index.related(pid(99), 10).empty());
    EXPECT_TRUE(index.related(pid(0), 10).empty());
    EXPECT_EQ(index.order_count(pid(99)), 0U);
    EXPECT_EQ(index.popularity(pid(99)), 0.0);
    EXPECT_EQ(index.order_count(pid(1)), 2U);
    EXPECT_EQ(index.product_count(), 2U);
    // An unknown cart item contributes nothing; the known one still answers.
    EXPECT_EQ(ids(index.for_items(items_of({99, 1}), 10)), (std::vector<std::int64_t>{2}));
}

TEST(Cooccurrence, RanksCandidatesByPopularityForTheFallback) {
    cooccurrence_index index;
    const std::vector<user_like> likes{{user_id(1), pid(2)}};
    index.build(orders_of({{1}, {1}, {1}, {2}, {3, 4}, {3}}), likes);
    // Popularity: 1 -> 3, 2 -> 1.5, 3 -> 2, 4 -> 1, 50 -> 0 (unknown, listed last).
    const std::vector<product_id> category{pid(50), pid(2), pid(4), pid(3), pid(1), pid(2)};
    const auto r = index.most_popular(category, 10);
    EXPECT_EQ(ids(r), (std::vector<std::int64_t>{1, 3, 2, 4, 50}));
    EXPECT_DOUBLE_EQ(r[2].score, 1.5);
    EXPECT_EQ(r[0].signal, reco_signal::popularity);
    EXPECT_FALSE(r[0].because_of.is_valid());
    EXPECT_EQ(ids(index.most_popular(category, 2, [](product_id p) { return p == pid(1); })),
              (std::vector<std::int64_t>{3, 2}));
    EXPECT_EQ(ids(index.most_popular(2)), (std::vector<std::int64_t>{1, 3}));
}

TEST(Cooccurrence, RecommendsForAUserFromPurchasesAndLikes) {
    // The user bought 1 and likes 5; 2 goes with 1, 6 with 5 (liked together by others).
    const std::vector<user_like> likes{
        {user_id(1), pid(5)}, {user_id(2), pid(5)}, {user_id(2), pid(6)}, {user_id(3), pid(5)},
        {user_id(3), pid(6)}, {user_id(4), pid(1)}, {user_id(4), pid(7)}};
    const auto index = built(orders_of({{1, 2}, {1, 2}, {1, 3}}), likes);
    const std::vector<product_id> bought{pid(1)};
    const auto r = index.for_user(user_id(1), bought, 10);
    const auto got = ids(r);
    EXPECT_NE(std::find(got.begin(), got.end(), 2), got.end());
    EXPECT_NE(std::find(got.begin(), got.end(), 6), got.end());
    EXPECT_EQ(std::find(got.begin(), got.end(), 1), got.end());  // bought
    EXPECT_EQ(std::find(got.begin(), got.end(), 5), got.end());  // already liked
    for (const scored_product& s : r) {
        if (s.product == pid(6)) {
            EXPECT_EQ(s.because_of, pid(5));
            EXPECT_EQ(s.signal, reco_signal::likes);
        }
        if (s.product == pid(2)) {
            EXPECT_EQ(s.because_of, pid(1));
        }
    }
}

TEST(Cooccurrence, ReportsBuildProgressAtMostEveryPercent) {
    baskets orders;
    std::mt19937_64 rng(3);
    std::uniform_int_distribution<std::int64_t> product(1, 500);
    for (int i = 0; i < 5000; ++i) orders.push_back({pid(product(rng)), pid(product(rng))});
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    cooccurrence_index index;
    index.build(orders, {},
                [&calls](std::size_t done, std::size_t total) { calls.emplace_back(done, total); });
    ASSERT_FALSE(calls.empty());
    EXPECT_LE(calls.size(), 101U);
    const std::size_t total = calls.front().second;
    EXPECT_EQ(total, orders.size() + index.product_count());
    for (std::size_t i = 1; i < calls.size(); ++i) {
        EXPECT_GT(calls[i].first, calls[i - 1].first);
        if (i + 1 < calls.size()) {
            EXPECT_GE(calls[i].first - calls[i - 1].first, total / 100);
        }
        EXPECT_EQ(calls[i].second, total);
    }
    EXPECT_EQ(calls.back().first, total);
    // An empty build reports once, done.
    calls.clear();
    index.build(baskets{}, {},
                [&calls](std::size_t d, std::size_t t) { calls.emplace_back(d, t); });
    EXPECT_EQ(calls, (std::vector<std::pair<std::size_t, std::size_t>>{{0, 0}}));
}

TEST(Cooccurrence, RejectsSettingsOutOfRange) {
    const auto rejected = [](cooccurrence_settings s, const std::string& field) {
        try {
            const cooccurrence_index index(s);
            ADD_FAILURE() << "accepted; expected a validation_error on " << field;
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), field);
        }
    };
    cooccurrence_settings s;
    s.neighbours = 0;
    rejected(s, "neighbours");
    s = {};
    s.like_weight = 0;
    rejected(s, "like_weight");
    s.like_weight = std::nan("");
    rejected(s, "like_weight");
    s = {};
    s.min_support = 0;
    rejected(s, "min_support");
    s = {};
    s.max_basket = 1;
    rejected(s, "max_basket");
    s = {};
    s.reserve = 100001;
    rejected(s, "reserve");
}

// ---- incremental == rebuild -------------------------------------------------------------

// A random history of orders, likes and unlikes (and, if asked, cancellations) over a small
// catalog, so that lists fill, bounds form and members get evicted. Product popularity is
// skewed (Zipf 1).
struct history_event {
    enum kind_t { order, like, unlike, cancel } kind;
    std::vector<product_id> basket;  // order; cancel: the cancelled order's
    user_id user;
    product_id product;
    std::size_t cancelled = 0;  // cancel: the index of the order event it cancels
};

std::vector<history_event> random_history(std::uint64_t seed, std::size_t events,
                                          std::int64_t products, std::int64_t users,
                                          double cancel_share = 0) {
    std::mt19937_64 rng(seed);
    std::vector<double> weights;
    for (std::int64_t i = 1; i <= products; ++i) weights.push_back(1.0 / static_cast<double>(i));
    std::discrete_distribution<std::int64_t> zipf(weights.begin(), weights.end());
    std::geometric_distribution<int> extra(0.35);
    std::uniform_int_distribution<std::int64_t> user(1, users);
    std::uniform_real_distribution<double> coin(0, 1);
    std::vector<history_event> out;
    std::set<std::pair<std::int64_t, std::int64_t>> liked;
    std::vector<std::size_t> live;  // order events not cancelled
    for (std::size_t i = 0; i < events; ++i) {
        if (cancel_share > 0 && !live.empty() && coin(rng) < cancel_share) {
            history_event e{};
            e.kind = history_event::cancel;
            const std::size_t at =
                std::uniform_int_distribution<std::size_t>(0, live.size() - 1)(rng);
            e.cancelled = live[at];
            e.basket = out[e.cancelled].basket;
            live.erase(live.begin() + static_cast<std::ptrdiff_t>(at));
            out.push_back(std::move(e));
            continue;
        }
        const double c = coin(rng);
        history_event e{};
        if (c < 0.75) {
            live.push_back(out.size());
            e.kind = history_event::order;
            const int size = 1 + std::min(extra(rng), 11);
            for (int j = 0; j < size; ++j) e.basket.push_back(pid(1 + zipf(rng)));
        } else if (c < 0.93 || liked.empty()) {
            e.kind = history_event::like;
            e.user = user_id(user(rng));
            e.product = pid(1 + zipf(rng));
            liked.emplace(e.user.value(), e.product.value());
        } else {
            e.kind = history_event::unlike;
            auto it = liked.begin();
            std::advance(it, std::uniform_int_distribution<std::size_t>(0, liked.size() - 1)(rng));
            e.user = user_id(it->first);
            e.product = pid(it->second);
            liked.erase(it);
        }
        out.push_back(std::move(e));
    }
    return out;
}

// Builds from the first `upto` events.
cooccurrence_index rebuild(const std::vector<history_event>& events, std::size_t upto,
                           cooccurrence_settings settings) {
    baskets orders;
    std::set<std::pair<std::int64_t, std::int64_t>> liked;
    std::set<std::size_t> cancelled;
    for (std::size_t i = 0; i < upto; ++i) {
        if (events[i].kind == history_event::cancel) cancelled.insert(events[i].cancelled);
    }
    for (std::size_t i = 0; i < upto; ++i) {
        const history_event& e = events[i];
        if (e.kind == history_event::order && cancelled.count(i) == 0) orders.push_back(e.basket);
        if (e.kind == history_event::like) liked.emplace(e.user.value(), e.product.value());
        if (e.kind == history_event::unlike) liked.erase({e.user.value(), e.product.value()});
    }
    std::vector<user_like> likes;
    for (const auto& [u, p] : liked) likes.push_back({user_id(u), pid(p)});
    // Likes in a scrambled order: build() must not depend on it.
    std::reverse(likes.begin(), likes.end());
    return built(orders, likes, settings);
}

void apply(cooccurrence_index& index, const history_event& e) {
    if (e.kind == history_event::order) index.add_order(e.basket);
    if (e.kind == history_event::like) index.add_like(e.user, e.product);
    if (e.kind == history_event::unlike) {
        EXPECT_TRUE(index.remove_like(e.user, e.product));
    }
    if (e.kind == history_event::cancel) {
        EXPECT_TRUE(index.remove_order(e.basket));
    }
}

::testing::AssertionResult same_index(const cooccurrence_index& got, const cooccurrence_index& want,
                                      std::int64_t products, std::uint64_t seed) {
    const std::size_t k = want.settings().neighbours;
    for (std::int64_t p = 1; p <= products + 1; ++p) {
        const auto g = got.related(pid(p), k);
        const auto w = want.related(pid(p), k);
        if (g != w) {
            auto failure = ::testing::AssertionFailure() << "related(" << p << "):\n  incremental";
            for (const auto& s : g) failure << " " << s.product << "=" << s.score;
            failure << "\n  rebuild    ";
            for (const auto& s : w) failure << " " << s.product << "=" << s.score;
            return failure;
        }
        if (got.popularity(pid(p)) != want.popularity(pid(p))) {
            return ::testing::AssertionFailure() << "popularity(" << p << ")";
        }
    }
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::int64_t> product(1, products);
    for (int q = 0; q < 20; ++q) {
        std::vector<weighted_product> cart;
        for (int j = 0; j < 1 + q % 5; ++j) cart.push_back({pid(product(rng)), 1.0 + j});
        if (got.for_items(cart, 10) != want.for_items(cart, 10)) {
            return ::testing::AssertionFailure() << "for_items differs";
        }
    }
    if (got.total_orders() != want.total_orders()) {
        return ::testing::AssertionFailure() << "total_orders";
    }
    return ::testing::AssertionSuccess();
}

void check_incremental_equals_rebuild(cooccurrence_settings settings, std::uint64_t seed,
                                      std::int64_t products, bool from_empty,
                                      double cancel_share = 0) {
    const std::size_t events = 900;
    const auto history = random_history(seed, events, products, 25, cancel_share);
    const std::size_t start = from_empty ? 0 : events / 3;
    cooccurrence_index index = rebuild(history, start, settings);
    for (std::size_t i = start; i < events; ++i) {
        apply(index, history[i]);
        if ((i + 1) % 75 == 0 || i + 1 == events) {
            const auto want = rebuild(history, i + 1, settings);
            ASSERT_TRUE(same_index(index, want, products, seed + i))
                << "seed " << seed << ", after event " << i << " (k " << settings.neighbours
                << ", reserve " << settings.reserve << ", min_support " << settings.min_support
                << ", like weight " << settings.like_weight << ")";
        }
    }
}

TEST(Cooccurrence, IncrementalUpdatesEqualARebuild) {
    // Small lists and reserves, so that bounds form, members fall out, reserves run dry.
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        cooccurrence_settings s;
        s.neighbours = 3 + seed % 4;
        s.reserve = seed % 4;
        check_incremental_equals_rebuild(s, seed, 40, seed % 2 == 0);
    }
}

TEST(Cooccurrence, IncrementalUpdatesEqualARebuildWithOtherSettings) {
    cooccurrence_settings s;
    s.neighbours = 4;
    s.reserve = 2;
    s.min_support = 2;
    check_incremental_equals_rebuild(s, 21, 30, false);
    s.min_support = 1;
    s.like_weight = 0.3;
    s.max_basket = 4;
    check_incremental_equals_rebuild(s, 22, 60, false);
    s = {};
    s.neighbours = 1;
    s.reserve = 0;
    s.like_weight = 2.0;
    check_incremental_equals_rebuild(s, 23, 25, true);
    s = {};
    s.neighbours = 8;
    check_incremental_equals_rebuild(s, 24, 200, false);
}

TEST(Cooccurrence, IncrementalUpdatesEqualARebuildWithAMinimumSupport) {
    // Updates pass over pairs still below min_support without looking at the lists: such a
    // pair must enter as soon as it reaches it (and leave when an unlike takes it below).
    for (std::uint64_t seed = 31; seed <= 38; ++seed) {
        cooccurrence_settings s;
        s.neighbours = 3 + seed % 3;
        s.reserve = seed % 3;
        s.min_support = static_cast<std::uint32_t>(2 + seed % 2);
        check_incremental_equals_rebuild(s, seed, 30, seed % 2 == 0);
    }
}

TEST(Cooccurrence, CancelledOrdersLeaveTheIndexAsIfNeverPlaced) {
    // One order in ten cancels an earlier one (built from or added since), with lists small
    // enough that members fall out and come back, and a max_basket that some orders pass.
    for (std::uint64_t seed = 41; seed <= 48; ++seed) {
        cooccurrence_settings s;
        s.neighbours = 3 + seed % 4;
        s.reserve = seed % 3;
        s.min_support = static_cast<std::uint32_t>(1 + seed % 2);
        s.max_basket = seed % 3 == 0 ? 4 : 100;
        check_incremental_equals_rebuild(s, seed, 40, seed % 2 == 0, 0.1);
    }
}

TEST(Cooccurrence, RemovingAnOrderNeverLearnedChangesNothing) {
    auto index = built(orders_of({{1, 2}, {1, 3}, {2, 3}, {4}}), {});
    const auto before = index.related(pid(1), 10);
    EXPECT_FALSE(index.remove_order(orders_of({{1, 4}})[0]));  // no such basket
    EXPECT_FALSE(index.remove_order(orders_of({{1, 9}})[0]));  // 9 never seen
    EXPECT_FALSE(index.remove_order(orders_of({{5}})[0]));     // never seen
    EXPECT_FALSE(index.remove_order({}));
    EXPECT_EQ(index.related(pid(1), 10), before);
    EXPECT_EQ(index.total_orders(), 4U);
    // A duplicate product counts once, as when it was added; each order goes once.
    EXPECT_TRUE(index.remove_order(orders_of({{2, 1, 2}})[0]));
    EXPECT_FALSE(index.remove_order(orders_of({{1, 2}})[0]));
    EXPECT_EQ(index.total_orders(), 3U);
    EXPECT_EQ(index.order_count(pid(1)), 1U);
    EXPECT_TRUE(index.remove_order(orders_of({{4}})[0]));
    EXPECT_FALSE(index.remove_order(orders_of({{4}})[0]));
}

TEST(Cooccurrence, ReplacesAFallenNeighbourOnlyByAnEntryAboveEveryUntrackedPartner) {
    // One neighbour (2 at first), one reserve entry (3), and 4 untracked. Then 3 and 2 sell
    // alone, and a like (weight 2) drops 2 below both 3 and 4 at once; 3 has fallen below 4
    // in the meantime, so 4, not the reserve entry, must take the place.
    cooccurrence_settings s;
    s.neighbours = 1;
    s.reserve = 1;
    s.like_weight = 2.0;
    baskets history =
        orders_of({{1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 2}, {1, 3}, {1, 3}, {1, 3}, {1, 3}, {1, 4}});
    cooccurrence_index index = built(history, {}, s);
    EXPECT_EQ(ids(index.related(pid(1), 5)), (std::vector<std::int64_t>{2}));
    for (int i = 0; i < 13; ++i) history.push_back({pid(3)});
    for (int i = 0; i < 20; ++i) history.push_back({pid(2)});
    for (std::size_t i = 10; i < history.size(); ++i) index.add_order(history[i]);
    // Keys c / sqrt(n): 2 -> 5 / sqrt(25) = 1 (ahead of 4 by id), 3 -> 4 / sqrt(17), 4 -> 1.
    EXPECT_EQ(ids(index.related(pid(1), 5)), (std::vector<std::int64_t>{2}));
    ASSERT_TRUE(index.add_like(user_id(9), pid(2)));  // 2 -> 5 / sqrt(27)
    const std::vector<user_like> likes{{user_id(9), pid(2)}};
    const auto want = built(history, likes, s);
    EXPECT_EQ(ids(want.related(pid(1), 5)), (std::vector<std::int64_t>{4}));
    EXPECT_EQ(index.related(pid(1), 5), want.related(pid(1), 5));
}

TEST(Cooccurrence, ForgetsARemovedLike) {
    const baskets orders = orders_of({{1, 2}, {2, 3}});
    cooccurrence_index index = built(orders, {{user_id(1), pid(1)}});
    EXPECT_TRUE(index.add_like(user_id(1), pid(3)));
    EXPECT_FALSE(index.add_like(user_id(1), pid(3)));  // known already
    EXPECT_EQ(ids(index.related(pid(1), 10)), (std::vector<std::int64_t>{2, 3}));
    EXPECT_TRUE(index.remove_like(user_id(1), pid(3)));
    EXPECT_FALSE(index.remove_like(user_id(1), pid(3)));
    EXPECT_FALSE(index.remove_like(user_id(9), pid(1)));
    const auto want = built(orders, {{user_id(1), pid(1)}});
    EXPECT_EQ(index.related(pid(1), 10), want.related(pid(1), 10));
    EXPECT_EQ(index.related(pid(3), 10), want.related(pid(3), 10));
    EXPECT_EQ(index.like_count(pid(3)), 0U);
}

TEST(Cooccurrence, LearnsAnOrderOfNewProducts) {
    cooccurrence_index index;
    index.add_order(std::vector<product_id>{pid(7), pid(8)});
    index.add_order(std::vector<product_id>{});
    index.add_order(std::vector<product_id>{pid(0)});
    EXPECT_EQ(ids(index.related(pid(7), 10)), (std::vector<std::int64_t>{8}));
    EXPECT_DOUBLE_EQ(index.related(pid(7), 10)[0].score, 1.0);
    EXPECT_EQ(index.total_orders(), 1U);
}

// ---- concurrency ------------------------------------------------------------------------

TEST(Cooccurrence, AnswersConcurrentQueriesAlike) {
    const auto history = random_history(5, 3000, 200, 50);
    const cooccurrence_index index = rebuild(history, history.size(), {});
    std::vector<std::vector<weighted_product>> carts;
    std::mt19937_64 rng(8);
    std::uniform_int_distribution<std::int64_t> product(1, 200);
    for (int i = 0; i < 50; ++i) {
        std::vector<weighted_product> cart;
        for (int j = 0; j < 5; ++j) cart.push_back({pid(product(rng)), 1.0});
        carts.push_back(cart);
    }
    std::vector<std::vector<scored_product>> expected;
    for (const auto& cart : carts) expected.push_back(index.for_items(cart, 10));
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 20; ++round) {
                for (std::size_t i = 0; i < carts.size(); ++i) {
                    const std::size_t c = (i + static_cast<std::size_t>(t)) % carts.size();
                    if (index.for_items(carts[c], 10) != expected[c]) ++mismatches;
                }
            }
        });
    }
    for (std::thread& th : threads) th.join();
    EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace shopcore::detail

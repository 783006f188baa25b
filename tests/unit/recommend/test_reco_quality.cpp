// Recommendation quality on generated data, at a size a Debug unit test can afford (the same
// generators run at 1,000,000 orders in benchmarks/bench_reco.cpp; numbers in
// benchmarks/README.md):
// - planted pairs: products bought together on purpose in a Zipf background; the partner must
//   be in related()'s top 3 for at least 95% of queries;
// - hold-out: users with favourite themes; each user's last order is hidden and for_user()
//   must find its products more often than the most popular products do (hit rate at 10).

#include <cstddef>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "reco_data.hpp"
#include "recommend/cooccurrence_index.hpp"

namespace shopcore::detail {
namespace {

using reco_data::zipf_catalog;

// Share of planted pairs (both directions) whose partner is in related()'s top 3.
double planted_top3(cooccurrence_settings settings) {
    constexpr std::uint32_t products = 5000;
    constexpr std::size_t background = 50000;
    constexpr std::size_t pairs = 300;
    const zipf_catalog zipf(products, 42);
    std::mt19937_64 rng(7);
    std::geometric_distribution<int> extra(0.3);
    basket_list orders;
    for (std::size_t i = 0; i < background; ++i) {
        for (int j = 1 + std::min(extra(rng), 19); j > 0; --j) orders.append(zipf.draw(rng));
        orders.close_basket();
    }
    const auto ids = reco_data::plant_pairs(orders, zipf, products, pairs, rng);
    cooccurrence_index index(settings);
    index.build(orders, {});
    return reco_data::planted_top3(index, ids, pairs);
}

TEST(RecoQuality, PlantedPartnerIsInTheTopThree) {
    const double share = planted_top3({});
    std::cout << "[ planted ] partner in top 3: " << share * 100 << " %\n";
    RecordProperty("planted_top3_percent", std::to_string(share * 100));
    EXPECT_GE(share, 0.95);
}

TEST(RecoQuality, HoldoutHitRateBeatsMostPopular) {
    const reco_data::shop_history h = reco_data::generate_history(77, 5000, 250, 6000);
    const reco_data::holdout_result r = reco_data::holdout(h, {});
    std::cout << "[ holdout ] " << r.users << " users: hit rate at 10 " << r.hit_rate * 100
              << " % (index) vs " << r.popular_hit_rate * 100 << " % (most popular)\n";
    RecordProperty("hit_rate_percent", std::to_string(r.hit_rate * 100));
    RecordProperty("popular_hit_rate_percent", std::to_string(r.popular_hit_rate * 100));
    ASSERT_GT(r.users, 3000U);
    EXPECT_GT(r.hit_rate, r.popular_hit_rate);
}

}  // namespace
}  // namespace shopcore::detail

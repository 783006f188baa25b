#ifndef SHOPCORE_TESTS_SUPPORT_RECO_DATA_HPP
#define SHOPCORE_TESTS_SUPPORT_RECO_DATA_HPP

// Generated shops for the recommendation quality checks: the unit tests run them at a size a
// Debug build affords (tests/unit/recommend/test_reco_quality.cpp), the benchmarks at scale
// (benchmarks/bench_reco.cpp). Header-only; everything is deterministic for a seed.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include <shopcore/core/ids.hpp>

#include "recommend/cooccurrence_index.hpp"

namespace shopcore::detail::reco_data {

/// Zipf(1) popularity over `n` products with shuffled ids 1..n.
class zipf_catalog {
public:
    zipf_catalog(std::uint32_t n, std::uint64_t seed) : id_of_rank_(n) {
        cdf_.reserve(n);
        double sum = 0;
        for (std::uint32_t r = 1; r <= n; ++r) {
            sum += 1.0 / static_cast<double>(r);
            cdf_.push_back(sum);
        }
        for (double& c : cdf_) c /= sum;
        std::iota(id_of_rank_.begin(), id_of_rank_.end(), 1U);
        std::mt19937_64 rng(seed);
        std::shuffle(id_of_rank_.begin(), id_of_rank_.end(), rng);
    }
    template <class Rng>
    product_id draw(Rng& rng) const {
        const double u = std::uniform_real_distribution<double>(0, 1)(rng);
        const auto r =
            static_cast<std::size_t>(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
        return product_id(id_of_rank_[std::min(r, id_of_rank_.size() - 1)]);
    }
    [[nodiscard]] std::uint32_t id_of_rank(std::size_t rank) const { return id_of_rank_[rank]; }

private:
    std::vector<double> cdf_;
    std::vector<std::uint32_t> id_of_rank_;
};

/// Appends `pairs` planted pairs to `orders`: pairs of uniformly drawn products 1..`products`
/// (most are rare, some are popular), each bought together in 5 to 15 orders that also hold
/// Zipf noise from `noise`. Returns the shuffled ids: pair i is (ids[2i], ids[2i + 1]).
template <class Rng>
std::vector<std::uint32_t> plant_pairs(basket_list& orders, const zipf_catalog& noise,
                                       std::uint32_t products, std::size_t pairs, Rng& rng) {
    std::vector<std::uint32_t> ids(products);
    std::iota(ids.begin(), ids.end(), 1U);
    std::shuffle(ids.begin(), ids.end(), rng);
    std::uniform_int_distribution<int> times(5, 15);
    std::geometric_distribution<int> extra(0.5);
    for (std::size_t i = 0; i < pairs; ++i) {
        for (int t = times(rng); t > 0; --t) {
            orders.append(product_id(ids[2 * i]));
            orders.append(product_id(ids[2 * i + 1]));
            for (int j = std::min(extra(rng), 18); j > 0; --j) orders.append(noise.draw(rng));
            orders.close_basket();
        }
    }
    return ids;
}

/// Share of the planted pairs (both directions) whose partner is in related()'s top 3.
inline double planted_top3(const cooccurrence_index& index, const std::vector<std::uint32_t>& ids,
                           std::size_t pairs) {
    std::size_t hits = 0;
    for (std::size_t i = 0; i < pairs; ++i) {
        const product_id a(ids[2 * i]);
        const product_id b(ids[2 * i + 1]);
        for (const auto& [query, partner] : {std::pair{a, b}, std::pair{b, a}}) {
            for (const scored_product& s : index.related(query, 3)) {
                if (s.product == partner) ++hits;
            }
        }
    }
    return static_cast<double>(hits) / static_cast<double>(2 * pairs);
}

/// A shop of users with favourite themes, by user, each user's orders in the order placed.
struct shop_history {
    std::vector<std::vector<std::vector<product_id>>> orders_of_user;
    std::vector<user_like> likes;
};

/// Users with 1-2 favourite themes (theme = (id - 1) % themes) place 2-10 orders; each order
/// takes 60% of its products from the user's themes (by popularity within the theme) and 40%
/// from the global Zipf; users like a few products of their first theme.
inline shop_history generate_history(std::uint64_t seed, std::uint32_t n_products,
                                     std::uint32_t themes, std::uint32_t users) {
    const zipf_catalog popularity(n_products, seed);
    // Products of each theme with their Zipf weights.
    std::vector<std::vector<std::uint32_t>> theme_products(themes);
    std::vector<std::vector<double>> theme_cdf(themes);
    for (std::size_t rank = 0; rank < n_products; ++rank) {
        const std::uint32_t id = popularity.id_of_rank(rank);
        const std::uint32_t t = (id - 1) % themes;
        theme_products[t].push_back(id);
        const double w = 1.0 / static_cast<double>(rank + 1);
        theme_cdf[t].push_back((theme_cdf[t].empty() ? 0.0 : theme_cdf[t].back()) + w);
    }
    std::mt19937_64 rng(seed + 1);
    std::uniform_real_distribution<double> coin(0, 1);
    std::uniform_int_distribution<std::uint32_t> any_theme(0, themes - 1);
    std::geometric_distribution<int> extra_orders(0.5);
    std::geometric_distribution<int> extra_items(0.3);
    std::geometric_distribution<int> like_count(0.4);
    const auto from_theme = [&](std::uint32_t t) {
        const auto& cdf = theme_cdf[t];
        const double u = coin(rng) * cdf.back();
        const auto i =
            static_cast<std::size_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
        return product_id(theme_products[t][std::min(i, cdf.size() - 1)]);
    };
    shop_history h;
    h.orders_of_user.resize(users);
    for (std::uint32_t u = 0; u < users; ++u) {
        std::vector<std::uint32_t> favourite{any_theme(rng)};
        if (coin(rng) < 0.3) favourite.push_back(any_theme(rng));
        const int orders = 2 + std::min(extra_orders(rng), 8);
        for (int o = 0; o < orders; ++o) {
            std::vector<product_id> basket;
            const int size = 1 + std::min(extra_items(rng), 19);
            for (int j = 0; j < size; ++j) {
                if (coin(rng) < 0.6) {
                    basket.push_back(from_theme(favourite[static_cast<std::size_t>(
                        coin(rng) * static_cast<double>(favourite.size()))]));
                } else {
                    basket.push_back(popularity.draw(rng));
                }
            }
            h.orders_of_user[u].push_back(std::move(basket));
        }
        for (int l = like_count(rng); l > 0; --l) {
            h.likes.push_back({user_id(u + 1), from_theme(favourite[0])});
        }
    }
    return h;
}

/// What the hold-out evaluation found.
struct holdout_result {
    double hit_rate = 0;           ///< users whose top 10 from for_user() holds a hidden product
    double popular_hit_rate = 0;   ///< the same for the 10 most popular products not bought
    std::size_t users = 0;         ///< users whose last order holds something not bought before
    std::size_t train_orders = 0;  ///< orders the index was built from
};

/// Hides each user's last order, builds the index from the rest (and the likes), and counts
/// a hit when the user's top 10 holds a hidden product they had not bought before.
inline holdout_result holdout(const shop_history& h, const cooccurrence_settings& settings) {
    holdout_result r;
    basket_list train;
    for (const auto& mine : h.orders_of_user) {
        for (std::size_t o = 0; o + 1 < mine.size(); ++o) {
            train.add(mine[o]);
            ++r.train_orders;
        }
    }
    cooccurrence_index index(settings);
    index.build(train, h.likes);
    const auto top = index.most_popular(200);
    std::size_t hits = 0;
    std::size_t popular_hits = 0;
    std::vector<product_id> bought;
    for (std::size_t u = 0; u < h.orders_of_user.size(); ++u) {
        const auto& mine = h.orders_of_user[u];
        bought.clear();
        for (std::size_t o = 0; o + 1 < mine.size(); ++o) {
            bought.insert(bought.end(), mine[o].begin(), mine[o].end());
        }
        std::sort(bought.begin(), bought.end());
        bought.erase(std::unique(bought.begin(), bought.end()), bought.end());
        const auto was_bought = [&bought](product_id p) {
            return std::binary_search(bought.begin(), bought.end(), p);
        };
        std::vector<product_id> hidden;
        for (const product_id p : mine.back()) {
            if (!was_bought(p)) hidden.push_back(p);
        }
        if (hidden.empty()) continue;  // nothing new to find
        ++r.users;
        const auto is_hidden = [&hidden](product_id p) {
            return std::find(hidden.begin(), hidden.end(), p) != hidden.end();
        };
        const auto recs = index.for_user(user_id(static_cast<std::int64_t>(u + 1)), bought, 10);
        if (std::any_of(recs.begin(), recs.end(),
                        [&](const scored_product& s) { return is_hidden(s.product); })) {
            ++hits;
        }
        std::size_t shown = 0;
        for (const scored_product& s : top) {
            if (shown == 10) break;
            if (was_bought(s.product)) continue;
            ++shown;
            if (is_hidden(s.product)) {
                ++popular_hits;
                break;
            }
        }
    }
    r.hit_rate = static_cast<double>(hits) / static_cast<double>(r.users);
    r.popular_hit_rate = static_cast<double>(popular_hits) / static_cast<double>(r.users);
    return r;
}

}  // namespace shopcore::detail::reco_data

#endif  // SHOPCORE_TESTS_SUPPORT_RECO_DATA_HPP

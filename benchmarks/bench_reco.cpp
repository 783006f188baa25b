// Recommendation benchmarks, each beside the reference it is judged against (issue 6 item 6;
// results in benchmarks/README.md). The index is detail::cooccurrence_index
// (src/recommend/cooccurrence_index.hpp), top-50 cosine neighbours per product.
//
// Data (fixed seeds): 100,000 products with Zipf(1.0) popularity over shuffled ids; orders of
// 1 + Geometric(0.3) products capped at 20 (3.3 distinct on average), as in the performance
// anchors (shared/reference/performance-anchors.md section 4). 1,010,000 orders are drawn: the
// first 100,000 or 1,000,000 are built from, the last 10,000 are the incremental batch. Carts
// are 5 distinct products drawn from the same Zipf.
//
// The index runs with the settings a shop's recommender uses by default for the history it is
// built from: min_support chosen by automatic_min_support(), 2 (pairs seen once left out) from
// 100,000 orders, so for both builds here. The *MinSupport1 variants are the plain cosine at
// 1,000,000 orders, informative.
//
// BM_Reco_Build/N builds the index from N orders (cooccurrence_index::build: ids mapped,
// baskets de-duplicated, pair counts by inverted index and dense counter, top-50 per product
// with its bound and alarms). Counters: the index's own heap bytes and the process's peak RSS
// (run it alone to read the peak of the build; the orders themselves take about 35 MB).
// BM_Ref_CoocBuildInvIndex/N is the plain Amazon-style build written straightforwardly: orders
// de-duplicated into flat arrays, inverted index (vector per product), dense counter, cosine
// as float, std::partial_sort to the top 50 per product.
//
// BM_Reco_Cart/5 is one cart query: for_items() over 5 products, top 10, cart excluded, with
// the integrator's "out of stock" predicate (2% of products, a bit vector). 4096 carts are
// cycled. BM_Ref_MergeTopK/5 merges the same 5 products' precomputed top-50 lists from the
// reference build into a top 10 (std::unordered_map accumulation, std::partial_sort), no
// predicate. Both also time 20,000 single queries and report p50_us and p99_us.
//
// BM_Reco_Incremental/10000 folds the last 10,000 orders into the 1,000,000-order index, one
// add_order() each; compare with BM_Reco_Build/1000000, the rebuild it replaces. Each
// iteration starts from a fresh build (made and destroyed with the timer paused), the index as
// a shop holds it after opening: a copy would not do, as it holds the alarm heaps without the
// room build() reserves for them.
//
// BM_Reco_BuildMinSupport1/1000000 and BM_Reco_IncrementalMinSupport1/10000 are the same with
// min_support 1. BM_Reco_Related is related() for one product, top 10, and
// BM_Reco_RemoveOrder/1000 removes 1,000 of the orders the index was built from, as
// cancellations do (both informative).
//
// BM_Ref_SqlSelfJoinCart/5 is the same cart query as a web application would write it: one
// SQL self-join over order_line(order_id, product_id) holding the 1,000,000 orders (in-memory
// SQLite, both covering indexes), counting co-purchases, top 10, cart excluded. It cycles the
// first 64 carts.
//
// BM_Reco_Quality_* compute the quality numbers at scale (one iteration; counters):
// Planted: 1,000,000 background orders plus 2,000 planted pairs of uniformly drawn products,
// each bought together in 5-15 orders with Zipf noise products; counter top3 is the share of
// queries (both sides of each pair) whose planted partner is in related()'s top 3.
// Holdout/M/U: 100,000 products in 5,000 themes, U users with 1-2 favourite themes (500,000
// users place about 1,000,000 orders; 20,000 and 100,000 show smaller shops); each
// order takes 60% of its products from the user's themes and 40% from the global Zipf; users
// also like a few products of their themes. Each user's last order is hidden; the index is
// built from the rest (and the likes) and for_user() (purchases and likes) gives a top 10;
// a hit is a hidden product (not bought before) in the top 10. The baseline is the 10 most
// popular products not bought before. Counters: hit_rate and popular_hit_rate. Both are run
// with min_support M of 1 and 2.

#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <functional>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <shopcore/core/ids.hpp>

#include "reco_data.hpp"
#include "recommend/cooccurrence_index.hpp"

namespace {

using shopcore::product_id;
using shopcore::user_id;
using shopcore::detail::basket_list;
using shopcore::detail::cooccurrence_index;
using shopcore::detail::cooccurrence_settings;
namespace reco_data = shopcore::detail::reco_data;
using reco_data::zipf_catalog;
using shopcore::detail::scored_product;
using shopcore::detail::user_like;
using shopcore::detail::weighted_product;

constexpr std::uint32_t catalog = 100000;
constexpr std::size_t build_orders = 1000000;
constexpr std::size_t batch_orders = 10000;
constexpr std::size_t cart_size = 5;
constexpr std::size_t cart_count = 4096;

double peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double current_rss_mb() {
    std::ifstream statm("/proc/self/statm");
    std::size_t pages = 0;
    std::size_t resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * 4096.0 / (1024.0 * 1024.0);
}

const zipf_catalog& products() {
    static const zipf_catalog z(catalog, 42);
    return z;
}

// Orders as the anchors describe them: 1 + Geometric(0.3) draws capped at 20.
basket_list make_orders(std::size_t count, std::uint64_t seed) {
    basket_list out;
    out.reserve(count, count * 4);
    std::mt19937_64 rng(seed);
    std::geometric_distribution<int> extra(0.3);
    for (std::size_t i = 0; i < count; ++i) {
        const int size = 1 + std::min(extra(rng), 19);
        for (int j = 0; j < size; ++j) out.append(products().draw(rng));
        out.close_basket();
    }
    return out;
}

// The first 1,000,000 orders; the next 10,000 are the incremental batch.
const basket_list& all_orders() {
    static const basket_list orders = make_orders(build_orders + batch_orders, 7);
    return orders;
}

// The first `count` of them (the generator is sequential), without the rest.
basket_list first_orders(std::size_t count) { return make_orders(count, 7); }

const std::vector<std::vector<product_id>>& carts() {
    static const std::vector<std::vector<product_id>> c = [] {
        std::vector<std::vector<product_id>> out;
        std::mt19937_64 rng(99);
        for (std::size_t i = 0; i < cart_count; ++i) {
            std::vector<product_id> cart;
            while (cart.size() < cart_size) {
                const product_id p = products().draw(rng);
                if (std::find(cart.begin(), cart.end(), p) == cart.end()) cart.push_back(p);
            }
            out.push_back(std::move(cart));
        }
        return out;
    }();
    return c;
}

// What a shop's recommender uses by default for a history of `orders` orders.
cooccurrence_settings default_settings(std::size_t orders) {
    cooccurrence_settings settings;
    settings.min_support = shopcore::detail::automatic_min_support(orders);
    return settings;
}

// The plain cosine: every pair counts.
cooccurrence_settings plain_cosine() {
    cooccurrence_settings settings;
    settings.min_support = 1;
    return settings;
}

const basket_list& training_orders() {
    static const basket_list orders = first_orders(build_orders);
    return orders;
}

const cooccurrence_index& full_index() {
    static const cooccurrence_index index = [] {
        cooccurrence_index built(default_settings(build_orders));
        built.build(training_orders(), {});
        return built;
    }();
    return index;
}

// ---- reference kernels ------------------------------------------------------------------

using ref_lists = std::vector<std::vector<std::pair<std::uint32_t, float>>>;

// The plain Amazon-style build: inverted index, dense counter, partial sort per product.
ref_lists reference_build(const basket_list& orders, std::size_t count) {
    std::vector<std::uint32_t> items;
    std::vector<std::size_t> start{0};
    items.reserve(orders.item_count());
    start.reserve(count + 1);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t from = items.size();
        for (const product_id p : orders[i]) items.push_back(static_cast<std::uint32_t>(p.value()));
        std::sort(items.begin() + static_cast<std::ptrdiff_t>(from), items.end());
        items.erase(std::unique(items.begin() + static_cast<std::ptrdiff_t>(from), items.end()),
                    items.end());
        start.push_back(items.size());
    }
    std::vector<std::vector<std::uint32_t>> orders_of(catalog + 1);
    for (std::size_t o = 0; o < count; ++o) {
        for (std::size_t j = start[o]; j < start[o + 1]; ++j) {
            orders_of[items[j]].push_back(static_cast<std::uint32_t>(o));
        }
    }
    ref_lists top(catalog + 1);
    std::vector<std::uint32_t> counter(catalog + 1, 0);
    std::vector<std::uint32_t> touched;
    std::vector<std::pair<float, std::uint32_t>> candidates;
    for (std::uint32_t x = 1; x <= catalog; ++x) {
        touched.clear();
        for (const std::uint32_t o : orders_of[x]) {
            for (std::size_t j = start[o]; j < start[o + 1]; ++j) {
                const std::uint32_t y = items[j];
                if (y != x && counter[y]++ == 0) touched.push_back(y);
            }
        }
        candidates.clear();
        const auto nx = static_cast<float>(orders_of[x].size());
        for (const std::uint32_t y : touched) {
            const auto ny = static_cast<float>(orders_of[y].size());
            candidates.emplace_back(static_cast<float>(counter[y]) / std::sqrt(nx * ny), y);
            counter[y] = 0;
        }
        const std::size_t k = std::min<std::size_t>(50, candidates.size());
        std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k),
                          candidates.end(), std::greater<>());
        top[x].reserve(k);
        for (std::size_t i = 0; i < k; ++i)
            top[x].emplace_back(candidates[i].second, candidates[i].first);
    }
    return top;
}

const ref_lists& reference_lists() {
    static const ref_lists lists = reference_build(all_orders(), build_orders);
    return lists;
}

// Merge 5 precomputed top-50 lists into a top 10, cart excluded.
std::vector<std::pair<std::uint32_t, float>> reference_merge(
    const ref_lists& lists, const std::vector<product_id>& cart,
    std::unordered_map<std::uint32_t, float>& scores) {
    scores.clear();
    for (const product_id p : cart) {
        for (const auto& [y, s] : lists[static_cast<std::size_t>(p.value())]) scores[y] += s;
    }
    for (const product_id p : cart) scores.erase(static_cast<std::uint32_t>(p.value()));
    std::vector<std::pair<std::uint32_t, float>> ranked(scores.begin(), scores.end());
    const std::size_t k = std::min<std::size_t>(10, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(),
                      [](const auto& a, const auto& b) {
                          return a.second > b.second || (a.second == b.second && a.first < b.first);
                      });
    ranked.resize(k);
    return ranked;
}

// Times `count` single calls of `query(i)` and sets p50_us and p99_us.
template <class Query>
void latency_counters(benchmark::State& state, std::size_t count, const Query& query) {
    std::vector<double> micros;
    micros.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        query(i);
        const auto t1 = std::chrono::steady_clock::now();
        micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    std::sort(micros.begin(), micros.end());
    state.counters["p50_us"] = micros[micros.size() / 2];
    state.counters["p99_us"] = micros[micros.size() * 99 / 100];
}

// ---- build ------------------------------------------------------------------------------

void build_benchmark(benchmark::State& state, cooccurrence_settings settings) {
    const auto count = static_cast<std::size_t>(state.range(0));
    const basket_list orders = first_orders(count);
    const double before_mb = current_rss_mb();
    std::size_t bytes = 0;
    std::size_t neighbours = 0;
    for (auto _ : state) {
        cooccurrence_index index(settings);
        index.build(orders, {});
        bytes = index.memory_bytes();
        benchmark::DoNotOptimize(index);
    }
    {
        cooccurrence_index index(settings);
        index.build(orders, {});
        for (std::uint32_t p = 1; p <= catalog; ++p) {
            neighbours += index.related(product_id(p), 50).size();
        }
    }
    state.counters["index_mb"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
    state.counters["rss_before_mb"] = before_mb;
    state.counters["peak_rss_mb"] = peak_rss_mb();
    state.counters["neighbours_m"] = static_cast<double>(neighbours) / 1e6;
}

void BM_Reco_Build(benchmark::State& state) {
    build_benchmark(state, default_settings(static_cast<std::size_t>(state.range(0))));
}
BENCHMARK(BM_Reco_Build)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same with min_support 1 (every pair; informative).
void BM_Reco_BuildMinSupport1(benchmark::State& state) { build_benchmark(state, plain_cosine()); }
BENCHMARK(BM_Reco_BuildMinSupport1)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Ref_CoocBuildInvIndex(benchmark::State& state) {
    const auto count = static_cast<std::size_t>(state.range(0));
    const basket_list orders = first_orders(count);
    const double before_mb = current_rss_mb();
    std::size_t neighbours = 0;
    for (auto _ : state) {
        const ref_lists lists = reference_build(orders, count);
        neighbours = 0;
        for (const auto& l : lists) neighbours += l.size();
        benchmark::DoNotOptimize(lists.data());
    }
    state.counters["rss_before_mb"] = before_mb;
    state.counters["peak_rss_mb"] = peak_rss_mb();
    state.counters["neighbours_m"] = static_cast<double>(neighbours) / 1e6;
}
BENCHMARK(BM_Ref_CoocBuildInvIndex)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// ---- cart query -------------------------------------------------------------------------

std::vector<bool> out_of_stock() {
    std::vector<bool> out(catalog + 1, false);
    std::mt19937_64 rng(5);
    std::uniform_int_distribution<std::uint32_t> pick(1, catalog);
    for (std::uint32_t i = 0; i < catalog / 50; ++i) out[pick(rng)] = true;
    return out;
}

void BM_Reco_Cart(benchmark::State& state) {
    const cooccurrence_index& index = full_index();
    const auto& pool = carts();
    std::vector<std::vector<weighted_product>> queries;
    for (const auto& cart : pool) {
        std::vector<weighted_product> q;
        for (std::size_t i = 0; i < static_cast<std::size_t>(state.range(0)); ++i) {
            q.push_back({cart[i], 1.0});
        }
        queries.push_back(std::move(q));
    }
    const std::vector<bool> oos = out_of_stock();
    const cooccurrence_index::exclude_fn unavailable = [&oos](product_id p) {
        return oos[static_cast<std::size_t>(p.value())];
    };
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = index.for_items(queries[i++ % cart_count], 10, unavailable);
        benchmark::DoNotOptimize(r.data());
    }
    latency_counters(state, 20000, [&](std::size_t j) {
        auto r = index.for_items(queries[j % cart_count], 10, unavailable);
        benchmark::DoNotOptimize(r.data());
    });
}
BENCHMARK(BM_Reco_Cart)->Arg(5);

void BM_Ref_MergeTopK(benchmark::State& state) {
    const ref_lists& lists = reference_lists();
    const auto& pool = carts();
    std::unordered_map<std::uint32_t, float> scores;
    scores.reserve(512);
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = reference_merge(lists, pool[i++ % cart_count], scores);
        benchmark::DoNotOptimize(r.data());
    }
    latency_counters(state, 20000, [&](std::size_t j) {
        auto r = reference_merge(lists, pool[j % cart_count], scores);
        benchmark::DoNotOptimize(r.data());
    });
}
BENCHMARK(BM_Ref_MergeTopK)->Arg(5);

// Related products of one product (informative: the product page).
void BM_Reco_Related(benchmark::State& state) {
    const cooccurrence_index& index = full_index();
    const auto& pool = carts();
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = index.related(pool[i++ % cart_count][0], 10);
        benchmark::DoNotOptimize(r.data());
    }
}
BENCHMARK(BM_Reco_Related);

// ---- incremental ------------------------------------------------------------------------

void incremental_benchmark(benchmark::State& state, const cooccurrence_settings& settings) {
    const auto count = static_cast<std::size_t>(state.range(0));
    const basket_list& orders = all_orders();
    for (auto _ : state) {
        state.PauseTiming();
        cooccurrence_index index(settings);
        index.build(training_orders(), {});
        state.ResumeTiming();
        for (std::size_t i = build_orders; i < build_orders + count; ++i)
            index.add_order(orders[i]);
        benchmark::DoNotOptimize(index);
        state.PauseTiming();
        { const cooccurrence_index discard = std::move(index); }
        state.ResumeTiming();
    }
}

void BM_Reco_Incremental(benchmark::State& state) {
    incremental_benchmark(state, default_settings(build_orders));
}
BENCHMARK(BM_Reco_Incremental)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(5);

void BM_Reco_IncrementalMinSupport1(benchmark::State& state) {
    incremental_benchmark(state, plain_cosine());
}
BENCHMARK(BM_Reco_IncrementalMinSupport1)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(5);

// Cancellations (informative): remove_order() of `count` distinct orders the index was built
// from, each iteration on a fresh build (made with the timer paused), as a shop that cancels.
void BM_Reco_RemoveOrder(benchmark::State& state) {
    const auto count = static_cast<std::size_t>(state.range(0));
    const basket_list& orders = training_orders();
    std::vector<std::size_t> picks(build_orders);
    std::iota(picks.begin(), picks.end(), std::size_t{0});
    std::mt19937_64 rng(11);
    std::shuffle(picks.begin(), picks.end(), rng);
    picks.resize(count);
    std::size_t removed = 0;
    for (auto _ : state) {
        state.PauseTiming();
        cooccurrence_index index(default_settings(build_orders));
        index.build(orders, {});
        state.ResumeTiming();
        removed = 0;
        for (const std::size_t o : picks) removed += index.remove_order(orders[o]) ? 1 : 0;
        benchmark::DoNotOptimize(index);
        state.PauseTiming();
        { const cooccurrence_index discard = std::move(index); }
        state.ResumeTiming();
    }
    state.counters["removed"] = static_cast<double>(removed);
}
BENCHMARK(BM_Reco_RemoveOrder)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

// ---- the SQL a web application would write ----------------------------------------------

class sqlite_orders {
public:
    sqlite_orders() {
        check(sqlite3_open(":memory:", &db_));
        exec("CREATE TABLE order_line(order_id INTEGER NOT NULL, product_id INTEGER NOT NULL)");
        exec("BEGIN");
        sqlite3_stmt* insert = nullptr;
        check(
            sqlite3_prepare_v2(db_, "INSERT INTO order_line VALUES(?1, ?2)", -1, &insert, nullptr));
        const basket_list& orders = all_orders();
        std::vector<std::int64_t> basket;
        for (std::size_t o = 0; o < build_orders; ++o) {
            basket.clear();
            for (const product_id p : orders[o]) basket.push_back(p.value());
            std::sort(basket.begin(), basket.end());
            basket.erase(std::unique(basket.begin(), basket.end()), basket.end());
            for (const std::int64_t p : basket) {
                sqlite3_bind_int64(insert, 1, static_cast<std::int64_t>(o + 1));
                sqlite3_bind_int64(insert, 2, p);
                if (sqlite3_step(insert) != SQLITE_DONE) throw std::runtime_error("insert");
                sqlite3_reset(insert);
            }
        }
        sqlite3_finalize(insert);
        exec("COMMIT");
        exec("CREATE INDEX order_line_product ON order_line(product_id, order_id)");
        exec("CREATE INDEX order_line_order ON order_line(order_id, product_id)");
        exec("ANALYZE");
        check(sqlite3_prepare_v2(db_,
                                 "SELECT b.product_id, COUNT(*) AS together "
                                 "FROM order_line a JOIN order_line b ON b.order_id = a.order_id "
                                 "WHERE a.product_id IN (?1, ?2, ?3, ?4, ?5) "
                                 "AND b.product_id NOT IN (?1, ?2, ?3, ?4, ?5) "
                                 "GROUP BY b.product_id ORDER BY together DESC, b.product_id "
                                 "LIMIT 10",
                                 -1, &query_, nullptr));
    }
    sqlite_orders(const sqlite_orders&) = delete;
    sqlite_orders& operator=(const sqlite_orders&) = delete;
    ~sqlite_orders() {
        sqlite3_finalize(query_);
        sqlite3_close(db_);
    }

    std::vector<std::pair<std::int64_t, std::int64_t>> together(
        const std::vector<product_id>& cart) {
        for (int i = 0; i < 5; ++i) {
            sqlite3_bind_int64(query_, i + 1, cart[static_cast<std::size_t>(i)].value());
        }
        std::vector<std::pair<std::int64_t, std::int64_t>> out;
        while (sqlite3_step(query_) == SQLITE_ROW) {
            out.emplace_back(sqlite3_column_int64(query_, 0), sqlite3_column_int64(query_, 1));
        }
        sqlite3_reset(query_);
        return out;
    }

private:
    void check(int rc) const {
        if (rc != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db_));
    }
    void exec(const char* sql) { check(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr)); }

    sqlite3* db_ = nullptr;
    sqlite3_stmt* query_ = nullptr;
};

void BM_Ref_SqlSelfJoinCart(benchmark::State& state) {
    static sqlite_orders db;
    const auto& pool = carts();
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = db.together(pool[i++ % 64]);
        benchmark::DoNotOptimize(r.data());
    }
}
BENCHMARK(BM_Ref_SqlSelfJoinCart)
    ->Arg(5)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(64);

// ---- quality at scale -------------------------------------------------------------------

void BM_Reco_Quality_Planted(benchmark::State& state) {
    cooccurrence_settings settings;
    settings.min_support = static_cast<std::uint32_t>(state.range(0));
    basket_list orders = first_orders(build_orders);
    std::mt19937_64 rng(2024);
    constexpr std::size_t pairs = 2000;
    const auto ids = reco_data::plant_pairs(orders, products(), catalog, pairs, rng);
    double share = 0;
    for (auto _ : state) {
        cooccurrence_index index(settings);
        index.build(orders, {});
        share = reco_data::planted_top3(index, ids, pairs);
    }
    state.counters["top3"] = share;
}
BENCHMARK(BM_Reco_Quality_Planted)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->Repetitions(1)
    ->Unit(benchmark::kSecond);

void BM_Reco_Quality_Holdout(benchmark::State& state) {
    cooccurrence_settings settings;
    settings.min_support = static_cast<std::uint32_t>(state.range(0));
    const auto h =
        reco_data::generate_history(77, catalog, 5000, static_cast<std::uint32_t>(state.range(1)));
    reco_data::holdout_result r;
    for (auto _ : state) r = reco_data::holdout(h, settings);
    state.counters["hit_rate"] = r.hit_rate;
    state.counters["popular_hit_rate"] = r.popular_hit_rate;
    state.counters["users"] = static_cast<double>(r.users);
    state.counters["train_orders"] = static_cast<double>(r.train_orders);
}
BENCHMARK(BM_Reco_Quality_Holdout)
    ->ArgsProduct({{1, 2}, {20000, 100000, 500000}})
    ->Iterations(1)
    ->Repetitions(1)
    ->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();

// Shipping benchmarks, each beside the reference kernel it is judged against (issue 4 item 6;
// results in benchmarks/README.md).
//
// Data: one method with N weight bands (limits 1000 g apart, charges rising; zone "IR", no value
// rules), and 1024 random weights within the bands from a fixed seed, cycled through with an
// index so that nothing can be constant-folded. Goods value 1,000,000.00 IRR, destination
// IR/Tehran, so the one method always applies and every call yields one quote.
//
// - BM_Shipping_Quote/N (target: at most 3x BM_Ref_LowerBound/N): one call of
//   shipping_calculator::quote_into() into a vector reused across iterations, the form the docs
//   recommend for hot loops. Includes the argument checks, the zone and availability tests, the
//   band search, the value-rule checks (none configured) and writing the quote's facts. The
//   code is compared with the reused element's and, being the same every time here, not
//   copied. No allocation once the vector has grown (first iteration).
// - BM_Shipping_QuoteAlloc/N (informative): one call of quote(), which also allocates, fills and
//   frees the returned vector.
// - BM_Shipping_Explain/10 (informative): one call of explain() on a ready quote (quotes for all
//   1024 weights are made before timing), i.e. formatting the text, one string allocation.
// - BM_Ref_LowerBound/N: std::lower_bound over the same sorted int64 limits returning the charge
//   in minor units: the least a band lookup can cost.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include <shopcore/core/currency.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/core/weight.hpp>
#include <shopcore/shipping/shipping_calculator.hpp>
#include <shopcore/shipping/shipping_rule.hpp>

namespace {

using shopcore::currency;
using shopcore::money;
using shopcore::shipping_calculator;
using shopcore::shipping_destination;
using shopcore::shipping_method;
using shopcore::shipping_quote;
using shopcore::weight;

constexpr std::size_t count = 1024;
constexpr std::size_t mask = count - 1;
constexpr std::int64_t band_width = 1000;

struct data_set {
    std::vector<std::int64_t> limits;   // band upper limits in grams, sorted
    std::vector<std::int64_t> charges;  // band charges in minor units
    std::vector<std::int64_t> grams;    // parcel weights, 1 .. top limit
    shipping_method method;
};

data_set make_data(std::int64_t bands) {
    const currency irr = currency::of("IRR");
    data_set d;
    d.method.code = "post";
    d.method.name = "Post";
    d.method.zones = {{"IR", ""}};
    for (std::int64_t i = 1; i <= bands; ++i) {
        d.limits.push_back(i * band_width);
        d.charges.push_back(2000000 + i * 100000);
        d.method.bands.push_back(
            {weight::of_grams(d.limits.back()), money::of_minor(d.charges.back(), irr)});
    }
    std::mt19937_64 rng(20261129);
    std::uniform_int_distribution<std::int64_t> dist(1, bands * band_width);
    for (std::size_t i = 0; i < count; ++i) d.grams.push_back(dist(rng));
    return d;
}

// One method of state.range(0) bands, a goods value, a destination and the weights to cycle.
struct quote_setup {
    explicit quote_setup(std::int64_t bands)
        : d(make_data(bands)),
          calc({d.method}, currency::of("IRR")),
          value(money::of_minor(100000000, currency::of("IRR"))) {
        for (const std::int64_t g : d.grams) weights.push_back(weight::of_grams(g));
    }
    data_set d;
    shipping_calculator calc;
    money value;
    shipping_destination to{"IR", "Tehran"};
    std::vector<weight> weights;
};

void BM_Shipping_Quote(benchmark::State& state) {
    const quote_setup q(state.range(0));
    std::vector<shipping_quote> quotes;
    std::size_t i = 0;
    for (auto _ : state) {
        q.calc.quote_into(q.weights[i++ & mask], q.value, q.to, quotes);
        benchmark::DoNotOptimize(quotes.data());
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_Shipping_Quote)->Arg(10)->Arg(1000);

void BM_Shipping_QuoteAlloc(benchmark::State& state) {
    const quote_setup q(state.range(0));
    std::size_t i = 0;
    for (auto _ : state) {
        auto quotes = q.calc.quote(q.weights[i++ & mask], q.value, q.to);
        benchmark::DoNotOptimize(quotes);
    }
}
BENCHMARK(BM_Shipping_QuoteAlloc)->Arg(10)->Arg(1000);

void BM_Shipping_Explain(benchmark::State& state) {
    const quote_setup q(state.range(0));
    std::vector<shipping_quote> quotes;
    for (const weight w : q.weights) quotes.push_back(q.calc.quote(w, q.value, q.to).at(0));
    std::size_t i = 0;
    for (auto _ : state) {
        auto text = q.calc.explain(quotes[i++ & mask]);
        benchmark::DoNotOptimize(text);
    }
}
BENCHMARK(BM_Shipping_Explain)->Arg(10);

void BM_Ref_LowerBound(benchmark::State& state) {
    const data_set d = make_data(state.range(0));
    std::size_t i = 0;
    for (auto _ : state) {
        const std::int64_t g = d.grams[i++ & mask];
        const auto it = std::lower_bound(d.limits.begin(), d.limits.end(), g);
        std::int64_t charge = d.charges[static_cast<std::size_t>(it - d.limits.begin())];
        benchmark::DoNotOptimize(charge);
    }
}
BENCHMARK(BM_Ref_LowerBound)->Arg(10)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();

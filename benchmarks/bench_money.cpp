// Money benchmarks, each beside the reference kernel it is judged against
// (reference/performance-anchors.md sections 1 and 8; results in benchmarks/README.md).
//
// Data: 1024 amounts up to 999,999.99 from a fixed seed, cycled through with an index so that
// nothing can be constant-folded.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_dec_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>

#include <shopcore/core/money.hpp>

namespace {

using boost::multiprecision::cpp_dec_float_50;
using boost::multiprecision::int128_t;
using shopcore::currency;
using shopcore::money;
using shopcore::ratio;
using shopcore::rounding;

constexpr std::size_t count = 1024;
constexpr std::size_t mask = count - 1;
constexpr std::size_t lines = 20;

struct data_set {
    std::vector<std::int64_t> cents;  // 0 .. 99,999,999
    std::vector<money> amounts;
    std::vector<int128_t> fixed;  // the same amounts at scale 10^4
    std::vector<cpp_dec_float_50> decimals;
    std::vector<std::string> texts;                  // "123456.78"
    std::vector<std::vector<std::int64_t>> weights;  // 20 line totals per entry

    data_set() {
        std::mt19937_64 rng(20261129);
        std::uniform_int_distribution<std::int64_t> amount(0, 99'999'999);
        const currency usd = currency::of("USD");
        for (std::size_t i = 0; i < count; ++i) {
            const std::int64_t c = amount(rng);
            cents.push_back(c);
            amounts.push_back(money::of_minor(c, usd));
            fixed.push_back(int128_t(c) * 100);
            decimals.push_back(cpp_dec_float_50(c) / 100);
            texts.push_back(money::of_minor(c, usd).format());
            std::vector<std::int64_t> w(lines);
            for (auto& x : w) x = amount(rng) / 100;  // line totals up to 9,999.99
            weights.push_back(std::move(w));
        }
    }
};

const data_set& data() {
    static const data_set d;
    return d;
}

// ---- add ---------------------------------------------------------------------------------

void BM_Money_Add(benchmark::State& state) {
    const auto& a = data().amounts;
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a[i] + a[(i + 1) & mask]);
        i = (i + 1) & mask;
    }
}
BENCHMARK(BM_Money_Add);

void BM_Ref_Int128Add(benchmark::State& state) {
    const auto& a = data().fixed;
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a[i] + a[(i + 1) & mask]);
        i = (i + 1) & mask;
    }
}
BENCHMARK(BM_Ref_Int128Add);

// ---- multiply by a rate and round --------------------------------------------------------

void BM_Money_MulRateRound(benchmark::State& state) {
    const auto& a = data().amounts;
    const ratio rate = ratio::parse("0.1975");
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a[i].multiply(rate, rounding::half_up));
        i = (i + 1) & mask;
    }
}
BENCHMARK(BM_Money_MulRateRound);

// Fixed point at scale 10^4: (a * r + 5000) / 10000, the kernel of section 1.
int128_t fixed_mul_round(const int128_t& a, const int128_t& r) { return (a * r + 5000) / 10000; }

void BM_Ref_Int128FixedMulRound(benchmark::State& state) {
    const auto& a = data().fixed;
    int128_t rate = 1975;  // 0.1975 at scale 10^4
    benchmark::DoNotOptimize(rate);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(fixed_mul_round(a[i], rate));
        i = (i + 1) & mask;
    }
}
BENCHMARK(BM_Ref_Int128FixedMulRound);

void BM_Ref_DecFloat50MulRound(benchmark::State& state) {
    const auto& a = data().decimals;
    const cpp_dec_float_50 rate("0.1975");
    std::size_t i = 0;
    for (auto _ : state) {
        const cpp_dec_float_50 product = a[i] * rate;
        benchmark::DoNotOptimize(cpp_dec_float_50(round(product * 100) / 100));
        i = (i + 1) & mask;
    }
}
BENCHMARK(BM_Ref_DecFloat50MulRound);

// ---- allocate ----------------------------------------------------------------------------

void BM_Money_Allocate(benchmark::State& state) {
    const auto& a = data().amounts;
    const auto& w = data().weights;
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<std::vector<std::int64_t>> weights;
    for (const auto& x : w) weights.emplace_back(x.begin(), x.begin() + static_cast<long>(n));
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a[i].allocate(weights[i]));
        i = (i + 1) & mask;
    }
}
BENCHMARK(BM_Money_Allocate)->Arg(20);

// The reference for allocating over 20 lines: 20 fixed-point multiply-and-round operations.
void BM_Ref_Int128FixedMulRound20(benchmark::State& state) {
    const auto& a = data().fixed;
    int128_t rate = 1975;
    benchmark::DoNotOptimize(rate);
    std::size_t i = 0;
    for (auto _ : state) {
        for (std::size_t k = 0; k < lines; ++k) {
            benchmark::DoNotOptimize(fixed_mul_round(a[(i + k) & mask], rate));
        }
        i = (i + 1) & mask;
    }
}
BENCHMARK(BM_Ref_Int128FixedMulRound20);

// ---- text in and out ---------------------------------------------------------------------

void BM_Money_Parse(benchmark::State& state) {
    const auto& t = data().texts;
    const currency usd = currency::of("USD");
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(money::parse(t[i], usd));
        i = (i + 1) & mask;
    }
}
BENCHMARK(BM_Money_Parse);

void BM_Money_Format(benchmark::State& state) {
    const auto& a = data().amounts;
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a[i].format());
        i = (i + 1) & mask;
    }
}
BENCHMARK(BM_Money_Format);

// Hand-rolled int64 cents -> "123456.78" into a std::string: the reference for text in/out.
std::string format_cents(std::int64_t cents) {
    std::array<char, 24> buffer{};
    char* const end = buffer.data() + buffer.size();
    char* p = end;
    const bool negative = cents < 0;
    auto rest = static_cast<std::uint64_t>(negative ? -cents : cents);
    *--p = static_cast<char>('0' + rest % 10);
    rest /= 10;
    *--p = static_cast<char>('0' + rest % 10);
    rest /= 10;
    *--p = '.';
    do {
        *--p = static_cast<char>('0' + rest % 10);
        rest /= 10;
    } while (rest != 0);
    if (negative) *--p = '-';
    return std::string(p, end);
}

void BM_Ref_Int64Format(benchmark::State& state) {
    const auto& c = data().cents;
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(format_cents(c[i]));
        i = (i + 1) & mask;
    }
}
BENCHMARK(BM_Ref_Int64Format);

}  // namespace

BENCHMARK_MAIN();

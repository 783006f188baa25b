// Pricing and discount-code benchmarks, each beside the reference kernel it is judged against
// (issue 4 item 6; results in benchmarks/README.md).
//
// BM_PriceCart/L/C prices a cart of L lines with C codes through pricing_engine::price_into
// (the breakdown is reused, as a server pricing one cart per request on a thread would): sale
// prices, C codes that all apply (category and product scoped percentages and fixed amounts,
// order-level ones, free shipping), a shipping method of 10 weight bands, one tax rate, tax
// rounded per line. BM_Ref_Sum20Int64 is the least any pricing can cost: the sum of 20
// price * quantity products in int64.
//
// BM_Voucher_Validate looks a code up among 1,000,000 in a discount_index (case folding
// included) and judges its dates, limits and audience. BM_Ref_UnorderedMapFind is a
// std::unordered_map<std::string, std::int64_t>::find over the same 1,000,000 keys.
//
// Data come from fixed seeds; inputs are cycled through with an index so nothing is constant.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <shopcore/core/currency.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/core/ratio.hpp>
#include <shopcore/discount/discount_index.hpp>
#include <shopcore/pricing/pricing_engine.hpp>
#include <shopcore/shipping/shipping_calculator.hpp>

namespace {

using namespace shopcore;

constexpr std::size_t variants = 16;  // distinct carts per benchmark, cycled

currency usd() { return currency::of("USD"); }

shipping_calculator ten_bands() {
    shipping_method m;
    m.code = "post";
    m.name = "Post";
    m.zones = {{"US", ""}};
    for (std::int64_t i = 1; i <= 10; ++i) {
        m.bands.push_back({weight::of_grams(i * 5000), money::of_minor(500 + i * 150, usd())});
    }
    m.excess = excess_rule{weight::of_grams(1000), money::of_minor(100, usd())};
    return shipping_calculator({m}, usd());
}

pricing_engine make_engine() {
    tax_settings tax;
    tax.rates.push_back({"Sales tax", ratio::parse("8.25%"), {}, "US", ""});
    return pricing_engine(usd(), ten_bands(), tax);
}

// Categories 1..10 under parents 11..12; line i is in category 1 + i % 10.
std::vector<category_id> path_of(std::size_t line) {
    const auto leaf = static_cast<std::int64_t>(1 + line % 10);
    return {category_id(leaf), category_id(leaf <= 5 ? 11 : 12)};
}

// The k-th code: the kinds cycle so that every code applies to the cart.
discount_offer code_number(std::size_t k, std::size_t lines) {
    discount_code d;
    d.id = discount_id(static_cast<std::int64_t>(k + 1));
    d.code = "CODE" + std::to_string(k);
    d.priority = static_cast<std::int32_t>(k % 7);
    switch (k % 5) {
        case 0:  // 10% off the parent category of one of the lines
            d.kind = discount_kind::percentage;
            d.percent = ratio::percent(10);
            d.scope = discount_scope::categories;
            d.categories = {path_of(k % lines)[1]};
            break;
        case 1:  // 5.00 off three products
            d.kind = discount_kind::fixed_amount;
            d.amount = money::of_minor(500, usd());
            d.scope = discount_scope::products;
            for (std::size_t j = 0; j < 3; ++j) {
                d.products.emplace_back(static_cast<std::int64_t>(1 + (k + j) % lines));
            }
            break;
        case 2:  // 5% off the order, from 10.00
            d.kind = discount_kind::percentage;
            d.percent = ratio::percent(5);
            d.min_subtotal = money::of_minor(1000, usd());
            break;
        case 3:  // 2.00 off the order, with dates and a limit
            d.kind = discount_kind::fixed_amount;
            d.amount = money::of_minor(200, usd());
            d.starts_at = timestamp::from_micros(0);
            d.ends_at = timestamp::from_micros(std::int64_t{4} << 50);
            d.usage_limit = 1000000;
            d.times_used = 10;
            break;
        default:  // free shipping for signed-in customers
            d.kind = discount_kind::free_shipping;
            d.audience = discount_audience::customers_only;
            break;
    }
    return {d, 0};
}

pricing_request make_request(std::size_t lines, std::size_t codes, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::int64_t> price(1000, 100000);
    std::uniform_int_distribution<std::int64_t> quantity(1, 5);
    std::uniform_int_distribution<std::int64_t> grams(50, 800);
    pricing_request r;
    for (std::size_t i = 0; i < lines; ++i) {
        pricing_line l;
        l.product = product_id(static_cast<std::int64_t>(i + 1));
        l.categories = path_of(i);
        l.unit_price = money::of_minor(price(rng), usd());
        l.sale_unit_price = i % 4 == 0 ? l.unit_price.multiply(ratio::percent(90)) : l.unit_price;
        l.quantity = quantity(rng);
        l.unit_weight = weight::of_grams(grams(rng));
        r.lines.push_back(std::move(l));
    }
    for (std::size_t k = 0; k < codes; ++k) r.codes.push_back(code_number(k, lines));
    r.customer = user_id(7);
    r.destination = shipping_destination{"US", "CA"};
    r.at = timestamp::from_micros(std::int64_t{1} << 50);
    return r;
}

void BM_PriceCart(benchmark::State& state) {
    const auto lines = static_cast<std::size_t>(state.range(0));
    const auto codes = static_cast<std::size_t>(state.range(1));
    const pricing_engine engine = make_engine();
    std::vector<pricing_request> requests;
    for (std::size_t v = 0; v < variants; ++v) requests.push_back(make_request(lines, codes, v));
    price_breakdown out;
    for (const auto& r : requests) {
        engine.price_into(r, out);
        if (out.applied.size() != codes || out.shipping.status != shipping_status::quoted) {
            state.SkipWithError("a code or the shipping did not apply: the workload is wrong");
            return;
        }
    }
    std::size_t i = 0;
    for (auto _ : state) {
        engine.price_into(requests[i++ % variants], out);
        benchmark::DoNotOptimize(out.total);
    }
}
BENCHMARK(BM_PriceCart)->ArgsProduct({{1, 5, 20, 100}, {0, 5, 50}});

void BM_Ref_Sum20Int64(benchmark::State& state) {
    std::vector<std::vector<std::int64_t>> prices(variants);
    std::vector<std::vector<std::int64_t>> quantities(variants);
    for (std::size_t v = 0; v < variants; ++v) {
        const pricing_request r = make_request(20, 0, v);
        for (const auto& l : r.lines) {
            prices[v].push_back(l.sale_unit_price.minor_units());
            quantities[v].push_back(l.quantity);
        }
    }
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t v = i++ % variants;
        std::int64_t sum = 0;
        for (std::size_t j = 0; j < 20; ++j) sum += prices[v][j] * quantities[v][j];
        benchmark::DoNotOptimize(sum);
    }
}
BENCHMARK(BM_Ref_Sum20Int64);

// ---- vouchers ----

constexpr std::size_t voucher_count = 1000000;
constexpr std::size_t probes = 1024;

struct voucher_data {
    std::vector<std::string> texts;   // stored (upper-case) codes
    std::vector<std::string> probes;  // what customers type: lower case
    std::vector<std::string> stored_probes;
};

const voucher_data& vouchers() {
    static const voucher_data d = [] {
        voucher_data out;
        std::mt19937_64 rng(1000000);
        const std::string alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
        std::uniform_int_distribution<std::size_t> symbol(0, alphabet.size() - 1);
        out.texts.reserve(voucher_count);
        for (std::size_t i = 0; i < voucher_count; ++i) {
            std::string t = "V";
            for (int j = 0; j < 11; ++j) t += alphabet[symbol(rng)];
            out.texts.push_back(std::move(t));
        }
        std::uniform_int_distribution<std::size_t> pick(0, voucher_count - 1);
        for (std::size_t i = 0; i < probes; ++i) {
            const std::string& t = out.texts[pick(rng)];
            std::string lower = t;
            for (char& ch : lower) {
                if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
            }
            out.probes.push_back(lower);
            out.stored_probes.push_back(t);
        }
        return out;
    }();
    return d;
}

void BM_Voucher_Validate(benchmark::State& state) {
    const voucher_data& d = vouchers();
    std::vector<discount_code> codes;
    codes.reserve(voucher_count);
    std::unordered_map<std::string, bool> seen;
    for (std::size_t i = 0; i < voucher_count; ++i) {
        if (!seen.emplace(d.texts[i], true).second) continue;  // the rare duplicate draw
        discount_code c;
        c.id = discount_id(static_cast<std::int64_t>(i + 1));
        c.code = d.texts[i];
        c.percent = ratio::percent(10);
        c.ends_at = timestamp::from_micros(std::int64_t{1} << 52);
        c.usage_limit = 100;
        c.per_customer_limit = 1;
        codes.push_back(std::move(c));
    }
    const discount_index index(std::move(codes));
    const timestamp now = timestamp::from_micros(std::int64_t{1} << 50);
    std::size_t i = 0;
    for (auto _ : state) {
        auto refusal = index.check(d.probes[i++ & (probes - 1)], 0, true, false, now);
        benchmark::DoNotOptimize(refusal);
    }
}
BENCHMARK(BM_Voucher_Validate);

void BM_Ref_UnorderedMapFind(benchmark::State& state) {
    const voucher_data& d = vouchers();
    std::unordered_map<std::string, std::int64_t> map;
    map.reserve(voucher_count);
    for (std::size_t i = 0; i < voucher_count; ++i) {
        map.emplace(d.texts[i], static_cast<std::int64_t>(i));
    }
    std::size_t i = 0;
    for (auto _ : state) {
        auto it = map.find(d.stored_probes[i++ & (probes - 1)]);
        benchmark::DoNotOptimize(it);
    }
}
BENCHMARK(BM_Ref_UnorderedMapFind);

}  // namespace

BENCHMARK_MAIN();

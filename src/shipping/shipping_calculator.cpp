#include <shopcore/shipping/shipping_calculator.hpp>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include <shopcore/core/error.hpp>
#include <shopcore/core/rounding.hpp>

#include "core/validate.hpp"

namespace shopcore {

namespace {

// Appends a signed integer without a temporary string.
void append_int(std::string& out, std::int64_t value) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

// Appends money as money::to_string() writes it ("40000.00 IRR"), without temporaries.
void append_money(std::string& out, const money& amount, std::string_view code) {
    const std::int64_t minor = amount.minor_units();
    const int exponent = amount.currency().exponent();
    // The magnitude as unsigned, so that INT64_MIN has one too.
    std::uint64_t magnitude = minor < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(minor)
                                        : static_cast<std::uint64_t>(minor);
    // Written backwards into a buffer and appended once: 20 digits, a '.', a '-'.
    char buffer[24];
    char* p = buffer + sizeof buffer;
    int n = 0;
    do {
        if (n == exponent && exponent > 0) *--p = '.';
        *--p = static_cast<char>('0' + magnitude % 10);
        magnitude /= 10;
        ++n;
    } while (magnitude != 0 || n <= exponent);
    if (minor < 0) *--p = '-';
    out.append(p, buffer + sizeof buffer);
    out.push_back(' ');
    out.append(code);
}

void append_grams(std::string& out, weight w) {
    append_int(out, w.grams());
    out.append(" g");
}

// The index of the first limit at least `key`, or limits.size(): std::lower_bound without a
// data-dependent branch. The probe moves by a conditional move and the loop runs a number of
// times that depends only on the size, so a random weight costs no branch mispredictions (each
// costs more than a whole search over a few bands). Counting the limits below `key` (for up to
// 16 bands) and a four-way search both measured slower with 10 bands.
std::size_t first_at_least(const std::vector<std::int64_t>& limits, std::int64_t key) {
    std::size_t size = limits.size();
    if (size == 0) return 0;
    const std::int64_t* base = limits.data();
    while (size > 1) {
        const std::size_t half = size / 2;
        base = base[half] < key ? base + half : base;
        size -= half;
    }
    return static_cast<std::size_t>(base - limits.data()) + (*base < key ? 1 : 0);
}

// Whether a[0, size) == b[0, size), in line: eight, four, two and one bytes at a time, so a
// code of up to 15 characters takes at most four compares and no call.
bool same_bytes(const char* a, const char* b, std::size_t size) noexcept {
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t x = 0;
        std::uint64_t y = 0;
        std::memcpy(&x, a + i, 8);
        std::memcpy(&y, b + i, 8);
        if (x != y) return false;
    }
    if (i + 4 <= size) {
        std::uint32_t x = 0;
        std::uint32_t y = 0;
        std::memcpy(&x, a + i, 4);
        std::memcpy(&y, b + i, 4);
        if (x != y) return false;
        i += 4;
    }
    if (i + 2 <= size) {
        std::uint16_t x = 0;
        std::uint16_t y = 0;
        std::memcpy(&x, a + i, 2);
        std::memcpy(&y, b + i, 2);
        if (x != y) return false;
        i += 2;
    }
    return i == size || a[i] == b[i];
}

// Makes `out` equal to `code`. In a reused vector it usually is already (the same methods apply
// in the same order), and comparing a short code in line costs less than assign(), which
// copies through a call to memcpy.
void set_code(std::string& out, const std::string& code) {
    if (out.size() == code.size() && same_bytes(out.data(), code.data(), code.size())) return;
    out.assign(code);
}

// Two upper-case letters as one integer, so that a zone test is one comparison.
std::uint16_t pack_country(std::string_view text) {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(text[0]) << 8) |
                                      static_cast<unsigned char>(text[1]));
}

[[noreturn]] void refuse(const char* field, const std::string& code, const std::string& message) {
    throw validation_error(field, "shipping method '" + code + "': " + message);
}

void check_amount(const char* field, const std::string& code, const money& amount,
                  const currency& shop_currency, const char* what) {
    if (amount.currency() != shop_currency) {
        refuse(field, code,
               std::string(what) + " " + amount.to_string() + " is not in the shop currency " +
                   shop_currency.code());
    }
    if (amount.is_negative()) {
        refuse(field, code, std::string(what) + " " + amount.to_string() + " is negative");
    }
}

}  // namespace

// The validated methods plus, per method, what quote_into() needs in the form it needs it, so
// that the per-call path compares integers: availability limits as raw bounds (an absent limit
// is the widest bound), zones with the country packed into 16 bits, band limits and charges as
// flat int64 arrays for the binary search, and the value rules as flags and minor units.
struct shipping_calculator::impl {
    struct compiled_zone {
        std::uint16_t country = 0;  // two letters, packed by pack_country()
        std::string province;       // empty: the whole country
    };

    struct compiled {
        std::string code;  // methods[i].code, beside the rest of what quote_into() reads
        std::int64_t max_grams = INT64_MAX;
        std::int64_t min_value = 0;  // a goods value is never negative
        std::int64_t max_value = INT64_MAX;
        std::int64_t free_above = 0;      // when has_free_above
        std::int64_t minimum_charge = 0;  // 0 when absent: a charge is never below 0
        std::int64_t maximum_charge = INT64_MAX;
        std::int64_t excess_step = 0;  // when has_excess
        std::int64_t excess_per_step = 0;
        bool everywhere = false;  // a "*" zone: no zone test at all
        bool has_excess = false;
        bool has_free_above = false;
        bool has_percent = false;
        ratio percent;
        std::vector<compiled_zone> zones;   // empty when everywhere
        std::vector<std::int64_t> limits;   // bands[i].up_to in grams
        std::vector<std::int64_t> charges;  // bands[i].charge in minor units
    };

    std::vector<shipping_method> methods;
    std::vector<compiled> compiled_methods;
    // The rank of each method's code among all codes, so that sorting ties compares integers.
    std::vector<std::uint32_t> code_rank;
    currency shop_currency;
    std::string code;  // the currency code, for the messages and explain()
};

namespace {

void validate(const shipping_method& m, const currency& cur) {
    detail::check_text("code", m.code, 1, 64);
    detail::check_text("name", m.name, 1, 200);
    if (m.zones.empty()) refuse("zones", m.code, "needs at least one zone");
    for (const shipping_zone& z : m.zones) {
        if (z.country == "*") {
            if (!z.province.empty()) {
                refuse("zones", m.code, "the zone \"*\" cannot name a province");
            }
        } else if (!detail::is_country_code(z.country)) {
            refuse("zones", m.code,
                   "country \"" + z.country +
                       "\" is neither \"*\" nor an upper-case ISO 3166-1 alpha-2 code");
        }
        detail::check_text("zones", z.province, 0, 200);
    }
    for (std::size_t i = 0; i < m.bands.size(); ++i) {
        check_amount("bands", m.code, m.bands[i].charge, cur, "band charge");
        if (i > 0 && m.bands[i].up_to <= m.bands[i - 1].up_to) {
            refuse("bands", m.code,
                   "bands must be strictly increasing by up_to (" + m.bands[i].up_to.to_string() +
                       " after " + m.bands[i - 1].up_to.to_string() + ")");
        }
    }
    if (m.excess) {
        if (m.bands.empty()) refuse("excess", m.code, "an excess rule needs at least one band");
        if (m.excess->step.grams() <= 0) refuse("excess", m.code, "step must be above 0 g");
        check_amount("excess", m.code, m.excess->charge_per_step, cur, "charge per step");
    }
    const value_rules& v = m.value;
    if (v.free_above) check_amount("free_above", m.code, *v.free_above, cur, "free_above");
    if (v.percent_of_value &&
        (*v.percent_of_value < ratio() || ratio::of(1, 1) < *v.percent_of_value)) {
        refuse("percent_of_value", m.code,
               "percent_of_value " + v.percent_of_value->to_string() + " is outside [0, 1]");
    }
    if (v.minimum_charge) {
        check_amount("minimum_charge", m.code, *v.minimum_charge, cur, "minimum_charge");
    }
    if (v.maximum_charge) {
        check_amount("maximum_charge", m.code, *v.maximum_charge, cur, "maximum_charge");
        if (v.minimum_charge && *v.maximum_charge < *v.minimum_charge) {
            refuse("maximum_charge", m.code, "maximum_charge is below minimum_charge");
        }
    }
    const availability& a = m.limits;
    if (a.min_value) check_amount("min_value", m.code, *a.min_value, cur, "min_value");
    if (a.max_value) {
        check_amount("max_value", m.code, *a.max_value, cur, "max_value");
        if (a.min_value && *a.max_value < *a.min_value) {
            refuse("max_value", m.code, "max_value is below min_value");
        }
    }
}

}  // namespace

shipping_calculator::shipping_calculator(std::vector<shipping_method> methods,
                                         const currency& shop_currency) {
    auto state = std::make_shared<impl>();
    state->shop_currency = shop_currency;
    state->code = shop_currency.code();
    std::unordered_set<std::string> codes;
    state->compiled_methods.reserve(methods.size());
    for (const shipping_method& m : methods) {
        try {
            validate(m, shop_currency);
        } catch (error& e) {
            if (dynamic_cast<validation_error*>(&e) != nullptr && !m.code.empty()) {
                e.add_context("in shipping method '" + m.code + "'");
            }
            throw;
        }
        if (!codes.insert(m.code).second) {
            refuse("code", m.code, "the code is used by more than one method");
        }
        impl::compiled c;
        c.code = m.code;
        const availability& a = m.limits;
        if (a.max_weight) c.max_grams = a.max_weight->grams();
        if (a.min_value) c.min_value = a.min_value->minor_units();
        if (a.max_value) c.max_value = a.max_value->minor_units();
        for (const shipping_zone& z : m.zones) {
            if (z.country == "*") c.everywhere = true;
        }
        if (!c.everywhere) {
            c.zones.reserve(m.zones.size());
            for (const shipping_zone& z : m.zones) {
                c.zones.push_back({pack_country(z.country), z.province});
            }
        }
        c.limits.reserve(m.bands.size());
        c.charges.reserve(m.bands.size());
        for (const weight_band& b : m.bands) {
            c.limits.push_back(b.up_to.grams());
            c.charges.push_back(b.charge.minor_units());
        }
        if (m.excess) {
            c.has_excess = true;
            c.excess_step = m.excess->step.grams();
            c.excess_per_step = m.excess->charge_per_step.minor_units();
        }
        const value_rules& v = m.value;
        if (v.free_above) {
            c.has_free_above = true;
            c.free_above = v.free_above->minor_units();
        }
        if (v.percent_of_value) {
            c.has_percent = true;
            c.percent = *v.percent_of_value;
        }
        if (v.minimum_charge) c.minimum_charge = v.minimum_charge->minor_units();
        if (v.maximum_charge) c.maximum_charge = v.maximum_charge->minor_units();
        state->compiled_methods.push_back(std::move(c));
    }
    std::vector<std::uint32_t> by_code(methods.size());
    for (std::size_t i = 0; i < by_code.size(); ++i) by_code[i] = static_cast<std::uint32_t>(i);
    std::sort(by_code.begin(), by_code.end(),
              [&](std::uint32_t l, std::uint32_t r) { return methods[l].code < methods[r].code; });
    state->code_rank.resize(methods.size());
    for (std::size_t rank = 0; rank < by_code.size(); ++rank) {
        state->code_rank[by_code[rank]] = static_cast<std::uint32_t>(rank);
    }
    state->methods = std::move(methods);
    impl_ = std::move(state);
}

const std::vector<shipping_method>& shipping_calculator::methods() const noexcept {
    return impl_->methods;
}

currency shipping_calculator::shop_currency() const noexcept { return impl_->shop_currency; }

std::vector<shipping_quote> shipping_calculator::quote(weight total_weight,
                                                       const money& goods_value,
                                                       const shipping_destination& to) const {
    std::vector<shipping_quote> out;
    out.reserve(impl_->methods.size());
    quote_into(total_weight, goods_value, to, out);
    return out;
}

namespace {

// The refusals of quote_into()'s arguments, kept out of line so that the per-call path stays
// small. Empties `out`, as documented, then throws.
[[noreturn, gnu::noinline, gnu::cold]] void refuse_quote(const money& goods_value,
                                                         const shipping_destination& to,
                                                         const currency& shop_currency,
                                                         std::vector<shipping_quote>& out) {
    out.clear();
    if (goods_value.currency() != shop_currency) {
        throw validation_error("goods_value", "goods value " + goods_value.to_string() +
                                                  " is not in the shop currency " +
                                                  shop_currency.code());
    }
    if (goods_value.is_negative()) {
        throw validation_error("goods_value",
                               "goods value " + goods_value.to_string() + " is negative");
    }
    throw validation_error("country", "destination country \"" + to.country +
                                          "\" is not an upper-case ISO 3166-1 alpha-2 code");
}

}  // namespace

void shipping_calculator::quote_into(weight total_weight, const money& goods_value,
                                     const shipping_destination& to,
                                     std::vector<shipping_quote>& out) const {
    const impl& s = *impl_;
    if (goods_value.currency() != s.shop_currency || goods_value.is_negative() ||
        !detail::is_country_code(to.country)) {
        refuse_quote(goods_value, to, s.shop_currency, out);
    }
    const std::int64_t grams = total_weight.grams();
    const std::int64_t value = goods_value.minor_units();
    const std::uint16_t country = pack_country(to.country);
    const currency cur = s.shop_currency;
    std::size_t n = 0;  // quotes written; out's elements past n are reused or erased at the end
    std::size_t held = out.size();
    try {
        // By pointer, so that the stores into `out` (which might alias for all the compiler
        // knows) do not make it reload the size of compiled_methods on every method.
        const impl::compiled* const first = s.compiled_methods.data();
        const impl::compiled* const last = first + s.compiled_methods.size();
        std::size_t i = 0;
        for (const impl::compiled* p = first; p != last; ++p, ++i) {
            const impl::compiled& c = *p;

            if (!c.everywhere) {
                bool in_zone = false;
                for (const impl::compiled_zone& z : c.zones) {
                    if (z.country == country && (z.province.empty() || z.province == to.province)) {
                        in_zone = true;
                        break;
                    }
                }
                if (!in_zone) continue;
            }
            if (grams > c.max_grams || value < c.min_value || value > c.max_value) continue;

            // Amounts are raw minor units of the shop currency until they are stored, and the
            // quote's members are written one by one: copying whole temporaries (an optional, a
            // money) through the stack cost a store-forwarding stall per quote.
            const std::size_t band = first_at_least(c.limits, grams);
            const bool in_band = band != c.limits.size();
            std::int64_t steps = 0;
            std::int64_t weight_charge = 0;
            if (in_band) {
                weight_charge = c.charges[band];
            } else if (!c.limits.empty()) {
                if (!c.has_excess) continue;
                const std::int64_t over = grams - c.limits.back();
                steps = over / c.excess_step + (over % c.excess_step != 0 ? 1 : 0);
                std::int64_t extra = 0;
                if (__builtin_mul_overflow(c.excess_per_step, steps, &extra)) {
                    detail::throw_money_overflow("multiplication");
                }
                if (__builtin_add_overflow(c.charges.back(), extra, &weight_charge)) {
                    detail::throw_money_overflow("addition");
                }
            }

            std::int64_t percent_charge = 0;
            std::int64_t cost = 0;
            const bool free = c.has_free_above && value >= c.free_above;
            shipping_clamp clamp = shipping_clamp::none;
            if (!free) {
                cost = weight_charge;
                if (c.has_percent) {
                    percent_charge =
                        goods_value.multiply(c.percent, rounding::half_up).minor_units();
                    if (__builtin_add_overflow(weight_charge, percent_charge, &cost)) {
                        detail::throw_money_overflow("addition");
                    }
                }
                if (cost < c.minimum_charge) {
                    cost = c.minimum_charge;
                    clamp = shipping_clamp::raised_to_minimum;
                } else if (cost > c.maximum_charge) {
                    cost = c.maximum_charge;
                    clamp = shipping_clamp::lowered_to_maximum;
                }
            }

            if (n == held) {
                out.emplace_back();
                ++held;
            }
            shipping_quote& q = out[n];
            set_code(q.method_code, c.code);
            q.method_index = i;
            q.cost = money::of_minor(cost, cur);
            q.parcel_weight = total_weight;
            q.goods_value = goods_value;
            q.weight_charge = money::of_minor(weight_charge, cur);
            if (in_band) {
                q.band = band;
            } else {
                q.band.reset();
            }
            q.excess_steps = steps;
            q.percent_charge = money::of_minor(percent_charge, cur);
            q.free_above_reached = free;
            q.clamp = clamp;
            ++n;
        }
    } catch (...) {
        out.clear();
        throw;
    }
    if (n < held) out.erase(out.begin() + static_cast<std::ptrdiff_t>(n), out.end());
    if (n > 1) {
        const std::vector<std::uint32_t>& rank = s.code_rank;
        std::sort(out.begin(), out.end(), [&](const shipping_quote& l, const shipping_quote& r) {
            if (l.cost.minor_units() != r.cost.minor_units()) {
                return l.cost.minor_units() < r.cost.minor_units();
            }
            return rank[l.method_index] < rank[r.method_index];
        });
    }
}

namespace {

[[noreturn]] void refuse_explain(const std::string& message) {
    throw validation_error("quote", message);
}

// The weight charge the method gives for `q`'s band or excess steps, or nothing when those
// facts cannot come from the method.
std::optional<std::int64_t> expected_weight_charge(const shipping_method& m,
                                                   const shipping_quote& q) {
    if (q.band) {
        if (*q.band >= m.bands.size() || q.excess_steps != 0) return std::nullopt;
        return m.bands[*q.band].charge.minor_units();
    }
    if (m.bands.empty()) {
        if (q.excess_steps != 0) return std::nullopt;
        return 0;
    }
    if (!m.excess || q.excess_steps < 1) return std::nullopt;
    std::int64_t extra = 0;
    std::int64_t total = 0;
    if (__builtin_mul_overflow(m.excess->charge_per_step.minor_units(), q.excess_steps, &extra) ||
        __builtin_add_overflow(m.bands.back().charge.minor_units(), extra, &total)) {
        return std::nullopt;
    }
    return total;
}

}  // namespace

std::string shipping_calculator::explain(const shipping_quote& q) const {
    const impl& s = *impl_;
    if (q.method_index >= s.methods.size()) {
        refuse_explain("method_index " + std::to_string(q.method_index) +
                       " is not the index of one of the " + std::to_string(s.methods.size()) +
                       " methods of this calculator");
    }
    const shipping_method& m = s.methods[q.method_index];
    if (q.method_code != m.code) {
        refuse_explain("method_code '" + q.method_code + "' is not the code of method " +
                       std::to_string(q.method_index) + " ('" + m.code + "') of this calculator");
    }
    for (const money* amount : {&q.cost, &q.goods_value, &q.weight_charge, &q.percent_charge}) {
        if (amount->currency() != s.shop_currency) {
            refuse_explain("the quote of method '" + m.code + "' has an amount in " +
                           amount->currency().code() + ", not in the shop currency " + s.code);
        }
    }
    const std::optional<std::int64_t> expected = expected_weight_charge(m, q);
    if (!expected || *expected != q.weight_charge.minor_units()) {
        refuse_explain("the band, excess steps and weight charge of the quote do not fit method '" +
                       m.code + "' of this calculator");
    }
    const value_rules& v = m.value;
    if (q.free_above_reached && !v.free_above) {
        refuse_explain("the quote of method '" + m.code +
                       "' is free, but the method has no free_above");
    }

    std::string text;
    text.reserve(160);
    append_grams(text, q.parcel_weight);
    if (m.bands.empty()) {
        text.append(" with no weight bands: ");
        append_money(text, q.weight_charge, s.code);
    } else if (q.band) {
        const weight_band& b = m.bands[*q.band];
        text.append(" in band up to ");
        append_grams(text, b.up_to);
        text.append(": ");
        append_money(text, b.charge, s.code);
    } else {
        const weight_band& top = m.bands.back();
        text.append(" above top band up to ");
        append_grams(text, top.up_to);
        text.append(": ");
        append_money(text, top.charge, s.code);
        text.append(" + ");
        append_int(text, q.excess_steps);
        text.append(q.excess_steps == 1 ? " step of " : " steps of ");
        append_grams(text, m.excess->step);
        text.append(" x ");
        append_money(text, m.excess->charge_per_step, s.code);
        text.append(" = ");
        append_money(text,
                     money::of_minor(q.weight_charge.minor_units() - top.charge.minor_units(),
                                     s.shop_currency),
                     s.code);
        text.append(" = ");
        append_money(text, q.weight_charge, s.code);
    }
    if (v.free_above) {
        text.append("; free above ");
        append_money(text, *v.free_above, s.code);
        text.append(q.free_above_reached ? " reached" : " not reached");
    }
    if (!q.free_above_reached) {
        if (v.percent_of_value) {
            text.append("; ");
            text.append(v.percent_of_value->to_string());
            text.append(" of ");
            append_money(text, q.goods_value, s.code);
            text.append(" rounded half up: ");
            append_money(text, q.percent_charge, s.code);
        }
        if (q.clamp == shipping_clamp::raised_to_minimum) {
            text.append("; raised to minimum ");
            append_money(text, q.cost, s.code);
        } else if (q.clamp == shipping_clamp::lowered_to_maximum) {
            text.append("; lowered to maximum ");
            append_money(text, q.cost, s.code);
        }
    }
    text.append("; total ");
    append_money(text, q.cost, s.code);
    return text;
}

}  // namespace shopcore

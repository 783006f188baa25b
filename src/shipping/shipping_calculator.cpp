#include <shopcore/shipping/shipping_calculator.hpp>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
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

// Appends money as money::to_string() writes it ("40000.00 IRR"), without temporaries, since
// quote() formats on every call.
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

bool is_country_code(std::string_view text) {
    return text.size() == 2 && text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'A' && text[1] <= 'Z';
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

// The validated methods plus, per method, what quote() needs in the form it needs it: band
// limits as a flat int64 array for the binary search and the explanation fragments that depend
// only on the configuration, formatted once here rather than on every quote.
struct shipping_calculator::impl {
    struct compiled {
        std::vector<std::int64_t> limits;      // bands[i].up_to in grams
        std::vector<std::string> band_texts;   // " in band up to 2000 g: 40000.00 IRR"
        std::vector<std::string> band_totals;  // "; total 40000.00 IRR", when nothing changed it
        std::string excess_text;               // " g x 10000.00 IRR = "
        std::string free_text;                 // "; free above 5000000.00 IRR"
    };

    std::vector<shipping_method> methods;
    std::vector<compiled> compiled_methods;
    currency shop_currency;
    std::string code;  // the currency code, for the explanations
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
        } else if (!is_country_code(z.country)) {
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
        c.limits.reserve(m.bands.size());
        c.band_texts.reserve(m.bands.size());
        c.band_totals.reserve(m.bands.size());
        for (const weight_band& b : m.bands) {
            c.limits.push_back(b.up_to.grams());
            std::string text = " in band up to ";
            append_grams(text, b.up_to);
            text.append(": ");
            append_money(text, b.charge, state->code);
            c.band_texts.push_back(std::move(text));
            std::string total = "; total ";
            append_money(total, b.charge, state->code);
            c.band_totals.push_back(std::move(total));
        }
        if (m.excess) {
            c.excess_text = " g x ";
            append_money(c.excess_text, m.excess->charge_per_step, state->code);
            c.excess_text.append(" = ");
        }
        if (m.value.free_above) {
            c.free_text = "; free above ";
            append_money(c.free_text, *m.value.free_above, state->code);
        }
        state->compiled_methods.push_back(std::move(c));
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
    quote_into(total_weight, goods_value, to, out);
    return out;
}

void shipping_calculator::quote_into(weight total_weight, const money& goods_value,
                                     const shipping_destination& to,
                                     std::vector<shipping_quote>& out) const {
    const impl& s = *impl_;
    if (goods_value.currency() != s.shop_currency) {
        out.clear();
        throw validation_error("goods_value", "goods value " + goods_value.to_string() +
                                                  " is not in the shop currency " + s.code);
    }
    if (goods_value.is_negative()) {
        out.clear();
        throw validation_error("goods_value",
                               "goods value " + goods_value.to_string() + " is negative");
    }
    if (!is_country_code(to.country)) {
        out.clear();
        throw validation_error("country", "destination country \"" + to.country +
                                              "\" is not an upper-case ISO 3166-1 alpha-2 code");
    }
    const std::int64_t grams = total_weight.grams();
    std::size_t n = 0;  // quotes written; out's elements past n are reused or erased at the end
    try {
        for (std::size_t i = 0; i < s.methods.size(); ++i) {
            const shipping_method& m = s.methods[i];
            const impl::compiled& c = s.compiled_methods[i];

            const bool in_zone =
                std::any_of(m.zones.begin(), m.zones.end(), [&](const shipping_zone& z) {
                    return z.country == "*" || (z.country == to.country &&
                                                (z.province.empty() || z.province == to.province));
                });
            if (!in_zone) continue;
            const availability& a = m.limits;
            if (a.max_weight && total_weight > *a.max_weight) continue;
            if (a.min_value && goods_value < *a.min_value) continue;
            if (a.max_value && goods_value > *a.max_value) continue;

            // The first band whose inclusive limit is at least the weight.
            const auto it = std::lower_bound(c.limits.begin(), c.limits.end(), grams);
            if (it == c.limits.end() && !c.limits.empty() && !m.excess) continue;

            if (n == out.size()) out.emplace_back();
            shipping_quote& q = out[n];
            q.method_code.assign(m.code);
            q.method_name.assign(m.name);
            std::string& text = q.explanation;
            text.clear();
            text.reserve(160);

            money charge = money::zero(s.shop_currency);
            const std::string* band_total = nullptr;  // the precomputed total, while it holds
            append_grams(text, total_weight);
            if (c.limits.empty()) {
                text.append(" with no weight bands: ");
                append_money(text, charge, s.code);
            } else if (it != c.limits.end()) {
                const auto band = static_cast<std::size_t>(it - c.limits.begin());
                charge = m.bands[band].charge;
                text.append(c.band_texts[band]);
                band_total = &c.band_totals[band];
            } else {
                const weight_band& top = m.bands.back();
                const std::int64_t over = grams - top.up_to.grams();
                const std::int64_t step = m.excess->step.grams();
                const std::int64_t steps = over / step + (over % step != 0 ? 1 : 0);
                const money extra = m.excess->charge_per_step * steps;
                charge = top.charge + extra;
                text.append(" above top band");
                text.append(c.band_texts.back(), 8);  // " up to 5000 g: 70000 IRR"
                text.append(" + ");
                append_int(text, steps);
                text.append(steps == 1 ? " step of " : " steps of ");
                append_int(text, step);
                text.append(c.excess_text);
                append_money(text, extra, s.code);
                text.append(" = ");
                append_money(text, charge, s.code);
            }

            const value_rules& v = m.value;
            if (v.free_above && goods_value >= *v.free_above) {
                charge = money::zero(s.shop_currency);
                band_total = nullptr;
                text.append(c.free_text);
                text.append(" reached");
            } else {
                if (v.free_above) {
                    text.append(c.free_text);
                    text.append(" not reached");
                }
                if (v.percent_of_value) {
                    const money part = goods_value.multiply(*v.percent_of_value, rounding::half_up);
                    charge += part;
                    band_total = nullptr;
                    text.append("; ");
                    text.append(v.percent_of_value->to_string());
                    text.append(" of ");
                    append_money(text, goods_value, s.code);
                    text.append(" rounded half up: ");
                    append_money(text, part, s.code);
                }
                if (v.minimum_charge && charge < *v.minimum_charge) {
                    charge = *v.minimum_charge;
                    band_total = nullptr;
                    text.append("; raised to minimum ");
                    append_money(text, charge, s.code);
                }
                if (v.maximum_charge && charge > *v.maximum_charge) {
                    charge = *v.maximum_charge;
                    band_total = nullptr;
                    text.append("; lowered to maximum ");
                    append_money(text, charge, s.code);
                }
            }
            if (band_total != nullptr) {
                text.append(*band_total);
            } else {
                text.append("; total ");
                append_money(text, charge, s.code);
            }
            q.cost = charge;
            ++n;
        }
    } catch (...) {
        out.clear();
        throw;
    }
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(n), out.end());
    if (n > 1) {
        std::sort(out.begin(), out.end(), [](const shipping_quote& l, const shipping_quote& r) {
            if (l.cost.minor_units() != r.cost.minor_units()) {
                return l.cost.minor_units() < r.cost.minor_units();
            }
            return l.method_code < r.method_code;
        });
    }
}

}  // namespace shopcore

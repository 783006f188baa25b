#include <shopcore/pricing/pricing_engine.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <shopcore/core/error.hpp>

#include "core/allocation.hpp"
#include "core/rate_multiplier.hpp"
#include "core/validate.hpp"
#include "pricing/discount_rules.hpp"

namespace shopcore {
namespace {

void check_rate(const char* field, const ratio& rate) {
    if (rate.numerator() < 0 || rate.numerator() > rate.denominator()) {  // den > 0 always
        throw validation_error(field, "rate " + rate.to_string() + " is outside [0, 1]");
    }
}

// A tax rate as the engine uses it: the share of a gross amount that is tax, r / (1 + r), is
// kept beside r for inclusive prices.
struct prepared_rate {
    std::string name;
    ratio rate;
    detail::rate_multiplier net;    // tax on a net amount: * rate
    detail::rate_multiplier gross;  // tax in a gross amount: * rate / (1 + rate)
    std::vector<category_id> categories;
    std::string country;  // "*" or two letters
    std::string province;
};

// r / (1 + r), the share of a gross amount that is tax at rate r.
ratio included_share(const char* field, const ratio& r) {
    std::int64_t den = 0;
    if (__builtin_add_overflow(r.denominator(), r.numerator(), &den)) {
        throw validation_error(field, "rate " + r.to_string() + " has too large a denominator");
    }
    return ratio::of(r.numerator(), den);
}

// a + b in minor units of one currency (the engine's sums, kept as integers in its loops).
std::int64_t add_minor(std::int64_t a, std::int64_t b) {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a, b, &sum)) {
        throw arithmetic_error("money addition overflows the 64-bit range of minor units");
    }
    return sum;
}

// a + b for unit counts, which callers may give in any size.
std::int64_t add_units(std::int64_t a, std::int64_t b) {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a, b, &sum)) {
        throw arithmetic_error("the total quantity overflows 64 bits");
    }
    return sum;
}

// 0..5, higher is more specific (tax.hpp lists the order); -1: does not match.
int zone_specificity(const prepared_rate& r, const std::optional<shipping_destination>& to) {
    if (r.country == "*") return 0;
    if (!to || to->country != r.country) return -1;
    if (r.province.empty()) return 1;
    return to->province == r.province ? 2 : -1;
}

bool has_any(const std::vector<category_id>& wanted, const std::vector<category_id>& have) {
    for (const category_id c : have) {
        if (std::find(wanted.begin(), wanted.end(), c) != wanted.end()) return true;
    }
    return false;
}

// Per-call scratch space, kept per thread so that a warm engine prices without allocating.
struct scratch {
    std::vector<std::int64_t> remaining;      // per line: what it still costs, in minor units
    std::vector<std::uint8_t> eligible;       // per code and line
    std::vector<std::size_t> accepted;        // indices of codes that passed their checks
    std::vector<std::size_t> order;           // accepted, in application order
    std::vector<std::size_t> by_level;        // order, regrouped by level
    std::vector<std::size_t> lines;           // eligible line indices of one code
    std::vector<std::int64_t> weights;        // their remaining amounts
    std::vector<std::uint64_t> shares;        // their shares
    std::vector<money> eligible_subtotal;     // per code
    std::vector<std::size_t> eligible_count;  // per code
    std::vector<int> rate_zone;               // per tax rate: zone score, -1 when unmatched
    std::vector<const void*> tax_entry_rate;  // per entry of out.taxes: its prepared rate
    std::vector<std::int64_t> tax_taxable;    // per entry: what it taxed, in minor units
    std::vector<std::int64_t> tax_amount;     // per entry: its tax, in minor units
    std::vector<std::pair<std::size_t, std::size_t>> code_hashes;  // (hash of text, index)
};

scratch& thread_scratch() {
    thread_local scratch s;
    return s;
}

// round(amount * r) for one line, or per unit: the line split into `units` near-equal units
// (allocate_evenly), each taxed and rounded, summed.
money tax_on(const money& amount, const detail::rate_multiplier& r, std::int64_t units,
             tax_rounding where) {
    if (r.rate().numerator() == 0 || amount.is_zero()) return money::zero(amount.currency());
    if (where == tax_rounding::per_line || units <= 1) return r.apply(amount);
    const std::int64_t minor = amount.minor_units();
    const std::int64_t base = minor / units;
    const std::int64_t extra = minor % units;  // units that carry one more minor unit
    const currency c = amount.currency();
    const money low = r.apply(money::of_minor(base, c)) * (units - extra);
    if (extra == 0) return low;
    return low + r.apply(money::of_minor(base + 1, c)) * extra;
}

std::string format_refusal(const refused_discount& r, const discount_code& c) {
    const std::string code = "code " + c.code;
    switch (r.reason) {
        case discount_refusal::inactive:
            return code + " is no longer active";
        case discount_refusal::not_started:
            return code + " is not valid yet";
        case discount_refusal::expired:
            return code + " has expired";
        case discount_refusal::exhausted:
            return code + " has been used up";
        case discount_refusal::already_used:
            return code + " has already been used by this customer as often as allowed";
        case discount_refusal::login_required:
            return code + " requires signing in";
        case discount_refusal::staff_only:
            return code + " is for staff only";
        case discount_refusal::minimum_subtotal_not_met:
            return "add " + r.missing_amount->to_string() + " more to use " + c.code;
        case discount_refusal::minimum_quantity_not_met:
            return "add " + std::to_string(r.missing_quantity) + " more item(s) to use " + c.code;
        case discount_refusal::no_eligible_items:
            return code + " does not apply to any item in the cart";
        case discount_refusal::not_combinable:
            return code + " cannot be combined with the other codes";
        default:
            return code + " does not apply";
    }
}

}  // namespace

struct pricing_engine::impl {
    currency cur;
    shipping_calculator ship;
    tax_settings tax;
    std::vector<prepared_rate> rates;
    std::optional<detail::rate_multiplier> shipping_net;
    std::optional<detail::rate_multiplier> shipping_gross;

    // The rates that match the destination (zone score per rate, -1 for none), the best of
    // those without categories, and whether any with categories match: worked out once per
    // request so that each line only looks at category rates.
    struct rate_plan {
        const prepared_rate* generic = nullptr;
        int generic_score = -1;
        bool any_category = false;
    };

    rate_plan plan_rates(const std::optional<shipping_destination>& to,
                         std::vector<int>& zone) const {
        rate_plan p;
        zone.resize(rates.size());
        for (std::size_t j = 0; j < rates.size(); ++j) {
            const int z = zone_specificity(rates[j], to);
            zone[j] = z;
            if (z < 0) continue;
            if (!rates[j].categories.empty()) {
                p.any_category = true;
            } else if (z > p.generic_score) {
                p.generic = &rates[j];
                p.generic_score = z;
            }
        }
        return p;
    }

    // The most specific rate for a line, or null (tax.hpp gives the order).
    const prepared_rate* rate_for(const pricing_line& line, const rate_plan& p,
                                  const std::vector<int>& zone) const {
        const prepared_rate* best = p.generic;
        int best_score = p.generic_score;
        if (!p.any_category) return best;
        for (std::size_t j = 0; j < rates.size(); ++j) {
            const prepared_rate& r = rates[j];
            if (zone[j] < 0 || r.categories.empty()) continue;
            const int score = zone[j] + 3;
            // An earlier rate wins ties: only a strictly better score replaces it, and a
            // generic rate (score <= 2) never ties with a category rate.
            if (score > best_score && has_any(r.categories, line.categories)) {
                best = &r;
                best_score = score;
            }
        }
        return best;
    }
};

pricing_engine::pricing_engine(const currency& shop_currency, shipping_calculator shipping,
                               tax_settings tax) {
    if (shipping.shop_currency() != shop_currency) {
        throw validation_error("currency", "the shipping methods are in " +
                                               shipping.shop_currency().code() + ", the shop in " +
                                               shop_currency.code());
    }
    auto p = std::make_shared<impl>(
        impl{shop_currency, std::move(shipping), std::move(tax), {}, std::nullopt, std::nullopt});
    const rounding mode = p->tax.rounding_mode;
    for (const tax_rate& r : p->tax.rates) {
        detail::check_text("tax_rates", r.name, 1, 100);
        check_rate("tax_rates", r.rate);
        if (r.country == "*") {
            if (!r.province.empty()) {
                throw validation_error(
                    "tax_rates", "rate \"" + r.name + "\": the zone \"*\" cannot name a province");
            }
        } else if (!detail::is_country_code(r.country)) {
            throw validation_error("tax_rates", "rate \"" + r.name + "\": country \"" + r.country +
                                                    "\" is not \"*\" or two upper-case letters");
        }
        detail::check_text("tax_rates", r.province, 0, 200);
        p->rates.push_back({r.name, r.rate, detail::rate_multiplier(r.rate, mode),
                            detail::rate_multiplier(included_share("tax_rates", r.rate), mode),
                            r.categories, r.country, r.province});
    }
    if (p->tax.shipping_rate) {
        check_rate("shipping_rate", *p->tax.shipping_rate);
        p->shipping_net.emplace(*p->tax.shipping_rate, mode);
        p->shipping_gross.emplace(included_share("shipping_rate", *p->tax.shipping_rate), mode);
    }
    impl_ = std::move(p);
}

price_breakdown pricing_engine::price(const pricing_request& request) const {
    price_breakdown out;
    price_into(request, out);
    return out;
}

void pricing_engine::price_into(const pricing_request& request, price_breakdown& out) const {
    const impl& e = *impl_;
    const currency cur = e.cur;
    const money zero = money::zero(cur);
    const std::size_t n = request.lines.size();
    const std::size_t c = request.codes.size();
    scratch& s = thread_scratch();

    out.currency = cur;
    out.priced_at = request.at;
    out.mode = e.tax.mode;
    out.lines.resize(n);
    out.line_discounts.clear();
    out.applied.clear();
    out.refused.clear();

    if (request.destination && !detail::is_country_code(request.destination->country)) {
        throw validation_error("country", "destination country \"" + request.destination->country +
                                              "\" is not two upper-case letters");
    }

    // 1. Sale prices.
    std::int64_t list_subtotal_minor = 0;
    std::int64_t subtotal_minor = 0;
    weight total_weight;
    std::int64_t total_quantity = 0;
    s.remaining.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const pricing_line& in = request.lines[i];
        if (in.quantity < 1) {
            throw validation_error("lines", "line " + std::to_string(i) + ": quantity " +
                                                std::to_string(in.quantity) + " is below 1");
        }
        if (in.unit_price.currency() != cur || in.sale_unit_price.currency() != cur) {
            throw validation_error(
                "lines", "line " + std::to_string(i) + ": prices must be in " + cur.code());
        }
        if (in.sale_unit_price.is_negative() || in.sale_unit_price > in.unit_price) {
            throw validation_error("lines", "line " + std::to_string(i) + ": sale price " +
                                                in.sale_unit_price.to_string() +
                                                " is not between zero and the list price " +
                                                in.unit_price.to_string());
        }
        priced_line& line = out.lines[i];
        line.product = in.product;
        line.quantity = in.quantity;
        line.unit_price = in.unit_price;
        line.sale_unit_price = in.sale_unit_price;
        line.list_subtotal = in.unit_price * in.quantity;
        line.subtotal = in.sale_unit_price * in.quantity;
        line.total_weight = in.unit_weight * in.quantity;
        list_subtotal_minor = add_minor(list_subtotal_minor, line.list_subtotal.minor_units());
        subtotal_minor = add_minor(subtotal_minor, line.subtotal.minor_units());
        total_weight += line.total_weight;
        total_quantity = add_units(total_quantity, in.quantity);
        s.remaining[i] = line.subtotal.minor_units();
    }
    const money list_subtotal = money::of_minor(list_subtotal_minor, cur);
    const money subtotal = money::of_minor(subtotal_minor, cur);

    // 2. Judge each code. Duplicates are found by sorting the codes' hashes, so that many
    // codes cost O(c log c), not O(c^2) string comparisons.
    s.code_hashes.clear();
    for (std::size_t k = 0; k < c; ++k) {
        const std::string& text = request.codes[k].code.code;
        // An inactive code applies to nothing, so its rules do not matter (a category code
        // whose last category was deleted is kept inactive with none).
        if (request.codes[k].code.active) {
            detail::check_discount_rules(request.codes[k].code, cur, "codes");
        }
        detail::check_code_text(text, "codes");
        s.code_hashes.emplace_back(std::hash<std::string>{}(text), k);
    }
    std::sort(s.code_hashes.begin(), s.code_hashes.end());
    for (std::size_t j = 1; j < s.code_hashes.size(); ++j) {
        for (std::size_t i = j; i > 0 && s.code_hashes[i - 1].first == s.code_hashes[j].first;
             --i) {
            const std::string& text = request.codes[s.code_hashes[j].second].code.code;
            if (request.codes[s.code_hashes[i - 1].second].code.code == text) {
                throw validation_error("codes", "code " + text + " is given twice");
            }
        }
    }
    s.eligible.assign(c * n, 0);
    s.eligible_subtotal.assign(c, zero);
    s.eligible_count.assign(c, 0);
    s.accepted.clear();
    for (std::size_t k = 0; k < c; ++k) {
        const discount_offer& offer = request.codes[k];
        const discount_code& code = offer.code;
        std::uint8_t* mask = s.eligible.data() + k * n;
        std::int64_t quantity = 0;
        // Sums over a subset of the lines, whose totals were checked above: cannot overflow.
        std::int64_t eligible_minor = 0;
        std::size_t count = 0;
        if (code.scope == discount_scope::order) {  // every line: the totals are known
            std::fill(mask, mask + n, std::uint8_t{1});
            quantity = total_quantity;
            eligible_minor = subtotal.minor_units();
            count = n;
        }
        for (std::size_t i = 0; i < n && code.scope != discount_scope::order; ++i) {
            const pricing_line& in = request.lines[i];
            bool in_scope = true;
            if (code.scope == discount_scope::products) {
                in_scope = std::find(code.products.begin(), code.products.end(), in.product) !=
                           code.products.end();
            } else if (code.scope == discount_scope::categories) {
                in_scope = has_any(code.categories, in.categories);
            }
            if (in_scope) {
                mask[i] = 1;
                quantity += in.quantity;
                eligible_minor += out.lines[i].subtotal.minor_units();
                ++count;
            }
        }
        const money eligible = money::of_minor(eligible_minor, cur);
        s.eligible_subtotal[k] = eligible;
        s.eligible_count[k] = count;

        std::optional<discount_refusal> why = detail::judge_discount(
            code, offer.customer_uses, request.customer.has_value(), request.staff, request.at);
        refused_discount r;
        if (!why && count == 0) why = discount_refusal::no_eligible_items;
        if (!why && quantity < code.min_quantity) {
            why = discount_refusal::minimum_quantity_not_met;
            r.missing_quantity = code.min_quantity - quantity;
        }
        if (!why && code.min_subtotal && eligible < *code.min_subtotal) {
            why = discount_refusal::minimum_subtotal_not_met;
            r.missing_amount = *code.min_subtotal - eligible;
        }
        const bool refused = why.has_value();
        if (refused) r.reason = *why;
        if (refused) {
            r.code = code.code;
            r.message = format_refusal(r, code);
            out.refused.push_back(std::move(r));
        } else {
            s.accepted.push_back(k);
        }
    }

    // 3. Exclusivity, decided by the accepted code that comes first by priority.
    const auto by_priority = [&](std::size_t a, std::size_t b) {
        const discount_code& x = request.codes[a].code;
        const discount_code& y = request.codes[b].code;
        if (x.priority != y.priority) return x.priority > y.priority;
        return x.code < y.code;
    };
    std::sort(s.accepted.begin(), s.accepted.end(), by_priority);
    s.order.clear();
    if (!s.accepted.empty()) {
        const std::size_t judged = out.refused.size();
        const bool first_exclusive = request.codes[s.accepted.front()].code.exclusive;
        for (std::size_t pos = 0; pos < s.accepted.size(); ++pos) {
            const std::size_t k = s.accepted[pos];
            const discount_code& code = request.codes[k].code;
            const bool keep = first_exclusive ? pos == 0 : !code.exclusive;
            if (keep) {
                s.order.push_back(k);
                continue;
            }
            refused_discount r;
            r.code = code.code;
            r.reason = discount_refusal::not_combinable;
            r.message = format_refusal(r, code);
            out.refused.push_back(std::move(r));
        }
        // Refusals in request order (only the exclusivity ones were added out of it).
        if (out.refused.size() > judged) {
            std::stable_sort(out.refused.begin(), out.refused.end(),
                             [&](const refused_discount& a, const refused_discount& b) {
                                 const auto index = [&](const std::string& code) {
                                     for (std::size_t k = 0; k < c; ++k) {
                                         if (request.codes[k].code.code == code) return k;
                                     }
                                     return c;
                                 };
                                 return index(a.code) < index(b.code);
                             });
        }
    }

    // 4. Line-level codes, then order-level codes; free shipping waits for shipping.
    const auto level_of = [&](std::size_t k) {
        const discount_code& code = request.codes[k].code;
        if (code.kind == discount_kind::free_shipping) return 2;
        return code.scope == discount_scope::order ? 1 : 0;
    };
    // By level, keeping the priority order within a level (s.order is in it): one pass per
    // level, linear in the codes and without a buffer to allocate as std::stable_sort would.
    s.by_level.clear();
    for (int level = 0; level < 3; ++level) {
        for (const std::size_t k : s.order) {
            if (level_of(k) == level) s.by_level.push_back(k);
        }
    }
    s.order.swap(s.by_level);
    money discount_total = zero;
    for (const std::size_t k : s.order) {
        const discount_code& code = request.codes[k].code;
        applied_discount a;
        a.code = code.code;
        a.kind = code.kind;
        a.scope = code.scope;
        a.priority = code.priority;
        a.eligible_lines = s.eligible_count[k];
        a.eligible_subtotal = s.eligible_subtotal[k];
        a.amount = zero;
        if (code.kind != discount_kind::free_shipping) {
            const std::uint8_t* mask = s.eligible.data() + k * n;
            // The eligible lines that still cost something, and what they cost.
            s.lines.resize(n);
            s.weights.resize(n);
            std::size_t m = 0;
            std::int64_t base = 0;
            for (std::size_t i = 0; i < n; ++i) {
                s.lines[m] = i;
                s.weights[m] = s.remaining[i];
                base += mask[i] != 0 ? s.remaining[i] : 0;  // <= subtotal: cannot overflow
                m += mask[i] != 0 && s.remaining[i] != 0 ? 1 : 0;
            }
            s.lines.resize(m);
            s.weights.resize(m);
            if (base > 0 && code.kind == discount_kind::percentage &&
                code.scope != discount_scope::order) {
                // A line-level percentage is a price on each line: round_half_up(percent x what
                // the line still costs), line by line; the code's amount is their sum.
                const detail::rate_multiplier pct(code.percent, rounding::half_up);
                std::int64_t taken = 0;
                for (const std::size_t i : s.lines) {
                    const std::int64_t share =
                        pct.apply(money::of_minor(s.remaining[i], cur)).minor_units();
                    if (share == 0) continue;
                    s.remaining[i] -= share;
                    taken += share;
                    out.line_discounts.push_back(
                        {i, out.applied.size(), money::of_minor(share, cur)});
                }
                a.amount = money::of_minor(taken, cur);
                discount_total += a.amount;
            } else if (base > 0) {
                // Order-level percentages and fixed amounts are one amount, allocated.
                const money left = money::of_minor(base, cur);
                const money amount = code.kind == discount_kind::percentage
                                         ? left.multiply(code.percent, rounding::half_up)
                                         : std::min(code.amount, left);
                s.shares.resize(s.lines.size());
                if (amount.minor_units() == base) {  // everything: each line's whole remainder
                    for (std::size_t j = 0; j < s.lines.size(); ++j) {
                        s.shares[j] = static_cast<std::uint64_t>(s.weights[j]);
                    }
                } else if (amount.is_positive()) {
                    detail::allocate_minor(static_cast<std::uint64_t>(amount.minor_units()),
                                           s.weights.data(), s.weights.size(), s.shares.data());
                } else {
                    s.shares.assign(s.lines.size(), 0);
                }
                for (std::size_t j = 0; j < s.lines.size(); ++j) {
                    const auto share = static_cast<std::int64_t>(s.shares[j]);
                    if (share == 0) continue;
                    const std::size_t i = s.lines[j];
                    s.remaining[i] -= share;
                    out.line_discounts.push_back(
                        {i, out.applied.size(), money::of_minor(share, cur)});
                }
                a.amount = amount;
                discount_total += amount;
            }
        }
        out.applied.push_back(std::move(a));
    }

    // 5. Shipping, on the goods after discounts.
    shipping_charge& ship = out.shipping;
    ship.method_code.clear();
    ship.cost = zero;
    ship.discount = zero;
    ship.total = zero;
    ship.tax = zero;
    if (!request.destination || n == 0) {
        ship.options.clear();
        ship.status = shipping_status::no_destination;
    } else {
        e.ship.quote_into(total_weight, subtotal - discount_total, *request.destination,
                          ship.options);
        const shipping_quote* chosen = nullptr;
        if (request.shipping_method.empty()) {
            if (!ship.options.empty()) chosen = &ship.options.front();
        } else {
            for (const shipping_quote& q : ship.options) {
                if (q.method_code == request.shipping_method) chosen = &q;
            }
        }
        if (chosen != nullptr) {
            ship.status = shipping_status::quoted;
            ship.method_code = chosen->method_code;
            ship.cost = chosen->cost;
        } else {
            ship.status = ship.options.empty() ? shipping_status::no_method_available
                                               : shipping_status::method_unavailable;
        }
    }
    for (applied_discount& a : out.applied) {
        if (a.kind != discount_kind::free_shipping) continue;
        a.amount = ship.cost - ship.discount;  // the first takes it all, later ones nothing
        ship.discount += a.amount;
    }
    ship.total = ship.cost - ship.discount;

    // 6. Tax.
    const bool inclusive = e.tax.mode == tax_mode::inclusive;
    std::int64_t tax_total_minor = 0;
    const impl::rate_plan plan = e.plan_rates(request.destination, s.rate_zone);
    std::size_t used_rates = 0;  // entries of out.taxes in use; their strings are reused
    s.tax_entry_rate.clear();
    s.tax_taxable.clear();
    s.tax_amount.clear();
    for (std::size_t i = 0; i < n; ++i) {
        priced_line& line = out.lines[i];
        line.total = money::of_minor(s.remaining[i], cur);
        line.discount = line.subtotal - line.total;
        const prepared_rate* r = e.rate_for(request.lines[i], plan, s.rate_zone);
        if (r == nullptr) {
            line.tax_entry.reset();
            line.tax_rate = ratio();
            line.tax = zero;
            continue;
        }
        line.tax_rate = r->rate;
        line.tax = tax_on(line.total, inclusive ? r->gross : r->net, line.quantity, e.tax.rounding);
        tax_total_minor = add_minor(tax_total_minor, line.tax.minor_units());
        std::size_t entry = 0;
        while (entry < used_rates && s.tax_entry_rate[entry] != r) ++entry;
        if (entry == used_rates) {
            if (out.taxes.size() == used_rates) out.taxes.emplace_back();
            tax_summary& t = out.taxes[used_rates];
            if (t.name != r->name) t.name = r->name;
            t.rate = r->rate;
            s.tax_entry_rate.push_back(r);
            s.tax_taxable.push_back(0);
            s.tax_amount.push_back(0);
            ++used_rates;
        }
        line.tax_entry = entry;
        // Within the total of the lines and of their taxes, so these cannot overflow.
        s.tax_taxable[entry] += line.total.minor_units();
        s.tax_amount[entry] += line.tax.minor_units();
    }
    out.taxes.resize(used_rates);
    for (std::size_t t = 0; t < used_rates; ++t) {
        out.taxes[t].taxable = money::of_minor(s.tax_taxable[t], cur);
        out.taxes[t].amount = money::of_minor(s.tax_amount[t], cur);
    }
    money tax_total = money::of_minor(tax_total_minor, cur);
    if (e.shipping_net) {
        ship.tax = tax_on(ship.total, inclusive ? *e.shipping_gross : *e.shipping_net, 1,
                          tax_rounding::per_line);
        tax_total += ship.tax;
    }

    out.list_subtotal = list_subtotal;
    out.sale_savings = list_subtotal - subtotal;
    out.subtotal = subtotal;
    out.discount_total = discount_total;
    out.shipping_total = ship.total;
    out.tax_total = tax_total;
    out.total = subtotal - discount_total + ship.total;
    if (!inclusive) out.total += tax_total;
    out.total_weight = total_weight;
    out.total_quantity = total_quantity;
}

std::string pricing_engine::explain(const price_breakdown& b) const {
    std::string text;
    const auto add = [&text](const std::string& line) {
        text += line;
        text += '\n';
    };
    for (std::size_t i = 0; i < b.lines.size(); ++i) {
        const priced_line& l = b.lines[i];
        std::string line = "line " + std::to_string(i + 1) + ": product " +
                           std::to_string(l.product.value()) + " x " + std::to_string(l.quantity) +
                           " at " + l.sale_unit_price.to_string();
        if (l.sale_unit_price != l.unit_price) line += " (list " + l.unit_price.to_string() + ")";
        line += " = " + l.subtotal.to_string();
        for (const line_discount& d : b.line_discounts) {
            if (d.line == i && d.discount < b.applied.size()) {
                line += "; " + b.applied[d.discount].code + " -" + d.amount.to_string();
            }
        }
        line += "; total " + l.total.to_string();
        if (l.tax_entry && *l.tax_entry < b.taxes.size()) {
            line += "; " + b.taxes[*l.tax_entry].name + " " + l.tax_rate.to_string() + ": " +
                    l.tax.to_string() + (b.mode == tax_mode::inclusive ? " included" : "");
        }
        add(line);
    }
    for (const applied_discount& a : b.applied) {
        add("code " + a.code + " (" + discount_kind_name(a.kind) + ", priority " +
            std::to_string(a.priority) + ", " + std::to_string(a.eligible_lines) +
            " eligible line(s) worth " + a.eligible_subtotal.to_string() + "): -" +
            a.amount.to_string());
    }
    for (const refused_discount& r : b.refused) {
        add("code " + r.code + " refused (" + discount_refusal_name(r.reason) + "): " + r.message);
    }
    switch (b.shipping.status) {
        case shipping_status::no_destination:
            add("shipping: no destination yet");
            break;
        case shipping_status::no_method_available:
            add("shipping: no method delivers this parcel to this destination");
            break;
        case shipping_status::method_unavailable:
            add("shipping: the chosen method does not deliver this parcel here");
            break;
        case shipping_status::quoted: {
            std::string line =
                "shipping: " + b.shipping.method_code + " " + b.shipping.cost.to_string();
            if (!b.shipping.discount.is_zero()) line += " -" + b.shipping.discount.to_string();
            if (!b.shipping.tax.is_zero()) line += "; tax " + b.shipping.tax.to_string();
            add(line);
            break;
        }
    }
    add("subtotal " + b.subtotal.to_string() + "; discounts -" + b.discount_total.to_string() +
        "; shipping " + b.shipping_total.to_string() + "; tax " + b.tax_total.to_string() +
        (b.mode == tax_mode::inclusive ? " (included)" : "") + "; total " + b.total.to_string());
    return text;
}

currency pricing_engine::shop_currency() const noexcept { return impl_->cur; }

const shipping_calculator& pricing_engine::shipping() const noexcept { return impl_->ship; }

const tax_settings& pricing_engine::tax() const noexcept { return impl_->tax; }

void validate_discount_code(const discount_code& code, const currency& shop_currency) {
    detail::check_discount_text(code);
    detail::check_discount_rules(code, shop_currency, nullptr);
}

}  // namespace shopcore

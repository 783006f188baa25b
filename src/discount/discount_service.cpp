#include <shopcore/discount/discount_service.hpp>

#include <algorithm>
#include <unordered_set>
#include <utility>

#include <shopcore/core/error.hpp>
#include <shopcore/pricing/pricing_engine.hpp>

#include "account/authorization.hpp"
#include "account/crypto.hpp"
#include "core/page_token.hpp"
#include "core/validate.hpp"
#include "pricing/discount_rules.hpp"
#include "service_impls.hpp"
#include "storage/discount_store.hpp"

namespace shopcore {
namespace {

using storage::connection;

// Symbols of generated codes: A-Z and 2-9 without the look-alikes I, L, O (and 0, 1).
constexpr std::string_view code_alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

discount_code from_new(const new_discount_code& n, timestamp now) {
    discount_code d;
    d.code = detail::normalize_code(n.code);
    d.description = n.description;
    d.kind = n.kind;
    d.percent = n.percent;
    d.amount = n.amount;
    d.scope = n.scope;
    d.categories = n.categories;
    d.products = n.products;
    d.min_subtotal = n.min_subtotal;
    d.min_quantity = n.min_quantity;
    d.starts_at = n.starts_at;
    d.ends_at = n.ends_at;
    d.usage_limit = n.usage_limit;
    d.per_customer_limit = n.per_customer_limit;
    d.single_use = n.single_use;
    d.audience = n.audience;
    d.exclusive = n.exclusive;
    d.priority = n.priority;
    d.active = n.active;
    d.created_at = now;
    d.updated_at = now;
    d.version = 1;
    return d;
}

// Sorted, without repeats; the ids as integers.
template <class Id>
std::vector<std::int64_t> sorted_unique(std::vector<Id>& ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<std::int64_t> out;
    for (const Id id : ids) out.push_back(id.value());
    return out;
}

// The code's own rules, its amounts in the shop currency, and its targets existing.
void check_code(connection& c, discount_code& d, const currency& cur) {
    // A fixed-amount field that is not used is stored as zero in the shop currency.
    if (d.kind != discount_kind::fixed_amount) d.amount = money::zero(cur);
    if (d.kind != discount_kind::percentage) d.percent = ratio();
    validate_discount_code(d, cur);
    if (d.scope != discount_scope::categories) d.categories.clear();
    if (d.scope != discount_scope::products) d.products.clear();
    if (!storage::all_exist(c, "category", sorted_unique(d.categories))) {
        throw validation_error("categories", "a category of code " + d.code + " does not exist");
    }
    if (!storage::all_exist(c, "product", sorted_unique(d.products))) {
        throw validation_error("products", "a product of code " + d.code + " does not exist");
    }
}

discount_code load_or_throw(connection& c, const currency& cur, discount_id id) {
    auto d = storage::load_discount(c, cur, id);
    if (!d) throw not_found_error("discount code " + std::to_string(id.value()) + " not found");
    return std::move(*d);
}

// Writes a changed code if nobody changed it since it was read.
discount_code save(connection& c, discount_code d, timestamp now) {
    d.updated_at = now;
    if (!storage::update_discount_row(c, d)) {
        throw conflict_error("discount code " + d.code + " was changed by someone else");
    }
    ++d.version;
    return d;
}

}  // namespace

discount_service::discount_service(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
discount_service::~discount_service() = default;

discount_code discount_service::create(const actor& by, const new_discount_code& code) {
    auto& ctx = impl_->ctx;
    discount_code d = from_new(code, ctx.now());
    return ctx.db->write([&](storage::transaction_context& tx) {
        connection& c = tx.conn();
        detail::require_permission(c, by, permission::manage_discounts, "create discount codes");
        check_code(c, d, ctx.shop_currency);
        if (storage::discount_code_taken(c, d.code)) {
            throw conflict_error("discount code " + d.code + " already exists");
        }
        d.id = storage::insert_discount(c, d);
        return d;
    });
}

discount_code discount_service::update(const actor& by, discount_id id,
                                       const discount_code_update& change) {
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](storage::transaction_context& tx) {
        connection& c = tx.conn();
        detail::require_permission(c, by, permission::manage_discounts, "update discount codes");
        discount_code d = load_or_throw(c, ctx.shop_currency, id);
        if (change.expected_version && *change.expected_version != d.version) {
            throw conflict_error("discount code " + d.code + " was changed by someone else");
        }
        if (change.description) d.description = *change.description;
        if (change.percent) d.percent = *change.percent;
        if (change.amount) d.amount = *change.amount;
        if (change.categories) d.categories = *change.categories;
        if (change.products) d.products = *change.products;
        if (change.clear_min_subtotal) d.min_subtotal.reset();
        if (change.min_subtotal) d.min_subtotal = *change.min_subtotal;
        if (change.min_quantity) d.min_quantity = *change.min_quantity;
        if (change.clear_starts_at) d.starts_at.reset();
        if (change.starts_at) d.starts_at = *change.starts_at;
        if (change.clear_ends_at) d.ends_at.reset();
        if (change.ends_at) d.ends_at = *change.ends_at;
        if (change.clear_usage_limit) d.usage_limit.reset();
        if (change.usage_limit) d.usage_limit = *change.usage_limit;
        if (change.clear_per_customer_limit) d.per_customer_limit.reset();
        if (change.per_customer_limit) d.per_customer_limit = *change.per_customer_limit;
        if (change.audience) d.audience = *change.audience;
        if (change.exclusive) d.exclusive = *change.exclusive;
        if (change.priority) d.priority = *change.priority;
        if (change.active) d.active = *change.active;
        check_code(c, d, ctx.shop_currency);
        return save(c, std::move(d), ctx.now());
    });
}

discount_code discount_service::deactivate(const actor& by, discount_id id) {
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](storage::transaction_context& tx) {
        connection& c = tx.conn();
        detail::require_permission(c, by, permission::manage_discounts,
                                   "deactivate discount codes");
        discount_code d = load_or_throw(c, ctx.shop_currency, id);
        if (!d.active) return d;
        d.active = false;
        return save(c, std::move(d), ctx.now());
    });
}

discount_code discount_service::by_id(const actor& by, discount_id id) {
    auto& ctx = impl_->ctx;
    return ctx.db->read([&](connection& c) {
        detail::require_permission(c, by, permission::manage_discounts, "read discount codes");
        return load_or_throw(c, ctx.shop_currency, id);
    });
}

discount_code discount_service::by_code(const actor& by, const std::string& code) {
    auto& ctx = impl_->ctx;
    const std::string text = detail::normalize_code(code);
    return ctx.db->read([&](connection& c) {
        detail::require_permission(c, by, permission::manage_discounts, "read discount codes");
        auto d = storage::load_discount_by_code(c, ctx.shop_currency, text);
        if (!d) throw not_found_error("discount code " + text + " not found");
        return std::move(*d);
    });
}

page<discount_code> discount_service::list(const actor& by, const discount_query& q,
                                           const page_request& request) {
    auto& ctx = impl_->ctx;
    const std::int64_t limit = effective_limit(request);
    const std::string prefix = detail::normalize_code(q.prefix);
    if (prefix.size() > 64 || !std::all_of(prefix.begin(), prefix.end(), detail::is_code_char)) {
        throw validation_error("prefix", "a code prefix holds only A-Z, 0-9, '-' and '_'");
    }
    const std::string fp =
        detail::fingerprint(prefix + "|" + (q.active ? (*q.active ? "1" : "0") : std::string("-")));
    std::optional<std::string> after_code;
    std::int64_t after_id = 0;
    if (!request.token.empty()) {
        auto parts = detail::decode_page_token(request.token);
        if (parts.size() != 4 || parts[0] != "d1" || parts[1] != fp) {
            throw validation_error("token", "page token belongs to another query");
        }
        after_code = parts[2];
        after_id = detail::parse_token_int(parts[3]);
    }
    auto rows = ctx.db->read([&](connection& c) {
        detail::require_permission(c, by, permission::manage_discounts, "list discount codes");
        return storage::list_discounts(c, ctx.shop_currency, prefix, q.active, after_code, after_id,
                                       limit + 1);
    });
    page<discount_code> out;
    if (static_cast<std::int64_t>(rows.size()) > limit) {
        rows.resize(static_cast<std::size_t>(limit));
        out.next_token = detail::encode_page_token(
            {"d1", fp, rows.back().code, std::to_string(rows.back().id.value())});
    }
    out.items = std::move(rows);
    return out;
}

std::vector<discount_code> discount_service::generate(const actor& by,
                                                      const new_discount_code& rules,
                                                      std::int64_t count,
                                                      const code_generation& gen) {
    auto& ctx = impl_->ctx;
    if (count < 1 || count > 100000) {
        throw validation_error("count", "generate 1..100000 codes, not " + std::to_string(count));
    }
    if (gen.random_length < 8 || gen.random_length > 32) {
        throw validation_error("random_length", "8..32 random symbols");
    }
    const std::string prefix = detail::normalize_code(gen.prefix);
    if (prefix.size() + static_cast<std::size_t>(gen.random_length) > 64) {
        throw validation_error("prefix", "prefix and random part exceed 64 characters");
    }
    discount_code base = from_new(rules, ctx.now());
    // The prefix's characters, with a stand-in for the random part (the rules' own code text
    // is ignored).
    base.code = prefix + std::string(static_cast<std::size_t>(gen.random_length), 'A');
    detail::check_code_text(base.code, "prefix");

    // Random codes, distinct among themselves; a clash with a stored code is drawn again.
    std::unordered_set<std::string> drawn;
    const auto draw = [&] {
        return prefix +
               detail::random_symbols(code_alphabet, static_cast<std::size_t>(gen.random_length));
    };
    return ctx.db->write([&](storage::transaction_context& tx) {
        connection& c = tx.conn();
        detail::require_permission(c, by, permission::manage_discounts, "generate discount codes");
        check_code(c, base, ctx.shop_currency);
        drawn.clear();
        std::vector<discount_code> out;
        out.reserve(static_cast<std::size_t>(count));
        while (static_cast<std::int64_t>(out.size()) < count) {
            discount_code d = base;
            d.code = draw();
            if (!drawn.insert(d.code).second || storage::discount_code_taken(c, d.code)) continue;
            d.id = storage::insert_discount(c, d);
            out.push_back(std::move(d));
        }
        return out;
    });
}

discount_code discount_service::record_use(const actor& by, discount_id id,
                                           std::optional<user_id> customer) {
    auto& ctx = impl_->ctx;
    // A racing use of the same per-customer number fails on the unique row; the next attempt
    // sees it counted.
    for (int attempt = 1;; ++attempt) {
        try {
            return ctx.db->write([&](storage::transaction_context& tx) {
                connection& c = tx.conn();
                detail::require_permission(c, by, permission::manage_discounts,
                                           "count discount code uses");
                discount_code d = load_or_throw(c, ctx.shop_currency, id);
                switch (storage::count_discount_use(c, d, customer, ctx.now().micros())) {
                    case storage::use_result::exhausted:
                        throw discount_rejected_error(
                            "exhausted", "code " + d.code + " has been used up", d.code);
                    case storage::use_result::customer_limit_reached:
                        throw discount_rejected_error(
                            "already_used",
                            "code " + d.code +
                                " has been used by this customer as often as "
                                "allowed",
                            d.code);
                    case storage::use_result::changed:  // cannot happen: d was read here
                        throw conflict_error("code " + d.code + " changed while being counted");
                    case storage::use_result::counted:
                        break;
                }
                return load_or_throw(c, ctx.shop_currency, id);  // the count after this use
            });
        } catch (const conflict_error&) {
            if (attempt >= 5) throw;
        }
    }
}

}  // namespace shopcore

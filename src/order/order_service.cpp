#include <shopcore/order/order_service.hpp>

#include <algorithm>
#include <unordered_map>
#include <utility>

#include <shopcore/core/error.hpp>
#include <shopcore/events/events.hpp>
#include <shopcore/pricing/pricing_engine.hpp>

#include "account/account_rules.hpp"
#include "account/authorization.hpp"
#include "account/crypto.hpp"
#include "core/page_token.hpp"
#include "core/validate.hpp"
#include "events/publish.hpp"
#include "inventory/stock_events.hpp"
#include "order/order_internal.hpp"
#include "storage/cart_store.hpp"
#include "storage/discount_store.hpp"
#include "storage/order_store.hpp"
#include "storage/stock_store.hpp"

namespace shopcore {
namespace {

using storage::connection;
using storage::transaction_context;

constexpr int max_placement_attempts = 5;

// The cart or a product changed between pricing and the transaction: price again.
struct changed_since_read {};

bool signed_in(const actor& by) {
    return by.kind() == actor_kind::customer || by.kind() == actor_kind::admin;
}

std::string number_of_new_order() {
    // 10 symbols of 31 (no 0/O, 1/I/L): 49 bits, grouped for reading aloud.
    const std::string s = detail::random_symbols("ABCDEFGHJKMNPQRSTUVWXYZ23456789", 10);
    return s.substr(0, 4) + "-" + s.substr(4, 4) + "-" + s.substr(8);
}

// What identifies a checkout request besides the cart: the details given with it.
std::string request_hash(const checkout_request& r) {
    std::string text = r.note;
    text += '\x1f';
    if (r.purchase) {
        const purchase_info& p = *r.purchase;
        for (const std::string* f : {&p.recipient_name, &p.phone, &p.line1, &p.line2, &p.city,
                                     &p.province, &p.postal_code, &p.country, &p.note}) {
            text += *f;
            text += '\x1f';
        }
        text += p.email.value_or("\x1e");
    }
    return detail::sha256_hex(text);
}

std::string product_list(const std::vector<product_id>& ids) {
    std::string out;
    for (const product_id id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id.value());
    return out;
}

}  // namespace

namespace detail {

purchase_info checked_purchase(const purchase_info& in, const std::string& default_country_code) {
    purchase_info p = in;
    address a;
    a.recipient_name = p.recipient_name;
    a.line1 = p.line1;
    a.line2 = p.line2;
    a.city = p.city;
    a.province = p.province;
    a.postal_code = p.postal_code;
    a.country = p.country;
    check_address_lines("purchase", a);
    p.phone = normalize_phone(p.phone, default_country_code);
    if (p.email) p.email = normalize_email(*p.email);
    check_text("note", p.note, 0, 1000, true);
    return p;
}

}  // namespace detail

struct order_service::impl {
    detail::shop_context& ctx;
    order_settings settings;
    std::shared_ptr<payment_provider> payments;
    bool ships = false;  // the shop has shipping methods

    // The order if `by` may see it: its buyer, an admin with manage_orders, or the system.
    order visible(connection& c, const actor& by, order_id id) {
        if (!signed_in(by) && by.kind() != actor_kind::system) {
            throw authentication_error("sign in to see orders");
        }
        auto o = storage::load_order(c, ctx.shop_currency, id);
        const bool own = o && o->customer && by.user().is_valid() && *o->customer == by.user();
        if (!own) {
            if (by.kind() == actor_kind::customer) {
                throw not_found_error("order " + std::to_string(id.value()) + " not found");
            }
            detail::require_permission(c, by, permission::manage_orders, "read orders");
        }
        if (!o) throw not_found_error("order " + std::to_string(id.value()) + " not found");
        return std::move(*o);
    }

    void record(transaction_context& tx, const order& o, const actor& by, std::string action,
                std::optional<order_status> from, std::optional<order_status> to, std::string note,
                timestamp at) {
        order_history_entry e;
        e.at = at;
        e.by = by;
        e.action = std::move(action);
        e.from = from;
        e.to = to;
        e.note = std::move(note);
        storage::insert_history(tx.conn(), o.id, e);
        if (from && to) {
            detail::publish_after_commit(
                tx, ctx.hub, order_status_changed_event{by, o.id, o.number, *from, *to, at});
        }
    }

    // Moves `o` to cancelled or expired: stock back, code uses back under the policy.
    order release(transaction_context& tx, order o, const actor& by, order_status to,
                  const std::string& reason, timestamp now) {
        connection& c = tx.conn();
        const order_status from = o.status;
        if (!storage::set_order_status(c, o.id, from, to, now.micros(), std::nullopt)) {
            throw conflict_error("order " + o.number + " changed meanwhile");
        }
        std::vector<stock_movement> moves;
        const std::string why =
            (to == order_status::expired ? "order expired " : "order cancelled ") + o.number;
        for (const order_line& l : o.lines) {
            const auto before = storage::load_stock(c, l.product);
            if (!before || !storage::try_adjust_stock(c, l.product, l.quantity, now.micros())) {
                continue;  // no stock row: nothing to return to
            }
            stock_movement m;
            m.product = l.product;
            m.delta = l.quantity;
            m.on_hand_after = before->on_hand + l.quantity;
            m.reason = why;
            m.by_kind = by.kind();
            if (by.user().is_valid()) m.by_user = by.user();
            m.at = now;
            moves.push_back(m);
            detail::publish_stock_change(tx, ctx.hub, by, l.product, before->on_hand,
                                         m.on_hand_after, before->low_stock_threshold, why, now);
        }
        storage::insert_movements(c, moves);
        if (settings.release_codes == code_release_policy::release) {
            storage::release_order_uses(c, o.id, now.micros());
        }
        record(tx, o, by, to == order_status::expired ? "expired" : "cancelled", from, to, reason,
               now);
        std::vector<product_id> products;
        products.reserve(o.lines.size());
        for (const order_line& l : o.lines) products.push_back(l.product);
        detail::publish_after_commit(
            tx, ctx.hub,
            order_cancelled_event{by, o.id, o.number, from, to, reason, now, std::move(products)});
        return std::move(*storage::load_order(c, ctx.shop_currency, o.id));
    }

    order place(const actor& by, const checkout_request& r, const std::string& hash);
    std::optional<order> repeat(connection& c, const actor& by, const checkout_request& r,
                                const std::string& hash, std::optional<cart_id> cart);
};

// The order placed earlier with this key, if any. @throws idempotency_error when it came from
// another cart (a live one with lines) or with other details.
std::optional<order> order_service::impl::repeat(connection& c, const actor& by,
                                                 const checkout_request& r, const std::string& hash,
                                                 std::optional<cart_id> cart) {
    const auto k = storage::find_order_by_key(c, by.user(), r.idempotency_key);
    if (!k) return std::nullopt;
    if (k->request_hash != hash || (cart && *cart != k->cart)) {
        throw idempotency_error("idempotency key \"" + r.idempotency_key +
                                "\" was used for another order request");
    }
    return storage::load_order(c, ctx.shop_currency, k->id);
}

order order_service::impl::place(const actor& by, const checkout_request& r,
                                 const std::string& hash) {
    const currency cur = ctx.shop_currency;
    const user_id me = by.user();
    for (int attempt = 1;; ++attempt) {
        // 1. Read and price, outside the transaction.
        const timestamp now = ctx.now();
        struct read_state {
            std::optional<storage::checkout_cart> cart;
            std::optional<storage::buyer> buyer;
            std::unordered_map<std::int64_t, std::optional<std::int64_t>> parents;
            std::vector<discount_code> codes;
            std::vector<std::int64_t> uses;
            std::optional<order> repeated;
        };
        read_state rs = ctx.db->read([&](connection& c) {
            read_state st;
            st.cart = storage::load_checkout_cart(c, me, now);
            if (!st.cart || st.cart->lines.empty()) {
                st.repeated = repeat(c, by, r, hash, std::nullopt);
                return st;
            }
            st.buyer = storage::load_buyer(c, me);
            std::vector<category_id> cats;
            for (const auto& l : st.cart->lines) {
                if (l.category) cats.push_back(*l.category);
            }
            st.parents = storage::category_ancestry(c, cats);
            if (st.cart->codes > 0) {
                for (const discount_id id : storage::cart_code_ids(c, st.cart->id)) {
                    auto d = storage::load_discount(c, cur, id);
                    if (!d) continue;
                    st.uses.push_back(storage::customer_uses(c, id, me));
                    st.codes.push_back(std::move(*d));
                }
            }
            return st;
        });
        if (rs.repeated) return std::move(*rs.repeated);
        if (!rs.cart || rs.cart->lines.empty()) throw invalid_state_error("the cart is empty");
        if (!rs.buyer || !rs.buyer->usable) {
            throw authentication_error("the account cannot place orders");
        }
        const storage::checkout_cart& k = *rs.cart;

        purchase_info info;
        if (r.purchase) {
            info = detail::checked_purchase(*r.purchase, ctx.accounts.default_country_code);
        } else {
            if (!rs.buyer->default_address) {
                throw validation_error("address",
                                       "no shipping address: give one or add one to the account");
            }
            const address& a = *rs.buyer->default_address;
            info.recipient_name = a.recipient_name;
            info.phone = a.phone.empty() ? rs.buyer->phone : a.phone;
            info.email = rs.buyer->email;
            info.line1 = a.line1;
            info.line2 = a.line2;
            info.city = a.city;
            info.province = a.province;
            info.postal_code = a.postal_code;
            info.country = a.country;
            info.note = r.note;
        }

        std::vector<product_id> inactive;
        std::vector<stock_shortage> short_lines;
        pricing_request req;
        for (const auto& l : k.lines) {
            if (!l.active) {
                inactive.push_back(l.product);
                continue;
            }
            if (l.on_hand < l.quantity) {
                short_lines.push_back(
                    {l.product, l.quantity, std::max<std::int64_t>(l.on_hand, 0)});
            }
            pricing_line line;
            line.product = l.product;
            for (std::optional<std::int64_t> at =
                     l.category ? std::optional<std::int64_t>(l.category->value()) : std::nullopt;
                 at && line.categories.size() < 1000;) {
                line.categories.emplace_back(*at);
                const auto it = rs.parents.find(*at);
                at = it == rs.parents.end() ? std::nullopt : it->second;
            }
            line.unit_price = money::of_minor(l.price_minor, cur);
            line.sale_unit_price = money::of_minor(l.sale_price_minor, cur);
            line.quantity = l.quantity;
            line.unit_weight = weight::of_grams(l.weight_grams);
            req.lines.push_back(std::move(line));
        }
        if (!inactive.empty()) {
            throw invalid_state_error("products no longer for sale are in the cart: " +
                                      product_list(inactive));
        }
        if (!short_lines.empty()) throw insufficient_stock_error(std::move(short_lines));
        req.customer = me;
        req.staff = rs.buyer->staff;
        for (std::size_t i = 0; i < rs.codes.size(); ++i) {
            req.codes.push_back({rs.codes[i], rs.uses[i]});
        }
        req.destination = shipping_destination{info.country, info.province};
        req.shipping_method = k.shipping_method;
        req.at = now;
        const price_breakdown b = ctx.pricing->price(req);
        if (!b.refused.empty()) {
            std::string all;
            for (const refused_discount& x : b.refused)
                all += (all.empty() ? "" : "; ") + x.message;
            const refused_discount& first = b.refused.front();
            throw discount_rejected_error(discount_refusal_name(first.reason), all, first.code,
                                          first.missing_amount, first.missing_quantity);
        }
        if (ships && b.shipping.status != shipping_status::quoted) {
            throw invalid_state_error("no shipping method delivers this cart to " + info.country +
                                      (info.province.empty() ? "" : " " + info.province));
        }

        // 2. The snapshot.
        order o;
        o.number = number_of_new_order();
        o.customer = me;
        o.status = order_status::pending_payment;
        o.currency = cur;
        o.prices = b.mode;
        for (std::size_t i = 0; i < b.lines.size(); ++i) {
            const priced_line& p = b.lines[i];
            const auto& src = k.lines[i];
            order_line l;
            l.position = static_cast<std::int64_t>(i);
            l.product = p.product;
            l.sku = src.sku;
            l.name = src.name;
            l.unit_price = p.unit_price;
            l.sale_unit_price = p.sale_unit_price;
            l.quantity = p.quantity;
            l.unit_weight = weight::of_grams(src.weight_grams);
            l.subtotal = p.subtotal;
            l.discount = p.discount;
            l.total = p.total;
            if (p.tax_entry) l.tax_name = b.taxes[*p.tax_entry].name;
            l.tax_rate = p.tax_rate;
            l.tax = p.tax;
            o.lines.push_back(std::move(l));
        }
        for (const line_discount& d : b.line_discounts) {
            o.lines[d.line].discounts.push_back({b.applied[d.discount].code, d.amount});
        }
        std::vector<const discount_code*> used;
        for (const applied_discount& a : b.applied) {
            for (const discount_code& d : rs.codes) {
                if (d.code != a.code) continue;
                o.codes.push_back({d.id, d.code, a.kind, a.amount});
                used.push_back(&d);
            }
        }
        o.shipping_method = b.shipping.method_code;
        o.shipping_cost = b.shipping.cost;
        o.shipping_discount = b.shipping.discount;
        o.shipping_tax = b.shipping.tax;
        o.subtotal = b.subtotal;
        o.discount_total = b.discount_total;
        o.shipping_total = b.shipping_total;
        o.tax_total = b.tax_total;
        o.total = b.total;
        o.total_weight = b.total_weight;
        o.purchase = std::move(info);
        o.placed_at = now;
        o.updated_at = now;
        o.payment_due_at =
            timestamp::from_micros(now.micros() + settings.payment_window_seconds * 1000000);

        // 3. One transaction.
        try {
            // The transaction may run more than once (busy retries): it fills in `o` and the
            // order leaves by move only once it has committed.
            ctx.db->write([&](transaction_context& tx) {
                connection& c = tx.conn();
                std::vector<std::size_t> by_product(o.lines.size());
                for (std::size_t i = 0; i < by_product.size(); ++i) by_product[i] = i;
                std::sort(by_product.begin(), by_product.end(), [&](std::size_t a, std::size_t x) {
                    return o.lines[a].product.value() < o.lines[x].product.value();
                });
                std::vector<stock_movement> moves;
                std::vector<stock_shortage> shortages;
                const std::string why = "order " + o.number;
                for (const std::size_t i : by_product) {
                    const order_line& l = o.lines[i];
                    const std::int64_t version = k.lines[i].product_version;
                    if (shortages.empty()) {
                        if (auto t = storage::take_for_order(c, l.product, l.quantity, version,
                                                             now.micros())) {
                            const std::int64_t before = t->on_hand + l.quantity;
                            detail::run_hook(ctx.hub,
                                             before_stock_change_event{by, l.product, -l.quantity,
                                                                       before, t->on_hand, why});
                            stock_movement m;
                            m.product = l.product;
                            m.delta = -l.quantity;
                            m.on_hand_after = t->on_hand;
                            m.reason = why;
                            m.by_kind = by.kind();
                            m.by_user = me;
                            m.at = now;
                            moves.push_back(std::move(m));
                            detail::publish_stock_change(tx, ctx.hub, by, l.product, before,
                                                         t->on_hand, t->threshold, why, now);
                            continue;
                        }
                    }
                    const auto on_hand =
                        storage::locked_on_hand_if_unchanged(c, l.product, version);
                    if (!on_hand) throw changed_since_read{};
                    if (*on_hand < l.quantity)
                        shortages.push_back({l.product, l.quantity, *on_hand});
                }
                if (!shortages.empty()) throw insufficient_stock_error(std::move(shortages));
                storage::insert_movements(c, moves);
                const order_id id = storage::insert_order(c, o, r.idempotency_key, hash, k.id);
                o.id = id;
                for (const discount_code* d : used) {
                    switch (storage::count_discount_use(c, *d, me, now.micros(), id)) {
                        case storage::use_result::counted:
                            break;
                        case storage::use_result::changed:
                            throw changed_since_read{};
                        case storage::use_result::exhausted:
                            throw discount_rejected_error(
                                "exhausted", "code " + d->code + " has been used up", d->code);
                        case storage::use_result::customer_limit_reached:
                            throw discount_rejected_error(
                                "already_used",
                                "code " + d->code +
                                    " has already been used by this customer as often as allowed",
                                d->code);
                    }
                }
                storage::insert_order_parts(c, id, o);
                std::vector<std::string> code_texts;
                for (const order_code& x : o.codes) code_texts.push_back(x.code);
                detail::run_hook(ctx.hub,
                                 before_order_place_event{by, k.id, o.number,
                                                          static_cast<std::int64_t>(o.lines.size()),
                                                          o.total, code_texts});
                record(tx, o, by, "placed", std::nullopt, std::nullopt, "", now);
                if (!storage::close_cart(c, k.id, k.version, now.micros())) {
                    throw changed_since_read{};
                }
                order_placed_event e{by, id, o.number, me, o.total, {}, {}, now};
                for (const order_line& l : o.lines) {
                    e.products.push_back(l.product);
                    e.quantities.push_back(l.quantity);
                }
                detail::publish_after_commit(tx, ctx.hub, std::move(e));
            });
            o.version = 1;
            return o;
        } catch (const changed_since_read&) {
            if (attempt >= max_placement_attempts) {
                throw conflict_error("the cart kept changing while the order was being placed");
            }
        } catch (const conflict_error& e) {
            if (dynamic_cast<const idempotency_error*>(&e) != nullptr) throw;
            // The key was taken by a racing placement (or, rarely, the number): return that
            // order, or try again with a new number.
            auto existing =
                ctx.db->read([&](connection& c) { return repeat(c, by, r, hash, k.id); });
            if (existing) return std::move(*existing);
            if (attempt >= max_placement_attempts) throw;
        }
    }
}

order_service::order_service(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
order_service::~order_service() = default;

namespace detail {

std::unique_ptr<order_service> make_order_service(shop_context& ctx, const order_settings& s,
                                                  std::shared_ptr<payment_provider> payments,
                                                  bool ships) {
    constexpr std::int64_t thirty_days = std::int64_t{30} * 24 * 3600;
    if (s.payment_window_seconds < 60 || s.payment_window_seconds > thirty_days) {
        throw validation_error("orders", "payment_window_seconds must be between 60 and " +
                                             std::to_string(thirty_days));
    }
    return std::make_unique<order_service>(std::make_unique<order_service::impl>(
        order_service::impl{ctx, s, std::move(payments), ships}));
}

}  // namespace detail

order order_service::place_order(const actor& by, const checkout_request& request) {
    if (!signed_in(by)) throw authentication_error("sign in to place an order");
    detail::check_text("idempotency_key", request.idempotency_key, 1, 255);
    detail::check_text("note", request.note, 0, 1000, true);
    if (request.purchase) {
        (void)detail::checked_purchase(*request.purchase, impl_->ctx.accounts.default_country_code);
    }
    return impl_->place(by, request, request_hash(request));
}

order order_service::get(const actor& by, order_id id) {
    return impl_->ctx.db->read([&](connection& c) { return impl_->visible(c, by, id); });
}

order order_service::find_by_number(const actor& by, const std::string& number) {
    return impl_->ctx.db->read([&](connection& c) {
        const auto id = storage::find_order_by_number(c, number);
        if (!id) {
            if (!signed_in(by) && by.kind() != actor_kind::system) {
                throw authentication_error("sign in to see orders");
            }
            throw not_found_error("order " + number + " not found");
        }
        return impl_->visible(c, by, *id);
    });
}

namespace {

// Orders newest first by (placed_at, id), under a token tagged `tag`.
page<order> order_page(detail::shop_context& ctx, const std::string& tag, const order_filter& f,
                       const page_request& request,
                       const std::function<void(connection&)>& authorize) {
    const std::int64_t limit = effective_limit(request);
    std::optional<std::pair<std::int64_t, std::int64_t>> after;
    if (!request.token.empty()) {
        const auto parts = detail::decode_page_token(request.token);
        if (parts.size() != 3 || parts[0] != tag) {
            throw validation_error("token", "page token belongs to another query");
        }
        after.emplace(detail::parse_token_int(parts[1]), detail::parse_token_int(parts[2]));
    }
    return ctx.db->read([&](connection& c) {
        authorize(c);
        auto ids = storage::list_order_ids(c, f, after, limit + 1);
        page<order> out;
        const bool more = static_cast<std::int64_t>(ids.size()) > limit;
        if (more) ids.resize(static_cast<std::size_t>(limit));
        for (const order_id id : ids) {
            if (auto o = storage::load_order(c, ctx.shop_currency, id)) {
                out.items.push_back(std::move(*o));
            }
        }
        if (more && !out.items.empty()) {
            const order& last = out.items.back();
            out.next_token = detail::encode_page_token(
                {tag, std::to_string(last.placed_at.micros()), std::to_string(last.id.value())});
        }
        return out;
    });
}

}  // namespace

page<order> order_service::list_mine(const actor& by, const page_request& request) {
    if (!signed_in(by)) throw authentication_error("sign in to see your orders");
    order_filter f;
    f.customer = by.user();
    return order_page(impl_->ctx, "om" + std::to_string(by.user().value()), f, request,
                      [](connection&) {});
}

page<order> order_service::list(const actor& by, const order_filter& filter,
                                const page_request& request) {
    if (filter.placed_from && filter.placed_to && *filter.placed_to <= *filter.placed_from) {
        throw validation_error("placed_to", "must be after placed_from");
    }
    // The filter is part of the token's tag, so that a token cannot continue another listing.
    const auto part = [](const auto& v, const auto& text) {
        return v ? text(*v) : std::string("-");
    };
    const auto number = [](const auto& x) { return std::to_string(x.value()); };
    const auto micros = [](const timestamp& t) { return std::to_string(t.micros()); };
    const std::string tag =
        "oa" +
        part(filter.status, [](order_status st) { return std::string(order_status_name(st)); }) +
        '/' + part(filter.customer, number) + '/' + part(filter.placed_from, micros) + '/' +
        part(filter.placed_to, micros);
    return order_page(impl_->ctx, tag, filter, request, [&](connection& c) {
        detail::require_permission(c, by, permission::manage_orders, "list orders");
    });
}

order order_service::update_purchase_info(const actor& by, order_id id, const purchase_info& info,
                                          std::int64_t expected_version) {
    auto& ctx = impl_->ctx;
    const purchase_info p = detail::checked_purchase(info, ctx.accounts.default_country_code);
    return ctx.db->write([&](transaction_context& tx) {
        connection& c = tx.conn();
        const order o = impl_->visible(c, by, id);
        if (!is_editable(o.status)) {
            throw invalid_state_error("order " + o.number + " is " + order_status_name(o.status) +
                                      ": its purchase information can no longer change");
        }
        if (p.country != o.purchase.country) {
            throw validation_error("country",
                                   "the country priced shipping and tax; it cannot change");
        }
        if (p.province != o.purchase.province) {
            throw validation_error("province",
                                   "the province priced shipping and tax; it cannot change");
        }
        const timestamp now = ctx.now();
        if (!storage::set_purchase_info(c, id, p, expected_version, now.micros())) {
            throw conflict_error("order " + o.number + " was changed meanwhile (version " +
                                 std::to_string(o.version) + ")");
        }
        impl_->record(tx, o, by, "purchase_info_updated", std::nullopt, std::nullopt, "", now);
        return std::move(*storage::load_order(c, ctx.shop_currency, id));
    });
}

order order_service::change_status(const actor& by, order_id id, order_status to,
                                   const std::string& note) {
    detail::check_text("note", note, 0, 1000, true);
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        connection& c = tx.conn();
        detail::require_permission(c, by, permission::manage_orders, "change order status");
        order o = impl_->visible(c, by, id);
        if (to == order_status::paid) {
            throw invalid_state_error("an order becomes paid only by a verified payment");
        }
        if (!can_transition(o.status, to)) {
            throw invalid_state_error("order " + o.number + " cannot go from " +
                                      order_status_name(o.status) + " to " + order_status_name(to));
        }
        const timestamp now = ctx.now();
        if (to == order_status::cancelled || to == order_status::expired) {
            return impl_->release(tx, std::move(o), by, to, note, now);
        }
        if (!storage::set_order_status(c, id, o.status, to, now.micros(), std::nullopt)) {
            throw conflict_error("order " + o.number + " changed meanwhile");
        }
        impl_->record(tx, o, by, "status_changed", o.status, to, note, now);
        return std::move(*storage::load_order(c, ctx.shop_currency, id));
    });
}

order order_service::cancel(const actor& by, order_id id, const std::string& reason) {
    detail::check_text("note", reason, 0, 1000, true);
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        connection& c = tx.conn();
        order o = impl_->visible(c, by, id);
        const bool staff = by.kind() != actor_kind::customer &&
                           detail::has_permission(c, by, permission::manage_orders);
        if (o.status == order_status::paid && !staff) {
            throw invalid_state_error("order " + o.number + " is paid: ask the shop to cancel it");
        }
        if (o.status != order_status::pending_payment && o.status != order_status::paid) {
            throw invalid_state_error("order " + o.number + " is " + order_status_name(o.status) +
                                      " and cannot be cancelled");
        }
        return impl_->release(tx, std::move(o), by, order_status::cancelled, reason, ctx.now());
    });
}

std::int64_t order_service::expire_unpaid(const actor& by) {
    auto& ctx = impl_->ctx;
    ctx.db->read([&](connection& c) {
        detail::require_permission(c, by, permission::manage_orders, "expire unpaid orders");
    });
    std::int64_t expired = 0;
    for (;;) {
        const timestamp now = ctx.now();
        const auto due = ctx.db->read(
            [&](connection& c) { return storage::overdue_orders(c, now.micros(), 100); });
        for (const order_id id : due) {
            ctx.db->write([&](transaction_context& tx) {
                auto o = storage::load_order(tx.conn(), ctx.shop_currency, id);
                // Paid or cancelled since it was listed: leave it.
                if (!o || o->status != order_status::pending_payment || !o->payment_due_at ||
                    *o->payment_due_at > now) {
                    return;
                }
                impl_->release(tx, std::move(*o), actor::system(), order_status::expired,
                               "not paid in time", now);
                ++expired;
            });
        }
        if (due.size() < 100) return expired;
    }
}

std::vector<order_history_entry> order_service::history(const actor& by, order_id id) {
    return impl_->ctx.db->read([&](connection& c) {
        impl_->visible(c, by, id);
        return storage::load_history(c, id);
    });
}

payment_start order_service::start_payment(const actor& by, order_id id,
                                           const std::string& callback_url) {
    detail::check_text("callback_url", callback_url, 1, 2000);
    auto& ctx = impl_->ctx;
    if (!impl_->payments) throw invalid_state_error("the shop has no payment provider");
    const order o = get(by, id);
    if (o.status != order_status::pending_payment) {
        throw invalid_state_error("order " + o.number + " is " + order_status_name(o.status) +
                                  ", not waiting for payment");
    }
    payment_request pr{o.id,         o.number,        o.total, "Order " + o.number,
                       callback_url, o.purchase.phone};
    const payment_session session = impl_->payments->start(pr);
    const timestamp now = ctx.now();
    ctx.db->write([&](transaction_context& tx) {
        storage::payment_row p;
        p.order = o.id;
        p.provider = impl_->payments->name();
        p.authority = session.authority;
        p.amount_minor = o.total.minor_units();
        storage::insert_payment(tx.conn(), p, now.micros());
        impl_->record(tx, o, by, "payment_started", std::nullopt, std::nullopt,
                      p.provider + " " + session.authority, now);
    });
    return {session.authority, session.redirect_url};
}

payment_result order_service::verify_payment(const actor& by, const std::string& authority) {
    auto& ctx = impl_->ctx;
    if (!impl_->payments) throw invalid_state_error("the shop has no payment provider");
    const std::string provider = impl_->payments->name();
    const auto stored =
        ctx.db->read([&](connection& c) { return storage::find_payment(c, provider, authority); });
    if (!stored) throw not_found_error("no payment with authority " + authority);
    const auto answer = [&](const storage::payment_row& p) {
        payment_result out;
        out.order = ctx.db->read([&](connection& c) {
            return std::move(*storage::load_order(c, ctx.shop_currency, p.order));
        });
        out.status = p.status;
        out.reference_id = p.reference_id;
        out.message = p.message;
        return out;
    };
    if (stored->status != payment_status::started) return answer(*stored);

    const money expected = money::of_minor(stored->amount_minor, ctx.shop_currency);
    const payment_verification v = impl_->payments->verify(authority, expected);
    const timestamp now = ctx.now();
    ctx.db->write([&](transaction_context& tx) {
        connection& c = tx.conn();
        auto o = storage::load_order(c, ctx.shop_currency, stored->order);
        if (!o) throw not_found_error("the payment's order is gone");
        payment_status status = payment_status::failed;
        std::string message = v.message;
        if (v.paid && v.amount != o->total) {
            message =
                "paid " + v.amount.to_string() + ", the order total is " + o->total.to_string();
        } else if (v.paid && o->status == order_status::pending_payment) {
            status = payment_status::paid;
        } else if (v.paid) {
            status = payment_status::refund_due;
            message = std::string("paid while the order was ") + order_status_name(o->status);
        }
        // Another verification of this authority got here first: keep its answer.
        if (!storage::settle_payment(c, stored->id, status, v.paid ? v.reference_id : "", message,
                                     now.micros())) {
            return;
        }
        if (status == payment_status::paid) {
            storage::set_order_status(c, o->id, order_status::pending_payment, order_status::paid,
                                      now.micros(), now.micros());
            impl_->record(tx, *o, actor::system(), "paid", order_status::pending_payment,
                          order_status::paid, v.reference_id, now);
            detail::publish_after_commit(
                tx, ctx.hub, order_paid_event{o->id, o->number, o->total, v.reference_id, now});
        } else {
            impl_->record(
                tx, *o, by.kind() == actor_kind::anonymous ? actor::system() : by,
                status == payment_status::refund_due ? "payment_refund_due" : "payment_failed",
                std::nullopt, std::nullopt, message, now);
        }
    });
    const auto settled =
        ctx.db->read([&](connection& c) { return storage::find_payment(c, provider, authority); });
    return answer(*settled);
}

const char* payment_status_name(payment_status s) noexcept {
    switch (s) {
        case payment_status::started:
            return "started";
        case payment_status::paid:
            return "paid";
        case payment_status::failed:
            return "failed";
        case payment_status::refund_due:
            return "refund_due";
    }
    return "unknown";
}

}  // namespace shopcore

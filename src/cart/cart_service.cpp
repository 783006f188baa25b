#include <shopcore/cart/cart_service.hpp>

#include <algorithm>
#include <unordered_map>
#include <utility>

#include <shopcore/core/error.hpp>
#include <shopcore/events/events.hpp>
#include <shopcore/pricing/pricing_engine.hpp>

#include "account/authorization.hpp"
#include "account/crypto.hpp"
#include "core/validate.hpp"
#include "events/publish.hpp"
#include "pricing/discount_rules.hpp"
#include "service_impls.hpp"
#include "storage/account_store.hpp"
#include "storage/cart_store.hpp"
#include "storage/discount_store.hpp"

namespace shopcore {
namespace {

using storage::connection;

bool signed_in(const actor& by) {
    return by.kind() == actor_kind::customer || by.kind() == actor_kind::admin;
}

void require_user(const actor& by, const char* what) {
    if (!signed_in(by)) {
        throw authentication_error(std::string("sign in to ") + what);
    }
}

const cart_line* find_line(const cart& k, product_id product) {
    for (const cart_line& l : k.lines) {
        if (l.product == product) return &l;
    }
    return nullptr;
}

std::int64_t total_quantity(const cart& k) {
    std::int64_t n = 0;
    for (const cart_line& l : k.lines) n += l.quantity;
    return n;
}

// What pricing needs from the database, loaded on one connection.
struct pricing_input {
    pricing_request request;
    std::vector<cart_problem> problems;
    std::vector<discount_id> code_ids;  // parallel to request.codes
};

}  // namespace

struct cart_service::impl {
    detail::shop_context& ctx;
    cart_settings settings;

    [[nodiscard]] timestamp expiry(const cart& k, timestamp now) const {
        const std::int64_t ttl = k.owner ? settings.user_ttl_seconds : settings.guest_ttl_seconds;
        return timestamp::from_micros(now.micros() + ttl * 1000000);
    }

    // The cart to read: none for a user without a (live) cart.
    std::optional<cart> find(connection& c, const actor& by, const cart_ref& ref, timestamp now) {
        std::optional<cart_id> id;
        if (!ref.guest_token.empty()) {
            id = storage::find_cart_by_token(c, detail::sha256_hex(ref.guest_token));
            if (!id) throw not_found_error("no such cart");
        } else {
            require_user(by, "use a cart");
            id = storage::find_cart_by_owner(c, by.user());
            if (!id) return std::nullopt;
        }
        auto k = storage::load_cart(c, *id);
        if (!k) throw not_found_error("no such cart");
        if (k->expires_at <= now) {
            if (!ref.guest_token.empty()) throw not_found_error("the cart has expired");
            return std::nullopt;
        }
        return k;
    }

    // The cart to change, locked. A user without a live cart gets an unsaved one (id 0; an
    // expired one is deleted first).
    cart open_for_write(connection& c, const actor& by, const cart_ref& ref, timestamp now) {
        std::optional<cart_id> id;
        if (!ref.guest_token.empty()) {
            id = storage::find_cart_by_token(c, detail::sha256_hex(ref.guest_token));
            if (!id) throw not_found_error("no such cart");
        } else {
            require_user(by, "use a cart");
            id = storage::find_cart_by_owner(c, by.user());
        }
        if (id) {
            storage::lock_cart(c, *id);
            // Gone since it was found (a purge, or another request restarting an expired
            // cart): a guest's is gone for good, a user's is created afresh below.
            auto k = storage::load_cart(c, *id);
            if (!k && !ref.guest_token.empty()) throw not_found_error("no such cart");
            if (k && k->expires_at > now) return std::move(*k);
            if (k && !ref.guest_token.empty()) throw not_found_error("the cart has expired");
            if (k) storage::delete_cart(c, *id);
        }
        // Not created yet: materialize() creates it when a change actually writes, so that a
        // change that changes nothing writes nothing.
        cart k;
        k.owner = by.user();
        k.created_at = now;
        k.updated_at = now;
        k.expires_at = expiry(k, now);
        return k;
    }

    // Creates the user's cart that open_for_write() left unsaved (id 0); no-op otherwise.
    void materialize(connection& c, cart& k, timestamp now) {
        if (k.id.value() != 0) return;
        k.id = storage::insert_cart(c, std::nullopt, k.owner, now, k.expires_at);
        k.version = 1;
    }

    // Runs `work(tx, cart)` in a write transaction on the cart, locked. Two first changes by
    // one user race to create their cart; the loser's insert violates the unique owner and is
    // retried, finding the winner's cart.
    template <class F>
    auto change(const actor& by, const cart_ref& ref, timestamp now, F&& work) {
        for (int attempt = 1;; ++attempt) {
            try {
                return ctx.db->write([&](storage::transaction_context& tx) {
                    return work(tx, open_for_write(tx.conn(), by, ref, now));
                });
            } catch (const conflict_error&) {
                if (!ref.guest_token.empty() || attempt >= 3) throw;
            }
        }
    }

    // Bumps the cart's version and expiry after a change; returns the stored cart.
    cart finish(connection& c, cart k, timestamp now) {
        materialize(c, k, now);
        k.updated_at = now;
        k.expires_at = expiry(k, now);
        storage::touch_cart(c, k);
        return std::move(*storage::load_cart(c, k.id));
    }

    storage::product_facts sellable(connection& c, product_id product) {
        auto f = storage::load_product_facts(c, product);
        if (!f) throw not_found_error("product " + std::to_string(product.value()) + " not found");
        if (!f->active) {
            throw invalid_state_error("product " + std::to_string(product.value()) +
                                      " is not for sale");
        }
        return *f;
    }

    // Checks a line's new quantity against the limits and the stock.
    void check_quantity(const cart& k, product_id product, std::int64_t quantity,
                        const storage::product_facts& f) {
        const cart_line* old = find_line(k, product);
        if (quantity > settings.max_line_quantity) {
            throw validation_error("quantity", "at most " +
                                                   std::to_string(settings.max_line_quantity) +
                                                   " units of one product per cart");
        }
        if (old == nullptr && static_cast<std::int64_t>(k.lines.size()) >= settings.max_lines) {
            throw validation_error(
                "lines", "at most " + std::to_string(settings.max_lines) + " products per cart");
        }
        const std::int64_t total =
            total_quantity(k) - (old != nullptr ? old->quantity : 0) + quantity;
        if (total > settings.max_total_quantity) {
            throw validation_error(
                "quantity",
                "at most " + std::to_string(settings.max_total_quantity) + " units per cart");
        }
        if (quantity > f.on_hand) {
            throw insufficient_stock_error(product, quantity, std::max<std::int64_t>(f.on_hand, 0));
        }
    }

    // Sets a line (0 removes it) in a locked cart, with an event after commit.
    cart write_line(storage::transaction_context& tx, const actor& by, cart k, product_id product,
                    std::int64_t quantity, timestamp now) {
        connection& c = tx.conn();
        const cart_line* old = find_line(k, product);
        const std::int64_t before = old != nullptr ? old->quantity : 0;
        if (quantity == before) return k;
        materialize(c, k, now);
        if (quantity == 0) {
            storage::delete_line(c, k.id, product);
        } else if (old != nullptr) {
            storage::update_line(c, k.id, product, quantity);
        } else {
            storage::insert_line(c, k.id, {product, quantity, now},
                                 storage::next_line_position(c, k.id));
        }
        cart out = finish(c, std::move(k), now);
        detail::publish_after_commit(
            tx, ctx.hub, cart_changed_event{by, out.id, out.owner, product, before, quantity, now});
        return out;
    }

    // The pricing request for a cart, read on `c`.
    pricing_input gather(connection& c, const cart& k, timestamp now) {
        pricing_input in;
        const currency cur = ctx.shop_currency;
        std::unordered_map<std::int64_t, std::vector<category_id>> paths;
        for (const cart_line& l : k.lines) {
            auto f = storage::load_product_facts(c, l.product);
            if (!f || !f->active) {
                in.problems.push_back({cart_problem_kind::inactive, l.product, 0});
                continue;
            }
            if (f->on_hand < l.quantity) {
                in.problems.push_back({cart_problem_kind::insufficient_stock, l.product,
                                       std::max<std::int64_t>(f->on_hand, 0)});
            }
            pricing_line line;
            line.product = l.product;
            if (f->category) {
                auto it = paths.find(f->category->value());
                if (it == paths.end()) {
                    std::vector<category_id> path;
                    for (std::optional<category_id> at = f->category; at && path.size() < 1000;
                         at = storage::category_parent(c, *at)) {
                        path.push_back(*at);
                    }
                    it = paths.emplace(f->category->value(), std::move(path)).first;
                }
                line.categories = it->second;
            }
            line.unit_price = money::of_minor(f->price_minor, cur);
            line.sale_unit_price = money::of_minor(f->sale_price_minor, cur);
            line.quantity = l.quantity;
            line.unit_weight = weight::of_grams(f->weight_grams);
            in.request.lines.push_back(std::move(line));
        }
        in.request.customer = k.owner;
        if (k.owner) {
            auto u = storage::load_user(c, *k.owner);
            in.request.staff = u && u->user.role == role::admin && u->user.active;
        }
        for (const discount_id id : storage::cart_code_ids(c, k.id)) {
            auto d = storage::load_discount(c, cur, id);
            if (!d) continue;
            discount_offer offer{std::move(*d), 0};
            if (k.owner) offer.customer_uses = storage::customer_uses(c, id, *k.owner);
            in.request.codes.push_back(std::move(offer));
            in.code_ids.push_back(id);
        }
        in.request.destination = k.destination;
        in.request.shipping_method = k.shipping_method;
        in.request.at = now;
        return in;
    }

    // Judges code `d` joining cart `k`, whose pricing input is `in` and price without it is
    // `before`: it must apply, push out no code that applied without it, and pass the
    // before_discount_apply hooks. @returns what it takes; `in` then offers it too.
    // @throws discount_rejected_error (the engine's reason, not_combinable, or vetoed); `in`
    // is then unchanged.
    money admit_code(connection& c, const actor& by, const cart& k, pricing_input& in,
                     const price_breakdown& before, const discount_code& d) {
        discount_offer offer{d, 0};
        if (k.owner) offer.customer_uses = storage::customer_uses(c, d.id, *k.owner);
        in.request.codes.push_back(std::move(offer));
        try {
            const price_breakdown after = ctx.pricing->price(in.request);
            for (const refused_discount& r : after.refused) {
                if (r.code == d.code) {
                    throw discount_rejected_error(discount_refusal_name(r.reason), r.message,
                                                  d.code, r.missing_amount, r.missing_quantity);
                }
                const bool refused_before =
                    std::any_of(before.refused.begin(), before.refused.end(),
                                [&](const refused_discount& b) { return b.code == r.code; });
                if (!refused_before) {
                    throw discount_rejected_error(
                        "not_combinable", "code " + d.code + " cannot be combined with " + r.code,
                        d.code);
                }
            }
            money amount = money::zero(ctx.shop_currency);
            for (const applied_discount& a : after.applied) {
                if (a.code == d.code) amount = a.amount;
            }
            try {
                detail::run_hook(
                    ctx.hub, before_discount_apply_event{by, k.id, k.owner, d.code, d.id, amount,
                                                         after.subtotal});
            } catch (const hook_rejected_error& e) {
                throw discount_rejected_error(
                    "vetoed", "code " + d.code + " was refused: " + e.reason(), d.code);
            }
            return amount;
        } catch (...) {
            in.request.codes.pop_back();
            throw;
        }
    }

    priced_cart priced(connection& c, cart k, timestamp now) {
        pricing_input in = gather(c, k, now);
        priced_cart out;
        out.breakdown = ctx.pricing->price(in.request);
        out.problems = std::move(in.problems);
        if (out.breakdown.shipping.status == shipping_status::no_method_available ||
            out.breakdown.shipping.status == shipping_status::method_unavailable) {
            out.problems.push_back({cart_problem_kind::shipping_unavailable, std::nullopt, 0});
        }
        out.cart = std::move(k);
        return out;
    }
};

namespace detail {

void check_cart_settings(const cart_settings& s) {
    const auto in = [](std::int64_t v, std::int64_t lo, std::int64_t hi) {
        return v >= lo && v <= hi;
    };
    constexpr std::int64_t ten_years = std::int64_t{10} * 365 * 24 * 3600;
    if (!in(s.max_line_quantity, 1, 1000000) || !in(s.max_lines, 1, 10000) ||
        !in(s.max_total_quantity, 1, 100000000) || !in(s.max_codes, 0, 100) ||
        !in(s.guest_ttl_seconds, 1, ten_years) || !in(s.user_ttl_seconds, 1, ten_years)) {
        throw validation_error("carts",
                               "a cart limit or lifetime is out of range "
                               "(docs/concepts/cart.md lists the ranges)");
    }
}

std::unique_ptr<cart_service> make_cart_service(shop_context& ctx, const cart_settings& s) {
    check_cart_settings(s);
    return std::make_unique<cart_service>(
        std::make_unique<cart_service::impl>(cart_service::impl{ctx, s}));
}

}  // namespace detail

const char* cart_problem_kind_name(cart_problem_kind kind) noexcept {
    switch (kind) {
        case cart_problem_kind::inactive:
            return "inactive";
        case cart_problem_kind::insufficient_stock:
            return "insufficient_stock";
        case cart_problem_kind::shipping_unavailable:
            return "shipping_unavailable";
    }
    return "unknown";
}

cart_service::cart_service(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
cart_service::~cart_service() = default;

const cart_settings& cart_service::settings() const noexcept { return impl_->settings; }

guest_cart cart_service::create_guest_cart(const actor& by) {
    (void)by;  // open to everyone
    auto& ctx = impl_->ctx;
    guest_cart out;
    out.token = detail::random_token();
    const std::string hash = detail::sha256_hex(out.token);
    const timestamp now = ctx.now();
    out.cart = ctx.db->write([&](storage::transaction_context& tx) {
        cart k;
        k.created_at = now;
        const timestamp expires = impl_->expiry(k, now);
        const cart_id id = storage::insert_cart(tx.conn(), hash, std::nullopt, now, expires);
        return std::move(*storage::load_cart(tx.conn(), id));
    });
    return out;
}

cart cart_service::get(const actor& by, const cart_ref& ref) {
    auto& ctx = impl_->ctx;
    const timestamp now = ctx.now();
    return ctx.db->read([&](connection& c) {
        auto k = impl_->find(c, by, ref, now);
        if (k) return std::move(*k);
        cart empty;
        empty.owner = by.user();
        return empty;
    });
}

cart cart_service::add_item(const actor& by, const cart_ref& ref, product_id product,
                            std::int64_t quantity) {
    if (quantity < 1) throw validation_error("quantity", "add at least one unit");
    auto& ctx = impl_->ctx;
    const timestamp now = ctx.now();
    return impl_->change(by, ref, now, [&](storage::transaction_context& tx, cart k) {
        connection& c = tx.conn();
        const auto f = impl_->sellable(c, product);
        const cart_line* old = find_line(k, product);
        const std::int64_t held = old != nullptr ? old->quantity : 0;
        if (quantity > impl_->settings.max_line_quantity - held) {  // checked before adding
            throw validation_error("quantity",
                                   "at most " + std::to_string(impl_->settings.max_line_quantity) +
                                       " units of one product per cart");
        }
        const std::int64_t wanted = held + quantity;
        impl_->check_quantity(k, product, wanted, f);
        return impl_->write_line(tx, by, std::move(k), product, wanted, now);
    });
}

cart cart_service::set_quantity(const actor& by, const cart_ref& ref, product_id product,
                                std::int64_t quantity) {
    if (quantity < 0) throw validation_error("quantity", "a quantity cannot be negative");
    auto& ctx = impl_->ctx;
    const timestamp now = ctx.now();
    return impl_->change(by, ref, now, [&](storage::transaction_context& tx, cart k) {
        connection& c = tx.conn();
        // Lowering a line is always allowed, even when its product stopped selling or its
        // stock fell below it: that is how a customer fixes such a cart.
        const cart_line* old = find_line(k, product);
        const bool lowering = old != nullptr && quantity <= old->quantity;
        if (quantity > 0 && !lowering) {
            const auto f = impl_->sellable(c, product);
            impl_->check_quantity(k, product, quantity, f);
        }
        return impl_->write_line(tx, by, std::move(k), product, quantity, now);
    });
}

cart cart_service::remove_item(const actor& by, const cart_ref& ref, product_id product) {
    auto& ctx = impl_->ctx;
    const timestamp now = ctx.now();
    return impl_->change(by, ref, now, [&](storage::transaction_context& tx, cart k) {
        if (find_line(k, product) == nullptr) {
            throw not_found_error("product " + std::to_string(product.value()) +
                                  " is not in the cart");
        }
        return impl_->write_line(tx, by, std::move(k), product, 0, now);
    });
}

cart cart_service::clear(const actor& by, const cart_ref& ref) {
    auto& ctx = impl_->ctx;
    const timestamp now = ctx.now();
    return impl_->change(by, ref, now, [&](storage::transaction_context& tx, cart k) {
        connection& c = tx.conn();
        if (k.lines.empty() && k.codes.empty()) return k;
        const auto ids = storage::cart_code_ids(c, k.id);
        storage::delete_lines(c, k.id);
        storage::delete_cart_codes(c, k.id);
        for (std::size_t i = 0; i < ids.size() && i < k.codes.size(); ++i) {
            detail::publish_after_commit(tx, ctx.hub,
                                         discount_removed_event{by, k.id, k.codes[i], ids[i], now});
        }
        cart out = impl_->finish(c, std::move(k), now);
        detail::publish_after_commit(
            tx, ctx.hub, cart_changed_event{by, out.id, out.owner, std::nullopt, 0, 0, now});
        return out;
    });
}

cart cart_service::apply_code(const actor& by, const cart_ref& ref, const std::string& code) {
    auto& ctx = impl_->ctx;
    const std::string text = detail::normalize_code(code);
    const timestamp now = ctx.now();
    return impl_->change(by, ref, now, [&](storage::transaction_context& tx, cart k) {
        connection& c = tx.conn();
        if (std::find(k.codes.begin(), k.codes.end(), text) != k.codes.end()) {
            throw discount_rejected_error("already_applied", "code " + text + " is already applied",
                                          text);
        }
        auto d = text.empty() ? std::nullopt
                              : storage::load_discount_by_code(c, ctx.shop_currency, text);
        if (!d) {
            throw discount_rejected_error("unknown_code", "there is no code " + text, text);
        }
        if (static_cast<std::int64_t>(k.codes.size()) >= impl_->settings.max_codes) {
            throw validation_error("codes", "at most " + std::to_string(impl_->settings.max_codes) +
                                                " codes per cart");
        }
        pricing_input in = impl_->gather(c, k, now);
        const price_breakdown before = ctx.pricing->price(in.request);
        impl_->materialize(c, k, now);  // the hook sees the cart's real id
        const money amount = impl_->admit_code(c, by, k, in, before, *d);
        storage::insert_cart_code(c, k.id, d->id, storage::next_code_position(c, k.id));
        cart out = impl_->finish(c, std::move(k), now);
        detail::publish_after_commit(tx, ctx.hub,
                                     discount_applied_event{by, out.id, text, d->id, amount, now});
        return out;
    });
}

cart cart_service::remove_code(const actor& by, const cart_ref& ref, const std::string& code) {
    auto& ctx = impl_->ctx;
    const std::string text = detail::normalize_code(code);
    const timestamp now = ctx.now();
    return impl_->change(by, ref, now, [&](storage::transaction_context& tx, cart k) {
        connection& c = tx.conn();
        const auto ids = storage::cart_code_ids(c, k.id);
        const auto at = std::find(k.codes.begin(), k.codes.end(), text);
        if (at == k.codes.end()) throw not_found_error("code " + text + " is not on the cart");
        const discount_id id = ids.at(static_cast<std::size_t>(at - k.codes.begin()));
        storage::delete_cart_code(c, k.id, id);
        cart out = impl_->finish(c, std::move(k), now);
        detail::publish_after_commit(tx, ctx.hub,
                                     discount_removed_event{by, out.id, text, id, now});
        return out;
    });
}

cart cart_service::set_destination(const actor& by, const cart_ref& ref,
                                   const shipping_destination& to) {
    if (!detail::is_country_code(to.country)) {
        throw validation_error("country",
                               "country \"" + to.country + "\" is not two upper-case letters");
    }
    detail::check_text("province", to.province, 0, 200);
    auto& ctx = impl_->ctx;
    const timestamp now = ctx.now();
    return impl_->change(by, ref, now, [&](storage::transaction_context& tx, cart k) {
        k.destination = to;
        return impl_->finish(tx.conn(), std::move(k), now);
    });
}

cart cart_service::choose_shipping(const actor& by, const cart_ref& ref,
                                   const std::string& method_code) {
    auto& ctx = impl_->ctx;
    if (!method_code.empty()) {
        const auto& methods = ctx.pricing->shipping().methods();
        const bool known = std::any_of(methods.begin(), methods.end(),
                                       [&](const auto& m) { return m.code == method_code; });
        if (!known) {
            throw validation_error("shipping_method", "no shipping method \"" + method_code + "\"");
        }
    }
    const timestamp now = ctx.now();
    return impl_->change(by, ref, now, [&](storage::transaction_context& tx, cart k) {
        k.shipping_method = method_code;
        return impl_->finish(tx.conn(), std::move(k), now);
    });
}

priced_cart cart_service::price(const actor& by, const cart_ref& ref) {
    auto& ctx = impl_->ctx;
    const timestamp now = ctx.now();
    return ctx.db->read([&](connection& c) {
        auto k = impl_->find(c, by, ref, now);
        cart found;
        if (k) {
            found = std::move(*k);
        } else {
            found.owner = by.user();
        }
        return impl_->priced(c, std::move(found), now);
    });
}

cart cart_service::merge_guest_cart(const actor& by, const std::string& guest_token) {
    require_user(by, "merge a cart");
    auto& ctx = impl_->ctx;
    const cart_settings& s = impl_->settings;
    const timestamp now = ctx.now();
    return impl_->change(by, cart_ref{}, now, [&](storage::transaction_context& tx, cart mine) {
        connection& c = tx.conn();
        const auto guest_id = storage::find_cart_by_token(c, detail::sha256_hex(guest_token));
        if (guest_token.empty() || !guest_id) throw not_found_error("no such cart");
        storage::lock_cart(c, *guest_id);
        auto guest = storage::load_cart(c, *guest_id);
        if (!guest || guest->expires_at <= now) throw not_found_error("the cart has expired");
        const auto guest_codes = storage::cart_code_ids(c, guest->id);
        impl_->materialize(c, mine, now);

        if (s.merge_policy != cart_merge_policy::keep_user) {
            // The merged quantities, user's lines first, then the guest's new products.
            std::vector<cart_line> merged;
            if (s.merge_policy != cart_merge_policy::guest_replaces || guest->lines.empty()) {
                merged = mine.lines;
            }
            for (const cart_line& g : guest->lines) {
                auto it = std::find_if(merged.begin(), merged.end(),
                                       [&](const cart_line& l) { return l.product == g.product; });
                if (it == merged.end()) {
                    merged.push_back(g);
                } else if (s.merge_policy == cart_merge_policy::add_quantities) {
                    it->quantity += g.quantity;
                } else {
                    it->quantity = std::max(it->quantity, g.quantity);
                }
            }
            // Capped by stock, the line and cart limits; unsellable products dropped.
            std::vector<cart_line> kept;
            std::int64_t total = 0;
            for (cart_line l : merged) {
                const auto f = storage::load_product_facts(c, l.product);
                if (!f || !f->active) continue;
                l.quantity = std::min(
                    {l.quantity, f->on_hand, s.max_line_quantity, s.max_total_quantity - total});
                if (l.quantity <= 0 || static_cast<std::int64_t>(kept.size()) >= s.max_lines) {
                    continue;
                }
                total += l.quantity;
                kept.push_back(l);
            }
            storage::delete_lines(c, mine.id);
            for (std::size_t i = 0; i < kept.size(); ++i) {
                storage::insert_line(c, mine.id, kept[i], static_cast<std::int64_t>(i));
            }
            if (!mine.destination) mine.destination = guest->destination;
            if (mine.shipping_method.empty()) mine.shipping_method = guest->shipping_method;
            mine.lines = kept;

            // The guest's codes join when they still apply together with the user's, as
            // apply_code() would have it: neither refused nor pushing out another code, and
            // accepted by the before_discount_apply hooks for this customer. A code that does
            // not join is dropped quietly: the sign-in must not fail for it.
            auto mine_codes = storage::cart_code_ids(c, mine.id);
            pricing_input in = impl_->gather(c, mine, now);
            price_breakdown before = ctx.pricing->price(in.request);
            for (std::size_t i = 0; i < guest_codes.size(); ++i) {
                if (static_cast<std::int64_t>(mine_codes.size()) >= s.max_codes) break;
                if (std::find(mine_codes.begin(), mine_codes.end(), guest_codes[i]) !=
                    mine_codes.end()) {
                    continue;
                }
                const auto d = storage::load_discount(c, ctx.shop_currency, guest_codes[i]);
                if (!d) continue;
                money amount;
                try {
                    amount = impl_->admit_code(c, by, mine, in, before, *d);
                } catch (const discount_rejected_error&) {
                    continue;
                }
                storage::insert_cart_code(c, mine.id, d->id,
                                          storage::next_code_position(c, mine.id));
                mine_codes.push_back(d->id);
                before = ctx.pricing->price(in.request);
                detail::publish_after_commit(
                    tx, ctx.hub, discount_applied_event{by, mine.id, d->code, d->id, amount, now});
            }
        }
        storage::delete_cart(c, guest->id);
        cart out = impl_->finish(c, std::move(mine), now);
        detail::publish_after_commit(tx, ctx.hub,
                                     cart_merged_event{by.user(), guest->id, out.id, now});
        return out;
    });
}

std::int64_t cart_service::purge_expired(const actor& by) {
    auto& ctx = impl_->ctx;
    ctx.db->read([&](connection& c) {
        detail::require_permission(c, by, permission::manage_orders, "purge carts");
    });
    const timestamp now = ctx.now();
    // In batches, each its own transaction, so that a large backlog never holds the write
    // lock (SQLite) or many row locks for long.
    constexpr std::int64_t batch = 200;
    std::int64_t deleted = 0;
    std::int64_t after = 0;
    for (;;) {
        const auto r = ctx.db->write([&](storage::transaction_context& tx) {
            return storage::purge_carts(tx.conn(), now, after, batch);
        });
        deleted += r.deleted;
        after = r.last_id;
        if (r.examined < batch) return deleted;
    }
}

}  // namespace shopcore

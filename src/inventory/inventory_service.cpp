#include <shopcore/inventory/inventory_service.hpp>

#include <limits>

#include <shopcore/core/error.hpp>

#include "account/authorization.hpp"
#include "core/page_token.hpp"
#include "core/validate.hpp"
#include "events/publish.hpp"
#include "inventory/stock_events.hpp"
#include "service_impls.hpp"
#include "storage/stock_store.hpp"

namespace shopcore {

inventory_service::inventory_service(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
inventory_service::~inventory_service() = default;

namespace {

using storage::connection;
using storage::transaction_context;

stock_level must_load(connection& c, product_id product) {
    auto s = storage::load_stock(c, product);
    if (!s) throw not_found_error("product " + std::to_string(product.value()) + " not found");
    return *s;
}

void check_reason(const std::string& reason) { detail::check_text("reason", reason, 1, 500); }

// Records the movement and queues the notifications for a change from `before` to `after`.
void record_change(transaction_context& tx, detail::shop_context& ctx, const actor& by,
                   const stock_level& after, std::int64_t before, const std::string& reason) {
    const std::int64_t delta = after.on_hand - before;
    stock_movement m;
    m.product = after.product;
    m.delta = delta;
    m.on_hand_after = after.on_hand;
    m.reason = reason;
    m.by_kind = by.kind();
    if (by.user().is_valid()) m.by_user = by.user();
    m.at = after.updated_at;
    storage::insert_movement(tx.conn(), m);

    detail::publish_stock_change(tx, ctx.hub, by, after.product, before, after.on_hand,
                                 after.low_stock_threshold, reason, after.updated_at);
}

// Locks the stock row (PostgreSQL/MySQL; SQLite's BEGIN IMMEDIATE already holds the write lock)
// and reads it: the level cannot change before this transaction ends. Locking writes nothing.
stock_level lock_and_load(connection& conn, product_id product) {
    if (!storage::lock_stock_row(conn, product)) {
        throw not_found_error("product " + std::to_string(product.value()) + " not found");
    }
    return must_load(conn, product);
}

// Applies `delta` to the locked level `before`: hook, conditional update, audit row, events.
stock_level apply_delta(transaction_context& tx, detail::shop_context& ctx, const actor& by,
                        const stock_level& before, std::int64_t delta, const std::string& reason) {
    auto& conn = tx.conn();
    const product_id product = before.product;
    const timestamp now = ctx.now();
    // before.on_hand >= 0, so only a positive delta can overflow.
    if (delta > 0 && delta > std::numeric_limits<std::int64_t>::max() - before.on_hand) {
        throw validation_error("delta", "would take stock past the largest count");
    }
    if (before.on_hand + delta < 0) {
        throw insufficient_stock_error(product, -delta, before.on_hand);
    }
    detail::run_hook(ctx.hub, before_stock_change_event{by, product, delta, before.on_hand,
                                                        before.on_hand + delta, reason});
    if (!storage::try_adjust_stock(conn, product, delta, now.micros())) {
        throw insufficient_stock_error(product, -delta, before.on_hand);
    }
    const stock_level after = must_load(conn, product);
    record_change(tx, ctx, by, after, before.on_hand, reason);
    return after;
}

}  // namespace

stock_level inventory_service::stock_of(const actor& by, product_id product) {
    return impl_->ctx.db->read([&](connection& c) {
        // Customers cannot see inactive products in the catalog, so not their stock either.
        if (!by.is_staff() && !storage::product_is_active(c, product).value_or(false)) {
            throw not_found_error("product " + std::to_string(product.value()) + " not found");
        }
        return must_load(c, product);
    });
}

stock_level inventory_service::set_stock(const actor& by, product_id product, std::int64_t on_hand,
                                         const std::string& reason) {
    detail::require_staff(by, "set stock");
    if (on_hand < 0) throw validation_error("on_hand", "must not be negative");
    check_reason(reason);
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        detail::require_permission(tx.conn(), by, permission::manage_inventory, "set stock");
        const stock_level current = lock_and_load(tx.conn(), product);
        if (current.on_hand == on_hand) return current;
        return apply_delta(tx, ctx, by, current, on_hand - current.on_hand, reason);
    });
}

stock_level inventory_service::adjust_stock(const actor& by, product_id product, std::int64_t delta,
                                            const std::string& reason) {
    detail::require_staff(by, "adjust stock");
    if (delta == 0) throw validation_error("delta", "must not be zero");
    // -delta (the units requested) must be representable.
    if (delta == std::numeric_limits<std::int64_t>::min()) {
        throw validation_error("delta", "is out of range");
    }
    check_reason(reason);
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        detail::require_permission(tx.conn(), by, permission::manage_inventory, "adjust stock");
        return apply_delta(tx, ctx, by, lock_and_load(tx.conn(), product), delta, reason);
    });
}

stock_level inventory_service::take_stock(const actor& by, product_id product, quantity units,
                                          const std::string& reason) {
    detail::require_staff(by, "take stock");
    if (units.value() < 1) throw validation_error("quantity", "must be at least 1");
    check_reason(reason);
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        detail::require_permission(tx.conn(), by, permission::manage_inventory, "take stock");
        auto& conn = tx.conn();
        // The primitive checkout relies on: one conditional UPDATE, affected rows checked.
        const std::int64_t now = ctx.now().micros();
        if (!storage::try_take_stock(conn, product, units.value(), now)) {
            // Refused. Lock the row before reading it, so the availability we report is the
            // one the refusal is based on (under READ COMMITTED a plain read could already see
            // a later restock); if a restock did land meanwhile, take from it.
            const stock_level current = lock_and_load(conn, product);
            if (current.on_hand < units.value() ||
                !storage::try_take_stock(conn, product, units.value(), now)) {
                throw insufficient_stock_error(product, units.value(), current.on_hand);
            }
        }
        const stock_level after = must_load(conn, product);
        const std::int64_t before = after.on_hand + units.value();
        detail::run_hook(ctx.hub, before_stock_change_event{by, product, -units.value(), before,
                                                            after.on_hand, reason});
        record_change(tx, ctx, by, after, before, reason);
        return after;
    });
}

stock_level inventory_service::set_low_stock_threshold(const actor& by, product_id product,
                                                       std::int64_t threshold) {
    detail::require_staff(by, "change stock thresholds");
    if (threshold < 0) throw validation_error("threshold", "must not be negative");
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        detail::require_permission(tx.conn(), by, permission::manage_inventory,
                                   "change stock thresholds");
        must_load(tx.conn(), product);
        storage::set_threshold(tx.conn(), product, threshold, ctx.now().micros());
        return must_load(tx.conn(), product);
    });
}

page<stock_movement> inventory_service::movements(const actor& by, product_id product,
                                                  const page_request& request) {
    detail::require_staff(by, "read the stock log");
    const std::int64_t limit = effective_limit(request);
    std::optional<std::int64_t> before_id;
    if (!request.token.empty()) {
        auto parts = detail::decode_page_token(request.token);
        if (parts.size() != 3 || parts[0] != "m1" || parts[1] != std::to_string(product.value())) {
            throw validation_error("token", "page token belongs to another query");
        }
        before_id = detail::parse_token_int(parts[2]);
    }
    auto rows = impl_->ctx.db->read([&](connection& c) {
        detail::require_permission(c, by, permission::manage_inventory, "read the stock log");
        must_load(c, product);
        return storage::load_movements(c, product, before_id, limit + 1);
    });
    page<stock_movement> out;
    if (static_cast<std::int64_t>(rows.size()) > limit) {
        rows.resize(static_cast<std::size_t>(limit));
        out.next_token = detail::encode_page_token(
            {"m1", std::to_string(product.value()), std::to_string(rows.back().id)});
    }
    out.items = std::move(rows);
    return out;
}

}  // namespace shopcore

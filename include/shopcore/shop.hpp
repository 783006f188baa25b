#ifndef SHOPCORE_SHOP_HPP
#define SHOPCORE_SHOP_HPP

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <shopcore/account/account_service.hpp>
#include <shopcore/account/password_policy.hpp>
#include <shopcore/cart/cart.hpp>
#include <shopcore/cart/cart_service.hpp>
#include <shopcore/catalog/catalog_service.hpp>
#include <shopcore/core/clock.hpp>
#include <shopcore/core/currency.hpp>
#include <shopcore/core/error.hpp>
#include <shopcore/discount/discount_service.hpp>
#include <shopcore/engagement/engagement_service.hpp>
#include <shopcore/events/event_hub.hpp>
#include <shopcore/export.hpp>
#include <shopcore/inventory/inventory_service.hpp>
#include <shopcore/order/order.hpp>
#include <shopcore/order/order_service.hpp>
#include <shopcore/order/payment_provider.hpp>
#include <shopcore/pricing/pricing_engine.hpp>
#include <shopcore/pricing/tax.hpp>
#include <shopcore/recommend/recommender.hpp>
#include <shopcore/shipping/shipping_rule.hpp>
#include <shopcore/support/support_service.hpp>
#include <shopcore/version.hpp>

namespace shopcore {

/// SQLite's `PRAGMA synchronous` level (ignored by the server backends).
enum class sqlite_synchronous {
    off,     ///< No fsync: fast, can corrupt on power loss. Tests only.
    normal,  ///< WAL + NORMAL: consistent, may lose the last commits on power loss.
    full,    ///< Default: a commit survives power loss.
};

/// How to open a shop. Every field has a safe default.
struct shop_options {
    /// ISO 4217 code of the shop's currency. Recorded at first open; a later open with another
    /// currency fails with validation_error (unless use_recorded_currency).
    std::string currency = "USD";
    /// Open an existing shop in the currency it was created with, whatever `currency` says;
    /// `currency` then only names the currency of a shop created by this open. For tools that
    /// open any shop (shopctl). Shipping methods and tax rules given here must still be in the
    /// shop's currency.
    bool use_recorded_currency = false;
    sqlite_synchronous synchronous = sqlite_synchronous::full;  ///< SQLite durability level.
    int busy_timeout_ms = 5000;  ///< How long to wait for a lock before retrying; >= 0.
    int pool_size = 4;           ///< Connections, 1..256 (1 for sqlite::memory:).
    int max_attempts = 6;        ///< Tries of a transaction on busy/serialization/deadlock; >= 1.
    std::shared_ptr<const clock> time_source;  ///< Null: the system clock.
    account_settings accounts;                 ///< Password cost, sessions, lockout, phones.
    cart_settings carts;                       ///< Cart limits, lifetimes, merge policy.
    /// The shipping methods offered (docs/concepts/shipping.md); none: shipping is never
    /// quoted. Amounts in the shop currency.
    std::vector<shipping_method> shipping_methods;
    tax_settings tax;       ///< Tax rates and modes (docs/concepts/pricing.md); none: no tax.
    order_settings orders;  ///< Payment window and what cancelling does to code uses.
    /// The payment gateway orders are paid through; null: start_payment() is refused.
    std::shared_ptr<payment_provider> payments;
    /// Recommendation index settings; by default built from the database at open.
    recommender_settings recommendations;
};

/// Counters of the shop's database work since it was opened, for tests and diagnostics.
struct storage_counters {
    /// SQL statements executed: reads, writes, BEGIN and COMMIT (not ROLLBACK).
    std::int64_t statements = 0;
    /// Transactions retried after busy, serialization failure or deadlock.
    std::int64_t retries = 0;
};

/// The facade: owns the connection pool, the event hub and the services.
///
/// `shop` is a cheap handle (copies share one shop, which lives while any copy does); it is
/// thread-safe. References to its services and hub stay valid while a copy lives. Open it after
/// `fork()`, never before (see docs/operations/storage.md).
class SHOPCORE_EXPORT shop {
public:
    /// Opens (creating if needed) the shop at `url` and applies pending migrations.
    /// URLs: `sqlite:PATH`, `sqlite::memory:`, `postgresql://user:pw@host:port/db`,
    /// `mysql://user:pw@host:port/db` (MariaDB).
    /// @throws validation_error (bad URL or options, unknown currency, currency mismatch, an
    /// unreadable extra_common_passwords_file, a cart limit out of range, a malformed shipping
    /// method or tax rate), unavailable_error (server unreachable),
    /// storage_error.
    [[nodiscard]] static shop open(const std::string& url,
                                   const shop_options& options = shop_options());

    /// Users, sessions, profiles, admin tools.
    [[nodiscard]] account_service& accounts() const noexcept;
    /// Categories and products.
    [[nodiscard]] catalog_service& catalog() const noexcept;
    /// Stock.
    [[nodiscard]] inventory_service& inventory() const noexcept;
    /// Carts: lines, codes, destination, pricing, merging at sign-in.
    [[nodiscard]] cart_service& carts() const noexcept;
    /// Discount codes (admin).
    [[nodiscard]] discount_service& discounts() const noexcept;
    /// Orders: placement, lifecycle, payments, purchase history.
    [[nodiscard]] order_service& orders() const noexcept;
    /// Likes and comments on products.
    [[nodiscard]] engagement_service& engagement() const noexcept;
    /// Support tickets.
    [[nodiscard]] support_service& support() const noexcept;
    /// Related products and suggestions for carts and users.
    [[nodiscard]] recommender& recommendations() const noexcept;
    /// The pricing engine carts (and orders) are priced with, for pricing requests directly.
    [[nodiscard]] const pricing_engine& pricing() const noexcept;
    /// Hooks and notifications.
    [[nodiscard]] event_hub& events() const noexcept;

    /// "sqlite", "postgresql" or "mysql".
    [[nodiscard]] std::string backend() const;
    /// Highest applied schema migration.
    [[nodiscard]] int schema_version() const;
    /// The shop's currency.
    [[nodiscard]] currency shop_currency() const noexcept;
    /// The clock the shop stamps changes with.
    [[nodiscard]] const clock& time_source() const noexcept;
    /// Statements and retries so far, counted by every copy of this shop in this process.
    [[nodiscard]] storage_counters counters() const noexcept;

    /// Internal state (defined in the library).
    struct impl;

private:
    explicit shop(std::shared_ptr<impl> p) noexcept;
    std::shared_ptr<impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_SHOP_HPP

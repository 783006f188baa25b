#ifndef SHOPCORE_INVENTORY_INVENTORY_SERVICE_HPP
#define SHOPCORE_INVENTORY_INVENTORY_SERVICE_HPP

#include <cstdint>
#include <memory>
#include <string>

#include <shopcore/core/actor.hpp>
#include <shopcore/core/pagination.hpp>
#include <shopcore/core/quantity.hpp>
#include <shopcore/export.hpp>
#include <shopcore/inventory/stock.hpp>

namespace shopcore {

/// Stock on hand per product, with an audit row for every change. Obtained from
/// `shop::inventory()`; thread-safe and safe across processes and hosts: every decrement is one
/// conditional UPDATE whose affected-row count is checked, so stock never goes below zero.
///
/// Changes and the movement log need the system actor or an admin holding
/// `permission::manage_inventory` (checked against the database on each call); reading a stock
/// level is open to everyone (inactive products: staff only). Each change fires
/// before_stock_change (may veto), then after commit stock_changed and, when a boundary is
/// crossed, low_stock, out_of_stock or back_in_stock.
class SHOPCORE_EXPORT inventory_service {
public:
    /// Internal state (defined in the library).
    struct impl;
    /// Internal: built by the shop.
    explicit inventory_service(std::unique_ptr<impl> p);
    /// Destroyed by its shop.
    ~inventory_service();
    /// Not copyable: a service belongs to its shop.
    inventory_service(const inventory_service&) = delete;
    /// Not copyable: a service belongs to its shop.
    inventory_service& operator=(const inventory_service&) = delete;

    /// The stock of a product. Non-staff actors see active products only.
    /// @throws not_found_error (unknown product, or inactive and the actor is not staff).
    [[nodiscard]] stock_level stock_of(const actor& by, product_id product);

    /// Sets stock on hand to `on_hand` (a stock count); already there: nothing is written and
    /// no event fires. The reason is 1..500 characters.
    /// @throws validation_error (negative, empty or overlong reason), not_found_error,
    /// hook_rejected_error, permission_denied_error.
    stock_level set_stock(const actor& by, product_id product, std::int64_t on_hand,
                          const std::string& reason);

    /// Adds `delta` (negative removes). @throws insufficient_stock_error when stock would go
    /// below zero (nothing changes), validation_error (zero delta, a delta whose result would
    /// not fit in 63 bits, bad reason), not_found_error, hook_rejected_error,
    /// permission_denied_error.
    stock_level adjust_stock(const actor& by, product_id product, std::int64_t delta,
                             const std::string& reason);

    /// Takes `units` (at least 1) with one conditional update; the primitive checkout uses.
    /// @throws insufficient_stock_error carrying requested and available; validation_error when
    /// units is below one or the reason is bad; not_found_error, hook_rejected_error,
    /// permission_denied_error.
    stock_level take_stock(const actor& by, product_id product, quantity units,
                           const std::string& reason);

    /// Sets the low-stock threshold (>= 0). Records no movement and fires no event, not even
    /// low_stock when the current stock is now in the low band.
    /// @throws validation_error (negative), not_found_error, permission_denied_error.
    stock_level set_low_stock_threshold(const actor& by, product_id product,
                                        std::int64_t threshold);

    /// The audit log of one product, newest first. Staff only (needs manage_inventory).
    /// @throws permission_denied_error, not_found_error, validation_error (bad limit, a
    /// malformed page token or one from another product's log).
    [[nodiscard]] page<stock_movement> movements(const actor& by, product_id product,
                                                 const page_request& page = page_request());

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_INVENTORY_INVENTORY_SERVICE_HPP

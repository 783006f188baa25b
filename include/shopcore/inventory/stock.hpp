#ifndef SHOPCORE_INVENTORY_STOCK_HPP
#define SHOPCORE_INVENTORY_STOCK_HPP

#include <cstdint>
#include <optional>
#include <string>

#include <shopcore/core/actor.hpp>
#include <shopcore/core/clock.hpp>
#include <shopcore/core/ids.hpp>

namespace shopcore {

/// Stock of one product.
struct stock_level {
    product_id product;                    ///< The product.
    std::int64_t on_hand = 0;              ///< Units on hand, never negative.
    std::int64_t low_stock_threshold = 0;  ///< low_stock fires at or below this.
    timestamp updated_at;                  ///< When stock or threshold last changed.
    std::int64_t version = 0;              ///< Incremented by every change.

    /// True when stock is above zero and at or below the threshold.
    [[nodiscard]] bool is_low() const noexcept {
        return on_hand > 0 && on_hand <= low_stock_threshold;
    }
};

/// One audited change of stock on hand.
struct stock_movement {
    std::int64_t id = 0;                      ///< Assigned by the shop; the log is ordered by it.
    product_id product;                       ///< The product.
    std::int64_t delta = 0;                   ///< Positive adds, negative removes.
    std::int64_t on_hand_after = 0;           ///< Stock right after this movement.
    std::string reason;                       ///< The caller's reason; "initial stock" at creation.
    actor_kind by_kind = actor_kind::system;  ///< What kind of actor made the change.
    std::optional<user_id> by_user;           ///< The acting user; none for the system.
    timestamp at;                             ///< When it happened.
};

}  // namespace shopcore

#endif  // SHOPCORE_INVENTORY_STOCK_HPP

#ifndef SHOPCORE_SRC_INVENTORY_STOCK_EVENTS_HPP
#define SHOPCORE_SRC_INVENTORY_STOCK_EVENTS_HPP

// Internal: the notifications of one stock change, queued for after commit. Shared by the
// inventory service and order placement, so that both report stock the same way.

#include <cstdint>
#include <string>

#include <shopcore/core/actor.hpp>
#include <shopcore/events/events.hpp>

#include "events/publish.hpp"
#include "storage/database.hpp"

namespace shopcore::detail {

/// stock_changed, and out_of_stock, back_in_stock and low_stock when the level crossed them.
inline void publish_stock_change(storage::transaction_context& tx, event_hub& hub, const actor& by,
                                 product_id product, std::int64_t before, std::int64_t after,
                                 std::int64_t threshold, const std::string& reason, timestamp at) {
    publish_after_commit(tx, hub,
                         stock_changed_event{by, product, after - before, after, reason, at});
    if (after == 0 && before > 0) publish_after_commit(tx, hub, out_of_stock_event{product, at});
    if (before == 0 && after > 0) {
        publish_after_commit(tx, hub, back_in_stock_event{product, after, at});
    }
    const bool low_now = after > 0 && after <= threshold;
    const bool low_before = before > 0 && before <= threshold;
    if (low_now && !low_before) {
        publish_after_commit(tx, hub, low_stock_event{product, after, threshold, at});
    }
}

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_INVENTORY_STOCK_EVENTS_HPP

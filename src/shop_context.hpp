#ifndef SHOPCORE_SRC_SHOP_CONTEXT_HPP
#define SHOPCORE_SRC_SHOP_CONTEXT_HPP

// Internal: what every service shares. Owned by shop::impl, which outlives the services.

#include <memory>

#include <shopcore/core/clock.hpp>
#include <shopcore/core/currency.hpp>
#include <shopcore/events/event_hub.hpp>

#include "storage/database.hpp"

namespace shopcore::detail {

struct shop_context {
    std::unique_ptr<storage::database> db;
    event_hub hub;
    std::shared_ptr<const clock> time;
    currency shop_currency;

    [[nodiscard]] timestamp now() const { return time->now(); }
};

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_SHOP_CONTEXT_HPP

#ifndef SHOPCORE_SRC_SHOP_CONTEXT_HPP
#define SHOPCORE_SRC_SHOP_CONTEXT_HPP

// Internal: what every service shares. Owned by shop::impl, which outlives the services.

#include <functional>
#include <memory>
#include <vector>

#include <shopcore/account/password_policy.hpp>
#include <shopcore/core/clock.hpp>
#include <shopcore/core/currency.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/events/event_hub.hpp>
#include <shopcore/pricing/pricing_engine.hpp>

#include "storage/database.hpp"

namespace shopcore::detail {

class common_password_list;

/// Replaces one user's personal data in the tables of one feature (inside the deletion's
/// transaction). Every feature that stores personal data registers one at shop open.
using personal_data_eraser = std::function<void(storage::connection&, user_id, timestamp)>;

struct shop_context {
    std::unique_ptr<storage::database> db;
    event_hub hub;
    std::shared_ptr<const clock> time;
    currency shop_currency;
    account_settings accounts;
    std::shared_ptr<const common_password_list> common_passwords;
    std::vector<personal_data_eraser> erasers;
    /// Prices carts and, later, orders: one engine, so the two never disagree.
    std::shared_ptr<const pricing_engine> pricing;

    [[nodiscard]] timestamp now() const { return time->now(); }
};

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_SHOP_CONTEXT_HPP

#ifndef SHOPCORE_SRC_RECOMMEND_RECOMMENDER_INTERNAL_HPP
#define SHOPCORE_SRC_RECOMMEND_RECOMMENDER_INTERNAL_HPP

// Internal: how the shop builds its recommender.

#include <memory>

#include <shopcore/cart/cart_service.hpp>
#include <shopcore/recommend/recommender.hpp>

#include "shop_context.hpp"

namespace shopcore::detail {

/// @throws validation_error("recommendations") for settings out of range.
void check_recommender_settings(const recommender_settings& s);

/// The recommender, subscribed to the hub's order and like notifications, built from the
/// database when settings.build_at_open.
std::unique_ptr<recommender> make_recommender(shop_context& ctx, cart_service& carts,
                                              const recommender_settings& settings);

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_RECOMMEND_RECOMMENDER_INTERNAL_HPP

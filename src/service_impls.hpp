#ifndef SHOPCORE_SRC_SERVICE_IMPLS_HPP
#define SHOPCORE_SRC_SERVICE_IMPLS_HPP

// Internal: the private state of each service, so that shop.cpp can build them.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <shopcore/account/account_service.hpp>
#include <shopcore/cart/cart_service.hpp>
#include <shopcore/catalog/catalog_service.hpp>
#include <shopcore/discount/discount_service.hpp>
#include <shopcore/engagement/engagement_service.hpp>
#include <shopcore/inventory/inventory_service.hpp>
#include <shopcore/support/support_service.hpp>

#include "account/crypto.hpp"
#include "shop_context.hpp"
#include "storage/account_store.hpp"

namespace shopcore {

struct catalog_service::impl {
    detail::shop_context& ctx;
};

struct inventory_service::impl {
    detail::shop_context& ctx;
};

namespace detail {
/// @throws validation_error("carts") for a limit out of range.
void check_cart_settings(const cart_settings& s);
/// Validates the cart settings and builds the service.
/// @throws validation_error("carts") for a limit out of range.
std::unique_ptr<cart_service> make_cart_service(shop_context& ctx, const cart_settings& s);
}  // namespace detail

namespace detail {
/// The likes and comments service.
std::unique_ptr<engagement_service> make_engagement_service(shop_context& ctx);
/// The support tickets service.
std::unique_ptr<support_service> make_support_service(shop_context& ctx);
}  // namespace detail

struct discount_service::impl {
    detail::shop_context& ctx;
};

struct account_service::impl {
    detail::shop_context& ctx;
    /// Verified against for unknown users, so that they cost the same work as known ones.
    std::string dummy_hash;

    [[nodiscard]] detail::hash_params hash_params() const;
    registration_result create_user(const actor& by, const registration& r, role what,
                                    std::vector<permission> permissions);
    user insert_checked(storage::transaction_context& tx, const actor& by, storage::stored_user s,
                        bool default_password);
    void send_code(const std::string& phone, const std::string& purpose,
                   std::optional<user_id> owner);
    void check_code(const std::string& phone, const std::string& code, const std::string& purpose,
                    const std::function<void(storage::transaction_context&,
                                             const storage::code_row&)>& on_match);
    login_result open_session(const storage::stored_user& s, timestamp now,
                              const std::optional<std::string>& new_hash);
    /// Counts a failed password check; locks the account past the threshold. @returns locked.
    bool note_failure(user_id id, timestamp now);
    /// Throws invalid_state_error (and reports login_failed) while the account is locked.
    void refuse_if_locked(const storage::stored_user& s, timestamp now);
    /// Checks a user's own password for a sensitive change, counting failures like login.
    void check_own_password(const storage::stored_user& s, const std::string& password,
                            const char* what);
    std::pair<storage::session_row, storage::stored_user> live_session(const std::string& token);
    user change_admin_rights(
        const actor& by, user_id id, permission needed,
        const std::function<void(storage::connection&, storage::stored_user&)>& change,
        bool rotate_sessions);
};

}  // namespace shopcore

#endif  // SHOPCORE_SRC_SERVICE_IMPLS_HPP

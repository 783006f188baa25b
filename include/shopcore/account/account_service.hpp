#ifndef SHOPCORE_ACCOUNT_ACCOUNT_SERVICE_HPP
#define SHOPCORE_ACCOUNT_ACCOUNT_SERVICE_HPP

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/account/role.hpp>
#include <shopcore/account/user.hpp>
#include <shopcore/core/actor.hpp>
#include <shopcore/core/pagination.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

/// What `verify_phone` did.
struct phone_verification {
    std::optional<user_id> user;  ///< The account whose phone is now verified, if any.
    /// Set when `create_account` was asked and no account had this phone: the new account and
    /// its generated default password (shown once).
    std::optional<registration_result> created;
};

/// Users, passwords, sessions, phone verification, profiles, deletion and admin tools.
/// Obtained from `shop::accounts()`; thread-safe. See docs/concepts/accounts.md.
///
/// Login failures of every kind (unknown user, wrong password, expired default password,
/// inactive or deleted account) throw the same `authentication_error` and cost the same hashing
/// work; only a locked account says so.
class SHOPCORE_EXPORT account_service {
public:
    /// Internal state (defined in the library).
    struct impl;
    /// Internal: built by the shop.
    explicit account_service(std::unique_ptr<impl> p);
    /// Destroyed by its shop.
    ~account_service();
    /// Not copyable: a service belongs to its shop.
    account_service(const account_service&) = delete;
    /// Not copyable: a service belongs to its shop.
    account_service& operator=(const account_service&) = delete;

    // ---- registration and verification ----

    /// Registers a customer. Anonymous visitors register themselves; admins need
    /// manage_users; the system may too. Without a password a default one is generated (returned
    /// once, stored hashed, expiring, must be changed at first login). Fires user_registered.
    /// @throws validation_error (phone, e-mail, names, password policy), conflict_error (phone
    /// or e-mail taken), permission_denied_error (a logged-in customer, or an admin without
    /// manage_users).
    registration_result register_user(const actor& by, const registration& r);

    /// Creates an admin with the given permissions (the system, or a super admin). The password
    /// is generated unless given. Fires user_registered.
    /// @throws permission_denied_error (not the system or a super admin), validation_error and
    /// conflict_error as register_user.
    registration_result create_admin(const actor& by, const registration& r,
                                     const std::vector<permission>& permissions);

    /// Sends a 6-digit code to `phone` through the on_verification_code notification (the app
    /// delivers it by SMS). The code is stored hashed, expires in 5 minutes, allows 5 attempts;
    /// a new code for the same phone may be requested after 60 seconds.
    /// Anyone may ask (`by` is not checked).
    /// @throws validation_error (phone), invalid_state_error (requested again too soon, or 20
    /// wrong codes for this phone in 24 hours).
    void request_verification_code(const actor& by, const std::string& phone);

    /// Checks a code (consumed on success). Then: an account whose phone is verified already is
    /// reported; with `create_account` and no account, a customer with a default password is
    /// created; an existing unverified account is marked verified, and unless `by` is that
    /// account's own logged-in user, it is handed to the code holder: a fresh default password
    /// (returned in `created`) replaces its password and its sessions end, since anybody could
    /// have registered that number. Fires phone_verified (user_registered, user_updated).
    /// @throws validation_error (phone), authentication_error (wrong, expired or used-up code;
    /// the attempt is counted), invalid_state_error (20 wrong codes for this phone in 24 hours).
    phone_verification verify_phone(const actor& by, const std::string& phone,
                                    const std::string& code, bool create_account = false);

    // ---- login and sessions ----

    /// Logs in with a phone number or an e-mail address and the password. A new session token
    /// is returned (256 bits; only its SHA-256 is stored). Fires login_failed on failure.
    /// @throws authentication_error, invalid_state_error (account locked; `what()` says until
    /// when).
    login_result login(const std::string& login, const std::string& password);

    /// Ends the session (idempotent: an unknown token is ignored).
    void logout(const std::string& token);

    /// The actor a session token stands for: admin or customer by the user's role. Extends the
    /// idle expiry (written at most once a minute).
    /// @throws authentication_error (unknown, expired or revoked token, deleted or inactive
    /// user), invalid_state_error (a default password must be changed first).
    [[nodiscard]] actor authenticate(const std::string& token);

    /// Changes the password of the session's user: the current password is required, the new
    /// one must pass the policy and differ from the current one. Works with a session that must
    /// change its default password. Every session of the user is revoked and a new one
    /// returned. Fires password_changed.
    /// @throws authentication_error (bad session token; wrong current password, counted as a
    /// failed login), invalid_state_error (account locked), validation_error (policy, or the
    /// same as the current password).
    login_result change_password(const std::string& token, const std::string& current_password,
                                 const std::string& new_password);

    // ---- profile ----

    /// The acting user's own account. @throws permission_denied_error for anonymous/system,
    /// not_found_error (the account was deleted).
    [[nodiscard]] user me(const actor& by);

    /// Changes the acting user's names, e-mail and addresses. Fires user_updated.
    /// @throws permission_denied_error (anonymous/system), validation_error (names, e-mail,
    /// addresses), conflict_error (e-mail taken, or version mismatch), not_found_error.
    user update_profile(const actor& by, const profile_update& u);

    /// Starts a phone change: sends a code to `new_phone` (as request_verification_code).
    /// @throws permission_denied_error (anonymous/system), validation_error (phone),
    /// conflict_error (phone taken), invalid_state_error (as request_verification_code).
    void request_phone_change(const actor& by, const std::string& new_phone);
    /// Completes it with the code sent to the new phone. Fires phone_verified, user_updated.
    /// @throws permission_denied_error (anonymous/system), validation_error (phone),
    /// authentication_error (wrong, expired or used-up code, or one another user asked for),
    /// conflict_error (phone taken meanwhile), invalid_state_error (as verify_phone).
    user confirm_phone_change(const actor& by, const std::string& new_phone,
                              const std::string& code);

    /// Deletes an account: the user themself with their password (a wrong one counts as a failed
    /// login), or an admin with manage_users (super_admin to delete a super admin). Personal data
    /// is replaced with placeholders, sessions are revoked, login fails; records other features
    /// keep (orders) stay. Fires user_deleted.
    /// @throws authentication_error (wrong password), invalid_state_error (the last active
    /// super admin, or the user's own account is locked), permission_denied_error,
    /// not_found_error (unknown or already deleted).
    void delete_account(const actor& by, user_id id,
                        const std::optional<std::string>& password = std::nullopt);

    // ---- admin ----

    /// Users matching `q`, one page at a time. Needs manage_users.
    /// @throws permission_denied_error, validation_error (bad limit, text over 200 characters,
    /// a malformed page token or one from another query).
    [[nodiscard]] page<user> list_users(const actor& by, const user_query& q,
                                        const page_request& page = page_request());
    /// One user with role, permissions, join date and last login. Needs manage_users (or self).
    /// @throws permission_denied_error, not_found_error (unknown or deleted).
    [[nodiscard]] user user_by_id(const actor& by, user_id id);
    /// Activates or deactivates (deactivation revokes sessions). Needs manage_users; deactivating
    /// a super admin needs super_admin; the last active super admin stays active. Fires
    /// user_updated. @throws permission_denied_error, invalid_state_error (the last active super
    /// admin), not_found_error.
    user set_active(const actor& by, user_id id, bool active);
    /// Makes a user an admin or a customer (demotion clears permissions) and revokes every
    /// session of the user. Needs manage_users; demoting a super admin needs super_admin (never
    /// the last one). Fires user_updated. A call that changes nothing (here and in set_active,
    /// grant_permission, revoke_permission) writes nothing and fires nothing.
    /// @throws permission_denied_error, invalid_state_error (the last active super admin),
    /// not_found_error.
    user set_role(const actor& by, user_id id, role r);
    /// Grants a permission to an admin (idempotent). Needs manage_users; granting super_admin
    /// needs super_admin. Fires user_updated.
    /// @throws permission_denied_error, invalid_state_error (the user is not an admin),
    /// not_found_error.
    user grant_permission(const actor& by, user_id id, permission p);
    /// Revokes a permission (idempotent). Needs manage_users; revoking super_admin needs
    /// super_admin, and the last active super admin keeps it. Fires user_updated.
    /// @throws permission_denied_error, invalid_state_error (the last active super admin),
    /// not_found_error.
    user revoke_permission(const actor& by, user_id id, permission p);

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_ACCOUNT_ACCOUNT_SERVICE_HPP

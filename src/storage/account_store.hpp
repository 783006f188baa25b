#ifndef SHOPCORE_SRC_STORAGE_ACCOUNT_STORE_HPP
#define SHOPCORE_SRC_STORAGE_ACCOUNT_STORE_HPP

// SQL for users, permissions, addresses, sessions and verification codes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/account/user.hpp>

#include "storage/database.hpp"

namespace shopcore::storage {

/// A user with the columns the public `user` does not show.
struct stored_user {
    shopcore::user user;
    std::string password_hash;
    std::optional<std::int64_t> password_expires_at;
    std::int64_t failed_logins = 0;
    std::optional<std::int64_t> locked_until;
};

std::optional<stored_user> load_user(connection& c, user_id id);
/// `column` is "phone" or "email".
std::optional<stored_user> load_user_by(connection& c, const char* column,
                                        const std::string& value);
user_id insert_user(connection& c, const stored_user& u, std::int64_t now);
/// Writes every mutable column; bumps the version. False when the stored version differs.
bool update_user_row(connection& c, const stored_user& u, std::int64_t now);
void replace_addresses(connection& c, user_id id, const std::vector<address>& addresses);
void replace_permissions(connection& c, user_id id, const std::vector<permission>& permissions);

/// Adds one failure atomically and returns the new count.
std::int64_t add_login_failure(connection& c, user_id id);
void set_locked_until(connection& c, user_id id, std::optional<std::int64_t> until);
/// Resets the failure count and records the login (and a re-hashed password when given), but
/// only if the account still has `verified_hash`, is active, not deleted and not locked: a
/// password change, deactivation or lock that landed while the password was being verified
/// wins. @returns whether the login was recorded.
bool record_login(connection& c, user_id id, std::int64_t now, const std::string& verified_hash,
                  const std::optional<std::string>& new_hash);

struct session_row {
    user_id user;
    std::int64_t last_seen = 0;
    std::int64_t expires = 0;
    bool must_change_password = false;
};
void insert_session(connection& c, const std::string& token_hash, user_id id, std::int64_t now,
                    std::int64_t expires, bool must_change_password);
std::optional<session_row> load_session(connection& c, const std::string& token_hash);
void touch_session(connection& c, const std::string& token_hash, std::int64_t now);
void delete_session(connection& c, const std::string& token_hash);
void delete_user_sessions(connection& c, user_id id);

struct code_row {
    std::string code_hash;
    std::string purpose;
    std::optional<std::int64_t> user;
    std::int64_t attempts = 0;      ///< Wrong attempts at this code.
    std::int64_t failures = 0;      ///< Wrong attempts for this phone since window_start.
    std::int64_t window_start = 0;  ///< Start of the 24-hour failure window.
    std::int64_t sent_at = 0;
    std::int64_t expires_at = 0;
};
std::optional<code_row> load_code(connection& c, const std::string& phone);
void replace_code(connection& c, const std::string& phone, const code_row& row);
void add_code_attempt(connection& c, const std::string& phone);
void delete_code(connection& c, const std::string& phone);

struct user_cursor {
    std::string key;
    std::int64_t id = 0;
};
std::vector<user> list_users(connection& c, const user_query& q,
                             const std::optional<user_cursor>& after, std::int64_t limit);
std::string user_sort_key(const user& u, user_sort sort);

/// The permissions of an active, not deleted admin; nullopt for anyone else.
std::optional<std::vector<permission>> admin_permissions(connection& c, user_id id);

/// Active, not deleted admins holding super_admin.
std::int64_t count_active_super_admins(connection& c);
/// Serialises changes to admin rights (a row lock on a settings row; SQLite already holds the
/// write lock).
void lock_admin_changes(connection& c);

/// Replaces the personal data of a user and their addresses with placeholders.
void anonymise_user(connection& c, user_id id, std::int64_t now);

}  // namespace shopcore::storage

#endif  // SHOPCORE_SRC_STORAGE_ACCOUNT_STORE_HPP

#ifndef SHOPCORE_ACCOUNT_USER_HPP
#define SHOPCORE_ACCOUNT_USER_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/account/role.hpp>
#include <shopcore/core/clock.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

/// A postal address of a user. One of a user's addresses is the default.
struct address {
    std::string label;           ///< "home", "work"; 0..50 characters.
    std::string recipient_name;  ///< 1..200 characters.
    std::string line1;           ///< 1..200 characters.
    std::string line2;           ///< 0..200 characters.
    std::string city;            ///< 1..100 characters.
    std::string province;        ///< 0..100 characters.
    std::string postal_code;     ///< 0..20 characters.
    std::string country;         ///< ISO 3166-1 alpha-2, upper case ("IR", "DE").
    std::string phone;           ///< Optional contact phone (normalised like the user's).
    bool is_default = false;
};

/// A user account as stored.
struct user {
    user_id id;
    std::string phone;  ///< Normalised E.164 ("+989121234567"); unique; the login name.
    std::optional<std::string> email;  ///< Lower-cased; unique when set.
    std::string first_name;
    std::string last_name;
    std::vector<address> addresses;
    shopcore::role role = shopcore::role::customer;
    std::vector<permission> permissions;  ///< Admin permissions, sorted.
    bool active = true;
    bool phone_verified = false;
    bool must_change_password = false;  ///< The password is a generated default.
    bool deleted = false;               ///< Anonymised; cannot log in.
    timestamp joined_at;
    std::optional<timestamp> last_login_at;
    std::int64_t version = 0;

    /// True when the user is an admin holding `p` (or super_admin).
    [[nodiscard]] SHOPCORE_EXPORT bool has_permission(permission p) const noexcept;
};

/// Registration input. Without a password, a strong default one is generated.
struct registration {
    std::string phone;
    std::optional<std::string> email;
    std::string first_name;  ///< 0..100 characters.
    std::string last_name;   ///< 0..100 characters.
    std::optional<std::string> password;
};

/// What registration returns: the user and, when it was generated, the default password.
/// The default password is shown once here and stored only as a hash.
struct registration_result {
    shopcore::user user;
    std::string default_password;  ///< Empty when the caller chose the password.
};

/// A successful login.
struct login_result {
    std::string token;  ///< 256-bit session token (base64url); only its hash is stored.
    shopcore::user user;
    /// True when the password is a generated default: the session can only change it
    /// (`account_service::change_password`); `authenticate` refuses it until then.
    bool must_change_password = false;
    timestamp expires_at;  ///< Absolute expiry of the session.
};

/// Changes a user may make to their own profile; empty fields stay as they are.
struct profile_update {
    std::optional<std::string> first_name;
    std::optional<std::string> last_name;
    std::optional<std::string> email;               ///< Empty string removes the e-mail.
    std::optional<std::vector<address>> addresses;  ///< Replaces the list.
    std::optional<std::int64_t> expected_version;
};

/// Sort keys of the admin user listing; ties are broken by id in the same direction.
enum class user_sort { phone, name, active, admin };

/// Filters of `account_service::list_users`.
struct user_query {
    std::optional<shopcore::role> role;
    std::optional<bool> active;
    std::string text;  ///< Substring of phone, e-mail, first or last name (ASCII case-insensitive).
    user_sort sort = user_sort::phone;
    bool descending = false;
    bool include_deleted = false;
};

}  // namespace shopcore

#endif  // SHOPCORE_ACCOUNT_USER_HPP

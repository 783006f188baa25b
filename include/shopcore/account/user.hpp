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

/// A postal address of a user. One of a user's addresses is the default. Text fields count
/// characters (code points) and refuse control characters; a user has at most 10 addresses.
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
    bool is_default = false;     ///< At most one per user; none marked: the first one.
};

/// A user account as stored.
struct user {
    user_id id;         ///< Assigned by the shop.
    std::string phone;  ///< Normalised E.164 ("+989121234567"); unique; the login name.
    std::optional<std::string> email;                ///< Lower-cased; unique when set.
    std::string first_name;                          ///< 0..100 characters.
    std::string last_name;                           ///< 0..100 characters.
    std::vector<address> addresses;                  ///< 0..10; exactly one default if any.
    shopcore::role role = shopcore::role::customer;  ///< Customer or admin.
    std::vector<permission> permissions;             ///< Admin permissions, sorted.
    bool active = true;           ///< Inactive accounts cannot log in; their sessions are refused.
    bool phone_verified = false;  ///< The phone was proven with a verification code.
    bool must_change_password = false;  ///< The password is a generated default.
    bool deleted = false;  ///< Anonymised (placeholder phone and names); cannot log in.
    timestamp joined_at;   ///< When the account was created.
    std::optional<timestamp> last_login_at;  ///< The last successful login; none before one.
    std::int64_t version = 0;  ///< Incremented by every change (not by a login); optimistic lock.

    /// True when the user is an admin holding `p` (or super_admin).
    [[nodiscard]] SHOPCORE_EXPORT bool has_permission(permission p) const noexcept;
};

/// Registration input. Without a password, a strong default one is generated.
struct registration {
    /// Normalised to E.164 (digits, '+', spaces, '-', '.', '(', ')'; "00" counts as '+').
    /// Without a prefix, `account_settings::default_country_code` applies.
    std::string phone;
    std::optional<std::string> email;  ///< Lower-cased; when set, a valid name@domain address.
    std::string first_name;            ///< 0..100 characters.
    std::string last_name;             ///< 0..100 characters.
    /// Must pass the password policy: 8..128 characters, not one character repeated, not a
    /// common password, not the phone number. None: a default one is generated.
    std::optional<std::string> password;
};

/// What registration returns: the user and, when it was generated, the default password.
/// The default password is shown once here and stored only as a hash.
struct registration_result {
    shopcore::user user;           ///< The account as stored.
    std::string default_password;  ///< Empty when the caller chose the password.
};

/// A successful login.
struct login_result {
    std::string token;    ///< 256-bit session token (base64url); only its hash is stored.
    shopcore::user user;  ///< The account, with `last_login_at` set to this login.
    /// True when the password is a generated default: the session can only change it
    /// (`account_service::change_password`); `authenticate` refuses it until then.
    bool must_change_password = false;
    timestamp expires_at;  ///< Absolute expiry of the session.
};

/// Changes a user may make to their own profile; empty fields stay as they are.
struct profile_update {
    std::optional<std::string> first_name;          ///< 0..100 characters.
    std::optional<std::string> last_name;           ///< 0..100 characters.
    std::optional<std::string> email;               ///< Empty string removes the e-mail.
    std::optional<std::vector<address>> addresses;  ///< Replaces the list.
    std::optional<std::int64_t> expected_version;   ///< When set, must equal the stored version.
};

/// Sort keys of the admin user listing; ties are broken by id in the same direction.
enum class user_sort {
    phone,   ///< By phone number (byte order).
    name,    ///< By last name, then first name (ASCII case-insensitive, byte order).
    active,  ///< Inactive accounts first (ascending).
    admin    ///< Customers first (ascending).
};

/// Filters of `account_service::list_users`.
struct user_query {
    std::optional<shopcore::role> role;  ///< Only users of this role; none: any role.
    std::optional<bool> active;          ///< Only active (or only inactive) users; none: both.
    /// Substring of phone, e-mail, first or last name (ASCII case-insensitive); 0..200
    /// characters, empty matches everyone.
    std::string text;
    user_sort sort = user_sort::phone;  ///< The sort key.
    bool descending = false;            ///< Reverses the order (ties too).
    bool include_deleted = false;       ///< Also list deleted (anonymised) accounts.
};

}  // namespace shopcore

#endif  // SHOPCORE_ACCOUNT_USER_HPP

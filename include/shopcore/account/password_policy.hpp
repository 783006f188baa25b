#ifndef SHOPCORE_ACCOUNT_PASSWORD_POLICY_HPP
#define SHOPCORE_ACCOUNT_PASSWORD_POLICY_HPP

#include <cstdint>
#include <string>

namespace shopcore {

/// Argon2id cost (libsodium `crypto_pwhash_str`). Production never goes below `interactive`
/// (64 MiB, 2 passes: above the OWASP floor of 19 MiB and 2 passes).
enum class password_cost {
    interactive,  ///< Default: 64 MiB, t=2.
    moderate,     ///< 256 MiB, t=3.
    sensitive,    ///< 1 GiB, t=4.
    /// 8 KiB, t=1: for test suites only (it makes a stolen hash cheap to attack). A shop opened
    /// with it prints a warning on stderr.
    testing_only_insecure,
};

/// Security settings of accounts (part of `shop_options`); see docs/concepts/accounts.md.
/// `shop::open` refuses (validation_error, field "accounts") any duration outside 1 second to
/// 10 years and a lockout_threshold outside 1..1000000.
struct account_settings {
    /// Cost of new hashes; a login rehashes a password stored with another cost.
    password_cost cost = password_cost::interactive;
    std::int64_t default_password_lifetime_seconds = 72 * 3600;  ///< Then it no longer logs in.
    std::int64_t session_idle_seconds = 30 * 60;  ///< A session unused this long expires.
    /// A session expires this long after login, used or not.
    std::int64_t session_absolute_seconds = 12 * 3600;
    int lockout_threshold = 10;               ///< Consecutive failures before the account locks.
    std::int64_t lockout_base_seconds = 30;   ///< First lock; doubles with each further failure.
    std::int64_t lockout_max_seconds = 3600;  ///< Longest lock.
    /// Calling code used for phone numbers written without '+' or "00", e.g. "98" turns
    /// "09121234567" into "+989121234567". Empty: such numbers are refused.
    std::string default_country_code;
    /// Extra file of refused passwords (one per line, e.g. /usr/share/john/password.lst), added
    /// to the bundled list. Empty: the bundled list only.
    std::string extra_common_passwords_file;
};

}  // namespace shopcore

#endif  // SHOPCORE_ACCOUNT_PASSWORD_POLICY_HPP

#ifndef SHOPCORE_SRC_ACCOUNT_PASSWORD_RULES_HPP
#define SHOPCORE_SRC_ACCOUNT_PASSWORD_RULES_HPP

// Internal rules for passwords chosen by users (NIST SP 800-63B 5.1.1, ASVS 5.0 6.2): a length
// in code points, no truncation, no composition rules, and a refusal list.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>

namespace shopcore::detail {

/// Fewest Unicode code points a chosen password may have.
inline constexpr std::size_t min_password_length = 8;
/// Most Unicode code points a chosen password may have (longer ones are refused, never cut).
inline constexpr std::size_t max_password_length = 128;

/// The bundled list of common leaked passwords (common_passwords.cpp): lower-case, distinct.
[[nodiscard]] std::span<const std::string_view> bundled_common_passwords() noexcept;

/// A set of refused passwords, compared without regard to ASCII letter case.
/// Not synchronised: fill it before sharing, then `contains` is safe from any thread.
class common_password_list {
public:
    /// The bundled list.
    common_password_list();

    /// Adds every line of a text file (e.g. /usr/share/john/password.lst from Debian's
    /// john-data): spaces, tabs and '\r' around a line are trimmed; empty lines and John the
    /// Ripper's "#!comment:" lines are skipped.
    /// @throws validation_error("extra_common_passwords_file") when the path is not a readable
    ///         regular file or reading fails; the list is unchanged then.
    void add_file(const std::string& path);

    /// True when `password`, with ASCII letters lower-cased, is in the list.
    [[nodiscard]] bool contains(std::string_view password) const;

    /// Number of distinct entries.
    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

private:
    std::unordered_set<std::string> entries_;
};

/// Checks a password chosen by a user.
/// @param phone the account's phone number, in any form, or empty.
/// @throws validation_error("password", reason) when the password is not valid UTF-8; has
///         fewer than `min_password_length` or more than `max_password_length` code points;
///         is one character repeated; is in `list` (ASCII case ignored); or is the phone number
///         (as given, without '+', its digits only, or, when it consists of digits and phone
///         punctuation only, the phone's trailing digits with any leading zeros, so the national
///         form "09121234567" of "+989121234567" is refused too). The reason never quotes the
///         password.
void check_password_policy(std::string_view password, std::string_view phone,
                           const common_password_list& list);

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_ACCOUNT_PASSWORD_RULES_HPP

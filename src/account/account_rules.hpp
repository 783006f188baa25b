#ifndef SHOPCORE_SRC_ACCOUNT_ACCOUNT_RULES_HPP
#define SHOPCORE_SRC_ACCOUNT_ACCOUNT_RULES_HPP

// Input rules of accounts: phone numbers, e-mail addresses, postal addresses.

#include <string>
#include <string_view>
#include <vector>

#include <shopcore/account/user.hpp>

namespace shopcore::detail {

/// E.164 form "+<8..15 digits>". Spaces, '-', '.', '(' and ')' are dropped; "00" becomes '+';
/// a number without either gets `default_country_code` after its leading zeros are dropped.
/// @throws validation_error("phone").
std::string normalize_phone(std::string_view raw, const std::string& default_country_code);

/// Lower-cased ASCII; one '@', a non-empty local part, a dotted domain, at most 254 characters,
/// no spaces or control characters. @throws validation_error("email").
std::string normalize_email(std::string_view raw);

/// Checks what an address and an order's purchase information share: recipient, lines, city,
/// province and postal code lengths, and the country code. @throws validation_error(field).
void check_address_lines(const char* field, const address& a);

/// Checks each address (lengths, country code, phone) and the default rule: at most one
/// default; with none marked, the first becomes the default. At most 10 addresses.
/// @throws validation_error("addresses").
std::vector<address> checked_addresses(const std::vector<address>& in,
                                       const std::string& default_country_code);

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_ACCOUNT_ACCOUNT_RULES_HPP

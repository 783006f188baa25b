#ifndef SHOPCORE_SRC_CORE_VALIDATE_HPP
#define SHOPCORE_SRC_CORE_VALIDATE_HPP

// Internal input checks shared by the services. Each throws validation_error naming the field.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <shopcore/core/actor.hpp>

namespace shopcore::detail {

/// Length in Unicode code points; throws validation_error for invalid UTF-8.
std::size_t utf8_length(const char* field, std::string_view text);

/// Requires valid UTF-8 without control characters (except tab/newline when `multiline`),
/// at least `min` and at most `max` code points. Leading/trailing spaces are not trimmed.
void check_text(const char* field, std::string_view text, std::size_t min, std::size_t max,
                bool multiline = false);

/// True for an ISO 3166-1 alpha-2 code in upper case: two letters A-Z ("IR", "DE").
bool is_country_code(std::string_view text) noexcept;

/// Requires a slug: 1..200 characters of a-z, 0-9 and '-', not starting or ending with '-'.
void check_slug(const char* field, std::string_view slug);

/// Lower-cases ASCII letters and digits, turns every other run into one '-'. May be empty.
std::string slugify(std::string_view text);

/// `slug` when given (checked), else slugify(name); validation_error when neither works.
std::string slug_or_derived(const std::string& slug, std::string_view name);

/// Parses a decimal int64 from a page token part; validation_error("token") otherwise.
std::int64_t parse_token_int(const std::string& text);

/// Throws permission_denied_error unless the actor is an admin or the system.
void require_staff(const actor& by, const char* what);

/// FNV-1a 64-bit, as 16 hex digits: a stable fingerprint for page tokens.
std::string fingerprint(std::string_view text);

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_CORE_VALIDATE_HPP

#ifndef SHOPCORE_SRC_CORE_PAGE_TOKEN_HPP
#define SHOPCORE_SRC_CORE_PAGE_TOKEN_HPP

// Internal: the opaque continuation tokens of keyset pagination. Not installed or exported.
//
// A token is base64url text (no padding) of: a version byte (1), the number of parts, each
// part as its length and bytes (lengths and count as LEB128 varints), then the CRC-32 of all
// of that, little-endian. The CRC detects accidental edits (every single-character change is
// caught); it is not a signature, and tokens hold nothing secret: the storage layer must still
// treat the decoded parts as untrusted input (bind them, check the sort name).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace shopcore::detail {

/// Longest token decode_page_token accepts, in characters.
inline constexpr std::size_t max_page_token_length = 4096;

/// Encodes `parts` (any bytes, e.g. sort name, last key, last id) as an opaque URL-safe token.
/// @throws validation_error (field "token") if the token would exceed max_page_token_length.
std::string encode_page_token(const std::vector<std::string>& parts);

/// Decodes a token made by encode_page_token.
/// @throws validation_error (field "token", message "invalid page token") for an empty,
///         malformed, truncated, over-long or edited token, or one of an unknown version.
std::vector<std::string> decode_page_token(std::string_view token);

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_CORE_PAGE_TOKEN_HPP

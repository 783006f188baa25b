#ifndef SHOPCORE_CORE_PAGINATION_HPP
#define SHOPCORE_CORE_PAGINATION_HPP

/// @file Keyset pagination: every listing takes a page_request and returns a page<T> whose
/// opaque next_token continues where the page ended (stable under concurrent inserts).

#include <cstdint>
#include <string>
#include <vector>

#include <shopcore/export.hpp>

namespace shopcore {

/// Largest number of items one page may hold; larger limits are capped to it.
inline constexpr std::int64_t max_page_limit = 100;
/// The limit of a default-constructed page_request.
inline constexpr std::int64_t default_page_limit = 20;

/// Which page of a listing to return.
struct page_request {
    /// Largest number of items wanted (1 or more; capped at max_page_limit).
    std::int64_t limit = default_page_limit;
    /// Empty for the first page, otherwise the next_token of the previous page, unchanged.
    /// Tokens are opaque, tied to the listing and sort order that produced them; an edited or
    /// foreign token is rejected with validation_error (field "token").
    std::string token;
};

/// The number of items a listing returns for `request`: min(request.limit, max_page_limit).
/// @throws validation_error (field "limit") if request.limit < 1.
[[nodiscard]] SHOPCORE_EXPORT std::int64_t effective_limit(const page_request& request);

/// One page of a listing.
template <class T>
struct page {
    /// The items, in the listing's order; at most the effective limit.
    std::vector<T> items;
    /// Token for the next page, or empty if this is the last page.
    std::string next_token;

    /// Whether another page follows (next_token is not empty).
    [[nodiscard]] bool has_more() const { return !next_token.empty(); }
};

}  // namespace shopcore

#endif  // SHOPCORE_CORE_PAGINATION_HPP

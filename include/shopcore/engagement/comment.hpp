#ifndef SHOPCORE_ENGAGEMENT_COMMENT_HPP
#define SHOPCORE_ENGAGEMENT_COMMENT_HPP

/// @file Comments on products, with an optional rating, and what a product's comments add up to.

#include <cstdint>
#include <optional>
#include <string>

#include <shopcore/core/clock.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/pagination.hpp>
#include <shopcore/core/ratio.hpp>

namespace shopcore {

/// A comment as stored. The body is kept as given: the application escapes it for display.
struct comment {
    comment_id id;                  ///< Assigned by the shop.
    product_id product;             ///< The product commented on.
    std::optional<user_id> author;  ///< None once the author's account was deleted.
    /// The author's first name; "Customer" for an account without one; "Deleted User".
    std::string author_name;
    std::string body;                    ///< 1..5000 characters.
    std::optional<std::int32_t> rating;  ///< 1..5 stars, when given.
    bool hidden = false;                 ///< Hidden by a moderator: only staff see it.
    std::string hidden_reason;           ///< Why, when hidden.
    timestamp created_at;                ///< When it was written.
    timestamp updated_at;                ///< The last edit (or moderation).
    std::int64_t version = 0;            ///< Incremented by every change.
};

/// What a comment is written with.
struct comment_input {
    std::string body;                    ///< 1..5000 characters, UTF-8; newlines allowed.
    std::optional<std::int32_t> rating;  ///< 1..5 when given.
};

/// A page of a product's comments with what all its visible comments add up to.
struct comment_list {
    page<comment> comments;          ///< Newest first.
    std::int64_t visible_count = 0;  ///< Visible comments on the product.
    std::int64_t rating_count = 0;   ///< Visible comments that carry a rating.
    std::int64_t rating_sum = 0;     ///< The sum of those ratings.
    /// rating_sum / rating_count, exactly (none without ratings): 4.5 stars is 9/2.
    std::optional<ratio> average_rating;
};

}  // namespace shopcore

#endif  // SHOPCORE_ENGAGEMENT_COMMENT_HPP

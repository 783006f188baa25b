#ifndef SHOPCORE_SRC_STORAGE_ENGAGEMENT_STORE_HPP
#define SHOPCORE_SRC_STORAGE_ENGAGEMENT_STORE_HPP

// Internal: the SQL of likes and comments.

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include <shopcore/engagement/comment.hpp>

#include "storage/database.hpp"

namespace shopcore::storage {

/// Adds the like unless it is there. @returns true when it was added.
bool insert_like(connection& c, user_id user, product_id product, std::int64_t now_micros);
/// @returns true when there was a like to remove.
bool delete_like(connection& c, user_id user, product_id product);
std::int64_t count_likes(connection& c, product_id product);
bool has_like(connection& c, user_id user, product_id product);
/// (liked_at, product) of the user's likes before the cursor, newest first.
std::vector<std::pair<std::int64_t, product_id>> list_likes(
    connection& c, user_id user, std::optional<std::pair<std::int64_t, std::int64_t>> before,
    std::int64_t limit);

comment_id insert_comment(connection& c, product_id product, user_id author,
                          const comment_input& in, std::int64_t now_micros);
std::optional<comment> load_comment(connection& c, comment_id id);
/// Rewrites body and rating if the version is `expected`. @returns false otherwise.
bool update_comment(connection& c, comment_id id, const comment_input& in, std::int64_t expected,
                    std::int64_t now_micros);
void delete_comment(connection& c, comment_id id);
void set_comment_hidden(connection& c, comment_id id, bool hidden, const std::string& reason,
                        std::int64_t now_micros);
/// The product's comments before the cursor (created_at, id), newest first.
std::vector<comment> list_comments(connection& c, product_id product, bool include_hidden,
                                   std::optional<std::pair<std::int64_t, std::int64_t>> before,
                                   std::int64_t limit);

/// What the product's visible comments add up to.
struct comment_stats {
    std::int64_t visible = 0;
    std::int64_t rated = 0;
    std::int64_t rating_sum = 0;
};
comment_stats visible_comment_stats(connection& c, product_id product);

/// A deleted account: its likes go, its comments stay without an author.
void erase_engagement(connection& c, user_id user);

}  // namespace shopcore::storage

#endif  // SHOPCORE_SRC_STORAGE_ENGAGEMENT_STORE_HPP

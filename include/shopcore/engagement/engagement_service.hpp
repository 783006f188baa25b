#ifndef SHOPCORE_ENGAGEMENT_ENGAGEMENT_SERVICE_HPP
#define SHOPCORE_ENGAGEMENT_ENGAGEMENT_SERVICE_HPP

#include <cstdint>
#include <memory>
#include <string>

#include <shopcore/core/actor.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/pagination.hpp>
#include <shopcore/engagement/comment.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

/// Likes and comments on products. Obtained from `shop::engagement()`; thread-safe.
///
/// Liking and commenting need a signed-in user and a product customers can see (active);
/// anyone may read like counts and visible comments. Moderation (hiding) needs an admin
/// holding `permission::moderate_comments`. Events fire after commit.
class SHOPCORE_EXPORT engagement_service {
public:
    /// Internal state (defined in the library).
    struct impl;
    /// Internal: built by the shop.
    explicit engagement_service(std::unique_ptr<impl> p);
    /// Destroyed by its shop.
    ~engagement_service();
    /// Not copyable: a service belongs to its shop.
    engagement_service(const engagement_service&) = delete;
    /// Not copyable: a service belongs to its shop.
    engagement_service& operator=(const engagement_service&) = delete;

    /// Likes the product. Idempotent: liking again changes nothing.
    /// @returns true when this call added the like (product_liked fires then).
    /// @throws authentication_error (not signed in), not_found_error (no such product, or
    ///         inactive).
    bool like(const actor& by, product_id product);

    /// Takes the like back. Idempotent. @returns true when there was a like (product_unliked
    /// fires then). @throws authentication_error. Deleting an account removes its likes.
    bool unlike(const actor& by, product_id product);

    /// How many users like the product. Open to everyone.
    [[nodiscard]] std::int64_t like_count(product_id product);

    /// Whether the acting user likes the product (false for anonymous visitors).
    [[nodiscard]] bool likes(const actor& by, product_id product);

    /// The products the acting user likes, most recent like first (products since made
    /// inactive included: the like is the user's).
    /// @throws authentication_error, validation_error ("limit", "token").
    [[nodiscard]] page<product_id> liked_products(const actor& by, const page_request& request);

    /// Writes a comment. @throws authentication_error, not_found_error (as like()),
    ///         validation_error ("body" empty, over 5000 characters or not UTF-8; "rating"
    ///         outside 1..5).
    comment add_comment(const actor& by, product_id product, const comment_input& input);

    /// Rewrites one's own comment (its author only).
    /// @throws as add_comment(), not_found_error (no such comment, or another user's),
    ///         conflict_error (`expected_version` is stale).
    comment edit_comment(const actor& by, comment_id id, const comment_input& input,
                         std::int64_t expected_version);

    /// Deletes a comment: its author, or an admin with moderate_comments.
    /// @throws not_found_error (no such comment; another user's, for a customer),
    ///         permission_denied_error (an admin without moderate_comments),
    ///         authentication_error.
    void delete_comment(const actor& by, comment_id id);

    /// Hides a comment from everyone but staff, with a reason (1..500 characters).
    /// Fires comment_hidden. @throws permission_denied_error, not_found_error,
    ///         validation_error ("reason").
    comment hide_comment(const actor& by, comment_id id, const std::string& reason);

    /// Shows a hidden comment again. @throws permission_denied_error, not_found_error.
    comment unhide_comment(const actor& by, comment_id id);

    /// The product's comments, newest first, with the count and average rating of the visible
    /// ones. Hidden comments are listed only for admins with moderate_comments.
    /// @throws not_found_error (as like() for customers), validation_error ("limit", "token").
    [[nodiscard]] comment_list comments(const actor& by, product_id product,
                                        const page_request& request);

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_ENGAGEMENT_ENGAGEMENT_SERVICE_HPP

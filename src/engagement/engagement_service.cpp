#include <shopcore/engagement/engagement_service.hpp>

#include <utility>

#include <shopcore/core/error.hpp>
#include <shopcore/events/events.hpp>

#include "account/authorization.hpp"
#include "core/page_token.hpp"
#include "core/validate.hpp"
#include "events/publish.hpp"
#include "service_impls.hpp"
#include "storage/engagement_store.hpp"
#include "storage/stock_store.hpp"

namespace shopcore {
namespace {

using storage::connection;
using storage::transaction_context;

bool signed_in(const actor& by) {
    return by.kind() == actor_kind::customer || by.kind() == actor_kind::admin;
}

void require_user(const actor& by, const char* what) {
    if (!signed_in(by)) throw authentication_error(std::string("sign in to ") + what);
}

void check_input(const comment_input& in) {
    detail::check_text("body", in.body, 1, 5000, true);
    if (in.rating && (*in.rating < 1 || *in.rating > 5)) {
        throw validation_error("rating", "a rating is 1 to 5 stars");
    }
}

// A product customers can see: it exists and is active.
void require_visible_product(connection& c, product_id product) {
    if (!storage::product_is_active(c, product).value_or(false)) {
        throw not_found_error("product " + std::to_string(product.value()) + " not found");
    }
}

std::optional<std::pair<std::int64_t, std::int64_t>> cursor(const page_request& request,
                                                            const std::string& tag) {
    if (request.token.empty()) return std::nullopt;
    const auto parts = detail::decode_page_token(request.token);
    if (parts.size() != 3 || parts[0] != tag) {
        throw validation_error("token", "page token belongs to another query");
    }
    return std::make_pair(detail::parse_token_int(parts[1]), detail::parse_token_int(parts[2]));
}

}  // namespace

struct engagement_service::impl {
    detail::shop_context& ctx;

    comment owned(connection& c, const actor& by, comment_id id) {
        auto found = storage::load_comment(c, id);
        if (!found || !found->author || *found->author != by.user()) {
            throw not_found_error("comment " + std::to_string(id.value()) + " not found");
        }
        return std::move(*found);
    }

    comment moderated(transaction_context& tx, const actor& by, comment_id id, bool hide,
                      const std::string& reason) {
        connection& c = tx.conn();
        detail::require_permission(c, by, permission::moderate_comments, "moderate comments");
        const auto found = storage::load_comment(c, id);
        if (!found) throw not_found_error("comment " + std::to_string(id.value()) + " not found");
        const timestamp now = ctx.now();
        storage::set_comment_hidden(c, id, hide, reason, now.micros());
        if (hide) {
            detail::publish_after_commit(tx, ctx.hub,
                                         comment_hidden_event{by, id, found->product, reason, now});
        }
        return std::move(*storage::load_comment(c, id));
    }
};

engagement_service::engagement_service(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
engagement_service::~engagement_service() = default;

namespace detail {
std::unique_ptr<engagement_service> make_engagement_service(shop_context& ctx) {
    return std::make_unique<engagement_service>(
        std::make_unique<engagement_service::impl>(engagement_service::impl{ctx}));
}
}  // namespace detail

bool engagement_service::like(const actor& by, product_id product) {
    require_user(by, "like products");
    auto& ctx = impl_->ctx;
    try {
        return ctx.db->write([&](transaction_context& tx) {
            require_visible_product(tx.conn(), product);
            const timestamp now = ctx.now();
            if (!storage::insert_like(tx.conn(), by.user(), product, now.micros())) return false;
            detail::publish_after_commit(tx, ctx.hub, product_liked_event{by.user(), product, now});
            return true;
        });
    } catch (const conflict_error&) {
        return false;  // a racing like of the same user got there first
    }
}

bool engagement_service::unlike(const actor& by, product_id product) {
    require_user(by, "like products");
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        if (!storage::delete_like(tx.conn(), by.user(), product)) return false;
        detail::publish_after_commit(tx, ctx.hub,
                                     product_unliked_event{by.user(), product, ctx.now()});
        return true;
    });
}

std::int64_t engagement_service::like_count(product_id product) {
    return impl_->ctx.db->read([&](connection& c) { return storage::count_likes(c, product); });
}

bool engagement_service::likes(const actor& by, product_id product) {
    if (!signed_in(by)) return false;
    return impl_->ctx.db->read(
        [&](connection& c) { return storage::has_like(c, by.user(), product); });
}

page<product_id> engagement_service::liked_products(const actor& by, const page_request& request) {
    require_user(by, "see liked products");
    const std::int64_t limit = effective_limit(request);
    const std::string tag = "lk" + std::to_string(by.user().value());
    const auto before = cursor(request, tag);
    auto rows = impl_->ctx.db->read(
        [&](connection& c) { return storage::list_likes(c, by.user(), before, limit + 1); });
    page<product_id> out;
    const bool more = static_cast<std::int64_t>(rows.size()) > limit;
    if (more) rows.resize(static_cast<std::size_t>(limit));
    for (const auto& [at, product] : rows) out.items.push_back(product);
    if (more) {
        out.next_token = detail::encode_page_token(
            {tag, std::to_string(rows.back().first), std::to_string(rows.back().second.value())});
    }
    return out;
}

comment engagement_service::add_comment(const actor& by, product_id product,
                                        const comment_input& input) {
    require_user(by, "comment");
    check_input(input);
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        connection& c = tx.conn();
        require_visible_product(c, product);
        const timestamp now = ctx.now();
        const comment_id id = storage::insert_comment(c, product, by.user(), input, now.micros());
        detail::publish_after_commit(
            tx, ctx.hub, comment_added_event{id, product, by.user(), input.rating, now});
        return std::move(*storage::load_comment(c, id));
    });
}

comment engagement_service::edit_comment(const actor& by, comment_id id, const comment_input& input,
                                         std::int64_t expected_version) {
    require_user(by, "comment");
    check_input(input);
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        connection& c = tx.conn();
        const comment mine = impl_->owned(c, by, id);
        if (!storage::update_comment(c, id, input, expected_version, ctx.now().micros())) {
            throw conflict_error("comment " + std::to_string(id.value()) +
                                 " was changed meanwhile (version " + std::to_string(mine.version) +
                                 ")");
        }
        return std::move(*storage::load_comment(c, id));
    });
}

void engagement_service::delete_comment(const actor& by, comment_id id) {
    require_user(by, "delete comments");
    impl_->ctx.db->write([&](transaction_context& tx) {
        connection& c = tx.conn();
        const auto found = storage::load_comment(c, id);
        const bool own = found && found->author && *found->author == by.user();
        if (!own && by.kind() == actor_kind::customer) {
            throw not_found_error("comment " + std::to_string(id.value()) + " not found");
        }
        if (!own) {
            detail::require_permission(c, by, permission::moderate_comments, "delete comments");
        }
        if (!found) throw not_found_error("comment " + std::to_string(id.value()) + " not found");
        storage::delete_comment(c, id);
    });
}

comment engagement_service::hide_comment(const actor& by, comment_id id,
                                         const std::string& reason) {
    return impl_->ctx.db->write([&](transaction_context& tx) {
        detail::require_permission(tx.conn(), by, permission::moderate_comments,
                                   "moderate comments");
        detail::check_text("reason", reason, 1, 500, true);
        return impl_->moderated(tx, by, id, true, reason);
    });
}

comment engagement_service::unhide_comment(const actor& by, comment_id id) {
    return impl_->ctx.db->write(
        [&](transaction_context& tx) { return impl_->moderated(tx, by, id, false, ""); });
}

comment_list engagement_service::comments(const actor& by, product_id product,
                                          const page_request& request) {
    const std::int64_t limit = effective_limit(request);
    const std::string tag = "cm" + std::to_string(product.value());
    const auto before = cursor(request, tag);
    return impl_->ctx.db->read([&](connection& c) {
        const bool moderator =
            by.is_staff() && detail::has_permission(c, by, permission::moderate_comments);
        if (!by.is_staff()) require_visible_product(c, product);
        auto rows = storage::list_comments(c, product, moderator, before, limit + 1);
        comment_list out;
        const bool more = static_cast<std::int64_t>(rows.size()) > limit;
        if (more) rows.resize(static_cast<std::size_t>(limit));
        if (more) {
            out.comments.next_token =
                detail::encode_page_token({tag, std::to_string(rows.back().created_at.micros()),
                                           std::to_string(rows.back().id.value())});
        }
        out.comments.items = std::move(rows);
        const storage::comment_stats s = storage::visible_comment_stats(c, product);
        out.visible_count = s.visible;
        out.rating_count = s.rated;
        out.rating_sum = s.rating_sum;
        if (s.rated > 0) out.average_rating = ratio::of(s.rating_sum, s.rated);
        return out;
    });
}

}  // namespace shopcore

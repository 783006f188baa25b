#include <shopcore/support/support_service.hpp>

#include <utility>

#include <shopcore/core/error.hpp>
#include <shopcore/events/events.hpp>

#include "account/authorization.hpp"
#include "core/page_token.hpp"
#include "core/validate.hpp"
#include "events/publish.hpp"
#include "service_impls.hpp"
#include "storage/account_store.hpp"
#include "storage/support_store.hpp"

namespace shopcore {
namespace {

using storage::connection;
using storage::transaction_context;

bool signed_in(const actor& by) {
    return by.kind() == actor_kind::customer || by.kind() == actor_kind::admin;
}

void check_body(const std::string& body) { detail::check_text("body", body, 1, 10000, true); }

not_found_error no_ticket(ticket_id id) {
    return not_found_error("ticket " + std::to_string(id.value()) + " not found");
}

}  // namespace

const char* ticket_status_name(ticket_status s) noexcept {
    switch (s) {
        case ticket_status::open:
            return "open";
        case ticket_status::answered:
            return "answered";
        case ticket_status::closed:
            return "closed";
        case ticket_status::reopened:
            return "reopened";
    }
    return "unknown";
}

const char* ticket_priority_name(ticket_priority p) noexcept {
    switch (p) {
        case ticket_priority::low:
            return "low";
        case ticket_priority::normal:
            return "normal";
        case ticket_priority::high:
            return "high";
        case ticket_priority::urgent:
            return "urgent";
    }
    return "unknown";
}

struct support_service::impl {
    detail::shop_context& ctx;

    // The ticket with whether `by` acts as staff on it: its customer (not staff), or an admin
    // with manage_support (or the system). Another customer's ticket does not exist for them.
    // `lock`: in a write transaction, lock the row first so that changes to one ticket queue up
    // instead of failing their version check.
    std::pair<ticket, bool> reachable(connection& c, const actor& by, ticket_id id, bool lock) {
        if (!signed_in(by) && by.kind() != actor_kind::system) {
            throw authentication_error("sign in to use support tickets");
        }
        if (lock) storage::lock_ticket(c, id);
        auto t = storage::load_ticket(c, id);
        if (t && by.kind() != actor_kind::system && t->customer == by.user()) {
            return {std::move(*t), false};
        }
        if (by.kind() == actor_kind::customer) throw no_ticket(id);
        detail::require_permission(c, by, permission::manage_support, "handle support tickets");
        if (!t) throw no_ticket(id);
        return {std::move(*t), true};
    }

    // Writes the ticket's new state (version-checked) and returns it as stored.
    ticket save(connection& c, const ticket& t, std::int64_t expected) {
        if (!storage::update_ticket(c, t, expected)) {
            throw conflict_error("ticket " + std::to_string(t.id.value()) + " changed meanwhile");
        }
        return std::move(*storage::load_ticket(c, t.id));
    }

    void add_message(transaction_context& tx, const actor& by, ticket& t, bool staff,
                     const std::string& body, timestamp now) {
        ticket_message m;
        if (by.user().is_valid()) m.author = by.user();
        m.from_staff = staff;
        m.body = body;
        m.at = now;
        storage::insert_ticket_message(tx.conn(), t.id, m);
        detail::publish_after_commit(tx, ctx.hub,
                                     ticket_replied_event{by, t.id, t.customer, staff, now});
    }
};

support_service::support_service(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
support_service::~support_service() = default;

namespace detail {
std::unique_ptr<support_service> make_support_service(shop_context& ctx) {
    return std::make_unique<support_service>(
        std::make_unique<support_service::impl>(support_service::impl{ctx}));
}
}  // namespace detail

ticket support_service::open_ticket(const actor& by, const new_ticket& t) {
    if (!signed_in(by)) throw authentication_error("sign in to open a support ticket");
    detail::check_text("subject", t.subject, 1, 200);
    check_body(t.body);
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        connection& c = tx.conn();
        if (t.order && !storage::order_belongs_to(c, *t.order, by.user())) {
            throw not_found_error("order " + std::to_string(t.order->value()) + " not found");
        }
        const timestamp now = ctx.now();
        ticket row;
        row.customer = by.user();
        row.subject = t.subject;
        row.order = t.order;
        row.priority = t.priority;
        row.status = ticket_status::open;
        row.opened_at = now;
        row.updated_at = now;
        row.id = storage::insert_ticket(c, row);
        ticket_message first;
        first.author = by.user();
        first.body = t.body;
        first.at = now;
        storage::insert_ticket_message(c, row.id, first);
        detail::publish_after_commit(
            tx, ctx.hub, ticket_opened_event{row.id, by.user(), t.subject, t.priority, now});
        return std::move(*storage::load_ticket(c, row.id));
    });
}

ticket support_service::reply(const actor& by, ticket_id id, const std::string& body) {
    check_body(body);
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        auto [t, staff] = impl_->reachable(tx.conn(), by, id, true);
        if (t.status == ticket_status::closed) {
            throw invalid_state_error("ticket " + std::to_string(id.value()) +
                                      " is closed: reopen it to reply");
        }
        const std::int64_t version = t.version;
        const timestamp now = ctx.now();
        impl_->add_message(tx, by, t, staff, body, now);
        t.status = staff ? ticket_status::answered
                         : (t.status == ticket_status::answered ? ticket_status::open : t.status);
        t.updated_at = now;
        return impl_->save(tx.conn(), t, version);
    });
}

ticket support_service::close(const actor& by, ticket_id id) {
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        auto [t, staff] = impl_->reachable(tx.conn(), by, id, true);
        if (t.status == ticket_status::closed) {
            throw invalid_state_error("ticket " + std::to_string(id.value()) +
                                      " is already closed");
        }
        const std::int64_t version = t.version;
        const timestamp now = ctx.now();
        t.status = ticket_status::closed;
        t.closed_at = now;
        t.updated_at = now;
        detail::publish_after_commit(tx, ctx.hub, ticket_closed_event{by, id, t.customer, now});
        return impl_->save(tx.conn(), t, version);
    });
}

ticket support_service::reopen(const actor& by, ticket_id id, const std::string& body) {
    if (!body.empty()) check_body(body);
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        auto [t, staff] = impl_->reachable(tx.conn(), by, id, true);
        if (t.status != ticket_status::closed) {
            throw invalid_state_error("ticket " + std::to_string(id.value()) + " is " +
                                      ticket_status_name(t.status) + ", not closed");
        }
        const std::int64_t version = t.version;
        const timestamp now = ctx.now();
        if (!body.empty()) impl_->add_message(tx, by, t, staff, body, now);
        t.status = ticket_status::reopened;
        t.closed_at.reset();
        t.updated_at = now;
        return impl_->save(tx.conn(), t, version);
    });
}

ticket support_service::assign(const actor& by, ticket_id id, std::optional<user_id> assignee) {
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        connection& c = tx.conn();
        detail::require_permission(c, by, permission::manage_support, "assign support tickets");
        storage::lock_ticket(c, id);
        auto t = storage::load_ticket(c, id);
        if (!t) throw no_ticket(id);
        if (assignee) {
            const auto u = storage::load_user(c, *assignee);
            if (!u || !u->user.has_permission(permission::manage_support)) {
                throw validation_error("assignee", "not an active admin holding manage_support");
            }
        }
        const std::int64_t version = t->version;
        t->assignee = assignee;
        t->updated_at = ctx.now();
        return impl_->save(c, *t, version);
    });
}

ticket support_service::get(const actor& by, ticket_id id) {
    return impl_->ctx.db->read(
        [&](connection& c) { return impl_->reachable(c, by, id, false).first; });
}

namespace {

// Loads each ticket of a page of ids; the token continues after the last.
template <class Key>
page<ticket> ticket_page(connection& c, std::vector<ticket_id> ids, std::int64_t limit,
                         const std::string& tag, Key key) {
    page<ticket> out;
    const bool more = static_cast<std::int64_t>(ids.size()) > limit;
    if (more) ids.resize(static_cast<std::size_t>(limit));
    for (const ticket_id id : ids) {
        if (auto t = storage::load_ticket(c, id)) out.items.push_back(std::move(*t));
    }
    if (more && !out.items.empty()) {
        std::vector<std::string> parts{tag};
        for (const std::int64_t v : key(out.items.back())) parts.push_back(std::to_string(v));
        out.next_token = detail::encode_page_token(parts);
    }
    return out;
}

std::vector<std::int64_t> token_numbers(const page_request& request, const std::string& tag,
                                        std::size_t n) {
    if (request.token.empty()) return {};
    const auto parts = detail::decode_page_token(request.token);
    if (parts.size() != n + 1 || parts[0] != tag) {
        throw validation_error("token", "page token belongs to another query");
    }
    std::vector<std::int64_t> out;
    for (std::size_t i = 1; i < parts.size(); ++i) out.push_back(detail::parse_token_int(parts[i]));
    return out;
}

}  // namespace

page<ticket> support_service::my_tickets(const actor& by, const page_request& request) {
    if (!signed_in(by)) throw authentication_error("sign in to see your tickets");
    const std::int64_t limit = effective_limit(request);
    const std::string tag = "tk" + std::to_string(by.user().value());
    const auto n = token_numbers(request, tag, 2);
    std::optional<std::pair<std::int64_t, std::int64_t>> before;
    if (!n.empty()) before.emplace(n[0], n[1]);
    return impl_->ctx.db->read([&](connection& c) {
        return ticket_page(
            c, storage::list_user_tickets(c, by.user(), before, limit + 1), limit, tag,
            [](const ticket& t) {
                return std::vector<std::int64_t>{t.updated_at.micros(), t.id.value()};
            });
    });
}

page<ticket> support_service::queue(const actor& by, const ticket_filter& filter,
                                    const page_request& request) {
    const std::int64_t limit = effective_limit(request);
    // The filter is part of the token's tag, so that a token cannot continue another listing.
    std::string tag = "tq";
    tag += filter.status ? ticket_status_name(*filter.status) : "-";
    tag += '/';
    tag += filter.priority ? ticket_priority_name(*filter.priority) : "-";
    tag += '/';
    tag += filter.assignee ? std::to_string(filter.assignee->value()) : "-";
    tag += filter.unassigned_only ? "/u" : "/-";
    const auto n = token_numbers(request, tag, 3);
    std::optional<storage::queue_position> after;
    if (!n.empty()) after.emplace(n[0], n[1], n[2]);
    return impl_->ctx.db->read([&](connection& c) {
        detail::require_permission(c, by, permission::manage_support, "read the support queue");
        return ticket_page(
            c, storage::list_queue(c, filter, after, limit + 1), limit, tag, [](const ticket& t) {
                return std::vector<std::int64_t>{static_cast<std::int64_t>(t.priority),
                                                 t.updated_at.micros(), t.id.value()};
            });
    });
}

}  // namespace shopcore

#include "storage/support_store.hpp"

#include <string>

namespace shopcore::storage {
namespace {

std::optional<std::int64_t> id_or_null(const std::optional<user_id>& u) {
    if (!u) return std::nullopt;
    return u->value();
}

}  // namespace

ticket_id insert_ticket(connection& c, const ticket& t) {
    std::optional<std::int64_t> order;
    if (t.order) order = t.order->value();
    std::int64_t id = 0;
    c.sql(
         "INSERT INTO ticket (user_id, subject, order_id, priority, status, assignee_id, "
         "opened_at, updated_at, closed_at, version) "
         "VALUES (:u, :s, :o, :p, :st, NULL, :op, :up, NULL, 1) RETURNING id")
        .bind(t.customer.value())
        .bind(t.subject)
        .bind(order)
        .bind(static_cast<std::int64_t>(t.priority))
        .bind(static_cast<std::int64_t>(t.status))
        .bind(t.opened_at.micros())
        .bind(t.updated_at.micros())
        .into(id)
        .fetch_one();
    return ticket_id(id);
}

void insert_ticket_message(connection& c, ticket_id id, const ticket_message& m) {
    c.sql(
         "INSERT INTO ticket_message (ticket_id, user_id, from_staff, body, at) "
         "VALUES (:t, :u, :s, :b, :a)")
        .bind(id.value())
        .bind(id_or_null(m.author))
        .bind(m.from_staff)
        .bind(m.body)
        .bind(m.at.micros())
        .exec();
}

std::optional<ticket> load_ticket(connection& c, ticket_id id) {
    ticket t;
    std::int64_t tid = 0;
    std::int64_t user = 0;
    std::optional<std::int64_t> order;
    std::int64_t priority = 0;
    std::int64_t status = 0;
    std::optional<std::int64_t> assignee;
    std::int64_t opened = 0;
    std::int64_t updated = 0;
    std::optional<std::int64_t> closed;
    {
        auto q = c.sql(
            "SELECT id, user_id, subject, order_id, priority, status, assignee_id, opened_at, "
            "updated_at, closed_at, version FROM ticket WHERE id = :id");
        q.bind(id.value()).into(tid).into(user).into(t.subject).into(order).into(priority);
        q.into(status).into(assignee).into(opened).into(updated).into(closed).into(t.version);
        if (!q.fetch_one()) return std::nullopt;
    }
    t.id = ticket_id(tid);
    t.customer = user_id(user);
    if (order) t.order = order_id(*order);
    t.priority = static_cast<ticket_priority>(priority);
    t.status = static_cast<ticket_status>(status);
    if (assignee) t.assignee = user_id(*assignee);
    t.opened_at = timestamp::from_micros(opened);
    t.updated_at = timestamp::from_micros(updated);
    if (closed) t.closed_at = timestamp::from_micros(*closed);
    auto q = c.sql(
        "SELECT id, user_id, from_staff, body, at FROM ticket_message WHERE ticket_id = :t "
        "ORDER BY id");
    ticket_message m;
    std::optional<std::int64_t> author;
    std::int64_t at = 0;
    q.bind(id.value()).into(m.id).into(author).into(m.from_staff).into(m.body).into(at);
    while (q.next()) {
        ticket_message row = m;
        if (author) row.author = user_id(*author);
        row.at = timestamp::from_micros(at);
        t.messages.push_back(std::move(row));
    }
    return t;
}

void lock_ticket(connection& c, ticket_id id) {
    if (c.kind() == backend_kind::sqlite) return;
    std::int64_t version = 0;
    c.sql("SELECT version FROM ticket WHERE id = :id FOR UPDATE")
        .bind(id.value())
        .into(version)
        .fetch_one();
}

bool update_ticket(connection& c, const ticket& t, std::int64_t expected) {
    std::optional<std::int64_t> closed;
    if (t.closed_at) closed = t.closed_at->micros();
    return c.sql(
                "UPDATE ticket SET status = :s, assignee_id = :a, closed_at = :c, "
                "updated_at = :u, version = version + 1 WHERE id = :id AND version = :v")
               .bind(static_cast<std::int64_t>(t.status))
               .bind(id_or_null(t.assignee))
               .bind(closed)
               .bind(t.updated_at.micros())
               .bind(t.id.value())
               .bind(expected)
               .exec() == 1;
}

std::vector<ticket_id> list_user_tickets(
    connection& c, user_id user, std::optional<std::pair<std::int64_t, std::int64_t>> before,
    std::int64_t limit) {
    std::string sql = "SELECT id FROM ticket WHERE user_id = :u";
    if (before) sql += " AND (updated_at < :a OR (updated_at = :a2 AND id < :i))";
    sql += " ORDER BY updated_at DESC, id DESC LIMIT :l";
    auto q = c.sql(sql);
    q.bind(user.value());
    if (before) q.bind(before->first).bind(before->first).bind(before->second);
    q.bind(limit);
    std::int64_t id = 0;
    q.into(id);
    std::vector<ticket_id> out;
    while (q.next()) out.emplace_back(id);
    return out;
}

std::vector<ticket_id> list_queue(connection& c, const ticket_filter& f,
                                  std::optional<queue_position> after, std::int64_t limit) {
    // The clauses come from a fixed set; every value is bound.
    std::string sql = "SELECT id FROM ticket WHERE 1 = 1";
    if (f.status) sql += " AND status = :s";
    if (f.priority) sql += " AND priority = :p";
    if (f.assignee) sql += " AND assignee_id = :a";
    if (f.unassigned_only) sql += " AND assignee_id IS NULL";
    if (after) {
        sql +=
            " AND (priority < :qp OR (priority = :qp2 AND (updated_at > :qu OR "
            "(updated_at = :qu2 AND id > :qi))))";
    }
    sql += " ORDER BY priority DESC, updated_at, id LIMIT :l";
    auto q = c.sql(sql);
    if (f.status) q.bind(static_cast<std::int64_t>(*f.status));
    if (f.priority) q.bind(static_cast<std::int64_t>(*f.priority));
    if (f.assignee) q.bind(f.assignee->value());
    if (after) {
        const auto& [p, u, i] = *after;
        q.bind(p).bind(p).bind(u).bind(u).bind(i);
    }
    q.bind(limit);
    std::int64_t id = 0;
    q.into(id);
    std::vector<ticket_id> out;
    while (q.next()) out.emplace_back(id);
    return out;
}

void erase_tickets(connection& c, user_id user) {
    c.sql("UPDATE ticket SET subject = '(erased)' WHERE user_id = :u").bind(user.value()).exec();
    c.sql(
         "UPDATE ticket_message SET body = '(erased)' WHERE ticket_id IN "
         "(SELECT id FROM ticket WHERE user_id = :u)")
        .bind(user.value())
        .exec();
    c.sql("UPDATE ticket_message SET user_id = NULL WHERE user_id = :u").bind(user.value()).exec();
    c.sql("UPDATE ticket SET assignee_id = NULL WHERE assignee_id = :u").bind(user.value()).exec();
}

bool order_belongs_to(connection& c, order_id order, user_id user) {
    std::int64_t n = 0;
    c.sql("SELECT COUNT(*) FROM shop_order WHERE id = :o AND user_id = :u")
        .bind(order.value())
        .bind(user.value())
        .into(n)
        .fetch_one();
    return n > 0;
}

}  // namespace shopcore::storage

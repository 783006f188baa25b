#include "storage/stock_store.hpp"

namespace shopcore::storage {

void insert_stock(connection& c, product_id product, std::int64_t on_hand, std::int64_t threshold,
                  std::int64_t now_micros) {
    c.sql(
         "INSERT INTO stock (product_id, on_hand, low_stock_threshold, updated_at, version) "
         "VALUES (:p, :o, :t, :u, 1)")
        .bind(product.value())
        .bind(on_hand)
        .bind(threshold)
        .bind(now_micros)
        .exec();
}

std::optional<stock_level> load_stock(connection& c, product_id product) {
    stock_level s;
    std::int64_t updated = 0;
    auto q = c.sql(
        "SELECT on_hand, low_stock_threshold, updated_at, version FROM stock "
        "WHERE product_id = :p");
    q.bind(product.value()).into(s.on_hand).into(s.low_stock_threshold).into(updated);
    q.into(s.version);
    if (!q.fetch_one()) return std::nullopt;
    s.product = product;
    s.updated_at = timestamp::from_micros(updated);
    return s;
}

std::optional<bool> product_is_active(connection& c, product_id product) {
    bool active = false;
    if (!c.sql("SELECT active FROM product WHERE id = :p")
             .bind(product.value())
             .into(active)
             .fetch_one()) {
        return std::nullopt;
    }
    return active;
}

bool lock_stock_row(connection& c, product_id product) {
    const char* sql = c.kind() == backend_kind::sqlite
                          ? "SELECT product_id FROM stock WHERE product_id = :p"
                          : "SELECT product_id FROM stock WHERE product_id = :p FOR UPDATE";
    std::int64_t id = 0;
    return c.sql(sql).bind(product.value()).into(id).fetch_one();
}

bool try_take_stock(connection& c, product_id product, std::int64_t units,
                    std::int64_t now_micros) {
    return c.sql(
                "UPDATE stock SET on_hand = on_hand - :q, updated_at = :u, version = version + 1 "
                "WHERE product_id = :p AND on_hand >= :q2")
               .bind(units)
               .bind(now_micros)
               .bind(product.value())
               .bind(units)
               .exec() == 1;
}

bool try_adjust_stock(connection& c, product_id product, std::int64_t delta,
                      std::int64_t now_micros) {
    return c.sql(
                "UPDATE stock SET on_hand = on_hand + :d, updated_at = :u, version = version + 1 "
                "WHERE product_id = :p AND on_hand + :d2 >= 0")
               .bind(delta)
               .bind(now_micros)
               .bind(product.value())
               .bind(delta)
               .exec() == 1;
}

void set_threshold(connection& c, product_id product, std::int64_t threshold,
                   std::int64_t now_micros) {
    c.sql(
         "UPDATE stock SET low_stock_threshold = :t, updated_at = :u, version = version + 1 "
         "WHERE product_id = :p")
        .bind(threshold)
        .bind(now_micros)
        .bind(product.value())
        .exec();
}

void insert_movement(connection& c, const stock_movement& m) {
    std::optional<std::int64_t> user;
    if (m.by_user) user = m.by_user->value();
    c.sql(
         "INSERT INTO stock_movement (product_id, delta, on_hand_after, reason, actor_kind, "
         "actor_user_id, created_at) VALUES (:p, :d, :a, :r, :k, :u, :t)")
        .bind(m.product.value())
        .bind(m.delta)
        .bind(m.on_hand_after)
        .bind(m.reason)
        .bind(static_cast<std::int64_t>(m.by_kind))
        .bind(user)
        .bind(m.at.micros())
        .exec();
}

std::vector<stock_movement> load_movements(connection& c, product_id product,
                                           std::optional<std::int64_t> before_id,
                                           std::int64_t limit) {
    std::string sql =
        "SELECT id, delta, on_hand_after, reason, actor_kind, actor_user_id, created_at "
        "FROM stock_movement WHERE product_id = :p";
    if (before_id) sql += " AND id < :b";
    sql += " ORDER BY id DESC LIMIT :lim";
    auto q = c.sql(sql);
    q.bind(product.value());
    if (before_id) q.bind(*before_id);
    q.bind(limit);
    stock_movement m;
    std::int64_t kind = 0;
    std::optional<std::int64_t> user;
    std::int64_t at = 0;
    q.into(m.id).into(m.delta).into(m.on_hand_after).into(m.reason).into(kind).into(user).into(at);
    std::vector<stock_movement> out;
    while (q.next()) {
        stock_movement row = m;
        row.product = product;
        row.by_kind = static_cast<actor_kind>(kind);
        row.by_user = user ? std::optional<user_id>(user_id(*user)) : std::nullopt;
        row.at = timestamp::from_micros(at);
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace shopcore::storage

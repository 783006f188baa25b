#include "storage/discount_store.hpp"

#include <cstring>
#include <functional>

namespace shopcore::storage {
namespace {

constexpr std::int64_t target_category = 0;
constexpr std::int64_t target_product = 1;

constexpr const char* discount_columns =
    "SELECT id, code, description, kind, percent_num, percent_den, amount_minor, scope, "
    "min_subtotal_minor, min_quantity, starts_at, ends_at, usage_limit, per_customer_limit, "
    "single_use, audience, exclusive_code, priority, active, times_used, created_at, updated_at, "
    "version FROM discount_code";

std::optional<std::int64_t> opt_minor(const std::optional<money>& m) {
    if (!m) return std::nullopt;
    return m->minor_units();
}

std::optional<std::int64_t> opt_time(const std::optional<timestamp>& t) {
    if (!t) return std::nullopt;
    return t->micros();
}

struct discount_row {
    std::int64_t id = 0;
    std::string code;
    std::string description;
    std::int64_t kind = 0;
    std::int64_t percent_num = 0;
    std::int64_t percent_den = 1;
    std::int64_t amount = 0;
    std::int64_t scope = 0;
    std::optional<std::int64_t> min_subtotal;
    std::int64_t min_quantity = 0;
    std::optional<std::int64_t> starts_at;
    std::optional<std::int64_t> ends_at;
    std::optional<std::int64_t> usage_limit;
    std::optional<std::int64_t> per_customer_limit;
    bool single_use = false;
    std::int64_t audience = 0;
    bool exclusive = false;
    std::int64_t priority = 0;
    bool active = false;
    std::int64_t times_used = 0;
    std::int64_t created = 0;
    std::int64_t updated = 0;
    std::int64_t version = 0;

    void bind_into(query& q) {
        q.into(id).into(code).into(description).into(kind).into(percent_num).into(percent_den);
        q.into(amount).into(scope).into(min_subtotal).into(min_quantity).into(starts_at);
        q.into(ends_at).into(usage_limit).into(per_customer_limit).into(single_use);
        q.into(audience).into(exclusive).into(priority).into(active).into(times_used);
        q.into(created).into(updated).into(version);
    }

    [[nodiscard]] discount_code to_code(const currency& cur) const {
        discount_code d;
        d.id = discount_id(id);
        d.code = code;
        d.description = description;
        d.kind = static_cast<discount_kind>(kind);
        d.percent = percent_num == 0 ? ratio() : ratio::of(percent_num, percent_den);
        d.amount = money::of_minor(amount, cur);
        d.scope = static_cast<discount_scope>(scope);
        if (min_subtotal) d.min_subtotal = money::of_minor(*min_subtotal, cur);
        d.min_quantity = min_quantity;
        if (starts_at) d.starts_at = timestamp::from_micros(*starts_at);
        if (ends_at) d.ends_at = timestamp::from_micros(*ends_at);
        d.usage_limit = usage_limit;
        d.per_customer_limit = per_customer_limit;
        d.single_use = single_use;
        d.audience = static_cast<discount_audience>(audience);
        d.exclusive = exclusive;
        d.priority = static_cast<std::int32_t>(priority);
        d.active = active;
        d.times_used = times_used;
        d.created_at = timestamp::from_micros(created);
        d.updated_at = timestamp::from_micros(updated);
        d.version = version;
        return d;
    }
};

void load_targets(connection& c, discount_code& d) {
    d.categories.clear();
    d.products.clear();
    std::int64_t kind = 0;
    std::int64_t target = 0;
    auto q = c.sql(
        "SELECT target_kind, target_id FROM discount_target WHERE discount_id = :d "
        "ORDER BY target_kind, target_id");
    q.bind(d.id.value()).into(kind).into(target);
    while (q.next()) {
        if (kind == target_category) {
            d.categories.emplace_back(target);
        } else {
            d.products.emplace_back(target);
        }
    }
}

void write_targets(connection& c, const discount_code& d, discount_id id) {
    c.sql("DELETE FROM discount_target WHERE discount_id = :d").bind(id.value()).exec();
    const auto insert = [&](std::int64_t kind, std::int64_t target) {
        c.sql(
             "INSERT INTO discount_target (discount_id, target_kind, target_id) "
             "VALUES (:d, :k, :t)")
            .bind(id.value())
            .bind(kind)
            .bind(target)
            .exec();
    };
    for (const category_id cat : d.categories) insert(target_category, cat.value());
    for (const product_id p : d.products) insert(target_product, p.value());
}

std::optional<discount_code> load_one(connection& c, const currency& cur, const char* where,
                                      const std::function<void(query&)>& bind) {
    discount_row r;
    auto q = c.sql(std::string(discount_columns) + where);
    bind(q);
    r.bind_into(q);
    if (!q.fetch_one()) return std::nullopt;
    discount_code d = r.to_code(cur);
    load_targets(c, d);
    return d;
}

}  // namespace

discount_id insert_discount(connection& c, const discount_code& d) {
    std::int64_t id = 0;
    auto q = c.sql(
        "INSERT INTO discount_code (code, description, kind, percent_num, percent_den, currency, "
        "amount_minor, scope, min_subtotal_minor, min_quantity, starts_at, ends_at, usage_limit, "
        "per_customer_limit, single_use, audience, exclusive_code, priority, active, times_used, "
        "created_at, updated_at, version) VALUES (:c, :d, :k, :pn, :pd, :cur, :a, :s, :ms, :mq, "
        ":sa, :ea, :ul, :pcl, :su, :au, :ex, :pr, :ac, 0, :cr, :up, 1) RETURNING id");
    q.bind(d.code).bind(d.description).bind(static_cast<std::int64_t>(d.kind));
    q.bind(d.percent.numerator()).bind(d.percent.denominator()).bind(d.amount.currency().code());
    q.bind(d.amount.minor_units()).bind(static_cast<std::int64_t>(d.scope));
    q.bind(opt_minor(d.min_subtotal)).bind(d.min_quantity).bind(opt_time(d.starts_at));
    q.bind(opt_time(d.ends_at)).bind(d.usage_limit).bind(d.per_customer_limit);
    q.bind(d.single_use).bind(static_cast<std::int64_t>(d.audience)).bind(d.exclusive);
    q.bind(static_cast<std::int64_t>(d.priority)).bind(d.active).bind(d.created_at.micros());
    q.bind(d.updated_at.micros()).into(id).fetch_one();
    write_targets(c, d, discount_id(id));
    return discount_id(id);
}

bool update_discount_row(connection& c, const discount_code& d) {
    auto q = c.sql(
        "UPDATE discount_code SET description = :d, percent_num = :pn, percent_den = :pd, "
        "amount_minor = :a, min_subtotal_minor = :ms, min_quantity = :mq, starts_at = :sa, "
        "ends_at = :ea, usage_limit = :ul, per_customer_limit = :pcl, audience = :au, "
        "exclusive_code = :ex, priority = :pr, active = :ac, updated_at = :up, "
        "version = version + 1 WHERE id = :id AND version = :v");
    q.bind(d.description).bind(d.percent.numerator()).bind(d.percent.denominator());
    q.bind(d.amount.minor_units()).bind(opt_minor(d.min_subtotal)).bind(d.min_quantity);
    q.bind(opt_time(d.starts_at)).bind(opt_time(d.ends_at)).bind(d.usage_limit);
    q.bind(d.per_customer_limit).bind(static_cast<std::int64_t>(d.audience)).bind(d.exclusive);
    q.bind(static_cast<std::int64_t>(d.priority)).bind(d.active).bind(d.updated_at.micros());
    q.bind(d.id.value()).bind(d.version);
    if (q.exec() != 1) return false;
    write_targets(c, d, d.id);
    return true;
}

std::optional<discount_code> load_discount(connection& c, const currency& cur, discount_id id) {
    return load_one(c, cur, " WHERE id = :id", [&](query& q) { q.bind(id.value()); });
}

std::optional<discount_code> load_discount_by_code(connection& c, const currency& cur,
                                                   const std::string& code) {
    return load_one(c, cur, " WHERE code = :c", [&](query& q) { q.bind(code); });
}

std::vector<discount_code> list_discounts(connection& c, const currency& cur,
                                          const std::string& prefix, std::optional<bool> active,
                                          const std::optional<std::string>& after_code,
                                          std::int64_t after_id, std::int64_t limit) {
    // Codes are upper-case ASCII without spaces: byte order is what users expect. PostgreSQL is
    // told so (a database created with another locale would order "A-B" and "AA" otherwise);
    // MariaDB's utf8mb4_bin and SQLite's BINARY already compare bytes.
    const char* key = c.kind() == backend_kind::postgresql ? "code COLLATE \"C\"" : "code";
    std::string sql = std::string(discount_columns) + " WHERE 1 = 1";
    if (!prefix.empty()) sql += " AND code LIKE :prefix ESCAPE '!'";
    if (active) sql += " AND active = :active";
    if (after_code) {
        sql += std::string(" AND (") + key + " > :ac OR (" + key + " = :ac2 AND id > :aid))";
    }
    sql += std::string(" ORDER BY ") + key + ", id LIMIT :lim";
    auto q = c.sql(sql);
    // The prefix holds only A-Z, 0-9, '-' and '_' (checked by the service); '_' is a LIKE
    // wildcard, so it is escaped ('!' cannot occur in a code).
    if (!prefix.empty()) {
        std::string pattern;
        for (const char ch : prefix) {
            if (ch == '_') pattern += '!';
            pattern += ch;
        }
        q.bind(pattern + "%");
    }
    if (active) q.bind(*active);
    if (after_code) q.bind(*after_code).bind(*after_code).bind(after_id);
    q.bind(limit);
    discount_row r;
    r.bind_into(q);
    std::vector<discount_code> out;
    while (q.next()) out.push_back(r.to_code(cur));
    for (discount_code& d : out) load_targets(c, d);
    return out;
}

bool discount_code_taken(connection& c, const std::string& code) {
    std::int64_t id = 0;
    return c.sql("SELECT id FROM discount_code WHERE code = :c").bind(code).into(id).fetch_one();
}

std::int64_t customer_uses(connection& c, discount_id id, user_id user) {
    std::int64_t n = 0;
    c.sql(
         "SELECT COUNT(*) FROM discount_use WHERE discount_id = :d AND user_id = :u "
         "AND released_at IS NULL")
        .bind(id.value())
        .bind(user.value())
        .into(n)
        .fetch_one();
    return n;
}

use_result count_discount_use(connection& c, const discount_code& d, std::optional<user_id> user,
                              std::int64_t now_micros, std::optional<order_id> order) {
    // The code's row is locked first (SQLite's BEGIN IMMEDIATE already serialises writers), so
    // concurrent uses are counted one after the other against both limits: the total first,
    // as the pricing engine judges them, then the customer's.
    std::int64_t used = 0;
    std::int64_t version = 0;
    const char* lock =
        c.kind() == backend_kind::sqlite
            ? "SELECT times_used, version FROM discount_code WHERE id = :id"
            : "SELECT times_used, version FROM discount_code WHERE id = :id FOR UPDATE";
    if (!c.sql(lock).bind(d.id.value()).into(used).into(version).fetch_one()) {
        return use_result::changed;
    }
    if (version != d.version) return use_result::changed;
    if ((d.usage_limit && used >= *d.usage_limit) || (d.single_use && used >= 1)) {
        return use_result::exhausted;
    }
    std::optional<std::int64_t> uid;
    std::int64_t number = 1;
    if (user) {
        uid = user->value();
        std::int64_t released = 0;
        std::int64_t rows = 0;
        std::optional<std::int64_t> highest;
        c.sql(
             "SELECT COUNT(released_at), COUNT(*), MAX(use_number) FROM discount_use "
             "WHERE discount_id = :d AND user_id = :u")
            .bind(d.id.value())
            .bind(uid)
            .into(released)
            .into(rows)
            .into(highest)
            .fetch_one();
        if (d.per_customer_limit && rows - released + 1 > *d.per_customer_limit) {
            return use_result::customer_limit_reached;
        }
        // Released uses keep their numbers, so the next number follows the highest.
        number = highest.value_or(0) + 1;
    }
    // Still conditional, so that the limit holds even if the row lock were ever skipped.
    const bool taken = c.sql(
                            "UPDATE discount_code SET times_used = times_used + 1 WHERE id = :id "
                            "AND (usage_limit IS NULL OR times_used < usage_limit) "
                            "AND (single_use = 0 OR times_used < 1)")
                           .bind(d.id.value())
                           .exec() == 1;
    if (!taken) return use_result::exhausted;
    std::optional<std::int64_t> oid;
    if (order) oid = order->value();
    c.sql(
         "INSERT INTO discount_use (discount_id, user_id, use_number, used_at, order_id) "
         "VALUES (:d, :u, :n, :t, :o)")
        .bind(d.id.value())
        .bind(uid)
        .bind(number)
        .bind(now_micros)
        .bind(oid)
        .exec();
    return use_result::counted;
}

std::int64_t release_order_uses(connection& c, order_id order, std::int64_t now_micros) {
    std::vector<std::int64_t> codes;
    {
        auto q = c.sql(
            "SELECT discount_id FROM discount_use WHERE order_id = :o AND released_at IS NULL "
            "ORDER BY discount_id");
        std::int64_t id = 0;
        q.bind(order.value()).into(id);
        while (q.next()) codes.push_back(id);
    }
    for (const std::int64_t id : codes) {
        c.sql(
             "UPDATE discount_code SET times_used = times_used - 1 WHERE id = :id "
             "AND times_used > 0")
            .bind(id)
            .exec();
    }
    c.sql("UPDATE discount_use SET released_at = :t WHERE order_id = :o AND released_at IS NULL")
        .bind(now_micros)
        .bind(order.value())
        .exec();
    return static_cast<std::int64_t>(codes.size());
}

void retarget_category(connection& c, category_id from, std::optional<category_id> to,
                       std::int64_t now_micros) {
    if (to) {
        c.sql(
             "INSERT INTO discount_target (discount_id, target_kind, target_id) "
             "SELECT t.discount_id, :k, :to FROM discount_target t "
             "WHERE t.target_kind = :k2 AND t.target_id = :from AND NOT EXISTS ("
             "SELECT 1 FROM discount_target u WHERE u.discount_id = t.discount_id "
             "AND u.target_kind = :k3 AND u.target_id = :to2)")
            .bind(target_category)
            .bind(to->value())
            .bind(target_category)
            .bind(from.value())
            .bind(target_category)
            .bind(to->value())
            .exec();
    }
    c.sql("DELETE FROM discount_target WHERE target_kind = :k AND target_id = :from")
        .bind(target_category)
        .bind(from.value())
        .exec();
    c.sql(
         "UPDATE discount_code SET active = 0, updated_at = :u, version = version + 1 "
         "WHERE scope = :s AND active = 1 AND NOT EXISTS (SELECT 1 FROM discount_target t "
         "WHERE t.discount_id = discount_code.id AND t.target_kind = :k)")
        .bind(now_micros)
        .bind(static_cast<std::int64_t>(discount_scope::categories))
        .bind(target_category)
        .exec();
}

bool all_exist(connection& c, const char* table, const std::vector<std::int64_t>& ids) {
    // `table` is one of two literals, never input.
    const std::string sql = std::strcmp(table, "category") == 0
                                ? "SELECT COUNT(*) FROM category WHERE id = :id"
                                : "SELECT COUNT(*) FROM product WHERE id = :id";
    for (const std::int64_t id : ids) {
        std::int64_t n = 0;
        c.sql(sql).bind(id).into(n).fetch_one();
        if (n == 0) return false;
    }
    return true;
}

}  // namespace shopcore::storage

#include "storage/engagement_store.hpp"

namespace shopcore::storage {
namespace {

// The comment's columns and its author's name; a deleted account keeps no name here (its
// comments lose their author at deletion).
constexpr const char* comment_select =
    "SELECT m.id, m.product_id, m.user_id, u.first_name, m.body, m.rating, m.hidden, "
    "m.hidden_reason, m.created_at, m.updated_at, m.version FROM product_comment m "
    "LEFT JOIN app_user u ON u.id = m.user_id ";

struct comment_row {
    std::int64_t id = 0;
    std::int64_t product = 0;
    std::optional<std::int64_t> author;
    std::optional<std::string> first_name;
    comment out;
    std::optional<std::int64_t> rating;
    std::int64_t created = 0;
    std::int64_t updated = 0;

    void bind_into(query& q) {
        q.into(id).into(product).into(author).into(first_name).into(out.body).into(rating);
        q.into(out.hidden).into(out.hidden_reason).into(created).into(updated).into(out.version);
    }

    [[nodiscard]] comment value() const {
        comment c = out;
        c.id = comment_id(id);
        c.product = product_id(product);
        if (author) {
            c.author = user_id(*author);
            c.author_name = first_name && !first_name->empty() ? *first_name : "Customer";
        } else {
            c.author_name = "Deleted User";
        }
        if (rating) c.rating = static_cast<std::int32_t>(*rating);
        c.created_at = timestamp::from_micros(created);
        c.updated_at = timestamp::from_micros(updated);
        return c;
    }
};

std::optional<std::int64_t> rating_of(const comment_input& in) {
    if (!in.rating) return std::nullopt;
    return *in.rating;
}

}  // namespace

bool insert_like(connection& c, user_id user, product_id product, std::int64_t now_micros) {
    return c.sql(
                "INSERT INTO product_like (user_id, product_id, liked_at) SELECT :u, :p, :t "
                "WHERE NOT EXISTS (SELECT 1 FROM product_like WHERE user_id = :u2 "
                "AND product_id = :p2)")
               .bind(user.value())
               .bind(product.value())
               .bind(now_micros)
               .bind(user.value())
               .bind(product.value())
               .exec() == 1;
}

bool delete_like(connection& c, user_id user, product_id product) {
    return c.sql("DELETE FROM product_like WHERE user_id = :u AND product_id = :p")
               .bind(user.value())
               .bind(product.value())
               .exec() == 1;
}

std::int64_t count_likes(connection& c, product_id product) {
    std::int64_t n = 0;
    c.sql("SELECT COUNT(*) FROM product_like WHERE product_id = :p")
        .bind(product.value())
        .into(n)
        .fetch_one();
    return n;
}

bool has_like(connection& c, user_id user, product_id product) {
    std::int64_t n = 0;
    c.sql("SELECT COUNT(*) FROM product_like WHERE user_id = :u AND product_id = :p")
        .bind(user.value())
        .bind(product.value())
        .into(n)
        .fetch_one();
    return n > 0;
}

std::vector<std::pair<std::int64_t, product_id>> list_likes(
    connection& c, user_id user, std::optional<std::pair<std::int64_t, std::int64_t>> before,
    std::int64_t limit) {
    std::string sql = "SELECT liked_at, product_id FROM product_like WHERE user_id = :u";
    if (before) sql += " AND (liked_at < :a OR (liked_at = :a2 AND product_id < :p))";
    sql += " ORDER BY liked_at DESC, product_id DESC LIMIT :l";
    auto q = c.sql(sql);
    q.bind(user.value());
    if (before) q.bind(before->first).bind(before->first).bind(before->second);
    q.bind(limit);
    std::int64_t at = 0;
    std::int64_t product = 0;
    q.into(at).into(product);
    std::vector<std::pair<std::int64_t, product_id>> out;
    while (q.next()) out.emplace_back(at, product_id(product));
    return out;
}

comment_id insert_comment(connection& c, product_id product, user_id author,
                          const comment_input& in, std::int64_t now_micros) {
    std::int64_t id = 0;
    c.sql(
         "INSERT INTO product_comment (product_id, user_id, body, rating, hidden, hidden_reason, "
         "created_at, updated_at, version) VALUES (:p, :u, :b, :r, 0, '', :c, :m, 1) "
         "RETURNING id")
        .bind(product.value())
        .bind(author.value())
        .bind(in.body)
        .bind(rating_of(in))
        .bind(now_micros)
        .bind(now_micros)
        .into(id)
        .fetch_one();
    return comment_id(id);
}

std::optional<comment> load_comment(connection& c, comment_id id) {
    auto q = c.sql(std::string(comment_select) + "WHERE m.id = :id");
    comment_row r;
    q.bind(id.value());
    r.bind_into(q);
    if (!q.fetch_one()) return std::nullopt;
    return r.value();
}

bool update_comment(connection& c, comment_id id, const comment_input& in, std::int64_t expected,
                    std::int64_t now_micros) {
    return c.sql(
                "UPDATE product_comment SET body = :b, rating = :r, updated_at = :u, "
                "version = version + 1 WHERE id = :id AND version = :v")
               .bind(in.body)
               .bind(rating_of(in))
               .bind(now_micros)
               .bind(id.value())
               .bind(expected)
               .exec() == 1;
}

void delete_comment(connection& c, comment_id id) {
    c.sql("DELETE FROM product_comment WHERE id = :id").bind(id.value()).exec();
}

void set_comment_hidden(connection& c, comment_id id, bool hidden, const std::string& reason,
                        std::int64_t now_micros) {
    c.sql(
         "UPDATE product_comment SET hidden = :h, hidden_reason = :r, updated_at = :u, "
         "version = version + 1 WHERE id = :id")
        .bind(hidden)
        .bind(reason)
        .bind(now_micros)
        .bind(id.value())
        .exec();
}

std::vector<comment> list_comments(connection& c, product_id product, bool include_hidden,
                                   std::optional<std::pair<std::int64_t, std::int64_t>> before,
                                   std::int64_t limit) {
    std::string sql = std::string(comment_select) + "WHERE m.product_id = :p";
    if (!include_hidden) sql += " AND m.hidden = 0";
    if (before) sql += " AND (m.created_at < :a OR (m.created_at = :a2 AND m.id < :i))";
    sql += " ORDER BY m.created_at DESC, m.id DESC LIMIT :l";
    auto q = c.sql(sql);
    q.bind(product.value());
    if (before) q.bind(before->first).bind(before->first).bind(before->second);
    q.bind(limit);
    comment_row r;
    r.bind_into(q);
    std::vector<comment> out;
    while (q.next()) out.push_back(r.value());
    return out;
}

comment_stats visible_comment_stats(connection& c, product_id product) {
    // Counted per rating rather than summed in SQL: MariaDB's SUM is a DECIMAL.
    auto q = c.sql(
        "SELECT rating, COUNT(*) FROM product_comment WHERE product_id = :p AND hidden = 0 "
        "GROUP BY rating");
    std::optional<std::int64_t> rating;
    std::int64_t n = 0;
    q.bind(product.value()).into(rating).into(n);
    comment_stats s;
    while (q.next()) {
        s.visible += n;
        if (!rating) continue;
        s.rated += n;
        s.rating_sum += *rating * n;
    }
    return s;
}

void erase_engagement(connection& c, user_id user) {
    c.sql("DELETE FROM product_like WHERE user_id = :u").bind(user.value()).exec();
    c.sql("UPDATE product_comment SET user_id = NULL WHERE user_id = :u").bind(user.value()).exec();
}

}  // namespace shopcore::storage

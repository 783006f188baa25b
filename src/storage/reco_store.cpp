#include "storage/reco_store.hpp"

#include <string>

#include <shopcore/order/order_status.hpp>

namespace shopcore::storage {
namespace {

// Orders that count: placed and not taken back.
std::string learned_clause() {
    return "o.status <> " + std::to_string(static_cast<int>(order_status::cancelled)) +
           " AND o.status <> " + std::to_string(static_cast<int>(order_status::expired));
}

}  // namespace

std::int64_t max_order_id(connection& c) {
    std::optional<std::int64_t> id;
    c.sql("SELECT MAX(id) FROM shop_order").into(id).fetch_one();
    return id.value_or(0);
}

std::int64_t count_learned_orders(connection& c, std::int64_t max_id) {
    std::int64_t n = 0;
    c.sql("SELECT COUNT(*) FROM shop_order o WHERE o.id <= :m AND " + learned_clause())
        .bind(max_id)
        .into(n)
        .fetch_one();
    return n;
}

void load_order_baskets(connection& c, std::int64_t max_id, detail::basket_list& out,
                        std::vector<std::int64_t>& ids) {
    auto q = c.sql(
        "SELECT l.order_id, l.product_id FROM order_line l JOIN shop_order o ON o.id = "
        "l.order_id WHERE o.id <= :m AND " +
        learned_clause() + " ORDER BY l.order_id, l.position");
    std::int64_t order = 0;
    std::int64_t product = 0;
    q.bind(max_id).into(order).into(product);
    std::int64_t current = -1;
    while (q.next()) {
        if (order != current) {
            if (current >= 0) out.close_basket();
            current = order;
            ids.push_back(order);
        }
        out.append(product_id(product));
    }
    if (current >= 0) out.close_basket();
}

std::vector<detail::user_like> load_all_likes(connection& c) {
    auto q = c.sql("SELECT user_id, product_id FROM product_like ORDER BY user_id, product_id");
    std::int64_t user = 0;
    std::int64_t product = 0;
    q.into(user).into(product);
    std::vector<detail::user_like> out;
    while (q.next()) out.push_back({user_id(user), product_id(product)});
    return out;
}

std::unordered_set<std::int64_t> available_products(connection& c,
                                                    const std::vector<product_id>& products) {
    std::unordered_set<std::int64_t> out;
    if (products.empty()) return out;
    auto q = c.sql(
        "SELECT p.id FROM product p JOIN stock s ON s.product_id = p.id WHERE p.active = 1 "
        "AND s.on_hand > 0 AND p.id IN " +
        placeholder_list(products.size()));
    for (const product_id p : products) q.bind(p.value());
    std::int64_t id = 0;
    q.into(id);
    while (q.next()) out.insert(id);
    return out;
}

std::optional<product_place> product_place_of(connection& c, product_id product) {
    product_place out;
    std::optional<std::int64_t> category;
    if (!c.sql("SELECT active, category_id FROM product WHERE id = :p")
             .bind(product.value())
             .into(out.active)
             .into(category)
             .fetch_one()) {
        return std::nullopt;
    }
    if (category) out.category = category_id(*category);
    return out;
}

std::vector<product_id> category_products(connection& c, category_id category, std::int64_t limit) {
    auto q =
        c.sql("SELECT id FROM product WHERE category_id = :c AND active = 1 ORDER BY id LIMIT :l");
    q.bind(category.value()).bind(limit);
    std::int64_t id = 0;
    q.into(id);
    std::vector<product_id> out;
    while (q.next()) out.emplace_back(id);
    return out;
}

std::vector<product_id> purchased_products(connection& c, user_id user) {
    auto q = c.sql(
        "SELECT l.product_id, MAX(o.id) AS last_order FROM order_line l JOIN shop_order o ON "
        "o.id = l.order_id WHERE o.user_id = :u AND " +
        learned_clause() + " GROUP BY l.product_id ORDER BY last_order DESC, l.product_id");
    q.bind(user.value());
    std::int64_t product = 0;
    std::int64_t last = 0;
    q.into(product).into(last);
    std::vector<product_id> out;
    while (q.next()) out.emplace_back(product);
    return out;
}

}  // namespace shopcore::storage

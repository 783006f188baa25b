#include "storage/cart_store.hpp"

namespace shopcore::storage {

std::optional<cart_id> find_cart_by_token(connection& c, const std::string& token_hash) {
    std::int64_t id = 0;
    if (!c.sql("SELECT id FROM cart WHERE token_hash = :h").bind(token_hash).into(id).fetch_one()) {
        return std::nullopt;
    }
    return cart_id(id);
}

std::optional<cart_id> find_cart_by_owner(connection& c, user_id owner) {
    std::int64_t id = 0;
    if (!c.sql("SELECT id FROM cart WHERE owner_id = :o")
             .bind(owner.value())
             .into(id)
             .fetch_one()) {
        return std::nullopt;
    }
    return cart_id(id);
}

void lock_cart(connection& c, cart_id id) {
    if (c.kind() == backend_kind::sqlite) return;
    std::int64_t found = 0;
    c.sql("SELECT id FROM cart WHERE id = :id FOR UPDATE").bind(id.value()).into(found).fetch_one();
}

std::optional<cart> load_cart(connection& c, cart_id id) {
    cart k;
    std::optional<std::int64_t> owner;
    std::optional<std::string> country;
    std::optional<std::string> province;
    std::int64_t created = 0;
    std::int64_t updated = 0;
    std::int64_t expires = 0;
    auto q = c.sql(
        "SELECT owner_id, ship_country, ship_province, shipping_method, created_at, updated_at, "
        "expires_at, version FROM cart WHERE id = :id");
    q.bind(id.value()).into(owner).into(country).into(province).into(k.shipping_method);
    q.into(created).into(updated).into(expires).into(k.version);
    if (!q.fetch_one()) return std::nullopt;
    k.id = id;
    if (owner) k.owner = user_id(*owner);
    if (country) k.destination = shipping_destination{*country, province.value_or("")};
    k.created_at = timestamp::from_micros(created);
    k.updated_at = timestamp::from_micros(updated);
    k.expires_at = timestamp::from_micros(expires);

    std::int64_t product = 0;
    std::int64_t quantity = 0;
    std::int64_t added = 0;
    auto lines = c.sql(
        "SELECT product_id, quantity, added_at FROM cart_line WHERE cart_id = :id "
        "ORDER BY position, product_id");
    lines.bind(id.value()).into(product).into(quantity).into(added);
    while (lines.next()) {
        k.lines.push_back({product_id(product), quantity, timestamp::from_micros(added)});
    }
    std::string code;
    auto codes = c.sql(
        "SELECT d.code FROM cart_code k JOIN discount_code d ON d.id = k.discount_id "
        "WHERE k.cart_id = :id ORDER BY k.position, k.discount_id");
    codes.bind(id.value()).into(code);
    while (codes.next()) k.codes.push_back(code);
    return k;
}

std::vector<discount_id> cart_code_ids(connection& c, cart_id id) {
    std::int64_t code = 0;
    auto q = c.sql(
        "SELECT discount_id FROM cart_code WHERE cart_id = :id ORDER BY position, discount_id");
    q.bind(id.value()).into(code);
    std::vector<discount_id> out;
    while (q.next()) out.emplace_back(code);
    return out;
}

cart_id insert_cart(connection& c, const std::optional<std::string>& token_hash,
                    std::optional<user_id> owner, timestamp now, timestamp expires) {
    std::optional<std::int64_t> owner_id;
    if (owner) owner_id = owner->value();
    std::int64_t id = 0;
    c.sql(
         "INSERT INTO cart (token_hash, owner_id, ship_country, ship_province, shipping_method, "
         "created_at, updated_at, expires_at, version) "
         "VALUES (:h, :o, NULL, NULL, '', :c, :u, :e, 1) RETURNING id")
        .bind(token_hash)
        .bind(owner_id)
        .bind(now.micros())
        .bind(now.micros())
        .bind(expires.micros())
        .into(id)
        .fetch_one();
    return cart_id(id);
}

void touch_cart(connection& c, const cart& k) {
    std::optional<std::string> country;
    std::optional<std::string> province;
    if (k.destination) {
        country = k.destination->country;
        province = k.destination->province;
    }
    c.sql(
         "UPDATE cart SET ship_country = :c, ship_province = :p, shipping_method = :m, "
         "updated_at = :u, expires_at = :e, version = version + 1 WHERE id = :id")
        .bind(country)
        .bind(province)
        .bind(k.shipping_method)
        .bind(k.updated_at.micros())
        .bind(k.expires_at.micros())
        .bind(k.id.value())
        .exec();
}

void delete_cart(connection& c, cart_id id) {
    delete_lines(c, id);
    delete_cart_codes(c, id);
    c.sql("DELETE FROM cart WHERE id = :id").bind(id.value()).exec();
}

std::int64_t next_line_position(connection& c, cart_id id) {
    std::int64_t n = 0;
    c.sql("SELECT COALESCE(MAX(position), -1) + 1 FROM cart_line WHERE cart_id = :c")
        .bind(id.value())
        .into(n)
        .fetch_one();
    return n;
}

std::int64_t next_code_position(connection& c, cart_id id) {
    std::int64_t n = 0;
    c.sql("SELECT COALESCE(MAX(position), -1) + 1 FROM cart_code WHERE cart_id = :c")
        .bind(id.value())
        .into(n)
        .fetch_one();
    return n;
}

void insert_line(connection& c, cart_id id, const cart_line& line, std::int64_t position) {
    c.sql(
         "INSERT INTO cart_line (cart_id, product_id, quantity, position, added_at) "
         "VALUES (:c, :p, :q, :pos, :a)")
        .bind(id.value())
        .bind(line.product.value())
        .bind(line.quantity)
        .bind(position)
        .bind(line.added_at.micros())
        .exec();
}

void update_line(connection& c, cart_id id, product_id product, std::int64_t quantity) {
    c.sql("UPDATE cart_line SET quantity = :q WHERE cart_id = :c AND product_id = :p")
        .bind(quantity)
        .bind(id.value())
        .bind(product.value())
        .exec();
}

void delete_line(connection& c, cart_id id, product_id product) {
    c.sql("DELETE FROM cart_line WHERE cart_id = :c AND product_id = :p")
        .bind(id.value())
        .bind(product.value())
        .exec();
}

void delete_lines(connection& c, cart_id id) {
    c.sql("DELETE FROM cart_line WHERE cart_id = :c").bind(id.value()).exec();
}

void insert_cart_code(connection& c, cart_id id, discount_id code, std::int64_t position) {
    c.sql("INSERT INTO cart_code (cart_id, discount_id, position) VALUES (:c, :d, :p)")
        .bind(id.value())
        .bind(code.value())
        .bind(position)
        .exec();
}

void delete_cart_code(connection& c, cart_id id, discount_id code) {
    c.sql("DELETE FROM cart_code WHERE cart_id = :c AND discount_id = :d")
        .bind(id.value())
        .bind(code.value())
        .exec();
}

void delete_cart_codes(connection& c, cart_id id) {
    c.sql("DELETE FROM cart_code WHERE cart_id = :c").bind(id.value()).exec();
}

purge_result purge_carts(connection& c, timestamp now, std::int64_t after_id, std::int64_t limit) {
    std::vector<std::int64_t> ids;
    {
        std::int64_t id = 0;
        auto q =
            c.sql("SELECT id FROM cart WHERE expires_at <= :t AND id > :a ORDER BY id LIMIT :lim");
        q.bind(now.micros()).bind(after_id).bind(limit).into(id);
        while (q.next()) ids.push_back(id);
    }
    purge_result r;
    r.examined = static_cast<std::int64_t>(ids.size());
    for (const std::int64_t id : ids) {
        r.last_id = id;
        // Locked and checked again: a change that renewed it since it was listed keeps it.
        lock_cart(c, cart_id(id));
        std::int64_t expires = 0;
        if (!c.sql("SELECT expires_at FROM cart WHERE id = :id")
                 .bind(id)
                 .into(expires)
                 .fetch_one() ||
            expires > now.micros()) {
            continue;
        }
        delete_cart(c, cart_id(id));
        ++r.deleted;
    }
    return r;
}

std::optional<product_facts> load_product_facts(connection& c, product_id id) {
    product_facts f;
    std::optional<std::int64_t> category;
    std::optional<std::int64_t> on_hand;
    auto q = c.sql(
        "SELECT p.active, p.price_minor, p.sale_price_minor, p.weight_grams, p.category_id, "
        "s.on_hand FROM product p LEFT JOIN stock s ON s.product_id = p.id WHERE p.id = :id");
    q.bind(id.value()).into(f.active).into(f.price_minor).into(f.sale_price_minor);
    q.into(f.weight_grams).into(category).into(on_hand);
    if (!q.fetch_one()) return std::nullopt;
    if (category) f.category = category_id(*category);
    f.on_hand = on_hand.value_or(0);
    return f;
}

std::optional<category_id> category_parent(connection& c, category_id id) {
    std::optional<std::int64_t> parent;
    if (!c.sql("SELECT parent_id FROM category WHERE id = :id")
             .bind(id.value())
             .into(parent)
             .fetch_one() ||
        !parent) {
        return std::nullopt;
    }
    return category_id(*parent);
}

}  // namespace shopcore::storage

#include "storage/order_store.hpp"

#include <utility>

namespace shopcore::storage {
namespace {

actor actor_of(std::int64_t kind, std::optional<std::int64_t> user) {
    const user_id id(user.value_or(0));
    switch (static_cast<actor_kind>(kind)) {
        case actor_kind::customer:
            return actor::customer(id);
        case actor_kind::admin:
            return actor::admin(id);
        case actor_kind::system:
            return actor::system();
        case actor_kind::anonymous:
            break;
    }
    return actor::anonymous();
}

const char* order_columns =
    "id, number, user_id, status, currency, tax_mode, shipping_method, shipping_cost_minor, "
    "shipping_discount_minor, shipping_tax_minor, subtotal_minor, discount_total_minor, "
    "shipping_total_minor, tax_total_minor, total_minor, total_weight_grams, recipient_name, "
    "phone, email, line1, line2, city, province, postal_code, country, note, placed_at, "
    "updated_at, paid_at, payment_due_at, version";

}  // namespace

std::optional<checkout_cart> load_checkout_cart(connection& c, user_id user, timestamp now) {
    auto q = c.sql(
        "SELECT c.id, c.version, c.shipping_method, "
        "(SELECT COUNT(*) FROM cart_code k WHERE k.cart_id = c.id), "
        "l.product_id, l.quantity, p.sku, p.name, p.active, p.price_minor, p.sale_price_minor, "
        "p.weight_grams, p.category_id, p.version, s.on_hand "
        "FROM cart c LEFT JOIN cart_line l ON l.cart_id = c.id "
        "LEFT JOIN product p ON p.id = l.product_id "
        "LEFT JOIN stock s ON s.product_id = l.product_id "
        "WHERE c.owner_id = :u AND c.expires_at > :n ORDER BY l.position");
    std::int64_t id = 0;
    checkout_cart k;
    std::optional<std::int64_t> product;
    std::optional<std::int64_t> quantity;
    std::optional<std::string> sku;
    std::optional<std::string> name;
    std::optional<std::int64_t> active;
    std::optional<std::int64_t> price;
    std::optional<std::int64_t> sale;
    std::optional<std::int64_t> grams;
    std::optional<std::int64_t> category;
    std::optional<std::int64_t> version;
    std::optional<std::int64_t> on_hand;
    q.bind(user.value()).bind(now.micros());
    q.into(id).into(k.version).into(k.shipping_method).into(k.codes).into(product).into(quantity);
    q.into(sku).into(name).into(active).into(price).into(sale).into(grams).into(category);
    q.into(version).into(on_hand);
    bool found = false;
    while (q.next()) {
        found = true;
        k.id = cart_id(id);
        if (!product) continue;  // a cart without lines
        checkout_line l;
        l.product = product_id(*product);
        l.quantity = quantity.value_or(0);
        l.sku = sku.value_or("");
        l.name = name.value_or("");
        l.active = active.value_or(0) != 0;
        l.price_minor = price.value_or(0);
        l.sale_price_minor = sale.value_or(0);
        l.weight_grams = grams.value_or(0);
        if (category) l.category = category_id(*category);
        l.product_version = version.value_or(0);
        l.on_hand = on_hand.value_or(0);
        k.lines.push_back(std::move(l));
    }
    if (!found) return std::nullopt;
    return k;
}

std::unordered_map<std::int64_t, std::optional<std::int64_t>> category_ancestry(
    connection& c, const std::vector<category_id>& categories) {
    std::unordered_map<std::int64_t, std::optional<std::int64_t>> parents;
    if (categories.empty()) return parents;
    // UNION (not UNION ALL) ends the walk even if the tree were ever cyclic.
    auto q = c.sql(
        "WITH RECURSIVE up (id, parent_id) AS (SELECT id, parent_id FROM category WHERE id IN " +
        placeholder_list(categories.size()) +
        " UNION SELECT g.id, g.parent_id FROM category g JOIN up ON g.id = up.parent_id) "
        "SELECT id, parent_id FROM up");
    for (const category_id id : categories) q.bind(id.value());
    std::int64_t id = 0;
    std::optional<std::int64_t> parent;
    q.into(id).into(parent);
    while (q.next()) parents[id] = parent;
    return parents;
}

std::optional<buyer> load_buyer(connection& c, user_id user) {
    auto q = c.sql(
        "SELECT u.first_name, u.last_name, u.phone, u.email, u.role, u.active, u.deleted, "
        "a.recipient_name, a.line1, a.line2, a.city, a.province, a.postal_code, a.country, "
        "a.phone FROM app_user u LEFT JOIN user_address a ON a.user_id = u.id AND a.position = "
        "(SELECT b.position FROM user_address b WHERE b.user_id = u.id "
        "ORDER BY b.is_default DESC, b.position LIMIT 1) WHERE u.id = :u");
    buyer b;
    std::int64_t role_value = 0;
    bool active = false;
    bool deleted = false;
    std::optional<std::string> recipient;
    std::optional<std::string> line1;
    std::optional<std::string> line2;
    std::optional<std::string> city;
    std::optional<std::string> province;
    std::optional<std::string> postal;
    std::optional<std::string> country;
    std::optional<std::string> phone;
    q.bind(user.value());
    q.into(b.first_name).into(b.last_name).into(b.phone).into(b.email).into(role_value);
    q.into(active).into(deleted).into(recipient).into(line1).into(line2).into(city);
    q.into(province).into(postal).into(country).into(phone);
    if (!q.fetch_one()) return std::nullopt;
    b.usable = active && !deleted;
    b.staff = b.usable && role_value == 1;
    if (recipient) {
        address a;
        a.recipient_name = *recipient;
        a.line1 = line1.value_or("");
        a.line2 = line2.value_or("");
        a.city = city.value_or("");
        a.province = province.value_or("");
        a.postal_code = postal.value_or("");
        a.country = country.value_or("");
        a.phone = phone.value_or("");
        b.default_address = std::move(a);
    }
    return b;
}

std::optional<taken_stock> take_for_order(connection& c, product_id product, std::int64_t units,
                                          std::int64_t product_version, std::int64_t now_micros) {
#define SHOPCORE_TAKE_FOR_ORDER                                                        \
    "UPDATE stock SET on_hand = on_hand - :q, updated_at = :t, version = version + 1 " \
    "WHERE product_id = :p AND on_hand >= :q2 AND EXISTS (SELECT 1 FROM product "      \
    "WHERE id = :p2 AND version = :v AND active = 1)"
    const char* update = SHOPCORE_TAKE_FOR_ORDER;
    taken_stock out;
    if (c.kind() != backend_kind::mysql) {  // MariaDB has no UPDATE ... RETURNING
        auto q = c.sql(SHOPCORE_TAKE_FOR_ORDER " RETURNING on_hand, low_stock_threshold");
#undef SHOPCORE_TAKE_FOR_ORDER
        q.bind(units).bind(now_micros).bind(product.value()).bind(units);
        q.bind(product.value()).bind(product_version).into(out.on_hand).into(out.threshold);
        if (!q.fetch_one()) return std::nullopt;
        return out;
    }
    if (c.sql(update)
            .bind(units)
            .bind(now_micros)
            .bind(product.value())
            .bind(units)
            .bind(product.value())
            .bind(product_version)
            .exec() != 1) {
        return std::nullopt;
    }
    c.sql("SELECT on_hand, low_stock_threshold FROM stock WHERE product_id = :p")
        .bind(product.value())
        .into(out.on_hand)
        .into(out.threshold)
        .fetch_one();
    return out;
}

std::optional<std::int64_t> locked_on_hand_if_unchanged(connection& c, product_id product,
                                                        std::int64_t product_version) {
    const char* sql = c.kind() == backend_kind::sqlite
                          ? "SELECT s.on_hand, p.version, p.active FROM stock s JOIN product p "
                            "ON p.id = s.product_id WHERE s.product_id = :p"
                          : "SELECT s.on_hand, p.version, p.active FROM stock s JOIN product p "
                            "ON p.id = s.product_id WHERE s.product_id = :p FOR UPDATE";
    std::int64_t on_hand = 0;
    std::int64_t version = 0;
    bool active = false;
    if (!c.sql(sql).bind(product.value()).into(on_hand).into(version).into(active).fetch_one() ||
        version != product_version || !active) {
        return std::nullopt;
    }
    return on_hand;
}

void insert_movements(connection& c, const std::vector<stock_movement>& movements) {
    if (movements.empty()) return;
    auto q = c.sql(
        "INSERT INTO stock_movement (product_id, delta, on_hand_after, reason, actor_kind, "
        "actor_user_id, created_at) VALUES " +
        placeholder_rows(movements.size(), 7));
    for (const stock_movement& m : movements) {
        std::optional<std::int64_t> user;
        if (m.by_user) user = m.by_user->value();
        q.bind(m.product.value()).bind(m.delta).bind(m.on_hand_after).bind(m.reason);
        q.bind(static_cast<std::int64_t>(m.by_kind)).bind(user).bind(m.at.micros());
    }
    q.exec();
}

bool close_cart(connection& c, cart_id id, std::int64_t version, std::int64_t now_micros) {
    return c.sql(
                "UPDATE cart SET owner_id = NULL, ship_country = NULL, ship_province = NULL, "
                "expires_at = :e, updated_at = :u, version = version + 1 "
                "WHERE id = :id AND version = :v")
               .bind(now_micros)
               .bind(now_micros)
               .bind(id.value())
               .bind(version)
               .exec() == 1;
}

order_id insert_order(connection& c, const order& o, const std::string& idempotency_key,
                      const std::string& request_hash, cart_id cart) {
    std::optional<std::int64_t> user;
    if (o.customer) user = o.customer->value();
    std::optional<std::int64_t> due;
    if (o.payment_due_at) due = o.payment_due_at->micros();
    const purchase_info& p = o.purchase;
    auto q = c.sql(
        "INSERT INTO shop_order (number, user_id, idempotency_key, request_hash, cart_id, "
        "status, currency, tax_mode, shipping_method, shipping_cost_minor, "
        "shipping_discount_minor, shipping_tax_minor, subtotal_minor, discount_total_minor, "
        "shipping_total_minor, tax_total_minor, total_minor, total_weight_grams, recipient_name, "
        "phone, email, line1, line2, city, province, postal_code, country, note, placed_at, "
        "updated_at, paid_at, payment_due_at, version) VALUES " +
        placeholder_rows(1, 33) + " RETURNING id");
    q.bind(o.number).bind(user).bind(idempotency_key).bind(request_hash).bind(cart.value());
    q.bind(static_cast<std::int64_t>(o.status)).bind(o.currency.code());
    q.bind(static_cast<std::int64_t>(o.prices)).bind(o.shipping_method);
    q.bind(o.shipping_cost.minor_units()).bind(o.shipping_discount.minor_units());
    q.bind(o.shipping_tax.minor_units()).bind(o.subtotal.minor_units());
    q.bind(o.discount_total.minor_units()).bind(o.shipping_total.minor_units());
    q.bind(o.tax_total.minor_units()).bind(o.total.minor_units());
    q.bind(o.total_weight.grams()).bind(p.recipient_name).bind(p.phone).bind(p.email);
    q.bind(p.line1).bind(p.line2).bind(p.city).bind(p.province).bind(p.postal_code);
    q.bind(p.country).bind(p.note).bind(o.placed_at.micros()).bind(o.updated_at.micros());
    q.bind(std::optional<std::int64_t>()).bind(due).bind(1);
    std::int64_t id = 0;
    q.into(id).fetch_one();
    return order_id(id);
}

void insert_order_parts(connection& c, order_id id, const order& o) {
    {
        auto q = c.sql(
            "INSERT INTO order_line (order_id, position, product_id, sku, name, "
            "unit_price_minor, sale_unit_price_minor, quantity, unit_weight_grams, "
            "subtotal_minor, discount_minor, total_minor, tax_name, tax_rate_num, tax_rate_den, "
            "tax_minor) VALUES " +
            placeholder_rows(o.lines.size(), 16));
        for (const order_line& l : o.lines) {
            q.bind(id.value()).bind(l.position).bind(l.product.value()).bind(l.sku).bind(l.name);
            q.bind(l.unit_price.minor_units()).bind(l.sale_unit_price.minor_units());
            q.bind(l.quantity).bind(l.unit_weight.grams()).bind(l.subtotal.minor_units());
            q.bind(l.discount.minor_units()).bind(l.total.minor_units()).bind(l.tax_name);
            q.bind(l.tax_rate.numerator()).bind(l.tax_rate.denominator());
            q.bind(l.tax.minor_units());
        }
        q.exec();
    }
    if (o.codes.empty()) return;
    {
        auto q = c.sql(
            "INSERT INTO order_code (order_id, position, discount_id, code, kind, amount_minor) "
            "VALUES " +
            placeholder_rows(o.codes.size(), 6));
        std::int64_t position = 0;
        for (const order_code& k : o.codes) {
            q.bind(id.value()).bind(position++).bind(k.discount.value()).bind(k.code);
            q.bind(static_cast<std::int64_t>(k.kind)).bind(k.amount.minor_units());
        }
        q.exec();
    }
    std::vector<std::int64_t> shares;  // line, code, amount
    for (const order_line& l : o.lines) {
        for (const order_line_discount& d : l.discounts) {
            for (std::size_t k = 0; k < o.codes.size(); ++k) {
                if (o.codes[k].code != d.code) continue;
                shares.insert(shares.end(),
                              {l.position, static_cast<std::int64_t>(k), d.amount.minor_units()});
            }
        }
    }
    if (shares.empty()) return;
    auto q = c.sql(
        "INSERT INTO order_line_discount (order_id, line_position, code_position, amount_minor) "
        "VALUES " +
        placeholder_rows(shares.size() / 3, 4));
    for (std::size_t i = 0; i < shares.size(); i += 3) {
        q.bind(id.value()).bind(shares[i]).bind(shares[i + 1]).bind(shares[i + 2]);
    }
    q.exec();
}

std::optional<keyed_order> find_order_by_key(connection& c, user_id user, const std::string& key) {
    keyed_order k;
    std::int64_t id = 0;
    std::int64_t cart = 0;
    if (!c.sql("SELECT id, request_hash, cart_id FROM shop_order WHERE user_id = :u AND "
               "idempotency_key = :k")
             .bind(user.value())
             .bind(key)
             .into(id)
             .into(k.request_hash)
             .into(cart)
             .fetch_one()) {
        return std::nullopt;
    }
    k.id = order_id(id);
    k.cart = cart_id(cart);
    return k;
}

std::optional<order> load_order(connection& c, const currency& cur, order_id id) {
    order o;
    std::int64_t oid = 0;
    std::optional<std::int64_t> user;
    std::int64_t status = 0;
    std::string currency_code;
    std::int64_t mode = 0;
    std::int64_t m[8] = {};  // shipping cost .. total, in minor units
    std::int64_t grams = 0;
    std::int64_t placed = 0;
    std::int64_t updated = 0;
    std::optional<std::int64_t> paid;
    std::optional<std::int64_t> due;
    purchase_info& p = o.purchase;
    {
        auto q = c.sql(std::string("SELECT ") + order_columns + " FROM shop_order WHERE id = :id");
        q.bind(id.value()).into(oid).into(o.number).into(user).into(status).into(currency_code);
        q.into(mode).into(o.shipping_method);
        for (std::int64_t& v : m) q.into(v);
        q.into(grams).into(p.recipient_name).into(p.phone).into(p.email).into(p.line1);
        q.into(p.line2).into(p.city).into(p.province).into(p.postal_code).into(p.country);
        q.into(p.note).into(placed).into(updated).into(paid).into(due).into(o.version);
        if (!q.fetch_one()) return std::nullopt;
    }
    const auto cash = [&cur](std::int64_t minor) { return money::of_minor(minor, cur); };
    o.id = order_id(oid);
    if (user) o.customer = user_id(*user);
    o.status = static_cast<order_status>(status);
    o.currency = cur;
    o.prices = static_cast<tax_mode>(mode);
    o.shipping_cost = cash(m[0]);
    o.shipping_discount = cash(m[1]);
    o.shipping_tax = cash(m[2]);
    o.subtotal = cash(m[3]);
    o.discount_total = cash(m[4]);
    o.shipping_total = cash(m[5]);
    o.tax_total = cash(m[6]);
    o.total = cash(m[7]);
    o.total_weight = weight::of_grams(grams);
    o.placed_at = timestamp::from_micros(placed);
    o.updated_at = timestamp::from_micros(updated);
    if (paid) o.paid_at = timestamp::from_micros(*paid);
    if (due) o.payment_due_at = timestamp::from_micros(*due);
    {
        auto q = c.sql(
            "SELECT position, product_id, sku, name, unit_price_minor, sale_unit_price_minor, "
            "quantity, unit_weight_grams, subtotal_minor, discount_minor, total_minor, tax_name, "
            "tax_rate_num, tax_rate_den, tax_minor FROM order_line WHERE order_id = :o "
            "ORDER BY position");
        order_line l;
        std::int64_t product = 0;
        std::int64_t v[7] = {};  // unit, sale, quantity, weight, subtotal, discount, total
        std::int64_t num = 0;
        std::int64_t den = 1;
        std::int64_t tax = 0;
        q.bind(id.value()).into(l.position).into(product).into(l.sku).into(l.name);
        for (std::int64_t& x : v) q.into(x);
        q.into(l.tax_name).into(num).into(den).into(tax);
        while (q.next()) {
            order_line out = l;
            out.product = product_id(product);
            out.unit_price = cash(v[0]);
            out.sale_unit_price = cash(v[1]);
            out.quantity = v[2];
            out.unit_weight = weight::of_grams(v[3]);
            out.subtotal = cash(v[4]);
            out.discount = cash(v[5]);
            out.total = cash(v[6]);
            out.tax_rate = ratio::of(num, den);
            out.tax = cash(tax);
            o.lines.push_back(std::move(out));
        }
    }
    {
        auto q = c.sql(
            "SELECT discount_id, code, kind, amount_minor FROM order_code WHERE order_id = :o "
            "ORDER BY position");
        std::int64_t discount = 0;
        std::string code;
        std::int64_t kind = 0;
        std::int64_t amount = 0;
        q.bind(id.value()).into(discount).into(code).into(kind).into(amount);
        while (q.next()) {
            o.codes.push_back(
                {discount_id(discount), code, static_cast<discount_kind>(kind), cash(amount)});
        }
    }
    if (!o.codes.empty()) {
        auto q = c.sql(
            "SELECT line_position, code_position, amount_minor FROM order_line_discount "
            "WHERE order_id = :o ORDER BY line_position, code_position");
        std::int64_t line = 0;
        std::int64_t code = 0;
        std::int64_t amount = 0;
        q.bind(id.value()).into(line).into(code).into(amount);
        while (q.next()) {
            if (line < 0 || static_cast<std::size_t>(line) >= o.lines.size() || code < 0 ||
                static_cast<std::size_t>(code) >= o.codes.size()) {
                continue;
            }
            o.lines[static_cast<std::size_t>(line)].discounts.push_back(
                {o.codes[static_cast<std::size_t>(code)].code, cash(amount)});
        }
    }
    return o;
}

std::optional<order_id> find_order_by_number(connection& c, const std::string& number) {
    std::int64_t id = 0;
    if (!c.sql("SELECT id FROM shop_order WHERE number = :n").bind(number).into(id).fetch_one()) {
        return std::nullopt;
    }
    return order_id(id);
}

std::vector<order_id> list_order_ids(connection& c, const order_filter& f,
                                     std::optional<std::pair<std::int64_t, std::int64_t>> after,
                                     std::int64_t limit) {
    // The clauses come from a fixed set; every value is bound.
    std::string sql = "SELECT id FROM shop_order WHERE 1 = 1";
    if (f.status) sql += " AND status = :s";
    if (f.customer) sql += " AND user_id = :u";
    if (f.placed_from) sql += " AND placed_at >= :f";
    if (f.placed_to) sql += " AND placed_at < :t";
    if (after) sql += " AND (placed_at < :a OR (placed_at = :a2 AND id < :ai))";
    sql += " ORDER BY placed_at DESC, id DESC LIMIT :l";
    auto q = c.sql(sql);
    if (f.status) q.bind(static_cast<std::int64_t>(*f.status));
    if (f.customer) q.bind(f.customer->value());
    if (f.placed_from) q.bind(f.placed_from->micros());
    if (f.placed_to) q.bind(f.placed_to->micros());
    if (after) q.bind(after->first).bind(after->first).bind(after->second);
    q.bind(limit);
    std::int64_t id = 0;
    q.into(id);
    std::vector<order_id> out;
    while (q.next()) out.emplace_back(id);
    return out;
}

bool set_order_status(connection& c, order_id id, order_status from, order_status to,
                      std::int64_t now_micros, std::optional<std::int64_t> paid_at) {
    return c.sql(
                "UPDATE shop_order SET status = :to, updated_at = :u, "
                "paid_at = COALESCE(:p, paid_at), version = version + 1 "
                "WHERE id = :id AND status = :from")
               .bind(static_cast<std::int64_t>(to))
               .bind(now_micros)
               .bind(paid_at)
               .bind(id.value())
               .bind(static_cast<std::int64_t>(from))
               .exec() == 1;
}

bool set_purchase_info(connection& c, order_id id, const purchase_info& p, std::int64_t expected,
                       std::int64_t now_micros) {
    return c.sql(
                "UPDATE shop_order SET recipient_name = :r, phone = :ph, email = :e, line1 = :l1, "
                "line2 = :l2, city = :c, postal_code = :pc, note = :n, updated_at = :u, "
                "version = version + 1 WHERE id = :id AND version = :v")
               .bind(p.recipient_name)
               .bind(p.phone)
               .bind(p.email)
               .bind(p.line1)
               .bind(p.line2)
               .bind(p.city)
               .bind(p.postal_code)
               .bind(p.note)
               .bind(now_micros)
               .bind(id.value())
               .bind(expected)
               .exec() == 1;
}

std::vector<order_id> overdue_orders(connection& c, std::int64_t now_micros, std::int64_t limit) {
    auto q = c.sql(
        "SELECT id FROM shop_order WHERE status = :s AND payment_due_at <= :n "
        "ORDER BY payment_due_at, id LIMIT :l");
    std::int64_t id = 0;
    q.bind(static_cast<std::int64_t>(order_status::pending_payment)).bind(now_micros).bind(limit);
    q.into(id);
    std::vector<order_id> out;
    while (q.next()) out.emplace_back(id);
    return out;
}

void insert_history(connection& c, order_id id, const order_history_entry& e) {
    std::optional<std::int64_t> user;
    if (e.by.user().is_valid()) user = e.by.user().value();
    std::optional<std::int64_t> from;
    std::optional<std::int64_t> to;
    if (e.from) from = static_cast<std::int64_t>(*e.from);
    if (e.to) to = static_cast<std::int64_t>(*e.to);
    c.sql(
         "INSERT INTO order_history (order_id, at, actor_kind, actor_user_id, action, "
         "from_status, to_status, note) VALUES (:o, :a, :k, :u, :ac, :f, :t, :n)")
        .bind(id.value())
        .bind(e.at.micros())
        .bind(static_cast<std::int64_t>(e.by.kind()))
        .bind(user)
        .bind(e.action)
        .bind(from)
        .bind(to)
        .bind(e.note)
        .exec();
}

std::vector<order_history_entry> load_history(connection& c, order_id id) {
    auto q = c.sql(
        "SELECT id, at, actor_kind, actor_user_id, action, from_status, to_status, note "
        "FROM order_history WHERE order_id = :o ORDER BY id");
    order_history_entry e;
    std::int64_t at = 0;
    std::int64_t kind = 0;
    std::optional<std::int64_t> user;
    std::optional<std::int64_t> from;
    std::optional<std::int64_t> to;
    q.bind(id.value()).into(e.id).into(at).into(kind).into(user).into(e.action).into(from);
    q.into(to).into(e.note);
    std::vector<order_history_entry> out;
    while (q.next()) {
        order_history_entry row = e;
        row.at = timestamp::from_micros(at);
        row.by = actor_of(kind, user);
        if (from) row.from = static_cast<order_status>(*from);
        if (to) row.to = static_cast<order_status>(*to);
        out.push_back(std::move(row));
    }
    return out;
}

void insert_payment(connection& c, const payment_row& p, std::int64_t now_micros) {
    c.sql(
         "INSERT INTO payment (order_id, provider, authority, amount_minor, status, "
         "reference_id, message, created_at, verified_at) "
         "VALUES (:o, :p, :a, :m, :s, '', '', :c, NULL)")
        .bind(p.order.value())
        .bind(p.provider)
        .bind(p.authority)
        .bind(p.amount_minor)
        .bind(static_cast<std::int64_t>(p.status))
        .bind(now_micros)
        .exec();
}

std::optional<payment_row> find_payment(connection& c, const std::string& provider,
                                        const std::string& authority) {
    payment_row p;
    std::int64_t order = 0;
    std::int64_t status = 0;
    if (!c.sql("SELECT id, order_id, provider, authority, amount_minor, status, reference_id, "
               "message FROM payment WHERE provider = :p AND authority = :a")
             .bind(provider)
             .bind(authority)
             .into(p.id)
             .into(order)
             .into(p.provider)
             .into(p.authority)
             .into(p.amount_minor)
             .into(status)
             .into(p.reference_id)
             .into(p.message)
             .fetch_one()) {
        return std::nullopt;
    }
    p.order = order_id(order);
    p.status = static_cast<payment_status>(status);
    return p;
}

bool settle_payment(connection& c, std::int64_t id, payment_status status,
                    const std::string& reference_id, const std::string& message,
                    std::int64_t now_micros) {
    return c.sql(
                "UPDATE payment SET status = :s, reference_id = :r, message = :m, "
                "verified_at = :v WHERE id = :id AND status = :started")
               .bind(static_cast<std::int64_t>(status))
               .bind(reference_id)
               .bind(message)
               .bind(now_micros)
               .bind(id)
               .bind(static_cast<std::int64_t>(payment_status::started))
               .exec() == 1;
}

void anonymise_orders(connection& c, user_id user) {
    c.sql(
         "UPDATE shop_order SET recipient_name = :r, phone = :p, email = NULL, line1 = :l1, "
         "line2 = '', city = :c, postal_code = '', note = '', idempotency_key = number "
         "WHERE user_id = :u")
        .bind("Deleted User")
        .bind("deleted-user-" + std::to_string(user.value()))
        .bind("(erased)")
        .bind("(erased)")
        .bind(user.value())
        .exec();
}

}  // namespace shopcore::storage

#include "storage/catalog_store.hpp"

#include <map>

namespace shopcore::storage {

namespace {

// ---- categories ----

constexpr const char* category_columns =
    "SELECT id, name, slug, parent_id, created_at, updated_at, version FROM category";

struct category_row {
    std::int64_t id = 0;
    std::string name;
    std::string slug;
    std::optional<std::int64_t> parent;
    std::int64_t created = 0;
    std::int64_t updated = 0;
    std::int64_t version = 0;

    void bind_into(query& q) {
        q.into(id).into(name).into(slug).into(parent).into(created).into(updated).into(version);
    }
    [[nodiscard]] category to_category() const {
        category c;
        c.id = category_id(id);
        c.name = name;
        c.slug = slug;
        if (parent) c.parent = category_id(*parent);
        c.created_at = timestamp::from_micros(created);
        c.updated_at = timestamp::from_micros(updated);
        c.version = version;
        return c;
    }
};

std::optional<std::int64_t> opt_id(const std::optional<category_id>& id) {
    if (!id) return std::nullopt;
    return id->value();
}

// ---- products ----

constexpr const char* product_columns =
    "p.id, p.sku, p.name, p.slug, p.description, p.category_id, p.currency, p.price_minor, "
    "p.sale_kind, p.sale_amount_minor, p.sale_ratio_num, p.sale_ratio_den, p.sale_price_minor, "
    "p.weight_grams, p.active, p.created_at, p.updated_at, p.version";

struct product_row {
    std::int64_t id = 0;
    std::string sku;
    std::string name;
    std::string slug;
    std::string description;
    std::optional<std::int64_t> category;
    std::string currency_code;
    std::int64_t price = 0;
    std::int64_t sale_kind_value = 0;
    std::optional<std::int64_t> sale_amount;
    std::optional<std::int64_t> sale_num;
    std::optional<std::int64_t> sale_den;
    std::int64_t sale_price = 0;
    std::int64_t grams = 0;
    bool active = true;
    std::int64_t created = 0;
    std::int64_t updated = 0;
    std::int64_t version = 0;

    void bind_into(query& q) {
        q.into(id).into(sku).into(name).into(slug).into(description).into(category);
        q.into(currency_code).into(price).into(sale_kind_value).into(sale_amount);
        q.into(sale_num).into(sale_den).into(sale_price).into(grams).into(active);
        q.into(created).into(updated).into(version);
    }

    [[nodiscard]] product to_product(const currency& cur) const {
        product p;
        p.id = product_id(id);
        p.sku = sku;
        p.name = name;
        p.slug = slug;
        p.description = description;
        if (category) p.category = category_id(*category);
        const currency row_currency =
            currency_code == cur.code() ? cur : currency::of(currency_code);
        p.price = money::of_minor(price, row_currency);
        if (sale_kind_value == static_cast<std::int64_t>(sale_kind::amount) && sale_amount) {
            p.sale = sale_discount::amount(money::of_minor(*sale_amount, row_currency));
        } else if (sale_kind_value == static_cast<std::int64_t>(sale_kind::percentage) &&
                   sale_num && sale_den) {
            p.sale = sale_discount::percentage(ratio::of(*sale_num, *sale_den));
        }
        p.sale_price = money::of_minor(sale_price, row_currency);
        p.weight = weight::of_grams(grams);
        p.active = active;
        p.created_at = timestamp::from_micros(created);
        p.updated_at = timestamp::from_micros(updated);
        p.version = version;
        return p;
    }
};

// Binds the writable product columns in the order used by insert and update.
void bind_product_values(query& q, const product& p) {
    std::optional<std::int64_t> sale_amount;
    std::optional<std::int64_t> sale_num;
    std::optional<std::int64_t> sale_den;
    if (p.sale.kind() == sale_kind::amount) sale_amount = p.sale.amount_off().minor_units();
    if (p.sale.kind() == sale_kind::percentage) {
        sale_num = p.sale.rate().numerator();
        sale_den = p.sale.rate().denominator();
    }
    q.bind(p.sku).bind(p.name).bind(p.slug).bind(p.description).bind(opt_id(p.category));
    q.bind(p.price.currency().code()).bind(p.price.minor_units());
    q.bind(static_cast<std::int64_t>(p.sale.kind())).bind(sale_amount).bind(sale_num);
    q.bind(sale_den).bind(p.sale_price.minor_units()).bind(p.weight.grams()).bind(p.active);
    q.bind(p.updated_at.micros());
}

// Fills attributes and image URLs of the given products with two queries.
void load_details(connection& c, std::vector<product>& products) {
    if (products.empty()) return;
    std::map<std::int64_t, product*> by_id;
    std::string in = "(";
    for (std::size_t i = 0; i < products.size(); ++i) {
        in += i == 0 ? ":p0" : ", :p" + std::to_string(i);
        by_id[products[i].id.value()] = &products[i];
    }
    in += ")";
    {
        auto q =
            c.sql("SELECT product_id, name, value FROM product_attribute WHERE product_id IN " +
                  in + " ORDER BY product_id, position");
        for (const auto& p : products) q.bind(p.id.value());
        std::int64_t pid = 0;
        std::string name;
        std::string value;
        q.into(pid).into(name).into(value);
        while (q.next()) by_id[pid]->attributes.push_back(product_attribute{name, value});
    }
    {
        auto q = c.sql("SELECT product_id, url FROM product_image WHERE product_id IN " + in +
                       " ORDER BY product_id, position");
        for (const auto& p : products) q.bind(p.id.value());
        std::int64_t pid = 0;
        std::string url;
        q.into(pid).into(url);
        while (q.next()) by_id[pid]->image_urls.push_back(url);
    }
}

// `column` with A-Z folded to a-z and every other character kept. LOWER() is not that: MySQL
// (and PostgreSQL under a non-C ctype) also folds non-ASCII letters, so a name "École" would
// not contain the ASCII-folded search text "École".
std::string ascii_lower_sql(const std::string& column) {
    std::string expr = column;
    for (char upper = 'A'; upper <= 'Z'; ++upper) {
        const char lower = static_cast<char>(upper - 'A' + 'a');
        expr = "REPLACE(" + expr + ", '" + upper + "', '" + lower + "')";
    }
    return expr;
}

}  // namespace

std::optional<category> load_category(connection& c, category_id id) {
    category_row r;
    auto q = c.sql(std::string(category_columns) + " WHERE id = :id");
    q.bind(id.value());
    r.bind_into(q);
    if (!q.fetch_one()) return std::nullopt;
    return r.to_category();
}

std::optional<category> load_category_by_slug(connection& c, const std::string& slug) {
    category_row r;
    auto q = c.sql(std::string(category_columns) + " WHERE slug = :slug");
    q.bind(slug);
    r.bind_into(q);
    if (!q.fetch_one()) return std::nullopt;
    return r.to_category();
}

std::vector<category> load_categories(connection& c) {
    std::vector<category> out;
    category_row r;
    // Bytes, not MariaDB's space-padding utf8mb4_bin (see list_products).
    auto q = c.sql(std::string(category_columns) + (c.kind() == backend_kind::mysql
                                                        ? " ORDER BY CAST(name AS BINARY), id"
                                                        : " ORDER BY name, id"));
    r.bind_into(q);
    while (q.next()) out.push_back(r.to_category());
    return out;
}

category_id insert_category(connection& c, const category& cat) {
    std::int64_t id = 0;
    c.sql(
         "INSERT INTO category (name, slug, parent_id, created_at, updated_at, version) "
         "VALUES (:n, :s, :p, :c, :u, 1) RETURNING id")
        .bind(cat.name)
        .bind(cat.slug)
        .bind(opt_id(cat.parent))
        .bind(cat.created_at.micros())
        .bind(cat.updated_at.micros())
        .into(id)
        .fetch_one();
    return category_id(id);
}

bool update_category_row(connection& c, const category& cat) {
    return c.sql(
                "UPDATE category SET name = :n, slug = :s, parent_id = :p, updated_at = :u, "
                "version = version + 1 WHERE id = :id AND version = :v")
               .bind(cat.name)
               .bind(cat.slug)
               .bind(opt_id(cat.parent))
               .bind(cat.updated_at.micros())
               .bind(cat.id.value())
               .bind(cat.version)
               .exec() == 1;
}

std::int64_t count_child_categories(connection& c, category_id id) {
    std::int64_t n = 0;
    c.sql("SELECT COUNT(*) FROM category WHERE parent_id = :id")
        .bind(id.value())
        .into(n)
        .fetch_one();
    return n;
}

std::int64_t count_products_in_category(connection& c, category_id id) {
    std::int64_t n = 0;
    c.sql("SELECT COUNT(*) FROM product WHERE category_id = :id")
        .bind(id.value())
        .into(n)
        .fetch_one();
    return n;
}

void reassign_category_contents(connection& c, category_id from, category_id to,
                                std::int64_t now_micros) {
    c.sql(
         "UPDATE product SET category_id = :to, updated_at = :u, version = version + 1 "
         "WHERE category_id = :from")
        .bind(to.value())
        .bind(now_micros)
        .bind(from.value())
        .exec();
    c.sql(
         "UPDATE category SET parent_id = :to, updated_at = :u, version = version + 1 "
         "WHERE parent_id = :from")
        .bind(to.value())
        .bind(now_micros)
        .bind(from.value())
        .exec();
}

void delete_category_row(connection& c, category_id id) {
    c.sql("DELETE FROM category WHERE id = :id").bind(id.value()).exec();
}

std::optional<product> load_product(connection& c, const currency& cur, product_id id) {
    product_row r;
    auto q = c.sql(std::string("SELECT ") + product_columns + " FROM product p WHERE p.id = :id");
    q.bind(id.value());
    r.bind_into(q);
    if (!q.fetch_one()) return std::nullopt;
    std::vector<product> one{r.to_product(cur)};
    load_details(c, one);
    return std::move(one.front());
}

std::optional<product> load_product_by(connection& c, const currency& cur, const char* column,
                                       const std::string& value) {
    const std::string col(column);
    if (col != "sku" && col != "slug") throw storage_error("bad product lookup column");
    product_row r;
    auto q = c.sql(std::string("SELECT ") + product_columns + " FROM product p WHERE p." + col +
                   " = :v");
    q.bind(value);
    r.bind_into(q);
    if (!q.fetch_one()) return std::nullopt;
    std::vector<product> one{r.to_product(cur)};
    load_details(c, one);
    return std::move(one.front());
}

product_id insert_product(connection& c, const product& p) {
    std::int64_t id = 0;
    auto q = c.sql(
        "INSERT INTO product (sku, name, slug, description, category_id, currency, price_minor, "
        "sale_kind, sale_amount_minor, sale_ratio_num, sale_ratio_den, sale_price_minor, "
        "weight_grams, active, updated_at, created_at, version) VALUES (:sku, :name, :slug, "
        ":d, :cat, :cur, :price, :sk, :sa, :sn, :sd, :sp, :w, :act, :u, :c, 1) RETURNING id");
    bind_product_values(q, p);
    q.bind(p.created_at.micros()).into(id);
    q.fetch_one();
    return product_id(id);
}

bool update_product_row(connection& c, const product& p) {
    auto q = c.sql(
        "UPDATE product SET sku = :sku, name = :name, slug = :slug, description = :d, "
        "category_id = :cat, currency = :cur, price_minor = :price, sale_kind = :sk, "
        "sale_amount_minor = :sa, sale_ratio_num = :sn, sale_ratio_den = :sd, "
        "sale_price_minor = :sp, weight_grams = :w, active = :act, updated_at = :u, "
        "version = version + 1 WHERE id = :id AND version = :v");
    bind_product_values(q, p);
    q.bind(p.id.value()).bind(p.version);
    return q.exec() == 1;
}

void replace_product_details(connection& c, const product& p) {
    c.sql("DELETE FROM product_attribute WHERE product_id = :id").bind(p.id.value()).exec();
    c.sql("DELETE FROM product_image WHERE product_id = :id").bind(p.id.value()).exec();
    for (std::size_t i = 0; i < p.attributes.size(); ++i) {
        c.sql(
             "INSERT INTO product_attribute (product_id, position, name, value) "
             "VALUES (:p, :i, :n, :v)")
            .bind(p.id.value())
            .bind(static_cast<std::int64_t>(i))
            .bind(p.attributes[i].name)
            .bind(p.attributes[i].value)
            .exec();
    }
    for (std::size_t i = 0; i < p.image_urls.size(); ++i) {
        c.sql("INSERT INTO product_image (product_id, position, url) VALUES (:p, :i, :u)")
            .bind(p.id.value())
            .bind(static_cast<std::int64_t>(i))
            .bind(p.image_urls[i])
            .exec();
    }
}

bool sku_taken(connection& c, const std::string& sku, product_id except) {
    std::int64_t n = 0;
    c.sql("SELECT COUNT(*) FROM product WHERE sku = :s AND id <> :id")
        .bind(sku)
        .bind(except.value())
        .into(n)
        .fetch_one();
    return n > 0;
}

bool product_slug_taken(connection& c, const std::string& slug, product_id except) {
    std::int64_t n = 0;
    c.sql("SELECT COUNT(*) FROM product WHERE slug = :s AND id <> :id")
        .bind(slug)
        .bind(except.value())
        .into(n)
        .fetch_one();
    return n > 0;
}

std::string product_sort_key(const product& p, product_sort sort) {
    switch (sort) {
        case product_sort::newest:
            return std::to_string(p.created_at.micros());
        case product_sort::price_ascending:
        case product_sort::price_descending:
            return std::to_string(p.sale_price.minor_units());
        case product_sort::name_ascending:
        case product_sort::name_descending:
            return p.name;
    }
    return {};
}

std::vector<product> list_products(connection& c, const currency& cur, const product_query& q,
                                   const std::optional<product_cursor>& after, std::int64_t limit) {
    const bool descending = q.sort == product_sort::newest ||
                            q.sort == product_sort::price_descending ||
                            q.sort == product_sort::name_descending;
    const bool text_key =
        q.sort == product_sort::name_ascending || q.sort == product_sort::name_descending;
    // MariaDB's utf8mb4_bin pads with spaces ("Lamp" = "Lamp "); compare the bytes instead,
    // as SQLite and PostgreSQL (C collation) do, in both the ORDER BY and the cursor.
    const char* name_key = c.kind() == backend_kind::mysql ? "CAST(p.name AS BINARY)" : "p.name";
    const char* key = q.sort == product_sort::newest ? "p.created_at"
                      : text_key                     ? name_key
                                                     : "p.sale_price_minor";
    std::string sql;
    if (q.category) {
        sql +=
            "WITH RECURSIVE sub(id) AS (SELECT id FROM category WHERE id = :root "
            "UNION ALL SELECT k.id FROM category k JOIN sub ON k.parent_id = sub.id) ";
    }
    sql += std::string("SELECT ") + product_columns + " FROM product p";
    if (q.in_stock_only) sql += " JOIN stock s ON s.product_id = p.id";
    sql += " WHERE 1 = 1";
    if (!q.include_inactive) sql += " AND p.active = 1";
    if (q.category) sql += " AND p.category_id IN (SELECT id FROM sub)";
    if (!q.text.empty()) sql += " AND " + ascii_lower_sql("p.name") + " LIKE :text ESCAPE '!'";
    if (q.min_price) sql += " AND p.sale_price_minor >= :minp";
    if (q.max_price) sql += " AND p.sale_price_minor <= :maxp";
    if (q.in_stock_only) sql += " AND s.on_hand > 0";
    const char* cmp = descending ? "<" : ">";
    if (after) {
        sql += std::string(" AND (") + key + " " + cmp + " :k1 OR (" + key + " = :k2 AND p.id " +
               cmp + " :kid))";
    }
    const char* dir = descending ? " DESC" : " ASC";
    sql += std::string(" ORDER BY ") + key + dir + ", p.id" + dir + " LIMIT :lim";

    auto query = c.sql(sql);
    if (q.category) query.bind(q.category->value());
    if (!q.text.empty()) {
        std::string lowered;
        for (char ch : q.text) {
            lowered.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
        }
        // Built with += rather than "%" + s: GCC 12 -O3 reports a false -Wrestrict otherwise.
        std::string pattern(1, '%');
        pattern += like_escape(lowered);
        pattern += '%';
        query.bind(std::move(pattern));
    }
    if (q.min_price) query.bind(q.min_price->minor_units());
    if (q.max_price) query.bind(q.max_price->minor_units());
    if (after) {
        if (text_key) {
            query.bind(after->key).bind(after->key);
        } else {
            const std::int64_t k = std::stoll(after->key);
            query.bind(k).bind(k);
        }
        query.bind(after->id);
    }
    query.bind(limit);
    std::vector<product> out;
    product_row r;
    r.bind_into(query);
    while (query.next()) out.push_back(r.to_product(cur));
    load_details(c, out);
    return out;
}

}  // namespace shopcore::storage

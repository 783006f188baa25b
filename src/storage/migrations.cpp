#include "storage/migrations.hpp"

#include "storage/database.hpp"

namespace shopcore::storage {

// Money is BIGINT minor units plus the shop's currency code; times are BIGINT microseconds
// since the Unix epoch (UTC). Never NUMERIC, never REAL.
const std::vector<migration>& all_migrations() {
    static const std::vector<migration> list = {
        {1,
         "catalog and inventory",
         {
             "CREATE TABLE shop_setting (name {str} NOT NULL PRIMARY KEY, value {text} NOT NULL)"
             "{table_opts}",
             "CREATE TABLE category ("
             " id {pk},"
             " name {str} NOT NULL,"
             " slug {str} NOT NULL UNIQUE,"
             " parent_id BIGINT NULL REFERENCES category(id),"
             " created_at BIGINT NOT NULL,"
             " updated_at BIGINT NOT NULL,"
             " version BIGINT NOT NULL DEFAULT 1)"
             "{table_opts}",
             "CREATE TABLE product ("
             " id {pk},"
             " sku {str} NOT NULL UNIQUE,"
             " name {str} NOT NULL,"
             " slug {str} NOT NULL UNIQUE,"
             " description {text} NOT NULL,"
             " category_id BIGINT NULL REFERENCES category(id),"
             " currency {str} NOT NULL,"
             " price_minor BIGINT NOT NULL CHECK (price_minor >= 0),"
             " sale_kind INTEGER NOT NULL DEFAULT 0,"
             " sale_amount_minor BIGINT NULL,"
             " sale_ratio_num BIGINT NULL,"
             " sale_ratio_den BIGINT NULL,"
             " sale_price_minor BIGINT NOT NULL CHECK (sale_price_minor >= 0),"
             " weight_grams BIGINT NOT NULL CHECK (weight_grams >= 0),"
             " active INTEGER NOT NULL DEFAULT 1,"
             " created_at BIGINT NOT NULL,"
             " updated_at BIGINT NOT NULL,"
             " version BIGINT NOT NULL DEFAULT 1)"
             "{table_opts}",
             "CREATE INDEX product_category_idx ON product (category_id)",
             "CREATE INDEX product_sale_price_idx ON product (sale_price_minor, id)",
             "CREATE INDEX product_created_idx ON product (created_at, id)",
             "CREATE TABLE product_attribute ("
             " product_id BIGINT NOT NULL REFERENCES product(id),"
             " position INTEGER NOT NULL,"
             " name {str} NOT NULL,"
             " value {text} NOT NULL,"
             " PRIMARY KEY (product_id, position))"
             "{table_opts}",
             "CREATE TABLE product_image ("
             " product_id BIGINT NOT NULL REFERENCES product(id),"
             " position INTEGER NOT NULL,"
             " url {text} NOT NULL,"
             " PRIMARY KEY (product_id, position))"
             "{table_opts}",
             "CREATE TABLE stock ("
             " product_id BIGINT NOT NULL PRIMARY KEY REFERENCES product(id),"
             " on_hand BIGINT NOT NULL CHECK (on_hand >= 0),"
             " low_stock_threshold BIGINT NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),"
             " updated_at BIGINT NOT NULL,"
             " version BIGINT NOT NULL DEFAULT 1)"
             "{table_opts}",
             "CREATE TABLE stock_movement ("
             " id {pk},"
             " product_id BIGINT NOT NULL REFERENCES product(id),"
             " delta BIGINT NOT NULL,"
             " on_hand_after BIGINT NOT NULL,"
             " reason {text} NOT NULL,"
             " actor_kind INTEGER NOT NULL,"
             " actor_user_id BIGINT NULL,"
             " created_at BIGINT NOT NULL)"
             "{table_opts}",
             "CREATE INDEX stock_movement_product_idx ON stock_movement (product_id, id)",
         }},
        {2,
         "accounts",
         {
             // "user" is reserved in PostgreSQL, hence app_user.
             "CREATE TABLE app_user ("
             " id {pk},"
             " phone {str} NOT NULL UNIQUE,"
             " email {str} NULL UNIQUE,"
             " first_name {str} NOT NULL,"
             " last_name {str} NOT NULL,"
             " sort_name {str} NOT NULL,"
             " role INTEGER NOT NULL DEFAULT 0,"
             " active INTEGER NOT NULL DEFAULT 1,"
             " phone_verified INTEGER NOT NULL DEFAULT 0,"
             " password_hash {text} NOT NULL,"
             " must_change_password INTEGER NOT NULL DEFAULT 0,"
             " password_expires_at BIGINT NULL,"
             " failed_logins INTEGER NOT NULL DEFAULT 0,"
             " locked_until BIGINT NULL,"
             " deleted INTEGER NOT NULL DEFAULT 0,"
             " joined_at BIGINT NOT NULL,"
             " last_login_at BIGINT NULL,"
             " login_count BIGINT NOT NULL DEFAULT 0,"
             " updated_at BIGINT NOT NULL,"
             " version BIGINT NOT NULL DEFAULT 1)"
             "{table_opts}",
             "CREATE INDEX app_user_sort_name_idx ON app_user (sort_name, id)",
             "CREATE TABLE user_permission ("
             " user_id BIGINT NOT NULL REFERENCES app_user(id),"
             " permission INTEGER NOT NULL,"
             " PRIMARY KEY (user_id, permission))"
             "{table_opts}",
             "CREATE TABLE user_address ("
             " user_id BIGINT NOT NULL REFERENCES app_user(id),"
             " position INTEGER NOT NULL,"
             " label {str} NOT NULL,"
             " recipient_name {str} NOT NULL,"
             " line1 {str} NOT NULL,"
             " line2 {str} NOT NULL,"
             " city {str} NOT NULL,"
             " province {str} NOT NULL,"
             " postal_code {str} NOT NULL,"
             " country {str} NOT NULL,"
             " phone {str} NOT NULL,"
             " is_default INTEGER NOT NULL,"
             " PRIMARY KEY (user_id, position))"
             "{table_opts}",
             "CREATE TABLE user_session ("
             " token_hash {str} NOT NULL PRIMARY KEY,"
             " user_id BIGINT NOT NULL REFERENCES app_user(id),"
             " created_at BIGINT NOT NULL,"
             " last_seen_at BIGINT NOT NULL,"
             " expires_at BIGINT NOT NULL,"
             " must_change_password INTEGER NOT NULL)"
             "{table_opts}",
             "CREATE INDEX user_session_user_idx ON user_session (user_id)",
             "CREATE TABLE verification_code ("
             " phone {str} NOT NULL PRIMARY KEY,"
             " code_hash {str} NOT NULL,"
             " purpose {str} NOT NULL,"
             " user_id BIGINT NULL,"
             " attempts INTEGER NOT NULL,"
             " failures INTEGER NOT NULL,"
             " window_start BIGINT NOT NULL,"
             " sent_at BIGINT NOT NULL,"
             " expires_at BIGINT NOT NULL)"
             "{table_opts}",
         }},
        {3,
         "carts and discount codes",
         {
             "CREATE TABLE discount_code ("
             " id {pk},"
             " code {str} NOT NULL UNIQUE,"
             " description {text} NOT NULL,"
             " kind INTEGER NOT NULL,"
             " percent_num BIGINT NOT NULL,"
             " percent_den BIGINT NOT NULL,"
             " currency {str} NOT NULL,"
             " amount_minor BIGINT NOT NULL,"
             " scope INTEGER NOT NULL,"
             " min_subtotal_minor BIGINT NULL,"
             " min_quantity BIGINT NOT NULL,"
             " starts_at BIGINT NULL,"
             " ends_at BIGINT NULL,"
             " usage_limit BIGINT NULL,"
             " per_customer_limit BIGINT NULL,"
             " single_use INTEGER NOT NULL,"
             " audience INTEGER NOT NULL,"
             " exclusive_code INTEGER NOT NULL,"
             " priority INTEGER NOT NULL,"
             " active INTEGER NOT NULL,"
             " times_used BIGINT NOT NULL DEFAULT 0 CHECK (times_used >= 0),"
             " created_at BIGINT NOT NULL,"
             " updated_at BIGINT NOT NULL,"
             " version BIGINT NOT NULL DEFAULT 1)"
             "{table_opts}",
             "CREATE TABLE discount_target ("
             " discount_id BIGINT NOT NULL REFERENCES discount_code(id),"
             " target_kind INTEGER NOT NULL,"
             " target_id BIGINT NOT NULL,"
             " PRIMARY KEY (discount_id, target_kind, target_id))"
             "{table_opts}",
             // One row per counted use; (code, user, n) is unique so that two racing orders
             // cannot both take a customer's n-th use. Guests' uses have no user.
             "CREATE TABLE discount_use ("
             " id {pk},"
             " discount_id BIGINT NOT NULL REFERENCES discount_code(id),"
             " user_id BIGINT NULL REFERENCES app_user(id),"
             " use_number BIGINT NOT NULL,"
             " used_at BIGINT NOT NULL,"
             " UNIQUE (discount_id, user_id, use_number))"
             "{table_opts}",
             "CREATE TABLE cart ("
             " id {pk},"
             " token_hash {str} NULL UNIQUE,"
             " owner_id BIGINT NULL UNIQUE REFERENCES app_user(id),"
             " ship_country {str} NULL,"
             " ship_province {str} NULL,"
             " shipping_method {str} NOT NULL,"
             " created_at BIGINT NOT NULL,"
             " updated_at BIGINT NOT NULL,"
             " expires_at BIGINT NOT NULL,"
             " version BIGINT NOT NULL DEFAULT 1)"
             "{table_opts}",
             "CREATE INDEX cart_expires_idx ON cart (expires_at)",
             "CREATE TABLE cart_line ("
             " cart_id BIGINT NOT NULL REFERENCES cart(id),"
             " product_id BIGINT NOT NULL REFERENCES product(id),"
             " quantity BIGINT NOT NULL CHECK (quantity > 0),"
             " position BIGINT NOT NULL,"
             " added_at BIGINT NOT NULL,"
             " PRIMARY KEY (cart_id, product_id))"
             "{table_opts}",
             "CREATE TABLE cart_code ("
             " cart_id BIGINT NOT NULL REFERENCES cart(id),"
             " discount_id BIGINT NOT NULL REFERENCES discount_code(id),"
             " position BIGINT NOT NULL,"
             " PRIMARY KEY (cart_id, discount_id))"
             "{table_opts}",
         }},
        {4,
         "orders and payments",
         {
             // "order" is reserved everywhere, hence shop_order. The buyer's details, the lines
             // and the totals are a snapshot: nothing here refers to prices that may change.
             "CREATE TABLE shop_order ("
             " id {pk},"
             " number {str} NOT NULL UNIQUE,"
             " user_id BIGINT NULL REFERENCES app_user(id),"
             " idempotency_key {str} NOT NULL,"
             " request_hash {str} NOT NULL,"
             " cart_id BIGINT NOT NULL,"
             " status INTEGER NOT NULL,"
             " currency {str} NOT NULL,"
             " tax_mode INTEGER NOT NULL,"
             " shipping_method {str} NOT NULL,"
             " shipping_cost_minor BIGINT NOT NULL,"
             " shipping_discount_minor BIGINT NOT NULL,"
             " shipping_tax_minor BIGINT NOT NULL,"
             " subtotal_minor BIGINT NOT NULL,"
             " discount_total_minor BIGINT NOT NULL,"
             " shipping_total_minor BIGINT NOT NULL,"
             " tax_total_minor BIGINT NOT NULL,"
             " total_minor BIGINT NOT NULL CHECK (total_minor >= 0),"
             " total_weight_grams BIGINT NOT NULL,"
             " recipient_name {str} NOT NULL,"
             " phone {str} NOT NULL,"
             " email {str} NULL,"
             " line1 {str} NOT NULL,"
             " line2 {str} NOT NULL,"
             " city {str} NOT NULL,"
             " province {str} NOT NULL,"
             " postal_code {str} NOT NULL,"
             " country {str} NOT NULL,"
             " note {text} NOT NULL,"
             " placed_at BIGINT NOT NULL,"
             " updated_at BIGINT NOT NULL,"
             " paid_at BIGINT NULL,"
             " payment_due_at BIGINT NULL,"
             " version BIGINT NOT NULL DEFAULT 1,"
             " UNIQUE (user_id, idempotency_key))"
             "{table_opts}",
             "CREATE INDEX shop_order_user_idx ON shop_order (user_id, placed_at, id)",
             "CREATE INDEX shop_order_placed_idx ON shop_order (placed_at, id)",
             "CREATE INDEX shop_order_due_idx ON shop_order (status, payment_due_at)",
             "CREATE TABLE order_line ("
             " order_id BIGINT NOT NULL REFERENCES shop_order(id),"
             " position INTEGER NOT NULL,"
             " product_id BIGINT NOT NULL,"
             " sku {str} NOT NULL,"
             " name {str} NOT NULL,"
             " unit_price_minor BIGINT NOT NULL,"
             " sale_unit_price_minor BIGINT NOT NULL,"
             " quantity BIGINT NOT NULL CHECK (quantity > 0),"
             " unit_weight_grams BIGINT NOT NULL,"
             " subtotal_minor BIGINT NOT NULL,"
             " discount_minor BIGINT NOT NULL,"
             " total_minor BIGINT NOT NULL,"
             " tax_name {str} NOT NULL,"
             " tax_rate_num BIGINT NOT NULL,"
             " tax_rate_den BIGINT NOT NULL,"
             " tax_minor BIGINT NOT NULL,"
             " PRIMARY KEY (order_id, position))"
             "{table_opts}",
             "CREATE TABLE order_code ("
             " order_id BIGINT NOT NULL REFERENCES shop_order(id),"
             " position INTEGER NOT NULL,"
             " discount_id BIGINT NOT NULL REFERENCES discount_code(id),"
             " code {str} NOT NULL,"
             " kind INTEGER NOT NULL,"
             " amount_minor BIGINT NOT NULL,"
             " PRIMARY KEY (order_id, position))"
             "{table_opts}",
             "CREATE TABLE order_line_discount ("
             " order_id BIGINT NOT NULL REFERENCES shop_order(id),"
             " line_position INTEGER NOT NULL,"
             " code_position INTEGER NOT NULL,"
             " amount_minor BIGINT NOT NULL,"
             " PRIMARY KEY (order_id, line_position, code_position))"
             "{table_opts}",
             "CREATE TABLE order_history ("
             " id {pk},"
             " order_id BIGINT NOT NULL REFERENCES shop_order(id),"
             " at BIGINT NOT NULL,"
             " actor_kind INTEGER NOT NULL,"
             " actor_user_id BIGINT NULL,"
             " action {str} NOT NULL,"
             " from_status INTEGER NULL,"
             " to_status INTEGER NULL,"
             " note {text} NOT NULL)"
             "{table_opts}",
             "CREATE INDEX order_history_order_idx ON order_history (order_id, id)",
             "CREATE TABLE payment ("
             " id {pk},"
             " order_id BIGINT NOT NULL REFERENCES shop_order(id),"
             " provider {str} NOT NULL,"
             " authority {str} NOT NULL,"
             " amount_minor BIGINT NOT NULL,"
             " status INTEGER NOT NULL,"
             " reference_id {str} NOT NULL,"
             " message {text} NOT NULL,"
             " created_at BIGINT NOT NULL,"
             " verified_at BIGINT NULL,"
             " UNIQUE (provider, authority))"
             "{table_opts}",
             // A use counted by an order names it, so that cancelling can give it back;
             // a released use stays as a row (its number is never reused) but no longer counts.
             "ALTER TABLE discount_use ADD order_id BIGINT NULL",
             "ALTER TABLE discount_use ADD released_at BIGINT NULL",
         }},
        {5,
         "likes, comments and support tickets",
         {
             "CREATE TABLE product_like ("
             " user_id BIGINT NOT NULL REFERENCES app_user(id),"
             " product_id BIGINT NOT NULL REFERENCES product(id),"
             " liked_at BIGINT NOT NULL,"
             " PRIMARY KEY (user_id, product_id))"
             "{table_opts}",
             "CREATE INDEX product_like_product_idx ON product_like (product_id)",
             "CREATE INDEX product_like_user_idx ON product_like (user_id, liked_at, product_id)",
             // The author is kept as an id only: the name shown is read from the account, so
             // deleting the account leaves no name here.
             "CREATE TABLE product_comment ("
             " id {pk},"
             " product_id BIGINT NOT NULL REFERENCES product(id),"
             " user_id BIGINT NULL REFERENCES app_user(id),"
             " body {text} NOT NULL,"
             " rating INTEGER NULL CHECK (rating IS NULL OR (rating >= 1 AND rating <= 5)),"
             " hidden INTEGER NOT NULL DEFAULT 0,"
             " hidden_reason {text} NOT NULL,"
             " created_at BIGINT NOT NULL,"
             " updated_at BIGINT NOT NULL,"
             " version BIGINT NOT NULL DEFAULT 1)"
             "{table_opts}",
             "CREATE INDEX product_comment_product_idx ON product_comment "
             "(product_id, created_at, id)",
             "CREATE TABLE ticket ("
             " id {pk},"
             " user_id BIGINT NOT NULL REFERENCES app_user(id),"
             " subject {str} NOT NULL,"
             " order_id BIGINT NULL REFERENCES shop_order(id),"
             " priority INTEGER NOT NULL,"
             " status INTEGER NOT NULL,"
             " assignee_id BIGINT NULL REFERENCES app_user(id),"
             " opened_at BIGINT NOT NULL,"
             " updated_at BIGINT NOT NULL,"
             " closed_at BIGINT NULL,"
             " version BIGINT NOT NULL DEFAULT 1)"
             "{table_opts}",
             "CREATE INDEX ticket_user_idx ON ticket (user_id, updated_at, id)",
             "CREATE INDEX ticket_queue_idx ON ticket (priority, updated_at, id)",
             "CREATE TABLE ticket_message ("
             " id {pk},"
             " ticket_id BIGINT NOT NULL REFERENCES ticket(id),"
             " user_id BIGINT NULL REFERENCES app_user(id),"
             " from_staff INTEGER NOT NULL,"
             " body {text} NOT NULL,"
             " at BIGINT NOT NULL)"
             "{table_opts}",
             "CREATE INDEX ticket_message_ticket_idx ON ticket_message (ticket_id, id)",
         }},
    };
    return list;
}

namespace {

void ensure_version_table(connection& c) {
    c.execute_once(dialect_sql(c.kind(),
                               "CREATE TABLE IF NOT EXISTS schema_migrations ("
                               " version INTEGER NOT NULL PRIMARY KEY,"
                               " name {str} NOT NULL,"
                               " applied_at BIGINT NOT NULL){table_opts}"));
}

void apply_pending(connection& c, bool transactional, std::int64_t now_micros) {
    const int current = current_schema_version(c);
    for (const auto& m : all_migrations()) {
        if (m.version <= current) continue;
        if (transactional && c.kind() == backend_kind::postgresql) c.execute_once("BEGIN");
        for (const char* stmt : m.statements) c.execute_once(dialect_sql(c.kind(), stmt));
        c.sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)")
            .bind(m.version)
            .bind(std::string(m.name))
            .bind(now_micros)
            .exec();
        if (transactional && c.kind() == backend_kind::postgresql) c.execute_once("COMMIT");
    }
}

}  // namespace

int current_schema_version(connection& c) {
    std::optional<std::int64_t> v;
    c.sql("SELECT MAX(version) FROM schema_migrations").into(v).fetch_one();
    return static_cast<int>(v.value_or(0));
}

void apply_migrations(connection& c, std::int64_t now_micros) {
    switch (c.kind()) {
        case backend_kind::sqlite:
            // SQLite DDL is transactional; BEGIN IMMEDIATE serialises concurrent openers.
            c.execute_once("BEGIN IMMEDIATE");
            try {
                ensure_version_table(c);
                apply_pending(c, false, now_micros);
                c.execute_once("COMMIT");
            } catch (...) {
                c.execute_once("ROLLBACK");
                throw;
            }
            break;
        case backend_kind::postgresql: {
            // A session-level advisory lock serialises openers; each migration is one
            // transaction (PostgreSQL DDL is transactional).
            c.execute_once("SELECT pg_advisory_lock(720461)");
            try {
                ensure_version_table(c);
                apply_pending(c, true, now_micros);
            } catch (...) {
                try {
                    c.execute_once("ROLLBACK");
                } catch (...) {  // no transaction was open
                }
                c.execute_once("SELECT pg_advisory_unlock(720461)");
                throw;
            }
            c.execute_once("SELECT pg_advisory_unlock(720461)");
            break;
        }
        case backend_kind::mysql: {
            // MySQL DDL commits implicitly, so a named lock serialises openers instead.
            std::int64_t got = 0;
            c.sql("SELECT GET_LOCK('shopcore_migrations', 120)").into(got).fetch_one();
            if (got != 1) throw unavailable_error("could not take the migration lock");
            try {
                ensure_version_table(c);
                apply_pending(c, false, now_micros);
            } catch (...) {
                c.execute_once("SELECT RELEASE_LOCK('shopcore_migrations')");
                throw;
            }
            c.execute_once("SELECT RELEASE_LOCK('shopcore_migrations')");
            break;
        }
    }
}

}  // namespace shopcore::storage

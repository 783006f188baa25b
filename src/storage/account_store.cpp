#include "storage/account_store.hpp"

#include <algorithm>
#include <map>

namespace shopcore::storage {

namespace {

constexpr const char* user_columns =
    "SELECT u.id, u.phone, u.email, u.first_name, u.last_name, u.role, u.active, "
    "u.phone_verified, u.must_change_password, u.deleted, u.joined_at, u.last_login_at, "
    "u.version, u.password_hash, u.password_expires_at, u.failed_logins, u.locked_until "
    "FROM app_user u";

struct user_row {
    std::int64_t id = 0;
    std::string phone;
    std::optional<std::string> email;
    std::string first;
    std::string last;
    std::int64_t role_value = 0;
    bool active = true;
    bool verified = false;
    bool must_change = false;
    bool deleted = false;
    std::int64_t joined = 0;
    std::optional<std::int64_t> last_login;
    std::int64_t version = 0;
    std::string hash;
    std::optional<std::int64_t> expires;
    std::int64_t failures = 0;
    std::optional<std::int64_t> locked;

    void bind_into(query& q) {
        q.into(id).into(phone).into(email).into(first).into(last).into(role_value).into(active);
        q.into(verified).into(must_change).into(deleted).into(joined).into(last_login);
        q.into(version).into(hash).into(expires).into(failures).into(locked);
    }

    [[nodiscard]] stored_user to_stored() const {
        stored_user s;
        user& u = s.user;
        u.id = user_id(id);
        u.phone = phone;
        u.email = email;
        u.first_name = first;
        u.last_name = last;
        u.role = role_value == 1 ? role::admin : role::customer;
        u.active = active;
        u.phone_verified = verified;
        u.must_change_password = must_change;
        u.deleted = deleted;
        u.joined_at = timestamp::from_micros(joined);
        if (last_login) u.last_login_at = timestamp::from_micros(*last_login);
        u.version = version;
        s.password_hash = hash;
        s.password_expires_at = expires;
        s.failed_logins = failures;
        s.locked_until = locked;
        return s;
    }
};

std::string sort_name(const user& u) {
    std::string s = u.last_name + " " + u.first_name;
    for (char& ch : s) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    return s;
}

// Fills addresses and permissions of the given users with two queries.
void load_details(connection& c, std::vector<stored_user>& users) {
    if (users.empty()) return;
    std::map<std::int64_t, user*> by_id;
    std::string in = "(";
    for (std::size_t i = 0; i < users.size(); ++i) {
        in += i == 0 ? ":u0" : ", :u" + std::to_string(i);
        by_id[users[i].user.id.value()] = &users[i].user;
    }
    in += ")";
    {
        auto q = c.sql("SELECT user_id, permission FROM user_permission WHERE user_id IN " + in +
                       " ORDER BY user_id, permission");
        for (const auto& u : users) q.bind(u.user.id.value());
        std::int64_t uid = 0;
        std::int64_t perm = 0;
        q.into(uid).into(perm);
        while (q.next()) by_id[uid]->permissions.push_back(static_cast<permission>(perm));
    }
    {
        auto q = c.sql(
            "SELECT user_id, label, recipient_name, line1, line2, city, province, postal_code, "
            "country, phone, is_default FROM user_address WHERE user_id IN " +
            in + " ORDER BY user_id, position");
        for (const auto& u : users) q.bind(u.user.id.value());
        std::int64_t uid = 0;
        address a;
        q.into(uid).into(a.label).into(a.recipient_name).into(a.line1).into(a.line2).into(a.city);
        q.into(a.province).into(a.postal_code).into(a.country).into(a.phone).into(a.is_default);
        while (q.next()) by_id[uid]->addresses.push_back(a);
    }
}

std::optional<stored_user> load_one(connection& c, const std::string& where,
                                    const std::string& text_value, std::int64_t int_value,
                                    bool by_text) {
    user_row r;
    auto q = c.sql(std::string(user_columns) + " WHERE " + where);
    if (by_text) {
        q.bind(text_value);
    } else {
        q.bind(int_value);
    }
    r.bind_into(q);
    if (!q.fetch_one()) return std::nullopt;
    std::vector<stored_user> one{r.to_stored()};
    load_details(c, one);
    return std::move(one.front());
}

}  // namespace

std::optional<stored_user> load_user(connection& c, user_id id) {
    return load_one(c, "u.id = :id", {}, id.value(), false);
}

std::optional<stored_user> load_user_by(connection& c, const char* column,
                                        const std::string& value) {
    const std::string col(column);
    if (col != "phone" && col != "email") throw storage_error("bad user lookup column");
    return load_one(c, "u." + col + " = :v", value, 0, true);
}

// Binds the writable user columns in the order insert and update both use.
static void bind_user_values(query& q, const stored_user& s) {
    const user& u = s.user;
    q.bind(u.phone).bind(u.email).bind(u.first_name).bind(u.last_name).bind(sort_name(u));
    q.bind(static_cast<std::int64_t>(u.role == role::admin ? 1 : 0)).bind(u.active);
    q.bind(u.phone_verified).bind(s.password_hash).bind(u.must_change_password);
    q.bind(s.password_expires_at).bind(u.deleted);
}

user_id insert_user(connection& c, const stored_user& s, std::int64_t now) {
    std::int64_t id = 0;
    auto q = c.sql(
        "INSERT INTO app_user (phone, email, first_name, last_name, sort_name, role, active, "
        "phone_verified, password_hash, must_change_password, password_expires_at, deleted, "
        "joined_at, updated_at, failed_logins, locked_until, last_login_at, version) "
        "VALUES (:p, :e, :f, :l, :s, :r, :a, :v, :h, :m, :x, :d, :j, :u, 0, NULL, NULL, 1) "
        "RETURNING id");
    bind_user_values(q, s);
    q.bind(s.user.joined_at.micros()).bind(now).into(id);
    q.fetch_one();
    return user_id(id);
}

bool update_user_row(connection& c, const stored_user& s, std::int64_t now) {
    auto q = c.sql(
        "UPDATE app_user SET phone = :p, email = :e, first_name = :f, last_name = :l, "
        "sort_name = :s, role = :r, active = :a, phone_verified = :v, password_hash = :h, "
        "must_change_password = :m, password_expires_at = :x, deleted = :d, updated_at = :u, "
        "version = version + 1 WHERE id = :id AND version = :ver");
    bind_user_values(q, s);
    q.bind(now).bind(s.user.id.value()).bind(s.user.version);
    return q.exec() == 1;
}

void replace_addresses(connection& c, user_id id, const std::vector<address>& addresses) {
    c.sql("DELETE FROM user_address WHERE user_id = :u").bind(id.value()).exec();
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        const address& a = addresses[i];
        c.sql(
             "INSERT INTO user_address (user_id, position, label, recipient_name, line1, line2, "
             "city, province, postal_code, country, phone, is_default) "
             "VALUES (:u, :i, :lb, :r, :l1, :l2, :c, :p, :z, :co, :ph, :d)")
            .bind(id.value())
            .bind(static_cast<std::int64_t>(i))
            .bind(a.label)
            .bind(a.recipient_name)
            .bind(a.line1)
            .bind(a.line2)
            .bind(a.city)
            .bind(a.province)
            .bind(a.postal_code)
            .bind(a.country)
            .bind(a.phone)
            .bind(a.is_default)
            .exec();
    }
}

void replace_permissions(connection& c, user_id id, const std::vector<permission>& permissions) {
    c.sql("DELETE FROM user_permission WHERE user_id = :u").bind(id.value()).exec();
    for (permission p : permissions) {
        c.sql("INSERT INTO user_permission (user_id, permission) VALUES (:u, :p)")
            .bind(id.value())
            .bind(static_cast<std::int64_t>(p))
            .exec();
    }
}

std::int64_t add_login_failure(connection& c, user_id id) {
    c.sql("UPDATE app_user SET failed_logins = failed_logins + 1 WHERE id = :id")
        .bind(id.value())
        .exec();
    std::int64_t n = 0;
    c.sql("SELECT failed_logins FROM app_user WHERE id = :id").bind(id.value()).into(n).fetch_one();
    return n;
}

void set_locked_until(connection& c, user_id id, std::optional<std::int64_t> until) {
    c.sql("UPDATE app_user SET locked_until = :l WHERE id = :id")
        .bind(until)
        .bind(id.value())
        .exec();
}

bool record_login(connection& c, user_id id, std::int64_t now, const std::string& verified_hash,
                  const std::optional<std::string>& new_hash) {
    // login_count always changes, so MySQL's changed-rows count is 1 whenever the row matched.
    return c.sql(
                "UPDATE app_user SET failed_logins = 0, locked_until = NULL, last_login_at = :t, "
                "login_count = login_count + 1, password_hash = :h WHERE id = :id AND "
                "password_hash = :old AND active = 1 AND deleted = 0 AND "
                "(locked_until IS NULL OR locked_until <= :now)")
               .bind(now)
               .bind(new_hash.value_or(verified_hash))
               .bind(id.value())
               .bind(verified_hash)
               .bind(now)
               .exec() == 1;
}

void insert_session(connection& c, const std::string& token_hash, user_id id, std::int64_t now,
                    std::int64_t expires, bool must_change_password) {
    c.sql(
         "INSERT INTO user_session (token_hash, user_id, created_at, last_seen_at, expires_at, "
         "must_change_password) VALUES (:h, :u, :c, :l, :e, :m)")
        .bind(token_hash)
        .bind(id.value())
        .bind(now)
        .bind(now)
        .bind(expires)
        .bind(must_change_password)
        .exec();
}

std::optional<session_row> load_session(connection& c, const std::string& token_hash) {
    session_row s;
    std::int64_t uid = 0;
    auto q = c.sql(
        "SELECT user_id, last_seen_at, expires_at, must_change_password "
        "FROM user_session WHERE token_hash = :h");
    q.bind(token_hash).into(uid).into(s.last_seen).into(s.expires).into(s.must_change_password);
    if (!q.fetch_one()) return std::nullopt;
    s.user = user_id(uid);
    return s;
}

void touch_session(connection& c, const std::string& token_hash, std::int64_t now) {
    c.sql("UPDATE user_session SET last_seen_at = :t WHERE token_hash = :h")
        .bind(now)
        .bind(token_hash)
        .exec();
}

void delete_session(connection& c, const std::string& token_hash) {
    c.sql("DELETE FROM user_session WHERE token_hash = :h").bind(token_hash).exec();
}

void delete_user_sessions(connection& c, user_id id) {
    c.sql("DELETE FROM user_session WHERE user_id = :u").bind(id.value()).exec();
}

std::optional<code_row> load_code(connection& c, const std::string& phone) {
    code_row r;
    auto q = c.sql(
        "SELECT code_hash, purpose, user_id, attempts, failures, window_start, sent_at, "
        "expires_at FROM verification_code WHERE phone = :p" +
        // Locks the row on the servers (SQLite's BEGIN IMMEDIATE already serialises writers):
        // parallel checks of one code must take turns, or each would see the attempts left
        // and the code unused.
        std::string(c.kind() == backend_kind::sqlite ? "" : " FOR UPDATE"));
    q.bind(phone).into(r.code_hash).into(r.purpose).into(r.user).into(r.attempts);
    q.into(r.failures).into(r.window_start).into(r.sent_at).into(r.expires_at);
    if (!q.fetch_one()) return std::nullopt;
    return r;
}

void replace_code(connection& c, const std::string& phone, const code_row& row) {
    delete_code(c, phone);
    c.sql(
         "INSERT INTO verification_code (phone, code_hash, purpose, user_id, attempts, failures, "
         "window_start, sent_at, expires_at) VALUES (:p, :h, :pu, :u, :a, :f, :w, :s, :e)")
        .bind(phone)
        .bind(row.code_hash)
        .bind(row.purpose)
        .bind(row.user)
        .bind(row.attempts)
        .bind(row.failures)
        .bind(row.window_start)
        .bind(row.sent_at)
        .bind(row.expires_at)
        .exec();
}

void add_code_attempt(connection& c, const std::string& phone) {
    c.sql(
         "UPDATE verification_code SET attempts = attempts + 1, failures = failures + 1 "
         "WHERE phone = :p")
        .bind(phone)
        .exec();
}

void delete_code(connection& c, const std::string& phone) {
    c.sql("DELETE FROM verification_code WHERE phone = :p").bind(phone).exec();
}

std::string user_sort_key(const user& u, user_sort sort) {
    switch (sort) {
        case user_sort::phone:
            return u.phone;
        case user_sort::name:
            return sort_name(u);
        case user_sort::active:
            return u.active ? "1" : "0";
        case user_sort::admin:
            return u.role == role::admin ? "1" : "0";
    }
    return {};
}

std::vector<user> list_users(connection& c, const user_query& q,
                             const std::optional<user_cursor>& after, std::int64_t limit) {
    const bool text_key = q.sort == user_sort::phone || q.sort == user_sort::name;
    const bool mysql = c.kind() == backend_kind::mysql;
    std::string key = q.sort == user_sort::phone    ? "u.phone"
                      : q.sort == user_sort::name   ? "u.sort_name"
                      : q.sort == user_sort::active ? "u.active"
                                                    : "u.role";
    // Byte order on every backend (MariaDB's utf8mb4_bin pads trailing spaces otherwise).
    if (mysql && text_key) key = "CAST(" + key + " AS BINARY)";
    std::string sql = std::string(user_columns) + " WHERE 1 = 1";
    if (!q.include_deleted) sql += " AND u.deleted = 0";
    if (q.role) sql += " AND u.role = :role";
    if (q.active) sql += " AND u.active = :active";
    if (!q.text.empty()) {
        sql +=
            " AND (u.phone LIKE :t1 ESCAPE '!' OR u.sort_name LIKE :t2 ESCAPE '!' OR "
            "LOWER(u.email) LIKE :t3 ESCAPE '!')";
    }
    const char* cmp = q.descending ? "<" : ">";
    if (after) {
        sql +=
            " AND (" + key + " " + cmp + " :k1 OR (" + key + " = :k2 AND u.id " + cmp + " :kid))";
    }
    const char* dir = q.descending ? " DESC" : " ASC";
    sql += " ORDER BY " + key + dir + ", u.id" + dir + " LIMIT :lim";
    auto query = c.sql(sql);
    if (q.role) query.bind(static_cast<std::int64_t>(*q.role == role::admin ? 1 : 0));
    if (q.active) query.bind(*q.active);
    if (!q.text.empty()) {
        std::string lowered = q.text;
        for (char& ch : lowered) {
            if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        }
        std::string pattern(1, '%');
        pattern += like_escape(lowered);
        pattern += '%';
        query.bind(pattern).bind(pattern).bind(pattern);
    }
    if (after) {
        if (text_key) {
            query.bind(after->key).bind(after->key);
        } else {
            const std::int64_t k = after->key == "1" ? 1 : 0;
            query.bind(k).bind(k);
        }
        query.bind(after->id);
    }
    query.bind(limit);
    user_row r;
    r.bind_into(query);
    std::vector<stored_user> rows;
    while (query.next()) rows.push_back(r.to_stored());
    load_details(c, rows);
    std::vector<user> out;
    out.reserve(rows.size());
    for (auto& s : rows) out.push_back(std::move(s.user));
    return out;
}

std::optional<std::vector<permission>> admin_permissions(connection& c, user_id id) {
    std::int64_t n = 0;
    c.sql(
         "SELECT COUNT(*) FROM app_user WHERE id = :id AND role = 1 AND active = 1 AND "
         "deleted = 0")
        .bind(id.value())
        .into(n)
        .fetch_one();
    if (n == 0) return std::nullopt;
    std::vector<permission> out;
    auto q = c.sql("SELECT permission FROM user_permission WHERE user_id = :id");
    std::int64_t p = 0;
    q.bind(id.value()).into(p);
    while (q.next()) out.push_back(static_cast<permission>(p));
    return out;
}

std::int64_t count_active_super_admins(connection& c) {
    std::int64_t n = 0;
    c.sql(
         "SELECT COUNT(*) FROM app_user u JOIN user_permission p ON p.user_id = u.id "
         "WHERE u.role = 1 AND u.active = 1 AND u.deleted = 0 AND p.permission = :p")
        .bind(static_cast<std::int64_t>(permission::super_admin))
        .into(n)
        .fetch_one();
    return n;
}

void lock_admin_changes(connection& c) {
    if (c.kind() == backend_kind::sqlite) return;  // BEGIN IMMEDIATE holds the write lock
    std::string value;
    c.sql("SELECT value FROM shop_setting WHERE name = :n FOR UPDATE")
        .bind("currency")
        .into(value)
        .fetch_one();
}

void anonymise_user(connection& c, user_id id, std::int64_t now) {
    const std::string placeholder = "deleted-user-" + std::to_string(id.value());
    // A code requested for the phone before the account existed has no user_id, yet it holds
    // the phone number: remove it by phone too.
    std::string phone;
    if (c.sql("SELECT phone FROM app_user WHERE id = :id")
            .bind(id.value())
            .into(phone)
            .fetch_one()) {
        c.sql("DELETE FROM verification_code WHERE phone = :p").bind(phone).exec();
    }
    c.sql(
         "UPDATE app_user SET phone = :p, email = NULL, first_name = :f, last_name = :l, "
         "sort_name = :s, password_hash = :h, must_change_password = 0, "
         "password_expires_at = NULL, active = 0, deleted = 1, phone_verified = 0, "
         "updated_at = :u, version = version + 1 WHERE id = :id")
        .bind(placeholder)
        .bind("Deleted")
        .bind("User")
        .bind("user deleted")
        .bind("!")
        .bind(now)
        .bind(id.value())
        .exec();
    c.sql("DELETE FROM user_address WHERE user_id = :u").bind(id.value()).exec();
    c.sql("DELETE FROM user_permission WHERE user_id = :u").bind(id.value()).exec();
    c.sql("DELETE FROM user_session WHERE user_id = :u").bind(id.value()).exec();
    c.sql("DELETE FROM verification_code WHERE user_id = :u").bind(id.value()).exec();
}

}  // namespace shopcore::storage

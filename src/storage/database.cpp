#include "storage/database.hpp"

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include <soci/mysql/soci-mysql.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "storage/migrations.hpp"

namespace shopcore::storage {

const char* backend_name(backend_kind kind) noexcept {
    switch (kind) {
        case backend_kind::sqlite:
            return "sqlite";
        case backend_kind::postgresql:
            return "postgresql";
        case backend_kind::mysql:
            return "mysql";
    }
    return "unknown";
}

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out.push_back(in[i]);
            continue;
        }
        const bool complete = i + 2 < in.size();
        const int hi = complete ? hex_digit(in[i + 1]) : -1;
        const int lo = complete ? hex_digit(in[i + 2]) : -1;
        if (hi < 0 || lo < 0) throw validation_error("url", "bad percent escape");
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

// Rejects characters that SOCI's key=value connect-string parsers cannot carry.
std::string plain_param(const char* what, const std::string& v) {
    if (v.find_first_of(" '\"=\t\n") != std::string::npos) {
        throw validation_error(
            "url", std::string(what) + " may not contain spaces, quotes or '=' characters");
    }
    return v;
}

// user[:password]@host[:port]/database -> SOCI key=value connect string.
parsed_url parse_server_url(backend_kind kind, std::string_view rest) {
    parsed_url out;
    out.kind = kind;
    const char* example = kind == backend_kind::mysql ? "mysql://user:pw@host:port/db"
                                                      : "postgresql://user:pw@host:port/db";
    auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash + 1 >= rest.size()) {
        throw validation_error("url", std::string("URL needs a database: ") + example);
    }
    std::string_view authority = rest.substr(0, slash);
    std::string_view db = rest.substr(slash + 1);
    if (db.find('?') != std::string_view::npos) {
        throw validation_error("url", "query parameters are not supported in server URLs");
    }
    std::string user;
    std::string password;
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        std::string_view userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        auto colon = userinfo.find(':');
        user = percent_decode(userinfo.substr(0, colon));
        if (colon != std::string_view::npos) password = percent_decode(userinfo.substr(colon + 1));
    }
    std::string host(authority);
    std::string port;
    if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = std::string(authority.substr(0, colon));
        port = std::string(authority.substr(colon + 1));
        if (port.empty() || port.size() > 5 ||
            !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            throw validation_error("url", "bad port");
        }
    }
    const bool pg = kind == backend_kind::postgresql;
    std::string cs =
        std::string(pg ? "dbname=" : "db=") + plain_param("database", percent_decode(db));
    if (!user.empty()) cs += " user=" + plain_param("user", user);
    if (!password.empty()) cs += " password=" + plain_param("password", password);
    if (!host.empty()) cs += " host=" + plain_param("host", host);
    if (!port.empty()) cs += " port=" + port;
    if (!pg) cs += " charset=utf8mb4";
    out.connect_string = cs;
    return out;
}

}  // namespace

parsed_url parse_url(std::string_view url) {
    parsed_url out;
    if (url == "sqlite::memory:") {
        out.kind = backend_kind::sqlite;
        out.in_memory = true;
        out.connect_string = ":memory:";
        return out;
    }
    if (starts_with(url, "sqlite:")) {
        std::string_view path = url.substr(7);
        if (starts_with(path, "//")) path = path.substr(2);  // sqlite:///abs/path
        if (path.empty()) throw validation_error("url", "sqlite URL needs a file path");
        if (path.find('=') != std::string_view::npos) {
            throw validation_error("url", "sqlite path may not contain '='");
        }
        // Without '=', SOCI's SQLite backend takes the whole string as the file name.
        out.kind = backend_kind::sqlite;
        out.connect_string = std::string(path);
        return out;
    }
    if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
        return parse_server_url(backend_kind::postgresql, url.substr(url.find("://") + 3));
    }
    if (starts_with(url, "mysql://") || starts_with(url, "mariadb://")) {
        return parse_server_url(backend_kind::mysql, url.substr(url.find("://") + 3));
    }
    throw validation_error(
        "url", "unsupported URL (use sqlite:PATH, sqlite::memory:, postgresql://, mysql://)");
}

std::string dialect_sql(backend_kind kind, std::string_view sql) {
    struct token {
        std::string_view name;
        const char* sqlite;
        const char* postgresql;
        const char* mysql;
    };
    static const token tokens[] = {
        {"{pk}", "INTEGER PRIMARY KEY AUTOINCREMENT",
         "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
         "BIGINT AUTO_INCREMENT PRIMARY KEY"},
        {"{str}", "TEXT", "TEXT", "VARCHAR(255)"},
        {"{text}", "TEXT", "TEXT", "MEDIUMTEXT"},
        {"{table_opts}", "", "", " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"},
    };
    std::string out(sql);
    for (const auto& t : tokens) {
        const char* repl = kind == backend_kind::sqlite       ? t.sqlite
                           : kind == backend_kind::postgresql ? t.postgresql
                                                              : t.mysql;
        for (auto pos = out.find(t.name); pos != std::string::npos; pos = out.find(t.name, pos)) {
            out.replace(pos, t.name.size(), repl);
            pos += std::char_traits<char>::length(repl);
        }
    }
    return out;
}

std::string placeholder_list(std::size_t n) {
    std::string out = "(";
    for (std::size_t i = 0; i < n; ++i) out += (i == 0 ? ":i" : ", :i") + std::to_string(i);
    return out + ")";
}

std::string placeholder_rows(std::size_t rows, std::size_t columns) {
    std::string out;
    std::size_t n = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        out += r == 0 ? "(" : ", (";
        for (std::size_t k = 0; k < columns; ++k) {
            out += (k == 0 ? ":v" : ", :v") + std::to_string(n++);
        }
        out += ")";
    }
    return out;
}

std::string like_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    for (char c : text) {
        if (c == '%' || c == '_' || c == '!') out.push_back('!');
        out.push_back(c);
    }
    return out;
}

// ---- query -------------------------------------------------------------------------------

query::query(soci::statement& st, backend_kind kind) : st_(st), kind_(kind) {
    if (kind_ == backend_kind::sqlite) {
        auto* be = static_cast<soci::sqlite3_statement_backend*>(st_.get_backend());
        if (be != nullptr) raw_ = be->stmt_;
    }
}

namespace {
sqlite_api::sqlite3_stmt* stmt_of(void* raw) { return static_cast<sqlite_api::sqlite3_stmt*>(raw); }
// SQLITE_TRANSIENT, spelled in SOCI's namespace for the SQLite API: SQLite copies the text.
// NOLINTNEXTLINE(performance-no-int-to-ptr): the value SQLite defines for "copy it"
const auto transient_text = reinterpret_cast<sqlite_api::sqlite3_destructor_type>(-1);
}  // namespace

query::~query() {
    if (raw_ != nullptr) {
        // Reset so that an unfinished SELECT does not keep a read snapshot open on this
        // connection (which would make a later BEGIN IMMEDIATE fail with BUSY_SNAPSHOT).
        sqlite_api::sqlite3_reset(stmt_of(raw_));
        return;
    }
    try {
        st_.bind_clean_up();
    } catch (...) {  // cleaning up bindings cannot meaningfully fail; never throw from a dtor
    }
}

void query::fail_sqlite(int code, const char* during) {
    sqlite_api::sqlite3* db = sqlite_api::sqlite3_db_handle(stmt_of(raw_));
    const int extended = db != nullptr ? sqlite_api::sqlite3_extended_errcode(db) : code;
    std::string message = std::string("sqlite3 ") + during + ": " +
                          (db != nullptr ? sqlite_api::sqlite3_errmsg(db) : "error");
    if (const char* text = sqlite_api::sqlite3_sql(stmt_of(raw_))) {
        message += " while executing \"" + std::string(text) + "\"";
    }
    throw soci::sqlite3_soci_error(message, extended);
}

query& query::bind(std::int64_t v) {
    if (raw_ != nullptr) {
        const int rc = sqlite_api::sqlite3_bind_int64(stmt_of(raw_), ++params_, v);
        if (rc != SQLITE_OK) fail_sqlite(rc, "bind");
        return *this;
    }
    ints_.push_back(v);
    st_.exchange(soci::use(ints_.back()));
    return *this;
}

query& query::bind(std::string_view v) {
    if (raw_ != nullptr) {
        const int rc = sqlite_api::sqlite3_bind_text(stmt_of(raw_), ++params_, v.data(),
                                                     static_cast<int>(v.size()), transient_text);
        if (rc != SQLITE_OK) fail_sqlite(rc, "bind");
        return *this;
    }
    strings_.emplace_back(v);
    st_.exchange(soci::use(strings_.back()));
    return *this;
}

query& query::bind(std::optional<std::int64_t> v) {
    if (raw_ != nullptr) {
        if (v) return bind(*v);
        const int rc = sqlite_api::sqlite3_bind_null(stmt_of(raw_), ++params_);
        if (rc != SQLITE_OK) fail_sqlite(rc, "bind");
        return *this;
    }
    ints_.push_back(v.value_or(0));
    indicators_.push_back(v ? soci::i_ok : soci::i_null);
    st_.exchange(soci::use(ints_.back(), indicators_.back()));
    return *this;
}

query& query::bind(const std::optional<std::string>& v) {
    if (raw_ != nullptr) {
        if (v) return bind(std::string_view(*v));
        const int rc = sqlite_api::sqlite3_bind_null(stmt_of(raw_), ++params_);
        if (rc != SQLITE_OK) fail_sqlite(rc, "bind");
        return *this;
    }
    strings_.push_back(v.value_or(std::string()));
    indicators_.push_back(v ? soci::i_ok : soci::i_null);
    st_.exchange(soci::use(strings_.back(), indicators_.back()));
    return *this;
}

#define SHOPCORE_SQLITE_TARGET(type_name, where)                                   \
    if (raw_ != nullptr) {                                                         \
        if (target_count_ == max_targets) throw storage_error("too many columns"); \
        targets_[target_count_++] = target{target::type::type_name, (where)};      \
        return *this;                                                              \
    }

query& query::into(std::int64_t& v) {
    SHOPCORE_SQLITE_TARGET(integer, &v)
    ints_.push_back(0);
    long long& slot = ints_.back();
    st_.exchange(soci::into(slot));
    post_.emplace_back([&v, &slot] { v = slot; });
    return *this;
}

query& query::into(bool& v) {
    SHOPCORE_SQLITE_TARGET(boolean, &v)
    ints_.push_back(0);
    long long& slot = ints_.back();
    st_.exchange(soci::into(slot));
    post_.emplace_back([&v, &slot] { v = slot != 0; });
    return *this;
}

query& query::into(std::string& v) {
    SHOPCORE_SQLITE_TARGET(text, &v)
    strings_.emplace_back();
    std::string& slot = strings_.back();
    st_.exchange(soci::into(slot));
    post_.emplace_back([&v, &slot] { v = slot; });
    return *this;
}

query& query::into(std::optional<std::int64_t>& v) {
    SHOPCORE_SQLITE_TARGET(optional_integer, &v)
    ints_.push_back(0);
    indicators_.push_back(soci::i_ok);
    long long& slot = ints_.back();
    soci::indicator& ind = indicators_.back();
    st_.exchange(soci::into(slot, ind));
    post_.emplace_back([&v, &slot, &ind] {
        v = ind == soci::i_null ? std::nullopt : std::optional<std::int64_t>(slot);
    });
    return *this;
}

query& query::into(std::optional<std::string>& v) {
    SHOPCORE_SQLITE_TARGET(optional_text, &v)
    strings_.emplace_back();
    indicators_.push_back(soci::i_ok);
    std::string& slot = strings_.back();
    soci::indicator& ind = indicators_.back();
    st_.exchange(soci::into(slot, ind));
    post_.emplace_back([&v, &slot, &ind] {
        v = ind == soci::i_null ? std::nullopt : std::optional<std::string>(slot);
    });
    return *this;
}

#undef SHOPCORE_SQLITE_TARGET

bool query::step_sqlite() {
    sqlite_api::sqlite3_stmt* st = stmt_of(raw_);
    const int rc = sqlite_api::sqlite3_step(st);
    if (rc == SQLITE_DONE) return false;
    if (rc != SQLITE_ROW) fail_sqlite(rc, "step");
    for (std::size_t i = 0; i < target_count_; ++i) {
        const int col = static_cast<int>(i);
        const target& t = targets_[i];
        const bool null = sqlite_api::sqlite3_column_type(st, col) == SQLITE_NULL;
        const auto text = [&] {
            const auto* p = reinterpret_cast<const char*>(sqlite_api::sqlite3_column_text(st, col));
            return p == nullptr ? std::string()
                                : std::string(p, static_cast<std::size_t>(
                                                     sqlite_api::sqlite3_column_bytes(st, col)));
        };
        if (null && t.kind != target::type::optional_integer &&
            t.kind != target::type::optional_text) {
            throw soci::soci_error("Null value fetched and no indicator defined for the column " +
                                   std::to_string(i + 1));
        }
        switch (t.kind) {
            case target::type::integer:
                *static_cast<std::int64_t*>(t.where) = sqlite_api::sqlite3_column_int64(st, col);
                break;
            case target::type::boolean:
                *static_cast<bool*>(t.where) = sqlite_api::sqlite3_column_int64(st, col) != 0;
                break;
            case target::type::text:
                *static_cast<std::string*>(t.where) = text();
                break;
            case target::type::optional_integer: {
                auto& out = *static_cast<std::optional<std::int64_t>*>(t.where);
                if (null) {
                    out.reset();
                } else {
                    out = sqlite_api::sqlite3_column_int64(st, col);
                }
                break;
            }
            case target::type::optional_text: {
                auto& out = *static_cast<std::optional<std::string>*>(t.where);
                if (null) {
                    out.reset();
                } else {
                    out = text();
                }
                break;
            }
        }
    }
    return true;
}

void query::define_once() {
    if (!defined_) {
        st_.define_and_bind();
        defined_ = true;
    }
}

void query::after_fetch() {
    for (auto& f : post_) f();
}

std::int64_t query::exec() {
    if (raw_ != nullptr) {
        while (step_sqlite()) {
        }
        return sqlite_api::sqlite3_changes(sqlite_api::sqlite3_db_handle(stmt_of(raw_)));
    }
    define_once();
    st_.execute(true);
    return st_.get_affected_rows();
}

bool query::fetch_one() {
    if (raw_ != nullptr) return step_sqlite();
    define_once();
    bool got = st_.execute(true);
    if (got) after_fetch();
    return got;
}

bool query::next() {
    if (raw_ != nullptr) return step_sqlite();
    define_once();
    bool got = false;
    if (!started_) {
        started_ = true;
        got = st_.execute(true);
    } else {
        got = st_.fetch();
    }
    if (got) after_fetch();
    return got;
}

// ---- connection --------------------------------------------------------------------------

connection::connection(soci::session& s, backend_kind kind, statement_cache& cache,
                       std::atomic<std::int64_t>* statements)
    : session_(s), kind_(kind), cache_(cache), statements_(statements) {}

query connection::sql(std::string_view text) {
    if (statements_ != nullptr) statements_->fetch_add(1, std::memory_order_relaxed);
    auto it = cache_.find(text);
    if (it == cache_.end()) {
        auto st = std::make_unique<soci::statement>(session_);
        st->alloc();
        st->prepare(std::string(text), soci::details::st_repeatable_query);
        it = cache_.emplace(std::string(text), std::move(st)).first;
    }
    return query(*it->second, kind_);
}

void connection::execute_once(const std::string& text) {
    if (statements_ != nullptr && text != "ROLLBACK") {
        statements_->fetch_add(1, std::memory_order_relaxed);
    }
    session_ << text;
}

// ---- error classification and translation -------------------------------------------------

namespace {

enum class failure { transient, conflict, constraint, connection, other };

failure classify(const soci::soci_error& e) {
    if (const auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
        int primary = s->result() & 0xff;
        if (primary == 5 /*BUSY*/ || primary == 6 /*LOCKED*/) return failure::transient;
        if (primary == 19 /*CONSTRAINT*/) {
            // SOCI reports the primary code only; the message names unique violations.
            const std::string what = e.what();
            const bool unique = what.find("UNIQUE constraint failed") != std::string::npos ||
                                what.find("PRIMARY KEY constraint failed") != std::string::npos;
            return unique ? failure::conflict : failure::constraint;
        }
        if (primary == 14 /*CANTOPEN*/) return failure::connection;
        return failure::other;
    }
    if (const auto* p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
        std::string state = p->sqlstate();
        if (state == "40001" || state == "40P01" || state == "55P03") return failure::transient;
        if (state == "23505") return failure::conflict;
        if (state.rfind("23", 0) == 0) return failure::constraint;
        if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) return failure::connection;
        return failure::other;
    }
    if (const auto* m = dynamic_cast<const soci::mysql_soci_error*>(&e)) {
        unsigned n = m->err_num_;
        if (n == 1213 /*deadlock*/ || n == 1205 /*lock wait timeout*/) return failure::transient;
        if (n == 1062 /*duplicate key*/) return failure::conflict;
        if (n == 1451 || n == 1452 || n == 4025 || n == 3819 || n == 1048) {
            return failure::constraint;  // foreign key, CHECK, NOT NULL
        }
        if (n >= 2000 && n < 3000) return failure::connection;  // client errors
        return failure::other;
    }
    if (e.get_error_category() == soci::soci_error::connection_error) return failure::connection;
    return failure::other;
}

[[noreturn]] void translate(const soci::soci_error& e) {
    switch (classify(e)) {
        case failure::conflict:
            throw conflict_error(std::string("uniqueness violated: ") + e.what());
        case failure::constraint:
            throw storage_error(std::string("constraint violated: ") + e.what());
        case failure::connection:
            throw unavailable_error(std::string("database unreachable: ") + e.what());
        case failure::transient:
            throw unavailable_error(std::string("database busy: ") + e.what());
        case failure::other:
            break;
    }
    throw storage_error(e.what());
}

const soci::backend_factory& factory_for(backend_kind kind) {
    switch (kind) {
        case backend_kind::sqlite:
            return *soci::factory_sqlite3();
        case backend_kind::postgresql:
            return *soci::factory_postgresql();
        case backend_kind::mysql:
            return *soci::factory_mysql();
    }
    return *soci::factory_sqlite3();
}

std::chrono::milliseconds backoff(int attempt) {
    thread_local std::minstd_rand rng{std::random_device{}()};
    const int cap = std::min(200, 2 << std::min(attempt, 7));
    std::uniform_int_distribution<int> dist(cap / 2, cap);
    return std::chrono::milliseconds(dist(rng));
}

}  // namespace

// ---- database ----------------------------------------------------------------------------

struct database::impl {
    using cache_t = statement_cache;

    explicit impl(std::size_t n) : pool(n), caches(n), broken(n) {}

    soci::connection_pool pool;
    std::vector<cache_t> caches;
    std::vector<char> broken;
    std::atomic<std::int64_t> retries{0};
    std::atomic<std::int64_t> statements{0};
};

namespace {

// Returns a pool slot on scope exit.
class lease {
public:
    lease(soci::connection_pool& pool, int timeout_ms) : pool_(pool) {
        if (!pool_.try_lease(pos_, timeout_ms)) {
            throw unavailable_error("no database connection became free within " +
                                    std::to_string(timeout_ms) + " ms");
        }
    }
    ~lease() { pool_.give_back(pos_); }
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    [[nodiscard]] std::size_t pos() const noexcept { return pos_; }

private:
    soci::connection_pool& pool_;
    std::size_t pos_ = 0;
};

void configure_session(soci::session& s, const parsed_url& url, const database_options& o) {
    switch (url.kind) {
        case backend_kind::sqlite: {
            s << "PRAGMA busy_timeout = " + std::to_string(o.busy_timeout_ms);
            s << "PRAGMA foreign_keys = ON";
            const char* sync = o.sqlite_synchronous == sync_level::full     ? "FULL"
                               : o.sqlite_synchronous == sync_level::normal ? "NORMAL"
                                                                            : "OFF";
            s << std::string("PRAGMA synchronous = ") + sync;
            if (!url.in_memory) {
                std::string mode;
                s << "PRAGMA journal_mode = WAL", soci::into(mode);
                if (mode != "wal") throw storage_error("could not switch SQLite to WAL: " + mode);
            }
            break;
        }
        case backend_kind::postgresql:
            s << "SET client_min_messages = WARNING";
            s << "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED";
            break;
        case backend_kind::mysql:
            s << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
            s << "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'";
            s << "SET SESSION innodb_lock_wait_timeout = " +
                     std::to_string(std::max(1, o.busy_timeout_ms / 1000));
            break;
    }
}

}  // namespace

database::database(std::string_view url, const database_options& options)
    : url_(parse_url(url)), options_(options) {
    if (options_.pool_size < 1 || options_.pool_size > 256) {
        throw validation_error("pool_size", "must be between 1 and 256");
    }
    if (options_.max_attempts < 1) throw validation_error("max_attempts", "must be at least 1");
    if (options_.busy_timeout_ms < 0) throw validation_error("busy_timeout_ms", "negative");
    // Every :memory: connection is its own database, so an in-memory shop has one connection.
    const std::size_t size = url_.in_memory ? 1 : static_cast<std::size_t>(options_.pool_size);
    impl_ = std::make_unique<impl>(size);
    try {
        for (std::size_t i = 0; i < size; ++i) {
            soci::session& s = impl_->pool.at(i);
            s.open(factory_for(url_.kind), url_.connect_string);
            configure_session(s, url_, options_);
        }
        lease l(impl_->pool, 60000);
        connection c(impl_->pool.at(l.pos()), url_.kind, impl_->caches[l.pos()]);
        apply_migrations(c, options_.now_micros());
    } catch (const soci::soci_error& e) {
        translate(e);
    }
}

database::~database() = default;

std::int64_t database::retries() const noexcept { return impl_->retries.load(); }

std::int64_t database::statements() const noexcept { return impl_->statements.load(); }

connection database::checked_out(std::size_t pos) {
    soci::session& s = impl_->pool.at(pos);
    auto& cache = impl_->caches[pos];
    if (impl_->broken[pos] != 0) {
        // The last use lost the connection (or left its state unknown): start afresh.
        cache.clear();
        s.reconnect();
        configure_session(s, url_, options_);
        impl_->broken[pos] = 0;
    }
    return connection(s, url_.kind, cache, &impl_->statements);
}

namespace {

// RAII write transaction: BEGIN IMMEDIATE on SQLite (a deferred BEGIN could fail to upgrade to
// a writer without ever waiting), START TRANSACTION on MySQL, BEGIN on PostgreSQL. Rolls back
// unless commit() succeeded; a failed rollback marks the connection as broken.
// BEGIN and COMMIT run as cached prepared statements on SQLite: preparing them anew for every
// transaction costs as much as a small statement. The servers run them as plain statements.
void run_control(connection& c, const char* text) {
    if (c.kind() == backend_kind::sqlite) {
        c.sql(text).exec();
    } else {
        c.execute_once(text);
    }
}

class write_transaction {
public:
    write_transaction(connection& c, char& broken) : conn_(c), broken_(broken) {
        run_control(conn_, conn_.kind() == backend_kind::sqlite  ? "BEGIN IMMEDIATE"
                           : conn_.kind() == backend_kind::mysql ? "START TRANSACTION"
                                                                 : "BEGIN");
    }
    ~write_transaction() {
        if (open_) {
            try {
                conn_.execute_once("ROLLBACK");
            } catch (...) {
                broken_ = 1;  // the connection's state is unknown: re-open it before reuse
            }
        }
    }
    write_transaction(const write_transaction&) = delete;
    write_transaction& operator=(const write_transaction&) = delete;

    void commit() {
        run_control(conn_, "COMMIT");
        open_ = false;
    }

private:
    connection& conn_;
    char& broken_;
    bool open_ = true;
};

}  // namespace

void database::run_write(const std::function<void(transaction_context&)>& work) {
    for (int attempt = 1;; ++attempt) {
        std::vector<std::function<void()>> notifications;
        bool retry = false;
        {
            lease l(impl_->pool, std::max(options_.busy_timeout_ms, 1000));
            try {
                connection c = checked_out(l.pos());
                write_transaction guard(c, impl_->broken[l.pos()]);
                transaction_context tx(c);
                work(tx);
                guard.commit();
                notifications = std::move(tx.pending());
            } catch (const soci::soci_error& e) {
                const failure f = classify(e);
                if (f == failure::connection) impl_->broken[l.pos()] = 1;
                if (f == failure::transient && attempt < options_.max_attempts) {
                    retry = true;
                    impl_->retries.fetch_add(1);
                } else if (f == failure::transient) {
                    throw unavailable_error("database stayed busy after " +
                                            std::to_string(attempt) + " attempts: " + e.what());
                } else {
                    translate(e);
                }
            }
        }
        if (retry) {
            std::this_thread::sleep_for(backoff(attempt));
            continue;
        }
        // The connection is back in the pool: listeners may call into the shop again.
        for (auto& n : notifications) n();
        return;
    }
}

void database::run_read(const std::function<void(connection&)>& work) {
    for (int attempt = 1;; ++attempt) {
        {
            lease l(impl_->pool, std::max(options_.busy_timeout_ms, 1000));
            try {
                connection c = checked_out(l.pos());
                work(c);
                return;
            } catch (const soci::soci_error& e) {
                failure f = classify(e);
                if (f == failure::connection) impl_->broken[l.pos()] = 1;
                if (f != failure::transient || attempt >= options_.max_attempts) translate(e);
                impl_->retries.fetch_add(1);
            }
        }
        std::this_thread::sleep_for(backoff(attempt));
    }
}

int database::schema_version() {
    return read([](connection& c) { return current_schema_version(c); });
}

}  // namespace shopcore::storage

#ifndef SHOPCORE_SRC_STORAGE_DATABASE_HPP
#define SHOPCORE_SRC_STORAGE_DATABASE_HPP

// Everything that speaks SQL lives under src/storage/. This header is internal: it is never
// installed and no SOCI type leaks into include/shopcore/.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <soci/soci-backend.h>

#include <shopcore/core/error.hpp>

namespace soci {
class session;
class statement;
class connection_pool;
}  // namespace soci

namespace shopcore::storage {

/// The SQL dialects shopcore speaks.
enum class backend_kind { sqlite, postgresql, mysql };

/// "sqlite", "postgresql" or "mysql".
const char* backend_name(backend_kind kind) noexcept;

/// How a URL was understood.
struct parsed_url {
    backend_kind kind = backend_kind::sqlite;
    std::string connect_string;  // what SOCI's backend receives
    bool in_memory = false;      // sqlite::memory:
};

/// Parses `sqlite:PATH`, `sqlite::memory:`, `postgresql://...`, `mysql://user:pw@host:port/db`.
/// @throws validation_error("url", ...) for anything else.
parsed_url parse_url(std::string_view url);

/// SQLite's PRAGMA synchronous levels that we allow.
enum class sync_level { off, normal, full };

/// Tuning of the storage layer; see docs/operations/storage.md.
struct database_options {
    sync_level sqlite_synchronous = sync_level::full;
    int busy_timeout_ms = 5000;
    int pool_size = 4;
    int max_attempts = 6;  // whole-transaction tries on busy / serialization / deadlock
    /// The shop's clock, for the migration records (microseconds since the epoch).
    std::function<std::int64_t()> now_micros = [] {
        return std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
};

/// One execution of a cached prepared statement. Values are copied into the query so the
/// caller may pass temporaries. Destroying the query releases the bindings and resets the
/// statement (so no SQLite read snapshot is left open). On SQLite the statement is bound,
/// stepped and read with the SQLite API on the handle SOCI prepared (SOCI's per-value exchange
/// objects cost about a fifth of a checkout); errors are raised as SOCI's sqlite3_soci_error,
/// so that they are classified as everywhere else.
class query {
public:
    query(soci::statement& st, backend_kind kind);
    ~query();
    query(const query&) = delete;
    query& operator=(const query&) = delete;

    query& bind(std::int64_t v);
    query& bind(int v) { return bind(static_cast<std::int64_t>(v)); }
    query& bind(bool v) { return bind(static_cast<std::int64_t>(v ? 1 : 0)); }
    query& bind(std::string_view v);
    query& bind(const std::string& v) { return bind(std::string_view(v)); }
    query& bind(const char* v) { return bind(std::string_view(v)); }
    query& bind(std::optional<std::int64_t> v);
    query& bind(const std::optional<std::string>& v);

    query& into(std::int64_t& v);
    query& into(std::string& v);
    query& into(bool& v);
    query& into(std::optional<std::int64_t>& v);
    query& into(std::optional<std::string>& v);

    /// Executes a statement that returns no rows; returns the affected-row count.
    std::int64_t exec();
    /// Executes and fetches the first row into the targets; false when there is none.
    bool fetch_one();
    /// Row iteration: the first call executes, every call fetches one row.
    bool next();

private:
    void define_once();
    void after_fetch();
    // SQLite: step the prepared statement and read a row into the targets.
    bool step_sqlite();
    [[noreturn]] void fail_sqlite(int code, const char* during);

    // A place a column is read into, on SQLite.
    struct target {
        enum class type { integer, boolean, text, optional_integer, optional_text };
        type kind;
        void* where;
    };
    static constexpr std::size_t max_targets = 48;

    soci::statement& st_;
    backend_kind kind_;
    // SQLite: the prepared statement, bound and read directly, with nothing allocated per
    // execution (SOCI's exchange allocates for every value). Null on the servers.
    void* raw_ = nullptr;
    int params_ = 0;
    std::array<target, max_targets> targets_{};
    std::size_t target_count_ = 0;
    bool defined_ = false;
    bool started_ = false;
    std::deque<long long> ints_;
    std::deque<std::string> strings_;
    std::deque<soci::indicator> indicators_;
    std::vector<std::function<void()>> post_;
};

/// Hashes std::string and std::string_view alike, so that the statement cache is searched with
/// the SQL text as given: no std::string is built to look up a literal.
struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
        return std::hash<std::string_view>{}(text);
    }
};

/// Prepared statements by SQL text, one cache per pooled connection.
using statement_cache =
    std::unordered_map<std::string, std::unique_ptr<soci::statement>, text_hash, std::equal_to<>>;

/// A leased connection with its prepared-statement cache.
class connection {
public:
    /// `statements`, when given, counts every sql() and execute_once() but ROLLBACK.
    connection(soci::session& s, backend_kind kind, statement_cache& cache,
               std::atomic<std::int64_t>* statements = nullptr);

    /// Returns a query on the statement for `sql`, preparing it on first use only.
    query sql(std::string_view sql);
    /// Runs a statement once, without caching (DDL, pragmas, transaction control).
    void execute_once(const std::string& sql);

    [[nodiscard]] backend_kind kind() const noexcept { return kind_; }
    soci::session& session() noexcept { return session_; }

private:
    soci::session& session_;
    backend_kind kind_;
    statement_cache& cache_;
    std::atomic<std::int64_t>* statements_;
};

/// A write transaction in progress: the connection plus work to run after commit.
class transaction_context {
public:
    explicit transaction_context(connection& c) : conn_(c) {}
    connection& conn() noexcept { return conn_; }
    /// Queues a notification to run only once the transaction has committed.
    void after_commit(std::function<void()> f) { after_.push_back(std::move(f)); }
    std::vector<std::function<void()>>& pending() noexcept { return after_; }

private:
    connection& conn_;
    std::vector<std::function<void()>> after_;
};

/// The connection pool, migrations, transactions, retries and error translation.
/// Thread-safe: each call leases its own connection.
class database {
public:
    database(std::string_view url, const database_options& options);
    ~database();
    database(const database&) = delete;
    database& operator=(const database&) = delete;

    [[nodiscard]] backend_kind kind() const noexcept { return url_.kind; }
    [[nodiscard]] const database_options& options() const noexcept { return options_; }

    /// Runs `work` inside a write transaction (BEGIN IMMEDIATE on SQLite), retrying the whole
    /// transaction on busy, serialization failure and deadlock with jittered backoff. Runs the
    /// queued after-commit notifications once committed. shopcore errors pass through untouched
    /// (after rollback); SOCI errors are translated once, here.
    template <class F>
    auto write(F&& work) {
        using result_t = decltype(work(std::declval<transaction_context&>()));
        if constexpr (std::is_void_v<result_t>) {
            run_write([&](transaction_context& tx) { work(tx); });
        } else {
            std::optional<result_t> out;
            run_write([&](transaction_context& tx) { out.emplace(work(tx)); });
            return std::move(*out);
        }
    }

    /// Runs `work` on a leased connection without an explicit transaction (reads).
    template <class F>
    auto read(F&& work) {
        using result_t = decltype(work(std::declval<connection&>()));
        if constexpr (std::is_void_v<result_t>) {
            run_read([&](connection& c) { work(c); });
        } else {
            std::optional<result_t> out;
            run_read([&](connection& c) { out.emplace(work(c)); });
            return std::move(*out);
        }
    }

    /// The highest migration version applied.
    [[nodiscard]] int schema_version();

    /// Counters for tests and diagnostics.
    [[nodiscard]] std::int64_t retries() const noexcept;
    /// Statements run through connections of this database (see connection).
    [[nodiscard]] std::int64_t statements() const noexcept;

private:
    struct impl;
    connection checked_out(std::size_t pos);
    void run_write(const std::function<void(transaction_context&)>& work);
    void run_read(const std::function<void(connection&)>& work);

    parsed_url url_;
    database_options options_;
    std::unique_ptr<impl> impl_;
};

/// Replaces the dialect tokens of a migration statement ({pk}, {str}, {text}, {table_opts}).
std::string dialect_sql(backend_kind kind, std::string_view sql);

/// "(:i0, :i1, ...)" with `n` placeholders, for an IN list bound value by value.
std::string placeholder_list(std::size_t n);

/// "(:v0, :v1), (:v2, :v3)" for `rows` rows of `columns` values: one multi-row INSERT.
std::string placeholder_rows(std::size_t rows, std::size_t columns);

/// Escapes `%`, `_` and `!` for a LIKE pattern that uses `ESCAPE '!'`.
std::string like_escape(std::string_view text);

}  // namespace shopcore::storage

#endif  // SHOPCORE_SRC_STORAGE_DATABASE_HPP

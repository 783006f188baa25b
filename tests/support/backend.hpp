#ifndef SHOPCORE_TESTS_SUPPORT_BACKEND_HPP
#define SHOPCORE_TESTS_SUPPORT_BACKEND_HPP

// Test support: which backend a suite runs against, and fresh databases for each test.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace soci {
class session;
}  // namespace soci

namespace shopcore::test {

/// Parses --backend=sqlite|postgresql|mysql and --url=... (removes them from argv). Without
/// --url, a server backend reads SHOPCORE_TEST_PG_URL or SHOPCORE_TEST_MYSQL_URL.
void parse_backend_args(int& argc, char** argv);

/// "sqlite", "postgresql" or "mysql".
const std::string& backend();

/// A URL of an empty database: a new temporary SQLite file, or the server's scratch database
/// with every table dropped. Each call resets.
std::string fresh_url();

/// A new temporary directory (removed at exit).
std::string temp_dir();

/// Every row of every table at `url`, as text, ordered (the "nothing was written" check).
std::map<std::string, std::vector<std::string>> snapshot(const std::string& url);

/// Plain SQL on the database at `url` through the tests' own SOCI session and their own reading
/// of the URL forms (never the library's): an independent look at what the library wrote.
class sql_view {
public:
    explicit sql_view(const std::string& url);
    ~sql_view();
    sql_view(const sql_view&) = delete;
    sql_view& operator=(const sql_view&) = delete;

    /// Every row of `sql`, each cell as text ("NULL" for null).
    std::vector<std::vector<std::string>> rows(const std::string& sql);
    /// The one integer `sql` returns; a test failure and -1 for anything else.
    std::int64_t integer(const std::string& sql);

private:
    std::unique_ptr<soci::session> s_;
};

}  // namespace shopcore::test

#endif  // SHOPCORE_TESTS_SUPPORT_BACKEND_HPP

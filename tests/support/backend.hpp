#ifndef SHOPCORE_TESTS_SUPPORT_BACKEND_HPP
#define SHOPCORE_TESTS_SUPPORT_BACKEND_HPP

// Test support: which backend a suite runs against, and fresh databases for each test.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

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

}  // namespace shopcore::test

#endif  // SHOPCORE_TESTS_SUPPORT_BACKEND_HPP

#ifndef SHOPCORE_SRC_STORAGE_MIGRATIONS_HPP
#define SHOPCORE_SRC_STORAGE_MIGRATIONS_HPP

#include <cstdint>
#include <string>
#include <vector>

namespace shopcore::storage {

class connection;

/// One numbered, forward-only schema change. Statements use dialect tokens ({pk}, {str}, ...).
struct migration {
    int version;
    const char* name;
    std::vector<const char*> statements;
};

/// All migrations, in ascending version order.
const std::vector<migration>& all_migrations();

/// Applies every migration newer than the recorded version, under a lock that serialises
/// concurrent openers (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL, GET_LOCK on
/// MySQL), and records each in `schema_migrations` stamped with `now_micros`.
void apply_migrations(connection& c, std::int64_t now_micros);

/// The highest version recorded, 0 for an empty database.
int current_schema_version(connection& c);

}  // namespace shopcore::storage

#endif  // SHOPCORE_SRC_STORAGE_MIGRATIONS_HPP

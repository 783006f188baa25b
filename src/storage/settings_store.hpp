#ifndef SHOPCORE_SRC_STORAGE_SETTINGS_STORE_HPP
#define SHOPCORE_SRC_STORAGE_SETTINGS_STORE_HPP

#include <optional>
#include <string>

#include "storage/database.hpp"

namespace shopcore::storage {

/// Shop-wide settings recorded in the database (e.g. the currency fixed at first open).
std::optional<std::string> load_setting(connection& c, const std::string& name);
void insert_setting(connection& c, const std::string& name, const std::string& value);

}  // namespace shopcore::storage

#endif  // SHOPCORE_SRC_STORAGE_SETTINGS_STORE_HPP

#include "storage/settings_store.hpp"

namespace shopcore::storage {

std::optional<std::string> load_setting(connection& c, const std::string& name) {
    std::string value;
    if (!c.sql("SELECT value FROM shop_setting WHERE name = :n")
             .bind(name)
             .into(value)
             .fetch_one()) {
        return std::nullopt;
    }
    return value;
}

void insert_setting(connection& c, const std::string& name, const std::string& value) {
    c.sql("INSERT INTO shop_setting (name, value) VALUES (:n, :v)").bind(name).bind(value).exec();
}

}  // namespace shopcore::storage

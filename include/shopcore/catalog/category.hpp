#ifndef SHOPCORE_CATALOG_CATEGORY_HPP
#define SHOPCORE_CATALOG_CATEGORY_HPP

#include <cstdint>
#include <optional>
#include <string>

#include <shopcore/core/clock.hpp>
#include <shopcore/core/ids.hpp>

namespace shopcore {

/// A node of the category tree.
struct category {
    category_id id;                     ///< Assigned by the shop.
    std::string name;                   ///< 1..200 characters.
    std::string slug;                   ///< Unique; lower-case letters, digits and '-'.
    std::optional<category_id> parent;  ///< None for a root category.
    timestamp created_at;               ///< When it was created.
    timestamp updated_at;               ///< When it last changed.
    std::int64_t version = 0;           ///< Incremented by every change (optimistic locking).
};

/// What `catalog_service::create_category` needs.
struct new_category {
    std::string name;                   ///< 1..200 characters.
    std::string slug;                   ///< Empty: derived from the name.
    std::optional<category_id> parent;  ///< An existing category; none for a root category.
};

/// A partial change of a category: fields left empty stay as they are.
struct category_update {
    std::optional<std::string> name;               ///< New name, 1..200 characters.
    std::optional<std::string> slug;               ///< New slug, unique; never derived.
    std::optional<std::int64_t> expected_version;  ///< When set, must equal the stored version.
};

}  // namespace shopcore

#endif  // SHOPCORE_CATALOG_CATEGORY_HPP

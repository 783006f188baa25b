#ifndef SHOPCORE_ACCOUNT_ROLE_HPP
#define SHOPCORE_ACCOUNT_ROLE_HPP

#include <optional>
#include <string>
#include <vector>

#include <shopcore/export.hpp>

namespace shopcore {

/// The two kinds of user.
enum class role {
    customer,  ///< Shops for themself; reaches only their own data.
    admin      ///< Staff: may do what their permissions grant.
};

/// Named admin permissions. An admin may do only what a permission grants; `super_admin`
/// grants everything, including granting and revoking `super_admin` itself.
enum class permission {
    manage_catalog,     ///< Categories and products.
    manage_inventory,   ///< Stock levels and the stock log.
    manage_orders,      ///< Orders and payments.
    manage_discounts,   ///< Discount codes.
    manage_users,       ///< Listing users, activation, roles and permissions.
    manage_support,     ///< Support tickets.
    super_admin,        ///< Everything.
    moderate_comments,  ///< Hiding and deleting customers' comments.
};

/// "customer" or "admin".
[[nodiscard]] SHOPCORE_EXPORT const char* role_name(role r) noexcept;
/// "manage_catalog", ... "super_admin".
[[nodiscard]] SHOPCORE_EXPORT const char* permission_name(permission p) noexcept;
/// The permission named `name`, or none.
[[nodiscard]] SHOPCORE_EXPORT std::optional<permission> permission_from_name(
    const std::string& name);
/// Every permission, in declaration order.
[[nodiscard]] SHOPCORE_EXPORT std::vector<permission> all_permissions();

}  // namespace shopcore

#endif  // SHOPCORE_ACCOUNT_ROLE_HPP

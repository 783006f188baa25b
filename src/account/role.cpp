#include <shopcore/account/role.hpp>
#include <shopcore/account/user.hpp>

#include <algorithm>

namespace shopcore {

const char* role_name(role r) noexcept { return r == role::admin ? "admin" : "customer"; }

const char* permission_name(permission p) noexcept {
    switch (p) {
        case permission::manage_catalog:
            return "manage_catalog";
        case permission::manage_inventory:
            return "manage_inventory";
        case permission::manage_orders:
            return "manage_orders";
        case permission::manage_discounts:
            return "manage_discounts";
        case permission::manage_users:
            return "manage_users";
        case permission::manage_support:
            return "manage_support";
        case permission::super_admin:
            return "super_admin";
        case permission::moderate_comments:
            return "moderate_comments";
    }
    return "unknown";
}

std::vector<permission> all_permissions() {
    return {permission::manage_catalog,   permission::manage_inventory, permission::manage_orders,
            permission::manage_discounts, permission::manage_users,     permission::manage_support,
            permission::super_admin,      permission::moderate_comments};
}

std::optional<permission> permission_from_name(const std::string& name) {
    for (permission p : all_permissions()) {
        if (name == permission_name(p)) return p;
    }
    return std::nullopt;
}

bool user::has_permission(permission p) const noexcept {
    if (role != shopcore::role::admin || !active || deleted) return false;
    return std::find(permissions.begin(), permissions.end(), p) != permissions.end() ||
           std::find(permissions.begin(), permissions.end(), permission::super_admin) !=
               permissions.end();
}

}  // namespace shopcore

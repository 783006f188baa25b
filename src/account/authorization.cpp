#include "account/authorization.hpp"

#include <algorithm>
#include <string>

#include <shopcore/core/error.hpp>

#include "storage/account_store.hpp"

namespace shopcore::detail {

bool has_permission(storage::connection& c, const actor& by, permission p) {
    if (by.kind() == actor_kind::system) return true;
    if (by.kind() != actor_kind::admin || !by.user().is_valid()) return false;
    const auto held = storage::admin_permissions(c, by.user());
    if (!held) return false;
    return std::find(held->begin(), held->end(), p) != held->end() ||
           std::find(held->begin(), held->end(), permission::super_admin) != held->end();
}

void require_permission(storage::connection& c, const actor& by, permission p, const char* what) {
    if (!has_permission(c, by, p)) {
        throw permission_denied_error(std::string(actor_kind_name(by.kind())) + " may not " + what +
                                      " (needs " + permission_name(p) + ")");
    }
}

}  // namespace shopcore::detail

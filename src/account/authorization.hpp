#ifndef SHOPCORE_SRC_ACCOUNT_AUTHORIZATION_HPP
#define SHOPCORE_SRC_ACCOUNT_AUTHORIZATION_HPP

// Deny by default: every service entry point that changes or reads staff data calls one of
// these. Admin rights are read from the database on each call, so a revocation takes effect at
// once (an actor value cannot carry stale rights).

#include <shopcore/account/role.hpp>
#include <shopcore/core/actor.hpp>

#include "storage/database.hpp"

namespace shopcore::detail {

/// True when the actor is the system, or an active admin holding `p` (or super_admin).
bool has_permission(storage::connection& c, const actor& by, permission p);

/// Throws permission_denied_error unless has_permission(c, by, p).
void require_permission(storage::connection& c, const actor& by, permission p, const char* what);

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_ACCOUNT_AUTHORIZATION_HPP

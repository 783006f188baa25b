#ifndef SHOPCORE_CORE_ACTOR_HPP
#define SHOPCORE_CORE_ACTOR_HPP

#include <string>

#include <shopcore/core/ids.hpp>

namespace shopcore {

/// Who is acting.
enum class actor_kind {
    anonymous,  ///< A visitor who has not logged in.
    customer,   ///< A logged-in customer.
    admin,      ///< A logged-in member of staff.
    system,     ///< The embedding application itself (imports, scheduled jobs, the demo).
};

/// The acting user, passed to every service call that touches data. Services deny by default:
/// each entry point checks what this actor may do. `system()` is trusted; an `admin(id)` is
/// checked against the database on every call (active admin holding the needed permission);
/// customers reach only their own objects. See docs/concepts/accounts.md.
/// Obtain customer and admin actors from `account_service::authenticate(token)`.
class actor {
public:
    /// An anonymous visitor.
    actor() noexcept = default;

    /// An anonymous visitor.
    [[nodiscard]] static actor anonymous() noexcept { return actor(); }
    /// A logged-in customer. Not checked here: services trust the id, so take it from
    /// `account_service::authenticate`.
    [[nodiscard]] static actor customer(user_id user) noexcept {
        return actor(actor_kind::customer, user);
    }
    /// A logged-in admin. Its rights are checked against the database on every call.
    [[nodiscard]] static actor admin(user_id user) noexcept {
        return actor(actor_kind::admin, user);
    }
    /// The embedding application (trusted, no user).
    [[nodiscard]] static actor system() noexcept { return actor(actor_kind::system, user_id()); }

    /// What kind of actor this is.
    [[nodiscard]] actor_kind kind() const noexcept { return kind_; }
    /// The user, or an invalid id for anonymous and system actors.
    [[nodiscard]] user_id user() const noexcept { return user_; }
    /// True for admins and the system.
    [[nodiscard]] bool is_staff() const noexcept {
        return kind_ == actor_kind::admin || kind_ == actor_kind::system;
    }

    /// Same kind and same user.
    friend bool operator==(const actor& a, const actor& b) noexcept {
        return a.kind_ == b.kind_ && a.user_ == b.user_;
    }
    /// Negation of ==.
    friend bool operator!=(const actor& a, const actor& b) noexcept { return !(a == b); }

private:
    actor(actor_kind kind, user_id user) noexcept : kind_(kind), user_(user) {}

    actor_kind kind_ = actor_kind::anonymous;
    user_id user_;
};

/// "anonymous", "customer", "admin" or "system"; "unknown" for a value outside the enumeration.
[[nodiscard]] inline const char* actor_kind_name(actor_kind kind) noexcept {
    switch (kind) {
        case actor_kind::anonymous:
            return "anonymous";
        case actor_kind::customer:
            return "customer";
        case actor_kind::admin:
            return "admin";
        case actor_kind::system:
            return "system";
    }
    return "unknown";
}

}  // namespace shopcore

#endif  // SHOPCORE_CORE_ACTOR_HPP

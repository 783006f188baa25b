#ifndef SHOPCORE_SUPPORT_SUPPORT_SERVICE_HPP
#define SHOPCORE_SUPPORT_SUPPORT_SERVICE_HPP

#include <memory>
#include <optional>
#include <string>

#include <shopcore/core/actor.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/pagination.hpp>
#include <shopcore/export.hpp>
#include <shopcore/support/ticket.hpp>

namespace shopcore {

/// Support tickets. Obtained from `shop::support()`; thread-safe.
///
/// A customer sees and writes only their own tickets (another's is not_found_error); admins
/// holding `permission::manage_support` see and answer every ticket. Every change is one
/// transaction; ticket_opened, ticket_replied and ticket_closed fire after commit, so that the
/// application can send notifications.
class SHOPCORE_EXPORT support_service {
public:
    /// Internal state (defined in the library).
    struct impl;
    /// Internal: built by the shop.
    explicit support_service(std::unique_ptr<impl> p);
    /// Destroyed by its shop.
    ~support_service();
    /// Not copyable: a service belongs to its shop.
    support_service(const support_service&) = delete;
    /// Not copyable: a service belongs to its shop.
    support_service& operator=(const support_service&) = delete;

    /// Opens a ticket for the acting user (status open).
    /// @throws authentication_error (not signed in), validation_error ("subject", "body"),
    ///         not_found_error (the order does not exist or is not theirs).
    ticket open_ticket(const actor& by, const new_ticket& t);

    /// Adds a message: the ticket's customer (an answered ticket becomes open again) or an
    /// admin with manage_support (the ticket becomes answered).
    /// @throws not_found_error, permission_denied_error, validation_error ("body"),
    ///         invalid_state_error (closed: reopen it first).
    ticket reply(const actor& by, ticket_id id, const std::string& body);

    /// Closes the ticket (its customer or an admin). @throws invalid_state_error (already
    ///         closed), and as reply().
    ticket close(const actor& by, ticket_id id);

    /// Reopens a closed ticket (its customer or an admin), optionally with a message.
    /// @throws invalid_state_error (not closed), and as reply().
    ticket reopen(const actor& by, ticket_id id, const std::string& body = std::string());

    /// Assigns the ticket to an admin, or to nobody (admins with manage_support).
    /// @throws permission_denied_error, not_found_error, validation_error ("assignee": not an
    ///         active admin holding manage_support).
    ticket assign(const actor& by, ticket_id id, std::optional<user_id> assignee);

    /// The ticket with its thread. @throws not_found_error (also for another's), or
    ///         permission_denied_error (an admin without manage_support).
    [[nodiscard]] ticket get(const actor& by, ticket_id id);

    /// The acting user's tickets, most recently updated first (threads included).
    /// @throws authentication_error, validation_error ("limit", "token").
    [[nodiscard]] page<ticket> my_tickets(const actor& by, const page_request& request);

    /// The admin queue: tickets matching `filter`, by priority (urgent first) then oldest
    /// update first. @throws permission_denied_error, validation_error ("limit", "token").
    [[nodiscard]] page<ticket> queue(const actor& by, const ticket_filter& filter,
                                     const page_request& request);

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_SUPPORT_SUPPORT_SERVICE_HPP

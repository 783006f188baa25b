#ifndef SHOPCORE_SUPPORT_TICKET_HPP
#define SHOPCORE_SUPPORT_TICKET_HPP

/// @file Support tickets: a customer's question, its thread of messages with the shop, and
/// where it stands.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/core/clock.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

/// Where a ticket stands. Moves (anything else is invalid_state_error):
/// - open or reopened -> answered: staff reply;
/// - answered -> open: the customer replies;
/// - open, answered or reopened -> closed: the customer or staff close it;
/// - closed -> reopened: the customer or staff reopen it (a closed ticket takes no replies).
enum class ticket_status {
    open,      ///< Waiting for the shop.
    answered,  ///< The shop replied; waiting for the customer.
    closed,    ///< Done.
    reopened,  ///< Closed, then opened again: waiting for the shop.
};

/// How urgent the customer says it is.
enum class ticket_priority { low, normal, high, urgent };

/// "open", "answered", "closed", "reopened".
[[nodiscard]] SHOPCORE_EXPORT const char* ticket_status_name(ticket_status s) noexcept;
/// "low", "normal", "high", "urgent".
[[nodiscard]] SHOPCORE_EXPORT const char* ticket_priority_name(ticket_priority p) noexcept;

/// One message of a ticket's thread.
struct ticket_message {
    std::int64_t id = 0;            ///< Ascending within the ticket.
    std::optional<user_id> author;  ///< Who wrote it.
    bool from_staff = false;        ///< Written by an admin (the shop's side of the thread).
    std::string body;               ///< 1..10000 characters.
    timestamp at;                   ///< When.
};

/// A ticket as stored, with its thread.
struct ticket {
    ticket_id id;                                        ///< Assigned by the shop.
    user_id customer;                                    ///< Who opened it.
    std::string subject;                                 ///< 1..200 characters.
    std::optional<order_id> order;                       ///< One of the customer's orders.
    ticket_priority priority = ticket_priority::normal;  ///< As the customer set it.
    ticket_status status = ticket_status::open;          ///< See ticket_status.
    std::optional<user_id> assignee;                     ///< The admin handling it.
    timestamp opened_at;                                 ///< When it was opened.
    timestamp updated_at;                                ///< The last message or change.
    std::optional<timestamp> closed_at;                  ///< While closed: when.
    std::vector<ticket_message> messages;  ///< Oldest first; the first is the question.
    std::int64_t version = 0;              ///< Incremented by every change.
};

/// What a ticket is opened with.
struct new_ticket {
    std::string subject;                                 ///< 1..200 characters, one line.
    std::string body;                                    ///< 1..10000 characters.
    std::optional<order_id> order;                       ///< One of the customer's own orders.
    ticket_priority priority = ticket_priority::normal;  ///< How urgent.
};

/// Filters of the admin queue; unset fields do not filter.
struct ticket_filter {
    std::optional<ticket_status> status;      ///< Only this status.
    std::optional<ticket_priority> priority;  ///< Only this priority.
    std::optional<user_id> assignee;          ///< Only tickets assigned to this admin.
    bool unassigned_only = false;             ///< Only tickets nobody is assigned to.
};

}  // namespace shopcore

#endif  // SHOPCORE_SUPPORT_TICKET_HPP

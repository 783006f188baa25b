#ifndef SHOPCORE_SRC_STORAGE_SUPPORT_STORE_HPP
#define SHOPCORE_SRC_STORAGE_SUPPORT_STORE_HPP

// Internal: the SQL of support tickets and their messages.

#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

#include <shopcore/support/ticket.hpp>

#include "storage/database.hpp"

namespace shopcore::storage {

ticket_id insert_ticket(connection& c, const ticket& t);
void insert_ticket_message(connection& c, ticket_id id, const ticket_message& m);
std::optional<ticket> load_ticket(connection& c, ticket_id id);
/// Locks the ticket's row until the transaction ends (FOR UPDATE on the servers; SQLite's
/// BEGIN IMMEDIATE already serialises writers), so that changes to one ticket queue up.
void lock_ticket(connection& c, ticket_id id);
/// Writes status, assignee, closed_at and updated_at if the version is still `expected`.
/// @returns false otherwise.
bool update_ticket(connection& c, const ticket& t, std::int64_t expected);

/// The user's tickets before the cursor (updated_at, id), most recently updated first.
std::vector<ticket_id> list_user_tickets(
    connection& c, user_id user, std::optional<std::pair<std::int64_t, std::int64_t>> before,
    std::int64_t limit);

/// A position in the queue: (priority, updated_at, id).
using queue_position = std::tuple<std::int64_t, std::int64_t, std::int64_t>;
/// Tickets matching `f` after the position, by priority (highest first), then updated_at and
/// id (oldest first).
std::vector<ticket_id> list_queue(connection& c, const ticket_filter& f,
                                  std::optional<queue_position> after, std::int64_t limit);

/// A deleted account: its tickets keep their shape but lose their words (subject and every
/// message become "(erased)"); its messages in other tickets lose their author.
void erase_tickets(connection& c, user_id user);

/// Whether the order exists and belongs to `user`.
bool order_belongs_to(connection& c, order_id order, user_id user);

}  // namespace shopcore::storage

#endif  // SHOPCORE_SRC_STORAGE_SUPPORT_STORE_HPP

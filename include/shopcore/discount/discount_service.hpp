#ifndef SHOPCORE_DISCOUNT_DISCOUNT_SERVICE_HPP
#define SHOPCORE_DISCOUNT_DISCOUNT_SERVICE_HPP

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/core/actor.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/pagination.hpp>
#include <shopcore/discount/discount_code.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

/// Filters of discount_service::list(); ordered by code, then id.
struct discount_query {
    std::string prefix;          ///< Codes starting with this (case-insensitive); empty: all.
    std::optional<bool> active;  ///< Only active (true) or inactive (false) codes.
};

/// How generate() makes codes.
struct code_generation {
    std::string prefix;               ///< Put before the random part ("XMAS-"); may be empty.
    std::int64_t random_length = 12;  ///< Random symbols after the prefix, 8..32.
};

/// Discount codes for admins. Obtained from `shop::discounts()`; thread-safe.
///
/// Every call needs the system actor or an admin holding `permission::manage_discounts`.
/// Customers use codes through cart_service::apply_code(). Usage is counted when an order is
/// placed (orders, issue 5), with a conditional update against the total limit and a unique
/// row per customer use.
class SHOPCORE_EXPORT discount_service {
public:
    /// Internal state (defined in the library).
    struct impl;
    /// Internal: built by the shop.
    explicit discount_service(std::unique_ptr<impl> p);
    /// Destroyed by its shop.
    ~discount_service();
    /// Not copyable: a service belongs to its shop.
    discount_service(const discount_service&) = delete;
    /// Not copyable: a service belongs to its shop.
    discount_service& operator=(const discount_service&) = delete;

    /// Creates a code (its text is upper-cased and trimmed).
    /// @throws permission_denied_error, validation_error (validate_discount_code's fields;
    ///         "categories"/"products" naming an id that does not exist), conflict_error (the
    ///         code exists).
    discount_code create(const actor& by, const new_discount_code& code);

    /// Changes a code. @throws permission_denied_error, not_found_error, validation_error as
    /// create(), conflict_error (expected_version differs).
    discount_code update(const actor& by, discount_id id, const discount_code_update& change);

    /// Deactivates a code: carts that hold it see it refused as `inactive`. Already inactive:
    /// nothing is written. @throws permission_denied_error, not_found_error.
    discount_code deactivate(const actor& by, discount_id id);

    /// A code by id. @throws permission_denied_error, not_found_error.
    [[nodiscard]] discount_code by_id(const actor& by, discount_id id);

    /// A code by its text (case-insensitive). @throws permission_denied_error,
    /// not_found_error.
    [[nodiscard]] discount_code by_code(const actor& by, const std::string& code);

    /// Codes with their usage counts (times_used), by code then id, keyset-paginated.
    /// @throws permission_denied_error, validation_error (bad token or limit).
    [[nodiscard]] page<discount_code> list(const actor& by, const discount_query& q,
                                           const page_request& page = page_request());

    /// Creates `count` codes sharing the rules of `rules` (whose `code` is ignored), each
    /// `gen.prefix` + `gen.random_length` random symbols from a 31-symbol unambiguous
    /// alphabet (A-Z and 2-9 without I, L, O, 0, 1), unique in the shop. One transaction.
    /// @param count 1..100000.
    /// @returns the new codes, in creation order.
    /// @throws permission_denied_error, validation_error ("count", "random_length", "prefix",
    ///         and the rule fields as create()).
    std::vector<discount_code> generate(const actor& by, const new_discount_code& rules,
                                        std::int64_t count,
                                        const code_generation& gen = code_generation());

    /// Counts one use of a code by `customer` (none: a guest), as order placement does: the
    /// customer's use count is checked against the per-customer limit, the total with a
    /// conditional update, and each use is a row unique per (code, customer, use number), so
    /// racing uses never exceed a limit. For apps that take orders outside shopcore.
    /// @returns the code with its new times_used.
    /// @throws permission_denied_error, not_found_error, discount_rejected_error ("exhausted"
    ///         or "already_used"; nothing is written).
    discount_code record_use(const actor& by, discount_id id, std::optional<user_id> customer);

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_DISCOUNT_DISCOUNT_SERVICE_HPP

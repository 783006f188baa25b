#ifndef SHOPCORE_DISCOUNT_DISCOUNT_INDEX_HPP
#define SHOPCORE_DISCOUNT_DISCOUNT_INDEX_HPP

/// @file An in-memory index of discount codes for checks that must not touch the database,
/// such as validating a code as a customer types it.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <shopcore/core/clock.hpp>
#include <shopcore/discount/discount_code.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

/// Codes by their text, with the rules that do not depend on a cart.
///
/// Build it from discount_service::list() pages; it is a snapshot (usage counts included) and
/// does not follow later changes. cart_service::apply_code() remains the authority: it also
/// judges the cart (scope, minimums, combinations) and the hooks.
/// Thread safety: immutable after construction; lookups may run on many threads.
class SHOPCORE_EXPORT discount_index {
public:
    /// Indexes `codes` by their text.
    /// @throws validation_error("codes") if two codes have the same text.
    /// Complexity: O(n) expected.
    explicit discount_index(std::vector<discount_code> codes);

    /// The code with this text (case-insensitive, surrounding spaces ignored), or null.
    /// The pointer lives as long as the index.
    /// Complexity: O(length of text) expected.
    [[nodiscard]] const discount_code* find(std::string_view text) const;

    /// Why the code cannot be used now by this customer, or none when it may apply (its scope
    /// and minimums are judged against a cart by the pricing engine). Checks, in order:
    /// unknown_code, inactive, not_started, expired, exhausted, login_required, staff_only,
    /// already_used.
    /// @param customer_uses how often the customer has used it; @param signed_in whether a
    /// user is signed in; @param staff whether that user is an admin; @param at now.
    [[nodiscard]] std::optional<discount_refusal> check(std::string_view text,
                                                        std::int64_t customer_uses, bool signed_in,
                                                        bool staff, timestamp at) const;

    /// How many codes it holds.
    [[nodiscard]] std::size_t size() const noexcept;

private:
    struct impl;
    std::shared_ptr<const impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_DISCOUNT_DISCOUNT_INDEX_HPP

#ifndef SHOPCORE_CORE_IDS_HPP
#define SHOPCORE_CORE_IDS_HPP

/// @file Typed identifiers: a product id cannot be passed where an order id is expected.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>

namespace shopcore {

/// An identifier of the kind named by `Tag`, holding the database's int64 key.
/// Ids are assigned by storage and start at 1; the default value 0 means "no id" and is
/// invalid. Ids of different tags are different types and do not compare.
/// Thread safety: immutable; safe to share.
template <class Tag>
class basic_id {
public:
    /// The invalid id (0).
    constexpr basic_id() noexcept = default;
    /// The id with this key. Any value is held; is_valid() tells whether it can name a row.
    constexpr explicit basic_id(std::int64_t value) noexcept : value_(value) {}

    /// The key.
    [[nodiscard]] constexpr std::int64_t value() const noexcept { return value_; }
    /// Whether the id can name a stored object (value > 0).
    [[nodiscard]] constexpr bool is_valid() const noexcept { return value_ > 0; }

    /// Compares keys.
    [[nodiscard]] constexpr bool operator==(const basic_id& other) const noexcept {
        return value_ == other.value_;
    }
    /// Compares keys.
    [[nodiscard]] constexpr bool operator!=(const basic_id& other) const noexcept {
        return value_ != other.value_;
    }
    /// Orders by key (creation order for storage-assigned ids).
    [[nodiscard]] constexpr bool operator<(const basic_id& other) const noexcept {
        return value_ < other.value_;
    }
    /// Orders by key.
    [[nodiscard]] constexpr bool operator<=(const basic_id& other) const noexcept {
        return value_ <= other.value_;
    }
    /// Orders by key.
    [[nodiscard]] constexpr bool operator>(const basic_id& other) const noexcept {
        return value_ > other.value_;
    }
    /// Orders by key.
    [[nodiscard]] constexpr bool operator>=(const basic_id& other) const noexcept {
        return value_ >= other.value_;
    }

private:
    std::int64_t value_ = 0;
};

#ifndef SWIG
/// Writes the key, e.g. "42".
template <class Tag>
std::ostream& operator<<(std::ostream& out, const basic_id<Tag>& id) {
    return out << id.value();
}
#endif

/// Tag of category_id.
struct category_tag {};
/// Tag of product_id.
struct product_tag {};
/// Tag of user_id.
struct user_tag {};
/// Tag of order_id.
struct order_tag {};
/// Tag of cart_id.
struct cart_tag {};
/// Tag of discount_id.
struct discount_tag {};
/// Tag of ticket_id.
struct ticket_tag {};
/// Tag of comment_id.
struct comment_tag {};

/// Identifies a catalog category.
using category_id = basic_id<category_tag>;
/// Identifies a product.
using product_id = basic_id<product_tag>;
/// Identifies a user account.
using user_id = basic_id<user_tag>;
/// Identifies an order.
using order_id = basic_id<order_tag>;
/// Identifies a cart.
using cart_id = basic_id<cart_tag>;
/// Identifies a discount code.
using discount_id = basic_id<discount_tag>;
/// Identifies a support ticket.
using ticket_id = basic_id<ticket_tag>;
/// Identifies a product comment.
using comment_id = basic_id<comment_tag>;

}  // namespace shopcore

#ifndef SWIG
/// Hashes an id by its key.
template <class Tag>
struct std::hash<shopcore::basic_id<Tag>> {
    /// The standard hash of the key.
    std::size_t operator()(const shopcore::basic_id<Tag>& id) const noexcept {
        return std::hash<std::int64_t>{}(id.value());
    }
};
#endif

#endif  // SHOPCORE_CORE_IDS_HPP

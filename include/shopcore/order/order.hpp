#ifndef SHOPCORE_ORDER_ORDER_HPP
#define SHOPCORE_ORDER_ORDER_HPP

/// @file An order: a snapshot of the buyer, the lines, the codes and the totals taken when it
/// was placed, plus its status and history. Nothing in it changes when the catalog, the codes
/// or the account change later (docs/concepts/orders.md).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/core/actor.hpp>
#include <shopcore/core/clock.hpp>
#include <shopcore/core/currency.hpp>
#include <shopcore/core/ids.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/core/ratio.hpp>
#include <shopcore/core/weight.hpp>
#include <shopcore/discount/discount_code.hpp>
#include <shopcore/order/order_status.hpp>
#include <shopcore/pricing/tax.hpp>

namespace shopcore {

/// Who receives the order and where. Without one at checkout it comes from the account's
/// default address (its recipient, lines and phone; the account's phone when the address has
/// none) and the account's e-mail. The buyer may edit it until the order ships (country and
/// province excepted: they decided shipping and tax).
struct purchase_info {
    std::string recipient_name;        ///< 1..200 characters.
    std::string phone;                 ///< Normalised like an account's phone; required.
    std::optional<std::string> email;  ///< Lower-cased; a valid name@domain when set.
    std::string line1;                 ///< 1..200 characters.
    std::string line2;                 ///< 0..200 characters.
    std::string city;                  ///< 1..100 characters.
    std::string province;              ///< 0..100 characters.
    std::string postal_code;           ///< 0..20 characters.
    std::string country;               ///< ISO 3166-1 alpha-2, upper case.
    std::string note;                  ///< For the shop, 0..1000 characters.
};

/// A code's share of one order line.
struct order_line_discount {
    std::string code;  ///< The code's text.
    money amount;      ///< Above zero.
};

/// One line as it was sold.
struct order_line {
    std::int64_t position = 0;  ///< 0, 1, ... in cart order.
    product_id product;         ///< The product (it may since have changed or gone inactive).
    std::string sku;            ///< The product's SKU then.
    std::string name;           ///< The product's name then.
    money unit_price;           ///< List price of one unit.
    money sale_unit_price;      ///< After the product's sale discount.
    std::int64_t quantity = 0;  ///< Units, >= 1.
    weight unit_weight;         ///< Shipping weight of one unit.
    money subtotal;             ///< sale_unit_price * quantity.
    money discount;             ///< Sum of `discounts`.
    money total;                ///< subtotal - discount.
    std::string tax_name;       ///< The rate's name; empty when none applied.
    ratio tax_rate;             ///< The rate (0 when none).
    money tax;                  ///< Added on top or included, by the order's tax mode.
    std::vector<order_line_discount> discounts;  ///< Each code's share of this line.
};

/// A code that applied to the order.
struct order_code {
    discount_id discount;                            ///< The stored code.
    std::string code;                                ///< Its text.
    discount_kind kind = discount_kind::percentage;  ///< What it gave.
    money amount;  ///< Taken off the lines, or off shipping for free shipping.
};

/// An order as stored.
struct order {
    order_id id;                      ///< Assigned by the shop.
    std::string number;               ///< Unique, human-friendly: "K7QX-M3PA-92".
    std::optional<user_id> customer;  ///< The buyer's account.
    order_status status = order_status::pending_payment;  ///< See order_status.hpp.
    shopcore::currency currency;                          ///< Every amount is in it.
    tax_mode prices = tax_mode::exclusive;                ///< How tax relates to the amounts.
    std::vector<order_line> lines;                        ///< At least one.
    std::vector<order_code> codes;     ///< Codes that applied, in the order applied.
    std::string shipping_method;       ///< The method's code.
    money shipping_cost;               ///< The method's charge.
    money shipping_discount;           ///< Taken off by free-shipping codes.
    money shipping_tax;                ///< Tax on the shipping charge.
    money subtotal;                    ///< Sum of line subtotals.
    money discount_total;              ///< Sum of line discounts.
    money shipping_total;              ///< shipping_cost - shipping_discount.
    money tax_total;                   ///< Line taxes + shipping_tax.
    money total;                       ///< What the buyer pays.
    weight total_weight;               ///< Of all lines.
    purchase_info purchase;            ///< Recipient, address, note.
    timestamp placed_at;               ///< When it was placed.
    timestamp updated_at;              ///< The last change.
    std::optional<timestamp> paid_at;  ///< When a payment was verified.
    /// While pending_payment: when it expires unless paid.
    std::optional<timestamp> payment_due_at;
    std::int64_t version = 0;  ///< Incremented by every change.
};

/// What order_service::history() lists: one change of the order.
struct order_history_entry {
    std::int64_t id = 0;               ///< Ascending.
    timestamp at;                      ///< When.
    actor by;                          ///< Who (the system for expiry and payment callbacks).
    std::string action;                ///< "placed", "status_changed", "purchase_info_updated",
                                       ///< "payment_started", "payment_failed", "paid", ...
    std::optional<order_status> from;  ///< The status before, for status changes.
    std::optional<order_status> to;    ///< The status after, for status changes.
    std::string note;                  ///< Free text: the reason given, a reference id.
};

/// How to place an order from the signed-in user's cart.
struct checkout_request {
    /// 1..255 characters chosen by the client, one per purchase attempt (a UUID, say): placing
    /// again with the same key returns the first order instead of making another.
    std::string idempotency_key;
    /// Overrides the account's defaults (name, phone, e-mail, default address) when given.
    std::optional<purchase_info> purchase;
    std::string note;  ///< For the shop, 0..1000 characters; used when `purchase` is none.
};

/// Filters of order_service::list() (admins). Unset fields do not filter.
struct order_filter {
    std::optional<order_status> status;    ///< Only this status.
    std::optional<user_id> customer;       ///< Only this buyer's orders.
    std::optional<timestamp> placed_from;  ///< Placed at or after.
    std::optional<timestamp> placed_to;    ///< Placed before.
};

/// What happens to the discount-code uses of a cancelled or expired order.
enum class code_release_policy {
    release,  ///< The use is given back: the code counts one use fewer (default).
    keep,     ///< The use stays counted.
};

/// Order settings, given at shop::open.
struct order_settings {
    /// Seconds an order may stay pending_payment before expire_unpaid() expires it; 60..30 days.
    std::int64_t payment_window_seconds = 3600;
    code_release_policy release_codes = code_release_policy::release;  ///< See the enum.
};

}  // namespace shopcore

#endif  // SHOPCORE_ORDER_ORDER_HPP

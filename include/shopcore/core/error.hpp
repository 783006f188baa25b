#ifndef SHOPCORE_CORE_ERROR_HPP
#define SHOPCORE_CORE_ERROR_HPP

/// @file The one error hierarchy of shopcore. Every kind has a stable numeric code, listed in
/// docs/errors.md (a test checks that every code is documented).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <shopcore/core/ids.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

/// Stable numeric codes. Values never change once released; new kinds get new numbers.
enum class error_code : int {
    validation = 1000,          ///< Input breaks a documented rule (empty name, negative price).
    not_found = 1100,           ///< The referenced object does not exist.
    permission_denied = 1200,   ///< The acting user may not do this.
    authentication = 1250,      ///< Login, session token or verification code not accepted.
    invalid_state = 1300,       ///< The object is not in a state that allows the operation.
    conflict = 1400,            ///< Uniqueness or optimistic-lock conflict.
    idempotency = 1450,         ///< An idempotency key was reused for a different request.
    insufficient_stock = 1500,  ///< More units were asked for than are available.
    discount_rejected = 1600,   ///< A discount code does not apply (carries the reason).
    hook_rejected = 1700,       ///< A before_* hook vetoed the operation.
    arithmetic = 1800,          ///< Overflow, division by zero, or currencies mixed.
    storage = 1900,             ///< The database failed (the backend's message is kept).
    unavailable = 1950,         ///< The database could not be reached or stayed busy.
};

/// Every code, in ascending order (used by the documentation test and the bindings).
[[nodiscard]] SHOPCORE_EXPORT std::vector<error_code> all_error_codes();

/// The snake_case name of a code, e.g. "insufficient_stock".
[[nodiscard]] SHOPCORE_EXPORT const char* error_code_name(error_code code) noexcept;

/// Root of every exception shopcore throws on purpose.
class SHOPCORE_EXPORT error : public std::runtime_error {
public:
    /// An error of kind `code`.
    /// @param code the stable code; @param message human-readable, English.
    error(error_code code, const std::string& message);

    /// The stable numeric code of this kind of error.
    [[nodiscard]] error_code code() const noexcept { return code_; }

    /// The message with context appended as the error rose ("...; while placing order 12").
    [[nodiscard]] const char* what() const noexcept override;

    /// Adds context to the message, innermost first. Used by services as an error rises.
    void add_context(const std::string& context);

private:
    error_code code_;
    std::string full_;
};

/// Input breaks a documented rule. `field()` names the offending input where there is one.
class SHOPCORE_EXPORT validation_error : public error {
public:
    /// A validation error on `field` (may be empty); `what()` is "field: message", or just
    /// `message` when `field` is empty.
    validation_error(const std::string& field, const std::string& message);
    /// The name of the offending input field ("name", "price"), or empty.
    [[nodiscard]] const std::string& field() const noexcept { return field_; }

private:
    std::string field_;
};

/// The referenced object does not exist (or is not visible to the actor).
class SHOPCORE_EXPORT not_found_error : public error {
public:
    /// A not_found error with `message`.
    explicit not_found_error(const std::string& message);
};

/// The actor is not allowed to perform the operation.
class SHOPCORE_EXPORT permission_denied_error : public error {
public:
    /// A permission_denied error with `message`.
    explicit permission_denied_error(const std::string& message);
};

/// A login, session token or verification code was not accepted. Deliberately vague: it never
/// says whether the account exists.
class SHOPCORE_EXPORT authentication_error : public error {
public:
    /// An authentication error with `message`.
    explicit authentication_error(const std::string& message);
};

/// The operation is not allowed in the object's current state.
class SHOPCORE_EXPORT invalid_state_error : public error {
public:
    /// An invalid_state error with `message`.
    explicit invalid_state_error(const std::string& message);
};

/// A uniqueness rule or an optimistic-lock version check failed.
class SHOPCORE_EXPORT conflict_error : public error {
public:
    /// A conflict error with `message`.
    explicit conflict_error(const std::string& message);

protected:
    /// For subclasses with their own code (idempotency_error).
    conflict_error(error_code code, const std::string& message);
};

/// An idempotency key was used again for a different request (another cart, other details).
/// A conflict_error, so code that handles conflicts handles it too; code() is
/// error_code::idempotency.
class SHOPCORE_EXPORT idempotency_error : public conflict_error {
public:
    /// An idempotency error with `message`.
    explicit idempotency_error(const std::string& message);
};

/// One line that is short of stock.
struct stock_shortage {
    shopcore::product_id product;  ///< The product.
    std::int64_t requested = 0;    ///< Units asked for.
    std::int64_t available = 0;    ///< Units on hand.
};

/// More units were asked for than are available.
class SHOPCORE_EXPORT insufficient_stock_error : public error {
public:
    /// Every short line of one request (an order); the first is product(), requested() and
    /// available(). @pre `all` is not empty.
    explicit insufficient_stock_error(std::vector<stock_shortage> all);
    /// Every short line; one entry for a single-product request.
    [[nodiscard]] const std::vector<stock_shortage>& shortages() const noexcept {
        return shortages_;
    }
    /// The message is built from the three values.
    /// @param product the product; @param requested units asked for; @param available on hand.
    insufficient_stock_error(shopcore::product_id product, std::int64_t requested,
                             std::int64_t available);
    /// The product that is short.
    [[nodiscard]] shopcore::product_id product() const noexcept { return product_; }
    /// The units asked for.
    [[nodiscard]] std::int64_t requested() const noexcept { return requested_; }
    /// The units on hand when the request was refused.
    [[nodiscard]] std::int64_t available() const noexcept { return available_; }

private:
    shopcore::product_id product_;
    std::int64_t requested_;
    std::int64_t available_;
    std::vector<stock_shortage> shortages_;
};

/// A discount code does not apply; `reason()` is machine-readable ("expired", "exhausted"),
/// one of the names of discount_refusal_name() (discount/discount_code.hpp).
class SHOPCORE_EXPORT discount_rejected_error : public error {
public:
    /// A rejection of `code_text` for `reason`.
    /// @param reason machine-readable ("expired"); @param message human-readable, English;
    /// @param code_text the code refused; @param missing_amount for "minimum_subtotal_not_met",
    /// what the eligible lines lack; @param missing_quantity for "minimum_quantity_not_met".
    discount_rejected_error(const std::string& reason, const std::string& message,
                            const std::string& code_text = std::string(),
                            std::optional<money> missing_amount = std::nullopt,
                            std::int64_t missing_quantity = 0);
    /// The machine-readable reason, e.g. "expired" or "exhausted".
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }
    /// The code that was refused, upper case ("SUMMER10"); may be empty.
    [[nodiscard]] const std::string& code_text() const noexcept { return code_text_; }
    /// How much more the eligible lines must cost ("minimum_subtotal_not_met" only).
    [[nodiscard]] const std::optional<money>& missing_amount() const noexcept {
        return missing_amount_;
    }
    /// How many more units they must hold ("minimum_quantity_not_met" only; else 0).
    [[nodiscard]] std::int64_t missing_quantity() const noexcept { return missing_quantity_; }

private:
    std::string reason_;
    std::string code_text_;
    std::optional<money> missing_amount_;
    std::int64_t missing_quantity_ = 0;
};

/// A before_* hook vetoed the operation; nothing was written.
class SHOPCORE_EXPORT hook_rejected_error : public error {
public:
    /// `what()` is "<hook> rejected the operation: <reason>".
    /// @param hook the event name ("before_product_create"); @param reason the listener's reason.
    hook_rejected_error(const std::string& hook, const std::string& reason);
    /// The hook's event name, e.g. "before_product_create".
    [[nodiscard]] const std::string& hook() const noexcept { return hook_; }
    /// The hook's reason: the `what()` of what it threw, or "vetoed" for a non-standard type.
    [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

private:
    std::string hook_;
    std::string reason_;
};

/// Arithmetic overflow, division by zero, or money of two currencies mixed.
class SHOPCORE_EXPORT arithmetic_error : public error {
public:
    /// An arithmetic error with `message`.
    explicit arithmetic_error(const std::string& message);
};

/// The database reported an error; the backend's message is kept in `what()`.
class SHOPCORE_EXPORT storage_error : public error {
public:
    /// A storage error with `message` (usually the backend's).
    explicit storage_error(const std::string& message);

protected:
    /// For subclasses with their own code (unavailable_error).
    storage_error(error_code code, const std::string& message);
};

/// The database could not be reached, or stayed busy through every retry.
class SHOPCORE_EXPORT unavailable_error : public storage_error {
public:
    /// An unavailable error with `message`; code() is error_code::unavailable.
    explicit unavailable_error(const std::string& message);
};

}  // namespace shopcore

#endif  // SHOPCORE_CORE_ERROR_HPP

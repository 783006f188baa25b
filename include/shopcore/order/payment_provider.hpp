#ifndef SHOPCORE_ORDER_PAYMENT_PROVIDER_HPP
#define SHOPCORE_ORDER_PAYMENT_PROVIDER_HPP

/// @file The interface to a payment gateway, shaped like the redirect gateways shops use
/// (start a payment, send the buyer to the gateway, verify the authority it returns), and a
/// sandbox gateway for demos and tests.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <shopcore/core/ids.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

/// What the shop asks a gateway to charge.
struct payment_request {
    order_id order;            ///< The order.
    std::string order_number;  ///< Its number, for the gateway's records.
    money amount;              ///< The order total.
    std::string description;   ///< "Order K7QX-M3PA-92".
    std::string callback_url;  ///< Where the gateway sends the buyer back.
    std::string phone;         ///< The buyer's phone, for gateways that ask for it.
};

/// A started payment: send the buyer to `redirect_url`.
struct payment_session {
    std::string authority;     ///< The gateway's id of the payment; unique per gateway.
    std::string redirect_url;  ///< The gateway's page for the buyer.
};

/// What a gateway says of an authority.
struct payment_verification {
    bool paid = false;         ///< The gateway took the money.
    money amount;              ///< What it took (compared with the order total).
    std::string reference_id;  ///< The gateway's receipt number when paid.
    std::string message;       ///< Why not, when not paid.
};

/// A payment gateway. Implementations may block (network calls); the shop never calls them
/// inside a database transaction. They must be safe to call from several threads.
class SHOPCORE_EXPORT payment_provider {
public:
    /// Destroys the provider.
    virtual ~payment_provider();
    /// A short name recorded with each payment ("sandbox", "zarinpal").
    [[nodiscard]] virtual std::string name() const = 0;
    /// Registers a payment. @throws anything: the order stays pending_payment, nothing is
    /// recorded, and the error reaches the caller.
    virtual payment_session start(const payment_request& request) = 0;
    /// Asks whether the payment `authority` of `expected` went through. Called at most once
    /// per authority that ends paid or failed: the shop keeps the answer.
    virtual payment_verification verify(const std::string& authority, const money& expected) = 0;
};

/// A gateway in memory for demos and tests: start() hands out authorities "SANDBOX-1", ...
/// and a redirect URL on the callback; a payment is paid once complete() is called for it
/// (with the amount the buyer "paid", the full amount by default) and failed otherwise.
class SHOPCORE_EXPORT sandbox_payment_provider : public payment_provider {
public:
    /// "sandbox".
    [[nodiscard]] std::string name() const override;
    /// Registers the payment. Thread-safe.
    payment_session start(const payment_request& request) override;
    /// Paid with the completed amount, or failed ("not completed", "unknown authority").
    payment_verification verify(const std::string& authority, const money& expected) override;

    /// The buyer pays `authority` in full. @returns false for an unknown authority.
    bool complete(const std::string& authority);
    /// The buyer pays `amount` (to test amount checks). @returns false for an unknown one.
    bool complete(const std::string& authority, const money& amount);
    /// How many times verify() was called (to test that answers are kept).
    [[nodiscard]] std::int64_t verifications() const;

private:
    struct entry {
        money amount;
        bool completed = false;
        money paid;
    };
    mutable std::mutex mutex_;
    std::map<std::string, entry> payments_;
    std::int64_t next_ = 1;
    std::int64_t verifications_ = 0;
};

}  // namespace shopcore

#endif  // SHOPCORE_ORDER_PAYMENT_PROVIDER_HPP

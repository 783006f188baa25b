#ifndef SHOPCORE_EVENTS_SUBSCRIPTION_HPP
#define SHOPCORE_EVENTS_SUBSCRIPTION_HPP

#include <memory>

#include <shopcore/export.hpp>

namespace shopcore {

/// An RAII handle on one listener: destroying it (or calling `disconnect`) removes the
/// listener. Move-only. Thread-safe to disconnect while events are being delivered; a listener
/// already running finishes.
class SHOPCORE_EXPORT subscription {
public:
    /// An empty handle that owns nothing.
    subscription() noexcept;
    /// Removes the listener, if this handle still holds one.
    ~subscription();
    /// Takes over `other`'s listener; `other` is left empty.
    subscription(subscription&& other) noexcept;
    /// Removes the listener held (if any), then takes over `other`'s; `other` is left empty.
    subscription& operator=(subscription&& other) noexcept;
    /// Not copyable: one handle owns one listener.
    subscription(const subscription&) = delete;
    /// Not copyable: one handle owns one listener.
    subscription& operator=(const subscription&) = delete;

    /// Removes the listener. Idempotent; does nothing on an empty handle.
    void disconnect() noexcept;
    /// True while the listener is connected (false for an empty or disconnected handle).
    [[nodiscard]] bool is_connected() const noexcept;

    /// Internal: the hub's connection handle.
    struct state;
    /// Internal: used by event_hub.
    explicit subscription(std::unique_ptr<state> s) noexcept;

private:
    std::unique_ptr<state> state_;
};

}  // namespace shopcore

#endif  // SHOPCORE_EVENTS_SUBSCRIPTION_HPP

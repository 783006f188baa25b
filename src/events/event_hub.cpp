#include <shopcore/events/event_hub.hpp>

#include <iostream>
#include <mutex>

#include <boost/signals2.hpp>

#include <shopcore/core/error.hpp>

#include "events/publish.hpp"

namespace shopcore {

struct subscription::state {
    boost::signals2::scoped_connection connection;
};

subscription::subscription() noexcept = default;
subscription::subscription(std::unique_ptr<state> s) noexcept : state_(std::move(s)) {}
subscription::~subscription() = default;
subscription::subscription(subscription&& other) noexcept = default;
subscription& subscription::operator=(subscription&& other) noexcept = default;

void subscription::disconnect() noexcept {
    if (state_) state_->connection.disconnect();
}

bool subscription::is_connected() const noexcept {
    return state_ && state_->connection.connected();
}

struct event_hub::impl {
    template <class Event>
    using signal_t = boost::signals2::signal<void(const Event&)>;

    std::mutex handler_mutex;
    error_handler on_error = [](const std::string& event, const std::string& message) {
        std::cerr << "shopcore: listener of " << event << " threw: " << message << '\n';
    };

    void report(const char* event, const std::string& message) {
        error_handler handler;
        {
            std::lock_guard<std::mutex> lock(handler_mutex);
            handler = on_error;
        }
        try {
            if (handler) handler(event, message);
        } catch (...) {  // an error handler that throws must not break delivery
        }
    }

    template <class Event>
    subscription connect_hook(signal_t<Event>& sig, std::function<void(const Event&)> f,
                              int group) {
        if (!f) throw validation_error("hook", "empty callable");
        auto s = std::make_unique<subscription::state>();
        s->connection = sig.connect(group, std::move(f));
        return subscription(std::move(s));
    }

    template <class Event>
    subscription connect_listener(signal_t<Event>& sig, const char* name,
                                  std::function<void(const Event&)> f, int group) {
        if (!f) throw validation_error("listener", "empty callable");
        auto s = std::make_unique<subscription::state>();
        s->connection = sig.connect(group, [this, name, fn = std::move(f)](const Event& e) {
            try {
                fn(e);
            } catch (const std::exception& ex) {
                report(name, ex.what());
            } catch (...) {
                report(name, "unknown exception");
            }
        });
        return subscription(std::move(s));
    }

    template <class Event>
    static void run_hook(signal_t<Event>& sig, const char* name, const Event& e) {
        try {
            sig(e);
        } catch (const hook_rejected_error&) {
            throw;
        } catch (const std::bad_alloc&) {
            throw;  // running out of memory is not a veto
        } catch (const std::exception& ex) {
            throw hook_rejected_error(name, ex.what());
        } catch (...) {
            throw hook_rejected_error(name, "vetoed");
        }
    }

#define SHOPCORE_SIGNAL_MEMBER(name) signal_t<name##_event> name;
    SHOPCORE_HOOK_LIST(SHOPCORE_SIGNAL_MEMBER)
    SHOPCORE_NOTIFICATION_LIST(SHOPCORE_SIGNAL_MEMBER)
#undef SHOPCORE_SIGNAL_MEMBER
};

event_hub::event_hub() : impl_(std::make_unique<impl>()) {}
event_hub::~event_hub() = default;

void event_hub::set_error_handler(error_handler handler) {
    std::lock_guard<std::mutex> lock(impl_->handler_mutex);
    impl_->on_error = std::move(handler);
}

#define SHOPCORE_DEFINE_HOOK(name)                                                           \
    subscription event_hub::name(std::function<void(const name##_event&)> hook, int group) { \
        return impl_->connect_hook(impl_->name, std::move(hook), group);                     \
    }                                                                                        \
    void detail::run_hook(event_hub& hub, const name##_event& e) {                           \
        event_hub::impl::run_hook(hub.internal().name, #name, e);                            \
    }
SHOPCORE_HOOK_LIST(SHOPCORE_DEFINE_HOOK)
#undef SHOPCORE_DEFINE_HOOK

#define SHOPCORE_DEFINE_NOTIFICATION(name)                                                    \
    subscription event_hub::on_##name(std::function<void(const name##_event&)> listener,      \
                                      int group) {                                            \
        return impl_->connect_listener(impl_->name, "on_" #name, std::move(listener), group); \
    }                                                                                         \
    void detail::publish(event_hub& hub, const name##_event& e) { hub.internal().name(e); }   \
    bool detail::has_listeners(event_hub& hub, const name##_event&) {                         \
        return !hub.internal().name.empty();                                                  \
    }
SHOPCORE_NOTIFICATION_LIST(SHOPCORE_DEFINE_NOTIFICATION)
#undef SHOPCORE_DEFINE_NOTIFICATION

}  // namespace shopcore

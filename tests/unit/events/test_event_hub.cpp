#include <shopcore/events/event_hub.hpp>

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <shopcore/core/error.hpp>

#include "events/publish.hpp"

namespace shopcore {
namespace {

using detail::publish;
using detail::run_hook;

// Records (event, message) pairs given to the hub's error handler.
struct recorded_errors {
    std::vector<std::pair<std::string, std::string>> calls;

    void install(event_hub& hub) {
        hub.set_error_handler([this](const std::string& event, const std::string& message) {
            calls.emplace_back(event, message);
        });
    }
};

product_created_event created(std::int64_t id) {
    product_created_event e;
    e.product = product_id(id);
    e.sku = "SKU-" + std::to_string(id);
    return e;
}

before_product_create_event before_create(const std::string& sku = "SKU-1") {
    before_product_create_event e;
    e.sku = sku;
    return e;
}

// ---- ordering ------------------------------------------------------------------------------

TEST(EventHub, NotificationsRunLowerGroupsFirstAndInSubscriptionOrderWithinAGroup) {
    event_hub hub;
    std::vector<std::string> order;
    auto s1 =
        hub.on_product_created([&](const product_created_event&) { order.push_back("5"); }, 5);
    auto s2 = hub.on_product_created([&](const product_created_event&) { order.push_back("0a"); });
    auto s3 =
        hub.on_product_created([&](const product_created_event&) { order.push_back("-3"); }, -3);
    auto s4 =
        hub.on_product_created([&](const product_created_event&) { order.push_back("0b"); }, 0);
    auto s5 =
        hub.on_product_created([&](const product_created_event&) { order.push_back("1"); }, 1);
    publish(hub, created(1));
    EXPECT_EQ(order, (std::vector<std::string>{"-3", "0a", "0b", "1", "5"}));
}

TEST(EventHub, HooksRunLowerGroupsFirstAndInSubscriptionOrderWithinAGroup) {
    event_hub hub;
    std::vector<std::string> order;
    auto s1 = hub.before_stock_change(
        [&](const before_stock_change_event&) { order.push_back("10"); }, 10);
    auto s2 =
        hub.before_stock_change([&](const before_stock_change_event&) { order.push_back("0a"); });
    auto s3 = hub.before_stock_change(
        [&](const before_stock_change_event&) { order.push_back("-1"); }, -1);
    auto s4 = hub.before_stock_change(
        [&](const before_stock_change_event&) { order.push_back("0b"); }, 0);
    run_hook(hub, before_stock_change_event{});
    EXPECT_EQ(order, (std::vector<std::string>{"-1", "0a", "0b", "10"}));
}

TEST(EventHub, ListenersReceiveTheEventAsPublished) {
    event_hub hub;
    std::vector<product_created_event> seen;
    auto s = hub.on_product_created([&](const product_created_event& e) { seen.push_back(e); });
    publish(hub, created(42));
    ASSERT_EQ(seen.size(), 1U);
    EXPECT_EQ(seen[0].product, product_id(42));
    EXPECT_EQ(seen[0].sku, "SKU-42");
}

TEST(EventHub, EachNotificationReachesOnlyItsOwnListenersUnderItsOwnName) {
    event_hub hub;
    recorded_errors errors;
    errors.install(hub);
    std::vector<subscription> subs;
    // Every listener throws its own name, so the error handler shows which listener ran and
    // under which event name the hub reported it.
#define SHOPCORE_TEST_SUBSCRIBE(name) \
    subs.push_back(hub.on_##name([](const name##_event&) { throw std::runtime_error(#name); }));
    SHOPCORE_NOTIFICATION_LIST(SHOPCORE_TEST_SUBSCRIBE)
#undef SHOPCORE_TEST_SUBSCRIBE
    std::vector<std::pair<std::string, std::string>> expected;
#define SHOPCORE_TEST_PUBLISH(name) \
    publish(hub, name##_event{});   \
    expected.emplace_back("on_" #name, #name);
    SHOPCORE_NOTIFICATION_LIST(SHOPCORE_TEST_PUBLISH)
#undef SHOPCORE_TEST_PUBLISH
    EXPECT_EQ(errors.calls, expected);
    EXPECT_EQ(expected.size(), 34U);  // every domain: catalog to support tickets
}

TEST(EventHub, EachHookIsReportedUnderItsOwnName) {
    event_hub hub;
    std::vector<subscription> subs;
#define SHOPCORE_TEST_SUBSCRIBE(name) \
    subs.push_back(hub.name([](const name##_event&) { throw std::runtime_error("no " #name); }));
    SHOPCORE_HOOK_LIST(SHOPCORE_TEST_SUBSCRIBE)
#undef SHOPCORE_TEST_SUBSCRIBE
    int checked = 0;
#define SHOPCORE_TEST_RUN(name)                 \
    try {                                       \
        run_hook(hub, name##_event{});          \
        ADD_FAILURE() << #name " did not veto"; \
    } catch (const hook_rejected_error& e) {    \
        EXPECT_EQ(e.hook(), #name);             \
        EXPECT_EQ(e.reason(), "no " #name);     \
        ++checked;                              \
    }
    SHOPCORE_HOOK_LIST(SHOPCORE_TEST_RUN)
#undef SHOPCORE_TEST_RUN
    EXPECT_EQ(checked, 6);
}

// ---- hooks ---------------------------------------------------------------------------------

TEST(EventHub, HooksThatReturnNormallyLetTheOperationProceed) {
    event_hub hub;
    int calls = 0;
    auto s = hub.before_product_create([&](const before_product_create_event& e) {
        EXPECT_EQ(e.sku, "SKU-9");
        ++calls;
    });
    EXPECT_NO_THROW(run_hook(hub, before_create("SKU-9")));
    EXPECT_EQ(calls, 1);
}

TEST(EventHub, AHookThatThrowsVetoesWithHookRejectedCarryingTheHookNameAndReason) {
    event_hub hub;
    auto s = hub.before_product_create([](const before_product_create_event&) {
        throw std::runtime_error("SKU prefix not allowed");
    });
    try {
        run_hook(hub, before_create());
        FAIL() << "the hook did not veto";
    } catch (const hook_rejected_error& e) {
        EXPECT_EQ(e.code(), error_code::hook_rejected);
        EXPECT_EQ(e.hook(), "before_product_create");
        EXPECT_EQ(e.reason(), "SKU prefix not allowed");
        EXPECT_NE(std::string(e.what()).find("SKU prefix not allowed"), std::string::npos);
    }
}

TEST(EventHub, AHookThrowingAShopcoreErrorIsReportedAsHookRejected) {
    event_hub hub;
    auto s = hub.before_category_delete([](const before_category_delete_event&) {
        throw validation_error("category", "has orders");
    });
    try {
        run_hook(hub, before_category_delete_event{});
        FAIL() << "the hook did not veto";
    } catch (const hook_rejected_error& e) {
        EXPECT_EQ(e.hook(), "before_category_delete");
        EXPECT_NE(e.reason().find("has orders"), std::string::npos);
    }
}

TEST(EventHub, AHookThrowingSomethingThatIsNotAnExceptionStillVetoes) {
    event_hub hub;
    auto s = hub.before_product_update([](const before_product_update_event&) { throw 42; });
    try {
        run_hook(hub, before_product_update_event{});
        FAIL() << "the hook did not veto";
    } catch (const hook_rejected_error& e) {
        EXPECT_EQ(e.hook(), "before_product_update");
        EXPECT_FALSE(e.reason().empty());
    }
}

TEST(EventHub, AHookRejectedErrorThrownByAHookPassesThroughUnchanged) {
    event_hub hub;
    auto s = hub.before_stock_change([](const before_stock_change_event&) {
        throw hook_rejected_error("warehouse_rule", "warehouse closed");
    });
    try {
        run_hook(hub, before_stock_change_event{});
        FAIL() << "the hook did not veto";
    } catch (const hook_rejected_error& e) {
        EXPECT_EQ(e.hook(), "warehouse_rule");
        EXPECT_EQ(e.reason(), "warehouse closed");
        EXPECT_EQ(std::string(e.what()),
                  hook_rejected_error("warehouse_rule", "warehouse closed").what());
    }
}

TEST(EventHub, AVetoingHookDoesNotGoToTheErrorHandler) {
    event_hub hub;
    recorded_errors errors;
    errors.install(hub);
    auto s = hub.before_product_create(
        [](const before_product_create_event&) { throw std::runtime_error("no"); });
    EXPECT_THROW(run_hook(hub, before_create()), hook_rejected_error);
    EXPECT_TRUE(errors.calls.empty());
}

TEST(EventHub, RunningAHookWithNoSubscribersDoesNothing) {
    event_hub hub;
    EXPECT_NO_THROW(run_hook(hub, before_create()));
}

// ---- notification failures -----------------------------------------------------------------

TEST(EventHub, AThrowingListenerGoesToTheErrorHandlerAndDoesNotStarveTheOthers) {
    event_hub hub;
    recorded_errors errors;
    errors.install(hub);
    std::vector<std::string> order;
    auto s1 =
        hub.on_stock_changed([&](const stock_changed_event&) { order.push_back("first"); }, -1);
    auto s2 = hub.on_stock_changed([&](const stock_changed_event&) {
        order.push_back("thrower");
        throw std::runtime_error("mailer down");
    });
    auto s3 = hub.on_stock_changed([&](const stock_changed_event&) { order.push_back("same"); });
    auto s4 = hub.on_stock_changed([&](const stock_changed_event&) { order.push_back("last"); }, 1);
    EXPECT_NO_THROW(publish(hub, stock_changed_event{}));
    EXPECT_EQ(order, (std::vector<std::string>{"first", "thrower", "same", "last"}));
    ASSERT_EQ(errors.calls.size(), 1U);
    EXPECT_EQ(errors.calls[0].first, "on_stock_changed");
    EXPECT_EQ(errors.calls[0].second, "mailer down");
}

TEST(EventHub, EveryThrowingListenerIsReportedSeparately) {
    event_hub hub;
    recorded_errors errors;
    errors.install(hub);
    auto s1 = hub.on_low_stock([](const low_stock_event&) { throw std::runtime_error("one"); });
    auto s2 = hub.on_low_stock([](const low_stock_event&) { throw std::logic_error("two"); });
    auto s3 = hub.on_low_stock([](const low_stock_event&) { throw 7; });
    publish(hub, low_stock_event{});
    ASSERT_EQ(errors.calls.size(), 3U);
    EXPECT_EQ(errors.calls[0], (std::pair<std::string, std::string>{"on_low_stock", "one"}));
    EXPECT_EQ(errors.calls[1], (std::pair<std::string, std::string>{"on_low_stock", "two"}));
    EXPECT_EQ(errors.calls[2].first, "on_low_stock");
    EXPECT_FALSE(errors.calls[2].second.empty());
}

TEST(EventHub, AnErrorHandlerThatThrowsIsSwallowedAndDeliveryContinues) {
    event_hub hub;
    int handler_calls = 0;
    hub.set_error_handler([&](const std::string&, const std::string&) {
        ++handler_calls;
        throw std::runtime_error("handler broke too");
    });
    int later = 0;
    auto s1 = hub.on_out_of_stock(
        [](const out_of_stock_event&) { throw std::runtime_error("listener broke"); });
    auto s2 = hub.on_out_of_stock([&](const out_of_stock_event&) { ++later; });
    EXPECT_NO_THROW(publish(hub, out_of_stock_event{}));
    EXPECT_EQ(handler_calls, 1);
    EXPECT_EQ(later, 1);
}

TEST(EventHub, SettingTheErrorHandlerReplacesThePreviousOne) {
    event_hub hub;
    recorded_errors first;
    recorded_errors second;
    first.install(hub);
    second.install(hub);
    auto s =
        hub.on_back_in_stock([](const back_in_stock_event&) { throw std::runtime_error("boom"); });
    publish(hub, back_in_stock_event{});
    EXPECT_TRUE(first.calls.empty());
    EXPECT_EQ(second.calls.size(), 1U);
}

// ---- subscriptions -------------------------------------------------------------------------

TEST(Subscription, ADefaultSubscriptionOwnsNothing) {
    subscription s;
    EXPECT_FALSE(s.is_connected());
    s.disconnect();
    EXPECT_FALSE(s.is_connected());
}

TEST(Subscription, DestroyingASubscriptionStopsDelivery) {
    event_hub hub;
    int calls = 0;
    {
        auto s = hub.on_product_created([&](const product_created_event&) { ++calls; });
        EXPECT_TRUE(s.is_connected());
        publish(hub, created(1));
    }
    publish(hub, created(2));
    EXPECT_EQ(calls, 1);
}

TEST(Subscription, DisconnectStopsDeliveryAndIsIdempotent) {
    event_hub hub;
    int calls = 0;
    auto s = hub.on_product_created([&](const product_created_event&) { ++calls; });
    publish(hub, created(1));
    s.disconnect();
    EXPECT_FALSE(s.is_connected());
    s.disconnect();
    EXPECT_FALSE(s.is_connected());
    publish(hub, created(2));
    EXPECT_EQ(calls, 1);
}

TEST(Subscription, DisconnectingAHookStopsItsVeto) {
    event_hub hub;
    auto s = hub.before_product_create(
        [](const before_product_create_event&) { throw std::runtime_error("no"); });
    EXPECT_THROW(run_hook(hub, before_create()), hook_rejected_error);
    s.disconnect();
    EXPECT_NO_THROW(run_hook(hub, before_create()));
}

TEST(Subscription, MovingTransfersTheListener) {
    event_hub hub;
    int calls = 0;
    auto a = hub.on_product_created([&](const product_created_event&) { ++calls; });
    subscription b(std::move(a));
    EXPECT_FALSE(a.is_connected());  // NOLINT(bugprone-use-after-move): documented empty state
    EXPECT_TRUE(b.is_connected());
    publish(hub, created(1));
    EXPECT_EQ(calls, 1);
    a.disconnect();  // the moved-from handle owns nothing: this must not cut b's listener
    publish(hub, created(2));
    EXPECT_EQ(calls, 2);
    {
        subscription c;
        c = std::move(b);
        EXPECT_TRUE(c.is_connected());
        publish(hub, created(3));
    }
    publish(hub, created(4));
    EXPECT_EQ(calls, 3);
}

TEST(Subscription, MoveAssigningOverAConnectedSubscriptionDisconnectsItsOldListener) {
    event_hub hub;
    int old_calls = 0;
    int new_calls = 0;
    auto s = hub.on_product_created([&](const product_created_event&) { ++old_calls; });
    s = hub.on_product_created([&](const product_created_event&) { ++new_calls; });
    publish(hub, created(1));
    EXPECT_EQ(old_calls, 0);
    EXPECT_EQ(new_calls, 1);
}

TEST(Subscription, AListenerMayDisconnectItselfWhileRunning) {
    event_hub hub;
    int calls = 0;
    subscription s;
    s = hub.on_product_created([&](const product_created_event&) {
        ++calls;
        s.disconnect();
    });
    publish(hub, created(1));
    publish(hub, created(2));
    EXPECT_EQ(calls, 1);
    EXPECT_FALSE(s.is_connected());
}

TEST(Subscription, ASubscriptionMayOutliveItsHub) {
    int calls = 0;
    subscription s;
    {
        event_hub hub;
        s = hub.on_product_created([&](const product_created_event&) { ++calls; });
        publish(hub, created(1));
    }
    EXPECT_FALSE(s.is_connected());
    s.disconnect();
    EXPECT_EQ(calls, 1);
}

TEST(EventHub, EmptyCallablesAreRefusedWithValidationError) {
    event_hub hub;
    EXPECT_THROW((void)hub.on_product_created(nullptr), validation_error);
    EXPECT_THROW((void)hub.on_stock_changed(std::function<void(const stock_changed_event&)>()),
                 validation_error);
    EXPECT_THROW((void)hub.before_product_create(nullptr), validation_error);
    EXPECT_THROW((void)hub.before_category_delete(nullptr, 3), validation_error);
    // Nothing half-registered remains.
    EXPECT_NO_THROW(publish(hub, created(1)));
    EXPECT_NO_THROW(run_hook(hub, before_create()));
}

// ---- threads -------------------------------------------------------------------------------

TEST(EventHub, SubscribingAndUnsubscribingWhileAnotherThreadPublishesIsSafe) {
    event_hub hub;
    std::atomic<std::int64_t> steady{0};
    std::atomic<std::int64_t> transient{0};
    auto keep = hub.on_stock_changed([&](const stock_changed_event&) { ++steady; });

    constexpr int publishes = 20000;
    constexpr int churns = 2000;
    std::atomic<bool> go{false};
    std::atomic<int> churned{0};

    std::thread publisher([&] {
        while (!go.load()) {
        }
        for (int i = 0; i < publishes; ++i) {
            publish(hub, stock_changed_event{});
            run_hook(hub, before_stock_change_event{});
        }
    });
    std::thread churner([&] {
        while (!go.load()) {
        }
        for (int i = 0; i < churns; ++i) {
            auto s = hub.on_stock_changed([&](const stock_changed_event&) { ++transient; }, i % 3);
            auto h = hub.before_stock_change([](const before_stock_change_event&) {}, i % 2);
            if (i % 2 == 0) s.disconnect();
            hub.set_error_handler([](const std::string&, const std::string&) {});
            ++churned;
        }
    });
    go = true;
    publisher.join();
    churner.join();

    EXPECT_EQ(churned.load(), churns);
    EXPECT_EQ(steady.load(), publishes);  // the steady listener never missed an event
    const std::int64_t transient_after_churn = transient.load();
    publish(hub, stock_changed_event{});
    EXPECT_EQ(transient.load(), transient_after_churn);  // every transient listener is gone
    EXPECT_EQ(steady.load(), publishes + 1);
}

TEST(EventHub, ConcurrentPublishersEachReachEveryListener) {
    event_hub hub;
    std::atomic<std::int64_t> a{0};
    std::atomic<std::int64_t> b{0};
    std::atomic<std::int64_t> failures{0};
    hub.set_error_handler([&](const std::string&, const std::string&) { ++failures; });
    auto s1 = hub.on_product_updated([&](const product_updated_event&) { ++a; });
    auto s2 = hub.on_product_updated([&](const product_updated_event&) {
        ++b;
        throw std::runtime_error("always");
    });
    constexpr int per_thread = 5000;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < per_thread; ++i) publish(hub, product_updated_event{});
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(a.load(), 4 * per_thread);
    EXPECT_EQ(b.load(), 4 * per_thread);
    EXPECT_EQ(failures.load(), 4 * per_thread);
}

}  // namespace
}  // namespace shopcore

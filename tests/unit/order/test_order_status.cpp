// The order status table of order_status.hpp, written out here once more so that a change to
// the library's table shows up as a failure: names both ways, every (from, to) pair, the next
// statuses in enum order, and which statuses leave the purchase information editable.

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <shopcore/order/order_service.hpp>
#include <shopcore/order/order_status.hpp>

namespace shopcore {
namespace {

using os = order_status;

// Every status, in the enum's order.
const std::vector<order_status> all_statuses = {
    os::pending_payment, os::paid,      os::processing, os::shipped,
    os::delivered,       os::cancelled, os::expired,    os::refunded,
};

// The table of order_status.hpp: every allowed move, and no other.
const std::set<std::pair<order_status, order_status>> allowed = {
    {os::pending_payment, os::paid},    {os::pending_payment, os::cancelled},
    {os::pending_payment, os::expired}, {os::paid, os::processing},
    {os::paid, os::cancelled},          {os::paid, os::refunded},
    {os::processing, os::shipped},      {os::processing, os::refunded},
    {os::shipped, os::delivered},       {os::shipped, os::refunded},
    {os::delivered, os::refunded},
};

std::string name_of(order_status s) { return order_status_name(s); }

TEST(OrderStatus, EveryStatusHasItsStableName) {
    const std::vector<std::pair<order_status, std::string>> names = {
        {os::pending_payment, "pending_payment"},
        {os::paid, "paid"},
        {os::processing, "processing"},
        {os::shipped, "shipped"},
        {os::delivered, "delivered"},
        {os::cancelled, "cancelled"},
        {os::expired, "expired"},
        {os::refunded, "refunded"},
    };
    ASSERT_EQ(names.size(), all_statuses.size());
    for (const auto& [status, name] : names) EXPECT_EQ(name_of(status), name);
}

TEST(OrderStatus, EveryNameReadsBackAsItsStatus) {
    for (const order_status s : all_statuses) {
        SCOPED_TRACE(name_of(s));
        EXPECT_EQ(order_status_from_name(name_of(s)), std::optional<order_status>(s));
    }
}

TEST(OrderStatus, AnUnknownNameIsNone) {
    for (const char* name :
         {"", "PAID", "Paid", " paid", "paid ", "pending", "canceled", "refund", "unknown"}) {
        SCOPED_TRACE(name);
        EXPECT_FALSE(order_status_from_name(name).has_value());
    }
}

TEST(OrderStatus, CanTransitionFollowsTheTableForEveryPair) {
    for (const order_status from : all_statuses) {
        for (const order_status to : all_statuses) {
            SCOPED_TRACE(name_of(from) + " -> " + name_of(to));
            EXPECT_EQ(can_transition(from, to), allowed.count({from, to}) == 1);
        }
    }
}

TEST(OrderStatus, NoStatusMovesToItself) {
    for (const order_status s : all_statuses) EXPECT_FALSE(can_transition(s, s)) << name_of(s);
}

TEST(OrderStatus, NextStatusesAreTheAllowedMovesInEnumOrder) {
    for (const order_status from : all_statuses) {
        SCOPED_TRACE(name_of(from));
        std::vector<order_status> expected;
        for (const order_status to : all_statuses) {
            if (allowed.count({from, to}) == 1) expected.push_back(to);
        }
        EXPECT_EQ(next_statuses(from), expected);
    }
    EXPECT_EQ(next_statuses(os::pending_payment),
              (std::vector<order_status>{os::paid, os::cancelled, os::expired}));
    EXPECT_EQ(next_statuses(os::paid),
              (std::vector<order_status>{os::processing, os::cancelled, os::refunded}));
}

TEST(OrderStatus, CancelledExpiredAndRefundedAreFinal) {
    for (const order_status s : {os::cancelled, os::expired, os::refunded}) {
        EXPECT_TRUE(next_statuses(s).empty()) << name_of(s);
    }
    for (const order_status s :
         {os::pending_payment, os::paid, os::processing, os::shipped, os::delivered}) {
        EXPECT_FALSE(next_statuses(s).empty()) << name_of(s);
    }
}

TEST(OrderStatus, PurchaseInformationIsEditableOnlyBeforeShipping) {
    const std::set<order_status> editable = {os::pending_payment, os::paid, os::processing};
    for (const order_status s : all_statuses) {
        EXPECT_EQ(is_editable(s), editable.count(s) == 1) << name_of(s);
    }
}

TEST(PaymentStatus, EveryStatusHasItsStableName) {
    EXPECT_EQ(std::string(payment_status_name(payment_status::started)), "started");
    EXPECT_EQ(std::string(payment_status_name(payment_status::paid)), "paid");
    EXPECT_EQ(std::string(payment_status_name(payment_status::failed)), "failed");
    EXPECT_EQ(std::string(payment_status_name(payment_status::refund_due)), "refund_due");
}

}  // namespace
}  // namespace shopcore

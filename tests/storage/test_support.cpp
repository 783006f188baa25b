// Support tickets on every backend: opening a ticket (limits, a reference to one's own order),
// every move of the status table in ticket.hpp, the thread and who wrote each message,
// assignment to support staff, who may reach a ticket, a customer's list and the admin queue
// (filters, order, pages), the events, every refusal with nothing written, and two people
// acting on one ticket at once.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <shopcore/events/events.hpp>
#include <shopcore/support/support_service.hpp>
#include <shopcore/support/ticket.hpp>

#include "cart_fixture.hpp"
#include "expect_rejected.hpp"

namespace shopcore::test {
namespace {

using ts = ticket_status;
using tp = ticket_priority;
using ids = std::vector<ticket_id>;

std::string named(ticket_status s) { return ticket_status_name(s); }

ids ids_of(const std::vector<ticket>& list) {
    ids out;
    for (const ticket& t : list) out.push_back(t.id);
    return out;
}

// `n` copies of `piece`.
std::string repeated(const std::string& piece, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += piece;
    return out;
}

// A shop with two customers (each with a default address, so that they can place orders), two
// support agents (manage_support only) and a clerk (manage_catalog only). Every ticket
// notification is recorded.
class support_test : public shop_test {
protected:
    void SetUp() override {
        shop_test::SetUp();
        alice = buyer("+15551000001", "Alice");
        bob = buyer("+15551000002", "Bob");
        agent = staff("+15550000021", permission::manage_support);
        agent2 = staff("+15550000022", permission::manage_support);
        clerk = staff("+15550000023", permission::manage_catalog);
        event_hub& hub = sh().events();
        subscriptions.push_back(hub.on_ticket_opened(keep(opened)));
        subscriptions.push_back(hub.on_ticket_replied(keep(replied)));
        subscriptions.push_back(hub.on_ticket_closed(keep(closed)));
    }

    // An order `who` placed for one unit of a new product.
    order_id order_of(const actor& who, const std::string& sku) {
        const product p = make_product(sku);
        (void)sh().carts().add_item(who, cart_ref{}, p.id, 1);
        checkout_request c;
        c.idempotency_key = "order-" + sku;
        return sh().orders().place_order(who, c).id;
    }

    support_service& support() { return sh().support(); }

    ticket open(const actor& who, const std::string& subject, tp priority = tp::normal,
                std::optional<order_id> about = std::nullopt) {
        new_ticket t;
        t.subject = subject;
        t.body = "About " + subject + ": please help.";
        t.priority = priority;
        t.order = about;
        return support().open_ticket(who, t);
    }

    // The ids of `who`'s tickets, read `limit` at a time.
    ids mine(const actor& who, std::int64_t limit = 2) {
        return ids_of(
            all_pages(limit, [&](const page_request& r) { return support().my_tickets(who, r); }));
    }

    // The ids of the admin queue under `f`, read `limit` at a time.
    ids queued(const ticket_filter& f, std::int64_t limit = 2, std::optional<actor> by = {}) {
        const actor who = by.value_or(agent);
        return ids_of(
            all_pages(limit, [&](const page_request& r) { return support().queue(who, f, r); }));
    }

    // Runs `call`, which must throw `Error`: nothing is written and no event fires.
    template <class Error, class F>
    std::optional<Error> refused(F&& call) {
        const auto counts = event_counts();
        auto e = expect_rejected<Error>(url, std::forward<F>(call));
        EXPECT_EQ(event_counts(), counts) << "a refused call fired an event";
        return e;
    }

    std::vector<std::size_t> event_counts() const {
        return {opened.size(), replied.size(), closed.size()};
    }

    actor alice;
    actor bob;
    actor agent;
    actor agent2;
    actor clerk;
    std::vector<ticket_opened_event> opened;
    std::vector<ticket_replied_event> replied;
    std::vector<ticket_closed_event> closed;
    std::vector<subscription> subscriptions;
};

class SupportTickets : public support_test {};
class SupportStatus : public support_test {};
class SupportAssignment : public support_test {};
class SupportAuthorization : public support_test {};
class SupportListing : public support_test {};
class SupportEvents : public support_test {};
class SupportConcurrency : public support_test {};

// ---- opening ----------------------------------------------------------------------------------

TEST_F(SupportTickets, OpeningATicketStartsItsThreadWithTheQuestion) {
    clock->advance_seconds(10);
    new_ticket n;
    n.subject = "The handle came off";
    n.body = "The mug's handle came off on the first day.\nWhat can I do?";
    n.priority = tp::high;
    const ticket t = support().open_ticket(alice, n);
    EXPECT_TRUE(t.id.is_valid());
    EXPECT_EQ(t.customer, alice.user());
    EXPECT_EQ(t.subject, n.subject);
    EXPECT_EQ(t.order, std::nullopt);
    EXPECT_EQ(t.priority, tp::high);
    EXPECT_EQ(named(t.status), "open");
    EXPECT_EQ(t.assignee, std::nullopt);
    EXPECT_EQ(t.opened_at, clock->now());
    EXPECT_EQ(t.updated_at, clock->now());
    EXPECT_EQ(t.closed_at, std::nullopt);
    ASSERT_EQ(t.messages.size(), 1u);
    EXPECT_EQ(t.messages[0].author, std::optional<user_id>(alice.user()));
    EXPECT_FALSE(t.messages[0].from_staff);
    EXPECT_EQ(t.messages[0].body, n.body);
    EXPECT_EQ(t.messages[0].at, clock->now());

    for (const actor& who : {alice, agent, admin}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        const ticket read = support().get(who, t.id);
        EXPECT_EQ(read.subject, t.subject);
        EXPECT_EQ(read.priority, tp::high);
        EXPECT_EQ(read.version, t.version);
        ASSERT_EQ(read.messages.size(), 1u);
        EXPECT_EQ(read.messages[0].body, n.body);
        EXPECT_EQ(read.messages[0].id, t.messages[0].id);
    }
    EXPECT_NE(open(alice, "Another one").id, t.id);
}

TEST_F(SupportTickets, SubjectAndBodyLimitsAreValidationErrors) {
    const auto bad = [&](const std::string& field, const new_ticket& n) {
        auto e = refused<validation_error>([&] { (void)support().open_ticket(alice, n); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), field);
    };
    new_ticket n;
    n.body = "Hello.";
    for (const std::string& subject : {std::string(), std::string(201, 's'),
                                       repeated("\xc3\xa9", 201), std::string("two\nlines")}) {
        SCOPED_TRACE(subject.size());
        n.subject = subject;
        bad("subject", n);
    }
    n.subject = "Hello";
    for (const std::string& body : {std::string(), std::string(10001, 'b')}) {
        SCOPED_TRACE(body.size());
        n.body = body;
        bad("body", n);
    }
    // The limits themselves are accepted; characters are counted, not bytes.
    n.subject = std::string(200, 's');
    n.body = std::string(10000, 'b');
    EXPECT_EQ(support().open_ticket(alice, n).subject, n.subject);
    n.subject = repeated("\xc3\xa9", 200);
    n.body = "b";
    EXPECT_EQ(support().open_ticket(alice, n).subject, n.subject);
    EXPECT_EQ(opened.size(), 2u);
}

TEST_F(SupportTickets, OpeningNeedsASignedInUser) {
    new_ticket n;
    n.subject = "Hello";
    n.body = "Anyone there?";
    refused<authentication_error>([&] { (void)support().open_ticket(visitor, n); });
}

TEST_F(SupportTickets, ATicketMayReferToOneOfTheCustomersOwnOrders) {
    const order_id alices = order_of(alice, "MUG");
    const order_id bobs = order_of(bob, "TEA");
    const ticket t = open(alice, "Where is my mug?", tp::normal, alices);
    EXPECT_EQ(t.order, std::optional<order_id>(alices));
    EXPECT_EQ(support().get(agent, t.id).order, std::optional<order_id>(alices));
    new_ticket n;
    n.subject = "Where is his tea?";
    n.body = "Curious.";
    for (const order_id other : {bobs, order_id(4242)}) {
        SCOPED_TRACE(other.value());
        n.order = other;
        refused<not_found_error>([&] { (void)support().open_ticket(alice, n); });
    }
}

// ---- status -----------------------------------------------------------------------------------

enum class step {
    customer_reply,
    staff_reply,
    customer_close,
    staff_close,
    customer_reopen,
    staff_reopen
};

const char* step_name(step m) {
    switch (m) {
        case step::customer_reply:
            return "customer replies";
        case step::staff_reply:
            return "staff replies";
        case step::customer_close:
            return "customer closes";
        case step::staff_close:
            return "staff closes";
        case step::customer_reopen:
            return "customer reopens";
        case step::staff_reopen:
            return "staff reopens";
    }
    return "?";
}

TEST_F(SupportStatus, EveryMoveFollowsTheStatusTable) {
    // A new ticket of Alice's in status `s`.
    const auto ticket_in = [&](ts s) {
        ticket t = open(alice, "Status " + named(s));
        if (s == ts::answered) t = support().reply(agent, t.id, "We are on it.");
        if (s == ts::closed || s == ts::reopened) t = support().close(alice, t.id);
        if (s == ts::reopened) t = support().reopen(alice, t.id);
        EXPECT_EQ(named(t.status), named(s)) << "could not set up the ticket";
        return t;
    };
    const auto make = [&](step m, ticket_id id) {
        switch (m) {
            case step::customer_reply:
                return support().reply(alice, id, "Any news?");
            case step::staff_reply:
                return support().reply(agent, id, "Here is news.");
            case step::customer_close:
                return support().close(alice, id);
            case step::staff_close:
                return support().close(agent, id);
            case step::customer_reopen:
                return support().reopen(alice, id);
            case step::staff_reopen:
                return support().reopen(agent, id);
        }
        throw std::logic_error("unknown move");
    };
    struct row {
        ts from;
        step m;
        std::optional<ts> to;  // none: invalid_state_error
    };
    const std::vector<row> table = {
        {ts::open, step::customer_reply, ts::open},
        {ts::open, step::staff_reply, ts::answered},
        {ts::open, step::customer_close, ts::closed},
        {ts::open, step::staff_close, ts::closed},
        {ts::open, step::customer_reopen, std::nullopt},
        {ts::open, step::staff_reopen, std::nullopt},
        {ts::answered, step::customer_reply, ts::open},
        {ts::answered, step::staff_reply, ts::answered},
        {ts::answered, step::customer_close, ts::closed},
        {ts::answered, step::staff_close, ts::closed},
        {ts::answered, step::customer_reopen, std::nullopt},
        {ts::answered, step::staff_reopen, std::nullopt},
        {ts::closed, step::customer_reply, std::nullopt},
        {ts::closed, step::staff_reply, std::nullopt},
        {ts::closed, step::customer_close, std::nullopt},
        {ts::closed, step::staff_close, std::nullopt},
        {ts::closed, step::customer_reopen, ts::reopened},
        {ts::closed, step::staff_reopen, ts::reopened},
        {ts::reopened, step::customer_reply, ts::reopened},
        {ts::reopened, step::staff_reply, ts::answered},
        {ts::reopened, step::customer_close, ts::closed},
        {ts::reopened, step::staff_close, ts::closed},
        {ts::reopened, step::customer_reopen, std::nullopt},
        {ts::reopened, step::staff_reopen, std::nullopt},
    };
    ASSERT_EQ(table.size(), 4u * 6u);
    for (const row& r : table) {
        SCOPED_TRACE(named(r.from) + ", " + step_name(r.m));
        const ticket t = ticket_in(r.from);
        clock->advance_seconds(60);
        if (r.to) {
            const ticket after = make(r.m, t.id);
            EXPECT_EQ(named(after.status), named(*r.to));
            EXPECT_EQ(after.version, t.version + 1);
            EXPECT_EQ(after.updated_at, clock->now());
            EXPECT_EQ(named(support().get(alice, t.id).status), named(*r.to));
        } else {
            refused<invalid_state_error>([&] { (void)make(r.m, t.id); });
            EXPECT_EQ(named(support().get(alice, t.id).status), named(r.from));
        }
    }
}

TEST_F(SupportStatus, ClosingRecordsWhenAndReopeningClearsIt) {
    const ticket t = open(alice, "Wrong colour");
    clock->advance_seconds(60);
    const ticket c = support().close(agent, t.id);
    EXPECT_EQ(c.closed_at, std::optional<timestamp>(clock->now()));
    EXPECT_EQ(c.messages.size(), 1u) << "closing adds no message";
    EXPECT_EQ(support().get(alice, t.id).closed_at, c.closed_at);

    clock->advance_seconds(60);
    const ticket r = support().reopen(alice, t.id, "It is still the wrong colour.");
    EXPECT_EQ(r.closed_at, std::nullopt);
    EXPECT_EQ(named(r.status), "reopened");
    ASSERT_EQ(r.messages.size(), 2u);
    EXPECT_EQ(r.messages[1].body, "It is still the wrong colour.");
    EXPECT_EQ(r.messages[1].author, std::optional<user_id>(alice.user()));
    EXPECT_FALSE(r.messages[1].from_staff);
    EXPECT_EQ(r.messages[1].at, clock->now());

    (void)support().close(alice, t.id);
    const ticket quiet = support().reopen(agent, t.id);
    EXPECT_EQ(quiet.messages.size(), 2u) << "reopening without a message adds none";
    (void)support().close(alice, t.id);
    const ticket staffed = support().reopen(agent, t.id, "Reopened: we found your parcel.");
    ASSERT_EQ(staffed.messages.size(), 3u);
    EXPECT_TRUE(staffed.messages[2].from_staff);
    EXPECT_EQ(staffed.messages[2].author, std::optional<user_id>(agent.user()));
}

TEST_F(SupportStatus, TheThreadKeepsMessagesOldestFirstWithWhoWroteThem) {
    const ticket t = open(alice, "Refund");
    clock->advance_seconds(60);
    (void)support().reply(agent, t.id, "Which order?");
    clock->advance_seconds(60);
    (void)support().reply(alice, t.id, "The one from Monday.");
    clock->advance_seconds(60);
    (void)support().reply(alice, t.id, "Sorry, Tuesday.");
    clock->advance_seconds(60);
    const ticket last = support().reply(admin, t.id, "Refunded.");
    for (const ticket& read : {last, support().get(alice, t.id), support().get(agent2, t.id)}) {
        ASSERT_EQ(read.messages.size(), 5u);
        std::vector<std::string> bodies;
        std::vector<bool> staff_flags;
        std::vector<std::optional<user_id>> authors;
        for (std::size_t i = 0; i < read.messages.size(); ++i) {
            const ticket_message& m = read.messages[i];
            bodies.push_back(m.body);
            staff_flags.push_back(m.from_staff);
            authors.push_back(m.author);
            EXPECT_EQ(m.at, t.opened_at.plus_seconds(60 * static_cast<std::int64_t>(i)));
            if (i > 0) {
                EXPECT_GT(m.id, read.messages[i - 1].id);
            }
        }
        EXPECT_EQ(bodies, (std::vector<std::string>{t.messages[0].body, "Which order?",
                                                    "The one from Monday.", "Sorry, Tuesday.",
                                                    "Refunded."}));
        EXPECT_EQ(staff_flags, (std::vector<bool>{false, true, false, false, true}));
        EXPECT_EQ(authors,
                  (std::vector<std::optional<user_id>>{alice.user(), agent.user(), alice.user(),
                                                       alice.user(), admin.user()}));
        EXPECT_EQ(read.updated_at, clock->now());
        EXPECT_EQ(read.opened_at, t.opened_at);
    }
}

TEST_F(SupportStatus, ABadReplyIsRefusedWritingNothing) {
    const ticket t = open(alice, "Hello");
    for (const actor& who : {alice, agent}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        for (const std::string& body : {std::string(), std::string(10001, 'b')}) {
            SCOPED_TRACE(body.size());
            auto e = refused<validation_error>([&] { (void)support().reply(who, t.id, body); });
            ASSERT_TRUE(e.has_value());
            EXPECT_EQ(e->field(), "body");
        }
    }
    EXPECT_EQ(support().reply(agent, t.id, std::string(10000, 'b')).messages.size(), 2u);
}

// ---- assignment -------------------------------------------------------------------------------

TEST_F(SupportAssignment, ATicketIsAssignedToASupportAdminAndUnassigned) {
    const ticket t = open(alice, "Damaged parcel");
    clock->advance_seconds(60);
    const ticket a = support().assign(agent, t.id, agent2.user());
    EXPECT_EQ(a.assignee, std::optional<user_id>(agent2.user()));
    EXPECT_EQ(a.version, t.version + 1);
    EXPECT_EQ(named(a.status), "open") << "assigning does not answer";
    EXPECT_EQ(support().get(alice, t.id).assignee, std::optional<user_id>(agent2.user()));
    // A super admin holds manage_support.
    EXPECT_EQ(support().assign(agent2, t.id, admin.user()).assignee,
              std::optional<user_id>(admin.user()));
    const ticket none = support().assign(admin, t.id, std::nullopt);
    EXPECT_EQ(none.assignee, std::nullopt);
    EXPECT_EQ(support().get(agent, t.id).assignee, std::nullopt);
}

TEST_F(SupportAssignment, OnlyActiveAdminsHoldingManageSupportCanBeAssigned) {
    const ticket t = open(alice, "Damaged parcel");
    const actor off_duty = staff("+15550000024", permission::manage_support);
    (void)accounts().set_active(admin, off_duty.user(), false);
    for (const user_id who :
         {bob.user(), alice.user(), clerk.user(), off_duty.user(), user_id(4242)}) {
        SCOPED_TRACE(who.value());
        auto e = refused<validation_error>([&] { (void)support().assign(agent, t.id, who); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), "assignee");
    }
    EXPECT_EQ(support().get(agent, t.id).assignee, std::nullopt);
}

TEST_F(SupportAssignment, OnlySupportAdminsAssign) {
    const ticket t = open(alice, "Damaged parcel");
    for (const actor& who : {alice, clerk}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        refused<permission_denied_error>([&] { (void)support().assign(who, t.id, agent.user()); });
    }
    refused<not_found_error>([&] { (void)support().assign(agent, ticket_id(4242), agent.user()); });
}

// ---- authorization ----------------------------------------------------------------------------

TEST_F(SupportAuthorization, ACustomerCannotReachAnotherCustomersTicket) {
    const ticket t = open(alice, "Private matter");
    const ticket shut = support().close(alice, open(alice, "Done").id);
    EXPECT_THROW((void)support().get(bob, t.id), not_found_error);
    refused<not_found_error>([&] { (void)support().reply(bob, t.id, "Me too!"); });
    refused<not_found_error>([&] { (void)support().close(bob, t.id); });
    refused<not_found_error>([&] { (void)support().reopen(bob, shut.id); });
    refused<not_found_error>([&] { (void)support().reopen(bob, shut.id, "Let me in"); });
    EXPECT_TRUE(mine(bob).empty());
    EXPECT_EQ(mine(alice), (ids{shut.id, t.id}));
}

TEST_F(SupportAuthorization, AdminsWithoutManageSupportAreDenied) {
    const ticket t = open(alice, "Private matter");
    const ticket shut = support().close(alice, open(alice, "Done").id);
    EXPECT_THROW((void)support().get(clerk, t.id), permission_denied_error);
    refused<permission_denied_error>([&] { (void)support().reply(clerk, t.id, "Hi"); });
    refused<permission_denied_error>([&] { (void)support().close(clerk, t.id); });
    refused<permission_denied_error>([&] { (void)support().reopen(clerk, shut.id); });
    EXPECT_THROW((void)support().queue(clerk, {}, {}), permission_denied_error);
    EXPECT_THROW((void)support().queue(alice, {}, {}), permission_denied_error);
}

TEST_F(SupportAuthorization, AnUnknownTicketIsNotFound) {
    for (const actor& who : {alice, agent}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        EXPECT_THROW((void)support().get(who, ticket_id(4242)), not_found_error);
        refused<not_found_error>([&] { (void)support().reply(who, ticket_id(4242), "Hello?"); });
        refused<not_found_error>([&] { (void)support().close(who, ticket_id(4242)); });
        refused<not_found_error>([&] { (void)support().reopen(who, ticket_id(4242)); });
    }
}

// ---- listing ----------------------------------------------------------------------------------

TEST_F(SupportListing, MyTicketsListsOnesOwnMostRecentlyUpdatedFirst) {
    ids alices;
    ticket_id bobs;
    for (int i = 0; i < 4; ++i) {
        clock->advance_seconds(60);
        alices.push_back(open(alice, "Question " + std::to_string(i)).id);
        if (i == 1) bobs = open(bob, "Bob's question").id;
    }
    clock->advance_seconds(60);
    (void)support().reply(agent, alices[1], "An answer.");
    clock->advance_seconds(60);
    (void)support().close(alice, alices[0]);
    const ids expected = {alices[0], alices[1], alices[3], alices[2]};
    for (const std::int64_t limit : {1, 2, 3, 100}) {
        SCOPED_TRACE(limit);
        EXPECT_EQ(mine(alice, limit), expected);
    }
    // Threads included.
    const auto first = support().my_tickets(alice, page_request{2, ""});
    ASSERT_EQ(first.items.size(), 2u);
    EXPECT_EQ(first.items[1].messages.size(), 2u);
    EXPECT_TRUE(first.items[1].messages[1].from_staff);
    EXPECT_EQ(mine(bob), ids{bobs});
    EXPECT_TRUE(mine(buyer("+15551000003", "Carol")).empty());
    EXPECT_THROW((void)support().my_tickets(visitor, {}), authentication_error);
}

TEST_F(SupportListing, TheQueueSortsUrgentFirstThenOldestUpdateAndFilters) {
    const auto at = [&](const std::function<ticket_id()>& f) {
        clock->advance_seconds(60);
        return f();
    };
    const ticket_id t1 = at([&] { return open(alice, "t1", tp::normal).id; });
    const ticket_id t2 = at([&] { return open(bob, "t2", tp::urgent).id; });
    const ticket_id t3 = at([&] { return open(alice, "t3", tp::low).id; });
    const ticket_id t4 = at([&] { return open(bob, "t4", tp::urgent).id; });
    const ticket_id t5 = at([&] { return open(alice, "t5", tp::high).id; });
    const ticket_id t6 = at([&] { return open(bob, "t6", tp::normal).id; });
    (void)at([&] { return support().reply(agent, t2, "Looking into it.").id; });  // t2 behind t4
    (void)at([&] { return support().close(alice, t3).id; });
    (void)at([&] { return support().assign(agent, t1, agent.user()).id; });
    (void)at([&] { return support().assign(agent, t6, agent.user()).id; });
    (void)at([&] { return support().assign(agent, t5, agent2.user()).id; });

    const ids everything = {t4, t2, t5, t1, t6, t3};
    for (const std::int64_t limit : {1, 2, 4, 100}) {
        SCOPED_TRACE(limit);
        EXPECT_EQ(queued({}, limit), everything);
    }
    EXPECT_EQ(queued({}, 2, admin), everything);

    ticket_filter f;
    f.status = ts::open;
    EXPECT_EQ(queued(f), (ids{t4, t5, t1, t6}));
    f.status = ts::answered;
    EXPECT_EQ(queued(f), ids{t2});
    f.status = ts::closed;
    EXPECT_EQ(queued(f), ids{t3});
    f.status = ts::reopened;
    EXPECT_TRUE(queued(f).empty());

    f = {};
    f.priority = tp::urgent;
    EXPECT_EQ(queued(f), (ids{t4, t2}));
    f.priority = tp::normal;
    EXPECT_EQ(queued(f), (ids{t1, t6}));
    f.priority = tp::high;
    EXPECT_EQ(queued(f), ids{t5});
    f.priority = tp::low;
    EXPECT_EQ(queued(f), ids{t3});

    f = {};
    f.assignee = agent.user();
    EXPECT_EQ(queued(f), (ids{t1, t6}));
    f.assignee = agent2.user();
    EXPECT_EQ(queued(f), ids{t5});
    f.assignee = admin.user();
    EXPECT_TRUE(queued(f).empty());

    f = {};
    f.unassigned_only = true;
    EXPECT_EQ(queued(f), (ids{t4, t2, t3}));
    f.status = ts::open;
    EXPECT_EQ(queued(f), ids{t4});

    f = {};
    f.priority = tp::normal;
    f.assignee = agent.user();
    f.status = ts::open;
    EXPECT_EQ(queued(f, 1), (ids{t1, t6}));
}

TEST_F(SupportListing, BadPageRequestsAreValidationErrors) {
    (void)open(alice, "One");
    (void)open(alice, "Two");
    for (const page_request& r : {page_request{0, ""}, page_request{1, "garbage"}}) {
        SCOPED_TRACE(r.limit);
        const std::string field = r.limit < 1 ? "limit" : "token";
        auto e = catch_expected<validation_error>([&] { (void)support().my_tickets(alice, r); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), field);
        e = catch_expected<validation_error>([&] { (void)support().queue(agent, {}, r); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), field);
    }
}

// ---- events -----------------------------------------------------------------------------------

TEST_F(SupportEvents, OpenedRepliedAndClosedFireAfterCommitNamingTheCustomer) {
    std::vector<std::string> seen_committed;  // the status a separate read saw
    auto probe = sh().events().on_ticket_closed([&](const ticket_closed_event& e) {
        seen_committed.push_back(named(support().get(agent, e.ticket).status));
    });
    clock->advance_seconds(10);
    const ticket t = open(alice, "Broken lid", tp::urgent);
    ASSERT_EQ(opened.size(), 1u);
    EXPECT_EQ(opened[0].ticket, t.id);
    EXPECT_EQ(opened[0].customer, alice.user());
    EXPECT_EQ(opened[0].subject, "Broken lid");
    EXPECT_EQ(opened[0].priority, tp::urgent);
    EXPECT_EQ(opened[0].at, clock->now());

    clock->advance_seconds(10);
    (void)support().reply(agent, t.id, "Sending a new one.");
    clock->advance_seconds(10);
    (void)support().reply(alice, t.id, "Thanks!");
    ASSERT_EQ(replied.size(), 2u);
    EXPECT_EQ(replied[0].by, agent);
    EXPECT_EQ(replied[0].ticket, t.id);
    EXPECT_EQ(replied[0].customer, alice.user());
    EXPECT_TRUE(replied[0].from_staff);
    EXPECT_EQ(replied[0].at, clock->now().plus_seconds(-10));
    EXPECT_EQ(replied[1].by, alice);
    EXPECT_EQ(replied[1].customer, alice.user());
    EXPECT_FALSE(replied[1].from_staff);
    EXPECT_EQ(replied[1].at, clock->now());

    clock->advance_seconds(10);
    (void)support().close(agent, t.id);
    ASSERT_EQ(closed.size(), 1u);
    EXPECT_EQ(closed[0].by, agent);
    EXPECT_EQ(closed[0].ticket, t.id);
    EXPECT_EQ(closed[0].customer, alice.user());
    EXPECT_EQ(closed[0].at, clock->now());
    EXPECT_EQ(seen_committed, std::vector<std::string>{"closed"}) << "fired before commit";

    // Bob's ticket names Bob, whoever acts on it.
    const ticket b = open(bob, "Bob's lid");
    (void)support().reply(admin, b.id, "On it.");
    (void)support().close(admin, b.id);
    ASSERT_EQ(opened.size(), 2u);
    EXPECT_EQ(opened[1].customer, bob.user());
    ASSERT_EQ(replied.size(), 3u);
    EXPECT_EQ(replied[2].customer, bob.user());
    EXPECT_EQ(replied[2].by, admin);
    ASSERT_EQ(closed.size(), 2u);
    EXPECT_EQ(closed[1].customer, bob.user());
    // Assigning is no message.
    (void)support().assign(agent, t.id, agent.user());
    EXPECT_EQ(event_counts(), (std::vector<std::size_t>{2, 3, 2}));
}

// ---- concurrency ------------------------------------------------------------------------------

// Replies and closing take no version: two people acting on a ticket at once both succeed, in
// some order, rather than one of them getting a conflict.
TEST_F(SupportConcurrency, ACustomerAndStaffReplyingAtOnceBothLand) {
    for (int round = 0; round < 5; ++round) {
        SCOPED_TRACE(round);
        const ticket t = open(alice, "Race " + std::to_string(round));
        std::atomic<int> next{0};
        const auto results = race(2, [&] {
            const bool staff_side = next++ == 1;
            try {
                (void)support().reply(staff_side ? agent : alice, t.id,
                                      staff_side ? "From the shop" : "From Alice");
                return std::string("ok");
            } catch (const std::exception& e) {
                return std::string("error: ") + e.what();
            }
        });
        EXPECT_EQ(results, (std::vector<std::string>{"ok", "ok"}));
        const ticket after = support().get(agent, t.id);
        EXPECT_EQ(after.messages.size(), 3u);
        EXPECT_EQ(after.version, t.version + 2);
    }
    EXPECT_EQ(replied.size(), 10u);
}

TEST_F(SupportConcurrency, ClosingTwiceAtOnceClosesOnceAndRefusesTheOther) {
    for (int round = 0; round < 5; ++round) {
        SCOPED_TRACE(round);
        const ticket t = open(alice, "Race " + std::to_string(round));
        std::atomic<int> next{0};
        auto results = race(2, [&] {
            const actor who = next++ == 0 ? alice : agent;
            try {
                (void)support().close(who, t.id);
                return std::string("closed");
            } catch (const invalid_state_error&) {
                return std::string("invalid_state");
            } catch (const std::exception& e) {
                return std::string("error: ") + e.what();
            }
        });
        std::sort(results.begin(), results.end());
        EXPECT_EQ(results, (std::vector<std::string>{"closed", "invalid_state"}));
        EXPECT_EQ(named(support().get(alice, t.id).status), "closed");
    }
    EXPECT_EQ(closed.size(), 5u);
}

}  // namespace
}  // namespace shopcore::test

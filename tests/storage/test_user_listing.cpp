// The admin user listing: each of the four sorts in both directions with the id tie-break,
// the filters, and keyset pagination, on every backend.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixture.hpp"

namespace shopcore::test {
namespace {

class UserListing : public shop_test {
protected:
    void SetUp() override {
        shop_test::SetUp();
        a = add("+15551000003", "Zed", "Alpha");
        b = add("+15551000001", "Amy", "Brown");
        c = add("+15551000002", "Bob", "Brown");
        (void)accounts().set_active(admin, c, false);
        registration r;
        r.phone = "+15551000004";
        r.first_name = "Cat";
        r.last_name = "Crane";
        d = accounts().create_admin(admin, r, {permission::manage_support}).user.id;
        boss = admin.user();
    }

    user_id add(const std::string& phone, const std::string& first, const std::string& last) {
        registration r;
        r.phone = phone;
        r.first_name = first;
        r.last_name = last;
        return accounts().register_user(actor::anonymous(), r).user.id;
    }

    // Every page of `q`, `limit` users at a time.
    std::vector<user_id> all(const user_query& q, std::int64_t limit = 2) {
        std::vector<user_id> out;
        page_request req;
        req.limit = limit;
        for (int pages = 0; pages < 20; ++pages) {
            auto page = accounts().list_users(admin, q, req);
            EXPECT_LE(static_cast<std::int64_t>(page.items.size()), limit);
            for (const auto& u : page.items) out.push_back(u.id);
            if (!page.has_more()) return out;
            req.token = page.next_token;
        }
        ADD_FAILURE() << "pagination did not end";
        return out;
    }

    user_query sorted(user_sort sort, bool descending) {
        user_query q;
        q.sort = sort;
        q.descending = descending;
        return q;
    }

    user_id a, b, c, d, boss;
};

TEST_F(UserListing, SortsByPhone) {
    EXPECT_EQ(all(sorted(user_sort::phone, false)), (std::vector<user_id>{boss, b, c, a, d}));
    EXPECT_EQ(all(sorted(user_sort::phone, true)), (std::vector<user_id>{d, a, c, b, boss}));
}

TEST_F(UserListing, SortsByLastThenFirstName) {
    // "admin ada", "alpha zed", "brown amy", "brown bob", "crane cat"
    EXPECT_EQ(all(sorted(user_sort::name, false)), (std::vector<user_id>{boss, a, b, c, d}));
    EXPECT_EQ(all(sorted(user_sort::name, true)), (std::vector<user_id>{d, c, b, a, boss}));
}

TEST_F(UserListing, SortsByActiveWithTheIdTieBreakInTheSameDirection) {
    EXPECT_EQ(all(sorted(user_sort::active, false)), (std::vector<user_id>{c, boss, a, b, d}));
    EXPECT_EQ(all(sorted(user_sort::active, true)), (std::vector<user_id>{d, b, a, boss, c}));
}

TEST_F(UserListing, SortsByAdminFlagWithTheIdTieBreakInTheSameDirection) {
    EXPECT_EQ(all(sorted(user_sort::admin, false)), (std::vector<user_id>{a, b, c, boss, d}));
    EXPECT_EQ(all(sorted(user_sort::admin, true)), (std::vector<user_id>{d, boss, c, b, a}));
}

TEST_F(UserListing, FiltersByRoleActiveAndText) {
    user_query q;
    q.role = role::admin;
    EXPECT_EQ(all(q), (std::vector<user_id>{boss, d}));
    q = user_query();
    q.active = false;
    EXPECT_EQ(all(q), (std::vector<user_id>{c}));
    q = user_query();
    q.text = "BROWN";  // names match case-insensitively (ASCII)
    EXPECT_EQ(all(q), (std::vector<user_id>{b, c}));
    q.text = "555100000";  // a piece of the phone number
    EXPECT_EQ(all(q), (std::vector<user_id>{b, c, a, d}));
}

TEST_F(UserListing, ListsShowRoleRightsJoinDateAndLastLogin) {
    registration r;
    r.phone = "+15551000009";
    r.password = std::string("plum orchard lantern");
    const user_id e = accounts().register_user(actor::anonymous(), r).user.id;
    clock->advance_seconds(90);
    (void)accounts().login("+15551000009", "plum orchard lantern");
    user_query q;
    q.text = "1000009";
    const auto page = accounts().list_users(admin, q);
    ASSERT_EQ(page.items.size(), 1U);
    const user& listed = page.items.front();
    EXPECT_EQ(listed.id, e);
    EXPECT_EQ(listed.role, role::customer);
    EXPECT_EQ(listed.joined_at, clock->now().plus_seconds(-90));
    ASSERT_TRUE(listed.last_login_at.has_value());
    EXPECT_EQ(*listed.last_login_at, clock->now());
    const user staff = accounts().user_by_id(admin, d);
    EXPECT_EQ(staff.role, role::admin);
    EXPECT_EQ(staff.permissions, (std::vector<permission>{permission::manage_support}));
}

TEST_F(UserListing, DeletedUsersAreLeftOutUnlessAsked) {
    accounts().delete_account(admin, b);
    EXPECT_EQ(all(sorted(user_sort::phone, false)), (std::vector<user_id>{boss, c, a, d}));
    user_query q = sorted(user_sort::name, false);
    q.include_deleted = true;
    EXPECT_EQ(all(q).size(), 5U);
}

TEST_F(UserListing, ATokenOnlyWorksWithItsOwnQuery) {
    page_request req;
    req.limit = 2;
    const auto first = accounts().list_users(admin, sorted(user_sort::phone, false), req);
    ASSERT_TRUE(first.has_more());
    req.token = first.next_token;
    EXPECT_THROW((void)accounts().list_users(admin, sorted(user_sort::name, false), req),
                 validation_error);
    req.token = first.next_token.substr(0, first.next_token.size() - 2) + "zz";
    EXPECT_THROW((void)accounts().list_users(admin, sorted(user_sort::phone, false), req),
                 validation_error);
}

}  // namespace
}  // namespace shopcore::test

namespace shopcore::test {
namespace {

using AdminRights = shop_test;

TEST_F(AdminRights, ACallThatChangesNothingWritesNothingAndKeepsSessions) {
    registration r;
    r.phone = "+15551000020";
    r.password = std::string("quiet maple orchard");
    const user u = accounts().register_user(actor::anonymous(), r).user;
    const auto session = accounts().login("+15551000020", "quiet maple orchard");
    int updates = 0;
    auto sub = sh().events().on_user_updated([&](const user_updated_event&) { ++updates; });
    const auto before = snapshot(url);
    EXPECT_EQ(accounts().set_role(admin, u.id, role::customer).version, u.version);
    EXPECT_EQ(accounts().set_active(admin, u.id, true).version, u.version);
    EXPECT_EQ(snapshot(url), before);
    EXPECT_EQ(updates, 0);
    EXPECT_NO_THROW((void)accounts().authenticate(session.token));
}

}  // namespace
}  // namespace shopcore::test

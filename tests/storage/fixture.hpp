#ifndef SHOPCORE_TESTS_STORAGE_FIXTURE_HPP
#define SHOPCORE_TESTS_STORAGE_FIXTURE_HPP

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/shop.hpp>

#include "backend.hpp"

namespace shopcore::test {

/// Every item of a keyset-paginated listing, `limit` at a time: `fetch(request)` returns one
/// page. Checks that no page is larger than asked and that the pages end.
template <class Fetch>
auto all_pages(std::int64_t limit, Fetch fetch) {
    decltype(fetch(page_request()).items) out;
    page_request r;
    r.limit = limit;
    for (int pages = 0; pages < 1000; ++pages) {
        auto pg = fetch(r);
        EXPECT_LE(static_cast<std::int64_t>(pg.items.size()), limit);
        out.insert(out.end(), pg.items.begin(), pg.items.end());
        if (!pg.has_more()) return out;
        r.token = pg.next_token;
    }
    ADD_FAILURE() << "pagination did not end";
    return out;
}

/// A fresh shop on the backend under test, with a fake clock.
class shop_test : public ::testing::Test {
protected:
    void SetUp() override { open_shop(); }

    /// Opens a shop on a fresh database (closing the one open before) with the fixture's
    /// options as changed by `customize`, and creates the super admin. SetUp() opens it
    /// unchanged (USD, default carts, no shipping methods, no tax); a test that needs other
    /// cart settings, shipping methods, tax or currency opens it again first. The fake clock is
    /// kept.
    void open_shop(const std::function<void(shop_options&)>& customize = {}) {
        s.reset();
        url = fresh_url();
        if (!clock) clock = std::make_shared<fake_clock>(timestamp::from_seconds(1'800'000'000));
        shop_options o;
        o.currency = "USD";
        o.synchronous = sqlite_synchronous::normal;
        o.time_source = clock;
        o.accounts.cost = password_cost::testing_only_insecure;
        if (customize) customize(o);
        s.emplace(shop::open(url, o));
        // A real super admin: admin rights are checked against the database.
        registration r;
        r.phone = "+15550000001";
        r.first_name = "Ada";
        r.last_name = "Admin";
        r.password = std::string("correct horse battery staple");
        admin = actor::admin(
            s->accounts().create_admin(actor::system(), r, {permission::super_admin}).user.id);
    }

    /// An admin holding only `p`.
    actor staff(const std::string& phone, permission p) {
        registration r;
        r.phone = phone;
        r.password = std::string("a clerk's long passphrase");
        return actor::admin(accounts().create_admin(admin, r, {p}).user.id);
    }

    /// A customer named "<first> Smith" with an e-mail and one (default) address in California.
    actor buyer(const std::string& phone, const std::string& first) {
        registration r;
        r.phone = phone;
        r.email = "buyer" + phone.substr(1) + "@example.com";
        r.first_name = first;
        r.last_name = "Smith";
        r.password = std::string("correct horse battery staple");
        const actor who = actor::customer(accounts().register_user(visitor, r).user.id);
        address home;
        home.label = "home";
        home.recipient_name = first + " at home";
        home.line1 = "1 Market Street";
        home.line2 = "Suite 5";
        home.city = "San Francisco";
        home.province = "CA";
        home.postal_code = "94105";
        home.country = "US";
        home.is_default = true;
        profile_update u;
        u.addresses = std::vector<address>{home};
        (void)accounts().update_profile(who, u);
        return who;
    }

    shop& sh() { return *s; }
    catalog_service& catalog() { return s->catalog(); }
    inventory_service& inventory() { return s->inventory(); }
    account_service& accounts() { return s->accounts(); }

    money usd(const char* text) { return money::parse(text, currency::of("USD")); }
    /// An amount in the shop's currency ("40000" in an IRR shop).
    money cash(const char* text) { return money::parse(text, s->shop_currency()); }

    product make_product(const std::string& sku, const char* price = "10.00",
                         std::int64_t stock = 10, std::optional<category_id> cat = {}) {
        new_product p;
        p.sku = sku;
        p.name = "Product " + sku;
        p.price = cash(price);
        p.weight = weight::of_grams(250);
        p.initial_stock = stock;
        p.category = cat;
        return catalog().create_product(admin, p);
    }

    category make_category(const std::string& name, std::optional<category_id> parent = {}) {
        new_category c;
        c.name = name;
        c.parent = parent;
        return catalog().create_category(admin, c);
    }

    /// A listener that appends each event to `into` (notifications may come from other
    /// threads in the concurrency tests).
    template <class Event>
    std::function<void(const Event&)> keep(std::vector<Event>& into) {
        return [this, &into](const Event& e) {
            const std::lock_guard<std::mutex> lock(events_mutex);
            into.push_back(e);
        };
    }

    std::string url;
    std::shared_ptr<fake_clock> clock;
    std::optional<shop> s;
    std::mutex events_mutex;  ///< Guards what keep() appends to.
    actor admin;              ///< A super admin created in SetUp.
    actor customer = actor::customer(user_id(2));
    actor visitor = actor::anonymous();
};

}  // namespace shopcore::test

#endif  // SHOPCORE_TESTS_STORAGE_FIXTURE_HPP

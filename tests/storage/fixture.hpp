#ifndef SHOPCORE_TESTS_STORAGE_FIXTURE_HPP
#define SHOPCORE_TESTS_STORAGE_FIXTURE_HPP

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include <shopcore/shop.hpp>

#include "backend.hpp"

namespace shopcore::test {

/// A fresh shop on the backend under test, with a fake clock.
class shop_test : public ::testing::Test {
protected:
    void SetUp() override {
        url = fresh_url();
        clock = std::make_shared<fake_clock>(timestamp::from_seconds(1'800'000'000));
        shop_options o;
        o.currency = "USD";
        o.synchronous = sqlite_synchronous::normal;
        o.time_source = clock;
        s.emplace(shop::open(url, o));
    }

    shop& sh() { return *s; }
    catalog_service& catalog() { return s->catalog(); }
    inventory_service& inventory() { return s->inventory(); }

    money usd(const char* text) { return money::parse(text, currency::of("USD")); }

    product make_product(const std::string& sku, const char* price = "10.00",
                         std::int64_t stock = 10, std::optional<category_id> cat = {}) {
        new_product p;
        p.sku = sku;
        p.name = "Product " + sku;
        p.price = usd(price);
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

    std::string url;
    std::shared_ptr<fake_clock> clock;
    std::optional<shop> s;
    actor admin = actor::admin(user_id(1));
    actor customer = actor::customer(user_id(2));
    actor visitor = actor::anonymous();
};

}  // namespace shopcore::test

#endif  // SHOPCORE_TESTS_STORAGE_FIXTURE_HPP

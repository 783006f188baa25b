#ifndef SHOPCORE_TESTS_STORAGE_CART_FIXTURE_HPP
#define SHOPCORE_TESTS_STORAGE_CART_FIXTURE_HPP

// What the cart and discount-code suites share: signed-up customers, products of a given
// weight, the original shop's IRR shipping rule, and discount codes made by an admin.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <latch>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "fixture.hpp"

namespace shopcore::test {

/// Runs `calls` threads that start together; each returns what `call` returns.
inline std::vector<std::string> race(int calls, const std::function<std::string()>& call) {
    std::latch start(calls);
    std::vector<std::string> results(static_cast<std::size_t>(calls));
    std::vector<std::thread> threads;
    for (int i = 0; i < calls; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            results[static_cast<std::size_t>(i)] = call();
        });
    }
    for (auto& t : threads) t.join();
    return results;
}

/// "ok", a refused code's reason, or "error: " and what stopped `call`.
inline std::string outcome(const std::function<void()>& call) {
    try {
        call();
        return "ok";
    } catch (const discount_rejected_error& e) {
        return e.reason();
    } catch (const std::exception& e) {
        return std::string("error: ") + e.what();
    }
}

/// A shop_test with helpers for carts and codes.
class cart_test : public shop_test {
protected:
    /// A registered customer (a real user row: carts and code uses refer to it).
    actor sign_up(const std::string& phone) {
        registration r;
        r.phone = phone;
        r.password = std::string("correct horse battery staple");
        return actor::customer(accounts().register_user(visitor, r).user.id);
    }

    /// The original shop's rule: up to 999 g 20,000 IRR; up to 1,999 g 40,000 IRR; Iran only.
    static shipping_method irr_post() {
        const currency irr = currency::of("IRR");
        shipping_method post;
        post.code = "post";
        post.name = "Iran Post";
        post.zones = {shipping_zone{"IR", ""}};
        post.bands = {weight_band{weight::of_grams(999), money::parse("20000", irr)},
                      weight_band{weight::of_grams(1999), money::parse("40000", irr)}};
        return post;
    }

    /// Reopens the shop in IRR with the IRR shipping rule.
    void open_irr_shop() {
        open_shop([](shop_options& o) {
            o.currency = "IRR";
            o.shipping_methods = {irr_post()};
        });
    }

    /// A product of `grams` per unit.
    product make_weighed(const std::string& sku, const char* price, std::int64_t grams,
                         std::int64_t stock = 100) {
        new_product p;
        p.sku = sku;
        p.name = "Product " + sku;
        p.price = cash(price);
        p.weight = weight::of_grams(grams);
        p.initial_stock = stock;
        return catalog().create_product(admin, p);
    }

    /// A percentage code on the whole order.
    static new_discount_code percent_off(const std::string& code, std::int64_t whole_percent) {
        new_discount_code d;
        d.code = code;
        d.description = "Take " + std::to_string(whole_percent) + "% off";
        d.kind = discount_kind::percentage;
        d.percent = ratio::percent(whole_percent);
        return d;
    }

    /// Creates `d` as the admin.
    discount_code create_code(const new_discount_code& d) {
        return sh().discounts().create(admin, d);
    }

    cart_service& carts() { return sh().carts(); }
    discount_service& discounts() { return sh().discounts(); }

    /// The acting user's own cart.
    static cart_ref own() { return cart_ref{}; }
    /// A guest cart by its token.
    static cart_ref by_token(const std::string& token) { return cart_ref{token}; }

    /// The products and quantities of a cart, in order.
    static std::vector<std::pair<product_id, std::int64_t>> lines_of(const cart& k) {
        std::vector<std::pair<product_id, std::int64_t>> out;
        for (const cart_line& l : k.lines) out.emplace_back(l.product, l.quantity);
        return out;
    }

    /// The number of rows of `table` now.
    std::size_t rows(const std::string& table) {
        const auto tables = snapshot(url);
        const auto it = tables.find(table);
        EXPECT_NE(it, tables.end()) << "no table " << table;
        return it == tables.end() ? 0 : it->second.size();
    }
};

}  // namespace shopcore::test

#endif  // SHOPCORE_TESTS_STORAGE_CART_FIXTURE_HPP

// A tour of the C++ API: open a shop, subscribe to hooks, list the catalog, change a price and
// a stock level, fill a guest cart, apply a discount code, price it with shipping and tax, carry
// the cart over at sign-in, place the order and pay it through the sandbox gateway, and print
// every event received.
//
//   shop_tour sqlite:demo/shop.db

#include <iomanip>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <shopcore/shop.hpp>

int main(int argc, char** argv) {
    using namespace shopcore;
    const std::string url = argc > 1 ? argv[1] : "sqlite:shop.db";
    try {
        shop_options options;
        options.currency = "IRR";
        // The original shop's post rule: under 1 kg 20,000; 1-2 kg 40,000; up to 5 kg 70,000;
        // above that 15,000 more per started kilogram. Free from 50,000,000.
        const currency irr = currency::of("IRR");
        shipping_method post;
        post.code = "post";
        post.name = "Iran Post";
        post.zones = {{"IR", ""}};
        post.bands = {{weight::of_grams(999), money::parse("20000", irr)},
                      {weight::of_grams(2000), money::parse("40000", irr)},
                      {weight::of_grams(5000), money::parse("70000", irr)}};
        post.excess = excess_rule{weight::of_grams(1000), money::parse("15000", irr)};
        post.value.free_above = money::parse("50000000", irr);
        options.shipping_methods = {post};
        options.tax.rates = {{"VAT 10%", ratio::parse("10%"), {}, "IR", ""}};
        // Payments go through a gateway; the sandbox one plays the buyer paying.
        auto gateway = std::make_shared<sandbox_payment_provider>();
        options.payments = gateway;
        shop s = shop::open(url, options);
        std::cout << "Opened " << url << " (" << s.backend() << ", schema v" << s.schema_version()
                  << ", currency " << s.shop_currency().code() << ")\n\n";

        // Hooks: a veto rule inside the transaction, notifications after commit.
        std::vector<std::string> received;
        auto veto = s.events().before_stock_change([](const before_stock_change_event& e) {
            if (e.on_hand_after > 1000) throw std::runtime_error("more than 1000 units on hand");
        });
        auto on_price =
            s.events().on_product_price_changed([&](const product_price_changed_event& e) {
                received.push_back(
                    "product_price_changed: product " + std::to_string(e.product.value()) + " " +
                    e.old_sale_price.to_string() + " -> " + e.new_sale_price.to_string());
            });
        auto on_stock = s.events().on_stock_changed([&](const stock_changed_event& e) {
            received.push_back("stock_changed: product " + std::to_string(e.product.value()) + " " +
                               (e.delta > 0 ? "+" : "") + std::to_string(e.delta) + " -> " +
                               std::to_string(e.on_hand) + " (" + e.reason + ")");
        });
        auto on_low = s.events().on_low_stock([&](const low_stock_event& e) {
            received.push_back("low_stock: product " + std::to_string(e.product.value()) + " has " +
                               std::to_string(e.on_hand) + " left");
        });
        auto on_placed = s.events().on_order_placed([&](const order_placed_event& e) {
            received.push_back("order_placed: " + e.number + " " + e.total.to_string());
        });
        auto on_paid = s.events().on_order_paid([&](const order_paid_event& e) {
            received.push_back("order_paid: " + e.number + " " + e.amount.to_string());
        });
        auto on_out = s.events().on_out_of_stock([&](const out_of_stock_event& e) {
            received.push_back("out_of_stock: product " + std::to_string(e.product.value()));
        });
        auto on_back = s.events().on_back_in_stock([&](const back_in_stock_event& e) {
            received.push_back("back_in_stock: product " + std::to_string(e.product.value()));
        });

        const actor visitor = actor::anonymous();
        const actor staff = actor::system();
        std::cout << "Categories:\n";
        for (const auto& c : s.catalog().list_categories(visitor)) {
            std::cout << "  " << (c.parent ? "  - " : "* ") << c.name << " (" << c.slug << ")\n";
        }

        std::cout << "\nProducts (cheapest first):\n";
        product_query q;
        q.sort = product_sort::price_ascending;
        page_request req;
        req.limit = 3;  // small pages, to show the next-page token at work
        for (;;) {
            auto page = s.catalog().list_products(visitor, q, req);
            for (const auto& p : page.items) {
                const auto stock = s.inventory().stock_of(visitor, p.id);
                std::cout << "  " << std::left << std::setw(9) << p.sku << std::setw(30) << p.name
                          << std::right << std::setw(16) << p.sale_price.format();
                if (p.sale_price != p.price) std::cout << "  (was " << p.price.format() << ")";
                std::cout << "  stock " << stock.on_hand << '\n';
            }
            if (!page.has_more()) break;
            req.token = page.next_token;
        }

        std::cout << "\nChanging the price of TEA-001 by +5% and selling 2 saffron packs...\n";
        auto tea = s.catalog().product_by_sku(staff, "TEA-001");
        product_update u;
        u.price = tea.price + tea.price.multiply(ratio::parse("5%"));
        u.expected_version = tea.version;
        s.catalog().update_product(staff, tea.id, u);

        auto saffron = s.catalog().product_by_sku(staff, "SAF-001");
        const auto level = s.inventory().stock_of(staff, saffron.id);
        if (level.on_hand >= 2) {
            s.inventory().take_stock(staff, saffron.id, quantity::of(2), "sold in the tour");
        }
        s.inventory().adjust_stock(staff, saffron.id, 10, "restock delivery");
        try {
            s.inventory().adjust_stock(staff, saffron.id, 5000, "typo at the warehouse");
        } catch (const hook_rejected_error& e) {
            std::cout << "Vetoed by our hook: " << e.reason() << '\n';
        }
        try {
            s.inventory().take_stock(staff, saffron.id, quantity::of(999), "bulk order");
        } catch (const insufficient_stock_error& e) {
            std::cout << "Refused: asked " << e.requested() << ", only " << e.available()
                      << " available\n";
        }

        // A guest fills a cart before signing in; a code is applied through the hooks.
        std::cout << "\nA guest fills a cart...\n";
        auto code_rule = s.events().before_discount_apply([](const before_discount_apply_event& e) {
            if (e.code == "STAFF50") throw std::runtime_error("not on the public site");
        });
        auto on_code = s.events().on_discount_applied([&](const discount_applied_event& e) {
            received.push_back("discount_applied: " + e.code + " on cart " +
                               std::to_string(e.cart.value()) + " takes " + e.amount.to_string());
        });
        new_discount_code nowruz;
        nowruz.code = "nowruz";
        nowruz.description = "10% off for the new year, from 1,000,000";
        nowruz.percent = ratio::parse("10%");
        nowruz.min_subtotal = money::parse("1000000", irr);
        try {
            (void)s.discounts().by_code(staff, "NOWRUZ");
        } catch (const not_found_error&) {
            s.discounts().create(staff, nowruz);
        }
        const guest_cart guest = s.carts().create_guest_cart(visitor);
        const cart_ref guest_ref{guest.token};
        const auto tea_now = s.catalog().product_by_sku(staff, "TEA-001");
        s.carts().add_item(visitor, guest_ref, tea_now.id, 2);
        s.carts().add_item(visitor, guest_ref, saffron.id, 1);
        s.carts().set_destination(visitor, guest_ref, {"IR", "Tehran"});
        try {
            s.carts().apply_code(visitor, guest_ref, "WELCOME");
        } catch (const discount_rejected_error& e) {
            std::cout << "  code WELCOME refused (" << e.reason() << ")\n";
        }
        s.carts().apply_code(visitor, guest_ref, "nowruz");
        const priced_cart priced = s.carts().price(visitor, guest_ref);
        std::cout << s.pricing().explain(priced.breakdown);

        // Accounts: a customer signs up at checkout with a verification code. The application
        // delivers codes (an SMS gateway in real life); here the console is the gateway.
        std::cout << "\nA customer verifies their phone at checkout...\n";
        std::string sms;
        auto sms_gateway = s.events().on_verification_code([&](const verification_code_event& e) {
            std::cout << "  [SMS to " << e.phone << "] your code is " << e.code << '\n';
            sms = e.code;
        });
        const std::string phone = "+98 912 555 1234";
        try {
            s.accounts().request_verification_code(visitor, phone);
            auto verified = s.accounts().verify_phone(visitor, phone, sms, true);
            if (verified.created) {
                const auto& reg = *verified.created;
                std::cout << "  account " << reg.user.phone << " created with a default password ("
                          << reg.default_password.size() << " characters, shown once)\n";
                auto session = s.accounts().login(reg.user.phone, reg.default_password);
                std::cout << "  first login: must change password = " << std::boolalpha
                          << session.must_change_password << '\n';
                session = s.accounts().change_password(session.token, reg.default_password,
                                                       "saffron and tea for two");
                const actor customer = s.accounts().authenticate(session.token);
                std::cout << "  logged in as " << actor_kind_name(customer.kind()) << " "
                          << customer.user().value() << '\n';
                const cart mine = s.carts().merge_guest_cart(customer, guest.token);
                std::cout << "  the guest cart is now theirs: " << mine.lines.size()
                          << " lines, codes";
                for (const auto& c : mine.codes) std::cout << ' ' << c;
                std::cout << ", total " << s.carts().price(customer, {}).breakdown.total.format()
                          << '\n';

                // Checkout: the order ships to the account's default address.
                profile_update home;
                address a;
                a.recipient_name = "Sara Karimi";
                a.line1 = "12 Valiasr St";
                a.city = "Tehran";
                a.province = "Tehran";
                a.country = "IR";
                home.addresses = std::vector<address>{a};
                s.accounts().update_profile(customer, home);
                checkout_request checkout;
                checkout.idempotency_key = "tour-" + reg.user.phone;  // one per attempt
                const order o = s.orders().place_order(customer, checkout);
                const order again = s.orders().place_order(customer, checkout);  // a double click
                std::cout << "  order " << o.number << " placed: " << o.lines.size()
                          << " lines, total " << o.total.format() << ", "
                          << order_status_name(o.status) << " (the same key again gives "
                          << again.number << ")\n";
                const payment_start pay =
                    s.orders().start_payment(customer, o.id, "http://127.0.0.1:8000/paid");
                gateway->complete(pay.authority);  // the buyer pays at pay.redirect_url
                const payment_result paid = s.orders().verify_payment(visitor, pay.authority);
                std::cout << "  payment " << payment_status_name(paid.status) << " (reference "
                          << paid.reference_id << "): order is "
                          << order_status_name(paid.order.status) << '\n';
            } else {
                std::cout << "  phone verified for an existing account\n";
            }
        } catch (const error& e) {
            std::cout << "  accounts: " << e.what() << '\n';
        }

        std::cout << "\nEvents received (" << received.size() << "):\n";
        for (const auto& line : received) std::cout << "  " << line << '\n';
        std::cout << "\nshop_tour finished.\n";
        return 0;
    } catch (const error& e) {
        std::cerr << "shop_tour: " << e.what() << " (code " << static_cast<int>(e.code()) << ")\n";
        return 1;
    }
}

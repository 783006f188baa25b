// The program of docs/quickstart.md (kept identical; CI builds and runs it).
#include <iostream>
#include <shopcore/shop.hpp>

int main() {
    using namespace shopcore;
    shop_options options;
    options.currency = "EUR";
    shop s = shop::open("sqlite:shop.db", options);  // creates the file, applies migrations

    const actor staff = actor::system();  // the app itself (trusted)
    auto tea = s.catalog().create_category(staff, {"Tea", "", std::nullopt});

    new_product p;
    p.sku = "TEA-001";
    p.name = "Black tea 450 g";
    p.category = tea.id;
    p.price = money::parse("12.90", s.shop_currency());
    p.sale = sale_discount::percentage(ratio::parse("10%"));  // sale price 11.61, exactly
    p.weight = weight::of_grams(450);
    p.initial_stock = 40;
    auto created = s.catalog().create_product(staff, p);

    auto sub = s.events().on_low_stock(
        [](const low_stock_event& e) { std::cout << "low stock: " << e.product << '\n'; });

    try {
        s.inventory().take_stock(staff, created.id, quantity::of(50), "order 1");
    } catch (const insufficient_stock_error& e) {
        std::cout << "only " << e.available() << " left\n";  // nothing was written
    }

    product_query q;
    q.category = tea.id;  // includes sub-categories
    q.sort = product_sort::price_ascending;
    for (const auto& item : s.catalog().list_products(actor::anonymous(), q).items) {
        std::cout << item.name << ' ' << item.sale_price << '\n';  // "11.61 EUR"
    }
}

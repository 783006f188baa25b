// A downstream program: only the installed headers and the CMake package are used.
#include <iostream>

#include <shopcore/shop.hpp>

int main() {
    using namespace shopcore;
    shop_options options;
    options.currency = "EUR";
    shop s = shop::open("sqlite::memory:", options);
    new_product p;
    p.sku = "CONSUMER-1";
    p.name = "Consumer test product";
    p.price = money::parse("12.50", currency::of("EUR"));
    p.initial_stock = 7;
    auto created = s.catalog().create_product(actor::system(), p);
    auto listed = s.catalog().list_products(actor::anonymous(), product_query());
    auto stock = s.inventory().stock_of(actor::anonymous(), created.id);
    std::cout << "consumer ok: " << listed.items.size() << " product, "
              << listed.items.front().price.to_string() << ", stock " << stock.on_hand << '\n';
    std::cout << "shopcore " << SHOPCORE_VERSION_STRING << '\n';
    return 0;
}

// Seeds a demo shop: a small category tree and products priced in Iranian rial (IRR), as in the
// shop shopcore was first written for. Running it again changes nothing.
//
//   seed_catalog sqlite:demo/shop.db

#include <iostream>
#include <string>

#include <shopcore/shop.hpp>

namespace {

struct seed_product {
    const char* sku;
    const char* name;
    const char* category_slug;
    const char* price;
    const char* sale;  // "" or a percentage such as "10%"
    std::int64_t grams;
    std::int64_t stock;
    const char* colour;
};

constexpr seed_product products[] = {
    {"TEA-001", "Lahijan black tea 450 g", "tea", "1850000.00", "", 450, 40, "black"},
    {"TEA-002", "Saffron green tea 100 g", "tea", "920000.00", "10%", 100, 12, "green"},
    {"SAF-001", "Saffron threads 4.6 g", "spices", "3250000.00", "", 5, 3, "red"},
    {"SPI-002", "Dried lime 250 g", "spices", "410000.00", "", 250, 60, "brown"},
    {"RUG-001", "Kilim runner 80x300", "rugs", "48500000.00", "12.5%", 4200, 2, "red"},
    {"RUG-002", "Gabbeh rug 120x180", "rugs", "62000000.00", "", 6800, 0, "blue"},
    {"CER-001", "Isfahan ceramic bowl", "ceramics", "2750000.00", "", 900, 15, "turquoise"},
};

}  // namespace

int main(int argc, char** argv) {
    using namespace shopcore;
    const std::string url = argc > 1 ? argv[1] : "sqlite:shop.db";
    try {
        shop_options options;
        options.currency = "IRR";
        shop s = shop::open(url, options);
        const actor system = actor::system();
        auto& catalog = s.catalog();

        auto ensure_category = [&](const std::string& name, const std::string& slug,
                                   std::optional<category_id> parent) {
            try {
                return catalog.category_by_slug(system, slug).id;
            } catch (const not_found_error&) {
                return catalog.create_category(system, new_category{name, slug, parent}).id;
            }
        };
        const auto food = ensure_category("Food", "food", std::nullopt);
        const auto home = ensure_category("Home", "home", std::nullopt);
        const std::pair<const char*, category_id> leaves[] = {
            {"tea", ensure_category("Tea", "tea", food)},
            {"spices", ensure_category("Spices", "spices", food)},
            {"rugs", ensure_category("Rugs", "rugs", home)},
            {"ceramics", ensure_category("Ceramics", "ceramics", home)},
        };

        int created = 0;
        for (const auto& sp : products) {
            try {
                (void)catalog.product_by_sku(system, sp.sku);
                continue;  // already seeded
            } catch (const not_found_error&) {
            }
            new_product p;
            p.sku = sp.sku;
            p.name = sp.name;
            p.description = std::string("Demo product: ") + sp.name;
            for (const auto& [slug, id] : leaves) {
                if (std::string(slug) == sp.category_slug) p.category = id;
            }
            p.price = money::parse(sp.price, s.shop_currency());
            if (*sp.sale != '\0') p.sale = sale_discount::percentage(ratio::parse(sp.sale));
            p.weight = weight::of_grams(sp.grams);
            p.attributes = {{"colour", sp.colour}};
            p.initial_stock = sp.stock;
            p.low_stock_threshold = 3;
            catalog.create_product(system, p);
            ++created;
        }
        std::cout << "seeded " << url << ": " << created << " new products\n";

        // The first admin (there is no built-in admin account). Its default password is shown
        // once, here; it must be changed at first login.
        registration owner;
        owner.phone = "+989120000000";
        owner.first_name = "Shop";
        owner.last_name = "Owner";
        try {
            auto made = s.accounts().create_admin(system, owner, {permission::super_admin});
            std::cout << "admin " << made.user.phone << " created; default password "
                      << made.default_password << " (change it at first login)\n";
        } catch (const conflict_error&) {
            std::cout << "admin " << owner.phone << " exists already\n";
        }
        return 0;
    } catch (const error& e) {
        std::cerr << "seed_catalog: " << e.what() << " (code " << static_cast<int>(e.code())
                  << ")\n";
        return 1;
    }
}

// Bad input, on every backend: each case gets its typed error (and the offending field for
// validation errors) and leaves every table exactly as it was.

#include <functional>
#include <string>
#include <vector>

#include "expect_rejected.hpp"
#include "fixture.hpp"

namespace shopcore::test {
namespace {

// Whether `e` is the C++ type that goes with its code (the code alone could lie).
bool has_type_of_code(const error& e) {
    switch (e.code()) {
        case error_code::validation:
            return dynamic_cast<const validation_error*>(&e) != nullptr;
        case error_code::not_found:
            return dynamic_cast<const not_found_error*>(&e) != nullptr;
        case error_code::permission_denied:
            return dynamic_cast<const permission_denied_error*>(&e) != nullptr;
        case error_code::invalid_state:
            return dynamic_cast<const invalid_state_error*>(&e) != nullptr;
        case error_code::conflict:
            return dynamic_cast<const conflict_error*>(&e) != nullptr;
        case error_code::insufficient_stock:
            return dynamic_cast<const insufficient_stock_error*>(&e) != nullptr;
        default:
            return true;
    }
}

struct bad_case {
    std::string what;
    error_code expected;
    std::string field;  // for validation errors; empty: not checked
    std::function<void()> call;
};

class BadInput : public shop_test {
protected:
    void SetUp() override {
        shop_test::SetUp();
        shoes = make_category("Shoes");
        existing = make_product("SKU-1", "10.00", 3, shoes.id);
    }

    new_product good() {
        new_product p;
        p.sku = "NEW-1";
        p.name = "New thing";
        p.price = usd("10.00");
        p.category = shoes.id;
        p.initial_stock = 1;
        return p;
    }

    bad_case create(std::string what, error_code code, std::string field,
                    std::function<void(new_product&)> spoil) {
        return {"create_product: " + what, code, std::move(field), [this, spoil] {
                    new_product p = good();
                    spoil(p);
                    catalog().create_product(admin, p);
                }};
    }

    bad_case update(std::string what, error_code code, std::string field,
                    std::function<void(product_update&)> spoil) {
        return {"update_product: " + what, code, std::move(field), [this, spoil] {
                    product_update u;
                    spoil(u);
                    catalog().update_product(admin, existing.id, u);
                }};
    }

    void run(const std::vector<bad_case>& cases) {
        ASSERT_FALSE(cases.empty());
        for (const auto& c : cases) {
            SCOPED_TRACE(c.what);
            const auto before = snapshot(url);
            try {
                c.call();
                ADD_FAILURE() << "accepted";
            } catch (const error& e) {
                EXPECT_EQ(e.code(), c.expected) << error_code_name(e.code()) << ": " << e.what();
                EXPECT_TRUE(has_type_of_code(e)) << e.what();
                if (const auto* v = dynamic_cast<const validation_error*>(&e);
                    v != nullptr && !c.field.empty()) {
                    EXPECT_EQ(v->field(), c.field) << e.what();
                }
            } catch (const std::exception& e) {
                ADD_FAILURE() << "not a shopcore error: " << e.what();
            }
            EXPECT_EQ(snapshot(url), before) << "a rejected call changed the database";
        }
    }

    category shoes;
    product existing;
};

constexpr error_code validation = error_code::validation;
constexpr error_code not_found = error_code::not_found;
constexpr error_code conflict = error_code::conflict;
constexpr error_code denied = error_code::permission_denied;

money eur(const char* text) { return money::parse(text, currency::of("EUR")); }

std::vector<product_attribute> attributes(std::size_t n) {
    std::vector<product_attribute> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back({"name " + std::to_string(i), "value"});
    return out;
}

TEST_F(BadInput, CreatingAProductWithBadFieldsIsRefusedAndWritesNothing) {
    run({
        create("negative price", validation, "price",
               [&](new_product& p) { p.price = usd("-0.01"); }),
        create("price in EUR", validation, "price",
               [&](new_product& p) { p.price = eur("10.00"); }),
        create("price left unset (no currency)", validation, "price",
               [&](new_product& p) { p.price = money(); }),
        create("sale amount larger than the price", validation, "sale",
               [&](new_product& p) { p.sale = sale_discount::amount(usd("10.01")); }),
        create("sale amount in EUR", validation, "sale",
               [&](new_product& p) { p.sale = sale_discount::amount(eur("1.00")); }),
        create(
            "sale percentage above 100%", validation, "sale",
            [&](new_product& p) { p.sale = sale_discount::percentage(ratio::parse("100.01%")); }),
        create("negative sale percentage", validation, "sale",
               [&](new_product& p) { p.sale = sale_discount::percentage(ratio::parse("-5%")); }),
        create("negative sale amount", validation, "sale",
               [&](new_product& p) { p.sale = sale_discount::amount(usd("-1.00")); }),
        create("empty name", validation, "name", [&](new_product& p) { p.name = ""; }),
        create("name of 201 characters", validation, "name",
               [&](new_product& p) { p.name = std::string(201, 'n'); }),
        create("name of 201 two-byte characters", validation, "name",
               [&](new_product& p) {
                   p.name.clear();
                   for (int i = 0; i < 201; ++i) p.name += "\xc3\xa9";
               }),
        create("name with a truncated UTF-8 sequence", validation, "name",
               [&](new_product& p) { p.name = "caf\xc3"; }),
        create("name with a bad continuation byte", validation, "name",
               [&](new_product& p) { p.name = "caf\xc3\x28"; }),
        create("name with an overlong UTF-8 encoding", validation, "name",
               [&](new_product& p) { p.name = "a\xc0\xaf"; }),
        create("name with an encoded surrogate", validation, "name",
               [&](new_product& p) { p.name = "a\xed\xa0\x80"; }),
        create("name with a lone 0xff byte", validation, "name",
               [&](new_product& p) { p.name = "bad \xff name"; }),
        create("name with a control character", validation, "name",
               [&](new_product& p) { p.name = "bell\x07"; }),
        create("name with a newline", validation, "name",
               [&](new_product& p) { p.name = "two\nlines"; }),
        create("name with DEL", validation, "name", [&](new_product& p) { p.name = "del\x7f"; }),
        create("name with a NUL byte", validation, "name",
               [&](new_product& p) { p.name = std::string("nu\0l", 4); }),
        create("description with a control character", validation, "description",
               [&](new_product& p) { p.description = "esc \x1b[31m"; }),
        create("description with invalid UTF-8", validation, "description",
               [&](new_product& p) { p.description = "\xfe"; }),
        create("description of 20001 characters", validation, "description",
               [&](new_product& p) { p.description = std::string(20001, 'd'); }),
        create("duplicate SKU", conflict, "", [&](new_product& p) { p.sku = "SKU-1"; }),
        create("duplicate explicit slug", conflict, "",
               [&](new_product& p) { p.slug = "product-sku-1"; }),
        create("duplicate derived slug", conflict, "",
               [&](new_product& p) { p.name = "Product  SKU 1!"; }),
        create("slug with a space", validation, "slug", [&](new_product& p) { p.slug = "a b"; }),
        create("slug with upper case", validation, "slug",
               [&](new_product& p) { p.slug = "Upper"; }),
        create("slug with an underscore", validation, "slug",
               [&](new_product& p) { p.slug = "snake_case"; }),
        create("slug starting with '-'", validation, "slug",
               [&](new_product& p) { p.slug = "-lead"; }),
        create("slug ending with '-'", validation, "slug",
               [&](new_product& p) { p.slug = "trail-"; }),
        create("slug with non-ASCII letters", validation, "slug",
               [&](new_product& p) { p.slug = "caf\xc3\xa9"; }),
        create("slug of 201 characters", validation, "slug",
               [&](new_product& p) { p.slug = std::string(201, 's'); }),
        create("name that gives no slug", validation, "slug",
               [&](new_product& p) { p.name = "!!!"; }),
        create("unknown category", not_found, "",
               [&](new_product& p) { p.category = category_id(987654); }),
        create("negative initial stock", validation, "initial_stock",
               [&](new_product& p) { p.initial_stock = -1; }),
        create("negative low-stock threshold", validation, "low_stock_threshold",
               [&](new_product& p) { p.low_stock_threshold = -1; }),
        create("SKU with a space", validation, "sku", [&](new_product& p) { p.sku = "NEW 1"; }),
        create("SKU with a tab", validation, "sku", [&](new_product& p) { p.sku = "NEW\t1"; }),
        create("empty SKU", validation, "sku", [&](new_product& p) { p.sku = ""; }),
        create("SKU of 65 characters", validation, "sku",
               [&](new_product& p) { p.sku = std::string(65, 'S'); }),
        create("SKU with non-ASCII characters", validation, "sku",
               [&](new_product& p) { p.sku = "NE\xc3\x9c-1"; }),
        create("image URL with a javascript: scheme", validation, "image_urls",
               [&](new_product& p) { p.image_urls = {"javascript:alert(1)"}; }),
        create("image URL with an ftp: scheme", validation, "image_urls",
               [&](new_product& p) { p.image_urls = {"ftp://example.com/a.png"}; }),
        create("protocol-relative image URL", validation, "image_urls",
               [&](new_product& p) { p.image_urls = {"//evil.example/a.png"}; }),
        create("relative image path", validation, "image_urls",
               [&](new_product& p) { p.image_urls = {"images/a.png"}; }),
        create("empty image URL", validation, "image_urls",
               [&](new_product& p) {
                   p.image_urls = {"https://ok.example/a.png", ""};
               }),
        create("image URL with a control character", validation, "image_urls",
               [&](new_product& p) { p.image_urls = {"https://ok.example/a\n.png"}; }),
        create("21 image URLs", validation, "image_urls",
               [&](new_product& p) {
                   p.image_urls = std::vector<std::string>(21, "https://ok.example/a.png");
               }),
        create("101 attributes", validation, "attributes",
               [&](new_product& p) { p.attributes = attributes(101); }),
        create("attribute with an empty name", validation, "attributes",
               [&](new_product& p) {
                   p.attributes = {{"", "value"}};
               }),
        create("attribute name of 101 characters", validation, "attributes",
               [&](new_product& p) {
                   p.attributes = {{std::string(101, 'a'), "v"}};
               }),
        create("attribute value of 1001 characters", validation, "attributes",
               [&](new_product& p) {
                   p.attributes = {{"a", std::string(1001, 'v')}};
               }),
        create("attribute value with invalid UTF-8", validation, "attributes",
               [&](new_product& p) {
                   p.attributes = {{"a", "\xc3"}};
               }),
    });
}

TEST_F(BadInput, TheLimitsThemselvesAreAccepted) {
    new_product p = good();
    p.name = std::string(200, 'n');
    p.sku = std::string(64, 'S');
    p.slug = std::string(200, 's');
    p.description = std::string(20000, 'd');
    p.attributes = attributes(100);
    p.image_urls = std::vector<std::string>(20, "https://ok.example/a.png");
    p.sale = sale_discount::amount(p.price);
    p.initial_stock = 0;
    const product made = catalog().create_product(admin, p);
    EXPECT_EQ(catalog().product_by_id(admin, made.id).attributes.size(), 100U);
    EXPECT_EQ(made.sale_price, usd("0.00"));
}

TEST_F(BadInput, UpdatingAProductWithBadFieldsIsRefusedAndWritesNothing) {
    const product other = make_product("SKU-2");
    run({
        update("negative price", validation, "price",
               [&](product_update& u) { u.price = usd("-1.00"); }),
        update("price in EUR", validation, "price",
               [&](product_update& u) { u.price = eur("10.00"); }),
        update("sale amount larger than the price", validation, "sale",
               [&](product_update& u) { u.sale = sale_discount::amount(usd("10.01")); }),
        update("empty name", validation, "name", [&](product_update& u) { u.name = ""; }),
        update("name of 201 characters", validation, "name",
               [&](product_update& u) { u.name = std::string(201, 'x'); }),
        update("name with invalid UTF-8", validation, "name",
               [&](product_update& u) { u.name = "\xc3\x28"; }),
        update("empty slug", validation, "slug", [&](product_update& u) { u.slug = ""; }),
        update("bad slug", validation, "slug", [&](product_update& u) { u.slug = "Bad Slug"; }),
        update("slug of another product", conflict, "",
               [&](product_update& u) { u.slug = other.slug; }),
        update("unknown category", not_found, "",
               [&](product_update& u) { u.category = category_id(987654); }),
        update("category and clear_category together", validation, "category",
               [&](product_update& u) {
                   u.category = shoes.id;
                   u.clear_category = true;
               }),
        update("101 attributes", validation, "attributes",
               [&](product_update& u) { u.attributes = attributes(101); }),
        update("bad image URL", validation, "image_urls",
               [&](product_update& u) { u.image_urls = {"javascript:alert(1)"}; }),
        update("stale version", conflict, "",
               [&](product_update& u) {
                   u.name = "Stale";
                   u.expected_version = existing.version + 1;
               }),
        {"update_product: unknown product", not_found, "",
         [&] {
             product_update u;
             u.name = "x";
             catalog().update_product(admin, product_id(987654), u);
         }},
    });

    // A price cut below a standing amount sale.
    product_update sale;
    sale.sale = sale_discount::amount(usd("5.00"));
    catalog().update_product(admin, existing.id, sale);
    run({update("price below the amount off", validation, "sale",
                [&](product_update& u) { u.price = usd("4.99"); })});
}

TEST_F(BadInput, BadCategoryInputIsRefusedAndWritesNothing) {
    const category hats = make_category("Hats");
    auto create_category = [this](const std::string& name, const std::string& slug,
                                  std::optional<category_id> parent = {}) {
        return [this, name, slug, parent] {
            new_category c;
            c.name = name;
            c.slug = slug;
            c.parent = parent;
            catalog().create_category(admin, c);
        };
    };
    auto update_category = [this](category_id id, std::optional<std::string> name,
                                  std::optional<std::string> slug) {
        return [this, id, name, slug] {
            category_update u;
            u.name = name;
            u.slug = slug;
            catalog().update_category(admin, id, u);
        };
    };
    run({
        {"create: empty name", validation, "name", create_category("", "")},
        {"create: name of 201 characters", validation, "name",
         create_category(std::string(201, 'c'), "")},
        {"create: name with a control character", validation, "name",
         create_category("tab\there", "")},
        {"create: name with invalid UTF-8", validation, "name", create_category("\xff", "x")},
        {"create: bad slug", validation, "slug", create_category("Boots", "Boots!")},
        {"create: name that gives no slug", validation, "slug", create_category("???", "")},
        {"create: explicit slug taken", conflict, "", create_category("Boots", "shoes")},
        {"create: derived slug taken", conflict, "", create_category("SHOES", "")},
        {"create: unknown parent", not_found, "",
         create_category("Boots", "", category_id(987654))},
        {"update: empty name", validation, "name", update_category(hats.id, "", std::nullopt)},
        {"update: bad slug", validation, "slug", update_category(hats.id, std::nullopt, "a_b")},
        {"update: slug taken", conflict, "", update_category(hats.id, std::nullopt, "shoes")},
        {"update: unknown category", not_found, "",
         update_category(category_id(987654), "x", std::nullopt)},
        {"move: under itself", error_code::invalid_state, "",
         [&] { catalog().move_category(admin, hats.id, hats.id); }},
        {"delete: not empty", error_code::invalid_state, "",
         [&] { catalog().delete_category(admin, shoes.id); }},
    });
}

TEST_F(BadInput, BadStockInputIsRefusedAndWritesNothing) {
    const product_id p = existing.id;  // 3 on hand
    run({
        {"take_stock: quantity 0", validation, "quantity",
         [&] { inventory().take_stock(admin, p, quantity::of(0), "order"); }},
        {"take_stock: more than on hand", error_code::insufficient_stock, "",
         [&] { inventory().take_stock(admin, p, quantity::of(4), "order"); }},
        {"adjust_stock: below zero", error_code::insufficient_stock, "",
         [&] { inventory().adjust_stock(admin, p, -4, "shrinkage"); }},
        {"adjust_stock: zero delta", validation, "delta",
         [&] { inventory().adjust_stock(admin, p, 0, "nothing"); }},
        {"set_stock: negative", validation, "on_hand",
         [&] { inventory().set_stock(admin, p, -1, "count"); }},
        {"set_low_stock_threshold: negative", validation, "threshold",
         [&] { inventory().set_low_stock_threshold(admin, p, -1); }},
        {"set_stock: empty reason", validation, "reason",
         [&] { inventory().set_stock(admin, p, 5, ""); }},
        {"adjust_stock: empty reason", validation, "reason",
         [&] { inventory().adjust_stock(admin, p, 1, ""); }},
        {"take_stock: empty reason", validation, "reason",
         [&] { inventory().take_stock(admin, p, quantity::of(1), ""); }},
        {"adjust_stock: reason of 501 characters", validation, "reason",
         [&] { inventory().adjust_stock(admin, p, 1, std::string(501, 'r')); }},
        {"adjust_stock: reason with a control character", validation, "reason",
         [&] { inventory().adjust_stock(admin, p, 1, "a\x01"); }},
        {"adjust_stock: unknown product", not_found, "",
         [&] { inventory().adjust_stock(admin, product_id(987654), 1, "in"); }},
    });
}

TEST_F(BadInput, CustomersAndVisitorsMayNotChangeAnything) {
    const category hats = make_category("Hats");
    for (const actor& who : {customer, visitor}) {
        const std::string kind = actor_kind_name(who.kind());
        run({
            {kind + " create_category", denied, "",
             [&] {
                 new_category c;
                 c.name = "Boots";
                 catalog().create_category(who, c);
             }},
            {kind + " update_category", denied, "",
             [&] {
                 category_update u;
                 u.name = "Caps";
                 catalog().update_category(who, hats.id, u);
             }},
            {kind + " move_category", denied, "",
             [&] { catalog().move_category(who, hats.id, shoes.id); }},
            {kind + " delete_category", denied, "",
             [&] { catalog().delete_category(who, hats.id); }},
            {kind + " create_product", denied, "", [&] { catalog().create_product(who, good()); }},
            {kind + " create_product with bad input", denied, "",
             [&] {
                 new_product p = good();
                 p.name = "";
                 catalog().create_product(who, p);
             }},
            {kind + " update_product", denied, "",
             [&] {
                 product_update u;
                 u.price = usd("0.01");
                 catalog().update_product(who, existing.id, u);
             }},
            {kind + " deactivate_product", denied, "",
             [&] { catalog().deactivate_product(who, existing.id); }},
            {kind + " set_stock", denied, "",
             [&] { inventory().set_stock(who, existing.id, 100, "mine now"); }},
            {kind + " adjust_stock", denied, "",
             [&] { inventory().adjust_stock(who, existing.id, 100, "mine now"); }},
            {kind + " take_stock", denied, "",
             [&] { inventory().take_stock(who, existing.id, quantity::of(1), "mine now"); }},
            {kind + " set_low_stock_threshold", denied, "",
             [&] { inventory().set_low_stock_threshold(who, existing.id, 2); }},
        });
    }
}

TEST_F(BadInput, OpeningAShopWithABadUrlOrOptionsIsAValidationError) {
    const char* const bad_urls[] = {
        "",
        "foo:bar",
        "sqlite:",
        "postgresql://host",
        "postgresql://user@host:5432/",
        "postgresql://user@host:54x2/db",
        "postgresql://user@host/db name",
        "mysql://host",
        "mysql://user:pw@host:123456/db",
        "http://example.com/shop",
    };
    const auto before = snapshot(url);
    for (const char* bad : bad_urls) {
        SCOPED_TRACE(bad);
        try {
            (void)shop::open(bad);
            ADD_FAILURE() << "opened";
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "url");
        }
    }
    shop_options unknown_currency;
    unknown_currency.currency = "XYZ";
    EXPECT_THROW((void)shop::open(url, unknown_currency), validation_error);
    shop_options lower_case;
    lower_case.currency = "usd";
    EXPECT_THROW((void)shop::open(url, lower_case), validation_error);
    shop_options no_pool;
    no_pool.pool_size = 0;
    EXPECT_THROW((void)shop::open(url, no_pool), validation_error);
    shop_options no_attempts;
    no_attempts.max_attempts = 0;
    EXPECT_THROW((void)shop::open(url, no_attempts), validation_error);
    EXPECT_EQ(snapshot(url), before);
}

TEST_F(BadInput, OpeningAnExistingShopWithAnotherCurrencyIsAValidationError) {
    shop_options eur_shop;
    eur_shop.currency = "EUR";
    eur_shop.synchronous = sqlite_synchronous::normal;
    auto e = expect_rejected<validation_error>(url, [&] { (void)shop::open(url, eur_shop); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field(), "currency");
    // The same currency opens it, with its data.
    shop_options usd_shop;
    usd_shop.synchronous = sqlite_synchronous::normal;
    shop again = shop::open(url, usd_shop);
    EXPECT_EQ(again.shop_currency(), currency::of("USD"));
    EXPECT_EQ(again.catalog().product_by_id(visitor, existing.id).sku, "SKU-1");
}

TEST_F(BadInput, UseRecordedCurrencyOpensAnExistingShopInItsOwnCurrency) {
    // shop_options::use_recorded_currency: "whatever `currency` says".
    shop_options eur;
    eur.currency = "EUR";
    eur.use_recorded_currency = true;
    eur.synchronous = sqlite_synchronous::normal;
    const auto before = snapshot(url);
    {
        shop again = shop::open(url, eur);
        EXPECT_EQ(again.shop_currency(), currency::of("USD"));
        const product p = again.catalog().product_by_id(visitor, existing.id);
        EXPECT_EQ(p.price.currency(), currency::of("USD"));
    }
    EXPECT_EQ(snapshot(url), before);  // nothing recorded anew
    // Carts are priced in the shop's currency, not the one the options named.
    shop again = shop::open(url, eur);
    const std::string token = again.carts().create_guest_cart(visitor).token;
    (void)again.carts().add_item(visitor, cart_ref{token}, existing.id, 2);
    EXPECT_EQ(again.carts().price(visitor, cart_ref{token}).breakdown.subtotal,
              money::parse("20.00", currency::of("USD")));
}

}  // namespace
}  // namespace shopcore::test

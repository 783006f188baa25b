// Categories, products and product listings, on every backend.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "expect_rejected.hpp"
#include "fixture.hpp"

namespace shopcore::test {
namespace {

void expect_same_category(const category& got, const category& want) {
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(got.slug, want.slug);
    EXPECT_EQ(got.parent, want.parent);
    EXPECT_EQ(got.created_at, want.created_at);
    EXPECT_EQ(got.updated_at, want.updated_at);
    EXPECT_EQ(got.version, want.version);
}

void expect_same_product(const product& got, const product& want) {
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.sku, want.sku);
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(got.slug, want.slug);
    EXPECT_EQ(got.description, want.description);
    EXPECT_EQ(got.category, want.category);
    EXPECT_EQ(got.price, want.price);
    EXPECT_TRUE(got.sale == want.sale) << "sale differs";
    EXPECT_EQ(got.sale_price, want.sale_price);
    EXPECT_EQ(got.weight, want.weight);
    EXPECT_EQ(got.attributes, want.attributes);
    EXPECT_EQ(got.image_urls, want.image_urls);
    EXPECT_EQ(got.active, want.active);
    EXPECT_EQ(got.created_at, want.created_at);
    EXPECT_EQ(got.updated_at, want.updated_at);
    EXPECT_EQ(got.version, want.version);
}

std::vector<product_id> ids_of(const std::vector<product>& products) {
    std::vector<product_id> out;
    for (const auto& p : products) out.push_back(p.id);
    return out;
}

class Catalog : public shop_test {
protected:
    product add(const std::string& sku, const std::string& name, const char* price,
                std::int64_t stock = 5, std::optional<category_id> cat = {},
                sale_discount sale = sale_discount::none()) {
        new_product p;
        p.sku = sku;
        p.name = name;
        // An explicit slug, so that listings may hold equal names.
        p.slug = "p";
        for (char ch : sku) {
            p.slug += ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
        }
        p.price = usd(price);
        p.sale = sale;
        p.initial_stock = stock;
        p.category = cat;
        return catalog().create_product(admin, p);
    }

    category make_category_with_slug(const std::string& name, const std::string& slug,
                                     std::optional<category_id> parent = {}) {
        new_category c;
        c.name = name;
        c.slug = slug;
        c.parent = parent;
        return catalog().create_category(admin, c);
    }

    // Every product of the listing, one page of `limit` at a time; checks each page's size.
    std::vector<product_id> walk(const actor& by, const product_query& q, std::int64_t limit) {
        std::vector<product_id> out;
        page_request r;
        r.limit = limit;
        for (int pages = 0; pages < 1000; ++pages) {
            auto pg = catalog().list_products(by, q, r);
            EXPECT_LE(static_cast<std::int64_t>(pg.items.size()), limit);
            if (pg.has_more()) {
                EXPECT_EQ(static_cast<std::int64_t>(pg.items.size()), limit)
                    << "a page before the last is short";
            }
            for (const auto& p : pg.items) out.push_back(p.id);
            if (!pg.has_more()) return out;
            r.token = pg.next_token;
        }
        ADD_FAILURE() << "pagination did not end";
        return out;
    }

    std::vector<product_id> all(const actor& by, const product_query& q) {
        return walk(by, q, max_page_limit);
    }

    std::set<product_id> all_set(const actor& by, const product_query& q) {
        auto v = all(by, q);
        return {v.begin(), v.end()};
    }
};

// ---- categories ----------------------------------------------------------------------------

TEST_F(Catalog, CreatingACategoryDerivesItsSlugFromTheName) {
    new_category c;
    c.name = "Running Shoes & Trail Boots";
    const category cat = catalog().create_category(admin, c);
    EXPECT_TRUE(cat.id.is_valid());
    EXPECT_EQ(cat.name, "Running Shoes & Trail Boots");
    EXPECT_EQ(cat.slug, "running-shoes-trail-boots");
    EXPECT_FALSE(cat.parent.has_value());
    EXPECT_EQ(cat.version, 1);
    EXPECT_EQ(cat.created_at, clock->now());
    EXPECT_EQ(cat.updated_at, clock->now());
    expect_same_category(catalog().category_by_id(visitor, cat.id), cat);
}

TEST_F(Catalog, CreatingACategoryKeepsAnExplicitSlugAndParent) {
    const category parent = make_category("Outdoor");
    const category child = make_category_with_slug("Tents & Shelters", "tents", parent.id);
    EXPECT_EQ(child.slug, "tents");
    EXPECT_EQ(child.parent, parent.id);
    expect_same_category(catalog().category_by_id(customer, child.id), child);
    expect_same_category(catalog().category_by_slug(visitor, "tents"), child);
}

TEST_F(Catalog, TheSystemActorMayChangeTheCatalog) {
    new_category c;
    c.name = "Imported";
    const category cat = catalog().create_category(actor::system(), c);
    new_product p;
    p.sku = "IMP-1";
    p.name = "Imported thing";
    p.price = usd("1.00");
    p.category = cat.id;
    const product made = catalog().create_product(actor::system(), p);
    EXPECT_EQ(catalog().product_by_id(visitor, made.id).category, cat.id);
}

TEST_F(Catalog, CategoryBySlugOrIdOfAnUnknownCategoryIsNotFound) {
    make_category("Shoes");
    EXPECT_THROW((void)catalog().category_by_slug(visitor, "hats"), not_found_error);
    EXPECT_THROW((void)catalog().category_by_id(visitor, category_id(999999)), not_found_error);
}

TEST_F(Catalog, UpdatingACategoryChangesOnlyTheGivenFieldsAndBumpsTheVersion) {
    const category cat = make_category("Shoes");
    clock->advance_seconds(60);
    category_update u;
    u.name = "Sneakers";
    u.expected_version = 1;
    category want = cat;
    want.name = "Sneakers";
    want.version = 2;
    want.updated_at = clock->now();
    expect_same_category(catalog().update_category(admin, cat.id, u), want);
    expect_same_category(catalog().category_by_id(admin, cat.id), want);

    clock->advance_seconds(60);
    category_update s;
    s.slug = "sneakers";
    want.slug = "sneakers";
    want.version = 3;
    want.updated_at = clock->now();
    expect_same_category(catalog().update_category(admin, cat.id, s), want);
    expect_same_category(catalog().category_by_slug(admin, "sneakers"), want);
    EXPECT_THROW((void)catalog().category_by_slug(admin, "shoes"), not_found_error);
}

TEST_F(Catalog, UpdatingACategoryKeepingItsOwnSlugIsNotAConflict) {
    const category cat = make_category("Shoes");
    category_update u;
    u.slug = "shoes";
    EXPECT_EQ(catalog().update_category(admin, cat.id, u).version, 2);
}

TEST_F(Catalog, UpdatingACategoryWithAStaleVersionIsAConflictAndChangesNothing) {
    const category cat = make_category("Shoes");
    category_update first;
    first.name = "Sneakers";
    catalog().update_category(admin, cat.id, first);
    category_update stale;
    stale.name = "Boots";
    stale.expected_version = 1;
    expect_rejected<conflict_error>(url, [&] { catalog().update_category(admin, cat.id, stale); });
    EXPECT_EQ(catalog().category_by_id(admin, cat.id).name, "Sneakers");
}

TEST_F(Catalog, UpdatingOrMovingAnUnknownCategoryIsNotFound) {
    category_update u;
    u.name = "Nope";
    expect_rejected<not_found_error>(
        url, [&] { catalog().update_category(admin, category_id(424242), u); });
    expect_rejected<not_found_error>(
        url, [&] { catalog().move_category(admin, category_id(424242), std::nullopt); });
}

TEST_F(Catalog, MovingACategoryChangesItsParentAndCanMakeItARoot) {
    const category a = make_category("A");
    const category b = make_category("B");
    clock->advance_seconds(5);
    const category moved = catalog().move_category(admin, b.id, a.id);
    EXPECT_EQ(moved.parent, a.id);
    EXPECT_EQ(moved.version, 2);
    EXPECT_EQ(moved.updated_at, clock->now());
    expect_same_category(catalog().category_by_id(admin, b.id), moved);

    const category root = catalog().move_category(admin, b.id, std::nullopt);
    EXPECT_FALSE(root.parent.has_value());
    EXPECT_EQ(root.version, 3);
    EXPECT_FALSE(catalog().category_by_id(admin, b.id).parent.has_value());
}

TEST_F(Catalog, MovingACategoryUnderItselfOrItsDescendantIsRefusedAsInvalidState) {
    const category a = make_category("A");
    const category b = make_category("B", a.id);
    const category c = make_category("C", b.id);
    expect_rejected<invalid_state_error>(url, [&] { catalog().move_category(admin, a.id, a.id); });
    expect_rejected<invalid_state_error>(url, [&] { catalog().move_category(admin, a.id, b.id); });
    expect_rejected<invalid_state_error>(url, [&] { catalog().move_category(admin, a.id, c.id); });
    expect_rejected<invalid_state_error>(url, [&] { catalog().move_category(admin, b.id, c.id); });
    // Moving a leaf up and a branch sideways is fine.
    EXPECT_EQ(catalog().move_category(admin, c.id, a.id).parent, a.id);
    EXPECT_EQ(catalog().move_category(admin, b.id, c.id).parent, c.id);
}

TEST_F(Catalog, MovingUnderAnUnknownCategoryIsNotFound) {
    const category a = make_category("A");
    expect_rejected<not_found_error>(
        url, [&] { catalog().move_category(admin, a.id, category_id(777777)); });
}

TEST_F(Catalog, DeletingAnEmptyCategoryRemovesIt) {
    const category keep = make_category("Keep");
    const category gone = make_category("Gone");
    catalog().delete_category(admin, gone.id);
    EXPECT_THROW((void)catalog().category_by_id(admin, gone.id), not_found_error);
    EXPECT_THROW((void)catalog().category_by_slug(admin, "gone"), not_found_error);
    const auto list = catalog().list_categories(admin);
    ASSERT_EQ(list.size(), 1U);
    EXPECT_EQ(list[0].id, keep.id);
    // The slug is free again.
    EXPECT_EQ(make_category("Gone").slug, "gone");
}

TEST_F(Catalog, DeletingANonEmptyCategoryWithoutReassignmentIsRefused) {
    const category with_product = make_category("With product");
    make_product("SKU-1", "10.00", 1, with_product.id);
    const category with_child = make_category("With child");
    make_category("Child", with_child.id);
    expect_rejected<invalid_state_error>(
        url, [&] { catalog().delete_category(admin, with_product.id); });
    expect_rejected<invalid_state_error>(url,
                                         [&] { catalog().delete_category(admin, with_child.id); });
}

TEST_F(Catalog, DeletingWithReassignmentMovesProductsAndChildrenFirst) {
    const category from = make_category("Old");
    const category to = make_category("New");
    const category kid = make_category("Kid", from.id);
    const category grandkid = make_category("Grandkid", kid.id);
    const product p1 = make_product("SKU-1", "10.00", 1, from.id);
    const product p2 = make_product("SKU-2", "10.00", 1, from.id);
    const product in_kid = make_product("SKU-3", "10.00", 1, kid.id);
    const product elsewhere = make_product("SKU-4", "10.00", 1);

    catalog().delete_category(admin, from.id, to.id);

    EXPECT_THROW((void)catalog().category_by_id(admin, from.id), not_found_error);
    EXPECT_EQ(catalog().product_by_id(admin, p1.id).category, to.id);
    EXPECT_EQ(catalog().product_by_id(admin, p2.id).category, to.id);
    EXPECT_EQ(catalog().product_by_id(admin, in_kid.id).category, kid.id);
    EXPECT_FALSE(catalog().product_by_id(admin, elsewhere.id).category.has_value());
    EXPECT_EQ(catalog().category_by_id(admin, kid.id).parent, to.id);
    EXPECT_EQ(catalog().category_by_id(admin, grandkid.id).parent, kid.id);
    product_query q;
    q.category = to.id;
    EXPECT_EQ(all_set(admin, q), (std::set<product_id>{p1.id, p2.id, in_kid.id}));
}

TEST_F(Catalog, DeletingWithReassignmentIntoItselfOrItsSubtreeIsRefused) {
    const category from = make_category("Old");
    const category kid = make_category("Kid", from.id);
    const category grandkid = make_category("Grandkid", kid.id);
    make_product("SKU-1", "10.00", 1, from.id);
    expect_rejected<invalid_state_error>(
        url, [&] { catalog().delete_category(admin, from.id, from.id); });
    expect_rejected<invalid_state_error>(
        url, [&] { catalog().delete_category(admin, from.id, kid.id); });
    expect_rejected<invalid_state_error>(
        url, [&] { catalog().delete_category(admin, from.id, grandkid.id); });
}

TEST_F(Catalog, DeletingAnUnknownCategoryOrIntoAnUnknownOneIsNotFound) {
    const category from = make_category("Old");
    expect_rejected<not_found_error>(
        url, [&] { catalog().delete_category(admin, category_id(999999)); });
    expect_rejected<not_found_error>(
        url, [&] { catalog().delete_category(admin, from.id, category_id(999999)); });
}

TEST_F(Catalog, ListCategoriesPutsEveryParentBeforeItsChildrenAndSiblingsByName) {
    // Created out of order on purpose.
    const category zoo = make_category("Zoo");
    const category apparel = make_category("Apparel");
    const category shoes = make_category("Shoes", apparel.id);
    const category hats = make_category("Hats", apparel.id);
    const category caps = make_category("Caps", hats.id);
    const category beanies = make_category("Beanies", hats.id);
    const category books = make_category("Books");
    const category comics = make_category("Comics", books.id);
    // Moved after creation: the new parent was created after the child.
    const category later = make_category("Later");
    catalog().move_category(admin, zoo.id, later.id);

    const auto list = catalog().list_categories(visitor);
    ASSERT_EQ(list.size(), 9U);
    std::map<category_id, std::size_t> position;
    for (std::size_t i = 0; i < list.size(); ++i) {
        EXPECT_TRUE(position.emplace(list[i].id, i).second) << "listed twice: " << list[i].name;
    }
    for (const auto& c : list) {
        if (c.parent) {
            ASSERT_TRUE(position.count(*c.parent));
            EXPECT_LT(position[*c.parent], position[c.id]) << c.name << " before its parent";
        }
    }
    // Siblings appear in name order.
    std::map<std::int64_t, std::vector<std::string>> siblings;
    for (const auto& c : list) siblings[c.parent ? c.parent->value() : 0].push_back(c.name);
    EXPECT_EQ(siblings[0], (std::vector<std::string>{"Apparel", "Books", "Later"}));
    EXPECT_EQ(siblings[apparel.id.value()], (std::vector<std::string>{"Hats", "Shoes"}));
    EXPECT_EQ(siblings[hats.id.value()], (std::vector<std::string>{"Beanies", "Caps"}));
    EXPECT_EQ(siblings[books.id.value()], (std::vector<std::string>{"Comics"}));
    EXPECT_EQ(siblings[later.id.value()], (std::vector<std::string>{"Zoo"}));
    (void)shoes;
    (void)caps;
    (void)beanies;
    (void)comics;
}

TEST_F(Catalog, SiblingCategoriesSortByTheirWholeNames) {
    const category spaced = make_category_with_slug("Hats ", "hats-spaced");
    const category plain = make_category_with_slug("Hats", "hats");
    const auto list = catalog().list_categories(visitor);
    ASSERT_EQ(list.size(), 2U);
    EXPECT_EQ(list[0].id, plain.id);
    EXPECT_EQ(list[1].id, spaced.id);
}

// ---- products ------------------------------------------------------------------------------

TEST_F(Catalog, CreatingAProductStoresEveryFieldAndItsStock) {
    const category tents = make_category("Tents");
    new_product np;
    np.sku = "TENT-2P";
    np.name = "Trail Tent 2P";
    np.slug = "trail-tent";
    np.description = "Sleeps two.\nWeighs little.\tReally.";
    np.category = tents.id;
    np.price = usd("249.00");
    np.sale = sale_discount::amount(usd("49.01"));
    np.weight = weight::of_grams(1450);
    np.attributes = {
        {"size", "2P"}, {"colour", "green"}, {"material", "ripstop nylon"}, {"apex", ""}};
    np.image_urls = {"https://cdn.example.com/tent.jpg", "http://example.com/tent-2.png",
                     "/images/tent-3.webp"};
    np.initial_stock = 7;
    np.low_stock_threshold = 2;

    const product p = catalog().create_product(admin, np);
    EXPECT_TRUE(p.id.is_valid());
    EXPECT_EQ(p.sku, "TENT-2P");
    EXPECT_EQ(p.name, "Trail Tent 2P");
    EXPECT_EQ(p.slug, "trail-tent");
    EXPECT_EQ(p.description, np.description);
    EXPECT_EQ(p.category, tents.id);
    EXPECT_EQ(p.price, usd("249.00"));
    EXPECT_TRUE(p.sale == np.sale);
    EXPECT_EQ(p.sale_price, usd("199.99"));
    EXPECT_EQ(p.weight, weight::of_grams(1450));
    EXPECT_EQ(p.attributes, np.attributes);
    EXPECT_EQ(p.image_urls, np.image_urls);
    EXPECT_TRUE(p.active);
    EXPECT_EQ(p.created_at, clock->now());
    EXPECT_EQ(p.updated_at, clock->now());
    EXPECT_EQ(p.version, 1);

    expect_same_product(catalog().product_by_id(visitor, p.id), p);
    expect_same_product(catalog().product_by_sku(customer, "TENT-2P"), p);
    expect_same_product(catalog().product_by_slug(visitor, "trail-tent"), p);
    const stock_level s = inventory().stock_of(visitor, p.id);
    EXPECT_EQ(s.on_hand, 7);
    EXPECT_EQ(s.low_stock_threshold, 2);
}

TEST_F(Catalog, CreatingAProductDerivesItsSlugFromTheName) {
    const product p = make_product("SKU-1");
    EXPECT_EQ(p.slug, "product-sku-1");
    EXPECT_FALSE(p.category.has_value());
    EXPECT_TRUE(p.attributes.empty());
    EXPECT_TRUE(p.image_urls.empty());
    EXPECT_TRUE(p.sale == sale_discount::none());
    EXPECT_EQ(p.sale_price, p.price);
    expect_same_product(catalog().product_by_slug(visitor, "product-sku-1"), p);
}

TEST_F(Catalog, TextRoundTripsExactlyIncludingMultiByteCharactersAtTheLengthLimits) {
    std::string two_hundred_e_acute;
    for (int i = 0; i < 200; ++i) two_hundred_e_acute += "\xc3\xa9";  // 400 bytes, 200 chars
    new_product np;
    np.sku = std::string(64, 'X');
    np.name = two_hundred_e_acute;
    np.slug = "accents";
    np.description =
        "Tent \xe2\x9b\xba and camp \xf0\x9f\x8f\x95 \xe2\x80\x94 \"quoted\" 'x' \\ %_";
    np.price = usd("1.00");
    np.attributes = {{std::string(100, 'a'), std::string(1000, 'v')},
                     {"\xc3\xbc"
                      "ber",
                      "\xf0\x9f\x8f\x95"}};
    const product p = catalog().create_product(admin, np);
    expect_same_product(catalog().product_by_id(visitor, p.id), p);
    EXPECT_EQ(catalog().product_by_id(visitor, p.id).name, two_hundred_e_acute);
    EXPECT_EQ(catalog().product_by_id(visitor, p.id).description, np.description);

    new_category c;
    c.name = two_hundred_e_acute;
    c.slug = "accented-category";
    const category cat = catalog().create_category(admin, c);
    EXPECT_EQ(catalog().category_by_id(visitor, cat.id).name, two_hundred_e_acute);
}

TEST_F(Catalog, APercentageSaleGivesTheExactPriceMinusTheHalfUpRoundedDiscount) {
    struct sale_case {
        const char* price;
        const char* rate;
        const char* sale_price;
    };
    const sale_case cases[] = {
        {"19.99", "12.5%", "17.49"},  // 2.49875 rounds half up to 2.50
        {"0.01", "50%", "0.00"},      // 0.005 rounds half up to 0.01
        {"0.03", "1/3", "0.02"},      // 0.01 exactly
        {"10.00", "100%", "0.00"},   {"10.00", "0%", "10.00"},
        {"99.99", "33%", "66.99"},  // 32.9967 -> 33.00
        {"1.05", "10%", "0.94"},    // 0.105 -> 0.11
    };
    int n = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.price) + " at " + c.rate);
        new_product np;
        np.sku = "PCT-" + std::to_string(++n);
        np.name = "Percent " + std::to_string(n);
        np.price = usd(c.price);
        np.sale = sale_discount::percentage(ratio::parse(c.rate));
        const product p = catalog().create_product(admin, np);
        EXPECT_EQ(p.sale_price, usd(c.sale_price));
        const product stored = catalog().product_by_id(visitor, p.id);
        EXPECT_EQ(stored.sale_price, usd(c.sale_price));
        EXPECT_EQ(stored.sale.kind(), sale_kind::percentage);
        EXPECT_EQ(stored.sale.rate(), ratio::parse(c.rate));
        EXPECT_EQ(stored.price, usd(c.price));
    }
}

TEST_F(Catalog, AnAmountSaleGivesThePriceMinusTheAmount) {
    new_product np;
    np.sku = "AMT-1";
    np.name = "Amount";
    np.price = usd("19.99");
    np.sale = sale_discount::amount(usd("5.00"));
    const product p = catalog().create_product(admin, np);
    EXPECT_EQ(p.sale_price, usd("14.99"));
    const product stored = catalog().product_by_id(visitor, p.id);
    EXPECT_EQ(stored.sale.kind(), sale_kind::amount);
    EXPECT_EQ(stored.sale.amount_off(), usd("5.00"));
    EXPECT_EQ(stored.sale_price, usd("14.99"));

    np.sku = "AMT-2";
    np.name = "Free";
    np.sale = sale_discount::amount(usd("19.99"));
    EXPECT_EQ(catalog().create_product(admin, np).sale_price, usd("0.00"));
}

TEST_F(Catalog, UpdatingAProductChangesEachGivenFieldAndNothingElse) {
    const category c1 = make_category("One");
    const category c2 = make_category("Two");
    new_product np;
    np.sku = "UPD-1";
    np.name = "Original";
    np.description = "first";
    np.category = c1.id;
    np.price = usd("20.00");
    np.weight = weight::of_grams(100);
    np.attributes = {{"a", "1"}};
    np.image_urls = {"/a.png"};
    product want = catalog().create_product(admin, np);

    struct step {
        const char* what;
        std::function<void(product_update&, product&)> change;
    };
    const std::vector<step> steps = {
        {"name", [](product_update& u, product& w) { u.name = w.name = "Renamed"; }},
        {"slug", [](product_update& u, product& w) { u.slug = w.slug = "renamed-slug"; }},
        {"description",
         [](product_update& u, product& w) { u.description = w.description = "second\nline"; }},
        {"category", [&](product_update& u, product& w) { u.category = w.category = c2.id; }},
        {"clear category",
         [](product_update& u, product& w) {
             u.clear_category = true;
             w.category.reset();
         }},
        {"price",
         [&](product_update& u, product& w) {
             u.price = w.price = usd("30.00");
             w.sale_price = usd("30.00");
         }},
        {"percentage sale",
         [&](product_update& u, product& w) {
             u.sale = w.sale = sale_discount::percentage(ratio::parse("12.5%"));
             w.sale_price = usd("26.25");
         }},
        {"price under a percentage sale",
         [&](product_update& u, product& w) {
             u.price = w.price = usd("19.99");
             w.sale_price = usd("17.49");
         }},
        {"amount sale",
         [&](product_update& u, product& w) {
             u.sale = w.sale = sale_discount::amount(usd("4.99"));
             w.sale_price = usd("15.00");
         }},
        {"no sale",
         [&](product_update& u, product& w) {
             u.sale = w.sale = sale_discount::none();
             w.sale_price = usd("19.99");
         }},
        {"weight",
         [](product_update& u, product& w) { u.weight = w.weight = weight::of_grams(7); }},
        {"attributes",
         [](product_update& u, product& w) {
             u.attributes = w.attributes = {{"z", "last first"}, {"b", ""}, {"a", "1"}};
         }},
        {"image URLs",
         [](product_update& u, product& w) {
             u.image_urls = w.image_urls = {"https://x.example/1.jpg", "/2.jpg"};
         }},
        {"no attributes",
         [](product_update& u, product& w) {
             w.attributes.clear();
             u.attributes = w.attributes;
         }},
        {"no images",
         [](product_update& u, product& w) {
             w.image_urls.clear();
             u.image_urls = w.image_urls;
         }},
        {"deactivate", [](product_update& u, product& w) { u.active = w.active = false; }},
        {"reactivate", [](product_update& u, product& w) { u.active = w.active = true; }},
    };
    for (const auto& s : steps) {
        SCOPED_TRACE(s.what);
        clock->advance_seconds(1);
        product_update u;
        s.change(u, want);
        u.expected_version = want.version;
        want.version += 1;
        want.updated_at = clock->now();
        expect_same_product(catalog().update_product(admin, want.id, u), want);
        expect_same_product(catalog().product_by_id(admin, want.id), want);
    }
}

TEST_F(Catalog, UpdatingAProductWithAStaleVersionIsAConflictAndChangesNothing) {
    const product p = make_product("SKU-1");
    product_update first;
    first.name = "First";
    catalog().update_product(admin, p.id, first);
    product_update stale;
    stale.name = "Second";
    stale.expected_version = p.version;
    expect_rejected<conflict_error>(url, [&] { catalog().update_product(admin, p.id, stale); });
    EXPECT_EQ(catalog().product_by_id(admin, p.id).name, "First");
}

TEST_F(Catalog, UpdatingAnUnknownProductOrIntoAnUnknownCategoryIsNotFound) {
    const product p = make_product("SKU-1");
    product_update u;
    u.name = "x";
    expect_rejected<not_found_error>(url,
                                     [&] { catalog().update_product(admin, product_id(9999), u); });
    product_update c;
    c.category = category_id(9999);
    expect_rejected<not_found_error>(url, [&] { catalog().update_product(admin, p.id, c); });
    expect_rejected<not_found_error>(
        url, [&] { catalog().deactivate_product(admin, product_id(9999)); });
}

TEST_F(Catalog, GivingBothACategoryAndClearCategoryIsRefused) {
    const category cat = make_category("One");
    const product p = make_product("SKU-1");
    product_update u;
    u.category = cat.id;
    u.clear_category = true;
    expect_rejected<validation_error>(url, [&] { catalog().update_product(admin, p.id, u); });
}

TEST_F(Catalog, DeactivatingHidesAProductFromCustomersAndVisitorsButNotFromStaff) {
    const product p = make_product("SKU-1");
    clock->advance_seconds(3);
    const product off = catalog().deactivate_product(admin, p.id);
    EXPECT_FALSE(off.active);
    EXPECT_EQ(off.version, 2);
    EXPECT_EQ(off.updated_at, clock->now());

    for (const actor& who : {customer, visitor}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        EXPECT_THROW((void)catalog().product_by_id(who, p.id), not_found_error);
        EXPECT_THROW((void)catalog().product_by_sku(who, "SKU-1"), not_found_error);
        EXPECT_THROW((void)catalog().product_by_slug(who, "product-sku-1"), not_found_error);
        EXPECT_TRUE(catalog().list_products(who, product_query()).items.empty());
    }
    for (const actor& who : {admin, actor::system()}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        expect_same_product(catalog().product_by_id(who, p.id), off);
        expect_same_product(catalog().product_by_sku(who, "SKU-1"), off);
        expect_same_product(catalog().product_by_slug(who, "product-sku-1"), off);
    }
}

TEST_F(Catalog, DeactivatingAnInactiveProductChangesNothing) {
    const product p = make_product("SKU-1");
    const product off = catalog().deactivate_product(admin, p.id);
    const auto before = snapshot(url);
    clock->advance_seconds(3);
    expect_same_product(catalog().deactivate_product(admin, p.id), off);
    EXPECT_EQ(snapshot(url), before);
}

TEST_F(Catalog, ReactivatingMakesAProductVisibleAgain) {
    const product p = make_product("SKU-1");
    catalog().deactivate_product(admin, p.id);
    product_update u;
    u.active = true;
    catalog().update_product(admin, p.id, u);
    EXPECT_TRUE(catalog().product_by_id(visitor, p.id).active);
}

TEST_F(Catalog, LookingUpAnUnknownProductIsNotFound) {
    make_product("SKU-1");
    EXPECT_THROW((void)catalog().product_by_id(admin, product_id(12345)), not_found_error);
    EXPECT_THROW((void)catalog().product_by_sku(admin, "SKU-2"), not_found_error);
    EXPECT_THROW((void)catalog().product_by_slug(admin, "product-sku-2"), not_found_error);
}

// ---- listing: filters ----------------------------------------------------------------------

TEST_F(Catalog, FilteringByCategoryIncludesEverySubCategory) {
    const category outdoor = make_category("Outdoor");
    const category tents = make_category("Tents", outdoor.id);
    const category ultralight = make_category("Ultralight", tents.id);
    const category kitchen = make_category("Kitchen");
    const product p_outdoor = add("S1", "Compass", "10.00", 1, outdoor.id);
    const product p_tent = add("S2", "Tent", "10.00", 1, tents.id);
    const product p_ul = add("S3", "UL Tent", "10.00", 1, ultralight.id);
    const product p_kitchen = add("S4", "Pan", "10.00", 1, kitchen.id);
    const product p_none = add("S5", "Loose", "10.00", 1);

    product_query q;
    q.category = outdoor.id;
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{p_outdoor.id, p_tent.id, p_ul.id}));
    q.category = tents.id;
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{p_tent.id, p_ul.id}));
    q.category = ultralight.id;
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{p_ul.id}));
    q.category = kitchen.id;
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{p_kitchen.id}));
    q.category.reset();
    EXPECT_EQ(all_set(visitor, q),
              (std::set<product_id>{p_outdoor.id, p_tent.id, p_ul.id, p_kitchen.id, p_none.id}));

    // The tree is read at query time: after a move the sub-categories follow.
    catalog().move_category(admin, tents.id, kitchen.id);
    q.category = kitchen.id;
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{p_kitchen.id, p_tent.id, p_ul.id}));
}

TEST_F(Catalog, TextFilterMatchesASubstringOfTheNameIgnoringCase) {
    const product sock = add("S1", "Red Wool Sock", "1.00");
    const product hat = add("S2", "BLUE WOOL HAT", "1.00");
    const product tee = add("S3", "Cotton Tee", "1.00");
    product_query q;
    q.text = "wOoL";
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{sock.id, hat.id}));
    q.text = "wool h";
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{hat.id}));
    q.text = "TEE";
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{tee.id}));
    q.text = "silk";
    EXPECT_TRUE(all_set(visitor, q).empty());
    q.text = "";
    EXPECT_EQ(all_set(visitor, q).size(), 3U);
}

TEST_F(Catalog, TextFilterTakesWildcardAndEscapeCharactersLiterally) {
    const product percent = add("S1", "100% Cotton Tee", "1.00");
    add("S2", "1000 Cotton Tee", "1.00");
    const product underscore = add("S3", "snake_case Mug", "1.00");
    add("S4", "snakeXcase Mug", "1.00");
    const product bang = add("S5", "Wow! Mug", "1.00");
    add("S6", "Wow Mugs", "1.00");
    const product backslash = add("S7", "Back\\slash Mug", "1.00");
    add("S8", "Backslash Mug", "1.00");
    const product quote = add("S9", "Rock 'n' Roll", "1.00");

    product_query q;
    q.text = "100%";
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{percent.id}));
    q.text = "%";
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{percent.id}));
    q.text = "e_c";
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{underscore.id}));
    q.text = "_";
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{underscore.id}));
    q.text = "w!";
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{bang.id}));
    q.text = "k\\s";
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{backslash.id}));
    q.text = "'n'";
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{quote.id}));
}

TEST_F(Catalog, TextFilterFoldsOnlyAsciiCaseAndMatchesOtherTextExactly) {
    const product ecole = add("S1",
                              "\xc3\x89"
                              "cole Bag",
                              "1.00");  // "École Bag"
    const product strasse = add("S2",
                                "Stra\xc3\x9f"
                                "e Map",
                                "1.00");  // "Straße Map"
    add("S3", "Ecole Bag", "1.00");
    product_query q;
    q.text =
        "\xc3\x89"
        "cole";  // "École", exactly as stored
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{ecole.id}));
    q.text =
        "\xc3\x89"
        "COLE BAG";  // ASCII letters in another case
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{ecole.id}));
    q.text =
        "STRA\xc3\x9f"
        "E";
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{strasse.id}));
}

TEST_F(Catalog, TextFilterLongerThan200CharactersOrNotUtf8IsRefused) {
    add("S1", "Sock", "1.00");
    product_query q;
    q.text = std::string(200, 's');
    EXPECT_TRUE(all_set(visitor, q).empty());
    for (const std::string& bad :
         {std::string(201, 's'), std::string("\xc3"), std::string("a\x01")}) {
        q.text = bad;
        try {
            (void)catalog().list_products(visitor, q);
            ADD_FAILURE() << "accepted";
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "text");
        }
    }
}

TEST_F(Catalog, PriceBoundsApplyToTheSalePriceInclusively) {
    const product ten = add("S1", "Ten", "10.00");
    const product fifty_on_sale =
        add("S2", "Fifty at forty", "50.00", 5, {}, sale_discount::percentage(ratio::parse("20%")));
    const product forty = add("S3", "Forty", "40.00");
    const product forty_five = add("S4", "Forty-five", "45.00");

    product_query q;
    q.min_price = usd("40.00");
    q.max_price = usd("40.00");
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{fifty_on_sale.id, forty.id}));
    q.max_price.reset();
    q.min_price = usd("45.00");
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{forty_five.id}));
    q.min_price.reset();
    q.max_price = usd("39.99");
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{ten.id}));
    q.min_price = usd("40.01");
    q.max_price = usd("44.99");
    EXPECT_TRUE(all_set(visitor, q).empty());
}

TEST_F(Catalog, APriceBoundInAnotherCurrencyIsRefused) {
    add("S1", "Ten", "10.00");
    product_query q;
    q.min_price = money::parse("1.00", currency::of("EUR"));
    try {
        (void)catalog().list_products(visitor, q);
        ADD_FAILURE() << "accepted";
    } catch (const validation_error& e) {
        EXPECT_EQ(e.field(), "min_price");
    }
    q.min_price.reset();
    q.max_price = money::parse("1.00", currency::of("EUR"));
    try {
        (void)catalog().list_products(visitor, q);
        ADD_FAILURE() << "accepted";
    } catch (const validation_error& e) {
        EXPECT_EQ(e.field(), "max_price");
    }
}

TEST_F(Catalog, InStockOnlySkipsProductsWithNothingOnHand) {
    const product stocked = add("S1", "Stocked", "1.00", 3);
    const product empty = add("S2", "Empty", "1.00", 0);
    const product sold_out = add("S3", "Sold out", "1.00", 1);
    inventory().take_stock(admin, sold_out.id, quantity::of(1), "sold");
    product_query q;
    q.in_stock_only = true;
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{stocked.id}));
    inventory().adjust_stock(admin, empty.id, 2, "delivery");
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{stocked.id, empty.id}));
    q.in_stock_only = false;
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{stocked.id, empty.id, sold_out.id}));
}

TEST_F(Catalog, IncludeInactiveIsHonouredOnlyForStaff) {
    const product on = add("S1", "On", "1.00");
    const product off = add("S2", "Off", "1.00");
    catalog().deactivate_product(admin, off.id);
    product_query q;
    EXPECT_EQ(all_set(admin, q), (std::set<product_id>{on.id}));
    q.include_inactive = true;
    EXPECT_EQ(all_set(admin, q), (std::set<product_id>{on.id, off.id}));
    EXPECT_EQ(all_set(actor::system(), q), (std::set<product_id>{on.id, off.id}));
    EXPECT_EQ(all_set(customer, q), (std::set<product_id>{on.id}));
    EXPECT_EQ(all_set(visitor, q), (std::set<product_id>{on.id}));
}

TEST_F(Catalog, FiltersCombine) {
    const category cat = make_category("Socks");
    const product match = add("S1", "Wool Sock", "12.00", 2, cat.id);
    add("S2", "Wool Sock Deluxe", "30.00", 2, cat.id);  // too dear
    add("S3", "Cotton Sock", "12.00", 2, cat.id);       // wrong text
    add("S4", "Wool Sock Outlet", "12.00", 0, cat.id);  // no stock
    add("S5", "Wool Sock Loose", "12.00", 2);           // other category
    product_query q;
    q.category = cat.id;
    q.text = "wool";
    q.max_price = usd("20.00");
    q.in_stock_only = true;
    EXPECT_EQ(all(visitor, q), (std::vector<product_id>{match.id}));
}

// ---- listing: sort orders and pagination ---------------------------------------------------

class CatalogSorting : public Catalog {
protected:
    void SetUp() override {
        Catalog::SetUp();
        // Ties on purpose: two "Lamp"s, prices 10 and 20 twice, and equal creation times.
        a = add("A", "Lamp", "20.00");
        b = add("B", "Chair", "10.00");
        clock->advance_seconds(10);
        c = add("C", "Lamp", "10.00");
        d = add("D", "Desk", "30.00", 5, {}, sale_discount::percentage(ratio::parse("50%")));
        clock->advance_seconds(10);
        e = add("E", "Bed", "20.00");
        f = add("F", "Armchair", "99.00");
    }

    std::vector<product_id> expected(product_sort sort) const {
        switch (sort) {
            case product_sort::newest:
                return {f.id, e.id, d.id, c.id, b.id, a.id};
            // Sale prices: B 10, C 10, D 15, A 20, E 20, F 99.
            case product_sort::price_ascending:
                return {b.id, c.id, d.id, a.id, e.id, f.id};
            case product_sort::price_descending:
                return {f.id, e.id, a.id, d.id, c.id, b.id};
            case product_sort::name_ascending:
                return {f.id, e.id, b.id, d.id, a.id, c.id};
            case product_sort::name_descending:
                return {c.id, a.id, d.id, b.id, e.id, f.id};
        }
        return {};
    }

    static constexpr product_sort sorts[] = {
        product_sort::newest, product_sort::price_ascending, product_sort::price_descending,
        product_sort::name_ascending, product_sort::name_descending};

    product a, b, c, d, e, f;
};

const char* sort_name(product_sort s) {
    switch (s) {
        case product_sort::newest:
            return "newest";
        case product_sort::price_ascending:
            return "price ascending";
        case product_sort::price_descending:
            return "price descending";
        case product_sort::name_ascending:
            return "name ascending";
        case product_sort::name_descending:
            return "name descending";
    }
    return "?";
}

TEST_F(CatalogSorting, EverySortOrdersByItsKeyAndBreaksTiesById) {
    for (const auto sort : sorts) {
        SCOPED_TRACE(sort_name(sort));
        product_query q;
        q.sort = sort;
        EXPECT_EQ(ids_of(catalog().list_products(visitor, q).items), expected(sort));
    }
}

TEST_F(CatalogSorting, TheDefaultSortIsNewestFirst) {
    EXPECT_EQ(ids_of(catalog().list_products(visitor, product_query()).items),
              expected(product_sort::newest));
}

TEST_F(CatalogSorting, WalkingEveryPageGivesEveryProductOnceAndInOrder) {
    for (const auto sort : sorts) {
        for (const std::int64_t limit : {1, 2, 3, 5, 6, 7}) {
            SCOPED_TRACE(std::string(sort_name(sort)) + ", limit " + std::to_string(limit));
            product_query q;
            q.sort = sort;
            EXPECT_EQ(walk(visitor, q, limit), expected(sort));
        }
    }
}

TEST_F(CatalogSorting, ThePageThatEndsTheListingHasNoToken) {
    product_query q;
    page_request r;
    r.limit = 3;
    auto first = catalog().list_products(visitor, q, r);
    ASSERT_TRUE(first.has_more());
    r.token = first.next_token;
    auto second = catalog().list_products(visitor, q, r);
    EXPECT_EQ(second.items.size(), 3U);
    EXPECT_FALSE(second.has_more());
    r.limit = 6;
    r.token.clear();
    EXPECT_FALSE(catalog().list_products(visitor, q, r).has_more());
}

TEST_F(Catalog, NameSortComparesWholeNamesSoTrailingSpacesCount) {
    // Names are stored as given; "Lamp" sorts before "Lamp " on every backend.
    const product spaced = add("S1", "Lamp ", "1.00");
    const product plain = add("S2", "Lamp", "1.00");
    const product bang = add("S3", "Lamp!", "1.00");
    product_query q;
    q.sort = product_sort::name_ascending;
    EXPECT_EQ(walk(visitor, q, 1), (std::vector<product_id>{plain.id, spaced.id, bang.id}));
    q.sort = product_sort::name_descending;
    EXPECT_EQ(walk(visitor, q, 1), (std::vector<product_id>{bang.id, spaced.id, plain.id}));
    EXPECT_EQ(catalog().product_by_id(visitor, spaced.id).name, "Lamp ");
}

TEST_F(CatalogSorting, PagesStayStableWhileProductsAreAdded) {
    product_query q;
    q.sort = product_sort::price_ascending;
    page_request r;
    r.limit = 2;
    auto first = catalog().list_products(visitor, q, r);
    EXPECT_EQ(ids_of(first.items), (std::vector<product_id>{b.id, c.id}));
    // One that sorts before the cursor (not seen) and one after it (seen at its place).
    add("G", "Cheap", "1.00");
    const product dear = add("H", "Dear", "500.00");
    std::vector<product_id> rest;
    r.token = first.next_token;
    while (true) {
        auto pg = catalog().list_products(visitor, q, r);
        for (const auto& p : pg.items) rest.push_back(p.id);
        if (!pg.has_more()) break;
        r.token = pg.next_token;
    }
    EXPECT_EQ(rest, (std::vector<product_id>{d.id, a.id, e.id, f.id, dear.id}));

    // Newest first: products created after the first page are never seen.
    product_query newest;
    r.token.clear();
    auto top = catalog().list_products(visitor, newest, r);
    clock->advance_seconds(10);
    add("I", "Newer", "1.00");
    r.token = top.next_token;
    auto next = catalog().list_products(visitor, newest, r);
    for (const auto& p : next.items) EXPECT_NE(p.sku, "I");
}

TEST_F(CatalogSorting, SortingAppliesAfterFiltering) {
    product_query q;
    q.text = "lamp";
    q.sort = product_sort::price_descending;
    EXPECT_EQ(walk(visitor, q, 1), (std::vector<product_id>{a.id, c.id}));
    q.sort = product_sort::name_ascending;
    EXPECT_EQ(walk(visitor, q, 1), (std::vector<product_id>{a.id, c.id}));
}

TEST_F(CatalogSorting, ATokenUsedWithAnotherQueryIsRefused) {
    product_query q;
    q.sort = product_sort::price_ascending;
    page_request r;
    r.limit = 2;
    const std::string token = catalog().list_products(admin, q, r).next_token;
    ASSERT_FALSE(token.empty());

    std::vector<std::pair<const char*, product_query>> others;
    {
        product_query o = q;
        o.sort = product_sort::name_ascending;
        others.emplace_back("another sort", o);
    }
    {
        product_query o = q;
        o.text = "lamp";
        others.emplace_back("a text filter", o);
    }
    {
        product_query o = q;
        o.min_price = usd("1.00");
        others.emplace_back("a minimum price", o);
    }
    {
        product_query o = q;
        o.max_price = usd("100.00");
        others.emplace_back("a maximum price", o);
    }
    {
        product_query o = q;
        o.in_stock_only = true;
        others.emplace_back("in stock only", o);
    }
    {
        product_query o = q;
        o.include_inactive = true;
        others.emplace_back("include inactive", o);
    }
    {
        const category cat = make_category("Any");
        product_query o = q;
        o.category = cat.id;
        others.emplace_back("a category", o);
    }
    for (const auto& [what, other] : others) {
        SCOPED_TRACE(what);
        page_request reuse;
        reuse.limit = 2;
        reuse.token = token;
        try {
            (void)catalog().list_products(admin, other, reuse);
            ADD_FAILURE() << "accepted";
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "token");
        }
    }
}

TEST_F(CatalogSorting, ATokenForInactiveProductsDoesNotWorkForNonStaff) {
    product_query q;
    q.include_inactive = true;
    page_request r;
    r.limit = 2;
    r.token = catalog().list_products(admin, q, r).next_token;
    ASSERT_FALSE(r.token.empty());
    EXPECT_THROW((void)catalog().list_products(visitor, q, r), validation_error);
    EXPECT_NO_THROW((void)catalog().list_products(actor::system(), q, r));
}

TEST_F(CatalogSorting, ATamperedOrForeignTokenIsRefused) {
    product_query q;
    page_request r;
    r.limit = 2;
    const std::string token = catalog().list_products(visitor, q, r).next_token;
    ASSERT_GT(token.size(), 4U);

    std::vector<std::string> bad;
    for (std::size_t i = 0; i < token.size(); ++i) {
        std::string t = token;
        t[i] = t[i] == 'A' ? 'B' : 'A';
        bad.push_back(t);
    }
    bad.push_back(token.substr(0, token.size() - 1));
    bad.push_back(token + "A");
    bad.push_back("not a token");
    bad.push_back("%27%3B--");
    // A token from another listing: the stock movements of a product.
    inventory().adjust_stock(admin, a.id, 1, "one");
    inventory().adjust_stock(admin, a.id, 1, "two");
    page_request m;
    m.limit = 1;
    bad.push_back(inventory().movements(admin, a.id, m).next_token);
    ASSERT_FALSE(bad.back().empty());

    for (const auto& t : bad) {
        SCOPED_TRACE(t);
        page_request tampered;
        tampered.limit = 2;
        tampered.token = t;
        try {
            (void)catalog().list_products(visitor, q, tampered);
            ADD_FAILURE() << "accepted";
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "token");
        }
    }
}

TEST_F(Catalog, TheLimitIsCappedAtOneHundredAndMustBePositive) {
    for (int i = 0; i < 101; ++i) {
        add("BULK-" + std::to_string(i), "Bulk " + std::to_string(i), "1.00");
    }
    page_request r;
    r.limit = 1000;
    auto first = catalog().list_products(visitor, product_query(), r);
    EXPECT_EQ(first.items.size(), 100U);
    ASSERT_TRUE(first.has_more());
    r.token = first.next_token;
    auto second = catalog().list_products(visitor, product_query(), r);
    EXPECT_EQ(second.items.size(), 1U);
    EXPECT_FALSE(second.has_more());

    EXPECT_EQ(catalog().list_products(visitor, product_query()).items.size(),
              static_cast<std::size_t>(default_page_limit));
    for (const std::int64_t limit : {0, -1}) {
        page_request bad;
        bad.limit = limit;
        EXPECT_THROW((void)catalog().list_products(visitor, product_query(), bad),
                     validation_error);
    }
}

}  // namespace
}  // namespace shopcore::test

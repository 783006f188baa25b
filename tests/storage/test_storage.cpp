// The storage layer as a whole, on every backend: migrations, several shops on one database,
// and values (money, times, counts) that must survive the database exactly.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "expect_rejected.hpp"
#include "fixture.hpp"

namespace shopcore::test {
namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

class Storage : public shop_test {
protected:
    shop_options options(const char* currency_code = "USD") const {
        shop_options o;
        o.currency = currency_code;
        o.synchronous = sqlite_synchronous::normal;
        o.time_source = clock;
        return o;
    }

    // The versions recorded in schema_migrations, read straight from the database.
    std::vector<int> recorded_versions() {
        const auto rows = snapshot(url);
        const auto it = rows.find("schema_migrations");
        if (it == rows.end()) {
            ADD_FAILURE() << "no schema_migrations table";
            return {};
        }
        std::vector<int> out;
        for (const auto& row : it->second) out.push_back(std::stoi(row.substr(0, row.find('|'))));
        std::sort(out.begin(), out.end());
        return out;
    }
};

TEST_F(Storage, EveryMigrationIsAppliedOnceAndRecorded) {
    const std::vector<int> versions = recorded_versions();
    ASSERT_FALSE(versions.empty());
    // Numbered 1..N without gaps or repeats, and the shop reports the highest.
    for (std::size_t i = 0; i < versions.size(); ++i) {
        EXPECT_EQ(versions[i], static_cast<int>(i) + 1);
    }
    EXPECT_EQ(sh().schema_version(), versions.back());
    EXPECT_EQ(sh().backend(), backend());
}

TEST_F(Storage, ReopeningTheSameDatabaseAppliesNothingAndKeepsTheData) {
    const category cat = make_category("Kept");
    const product p = make_product("SKU-1", "12.34", 7, cat.id);
    inventory().take_stock(admin, p.id, quantity::of(2), "order");
    const int version = sh().schema_version();
    const auto before = snapshot(url);
    s.reset();

    s.emplace(shop::open(url, options()));
    EXPECT_EQ(sh().schema_version(), version);
    EXPECT_EQ(snapshot(url), before);
    EXPECT_EQ(catalog().product_by_sku(visitor, "SKU-1").price, usd("12.34"));
    EXPECT_EQ(catalog().category_by_slug(visitor, "kept").id, cat.id);
    EXPECT_EQ(inventory().stock_of(visitor, p.id).on_hand, 5);
    // And it keeps working: new ids do not collide with old ones.
    const product q = make_product("SKU-2");
    EXPECT_NE(q.id, p.id);
}

TEST_F(Storage, TwoShopsOnOneDatabaseSeeEachOthersWrites) {
    shop other = shop::open(url, options());
    EXPECT_EQ(other.schema_version(), sh().schema_version());

    const product mine = make_product("SKU-1", "10.00", 5);
    EXPECT_EQ(other.catalog().product_by_id(visitor, mine.id).sku, "SKU-1");

    new_product np;
    np.sku = "SKU-2";
    np.name = "Theirs";
    np.price = usd("3.00");
    np.initial_stock = 2;
    const product theirs = other.catalog().create_product(admin, np);
    EXPECT_EQ(catalog().product_by_id(visitor, theirs.id).name, "Theirs");
    EXPECT_NE(theirs.id, mine.id);

    // Stock taken through one is gone for the other: never sold twice.
    other.inventory().take_stock(admin, mine.id, quantity::of(4), "order A");
    EXPECT_EQ(inventory().stock_of(visitor, mine.id).on_hand, 1);
    EXPECT_THROW(inventory().take_stock(admin, mine.id, quantity::of(2), "order B"),
                 insufficient_stock_error);
    inventory().take_stock(admin, mine.id, quantity::of(1), "order C");
    EXPECT_EQ(other.inventory().stock_of(visitor, mine.id).on_hand, 0);

    // Optimistic locking works across shops.
    product_update u;
    u.name = "Renamed elsewhere";
    other.catalog().update_product(admin, mine.id, u);
    product_update stale;
    stale.name = "Renamed here";
    stale.expected_version = mine.version;
    EXPECT_THROW(catalog().update_product(admin, mine.id, stale), conflict_error);

    // The listing of one includes products created by the other.
    const auto listed = catalog().list_products(visitor, product_query()).items;
    std::set<product_id> ids;
    for (const auto& p : listed) ids.insert(p.id);
    EXPECT_EQ(ids, (std::set<product_id>{mine.id, theirs.id}));
}

TEST_F(Storage, LargeAmountsRoundTripExactly) {
    const currency usd_currency = currency::of("USD");
    struct big_case {
        std::int64_t price_minor;
        const char* rate;  // empty: no sale
        std::int64_t sale_price_minor;
    };
    const big_case cases[] = {
        {9'000'000'000'000'000'000, "", 9'000'000'000'000'000'000},
        {int64_max, "", int64_max},
        {int64_max, "12.5%", int64_max - 1'152'921'504'606'846'976},  // 2^63 / 8 rounded
        {9'007'199'254'740'993, "", 9'007'199'254'740'993},  // 2^53 + 1: no double can hold it
        {1, "", 1},
        {0, "", 0},
        {9'000'000'000'000'000, "12.5%", 7'875'000'000'000'000},
    };
    std::vector<product> made;
    int n = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.price_minor);
        new_product np;
        np.sku = "BIG-" + std::to_string(++n);
        np.name = "Big " + std::to_string(n);
        np.price = money::of_minor(c.price_minor, usd_currency);
        if (*c.rate != '\0') np.sale = sale_discount::percentage(ratio::parse(c.rate));
        np.weight = weight::of_grams(c.price_minor);
        np.initial_stock = c.price_minor;
        np.low_stock_threshold = c.price_minor;
        const product p = catalog().create_product(admin, np);
        EXPECT_EQ(p.sale_price.minor_units(), c.sale_price_minor);
        const product stored = catalog().product_by_id(visitor, p.id);
        EXPECT_EQ(stored.price.minor_units(), c.price_minor);
        EXPECT_EQ(stored.price.currency(), usd_currency);
        EXPECT_EQ(stored.sale_price.minor_units(), c.sale_price_minor);
        EXPECT_EQ(stored.weight.grams(), c.price_minor);
        const stock_level s = inventory().stock_of(visitor, p.id);
        EXPECT_EQ(s.on_hand, c.price_minor);
        EXPECT_EQ(s.low_stock_threshold, c.price_minor);
        made.push_back(stored);
    }

    // Filters and keyset pages over such values compare them exactly.
    product_query q;
    q.min_price = money::of_minor(9'007'199'254'740'993, usd_currency);
    q.max_price = money::of_minor(9'007'199'254'740'993, usd_currency);
    const auto exact = catalog().list_products(visitor, q).items;
    ASSERT_EQ(exact.size(), 1U);
    EXPECT_EQ(exact[0].sku, "BIG-4");

    product_query by_price;
    by_price.sort = product_sort::price_descending;
    page_request r;
    r.limit = 1;
    std::vector<std::string> skus;
    for (int pages = 0; pages < 10; ++pages) {
        auto pg = catalog().list_products(visitor, by_price, r);
        for (const auto& p : pg.items) skus.push_back(p.sku);
        if (!pg.has_more()) break;
        r.token = pg.next_token;
    }
    EXPECT_EQ(skus, (std::vector<std::string>{"BIG-2", "BIG-1", "BIG-3", "BIG-4", "BIG-7", "BIG-5",
                                              "BIG-6"}));

    // Nothing was stored as floating point.
    for (const auto& [table, rows] : snapshot(url)) {
        for (const auto& row : rows) {
            EXPECT_EQ(row.find("double!"), std::string::npos) << table << ": " << row;
        }
    }
}

TEST_F(Storage, TimesRoundTripToTheMicrosecond) {
    const timestamp times[] = {
        timestamp::from_micros(1'800'000'000'123'457),
        timestamp::from_micros(-1),  // just before the epoch
        timestamp::from_micros(0),
        timestamp::from_micros(253'402'300'799'999'999),  // 9999-12-31T23:59:59.999999Z
    };
    int n = 0;
    for (const auto& t : times) {
        SCOPED_TRACE(t.micros());
        clock->set(t);
        const product p = make_product("T-" + std::to_string(++n));
        const product stored = catalog().product_by_id(visitor, p.id);
        EXPECT_EQ(stored.created_at, t);
        EXPECT_EQ(stored.updated_at, t);
        EXPECT_EQ(inventory().stock_of(visitor, p.id).updated_at, t);
        const auto log = inventory().movements(admin, p.id).items;
        ASSERT_EQ(log.size(), 1U);
        EXPECT_EQ(log[0].at, t);
        const category c = make_category("Cat " + std::to_string(n));
        EXPECT_EQ(catalog().category_by_id(visitor, c.id).created_at, t);
    }
}

TEST_F(Storage, AShopInAThreeDigitCurrencyStoresItsMinorUnitsExactly) {
    s.reset();
    url = fresh_url();
    const currency bhd = currency::of("BHD");
    ASSERT_EQ(bhd.exponent(), 3);
    s.emplace(shop::open(url, options("BHD")));
    admin = actor::system();  // a fresh database has no admin account yet
    EXPECT_EQ(sh().shop_currency(), bhd);

    new_product np;
    np.sku = "BHD-1";
    np.name = "Dates";
    np.price = money::parse("1.234", bhd);
    np.sale = sale_discount::percentage(ratio::parse("12.5%"));  // 0.15425 -> 0.154
    const product p = catalog().create_product(admin, np);
    EXPECT_EQ(p.price.minor_units(), 1234);
    EXPECT_EQ(p.sale_price, money::parse("1.080", bhd));
    const product stored = catalog().product_by_id(visitor, p.id);
    EXPECT_EQ(stored.price, money::parse("1.234", bhd));
    EXPECT_EQ(stored.sale_price, money::parse("1.080", bhd));

    np.sku = "BHD-2";
    np.name = "Big dates";
    np.sale = sale_discount::none();
    np.price = money::of_minor(9'000'000'000'000'000'000, bhd);
    const product big = catalog().create_product(admin, np);
    EXPECT_EQ(catalog().product_by_id(visitor, big.id).price.minor_units(),
              9'000'000'000'000'000'000);

    // Dollars are refused in a dinar shop, in prices and in filters.
    np.sku = "BHD-3";
    np.name = "Dollar dates";
    np.price = usd("1.23");
    expect_rejected<validation_error>(url, [&] { catalog().create_product(admin, np); });
    product_query q;
    q.max_price = usd("5.00");
    EXPECT_THROW((void)catalog().list_products(visitor, q), validation_error);
    q.max_price = money::parse("1.080", bhd);
    const auto cheap = catalog().list_products(visitor, q).items;
    ASSERT_EQ(cheap.size(), 1U);
    EXPECT_EQ(cheap[0].id, p.id);

    // The currency is the shop's for good.
    s.reset();
    expect_rejected<validation_error>(url, [&] { (void)shop::open(url, options("USD")); });
    s.emplace(shop::open(url, options("BHD")));
    admin = actor::system();  // a fresh database has no admin account yet
    EXPECT_EQ(catalog().product_by_id(visitor, p.id).price.minor_units(), 1234);
}

TEST_F(Storage, AShopInAZeroDigitCurrencyRoundsToWholeUnits) {
    s.reset();
    url = fresh_url();
    const currency jpy = currency::of("JPY");
    s.emplace(shop::open(url, options("JPY")));
    admin = actor::system();  // a fresh database has no admin account yet
    new_product np;
    np.sku = "JPY-1";
    np.name = "Tea";
    np.price = money::parse("1500", jpy);
    np.sale = sale_discount::percentage(ratio::parse("12.5%"));  // 187.5 -> 188
    const product p = catalog().create_product(admin, np);
    EXPECT_EQ(p.sale_price, money::parse("1312", jpy));
    EXPECT_EQ(catalog().product_by_id(visitor, p.id).sale_price, money::parse("1312", jpy));
}

}  // namespace
}  // namespace shopcore::test

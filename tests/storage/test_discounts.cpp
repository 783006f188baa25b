// Discount codes on every backend: the admin API (create, validate, update, deactivate, find,
// list, generate, count uses, also from many threads at once), and codes on carts: applying,
// every refusal with the cart unchanged, hooks and events, scopes and free shipping.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <latch>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cart_fixture.hpp"
#include "expect_rejected.hpp"

namespace shopcore::test {
namespace {

constexpr std::string_view generated_alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

money eur(const char* text) { return money::parse(text, currency::of("EUR")); }

class Discounts : public cart_test {
protected:
    // Every code the listing returns for `q`, page by page.
    std::vector<discount_code> list_all(const discount_query& q, std::int64_t limit) {
        return all_pages(limit,
                         [&](const page_request& r) { return discounts().list(admin, q, r); });
    }

    static std::vector<std::string> codes_of(const std::vector<discount_code>& list) {
        std::vector<std::string> out;
        for (const auto& d : list) out.push_back(d.code);
        return out;
    }

    // Runs `call`, which must be refused with validation_error on `field`, writing nothing.
    template <class F>
    void expect_invalid(const std::string& what, const std::string& field, F&& call) {
        SCOPED_TRACE(what);
        auto e = expect_rejected<validation_error>(url, std::forward<F>(call));
        if (e) {
            EXPECT_EQ(e->field(), field) << e->what();
        }
    }
};

// ---- create -----------------------------------------------------------------------------------

TEST_F(Discounts, CreateUpperCasesTheCodeAndStoresEveryField) {
    const category shoes = make_category("Shoes");
    new_discount_code n;
    n.code = "  summer-sale_10 ";
    n.description = "Summer sale";
    n.kind = discount_kind::fixed_amount;
    n.amount = usd("12.50");
    n.scope = discount_scope::categories;
    n.categories = {shoes.id};
    n.min_subtotal = usd("50.00");
    n.min_quantity = 2;
    n.starts_at = clock->now().plus_seconds(60);
    n.ends_at = clock->now().plus_seconds(3600);
    n.usage_limit = 100;
    n.per_customer_limit = 2;
    n.audience = discount_audience::customers_only;
    n.exclusive = true;
    n.priority = 7;
    const discount_code d = discounts().create(admin, n);
    EXPECT_TRUE(d.id.is_valid());
    EXPECT_EQ(d.code, "SUMMER-SALE_10");
    EXPECT_EQ(d.description, "Summer sale");
    EXPECT_EQ(d.kind, discount_kind::fixed_amount);
    EXPECT_EQ(d.amount, usd("12.50"));
    EXPECT_EQ(d.scope, discount_scope::categories);
    EXPECT_EQ(d.categories, std::vector<category_id>{shoes.id});
    EXPECT_EQ(d.min_subtotal, std::optional<money>(usd("50.00")));
    EXPECT_EQ(d.min_quantity, 2);
    EXPECT_EQ(d.starts_at, n.starts_at);
    EXPECT_EQ(d.ends_at, n.ends_at);
    EXPECT_EQ(d.usage_limit, std::optional<std::int64_t>(100));
    EXPECT_EQ(d.per_customer_limit, std::optional<std::int64_t>(2));
    EXPECT_EQ(d.audience, discount_audience::customers_only);
    EXPECT_TRUE(d.exclusive);
    EXPECT_EQ(d.priority, 7);
    EXPECT_TRUE(d.active);
    EXPECT_EQ(d.times_used, 0);
    EXPECT_EQ(d.created_at, clock->now());
    EXPECT_EQ(d.version, 1);

    for (const discount_code& read :
         {discounts().by_id(admin, d.id), discounts().by_code(admin, "summer-SALE_10"),
          discounts().by_code(actor::system(), " SUMMER-SALE_10")}) {
        EXPECT_EQ(read.id, d.id);
        EXPECT_EQ(read.code, d.code);
        EXPECT_EQ(read.amount, d.amount);
        EXPECT_EQ(read.categories, d.categories);
        EXPECT_EQ(read.min_subtotal, d.min_subtotal);
        EXPECT_EQ(read.starts_at, d.starts_at);
        EXPECT_EQ(read.ends_at, d.ends_at);
        EXPECT_EQ(read.usage_limit, d.usage_limit);
        EXPECT_EQ(read.per_customer_limit, d.per_customer_limit);
        EXPECT_EQ(read.audience, d.audience);
        EXPECT_EQ(read.exclusive, d.exclusive);
        EXPECT_EQ(read.priority, d.priority);
        EXPECT_EQ(read.version, 1);
    }
}

TEST_F(Discounts, APercentageCodeKeepsItsPercent) {
    const discount_code d = create_code(percent_off("save10", 10));
    EXPECT_EQ(d.code, "SAVE10");
    EXPECT_EQ(d.kind, discount_kind::percentage);
    EXPECT_EQ(d.percent, ratio::percent(10));
    EXPECT_EQ(discounts().by_id(admin, d.id).percent, ratio::percent(10));
}

TEST_F(Discounts, ACodeThatExistsInAnyCaseIsAConflict) {
    (void)create_code(percent_off("SAVE10", 10));
    for (const char* again : {"SAVE10", "save10", " Save10 "}) {
        SCOPED_TRACE(again);
        expect_rejected<conflict_error>(url, [&] { (void)create_code(percent_off(again, 20)); });
    }
}

TEST_F(Discounts, OnlyAdminsWithManageDiscountsManageCodes) {
    const discount_code d = create_code(percent_off("SAVE10", 10));
    registration r;
    r.phone = "+15550000777";
    r.password = std::string("correct horse battery staple");
    const actor catalog_admin =
        actor::admin(accounts().create_admin(admin, r, {permission::manage_catalog}).user.id);
    r.phone = "+15550000778";
    const actor discount_admin =
        actor::admin(accounts().create_admin(admin, r, {permission::manage_discounts}).user.id);
    const actor alice = sign_up("+15551000001");

    for (const actor& who : {visitor, customer, alice, catalog_admin}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        expect_rejected<permission_denied_error>(
            url, [&] { (void)discounts().create(who, percent_off("OTHER", 5)); });
        discount_code_update u;
        u.description = "changed";
        expect_rejected<permission_denied_error>(url,
                                                 [&] { (void)discounts().update(who, d.id, u); });
        expect_rejected<permission_denied_error>(url,
                                                 [&] { (void)discounts().deactivate(who, d.id); });
        expect_rejected<permission_denied_error>(url, [&] { (void)discounts().by_id(who, d.id); });
        expect_rejected<permission_denied_error>(url,
                                                 [&] { (void)discounts().by_code(who, "SAVE10"); });
        expect_rejected<permission_denied_error>(url, [&] { (void)discounts().list(who, {}); });
        expect_rejected<permission_denied_error>(
            url, [&] { (void)discounts().generate(who, percent_off("", 5), 3); });
        expect_rejected<permission_denied_error>(
            url, [&] { (void)discounts().record_use(who, d.id, std::nullopt); });
    }
    EXPECT_EQ(discounts().create(discount_admin, percent_off("STAFF5", 5)).code, "STAFF5");
    EXPECT_EQ(discounts().create(actor::system(), percent_off("SYSTEM5", 5)).code, "SYSTEM5");
}

TEST_F(Discounts, CreatingACodeWithBadFieldsIsRefusedAndWritesNothing) {
    const category shoes = make_category("Shoes");
    const product p = make_product("SKU-1");
    const auto bad = [&](const std::string& what, const std::string& field,
                         const std::function<void(new_discount_code&)>& spoil) {
        new_discount_code n = percent_off("GOOD10", 10);
        spoil(n);
        expect_invalid(what, field, [&] { (void)discounts().create(admin, n); });
    };
    bad("empty code", "code", [](auto& n) { n.code = ""; });
    bad("blank code", "code", [](auto& n) { n.code = "   "; });
    bad("2 characters", "code", [](auto& n) { n.code = "AB"; });
    bad("65 characters", "code", [](auto& n) { n.code = std::string(65, 'A'); });
    bad("inner space", "code", [](auto& n) { n.code = "SAVE 10"; });
    bad("punctuation", "code", [](auto& n) { n.code = "SAVE!10"; });
    bad("percent sign", "code", [](auto& n) { n.code = "SAVE10%"; });
    bad("non-ASCII", "code", [](auto& n) {
        n.code =
            "R\xC3\x84"
            "BATT";
    });
    bad("description of 501", "description",
        [](auto& n) { n.description = std::string(501, 'd'); });
    bad("zero percent", "percent", [](auto& n) { n.percent = ratio(); });
    bad("above 100 percent", "percent", [](auto& n) { n.percent = ratio::of(101, 100); });
    bad("negative percent", "percent", [](auto& n) { n.percent = ratio::of(-1, 10); });
    bad("zero amount", "amount", [&](auto& n) {
        n.kind = discount_kind::fixed_amount;
        n.amount = usd("0.00");
    });
    bad("negative amount", "amount", [&](auto& n) {
        n.kind = discount_kind::fixed_amount;
        n.amount = usd("-1.00");
    });
    bad("amount in EUR", "amount", [&](auto& n) {
        n.kind = discount_kind::fixed_amount;
        n.amount = eur("5.00");
    });
    bad("no category", "categories", [](auto& n) { n.scope = discount_scope::categories; });
    bad("no product", "products", [](auto& n) { n.scope = discount_scope::products; });
    bad("unknown category", "categories", [&](auto& n) {
        n.scope = discount_scope::categories;
        n.categories = {shoes.id, category_id(4242)};
    });
    bad("unknown product", "products", [&](auto& n) {
        n.scope = discount_scope::products;
        n.products = {p.id, product_id(4242)};
    });
    bad("ends when it starts", "ends_at", [&](auto& n) {
        n.starts_at = clock->now();
        n.ends_at = clock->now();
    });
    bad("ends before it starts", "ends_at", [&](auto& n) {
        n.starts_at = clock->now();
        n.ends_at = clock->now().plus_seconds(-1);
    });
    bad("usage limit 0", "usage_limit", [](auto& n) { n.usage_limit = 0; });
    bad("per-customer limit 0", "per_customer_limit", [](auto& n) { n.per_customer_limit = 0; });
    bad("negative minimum subtotal", "min_subtotal",
        [&](auto& n) { n.min_subtotal = usd("-0.01"); });
    bad("minimum subtotal in EUR", "min_subtotal", [&](auto& n) { n.min_subtotal = eur("1.00"); });
    bad("negative minimum quantity", "min_quantity", [](auto& n) { n.min_quantity = -1; });
    EXPECT_EQ(rows("discount_code"), 0u);

    // The edges that are allowed.
    EXPECT_EQ(create_code(percent_off("ABC", 100)).percent, ratio::of(1, 1));
    EXPECT_EQ(create_code(percent_off(std::string(64, 'Z'), 1)).code, std::string(64, 'Z'));
}

// ---- update, deactivate, find -------------------------------------------------------------------

TEST_F(Discounts, UpdateChangesTheGivenFieldsAndIncrementsTheVersion) {
    new_discount_code n = percent_off("SAVE10", 10);
    n.min_subtotal = usd("20.00");
    n.usage_limit = 5;
    const discount_code d = create_code(n);
    clock->advance_seconds(60);
    discount_code_update u;
    u.description = "Now fifteen";
    u.percent = ratio::percent(15);
    u.clear_min_subtotal = true;
    u.min_quantity = 2;
    u.ends_at = clock->now().plus_seconds(3600);
    u.usage_limit = 50;
    u.per_customer_limit = 1;
    u.audience = discount_audience::customers_only;
    u.exclusive = true;
    u.priority = 3;
    u.expected_version = 1;
    const discount_code changed = discounts().update(admin, d.id, u);
    EXPECT_EQ(changed.version, 2);
    EXPECT_EQ(changed.code, "SAVE10");
    EXPECT_EQ(changed.updated_at, clock->now());
    const discount_code read = discounts().by_id(admin, d.id);
    for (const discount_code& x : {changed, read}) {
        EXPECT_EQ(x.description, "Now fifteen");
        EXPECT_EQ(x.percent, ratio::percent(15));
        EXPECT_FALSE(x.min_subtotal.has_value());
        EXPECT_EQ(x.min_quantity, 2);
        EXPECT_EQ(x.ends_at, u.ends_at);
        EXPECT_EQ(x.usage_limit, std::optional<std::int64_t>(50));
        EXPECT_EQ(x.per_customer_limit, std::optional<std::int64_t>(1));
        EXPECT_EQ(x.audience, discount_audience::customers_only);
        EXPECT_TRUE(x.exclusive);
        EXPECT_EQ(x.priority, 3);
        EXPECT_TRUE(x.active);
        EXPECT_EQ(x.version, 2);
    }
    discount_code_update clear;
    clear.clear_ends_at = true;
    clear.clear_usage_limit = true;
    clear.clear_per_customer_limit = true;
    const discount_code cleared = discounts().update(admin, d.id, clear);
    EXPECT_FALSE(cleared.ends_at.has_value());
    EXPECT_FALSE(cleared.usage_limit.has_value());
    EXPECT_FALSE(cleared.per_customer_limit.has_value());
    EXPECT_EQ(discounts().by_id(admin, d.id).version, 3);
}

TEST_F(Discounts, UpdateWithAStaleVersionOrBadFieldsChangesNothing) {
    const discount_code d = create_code(percent_off("SAVE10", 10));
    discount_code_update first;
    first.description = "first";
    (void)discounts().update(admin, d.id, first);

    discount_code_update stale;
    stale.description = "stale";
    stale.expected_version = 1;
    expect_rejected<conflict_error>(url, [&] { (void)discounts().update(admin, d.id, stale); });

    const auto bad = [&](const std::string& what, const std::string& field,
                         const std::function<void(discount_code_update&)>& spoil) {
        discount_code_update u;
        spoil(u);
        expect_invalid(what, field, [&] { (void)discounts().update(admin, d.id, u); });
    };
    bad("zero percent", "percent", [](auto& u) { u.percent = ratio(); });
    bad("over 100 percent", "percent", [](auto& u) { u.percent = ratio::of(3, 2); });
    bad("usage limit 0", "usage_limit", [](auto& u) { u.usage_limit = 0; });
    bad("negative minimum quantity", "min_quantity", [](auto& u) { u.min_quantity = -5; });
    bad("end before start", "ends_at", [&](auto& u) {
        u.starts_at = clock->now();
        u.ends_at = clock->now().plus_seconds(-60);
    });
    bad("description of 501", "description",
        [](auto& u) { u.description = std::string(501, 'x'); });
    expect_rejected<not_found_error>(
        url, [&] { (void)discounts().update(admin, discount_id(4242), first); });
    EXPECT_EQ(discounts().by_id(admin, d.id).description, "first");
}

TEST_F(Discounts, DeactivateMakesACodeInactiveAndASecondTimeWritesNothing) {
    const discount_code d = create_code(percent_off("SAVE10", 10));
    clock->advance_seconds(10);
    const discount_code off = discounts().deactivate(admin, d.id);
    EXPECT_FALSE(off.active);
    EXPECT_EQ(off.version, 2);
    EXPECT_EQ(off.updated_at, clock->now());
    EXPECT_FALSE(discounts().by_id(admin, d.id).active);
    const auto before = snapshot(url);
    clock->advance_seconds(10);
    const discount_code again = discounts().deactivate(admin, d.id);
    EXPECT_FALSE(again.active);
    EXPECT_EQ(again.version, 2);
    EXPECT_EQ(snapshot(url), before);
    expect_rejected<not_found_error>(
        url, [&] { (void)discounts().deactivate(admin, discount_id(4242)); });
}

TEST_F(Discounts, UnknownCodesAreNotFound) {
    (void)create_code(percent_off("SAVE10", 10));
    EXPECT_THROW((void)discounts().by_id(admin, discount_id(4242)), not_found_error);
    EXPECT_THROW((void)discounts().by_code(admin, "SAVE11"), not_found_error);
    EXPECT_THROW((void)discounts().by_code(admin, ""), not_found_error);
}

// ---- list
// -----------------------------------------------------------------------------------------

TEST_F(Discounts, ListPagesThroughEveryCodeExactlyOnceInCodeOrder) {
    std::vector<std::string> made;
    for (int i = 1; i <= 9; ++i) made.push_back("SPRING-0" + std::to_string(i));
    for (int i = 1; i <= 7; ++i) made.push_back("SUMMER-0" + std::to_string(i));
    for (const char* c : {"AUTUMN", "AUTUMN_2", "AUTUMN-2", "WINTER", "Z9-LAST", "0-FIRST"}) {
        made.emplace_back(c);
    }
    // Created out of order.
    std::vector<std::string> shuffled = made;
    std::reverse(shuffled.begin(), shuffled.end());
    std::rotate(shuffled.begin(), shuffled.begin() + 7, shuffled.end());
    for (const auto& c : shuffled) {
        new_discount_code n = percent_off(c, 5);
        n.active = c.rfind("SUMMER-0", 0) != 0 || c.back() > '4';  // SUMMER-01..04 inactive
        (void)create_code(n);
    }
    std::vector<std::string> sorted = made;
    std::sort(sorted.begin(), sorted.end());

    for (const std::int64_t limit : {1, 4, 7, 22, 100}) {
        SCOPED_TRACE(limit);
        EXPECT_EQ(codes_of(list_all({}, limit)), sorted);
    }
    const auto page1 = discounts().list(admin, {}, page_request{22, ""});
    EXPECT_EQ(page1.items.size(), 22u);
    EXPECT_FALSE(page1.has_more());
    EXPECT_EQ(discounts().list(admin, {}).items.size(), 20u);  // the default limit
}

TEST_F(Discounts, ListFiltersByPrefixCaseInsensitivelyAndByActivity) {
    for (const char* c : {"SPRING-1", "SPRING-2", "SPRING-3", "SUMMER-1", "SUMMER-2", "SPR"}) {
        new_discount_code n = percent_off(c, 5);
        n.active = std::string(c) != "SPRING-2" && std::string(c) != "SUMMER-1";
        (void)create_code(n);
    }
    discount_query spring;
    spring.prefix = "spring-";
    EXPECT_EQ(codes_of(list_all(spring, 2)),
              (std::vector<std::string>{"SPRING-1", "SPRING-2", "SPRING-3"}));
    discount_query spr;
    spr.prefix = "SPR";
    EXPECT_EQ(codes_of(list_all(spr, 2)),
              (std::vector<std::string>{"SPR", "SPRING-1", "SPRING-2", "SPRING-3"}));
    discount_query inactive;
    inactive.active = false;
    EXPECT_EQ(codes_of(list_all(inactive, 1)), (std::vector<std::string>{"SPRING-2", "SUMMER-1"}));
    discount_query active_spring;
    active_spring.prefix = "S";
    active_spring.active = true;
    EXPECT_EQ(codes_of(list_all(active_spring, 3)),
              (std::vector<std::string>{"SPR", "SPRING-1", "SPRING-3", "SUMMER-2"}));
    discount_query nothing;
    nothing.prefix = "WINTER";
    EXPECT_TRUE(list_all(nothing, 5).empty());
    for (const auto& d : list_all(active_spring, 3)) EXPECT_TRUE(d.active);
}

TEST_F(Discounts, AnUnderscoreInTheListPrefixIsNotAWildcard) {
    for (const char* c : {"WINTERA1", "WINTERB1", "WINTERC1", "WINTER_1", "WINTER_2"}) {
        (void)create_code(percent_off(c, 5));
    }
    discount_query q;
    q.prefix = "WINTER_";
    for (const std::int64_t limit : {1, 2, 3, 100}) {
        SCOPED_TRACE(limit);
        EXPECT_EQ(codes_of(list_all(q, limit)), (std::vector<std::string>{"WINTER_1", "WINTER_2"}));
    }
}

TEST_F(Discounts, ListRefusesBadPrefixesTokensAndLimits) {
    for (int i = 0; i < 5; ++i) (void)create_code(percent_off("CODE-" + std::to_string(i), 5));
    discount_query q;
    q.prefix = "CO%";
    expect_invalid("wildcard prefix", "prefix", [&] { (void)discounts().list(admin, q); });
    q.prefix = "CO DE";
    expect_invalid("prefix with a space", "prefix", [&] { (void)discounts().list(admin, q); });
    expect_invalid("limit 0", "limit", [&] {
        (void)discounts().list(admin, {}, page_request{0, ""});
    });
    expect_invalid("garbage token", "token", [&] {
        (void)discounts().list(admin, {}, page_request{2, "not-a-token"});
    });
    const auto first = discounts().list(admin, {}, page_request{2, ""});
    ASSERT_TRUE(first.has_more());
    discount_query other;
    other.active = true;
    expect_invalid("token of another query", "token", [&] {
        (void)discounts().list(admin, other, page_request{2, first.next_token});
    });
}

// ---- generate
// -------------------------------------------------------------------------------------

TEST_F(Discounts, GenerateCreatesDistinctCodesFromTheUnambiguousAlphabet) {
    new_discount_code rules = percent_off("ignored", 15);
    rules.usage_limit = 1;
    const auto made = discounts().generate(admin, rules, 60, code_generation{"xmas-", 10});
    ASSERT_EQ(made.size(), 60u);
    std::set<std::string> distinct;
    std::set<std::int64_t> ids;
    for (const discount_code& d : made) {
        distinct.insert(d.code);
        ids.insert(d.id.value());
        ASSERT_EQ(d.code.size(), 15u) << d.code;
        EXPECT_EQ(d.code.substr(0, 5), "XMAS-");
        for (const char c : d.code.substr(5)) {
            EXPECT_NE(generated_alphabet.find(c), std::string_view::npos) << d.code;
        }
        EXPECT_EQ(d.kind, discount_kind::percentage);
        EXPECT_EQ(d.percent, ratio::percent(15));
        EXPECT_EQ(d.usage_limit, std::optional<std::int64_t>(1));
        EXPECT_TRUE(d.active);
    }
    EXPECT_EQ(distinct.size(), 60u);
    EXPECT_EQ(ids.size(), 60u);
    discount_query q;
    q.prefix = "XMAS-";
    const auto stored = codes_of(list_all(q, 100));
    EXPECT_EQ(std::set<std::string>(stored.begin(), stored.end()), distinct);
    EXPECT_EQ(discounts().by_code(admin, made.front().code).id, made.front().id);

    // Without a prefix, the shortest and the longest random parts.
    const auto shortest = discounts().generate(admin, rules, 3, code_generation{"", 8});
    for (const auto& d : shortest) EXPECT_EQ(d.code.size(), 8u);
    const auto longest = discounts().generate(admin, rules, 2, code_generation{"", 32});
    for (const auto& d : longest) EXPECT_EQ(d.code.size(), 32u);
}

TEST_F(Discounts, GenerateRefusesOutOfRangeCountsLengthsAndPrefixes) {
    const new_discount_code rules = percent_off("", 10);
    for (const std::int64_t count : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{100001}}) {
        expect_invalid("count " + std::to_string(count), "count",
                       [&] { (void)discounts().generate(admin, rules, count); });
    }
    for (const std::int64_t length : {std::int64_t{7}, std::int64_t{33}, std::int64_t{0}}) {
        expect_invalid("random length " + std::to_string(length), "random_length", [&] {
            (void)discounts().generate(admin, rules, 1, code_generation{"", length});
        });
    }
    expect_invalid("prefix too long", "prefix", [&] {
        (void)discounts().generate(admin, rules, 1, code_generation{std::string(57, 'P'), 8});
    });
    expect_invalid("prefix with a space", "prefix", [&] {
        (void)discounts().generate(admin, rules, 1, code_generation{"X MAS-", 8});
    });
    new_discount_code bad_rules = rules;
    bad_rules.percent = ratio();
    expect_invalid("bad rules", "percent",
                   [&] { (void)discounts().generate(admin, bad_rules, 5); });
    // A prefix of 56 and 8 random symbols make the longest code.
    EXPECT_EQ(discounts()
                  .generate(admin, rules, 1, code_generation{std::string(56, 'P'), 8})
                  .at(0)
                  .code.size(),
              64u);
}

// ---- counting uses
// --------------------------------------------------------------------------------

TEST_F(Discounts, RecordUseCountsUntilTheTotalLimitThenRefusesAsExhausted) {
    new_discount_code n = percent_off("TWICE", 10);
    n.usage_limit = 2;
    const discount_code d = create_code(n);
    const actor alice = sign_up("+15551000001");
    EXPECT_EQ(discounts().record_use(admin, d.id, std::nullopt).times_used, 1);
    EXPECT_EQ(discounts().record_use(actor::system(), d.id, alice.user()).times_used, 2);
    auto e = expect_rejected<discount_rejected_error>(
        url, [&] { (void)discounts().record_use(admin, d.id, std::nullopt); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code(), error_code::discount_rejected);
    EXPECT_EQ(e->reason(), "exhausted");
    EXPECT_EQ(e->code_text(), "TWICE");
    EXPECT_EQ(discounts().by_id(admin, d.id).times_used, 2);
    EXPECT_EQ(rows("discount_use"), 2u);

    new_discount_code once = percent_off("ONCE", 10);
    once.single_use = true;
    const discount_code single = create_code(once);
    EXPECT_EQ(discounts().record_use(admin, single.id, alice.user()).times_used, 1);
    auto used_up = expect_rejected<discount_rejected_error>(
        url, [&] { (void)discounts().record_use(admin, single.id, std::nullopt); });
    ASSERT_TRUE(used_up.has_value());
    EXPECT_EQ(used_up->reason(), "exhausted");

    expect_rejected<not_found_error>(
        url, [&] { (void)discounts().record_use(admin, discount_id(4242), std::nullopt); });
}

TEST_F(Discounts, RecordUseRefusesACustomerOverTheirLimitAsAlreadyUsed) {
    new_discount_code n = percent_off("WELCOME", 10);
    n.per_customer_limit = 2;
    const discount_code d = create_code(n);
    const actor alice = sign_up("+15551000001");
    const actor bob = sign_up("+15551000002");
    (void)discounts().record_use(admin, d.id, alice.user());
    (void)discounts().record_use(admin, d.id, alice.user());
    auto e = expect_rejected<discount_rejected_error>(
        url, [&] { (void)discounts().record_use(admin, d.id, alice.user()); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->reason(), "already_used");
    EXPECT_EQ(e->code_text(), "WELCOME");
    EXPECT_EQ(discounts().record_use(admin, d.id, bob.user()).times_used, 3);
    // Guests are not limited per customer.
    EXPECT_EQ(discounts().record_use(admin, d.id, std::nullopt).times_used, 4);
    EXPECT_EQ(discounts().record_use(admin, d.id, std::nullopt).times_used, 5);
}

TEST_F(Discounts, RecordUseJudgesTheTotalLimitBeforeTheCustomersLimit) {
    // As the pricing engine judges them: a code used up in total is "exhausted", even for the
    // customer who used it up.
    new_discount_code n = percent_off("FIRST", 10);
    n.usage_limit = 1;
    n.per_customer_limit = 1;
    const discount_code d = create_code(n);
    const actor alice = sign_up("+15551000001");
    const actor bob = sign_up("+15551000002");
    EXPECT_EQ(discounts().record_use(admin, d.id, alice.user()).times_used, 1);
    for (const actor& who : {alice, bob}) {
        auto e = expect_rejected<discount_rejected_error>(
            url, [&] { (void)discounts().record_use(admin, d.id, who.user()); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->reason(), "exhausted") << e->what();
        EXPECT_EQ(e->code_text(), "FIRST");
    }
    EXPECT_EQ(discounts().by_id(admin, d.id).times_used, 1);
    EXPECT_EQ(rows("discount_use"), 1u);
}

TEST_F(Discounts, ConcurrentUsesNeverExceedTheTotalLimit) {
    new_discount_code n = percent_off("TEN", 10);
    n.usage_limit = 10;
    const discount_code d = create_code(n);
    const auto results = race(20, [&] {
        return outcome([&] { (void)discounts().record_use(admin, d.id, std::nullopt); });
    });
    EXPECT_EQ(std::count(results.begin(), results.end(), "ok"), 10);
    EXPECT_EQ(std::count(results.begin(), results.end(), "exhausted"), 10);
    for (const auto& r : results) EXPECT_TRUE(r == "ok" || r == "exhausted") << r;
    EXPECT_EQ(discounts().by_id(admin, d.id).times_used, 10);
    EXPECT_EQ(rows("discount_use"), 10u);
}

TEST_F(Discounts, ConcurrentUsesByOneCustomerNeverExceedTheirLimit) {
    new_discount_code n = percent_off("ONCE-EACH", 10);
    n.per_customer_limit = 1;
    const discount_code d = create_code(n);
    const actor alice = sign_up("+15551000001");
    const auto results = race(10, [&] {
        return outcome([&] { (void)discounts().record_use(admin, d.id, alice.user()); });
    });
    EXPECT_EQ(std::count(results.begin(), results.end(), "ok"), 1);
    EXPECT_EQ(std::count(results.begin(), results.end(), "already_used"), 9);
    for (const auto& r : results) EXPECT_TRUE(r == "ok" || r == "already_used") << r;
    EXPECT_EQ(discounts().by_id(admin, d.id).times_used, 1);
    EXPECT_EQ(rows("discount_use"), 1u);
}

TEST_F(Discounts, ConcurrentUsesByOneCustomerStopAtTheirLimitAsAlreadyUsedNeverAsConflicts) {
    // Racing uses of one customer compete for the same use numbers; the losers must be counted
    // again or refused as already_used, never surface as conflict_error.
    new_discount_code n = percent_off("TEN-EACH", 10);
    n.per_customer_limit = 10;
    const discount_code d = create_code(n);
    const actor alice = sign_up("+15551000001");
    const auto results = race(20, [&] {
        return outcome([&] { (void)discounts().record_use(actor::system(), d.id, alice.user()); });
    });
    EXPECT_EQ(std::count(results.begin(), results.end(), "ok"), 10);
    EXPECT_EQ(std::count(results.begin(), results.end(), "already_used"), 10);
    for (const auto& r : results) EXPECT_TRUE(r == "ok" || r == "already_used") << r;
    EXPECT_EQ(discounts().by_id(admin, d.id).times_used, 10);
    EXPECT_EQ(rows("discount_use"), 10u);
}

TEST_F(Discounts, ConcurrentUsesEachReturnTheCountTheirOwnUseMade) {
    // record_use returns the code as its use left it: under contention every caller must see a
    // different count, 1..20 (it once returned a count read before the row was locked).
    const discount_code d = create_code(percent_off("EVERYONE", 10));
    const auto results = race(20, [&] {
        return std::to_string(
            discounts().record_use(actor::system(), d.id, std::nullopt).times_used);
    });
    std::vector<std::string> expected;
    for (int i = 1; i <= 20; ++i) expected.push_back(std::to_string(i));
    std::vector<std::string> got = results;
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(got, expected);
    EXPECT_EQ(discounts().by_id(admin, d.id).times_used, 20);
}

// ---- codes on carts
// -------------------------------------------------------------------------------

class CartCodes : public cart_test {
protected:
    void SetUp() override {
        cart_test::SetUp();
        alice = sign_up("+15551000001");
        item = make_product("SKU-1", "100.00", 10);
        carts().add_item(alice, own(), item.id, 1);
    }

    // Applies `code` to alice's cart expecting `reason`, with nothing written.
    std::optional<discount_rejected_error> refused(const std::string& code,
                                                   const std::string& reason) {
        return refused_on(alice, own(), code, reason);
    }

    std::optional<discount_rejected_error> refused_on(const actor& by, const cart_ref& ref,
                                                      const std::string& code,
                                                      const std::string& reason) {
        SCOPED_TRACE(code + " expecting " + reason);
        auto e = expect_rejected<discount_rejected_error>(
            url, [&] { (void)carts().apply_code(by, ref, code); });
        if (e) {
            EXPECT_EQ(e->reason(), reason) << e->what();
            EXPECT_EQ(e->code(), error_code::discount_rejected);
        }
        return e;
    }

    actor alice;
    product item;
};

TEST_F(CartCodes, APercentageCodeTakesItsShareOffTheSubtotal) {
    const discount_code d = create_code(percent_off("SAVE10", 10));
    const std::int64_t version = carts().get(alice, own()).version;
    const cart k = carts().apply_code(alice, own(), "SAVE10");
    EXPECT_EQ(k.codes, std::vector<std::string>{"SAVE10"});
    EXPECT_EQ(k.version, version + 1);
    const priced_cart priced = carts().price(alice, own());
    const price_breakdown& b = priced.breakdown;
    EXPECT_EQ(b.subtotal, usd("100.00"));
    EXPECT_EQ(b.discount_total, usd("10.00"));
    EXPECT_EQ(b.total, usd("90.00"));
    ASSERT_EQ(b.applied.size(), 1u);
    EXPECT_EQ(b.applied[0].code, "SAVE10");
    EXPECT_EQ(b.applied[0].amount, usd("10.00"));
    ASSERT_EQ(b.line_discounts.size(), 1u);
    EXPECT_EQ(b.line_discounts[0].line, 0u);
    EXPECT_EQ(b.line_discounts[0].amount, usd("10.00"));
    ASSERT_EQ(b.lines.size(), 1u);
    EXPECT_EQ(b.lines[0].discount, usd("10.00"));
    EXPECT_EQ(b.lines[0].total, usd("90.00"));
    EXPECT_TRUE(b.refused.empty());
    EXPECT_EQ(discounts().by_id(admin, d.id).times_used, 0) << "applying is not using";
}

TEST_F(CartCodes, CodesAreMatchedCaseInsensitively) {
    (void)create_code(percent_off("SAVE10", 10));
    EXPECT_EQ(carts().apply_code(alice, own(), "  save10 ").codes,
              std::vector<std::string>{"SAVE10"});
    auto again = refused("Save10", "already_applied");
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->code_text(), "SAVE10");
}

TEST_F(CartCodes, AnUnknownCodeIsRefusedAsUnknownCode) {
    (void)create_code(percent_off("SAVE10", 10));
    auto e = refused("save11", "unknown_code");
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code_text(), "SAVE11");
    (void)refused("", "unknown_code");
    // A guest cart too.
    const guest_cart g = carts().create_guest_cart(visitor);
    (void)refused_on(visitor, by_token(g.token), "NOPE", "unknown_code");
}

TEST_F(CartCodes, AGuestCartTakesCodesForEveryone) {
    (void)create_code(percent_off("SAVE10", 10));
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), item.id, 2);
    EXPECT_EQ(carts().apply_code(visitor, by_token(g.token), "save10").codes,
              std::vector<std::string>{"SAVE10"});
    EXPECT_EQ(carts().price(visitor, by_token(g.token)).breakdown.discount_total, usd("20.00"));
}

TEST_F(CartCodes, AnInactiveCodeIsRefused) {
    new_discount_code n = percent_off("OFF", 10);
    n.active = false;
    (void)create_code(n);
    (void)refused("OFF", "inactive");
    const discount_code later = create_code(percent_off("LATER", 10));
    (void)discounts().deactivate(admin, later.id);
    (void)refused("LATER", "inactive");
}

TEST_F(CartCodes, ACodeBeforeItsStartIsRefusedAsNotStarted) {
    new_discount_code n = percent_off("SOON", 10);
    n.starts_at = clock->now().plus_seconds(3600);
    (void)create_code(n);
    (void)refused("SOON", "not_started");
    clock->advance_seconds(3600);  // the start is inclusive
    EXPECT_EQ(carts().apply_code(alice, own(), "SOON").codes, std::vector<std::string>{"SOON"});
}

TEST_F(CartCodes, ACodeAtOrAfterItsEndIsRefusedAsExpired) {
    new_discount_code n = percent_off("BRIEF", 10);
    n.ends_at = clock->now().plus_seconds(3600);
    (void)create_code(n);
    clock->advance_seconds(3600);  // the end is exclusive
    auto e = refused("BRIEF", "expired");
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code_text(), "BRIEF");
}

TEST_F(CartCodes, AUsedUpCodeIsRefusedAsExhausted) {
    new_discount_code n = percent_off("LIMITED", 10);
    n.usage_limit = 1;
    const discount_code d = create_code(n);
    (void)discounts().record_use(admin, d.id, std::nullopt);
    (void)refused("LIMITED", "exhausted");
    new_discount_code s = percent_off("SINGLE", 10);
    s.single_use = true;
    const discount_code single = create_code(s);
    (void)discounts().record_use(admin, single.id, std::nullopt);
    (void)refused("SINGLE", "exhausted");
}

TEST_F(CartCodes, ACodeTheCustomerUsedUpIsRefusedAsAlreadyUsed) {
    new_discount_code n = percent_off("WELCOME", 10);
    n.per_customer_limit = 1;
    const discount_code d = create_code(n);
    (void)discounts().record_use(admin, d.id, alice.user());
    (void)refused("WELCOME", "already_used");
    // Another customer still may.
    const actor bob = sign_up("+15551000002");
    carts().add_item(bob, own(), item.id, 1);
    EXPECT_EQ(carts().apply_code(bob, own(), "WELCOME").codes, std::vector<std::string>{"WELCOME"});
}

TEST_F(CartCodes, ACustomersOnlyCodeOnAGuestCartNeedsASignIn) {
    new_discount_code members = percent_off("MEMBERS", 10);
    members.audience = discount_audience::customers_only;
    (void)create_code(members);
    new_discount_code limited = percent_off("ONEEACH", 10);
    limited.per_customer_limit = 1;
    (void)create_code(limited);
    const guest_cart g = carts().create_guest_cart(visitor);
    carts().add_item(visitor, by_token(g.token), item.id, 1);
    (void)refused_on(visitor, by_token(g.token), "MEMBERS", "login_required");
    (void)refused_on(visitor, by_token(g.token), "ONEEACH", "login_required");
    EXPECT_EQ(carts().apply_code(alice, own(), "MEMBERS").codes,
              std::vector<std::string>{"MEMBERS"});
}

TEST_F(CartCodes, AStaffOnlyCodeIsRefusedToCustomers) {
    new_discount_code n = percent_off("STAFF", 30);
    n.audience = discount_audience::staff_only;
    (void)create_code(n);
    (void)refused("STAFF", "staff_only");
    carts().add_item(admin, own(), item.id, 1);
    EXPECT_EQ(carts().apply_code(admin, own(), "STAFF").codes, std::vector<std::string>{"STAFF"});
    EXPECT_EQ(carts().price(admin, own()).breakdown.discount_total, usd("30.00"));
}

TEST_F(CartCodes, AMinimumSubtotalNotMetSaysHowMuchIsMissing) {
    new_discount_code n = percent_off("BIG", 10);
    n.min_subtotal = usd("150.00");
    (void)create_code(n);
    auto e = refused("BIG", "minimum_subtotal_not_met");
    ASSERT_TRUE(e.has_value());
    ASSERT_TRUE(e->missing_amount().has_value());
    EXPECT_EQ(*e->missing_amount(), usd("50.00"));
    EXPECT_EQ(e->missing_quantity(), 0);
    EXPECT_EQ(e->code_text(), "BIG");
    // At exactly the minimum it applies.
    const product more = make_product("SKU-2", "50.00");
    carts().add_item(alice, own(), more.id, 1);
    EXPECT_EQ(carts().apply_code(alice, own(), "BIG").codes, std::vector<std::string>{"BIG"});
}

TEST_F(CartCodes, AMinimumQuantityNotMetSaysHowManyAreMissing) {
    new_discount_code n = percent_off("THREE", 10);
    n.min_quantity = 3;
    (void)create_code(n);
    auto e = refused("THREE", "minimum_quantity_not_met");
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->missing_quantity(), 2);
    EXPECT_FALSE(e->missing_amount().has_value());
    carts().set_quantity(alice, own(), item.id, 3);
    EXPECT_EQ(carts().apply_code(alice, own(), "THREE").codes, std::vector<std::string>{"THREE"});
}

TEST_F(CartCodes, ACodeForProductsNotInTheCartHasNoEligibleItems) {
    const product other = make_product("SKU-2", "5.00");
    new_discount_code n = percent_off("OTHER", 10);
    n.scope = discount_scope::products;
    n.products = {other.id};
    (void)create_code(n);
    (void)refused("OTHER", "no_eligible_items");
    // An empty cart has nothing eligible for any code.
    (void)create_code(percent_off("SAVE10", 10));
    const guest_cart g = carts().create_guest_cart(visitor);
    (void)refused_on(visitor, by_token(g.token), "SAVE10", "no_eligible_items");
}

TEST_F(CartCodes, AnExclusiveCodeIsNotCombinedWithAnotherCode) {
    new_discount_code solo = percent_off("SOLO", 20);
    solo.exclusive = true;
    (void)create_code(solo);
    new_discount_code top = percent_off("TOP", 25);
    top.exclusive = true;
    top.priority = 10;
    (void)create_code(top);
    (void)create_code(percent_off("AAA", 10));
    (void)create_code(percent_off("ZZZ", 10));

    // An exclusive code when another is applied, whichever decides by priority and code.
    carts().apply_code(alice, own(), "ZZZ");
    (void)refused("SOLO", "not_combinable");
    (void)refused("TOP", "not_combinable");
    carts().remove_code(alice, own(), "ZZZ");

    // Any code when an exclusive one is applied.
    carts().apply_code(alice, own(), "SOLO");
    (void)refused("AAA", "not_combinable");
    (void)refused("ZZZ", "not_combinable");
    (void)refused("TOP", "not_combinable");
    EXPECT_EQ(carts().get(alice, own()).codes, std::vector<std::string>{"SOLO"});
    EXPECT_EQ(carts().price(alice, own()).breakdown.discount_total, usd("20.00"));
}

TEST_F(CartCodes, NonExclusiveCodesCombine) {
    (void)create_code(percent_off("TEN", 10));
    new_discount_code fixed;
    fixed.code = "FIVE";
    fixed.kind = discount_kind::fixed_amount;
    fixed.amount = usd("5.00");
    (void)create_code(fixed);
    carts().apply_code(alice, own(), "TEN");
    const cart k = carts().apply_code(alice, own(), "FIVE");
    EXPECT_EQ(k.codes, (std::vector<std::string>{"TEN", "FIVE"}));
    // Same level and priority: by code, FIVE (5.00) then TEN (10% of 95.00 = 9.50).
    EXPECT_EQ(carts().price(alice, own()).breakdown.discount_total, usd("14.50"));
}

TEST_F(CartCodes, MoreCodesThanTheCartAllowsIsAValidationError) {
    open_shop([](shop_options& o) { o.carts.max_codes = 2; });
    alice = sign_up("+15551000001");
    item = make_product("SKU-1", "100.00", 10);
    carts().add_item(alice, own(), item.id, 1);
    for (const char* c : {"ONE", "TWO", "THREE"}) (void)create_code(percent_off(c, 5));
    carts().apply_code(alice, own(), "ONE");
    carts().apply_code(alice, own(), "TWO");
    auto e = expect_rejected<validation_error>(
        url, [&] { (void)carts().apply_code(alice, own(), "THREE"); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field(), "codes");

    open_shop([](shop_options& o) { o.carts.max_codes = 0; });
    const actor bob = sign_up("+15551000002");
    const product p = make_product("SKU-1", "100.00", 10);
    carts().add_item(bob, own(), p.id, 1);
    (void)create_code(percent_off("ONE", 5));
    auto none = expect_rejected<validation_error>(
        url, [&] { (void)carts().apply_code(bob, own(), "ONE"); });
    ASSERT_TRUE(none.has_value());
    EXPECT_EQ(none->field(), "codes");
}

TEST_F(CartCodes, AnUnknownCodeOnAFullCartIsRefusedAsUnknownCodeNotAsTooManyCodes) {
    open_shop([](shop_options& o) { o.carts.max_codes = 1; });
    alice = sign_up("+15551000001");
    item = make_product("SKU-1", "100.00", 10);
    carts().add_item(alice, own(), item.id, 1);
    (void)create_code(percent_off("ONE", 5));
    (void)create_code(percent_off("TWO", 5));
    carts().apply_code(alice, own(), "ONE");
    // What is wrong with the code itself comes first...
    auto unknown = refused("NOPE", "unknown_code");
    ASSERT_TRUE(unknown.has_value());
    EXPECT_EQ(unknown->code_text(), "NOPE");
    // ...then the cart's limit, for a code that exists.
    auto full = expect_rejected<validation_error>(
        url, [&] { (void)carts().apply_code(alice, own(), "TWO"); });
    ASSERT_TRUE(full.has_value());
    EXPECT_EQ(full->field(), "codes");

    // A shop that takes no codes at all says the same.
    open_shop([](shop_options& o) { o.carts.max_codes = 0; });
    const actor bob = sign_up("+15551000002");
    const product p = make_product("SKU-1", "100.00", 10);
    carts().add_item(bob, own(), p.id, 1);
    (void)create_code(percent_off("ONE", 5));
    (void)refused_on(bob, own(), "NOPE", "unknown_code");
    auto none = expect_rejected<validation_error>(
        url, [&] { (void)carts().apply_code(bob, own(), "ONE"); });
    ASSERT_TRUE(none.has_value());
    EXPECT_EQ(none->field(), "codes");
}

TEST_F(CartCodes, AHookVetoRefusesTheCodeAsVetoedWithTheHooksReason) {
    const discount_code d = create_code(percent_off("SAVE10", 10));
    std::vector<before_discount_apply_event> asked;
    std::vector<discount_applied_event> applied;
    auto applied_sub = sh().events().on_discount_applied(
        [&](const discount_applied_event& e) { applied.push_back(e); });
    {
        auto veto = sh().events().before_discount_apply([&](const before_discount_apply_event& e) {
            asked.push_back(e);
            throw std::runtime_error("codes are closed on Sundays");
        });
        auto e = refused("SAVE10", "vetoed");
        ASSERT_TRUE(e.has_value());
        EXPECT_NE(std::string(e->what()).find("codes are closed on Sundays"), std::string::npos)
            << e->what();
        EXPECT_EQ(e->code_text(), "SAVE10");
        EXPECT_TRUE(applied.empty());
        ASSERT_EQ(asked.size(), 1u);
        const cart k = carts().get(alice, own());
        EXPECT_TRUE(k.codes.empty());
        EXPECT_EQ(asked[0].by, alice);
        EXPECT_EQ(asked[0].cart, k.id);
        EXPECT_EQ(asked[0].customer, std::optional<user_id>(alice.user()));
        EXPECT_EQ(asked[0].code, "SAVE10");
        EXPECT_EQ(asked[0].discount, d.id);
        EXPECT_EQ(asked[0].amount, usd("10.00"));
        EXPECT_EQ(asked[0].subtotal, usd("100.00"));
    }
    // The hook is gone: the code applies.
    EXPECT_EQ(carts().apply_code(alice, own(), "save10").codes, std::vector<std::string>{"SAVE10"});
    EXPECT_EQ(applied.size(), 1u);
    EXPECT_EQ(asked.size(), 1u);
}

TEST_F(CartCodes, AHookIsNotAskedAboutACodeTheEngineRefuses) {
    new_discount_code n = percent_off("OFF", 10);
    n.active = false;
    (void)create_code(n);
    int asked = 0;
    auto hook =
        sh().events().before_discount_apply([&](const before_discount_apply_event&) { ++asked; });
    (void)refused("OFF", "inactive");
    EXPECT_EQ(asked, 0);
}

TEST_F(CartCodes, AppliedAndRemovedEventsFireAfterCommit) {
    const discount_code ten = create_code(percent_off("SAVE10", 10));
    const discount_code five = create_code(percent_off("SAVE5", 5));
    std::vector<discount_applied_event> applied;
    std::vector<discount_removed_event> removed;
    std::vector<std::vector<std::string>> codes_seen;  // the cart's codes as a reader saw them
    auto a = sh().events().on_discount_applied([&](const discount_applied_event& e) {
        applied.push_back(e);
        codes_seen.push_back(carts().get(alice, own()).codes);
    });
    auto r = sh().events().on_discount_removed([&](const discount_removed_event& e) {
        removed.push_back(e);
        codes_seen.push_back(carts().get(alice, own()).codes);
    });
    clock->advance_seconds(5);
    const cart k = carts().apply_code(alice, own(), "save10");
    ASSERT_EQ(applied.size(), 1u);
    EXPECT_EQ(applied[0].by, alice);
    EXPECT_EQ(applied[0].cart, k.id);
    EXPECT_EQ(applied[0].code, "SAVE10");
    EXPECT_EQ(applied[0].discount, ten.id);
    EXPECT_EQ(applied[0].amount, usd("10.00"));
    EXPECT_EQ(applied[0].at, clock->now());
    EXPECT_EQ(codes_seen.back(), std::vector<std::string>{"SAVE10"});

    carts().remove_code(alice, own(), "Save10");
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0].by, alice);
    EXPECT_EQ(removed[0].cart, k.id);
    EXPECT_EQ(removed[0].code, "SAVE10");
    EXPECT_EQ(removed[0].discount, ten.id);
    EXPECT_EQ(removed[0].at, clock->now());
    EXPECT_TRUE(codes_seen.back().empty());

    // Clearing the cart removes every code, each with its event.
    carts().apply_code(alice, own(), "SAVE10");
    carts().apply_code(alice, own(), "SAVE5");
    removed.clear();
    carts().clear(alice, own());
    ASSERT_EQ(removed.size(), 2u);
    EXPECT_EQ(removed[0].code, "SAVE10");
    EXPECT_EQ(removed[0].discount, ten.id);
    EXPECT_EQ(removed[1].code, "SAVE5");
    EXPECT_EQ(removed[1].discount, five.id);
    EXPECT_TRUE(codes_seen.back().empty());
}

TEST_F(CartCodes, RemoveCodeTakesItOffAndAnAbsentCodeIsNotFound) {
    (void)create_code(percent_off("SAVE10", 10));
    (void)create_code(percent_off("SAVE5", 5));
    carts().apply_code(alice, own(), "SAVE10");
    carts().apply_code(alice, own(), "SAVE5");
    EXPECT_EQ(carts().remove_code(alice, own(), "save10").codes, std::vector<std::string>{"SAVE5"});
    EXPECT_EQ(carts().price(alice, own()).breakdown.discount_total, usd("5.00"));
    expect_rejected<not_found_error>(url, [&] { carts().remove_code(alice, own(), "SAVE10"); });
    expect_rejected<not_found_error>(url, [&] { carts().remove_code(alice, own(), "NOPE"); });
    // Removing then applying again works.
    EXPECT_EQ(carts().apply_code(alice, own(), "SAVE10").codes,
              (std::vector<std::string>{"SAVE5", "SAVE10"}));
}

TEST_F(CartCodes, ACodeDeactivatedAfterApplyingIsShownAsRefusedInactive) {
    const discount_code d = create_code(percent_off("SAVE10", 10));
    carts().apply_code(alice, own(), "SAVE10");
    (void)discounts().deactivate(admin, d.id);
    const priced_cart priced = carts().price(alice, own());
    EXPECT_EQ(priced.cart.codes, std::vector<std::string>{"SAVE10"});
    EXPECT_TRUE(priced.breakdown.applied.empty());
    EXPECT_EQ(priced.breakdown.discount_total, usd("0.00"));
    EXPECT_EQ(priced.breakdown.total, usd("100.00"));
    ASSERT_EQ(priced.breakdown.refused.size(), 1u);
    EXPECT_EQ(priced.breakdown.refused[0].code, "SAVE10");
    EXPECT_EQ(priced.breakdown.refused[0].reason, discount_refusal::inactive);
    EXPECT_FALSE(priced.breakdown.refused[0].message.empty());
    // The refused code does not stand in the way of another.
    (void)create_code(percent_off("SAVE5", 5));
    EXPECT_EQ(carts().apply_code(alice, own(), "SAVE5").codes,
              (std::vector<std::string>{"SAVE10", "SAVE5"}));
    EXPECT_EQ(carts().price(alice, own()).breakdown.discount_total, usd("5.00"));
}

TEST_F(CartCodes, ACategoryCodeAppliesToProductsInItsSubCategories) {
    const category clothing = make_category("Clothing");
    const category shoes = make_category("Shoes", clothing.id);
    const category running = make_category("Running", shoes.id);
    const category hats = make_category("Hats");
    const product runner = make_product("RUN-1", "50.00", 10, running.id);
    carts().add_item(alice, own(), runner.id, 1);  // line 1; line 0 has no category

    new_discount_code n = percent_off("CLOTHING20", 20);
    n.scope = discount_scope::categories;
    n.categories = {clothing.id};
    (void)create_code(n);
    new_discount_code h = percent_off("HATS20", 20);
    h.scope = discount_scope::categories;
    h.categories = {hats.id};
    (void)create_code(h);

    (void)refused("HATS20", "no_eligible_items");
    carts().apply_code(alice, own(), "clothing20");
    const price_breakdown b = carts().price(alice, own()).breakdown;
    ASSERT_EQ(b.applied.size(), 1u);
    EXPECT_EQ(b.applied[0].code, "CLOTHING20");
    EXPECT_EQ(b.applied[0].scope, discount_scope::categories);
    EXPECT_EQ(b.applied[0].eligible_lines, 1u);
    EXPECT_EQ(b.applied[0].eligible_subtotal, usd("50.00"));
    EXPECT_EQ(b.applied[0].amount, usd("10.00"));
    ASSERT_EQ(b.line_discounts.size(), 1u);
    EXPECT_EQ(b.line_discounts[0].line, 1u);
    ASSERT_EQ(b.lines.size(), 2u);
    EXPECT_EQ(b.lines[0].discount, usd("0.00"));
    EXPECT_EQ(b.lines[1].discount, usd("10.00"));
    EXPECT_EQ(b.total, usd("140.00"));
}

TEST_F(CartCodes, DeletingACategoryIntoAnotherMovesItsCodesThere) {
    const category old_cat = make_category("Old");
    const category new_cat = make_category("New");
    const product moved = make_product("OLD-1", "50.00", 10, old_cat.id);
    const product fresh = make_product("NEW-1", "40.00", 10, new_cat.id);
    new_discount_code n = percent_off("OLD20", 20);
    n.scope = discount_scope::categories;
    n.categories = {old_cat.id};
    const discount_code d = create_code(n);
    new_discount_code both = percent_off("BOTH10", 10);
    both.scope = discount_scope::categories;
    both.categories = {old_cat.id, new_cat.id};
    const discount_code b = create_code(both);
    const actor bob = sign_up("+15551000002");
    carts().add_item(bob, own(), fresh.id, 1);
    (void)refused_on(bob, own(), "OLD20", "no_eligible_items");

    catalog().delete_category(admin, old_cat.id, new_cat.id);
    const discount_code retargeted = discounts().by_id(admin, d.id);
    EXPECT_EQ(retargeted.categories, std::vector<category_id>{new_cat.id});
    EXPECT_TRUE(retargeted.active);
    // A code that already had the new category keeps it once.
    EXPECT_EQ(discounts().by_id(admin, b.id).categories, std::vector<category_id>{new_cat.id});
    EXPECT_EQ(catalog().product_by_id(admin, moved.id).category,
              std::optional<category_id>(new_cat.id));

    // The code now covers the new category's products.
    EXPECT_EQ(carts().apply_code(bob, own(), "old20").codes, std::vector<std::string>{"OLD20"});
    const price_breakdown priced = carts().price(bob, own()).breakdown;
    EXPECT_TRUE(priced.refused.empty());
    ASSERT_EQ(priced.applied.size(), 1u);
    EXPECT_EQ(priced.applied[0].code, "OLD20");
    EXPECT_EQ(priced.applied[0].amount, usd("8.00"));
    EXPECT_EQ(priced.total, usd("32.00"));
}

TEST_F(CartCodes, DeletingACodesOnlyCategoryDeactivatesTheCodeAndCartsHoldingItStillPrice) {
    const category lone = make_category("Lone");
    const category other = make_category("Other");
    const product p = make_product("LONE-1", "50.00", 10, lone.id);
    new_discount_code n = percent_off("LONE20", 20);
    n.scope = discount_scope::categories;
    n.categories = {lone.id};
    const discount_code d = create_code(n);
    new_discount_code mixed = percent_off("MIXED10", 10);
    mixed.scope = discount_scope::categories;
    mixed.categories = {lone.id, other.id};
    const discount_code m = create_code(mixed);
    carts().add_item(alice, own(), p.id, 1);
    EXPECT_EQ(carts().apply_code(alice, own(), "LONE20").codes, std::vector<std::string>{"LONE20"});
    // Empty the category, then delete it without reassigning.
    product_update out;
    out.clear_category = true;
    (void)catalog().update_product(admin, p.id, out);
    catalog().delete_category(admin, lone.id);

    EXPECT_FALSE(discounts().by_id(admin, d.id).active);
    // A code with another category left keeps that one and stays active.
    const discount_code still = discounts().by_id(admin, m.id);
    EXPECT_TRUE(still.active);
    EXPECT_EQ(still.categories, std::vector<category_id>{other.id});

    priced_cart priced;
    ASSERT_NO_THROW(priced = carts().price(alice, own()));
    EXPECT_EQ(priced.cart.codes, std::vector<std::string>{"LONE20"});
    EXPECT_TRUE(priced.breakdown.applied.empty());
    ASSERT_EQ(priced.breakdown.refused.size(), 1u);
    EXPECT_EQ(priced.breakdown.refused[0].code, "LONE20");
    EXPECT_EQ(priced.breakdown.refused[0].reason, discount_refusal::inactive);
    EXPECT_EQ(priced.breakdown.discount_total, usd("0.00"));
    EXPECT_EQ(priced.breakdown.total, usd("150.00"));
    // The cart still takes other codes, and the deactivated one is refused as such.
    (void)create_code(percent_off("SAVE5", 5));
    EXPECT_EQ(carts().apply_code(alice, own(), "SAVE5").codes,
              (std::vector<std::string>{"LONE20", "SAVE5"}));
    const actor bob = sign_up("+15551000002");
    carts().add_item(bob, own(), p.id, 1);
    (void)refused_on(bob, own(), "LONE20", "inactive");
}

TEST_F(CartCodes, AFreeShippingCodeMakesTheIrrShippingChargeZero) {
    open_irr_shop();
    alice = sign_up("+15551000001");
    const product p = make_weighed("SKU-1", "150000", 250);
    carts().add_item(alice, own(), p.id, 6);  // 1,500 g: 40,000 IRR
    carts().set_destination(alice, own(), {"IR", "Tehran"});
    new_discount_code n;
    n.code = "FREESHIP";
    n.kind = discount_kind::free_shipping;
    (void)create_code(n);
    EXPECT_EQ(carts().price(alice, own()).breakdown.shipping_total, cash("40000"));

    carts().apply_code(alice, own(), "freeship");
    const price_breakdown b = carts().price(alice, own()).breakdown;
    EXPECT_EQ(b.shipping.status, shipping_status::quoted);
    EXPECT_EQ(b.shipping.cost, cash("40000"));
    EXPECT_EQ(b.shipping.discount, cash("40000"));
    EXPECT_EQ(b.shipping.total, cash("0"));
    EXPECT_EQ(b.shipping_total, cash("0"));
    EXPECT_EQ(b.discount_total, cash("0"));
    EXPECT_EQ(b.total, cash("900000"));
    ASSERT_EQ(b.applied.size(), 1u);
    EXPECT_EQ(b.applied[0].kind, discount_kind::free_shipping);
    EXPECT_EQ(b.applied[0].amount, cash("40000"));
}

}  // namespace
}  // namespace shopcore::test

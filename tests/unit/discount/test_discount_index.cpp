// discount_index: lookups by text (case-insensitive, trimmed) and the cart-independent rules,
// checked against a plain std::map over the same codes.

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <shopcore/core/error.hpp>
#include <shopcore/discount/discount_index.hpp>

namespace shopcore {
namespace {

discount_code code_named(const std::string& text, std::int64_t id) {
    discount_code c;
    c.id = discount_id(id);
    c.code = text;
    c.percent = ratio::percent(10);
    return c;
}

timestamp at(std::int64_t micros) { return timestamp::from_micros(micros); }

TEST(DiscountIndex, FindsCodesWhateverTheCaseAndSurroundingSpaces) {
    const discount_index index({code_named("SUMMER10", 1), code_named("WINTER_5", 2)});
    ASSERT_NE(index.find("summer10"), nullptr);
    EXPECT_EQ(index.find("  Summer10 ")->id, discount_id(1));
    EXPECT_EQ(index.find("WINTER_5")->id, discount_id(2));
    EXPECT_EQ(index.find("winter_5")->code, "WINTER_5");
    EXPECT_EQ(index.find("SUMMER1"), nullptr);
    EXPECT_EQ(index.find(""), nullptr);
    EXPECT_EQ(index.find(std::string(65, 'A')), nullptr);
    EXPECT_EQ(index.size(), 2U);
}

TEST(DiscountIndex, RefusesTheSameCodeTwice) {
    EXPECT_THROW(discount_index({code_named("SAME", 1), code_named("SAME", 2)}), validation_error);
}

TEST(DiscountIndex, ChecksTheRulesThatDoNotDependOnACartInTheEngineOrder) {
    discount_code c = code_named("RULES", 1);
    c.starts_at = at(100);
    c.ends_at = at(200);
    c.usage_limit = 5;
    c.per_customer_limit = 1;
    c.times_used = 4;
    discount_code off = code_named("OFF", 2);
    off.active = false;
    discount_code staff = code_named("STAFF", 3);
    staff.audience = discount_audience::staff_only;
    discount_code used_up = code_named("USED", 4);
    used_up.single_use = true;
    used_up.times_used = 1;
    const discount_index index({c, off, staff, used_up});

    EXPECT_EQ(index.check("nope", 0, true, false, at(150)), discount_refusal::unknown_code);
    EXPECT_EQ(index.check("off", 0, true, false, at(150)), discount_refusal::inactive);
    EXPECT_EQ(index.check("rules", 0, true, false, at(99)), discount_refusal::not_started);
    EXPECT_EQ(index.check("rules", 0, true, false, at(100)), std::nullopt);  // inclusive start
    EXPECT_EQ(index.check("rules", 0, true, false, at(200)), discount_refusal::expired);
    EXPECT_EQ(index.check("rules", 0, false, false, at(150)), discount_refusal::login_required);
    EXPECT_EQ(index.check("rules", 1, true, false, at(150)), discount_refusal::already_used);
    EXPECT_EQ(index.check("staff", 0, true, false, at(150)), discount_refusal::staff_only);
    EXPECT_EQ(index.check("staff", 0, true, true, at(150)), std::nullopt);
    EXPECT_EQ(index.check("used", 0, true, false, at(150)), discount_refusal::exhausted);
}

TEST(DiscountIndex, AgreesWithAMapOnManyRandomCodes) {
    // Many codes, so that probing crosses occupied slots and wraps around the table.
    std::mt19937_64 rng(42);
    const std::string alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789-_";
    std::uniform_int_distribution<std::size_t> symbol(0, alphabet.size() - 1);
    std::uniform_int_distribution<int> length(3, 64);
    std::map<std::string, std::int64_t> expected;
    std::vector<discount_code> codes;
    while (codes.size() < 20000) {
        std::string text;
        const int n = length(rng);
        for (int i = 0; i < n; ++i) text += alphabet[symbol(rng)];
        if (!expected.emplace(text, static_cast<std::int64_t>(codes.size() + 1)).second) continue;
        codes.push_back(code_named(text, static_cast<std::int64_t>(codes.size() + 1)));
    }
    const discount_index index(codes);
    for (const auto& [text, id] : expected) {
        const discount_code* found = index.find(text);
        ASSERT_NE(found, nullptr) << text;
        EXPECT_EQ(found->id, discount_id(id));
        std::string missing = text;
        missing.back() = missing.back() == 'A' ? 'B' : 'A';
        if (expected.count(missing) == 0) {
            EXPECT_EQ(index.find(missing), nullptr) << missing;
        }
    }
}

}  // namespace
}  // namespace shopcore

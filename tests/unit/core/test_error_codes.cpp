// Every error code is documented in docs/errors.md, with its number and name, and the typed
// classes report the right code.

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <shopcore/core/error.hpp>

namespace shopcore {
namespace {

std::string read_errors_doc() {
    std::ifstream in(std::string(SHOPCORE_SOURCE_DIR) + "/docs/errors.md");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(ErrorCodes, EveryCodeIsDocumentedWithItsNumberAndName) {
    const std::string doc = read_errors_doc();
    ASSERT_FALSE(doc.empty()) << "docs/errors.md is missing";
    for (error_code code : all_error_codes()) {
        const std::string row =
            "| " + std::to_string(static_cast<int>(code)) + " | `" + error_code_name(code) + "` |";
        EXPECT_NE(doc.find(row), std::string::npos) << "docs/errors.md lacks the row " << row;
    }
}

TEST(ErrorCodes, CodesAndNamesAreUnique) {
    std::set<int> numbers;
    std::set<std::string> names;
    for (error_code code : all_error_codes()) {
        EXPECT_TRUE(numbers.insert(static_cast<int>(code)).second);
        EXPECT_TRUE(names.insert(error_code_name(code)).second);
        EXPECT_STRNE(error_code_name(code), "unknown");
    }
}

TEST(ErrorCodes, TypedErrorsCarryTheirCodeAndData) {
    EXPECT_EQ(validation_error("name", "empty").code(), error_code::validation);
    EXPECT_EQ(validation_error("name", "empty").field(), "name");
    EXPECT_EQ(not_found_error("x").code(), error_code::not_found);
    EXPECT_EQ(permission_denied_error("x").code(), error_code::permission_denied);
    EXPECT_EQ(invalid_state_error("x").code(), error_code::invalid_state);
    EXPECT_EQ(conflict_error("x").code(), error_code::conflict);
    const insufficient_stock_error stock(product_id(7), 5, 2);
    EXPECT_EQ(stock.code(), error_code::insufficient_stock);
    EXPECT_EQ(stock.product(), product_id(7));
    EXPECT_EQ(stock.requested(), 5);
    EXPECT_EQ(stock.available(), 2);
    ASSERT_EQ(stock.shortages().size(), 1U);
    EXPECT_EQ(stock.shortages()[0].requested, 5);
    const insufficient_stock_error order_stock({{product_id(3), 4, 1}, {product_id(9), 2, 0}});
    EXPECT_EQ(order_stock.product(), product_id(3));
    EXPECT_EQ(order_stock.available(), 1);
    ASSERT_EQ(order_stock.shortages().size(), 2U);
    EXPECT_EQ(order_stock.shortages()[1].product, product_id(9));
    EXPECT_NE(std::string(order_stock.what()).find("product 9: requested 2, available 0"),
              std::string::npos);
    const idempotency_error key("x");
    EXPECT_EQ(key.code(), error_code::idempotency);
    EXPECT_NE(dynamic_cast<const conflict_error*>(&key), nullptr);
    EXPECT_EQ(discount_rejected_error("expired", "x").reason(), "expired");
    const hook_rejected_error hook("before_product_create", "no");
    EXPECT_EQ(hook.code(), error_code::hook_rejected);
    EXPECT_EQ(hook.hook(), "before_product_create");
    EXPECT_EQ(arithmetic_error("x").code(), error_code::arithmetic);
    EXPECT_EQ(storage_error("x").code(), error_code::storage);
    const unavailable_error down("x");
    EXPECT_EQ(down.code(), error_code::unavailable);
    EXPECT_NE(dynamic_cast<const storage_error*>(&down), nullptr);
}

TEST(ErrorCodes, ContextIsAppendedToTheMessage) {
    not_found_error e("product 3 not found");
    e.add_context("placing order 12");
    EXPECT_STREQ(e.what(), "product 3 not found; while placing order 12");
    EXPECT_EQ(e.code(), error_code::not_found);
}

}  // namespace
}  // namespace shopcore

// Migrations are recorded with the shop's clock (no hidden global clock), on every backend.

#include <string>

#include "fixture.hpp"

namespace shopcore::test {
namespace {

using Migrations = shop_test;

TEST_F(Migrations, AreRecordedWithTheShopsClock) {
    auto tables = snapshot(url);
    const auto& rows = tables["schema_migrations"];
    ASSERT_EQ(static_cast<int>(rows.size()), sh().schema_version());
    const std::string stamp = "|" + std::to_string(clock->now().micros()) + "|";
    for (const auto& row : rows) EXPECT_NE(row.find(stamp), std::string::npos) << row;
}

}  // namespace
}  // namespace shopcore::test

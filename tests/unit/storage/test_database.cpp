// White-box tests of the storage layer on SQLite: URL parsing, error translation, transactions.

#include <gtest/gtest.h>

#include <filesystem>

#include <shopcore/core/error.hpp>

#include <shopcore/shop.hpp>

#include "storage/database.hpp"

namespace shopcore::storage {
namespace {

TEST(StorageUrl, EachFormIsUnderstood) {
    EXPECT_TRUE(parse_url("sqlite::memory:").in_memory);
    auto file = parse_url("sqlite:/tmp/a b/shop.db");
    EXPECT_EQ(file.kind, backend_kind::sqlite);
    EXPECT_EQ(file.connect_string, "/tmp/a b/shop.db");
    auto pg = parse_url("postgresql://u%40x:p%2Fw@127.0.0.1:5432/shop");
    EXPECT_EQ(pg.kind, backend_kind::postgresql);
    EXPECT_EQ(pg.connect_string, "dbname=shop user=u@x password=p/w host=127.0.0.1 port=5432");
    auto my = parse_url("mysql://shop:secret@localhost:3306/shopdb");
    EXPECT_EQ(my.kind, backend_kind::mysql);
    EXPECT_EQ(my.connect_string,
              "db=shopdb user=shop password=secret host=localhost port=3306 charset=utf8mb4");
}

TEST(StorageUrl, MalformedUrlsAreValidationErrors) {
    for (const char* bad : {"", "sqlite:", "sqlite:a=b", "foo:bar", "postgresql://host",
                            "postgresql://u@h:port/db", "mysql://u:p@h:1/", "mysql://u:p w@h/db",
                            "postgresql://u%zz@h/db", "postgresql://u@h:5432/db?sslmode=require"}) {
        EXPECT_THROW((void)parse_url(bad), validation_error) << bad;
    }
}

TEST(StorageErrors, AUniqueViolationOnSqliteIsAConflict) {
    database db("sqlite::memory:", database_options{});
    db.write([](transaction_context& tx) {
        tx.conn()
            .sql("INSERT INTO shop_setting (name, value) VALUES (:n, :v)")
            .bind("k")
            .bind("1")
            .exec();
    });
    EXPECT_THROW(db.write([](transaction_context& tx) {
        tx.conn()
            .sql("INSERT INTO shop_setting (name, value) VALUES (:n, :v)")
            .bind("k")
            .bind("2")
            .exec();
    }),
                 conflict_error);
}

TEST(StorageTransactions, AnErrorRollsBackAndNotificationsDoNotRun) {
    database db("sqlite::memory:", database_options{});
    bool notified = false;
    EXPECT_THROW(db.write([&](transaction_context& tx) {
        tx.conn()
            .sql("INSERT INTO shop_setting (name, value) VALUES (:n, :v)")
            .bind("a")
            .bind("1")
            .exec();
        tx.after_commit([&] { notified = true; });
        throw invalid_state_error("stop");
    }),
                 invalid_state_error);
    EXPECT_FALSE(notified);
    std::int64_t n = -1;
    db.read([&](connection& c) { c.sql("SELECT COUNT(*) FROM shop_setting").into(n).fetch_one(); });
    EXPECT_EQ(n, 0);
    db.write([&](transaction_context& tx) { tx.after_commit([&] { notified = true; }); });
    EXPECT_TRUE(notified);
}

TEST(StorageMigrations, AreRecordedAndNotReappliedOnReopen) {
    const auto dir = std::filesystem::temp_directory_path() / "shopcore-unit-migrations";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string url = "sqlite:" + (dir / "m.db").string();
    int first = 0;
    {
        database db(url, database_options{});
        first = db.schema_version();
        EXPECT_GE(first, 1);
    }
    database again(url, database_options{});
    EXPECT_EQ(again.schema_version(), first);
    std::int64_t rows = 0;
    again.read([&](connection& c) {
        c.sql("SELECT COUNT(*) FROM schema_migrations").into(rows).fetch_one();
    });
    EXPECT_EQ(rows, static_cast<std::int64_t>(first));
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace shopcore::storage

namespace shopcore {
namespace {

TEST(ShopOpen, BadAccountSettingsAreRefusedBeforeAnyDatabaseIsCreated) {
    const auto dir = std::filesystem::temp_directory_path() / "shopcore-unit-open";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "never.db").string();
    shop_options o;
    o.accounts.lockout_base_seconds = 0;
    EXPECT_THROW((void)shop::open("sqlite:" + path, o), validation_error);
    o = shop_options();
    o.accounts.session_idle_seconds = std::int64_t{400} * 365 * 24 * 3600;  // would overflow
    EXPECT_THROW((void)shop::open("sqlite:" + path, o), validation_error);
    o = shop_options();
    o.accounts.extra_common_passwords_file = (dir / "missing.txt").string();
    EXPECT_THROW((void)shop::open("sqlite:" + path, o), validation_error);
    EXPECT_FALSE(std::filesystem::exists(path));
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace shopcore

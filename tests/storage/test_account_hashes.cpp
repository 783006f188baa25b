// What the database holds for a password and a session, on every backend, at the production
// cost: an Argon2id PHC string at or above OWASP's floor, never the password or the token.

#include <gtest/gtest.h>

#include <string>

#include <shopcore/shop.hpp>

#include "backend.hpp"

namespace shopcore::test {
namespace {

TEST(AccountHashes, StoredHashesAreArgon2idAboveTheOwaspFloorAndSecretsNeverStored) {
    const std::string url = fresh_url();
    shop s = shop::open(url, shop_options{});  // default: password_cost::interactive
    registration r;
    r.phone = "+15550004321";
    r.password = std::string("lantern quiet harbour");
    (void)s.accounts().register_user(actor::anonymous(), r);
    registration without_password;
    without_password.phone = "+15550004322";
    const auto generated = s.accounts().register_user(actor::anonymous(), without_password);
    const auto session = s.accounts().login("+15550004321", "lantern quiet harbour");

    int hashes = 0;
    for (const auto& [table, rows] : snapshot(url)) {
        for (const auto& row : rows) {
            EXPECT_EQ(row.find("lantern quiet harbour"), std::string::npos) << table;
            EXPECT_EQ(row.find(generated.default_password), std::string::npos) << table;
            EXPECT_EQ(row.find(session.token), std::string::npos) << table;
            const auto at = row.find("$argon2");
            if (at == std::string::npos) continue;
            // $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>
            const std::string phc = row.substr(at, row.find('\'', at) - at);
            const std::string prefix = "$argon2id$v=19$m=";
            ASSERT_EQ(phc.rfind(prefix, 0), 0U) << phc;
            std::size_t used = 0;
            const long memory_kib = std::stol(phc.substr(prefix.size()), &used);
            const std::size_t t_at = prefix.size() + used;
            ASSERT_EQ(phc.substr(t_at, 3), ",t=") << phc;
            const long passes = std::stol(phc.substr(t_at + 3));
            EXPECT_GE(memory_kib, 19456) << "memory below OWASP's 19 MiB";
            EXPECT_GE(passes, 2) << "fewer than 2 passes";
            ++hashes;
        }
    }
    EXPECT_EQ(hashes, 2);
}

// The PHC string stored for the only account of the database at `url`.
std::string stored_hash(const std::string& url) {
    auto tables = snapshot(url);
    for (const auto& row : tables["app_user"]) {
        const auto at = row.find("$argon2");
        if (at != std::string::npos) return row.substr(at, row.find('\'', at) - at);
    }
    return {};
}

TEST(AccountHashes, APasswordIsRehashedAtLoginWhenTheCostChanges) {
    const std::string url = fresh_url();
    shop_options cheap;
    cheap.accounts.cost = password_cost::testing_only_insecure;
    {
        shop s = shop::open(url, cheap);
        registration r;
        r.phone = "+15550004400";
        r.password = std::string("violet canal morning");
        (void)s.accounts().register_user(actor::anonymous(), r);
    }
    const std::string before = stored_hash(url);
    ASSERT_EQ(before.rfind("$argon2id$v=19$m=8,t=1,", 0), 0U) << before;
    {
        shop s = shop::open(url, shop_options{});  // interactive
        EXPECT_THROW((void)s.accounts().login("+15550004400", "wrong guess here"),
                     authentication_error);
        EXPECT_EQ(stored_hash(url), before) << "a failed login must not rehash";
        (void)s.accounts().login("+15550004400", "violet canal morning");
    }
    const std::string after = stored_hash(url);
    EXPECT_EQ(after.rfind("$argon2id$v=19$m=65536,t=2,", 0), 0U) << after;
    shop s = shop::open(url, shop_options{});
    EXPECT_NO_THROW((void)s.accounts().login("+15550004400", "violet canal morning"));
    EXPECT_EQ(stored_hash(url), after) << "no rehash when the cost already matches";
}

}  // namespace
}  // namespace shopcore::test

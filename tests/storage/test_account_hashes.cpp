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

}  // namespace
}  // namespace shopcore::test

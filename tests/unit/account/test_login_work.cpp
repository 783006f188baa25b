// Every failed login costs one Argon2id verification, whether or not the account exists
// (ASVS 6.3.8: users cannot be deduced from response times).

#include <gtest/gtest.h>

#include <shopcore/shop.hpp>

#include "account/crypto.hpp"

namespace shopcore {
namespace {

TEST(LoginWork, UnknownUsersCostTheSameHashingAsWrongPasswords) {
    shop_options o;
    o.accounts.cost = password_cost::testing_only_insecure;
    shop s = shop::open("sqlite::memory:", o);
    registration r;
    r.phone = "+15550001234";
    r.email = std::string("known@example.com");
    r.password = std::string("a sturdy passphrase");
    (void)s.accounts().register_user(actor::anonymous(), r);

    const auto cost_of = [&](const std::string& login, const std::string& password) {
        const std::uint64_t before = detail::verification_count();
        EXPECT_THROW((void)s.accounts().login(login, password), authentication_error) << login;
        return detail::verification_count() - before;
    };
    EXPECT_EQ(cost_of("+15550001234", "wrong password"), 1U);  // known, wrong password
    EXPECT_EQ(cost_of("+15559999999", "wrong password"), 1U);  // unknown phone
    EXPECT_EQ(cost_of("nobody@example.com", "whatever"), 1U);  // unknown e-mail
    EXPECT_EQ(cost_of("not a phone!", "whatever"), 1U);        // malformed login
    const std::uint64_t before = detail::verification_count();
    EXPECT_NO_THROW((void)s.accounts().login("KNOWN@example.com", "a sturdy passphrase"));
    EXPECT_EQ(detail::verification_count() - before, 1U);
}

}  // namespace
}  // namespace shopcore

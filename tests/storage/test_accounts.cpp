// Accounts on every backend: registration and the password policy, generated default passwords,
// phone numbers, login failures and lockout, sessions, verification codes, phone changes,
// profiles, and a lost-update check of the failure counter under 50 parallel logins.

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "expect_failure_counted.hpp"
#include "expect_rejected.hpp"
#include "fixture.hpp"

namespace shopcore::test {
namespace {

constexpr const char* strong_password = "velvet-otter-quarry-19";
constexpr const char* other_password = "amber-lynx-tundra-42";
constexpr std::int64_t minute = 60;

// SHA-256 (FIPS 180-4), written here so that the test does not trust the library's own hash.
std::string sha256_hex(const std::string& data) {
    static constexpr std::array<std::uint32_t, 64> k = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};
    std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::string m = data;
    const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
    m.push_back(static_cast<char>(0x80));
    while (m.size() % 64 != 56) m.push_back('\0');
    for (int i = 7; i >= 0; --i) m.push_back(static_cast<char>((bits >> (i * 8)) & 0xff));
    const auto rotr = [](std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
    for (std::size_t off = 0; off < m.size(); off += 64) {
        std::array<std::uint32_t, 64> w{};
        for (std::size_t i = 0; i < 16; ++i) {
            for (std::size_t b = 0; b < 4; ++b) {
                w[i] = (w[i] << 8) | static_cast<unsigned char>(m[off + i * 4 + b]);
            }
        }
        for (std::size_t i = 16; i < 64; ++i) {
            const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        std::array<std::uint32_t, 8> v = h;
        for (std::size_t i = 0; i < 64; ++i) {
            const std::uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
            const std::uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
            const std::uint32_t t1 = v[7] + s1 + ch + k[i] + w[i];
            const std::uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
            const std::uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            const std::uint32_t t2 = s0 + maj;
            v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
        }
        for (std::size_t i = 0; i < 8; ++i) h[i] += v[i];
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (const std::uint32_t word : h) {
        for (int shift = 28; shift >= 0; shift -= 4) out.push_back(hex[(word >> shift) & 0xf]);
    }
    return out;
}

// True when any cell of any table contains `needle` (ASCII case-insensitive).
bool database_contains(const std::string& url, std::string needle) {
    const auto lower = [](std::string text) {
        for (char& c : text) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        return text;
    };
    needle = lower(needle);
    for (const auto& [table, rows] : snapshot(url)) {
        for (const auto& row : rows) {
            if (lower(row).find(needle) != std::string::npos) return true;
        }
    }
    return false;
}

class account_test : public shop_test {
protected:
    // The fixture's options, changed by `change`, on the same database and clock.
    shop_options options_with(const std::function<void(shop_options&)>& change = {}) {
        shop_options o;
        o.currency = "USD";
        o.synchronous = sqlite_synchronous::normal;
        o.time_source = clock;
        o.accounts.cost = password_cost::testing_only_insecure;
        if (change) change(o);
        return o;
    }

    static registration reg(const std::string& phone,
                            std::optional<std::string> password = std::string(strong_password),
                            std::optional<std::string> email = std::nullopt,
                            const std::string& first = "Rana", const std::string& last = "Karimi") {
        registration r;
        r.phone = phone;
        r.password = std::move(password);
        r.email = std::move(email);
        r.first_name = first;
        r.last_name = last;
        return r;
    }

    user register_customer(const std::string& phone,
                           std::optional<std::string> email = std::nullopt) {
        return accounts()
            .register_user(visitor, reg(phone, strong_password, std::move(email)))
            .user;
    }

    // The message of the authentication_error that `call` must throw.
    template <class F>
    std::string auth_failure(F&& call) {
        try {
            call();
        } catch (const authentication_error& e) {
            return e.what();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "expected authentication_error, got " << typeid(e).name() << ": "
                          << e.what();
            return {};
        }
        ADD_FAILURE() << "expected authentication_error, nothing was thrown";
        return {};
    }

    // The last code sent to `phone` (recorded by `codes_`).
    std::string code_for(const std::string& phone) {
        for (auto it = codes_.rbegin(); it != codes_.rend(); ++it) {
            if (it->phone == phone) return it->code;
        }
        ADD_FAILURE() << "no code was sent to " << phone;
        return {};
    }

    // A six-digit code that differs from `code` in every digit.
    static std::string wrong_code(const std::string& code) {
        std::string out = code;
        for (char& c : out) c = static_cast<char>('0' + (c - '0' + 1) % 10);
        return out;
    }

    void SetUp() override {
        shop_test::SetUp();
        code_sub_ = sh().events().on_verification_code(
            [this](const verification_code_event& e) { codes_.push_back(e); });
    }

    std::vector<verification_code_event> codes_;

private:
    subscription code_sub_;
};

using AccountRegistration = account_test;
using AccountPhone = account_test;
using AccountLogin = account_test;
using AccountLockout = account_test;
using AccountSession = account_test;
using AccountVerification = account_test;
using AccountPhoneChange = account_test;
using AccountProfile = account_test;
using AccountConcurrency = account_test;

// ---- registration ---------------------------------------------------------------------------

TEST(AccountTestSupport, Sha256MatchesTheStandardVectors) {
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_F(AccountRegistration, ChosenPasswordsBreakingThePolicyAreRefusedAndNothingIsWritten) {
    std::string overlong;
    for (int i = 0; i < 129; ++i) overlong.push_back("kq7Zm3xV-"[i % 9]);
    const struct {
        const char* what;
        std::string password;
    } cases[] = {
        {"7 characters", "k9#Tq2z"},
        {"a common password", "qwerty123"},
        {"a common password in other case", "PassWord1"},
        {"the phone number", "+989121234567"},
        {"the phone number without '+'", "989121234567"},
        {"the phone number in national form", "0912 123 4567"},
        {"129 characters", overlong},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        auto e = expect_rejected<validation_error>(url, [&] {
            (void)accounts().register_user(visitor, reg("+98 912 123 4567", c.password));
        });
        if (e) {
            EXPECT_EQ(e->field(), "password") << e->what();
        }
    }
}

TEST_F(AccountRegistration, PasswordsOfEightAndOf128CharactersAreAcceptedWhole) {
    EXPECT_NO_THROW((void)accounts().register_user(visitor, reg("+15552000001", "k9#Tq2zW")));
    std::string longest;
    for (int i = 0; i < 128; ++i) longest.push_back("Zq8-wX3m!"[i % 9]);
    const user u = accounts().register_user(visitor, reg("+15552000002", longest)).user;
    EXPECT_EQ(accounts().login("+15552000002", longest).user.id, u.id);
    // No truncation: a prefix of the password is a wrong password.
    (void)auth_failure([&] { (void)accounts().login("+15552000002", longest.substr(0, 127)); });
    (void)auth_failure([&] { (void)accounts().login("+15552000002", longest.substr(0, 72)); });
}

TEST_F(AccountRegistration, WithoutAPasswordADefaultIsReturnedOnceAndOnlyItsHashIsStored) {
    std::vector<user_registered_event> registered;
    auto sub = sh().events().on_user_registered(
        [&](const user_registered_event& e) { registered.push_back(e); });
    const registration_result r =
        accounts().register_user(visitor, reg("+15552000003", std::nullopt));
    ASSERT_EQ(r.default_password.size(), 26u);
    EXPECT_TRUE(r.user.must_change_password);
    ASSERT_EQ(registered.size(), 1u);
    EXPECT_TRUE(registered[0].default_password);
    EXPECT_EQ(registered[0].user, r.user.id);
    EXPECT_FALSE(database_contains(url, r.default_password))
        << "the raw default password is stored";
    // A chosen password is not reported back.
    EXPECT_TRUE(accounts().register_user(visitor, reg("+15552000004")).default_password.empty());

    const login_result first = accounts().login("+15552000003", r.default_password);
    EXPECT_TRUE(first.must_change_password);
    EXPECT_TRUE(first.user.must_change_password);
    EXPECT_THROW((void)accounts().authenticate(first.token), invalid_state_error);

    // The default cannot be kept.
    auto same = expect_rejected<validation_error>(url, [&] {
        (void)accounts().change_password(first.token, r.default_password, r.default_password);
    });
    if (same) {
        EXPECT_EQ(same->field(), "password");
    }
    EXPECT_THROW((void)accounts().authenticate(first.token), invalid_state_error);

    const login_result changed =
        accounts().change_password(first.token, r.default_password, strong_password);
    EXPECT_FALSE(changed.must_change_password);
    EXPECT_FALSE(changed.user.must_change_password);
    EXPECT_EQ(accounts().authenticate(changed.token), actor::customer(r.user.id));
    EXPECT_THROW((void)accounts().authenticate(first.token), authentication_error);
    EXPECT_FALSE(accounts().user_by_id(admin, r.user.id).must_change_password);
    (void)auth_failure([&] { (void)accounts().login("+15552000003", r.default_password); });
    EXPECT_FALSE(accounts().login("+15552000003", strong_password).must_change_password);
}

TEST_F(AccountRegistration, ADefaultPasswordStopsWorkingAfterItsLifetime) {
    const std::int64_t lifetime = account_settings().default_password_lifetime_seconds;
    const auto r = accounts().register_user(visitor, reg("+15552000005", std::nullopt));
    const std::string wrong_message =
        auth_failure([&] { (void)accounts().login("+15552000005", "not-the-password-1"); });
    clock->advance_seconds(lifetime - 1);
    EXPECT_TRUE(accounts().login("+15552000005", r.default_password).must_change_password);
    clock->advance_seconds(2);
    EXPECT_EQ(auth_failure([&] { (void)accounts().login("+15552000005", r.default_password); }),
              wrong_message);
}

TEST_F(AccountRegistration, ATakenPhoneOrEmailIsAConflictAndNothingIsWritten) {
    (void)register_customer("+989121234567", std::string("zed@example.com"));
    const std::vector<registration> taken = {
        reg("+98 912 123 4567", strong_password, std::string("other@example.com")),
        reg("+15552000006", strong_password, std::string("Zed@EXAMPLE.com")),
        reg("0098 912 123 4567", std::nullopt),  // with a default password too
    };
    for (const auto& r : taken) {
        SCOPED_TRACE(r.phone);
        auto e = expect_rejected<conflict_error>(
            url, [&] { (void)accounts().register_user(visitor, r); });
        // Applications log error messages: they carry no phone number or e-mail address.
        if (e) {
            EXPECT_EQ(std::string(e->what()).find("9121234567"), std::string::npos) << e->what();
            EXPECT_EQ(std::string(e->what()).find("zed@"), std::string::npos) << e->what();
        }
    }
}

TEST_F(AccountRegistration, AFreshShopHasNoAccountsAtAll) {
    // No pre-seeded admin (ASVS 6.3.2): a new database, before anyone calls create_admin.
    const std::string empty = fresh_url();
    shop blank = shop::open(empty, options_with());
    EXPECT_TRUE(blank.accounts().list_users(actor::system(), user_query()).items.empty());
    for (const char* login : {"admin", "admin@localhost", "+10000000000"}) {
        SCOPED_TRACE(login);
        EXPECT_THROW((void)blank.accounts().login(login, "admin"), authentication_error);
    }
}

TEST_F(AccountRegistration, BadPhonesEmailsAndNamesAreRefusedAndNothingIsWritten) {
    const struct {
        const char* field;
        registration r;
    } cases[] = {
        {"phone", reg("09121234567")},  // no prefix and no default country code
        {"phone", reg("+98 912 abc 4567")},
        {"phone", reg("+98123")},
        {"email", reg("+15552000007", strong_password, std::string("no-at-sign.example.com"))},
        {"email", reg("+15552000007", strong_password, std::string("a b@example.com"))},
        {"first_name", reg("+15552000007", strong_password, std::nullopt, std::string(101, 'x'))},
        {"last_name",
         reg("+15552000007", strong_password, std::nullopt, "Rana", std::string(101, 'x'))},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.r.phone + " / " + c.r.email.value_or("") + " / " + c.field);
        auto e = expect_rejected<validation_error>(
            url, [&] { (void)accounts().register_user(visitor, c.r); });
        if (e) {
            EXPECT_EQ(e->field(), c.field) << e->what();
        }
    }
}

// ---- phone numbers --------------------------------------------------------------------------

TEST_F(AccountPhone, NumbersAreStoredInE164AndAnyWrittenFormLogsIn) {
    const user u = register_customer("+98 912 123 4567");
    EXPECT_EQ(u.phone, "+989121234567");
    EXPECT_EQ(accounts().user_by_id(admin, u.id).phone, "+989121234567");
    for (const char* form : {"+989121234567", "0098 912 123 4567", "+98 (912) 123-45.67"}) {
        SCOPED_TRACE(form);
        EXPECT_EQ(accounts().login(form, strong_password).user.id, u.id);
    }
}

TEST_F(AccountPhone, ADefaultCountryCodeMapsNationalNumbersToTheSameUser) {
    const user u = register_customer("+98 912 123 4567");
    shop local = shop::open(
        url, options_with([](shop_options& o) { o.accounts.default_country_code = "98"; }));
    EXPECT_EQ(local.accounts().login("09121234567", strong_password).user.id, u.id);
    EXPECT_EQ(local.accounts().login("9121234567", strong_password).user.id, u.id);
    const user national =
        local.accounts().register_user(actor::anonymous(), reg("0935 000 1122")).user;
    EXPECT_EQ(national.phone, "+989350001122");
    // The same national number is refused by a shop without a default country code.
    auto e = expect_rejected<validation_error>(
        url, [&] { (void)accounts().register_user(visitor, reg("09350001199")); });
    if (e) {
        EXPECT_EQ(e->field(), "phone");
    }
}

// ---- login ----------------------------------------------------------------------------------

TEST_F(AccountLogin, LogsInByPhoneOrByEmailInAnyCase) {
    const user u = register_customer("+15552000010", std::string("Mixed.Case@Example.COM"));
    EXPECT_EQ(u.email, std::optional<std::string>("mixed.case@example.com"));
    for (const char* login : {"+15552000010", "mixed.case@example.com", "MIXED.CASE@EXAMPLE.COM",
                              "Mixed.Case@Example.COM"}) {
        SCOPED_TRACE(login);
        const login_result r = accounts().login(login, strong_password);
        EXPECT_EQ(r.user.id, u.id);
        EXPECT_FALSE(r.must_change_password);
        EXPECT_EQ(accounts().authenticate(r.token), actor::customer(u.id));
    }
    EXPECT_EQ(accounts().user_by_id(admin, u.id).last_login_at, clock->now());
}

TEST_F(AccountLogin, EveryKindOfFailureThrowsTheSameAuthenticationError) {
    const user known = register_customer("+15552000011", std::string("known@example.com"));
    const user gone = register_customer("+15552000012");
    accounts().delete_account(admin, gone.id);
    const user idle = register_customer("+15552000013");
    (void)accounts().set_active(admin, idle.id, false);
    const auto fresh = accounts().register_user(visitor, reg("+15552000014", std::nullopt));

    const std::string message =
        auth_failure([&] { (void)accounts().login("+15552000011", "not-the-password-1"); });
    ASSERT_FALSE(message.empty());
    const std::vector<std::pair<const char*, std::function<void()>>> failures = {
        {"wrong password by e-mail",
         [&] { (void)accounts().login("known@example.com", "not-the-password-1"); }},
        {"unknown phone", [&] { (void)accounts().login("+15552999999", strong_password); }},
        {"unknown e-mail", [&] { (void)accounts().login("nobody@example.com", strong_password); }},
        {"malformed login", [&] { (void)accounts().login("not a phone", strong_password); }},
        {"empty login", [&] { (void)accounts().login("", strong_password); }},
        {"deleted user", [&] { (void)accounts().login("+15552000012", strong_password); }},
        {"inactive user", [&] { (void)accounts().login("+15552000013", strong_password); }},
        {"empty password", [&] { (void)accounts().login("+15552000011", ""); }},
        {"a 4096-byte password",
         [&] { (void)accounts().login("+15552000011", std::string(4096, 'x')); }},
    };
    for (const auto& [what, call] : failures) {
        SCOPED_TRACE(what);
        EXPECT_EQ(auth_failure(call), message);
    }
    clock->advance_seconds(account_settings().default_password_lifetime_seconds + 1);
    EXPECT_EQ(auth_failure([&] { (void)accounts().login("+15552000014", fresh.default_password); }),
              message);
    // The right password still works for the account that is in order.
    EXPECT_EQ(accounts().login("+15552000011", strong_password).user.id, known.id);
}

TEST_F(AccountLogin, FailuresFireLoginFailed) {
    std::vector<login_failed_event> failed;
    auto sub =
        sh().events().on_login_failed([&](const login_failed_event& e) { failed.push_back(e); });
    const user u = register_customer("+15552000015");
    (void)auth_failure([&] { (void)accounts().login("+15552000015", "not-the-password-1"); });
    (void)auth_failure([&] { (void)accounts().login("+15552999998", "not-the-password-1"); });
    ASSERT_EQ(failed.size(), 2u);
    EXPECT_EQ(failed[0].user, std::optional<user_id>(u.id));
    EXPECT_FALSE(failed[0].locked);
    EXPECT_EQ(failed[0].at, clock->now());
    EXPECT_EQ(failed[1].user, std::nullopt);
    EXPECT_FALSE(failed[1].locked);
    (void)accounts().login("+15552000015", strong_password);
    EXPECT_EQ(failed.size(), 2u) << "a successful login fired login_failed";
}

// ---- lockout --------------------------------------------------------------------------------

TEST_F(AccountLockout, LocksAfterTheThresholdUntilTheLockTimePassesThenTheCounterResets) {
    const account_settings defaults;
    const int threshold = defaults.lockout_threshold;
    std::vector<login_failed_event> failed;
    auto sub =
        sh().events().on_login_failed([&](const login_failed_event& e) { failed.push_back(e); });
    const user u = register_customer("+15552000020");
    const auto wrong = [&] { (void)accounts().login("+15552000020", "not-the-password-1"); };

    for (int i = 1; i < threshold; ++i) (void)auth_failure(wrong);
    ASSERT_EQ(failed.size(), static_cast<std::size_t>(threshold - 1));
    for (const auto& e : failed) EXPECT_FALSE(e.locked);
    (void)auth_failure(wrong);  // the threshold-th failure locks
    ASSERT_EQ(failed.size(), static_cast<std::size_t>(threshold));
    EXPECT_TRUE(failed.back().locked);
    EXPECT_EQ(failed.back().user, std::optional<user_id>(u.id));

    // While locked even the right password is refused, and says so.
    try {
        (void)accounts().login("+15552000020", strong_password);
        ADD_FAILURE() << "a locked account logged in";
    } catch (const invalid_state_error& e) {
        EXPECT_NE(std::string(e.what()).find("locked"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(failed.back().locked);
    EXPECT_THROW((void)accounts().login("+15552000020", "not-the-password-1"), invalid_state_error);
    clock->advance_seconds(defaults.lockout_base_seconds - 1);
    EXPECT_THROW((void)accounts().login("+15552000020", strong_password), invalid_state_error);

    clock->advance_seconds(2);
    EXPECT_EQ(accounts().login("+15552000020", strong_password).user.id, u.id);

    // The success reset the counter: threshold - 1 new failures do not lock.
    failed.clear();
    for (int i = 1; i < threshold; ++i) (void)auth_failure(wrong);
    for (const auto& e : failed) EXPECT_FALSE(e.locked);
    EXPECT_EQ(accounts().login("+15552000020", strong_password).user.id, u.id);
}

TEST_F(AccountLockout, EachFailureAfterALockDoublesTheNextLock) {
    const account_settings defaults;
    const auto wrong = [&] { (void)accounts().login("+15552000021", "not-the-password-1"); };
    (void)register_customer("+15552000021");
    for (int i = 0; i < defaults.lockout_threshold; ++i) (void)auth_failure(wrong);
    clock->advance_seconds(defaults.lockout_base_seconds + 1);
    (void)auth_failure(wrong);  // one more failure: locked for twice as long
    clock->advance_seconds(2 * defaults.lockout_base_seconds - 1);
    EXPECT_THROW((void)accounts().login("+15552000021", strong_password), invalid_state_error);
    clock->advance_seconds(2);
    EXPECT_NO_THROW((void)accounts().login("+15552000021", strong_password));
}

// Runs `act` once in each of 50 threads, each with its own shop on the same database, all
// released together; returns what each returned or, for an error, its kind ("auth", "invalid
// state") or text.
std::vector<std::string> in_fifty_threads(const std::string& url, shop_options o,
                                          const std::function<std::string(shop&)>& act) {
    constexpr int threads = 50;
    o.pool_size = 1;
    o.busy_timeout_ms = 20000;
    o.max_attempts = 50;
    std::vector<std::string> outcome(threads);
    std::latch opened(threads);
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (int i = 0; i < threads; ++i) {
        pool.emplace_back([&, i] {
            std::string& out = outcome[static_cast<std::size_t>(i)];
            std::optional<shop> mine;
            try {
                mine.emplace(shop::open(url, o));
            } catch (const std::exception& e) {
                out = std::string("open: ") + e.what();
            }
            // Every thread has its shop before any of them acts, so the calls collide.
            opened.arrive_and_wait();
            if (!mine) return;
            try {
                out = act(*mine);
            } catch (const authentication_error&) {
                out = "auth";
            } catch (const invalid_state_error&) {
                out = "invalid state";
            } catch (const std::exception& e) {
                out = e.what();
            }
        });
    }
    for (auto& t : pool) t.join();
    return outcome;
}

// One wrong login for `phone` from each of 50 threads.
std::vector<std::string> fifty_parallel_wrong_logins(const std::string& url,
                                                     const shop_options& base,
                                                     const std::string& phone, int threshold) {
    shop_options o = base;
    o.accounts.lockout_threshold = threshold;
    return in_fifty_threads(url, o, [&](shop& s) {
        (void)s.accounts().login(phone, "not-the-password-1");
        return std::string("logged in");
    });
}

TEST_F(AccountConcurrency, FiftyParallelWrongLoginsCountExactlyFifty) {
    (void)register_customer("+15552000030");
    const auto outcome =
        fifty_parallel_wrong_logins(url, options_with(), "+15552000030", /*threshold=*/1000);
    for (const auto& o : outcome) EXPECT_EQ(o, "auth");

    // Pin the stored count: with a threshold of 52, failure 51 must not lock and 52 must.
    shop check =
        shop::open(url, options_with([](shop_options& o) { o.accounts.lockout_threshold = 52; }));
    std::vector<login_failed_event> failed;
    auto sub =
        check.events().on_login_failed([&](const login_failed_event& e) { failed.push_back(e); });
    const auto wrong = [&] { (void)check.accounts().login("+15552000030", "not-the-password-1"); };
    (void)auth_failure(wrong);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_FALSE(failed[0].locked) << "more than 50 failures were counted";
    (void)auth_failure(wrong);
    ASSERT_EQ(failed.size(), 2u);
    EXPECT_TRUE(failed[1].locked) << "fewer than 50 failures were counted (a lost update)";
    EXPECT_THROW((void)check.accounts().login("+15552000030", strong_password),
                 invalid_state_error);
}

TEST_F(AccountConcurrency, FiftyParallelWrongLoginsReachAThresholdOfFifty) {
    (void)register_customer("+15552000031");
    const auto outcome = fifty_parallel_wrong_logins(url, options_with(), "+15552000031", 50);
    for (const auto& o : outcome) EXPECT_EQ(o, "auth");
    EXPECT_THROW((void)accounts().login("+15552000031", strong_password), invalid_state_error);
}

TEST_F(AccountConcurrency, FiftyParallelWrongLoginsStayBelowAThresholdOfFiftyOne) {
    (void)register_customer("+15552000032");
    const auto outcome = fifty_parallel_wrong_logins(url, options_with(), "+15552000032", 51);
    for (const auto& o : outcome) EXPECT_EQ(o, "auth");
    shop check =
        shop::open(url, options_with([](shop_options& o) { o.accounts.lockout_threshold = 51; }));
    EXPECT_NO_THROW((void)check.accounts().login("+15552000032", strong_password));
}

// ---- sessions -------------------------------------------------------------------------------

TEST_F(AccountSession, TokensAre256BitBase64UrlAndOnlyTheirSha256IsStored) {
    const user u = register_customer("+15552000040");
    const login_result a = accounts().login("+15552000040", strong_password);
    const login_result b = accounts().login("+15552000040", strong_password);
    EXPECT_NE(a.token, b.token);
    for (const auto& r : {a, b}) {
        ASSERT_EQ(r.token.size(), 43u);
        EXPECT_EQ(r.token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                            "0123456789-_"),
                  std::string::npos)
            << r.token;
        EXPECT_EQ(r.expires_at,
                  clock->now().plus_seconds(account_settings().session_absolute_seconds));
        EXPECT_EQ(r.user.id, u.id);
        EXPECT_FALSE(database_contains(url, r.token)) << "a raw session token is stored";
        EXPECT_TRUE(database_contains(url, sha256_hex(r.token)))
            << "the SHA-256 of the token is not what is stored";
    }
}

TEST_F(AccountSession, LogoutRevokesOnlyThatSessionAndIsIdempotent) {
    const user u = register_customer("+15552000041");
    const login_result a = accounts().login("+15552000041", strong_password);
    const login_result b = accounts().login("+15552000041", strong_password);
    accounts().logout(a.token);
    EXPECT_THROW((void)accounts().authenticate(a.token), authentication_error);
    EXPECT_EQ(accounts().authenticate(b.token), actor::customer(u.id));
    EXPECT_NO_THROW(accounts().logout(a.token));
    EXPECT_NO_THROW(accounts().logout("never-issued"));
    EXPECT_THROW((void)accounts().authenticate("never-issued"), authentication_error);
    EXPECT_THROW((void)accounts().authenticate(""), authentication_error);
}

TEST_F(AccountSession, IdleSessionsExpireAndUseExtendsThem) {
    const std::int64_t idle = account_settings().session_idle_seconds;
    const user u = register_customer("+15552000042");
    const login_result used = accounts().login("+15552000042", strong_password);
    const login_result unused = accounts().login("+15552000042", strong_password);
    clock->advance_seconds(idle - minute);
    EXPECT_EQ(accounts().authenticate(used.token), actor::customer(u.id));
    clock->advance_seconds(2 * minute);  // past the idle time of the session left alone
    EXPECT_THROW((void)accounts().authenticate(unused.token), authentication_error);
    EXPECT_EQ(accounts().authenticate(used.token), actor::customer(u.id));
    clock->advance_seconds(idle + 1);
    EXPECT_THROW((void)accounts().authenticate(used.token), authentication_error);
}

TEST_F(AccountSession, SessionsEndAtTheirAbsoluteExpiryHoweverBusy) {
    const account_settings defaults;
    const user u = register_customer("+15552000043");
    const login_result r = accounts().login("+15552000043", strong_password);
    const timestamp end = r.expires_at;
    while (clock->now().plus_seconds(defaults.session_idle_seconds / 2) <= end) {
        clock->advance_seconds(defaults.session_idle_seconds / 2);
        ASSERT_EQ(accounts().authenticate(r.token), actor::customer(u.id))
            << "at " << clock->now().to_iso8601();
    }
    clock->set(end);
    EXPECT_EQ(accounts().authenticate(r.token), actor::customer(u.id));
    clock->advance_seconds(1);
    EXPECT_THROW((void)accounts().authenticate(r.token), authentication_error);
}

TEST_F(AccountSession, ChangingThePasswordRevokesEverySessionAndReturnsANewOne) {
    std::vector<password_changed_event> changed;
    auto sub = sh().events().on_password_changed(
        [&](const password_changed_event& e) { changed.push_back(e); });
    const user u = register_customer("+15552000044");
    const login_result a = accounts().login("+15552000044", strong_password);
    const login_result b = accounts().login("+15552000044", strong_password);

    // A wrong current password only counts a failure, as a wrong login does.
    expect_rejected_counting_failure<authentication_error>(url, [&] {
        (void)accounts().change_password(a.token, "not-the-password-1", other_password);
    });
    auto weak = expect_rejected<validation_error>(
        url, [&] { (void)accounts().change_password(a.token, strong_password, "password1"); });
    if (weak) {
        EXPECT_EQ(weak->field(), "password");
    }
    auto same = expect_rejected<validation_error>(
        url, [&] { (void)accounts().change_password(a.token, strong_password, strong_password); });
    if (same) {
        EXPECT_EQ(same->field(), "password");
    }
    EXPECT_TRUE(changed.empty());

    const login_result fresh = accounts().change_password(a.token, strong_password, other_password);
    EXPECT_NE(fresh.token, a.token);
    EXPECT_EQ(fresh.user.id, u.id);
    EXPECT_THROW((void)accounts().authenticate(a.token), authentication_error);
    EXPECT_THROW((void)accounts().authenticate(b.token), authentication_error);
    EXPECT_EQ(accounts().authenticate(fresh.token), actor::customer(u.id));
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].user, u.id);
    (void)auth_failure([&] { (void)accounts().login("+15552000044", strong_password); });
    EXPECT_EQ(accounts().login("+15552000044", other_password).user.id, u.id);
    // A revoked session cannot change the password either.
    EXPECT_THROW((void)accounts().change_password(b.token, other_password, "tidal-heron-mosaic-7"),
                 authentication_error);
}

TEST_F(AccountSession, ARoleChangeRotatesSessions) {
    const user u = register_customer("+15552000045");
    const login_result before = accounts().login("+15552000045", strong_password);
    EXPECT_EQ(accounts().authenticate(before.token), actor::customer(u.id));
    (void)accounts().set_role(admin, u.id, role::admin);
    EXPECT_THROW((void)accounts().authenticate(before.token), authentication_error);
    const login_result promoted = accounts().login("+15552000045", strong_password);
    EXPECT_EQ(accounts().authenticate(promoted.token), actor::admin(u.id));
    (void)accounts().set_role(admin, u.id, role::customer);
    EXPECT_THROW((void)accounts().authenticate(promoted.token), authentication_error);
    EXPECT_EQ(accounts().authenticate(accounts().login("+15552000045", strong_password).token),
              actor::customer(u.id));
}

TEST_F(AccountSession, DeactivationAndDeletionEndSessions) {
    const user u = register_customer("+15552000046");
    const user v = register_customer("+15552000047");
    const login_result a = accounts().login("+15552000046", strong_password);
    const login_result b = accounts().login("+15552000047", strong_password);
    (void)accounts().set_active(admin, u.id, false);
    EXPECT_THROW((void)accounts().authenticate(a.token), authentication_error);
    (void)accounts().set_active(admin, u.id, true);
    EXPECT_THROW((void)accounts().authenticate(a.token), authentication_error);
    EXPECT_EQ(accounts().login("+15552000046", strong_password).user.id, u.id);
    accounts().delete_account(actor::customer(v.id), v.id, std::string(strong_password));
    EXPECT_THROW((void)accounts().authenticate(b.token), authentication_error);
}

// ---- verification codes ---------------------------------------------------------------------

TEST_F(AccountVerification, ARequestedCodeVerifiesThePhoneOnce) {
    std::vector<phone_verified_event> verified;
    auto sub = sh().events().on_phone_verified(
        [&](const phone_verified_event& e) { verified.push_back(e); });
    const user u = register_customer("+989121234567");
    EXPECT_FALSE(u.phone_verified);
    accounts().request_verification_code(visitor, "+98 912 123 4567");
    ASSERT_EQ(codes_.size(), 1u);
    const verification_code_event sent = codes_[0];
    EXPECT_EQ(sent.phone, "+989121234567");
    EXPECT_EQ(sent.purpose, "verify_phone");
    EXPECT_EQ(sent.expires_at, clock->now().plus_seconds(5 * minute));
    ASSERT_EQ(sent.code.size(), 6u);
    EXPECT_EQ(sent.code.find_first_not_of("0123456789"), std::string::npos) << sent.code;
    EXPECT_FALSE(database_contains(url, "'" + sent.code + "'")) << "the raw code is stored";

    const phone_verification out = accounts().verify_phone(visitor, "+98 912 123 4567", sent.code);
    EXPECT_EQ(out.user, std::optional<user_id>(u.id));
    EXPECT_TRUE(accounts().user_by_id(admin, u.id).phone_verified);
    ASSERT_EQ(verified.size(), 1u);
    EXPECT_EQ(verified[0].user, std::optional<user_id>(u.id));
    EXPECT_EQ(verified[0].phone, "+989121234567");
    // A code works once.
    EXPECT_THROW((void)accounts().verify_phone(visitor, "+989121234567", sent.code),
                 authentication_error);

    // A verified phone is only reported by a later code: nothing else changes.
    clock->advance_seconds(minute);
    accounts().request_verification_code(visitor, "+989121234567");
    const login_result session =
        accounts().login("+989121234567", out.created ? out.created->default_password
                                                      : std::string(strong_password));
    const auto before = snapshot(url);
    const phone_verification again =
        accounts().verify_phone(visitor, "+989121234567", code_for("+989121234567"), true);
    EXPECT_EQ(again.user, std::optional<user_id>(u.id));
    EXPECT_FALSE(again.created);
    EXPECT_EQ(verified.size(), 2u);
    auto after = snapshot(url);
    EXPECT_EQ(after["app_user"], before.at("app_user"));
    EXPECT_EQ(after["user_session"], before.at("user_session"));
    EXPECT_NO_THROW(accounts().logout(session.token));
}

// docs/concepts/accounts.md: "an account that exists but was never verified (anybody could have
// registered that number) is handed to the code holder: it gets a fresh default password,
// returned in `created`, and its other sessions end."
TEST_F(AccountVerification, AnUnverifiedAccountIsHandedToTheCodeHolder) {
    const user u = register_customer("+15552000049");
    const login_result squatter = accounts().login("+15552000049", strong_password);
    accounts().request_verification_code(visitor, "+15552000049");
    const phone_verification out =
        accounts().verify_phone(visitor, "+15552000049", code_for("+15552000049"));
    EXPECT_EQ(out.user, std::optional<user_id>(u.id));
    ASSERT_TRUE(out.created);
    EXPECT_EQ(out.created->user.id, u.id);
    EXPECT_EQ(out.created->default_password.size(), 26u);
    EXPECT_THROW((void)accounts().authenticate(squatter.token), authentication_error);
    (void)auth_failure([&] { (void)accounts().login("+15552000049", strong_password); });
    const login_result owner = accounts().login("+15552000049", out.created->default_password);
    EXPECT_TRUE(owner.must_change_password);
    EXPECT_TRUE(owner.user.phone_verified);
}

TEST_F(AccountVerification, TheAccountsOwnLoggedInUserVerifiesWithoutLosingThePassword) {
    const user u = register_customer("+15552000050");
    const login_result session = accounts().login("+15552000050", strong_password);
    const actor self = accounts().authenticate(session.token);
    accounts().request_verification_code(self, "+15552000050");
    const phone_verification out =
        accounts().verify_phone(self, "+15552000050", code_for("+15552000050"));
    EXPECT_EQ(out.user, std::optional<user_id>(u.id));
    EXPECT_FALSE(out.created);
    EXPECT_TRUE(accounts().me(self).phone_verified);
    EXPECT_NO_THROW((void)accounts().authenticate(session.token));
    EXPECT_NO_THROW((void)accounts().login("+15552000050", strong_password));
}

TEST_F(AccountVerification, FiveWrongCodesUseTheCodeUp) {
    const user u = register_customer("+15552000050");
    accounts().request_verification_code(visitor, "+15552000050");
    const std::string code = code_for("+15552000050");
    for (int i = 0; i < 5; ++i) {
        EXPECT_THROW((void)accounts().verify_phone(visitor, "+15552000050", wrong_code(code)),
                     authentication_error);
    }
    EXPECT_THROW((void)accounts().verify_phone(visitor, "+15552000050", code),
                 authentication_error);
    EXPECT_FALSE(accounts().user_by_id(admin, u.id).phone_verified);
}

TEST_F(AccountVerification, FourWrongCodesLeaveTheRightOneWorking) {
    const user u = register_customer("+15552000051");
    accounts().request_verification_code(visitor, "+15552000051");
    const std::string code = code_for("+15552000051");
    for (int i = 0; i < 4; ++i) {
        EXPECT_THROW((void)accounts().verify_phone(visitor, "+15552000051", wrong_code(code)),
                     authentication_error);
    }
    EXPECT_EQ(accounts().verify_phone(visitor, "+15552000051", code).user,
              std::optional<user_id>(u.id));
}

TEST_F(AccountVerification, FiftyParallelUsesOfTheRightCodeVerifyOnce) {
    const user u = register_customer("+15552000058");
    accounts().request_verification_code(visitor, "+15552000058");
    const std::string code = code_for("+15552000058");
    // One attempt left: whatever the order, exactly one of the parallel attempts is checked.
    for (int i = 0; i < 4; ++i) {
        EXPECT_THROW((void)accounts().verify_phone(visitor, "+15552000058", wrong_code(code)),
                     authentication_error);
    }
    const auto outcome = in_fifty_threads(url, options_with(), [&](shop& s) {
        const auto out = s.accounts().verify_phone(actor::anonymous(), "+15552000058", code);
        return out.user == std::optional<user_id>(u.id) ? std::string("verified")
                                                        : std::string("wrong user");
    });
    EXPECT_EQ(std::count(outcome.begin(), outcome.end(), "verified"), 1)
        << "a code allowing one more attempt was accepted more than once";
    EXPECT_EQ(std::count(outcome.begin(), outcome.end(), "auth"), 49);
    EXPECT_TRUE(accounts().user_by_id(admin, u.id).phone_verified);
}

TEST_F(AccountVerification, CodesExpireAfterFiveMinutes) {
    const user u = register_customer("+15552000052");
    (void)register_customer("+15552000053");
    accounts().request_verification_code(visitor, "+15552000052");
    accounts().request_verification_code(visitor, "+15552000053");
    clock->advance_seconds(5 * minute);
    EXPECT_EQ(accounts().verify_phone(visitor, "+15552000052", code_for("+15552000052")).user,
              std::optional<user_id>(u.id));
    clock->advance_seconds(1);
    EXPECT_THROW((void)accounts().verify_phone(visitor, "+15552000053", code_for("+15552000053")),
                 authentication_error);
}

TEST_F(AccountVerification, ANewCodeNeedsSixtySecondsAndReplacesTheOldOne) {
    accounts().request_verification_code(visitor, "+15552000054");
    const std::string old_code = code_for("+15552000054");
    clock->advance_seconds(minute - 1);
    expect_rejected<invalid_state_error>(
        url, [&] { accounts().request_verification_code(visitor, "+1 555 200 0054"); });
    EXPECT_EQ(codes_.size(), 1u);
    clock->advance_seconds(1);
    accounts().request_verification_code(visitor, "+15552000054");
    ASSERT_EQ(codes_.size(), 2u);
    const std::string new_code = code_for("+15552000054");
    if (new_code != old_code) {
        EXPECT_THROW((void)accounts().verify_phone(visitor, "+15552000054", old_code),
                     authentication_error);
    }
    const phone_verification out = accounts().verify_phone(visitor, "+15552000054", new_code);
    EXPECT_FALSE(out.user);  // no account has this phone
    EXPECT_FALSE(out.created);
}

TEST_F(AccountVerification, WrongCodesAddUpAcrossResendsUntilTheDailyCap) {
    const std::string phone = "+15552000058";
    // Four rounds of five wrong codes, each round on a fresh code a minute later: 20 failures.
    for (int round = 0; round < 4; ++round) {
        accounts().request_verification_code(visitor, phone);
        const std::string right = code_for(phone);
        for (int i = 0; i < 5; ++i) {
            EXPECT_THROW((void)accounts().verify_phone(visitor, phone, wrong_code(right)),
                         authentication_error);
        }
        clock->advance_seconds(minute);
    }
    // The cap holds: no new code is sent, and none is accepted, for the rest of the 24 hours.
    expect_rejected<invalid_state_error>(
        url, [&] { accounts().request_verification_code(visitor, phone); });
    EXPECT_THROW((void)accounts().verify_phone(visitor, phone, code_for(phone)),
                 invalid_state_error);
    // A day after the first failure the window ends and the phone can be verified again.
    clock->advance_seconds(24 * 3600);
    accounts().request_verification_code(visitor, phone);
    EXPECT_NO_THROW((void)accounts().verify_phone(visitor, phone, code_for(phone)));
}

TEST_F(AccountVerification, VerifyingWithCreateAccountMakesACustomerWithADefaultPassword) {
    std::vector<user_registered_event> registered;
    auto sub = sh().events().on_user_registered(
        [&](const user_registered_event& e) { registered.push_back(e); });
    accounts().request_verification_code(visitor, "+15552000055");
    const phone_verification out =
        accounts().verify_phone(visitor, "+15552000055", code_for("+15552000055"), true);
    ASSERT_TRUE(out.created);
    ASSERT_TRUE(out.user);
    EXPECT_EQ(*out.user, out.created->user.id);
    EXPECT_EQ(out.created->default_password.size(), 26u);
    const user stored = accounts().user_by_id(admin, *out.user);
    EXPECT_EQ(stored.phone, "+15552000055");
    EXPECT_EQ(stored.role, role::customer);
    EXPECT_TRUE(stored.phone_verified);
    EXPECT_TRUE(stored.must_change_password);
    ASSERT_EQ(registered.size(), 1u);
    EXPECT_TRUE(registered[0].default_password);
    EXPECT_FALSE(registered[0].is_admin);
    EXPECT_FALSE(database_contains(url, out.created->default_password));
    const login_result first = accounts().login("+15552000055", out.created->default_password);
    EXPECT_TRUE(first.must_change_password);

    // For a phone that already has an account, create_account creates no second one.
    const user u = register_customer("+15552000056");
    accounts().request_verification_code(visitor, "+15552000056");
    const phone_verification again =
        accounts().verify_phone(visitor, "+15552000056", code_for("+15552000056"), true);
    EXPECT_EQ(again.user, std::optional<user_id>(u.id));
    if (again.created) {
        EXPECT_EQ(again.created->user.id, u.id);
    }
    EXPECT_EQ(registered.size(), 2u);  // only u's own registration
}

TEST_F(AccountVerification, AWrongCodeWithCreateAccountCreatesNothing) {
    accounts().request_verification_code(visitor, "+15552000057");
    const std::string code = code_for("+15552000057");
    EXPECT_THROW((void)accounts().verify_phone(visitor, "+15552000057", wrong_code(code), true),
                 authentication_error);
    (void)auth_failure([&] { (void)accounts().login("+15552000057", strong_password); });
    user_query q;
    q.text = "5552000057";
    EXPECT_TRUE(accounts().list_users(admin, q).items.empty());
}

// ---- phone change ---------------------------------------------------------------------------

TEST_F(AccountPhoneChange, AConfirmedChangeSwitchesTheLoginPhone) {
    std::vector<user_updated_event> updated;
    auto sub =
        sh().events().on_user_updated([&](const user_updated_event& e) { updated.push_back(e); });
    const user u = register_customer("+15552000060");
    const actor me = actor::customer(u.id);
    accounts().request_phone_change(me, "+44 7700 900123");
    ASSERT_EQ(codes_.size(), 1u);
    EXPECT_EQ(codes_[0].phone, "+447700900123");
    EXPECT_EQ(codes_[0].purpose, "change_phone");
    // The code does not verify the phone outside a phone change.
    EXPECT_THROW((void)accounts().verify_phone(visitor, "+447700900123", codes_[0].code),
                 authentication_error);
    EXPECT_THROW(
        (void)accounts().confirm_phone_change(me, "+447700900123", wrong_code(codes_[0].code)),
        authentication_error);
    EXPECT_EQ(accounts().me(me).phone, "+15552000060");
    const user changed = accounts().confirm_phone_change(me, "+447700900123", codes_[0].code);
    EXPECT_EQ(changed.phone, "+447700900123");
    EXPECT_TRUE(changed.phone_verified);
    EXPECT_EQ(accounts().me(me).phone, "+447700900123");
    EXPECT_EQ(accounts().login("+447700900123", strong_password).user.id, u.id);
    (void)auth_failure([&] { (void)accounts().login("+15552000060", strong_password); });
    ASSERT_FALSE(updated.empty());
    EXPECT_EQ(updated.back().user, u.id);
}

TEST_F(AccountPhoneChange, ATakenPhoneIsAConflictAndNothingIsWritten) {
    const user u = register_customer("+15552000061");
    (void)register_customer("+15552000062");
    expect_rejected<conflict_error>(
        url, [&] { accounts().request_phone_change(actor::customer(u.id), "+15552000062"); });
    EXPECT_TRUE(codes_.empty());
}

// ---- profile --------------------------------------------------------------------------------

address home_address() {
    address a;
    a.label = "home";
    a.recipient_name = "Rana Karimi";
    a.line1 = "12 Valiasr Street";
    a.city = "Tehran";
    a.country = "IR";
    return a;
}

TEST_F(AccountProfile, NamesAndEmailChangeAndMeShowsThem) {
    std::vector<user_updated_event> updated;
    auto sub =
        sh().events().on_user_updated([&](const user_updated_event& e) { updated.push_back(e); });
    const user u = register_customer("+15552000070", std::string("rana@example.com"));
    const actor me = actor::customer(u.id);
    EXPECT_EQ(accounts().me(me).email, std::optional<std::string>("rana@example.com"));

    profile_update change;
    change.first_name = "Roya";
    change.last_name = "Tehrani";
    change.email = "Roya.T@Example.com";
    const user after = accounts().update_profile(me, change);
    EXPECT_EQ(after.first_name, "Roya");
    EXPECT_EQ(after.last_name, "Tehrani");
    EXPECT_EQ(after.email, std::optional<std::string>("roya.t@example.com"));
    EXPECT_EQ(after.version, u.version + 1);
    ASSERT_EQ(updated.size(), 1u);
    EXPECT_EQ(updated[0].user, u.id);
    EXPECT_EQ(updated[0].version, after.version);
    const user read = accounts().me(me);
    EXPECT_EQ(read.first_name, "Roya");
    EXPECT_EQ(read.email, after.email);
    EXPECT_EQ(read.phone, "+15552000070");
    EXPECT_EQ(accounts().login("roya.t@example.com", strong_password).user.id, u.id);
    (void)auth_failure([&] { (void)accounts().login("rana@example.com", strong_password); });

    // Fields left empty stay; an empty e-mail removes it.
    profile_update remove;
    remove.email = "";
    const user no_email = accounts().update_profile(me, remove);
    EXPECT_EQ(no_email.email, std::nullopt);
    EXPECT_EQ(no_email.first_name, "Roya");
    EXPECT_EQ(accounts().me(me).email, std::nullopt);
}

TEST_F(AccountProfile, AnotherUsersEmailIsAConflictAndNothingIsWritten) {
    const user u = register_customer("+15552000071", std::string("first@example.com"));
    (void)register_customer("+15552000072", std::string("second@example.com"));
    profile_update change;
    change.first_name = "Changed";
    change.email = "SECOND@example.com";
    expect_rejected<conflict_error>(
        url, [&] { (void)accounts().update_profile(actor::customer(u.id), change); });
    // The user's own e-mail is no conflict.
    change.email = "First@Example.com";
    EXPECT_EQ(accounts().update_profile(actor::customer(u.id), change).first_name, "Changed");
}

TEST_F(AccountProfile, AddressesHaveExactlyOneDefault) {
    const user u = register_customer("+15552000073");
    const actor me = actor::customer(u.id);
    address work = home_address();
    work.label = "work";
    work.line1 = "1 Azadi Square";
    work.phone = "+98 21 1234 5678";

    profile_update none_flagged;
    none_flagged.addresses = std::vector<address>{home_address(), work};
    user after = accounts().update_profile(me, none_flagged);
    ASSERT_EQ(after.addresses.size(), 2u);
    EXPECT_TRUE(after.addresses[0].is_default);
    EXPECT_FALSE(after.addresses[1].is_default);
    EXPECT_EQ(after.addresses[1].phone, "+982112345678");
    const user read = accounts().me(me);
    ASSERT_EQ(read.addresses.size(), 2u);
    EXPECT_TRUE(read.addresses[0].is_default);
    EXPECT_EQ(read.addresses[1].line1, "1 Azadi Square");
    EXPECT_EQ(read.addresses[1].phone, "+982112345678");

    profile_update second_flagged;
    work.is_default = true;
    second_flagged.addresses = std::vector<address>{home_address(), work};
    after = accounts().update_profile(me, second_flagged);
    EXPECT_FALSE(after.addresses[0].is_default);
    EXPECT_TRUE(after.addresses[1].is_default);
    EXPECT_TRUE(accounts().me(me).addresses[1].is_default);

    address also_default = home_address();
    also_default.is_default = true;
    address bad_country = home_address();
    bad_country.country = "Iran";
    address lower_country = home_address();
    lower_country.country = "ir";
    address no_line = home_address();
    no_line.line1.clear();
    address bad_phone = home_address();
    bad_phone.phone = "12345";
    const struct {
        const char* what;
        std::vector<address> list;
    } refused[] = {
        {"two defaults", {also_default, work}},
        {"a country name", {bad_country}},
        {"a lower-case country", {lower_country}},
        {"no first line", {no_line}},
        {"a bad contact phone", {bad_phone}},
        {"eleven addresses", std::vector<address>(11, home_address())},
    };
    for (const auto& c : refused) {
        SCOPED_TRACE(c.what);
        profile_update bad;
        bad.addresses = c.list;
        auto e = expect_rejected<validation_error>(
            url, [&] { (void)accounts().update_profile(me, bad); });
        if (e) {
            EXPECT_EQ(e->field(), "addresses") << e->what();
        }
    }

    profile_update clear;
    clear.addresses = std::vector<address>{};
    EXPECT_TRUE(accounts().update_profile(me, clear).addresses.empty());
    EXPECT_TRUE(accounts().me(me).addresses.empty());
}

TEST_F(AccountProfile, AStaleExpectedVersionIsAConflictAndNothingIsWritten) {
    const user u = register_customer("+15552000074");
    const actor me = actor::customer(u.id);
    profile_update first;
    first.first_name = "One";
    first.expected_version = u.version;
    const user after = accounts().update_profile(me, first);
    profile_update stale;
    stale.first_name = "Two";
    stale.expected_version = u.version;
    expect_rejected<conflict_error>(url, [&] { (void)accounts().update_profile(me, stale); });
    stale.expected_version = after.version;
    EXPECT_EQ(accounts().update_profile(me, stale).first_name, "Two");
}

TEST_F(AccountProfile, BadNamesAndEmailsAreRefusedAndNothingIsWritten) {
    const user u = register_customer("+15552000075");
    const actor me = actor::customer(u.id);
    profile_update long_name;
    long_name.first_name = std::string(101, 'x');
    auto e = expect_rejected<validation_error>(
        url, [&] { (void)accounts().update_profile(me, long_name); });
    if (e) {
        EXPECT_EQ(e->field(), "first_name");
    }
    profile_update bad_email;
    bad_email.email = "not-an-email";
    e = expect_rejected<validation_error>(url,
                                          [&] { (void)accounts().update_profile(me, bad_email); });
    if (e) {
        EXPECT_EQ(e->field(), "email");
    }
}

}  // namespace
}  // namespace shopcore::test

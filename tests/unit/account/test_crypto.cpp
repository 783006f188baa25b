#include "account/crypto.hpp"

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <shopcore/core/error.hpp>

namespace shopcore::detail {
namespace {

// Chi-square critical values at p = 1e-6 (Wilson-Hilferty), so that a correct generator fails
// about once in a million runs while a biased one (see below) still fails every time.
// 30 degrees of freedom:
constexpr double chi_square_critical_30 = 83.0;
// 9 degrees of freedom:
constexpr double chi_square_critical_9 = 46.0;

double chi_square(const std::vector<std::int64_t>& counts) {
    std::int64_t total = 0;
    for (const auto c : counts) total += c;
    const double expected = static_cast<double>(total) / static_cast<double>(counts.size());
    double sum = 0;
    for (const auto c : counts) {
        const double d = static_cast<double>(c) - expected;
        sum += d * d / expected;
    }
    return sum;
}

std::vector<std::int64_t> symbol_counts(const std::vector<std::string>& texts) {
    std::vector<std::int64_t> counts(default_password_alphabet.size(), 0);
    for (const auto& text : texts) {
        for (const char c : text) {
            const auto index = default_password_alphabet.find(c);
            if (index != std::string_view::npos) ++counts[index];
        }
    }
    return counts;
}

struct phc_params {
    long m = -1;
    long t = -1;
    long p = -1;
};

// Parses "$argon2id$v=19$m=<m>,t=<t>,p=<p>$<salt>$<hash>"; all -1 when the shape is wrong.
phc_params parse_phc(const std::string& hash) {
    constexpr std::string_view prefix = "$argon2id$v=19$";
    if (!hash.starts_with(prefix)) return {};
    std::string_view rest = std::string_view(hash).substr(prefix.size());
    phc_params out;
    for (const auto& [key, target] : {std::pair{"m=", &out.m}, {"t=", &out.t}, {"p=", &out.p}}) {
        if (!rest.starts_with(key)) return {};
        rest.remove_prefix(2);
        const auto end = rest.find_first_not_of("0123456789");
        if (end == 0 || end == std::string_view::npos) return {};
        *target = std::stol(std::string(rest.substr(0, end)));
        rest.remove_prefix(end);
        if (rest.front() != (key[0] == 'p' ? '$' : ',')) return {};
        rest.remove_prefix(1);
    }
    const auto dollar = rest.find('$');  // salt $ hash, both non-empty
    if (dollar == 0 || dollar == std::string_view::npos || dollar + 1 == rest.size() ||
        rest.find('$', dollar + 1) != std::string_view::npos) {
        return {};
    }
    return out;
}

TEST(Crypto, DefaultPasswordsAreDistinctAndDrawnFromTheAlphabet) {
    constexpr int n = 100000;
    std::vector<std::string> passwords;
    passwords.reserve(n);
    std::unordered_set<std::string> seen;
    seen.reserve(n);
    for (int i = 0; i < n; ++i) {
        std::string pw = generate_default_password();
        ASSERT_EQ(pw.size(), default_password_length) << pw;
        ASSERT_EQ(pw.find_first_not_of(default_password_alphabet), std::string::npos) << pw;
        ASSERT_TRUE(seen.insert(pw).second) << "duplicate " << pw;
        passwords.push_back(std::move(pw));
    }
    const auto counts = symbol_counts(passwords);
    for (std::size_t i = 0; i < counts.size(); ++i) {
        EXPECT_GT(counts[i], 0) << "symbol " << default_password_alphabet[i] << " never drawn";
    }
    // 2.6 million symbols over 31 bins, 30 degrees of freedom: a correct generator exceeds the
    // bound once in a thousand runs.
    EXPECT_LT(chi_square(counts), chi_square_critical_30);
}

TEST(Crypto, AlphabetHasNoLookAlikesAndGives128Bits) {
    EXPECT_EQ(default_password_alphabet.size(), 31U);
    for (const char c : std::string_view("ilo01")) {
        EXPECT_EQ(default_password_alphabet.find(c), std::string_view::npos) << c;
    }
    const std::unordered_set<char> distinct(default_password_alphabet.begin(),
                                            default_password_alphabet.end());
    EXPECT_EQ(distinct.size(), default_password_alphabet.size());
    EXPECT_GE(static_cast<double>(default_password_length) *
                  std::log2(static_cast<double>(default_password_alphabet.size())),
              128.0);
}

// The frequency test above has the power to catch the classic mistake, a random byte reduced
// modulo 31 (256 = 8 * 31 + 8, so eight symbols come up 9/8 as often), at the same sample size.
TEST(Crypto, FrequencyTestDetectsModuloBias) {
    std::mt19937 rng(20240601);
    std::vector<std::string> biased(100000, std::string(default_password_length, ' '));
    for (auto& pw : biased) {
        for (char& c : pw) {
            const auto byte = static_cast<std::uint8_t>(rng() & 0xFFU);
            c = default_password_alphabet[byte % default_password_alphabet.size()];
        }
    }
    EXPECT_GT(chi_square(symbol_counts(biased)), chi_square_critical_30);
}

TEST(Crypto, ParamsFollowLibsodiumProfiles) {
    const auto interactive = params_for(password_cost::interactive);
    EXPECT_EQ(interactive.opslimit, 2U);
    EXPECT_EQ(interactive.memlimit, 64U * 1024 * 1024);
    const auto moderate = params_for(password_cost::moderate);
    EXPECT_EQ(moderate.opslimit, 3U);
    EXPECT_EQ(moderate.memlimit, 256U * 1024 * 1024);
    const auto sensitive = params_for(password_cost::sensitive);
    EXPECT_EQ(sensitive.opslimit, 4U);
    EXPECT_EQ(sensitive.memlimit, 1024U * 1024 * 1024);
    const auto insecure = params_for(password_cost::testing_only_insecure);
    EXPECT_EQ(insecure.opslimit, 1U);
    EXPECT_EQ(insecure.memlimit, 8192U);
    EXPECT_THROW((void)params_for(static_cast<password_cost>(99)), validation_error);
}

TEST(Crypto, InteractiveHashIsArgon2idAboveTheOwaspFloor) {
    const auto params = params_for(password_cost::interactive);
    const std::string hash = hash_password("correct horse battery staple", params);
    ASSERT_TRUE(hash.starts_with("$argon2id$v=19$")) << hash;
    const phc_params phc = parse_phc(hash);
    EXPECT_GE(phc.m, 19456) << hash;  // KiB: OWASP's minimum is 19 MiB with t=2, p=1
    EXPECT_GE(phc.t, 2) << hash;
    EXPECT_EQ(phc.p, 1) << hash;
    EXPECT_EQ(phc.m, 65536) << hash;  // libsodium's INTERACTIVE: 64 MiB

    EXPECT_TRUE(verify_password(hash, "correct horse battery staple"));
    EXPECT_FALSE(verify_password(hash, "correct horse battery stapler"));
    EXPECT_FALSE(verify_password(hash, ""));
    EXPECT_FALSE(needs_rehash(hash, params));
    EXPECT_TRUE(needs_rehash(hash, params_for(password_cost::moderate)));

    // A fresh salt every time: the same password never hashes to the same string.
    const std::string again = hash_password("correct horse battery staple", params);
    EXPECT_NE(again, hash);
    EXPECT_TRUE(verify_password(again, "correct horse battery staple"));
}

TEST(Crypto, MalformedHashesNeverVerify) {
    const std::vector<std::string> malformed = {
        "!",
        "",
        "*",
        "garbage",
        "$argon2id$",
        "$argon2id$v=19$m=65536,t=2,p=1$$",
        "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
        std::string(300, 'a'),
        "$argon2id" + std::string(200, 'x')};
    for (const std::string& stored : malformed) {
        EXPECT_FALSE(verify_password(stored, "")) << stored;
        EXPECT_FALSE(verify_password(stored, "!")) << stored;
        EXPECT_FALSE(verify_password(stored, stored)) << stored;
        EXPECT_TRUE(needs_rehash(stored, params_for(password_cost::interactive))) << stored;
    }
}

TEST(Crypto, InsecureHashNeedsRehashUnderInteractive) {
    const auto insecure = params_for(password_cost::testing_only_insecure);
    const std::string hash = hash_password("p\xc3\xa4ssw\xc3\xb6rd", insecure);
    EXPECT_TRUE(hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$")) << hash;
    EXPECT_TRUE(needs_rehash(hash, params_for(password_cost::interactive)));
    EXPECT_FALSE(needs_rehash(hash, insecure));
    EXPECT_TRUE(verify_password(hash, "p\xc3\xa4ssw\xc3\xb6rd"));
}

// Made once with crypto_pwhash_argon2i_str("legacy password", opslimit 3, memlimit 8192).
TEST(Crypto, LegacyArgon2iHashVerifiesButNeedsRehash) {
    const std::string legacy =
        "$argon2i$v=19$m=8,t=3,p=1$fI0nIekBO6iFfxQmnhzdyg$zBxboNtMfpAHIJ3Vy14kX1k8bogoS7msaCEfzqQ+"
        "KQw";
    EXPECT_TRUE(verify_password(legacy, "legacy password"));
    EXPECT_FALSE(verify_password(legacy, "legacy passwort"));
    // Same parameters, other algorithm: still to be upgraded.
    EXPECT_TRUE(needs_rehash(legacy, hash_params{3, 8192}));
}

TEST(Crypto, EmptyPasswordsAreHashedLikeAnyOther) {
    const auto insecure = params_for(password_cost::testing_only_insecure);
    const std::string hash = hash_password(std::string_view{}, insecure);
    EXPECT_TRUE(verify_password(hash, std::string_view{}));
    EXPECT_TRUE(verify_password(hash, ""));
    EXPECT_FALSE(verify_password(hash, " "));
    EXPECT_EQ(sha256_hex(std::string_view{}), sha256_hex(""));
}

TEST(Crypto, EmbeddedNulIsPartOfThePassword) {
    const auto insecure = params_for(password_cost::testing_only_insecure);
    const std::string with_nul("abc\0def", 7);
    const std::string hash = hash_password(with_nul, insecure);
    EXPECT_TRUE(verify_password(hash, with_nul));
    EXPECT_FALSE(verify_password(hash, "abc"));
}

TEST(Crypto, OutOfRangeParametersThrowStorageError) {
    EXPECT_THROW((void)hash_password("x", hash_params{0, 8192}), storage_error);
    EXPECT_THROW((void)hash_password("x", hash_params{1, 1024}), storage_error);
}

TEST(Crypto, HashingFromManyThreadsIsSafe) {
    const auto insecure = params_for(password_cost::testing_only_insecure);
    constexpr int threads = 12;
    std::vector<std::string> hashes(threads);
    std::vector<int> verified(threads, 0);
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (int i = 0; i < threads; ++i) {
        pool.emplace_back([&, i] {
            const auto idx = static_cast<std::size_t>(i);
            hashes[idx] = hash_password("secret-" + std::to_string(i), insecure);
            verified[idx] = verify_password(hashes[idx], "secret-" + std::to_string(i)) ? 1 : 0;
        });
    }
    for (auto& t : pool) t.join();
    for (int i = 0; i < threads; ++i) {
        const auto idx = static_cast<std::size_t>(i);
        EXPECT_EQ(verified[idx], 1) << i;
        EXPECT_FALSE(verify_password(hashes[idx], "secret-" + std::to_string(i + 1))) << i;
    }
}

TEST(Crypto, RandomTokensAreUrlSafeAndDistinct) {
    const std::string url_safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // 256 bits = 42 full symbols + 4 bits: the last symbol's two low bits are zero.
    const std::string last_symbols = "AEIMQUYcgkosw048";
    std::unordered_set<std::string> seen;
    for (int i = 0; i < 10000; ++i) {
        const std::string token = random_token();
        ASSERT_EQ(token.size(), 43U) << token;
        ASSERT_EQ(token.find_first_not_of(url_safe), std::string::npos) << token;
        ASSERT_NE(last_symbols.find(token.back()), std::string::npos) << token;
        ASSERT_TRUE(seen.insert(token).second) << "duplicate " << token;
    }
}

TEST(Crypto, Sha256MatchesKnownVectors) {
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256_hex(std::string("\0", 1)),
              "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

TEST(Crypto, CodesAreUniformDigitsWithLeadingZeros) {
    constexpr int n = 20000;
    std::vector<std::int64_t> first_digit(10, 0);
    std::vector<std::int64_t> all_digits(10, 0);
    for (int i = 0; i < n; ++i) {
        const std::string code = generate_code();
        ASSERT_EQ(code.size(), 6U) << code;
        ASSERT_EQ(code.find_first_not_of("0123456789"), std::string::npos) << code;
        ++first_digit[static_cast<std::size_t>(code[0] - '0')];
        for (const char c : code) ++all_digits[static_cast<std::size_t>(c - '0')];
    }
    EXPECT_GT(first_digit[0], n / 20) << "leading zeros must be kept";
    EXPECT_LT(chi_square(first_digit), chi_square_critical_9);
    EXPECT_LT(chi_square(all_digits), chi_square_critical_9);
}

TEST(Crypto, CodeLengthIsChecked) {
    EXPECT_EQ(generate_code(1).size(), 1U);
    EXPECT_EQ(generate_code(64).size(), 64U);
    EXPECT_THROW((void)generate_code(0), validation_error);
    EXPECT_THROW((void)generate_code(-3), validation_error);
    EXPECT_THROW((void)generate_code(65), validation_error);
}

TEST(Crypto, ConstantTimeEqual) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "Abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
    EXPECT_FALSE(constant_time_equal("", "a"));
    EXPECT_TRUE(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
    EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
    const std::string token = random_token();
    EXPECT_TRUE(constant_time_equal(sha256_hex(token), sha256_hex(std::string(token))));
}

}  // namespace
}  // namespace shopcore::detail

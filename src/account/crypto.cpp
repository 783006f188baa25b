#include "account/crypto.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <new>
#include <semaphore>

#include <sodium.h>

#include <shopcore/core/error.hpp>

namespace shopcore::detail {
namespace {

// Process-wide on purpose: the bound protects the process's memory, whichever shop objects
// share it (each hash holds memlimit bytes, 64 MiB at `interactive`).
std::counting_semaphore<max_concurrent_hashes>& hashing_slots() {
    static std::counting_semaphore<max_concurrent_hashes> slots(max_concurrent_hashes);
    return slots;
}

class hashing_slot {
public:
    hashing_slot() { hashing_slots().acquire(); }
    ~hashing_slot() { hashing_slots().release(); }
    hashing_slot(const hashing_slot&) = delete;
    hashing_slot& operator=(const hashing_slot&) = delete;
};

constexpr std::size_t token_bytes = 32;

// libsodium declares its input pointers nonnull; an empty std::string_view may hold nullptr.
const char* non_null(std::string_view text) { return text.empty() ? "" : text.data(); }
constexpr int max_code_digits = 64;

}  // namespace

hash_params params_for(password_cost cost) {
    switch (cost) {
        case password_cost::interactive:
            return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
        case password_cost::moderate:
            return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
        case password_cost::sensitive:
            return {crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE};
        case password_cost::testing_only_insecure:
            return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    }
    throw validation_error("cost", "unknown password cost");
}

void ensure_sodium() {
    static std::once_flag once;
    // If the callable throws, call_once leaves the flag unset and a later call tries again.
    std::call_once(once, [] {
        if (sodium_init() < 0) throw storage_error("libsodium could not be initialised");
    });
}

std::string hash_password(std::string_view password, const hash_params& p) {
    ensure_sodium();
    if (p.opslimit < crypto_pwhash_OPSLIMIT_MIN || p.opslimit > crypto_pwhash_OPSLIMIT_MAX ||
        p.memlimit < crypto_pwhash_MEMLIMIT_MIN || p.memlimit > crypto_pwhash_MEMLIMIT_MAX) {
        throw storage_error("password hashing parameters out of range");
    }
    std::array<char, crypto_pwhash_STRBYTES> out{};
    int rc = 0;
    {
        const hashing_slot slot;
        rc = crypto_pwhash_str(out.data(), non_null(password), password.size(), p.opslimit,
                               p.memlimit);
    }
    // With the parameters checked above, the only remaining failure is the allocation.
    if (rc != 0) throw std::bad_alloc();
    return std::string(out.data());
}

namespace {
std::atomic<std::uint64_t> g_verifications{0};
}  // namespace

std::uint64_t verification_count() noexcept { return g_verifications.load(); }

bool verify_password(const std::string& stored_hash, std::string_view password) {
    // Locked accounts ("!"), empty or foreign strings: no work, no slot.
    if (!stored_hash.starts_with("$argon2") || stored_hash.size() >= crypto_pwhash_STRBYTES) {
        return false;
    }
    ensure_sodium();
    const hashing_slot slot;
    g_verifications.fetch_add(1);
    return crypto_pwhash_str_verify(stored_hash.c_str(), non_null(password), password.size()) == 0;
}

bool needs_rehash(const std::string& stored_hash, const hash_params& p) {
    // libsodium compares the parameters only; an Argon2i hash must move to Argon2id as well.
    if (!stored_hash.starts_with("$argon2id$") || stored_hash.size() >= crypto_pwhash_STRBYTES) {
        return true;
    }
    ensure_sodium();
    return crypto_pwhash_str_needs_rehash(stored_hash.c_str(), p.opslimit, p.memlimit) != 0;
}

std::string random_symbols(std::string_view alphabet, std::size_t length) {
    ensure_sodium();
    const auto symbols = static_cast<std::uint32_t>(alphabet.size());
    std::string out(length, '\0');
    if (symbols > 256) {
        for (char& c : out) c = alphabet[randombytes_uniform(symbols)];
        return out;
    }
    // Random bytes drawn in one call, not one system call per symbol; a byte at or above the
    // largest multiple of `symbols` is rejected, so every symbol stays equally likely.
    const std::uint32_t limit = 256 - 256 % symbols;
    std::array<unsigned char, 64> pool{};
    std::size_t used = pool.size();
    for (char& c : out) {
        for (;;) {
            if (used == pool.size()) {
                randombytes_buf(pool.data(), pool.size());
                used = 0;
            }
            const std::uint32_t b = pool[used++];
            if (b < limit) {
                c = alphabet[b % symbols];
                break;
            }
        }
    }
    sodium_memzero(pool.data(), pool.size());
    return out;
}

std::string generate_default_password() {
    return random_symbols(default_password_alphabet, default_password_length);
}

std::string random_token() {
    ensure_sodium();
    std::array<unsigned char, token_bytes> raw{};
    randombytes_buf(raw.data(), raw.size());
    std::array<char,
               sodium_base64_ENCODED_LEN(token_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)>
        text{};
    sodium_bin2base64(text.data(), text.size(), raw.data(), raw.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw.data(), raw.size());
    std::string out(text.data());
    sodium_memzero(text.data(), text.size());
    return out;
}

std::string sha256_hex(std::string_view data) {
    ensure_sodium();
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(non_null(data)),
                       data.size());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return std::string(hex.data());
}

std::string generate_code(int digits) {
    if (digits < 1 || digits > max_code_digits) {
        throw validation_error("digits",
                               "must be between 1 and " + std::to_string(max_code_digits));
    }
    ensure_sodium();
    std::string out(static_cast<std::size_t>(digits), '0');
    for (char& c : out) c = static_cast<char>('0' + randombytes_uniform(10));
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace shopcore::detail

#ifndef SHOPCORE_SRC_ACCOUNT_CRYPTO_HPP
#define SHOPCORE_SRC_ACCOUNT_CRYPTO_HPP

// Internal cryptographic primitives of the accounts module, all on libsodium. Never installed.
// Every function is thread-safe and initialises libsodium on first use.

#include <cstddef>
#include <string>
#include <string_view>

#include <shopcore/account/password_policy.hpp>

namespace shopcore::detail {

/// Argon2id work factors as libsodium takes them.
struct hash_params {
    unsigned long long opslimit;  ///< Passes over memory (Argon2 t).
    std::size_t memlimit;         ///< Bytes of memory (Argon2 m, in bytes rather than KiB).
};

/// libsodium's named profile for a cost: interactive = 64 MiB/t=2, moderate = 256 MiB/t=3,
/// sensitive = 1 GiB/t=4, testing_only_insecure = 8 KiB/t=1 (the libsodium minimum).
/// @throws validation_error("cost") for a value outside the enumeration.
[[nodiscard]] hash_params params_for(password_cost cost);

/// The most password hashes or verifications that run at once in the process; further callers
/// block until a slot frees. Each one holds `memlimit` bytes (64 MiB at `interactive`), so this
/// bounds memory under a burst of logins.
inline constexpr int max_concurrent_hashes = 4;

/// Initialises libsodium once per process (std::call_once); a failed attempt is retried by the
/// next call. @throws storage_error if sodium_init() fails (e.g. no entropy source).
void ensure_sodium();

/// Argon2id hash of `password` in PHC string form ("$argon2id$v=19$m=65536,t=2,p=1$...") with a
/// fresh random salt (crypto_pwhash_str). Waits for one of `max_concurrent_hashes` slots.
/// @throws std::bad_alloc when libsodium cannot allocate `p.memlimit`,
///         storage_error for parameters outside libsodium's limits.
[[nodiscard]] std::string hash_password(std::string_view password, const hash_params& p);

/// True when `password` matches `stored_hash` (crypto_pwhash_str_verify, constant time in the
/// password). Returns false, quickly and without a slot, for anything that is not an Argon2
/// string, such as the "!" of a locked account: callers that must hide whether an account
/// exists verify against a dummy hash themselves. Otherwise waits for a hashing slot.
/// @throws storage_error if sodium cannot be initialised.
[[nodiscard]] bool verify_password(const std::string& stored_hash, std::string_view password);

/// How many Argon2id verifications this process has run (diagnostics; lets tests prove that
/// unknown users cost the same hashing work as wrong passwords).
[[nodiscard]] std::uint64_t verification_count() noexcept;

/// True when `stored_hash` is not an Argon2id string, was made with other parameters than `p`,
/// or is malformed (crypto_pwhash_str_needs_rehash != 0): rehash it at the next successful login.
[[nodiscard]] bool needs_rehash(const std::string& stored_hash, const hash_params& p);

/// Symbols of generated default passwords: 31 lower-case letters and digits, without the
/// look-alikes i, l, o, 0 and 1.
inline constexpr std::string_view default_password_alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

/// Length of generated default passwords: 26 * log2(31) = 128.8 bits of entropy.
inline constexpr std::size_t default_password_length = 26;

/// `length` symbols drawn uniformly from `alphabet` (1..2^32 symbols): rejection sampling over
/// one buffer of random bytes for up to 256 symbols, randombytes_uniform per symbol above.
/// @throws storage_error if sodium cannot be initialised.
[[nodiscard]] std::string random_symbols(std::string_view alphabet, std::size_t length);

/// A new default password: `default_password_length` symbols drawn independently and uniformly
/// from `default_password_alphabet` with randombytes_uniform (no modulo bias).
[[nodiscard]] std::string generate_default_password();

/// 32 random bytes (256 bits) as unpadded base64url: 43 characters of [A-Za-z0-9_-].
/// For session and reset tokens; store only sha256_hex() of it.
[[nodiscard]] std::string random_token();

/// SHA-256 of `data` as 64 lower-case hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view data);

/// `digits` uniformly random decimal digits, leading zeros kept ("042917").
/// @throws validation_error("digits") unless 1 <= digits <= 64.
[[nodiscard]] std::string generate_code(int digits = 6);

/// True when `a` and `b` are equal. Time depends on the sizes only, not on the contents
/// (sodium_memcmp); different sizes compare unequal at once.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_ACCOUNT_CRYPTO_HPP

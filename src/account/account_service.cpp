#include <shopcore/account/account_service.hpp>

#include <algorithm>

#include <shopcore/core/error.hpp>

#include "account/account_rules.hpp"
#include "account/authorization.hpp"
#include "account/crypto.hpp"
#include "account/password_rules.hpp"
#include "core/page_token.hpp"
#include "core/validate.hpp"
#include "events/publish.hpp"
#include "service_impls.hpp"
#include "storage/account_store.hpp"

namespace shopcore {

account_service::account_service(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
account_service::~account_service() = default;

namespace {

using storage::connection;
using storage::stored_user;
using storage::transaction_context;

constexpr std::int64_t micros_per_second = 1000000;
constexpr std::int64_t code_lifetime_seconds = 5 * 60;
constexpr std::int64_t code_resend_seconds = 60;
constexpr std::int64_t code_max_attempts = 5;
// Wrong codes per phone in 24 hours, across resends: caps guessing at 20 per day per phone.
constexpr std::int64_t code_max_daily_failures = 20;
constexpr std::int64_t code_window_seconds = 24 * 3600;
// Longer inputs are refused before hashing (they would hold a hashing slot for long).
constexpr std::size_t max_password_bytes = 1024;
constexpr const char* bad_login = "invalid login or password";

std::string code_hash(const std::string& phone, const std::string& code) {
    return detail::sha256_hex(phone + ":" + code);
}

stored_user must_load_user(connection& c, user_id id) {
    auto u = storage::load_user(c, id);
    if (!u || u->user.deleted) {
        throw not_found_error("user " + std::to_string(id.value()) + " not found");
    }
    return *u;
}

bool is_self(const actor& by, user_id id) {
    return (by.kind() == actor_kind::customer || by.kind() == actor_kind::admin) && by.user() == id;
}

void require_user_actor(const actor& by, const char* what) {
    if ((by.kind() != actor_kind::customer && by.kind() != actor_kind::admin) ||
        !by.user().is_valid()) {
        throw permission_denied_error(std::string(actor_kind_name(by.kind())) + " may not " + what);
    }
}

bool holds(const std::vector<permission>& ps, permission p) {
    return std::find(ps.begin(), ps.end(), p) != ps.end();
}

// The last active super admin cannot lose that status.
void protect_last_super_admin(connection& c, const stored_user& target) {
    if (target.user.role == role::admin && target.user.active && !target.user.deleted &&
        holds(target.user.permissions, permission::super_admin) &&
        storage::count_active_super_admins(c) <= 1) {
        throw invalid_state_error("user " + std::to_string(target.user.id.value()) +
                                  " is the last active super admin");
    }
}

void save_user(connection& c, stored_user& s, std::int64_t now) {
    if (!storage::update_user_row(c, s, now)) {
        throw conflict_error("user " + std::to_string(s.user.id.value()) +
                             " was changed by someone else");
    }
    ++s.user.version;
}

}  // namespace

// ---- registration ----------------------------------------------------------------------------

registration_result account_service::register_user(const actor& by, const registration& r) {
    auto& ctx = impl_->ctx;
    if (by.kind() == actor_kind::customer) {
        throw permission_denied_error("a logged-in customer may not register another account");
    }
    if (by.kind() == actor_kind::admin) {
        ctx.db->read([&](connection& c) {
            detail::require_permission(c, by, permission::manage_users, "register users");
        });
    }
    return impl_->create_user(by, r, role::customer, {});
}

registration_result account_service::create_admin(const actor& by, const registration& r,
                                                  const std::vector<permission>& permissions) {
    auto& ctx = impl_->ctx;
    ctx.db->read([&](connection& c) {
        detail::require_permission(c, by, permission::super_admin, "create admins");
    });
    return impl_->create_user(by, r, role::admin, permissions);
}

registration_result account_service::impl::create_user(const actor& by, const registration& r,
                                                       role what,
                                                       std::vector<permission> permissions) {
    stored_user s;
    user& u = s.user;
    u.phone = detail::normalize_phone(r.phone, ctx.accounts.default_country_code);
    if (r.email) {
        const std::string email = detail::normalize_email(*r.email);
        if (!email.empty()) u.email = email;
    }
    detail::check_text("first_name", r.first_name, 0, 100);
    detail::check_text("last_name", r.last_name, 0, 100);
    u.first_name = r.first_name;
    u.last_name = r.last_name;
    u.role = what;
    std::sort(permissions.begin(), permissions.end());
    permissions.erase(std::unique(permissions.begin(), permissions.end()), permissions.end());
    u.permissions = permissions;
    const timestamp now = ctx.now();
    u.joined_at = now;
    registration_result out;
    if (r.password) {
        detail::check_password_policy(*r.password, u.phone, *ctx.common_passwords);
        s.password_hash = detail::hash_password(*r.password, hash_params());
    } else {
        out.default_password = detail::generate_default_password();
        s.password_hash = detail::hash_password(out.default_password, hash_params());
        u.must_change_password = true;
        s.password_expires_at =
            now.micros() + ctx.accounts.default_password_lifetime_seconds * micros_per_second;
    }
    out.user = ctx.db->write([&](transaction_context& tx) {
        return insert_checked(tx, by, s, !r.password.has_value());
    });
    return out;
}

user account_service::impl::insert_checked(transaction_context& tx, const actor& by, stored_user s,
                                           bool default_password) {
    auto& c = tx.conn();
    if (storage::load_user_by(c, "phone", s.user.phone)) {
        throw conflict_error("this phone number is already registered");
    }
    if (s.user.email && storage::load_user_by(c, "email", *s.user.email)) {
        throw conflict_error("this e-mail address is already registered");
    }
    const std::int64_t now = s.user.joined_at.micros();
    s.user.id = storage::insert_user(c, s, now);
    s.user.version = 1;
    if (!s.user.permissions.empty()) storage::replace_permissions(c, s.user.id, s.user.permissions);
    detail::publish_after_commit(tx, ctx.hub,
                                 user_registered_event{by, s.user.id, s.user.role == role::admin,
                                                       default_password, s.user.joined_at});
    return s.user;
}

detail::hash_params account_service::impl::hash_params() const {
    return detail::params_for(ctx.accounts.cost);
}

void account_service::request_verification_code(const actor& /*by*/, const std::string& phone) {
    auto& ctx = impl_->ctx;
    const std::string normal = detail::normalize_phone(phone, ctx.accounts.default_country_code);
    impl_->send_code(normal, "verify_phone", std::nullopt);
}

void account_service::impl::send_code(const std::string& phone, const std::string& purpose,
                                      std::optional<user_id> owner) {
    const timestamp now = ctx.now();
    const std::string code = detail::generate_code(6);
    ctx.db->write([&](transaction_context& tx) {
        auto& c = tx.conn();
        storage::code_row row;
        row.window_start = now.micros();
        if (auto existing = storage::load_code(c, phone)) {
            if (now.micros() - existing->sent_at < code_resend_seconds * micros_per_second) {
                throw invalid_state_error("a code was sent less than " +
                                          std::to_string(code_resend_seconds) + " seconds ago");
            }
            // Failures survive a resend for 24 hours, so resending cannot reset the guessing.
            if (now.micros() - existing->window_start < code_window_seconds * micros_per_second) {
                row.failures = existing->failures;
                row.window_start = existing->window_start;
            }
            if (row.failures >= code_max_daily_failures) {
                throw invalid_state_error(
                    "too many wrong codes for this phone number; try again tomorrow");
            }
        }
        row.code_hash = code_hash(phone, code);
        row.purpose = purpose;
        if (owner) {
            row.user = owner->value();
        } else if (auto u = storage::load_user_by(c, "phone", phone)) {
            row.user = u->user.id.value();
        }
        row.sent_at = now.micros();
        row.expires_at = now.micros() + code_lifetime_seconds * micros_per_second;
        storage::replace_code(c, phone, row);
        detail::publish_after_commit(
            tx, ctx.hub,
            verification_code_event{phone, code, purpose, timestamp::from_micros(row.expires_at)});
    });
}

// Checks a code; counts a wrong attempt in its own transaction so it sticks.
// @returns the code's row when it matched (the row is then deleted inside `on_match`).
void account_service::impl::check_code(
    const std::string& phone, const std::string& code, const std::string& purpose,
    const std::function<void(transaction_context&, const storage::code_row&)>& on_match) {
    const timestamp now = ctx.now();
    enum class outcome { matched, wrong, gone, capped };
    const outcome result = ctx.db->write([&](transaction_context& tx) {
        auto& c = tx.conn();
        auto row = storage::load_code(c, phone);
        if (!row || row->purpose != purpose) return outcome::gone;
        // A used-up or expired code stays (it keeps the resend throttle and the daily count).
        if (row->failures >= code_max_daily_failures &&
            now.micros() - row->window_start < code_window_seconds * micros_per_second) {
            return outcome::capped;
        }
        if (now.micros() > row->expires_at || row->attempts >= code_max_attempts) {
            return outcome::gone;
        }
        if (!detail::constant_time_equal(row->code_hash, code_hash(phone, code))) {
            storage::add_code_attempt(c, phone);
            return outcome::wrong;
        }
        storage::delete_code(c, phone);
        on_match(tx, *row);
        return outcome::matched;
    });
    if (result == outcome::capped) {
        throw invalid_state_error("too many wrong codes for this phone number; try again tomorrow");
    }
    if (result != outcome::matched) {
        throw authentication_error("the verification code is wrong, expired or used up");
    }
}

phone_verification account_service::verify_phone(const actor& by, const std::string& phone,
                                                 const std::string& code, bool create_account) {
    auto& ctx = impl_->ctx;
    const std::string normal = detail::normalize_phone(phone, ctx.accounts.default_country_code);
    // First the code (consumed on success), then, with the phone proven, the account work:
    // no hashing happens for a wrong code.
    impl_->check_code(normal, code, "verify_phone",
                      [](transaction_context&, const storage::code_row&) {});
    const auto existing =
        ctx.db->read([&](connection& c) { return storage::load_user_by(c, "phone", normal); });
    phone_verification out;
    const bool verified_owner = existing && existing->user.phone_verified;
    if (verified_owner || (!existing && !create_account)) {
        if (existing) out.user = existing->user.id;
        detail::publish(ctx.hub, phone_verified_event{out.user, normal, ctx.now()});
        return out;
    }
    // A new account, or an unverified one that anybody could have registered with this phone:
    // the code holder owns the number, so they get a fresh default password and every other
    // session of that account ends.
    const timestamp now = ctx.now();
    registration_result created;
    created.default_password = detail::generate_default_password();
    const std::string hash = detail::hash_password(created.default_password, impl_->hash_params());
    const std::int64_t expires =
        now.micros() + ctx.accounts.default_password_lifetime_seconds * micros_per_second;
    ctx.db->write([&](transaction_context& tx) {
        auto& c = tx.conn();
        if (auto again = storage::load_user_by(c, "phone", normal)) {
            if (!again->user.phone_verified && is_self(by, again->user.id)) {
                // The account's own logged-in user proved the number: nothing to hand over.
                again->user.phone_verified = true;
                save_user(c, *again, now.micros());
                detail::publish_after_commit(
                    tx, ctx.hub, user_updated_event{by, again->user.id, again->user.version, now});
            } else if (!again->user.phone_verified) {
                again->user.phone_verified = true;
                again->user.must_change_password = true;
                again->password_hash = hash;
                again->password_expires_at = expires;
                save_user(c, *again, now.micros());
                storage::delete_user_sessions(c, again->user.id);
                detail::publish_after_commit(
                    tx, ctx.hub, user_updated_event{by, again->user.id, again->user.version, now});
                created.user = again->user;
                out.created = created;
            }
            out.user = again->user.id;
        } else {
            stored_user s;
            s.user.phone = normal;
            s.user.phone_verified = true;
            s.user.must_change_password = true;
            s.user.joined_at = now;
            s.password_hash = hash;
            s.password_expires_at = expires;
            created.user = impl_->insert_checked(tx, by, s, true);
            out.user = created.user.id;
            out.created = created;
        }
        detail::publish_after_commit(tx, ctx.hub, phone_verified_event{out.user, normal, now});
    });
    return out;
}

// ---- login and sessions ----------------------------------------------------------------------

login_result account_service::login(const std::string& login, const std::string& password) {
    auto& ctx = impl_->ctx;
    const timestamp now = ctx.now();
    std::optional<stored_user> found;
    try {
        const bool by_email = login.find('@') != std::string::npos;
        const std::string key =
            by_email ? detail::normalize_email(login)
                     : detail::normalize_phone(login, ctx.accounts.default_country_code);
        found = ctx.db->read([&](connection& c) {
            return storage::load_user_by(c, by_email ? "email" : "phone", key);
        });
    } catch (const validation_error&) {
        // A malformed login is just an unknown user: same answer, same work.
    }
    if (found && found->user.deleted) found.reset();
    if (found) impl_->refuse_if_locked(*found, now);
    // Unknown users cost the same Argon2id work as known ones; an oversized password is checked
    // against the dummy hash as an empty one (same work, never a match).
    const bool oversized = password.size() > max_password_bytes;
    const bool password_ok =
        detail::verify_password(found && !oversized ? found->password_hash : impl_->dummy_hash,
                                oversized ? std::string_view() : std::string_view(password)) &&
        !oversized && found;
    const bool expired = found && found->user.must_change_password && found->password_expires_at &&
                         *found->password_expires_at < now.micros();
    if (!found || !password_ok || !found->user.active || expired) {
        const bool locked = found && impl_->note_failure(found->user.id, now);
        detail::publish(ctx.hub, login_failed_event{
                                     found ? std::optional<user_id>(found->user.id) : std::nullopt,
                                     locked, now});
        throw authentication_error(bad_login);
    }
    std::optional<std::string> rehashed;
    if (detail::needs_rehash(found->password_hash, impl_->hash_params())) {
        rehashed = detail::hash_password(password, impl_->hash_params());
    }
    return impl_->open_session(*found, now, rehashed);
}

login_result account_service::impl::open_session(const stored_user& s, timestamp now,
                                                 const std::optional<std::string>& new_hash) {
    login_result out;
    out.token = detail::random_token();
    out.user = s.user;
    out.must_change_password = s.user.must_change_password;
    out.expires_at = now.plus_seconds(ctx.accounts.session_absolute_seconds);
    const std::string hash = detail::sha256_hex(out.token);
    ctx.db->write([&](transaction_context& tx) {
        if (!storage::record_login(tx.conn(), s.user.id, now.micros(), s.password_hash, new_hash)) {
            // The password changed, or the account was locked, deactivated or deleted while the
            // password was being verified: that change wins.
            throw authentication_error(bad_login);
        }
        storage::insert_session(tx.conn(), hash, s.user.id, now.micros(), out.expires_at.micros(),
                                s.user.must_change_password);
    });
    out.user.last_login_at = now;
    return out;
}

bool account_service::impl::note_failure(user_id id, timestamp now) {
    bool locked = false;
    ctx.db->write([&](transaction_context& tx) {
        const std::int64_t failures = storage::add_login_failure(tx.conn(), id);
        const std::int64_t over = failures - ctx.accounts.lockout_threshold;
        if (over >= 0) {
            // Doubles from the base for each failure beyond the threshold, up to the maximum
            // (the settings are bounded at shop open, so this cannot overflow).
            std::int64_t seconds = ctx.accounts.lockout_base_seconds;
            for (std::int64_t i = 0; i < over && seconds < ctx.accounts.lockout_max_seconds; ++i) {
                seconds *= 2;
            }
            seconds = std::min(seconds, ctx.accounts.lockout_max_seconds);
            storage::set_locked_until(tx.conn(), id, now.micros() + seconds * micros_per_second);
            locked = true;
        }
    });
    return locked;
}

void account_service::impl::refuse_if_locked(const stored_user& s, timestamp now) {
    if (s.locked_until && *s.locked_until > now.micros()) {
        detail::publish(ctx.hub, login_failed_event{s.user.id, true, now});
        throw invalid_state_error("account locked until " +
                                  timestamp::from_micros(*s.locked_until).to_iso8601());
    }
}

void account_service::impl::check_own_password(const stored_user& s, const std::string& password,
                                               const char* what) {
    const timestamp now = ctx.now();
    refuse_if_locked(s, now);
    const bool oversized = password.size() > max_password_bytes;
    if (oversized || !detail::verify_password(s.password_hash, password)) {
        const bool locked = note_failure(s.user.id, now);
        detail::publish(ctx.hub, login_failed_event{s.user.id, locked, now});
        throw authentication_error(std::string("the password is wrong; ") + what);
    }
}

void account_service::logout(const std::string& token) {
    const std::string hash = detail::sha256_hex(token);
    impl_->ctx.db->write(
        [&](transaction_context& tx) { storage::delete_session(tx.conn(), hash); });
}

std::pair<storage::session_row, stored_user> account_service::impl::live_session(
    const std::string& token) {
    const timestamp now = ctx.now();
    const std::string hash = detail::sha256_hex(token);
    auto found = ctx.db->read(
        [&](connection& c) -> std::optional<std::pair<storage::session_row, stored_user>> {
            auto s = storage::load_session(c, hash);
            if (!s) return std::nullopt;
            auto u = storage::load_user(c, s->user);
            if (!u) return std::nullopt;
            return std::make_pair(*s, *u);
        });
    const bool expired = found && (now.micros() > found->first.expires ||
                                   now.micros() - found->first.last_seen >
                                       ctx.accounts.session_idle_seconds * micros_per_second);
    if (!found || expired || found->second.user.deleted || !found->second.user.active) {
        if (found) {
            ctx.db->write(
                [&](transaction_context& tx) { storage::delete_session(tx.conn(), hash); });
        }
        throw authentication_error("the session is unknown, expired or revoked");
    }
    // Extend the idle expiry, at most once a minute to spare the database a write per call.
    if (now.micros() - found->first.last_seen > 60 * micros_per_second) {
        ctx.db->write([&](transaction_context& tx) {
            storage::touch_session(tx.conn(), hash, now.micros());
        });
    }
    return *found;
}

actor account_service::authenticate(const std::string& token) {
    auto [session, s] = impl_->live_session(token);
    if (session.must_change_password) {
        throw invalid_state_error("the default password must be changed first");
    }
    return s.user.role == role::admin ? actor::admin(s.user.id) : actor::customer(s.user.id);
}

login_result account_service::change_password(const std::string& token,
                                              const std::string& current_password,
                                              const std::string& new_password) {
    auto& ctx = impl_->ctx;
    auto [session, s] = impl_->live_session(token);
    impl_->check_own_password(s, current_password, "the password was not changed");
    detail::check_password_policy(new_password, s.user.phone, *ctx.common_passwords);
    if (new_password == current_password) {
        throw validation_error("password", "the new password must differ from the current one");
    }
    const std::string hash = detail::hash_password(new_password, impl_->hash_params());
    const timestamp now = ctx.now();
    const user_id id = s.user.id;
    stored_user updated = ctx.db->write([&](transaction_context& tx) {
        stored_user fresh = must_load_user(tx.conn(), id);
        fresh.password_hash = hash;
        fresh.user.must_change_password = false;
        fresh.password_expires_at.reset();
        save_user(tx.conn(), fresh, now.micros());
        storage::delete_user_sessions(tx.conn(), id);
        detail::publish_after_commit(tx, ctx.hub, password_changed_event{id, now});
        return fresh;
    });
    return impl_->open_session(updated, now, std::nullopt);
}

// ---- profile ---------------------------------------------------------------------------------

user account_service::me(const actor& by) {
    require_user_actor(by, "read a profile");
    return impl_->ctx.db->read([&](connection& c) { return must_load_user(c, by.user()).user; });
}

user account_service::update_profile(const actor& by, const profile_update& u) {
    require_user_actor(by, "edit a profile");
    auto& ctx = impl_->ctx;
    if (u.first_name) detail::check_text("first_name", *u.first_name, 0, 100);
    if (u.last_name) detail::check_text("last_name", *u.last_name, 0, 100);
    std::optional<std::string> email;
    if (u.email && !u.email->empty()) email = detail::normalize_email(*u.email);
    std::vector<address> addresses;
    if (u.addresses) {
        addresses = detail::checked_addresses(*u.addresses, ctx.accounts.default_country_code);
    }
    const timestamp now = ctx.now();
    return ctx.db->write([&](transaction_context& tx) {
        auto& c = tx.conn();
        stored_user s = must_load_user(c, by.user());
        if (u.expected_version && *u.expected_version != s.user.version) {
            throw conflict_error("the profile was changed by someone else");
        }
        if (u.first_name) s.user.first_name = *u.first_name;
        if (u.last_name) s.user.last_name = *u.last_name;
        if (u.email) {
            if (email) {
                auto other = storage::load_user_by(c, "email", *email);
                if (other && other->user.id != s.user.id) {
                    throw conflict_error("this e-mail address is already registered");
                }
            }
            s.user.email = email;
        }
        save_user(c, s, now.micros());
        if (u.addresses) {
            storage::replace_addresses(c, s.user.id, addresses);
            s.user.addresses = addresses;
        }
        detail::publish_after_commit(tx, ctx.hub,
                                     user_updated_event{by, s.user.id, s.user.version, now});
        return s.user;
    });
}

void account_service::request_phone_change(const actor& by, const std::string& new_phone) {
    require_user_actor(by, "change a phone number");
    auto& ctx = impl_->ctx;
    const std::string normal =
        detail::normalize_phone(new_phone, ctx.accounts.default_country_code);
    const bool taken = ctx.db->read(
        [&](connection& c) { return storage::load_user_by(c, "phone", normal).has_value(); });
    if (taken) throw conflict_error("this phone number is already registered");
    impl_->send_code(normal, "change_phone", by.user());
}

user account_service::confirm_phone_change(const actor& by, const std::string& new_phone,
                                           const std::string& code) {
    require_user_actor(by, "change a phone number");
    auto& ctx = impl_->ctx;
    const std::string normal =
        detail::normalize_phone(new_phone, ctx.accounts.default_country_code);
    user out;
    impl_->check_code(
        normal, code, "change_phone", [&](transaction_context& tx, const storage::code_row& row) {
            auto& c = tx.conn();
            if (!row.user || *row.user != by.user().value()) {
                throw authentication_error("the verification code is wrong, expired or used up");
            }
            if (storage::load_user_by(c, "phone", normal)) {
                throw conflict_error("this phone number is already registered");
            }
            const timestamp now = ctx.now();
            stored_user s = must_load_user(c, by.user());
            s.user.phone = normal;
            s.user.phone_verified = true;
            save_user(c, s, now.micros());
            detail::publish_after_commit(tx, ctx.hub, phone_verified_event{s.user.id, normal, now});
            detail::publish_after_commit(tx, ctx.hub,
                                         user_updated_event{by, s.user.id, s.user.version, now});
            out = s.user;
        });
    return out;
}

void account_service::delete_account(const actor& by, user_id id,
                                     const std::optional<std::string>& password) {
    auto& ctx = impl_->ctx;
    if (is_self(by, id)) {
        const auto self = ctx.db->read([&](connection& c) { return must_load_user(c, id); });
        impl_->check_own_password(self, password.value_or(std::string()),
                                  "the account was not deleted");
    } else {
        ctx.db->read([&](connection& c) {
            detail::require_permission(c, by, permission::manage_users, "delete accounts");
        });
    }
    const timestamp now = ctx.now();
    ctx.db->write([&](transaction_context& tx) {
        auto& c = tx.conn();
        storage::lock_admin_changes(c);
        const stored_user s = must_load_user(c, id);
        if (!is_self(by, id) && holds(s.user.permissions, permission::super_admin)) {
            detail::require_permission(c, by, permission::super_admin, "delete a super admin");
        }
        protect_last_super_admin(c, s);
        for (const auto& erase : ctx.erasers) erase(c, id, now);
        detail::publish_after_commit(tx, ctx.hub, user_deleted_event{by, id, now});
    });
}

// ---- admin -----------------------------------------------------------------------------------

page<user> account_service::list_users(const actor& by, const user_query& q,
                                       const page_request& request) {
    auto& ctx = impl_->ctx;
    const std::int64_t limit = effective_limit(request);
    detail::check_text("text", q.text, 0, 200);
    const std::string fp = detail::fingerprint(
        "r=" + std::string(q.role ? role_name(*q.role) : "-") +
        "|a=" + (q.active ? std::to_string(*q.active) : std::string("-")) + "|t=" + q.text +
        "|s=" + std::to_string(static_cast<int>(q.sort)) + "|d=" + std::to_string(q.descending) +
        "|x=" + std::to_string(q.include_deleted));
    std::optional<storage::user_cursor> after;
    if (!request.token.empty()) {
        auto parts = detail::decode_page_token(request.token);
        if (parts.size() != 4 || parts[0] != "u1" || parts[1] != fp) {
            throw validation_error("token", "page token belongs to another query");
        }
        after = storage::user_cursor{parts[2], detail::parse_token_int(parts[3])};
    }
    auto rows = ctx.db->read([&](connection& c) {
        detail::require_permission(c, by, permission::manage_users, "list users");
        return storage::list_users(c, q, after, limit + 1);
    });
    page<user> out;
    if (static_cast<std::int64_t>(rows.size()) > limit) {
        rows.resize(static_cast<std::size_t>(limit));
        out.next_token =
            detail::encode_page_token({"u1", fp, storage::user_sort_key(rows.back(), q.sort),
                                       std::to_string(rows.back().id.value())});
    }
    out.items = std::move(rows);
    return out;
}

user account_service::user_by_id(const actor& by, user_id id) {
    return impl_->ctx.db->read([&](connection& c) {
        if (!is_self(by, id)) {
            detail::require_permission(c, by, permission::manage_users, "read other users");
        }
        return must_load_user(c, id).user;
    });
}

user account_service::impl::change_admin_rights(
    const actor& by, user_id id, permission needed,
    const std::function<void(connection&, stored_user&)>& change, bool rotate_sessions) {
    const timestamp now = ctx.now();
    return ctx.db->write([&](transaction_context& tx) {
        auto& c = tx.conn();
        // Lock first: a right revoked while we waited for the lock must count.
        storage::lock_admin_changes(c);
        detail::require_permission(c, by, needed, "change user rights");
        stored_user s = must_load_user(c, id);
        const user before = s.user;
        change(c, s);
        if (s.user.role == before.role && s.user.active == before.active &&
            s.user.permissions == before.permissions) {
            return s.user;  // nothing to change: no write, no event, sessions stay
        }
        save_user(c, s, now.micros());
        storage::replace_permissions(c, id, s.user.permissions);
        if (rotate_sessions) storage::delete_user_sessions(c, id);
        detail::publish_after_commit(tx, ctx.hub, user_updated_event{by, id, s.user.version, now});
        return s.user;
    });
}

user account_service::set_active(const actor& by, user_id id, bool active) {
    return impl_->change_admin_rights(
        by, id, permission::manage_users,
        [&](connection& c, stored_user& s) {
            if (!active && holds(s.user.permissions, permission::super_admin)) {
                detail::require_permission(c, by, permission::super_admin,
                                           "deactivate a super admin");
                protect_last_super_admin(c, s);
            }
            s.user.active = active;
        },
        !active);
}

user account_service::set_role(const actor& by, user_id id, role r) {
    return impl_->change_admin_rights(
        by, id, permission::manage_users,
        [&](connection& c, stored_user& s) {
            if (s.user.role == r) return;
            if (holds(s.user.permissions, permission::super_admin)) {
                detail::require_permission(c, by, permission::super_admin, "demote a super admin");
                protect_last_super_admin(c, s);
            }
            s.user.role = r;
            s.user.permissions.clear();
        },
        true);
}

user account_service::grant_permission(const actor& by, user_id id, permission p) {
    return impl_->change_admin_rights(
        by, id, p == permission::super_admin ? permission::super_admin : permission::manage_users,
        [&](connection&, stored_user& s) {
            if (s.user.role != role::admin) {
                throw invalid_state_error("permissions can only be granted to admins");
            }
            if (!holds(s.user.permissions, p)) {
                s.user.permissions.push_back(p);
                std::sort(s.user.permissions.begin(), s.user.permissions.end());
            }
        },
        false);
}

user account_service::revoke_permission(const actor& by, user_id id, permission p) {
    return impl_->change_admin_rights(
        by, id, p == permission::super_admin ? permission::super_admin : permission::manage_users,
        [&](connection& c, stored_user& s) {
            if (p == permission::super_admin) protect_last_super_admin(c, s);
            s.user.permissions.erase(
                std::remove(s.user.permissions.begin(), s.user.permissions.end(), p),
                s.user.permissions.end());
        },
        false);
}

}  // namespace shopcore

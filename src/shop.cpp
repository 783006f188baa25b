#include <shopcore/shop.hpp>

#include <iostream>
#include <optional>

#include <shopcore/core/error.hpp>

#include "account/crypto.hpp"
#include "account/password_rules.hpp"

#include "order/order_internal.hpp"
#include "recommend/recommender_internal.hpp"
#include "service_impls.hpp"
#include "storage/cart_store.hpp"
#include "storage/engagement_store.hpp"
#include "storage/order_store.hpp"
#include "storage/settings_store.hpp"
#include "storage/support_store.hpp"

namespace shopcore {

struct shop::impl {
    detail::shop_context ctx;
    std::unique_ptr<catalog_service> catalog;
    std::unique_ptr<inventory_service> inventory;
    std::unique_ptr<cart_service> carts;
    std::unique_ptr<discount_service> discounts;
    std::unique_ptr<account_service> accounts;
    std::unique_ptr<order_service> orders;
    std::unique_ptr<engagement_service> engagement;
    std::unique_ptr<support_service> support;
    std::unique_ptr<recommender> recommendations;
};

namespace {

storage::sync_level to_sync(sqlite_synchronous s) {
    switch (s) {
        case sqlite_synchronous::off:
            return storage::sync_level::off;
        case sqlite_synchronous::normal:
            return storage::sync_level::normal;
        case sqlite_synchronous::full:
            return storage::sync_level::full;
    }
    return storage::sync_level::full;
}

// Records the currency at first open; later, refuses a different one or, if `adopt`, returns
// the recorded one.
currency settle_currency(storage::database& db, const currency& wanted, bool adopt) {
    for (int attempt = 0;; ++attempt) {
        try {
            std::optional<std::string> stored;
            db.write([&](storage::transaction_context& tx) {
                stored = storage::load_setting(tx.conn(), "currency");
                if (!stored) {
                    storage::insert_setting(tx.conn(), "currency", wanted.code());
                } else if (*stored != wanted.code() && !adopt) {
                    throw validation_error("currency", "this shop was created with currency " +
                                                           *stored + ", not " + wanted.code());
                }
            });
            return stored ? currency::of(*stored) : wanted;
        } catch (const conflict_error&) {
            if (attempt > 0) throw;  // another process inserted it first: read it again
        }
    }
}

}  // namespace

shop::shop(std::shared_ptr<impl> p) noexcept : impl_(std::move(p)) {}

shop shop::open(const std::string& url, const shop_options& options) {
    const currency cur = currency::of(options.currency);  // validated before anything opens
    storage::database_options db_options;
    db_options.sqlite_synchronous = to_sync(options.synchronous);
    db_options.busy_timeout_ms = options.busy_timeout_ms;
    db_options.pool_size = options.pool_size;
    db_options.max_attempts = options.max_attempts;

    // Bounded so that no expiry or lock arithmetic (microseconds in 64 bits) can overflow.
    constexpr std::int64_t ten_years = std::int64_t{10} * 365 * 24 * 3600;
    const auto& a = options.accounts;
    for (const std::int64_t seconds :
         {a.session_idle_seconds, a.session_absolute_seconds, a.default_password_lifetime_seconds,
          a.lockout_base_seconds, a.lockout_max_seconds}) {
        if (seconds < 1 || seconds > ten_years) {
            throw validation_error("accounts", "durations must be between 1 second and 10 years");
        }
    }
    if (a.lockout_threshold < 1 || a.lockout_threshold > 1000000) {
        throw validation_error("accounts", "lockout_threshold must be between 1 and 1000000");
    }
    // Carts, shipping and tax are checked before anything is opened or created.
    detail::check_cart_settings(options.carts);
    auto pricing = std::make_shared<const pricing_engine>(
        cur, shipping_calculator(options.shipping_methods, cur), options.tax);
    auto passwords = std::make_shared<detail::common_password_list>();
    if (!options.accounts.extra_common_passwords_file.empty()) {
        passwords->add_file(options.accounts.extra_common_passwords_file);
    }
    auto p = std::make_shared<impl>();
    // Checked before anything is opened; the service is bound to the context below.
    auto orders = detail::make_order_service(p->ctx, options.orders, options.payments,
                                             !options.shipping_methods.empty());
    detail::check_recommender_settings(options.recommendations);
    p->ctx.time = options.time_source ? options.time_source : std::make_shared<system_clock>();
    db_options.now_micros = [time = p->ctx.time] { return time->now().micros(); };
    p->ctx.db = std::make_unique<storage::database>(url, db_options);
    const currency recorded = settle_currency(*p->ctx.db, cur, options.use_recorded_currency);
    if (recorded != cur) {  // use_recorded_currency: price in the shop's own currency
        pricing = std::make_shared<const pricing_engine>(
            recorded, shipping_calculator(options.shipping_methods, recorded), options.tax);
    }
    p->ctx.shop_currency = recorded;
    p->ctx.accounts = options.accounts;
    p->ctx.common_passwords = std::move(passwords);
    p->ctx.pricing = std::move(pricing);
    detail::ensure_sodium();
    if (options.accounts.cost == password_cost::testing_only_insecure) {
        std::cerr << "shopcore: WARNING: password_cost::testing_only_insecure; never use it for "
                     "a real shop\n";
    }
    // Accounts erase their own personal data; later features register theirs the same way.
    p->ctx.erasers.emplace_back([](storage::connection& c, user_id id, timestamp at) {
        storage::anonymise_user(c, id, at.micros());
    });
    // A user's cart holds where they ship to: it goes with the account.
    p->ctx.erasers.emplace_back([](storage::connection& c, user_id id, timestamp) {
        if (const auto cart = storage::find_cart_by_owner(c, id)) storage::delete_cart(c, *cart);
    });
    // Orders keep their totals; the buyer's contact details in them go with the account.
    p->ctx.erasers.emplace_back(
        [](storage::connection& c, user_id id, timestamp) { storage::anonymise_orders(c, id); });
    // Likes go; comments stay without an author; tickets lose their words.
    p->ctx.erasers.emplace_back([](storage::connection& c, user_id id, timestamp) {
        storage::erase_engagement(c, id);
        storage::erase_tickets(c, id);
    });
    p->carts = detail::make_cart_service(p->ctx, options.carts);
    p->engagement = detail::make_engagement_service(p->ctx);
    p->support = detail::make_support_service(p->ctx);
    p->recommendations = detail::make_recommender(p->ctx, *p->carts, options.recommendations);
    p->orders = std::move(orders);
    p->discounts = std::make_unique<discount_service>(
        std::make_unique<discount_service::impl>(discount_service::impl{p->ctx}));
    p->catalog = std::make_unique<catalog_service>(
        std::make_unique<catalog_service::impl>(catalog_service::impl{p->ctx}));
    p->inventory = std::make_unique<inventory_service>(
        std::make_unique<inventory_service::impl>(inventory_service::impl{p->ctx}));
    auto accounts = std::make_unique<account_service::impl>(account_service::impl{p->ctx, {}});
    accounts->dummy_hash = detail::hash_password(detail::random_token(), accounts->hash_params());
    p->accounts = std::make_unique<account_service>(std::move(accounts));
    return shop(std::move(p));
}

account_service& shop::accounts() const noexcept { return *impl_->accounts; }
catalog_service& shop::catalog() const noexcept { return *impl_->catalog; }
inventory_service& shop::inventory() const noexcept { return *impl_->inventory; }
cart_service& shop::carts() const noexcept { return *impl_->carts; }
discount_service& shop::discounts() const noexcept { return *impl_->discounts; }
order_service& shop::orders() const noexcept { return *impl_->orders; }
engagement_service& shop::engagement() const noexcept { return *impl_->engagement; }
support_service& shop::support() const noexcept { return *impl_->support; }
recommender& shop::recommendations() const noexcept { return *impl_->recommendations; }
const pricing_engine& shop::pricing() const noexcept { return *impl_->ctx.pricing; }
event_hub& shop::events() const noexcept { return impl_->ctx.hub; }
std::string shop::backend() const { return storage::backend_name(impl_->ctx.db->kind()); }
int shop::schema_version() const { return impl_->ctx.db->schema_version(); }
currency shop::shop_currency() const noexcept { return impl_->ctx.shop_currency; }
const clock& shop::time_source() const noexcept { return *impl_->ctx.time; }
storage_counters shop::counters() const noexcept {
    return {impl_->ctx.db->statements(), impl_->ctx.db->retries()};
}

}  // namespace shopcore

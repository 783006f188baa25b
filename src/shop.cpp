#include <shopcore/shop.hpp>

#include <shopcore/core/error.hpp>

#include "service_impls.hpp"
#include "storage/settings_store.hpp"

namespace shopcore {

struct shop::impl {
    detail::shop_context ctx;
    std::unique_ptr<catalog_service> catalog;
    std::unique_ptr<inventory_service> inventory;
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

// Records the currency at first open and refuses a different one later.
void settle_currency(storage::database& db, const currency& wanted) {
    for (int attempt = 0;; ++attempt) {
        try {
            db.write([&](storage::transaction_context& tx) {
                auto stored = storage::load_setting(tx.conn(), "currency");
                if (!stored) {
                    storage::insert_setting(tx.conn(), "currency", wanted.code());
                } else if (*stored != wanted.code()) {
                    throw validation_error("currency", "this shop was created with currency " +
                                                           *stored + ", not " + wanted.code());
                }
            });
            return;
        } catch (const conflict_error&) {
            if (attempt > 0) throw;  // another process inserted it first: read it again
        }
    }
}

}  // namespace

shop::shop(std::shared_ptr<impl> p) noexcept : impl_(std::move(p)) {}

shop shop::open(const std::string& url, const shop_options& options) {
    const currency cur = currency::of(options.currency);
    storage::database_options db_options;
    db_options.sqlite_synchronous = to_sync(options.synchronous);
    db_options.busy_timeout_ms = options.busy_timeout_ms;
    db_options.pool_size = options.pool_size;
    db_options.max_attempts = options.max_attempts;

    auto p = std::make_shared<impl>();
    p->ctx.db = std::make_unique<storage::database>(url, db_options);
    p->ctx.time = options.time_source ? options.time_source : std::make_shared<system_clock>();
    p->ctx.shop_currency = cur;
    settle_currency(*p->ctx.db, cur);
    p->catalog = std::make_unique<catalog_service>(
        std::make_unique<catalog_service::impl>(catalog_service::impl{p->ctx}));
    p->inventory = std::make_unique<inventory_service>(
        std::make_unique<inventory_service::impl>(inventory_service::impl{p->ctx}));
    return shop(std::move(p));
}

catalog_service& shop::catalog() const noexcept { return *impl_->catalog; }
inventory_service& shop::inventory() const noexcept { return *impl_->inventory; }
event_hub& shop::events() const noexcept { return impl_->ctx.hub; }
std::string shop::backend() const { return storage::backend_name(impl_->ctx.db->kind()); }
int shop::schema_version() const { return impl_->ctx.db->schema_version(); }
currency shop::shop_currency() const noexcept { return impl_->ctx.shop_currency; }
const clock& shop::time_source() const noexcept { return *impl_->ctx.time; }

}  // namespace shopcore

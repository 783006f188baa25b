#include <shopcore/catalog/catalog_service.hpp>

#include <algorithm>
#include <map>

#include <shopcore/core/error.hpp>

#include "account/authorization.hpp"
#include "catalog/catalog_rules.hpp"
#include "core/page_token.hpp"
#include "core/validate.hpp"
#include "events/publish.hpp"
#include "service_impls.hpp"
#include "storage/catalog_store.hpp"
#include "storage/discount_store.hpp"
#include "storage/stock_store.hpp"

namespace shopcore {

catalog_service::catalog_service(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
catalog_service::~catalog_service() = default;

namespace {

using storage::connection;
using storage::transaction_context;

category must_load_category(connection& c, category_id id) {
    auto cat = storage::load_category(c, id);
    if (!cat) throw not_found_error("category " + std::to_string(id.value()) + " not found");
    return *cat;
}

// True when `candidate` is `root` or lies in the subtree under `root`.
bool in_subtree(connection& c, category_id root, category_id candidate) {
    std::optional<category_id> cur = candidate;
    for (int depth = 0; cur && depth < 10000; ++depth) {
        if (*cur == root) return true;
        cur = must_load_category(c, *cur).parent;
    }
    return false;
}

void ensure_category_slug_free(connection& c, const std::string& slug, category_id except) {
    auto other = storage::load_category_by_slug(c, slug);
    if (other && other->id != except) {
        throw conflict_error("category slug '" + slug + "' is already taken");
    }
}

void ensure_product_unique(connection& c, const product& p) {
    if (storage::sku_taken(c, p.sku, p.id)) {
        throw conflict_error("SKU '" + p.sku + "' is already taken");
    }
    if (storage::product_slug_taken(c, p.slug, p.id)) {
        throw conflict_error("product slug '" + p.slug + "' is already taken");
    }
}

product must_load_product(connection& c, const currency& cur, product_id id) {
    auto p = storage::load_product(c, cur, id);
    if (!p) throw not_found_error("product " + std::to_string(id.value()) + " not found");
    return *p;
}

product visible_or_throw(std::optional<product> p, const actor& by, const std::string& what) {
    if (!p || (!p->active && !by.is_staff())) throw not_found_error(what + " not found");
    return std::move(*p);
}

std::string canonical_query(const product_query& q, bool include_inactive) {
    std::string s = "c=" + (q.category ? std::to_string(q.category->value()) : std::string("-"));
    s += "|t=" + q.text;
    s += "|min=" + (q.min_price ? std::to_string(q.min_price->minor_units()) : std::string("-"));
    s += "|max=" + (q.max_price ? std::to_string(q.max_price->minor_units()) : std::string("-"));
    s += "|s=" + std::to_string(q.in_stock_only) + "|i=" + std::to_string(include_inactive);
    s += "|o=" + std::to_string(static_cast<int>(q.sort));
    return s;
}

}  // namespace

// ---- categories ------------------------------------------------------------------------------

category catalog_service::create_category(const actor& by, const new_category& c) {
    detail::require_staff(by, "create categories");
    detail::check_text("name", c.name, 1, 200);
    const std::string slug = detail::slug_or_derived(c.slug, c.name);
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        detail::require_permission(tx.conn(), by, permission::manage_catalog, "create categories");
        auto& conn = tx.conn();
        if (c.parent) must_load_category(conn, *c.parent);
        ensure_category_slug_free(conn, slug, category_id());
        category cat;
        cat.name = c.name;
        cat.slug = slug;
        cat.parent = c.parent;
        cat.created_at = cat.updated_at = ctx.now();
        cat.id = storage::insert_category(conn, cat);
        cat.version = 1;
        detail::publish_after_commit(
            tx, ctx.hub,
            category_created_event{by, cat.id, cat.name, cat.slug, cat.parent, cat.created_at});
        return cat;
    });
}

category catalog_service::update_category(const actor& by, category_id id,
                                          const category_update& u) {
    detail::require_staff(by, "change categories");
    if (u.name) detail::check_text("name", *u.name, 1, 200);
    if (u.slug) detail::check_slug("slug", *u.slug);
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        detail::require_permission(tx.conn(), by, permission::manage_catalog, "change categories");
        auto& conn = tx.conn();
        category cat = must_load_category(conn, id);
        if (u.expected_version && *u.expected_version != cat.version) {
            throw conflict_error("category " + std::to_string(id.value()) +
                                 " was changed by someone else (version " +
                                 std::to_string(cat.version) + ")");
        }
        if (u.name) cat.name = *u.name;
        if (u.slug) {
            ensure_category_slug_free(conn, *u.slug, id);
            cat.slug = *u.slug;
        }
        cat.updated_at = ctx.now();
        if (!storage::update_category_row(conn, cat)) {
            throw conflict_error("category " + std::to_string(id.value()) + " changed meanwhile");
        }
        ++cat.version;
        detail::publish_after_commit(
            tx, ctx.hub, category_updated_event{by, cat.id, cat.name, cat.slug, cat.updated_at});
        return cat;
    });
}

category catalog_service::move_category(const actor& by, category_id id,
                                        std::optional<category_id> new_parent) {
    detail::require_staff(by, "move categories");
    auto& ctx = impl_->ctx;
    return ctx.db->write([&](transaction_context& tx) {
        detail::require_permission(tx.conn(), by, permission::manage_catalog, "move categories");
        auto& conn = tx.conn();
        category cat = must_load_category(conn, id);
        if (new_parent) {
            must_load_category(conn, *new_parent);
            if (in_subtree(conn, id, *new_parent)) {
                throw invalid_state_error("cannot move category " + std::to_string(id.value()) +
                                          " under itself or its own descendant");
            }
        }
        const auto old_parent = cat.parent;
        cat.parent = new_parent;
        cat.updated_at = ctx.now();
        if (!storage::update_category_row(conn, cat)) {
            throw conflict_error("category " + std::to_string(id.value()) + " changed meanwhile");
        }
        ++cat.version;
        detail::publish_after_commit(
            tx, ctx.hub, category_moved_event{by, id, old_parent, new_parent, cat.updated_at});
        return cat;
    });
}

void catalog_service::delete_category(const actor& by, category_id id,
                                      std::optional<category_id> reassign_to) {
    detail::require_staff(by, "delete categories");
    auto& ctx = impl_->ctx;
    ctx.db->write([&](transaction_context& tx) {
        detail::require_permission(tx.conn(), by, permission::manage_catalog, "delete categories");
        auto& conn = tx.conn();
        must_load_category(conn, id);
        if (reassign_to) {
            must_load_category(conn, *reassign_to);
            if (in_subtree(conn, id, *reassign_to)) {
                throw invalid_state_error("cannot reassign the contents of category " +
                                          std::to_string(id.value()) +
                                          " to itself or one of its descendants");
            }
        }
        detail::run_hook(ctx.hub, before_category_delete_event{by, id, reassign_to});
        const timestamp now = ctx.now();
        if (reassign_to) {
            storage::reassign_category_contents(conn, id, *reassign_to, now.micros());
        } else if (storage::count_child_categories(conn, id) > 0 ||
                   storage::count_products_in_category(conn, id) > 0) {
            throw invalid_state_error("category " + std::to_string(id.value()) +
                                      " is not empty; give a category to reassign to");
        }
        storage::retarget_category(conn, id, reassign_to, now.micros());
        storage::delete_category_row(conn, id);
        detail::publish_after_commit(tx, ctx.hub, category_deleted_event{by, id, reassign_to, now});
    });
}

category catalog_service::category_by_id(const actor& /*by*/, category_id id) {
    return impl_->ctx.db->read([&](connection& c) { return must_load_category(c, id); });
}

category catalog_service::category_by_slug(const actor& /*by*/, const std::string& slug) {
    return impl_->ctx.db->read([&](connection& c) {
        auto cat = storage::load_category_by_slug(c, slug);
        if (!cat) throw not_found_error("category '" + slug + "' not found");
        return *cat;
    });
}

std::vector<category> catalog_service::list_categories(const actor& /*by*/) {
    auto all = impl_->ctx.db->read([](connection& c) { return storage::load_categories(c); });
    // Depth-first: each parent before its children, siblings by name (the load order).
    std::map<std::int64_t, std::vector<const category*>> children;
    for (const auto& c : all) children[c.parent ? c.parent->value() : 0].push_back(&c);
    std::vector<category> out;
    out.reserve(all.size());
    std::vector<const category*> stack;
    auto push_children = [&](std::int64_t parent) {
        auto it = children.find(parent);
        if (it == children.end()) return;
        for (auto r = it->second.rbegin(); r != it->second.rend(); ++r) stack.push_back(*r);
    };
    push_children(0);
    while (!stack.empty()) {
        const category* c = stack.back();
        stack.pop_back();
        out.push_back(*c);
        push_children(c->id.value());
    }
    return out;
}

// ---- products --------------------------------------------------------------------------------

product catalog_service::create_product(const actor& by, const new_product& np) {
    detail::require_staff(by, "create products");
    auto& ctx = impl_->ctx;
    product p;
    p.sku = np.sku;
    p.name = np.name;
    // The name first: a slug derived from an empty or malformed name would report "slug".
    detail::check_text("name", np.name, 1, 200);
    p.slug = detail::slug_or_derived(np.slug, np.name);
    p.description = np.description;
    p.category = np.category;
    p.price = np.price;
    p.sale = np.sale;
    p.weight = np.weight;
    p.attributes = np.attributes;
    p.image_urls = np.image_urls;
    p.active = np.active;
    detail::check_product(p, ctx.shop_currency);
    p.sale_price = p.sale.apply(p.price);
    if (np.initial_stock < 0) throw validation_error("initial_stock", "must not be negative");
    if (np.low_stock_threshold < 0) {
        throw validation_error("low_stock_threshold", "must not be negative");
    }
    return ctx.db->write([&](transaction_context& tx) {
        detail::require_permission(tx.conn(), by, permission::manage_catalog, "create products");
        auto& conn = tx.conn();
        product out = p;
        if (out.category) must_load_category(conn, *out.category);
        ensure_product_unique(conn, out);
        detail::run_hook(ctx.hub,
                         before_product_create_event{by, out.sku, out.name, out.category, out.price,
                                                     out.sale_price, np.initial_stock});
        out.created_at = out.updated_at = ctx.now();
        out.id = storage::insert_product(conn, out);
        out.version = 1;
        storage::replace_product_details(conn, out);
        storage::insert_stock(conn, out.id, np.initial_stock, np.low_stock_threshold,
                              out.created_at.micros());
        if (np.initial_stock > 0) {
            stock_movement m;
            m.product = out.id;
            m.delta = np.initial_stock;
            m.on_hand_after = np.initial_stock;
            m.reason = "initial stock";
            m.by_kind = by.kind();
            if (by.user().is_valid()) m.by_user = by.user();
            m.at = out.created_at;
            storage::insert_movement(conn, m);
        }
        detail::publish_after_commit(tx, ctx.hub,
                                     product_created_event{by, out.id, out.sku, out.name, out.price,
                                                           out.sale_price, out.created_at});
        return out;
    });
}

product catalog_service::update_product(const actor& by, product_id id, const product_update& u) {
    detail::require_staff(by, "change products");
    auto& ctx = impl_->ctx;
    if (u.category && u.clear_category) {
        throw validation_error("category", "give either a category or clear_category, not both");
    }
    return ctx.db->write([&](transaction_context& tx) {
        detail::require_permission(tx.conn(), by, permission::manage_catalog, "change products");
        auto& conn = tx.conn();
        const product before = must_load_product(conn, ctx.shop_currency, id);
        if (u.expected_version && *u.expected_version != before.version) {
            throw conflict_error("product " + std::to_string(id.value()) +
                                 " was changed by someone else (version " +
                                 std::to_string(before.version) + ")");
        }
        product p = before;
        if (u.name) p.name = *u.name;
        if (u.slug) p.slug = *u.slug;
        if (u.description) p.description = *u.description;
        if (u.category) p.category = *u.category;
        if (u.clear_category) p.category.reset();
        if (u.price) p.price = *u.price;
        if (u.sale) p.sale = *u.sale;
        if (u.weight) p.weight = *u.weight;
        if (u.attributes) p.attributes = *u.attributes;
        if (u.image_urls) p.image_urls = *u.image_urls;
        if (u.active) p.active = *u.active;
        detail::check_product(p, ctx.shop_currency);
        p.sale_price = p.sale.apply(p.price);
        if (p.category && p.category != before.category) must_load_category(conn, *p.category);
        ensure_product_unique(conn, p);
        detail::run_hook(ctx.hub, before_product_update_event{by, id, p.name, p.category, p.price,
                                                              p.sale_price, p.active});
        p.updated_at = ctx.now();
        if (!storage::update_product_row(conn, p)) {
            throw conflict_error("product " + std::to_string(id.value()) + " changed meanwhile");
        }
        ++p.version;
        if (u.attributes || u.image_urls) storage::replace_product_details(conn, p);
        detail::publish_after_commit(tx, ctx.hub,
                                     product_updated_event{by, id, p.version, p.updated_at});
        if (p.price != before.price || p.sale_price != before.sale_price) {
            detail::publish_after_commit(
                tx, ctx.hub,
                product_price_changed_event{by, id, before.price, p.price, before.sale_price,
                                            p.sale_price, p.updated_at});
        }
        if (before.active && !p.active) {
            detail::publish_after_commit(tx, ctx.hub,
                                         product_deactivated_event{by, id, p.updated_at});
        }
        return p;
    });
}

product catalog_service::deactivate_product(const actor& by, product_id id) {
    detail::require_staff(by, "deactivate products");
    product current = impl_->ctx.db->read([&](connection& c) {
        detail::require_permission(c, by, permission::manage_catalog, "deactivate products");
        return must_load_product(c, impl_->ctx.shop_currency, id);
    });
    if (!current.active) return current;
    product_update u;
    u.active = false;
    return update_product(by, id, u);
}

product catalog_service::product_by_id(const actor& by, product_id id) {
    auto& ctx = impl_->ctx;
    return visible_or_throw(ctx.db->read([&](connection& c) {
        return storage::load_product(c, ctx.shop_currency, id);
    }),
                            by, "product " + std::to_string(id.value()));
}

product catalog_service::product_by_sku(const actor& by, const std::string& sku) {
    auto& ctx = impl_->ctx;
    return visible_or_throw(ctx.db->read([&](connection& c) {
        return storage::load_product_by(c, ctx.shop_currency, "sku", sku);
    }),
                            by, "product '" + sku + "'");
}

product catalog_service::product_by_slug(const actor& by, const std::string& slug) {
    auto& ctx = impl_->ctx;
    return visible_or_throw(ctx.db->read([&](connection& c) {
        return storage::load_product_by(c, ctx.shop_currency, "slug", slug);
    }),
                            by, "product '" + slug + "'");
}

page<product> catalog_service::list_products(const actor& by, const product_query& q,
                                             const page_request& request) {
    auto& ctx = impl_->ctx;
    const std::int64_t limit = effective_limit(request);
    product_query query = q;
    query.include_inactive = q.include_inactive && by.is_staff();
    detail::check_text("text", query.text, 0, 200);
    for (const auto* bound : {&query.min_price, &query.max_price}) {
        if (*bound && (*bound)->currency() != ctx.shop_currency) {
            throw validation_error(bound == &query.min_price ? "min_price" : "max_price",
                                   "must be in the shop's currency " + ctx.shop_currency.code());
        }
    }
    const std::string fp = detail::fingerprint(canonical_query(query, query.include_inactive));
    std::optional<storage::product_cursor> after;
    if (!request.token.empty()) {
        auto parts = detail::decode_page_token(request.token);
        if (parts.size() != 4 || parts[0] != "p1" || parts[1] != fp) {
            throw validation_error("token", "page token belongs to another query");
        }
        storage::product_cursor cur;
        cur.key = parts[2];
        cur.id = detail::parse_token_int(parts[3]);
        const bool text_key = query.sort == product_sort::name_ascending ||
                              query.sort == product_sort::name_descending;
        if (!text_key) detail::parse_token_int(cur.key);
        after = cur;
    }
    auto rows = ctx.db->read([&](connection& c) {
        return storage::list_products(c, ctx.shop_currency, query, after, limit + 1);
    });
    page<product> out;
    if (static_cast<std::int64_t>(rows.size()) > limit) {
        rows.resize(static_cast<std::size_t>(limit));
        const product& last = rows.back();
        out.next_token =
            detail::encode_page_token({"p1", fp, storage::product_sort_key(last, query.sort),
                                       std::to_string(last.id.value())});
    }
    out.items = std::move(rows);
    return out;
}

}  // namespace shopcore

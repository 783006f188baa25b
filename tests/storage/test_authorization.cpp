// Authorization on every backend: a matrix of every public operation of the catalog, inventory
// and account services against six actors (anonymous, customer A, customer B, an admin lacking
// the needed permission, an admin holding it, the system), each answer as the headers document
// it; then revocation and deactivation taking effect at once, and the last super admin.
//
// Operations without an actor (login, logout, authenticate, change_password) are authorised by
// their password or token and are covered in test_accounts.cpp.

#include <algorithm>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "expect_rejected.hpp"
#include "fixture.hpp"

namespace shopcore::test {
namespace {

constexpr const char* password_a = "velvet-otter-quarry-19";

// Every permission. (shopcore::all_permissions() is declared in role.hpp without SHOPCORE_EXPORT,
// so a program linking the shared library cannot call it.)
const std::vector<permission> every_permission = {
    permission::manage_catalog,   permission::manage_inventory, permission::manage_orders,
    permission::manage_discounts, permission::manage_users,     permission::manage_support,
    permission::super_admin};

/// The six actors of the matrix.
enum class who { anonymous, customer_a, customer_b, admin_without, admin_with, system };
constexpr who every_actor[] = {who::anonymous,     who::customer_a, who::customer_b,
                               who::admin_without, who::admin_with, who::system};

const char* who_name(who w) {
    switch (w) {
        case who::anonymous:
            return "anonymous";
        case who::customer_a:
            return "customer A";
        case who::customer_b:
            return "customer B";
        case who::admin_without:
            return "admin without the permission";
        case who::admin_with:
            return "admin with the permission";
        case who::system:
            return "system";
    }
    return "?";
}

/// Who may call an operation, as its header documents.
enum class rule {
    everyone,               ///< Reads of the catalog and stock levels; verification codes.
    needs_permission,       ///< An admin holding `needed` (or super_admin), and the system.
    signed_in,              ///< Any logged-in customer or admin, acting on themself.
    owner_or_permission,    ///< A on A's own account, an admin holding `needed`, the system.
    visitor_or_permission,  ///< Anonymous visitors, an admin holding `needed`, the system.
};

bool allowed(rule r, who w) {
    switch (r) {
        case rule::everyone:
            return true;
        case rule::needs_permission:
            return w == who::admin_with || w == who::system;
        case rule::signed_in:
            return w == who::customer_a || w == who::customer_b || w == who::admin_without ||
                   w == who::admin_with;
        case rule::owner_or_permission:
            return w == who::customer_a || w == who::admin_with || w == who::system;
        case rule::visitor_or_permission:
            return w == who::anonymous || w == who::admin_with || w == who::system;
    }
    return false;
}

/// One cell's world: fresh users on the shared database, and a way to make unique names.
struct env {
    shop& s;
    int& serial;
    std::vector<verification_code_event>& codes;
    user_id a;
    user_id b;
    user_id without;  ///< An admin holding every permission but the needed one and super_admin.
    user_id with;     ///< An admin holding only the needed permission.

    std::string unique(const std::string& prefix) { return prefix + std::to_string(++serial); }
    std::string phone() {
        const std::string digits = std::to_string(1000000 + ++serial);
        return "+1555" + digits.substr(digits.size() - 7);
    }
    registration reg() {
        registration r;
        r.phone = phone();
        r.first_name = "Test";
        r.last_name = unique("User");
        r.password = std::string(password_a);
        return r;
    }
    user_id admin_holding(const std::vector<permission>& ps) {
        return s.accounts().create_admin(actor::system(), reg(), ps).user.id;
    }
    actor as(who w) const {
        switch (w) {
            case who::anonymous:
                return actor::anonymous();
            case who::customer_a:
                return actor::customer(a);
            case who::customer_b:
                return actor::customer(b);
            case who::admin_without:
                return actor::admin(without);
            case who::admin_with:
                return actor::admin(with);
            case who::system:
                return actor::system();
        }
        return actor::anonymous();
    }
    // The acting user as an actor, or customer A for actors that are no user.
    actor user_or_a(const actor& by) const {
        return by.kind() == actor_kind::customer || by.kind() == actor_kind::admin
                   ? by
                   : actor::customer(a);
    }
    std::string code_for(const std::string& phone_number) const {
        for (auto it = codes.rbegin(); it != codes.rend(); ++it) {
            if (it->phone == phone_number) return it->code;
        }
        throw std::runtime_error("no code was sent to " + phone_number);
    }

    // Objects made by the system for a cell.
    category make_category() {
        new_category c;
        c.name = unique("Category ");
        return s.catalog().create_category(actor::system(), c);
    }
    product make_product() {
        new_product p;
        p.sku = unique("SKU-");
        p.name = unique("Product ");
        p.price = money::parse("10.00", currency::of("USD"));
        p.weight = weight::of_grams(100);
        p.initial_stock = 10;
        return s.catalog().create_product(actor::system(), p);
    }
};

using call = std::function<void()>;
using prepare_fn = std::function<call(env&, const actor&)>;

struct operation {
    std::string name;
    rule who_may;
    permission needed;
    prepare_fn prepare;  ///< Makes what the call needs (as the system) and returns the call.
};

void PrintTo(const operation& op, std::ostream* out) { *out << op.name; }

std::vector<operation> catalog_operations() {
    const permission p = permission::manage_catalog;
    return {
        {"create_category", rule::needs_permission, p,
         [](env& e, const actor& by) -> call {
             new_category c;
             c.name = e.unique("New category ");
             return [&e, by, c] { (void)e.s.catalog().create_category(by, c); };
         }},
        {"update_category", rule::needs_permission, p,
         [](env& e, const actor& by) -> call {
             const category c = e.make_category();
             category_update u;
             u.name = e.unique("Renamed ");
             return [&e, by, c, u] { (void)e.s.catalog().update_category(by, c.id, u); };
         }},
        {"move_category", rule::needs_permission, p,
         [](env& e, const actor& by) -> call {
             const category parent = e.make_category();
             const category child = e.make_category();
             return [&e, by, parent, child] {
                 (void)e.s.catalog().move_category(by, child.id, parent.id);
             };
         }},
        {"delete_category", rule::needs_permission, p,
         [](env& e, const actor& by) -> call {
             const category c = e.make_category();
             return [&e, by, c] { e.s.catalog().delete_category(by, c.id); };
         }},
        {"category_by_id", rule::everyone, p,
         [](env& e, const actor& by) -> call {
             const category c = e.make_category();
             return [&e, by, c] { (void)e.s.catalog().category_by_id(by, c.id); };
         }},
        {"category_by_slug", rule::everyone, p,
         [](env& e, const actor& by) -> call {
             const category c = e.make_category();
             return [&e, by, c] { (void)e.s.catalog().category_by_slug(by, c.slug); };
         }},
        {"list_categories", rule::everyone, p,
         [](env& e, const actor& by) -> call {
             (void)e.make_category();
             return [&e, by] { (void)e.s.catalog().list_categories(by); };
         }},
        {"create_product", rule::needs_permission, p,
         [](env& e, const actor& by) -> call {
             new_product n;
             n.sku = e.unique("NEW-");
             n.name = e.unique("New product ");
             n.price = money::parse("5.00", currency::of("USD"));
             n.weight = weight::of_grams(100);
             return [&e, by, n] { (void)e.s.catalog().create_product(by, n); };
         }},
        {"update_product", rule::needs_permission, p,
         [](env& e, const actor& by) -> call {
             const product pr = e.make_product();
             product_update u;
             u.price = money::parse("12.00", currency::of("USD"));
             return [&e, by, pr, u] { (void)e.s.catalog().update_product(by, pr.id, u); };
         }},
        {"deactivate_product", rule::needs_permission, p,
         [](env& e, const actor& by) -> call {
             const product pr = e.make_product();
             return [&e, by, pr] { (void)e.s.catalog().deactivate_product(by, pr.id); };
         }},
        {"product_by_id", rule::everyone, p,
         [](env& e, const actor& by) -> call {
             const product pr = e.make_product();
             return [&e, by, pr] { (void)e.s.catalog().product_by_id(by, pr.id); };
         }},
        {"product_by_sku", rule::everyone, p,
         [](env& e, const actor& by) -> call {
             const product pr = e.make_product();
             return [&e, by, pr] { (void)e.s.catalog().product_by_sku(by, pr.sku); };
         }},
        {"product_by_slug", rule::everyone, p,
         [](env& e, const actor& by) -> call {
             const product pr = e.make_product();
             return [&e, by, pr] { (void)e.s.catalog().product_by_slug(by, pr.slug); };
         }},
        {"list_products", rule::everyone, p,
         [](env& e, const actor& by) -> call {
             (void)e.make_product();
             return [&e, by] { (void)e.s.catalog().list_products(by, product_query()); };
         }},
    };
}

std::vector<operation> inventory_operations() {
    const permission p = permission::manage_inventory;
    return {
        {"stock_of", rule::everyone, p,
         [](env& e, const actor& by) -> call {
             const product pr = e.make_product();
             return [&e, by, pr] { (void)e.s.inventory().stock_of(by, pr.id); };
         }},
        {"set_stock", rule::needs_permission, p,
         [](env& e, const actor& by) -> call {
             const product pr = e.make_product();
             return [&e, by, pr] { (void)e.s.inventory().set_stock(by, pr.id, 7, "count"); };
         }},
        {"adjust_stock", rule::needs_permission, p,
         [](env& e, const actor& by) -> call {
             const product pr = e.make_product();
             return [&e, by, pr] { (void)e.s.inventory().adjust_stock(by, pr.id, 3, "delivery"); };
         }},
        {"take_stock", rule::needs_permission, p,
         [](env& e, const actor& by) -> call {
             const product pr = e.make_product();
             return [&e, by, pr] {
                 (void)e.s.inventory().take_stock(by, pr.id, quantity::of(2), "sold");
             };
         }},
        {"set_low_stock_threshold", rule::needs_permission, p,
         [](env& e, const actor& by) -> call {
             const product pr = e.make_product();
             return [&e, by, pr] { (void)e.s.inventory().set_low_stock_threshold(by, pr.id, 3); };
         }},
        {"movements", rule::needs_permission, p,
         [](env& e, const actor& by) -> call {
             const product pr = e.make_product();
             (void)e.s.inventory().adjust_stock(actor::system(), pr.id, 1, "delivery");
             return [&e, by, pr] { (void)e.s.inventory().movements(by, pr.id); };
         }},
    };
}

std::vector<operation> account_operations() {
    const permission users = permission::manage_users;
    const permission super = permission::super_admin;
    return {
        {"register_user", rule::visitor_or_permission, users,
         [](env& e, const actor& by) -> call {
             const registration r = e.reg();
             return [&e, by, r] { (void)e.s.accounts().register_user(by, r); };
         }},
        {"create_admin", rule::needs_permission, super,
         [](env& e, const actor& by) -> call {
             const registration r = e.reg();
             return [&e, by, r] {
                 (void)e.s.accounts().create_admin(by, r, {permission::manage_support});
             };
         }},
        {"request_verification_code", rule::everyone, users,
         [](env& e, const actor& by) -> call {
             const std::string phone = e.phone();
             return [&e, by, phone] { e.s.accounts().request_verification_code(by, phone); };
         }},
        {"verify_phone", rule::everyone, users,
         [](env& e, const actor& by) -> call {
             const std::string phone = e.phone();
             e.s.accounts().request_verification_code(actor::anonymous(), phone);
             const std::string code = e.code_for(phone);
             return [&e, by, phone, code] { (void)e.s.accounts().verify_phone(by, phone, code); };
         }},
        {"me", rule::signed_in, users,
         [](env& e, const actor& by) -> call { return [&e, by] { (void)e.s.accounts().me(by); }; }},
        {"update_profile", rule::signed_in, users,
         [](env& e, const actor& by) -> call {
             profile_update u;
             u.first_name = "Changed";
             return [&e, by, u] { (void)e.s.accounts().update_profile(by, u); };
         }},
        {"request_phone_change", rule::signed_in, users,
         [](env& e, const actor& by) -> call {
             const std::string phone = e.phone();
             return [&e, by, phone] { e.s.accounts().request_phone_change(by, phone); };
         }},
        {"confirm_phone_change", rule::signed_in, users,
         [](env& e, const actor& by) -> call {
             // The acting user's own change; anonymous and the system present A's code.
             const std::string phone = e.phone();
             e.s.accounts().request_phone_change(e.user_or_a(by), phone);
             const std::string code = e.code_for(phone);
             return [&e, by, phone, code] {
                 (void)e.s.accounts().confirm_phone_change(by, phone, code);
             };
         }},
        {"delete_account_of_A", rule::owner_or_permission, users,
         [](env& e, const actor& by) -> call {
             return [&e, by] { e.s.accounts().delete_account(by, e.a, std::string(password_a)); };
         }},
        {"list_users", rule::needs_permission, users,
         [](env& e, const actor& by) -> call {
             return [&e, by] { (void)e.s.accounts().list_users(by, user_query()); };
         }},
        {"user_by_id_of_A", rule::owner_or_permission, users,
         [](env& e, const actor& by) -> call {
             return [&e, by] { (void)e.s.accounts().user_by_id(by, e.a); };
         }},
        {"set_active_of_A", rule::needs_permission, users,
         [](env& e, const actor& by) -> call {
             return [&e, by] { (void)e.s.accounts().set_active(by, e.a, false); };
         }},
        {"set_active_of_a_super_admin", rule::needs_permission, super,
         [](env& e, const actor& by) -> call {
             const user_id x = e.admin_holding({permission::super_admin});
             return [&e, by, x] { (void)e.s.accounts().set_active(by, x, false); };
         }},
        {"delete_account_of_a_super_admin", rule::needs_permission, super,
         [](env& e, const actor& by) -> call {
             const user_id x = e.admin_holding({permission::super_admin});
             return [&e, by, x] { e.s.accounts().delete_account(by, x); };
         }},
        {"set_role_of_A", rule::needs_permission, users,
         [](env& e, const actor& by) -> call {
             return [&e, by] { (void)e.s.accounts().set_role(by, e.a, role::admin); };
         }},
        {"set_role_of_an_admin", rule::needs_permission, users,
         [](env& e, const actor& by) -> call {
             const user_id x = e.admin_holding({permission::manage_orders});
             return [&e, by, x] { (void)e.s.accounts().set_role(by, x, role::customer); };
         }},
        {"set_role_of_a_super_admin", rule::needs_permission, super,
         [](env& e, const actor& by) -> call {
             const user_id x = e.admin_holding({permission::super_admin});
             return [&e, by, x] { (void)e.s.accounts().set_role(by, x, role::customer); };
         }},
        {"grant_permission", rule::needs_permission, users,
         [](env& e, const actor& by) -> call {
             const user_id x = e.admin_holding({});
             return [&e, by, x] {
                 (void)e.s.accounts().grant_permission(by, x, permission::manage_catalog);
             };
         }},
        {"grant_super_admin", rule::needs_permission, super,
         [](env& e, const actor& by) -> call {
             const user_id x = e.admin_holding({});
             return [&e, by, x] {
                 (void)e.s.accounts().grant_permission(by, x, permission::super_admin);
             };
         }},
        {"revoke_permission", rule::needs_permission, users,
         [](env& e, const actor& by) -> call {
             const user_id x = e.admin_holding({permission::manage_catalog});
             return [&e, by, x] {
                 (void)e.s.accounts().revoke_permission(by, x, permission::manage_catalog);
             };
         }},
        {"revoke_super_admin", rule::needs_permission, super,
         [](env& e, const actor& by) -> call {
             const user_id x = e.admin_holding({permission::super_admin});
             return [&e, by, x] {
                 (void)e.s.accounts().revoke_permission(by, x, permission::super_admin);
             };
         }},
    };
}

std::vector<operation> every_operation() {
    std::vector<operation> out = catalog_operations();
    for (auto& op : inventory_operations()) out.push_back(std::move(op));
    for (auto& op : account_operations()) out.push_back(std::move(op));
    return out;
}

class AuthzMatrix : public shop_test, public ::testing::WithParamInterface<operation> {
protected:
    void SetUp() override {
        shop_test::SetUp();
        codes_sub_ = sh().events().on_verification_code(
            [this](const verification_code_event& e) { codes_.push_back(e); });
    }

    // Fresh users for one cell.
    env make_env(permission needed) {
        env e{sh(), serial_, codes_, {}, {}, {}, {}};
        e.a = accounts().register_user(actor::system(), e.reg()).user.id;
        e.b = accounts().register_user(actor::system(), e.reg()).user.id;
        std::vector<permission> others;
        for (permission p : every_permission) {
            if (p != needed && p != permission::super_admin) others.push_back(p);
        }
        e.without = e.admin_holding(others);
        e.with = e.admin_holding({needed});
        return e;
    }

    int serial_ = 0;
    std::vector<verification_code_event> codes_;

private:
    subscription codes_sub_;
};

TEST_P(AuthzMatrix, EveryActorGetsExactlyTheDocumentedAnswer) {
    const operation& op = GetParam();
    for (const who w : every_actor) {
        SCOPED_TRACE(op.name + " as " + who_name(w));
        env e = make_env(op.needed);
        const actor by = e.as(w);
        const call run = op.prepare(e, by);
        if (allowed(op.who_may, w)) {
            try {
                run();
            } catch (const std::exception& ex) {
                ADD_FAILURE() << "allowed, but threw " << typeid(ex).name() << ": " << ex.what();
            }
        } else {
            expect_rejected<permission_denied_error>(url, run);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Authz, AuthzMatrix, ::testing::ValuesIn(every_operation()),
                         [](const ::testing::TestParamInfo<operation>& info) {
                             return info.param.name;
                         });

TEST(AuthzMatrixTable, EveryPublicOperationIsListedOnce) {
    // The operations of the three service headers that take an actor (list kept by hand: a new
    // public operation must be added here and to the matrix).
    const std::vector<std::string> expected = {"create_category",
                                               "update_category",
                                               "move_category",
                                               "delete_category",
                                               "category_by_id",
                                               "category_by_slug",
                                               "list_categories",
                                               "create_product",
                                               "update_product",
                                               "deactivate_product",
                                               "product_by_id",
                                               "product_by_sku",
                                               "product_by_slug",
                                               "list_products",
                                               "stock_of",
                                               "set_stock",
                                               "adjust_stock",
                                               "take_stock",
                                               "set_low_stock_threshold",
                                               "movements",
                                               "register_user",
                                               "create_admin",
                                               "request_verification_code",
                                               "verify_phone",
                                               "me",
                                               "update_profile",
                                               "request_phone_change",
                                               "confirm_phone_change",
                                               "delete_account",
                                               "list_users",
                                               "user_by_id",
                                               "set_active",
                                               "set_role",
                                               "grant_permission",
                                               "revoke_permission"};
    const auto ops = every_operation();
    for (const auto& name : expected) {
        const bool found = std::any_of(ops.begin(), ops.end(), [&](const operation& op) {
            return op.name == name || op.name.rfind(name + "_of", 0) == 0;
        });
        EXPECT_TRUE(found) << name << " is missing from the matrix";
    }
    std::vector<std::string> names;
    for (const auto& op : ops) names.push_back(op.name);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
}

// ---- beyond the matrix ------------------------------------------------------------------------

class Authz : public shop_test {
protected:
    user_id make_admin(const std::string& phone, const std::vector<permission>& ps) {
        registration r;
        r.phone = phone;
        r.first_name = "Staff";
        r.last_name = phone;
        r.password = std::string(password_a);
        return accounts().create_admin(admin, r, ps).user.id;
    }
    user_id make_super_admin_by(const actor& by, const std::string& phone) {
        registration r;
        r.phone = phone;
        r.password = std::string(password_a);
        return accounts().create_admin(by, r, {permission::super_admin}).user.id;
    }
    user_id make_customer(const std::string& phone) {
        registration r;
        r.phone = phone;
        r.first_name = "Client";
        r.last_name = phone;
        r.password = std::string(password_a);
        return accounts().register_user(visitor, r).user.id;
    }
};

TEST_F(Authz, PermissionChangesTakeEffectAtOnceForAnExistingActorValue) {
    const user_id x =
        make_admin("+15553000001", {permission::manage_catalog, permission::manage_inventory});
    const actor staff = actor::admin(x);  // kept across the changes below
    const product p = make_product("AUTHZ-1");
    new_category c;
    c.name = "Before";
    EXPECT_NO_THROW((void)catalog().create_category(staff, c));

    (void)accounts().revoke_permission(admin, x, permission::manage_catalog);
    c.name = "After";
    expect_rejected<permission_denied_error>(url,
                                             [&] { (void)catalog().create_category(staff, c); });
    EXPECT_NO_THROW((void)inventory().set_stock(staff, p.id, 3, "count"));
    expect_rejected<permission_denied_error>(
        url, [&] { (void)accounts().list_users(staff, user_query()); });

    (void)accounts().grant_permission(admin, x, permission::manage_users);
    EXPECT_NO_THROW((void)accounts().list_users(staff, user_query()));

    // Demotion clears every permission.
    (void)accounts().set_role(admin, x, role::customer);
    expect_rejected<permission_denied_error>(
        url, [&] { (void)inventory().set_stock(staff, p.id, 4, "count"); });
    expect_rejected<permission_denied_error>(
        url, [&] { (void)accounts().list_users(staff, user_query()); });
    (void)accounts().set_role(admin, x, role::admin);
    expect_rejected<permission_denied_error>(
        url, [&] { (void)inventory().set_stock(staff, p.id, 4, "count"); });
}

TEST_F(Authz, ADeactivatedAdminLosesEveryRight) {
    const user_id d = make_admin("+15553000002", every_permission);
    const actor staff = actor::admin(d);
    const login_result session = accounts().login("+15553000002", password_a);
    EXPECT_EQ(accounts().authenticate(session.token), staff);
    const product p = make_product("AUTHZ-2");
    const user_id other = make_customer("+15553000003");
    (void)accounts().set_active(admin, d, false);

    EXPECT_THROW((void)accounts().authenticate(session.token), authentication_error);
    new_category c;
    c.name = "Nope";
    product_update u;
    u.name = "Nope";
    registration r;
    r.phone = "+15553000004";
    r.password = std::string(password_a);
    const std::vector<std::pair<const char*, std::function<void()>>> calls = {
        {"create_category", [&] { (void)catalog().create_category(staff, c); }},
        {"update_product", [&] { (void)catalog().update_product(staff, p.id, u); }},
        {"deactivate_product", [&] { (void)catalog().deactivate_product(staff, p.id); }},
        {"set_stock", [&] { (void)inventory().set_stock(staff, p.id, 1, "count"); }},
        {"take_stock", [&] { (void)inventory().take_stock(staff, p.id, quantity::of(1), "x"); }},
        {"movements", [&] { (void)inventory().movements(staff, p.id); }},
        {"list_users", [&] { (void)accounts().list_users(staff, user_query()); }},
        {"user_by_id", [&] { (void)accounts().user_by_id(staff, other); }},
        {"set_active", [&] { (void)accounts().set_active(staff, other, false); }},
        {"set_role", [&] { (void)accounts().set_role(staff, other, role::admin); }},
        {"grant_permission",
         [&] { (void)accounts().grant_permission(staff, d, permission::manage_catalog); }},
        {"register_user", [&] { (void)accounts().register_user(staff, r); }},
        {"create_admin", [&] { (void)accounts().create_admin(staff, r, {}); }},
        {"delete_account", [&] { accounts().delete_account(staff, other); }},
        {"reactivate itself", [&] { (void)accounts().set_active(staff, d, true); }},
    };
    for (const auto& [what, run] : calls) {
        SCOPED_TRACE(what);
        expect_rejected<permission_denied_error>(url, run);
    }
    EXPECT_THROW((void)accounts().login("+15553000002", password_a), authentication_error);
    // Reactivated, the admin has the rights back.
    (void)accounts().set_active(admin, d, true);
    EXPECT_NO_THROW((void)catalog().create_category(staff, c));
}

TEST_F(Authz, ForgedActorKindsGetNoRights) {
    const user_id customer_id = make_customer("+15553000005");
    const user_id staff_id = make_admin("+15553000006", {permission::manage_catalog});
    new_category c;
    c.name = "Forged";
    for (const actor& forged : {actor::admin(customer_id), actor::admin(user_id(999999)),
                                actor::admin(user_id()), actor::customer(staff_id)}) {
        SCOPED_TRACE(std::string(actor_kind_name(forged.kind())) + " " +
                     std::to_string(forged.user().value()));
        expect_rejected<permission_denied_error>(
            url, [&] { (void)catalog().create_category(forged, c); });
        expect_rejected<permission_denied_error>(
            url, [&] { (void)accounts().list_users(forged, user_query()); });
    }
}

TEST_F(Authz, CustomerBCannotConfirmAPhoneChangeStartedByA) {
    std::vector<verification_code_event> codes;
    auto sub = sh().events().on_verification_code(
        [&](const verification_code_event& e) { codes.push_back(e); });
    const user_id a = make_customer("+15553000007");
    const user_id b = make_customer("+15553000008");
    accounts().request_phone_change(actor::customer(a), "+15553000009");
    ASSERT_EQ(codes.size(), 1u);
    expect_rejected<authentication_error>(url, [&] {
        (void)accounts().confirm_phone_change(actor::customer(b), "+15553000009", codes[0].code);
    });
    EXPECT_EQ(accounts().me(actor::customer(b)).phone, "+15553000008");
    EXPECT_EQ(
        accounts().confirm_phone_change(actor::customer(a), "+15553000009", codes[0].code).phone,
        "+15553000009");
}

TEST_F(Authz, TheLastActiveSuperAdminCannotBeRemovedUntilThereIsAnother) {
    const user_id first = admin.user();
    const auto refused = [&](const char* what, const std::function<void()>& run) {
        SCOPED_TRACE(what);
        expect_rejected<invalid_state_error>(url, run);
    };
    const std::string first_password = "correct horse battery staple";
    // `password` is needed when `by` is `last` itself.
    const auto all_refused = [&](user_id last, const actor& by, const std::string& password) {
        refused("delete", [&] { accounts().delete_account(by, last, password); });
        refused("deactivate", [&] { (void)accounts().set_active(by, last, false); });
        refused("demote", [&] { (void)accounts().set_role(by, last, role::customer); });
        refused("revoke super_admin",
                [&] { (void)accounts().revoke_permission(by, last, permission::super_admin); });
    };
    all_refused(first, actor::system(), first_password);
    all_refused(first, admin, first_password);

    // An inactive super admin does not count.
    const user_id idle = make_admin("+15553000010", {permission::super_admin});
    (void)accounts().set_active(admin, idle, false);
    all_refused(first, actor::system(), first_password);

    // With a second active super admin, each way of removing the first works, in turn.
    const user_id s2 = make_admin("+15553000011", {permission::super_admin});
    EXPECT_NO_THROW(accounts().delete_account(actor::system(), first));
    all_refused(s2, actor::admin(s2), password_a);
    const user_id s3 = make_super_admin_by(actor::admin(s2), "+15553000012");
    EXPECT_NO_THROW((void)accounts().set_active(actor::admin(s3), s2, false));
    all_refused(s3, actor::system(), password_a);
    const user_id s4 = make_super_admin_by(actor::admin(s3), "+15553000013");
    EXPECT_NO_THROW((void)accounts().set_role(actor::admin(s4), s3, role::customer));
    all_refused(s4, actor::system(), password_a);
    const user_id s5 = make_super_admin_by(actor::admin(s4), "+15553000014");
    EXPECT_NO_THROW(
        (void)accounts().revoke_permission(actor::admin(s5), s4, permission::super_admin));
    all_refused(s5, actor::admin(s5), password_a);
    EXPECT_EQ(accounts().user_by_id(actor::system(), s4).role, role::admin);
    EXPECT_TRUE(accounts().user_by_id(actor::system(), s4).permissions.empty());
}

}  // namespace
}  // namespace shopcore::test

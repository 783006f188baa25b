// Account deletion on every backend: who may delete, what it ends (login, sessions), and a scan
// of every cell of every table for the deleted user's personal data. The scan reads whatever
// tables exist, so it also guards the personal data of features added later: a feature that
// stores a user's phone, e-mail, names or addresses must register an eraser for it.

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "expect_failure_counted.hpp"
#include "expect_rejected.hpp"
#include "fixture.hpp"

namespace shopcore::test {
namespace {

constexpr const char* password = "velvet-otter-quarry-19";

// Distinctive values: a hit in the scan cannot be a coincidence.
struct person {
    std::string phone_written;  ///< As typed at registration.
    std::vector<std::string> phone_forms;
    std::string email_written;
    std::string email;
    std::string first;
    std::string last;
    address home;
    std::vector<std::string> address_phone_forms;
    std::string pending_phone;  ///< A phone change that was requested and never confirmed.
    std::vector<std::string> pending_phone_forms;

    // Every string that identifies this person.
    [[nodiscard]] std::vector<std::string> needles() const {
        std::vector<std::string> out = phone_forms;
        out.push_back(email);
        out.push_back(first);
        out.push_back(last);
        out.push_back(home.recipient_name);
        out.push_back(home.line1);
        out.push_back(home.line2);
        out.push_back(home.city);
        out.push_back(home.postal_code);
        out.insert(out.end(), address_phone_forms.begin(), address_phone_forms.end());
        out.insert(out.end(), pending_phone_forms.begin(), pending_phone_forms.end());
        out.erase(std::remove(out.begin(), out.end(), std::string()), out.end());
        return out;
    }
};

person zoltan() {
    person p;
    p.phone_written = "+98 912 123 4567";
    p.phone_forms = {"+989121234567", "989121234567", "9121234567"};
    p.email_written = "Zoltanqx.Vexmoorbly@Quillfern.example";
    p.email = "zoltanqx.vexmoorbly@quillfern.example";
    p.first = "Zoltanqx";
    p.last = "Vexmoorbly";
    p.home.label = "home";
    p.home.recipient_name = "Zoltanqx Vexmoorbly";
    p.home.line1 = "17 Quasselgrub Lane";
    p.home.line2 = "Flat Xyqq 9";
    p.home.city = "Plonkstadtzw";
    p.home.postal_code = "QZ9 7XW";
    p.home.country = "IR";
    p.home.phone = "+49 151 2345 6789";
    p.address_phone_forms = {"+4915123456789", "4915123456789", "15123456789"};
    p.pending_phone = "+33 6 12 34 56 78";
    p.pending_phone_forms = {"+33612345678", "33612345678", "612345678"};
    return p;
}

person wilhelmina() {
    person p;
    p.phone_written = "+1 555 730 4411";
    p.phone_forms = {"+15557304411", "15557304411", "5557304411"};
    p.email_written = "wilhelmina.brackwater@fennelgate.example";
    p.email = p.email_written;
    p.first = "Wilhelminaqo";
    p.last = "Brackwaterix";
    p.home.label = "work";
    p.home.recipient_name = "Wilhelminaqo Brackwaterix";
    p.home.line1 = "4 Tumblesnout Row";
    p.home.line2 = "Unit Pqq 3";
    p.home.city = "Grindlewoldt";
    p.home.postal_code = "WB4 2QQ";
    p.home.country = "DE";
    p.home.phone = "+44 20 7946 0958";
    p.address_phone_forms = {"+442079460958", "442079460958", "2079460958"};
    p.pending_phone = "+61 412 345 678";
    p.pending_phone_forms = {"+61412345678", "61412345678", "412345678"};
    return p;
}

class Erasure : public shop_test {
protected:
    void SetUp() override {
        shop_test::SetUp();
        codes_sub_ = sh().events().on_verification_code(
            [this](const verification_code_event& e) { codes_.push_back(e); });
    }

    // Registers `p` and leaves personal data everywhere accounts keep it: the user row, an
    // address with a contact phone, a verified phone, a code requested before registering and
    // never used, a pending phone change, and two sessions; an order; a cart shipping to
    // the home city (given as the province, so that the scan sees where the user lives in the
    // cart); a like, a comment, and a ticket about the order giving the phone and the address.
    user_id enrol(const person& p) {
        accounts().request_verification_code(visitor, p.phone_written);  // never used
        registration r;
        r.phone = p.phone_written;
        r.email = p.email_written;
        r.first_name = p.first;
        r.last_name = p.last;
        r.password = std::string(password);
        const user_id id = accounts().register_user(visitor, r).user.id;
        const actor self = actor::customer(id);
        profile_update u;
        u.addresses = std::vector<address>{p.home};
        (void)accounts().update_profile(self, u);
        (void)sh().carts().set_destination(self, cart_ref{}, {p.home.country, p.home.city});
        // An order from that cart: its purchase information copies the address, phone and
        // e-mail, and the cart it closes must not keep where the user lives either.
        const product mug = make_product("MUG-" + std::to_string(id.value()));
        (void)sh().carts().add_item(self, cart_ref{}, mug.id, 1);
        checkout_request checkout;
        checkout.idempotency_key = "order-of-" + p.first;
        const order placed = sh().orders().place_order(self, checkout);
        (void)sh().carts().set_destination(self, cart_ref{}, {p.home.country, p.home.city});
        (void)sh().engagement().like(self, mug.id);
        (void)sh().engagement().add_comment(self, mug.id, comment_input{"Sturdy mug.", 5});
        new_ticket question;
        question.subject = "Delivery of my mug";
        question.body = "Call " + p.phone_forms.front() + " and deliver to " + p.home.line1 + ".";
        question.order = placed.id;
        (void)sh().support().open_ticket(self, question);
        accounts().request_phone_change(self, p.pending_phone);
        tokens_[id.value()] = {accounts().login(p.email, password).token,
                               accounts().login(p.phone_forms.front(), password).token};
        return id;
    }

    // The needles of `p` found in any cell of any table (ASCII case-insensitive).
    std::vector<std::string> found(const person& p) {
        const auto lower = [](std::string text) {
            for (char& c : text) {
                if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            }
            return text;
        };
        const auto tables = snapshot(url);
        EXPECT_TRUE(tables.count("app_user")) << "the scan does not see the user table";
        std::vector<std::string> hits;
        for (const auto& needle : p.needles()) {
            const std::string n = lower(needle);
            for (const auto& [table, rows] : tables) {
                bool hit = false;
                for (const auto& row : rows) hit = hit || lower(row).find(n) != std::string::npos;
                if (hit) hits.push_back(needle + " in " + table);
            }
        }
        return hits;
    }

    // Every needle of `p` is somewhere (so that a clean scan means something).
    void expect_all_found(const person& p) {
        const auto hits = found(p);
        for (const auto& needle : p.needles()) {
            const bool hit = std::any_of(hits.begin(), hits.end(), [&](const std::string& h) {
                return h.rfind(needle + " in ", 0) == 0;
            });
            EXPECT_TRUE(hit) << needle << " is not stored, so the scan cannot prove its erasure";
        }
    }

    // Deletes `id` with `by` and checks everything deletion promises.
    void delete_and_check(const person& p, user_id id, const actor& by,
                          const std::optional<std::string>& pw) {
        const person other = wilhelmina();
        const user_id other_id = enrol(other);
        expect_all_found(p);
        expect_all_found(other);
        const std::int64_t users_before =
            static_cast<std::int64_t>(snapshot(url).at("app_user").size());

        std::vector<user_deleted_event> deleted;
        auto sub = sh().events().on_user_deleted(
            [&](const user_deleted_event& e) { deleted.push_back(e); });
        accounts().delete_account(by, id, pw);

        ASSERT_EQ(deleted.size(), 1u);
        EXPECT_EQ(deleted[0].user, id);
        EXPECT_EQ(deleted[0].by, by);
        EXPECT_EQ(deleted[0].at, clock->now());
        EXPECT_EQ(found(p), std::vector<std::string>{}) << "personal data survived deletion";
        // The row stays (records of other features may point at it), anonymised.
        EXPECT_EQ(static_cast<std::int64_t>(snapshot(url).at("app_user").size()), users_before);
        for (const auto& login : {p.phone_forms.front(), p.email}) {
            SCOPED_TRACE(login);
            EXPECT_THROW((void)accounts().login(login, password), authentication_error);
        }
        for (const auto& token : tokens_[id.value()]) {
            EXPECT_THROW((void)accounts().authenticate(token), authentication_error);
        }
        EXPECT_THROW((void)accounts().user_by_id(admin, id), not_found_error);
        EXPECT_THROW(accounts().delete_account(admin, id), not_found_error);
        user_query q;
        q.include_deleted = true;
        q.text = p.last;
        EXPECT_TRUE(accounts().list_users(admin, q).items.empty());

        // The other user keeps everything.
        expect_all_found(other);
        EXPECT_EQ(accounts().login(other.email, password).user.id, other_id);
        for (const auto& token : tokens_[other_id.value()]) {
            EXPECT_EQ(accounts().authenticate(token), actor::customer(other_id));
        }
        const user kept = accounts().user_by_id(admin, other_id);
        EXPECT_EQ(kept.first_name, other.first);
        ASSERT_EQ(kept.addresses.size(), 1u);
        EXPECT_EQ(kept.addresses[0].line1, other.home.line1);
        // The freed phone and e-mail can be registered again.
        registration again;
        again.phone = p.phone_written;
        again.email = p.email;
        again.password = std::string(password);
        EXPECT_NE(accounts().register_user(visitor, again).user.id, id);
    }

    std::vector<verification_code_event> codes_;
    std::map<std::int64_t, std::vector<std::string>> tokens_;

private:
    subscription codes_sub_;
};

TEST_F(Erasure, AWrongPasswordDeletesNothing) {
    const person p = zoltan();
    const user_id id = enrol(p);
    const actor self = actor::customer(id);
    // A wrong password deletes nothing and only counts a failure, as a wrong login does.
    expect_rejected_counting_failure<authentication_error>(
        url, [&] { accounts().delete_account(self, id, std::string("not-the-password-1")); });
    expect_rejected_counting_failure<authentication_error>(
        url, [&] { accounts().delete_account(self, id); });
    expect_rejected_counting_failure<authentication_error>(
        url, [&] { accounts().delete_account(self, id, ""); });
    expect_all_found(p);
    EXPECT_EQ(accounts().login(p.email, password).user.id, id);
}

TEST_F(Erasure, AUserDeletingThemselfLeavesNoPersonalData) {
    const person p = zoltan();
    const user_id id = enrol(p);
    delete_and_check(p, id, actor::customer(id), std::string(password));
}

TEST_F(Erasure, AnAdminWithManageUsersDeletingAUserLeavesNoPersonalData) {
    registration r;
    r.phone = "+15550000777";
    r.password = std::string(password);
    const user_id staff = accounts().create_admin(admin, r, {permission::manage_users}).user.id;
    const person p = zoltan();
    const user_id id = enrol(p);
    delete_and_check(p, id, actor::admin(staff), std::nullopt);
}

TEST_F(Erasure, ADeletedAdminLeavesNoPersonalDataAndLosesItsRights) {
    person p = zoltan();  // an admin account only: no address, no pending phone change
    p.home = address{};
    p.address_phone_forms.clear();
    p.pending_phone_forms.clear();
    registration r;
    r.phone = p.phone_written;
    r.email = p.email_written;
    r.first_name = p.first;
    r.last_name = p.last;
    r.password = std::string(password);
    const user_id id = accounts().create_admin(admin, r, {permission::manage_catalog}).user.id;
    const actor staff = actor::admin(id);
    const std::string token = accounts().login(p.email, password).token;
    EXPECT_EQ(accounts().authenticate(token), staff);
    expect_all_found(p);

    accounts().delete_account(actor::system(), id);
    EXPECT_EQ(found(p), std::vector<std::string>{}) << "personal data survived deletion";
    EXPECT_THROW((void)accounts().authenticate(token), authentication_error);
    new_category c;
    c.name = "After";
    expect_rejected<permission_denied_error>(url,
                                             [&] { (void)catalog().create_category(staff, c); });
}

}  // namespace
}  // namespace shopcore::test

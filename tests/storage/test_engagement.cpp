// Likes and comments on every backend: liking and taking a like back (idempotent, one event
// each), counts and the list of a user's likes, comments with and without a rating, their
// limits, editing with a version, deleting, moderation (hiding from everyone but moderators),
// listing newest first with exact counts and average rating, every refusal with nothing
// written, what account deletion leaves of an author's comments, and liking from two threads.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <shopcore/engagement/comment.hpp>
#include <shopcore/engagement/engagement_service.hpp>
#include <shopcore/events/events.hpp>

#include "cart_fixture.hpp"
#include "expect_rejected.hpp"

namespace shopcore::test {
namespace {

using ids = std::vector<comment_id>;

// `n` copies of `piece`.
std::string repeated(const std::string& piece, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += piece;
    return out;
}

// Every field of a comment, '|'-separated.
std::string described(const comment& c) {
    std::ostringstream out;
    out << c.id << '|' << c.product << '|'
        << (c.author ? std::to_string(c.author->value()) : std::string("(none)")) << '|'
        << c.author_name << '|' << c.body << '|'
        << (c.rating ? std::to_string(*c.rating) : std::string("(none)")) << '|' << c.hidden << '|'
        << c.hidden_reason << '|' << c.created_at << '|' << c.updated_at << '|' << c.version;
    return out.str();
}

ids ids_of(const std::vector<comment>& list) {
    ids out;
    for (const comment& c : list) out.push_back(c.id);
    return out;
}

comment_input said(const std::string& body, std::optional<std::int32_t> rating = std::nullopt) {
    comment_input in;
    in.body = body;
    in.rating = rating;
    return in;
}

// A shop with two customers who have first names, a moderator (moderate_comments only), a
// clerk (manage_catalog only) and two products. Every engagement notification is recorded.
class engagement_test : public shop_test {
protected:
    void SetUp() override {
        shop_test::SetUp();
        alice = person("+15551000001", "Alice");
        bob = person("+15551000002", "Bob");
        moderator = staff("+15550000011", permission::moderate_comments);
        clerk = staff("+15550000012", permission::manage_catalog);
        mug = make_product("MUG");
        tea = make_product("TEA");
        event_hub& hub = sh().events();
        subscriptions.push_back(hub.on_product_liked(keep(liked)));
        subscriptions.push_back(hub.on_product_unliked(keep(unliked)));
        subscriptions.push_back(hub.on_comment_added(keep(added)));
        subscriptions.push_back(hub.on_comment_hidden(keep(hidden)));
    }

    // A registered customer called `first` Smith.
    actor person(const std::string& phone, const std::string& first) {
        registration r;
        r.phone = phone;
        r.first_name = first;
        r.last_name = "Smith";
        r.password = std::string("correct horse battery staple");
        return actor::customer(accounts().register_user(visitor, r).user.id);
    }

    engagement_service& engagement() { return sh().engagement(); }

    comment write(const actor& who, product_id p, const std::string& body,
                  std::optional<std::int32_t> rating = std::nullopt) {
        return engagement().add_comment(who, p, said(body, rating));
    }

    // The first page of the product's comments as `who` sees it, as large as allowed.
    comment_list listing(const actor& who, product_id p) {
        return engagement().comments(who, p, page_request{max_page_limit, ""});
    }

    // The ids of every comment `who` sees on the product, read `limit` at a time.
    ids shown(const actor& who, product_id p, std::int64_t limit = 2) {
        return ids_of(all_pages(limit, [&](const page_request& r) {
            return engagement().comments(who, p, r).comments;
        }));
    }

    // The products `who` likes, read `limit` at a time.
    std::vector<product_id> liked_by(const actor& who, std::int64_t limit = 2) {
        return all_pages(
            limit, [&](const page_request& r) { return engagement().liked_products(who, r); });
    }

    // Runs `call`, which must throw `Error`: nothing is written and no event fires.
    template <class Error, class F>
    std::optional<Error> refused(F&& call) {
        const auto counts = event_counts();
        auto e = expect_rejected<Error>(url, std::forward<F>(call));
        EXPECT_EQ(event_counts(), counts) << "a refused call fired an event";
        return e;
    }

    std::vector<std::size_t> event_counts() const {
        return {liked.size(), unliked.size(), added.size(), hidden.size()};
    }

    actor alice;
    actor bob;
    actor moderator;
    actor clerk;
    product mug;
    product tea;
    std::vector<product_liked_event> liked;
    std::vector<product_unliked_event> unliked;
    std::vector<comment_added_event> added;
    std::vector<comment_hidden_event> hidden;
    std::vector<subscription> subscriptions;
};

class EngagementLikes : public engagement_test {};
class EngagementComments : public engagement_test {};
class EngagementModeration : public engagement_test {};
class EngagementListing : public engagement_test {};
class EngagementErasure : public engagement_test {};
class EngagementConcurrency : public engagement_test {};

// ---- likes ------------------------------------------------------------------------------------

TEST_F(EngagementLikes, LikingTwiceKeepsOneLikeAndFiresOnce) {
    clock->advance_seconds(5);
    EXPECT_TRUE(engagement().like(alice, mug.id));
    const auto before = snapshot(url);
    clock->advance_seconds(5);
    EXPECT_FALSE(engagement().like(alice, mug.id));
    EXPECT_EQ(snapshot(url), before) << "liking again wrote something";
    EXPECT_EQ(engagement().like_count(mug.id), 1);
    EXPECT_TRUE(engagement().likes(alice, mug.id));
    EXPECT_FALSE(engagement().likes(bob, mug.id));
    EXPECT_FALSE(engagement().likes(alice, tea.id));
    ASSERT_EQ(liked.size(), 1u);
    EXPECT_EQ(liked[0].user, alice.user());
    EXPECT_EQ(liked[0].product, mug.id);
    EXPECT_EQ(liked[0].at, clock->now().plus_seconds(-5));
    EXPECT_TRUE(unliked.empty());
}

TEST_F(EngagementLikes, UnlikingTwiceRemovesTheLikeOnceAndFiresOnce) {
    ASSERT_TRUE(engagement().like(alice, mug.id));
    ASSERT_TRUE(engagement().like(bob, mug.id));
    clock->advance_seconds(30);
    EXPECT_TRUE(engagement().unlike(alice, mug.id));
    EXPECT_EQ(engagement().like_count(mug.id), 1);
    EXPECT_FALSE(engagement().likes(alice, mug.id));
    EXPECT_TRUE(engagement().likes(bob, mug.id));
    const auto before = snapshot(url);
    EXPECT_FALSE(engagement().unlike(alice, mug.id));
    EXPECT_FALSE(engagement().unlike(alice, tea.id)) << "never liked";
    EXPECT_EQ(snapshot(url), before) << "unliking again wrote something";
    ASSERT_EQ(unliked.size(), 1u);
    EXPECT_EQ(unliked[0].user, alice.user());
    EXPECT_EQ(unliked[0].product, mug.id);
    EXPECT_EQ(unliked[0].at, clock->now());
    // Liking again after taking it back is a new like.
    EXPECT_TRUE(engagement().like(alice, mug.id));
    EXPECT_EQ(engagement().like_count(mug.id), 2);
    EXPECT_EQ(liked.size(), 3u);
}

TEST_F(EngagementLikes, LikeCountCountsTheUsersWhoLikeThatProduct) {
    const product jam = make_product("JAM");
    (void)engagement().like(alice, mug.id);
    (void)engagement().like(bob, mug.id);
    (void)engagement().like(alice, tea.id);
    EXPECT_EQ(engagement().like_count(mug.id), 2);
    EXPECT_EQ(engagement().like_count(tea.id), 1);
    EXPECT_EQ(engagement().like_count(jam.id), 0);
    EXPECT_FALSE(engagement().likes(visitor, mug.id));
}

TEST_F(EngagementLikes, LikedProductsListsTheMostRecentLikeFirstPageByPage) {
    std::vector<product_id> products;
    for (int i = 0; i < 5; ++i) products.push_back(make_product("P-" + std::to_string(i)).id);
    for (const product_id p : products) {
        clock->advance_seconds(60);
        ASSERT_TRUE(engagement().like(alice, p));
    }
    (void)engagement().like(bob, products[1]);
    clock->advance_seconds(60);
    ASSERT_FALSE(engagement().like(alice, products[2]));  // changes nothing: stays where it was
    ASSERT_TRUE(engagement().unlike(alice, products[3]));
    clock->advance_seconds(60);
    ASSERT_TRUE(engagement().unlike(alice, products[0]));
    ASSERT_TRUE(engagement().like(alice, products[0]));  // liked again: now the most recent
    const std::vector<product_id> expected = {products[0], products[4], products[2], products[1]};
    for (const std::int64_t limit : {1, 2, 3, 100}) {
        SCOPED_TRACE(limit);
        EXPECT_EQ(liked_by(alice, limit), expected);
    }
    EXPECT_EQ(liked_by(bob), std::vector<product_id>{products[1]});
    EXPECT_TRUE(liked_by(person("+15551000003", "Carol")).empty());
}

TEST_F(EngagementLikes, LikedProductsNeedsASignedInUserAndAValidPageRequest) {
    (void)engagement().like(alice, mug.id);
    EXPECT_THROW((void)engagement().liked_products(visitor, {}), authentication_error);
    auto bad_limit = catch_expected<validation_error>([&] {
        (void)engagement().liked_products(alice, page_request{0, ""});
    });
    ASSERT_TRUE(bad_limit.has_value());
    EXPECT_EQ(bad_limit->field(), "limit");
    auto bad_token = catch_expected<validation_error>([&] {
        (void)engagement().liked_products(alice, page_request{1, "not-a-token"});
    });
    ASSERT_TRUE(bad_token.has_value());
    EXPECT_EQ(bad_token->field(), "token");
}

TEST_F(EngagementLikes, AnInactiveOrUnknownProductCannotBeLiked) {
    (void)catalog().deactivate_product(admin, tea.id);
    refused<not_found_error>([&] { (void)engagement().like(alice, tea.id); });
    refused<not_found_error>([&] { (void)engagement().like(alice, product_id(4242)); });
    EXPECT_EQ(engagement().like_count(tea.id), 0);
    EXPECT_FALSE(engagement().likes(alice, tea.id));
}

TEST_F(EngagementLikes, LikingNeedsASignedInUser) {
    refused<authentication_error>([&] { (void)engagement().like(visitor, mug.id); });
    refused<authentication_error>([&] { (void)engagement().unlike(visitor, mug.id); });
    // The system has no user to like as: refused, whatever the error.
    refused<error>([&] { (void)engagement().like(actor::system(), mug.id); });
    EXPECT_EQ(engagement().like_count(mug.id), 0);
}

// ---- comments ---------------------------------------------------------------------------------

TEST_F(EngagementComments, ACommentKeepsItsAuthorBodyRatingAndTime) {
    std::vector<std::size_t> seen_committed;  // visible comments as a separate read saw them
    auto probe = sh().events().on_comment_added([&](const comment_added_event& e) {
        seen_committed.push_back(listing(visitor, e.product).comments.items.size());
    });
    clock->advance_seconds(10);
    const comment rated = write(alice, mug.id, "Keeps tea hot for an hour.", 4);
    EXPECT_TRUE(rated.id.is_valid());
    EXPECT_EQ(rated.product, mug.id);
    EXPECT_EQ(rated.author, std::optional<user_id>(alice.user()));
    EXPECT_EQ(rated.author_name, "Alice");
    EXPECT_EQ(rated.body, "Keeps tea hot for an hour.");
    EXPECT_EQ(rated.rating, std::optional<std::int32_t>(4));
    EXPECT_FALSE(rated.hidden);
    EXPECT_EQ(rated.hidden_reason, "");
    EXPECT_EQ(rated.created_at, clock->now());
    EXPECT_EQ(rated.updated_at, clock->now());

    clock->advance_seconds(10);
    const comment plain = write(bob, mug.id, "Arrived quickly.");
    EXPECT_NE(plain.id, rated.id);
    EXPECT_EQ(plain.author, std::optional<user_id>(bob.user()));
    EXPECT_EQ(plain.author_name, "Bob");
    EXPECT_EQ(plain.rating, std::nullopt);

    // As stored, for anyone.
    for (const actor& who : {visitor, alice, bob, moderator}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        const auto items = listing(who, mug.id).comments.items;
        ASSERT_EQ(items.size(), 2u);
        EXPECT_EQ(described(items[0]), described(plain));
        EXPECT_EQ(described(items[1]), described(rated));
    }
    EXPECT_TRUE(listing(visitor, tea.id).comments.items.empty());

    ASSERT_EQ(added.size(), 2u);
    EXPECT_EQ(added[0].comment, rated.id);
    EXPECT_EQ(added[0].product, mug.id);
    EXPECT_EQ(added[0].author, alice.user());
    EXPECT_EQ(added[0].rating, std::optional<std::int32_t>(4));
    EXPECT_EQ(added[0].at, rated.created_at);
    EXPECT_EQ(added[1].comment, plain.id);
    EXPECT_EQ(added[1].author, bob.user());
    EXPECT_EQ(added[1].rating, std::nullopt);
    EXPECT_EQ(added[1].at, plain.created_at);
    EXPECT_EQ(seen_committed, (std::vector<std::size_t>{1, 2})) << "fired before commit";
}

TEST_F(EngagementComments, TheBodyIsStoredExactlyAsGiven) {
    const std::vector<std::string> bodies = {
        "<script>alert('x')</script>",
        "Tom & Jerry say \"hi\" <b>loudly</b> &amp; &lt;twice&gt;",
        "first line\nsecond line\n\nfourth line",
        "  spaced out  ",
        "Ünïcödé ☕ 😀 — 美味しい",
        "'; DROP TABLE product_comment; --",
    };
    ids written;
    for (const std::string& body : bodies) {
        SCOPED_TRACE(body);
        const comment c = write(alice, mug.id, body);
        EXPECT_EQ(c.body, body);
        written.push_back(c.id);
    }
    std::vector<std::string> read;
    for (const comment& c : listing(visitor, mug.id).comments.items) read.push_back(c.body);
    std::reverse(read.begin(), read.end());
    EXPECT_EQ(read, bodies);
    // In the table itself, unescaped.
    sql_view db(url);
    std::vector<std::string> stored;
    for (const auto& row : db.rows("SELECT body FROM product_comment ORDER BY id")) {
        stored.push_back(row.at(0));
    }
    EXPECT_EQ(stored, bodies);
}

TEST_F(EngagementComments, BadBodiesAndRatingsAreRefusedWritingNothing) {
    const std::vector<std::string> bad_bodies = {
        "",
        std::string(5001, 'a'),
        repeated("\xc3\xa9", 5001),  // 5001 characters (é), 10002 bytes
        "caf\xc3",                   // truncated sequence
        "\xff\xfe plain",            // bytes that are never UTF-8
        "over\xc0\xaflong",          // overlong encoding of '/'
        "half \xed\xa0\x80 surrogate",
    };
    for (std::size_t i = 0; i < bad_bodies.size(); ++i) {
        SCOPED_TRACE(i);
        auto e = refused<validation_error>(
            [&] { (void)engagement().add_comment(alice, mug.id, said(bad_bodies[i], 5)); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), "body");
    }
    for (const std::int32_t rating : {0, 6, -1}) {
        SCOPED_TRACE(rating);
        auto e = refused<validation_error>(
            [&] { (void)engagement().add_comment(alice, mug.id, said("Fine.", rating)); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), "rating");
    }
    // The limits themselves are accepted; characters are counted, not bytes.
    EXPECT_EQ(write(alice, mug.id, "a", 1).rating, std::optional<std::int32_t>(1));
    EXPECT_EQ(write(alice, mug.id, std::string(5000, 'a'), 5).rating,
              std::optional<std::int32_t>(5));
    EXPECT_EQ(write(alice, mug.id, repeated("\xc3\xa9", 5000)).body, repeated("\xc3\xa9", 5000));
    EXPECT_EQ(listing(visitor, mug.id).visible_count, 3);
}

TEST_F(EngagementComments, CommentingNeedsASignedInUserAndAnActiveProduct) {
    refused<authentication_error>(
        [&] { (void)engagement().add_comment(visitor, mug.id, said("Anonymous praise")); });
    refused<error>(
        [&] { (void)engagement().add_comment(actor::system(), mug.id, said("From nobody")); });
    (void)catalog().deactivate_product(admin, tea.id);
    refused<not_found_error>(
        [&] { (void)engagement().add_comment(alice, tea.id, said("Gone already?")); });
    refused<not_found_error>(
        [&] { (void)engagement().add_comment(alice, product_id(4242), said("What is this?")); });
}

TEST_F(EngagementComments, AnAuthorEditsTheirCommentWithTheCurrentVersion) {
    const comment c = write(alice, mug.id, "Good mug.", 4);
    const timestamp written = clock->now();
    clock->advance_seconds(120);
    const comment edited = engagement().edit_comment(alice, c.id, said("Great mug!", 5), c.version);
    EXPECT_EQ(edited.id, c.id);
    EXPECT_EQ(edited.body, "Great mug!");
    EXPECT_EQ(edited.rating, std::optional<std::int32_t>(5));
    EXPECT_EQ(edited.version, c.version + 1);
    EXPECT_EQ(edited.created_at, written);
    EXPECT_EQ(edited.updated_at, clock->now());
    EXPECT_EQ(edited.author, std::optional<user_id>(alice.user()));
    ASSERT_EQ(listing(visitor, mug.id).comments.items.size(), 1u);
    EXPECT_EQ(described(listing(visitor, mug.id).comments.items[0]), described(edited));

    // The rating can be taken away.
    const comment unrated =
        engagement().edit_comment(alice, c.id, said("Great mug, no stars."), edited.version);
    EXPECT_EQ(unrated.rating, std::nullopt);
    EXPECT_EQ(unrated.version, edited.version + 1);
    const comment_list after = listing(visitor, mug.id);
    EXPECT_EQ(after.rating_count, 0);
    EXPECT_EQ(after.average_rating, std::nullopt);
    EXPECT_EQ(added.size(), 1u) << "an edit is not a new comment";

    // A page loaded before the last edit.
    refused<conflict_error>(
        [&] { (void)engagement().edit_comment(alice, c.id, said("Stale"), edited.version); });
    auto e = refused<validation_error>(
        [&] { (void)engagement().edit_comment(alice, c.id, said(""), unrated.version); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field(), "body");
    e = refused<validation_error>(
        [&] { (void)engagement().edit_comment(alice, c.id, said("Six?", 6), unrated.version); });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field(), "rating");
    EXPECT_EQ(listing(visitor, mug.id).comments.items.at(0).body, "Great mug, no stars.");
}

TEST_F(EngagementComments, OnlyTheAuthorEditsAComment) {
    const comment c = write(alice, mug.id, "Alice's words.", 3);
    for (const actor& who : {bob, moderator, admin}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        refused<not_found_error>([&] {
            (void)engagement().edit_comment(who, c.id, said("Someone else's words."), c.version);
        });
    }
    refused<not_found_error>(
        [&] { (void)engagement().edit_comment(alice, comment_id(4242), said("Hm"), 1); });
    refused<authentication_error>(
        [&] { (void)engagement().edit_comment(visitor, c.id, said("Hm"), c.version); });
    EXPECT_EQ(described(listing(visitor, mug.id).comments.items.at(0)), described(c));
}

TEST_F(EngagementComments, AnAuthorOrAModeratorDeletesAComment) {
    const comment mine = write(alice, mug.id, "Mine.", 5);
    const comment bobs = write(bob, mug.id, "Bob's.", 1);
    const comment kept = write(bob, mug.id, "Bob's other.", 3);
    refused<not_found_error>([&] { engagement().delete_comment(bob, mine.id); });
    refused<authentication_error>([&] { engagement().delete_comment(visitor, mine.id); });
    // An admin without moderate_comments may not either.
    refused<error>([&] { engagement().delete_comment(clerk, mine.id); });

    engagement().delete_comment(alice, mine.id);
    EXPECT_EQ(shown(visitor, mug.id), (ids{kept.id, bobs.id}));
    refused<not_found_error>([&] { engagement().delete_comment(alice, mine.id); });

    engagement().delete_comment(moderator, bobs.id);
    EXPECT_EQ(shown(moderator, mug.id), ids{kept.id});
    const comment_list after = listing(visitor, mug.id);
    EXPECT_EQ(after.visible_count, 1);
    EXPECT_EQ(after.rating_count, 1);
    EXPECT_EQ(after.rating_sum, 3);
    refused<not_found_error>([&] { engagement().delete_comment(moderator, comment_id(4242)); });
}

// ---- moderation -------------------------------------------------------------------------------

TEST_F(EngagementModeration, AHiddenCommentIsSeenOnlyByModeratorsAndLeavesTheCounts) {
    const comment good = write(alice, mug.id, "Lovely.", 5);
    const comment spam = write(bob, mug.id, "Buy cheap watches at example.com", 1);
    clock->advance_seconds(60);
    const comment h = engagement().hide_comment(moderator, spam.id, "Advertising");
    EXPECT_TRUE(h.hidden);
    EXPECT_EQ(h.hidden_reason, "Advertising");
    EXPECT_EQ(h.version, spam.version + 1);
    EXPECT_EQ(h.updated_at, clock->now());
    EXPECT_EQ(h.body, spam.body);
    ASSERT_EQ(hidden.size(), 1u);
    EXPECT_EQ(hidden[0].by, moderator);
    EXPECT_EQ(hidden[0].comment, spam.id);
    EXPECT_EQ(hidden[0].product, mug.id);
    EXPECT_EQ(hidden[0].reason, "Advertising");
    EXPECT_EQ(hidden[0].at, clock->now());

    // Customers (its author too), visitors and admins without moderate_comments.
    for (const actor& who : {visitor, alice, bob, clerk}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        EXPECT_EQ(shown(who, mug.id), ids{good.id});
    }
    // Moderators see it, flagged, with the reason.
    for (const actor& who : {moderator, admin}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        const auto items = listing(who, mug.id).comments.items;
        ASSERT_EQ(ids_of(items), (ids{spam.id, good.id}));
        EXPECT_TRUE(items[0].hidden);
        EXPECT_EQ(items[0].hidden_reason, "Advertising");
        EXPECT_FALSE(items[1].hidden);
    }
    // The counts are of the visible comments, whoever asks.
    for (const actor& who : {visitor, moderator}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        const comment_list l = listing(who, mug.id);
        EXPECT_EQ(l.visible_count, 1);
        EXPECT_EQ(l.rating_count, 1);
        EXPECT_EQ(l.rating_sum, 5);
        EXPECT_EQ(l.average_rating, std::optional<ratio>(ratio::of(5, 1)));
    }
}

TEST_F(EngagementModeration, UnhidingShowsTheCommentAgain) {
    const comment c = write(bob, mug.id, "Borderline.", 2);
    const comment h = engagement().hide_comment(moderator, c.id, "Checking");
    clock->advance_seconds(60);
    const comment u = engagement().unhide_comment(moderator, c.id);
    EXPECT_FALSE(u.hidden);
    EXPECT_EQ(u.version, h.version + 1);
    EXPECT_EQ(u.updated_at, clock->now());
    EXPECT_EQ(shown(visitor, mug.id), ids{c.id});
    const comment_list l = listing(bob, mug.id);
    EXPECT_EQ(l.visible_count, 1);
    EXPECT_EQ(l.rating_sum, 2);
    EXPECT_EQ(hidden.size(), 1u) << "unhiding is not hiding";
}

TEST_F(EngagementModeration, OnlyAdminsWithModerateCommentsHideOrUnhide) {
    const comment c = write(bob, mug.id, "Meh.", 2);
    for (const actor& who : {alice, bob, clerk}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        refused<permission_denied_error>(
            [&] { (void)engagement().hide_comment(who, c.id, "I dislike it"); });
    }
    refused<error>([&] { (void)engagement().hide_comment(visitor, c.id, "I dislike it"); });
    (void)engagement().hide_comment(moderator, c.id, "Rude");
    for (const actor& who : {alice, bob, clerk}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        refused<permission_denied_error>([&] { (void)engagement().unhide_comment(who, c.id); });
    }
    refused<not_found_error>(
        [&] { (void)engagement().hide_comment(moderator, comment_id(4242), "Rude"); });
    refused<not_found_error>(
        [&] { (void)engagement().unhide_comment(moderator, comment_id(4242)); });
    // A super admin holds every permission.
    EXPECT_FALSE(engagement().unhide_comment(admin, c.id).hidden);
}

TEST_F(EngagementModeration, AHidingReasonIsRequiredAndAtMost500Characters) {
    const comment c = write(bob, mug.id, "Meh.");
    for (const std::string& reason : {std::string(), std::string(501, 'r')}) {
        SCOPED_TRACE(reason.size());
        auto e = refused<validation_error>(
            [&] { (void)engagement().hide_comment(moderator, c.id, reason); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), "reason");
    }
    EXPECT_EQ(engagement().hide_comment(moderator, c.id, std::string(500, 'r')).hidden_reason,
              std::string(500, 'r'));
}

// ---- listing ----------------------------------------------------------------------------------

TEST_F(EngagementListing, CommentsAreListedNewestFirstPageByPage) {
    ids written;
    for (int i = 0; i < 6; ++i) {
        // Pairs share a timestamp: the later one is still the newer.
        if (i % 2 == 0) clock->advance_seconds(60);
        written.push_back(write(i % 3 == 0 ? alice : bob, mug.id, "#" + std::to_string(i)).id);
    }
    const comment other = write(alice, tea.id, "On the tea");
    std::reverse(written.begin(), written.end());
    for (const std::int64_t limit : {1, 2, 4, 100}) {
        SCOPED_TRACE(limit);
        EXPECT_EQ(shown(visitor, mug.id, limit), written);
        EXPECT_EQ(shown(moderator, mug.id, limit), written);
    }
    EXPECT_EQ(shown(alice, tea.id), ids{other.id});
    // Every page carries the product's totals, not the page's.
    const comment_list first = engagement().comments(visitor, mug.id, page_request{1, ""});
    EXPECT_EQ(first.comments.items.size(), 1u);
    EXPECT_EQ(first.visible_count, 6);
}

TEST_F(EngagementListing, CountsAndAverageRatingAreExact) {
    const product jam = make_product("JAM");
    const comment_list none = listing(visitor, jam.id);
    EXPECT_EQ(none.visible_count, 0);
    EXPECT_EQ(none.rating_count, 0);
    EXPECT_EQ(none.rating_sum, 0);
    EXPECT_EQ(none.average_rating, std::nullopt);

    (void)write(alice, jam.id, "No stars from me.");
    const comment_list unrated = listing(visitor, jam.id);
    EXPECT_EQ(unrated.visible_count, 1);
    EXPECT_EQ(unrated.rating_count, 0);
    EXPECT_EQ(unrated.average_rating, std::nullopt);

    const comment five = write(alice, jam.id, "Five.", 5);
    (void)write(bob, jam.id, "Four.", 4);
    const comment_list nine_halves = listing(visitor, jam.id);
    EXPECT_EQ(nine_halves.average_rating, std::optional<ratio>(ratio::of(9, 2)));

    (void)write(bob, jam.id, "Four again.", 4);
    for (const std::int64_t limit : {1, 100}) {
        SCOPED_TRACE(limit);
        const comment_list l = engagement().comments(visitor, jam.id, page_request{limit, ""});
        EXPECT_EQ(l.visible_count, 4);
        EXPECT_EQ(l.rating_count, 3);
        EXPECT_EQ(l.rating_sum, 13);
        EXPECT_EQ(l.average_rating, std::optional<ratio>(ratio::of(13, 3)));
    }
    (void)engagement().hide_comment(moderator, five.id, "Suspicious");
    const comment_list fours = listing(alice, jam.id);
    EXPECT_EQ(fours.visible_count, 3);
    EXPECT_EQ(fours.rating_count, 2);
    EXPECT_EQ(fours.rating_sum, 8);
    EXPECT_EQ(fours.average_rating, std::optional<ratio>(ratio::of(4, 1)));
}

TEST_F(EngagementListing, CustomersCannotReadCommentsOfInactiveOrUnknownProducts) {
    (void)write(alice, tea.id, "Before it went.", 4);
    (void)catalog().deactivate_product(admin, tea.id);
    for (const actor& who : {visitor, alice}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        EXPECT_THROW((void)listing(who, tea.id), not_found_error);
        EXPECT_THROW((void)listing(who, product_id(4242)), not_found_error);
    }
}

TEST_F(EngagementListing, BadPageRequestsAreValidationErrors) {
    (void)write(alice, mug.id, "One.");
    (void)write(alice, mug.id, "Two.");
    auto e = catch_expected<validation_error>([&] {
        (void)engagement().comments(visitor, mug.id, page_request{0, ""});
    });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field(), "limit");
    e = catch_expected<validation_error>([&] {
        (void)engagement().comments(visitor, mug.id, page_request{1, "garbage"});
    });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field(), "token");
    // A token of another listing.
    (void)engagement().like(alice, mug.id);
    (void)engagement().like(alice, tea.id);
    const std::string likes_token = engagement().liked_products(alice, {1, ""}).next_token;
    ASSERT_FALSE(likes_token.empty());
    e = catch_expected<validation_error>([&] {
        (void)engagement().comments(visitor, mug.id, page_request{1, likes_token});
    });
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->field(), "token");
}

// ---- account deletion -------------------------------------------------------------------------

TEST_F(EngagementErasure, ADeletedAuthorsCommentsStayAsDeletedUserAndNoPersonalDataRemains) {
    // Distinctive values: a hit in the scan cannot be a coincidence.
    registration r;
    r.phone = "+15557309912";
    r.first_name = "Quorblethia";
    r.last_name = "Vantzimmerix";
    r.password = std::string("velvet-otter-quarry-19");
    const user_id gone = accounts().register_user(visitor, r).user.id;
    const actor q = actor::customer(gone);
    const comment rated = write(q, mug.id, "Sturdy and pretty.", 5);
    const comment plain = write(q, tea.id, "Smells of spring.");
    const comment bobs = write(bob, mug.id, "Agreed.", 4);
    ASSERT_EQ(rated.author_name, "Quorblethia");
    ASSERT_TRUE(engagement().like(q, mug.id));
    ASSERT_TRUE(engagement().like(q, tea.id));
    const comment_list before = listing(visitor, mug.id);

    accounts().delete_account(admin, gone);

    for (const actor& who : {visitor, moderator}) {
        SCOPED_TRACE(actor_kind_name(who.kind()));
        const auto items = listing(who, mug.id).comments.items;
        ASSERT_EQ(ids_of(items), (ids{bobs.id, rated.id}));
        EXPECT_EQ(items[1].author, std::nullopt);
        EXPECT_EQ(items[1].author_name, "Deleted User");
        EXPECT_EQ(items[1].body, rated.body);
        EXPECT_EQ(items[1].rating, rated.rating);
        EXPECT_EQ(items[0].author, std::optional<user_id>(bob.user()));
        EXPECT_EQ(items[0].author_name, "Bob");
    }
    const auto teas = listing(visitor, tea.id).comments.items;
    ASSERT_EQ(ids_of(teas), ids{plain.id});
    EXPECT_EQ(teas[0].author, std::nullopt);
    EXPECT_EQ(teas[0].author_name, "Deleted User");
    const comment_list after = listing(visitor, mug.id);
    EXPECT_EQ(after.visible_count, before.visible_count);
    EXPECT_EQ(after.rating_sum, before.rating_sum);

    // What is left of the likes is not specified; it holds no personal data.
    for (const auto& [table, rows] : snapshot(url)) {
        for (const std::string& row : rows) {
            for (const char* needle : {"Quorblethia", "Vantzimmerix", "5557309912"}) {
                EXPECT_EQ(row.find(needle), std::string::npos) << needle << " kept in " << table;
            }
        }
    }
    // The orphaned comment is still moderated.
    EXPECT_TRUE(engagement().hide_comment(moderator, rated.id, "Outdated").hidden);
    engagement().delete_comment(moderator, plain.id);
    EXPECT_TRUE(listing(visitor, tea.id).comments.items.empty());
}

// ---- concurrency ------------------------------------------------------------------------------

TEST_F(EngagementConcurrency, OneUserLikingFromTwoThreadsAtOnceAddsOneLike) {
    for (int round = 0; round < 5; ++round) {
        SCOPED_TRACE(round);
        const product p = make_product("RACE-" + std::to_string(round));
        auto results = race(2, [&] {
            try {
                return std::string(engagement().like(alice, p.id) ? "added" : "already there");
            } catch (const std::exception& e) {
                return std::string("error: ") + e.what();
            }
        });
        std::sort(results.begin(), results.end());
        EXPECT_EQ(results, (std::vector<std::string>{"added", "already there"}));
        EXPECT_EQ(engagement().like_count(p.id), 1);
    }
    EXPECT_EQ(liked.size(), 5u);
}

}  // namespace
}  // namespace shopcore::test

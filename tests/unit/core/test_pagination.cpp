#include <shopcore/core/pagination.hpp>

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include <shopcore/core/error.hpp>

namespace shopcore {
namespace {

page_request with_limit(std::int64_t limit) {
    page_request request;
    request.limit = limit;
    return request;
}

TEST(Pagination, DefaultRequestAsksForTwentyFromTheStart) {
    const page_request request;
    EXPECT_EQ(request.limit, 20);
    EXPECT_TRUE(request.token.empty());
    EXPECT_EQ(effective_limit(request), 20);
}

TEST(Pagination, EffectiveLimitCapsAtOneHundred) {
    EXPECT_EQ(max_page_limit, 100);
    EXPECT_EQ(effective_limit(with_limit(1)), 1);
    EXPECT_EQ(effective_limit(with_limit(99)), 99);
    EXPECT_EQ(effective_limit(with_limit(100)), 100);
    EXPECT_EQ(effective_limit(with_limit(101)), 100);
    EXPECT_EQ(effective_limit(with_limit(std::numeric_limits<std::int64_t>::max())), 100);
}

TEST(Pagination, EffectiveLimitRejectsZeroAndNegativeLimits) {
    for (const std::int64_t limit :
         {std::int64_t{0}, std::int64_t{-1}, std::numeric_limits<std::int64_t>::min()}) {
        try {
            (void)effective_limit(with_limit(limit));
            ADD_FAILURE() << "accepted " << limit;
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "limit");
        }
    }
}

TEST(Pagination, PageHasMoreExactlyWhenItHasANextToken) {
    page<int> p;
    p.items = {1, 2, 3};
    EXPECT_FALSE(p.has_more());
    p.next_token = "abc";
    EXPECT_TRUE(p.has_more());
}

}  // namespace
}  // namespace shopcore

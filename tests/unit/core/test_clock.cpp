#include <shopcore/core/clock.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_set>
#include <vector>

#include <gtest/gtest.h>

#include <shopcore/core/error.hpp>

namespace shopcore {
namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();

struct iso_case {
    std::int64_t micros;
    const char* text;
};

// Values cross-checked with Python's datetime.
const iso_case known[] = {
    {0, "1970-01-01T00:00:00.000000Z"},
    {-1, "1969-12-31T23:59:59.999999Z"},
    {1795955696123456, "2026-11-29T12:34:56.123456Z"},
    {951868799999999, "2000-02-29T23:59:59.999999Z"},
    {-2203891200000000, "1900-03-01T00:00:00.000000Z"},
    {-62167219200000000, "0000-01-01T00:00:00.000000Z"},
    {253402300799999999, "9999-12-31T23:59:59.999999Z"},
};

TEST(Timestamp, FormatsIso8601InUtcWithMicroseconds) {
    for (const auto& c : known) {
        SCOPED_TRACE(c.text);
        EXPECT_EQ(timestamp::from_micros(c.micros).to_iso8601(), c.text);
        EXPECT_EQ(timestamp::parse_iso8601(c.text), timestamp::from_micros(c.micros));
    }
    std::ostringstream out;
    out << timestamp::from_seconds(86400);
    EXPECT_EQ(out.str(), "1970-01-02T00:00:00.000000Z");
}

TEST(Timestamp, ParsesTheFormWithoutFraction) {
    EXPECT_EQ(timestamp::parse_iso8601("2026-11-29T12:34:56Z"),
              timestamp::from_micros(1795955696000000));
    EXPECT_EQ(timestamp::parse_iso8601("2024-02-29T00:00:00Z").to_iso8601(),
              "2024-02-29T00:00:00.000000Z");
}

TEST(Timestamp, Iso8601RoundTripsForRandomInstants) {
    std::mt19937_64 rng(1);
    std::uniform_int_distribution<std::int64_t> any(-62167219200000000, 253402300799999999);
    for (int i = 0; i < 100'000; ++i) {
        const timestamp t = timestamp::from_micros(any(rng));
        const std::string text = t.to_iso8601();
        ASSERT_EQ(timestamp::parse_iso8601(text), t) << text;
    }
}

TEST(Timestamp, ExtremeValuesUseTheExpandedYearForm) {
    EXPECT_EQ(timestamp::from_micros(253402300800000000).to_iso8601(),
              "+10000-01-01T00:00:00.000000Z");
    EXPECT_EQ(timestamp::from_micros(-62167219200000001).to_iso8601(),
              "-00001-12-31T23:59:59.999999Z");
    EXPECT_FALSE(timestamp::from_micros(int64_max).to_iso8601().empty());
    EXPECT_FALSE(timestamp::from_micros(int64_min).to_iso8601().empty());
    EXPECT_THROW((void)timestamp::parse_iso8601("+10000-01-01T00:00:00.000000Z"), validation_error);
}

TEST(Timestamp, MalformedTextThrowsValidationErrorOnTimestamp) {
    const char* const cases[] = {
        "",
        "2026-11-29",
        "2026-11-29T12:34:56",
        "2026-11-29 12:34:56Z",
        "2026-11-29t12:34:56Z",
        "2026-11-29T12:34:56z",
        "2026-11-29T12:34:56+00:00",
        "2026-11-29T12:34:56.123Z",
        "2026-11-29T12:34:56.1234567Z",
        "2026-11-29T12:34:56,123456Z",
        "2026-11-29T12:34:56.12345aZ",
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-01-00T00:00:00Z",
        "2026-01-32T00:00:00Z",
        "2026-02-29T00:00:00Z",  // not a leap year
        "1900-02-29T00:00:00Z",  // not a leap year (century)
        "2026-04-31T00:00:00Z",
        "2026-11-29T24:00:00Z",
        "2026-11-29T12:60:00Z",
        "2026-11-29T12:34:60Z",  // no leap seconds
        "2026/11/29T12:34:56Z",
        "-026-11-29T12:34:56Z",
        "+026-11-29T12:34:56Z",
        " 2026-11-29T12:34:5Z",
        "2026-11-29T12:34:56ZZ",
        "abcd-ef-ghTij:kl:mnZ",
    };
    for (const char* text : cases) {
        SCOPED_TRACE(text);
        try {
            (void)timestamp::parse_iso8601(text);
            ADD_FAILURE() << "accepted";
        } catch (const validation_error& e) {
            EXPECT_EQ(e.field(), "timestamp");
        }
    }
    EXPECT_EQ(timestamp::parse_iso8601("2000-02-29T00:00:00Z").to_iso8601(),
              "2000-02-29T00:00:00.000000Z");
}

TEST(Timestamp, SecondsRoundTowardNegativeInfinity) {
    EXPECT_EQ(timestamp::from_micros(1'999'999).seconds(), 1);
    EXPECT_EQ(timestamp::from_micros(-1).seconds(), -1);
    EXPECT_EQ(timestamp::from_micros(-1'000'000).seconds(), -1);
    EXPECT_EQ(timestamp::from_micros(-1'000'001).seconds(), -2);
    EXPECT_EQ(timestamp::from_seconds(42).micros(), 42'000'000);
}

TEST(Timestamp, ArithmeticIsChecked) {
    const timestamp t = timestamp::from_seconds(100);
    EXPECT_EQ(t.plus_seconds(5), timestamp::from_seconds(105));
    EXPECT_EQ(t.plus_seconds(-200), timestamp::from_seconds(-100));
    EXPECT_EQ(t.plus_micros(1).micros(), 100'000'001);
    EXPECT_THROW((void)timestamp::from_micros(int64_max).plus_micros(1), arithmetic_error);
    EXPECT_THROW((void)timestamp::from_micros(int64_min).plus_micros(-1), arithmetic_error);
    EXPECT_THROW((void)t.plus_seconds(int64_max / 1'000'000 + 1), arithmetic_error);
    EXPECT_THROW((void)timestamp::from_seconds(int64_max), arithmetic_error);
    EXPECT_THROW((void)timestamp::from_seconds(int64_min), arithmetic_error);
}

TEST(Timestamp, ComparesAndHashesByInstant) {
    const timestamp a = timestamp::from_micros(1);
    const timestamp b = timestamp::from_micros(2);
    EXPECT_TRUE(a < b);
    EXPECT_TRUE(a <= b);
    EXPECT_TRUE(b > a);
    EXPECT_TRUE(b >= a);
    EXPECT_TRUE(a != b);
    EXPECT_TRUE(a == timestamp::from_micros(1));
    EXPECT_EQ(timestamp(), timestamp::from_micros(0));
    const std::unordered_set<timestamp> set{a, b, timestamp::from_micros(1)};
    EXPECT_EQ(set.size(), 2U);
}

TEST(FakeClock, ShowsWhatItWasSetToAndAdvancesOnDemand) {
    fake_clock clock(timestamp::parse_iso8601("2026-11-29T12:00:00Z"));
    const shopcore::clock& as_clock = clock;
    EXPECT_EQ(as_clock.now().to_iso8601(), "2026-11-29T12:00:00.000000Z");
    EXPECT_EQ(as_clock.now(), as_clock.now());
    clock.advance_seconds(90);
    EXPECT_EQ(clock.now().to_iso8601(), "2026-11-29T12:01:30.000000Z");
    clock.advance_micros(5);
    EXPECT_EQ(clock.now().to_iso8601(), "2026-11-29T12:01:30.000005Z");
    clock.advance_seconds(-3600);
    EXPECT_EQ(clock.now().to_iso8601(), "2026-11-29T11:01:30.000005Z");
    clock.set(timestamp::from_micros(0));
    EXPECT_EQ(clock.now(), timestamp());
}

TEST(FakeClock, OverflowThrowsAndLeavesTheTimeUnchanged) {
    fake_clock clock(timestamp::from_micros(int64_max - 1));
    EXPECT_THROW(clock.advance_micros(2), arithmetic_error);
    EXPECT_THROW(clock.advance_seconds(int64_max), arithmetic_error);
    EXPECT_EQ(clock.now().micros(), int64_max - 1);
}

TEST(FakeClock, ConcurrentAdvancesAreNotLost) {
    fake_clock clock{timestamp()};
    constexpr int threads = 4;
    constexpr int steps = 20'000;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&clock] {
            for (int i = 0; i < steps; ++i) clock.advance_micros(1);
        });
    }
    for (auto& w : workers) w.join();
    EXPECT_EQ(clock.now().micros(), threads * steps);
}

TEST(SystemClock, ReportsTheCurrentUtcTime) {
    const system_clock clock;
    const auto expected = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    const std::int64_t now = clock.now().micros();
    EXPECT_LT(std::abs(now - expected), 60'000'000);  // within a minute of std::chrono
    EXPECT_GT(now, timestamp::parse_iso8601("2024-01-01T00:00:00Z").micros());
}

}  // namespace
}  // namespace shopcore

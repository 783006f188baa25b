#ifndef SHOPCORE_TESTS_STORAGE_EXPECT_FAILURE_COUNTED_HPP
#define SHOPCORE_TESTS_STORAGE_EXPECT_FAILURE_COUNTED_HPP

// A wrong password is a rejection that writes one thing: the account's failure counter (so that
// guessing through change_password or delete_account meets the same lockout as login). This
// checks exactly that: every table unchanged except one app_user row, in which one cell grew by
// one. Column names are not needed, so the check survives new columns.

#include <gtest/gtest.h>

#include <cstddef>
#include <exception>
#include <optional>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include "backend.hpp"
#include "expect_rejected.hpp"

namespace shopcore::test {

namespace detail_counted {

inline std::vector<std::string> cells(const std::string& row) {
    std::vector<std::string> out;
    std::stringstream in(row);
    std::string cell;
    while (std::getline(in, cell, '|')) out.push_back(cell);
    return out;
}

// True when `after` is `before` with exactly one integer cell increased by one.
inline bool one_cell_counted_up(const std::string& before, const std::string& after) {
    const auto b = cells(before);
    const auto a = cells(after);
    if (a.size() != b.size()) return false;
    int changed = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] == b[i]) continue;
        ++changed;
        try {
            if (std::stoll(a[i]) != std::stoll(b[i]) + 1) return false;
        } catch (const std::exception&) {
            return false;
        }
    }
    return changed == 1;
}

}  // namespace detail_counted

/// Runs `call`, which must throw `Error`, and checks that the only write was one failure count.
template <class Error, class F>
std::optional<Error> expect_rejected_counting_failure(const std::string& url, F&& call) {
    auto before = snapshot(url);
    auto caught = catch_expected<Error>(std::forward<F>(call));
    auto after = snapshot(url);
    auto& users_before = before["app_user"];
    auto& users_after = after["app_user"];
    EXPECT_EQ(users_after.size(), users_before.size());
    // Rows are sorted and start with the id, so rows of one user pair up by position.
    int counted = 0;
    for (std::size_t i = 0; i < users_before.size() && i < users_after.size(); ++i) {
        if (users_before[i] == users_after[i]) continue;
        EXPECT_TRUE(detail_counted::one_cell_counted_up(users_before[i], users_after[i]))
            << "more than a failure count changed:\n  before " << users_before[i] << "\n  after  "
            << users_after[i];
        ++counted;
    }
    EXPECT_EQ(counted, 1) << "the failure was not counted on exactly one account";
    users_before.clear();
    users_after.clear();
    EXPECT_EQ(after, before) << "a rejected call changed another table";
    return caught;
}

}  // namespace shopcore::test

#endif  // SHOPCORE_TESTS_STORAGE_EXPECT_FAILURE_COUNTED_HPP

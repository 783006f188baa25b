#ifndef SHOPCORE_TESTS_STORAGE_EXPECT_REJECTED_HPP
#define SHOPCORE_TESTS_STORAGE_EXPECT_REJECTED_HPP

// "A test that expects a rejection also checks that nothing was written": run a call that must
// throw a given shopcore error and compare every row of every table before and after.

#include <gtest/gtest.h>

#include <exception>
#include <optional>
#include <string>
#include <typeinfo>
#include <utility>

#include "backend.hpp"

namespace shopcore::test {

/// Runs `call`, which must throw `Error`. @returns the error caught (empty, with a recorded
/// test failure, when nothing or something else was thrown).
template <class Error, class F>
std::optional<Error> catch_expected(F&& call) {
    std::optional<Error> caught;
    try {
        call();
        ADD_FAILURE() << "expected " << typeid(Error).name() << ", nothing was thrown";
    } catch (const Error& e) {
        caught.emplace(e);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected " << typeid(Error).name() << ", got " << typeid(e).name() << ": "
                      << e.what();
    }
    return caught;
}

/// Runs `call`, which must throw `Error`, and checks that the database at `url` is unchanged.
/// @returns the error caught (empty after a failure was recorded).
template <class Error, class F>
std::optional<Error> expect_rejected(const std::string& url, F&& call) {
    const auto before = snapshot(url);
    auto caught = catch_expected<Error>(std::forward<F>(call));
    EXPECT_EQ(snapshot(url), before) << "a rejected call changed the database";
    return caught;
}

}  // namespace shopcore::test

#endif  // SHOPCORE_TESTS_STORAGE_EXPECT_REJECTED_HPP

#include <gtest/gtest.h>

#include "backend.hpp"

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    shopcore::test::parse_backend_args(argc, argv);
    return RUN_ALL_TESTS();
}

// Documentation that shows code shows code that is built: the quickstart's program is
// examples/cpp/quickstart.cpp (which CTest runs), character for character.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string read(const std::string& relative) {
    std::ifstream in(std::string(SHOPCORE_SOURCE_DIR) + "/" + relative);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(Docs, TheQuickstartProgramIsTheBuiltExample) {
    const std::string example = read("examples/cpp/quickstart.cpp");
    const std::string doc = read("docs/quickstart.md");
    ASSERT_FALSE(example.empty());
    const std::string body = example.substr(example.find('\n') + 1);  // after the comment line
    EXPECT_NE(doc.find("```cpp\n" + body + "```"), std::string::npos)
        << "docs/quickstart.md no longer shows examples/cpp/quickstart.cpp";
}

}  // namespace

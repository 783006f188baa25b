// The public headers expose no SOCI or Boost.Signals2 type (bindings cannot bind them and users
// should not need their headers), and each carries the include guard STYLE.md prescribes.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(PublicHeaders, MentionNeitherSociNorSignals2AndUseTheirGuard) {
    const fs::path root = fs::path(SHOPCORE_SOURCE_DIR) / "include";
    int seen = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root / "shopcore")) {
        if (entry.path().extension() != ".hpp") continue;
        ++seen;
        const std::string text = read(entry.path());
        const std::string rel = fs::relative(entry.path(), root).string();
        EXPECT_EQ(text.find("soci"), std::string::npos) << rel << " mentions SOCI";
        EXPECT_EQ(text.find("signals2"), std::string::npos) << rel << " mentions Signals2";
        // shopcore/catalog/product.hpp -> SHOPCORE_CATALOG_PRODUCT_HPP
        std::string guard = fs::path(rel).replace_extension("").string();
        std::replace(guard.begin(), guard.end(), '/', '_');
        std::transform(guard.begin(), guard.end(), guard.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        guard += "_HPP";
        EXPECT_NE(text.find("#ifndef " + guard + "\n#define " + guard), std::string::npos)
            << rel << " lacks the include guard " << guard;
    }
    EXPECT_GT(seen, 20);
}

}  // namespace

// shopctl end to end: every test starts from a fresh SQLite file, prepares it through shopctl
// itself or through the C++ API, runs the built binary (SHOPCTL_PATH) as a child process with
// stdin, stdout and stderr redirected to files (so not a terminal: progress comes as plain
// lines), and checks its output, its exit code, and what it wrote to the database.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include <shopcore/shop.hpp>

extern char** environ;

namespace {

using namespace shopcore;
namespace fs = std::filesystem;

struct run_result {
    int exit_code = -1;  // -1: killed by a signal
    std::string out;
    std::string err;
};

std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void spit(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

/// Splits one CSV line (RFC 4180 quoting; the outputs checked here have no line breaks).
std::vector<std::string> csv_split(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back().push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back().push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back().push_back(c);
        }
    }
    return fields;
}

/// The rows of CSV output after its header, split into fields.
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    const auto lines = lines_of(text);
    for (std::size_t i = 1; i < lines.size(); ++i) rows.push_back(csv_split(lines[i]));
    return rows;
}

std::string lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

class Shopctl : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "shopctl-test-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        db_ = (dir_ / "shop.db").string();
    }

    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    /// Runs shopctl with `args` exactly (no --db added), `input` on its standard input.
    run_result run(const std::vector<std::string>& args, const std::string& input = "") {
        const fs::path in = dir_ / "stdin", out = dir_ / "stdout", err = dir_ / "stderr";
        spit(in, input);
        posix_spawn_file_actions_t files;
        posix_spawn_file_actions_init(&files);
        posix_spawn_file_actions_addopen(&files, 0, in.c_str(), O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        posix_spawn_file_actions_addopen(&files, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        std::vector<std::string> argv_text = {SHOPCTL_PATH};
        argv_text.insert(argv_text.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (std::string& a : argv_text) argv.push_back(a.data());
        argv.push_back(nullptr);
        // The environment without SHOPCTL_DB, so that only the arguments name the shop.
        std::vector<char*> env;
        for (char** e = environ; *e != nullptr; ++e) {
            if (std::string(*e).rfind("SHOPCTL_DB=", 0) != 0) env.push_back(*e);
        }
        env.push_back(nullptr);
        pid_t pid = 0;
        const int spawned =
            posix_spawn(&pid, SHOPCTL_PATH, &files, nullptr, argv.data(), env.data());
        posix_spawn_file_actions_destroy(&files);
        run_result r;
        EXPECT_EQ(spawned, 0) << "cannot start " << SHOPCTL_PATH;
        if (spawned != 0) return r;
        int status = 0;
        EXPECT_EQ(waitpid(pid, &status, 0), pid);
        r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        r.out = slurp(out);
        r.err = slurp(err);
        return r;
    }

    /// Runs shopctl on this test's shop.
    run_result ctl(std::vector<std::string> args, const std::string& input = "") {
        args.insert(args.begin(), {"--db", "sqlite:" + db_});
        return run(args, input);
    }

    /// Opens this test's shop in the test process (cheap password hashing: the tests create
    /// many accounts; shopctl itself hashes at the default cost).
    [[nodiscard]] shop open(const std::string& currency = "USD") const {
        shop_options o;
        o.currency = currency;
        o.synchronous = sqlite_synchronous::off;
        o.accounts.cost = password_cost::testing_only_insecure;
        o.recommendations.build_at_open = false;
        return shop::open("sqlite:" + db_, o);
    }

    /// Writes `text` to a file in the scratch directory and returns its path.
    std::string file(const std::string& name, const std::string& text) {
        spit(dir_ / name, text);
        return (dir_ / name).string();
    }

    fs::path dir_;
    std::string db_;
};

const actor sys = actor::system();

// ---- import-catalog -----------------------------------------------------------------------

constexpr const char* catalog_csv =
    "sku,name,price,stock,weight_grams,category,description\n"
    "TEA-1,\"Green tea, loose\",8.50,20,250,Tea/Green,\"The \"\"best\"\" tea\r\nfrom Lahijan\"\n"
    "TEA-2,Black tea,7.00,5,450,Tea / Black,\n"
    "MUG-1,Mug,12,10,300,,Plain mug\n";

TEST_F(Shopctl, ImportCreatesProductsAndNestedCategoriesFromQuotedFields) {
    const auto r = ctl({"--currency", "USD", "import-catalog", file("c.csv", catalog_csv)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("3 products created, 0 updated, 0 unchanged"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("3 categories created"), std::string::npos) << r.out;

    shop s = open();
    const product tea = s.catalog().product_by_sku(sys, "TEA-1");
    EXPECT_EQ(tea.name, "Green tea, loose");
    EXPECT_EQ(tea.description, "The \"best\" tea\r\nfrom Lahijan");
    EXPECT_EQ(tea.price, money::parse("8.50", currency::of("USD")));
    EXPECT_EQ(tea.weight, weight::of_grams(250));
    EXPECT_EQ(s.inventory().stock_of(sys, tea.id).on_hand, 20);
    ASSERT_TRUE(tea.category);
    const category green = s.catalog().category_by_id(sys, *tea.category);
    EXPECT_EQ(green.name, "Green");
    ASSERT_TRUE(green.parent);
    const category tea_root = s.catalog().category_by_id(sys, *green.parent);
    EXPECT_EQ(tea_root.name, "Tea");
    EXPECT_FALSE(tea_root.parent);
    const product black = s.catalog().product_by_sku(sys, "TEA-2");
    ASSERT_TRUE(black.category);
    EXPECT_EQ(s.catalog().category_by_id(sys, *black.category).parent, tea_root.id);
    const product mug = s.catalog().product_by_sku(sys, "MUG-1");
    EXPECT_FALSE(mug.category);
    EXPECT_EQ(mug.price, money::parse("12.00", currency::of("USD")));
    EXPECT_EQ(s.catalog().list_categories(sys).size(), 3U);
}

TEST_F(Shopctl, ImportIsIdempotentAndUpdatesExistingSkusButNotTheirStock) {
    ASSERT_EQ(ctl({"import-catalog", file("c.csv", catalog_csv)}).exit_code, 0);
    const auto again = ctl({"import-catalog", file("c.csv", catalog_csv)});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("0 products created, 0 updated, 3 unchanged"), std::string::npos)
        << again.out;
    EXPECT_NE(again.out.find("0 categories created"), std::string::npos) << again.out;

    // TEA-1 is renamed and described anew, TEA-2 costs more, holds other stock and moves to a
    // new category, the mug is as it was (the columns may come in any order; weight_grams is
    // missing, so every weight stays).
    const std::string changed =
        "price,sku,name,stock,category,description\n"
        "8.50,TEA-1,Green tea (loose),20,Tea/Green,First flush\n"
        "9.25,TEA-2,Black tea,99,Tea/Black/Assam,\n"
        "12.00,MUG-1,Mug,10,,Plain mug\n";
    const auto r = ctl({"import-catalog", file("d.csv", changed)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("0 products created, 2 updated, 1 unchanged"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 category created"), std::string::npos) << r.out;
    {
        shop s = open();
        const product green = s.catalog().product_by_sku(sys, "TEA-1");
        EXPECT_EQ(green.name, "Green tea (loose)");
        EXPECT_EQ(green.description, "First flush");
        EXPECT_EQ(green.weight, weight::of_grams(250)) << "a column the file lacks stays";
        const product black = s.catalog().product_by_sku(sys, "TEA-2");
        EXPECT_EQ(black.price, money::parse("9.25", currency::of("USD")));
        EXPECT_EQ(s.inventory().stock_of(sys, black.id).on_hand, 5) << "stock is not imported";
        ASSERT_TRUE(black.category);
        const category assam = s.catalog().category_by_id(sys, *black.category);
        EXPECT_EQ(assam.name, "Assam");
        ASSERT_TRUE(assam.parent);
        EXPECT_EQ(s.catalog().category_by_id(sys, *assam.parent).name, "Black");
    }

    const auto skip = ctl({"import-catalog", "--existing", "skip", file("c.csv", catalog_csv)});
    ASSERT_EQ(skip.exit_code, 0) << skip.err;
    EXPECT_NE(skip.out.find("0 products created, 0 updated, 0 unchanged, 3 skipped"),
              std::string::npos)
        << skip.out;
    shop s = open();
    EXPECT_EQ(s.catalog().product_by_sku(sys, "TEA-2").price,
              money::parse("9.25", currency::of("USD")));
}

constexpr const char* bad_csv =
    "sku,name,price,stock,weight_grams,category,description\n"
    "GOOD-1,Good one,1.00,1,10,Fresh/New,ok\n"
    "BAD-1,Too precise,12.999,1,10,,\n"
    "GOOD-1,Twice,1.00,1,10,,\n"
    "BAD-2,Short row,1.00\n"
    "BAD-3,Neg \"quote\",1.00,1,10,,\n"
    "BAD-4,Negative stock,1.00,-1,10,,\n"
    "GOOD-2,Good two,2.00,2,20,Fresh/Newer,\"multi\nline\"\n";

TEST_F(Shopctl, ImportWithABadRowReportsEveryLineAndImportsNothing) {
    const std::string path = file("bad.csv", bad_csv);
    const auto r = ctl({"import-catalog", path});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(path + ":3: price: '12.999' is not an amount in USD"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(path + ":4: sku: GOOD-1 is also on line 2"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(path + ":5: expected 7 fields, found 3"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(path + ":6: a quote inside an unquoted field"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(path + ":7: stock: '-1'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nothing imported: 5 bad rows of 7"), std::string::npos) << r.err;
    shop s = open();
    EXPECT_TRUE(s.catalog().list_products(sys, product_query{}).items.empty());
    EXPECT_TRUE(s.catalog().list_categories(sys).empty());
}

TEST_F(Shopctl, ImportWithSkipBadImportsTheGoodRows) {
    const auto r = ctl({"import-catalog", "--skip-bad", file("bad.csv", bad_csv)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("2 products created"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("3 categories created; 5 bad rows skipped"), std::string::npos) << r.out;
    shop s = open();
    EXPECT_EQ(s.catalog().product_by_sku(sys, "GOOD-1").name, "Good one");
    EXPECT_EQ(s.catalog().product_by_sku(sys, "GOOD-2").description, "multi\nline");
    EXPECT_THROW((void)s.catalog().product_by_sku(sys, "BAD-1"), not_found_error);
}

TEST_F(Shopctl, ImportDryRunWritesNothing) {
    { shop s = open(); }  // an empty shop
    const auto r = ctl({"import-catalog", "--dry-run", file("c.csv", catalog_csv)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("dry run, nothing written: 3 products to create, 0 to update, 0 "
                         "unchanged, 0 skipped (existing); 3 categories to create\n"),
              std::string::npos)
        << r.out;
    shop s = open();
    EXPECT_TRUE(s.catalog().list_products(sys, product_query{}).items.empty());
    EXPECT_TRUE(s.catalog().list_categories(sys).empty());
}

TEST_F(Shopctl, ImportGivesProductsWithTheSameNameDistinctSlugs) {
    const auto r = ctl({"import-catalog", file("n.csv",
                                               "sku,name,price\n"
                                               "T-100,Green tea,1.00\n"
                                               "T-250,Green tea,2.00\n")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    shop s = open();
    EXPECT_EQ(s.catalog().product_by_sku(sys, "T-100").slug, "green-tea");
    EXPECT_EQ(s.catalog().product_by_sku(sys, "T-250").slug, "green-tea-t-250");
}

// ---- create-admin -------------------------------------------------------------------------

TEST_F(Shopctl, CreateAdminPrintsTheDefaultPasswordOnceAndGrantsPermissions) {
    const auto r =
        ctl({"create-admin", "--phone", "+1 555 000 0001", "--first", "Ada", "--last", "Admin",
             "--permission", "manage_users", "--permission", "manage_catalog,manage_users"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex("default password: (\\S+)\n"))) << r.out;
    const std::string password = m[1];
    EXPECT_NE(r.out.find("phone: +15550000001\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("permissions: manage_catalog,manage_users\n"), std::string::npos) << r.out;

    shop s = open();
    const login_result in = s.accounts().login("+15550000001", password);
    EXPECT_TRUE(in.must_change_password);
    EXPECT_EQ(in.user.role, role::admin);
    EXPECT_EQ(in.user.first_name, "Ada");
    EXPECT_TRUE(in.user.has_permission(permission::manage_users));
    EXPECT_TRUE(in.user.has_permission(permission::manage_catalog));
    EXPECT_FALSE(in.user.has_permission(permission::manage_orders));
}

TEST_F(Shopctl, CreateAdminTakesThePasswordFromStdin) {
    const auto r = ctl({"create-admin", "--phone", "+15550000002", "--password-stdin"},
                       "a long enough passphrase\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find("password"), std::string::npos) << r.out;
    shop s = open();
    EXPECT_FALSE(
        s.accounts().login("+15550000002", "a long enough passphrase").must_change_password);
}

TEST_F(Shopctl, CreateAdminTwiceIsAConflict) {
    ASSERT_EQ(ctl({"create-admin", "--phone", "+15550000003"}).exit_code, 0);
    const auto r = ctl({"create-admin", "--phone", "+15550000003"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("shopctl: conflict (1400): "), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
}

// ---- users --------------------------------------------------------------------------------

struct person {
    std::int64_t id = 0;
    std::string phone, first, last;
    bool active = true, admin = false;
};

/// 105 users (more than one page of 100), with names that tie case-insensitively, every fifth
/// an admin, every seventh inactive, phones not in id order; the second one has logged in.
std::vector<person> make_people(shop& s) {
    const std::vector<std::string> lasts = {"Smith", "smith", "Adams", "Zed", "", "adams"};
    const std::vector<std::string> firsts = {"bob", "Alice", "alice", "Carl"};
    std::vector<person> people;
    for (int i = 0; i < 105; ++i) {
        registration r;
        r.phone = "+1555" + std::to_string(2000000 + (i * 7919) % 1000000);
        r.first_name = firsts[i % firsts.size()];
        r.last_name = lasts[i % lasts.size()];
        r.password = std::string("correct horse battery staple");
        const bool admin = i % 5 == 0;
        const user u = admin ? s.accounts().create_admin(sys, r, {permission::manage_orders}).user
                             : s.accounts().register_user(sys, r).user;
        const bool active = i % 7 != 3;
        if (!active) (void)s.accounts().set_active(sys, u.id, false);
        people.push_back({u.id.value(), u.phone, u.first_name, u.last_name, active, admin});
    }
    (void)s.accounts().login(people[1].phone, "correct horse battery staple");
    return people;
}

std::vector<std::int64_t> expected_order(std::vector<person> people, const std::string& sort,
                                         bool descending) {
    const auto key = [&](const person& p) {
        if (sort == "phone") return std::make_tuple(p.phone, std::string(), std::int64_t{0}, p.id);
        if (sort == "name") {
            return std::make_tuple(lower(p.last), lower(p.first), std::int64_t{0}, p.id);
        }
        const bool flag = sort == "active" ? p.active : p.admin;
        return std::make_tuple(std::string(), std::string(), std::int64_t{flag ? 1 : 0}, p.id);
    };
    std::sort(people.begin(), people.end(),
              [&](const person& a, const person& b) { return key(a) < key(b); });
    if (descending) std::reverse(people.begin(), people.end());
    std::vector<std::int64_t> ids;
    for (const person& p : people) ids.push_back(p.id);
    return ids;
}

TEST_F(Shopctl, UsersAreSortedByEachColumnInBothDirectionsAcrossPages) {
    std::vector<person> people;
    {
        shop s = open();
        people = make_people(s);
    }
    for (const std::string sort : {"phone", "name", "active", "admin"}) {
        for (const bool descending : {false, true}) {
            std::vector<std::string> args = {"users", "--format", "csv", "--sort", sort};
            if (descending) args.push_back("--desc");
            const auto r = ctl(args);
            ASSERT_EQ(r.exit_code, 0) << r.err;
            std::vector<std::int64_t> ids;
            for (const auto& row : csv_rows(r.out)) ids.push_back(std::stoll(row.at(0)));
            EXPECT_EQ(ids, expected_order(people, sort, descending))
                << "--sort " << sort << (descending ? " --desc" : "");
        }
    }
}

TEST_F(Shopctl, UsersShowRolesPermissionsActivityAndLastLogin) {
    std::vector<person> people;
    {
        shop s = open();
        people = make_people(s);
    }
    const auto r = ctl({"users", "--format", "csv", "--limit", "3"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 4U) << r.out;
    EXPECT_EQ(lines[0],
              "id,phone,first_name,last_name,email,role,active,phone_verified,deleted,"
              "permissions,joined_at,last_login_at");
    const auto expected = expected_order(people, "phone", false);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(std::stoll(csv_split(lines[i + 1]).at(0)), expected[i]);
    }

    const auto all = ctl({"users", "--format", "csv"});
    ASSERT_EQ(all.exit_code, 0) << all.err;
    std::size_t seen = 0;
    for (const auto& row : csv_rows(all.out)) {
        const auto it = std::find_if(people.begin(), people.end(),
                                     [&](const person& p) { return p.id == std::stoll(row[0]); });
        ASSERT_NE(it, people.end());
        ++seen;
        EXPECT_EQ(row[1], it->phone);
        EXPECT_EQ(row[5], it->admin ? "admin" : "customer");
        EXPECT_EQ(row[6], it->active ? "true" : "false");
        EXPECT_EQ(row[9], it->admin ? "manage_orders" : "");
        EXPECT_TRUE(std::regex_match(row[10], std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
        EXPECT_EQ(row[11].empty(), it->id != people[1].id) << row[11];
    }
    EXPECT_EQ(seen, people.size());

    const auto table = ctl({"users", "--role", "admin", "--sort", "name"});
    ASSERT_EQ(table.exit_code, 0) << table.err;
    const auto rows = lines_of(table.out);
    ASSERT_EQ(rows.size(), 1U + 21U) << table.out;  // the header and every fifth of 105
    EXPECT_TRUE(
        std::regex_search(rows[0], std::regex("^ *ID +PHONE +NAME +ROLE +ACTIVE +PERMISSIONS "
                                              "+JOINED +LAST LOGIN$")))
        << rows[0];
    for (std::size_t i = 1; i < rows.size(); ++i) {
        EXPECT_NE(rows[i].find(" admin "), std::string::npos) << rows[i];
        EXPECT_NE(rows[i].find(" never"), std::string::npos) << rows[i];
    }
}

// ---- exit codes ---------------------------------------------------------------------------

TEST_F(Shopctl, UsageErrorsExitWithTwo) {
    EXPECT_EQ(ctl({"frobnicate"}).exit_code, 2);
    EXPECT_EQ(ctl({}).exit_code, 2);
    EXPECT_EQ(run({"users"}).exit_code, 2) << "--db is required";
    EXPECT_EQ(ctl({"users", "--sort", "email"}).exit_code, 2);
    EXPECT_EQ(ctl({"users", "--limit", "0"}).exit_code, 2);
    EXPECT_EQ(ctl({"create-admin"}).exit_code, 2) << "--phone is required";
    EXPECT_EQ(ctl({"create-admin", "--phone", "+15550000009", "--permission", "root"}).exit_code,
              2);
    EXPECT_EQ(ctl({"reco"}).exit_code, 2);
    EXPECT_EQ(ctl({"reco", "product", "X", "--limit", "101"}).exit_code, 2);
    const auto help = ctl({"--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("import-catalog"), std::string::npos) << help.out;
    EXPECT_FALSE(fs::exists(db_)) << "a usage error opens no shop";
}

TEST_F(Shopctl, ShopcoreErrorsExitWithOneAndTheirCodeName) {
    { shop s = open(); }  // an empty shop in USD
    const auto phone = ctl({"create-admin", "--phone", "not a phone"});
    EXPECT_EQ(phone.exit_code, 1);
    EXPECT_NE(phone.err.find("shopctl: validation (1000): "), std::string::npos) << phone.err;

    const auto currency = ctl({"--currency", "EUR", "users"});
    EXPECT_EQ(currency.exit_code, 1);
    EXPECT_NE(currency.err.find("shopctl: validation (1000): currency: this shop was created "
                                "with currency USD, not EUR"),
              std::string::npos)
        << currency.err;

    const auto missing = run({"--db", (dir_ / "nothing-here.db").string(), "users"});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("no shop at"), std::string::npos) << missing.err;
    EXPECT_FALSE(fs::exists(dir_ / "nothing-here.db"));

    const auto no_file = ctl({"import-catalog", (dir_ / "absent.csv").string()});
    EXPECT_EQ(no_file.exit_code, 1);
    EXPECT_NE(no_file.err.find("cannot read"), std::string::npos) << no_file.err;
}

TEST_F(Shopctl, AnExistingShopKeepsItsCurrencyWithoutCurrencyOption) {
    { shop s = open("IRR"); }
    const auto r = run({"--db", db_, "import-catalog",
                        file("irr.csv",
                             "sku,name,price\n"
                             "SAF-1,Saffron,3250000\n")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    shop s = open("IRR");
    EXPECT_EQ(s.catalog().product_by_sku(sys, "SAF-1").price,
              money::parse("3250000", currency::of("IRR")));
}

// ---- reco ---------------------------------------------------------------------------------

/// Five teas imported through shopctl; six customers' orders: A with B three times, A with C
/// once, B with D once, and A alone (the last buyer, +15557000005).
class ShopctlReco : public Shopctl {
protected:
    void SetUp() override {
        Shopctl::SetUp();
        const auto imported = ctl({"import-catalog", file("teas.csv",
                                                          "sku,name,price,stock,category\n"
                                                          "A,Assam,5.00,100,Tea\n"
                                                          "B,Bancha,6.00,100,Tea\n"
                                                          "C,Ceylon,7.00,100,Tea\n"
                                                          "D,Darjeeling,8.00,100,Tea\n"
                                                          "E,Earl Grey,9.00,100,Tea\n")});
        ASSERT_EQ(imported.exit_code, 0) << imported.err;
        shop s = open();
        const std::vector<std::vector<std::string>> baskets = {{"A", "B"}, {"A", "B"}, {"A", "B"},
                                                               {"A", "C"}, {"B", "D"}, {"A"}};
        for (std::size_t i = 0; i < baskets.size(); ++i) {
            registration r;
            r.phone = "+155570000" + std::to_string(i).insert(0, 2 - std::to_string(i).size(), '0');
            r.password = std::string("correct horse battery staple");
            const actor buyer = actor::customer(s.accounts().register_user(sys, r).user.id);
            for (const std::string& sku : baskets[i]) {
                (void)s.carts().add_item(buyer, {}, s.catalog().product_by_sku(sys, sku).id, 1);
            }
            checkout_request c;
            c.idempotency_key = "order-" + std::to_string(i);
            purchase_info to;
            to.recipient_name = "Buyer";
            to.phone = r.phone;
            to.line1 = "1 Main St";
            to.city = "Springfield";
            to.country = "US";
            c.purchase = to;
            (void)s.orders().place_order(buyer, c);
        }
        last_buyer_ = "+15557000005";
    }

    std::string last_buyer_;
};

TEST_F(ShopctlReco, RebuildReportsProgressAsPlainLinesAndPrintsStats) {
    const auto r = ctl({"reco", "rebuild"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("orders learned: 6\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("likes learned: 0\n"), std::string::npos) << r.out;
    // A small shop: every pair counts.
    EXPECT_NE(r.out.find("min_support: 1\n"), std::string::npos) << r.out;
    EXPECT_TRUE(std::regex_search(r.out, std::regex("built at: \\d{4}-\\d\\d-\\d\\dT"))) << r.out;
    const auto lines = lines_of(r.err);
    ASSERT_FALSE(lines.empty()) << "no progress reported";
    EXPECT_LE(lines.size(), 11U);
    long previous = -1;
    for (const std::string& line : lines) {
        std::smatch m;
        ASSERT_TRUE(std::regex_match(line, m, std::regex(R"(rebuild: (\d+)% \((\d+)/(\d+)\))")))
            << line;
        const long tenth = std::stol(m[1]) / 10;
        EXPECT_GT(tenth, previous) << "at most one line per 10%";
        previous = tenth;
    }
    EXPECT_EQ(previous, 10) << "the last line says 100%";

    const auto bar = ctl({"--progress", "bar", "reco", "rebuild"});
    ASSERT_EQ(bar.exit_code, 0) << bar.err;
    EXPECT_NE(bar.err.find("\rrebuild ["), std::string::npos) << bar.err;
    EXPECT_EQ(bar.err.back(), '\n');

    const auto quiet = ctl({"--progress", "none", "reco", "rebuild"});
    EXPECT_EQ(quiet.err, "");
}

TEST_F(ShopctlReco, ProductShowsWhatWasBoughtTogetherBestFirst) {
    const auto csv = ctl({"reco", "product", "A", "--format", "csv"});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(csv.err, "") << "no progress off a terminal for a query";
    const auto rows = csv_rows(csv.out);
    ASSERT_GE(rows.size(), 2U) << csv.out;
    EXPECT_EQ(rows[0].at(1), "B");
    EXPECT_EQ(rows[0].at(4), "bought_together");
    EXPECT_EQ(rows[0].at(5), "A");
    EXPECT_EQ(rows[1].at(1), "C");
    EXPECT_GT(std::stod(rows[0].at(3)), std::stod(rows[1].at(3)));

    const auto table = ctl({"reco", "product", "A", "--limit", "1"});
    ASSERT_EQ(table.exit_code, 0) << table.err;
    const auto lines = lines_of(table.out);
    ASSERT_EQ(lines.size(), 3U) << table.out;
    EXPECT_NE(lines[0].find("related to A \"Assam\""), std::string::npos) << lines[0];
    EXPECT_TRUE(std::regex_search(lines[1], std::regex("PRODUCT +SKU +NAME +SCORE +REASON")));
    EXPECT_NE(lines[2].find("Bancha"), std::string::npos) << lines[2];
    EXPECT_NE(lines[2].find("bought together with A"), std::string::npos) << lines[2];

    shop s = open();
    const std::string id = std::to_string(s.catalog().product_by_sku(sys, "A").id.value());
    const auto by_id = ctl({"reco", "product", id, "--format", "csv"});
    ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
    EXPECT_EQ(by_id.out, csv.out);
}

TEST_F(ShopctlReco, UserGetsWhatOthersBoughtWithTheirPurchases) {
    const auto r = ctl({"reco", "user", last_buyer_, "--format", "csv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rows = csv_rows(r.out);
    ASSERT_FALSE(rows.empty()) << r.out;
    EXPECT_EQ(rows[0].at(1), "B");
    for (const auto& row : rows) EXPECT_NE(row.at(1), "A") << "already bought";

    shop s = open();
    std::string id;
    for (const user& u : s.accounts().list_users(sys, user_query{}).items) {
        if (u.phone == last_buyer_) id = std::to_string(u.id.value());
    }
    const auto by_id = ctl({"reco", "user", id, "--format", "csv"});
    ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
    EXPECT_EQ(by_id.out, r.out);
    const auto spaced = ctl({"reco", "user", "00 1 555 700 0005", "--format", "csv"});
    EXPECT_EQ(spaced.out, r.out) << spaced.err;
}

TEST_F(ShopctlReco, UnknownProductOrUserIsNotFound) {
    const auto product = ctl({"reco", "product", "NOPE"});
    EXPECT_EQ(product.exit_code, 1);
    EXPECT_NE(product.err.find("shopctl: not_found (1100): "), std::string::npos) << product.err;
    const auto user = ctl({"reco", "user", "+19990000000"});
    EXPECT_EQ(user.exit_code, 1);
    EXPECT_NE(user.err.find("shopctl: not_found (1100): no user with phone +19990000000"),
              std::string::npos)
        << user.err;
}

}  // namespace

#include "backend.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string_view>

#include <gtest/gtest.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace shopcore::test {

namespace {

std::string g_backend = "sqlite";
std::string g_url;

struct temp_root {
    std::filesystem::path path;
    temp_root() {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "shopcore-test-XXXXXX").string();
        if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path = tmpl;
    }
    ~temp_root() {
        std::error_code ec;
        if (std::getenv("SHOPCORE_KEEP_TEST_FILES") == nullptr)
            std::filesystem::remove_all(path, ec);
    }
};

temp_root& root() {
    static temp_root r;
    return r;
}

std::atomic<int> g_counter{0};

enum class kind_t { sqlite, postgresql, mysql };

kind_t kind_of(const std::string& url) {
    if (url.rfind("sqlite:", 0) == 0) return kind_t::sqlite;
    if (url.rfind("postgresql://", 0) == 0) return kind_t::postgresql;
    return kind_t::mysql;
}

// An independent reading of the URL forms the tests use (deliberately not the library's).
void open_raw(soci::session& s, const std::string& url) {
    switch (kind_of(url)) {
        case kind_t::sqlite:
            s.open(*soci::factory_sqlite3(), url.substr(7));
            break;
        case kind_t::postgresql:
        case kind_t::mysql: {
            // scheme://user[:password]@host:port/db
            std::string rest = url.substr(url.find("://") + 3);
            std::string userinfo = rest.substr(0, rest.find('@'));
            std::string hostport =
                rest.substr(rest.find('@') + 1, rest.find('/') - rest.find('@') - 1);
            std::string db = rest.substr(rest.find('/') + 1);
            const bool pg = kind_of(url) == kind_t::postgresql;
            std::string cs = (pg ? "dbname=" : "db=") + db +
                             " user=" + userinfo.substr(0, userinfo.find(':')) +
                             " host=" + hostport.substr(0, hostport.find(':')) +
                             " port=" + hostport.substr(hostport.find(':') + 1);
            if (userinfo.find(':') != std::string::npos) {
                cs += " password=" + userinfo.substr(userinfo.find(':') + 1);
            }
            if (pg) {
                s.open(*soci::factory_postgresql(), cs);
                s << "SET client_min_messages = WARNING";
            } else {
                s.open(*soci::factory_mysql(), cs);
            }
            break;
        }
    }
}

std::vector<std::string> table_names(soci::session& s, kind_t kind) {
    std::string sql;
    switch (kind) {
        case kind_t::sqlite:
            sql =
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name";
            break;
        case kind_t::postgresql:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename";
            break;
        case kind_t::mysql:
            sql =
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
                "ORDER BY table_name";
            break;
    }
    std::vector<std::string> out;
    soci::rowset<std::string> rs = (s.prepare << sql);
    for (const auto& name : rs) out.push_back(name);
    return out;
}

// A cell as text; strings quoted when `quoted` (the snapshot tells '1' from 1).
std::string cell(const soci::row& r, std::size_t i, bool quoted = true) {
    if (r.get_indicator(i) == soci::i_null) return "NULL";
    switch (r.get_properties(i).get_data_type()) {
        case soci::dt_string:
            return quoted ? "'" + r.get<std::string>(i) + "'" : r.get<std::string>(i);
        case soci::dt_integer:
            return std::to_string(r.get<int>(i));
        case soci::dt_long_long:
            return std::to_string(r.get<long long>(i));
        case soci::dt_unsigned_long_long:
            return std::to_string(r.get<unsigned long long>(i));
        case soci::dt_double:
            return "double!";  // shopcore never stores floating point
        default:
            return "?";
    }
}

}  // namespace

void parse_backend_args(int& argc, char** argv) {
    int out = 1;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a.rfind("--backend=", 0) == 0) {
            g_backend = std::string(a.substr(10));
        } else if (a.rfind("--url=", 0) == 0) {
            g_url = std::string(a.substr(6));
        } else {
            argv[out++] = argv[i];
        }
    }
    argc = out;
    if (g_backend != "sqlite" && g_url.empty()) {
        const char* env = std::getenv(g_backend == "postgresql" ? "SHOPCORE_TEST_PG_URL"
                                                                : "SHOPCORE_TEST_MYSQL_URL");
        if (env != nullptr) g_url = env;
    }
}

const std::string& backend() { return g_backend; }

std::string temp_dir() {
    auto p = root().path / ("d" + std::to_string(getpid()) + "-" + std::to_string(g_counter++));
    std::filesystem::create_directories(p);
    return p.string();
}

std::string fresh_url() {
    if (g_backend == "sqlite") {
        return "sqlite:" + (std::filesystem::path(temp_dir()) / "shop.db").string();
    }
    if (g_url.empty()) {
        // Checked here, not at start-up, so that listing the tests works without a server.
        throw std::runtime_error("--backend=" + g_backend +
                                 " needs --url= or SHOPCORE_TEST_PG_URL/SHOPCORE_TEST_MYSQL_URL");
    }
    soci::session s;
    open_raw(s, g_url);
    auto kind = kind_of(g_url);
    if (kind == kind_t::postgresql) {
        s << "DROP SCHEMA public CASCADE";
        s << "CREATE SCHEMA public";
    } else {
        s << "SET FOREIGN_KEY_CHECKS = 0";
        for (const auto& t : table_names(s, kind)) s << "DROP TABLE `" + t + "`";
        s << "SET FOREIGN_KEY_CHECKS = 1";
    }
    return g_url;
}

std::map<std::string, std::vector<std::string>> snapshot(const std::string& url) {
    soci::session s;
    open_raw(s, url);
    auto kind = kind_of(url);
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& t : table_names(s, kind)) {
        auto& rows = out[t];
        soci::rowset<soci::row> rs = (s.prepare << "SELECT * FROM " + t);
        for (const auto& r : rs) {
            std::string line;
            for (std::size_t i = 0; i < r.size(); ++i) line += cell(r, i) + "|";
            rows.push_back(line);
        }
        std::sort(rows.begin(), rows.end());
    }
    return out;
}

sql_view::sql_view(const std::string& url) : s_(std::make_unique<soci::session>()) {
    open_raw(*s_, url);
}

sql_view::~sql_view() = default;

std::vector<std::vector<std::string>> sql_view::rows(const std::string& sql) {
    std::vector<std::vector<std::string>> out;
    soci::rowset<soci::row> rs = (s_->prepare << sql);
    for (const soci::row& r : rs) {
        std::vector<std::string> cells;
        for (std::size_t i = 0; i < r.size(); ++i) cells.push_back(cell(r, i, false));
        out.push_back(std::move(cells));
    }
    return out;
}

std::int64_t sql_view::integer(const std::string& sql) {
    const auto r = rows(sql);
    if (r.size() != 1 || r[0].size() != 1 || r[0][0] == "NULL") {
        ADD_FAILURE() << "expected one value from " << sql;
        return -1;
    }
    return std::stoll(r[0][0]);
}

}  // namespace shopcore::test

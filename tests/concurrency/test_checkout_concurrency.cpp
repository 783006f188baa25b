// Checkouts racing for the same stock, the same code and the same idempotency key, from real
// processes (each with its own connections) released together by a start barrier.
//
// - The last 50 units: 16 processes (SQLite) or 32 processes with one connection each
//   (PostgreSQL, MariaDB) make 200 checkouts each of random carts holding 1-3 of the contested
//   units and some plentiful products. Each child logs every acknowledged order and every
//   refusal; the parent checks in the database, with its own SQL, that nothing was oversold,
//   that the stock equals the initial stock minus exactly what the orders hold, that the
//   acknowledged orders are exactly the orders stored, and that every refusal was for stock.
// - A code limited to 10 uses, in the carts of 200 customers placing at once: 10 orders carry
//   it, it counts 10 uses, the 190 others are refused as "exhausted" and write nothing.
// - 50 placements of one customer's cart with one idempotency key at once: one order, and all
//   50 calls return it.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <latch>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <shopcore/shop.hpp>

#include "backend.hpp"

namespace {

using namespace shopcore;

std::string g_self;

// ---- the shop every process opens ----------------------------------------------------------

constexpr std::int64_t contested_stock = 50;
constexpr std::int64_t plentiful_stock = 1'000'000;
constexpr int checkouts_per_worker = 200;
constexpr int code_customers = 200;
constexpr int code_workers = 8;  // x 25 threads: 200 placements at once
constexpr std::int64_t code_limit = 10;
constexpr int key_workers = 5;  // x 10 threads: 50 placements at once
constexpr int key_threads = 10;

int checkout_workers() { return test::backend() == "sqlite" ? 16 : 32; }

bool is_sqlite(const std::string& url) { return url.rfind("sqlite:", 0) == 0; }

// US only: 5.00 up to 4,999 g, then 2.00 per started kilogram.
shipping_method ground() {
    const currency usd = currency::of("USD");
    shipping_method m;
    m.code = "ground";
    m.name = "Ground";
    m.zones = {shipping_zone{"US", ""}};
    m.bands = {weight_band{weight::of_grams(4999), money::parse("5.00", usd)}};
    m.excess = excess_rule{weight::of_grams(1000), money::parse("2.00", usd)};
    return m;
}

// Generous waits and retries: the point is to see what contention does to correctness, and a
// busy database that gives up is reported as a failure, never counted as a refusal.
shop_options options(int pool_size) {
    shop_options o;
    o.currency = "USD";
    o.synchronous = sqlite_synchronous::normal;
    o.busy_timeout_ms = 30000;
    o.max_attempts = 50;
    o.pool_size = pool_size;
    o.accounts.cost = password_cost::testing_only_insecure;
    o.shipping_methods = {ground()};
    return o;
}

std::string phone_of(int n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "+1555%07d", n);
    return buf;
}

// A customer with a default address in California (where `ground` delivers).
actor register_buyer(shop& s, int n) {
    registration r;
    r.phone = phone_of(n);
    r.first_name = "Buyer";
    r.last_name = std::to_string(n);
    r.password = std::string("correct horse battery staple");
    const actor who = actor::customer(s.accounts().register_user(actor::anonymous(), r).user.id);
    address home;
    home.label = "home";
    home.recipient_name = "Buyer " + std::to_string(n);
    home.line1 = "1 Market Street";
    home.city = "San Francisco";
    home.province = "CA";
    home.postal_code = "94105";
    home.country = "US";
    home.is_default = true;
    profile_update u;
    u.addresses = std::vector<address>{home};
    (void)s.accounts().update_profile(who, u);
    return who;
}

product make_product(shop& s, const std::string& sku, std::int64_t stock) {
    new_product p;
    p.sku = sku;
    p.name = "Product " + sku;
    p.price = money::parse("9.99", currency::of("USD"));
    p.weight = weight::of_grams(100);
    p.initial_stock = stock;
    return s.catalog().create_product(actor::system(), p);
}

checkout_request keyed(const std::string& key) {
    checkout_request r;
    r.idempotency_key = key;
    return r;
}

// "kind: message" of anything a child did not expect.
std::string describe(const std::exception& e) {
    if (const auto* x = dynamic_cast<const shopcore::error*>(&e)) {
        return std::string(error_code_name(x->code())) + ": " + e.what();
    }
    return std::string("std::exception: ") + e.what();
}

// ---- the start barrier ---------------------------------------------------------------------
//
// The parent holds the write end of a "start" pipe and the read end of a "ready" pipe; each
// child writes one byte to "ready" when it is set up, then blocks reading "start". When every
// child is ready the parent closes "start", and all the reads return at once (end of file).

void ready_and_wait(int ready_fd, int start_fd) {
    const char byte = 'r';
    while (write(ready_fd, &byte, 1) < 0 && errno == EINTR) {
    }
    close(ready_fd);
    char c = 0;
    while (read(start_fd, &c, 1) < 0 && errno == EINTR) {
    }
    close(start_fd);
}

// Starts `n` children (this executable with "--child", `args(i)`, then the two barrier fds),
// releases them together once all are ready, and waits for them. Fails the test if a child
// did not get ready or did not exit with 0.
void run_workers(int n, const std::function<std::vector<std::string>(int)>& args) {
    int start[2];
    int ready[2];
    ASSERT_EQ(pipe2(start, O_CLOEXEC), 0);
    ASSERT_EQ(pipe2(ready, O_CLOEXEC), 0);
    std::vector<pid_t> children;
    for (int w = 0; w < n; ++w) {
        std::vector<std::string> words = {g_self, "--child"};
        for (auto& a : args(w)) words.push_back(std::move(a));
        words.push_back(std::to_string(ready[1]));
        words.push_back(std::to_string(start[0]));
        std::vector<char*> argv;
        for (auto& word : words) argv.push_back(word.data());
        argv.push_back(nullptr);
        const pid_t pid = fork();
        if (pid == -1) {
            ADD_FAILURE() << "fork failed: " << std::strerror(errno);
            break;  // release and reap the children already started
        }
        if (pid == 0) {
            // exec at once: no connection or library state crosses the fork. Only the child's
            // ends of the two pipes survive the exec.
            fcntl(ready[1], F_SETFD, 0);
            fcntl(start[0], F_SETFD, 0);
            execv(argv[0], argv.data());
            _exit(127);
        }
        children.push_back(pid);
    }
    close(start[0]);
    close(ready[1]);
    int readies = 0;
    char buf[64];
    for (;;) {
        const ssize_t got = read(ready[0], buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;  // every child has written its byte (or died)
        readies += static_cast<int>(got);
        if (readies == static_cast<int>(children.size())) break;
    }
    close(ready[0]);
    const auto released = std::chrono::steady_clock::now();
    close(start[1]);  // go
    for (const pid_t c : children) {
        int status = 0;
        ASSERT_EQ(waitpid(c, &status, 0), c);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - released)
                        .count();
    std::cout << "[ workers  ] " << n << " processes ran " << ms << " ms after the start signal\n";
    EXPECT_EQ(readies, n) << "not every child got ready";
}

std::vector<std::string> lines_of_file(const std::string& path) {
    std::vector<std::string> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) out.push_back(line);
    return out;
}

// ---- an independent look at the database ---------------------------------------------------
//
// The parent reads the results with its own SOCI session and plain SQL, not through shopcore.

using database_view = shopcore::test::sql_view;

std::string id_sql(std::int64_t id) { return std::to_string(id); }

// ---- children ------------------------------------------------------------------------------

struct child_args {
    std::string scenario;
    std::string url;
    int worker = 0;
    std::string out;
    std::vector<std::string> extra;
    int ready_fd = -1;
    int start_fd = -1;
};

// 200 checkouts, each by its own customer. Every customer gets a random cart (1-3 contested
// units and 0-2 plentiful products, added in random order) before the start signal, while
// nothing is sold yet (so add_item never refuses here: every attempt reaches place_order), and
// then all 200 placements of every process compete for the stock that is left. Logs
//   ack <number> <contested units> <microseconds>        an acknowledged order
//   short <requested> <available> <microseconds>         place_order refused for stock
// and anything else as "bad ..." (wrong refusal details) or "error ..." (another error).
int checkout_child(const child_args& a) {
    std::ofstream out(a.out);
    const product_id contested(std::stoll(a.extra.at(0)));
    std::vector<product_id> plentiful;
    for (std::size_t i = 1; i < a.extra.size(); ++i) {
        plentiful.emplace_back(std::stoll(a.extra[i]));
    }
    try {
        shop s = shop::open(a.url, options(1));
        std::mt19937_64 rng(static_cast<std::uint64_t>(a.worker) * 7919 + 11);
        std::uniform_int_distribution<int> units(1, 3);
        std::uniform_int_distribution<int> extras(0, 2);
        struct checkout {
            actor who;
            std::int64_t wanted = 0;  // contested units in the cart
            std::size_t lines = 0;    // lines in the cart
        };
        std::vector<checkout> plan;
        for (int i = 0; i < checkouts_per_worker; ++i) {
            checkout c;
            c.who = register_buyer(s, 100000 + a.worker * 1000 + i);
            std::vector<std::pair<product_id, std::int64_t>> content = {{contested, units(rng)}};
            c.wanted = content[0].second;
            std::vector<product_id> others = plentiful;
            std::shuffle(others.begin(), others.end(), rng);
            const int n = extras(rng);
            for (int k = 0; k < n; ++k) content.emplace_back(others[k], units(rng));
            std::shuffle(content.begin(), content.end(), rng);
            c.lines = content.size();
            // Nothing is sold before the start: any refusal here is an error.
            for (const auto& [p, q] : content) (void)s.carts().add_item(c.who, cart_ref{}, p, q);
            plan.push_back(c);
        }
        ready_and_wait(a.ready_fd, a.start_fd);
        for (std::size_t i = 0; i < plan.size(); ++i) {
            const checkout& c = plan[i];
            const auto t0 = std::chrono::steady_clock::now();
            const auto micros = [&] {
                return std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - t0)
                    .count();
            };
            try {
                const order o = s.orders().place_order(
                    c.who, keyed("w" + std::to_string(a.worker) + "-" + std::to_string(i)));
                const std::int64_t us = micros();
                std::int64_t units_sold = 0;
                for (const order_line& l : o.lines) {
                    if (l.product == contested) units_sold += l.quantity;
                }
                out << "ack " << o.number << ' ' << units_sold << ' ' << us << '\n';
                if (units_sold != c.wanted || o.lines.size() != c.lines) {
                    out << "bad order " << o.number << " holds other lines than the cart\n";
                }
            } catch (const insufficient_stock_error& e) {
                const std::int64_t us = micros();
                bool right = !e.shortages().empty();
                for (const stock_shortage& x : e.shortages()) {
                    right = right && x.product == contested && x.requested == c.wanted &&
                            x.available < x.requested && x.available >= 0;
                }
                if (!right) {
                    out << "bad place refusal: " << e.what() << '\n';
                } else {
                    out << "short " << e.requested() << ' ' << e.available() << ' ' << us << '\n';
                }
            }
            out.flush();
        }
    } catch (const std::exception& e) {
        out << "error " << describe(e) << '\n';
        return 2;
    }
    return 0;
}

// `threads` customers, each with one plentiful unit and the limited code in the cart, place
// at once. Logs "ok <number>", "exhausted", or "bad ..."/"error ..." per customer.
int limited_code_child(const child_args& a) {
    std::ofstream out(a.out);
    const product_id item(std::stoll(a.extra.at(0)));
    const std::string code = a.extra.at(1);
    const int threads = std::stoi(a.extra.at(2));
    try {
        shop s = shop::open(a.url, options(is_sqlite(a.url) ? threads : 8));
        std::vector<actor> buyers;
        for (int t = 0; t < threads; ++t) {
            const actor who = register_buyer(s, 2000 + a.worker * 100 + t);
            (void)s.carts().add_item(who, cart_ref{}, item, 1);
            (void)s.carts().apply_code(who, cart_ref{}, code);
            buyers.push_back(who);
        }
        std::vector<std::string> results(static_cast<std::size_t>(threads));
        std::latch go(1);
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&, t] {
                const actor who = buyers[static_cast<std::size_t>(t)];
                std::string& result = results[static_cast<std::size_t>(t)];
                go.wait();
                try {
                    const order o = s.orders().place_order(who, keyed("limited"));
                    result = "ok " + o.number;
                    if (o.codes.size() != 1 || o.codes[0].code != code) {
                        result += "\nbad order " + o.number + " does not carry the code";
                    }
                } catch (const discount_rejected_error& e) {
                    result = e.reason() == "exhausted" && e.code_text() == code
                                 ? "exhausted"
                                 : "bad rejection " + e.reason() + ": " + e.what();
                    // Nothing was written: the cart still holds its line and the code.
                    try {
                        const cart k = s.carts().get(who, cart_ref{});
                        if (k.lines.size() != 1 || k.lines[0].quantity != 1 ||
                            k.codes != std::vector<std::string>{code}) {
                            result += "\nbad cart changed by a refused placement";
                        }
                    } catch (const std::exception& x) {
                        result += "\nerror " + describe(x);
                    }
                } catch (const std::exception& e) {
                    result = "error " + describe(e);
                }
            });
        }
        ready_and_wait(a.ready_fd, a.start_fd);
        go.count_down();
        for (auto& t : pool) t.join();
        for (const std::string& r : results) out << r << '\n';
    } catch (const std::exception& e) {
        out << "error " << describe(e) << '\n';
        return 2;
    }
    return 0;
}

// `threads` placements of one customer's cart with one key. Logs "ok <id> <number>" each.
int same_key_child(const child_args& a) {
    std::ofstream out(a.out);
    const actor who = actor::customer(user_id(std::stoll(a.extra.at(0))));
    const std::string key = a.extra.at(1);
    const int threads = std::stoi(a.extra.at(2));
    try {
        shop s = shop::open(a.url, options(threads));
        std::vector<std::string> results(static_cast<std::size_t>(threads));
        std::latch go(1);
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&, t] {
                std::string& result = results[static_cast<std::size_t>(t)];
                go.wait();
                try {
                    const order o = s.orders().place_order(who, keyed(key));
                    result = "ok " + std::to_string(o.id.value()) + ' ' + o.number;
                } catch (const std::exception& e) {
                    result = "error " + describe(e);
                }
            });
        }
        ready_and_wait(a.ready_fd, a.start_fd);
        go.count_down();
        for (auto& t : pool) t.join();
        for (const std::string& r : results) out << r << '\n';
    } catch (const std::exception& e) {
        out << "error " << describe(e) << '\n';
        return 2;
    }
    return 0;
}

int run_child(const std::vector<std::string>& words) {
    // scenario url worker out [extra...] ready_fd start_fd
    if (words.size() < 6) return 64;
    child_args a;
    a.scenario = words[0];
    a.url = words[1];
    a.worker = std::stoi(words[2]);
    a.out = words[3];
    a.extra.assign(words.begin() + 4, words.end() - 2);
    a.ready_fd = std::stoi(words[words.size() - 2]);
    a.start_fd = std::stoi(words[words.size() - 1]);
    if (a.scenario == "checkout") return checkout_child(a);
    if (a.scenario == "limited-code") return limited_code_child(a);
    if (a.scenario == "same-key") return same_key_child(a);
    return 64;
}

// ---- the tests -----------------------------------------------------------------------------

TEST(CheckoutConcurrency, TheLastUnitsAreNeverOversoldAndEveryAcknowledgedOrderExists) {
    const std::string url = test::fresh_url();
    const int workers = checkout_workers();
    product_id contested;
    std::vector<product> plentiful;
    {
        shop s = shop::open(url, options(1));
        contested = make_product(s, "LAST-UNITS", contested_stock).id;
        for (int i = 0; i < 3; ++i) {
            plentiful.push_back(make_product(s, "PLENTY-" + std::to_string(i), plentiful_stock));
        }
    }
    std::map<std::int64_t, std::int64_t> initial = {{contested.value(), contested_stock}};
    for (const product& p : plentiful) initial[p.id.value()] = plentiful_stock;
    {
        database_view db(url);
        EXPECT_EQ(
            db.integer("SELECT on_hand FROM stock WHERE product_id = " + id_sql(contested.value())),
            contested_stock);
    }

    const std::string dir = test::temp_dir();
    const auto log_of = [&](int w) { return dir + "/checkout-" + std::to_string(w) + ".log"; };
    ASSERT_NO_FATAL_FAILURE(run_workers(workers, [&](int w) {
        std::vector<std::string> args = {"checkout", url, std::to_string(w), log_of(w),
                                         std::to_string(contested.value())};
        for (const product& p : plentiful) args.push_back(std::to_string(p.id.value()));
        return args;
    }));

    // What the children saw.
    std::map<std::string, std::int64_t> acknowledged;  // number -> contested units
    std::int64_t refused = 0;
    std::vector<std::int64_t> latencies;
    for (int w = 0; w < workers; ++w) {
        for (const std::string& line : lines_of_file(log_of(w))) {
            std::istringstream f(line);
            std::string kind;
            f >> kind;
            if (kind == "ack") {
                std::string number;
                std::int64_t units = 0;
                std::int64_t us = 0;
                f >> number >> units >> us;
                EXPECT_TRUE(acknowledged.emplace(number, units).second) << "twice: " << number;
                latencies.push_back(us);
            } else if (kind == "short") {
                ++refused;
                std::int64_t requested = 0;
                std::int64_t available = 0;
                std::int64_t us = 0;
                f >> requested >> available >> us;
                latencies.push_back(us);
            } else {
                ADD_FAILURE() << "worker " << w << ": " << line;
            }
        }
    }
    const std::int64_t attempts = std::int64_t{workers} * checkouts_per_worker;
    EXPECT_EQ(static_cast<std::int64_t>(acknowledged.size()) + refused, attempts)
        << "every checkout ends in an order or a stock refusal";
    std::sort(latencies.begin(), latencies.end());
    const std::int64_t p99 =
        latencies.empty() ? 0 : latencies[(latencies.size() * 99 + 99) / 100 - 1];
    std::cout << "[ checkout ] " << test::backend() << ": " << attempts << " checkouts by "
              << workers << " processes: " << acknowledged.size() << " orders, " << refused
              << " refused for stock; place_order p99 " << p99 / 1000 << " ms, max "
              << (latencies.empty() ? 0 : latencies.back() / 1000) << " ms\n";

    // What the database holds.
    database_view db(url);
    std::map<std::string, std::int64_t> stored;  // number -> contested units
    for (const auto& r : db.rows("SELECT number FROM shop_order")) stored[r[0]] = 0;
    for (const auto& r : db.rows("SELECT o.number, l.quantity FROM shop_order o JOIN order_line l "
                                 "ON l.order_id = o.id WHERE l.product_id = " +
                                 id_sql(contested.value()))) {
        stored[r[0]] += std::stoll(r[1]);
    }
    EXPECT_EQ(stored.size(), acknowledged.size()) << "orders in the database != acknowledged";
    for (const auto& [number, units] : acknowledged) {
        const auto it = stored.find(number);
        if (it == stored.end()) {
            ADD_FAILURE() << "acknowledged order " << number << " is not in the database";
        } else {
            EXPECT_EQ(it->second, units) << "order " << number;
        }
    }
    std::int64_t sold = 0;
    for (const auto& [number, units] : stored) sold += units;
    const std::int64_t left =
        db.integer("SELECT on_hand FROM stock WHERE product_id = " + id_sql(contested.value()));
    EXPECT_LE(sold, contested_stock) << "oversold";
    EXPECT_GE(left, 0);
    EXPECT_EQ(contested_stock, left + sold) << "stock before != stock after + units sold";
    EXPECT_EQ(left, 0) << "the workload should sell the last unit";

    // Every product: initial stock == on hand + units in orders; the movement log agrees and
    // never went below zero.
    for (const auto& [pid, start] : initial) {
        std::int64_t in_orders = 0;
        for (const auto& r :
             db.rows("SELECT quantity FROM order_line WHERE product_id = " + id_sql(pid))) {
            in_orders += std::stoll(r[0]);
        }
        const std::int64_t on_hand =
            db.integer("SELECT on_hand FROM stock WHERE product_id = " + id_sql(pid));
        EXPECT_EQ(start, on_hand + in_orders) << "product " << pid;
        std::int64_t deltas = 0;
        for (const auto& r : db.rows("SELECT delta, on_hand_after FROM stock_movement "
                                     "WHERE product_id = " +
                                     id_sql(pid))) {
            deltas += std::stoll(r[0]);
            EXPECT_GE(std::stoll(r[1]), 0) << "product " << pid << " went below zero";
        }
        EXPECT_EQ(deltas, on_hand) << "product " << pid;
    }
    // Every stored order is whole: lines, a history entry, its totals.
    EXPECT_EQ(db.integer("SELECT COUNT(*) FROM shop_order o WHERE NOT EXISTS "
                         "(SELECT 1 FROM order_line l WHERE l.order_id = o.id)"),
              0);
    EXPECT_EQ(db.integer("SELECT COUNT(*) FROM order_history"),
              static_cast<std::int64_t>(stored.size()));
}

TEST(CheckoutConcurrency, ACodeLimitedToTenUsesIsUsedExactlyTenTimes) {
    const std::string url = test::fresh_url();
    const std::string code = "TENONLY";
    product item;
    discount_id code_id;
    {
        shop s = shop::open(url, options(1));
        item = make_product(s, "ITEM", plentiful_stock);
        new_discount_code d;
        d.code = code;
        d.description = "Ten uses only";
        d.kind = discount_kind::percentage;
        d.percent = ratio::percent(10);
        d.usage_limit = code_limit;
        code_id = s.discounts().create(actor::system(), d).id;
    }
    const int threads = code_customers / code_workers;
    const std::string dir = test::temp_dir();
    const auto log_of = [&](int w) { return dir + "/code-" + std::to_string(w) + ".log"; };
    ASSERT_NO_FATAL_FAILURE(run_workers(code_workers, [&](int w) {
        return std::vector<std::string>{"limited-code",
                                        url,
                                        std::to_string(w),
                                        log_of(w),
                                        std::to_string(item.id.value()),
                                        code,
                                        std::to_string(threads)};
    }));

    std::set<std::string> placed;
    int exhausted = 0;
    for (int w = 0; w < code_workers; ++w) {
        for (const std::string& line : lines_of_file(log_of(w))) {
            if (line.rfind("ok ", 0) == 0) {
                EXPECT_TRUE(placed.insert(line.substr(3)).second) << line;
            } else if (line == "exhausted") {
                ++exhausted;
            } else {
                ADD_FAILURE() << "worker " << w << ": " << line;
            }
        }
    }
    EXPECT_EQ(static_cast<std::int64_t>(placed.size()), code_limit);
    EXPECT_EQ(exhausted, code_customers - code_limit);

    database_view db(url);
    const std::string cid = id_sql(code_id.value());
    EXPECT_EQ(db.integer("SELECT times_used FROM discount_code WHERE id = " + cid), code_limit);
    EXPECT_EQ(db.integer("SELECT COUNT(*) FROM discount_use WHERE released_at IS NULL AND "
                         "discount_id = " +
                         cid),
              code_limit);
    EXPECT_EQ(db.integer("SELECT COUNT(*) FROM discount_use"), code_limit);
    EXPECT_EQ(db.integer("SELECT COUNT(*) FROM shop_order"), code_limit) << "a refusal wrote";
    std::set<std::string> carrying;
    for (const auto& r : db.rows("SELECT o.number FROM shop_order o JOIN order_code c "
                                 "ON c.order_id = o.id WHERE c.discount_id = " +
                                 cid)) {
        carrying.insert(r[0]);
    }
    EXPECT_EQ(carrying, placed) << "the orders carrying the code are not the acknowledged ones";
    EXPECT_EQ(db.integer("SELECT on_hand FROM stock WHERE product_id = " + id_sql(item.id.value())),
              plentiful_stock - code_limit);
    // The refused customers' carts are still open with their line: only the ten placed ones
    // were closed.
    EXPECT_EQ(db.integer("SELECT COUNT(*) FROM cart WHERE owner_id IS NOT NULL AND EXISTS "
                         "(SELECT 1 FROM cart_line l WHERE l.cart_id = cart.id)"),
              code_customers - code_limit);
    EXPECT_EQ(db.integer("SELECT COUNT(*) FROM cart WHERE owner_id IS NULL"), code_limit);
    // And the library agrees.
    shop s = shop::open(url, options(1));
    EXPECT_EQ(s.discounts().by_id(actor::system(), code_id).times_used, code_limit);
}

TEST(CheckoutConcurrency, FiftyPlacementsWithOneKeyMakeOneOrderAndAllReturnIt) {
    const std::string url = test::fresh_url();
    const std::string key = "double-click";
    product item;
    actor who;
    {
        shop s = shop::open(url, options(1));
        item = make_product(s, "ITEM", 100);
        who = register_buyer(s, 3000);
        (void)s.carts().add_item(who, cart_ref{}, item.id, 2);
    }
    const std::string dir = test::temp_dir();
    const auto log_of = [&](int w) { return dir + "/key-" + std::to_string(w) + ".log"; };
    ASSERT_NO_FATAL_FAILURE(run_workers(key_workers, [&](int w) {
        return std::vector<std::string>{"same-key",
                                        url,
                                        std::to_string(w),
                                        log_of(w),
                                        std::to_string(who.user().value()),
                                        key,
                                        std::to_string(key_threads)};
    }));

    std::map<std::string, int> returned;  // "<id> <number>" -> calls
    int calls = 0;
    for (int w = 0; w < key_workers; ++w) {
        for (const std::string& line : lines_of_file(log_of(w))) {
            if (line.rfind("ok ", 0) == 0) {
                ++returned[line.substr(3)];
                ++calls;
            } else {
                ADD_FAILURE() << "worker " << w << ": " << line;
            }
        }
    }
    EXPECT_EQ(calls, key_workers * key_threads);
    EXPECT_EQ(returned.size(), 1u) << "the calls returned different orders";

    database_view db(url);
    const auto orders = db.rows("SELECT id, number FROM shop_order");
    ASSERT_EQ(orders.size(), 1u) << "one key made several orders";
    EXPECT_EQ(returned.begin()->first, orders[0][0] + ' ' + orders[0][1]);
    EXPECT_EQ(db.integer("SELECT on_hand FROM stock WHERE product_id = " + id_sql(item.id.value())),
              98)
        << "the stock was taken more or less than once";
    EXPECT_EQ(db.integer("SELECT COUNT(*) FROM order_history"), 1);
    EXPECT_EQ(db.integer("SELECT COUNT(*) FROM stock_movement WHERE delta < 0"), 1);
}

}  // namespace

int main(int argc, char** argv) {
    g_self = "/proc/self/exe";
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) g_self.assign(buf, static_cast<std::size_t>(n));
    if (argc >= 2 && std::string(argv[1]) == "--child") {
        return run_child(std::vector<std::string>(argv + 2, argv + argc));
    }
    testing::InitGoogleTest(&argc, argv);
    shopcore::test::parse_backend_args(argc, argv);
    return RUN_ALL_TESTS();
}

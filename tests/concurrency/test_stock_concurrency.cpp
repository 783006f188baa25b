// Eight processes adjust and take stock of the same two products at once. Each child logs
// every operation that succeeded; the parent checks that the final stock equals the initial
// stock plus exactly the successful deltas, that the audit log agrees, and that every refusal
// was an insufficient_stock error carrying the real availability.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <shopcore/shop.hpp>

#include "backend.hpp"

namespace {

constexpr int processes = 8;
constexpr int operations_per_process = 150;

std::string g_self;

shopcore::shop_options options() {
    shopcore::shop_options o;
    o.currency = "USD";
    o.pool_size = 1;
    o.synchronous = shopcore::sqlite_synchronous::normal;
    o.busy_timeout_ms = 20000;
    o.max_attempts = 50;
    return o;
}

// Child: performs random operations and appends one line per outcome to `out_path`.
int run_child(const std::string& url, int worker, const std::string& out_path) {
    using namespace shopcore;
    std::ofstream out(out_path);
    try {
        shop s = shop::open(url, options());
        const actor staff = actor::system();
        std::mt19937_64 rng(static_cast<std::uint64_t>(worker) * 7919 + 17);
        std::uniform_int_distribution<int> pick(0, 99);
        for (int i = 0; i < operations_per_process; ++i) {
            const product_id pid(1 + (pick(rng) % 2));
            const int roll = pick(rng);
            try {
                if (roll < 65) {
                    const std::int64_t units = 1 + pick(rng) % 3;
                    s.inventory().take_stock(staff, pid, quantity::of(units), "sold");
                    out << "ok " << pid.value() << ' ' << -units << '\n';
                } else {
                    const std::int64_t delta = roll < 85 ? 1 + pick(rng) % 2 : -(1 + pick(rng) % 2);
                    s.inventory().adjust_stock(staff, pid, delta, "count");
                    out << "ok " << pid.value() << ' ' << delta << '\n';
                }
            } catch (const insufficient_stock_error& e) {
                if (e.available() >= e.requested() || e.available() < 0) {
                    out << "bad-refusal " << e.what() << '\n';
                } else {
                    out << "short " << pid.value() << '\n';
                }
            }
            out.flush();
        }
    } catch (const std::exception& e) {
        out << "error " << e.what() << '\n';
        return 2;
    }
    return 0;
}

TEST(StockConcurrency, ProcessesNeverOversellAndStockMatchesTheSuccessfulOperations) {
    using namespace shopcore;
    const std::string url = test::fresh_url();
    const std::int64_t initial[2] = {50, 20};
    {
        shop s = shop::open(url, options());
        for (int i = 0; i < 2; ++i) {
            new_product p;
            p.sku = "HOT-" + std::to_string(i + 1);
            p.name = "Hot item " + std::to_string(i + 1);
            p.price = money::parse("9.99", currency::of("USD"));
            p.initial_stock = initial[i];
            ASSERT_EQ(s.catalog().create_product(actor::system(), p).id.value(), i + 1);
        }
    }
    const std::string dir = test::temp_dir();
    std::vector<pid_t> children;
    for (int w = 0; w < processes; ++w) {
        const std::string out = dir + "/worker-" + std::to_string(w) + ".log";
        const pid_t pid = fork();
        ASSERT_NE(pid, -1);
        if (pid == 0) {
            // exec at once: no connection or library state crosses the fork.
            const std::string worker = std::to_string(w);
            execl(g_self.c_str(), g_self.c_str(), "--child", url.c_str(), worker.c_str(),
                  out.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        children.push_back(pid);
    }
    for (pid_t c : children) {
        int status = 0;
        ASSERT_EQ(waitpid(c, &status, 0), c);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
    }

    std::int64_t expected[2] = {initial[0], initial[1]};
    std::int64_t successes = 0;
    std::int64_t refusals = 0;
    for (int w = 0; w < processes; ++w) {
        std::ifstream in(dir + "/worker-" + std::to_string(w) + ".log");
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string kind;
            fields >> kind;
            if (kind == "ok") {
                std::int64_t pid = 0;
                std::int64_t delta = 0;
                fields >> pid >> delta;
                expected[pid - 1] += delta;
                ++successes;
            } else if (kind == "short") {
                ++refusals;
            } else {
                ADD_FAILURE() << "worker " << w << ": " << line;
            }
        }
    }
    EXPECT_EQ(successes + refusals, processes * operations_per_process);
    EXPECT_GT(refusals, 0) << "the workload should exhaust stock at least once";

    shop s = shop::open(url, options());
    std::int64_t logged = 0;
    for (int i = 0; i < 2; ++i) {
        const product_id pid(i + 1);
        const auto level = s.inventory().stock_of(actor::system(), pid);
        EXPECT_GE(level.on_hand, 0);
        EXPECT_EQ(level.on_hand, expected[i]) << "product " << pid.value();
        // The audit log agrees: deltas sum to the change, and no row ever went below zero.
        std::int64_t sum = 0;
        page_request req;
        req.limit = 100;
        for (;;) {
            auto page = s.inventory().movements(actor::system(), pid, req);
            for (const auto& m : page.items) {
                sum += m.delta;
                EXPECT_GE(m.on_hand_after, 0);
                ++logged;
            }
            if (!page.has_more()) break;
            req.token = page.next_token;
        }
        EXPECT_EQ(sum, level.on_hand);  // initial stock is logged as the first movement
    }
    EXPECT_EQ(logged, successes + 2);
}

}  // namespace

int main(int argc, char** argv) {
    g_self = "/proc/self/exe";
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) g_self.assign(buf, static_cast<std::size_t>(n));
    if (argc == 5 && std::string(argv[1]) == "--child") {
        return run_child(argv[2], std::atoi(argv[3]), argv[4]);
    }
    testing::InitGoogleTest(&argc, argv);
    shopcore::test::parse_backend_args(argc, argv);
    return RUN_ALL_TESTS();
}

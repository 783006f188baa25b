#include <shopcore/order/order_status.hpp>

#include <array>

namespace shopcore {
namespace {

constexpr std::array<order_status, 8> all_statuses = {
    order_status::pending_payment, order_status::paid,      order_status::processing,
    order_status::shipped,         order_status::delivered, order_status::cancelled,
    order_status::expired,         order_status::refunded,
};

}  // namespace

const char* order_status_name(order_status s) noexcept {
    switch (s) {
        case order_status::pending_payment:
            return "pending_payment";
        case order_status::paid:
            return "paid";
        case order_status::processing:
            return "processing";
        case order_status::shipped:
            return "shipped";
        case order_status::delivered:
            return "delivered";
        case order_status::cancelled:
            return "cancelled";
        case order_status::expired:
            return "expired";
        case order_status::refunded:
            return "refunded";
    }
    return "unknown";
}

std::optional<order_status> order_status_from_name(const std::string& name) {
    for (const order_status s : all_statuses) {
        if (name == order_status_name(s)) return s;
    }
    return std::nullopt;
}

bool can_transition(order_status from, order_status to) noexcept {
    using s = order_status;
    switch (from) {
        case s::pending_payment:
            return to == s::paid || to == s::cancelled || to == s::expired;
        case s::paid:
            return to == s::processing || to == s::cancelled || to == s::refunded;
        case s::processing:
            return to == s::shipped || to == s::refunded;
        case s::shipped:
            return to == s::delivered || to == s::refunded;
        case s::delivered:
            return to == s::refunded;
        case s::cancelled:
        case s::expired:
        case s::refunded:
            return false;
    }
    return false;
}

std::vector<order_status> next_statuses(order_status from) {
    std::vector<order_status> out;
    for (const order_status to : all_statuses) {
        if (can_transition(from, to)) out.push_back(to);
    }
    return out;
}

bool is_editable(order_status s) noexcept {
    return s == order_status::pending_payment || s == order_status::paid ||
           s == order_status::processing;
}

}  // namespace shopcore

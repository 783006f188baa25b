#include <shopcore/order/payment_provider.hpp>

namespace shopcore {

payment_provider::~payment_provider() = default;

std::string sandbox_payment_provider::name() const { return "sandbox"; }

payment_session sandbox_payment_provider::start(const payment_request& request) {
    const std::lock_guard<std::mutex> guard(mutex_);
    const std::string authority = "SANDBOX-" + std::to_string(next_++);
    payments_[authority] = entry{request.amount, false, money::zero(request.amount.currency())};
    std::string url = request.callback_url;
    url += url.find('?') == std::string::npos ? "?authority=" : "&authority=";
    return {authority, url + authority};
}

payment_verification sandbox_payment_provider::verify(const std::string& authority,
                                                      const money& expected) {
    const std::lock_guard<std::mutex> guard(mutex_);
    ++verifications_;
    payment_verification out;
    out.amount = money::zero(expected.currency());
    const auto it = payments_.find(authority);
    if (it == payments_.end()) {
        out.message = "unknown authority";
    } else if (!it->second.completed) {
        out.message = "not completed";
    } else {
        out.paid = true;
        out.amount = it->second.paid;
        out.reference_id = "REF-" + authority;
    }
    return out;
}

bool sandbox_payment_provider::complete(const std::string& authority) {
    const std::lock_guard<std::mutex> guard(mutex_);
    const auto it = payments_.find(authority);
    if (it == payments_.end()) return false;
    it->second.completed = true;
    it->second.paid = it->second.amount;
    return true;
}

bool sandbox_payment_provider::complete(const std::string& authority, const money& amount) {
    const std::lock_guard<std::mutex> guard(mutex_);
    const auto it = payments_.find(authority);
    if (it == payments_.end()) return false;
    it->second.completed = true;
    it->second.paid = amount;
    return true;
}

std::int64_t sandbox_payment_provider::verifications() const {
    const std::lock_guard<std::mutex> guard(mutex_);
    return verifications_;
}

}  // namespace shopcore

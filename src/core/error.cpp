#include <shopcore/core/error.hpp>

namespace shopcore {

std::vector<error_code> all_error_codes() {
    return {
        error_code::validation,     error_code::not_found,          error_code::permission_denied,
        error_code::authentication, error_code::invalid_state,      error_code::conflict,
        error_code::idempotency,    error_code::insufficient_stock, error_code::discount_rejected,
        error_code::hook_rejected,  error_code::arithmetic,         error_code::storage,
        error_code::unavailable};
}

const char* error_code_name(error_code code) noexcept {
    switch (code) {
        case error_code::validation:
            return "validation";
        case error_code::not_found:
            return "not_found";
        case error_code::permission_denied:
            return "permission_denied";
        case error_code::authentication:
            return "authentication";
        case error_code::invalid_state:
            return "invalid_state";
        case error_code::conflict:
            return "conflict";
        case error_code::idempotency:
            return "idempotency";
        case error_code::insufficient_stock:
            return "insufficient_stock";
        case error_code::discount_rejected:
            return "discount_rejected";
        case error_code::hook_rejected:
            return "hook_rejected";
        case error_code::arithmetic:
            return "arithmetic";
        case error_code::storage:
            return "storage";
        case error_code::unavailable:
            return "unavailable";
    }
    return "unknown";
}

error::error(error_code code, const std::string& message)
    : std::runtime_error(message), code_(code), full_(message) {}

const char* error::what() const noexcept { return full_.c_str(); }

void error::add_context(const std::string& context) { full_ += "; while " + context; }

validation_error::validation_error(const std::string& field, const std::string& message)
    : error(error_code::validation, field.empty() ? message : field + ": " + message),
      field_(field) {}

not_found_error::not_found_error(const std::string& message)
    : error(error_code::not_found, message) {}

permission_denied_error::permission_denied_error(const std::string& message)
    : error(error_code::permission_denied, message) {}

authentication_error::authentication_error(const std::string& message)
    : error(error_code::authentication, message) {}

invalid_state_error::invalid_state_error(const std::string& message)
    : error(error_code::invalid_state, message) {}

conflict_error::conflict_error(const std::string& message) : error(error_code::conflict, message) {}

conflict_error::conflict_error(error_code code, const std::string& message)
    : error(code, message) {}

idempotency_error::idempotency_error(const std::string& message)
    : conflict_error(error_code::idempotency, message) {}

insufficient_stock_error::insufficient_stock_error(shopcore::product_id product,
                                                   std::int64_t requested, std::int64_t available)
    : error(error_code::insufficient_stock,
            "insufficient stock for product " + std::to_string(product.value()) + ": requested " +
                std::to_string(requested) + ", available " + std::to_string(available)),
      product_(product),
      requested_(requested),
      available_(available),
      shortages_{{product, requested, available}} {}

namespace {
std::string shortage_message(const std::vector<stock_shortage>& all) {
    std::string text = "insufficient stock";
    for (std::size_t i = 0; i < all.size(); ++i) {
        text += i == 0 ? " for product " : "; product ";
        text += std::to_string(all[i].product.value()) + ": requested " +
                std::to_string(all[i].requested) + ", available " +
                std::to_string(all[i].available);
    }
    return text;
}
}  // namespace

insufficient_stock_error::insufficient_stock_error(std::vector<stock_shortage> all)
    : error(error_code::insufficient_stock, shortage_message(all)),
      product_(all.at(0).product),
      requested_(all.at(0).requested),
      available_(all.at(0).available),
      shortages_(std::move(all)) {}

discount_rejected_error::discount_rejected_error(const std::string& reason,
                                                 const std::string& message,
                                                 const std::string& code_text,
                                                 std::optional<money> missing_amount,
                                                 std::int64_t missing_quantity)
    : error(error_code::discount_rejected, message),
      reason_(reason),
      code_text_(code_text),
      missing_amount_(std::move(missing_amount)),
      missing_quantity_(missing_quantity) {}

hook_rejected_error::hook_rejected_error(const std::string& hook, const std::string& reason)
    : error(error_code::hook_rejected, hook + " rejected the operation: " + reason),
      hook_(hook),
      reason_(reason) {}

arithmetic_error::arithmetic_error(const std::string& message)
    : error(error_code::arithmetic, message) {}

storage_error::storage_error(const std::string& message) : error(error_code::storage, message) {}

storage_error::storage_error(error_code code, const std::string& message) : error(code, message) {}

unavailable_error::unavailable_error(const std::string& message)
    : storage_error(error_code::unavailable, message) {}

}  // namespace shopcore

#include "account/account_rules.hpp"

#include <shopcore/core/error.hpp>

#include "core/validate.hpp"

namespace shopcore::detail {

std::string normalize_phone(std::string_view raw, const std::string& default_country_code) {
    std::string digits;
    bool plus = false;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
        } else if (c == '+' && digits.empty() && !plus) {
            plus = true;
        } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
            continue;
        } else {
            throw validation_error("phone",
                                   "may contain only digits, '+', spaces, '-', '.', '(', ')'");
        }
    }
    if (!plus && digits.rfind("00", 0) == 0) {
        plus = true;
        digits.erase(0, 2);
    }
    if (!plus) {
        if (default_country_code.empty()) {
            throw validation_error("phone", "needs an international prefix (+ or 00)");
        }
        const auto first = digits.find_first_not_of('0');
        digits = default_country_code + (first == std::string::npos ? "" : digits.substr(first));
    }
    if (digits.size() < 8 || digits.size() > 15 || digits.front() == '0') {
        throw validation_error("phone", "must have 8 to 15 digits after the country code prefix");
    }
    return "+" + digits;
}

std::string normalize_email(std::string_view raw) {
    if (raw.empty() || raw.size() > 254) {
        throw validation_error("email", "must have 1 to 254 characters");
    }
    std::string out;
    out.reserve(raw.size());
    for (char c : raw) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= ' ' || u == 0x7F) throw validation_error("email", "may not contain spaces");
        out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    const auto at = out.find('@');
    if (at == std::string::npos || at == 0 || out.find('@', at + 1) != std::string::npos) {
        throw validation_error("email", "must have the form name@domain");
    }
    const std::string domain = out.substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == std::string::npos || dot == 0 || domain.back() == '.') {
        throw validation_error("email", "must have a dotted domain");
    }
    check_text("email", out, 3, 254);
    return out;
}

void check_address_lines(const char* field, const address& a) {
    check_text(field, a.recipient_name, 1, 200);
    check_text(field, a.line1, 1, 200);
    check_text(field, a.line2, 0, 200);
    check_text(field, a.city, 1, 100);
    check_text(field, a.province, 0, 100);
    check_text(field, a.postal_code, 0, 20);
    if (!is_country_code(a.country)) {
        throw validation_error(field, "country must be an ISO 3166 code like \"IR\"");
    }
}

std::vector<address> checked_addresses(const std::vector<address>& in,
                                       const std::string& default_country_code) {
    if (in.size() > 10) throw validation_error("addresses", "at most 10 addresses");
    std::vector<address> out = in;
    int defaults = 0;
    for (auto& a : out) {
        check_text("addresses", a.label, 0, 50);
        check_address_lines("addresses", a);
        if (!a.phone.empty()) {
            try {
                a.phone = normalize_phone(a.phone, default_country_code);
            } catch (const validation_error& e) {
                throw validation_error("addresses", e.what());
            }
        }
        if (a.is_default) ++defaults;
    }
    if (defaults > 1) throw validation_error("addresses", "only one address can be the default");
    if (defaults == 0 && !out.empty()) out.front().is_default = true;
    return out;
}

}  // namespace shopcore::detail

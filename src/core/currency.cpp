#include <shopcore/core/currency.hpp>

#include <algorithm>
#include <ostream>

#include <shopcore/core/error.hpp>

#include "core/currency_table.hpp"

namespace shopcore {
namespace {

// Index of `code` in the table, or -1. Entry 0 is XXX; entries 1.. are sorted.
int find_index(std::string_view code) noexcept {
    if (code.size() != 3) {
        return -1;
    }
    const auto table = detail::currency_table();
    if (code == std::string_view{table[0].code}) {
        return 0;
    }
    const auto first = table.begin() + 1;
    const auto it = std::lower_bound(first, table.end(), code,
                                     [](const detail::currency_entry& entry, std::string_view c) {
                                         return std::string_view{entry.code} < c;
                                     });
    if (it == table.end() || std::string_view{it->code} != code) {
        return -1;
    }
    return static_cast<int>(it - table.begin());
}

}  // namespace

currency currency::of(std::string_view code) {
    const int index = find_index(code);
    if (index < 0) {
        throw validation_error("currency", "unknown ISO 4217 currency code '" + std::string(code) +
                                               "' (expected three upper-case letters, e.g. USD)");
    }
    const auto exponent = detail::currency_table()[static_cast<std::size_t>(index)].exponent;
    return currency(static_cast<std::uint16_t>(
        static_cast<unsigned>(index) | (static_cast<unsigned>(exponent) << exponent_shift)));
}

bool currency::is_known(std::string_view code) noexcept { return find_index(code) >= 0; }

std::string currency::code() const {
    const std::size_t index = value_ & ((1U << exponent_shift) - 1U);
    return std::string(detail::currency_table()[index].code, 3);
}

std::vector<std::string> known_currency_codes() {
    std::vector<std::string> codes;
    const auto table = detail::currency_table();
    codes.reserve(table.size());
    for (const auto& entry : table) {
        codes.emplace_back(entry.code, 3);
    }
    std::sort(codes.begin(), codes.end());
    return codes;
}

std::ostream& operator<<(std::ostream& out, const currency& value) { return out << value.code(); }

}  // namespace shopcore

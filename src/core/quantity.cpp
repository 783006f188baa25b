#include <shopcore/core/quantity.hpp>

#include <ostream>

#include <shopcore/core/error.hpp>

namespace shopcore {

quantity quantity::of(std::int64_t units) {
    if (units < 0) {
        throw validation_error("quantity",
                               "quantity must not be negative (" + std::to_string(units) + ")");
    }
    return quantity(units);
}

quantity quantity::operator+(const quantity& other) const {
    std::int64_t result = 0;
    if (__builtin_add_overflow(value_, other.value_, &result)) {
        throw arithmetic_error("quantity addition overflows 64 bits");
    }
    return quantity(result);
}

quantity quantity::operator-(const quantity& other) const {
    if (other.value_ > value_) {
        throw arithmetic_error("quantity subtraction would go negative (" + std::to_string(value_) +
                               " - " + std::to_string(other.value_) + ")");
    }
    return quantity(value_ - other.value_);
}

std::string quantity::to_string() const { return std::to_string(value_); }

std::ostream& operator<<(std::ostream& out, const quantity& value) { return out << value.value(); }

}  // namespace shopcore

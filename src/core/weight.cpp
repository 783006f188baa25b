#include <shopcore/core/weight.hpp>

#include <ostream>

#include <shopcore/core/error.hpp>

namespace shopcore {

weight weight::of_grams(std::int64_t grams) {
    if (grams < 0) {
        throw validation_error("weight",
                               "weight must not be negative (" + std::to_string(grams) + " g)");
    }
    return weight(grams);
}

weight weight::operator+(const weight& other) const {
    std::int64_t result = 0;
    if (__builtin_add_overflow(grams_, other.grams_, &result)) {
        throw arithmetic_error("weight addition overflows 64 bits");
    }
    return weight(result);
}

weight weight::operator*(std::int64_t factor) const {
    if (factor < 0) {
        throw validation_error("factor", "a weight cannot be scaled by a negative factor (" +
                                             std::to_string(factor) + ")");
    }
    std::int64_t result = 0;
    if (__builtin_mul_overflow(grams_, factor, &result)) {
        throw arithmetic_error("weight multiplication overflows 64 bits");
    }
    return weight(result);
}

std::string weight::to_string() const { return std::to_string(grams_) + " g"; }

std::ostream& operator<<(std::ostream& out, const weight& value) {
    return out << value.to_string();
}

}  // namespace shopcore

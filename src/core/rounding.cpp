#include <shopcore/core/rounding.hpp>

namespace shopcore {

const char* rounding_name(rounding mode) noexcept {
    switch (mode) {
        case rounding::half_up:
            return "half_up";
        case rounding::half_even:
            return "half_even";
        case rounding::down:
            return "down";
        case rounding::up:
            return "up";
    }
    return "unknown";
}

}  // namespace shopcore

#ifndef SHOPCORE_SRC_CORE_ALLOCATION_HPP
#define SHOPCORE_SRC_CORE_ALLOCATION_HPP

// Internal: the largest-remainder split behind money::allocate, on raw minor units, for the
// pricing engine's hot path (no vectors of money, no validation it has already done).

#include <cstddef>
#include <cstdint>

namespace shopcore::detail {

/// Splits `amount` minor units over `n` weights by the largest-remainder method, exactly as
/// money::allocate does, writing one share per weight to `shares`.
/// @pre n >= 1, every weight >= 0, at least one weight > 0.
void allocate_minor(std::uint64_t amount, const std::int64_t* weights, std::size_t n,
                    std::uint64_t* shares);

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_CORE_ALLOCATION_HPP

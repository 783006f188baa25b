#ifndef SHOPCORE_SRC_CORE_INT128_HPP
#define SHOPCORE_SRC_CORE_INT128_HPP

// Internal: GCC's native 128-bit integers for exact comparisons that cannot overflow by
// construction (products of two int64 values). Checked arithmetic uses Boost.Multiprecision.

namespace shopcore::detail {

__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_CORE_INT128_HPP

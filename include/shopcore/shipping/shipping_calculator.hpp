#ifndef SHOPCORE_SHIPPING_SHIPPING_CALCULATOR_HPP
#define SHOPCORE_SHIPPING_SHIPPING_CALCULATOR_HPP

/// @file Prices the configured shipping methods for a parcel and a destination.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <shopcore/core/currency.hpp>
#include <shopcore/core/money.hpp>
#include <shopcore/core/weight.hpp>
#include <shopcore/export.hpp>
#include <shopcore/shipping/shipping_rule.hpp>

namespace shopcore {

/// Where a parcel goes.
struct shipping_destination {
    /// ISO 3166-1 alpha-2 code in upper case ("IR").
    std::string country;
    /// The province, compared exactly with the zones' provinces; may be empty.
    std::string province;
};

/// Which clamp of value_rules changed a quote's cost, if any. At most one applies, since
/// maximum_charge is never below minimum_charge.
enum class shipping_clamp {
    none,               ///< Neither minimum_charge nor maximum_charge changed the cost.
    raised_to_minimum,  ///< The cost was raised to minimum_charge.
    lowered_to_maximum  ///< The cost was lowered to maximum_charge.
};

/// One applicable method with its cost and the facts of how that cost was reached.
///
/// A plain value: the facts are numbers, and shipping_calculator::explain() turns them into
/// text only when asked. Every amount is in the shop currency.
struct shipping_quote {
    /// The method's code (shipping_method::code).
    std::string method_code;
    /// The method's position in shipping_calculator::methods() of the calculator that quoted.
    std::size_t method_index = 0;
    /// The exact cost; never negative.
    money cost;
    /// The parcel weight that was quoted.
    weight parcel_weight;
    /// The goods value that was quoted.
    money goods_value;
    /// The charge for the weight: the band's charge, or the top band's charge plus the excess
    /// steps; zero for a method without bands.
    money weight_charge;
    /// The index into shipping_method::bands of the band whose limit the weight is within;
    /// empty above the top band (the excess rule applied) and for a method without bands.
    std::optional<std::size_t> band;
    /// The started excess steps above the top band (at least 1 when the excess rule applied);
    /// 0 otherwise.
    std::int64_t excess_steps = 0;
    /// goods_value x percent_of_value, rounded half up; zero without a percentage or when
    /// shipping is free.
    money percent_charge;
    /// Whether goods_value reached free_above, making the cost zero (no percentage, no clamp).
    bool free_above_reached = false;
    /// The clamp that changed the cost; none when free_above_reached.
    shipping_clamp clamp = shipping_clamp::none;

    /// Every member equal.
    friend bool operator==(const shipping_quote& a, const shipping_quote& b) noexcept {
        return a.method_code == b.method_code && a.method_index == b.method_index &&
               a.cost == b.cost && a.parcel_weight == b.parcel_weight &&
               a.goods_value == b.goods_value && a.weight_charge == b.weight_charge &&
               a.band == b.band && a.excess_steps == b.excess_steps &&
               a.percent_charge == b.percent_charge &&
               a.free_above_reached == b.free_above_reached && a.clamp == b.clamp;
    }
    /// Negation of ==.
    friend bool operator!=(const shipping_quote& a, const shipping_quote& b) noexcept {
        return !(a == b);
    }
};

/// Validates a set of shipping methods once and quotes them for parcels.
///
/// Order of computation for each method: zone, availability limits, weight charge (band by
/// binary search, or top band plus excess steps), then free_above (free ends the computation),
/// percentage of value (half up), then the minimum and maximum clamp.
/// Thread safety: immutable after construction; quote(), quote_into() (each thread with its own
/// `out`) and explain() may be called from many threads.
/// Copies share the validated configuration.
class SHOPCORE_EXPORT shipping_calculator {
public:
    /// Validates and keeps `methods`.
    /// @throws validation_error naming the field: "code" (empty, over 64 characters or
    ///         duplicated), "name" (empty or over 200 characters), "zones" (none, or a country
    ///         that is neither "*" nor two upper-case letters, or a province with "*"),
    ///         "bands" (up_to not strictly increasing, or a charge negative or in another
    ///         currency), "excess" (step of zero grams, negative or foreign charge, or no bands),
    ///         "free_above", "percent_of_value" (outside [0, 1]), "minimum_charge",
    ///         "maximum_charge" (negative, foreign, or maximum below minimum), "min_value",
    ///         "max_value" (negative, foreign, or maximum below minimum).
    shipping_calculator(std::vector<shipping_method> methods, const currency& shop_currency);

    /// Every applicable method for the parcel, cheapest first, ties by code.
    ///
    /// A method applies when one of its zones matches ("*", or the same country and either an
    /// empty province or the same province), its availability limits hold, and the weight is
    /// within its bands or it has an excess rule. Each quote carries the facts of its
    /// computation; explain() formats them.
    /// @param total_weight the parcel weight; @param goods_value the value of the goods in the
    ///        shop currency; @param to the destination.
    /// @returns possibly empty.
    /// @throws validation_error "goods_value" if the value is negative or in another currency;
    ///         "country" if the destination country is not two upper-case letters;
    ///         arithmetic_error if a charge overflows the int64 range of minor units.
    /// Complexity: O(m log b + z) for m methods of at most b bands and z zones in all; one
    /// allocation for the returned vector.
    [[nodiscard]] std::vector<shipping_quote> quote(weight total_weight, const money& goods_value,
                                                    const shipping_destination& to) const;

    /// As quote(), but replaces the contents of `out`, reusing its storage: the form for hot
    /// loops. It builds no text and allocates nothing when `out` already has the capacity for
    /// every applicable method and the method codes fit std::string's small buffer (15
    /// characters with libstdc++, 22 with libc++).
    /// @throws as quote(); `out` is then left empty.
    void quote_into(weight total_weight, const money& goods_value, const shipping_destination& to,
                    std::vector<shipping_quote>& out) const;

    /// Every step of the computation of `q` with exact amounts, e.g.
    /// "1500 g in band up to 2000 g: 40000.00 IRR; free above 5000000.00 IRR not reached;
    /// 0.01 of 2000000.00 IRR rounded half up: 20000.00 IRR; total 60000.00 IRR".
    /// @pre `q` was returned by quote() or quote_into() of this calculator (or a copy of it).
    /// @returns the text; formats on every call (one allocation for the string).
    /// @throws validation_error "quote" if q.method_index is not an index into methods(), if
    ///         q.method_code is not that method's code, or if the quote's band, excess steps or
    ///         currency cannot come from that method.
    [[nodiscard]] std::string explain(const shipping_quote& q) const;

    /// The validated methods, in the order given.
    [[nodiscard]] const std::vector<shipping_method>& methods() const noexcept;

    /// The currency every amount is in.
    [[nodiscard]] currency shop_currency() const noexcept;

private:
    struct impl;
    std::shared_ptr<const impl> impl_;
};

}  // namespace shopcore

#endif  // SHOPCORE_SHIPPING_SHIPPING_CALCULATOR_HPP

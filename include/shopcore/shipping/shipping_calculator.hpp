#ifndef SHOPCORE_SHIPPING_SHIPPING_CALCULATOR_HPP
#define SHOPCORE_SHIPPING_SHIPPING_CALCULATOR_HPP

/// @file Prices the configured shipping methods for a parcel and a destination.

#include <memory>
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

/// One applicable method with its cost and how that cost was reached.
struct shipping_quote {
    /// The method's code.
    std::string method_code;
    /// The method's name.
    std::string method_name;
    /// The exact cost in the shop currency; never negative.
    money cost;
    /// Every step of the computation with exact amounts, e.g.
    /// "1500 g in band up to 2000 g: 40000.00 IRR; free above 5000000.00 IRR not reached;
    /// total 40000.00 IRR".
    std::string explanation;
};

/// Validates a set of shipping methods once and quotes them for parcels.
///
/// Order of computation for each method: zone, availability limits, weight charge (band by
/// binary search, or top band plus excess steps), then free_above (free ends the computation),
/// percentage of value (half up), then the minimum and maximum clamp.
/// Thread safety: immutable after construction; quote() may be called from many threads.
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
    /// within its bands or it has an excess rule.
    /// @param total_weight the parcel weight; @param goods_value the value of the goods in the
    ///        shop currency; @param to the destination.
    /// @returns possibly empty.
    /// @throws validation_error "goods_value" if the value is negative or in another currency;
    ///         "country" if the destination country is not two upper-case letters;
    ///         arithmetic_error if a charge overflows the int64 range of minor units.
    /// Complexity: O(m log b) for m methods of at most b bands.
    [[nodiscard]] std::vector<shipping_quote> quote(weight total_weight, const money& goods_value,
                                                    const shipping_destination& to) const;

    /// As quote(), but replaces the contents of `out`, reusing its storage and that of the
    /// strings its elements already hold: the form without allocations for hot loops.
    /// @throws as quote(); `out` is then left empty.
    void quote_into(weight total_weight, const money& goods_value, const shipping_destination& to,
                    std::vector<shipping_quote>& out) const;

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

#ifndef SHOPCORE_SHIPPING_SHIPPING_RULE_HPP
#define SHOPCORE_SHIPPING_SHIPPING_RULE_HPP

/// @file Shipping methods as configuration values: zones, weight bands, an excess rule, value
/// rules and availability limits. shipping_calculator validates and prices them.

#include <optional>
#include <string>
#include <vector>

#include <shopcore/core/money.hpp>
#include <shopcore/core/ratio.hpp>
#include <shopcore/core/weight.hpp>

namespace shopcore {

/// Where a method delivers: a country, optionally narrowed to one province.
struct shipping_zone {
    /// ISO 3166-1 alpha-2 code in upper case ("IR", "DE"), or "*" for everywhere.
    std::string country;
    /// A province (region, state) of `country`, compared exactly; empty means the whole
    /// country. Must be empty when `country` is "*".
    std::string province;
};

/// One weight band: applies when the total weight is at most `up_to`.
/// Grams are whole numbers, so "under 1 kg" is `up_to` 999 g.
struct weight_band {
    /// The inclusive upper limit of the band.
    weight up_to;
    /// The charge for any weight in the band (not below the previous band's limit).
    money charge;
};

/// The charge above the top band: top band charge + ceil((w - top.up_to) / step) *
/// charge_per_step. A partial step counts as a whole step.
struct excess_rule {
    /// The size of one step; must be above zero.
    weight step;
    /// The charge for each started step; must not be negative.
    money charge_per_step;
};

/// Rules that depend on the value of the goods, applied after the weight charge.
struct value_rules {
    /// Shipping is free (zero, not clamped) when the goods value is at least this amount.
    std::optional<money> free_above;
    /// Added to the weight charge: goods value * percent, rounded half up to a minor unit.
    /// In [0, 1] (ratio::parse("2%") is 2 %).
    std::optional<ratio> percent_of_value;
    /// The charge (weight + percentage) is raised to at least this amount.
    std::optional<money> minimum_charge;
    /// The charge (weight + percentage) is lowered to at most this amount.
    std::optional<money> maximum_charge;
};

/// When a method is offered at all. Every limit is inclusive.
struct availability {
    /// Offered only when the total weight is at most this.
    std::optional<weight> max_weight;
    /// Offered only when the goods value is at least this.
    std::optional<money> min_value;
    /// Offered only when the goods value is at most this.
    std::optional<money> max_value;
};

/// A shipping method: where it delivers and how it charges.
///
/// A method with no bands charges zero for weight (value rules still apply). Above the top
/// band the excess rule applies; without one the method is not applicable to that weight.
/// All amounts are in the shop currency and not negative (checked by shipping_calculator).
struct shipping_method {
    /// Unique, 1..64 characters ("post", "courier").
    std::string code;
    /// Shown to the customer, 1..200 characters.
    std::string name;
    /// At least one zone; the method applies when any zone matches the destination.
    std::vector<shipping_zone> zones;
    /// Strictly increasing by `up_to`.
    std::vector<weight_band> bands;
    /// The rule above the top band; requires at least one band.
    std::optional<excess_rule> excess;
    /// Free threshold, percentage of value, minimum and maximum charge.
    value_rules value;
    /// Weight and value limits outside which the method is not offered.
    availability limits;
};

}  // namespace shopcore

#endif  // SHOPCORE_SHIPPING_SHIPPING_RULE_HPP

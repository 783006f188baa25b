#ifndef SHOPCORE_PRICING_TAX_HPP
#define SHOPCORE_PRICING_TAX_HPP

/// @file Tax configuration: rates by category and zone, prices entered with or without tax,
/// and where tax is rounded. docs/concepts/pricing.md has worked examples.

#include <optional>
#include <string>
#include <vector>

#include <shopcore/core/ids.hpp>
#include <shopcore/core/ratio.hpp>
#include <shopcore/core/rounding.hpp>

namespace shopcore {

/// Whether catalog prices include tax.
enum class tax_mode {
    exclusive,  ///< Prices are net; tax is added on top (US sales tax). The default.
    inclusive,  ///< Prices are gross; the tax they contain is reported (EU VAT).
};

/// Where tax is rounded to a minor unit.
enum class tax_rounding {
    per_line,  ///< round(line amount * rate): the default.
    per_unit,  ///< round(unit amount * rate) * quantity: the line is split into units first.
};

/// One tax rate and where it applies. A line takes the single most specific matching rate.
struct tax_rate {
    std::string name;  ///< 1..100 characters, shown in the breakdown ("VAT 9%").
    ratio rate;        ///< In [0, 1].
    /// The rate applies to lines in one of these categories or their sub-categories; empty:
    /// every line. A category match is more specific than none.
    std::vector<category_id> categories;
    /// ISO 3166-1 alpha-2 upper-case country, or "*" for every destination (and for lines
    /// priced without a destination).
    std::string country = "*";
    /// A province of `country`, compared exactly; empty: the whole country. Must be empty
    /// when `country` is "*".
    std::string province;
};

/// How a shop taxes.
struct tax_settings {
    tax_mode mode = tax_mode::exclusive;             ///< Prices net (default) or gross.
    tax_rounding rounding = tax_rounding::per_line;  ///< Per line (default) or per unit.
    shopcore::rounding rounding_mode = shopcore::rounding::half_up;  ///< How tax is rounded.
    /// The rates. Specificity, highest first: category and province, category and country,
    /// category and "*", province, country, "*"; ties go to the earlier rate in this list.
    std::vector<tax_rate> rates;
    /// The rate on the shipping charge (after shipping discounts); none: shipping is untaxed.
    std::optional<ratio> shipping_rate;
};

}  // namespace shopcore

#endif  // SHOPCORE_PRICING_TAX_HPP

#ifndef SHOPCORE_CATALOG_SALE_DISCOUNT_HPP
#define SHOPCORE_CATALOG_SALE_DISCOUNT_HPP

#include <shopcore/core/money.hpp>
#include <shopcore/core/ratio.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

/// How a product's sale discount is expressed.
enum class sale_kind {
    none,       ///< No discount: the sale price is the price.
    amount,     ///< A fixed amount off.
    percentage  ///< A fraction of the price off.
};

/// A product's standing sale discount: nothing, an amount off, or a percentage off.
/// The sale price it gives is exact (see `apply`).
class SHOPCORE_EXPORT sale_discount {
public:
    /// No discount.
    sale_discount() = default;

    /// No discount.
    [[nodiscard]] static sale_discount none() { return sale_discount(); }
    /// A fixed amount off. @throws validation_error("sale") when the amount is negative.
    [[nodiscard]] static sale_discount amount(const money& off);
    /// A fraction off, e.g. ratio::parse("12.5%"). @throws validation_error("sale") outside
    /// [0, 1].
    [[nodiscard]] static sale_discount percentage(const ratio& rate);

    /// Which kind of discount this is.
    [[nodiscard]] sale_kind kind() const noexcept { return kind_; }
    /// The amount off (zero unless kind() is amount).
    [[nodiscard]] const money& amount_off() const noexcept { return amount_; }
    /// The rate off (zero unless kind() is percentage).
    [[nodiscard]] const ratio& rate() const noexcept { return rate_; }

    /// The sale price for `price`: price, price - amount, or price - round_half_up(price * rate)
    /// (the discount is rounded, then subtracted, so both parts are exact).
    /// @throws validation_error("sale") when an amount exceeds the price or its currency differs.
    [[nodiscard]] money apply(const money& price) const;

    /// Same kind, amount and rate.
    friend bool operator==(const sale_discount& a, const sale_discount& b) noexcept {
        return a.kind_ == b.kind_ && a.amount_ == b.amount_ && a.rate_ == b.rate_;
    }
    /// Negation of ==.
    friend bool operator!=(const sale_discount& a, const sale_discount& b) noexcept {
        return !(a == b);
    }

private:
    sale_kind kind_ = sale_kind::none;
    money amount_;
    ratio rate_;
};

}  // namespace shopcore

#endif  // SHOPCORE_CATALOG_SALE_DISCOUNT_HPP

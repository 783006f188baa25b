#include <shopcore/catalog/sale_discount.hpp>

#include <shopcore/core/error.hpp>

namespace shopcore {

sale_discount sale_discount::amount(const money& off) {
    if (off.is_negative()) throw validation_error("sale", "amount off must not be negative");
    sale_discount d;
    d.kind_ = sale_kind::amount;
    d.amount_ = off;
    return d;
}

sale_discount sale_discount::percentage(const ratio& rate) {
    if (rate < ratio::of(0, 1) || rate > ratio::of(1, 1)) {
        throw validation_error("sale", "percentage must be between 0% and 100%");
    }
    sale_discount d;
    d.kind_ = sale_kind::percentage;
    d.rate_ = rate;
    return d;
}

money sale_discount::apply(const money& price) const {
    switch (kind_) {
        case sale_kind::none:
            return price;
        case sale_kind::amount:
            if (amount_.currency() != price.currency()) {
                throw validation_error("sale", "amount off is in another currency than the price");
            }
            if (amount_ > price) throw validation_error("sale", "amount off exceeds the price");
            return price - amount_;
        case sale_kind::percentage:
            // The discount is rounded (half up), then subtracted: the customer sees
            // price - discount with both parts exact.
            return price - price.multiply(rate_, rounding::half_up);
    }
    return price;
}

}  // namespace shopcore

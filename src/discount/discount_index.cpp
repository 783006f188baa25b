#include <shopcore/discount/discount_index.hpp>

#include <string>
#include <unordered_map>
#include <utility>

#include <shopcore/core/error.hpp>

#include "pricing/discount_rules.hpp"

namespace shopcore {

struct discount_index::impl {
    std::vector<discount_code> codes;
    std::unordered_map<std::string, std::size_t> by_text;
};

discount_index::discount_index(std::vector<discount_code> codes) {
    auto p = std::make_shared<impl>();
    p->codes = std::move(codes);
    p->by_text.reserve(p->codes.size());
    for (std::size_t i = 0; i < p->codes.size(); ++i) {
        if (!p->by_text.emplace(p->codes[i].code, i).second) {
            throw validation_error("codes", "code " + p->codes[i].code + " is given twice");
        }
    }
    impl_ = std::move(p);
}

const discount_code* discount_index::find(std::string_view text) const {
    const auto it = impl_->by_text.find(detail::normalize_code(text));
    return it == impl_->by_text.end() ? nullptr : &impl_->codes[it->second];
}

std::optional<discount_refusal> discount_index::check(std::string_view text,
                                                      std::int64_t customer_uses, bool signed_in,
                                                      bool staff, timestamp at) const {
    const discount_code* code = find(text);
    if (code == nullptr) return discount_refusal::unknown_code;
    return detail::judge_discount(*code, customer_uses, signed_in, staff, at);
}

std::size_t discount_index::size() const noexcept { return impl_->codes.size(); }

}  // namespace shopcore

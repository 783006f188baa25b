#include "catalog/catalog_rules.hpp"

#include <shopcore/core/error.hpp>

#include "core/validate.hpp"

namespace shopcore::detail {

namespace {

void check_sku(const std::string& sku) {
    if (sku.empty()) throw validation_error("sku", "must not be empty");
    if (sku.size() > 64) throw validation_error("sku", "must have at most 64 characters");
    for (char c : sku) {
        if (c <= ' ' || c > '~') {
            throw validation_error("sku", "may only contain printable ASCII without spaces");
        }
    }
}

void check_url(const std::string& url) {
    check_text("image_urls", url, 1, 2000);
    const bool ok = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0 ||
                    (url.front() == '/' && url.rfind("//", 0) != 0);
    if (!ok) throw validation_error("image_urls", "must be an http(s) URL or an absolute path");
}

}  // namespace

void check_product(const product& p, const currency& shop_currency) {
    check_sku(p.sku);
    check_text("name", p.name, 1, 200);
    check_slug("slug", p.slug);
    check_text("description", p.description, 0, 20000, true);
    if (p.price.currency() != shop_currency) {
        throw validation_error("price", "must be in the shop's currency " + shop_currency.code());
    }
    if (p.price.is_negative()) throw validation_error("price", "must not be negative");
    if (p.sale.kind() == sale_kind::amount && p.sale.amount_off().currency() != shop_currency) {
        throw validation_error("sale", "must be in the shop's currency " + shop_currency.code());
    }
    if (p.attributes.size() > 100) throw validation_error("attributes", "at most 100");
    for (const auto& a : p.attributes) {
        check_text("attributes", a.name, 1, 100);
        check_text("attributes", a.value, 0, 1000);
    }
    if (p.image_urls.size() > 20) throw validation_error("image_urls", "at most 20");
    for (const auto& url : p.image_urls) check_url(url);
}

}  // namespace shopcore::detail

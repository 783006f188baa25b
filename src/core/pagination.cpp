#include <shopcore/core/pagination.hpp>

#include <algorithm>

#include <shopcore/core/error.hpp>

namespace shopcore {

std::int64_t effective_limit(const page_request& request) {
    if (request.limit < 1) {
        throw validation_error(
            "limit", "page limit must be at least 1 (got " + std::to_string(request.limit) + ")");
    }
    return std::min(request.limit, max_page_limit);
}

}  // namespace shopcore

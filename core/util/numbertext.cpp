#include "util/numbertext.h"

#include <cctype>
#include <cmath>

namespace ra {
namespace {

// std::sto* skip leading spaces; a user's " 2" is refused like "2 ".
bool startsWithSpace(const std::string& text)
{
    return !text.empty() && std::isspace(static_cast<unsigned char>(text[0]));
}

} // namespace

std::optional<double> finiteNumberFrom(const std::string& text)
{
    if (text.empty() || startsWithSpace(text)) return std::nullopt;
    try {
        size_t used = 0;
        const double d = std::stod(text, &used);
        if (used == text.size() && std::isfinite(d)) return d;
    } catch (const std::exception&) {}
    return std::nullopt;
}

std::optional<int64_t> wholeNumberFrom(const std::string& text)
{
    if (text.empty() || startsWithSpace(text)) return std::nullopt;
    try {
        size_t used = 0;
        const long long n = std::stoll(text, &used);
        if (used == text.size()) return int64_t(n);
    } catch (const std::exception&) {}
    return std::nullopt;
}

} // namespace ra

#include "util/numbertext.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace ra {
namespace {

// std::from_chars takes neither leading spaces nor a '+', both of which strtod skipped: spaces
// stay refused (a user's " 2" like "2 "), and a '+' is taken as before.
const char* afterPlus(const std::string& text)
{
    const char* first = text.data();
    if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') ++first;
    return first;
}

template <typename Format>
std::string charsOf(double v, Format format, int precision)
{
    char buf[400]; // "%.17f" of the largest double has 309 digits before the point
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, format, precision);
    return ec == std::errc() ? std::string(buf, end) : std::string();
}

} // namespace

std::optional<double> finiteNumberFrom(const std::string& text)
{
    if (text.empty()) return std::nullopt;
    const char* last = text.data() + text.size();
    double d = 0;
    const auto [end, ec] = std::from_chars(afterPlus(text), last, d);
    if (ec == std::errc() && end == last && std::isfinite(d)) return d;
    return std::nullopt;
}

std::optional<int64_t> wholeNumberFrom(const std::string& text)
{
    if (text.empty()) return std::nullopt;
    const char* last = text.data() + text.size();
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(afterPlus(text), last, n);
    if (ec == std::errc() && end == last) return n;
    return std::nullopt;
}

std::string numberText(double v, int significant) { return charsOf(v, std::chars_format::general, significant); }

std::string fixedNumberText(double v, int decimals) { return charsOf(v, std::chars_format::fixed, decimals); }

} // namespace ra

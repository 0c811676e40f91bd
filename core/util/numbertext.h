#pragma once
// Strict reading of numbers typed by users (command-line options, settings, alpha grids): the
// whole text must be the number, with no surrounding spaces or trailing characters. One reader
// for every place that turns text into a number, so they all accept and refuse the same things.
#include <cstdint>
#include <optional>
#include <string>

namespace ra {

// A finite number (NaN and infinities refused); nothing when TEXT is not one.
std::optional<double> finiteNumberFrom(const std::string& text);
// A whole number that fits in 64 bits; nothing when TEXT is not one or does not fit.
std::optional<int64_t> wholeNumberFrom(const std::string& text);

} // namespace ra

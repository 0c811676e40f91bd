#pragma once
// Strict reading of numbers typed by users (command-line options, settings, alpha grids): the
// whole text must be the number, with no surrounding spaces or trailing characters. One reader
// for every place that turns text into a number, so they all accept and refuse the same things.
//
// Reading and writing never depend on the C library's locale. The Studio runs under the desktop's
// locale (QApplication calls setlocale(LC_ALL, "")), and in German, French or Russian the C
// library's decimal point is a comma: std::stod("0.05") reads 0 there and std::to_string(0.5)
// writes "0,500000". A number in a project file, a run store or a setting is always written with a
// point, whatever the machine's locale.
#include <cstdint>
#include <optional>
#include <string>

namespace ra {

// A finite number (NaN and infinities refused); nothing when TEXT is not one. A decimal point,
// never a comma; an optional leading '+' and an exponent are accepted.
std::optional<double> finiteNumberFrom(const std::string& text);
// A whole number that fits in 64 bits; nothing when TEXT is not one or does not fit.
std::optional<int64_t> wholeNumberFrom(const std::string& text);

// V with SIGNIFICANT significant digits as printf's "%.Ng" writes it in the C locale ("0.003",
// "1e-05").
std::string numberText(double v, int significant);
// V with DECIMALS digits after the point as printf's "%.Nf" writes it in the C locale.
std::string fixedNumberText(double v, int decimals);

} // namespace ra

#pragma once
// Inflating a PNG's image data (its IDAT chunks, concatenated) to the size its header declares,
// shared by the damage check in front of every decoder and by the built-in decoder. Torch-free.
//
// Thread-safety: pure function, safe from any thread.
#include <cstdint>
#include <string>
#include <vector>

namespace ra {

// Inflates IDAT into OUT, which grows only as the stream really produces bytes: a header that
// declares a huge image costs nothing unless its data is there too. Returns "" when the stream
// ends with exactly EXPECTED bytes, else what is wrong ("the PNG image data is cut short", ...).
std::string inflatePngData(const std::vector<uint8_t>& idat, uint64_t expected, std::vector<uint8_t>& out);

} // namespace ra

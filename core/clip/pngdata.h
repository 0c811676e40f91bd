#pragma once
// A PNG's image data as its header lays it out -- the signature, samples per pixel, the Adam7
// passes and their row sizes -- and inflating it (the IDAT chunks, concatenated) to exactly that
// size. Shared by the damage check in front of OpenCV and by the built-in decoder.
// Torch-free.
//
// Thread-safety: pure functions, safe from any thread.
#include <cstdint>
#include <string>
#include <vector>

namespace ra {

bool hasPngSignature(const std::vector<uint8_t>& bytes);
// The big-endian 32-bit number at P (chunk lengths, CRCs, IHDR's sizes).
uint32_t pngUint32(const uint8_t* p);
// Samples per pixel of a colour type (0 grey, 2 RGB, 3 palette index, 4 grey + alpha, 6 RGBA);
// 0 for a colour type PNG does not define.
int pngChannels(int colourType);

// One pass over the image: pixels (x0 + i dx, y0 + j dy) for i < width, j < height. An image
// that is not interlaced is one pass; Adam7 gives up to seven (empty ones left out).
struct PngPass {
    uint64_t x0, y0, dx, dy, width, height;
};
std::vector<PngPass> pngPasses(uint64_t width, uint64_t height, bool interlaced);
// Bytes of one row of WIDTH pixels, without its filter byte.
uint64_t pngRowBytes(uint64_t width, int channels, int bitDepth);
// Bytes of all passes' rows, each with its filter byte: what the inflated data must hold.
uint64_t pngDataBytes(const std::vector<PngPass>& passes, int channels, int bitDepth);

// Inflates IDAT into OUT, which grows only as the stream really produces bytes: a header that
// declares a huge image costs nothing unless its data is there too. Returns "" when the stream
// ends with exactly EXPECTED bytes, else what is wrong ("the PNG image data is cut short", ...).
std::string inflatePngData(const std::vector<uint8_t>& idat, uint64_t expected, std::vector<uint8_t>& out);

// The whole check of a PNG's image data against its header: a colour type PNG defines, a size
// this tool reads, the stream inflating to exactly the rows (every Adam7 pass when interlaced)
// and each row starting with one of the five filter types. The rows, filter bytes included, are
// left in ROWS for a decoder. "" when sound, else what is wrong.
std::string inflatePngRows(const std::vector<uint8_t>& idat, uint32_t width, uint32_t height, int bitDepth,
                           int colourType, bool interlaced, std::vector<uint8_t>& rows);

} // namespace ra

#pragma once
// The image decoder of a build without OpenCV (-DRA_WITH_OPENCV=OFF, for servers that lack it):
// PNG (every colour type and bit depth, interlaced or not) and binary PGM/PPM (P5/P6), decoded to
// exactly the DecodedImage that decodeImageBytes gives through OpenCV, so training and
// evaluation read the same pixels in either build (tst_preprocess compares the two). Other
// formats (JPEG, WebP, ...) need OpenCV. Torch-free.
//
// Thread-safety: pure functions, safe from any thread.
#include "clip/imagepreprocess.h"

namespace ra {

// True when BYTES start with a signature this decoder reads.
bool builtinDecoderReads(const std::vector<uint8_t>& bytes);
// Decodes BYTES (structurally sound: decodeImageBytes checks PNG chunks and data first); SOURCE
// names them in errors. Throws ra::Error for formats it does not read.
DecodedImage decodeWithBuiltinDecoder(const std::vector<uint8_t>& bytes, const std::string& source);

} // namespace ra

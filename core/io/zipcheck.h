#pragma once
// Verifying a zip archive before a library reads it. libtorch's TorchScript reader (a .pt
// checkpoint is a zip of stored records) checks neither the records' CRC-32 nor that a record
// lies inside the file: flipped bytes gave silently wrong weights and a cut record read past the
// data. Torch-free.
#include <string>

namespace ra {

// Throws ra::Error naming PATH and the first problem: no end-of-archive record, a central
// directory or local header out of place, a record extending past the end of the file, or a
// stored record whose CRC-32 differs from the one the archive records.
void checkZipArchive(const std::string& path);

} // namespace ra

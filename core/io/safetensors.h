#pragma once
// A bounds-checked reader and writer for the safetensors format (8-byte little-endian header
// length, JSON header, packed little-endian tensor bytes). Torch-free: tensors are raw bytes.
//
// Reading validates everything the format promises before any byte is used: header length within
// the file, valid JSON, known dtypes, shapes whose byte size matches the offsets, offsets sorted
// into a contiguous, non-overlapping cover of the data buffer, no duplicate names. Any violation
// throws ra::Error naming the file and the problem.
//
// Thread-safety: a SafeTensorsFile is immutable after open(); concurrent reads are safe.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ra {

enum class DType { Bool, U8, I8, I16, U16, F16, BF16, I32, U32, F32, I64, U64, F64 };

size_t dtypeSize(DType dtype);
const char* dtypeName(DType dtype);

struct TensorInfo {
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t begin = 0; // offset into the data buffer
    uint64_t end = 0;
    int64_t numel() const;
};

class SafeTensorsFile {
public:
    // Reads and validates the whole file, or with HEADERONLY its header alone (names, dtypes,
    // shapes and offsets, checked against the file's size; data() is then unavailable), which
    // is all a model's description needs. Throws ra::Error.
    static SafeTensorsFile open(const std::string& path, bool headerOnly = false);

    const std::string& path() const { return m_path; }
    const std::map<std::string, TensorInfo>& tensors() const { return m_tensors; }
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    bool contains(const std::string& name) const { return m_tensors.count(name) != 0; }
    const TensorInfo& info(const std::string& name) const; // throws ra::Error when missing
    const uint8_t* data(const std::string& name) const;    // first byte of the tensor; throws when header-only

private:
    std::string m_path;
    std::vector<uint8_t> m_bytes;
    uint64_t m_dataStart = 0;
    bool m_headerOnly = false;
    std::map<std::string, TensorInfo> m_tensors;
    std::map<std::string, std::string> m_metadata;
};

// One tensor to write: raw little-endian bytes in C order.
struct TensorBlob {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    std::vector<uint8_t> bytes;
};

// Writes a safetensors file the way the reference writer does (tensors by descending alignment
// then name, header padded with spaces to a multiple of 8). Writes to PATH.tmp and renames, so a
// crash never leaves a half-written file. Throws ra::Error.
void writeSafeTensors(const std::string& path, const std::vector<TensorBlob>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

} // namespace ra

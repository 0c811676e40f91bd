#include "io/safetensors.h"

#include "io/atomicfile.h"
#include "util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>

namespace ra {
namespace {

struct DTypeEntry {
    DType dtype;
    const char* name;
    size_t size;
};
const DTypeEntry kDTypes[] = {{DType::Bool, "BOOL", 1}, {DType::U8, "U8", 1},   {DType::I8, "I8", 1},
                              {DType::I16, "I16", 2},   {DType::U16, "U16", 2}, {DType::F16, "F16", 2},
                              {DType::BF16, "BF16", 2}, {DType::I32, "I32", 4}, {DType::U32, "U32", 4},
                              {DType::F32, "F32", 4},   {DType::I64, "I64", 8}, {DType::U64, "U64", 8},
                              {DType::F64, "F64", 8}};

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw Error(path + ": " + what); }

} // namespace

size_t dtypeSize(DType dtype)
{
    for (const auto& e : kDTypes)
        if (e.dtype == dtype) return e.size;
    return 0;
}

const char* dtypeName(DType dtype)
{
    for (const auto& e : kDTypes)
        if (e.dtype == dtype) return e.name;
    return "?";
}

int64_t TensorInfo::numel() const
{
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

SafeTensorsFile SafeTensorsFile::open(const std::string& path, bool headerOnly)
{
    SafeTensorsFile f;
    f.m_path = path;
    f.m_headerOnly = headerOnly;
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) fail(path, "cannot open the file for reading.");
    const std::streamoff size = in.tellg();
    if (size < 8) fail(path, "the file is too short to be a safetensors file (" + std::to_string(size) + " bytes).");
    f.m_bytes.resize(8);
    in.seekg(0);
    if (!in.read(reinterpret_cast<char*>(f.m_bytes.data()), 8)) fail(path, "could not read the file.");

    uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i) headerLength = (headerLength << 8) | f.m_bytes[static_cast<size_t>(i)];
    const uint64_t fileSize = static_cast<uint64_t>(size);
    if (headerLength > 100000000ull)
        fail(path,
             "the header length " + std::to_string(headerLength) +
                 " exceeds the 100 MB limit (not a safetensors file?).");
    if (headerLength > fileSize - 8)
        fail(path,
             "the header length " + std::to_string(headerLength) + " runs past the end of the file (" +
                 std::to_string(fileSize) + " bytes); the file is truncated or not a safetensors file.");
    f.m_dataStart = 8 + headerLength;
    const uint64_t dataSize = fileSize - f.m_dataStart;
    f.m_bytes.resize(static_cast<size_t>(headerOnly ? f.m_dataStart : fileSize));
    if (!in.read(reinterpret_cast<char*>(f.m_bytes.data()) + 8, std::streamsize(f.m_bytes.size() - 8)))
        fail(path, "could not read the file.");

    nlohmann::json header;
    try {
        header = nlohmann::json::parse(f.m_bytes.begin() + 8,
                                       f.m_bytes.begin() + static_cast<std::ptrdiff_t>(f.m_dataStart));
    } catch (const std::exception&) {
        fail(path, "the header is not valid JSON (not a safetensors file?).");
    }
    if (!header.is_object()) fail(path, "the header is not a JSON object.");

    std::vector<std::pair<std::string, TensorInfo>> ordered;
    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string& name = it.key();
        const auto& v = it.value();
        if (name == "__metadata__") {
            if (!v.is_object()) fail(path, "__metadata__ is not an object.");
            for (auto m = v.begin(); m != v.end(); ++m) {
                if (!m.value().is_string()) fail(path, "__metadata__ value '" + m.key() + "' is not a string.");
                f.m_metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets"))
            fail(path, "tensor '" + name + "' lacks dtype, shape or data_offsets.");
        TensorInfo info;
        if (!v["dtype"].is_string()) fail(path, "tensor '" + name + "' has a non-string dtype.");
        const std::string dtype = v["dtype"].get<std::string>();
        bool known = false;
        for (const auto& e : kDTypes)
            if (dtype == e.name) {
                info.dtype = e.dtype;
                known = true;
            }
        if (!known) fail(path, "tensor '" + name + "' has the unknown dtype '" + dtype + "'.");
        if (!v["shape"].is_array()) fail(path, "tensor '" + name + "' has a shape that is not a list.");
        uint64_t numel = 1;
        for (const auto& d : v["shape"]) {
            if (!d.is_number_unsigned()) fail(path, "tensor '" + name + "' has a negative or non-integer dimension.");
            const uint64_t dim = d.get<uint64_t>();
            if (dim != 0 && numel > std::numeric_limits<uint64_t>::max() / 64 / dim)
                fail(path, "tensor '" + name + "' has an impossibly large shape.");
            numel *= dim;
            info.shape.push_back(static_cast<int64_t>(dim));
        }
        const auto& off = v["data_offsets"];
        if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
            fail(path, "tensor '" + name + "' has malformed data_offsets.");
        info.begin = off[0].get<uint64_t>();
        info.end = off[1].get<uint64_t>();
        if (info.end < info.begin || info.end > dataSize)
            fail(path,
                 "tensor '" + name + "' has data offsets [" + std::to_string(info.begin) + ", " +
                     std::to_string(info.end) + ") outside the " + std::to_string(dataSize) + "-byte data buffer.");
        if (info.end - info.begin != numel * dtypeSize(info.dtype))
            fail(path,
                 "tensor '" + name + "' occupies " + std::to_string(info.end - info.begin) +
                     " bytes but its shape and dtype need " + std::to_string(numel * dtypeSize(info.dtype)) + ".");
        ordered.emplace_back(name, info);
    }
    std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
        return a.second.begin != b.second.begin ? a.second.begin < b.second.begin : a.second.end < b.second.end;
    });
    uint64_t expected = 0;
    for (const auto& [name, info] : ordered) {
        if (info.begin < expected) fail(path, "tensor '" + name + "' overlaps the tensor before it.");
        if (info.begin > expected) fail(path, "there is a gap in the data buffer before tensor '" + name + "'.");
        expected = info.end;
        if (!f.m_tensors.emplace(name, info).second) fail(path, "tensor '" + name + "' appears twice.");
    }
    if (expected != dataSize)
        fail(path,
             "the tensors cover " + std::to_string(expected) + " bytes but the data buffer has " +
                 std::to_string(dataSize) + " (truncated or trailing data).");
    return f;
}

const TensorInfo& SafeTensorsFile::info(const std::string& name) const
{
    auto it = m_tensors.find(name);
    if (it == m_tensors.end()) fail(m_path, "the tensor '" + name + "' is missing.");
    return it->second;
}

const uint8_t* SafeTensorsFile::data(const std::string& name) const
{
    if (m_headerOnly) fail(m_path, "only the header was read; the tensor data of '" + name + "' is not available.");
    return m_bytes.data() + m_dataStart + info(name).begin;
}

void writeSafeTensors(const std::string& path, const std::vector<TensorBlob>& tensors,
                      const std::map<std::string, std::string>& metadata)
{
    std::vector<const TensorBlob*> order;
    for (const auto& t : tensors) order.push_back(&t);
    std::sort(order.begin(), order.end(), [](const TensorBlob* a, const TensorBlob* b) {
        const size_t sa = dtypeSize(a->dtype), sb = dtypeSize(b->dtype);
        return sa != sb ? sa > sb : a->name < b->name;
    });
    // nlohmann::ordered_json keeps __metadata__ first and tensors in write order.
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    uint64_t offset = 0;
    for (const TensorBlob* t : order) {
        int64_t numel = 1;
        for (int64_t d : t->shape) numel *= d;
        if (static_cast<uint64_t>(numel) * dtypeSize(t->dtype) != t->bytes.size())
            throw Error(path + ": internal error: tensor '" + t->name + "' has the wrong number of bytes.");
        header[t->name] = {
            {"dtype", dtypeName(t->dtype)}, {"shape", t->shape}, {"data_offsets", {offset, offset + t->bytes.size()}}};
        offset += t->bytes.size();
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    AtomicFile out(path, "the safetensors file");
    uint64_t n = text.size();
    char len[8];
    for (int i = 0; i < 8; ++i) {
        len[i] = static_cast<char>(n & 0xFF);
        n >>= 8;
    }
    out.write(len, 8);
    out.write(text.data(), text.size());
    for (const TensorBlob* t : order) out.write(t->bytes.data(), t->bytes.size());
    out.commit();
}

} // namespace ra

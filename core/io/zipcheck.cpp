#include "io/zipcheck.h"

#include "util/error.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <vector>

namespace ra {
namespace {

uint16_t le16(const uint8_t* p) { return uint16_t(p[0] | p[1] << 8); }
uint32_t le32(const uint8_t* p)
{
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
uint64_t le64(const uint8_t* p) { return uint64_t(le32(p)) | uint64_t(le32(p + 4)) << 32; }

class Reader {
public:
    explicit Reader(const std::string& path) : m_path(path), m_in(path, std::ios::binary)
    {
        if (!m_in) throw Error(path + ": cannot open the file.");
        m_in.seekg(0, std::ios::end);
        m_size = uint64_t(m_in.tellg());
    }
    uint64_t size() const { return m_size; }
    std::vector<uint8_t> read(uint64_t offset, uint64_t n)
    {
        if (offset > m_size || n > m_size - offset) damaged("a record points past the end of the file (cut short?)");
        std::vector<uint8_t> b(n);
        m_in.seekg(std::streamoff(offset));
        m_in.read(reinterpret_cast<char*>(b.data()), std::streamsize(n));
        if (uint64_t(m_in.gcount()) != n) damaged("it could not be read to the end");
        return b;
    }
    uint32_t crcOf(uint64_t offset, uint64_t n)
    {
        if (offset > m_size || n > m_size - offset) damaged("a record extends past the end of the file (cut short?)");
        m_in.seekg(std::streamoff(offset));
        std::vector<char> buf(1 << 20);
        uLong crc = crc32(0L, Z_NULL, 0);
        while (n > 0) {
            const auto chunk = std::streamsize(std::min<uint64_t>(n, buf.size()));
            m_in.read(buf.data(), chunk);
            if (m_in.gcount() != chunk) damaged("it could not be read to the end");
            crc = crc32(crc, reinterpret_cast<const Bytef*>(buf.data()), uInt(chunk));
            n -= uint64_t(chunk);
        }
        return uint32_t(crc);
    }
    [[noreturn]] void damaged(const std::string& what) const
    {
        throw Error(m_path + ": the TorchScript archive is damaged (" + what + ").");
    }

private:
    std::string m_path;
    std::ifstream m_in;
    uint64_t m_size = 0;
};

} // namespace

void checkZipArchive(const std::string& path)
{
    Reader r(path);
    if (r.size() < 22) r.damaged("too short to be a zip archive");
    // The end-of-central-directory record is in the last 22 + 65535 bytes.
    const uint64_t tailSize = std::min<uint64_t>(r.size(), 22 + 65535);
    const std::vector<uint8_t> tail = r.read(r.size() - tailSize, tailSize);
    int64_t eocd = -1;
    for (int64_t i = int64_t(tail.size()) - 22; i >= 0; --i)
        if (le32(&tail[size_t(i)]) == 0x06054b50) {
            eocd = i;
            break;
        }
    if (eocd < 0) r.damaged("no end-of-archive record; the file is cut short or not a zip archive");
    const uint8_t* e = &tail[size_t(eocd)];
    uint64_t entries = le16(e + 10), dirSize = le32(e + 12), dirOffset = le32(e + 16);
    if (entries == 0xFFFF || dirSize == 0xFFFFFFFF || dirOffset == 0xFFFFFFFF) { // zip64
        if (eocd < 20 || le32(&tail[size_t(eocd - 20)]) != 0x07064b50) r.damaged("a zip64 archive without its locator");
        const uint64_t recordOffset = le64(&tail[size_t(eocd - 20) + 8]);
        const std::vector<uint8_t> z = r.read(recordOffset, 56);
        if (le32(z.data()) != 0x06064b50) r.damaged("the zip64 end record is out of place");
        entries = le64(&z[32]);
        dirSize = le64(&z[40]);
        dirOffset = le64(&z[48]);
    }
    if (entries > 1000000 || dirSize > r.size()) r.damaged("an impossible central directory");
    const std::vector<uint8_t> dir = r.read(dirOffset, dirSize);
    size_t at = 0;
    for (uint64_t i = 0; i < entries; ++i) {
        if (at + 46 > dir.size() || le32(&dir[at]) != 0x02014b50)
            r.damaged("the central directory is cut short or out of place");
        const uint16_t method = le16(&dir[at + 10]);
        const uint32_t crc = le32(&dir[at + 16]);
        uint64_t compressed = le32(&dir[at + 20]), uncompressed = le32(&dir[at + 24]);
        const uint16_t nameLen = le16(&dir[at + 28]), extraLen = le16(&dir[at + 30]), commentLen = le16(&dir[at + 32]);
        uint64_t localOffset = le32(&dir[at + 42]);
        if (at + 46 + nameLen + extraLen + commentLen > dir.size()) r.damaged("the central directory is cut short");
        const std::string name(reinterpret_cast<const char*>(&dir[at + 46]), nameLen);
        // zip64 sizes and offset live in the extra field (id 1), in this order, when their
        // 32-bit fields are saturated.
        for (size_t x = at + 46 + nameLen, xEnd = x + extraLen; x + 4 <= xEnd;) {
            const uint16_t id = le16(&dir[x]), len = le16(&dir[x + 2]);
            if (x + 4 + len > xEnd) break;
            if (id == 1) {
                size_t f = x + 4;
                auto take = [&](uint64_t& v) {
                    if (v == 0xFFFFFFFF && f + 8 <= x + 4 + len) {
                        v = le64(&dir[f]);
                        f += 8;
                    }
                };
                take(uncompressed);
                take(compressed);
                take(localOffset);
            }
            x += 4 + len;
        }
        const std::vector<uint8_t> local = r.read(localOffset, 30);
        if (le32(local.data()) != 0x04034b50) r.damaged("the record '" + name + "' is out of place");
        const uint64_t dataStart = localOffset + 30 + le16(&local[26]) + le16(&local[28]);
        if (dataStart > r.size() || compressed > r.size() - dataStart)
            r.damaged("the record '" + name + "' extends past the end of the file (cut short?)");
        if (method == 0) {
            if (compressed != uncompressed) r.damaged("the stored record '" + name + "' has two different sizes");
            if (r.crcOf(dataStart, compressed) != crc) r.damaged("the record '" + name + "' fails its CRC-32 check");
        }
        at += 46 + nameLen + extraLen + commentLen;
    }
}

} // namespace ra

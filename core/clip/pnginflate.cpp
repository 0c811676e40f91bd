#include "clip/pnginflate.h"

#include <zlib.h>

#include <algorithm>

namespace ra {

std::string inflatePngData(const std::vector<uint8_t>& idat, uint64_t expected, std::vector<uint8_t>& out)
{
    out.clear();
    z_stream z{};
    if (inflateInit(&z) != Z_OK) return "the PNG data cannot be inflated";
    z.next_in = const_cast<Bytef*>(idat.data());
    z.avail_in = uInt(idat.size());
    // One byte more than expected, so a stream that runs long is seen as such.
    const uint64_t limit = expected + 1;
    int rc = Z_OK;
    while (rc == Z_OK) {
        if (out.size() == limit) break;
        const size_t used = out.size();
        out.resize(size_t(std::min<uint64_t>(limit, std::max<uint64_t>(65536, uint64_t(used) * 2))));
        const uInt room = uInt(std::min<size_t>(out.size() - used, size_t(1) << 30));
        z.next_out = out.data() + used;
        z.avail_out = room;
        rc = inflate(&z, Z_NO_FLUSH);
        out.resize(used + (room - z.avail_out));
        if (rc == Z_BUF_ERROR && z.avail_in == 0) break; // the input ended before the stream did
        if (rc == Z_BUF_ERROR) rc = Z_OK;                // no progress this round: more room
    }
    inflateEnd(&z);
    if (rc == Z_STREAM_END) return out.size() == expected ? "" : "the PNG image data does not match its size";
    if (out.size() == limit) return "the PNG image data does not match its size";
    if (rc == Z_OK || rc == Z_BUF_ERROR) return "the PNG image data is cut short";
    return "the PNG image data is corrupt";
}

} // namespace ra

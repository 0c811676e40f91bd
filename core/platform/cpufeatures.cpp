#include "platform/cpufeatures.h"

#include "util/error.h"

#include <cpuid.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>

namespace ra {
namespace {

struct Regs {
    unsigned a = 0, b = 0, c = 0, d = 0;
};

Regs cpuid(unsigned leaf, unsigned sub = 0)
{
    Regs r;
    __cpuid_count(leaf, sub, r.a, r.b, r.c, r.d);
    return r;
}

bool bit(unsigned v, int n) { return (v >> n) & 1u; }

// XCR0: which register states the OS saves on a context switch. A CPU feature whose registers the
// kernel does not save cannot be used.
uint64_t xcr0()
{
    uint32_t lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t(hi) << 32) | lo;
}

std::string trim(std::string s)
{
    s.erase(std::find(s.begin(), s.end(), '\0'), s.end());
    const auto b = s.find_first_not_of(' ');
    const auto e = s.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

CpuFeatures readCpu()
{
    CpuFeatures f;
    f.logicalCores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const Regs v = cpuid(0);
    char vendor[13] = {};
    std::memcpy(vendor, &v.b, 4);
    std::memcpy(vendor + 4, &v.d, 4);
    std::memcpy(vendor + 8, &v.c, 4);
    f.vendor = vendor;
    const unsigned maxLeaf = v.a;
    const unsigned maxExt = cpuid(0x80000000).a;
    if (maxExt >= 0x80000004) {
        char brand[49] = {};
        for (unsigned i = 0; i < 3; ++i) {
            const Regs r = cpuid(0x80000002 + i);
            std::memcpy(brand + 16 * i, &r, 16);
        }
        f.model = trim(brand);
    }
    if (maxLeaf < 1) return f;
    const Regs l1 = cpuid(1);
    const bool osxsave = bit(l1.c, 27);
    const uint64_t xcr = osxsave ? xcr0() : 0;
    const bool osAvx = (xcr & 0x6) == 0x6;               // SSE and AVX state
    const bool osAvx512 = osAvx && (xcr & 0xe0) == 0xe0; // opmask, ZMM_Hi256, Hi16_ZMM
    const bool osAmx = (xcr & 0x60000) == 0x60000;       // XTILECFG, XTILEDATA
    f.fma = osAvx && bit(l1.c, 12);
    f.avx = osAvx && bit(l1.c, 28);
    f.sse42 = bit(l1.c, 20);
    if (maxExt >= 0x80000001) {
        const Regs e1 = cpuid(0x80000001);
        f.amd3dNow = bit(e1.d, 31);
        f.fma4 = osAvx && bit(e1.c, 16);
    }
    if (maxLeaf < 7) return f;
    const Regs l7 = cpuid(7, 0);
    f.avx2 = osAvx && bit(l7.b, 5);
    f.avx512f = osAvx512 && bit(l7.b, 16);
    f.avx512dq = osAvx512 && bit(l7.b, 17);
    f.avx512bw = osAvx512 && bit(l7.b, 30);
    f.avx512vl = osAvx512 && bit(l7.b, 31);
    // Linux enables AMX per process on request (oneDNN asks); the XCR0 bits say the OS supports it.
    f.amxBf16 = osAmx && bit(l7.d, 22) && bit(l7.d, 24);
    if (l7.a >= 1) f.avx512bf16 = osAvx512 && bit(cpuid(7, 1).a, 5);
    return f;
}

} // namespace

std::string CpuFeatures::isaClass() const
{
    if (avx512Core() && nativeBf16()) return "avx512-bf16";
    if (avx512Core()) return "avx512";
    if (avx2 && fma) return "avx2";
    return "baseline";
}

std::string CpuFeatures::flagList() const
{
    std::string out;
    auto add = [&](bool on, const char* name) {
        if (!on) return;
        if (!out.empty()) out += ' ';
        out += name;
    };
    add(avx2, "avx2");
    add(fma, "fma");
    add(avx512f, "avx512f");
    add(avx512bw, "avx512bw");
    add(avx512vl, "avx512vl");
    add(avx512dq, "avx512dq");
    add(avx512bf16, "avx512_bf16");
    add(amxBf16, "amx_bf16");
    return out;
}

std::string CpuFeatures::identity() const
{
    return vendor + "|" + model + "|" + flagList() + (isaLimit.empty() ? "" : "|limit=" + isaLimit);
}

CpuFeatures detectCpuFeatures(const std::string& isaLimit)
{
    CpuFeatures f = readCpu();
    if (isaLimit.empty() || isaLimit == "native") return f;
    if (isaLimit == "avx2") {
        f.avx512f = f.avx512bw = f.avx512vl = f.avx512dq = f.avx512bf16 = f.amxBf16 = false;
    } else if (isaLimit == "avx512") {
        f.avx512bf16 = f.amxBf16 = false;
    } else {
        throw Error("RADAPTER_CPU_ISA: '" + isaLimit + "' is not native, avx512 or avx2.");
    }
    f.isaLimit = isaLimit;
    return f;
}

const CpuFeatures& cpuFeatures()
{
    static const CpuFeatures features = [] {
        const char* limit = std::getenv("RADAPTER_CPU_ISA");
        try {
            return detectCpuFeatures(limit ? limit : "");
        } catch (const Error& e) {
            std::cerr << "radapter: " << e.what() << " Using the CPU as it is.\n";
            return detectCpuFeatures("");
        }
    }();
    return features;
}

} // namespace ra

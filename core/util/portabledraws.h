#pragma once
// Uniform draws that are the same from the same seed with every compiler and standard library
// (std::uniform_real_distribution and std::normal_distribution are not specified bit for bit): a
// search drawn from a seed must draw the same values on every machine, so that started again
// with its tag it finds its runs. splitmix64 (Steele, Lea & Flood 2014).
#include <cmath>
#include <cstdint>

namespace ra {

struct PortableDraws {
    uint64_t state;
    double next() // uniform in [0, 1)
    {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return double((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
    }
    double normal() // standard normal, by Box and Muller
    {
        const double u = 1 - next(); // in (0, 1]: its log is finite
        return std::sqrt(-2 * std::log(u)) * std::cos(2 * M_PI * next());
    }
};

} // namespace ra

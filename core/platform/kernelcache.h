#pragma once
// The per-machine record of which matrix-product kernel won each shape class's calibration, so the
// measurement runs once per machine, not once per program start. One JSON file, by default
// $XDG_CACHE_HOME/radapter-studio/kernels.json (~/.cache/... when XDG_CACHE_HOME is unset), or
// $RADAPTER_KERNEL_CACHE. Choices belong to one machine identity (CPU model and features, the ISA
// limit, the libtorch version): an instance uses only its identity's, and keeps the others' in the
// file (version 2, "machines"; a version-1 file of one identity is read too), since replacing them
// made the programs of that identity measure again and perhaps choose other kernels, which changed
// their numbers in the last bits (the test programs under RADAPTER_CPU_ISA=avx2 beside the others).
// Torch-free; a cache that cannot be read or written only costs a new calibration.
//
// Thread-safety: not thread-safe; kernelselect.cpp guards its one instance with a mutex.
#include <map>
#include <optional>
#include <string>

namespace ra {

struct KernelChoice {
    std::string kernel;               // "onednn" or "blas"
    std::map<std::string, double> ms; // each candidate's measured milliseconds per product
};

class KernelCache {
public:
    // Reads PATH when it exists and was written for IDENTITY.
    KernelCache(std::string path, std::string identity);

    const std::string& path() const { return m_path; }
    const std::string& identity() const { return m_identity; }
    bool reused() const { return m_reused; } // entries were read from an existing file
    std::optional<KernelChoice> lookup(const std::string& key) const;
    const std::map<std::string, KernelChoice>& entries() const { return m_entries; }
    // Reads the file again for the entries other programs have written since this one read it
    // (the entries this instance holds stay as they are). True when it found any.
    bool refresh();
    // Records KEY, unless another program has written KEY to the file meanwhile: then its choice
    // is taken instead, so the programs on one machine use one kernel per shape class (and a
    // resumed run the kernels its first process used). Then rewrites the file with this
    // instance's entries merged into the file's, the file's winning where both hold a key (a
    // temporary then a rename, so readers never see half; PATH.lock held from the read to the
    // rename), so two programs calibrating different shapes at once keep both. Returns the choice
    // now recorded; WRITTEN (when given) says whether the file could be written (the entry is
    // kept in memory either way).
    KernelChoice store(const std::string& key, const KernelChoice& choice, bool* written = nullptr);

private:
    // The file's entries for this identity (none when it is missing, damaged or another's).
    std::map<std::string, KernelChoice> readFile() const;
    // Takes the file's entries this instance lacks (those it holds stay); true when it found any.
    bool adopt(const std::map<std::string, KernelChoice>& fileEntries);

    std::string m_path, m_identity;
    bool m_reused = false;
    std::map<std::string, KernelChoice> m_entries;
};

// $RADAPTER_KERNEL_CACHE, else $XDG_CACHE_HOME/radapter-studio/kernels.json, else
// $HOME/.cache/radapter-studio/kernels.json; "" when none of them is set.
std::string defaultKernelCachePath();

} // namespace ra

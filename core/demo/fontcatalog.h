#pragma once
// The typefaces the demo world renders with, from Debian's font packages (fonts-liberation2,
// fonts-urw-base35, fonts-freefont-ttf, fonts-dejavu-extra, fonts-crosextra-*, fonts-comic-neue,
// fonts-cantarell, fonts-roboto-unhinted, fonts-noto-mono). Torch-free.
//
// Six families are held out of pre-training and fine-tuning, chosen by one principle before any
// model was fitted: one family from each style class, so that the printed OOD set asks "does the
// model recognise digits in a typeface it never saw?" across every style:
//   humanist sans Cantarell, slab serif Caladea, old-style serif URW Bookman, monospace Noto Mono /
//   Noto Sans Mono, casual Comic Neue, script Z003 (Zapf Chancery).
#include <string>
#include <vector>

namespace ra {

struct FontFace {
    std::string family; // e.g. "LiberationSans"
    std::string file;
};

struct FontCatalog {
    std::vector<FontFace> training;
    std::vector<FontFace> heldOut;
    // Scans ROOT (default /usr/share/fonts) for .ttf/.otf files, sorted by path for determinism.
    // Symbol and dingbat families are skipped. Throws ra::Error when a split is empty.
    static FontCatalog scan(const std::string& root = "/usr/share/fonts");
    static bool isHeldOutFamily(const std::string& family);
};

} // namespace ra

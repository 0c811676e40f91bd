#include "demo/digitsshift.h"

#include "demo/fontcatalog.h"
#include "demo/glyphcorpus.h"
#include "demo/glyphrenderer.h"
#include "io/atomicfile.h"
#include "io/filelock.h"
#include "util/error.h"
#include "util/numbertext.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <tuple>
#include <map>
#include <numeric>
#include <random>
#include <sstream>

namespace fs = std::filesystem;

namespace ra {
namespace {

constexpr int kSide = 32;

uint64_t fnv1a(const std::vector<uint8_t>& bytes, uint64_t h = 1469598103934665603ull)
{
    for (uint8_t b : bytes) {
        h ^= b;
        h *= 1099511628211ull;
    }
    return h;
}

std::string hex(uint64_t v)
{
    std::ostringstream s;
    s << std::hex << v;
    return s.str();
}

// Grey 20x20 cell (white ink on black) -> dark ink on white paper, padded to 32x32.
cv::Mat frameDigit(const cv::Mat& whiteOnBlack)
{
    cv::Mat inverted = 255 - whiteOnBlack;
    cv::Mat framed;
    const int pad = (kSide - inverted.cols) / 2;
    cv::copyMakeBorder(inverted, framed, pad, kSide - inverted.rows - pad, pad, kSide - inverted.cols - pad,
                       cv::BORDER_CONSTANT, cv::Scalar(255));
    return framed;
}

// One prepared file. A failed write (a full disk, a file-size limit) is an error naming the file:
// a folder with missing files must never get its manifest, which marks it as complete.
void writePreparedFile(const fs::path& file, const void* data, size_t size)
{
    errno = 0;
    std::FILE* f = std::fopen(file.c_str(), "wb");
    bool ok = f && std::fwrite(data, 1, size, f) == size;
    int error = errno;
    if (f && std::fclose(f) != 0) ok = false, error = error ? error : errno;
    if (!ok)
        throw Error(file.string() + ": cannot write the prepared file (" +
                    (error ? std::strerror(error) : "unknown error") +
                    "); the demo data is incomplete and will be prepared again next time.");
}
void writePreparedFile(const fs::path& file, const std::vector<uint8_t>& bytes)
{
    writePreparedFile(file, bytes.data(), bytes.size());
}
void writePreparedFile(const fs::path& file, const std::string& text)
{
    writePreparedFile(file, text.data(), text.size());
}

class Writer {
public:
    explicit Writer(std::string root) : m_root(std::move(root)) {}
    void write(const std::string& split, int label, int index, const cv::Mat& rgbOrGrey)
    {
        const fs::path dir = fs::path(m_root) / split / std::to_string(label);
        fs::create_directories(dir);
        cv::Mat bgr;
        if (rgbOrGrey.channels() == 3) cv::cvtColor(rgbOrGrey, bgr, cv::COLOR_RGB2BGR);
        else cv::cvtColor(rgbOrGrey, bgr, cv::COLOR_GRAY2BGR);
        std::vector<uint8_t> png;
        cv::imencode(".png", bgr, png, {cv::IMWRITE_PNG_COMPRESSION, 6});
        char name[32];
        std::snprintf(name, sizeof name, "%05d.png", index);
        const fs::path file = dir / name;
        writePreparedFile(file, png);
        m_hashes[fs::relative(file, m_root).generic_string()] = fnv1a(png);
        ++m_counts[split];
    }
    // A file outside the class layout (retrieval images), RELPATH under the root.
    void writeFile(const std::string& relPath, const cv::Mat& rgb)
    {
        const fs::path file = fs::path(m_root) / relPath;
        fs::create_directories(file.parent_path());
        cv::Mat bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        std::vector<uint8_t> png;
        cv::imencode(".png", bgr, png, {cv::IMWRITE_PNG_COMPRESSION, 6});
        writePreparedFile(file, png);
        m_hashes[relPath] = fnv1a(png);
    }
    void countSplit(const std::string& split, int n) { m_counts[split] += n; }
    const std::map<std::string, uint64_t>& hashes() const { return m_hashes; }
    const std::map<std::string, int>& counts() const { return m_counts; }

private:
    std::string m_root;
    std::map<std::string, uint64_t> m_hashes;
    std::map<std::string, int> m_counts;
};

std::vector<std::pair<cv::Mat, int>> loadOpenCvDigits(const std::string& path)
{
    cv::Mat sheet = cv::imread(path, cv::IMREAD_GRAYSCALE);
    if (sheet.empty()) throw Error(path + ": missing or unreadable (install the Debian package opencv-doc).");
    if (sheet.cols != 2000 || sheet.rows != 1000) throw Error(path + ": expected a 2000x1000 sheet of 20x20 digits.");
    std::vector<std::pair<cv::Mat, int>> out;
    for (int r = 0; r < 50; ++r)
        for (int c = 0; c < 100; ++c) out.emplace_back(sheet(cv::Rect(c * 20, r * 20, 20, 20)).clone(), r / 5);
    return out;
}

std::vector<std::pair<cv::Mat, int>> loadUciDigits(const std::string& path)
{
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) throw Error(path + ": missing (install the Debian package python3-sklearn).");
    std::string text;
    char buf[65536];
    int n;
    while ((n = gzread(f, buf, sizeof buf)) > 0) text.append(buf, size_t(n));
    gzclose(f);
    std::vector<std::pair<cv::Mat, int>> out;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::vector<int> v;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) {
            const auto value = finiteNumberFrom(cell);
            if (!value) throw Error(path + ": '" + cell + "' is not a number.");
            v.push_back(int(*value));
        }
        if (v.size() != 65) throw Error(path + ": a row does not have 64 pixels and a label.");
        cv::Mat img(8, 8, CV_8UC1);
        for (int i = 0; i < 64; ++i)
            img.data[i] = cv::saturate_cast<uint8_t>(v[size_t(i)] * 255 / 16); // white ink on black
        cv::Mat up;
        cv::resize(img, up, cv::Size(20, 20), 0, 0, cv::INTER_CUBIC);
        out.emplace_back(up, v[64]);
    }
    if (out.size() != 1797) throw Error(path + ": expected 1,797 digits, found " + std::to_string(out.size()) + ".");
    return out;
}

cv::Mat toMat(const DecodedImage& img)
{
    return cv::Mat(img.height, img.width, CV_8UC3, const_cast<uint8_t*>(img.pixels.data())).clone();
}

using StyleFn = std::function<GlyphStyle(std::mt19937_64& rng, const FontFace& font)>;

// PER_DIGIT images of each digit, typefaces in turn, each drawn in the style STYLE picks.
std::vector<std::pair<cv::Mat, int>> renderDigits(const std::vector<FontFace>& fonts, int perDigit, uint64_t seed,
                                                  const StyleFn& style)
{
    GlyphRenderer renderer;
    std::mt19937_64 rng(seed);
    std::vector<std::pair<cv::Mat, int>> out;
    for (int i = 0; i < perDigit * 10; ++i) {
        const int d = i % 10;
        GlyphStyle s = style(rng, fonts[size_t(i / 10) % fonts.size()]);
        s.seed = rng();
        out.emplace_back(toMat(renderer.render(std::to_string(d), s, kSide)), d);
    }
    return out;
}

// The ID test digits again, each restyled (handwriting under a new pose or in clutter): the ID
// domain's own images with the variation, as ObjectNet and ImageNet-A are photographs.
std::vector<std::pair<cv::Mat, int>> restyleDigits(const std::vector<std::pair<cv::Mat, int>>& digits, uint64_t seed,
                                                   const StyleFn& style)
{
    GlyphRenderer renderer;
    std::mt19937_64 rng(seed);
    std::vector<std::pair<cv::Mat, int>> out;
    for (const auto& [grey, label] : digits) {
        std::vector<uint8_t> coverage(size_t(grey.total()));
        for (size_t i = 0; i < coverage.size(); ++i)
            coverage[i] = uint8_t(255 - grey.data[i]); // dark ink on light paper
        GlyphStyle s = style(rng, FontFace{});
        s.seed = rng();
        out.emplace_back(toMat(renderer.restyle(coverage, grey.cols, s, kSide)), label);
    }
    return out;
}

double uniform(std::mt19937_64& rng, double lo, double hi)
{
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}

std::array<uint8_t, 3> grey(int v) { return {uint8_t(v), uint8_t(v), uint8_t(v)}; }

// Dark ink on light paper, upright and centred, as a typesetter prints a digit.
GlyphStyle printedStyle(std::mt19937_64& rng, const FontFace& font)
{
    GlyphStyle s;
    s.fontFile = font.file;
    s.size = uniform(rng, 0.5, 0.8);
    s.offsetX = uniform(rng, -0.08, 0.08);
    s.offsetY = uniform(rng, -0.08, 0.08);
    s.rotationDegrees = uniform(rng, -8, 8);
    s.ink = grey(int(uniform(rng, 10, 70)));
    s.paper = grey(int(uniform(rng, 225, 255)));
    return s;
}

// ImageNet-R: renditions the pre-training knows, by "artists" (typefaces) it never saw.
GlyphStyle renditionStyle(std::mt19937_64& rng, const FontFace& font) { return printedStyle(rng, font); }

// ImageNet-Sketch: the same digits drawn as outlines or in thin strokes.
GlyphStyle sketchStyle(std::mt19937_64& rng, const FontFace& font)
{
    GlyphStyle s = printedStyle(rng, font);
    s.size = uniform(rng, 0.6, 0.85);
    if (uniform(rng, 0, 1) < 0.6) s.outline = 2 + int(rng() % 3);
    else s.weight = -2 - int(rng() % 2);
    return s;
}

// ObjectNet: unusual pose and framing (of the handwritten ID test digits): turned far, very small
// or so large it is cropped, off-centre.
GlyphStyle poseStyle(std::mt19937_64& rng, const FontFace& font)
{
    GlyphStyle s = printedStyle(rng, font);
    s.rotationDegrees = (rng() % 2 ? 1 : -1) * uniform(rng, 25, 55);
    s.size = rng() % 2 ? uniform(rng, 0.32, 0.45) : uniform(rng, 0.95, 1.15);
    s.offsetX = uniform(rng, -0.2, 0.2);
    s.offsetY = uniform(rng, -0.2, 0.2);
    return s;
}

// ImageNet-A: hard natural variation (of the handwritten ID test digits): colour, inverted contrast,
// textured backgrounds, clutter, noise.
GlyphStyle clutterStyle(std::mt19937_64& rng, const FontFace& font)
{
    GlyphStyle s = printedStyle(rng, font);
    s.rotationDegrees = uniform(rng, -10, 10);
    const NamedColour* ink;
    const NamedColour* paper;
    do {
        std::tie(ink, paper) = GlyphCorpus::pickColours(rng);
    } while (ink->rgb == GlyphCorpus::colours()[0].rgb &&
             paper->rgb == GlyphCorpus::colours()[1].rgb); // never plain print
    if (rng() % 2 &&
        0.299 * ink->rgb[0] + 0.587 * ink->rgb[1] + 0.114 * ink->rgb[2] <
            0.299 * paper->rgb[0] + 0.587 * paper->rgb[1] + 0.114 * paper->rgb[2])
        std::swap(ink, paper); // half light ink on dark paper
    s.ink = ink->rgb;
    s.paper = paper->rgb;
    if (uniform(rng, 0, 1) < 0.7) {
        s.background = GlyphBackground(1 + rng() % 3);
        s.paper2 = GlyphCorpus::pickSecondPaper(rng, *ink, *paper)->rgb;
    }
    if (uniform(rng, 0, 1) < 0.5) s.distractors = 1 + int(rng() % 2);
    if (uniform(rng, 0, 1) < 0.5) s.noise = uniform(rng, 8, 25);
    return s;
}

// Retrieval pairs from rendered digits: each image gets two captions naming its digit and colours
// (captions of one image are the positives). Written as retrieval/SPLIT.csv (path,caption).
void renderRetrieval(Writer& w, const std::string& root, const std::string& split, const std::vector<FontFace>& fonts,
                     int images, uint64_t seed)
{
    GlyphRenderer renderer;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::ostringstream csv;
    csv << "path,caption\n";
    for (int i = 0; i < images; ++i) {
        GlyphStyle s;
        s.fontFile = fonts[rng() % fonts.size()].file;
        s.size = 0.5 + 0.3 * u(rng);
        s.offsetX = (u(rng) - 0.5) * 0.2;
        s.offsetY = (u(rng) - 0.5) * 0.2;
        s.rotationDegrees = (u(rng) - 0.5) * 20;
        const auto [ink, paper] = GlyphCorpus::pickColours(rng);
        s.ink = ink->rgb;
        s.paper = paper->rgb;
        const int d = int(rng() % 10);
        char name[48];
        std::snprintf(name, sizeof name, "%s/%05d.png", split.c_str(), i);
        w.writeFile(std::string("retrieval/") + name, toMat(renderer.render(std::to_string(d), s, kSide)));
        csv << name << "," << GlyphCorpus::digitCaption(6, d, ink->name, paper->name) << "\n";
        csv << name << "," << GlyphCorpus::digitCaption(7, d, ink->name, paper->name) << "\n";
    }
    writePreparedFile(fs::path(root) / "retrieval" / (split + ".csv"), csv.str());
    w.countSplit("retrieval/" + split, images);
}

// A preparation replaces the folders id, ood, extra, ... of its output folder. Only in a folder
// that is new, empty or already demo data (its marker, written first, its lock or a manifest):
// anywhere else a folder called "id" or "extra" may be the user's own.
constexpr const char* kDemoDataMarker = ".radapter-demo-data";
constexpr const char* kDemoDataLock = ".radapter-demo-data.lock";

void checkDemoDataFolder(const fs::path& root)
{
    std::error_code ec;
    if (fs::exists(root, ec)) {
        if (!fs::is_directory(root, ec)) throw Error(root.string() + ": is a file; give a folder for the demo data.");
        const bool ours = fs::exists(root / kDemoDataMarker, ec) || fs::exists(root / kDemoDataLock, ec) ||
            fs::exists(root / "manifest.json", ec);
        if (!ours && fs::directory_iterator(root, ec) != fs::directory_iterator())
            throw Error(root.string() +
                        ": is neither empty nor a demo data folder, and preparing replaces its id, ood, extra and "
                        "retrieval folders; give a new or empty folder.");
    }
    fs::create_directories(root, ec);
    if (ec) throw Error(root.string() + ": cannot create the folder (" + ec.message() + ").");
}

} // namespace

std::vector<PreparedSplit> prepareDigitsShift(const std::string& outDir, const DemoDataOptions& o)
{
    if (auto prepared = preparedDigitsShift(outDir, o)) return *prepared;
    const fs::path root(outDir);
    const fs::path manifestPath = root / "manifest.json";
    checkDemoDataFolder(root);
    // Programs preparing one folder at once (the Studio beside `radapter demo`, the demo's tests
    // side by side on a fresh checkout) take turns: the second finds the first's manifest and
    // uses its data, instead of deleting the files the first is writing or already reading.
    const FileLock lock((root / kDemoDataLock).string());
    if (auto prepared = preparedDigitsShift(outDir, o)) return *prepared;
    writePreparedFile(root / kDemoDataMarker, std::string("written by radapter prepare-demo\n"));
    std::error_code ec;
    fs::remove(manifestPath, ec); // another version's: the folder is incomplete until the new one
    for (const char* sub : {"id", "ood", "ood-val", "ood-test", "extra", "retrieval"}) fs::remove_all(root / sub, ec);

    Writer w(root.string());
    auto digits = loadOpenCvDigits(o.digitsPng);
    std::vector<int> order(digits.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(o.seed);
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<std::pair<cv::Mat, int>> testDigits;
    for (size_t i = 0; i < order.size(); ++i) {
        const auto& [cell, label] = digits[size_t(order[i])];
        const cv::Mat framed = frameDigit(cell);
        w.write(i < 3500 ? "id/train" : i < 4000 ? "id/val" : "id/test", label, int(i), framed);
        if (i >= 4000) testDigits.emplace_back(framed, label);
    }
    // The OOD suite (docs/ood-suite.md): each set shuffled with its own seed and halved into
    // ood-val (designing the world) and ood-test (the reported table only).
    auto writeHalves = [&](const std::string& name, const std::vector<std::pair<cv::Mat, int>>& images, uint64_t seed) {
        std::vector<int> shuffled(images.size());
        std::iota(shuffled.begin(), shuffled.end(), 0);
        std::mt19937_64 splitRng(seed);
        std::shuffle(shuffled.begin(), shuffled.end(), splitRng);
        for (size_t k = 0; k < shuffled.size(); ++k) {
            const auto& [image, label] = images[size_t(shuffled[k])];
            w.write((k % 2 == 0 ? "ood-val/" : "ood-test/") + name, label, shuffled[k], image);
        }
    };
    std::vector<std::pair<cv::Mat, int>> uci;
    for (const auto& [cell, label] : loadUciDigits(o.uciCsv)) uci.emplace_back(frameDigit(cell), label);
    const FontCatalog fonts = FontCatalog::scan(o.fontRoot);
    const std::vector<std::string>& sets = oodSuiteSets();
    writeHalves(sets[0], uci, o.seed + 10);
    writeHalves(sets[1], renderDigits(fonts.heldOut, 200, o.seed + 1, renditionStyle), o.seed + 11);
    writeHalves(sets[2], renderDigits(fonts.heldOut, 200, o.seed + 7, sketchStyle), o.seed + 12);
    // Pose and clutter, each half on the task's own images (500 handwritten ID test digits) and
    // half on renditions the pre-training knows (500 in the held-out typefaces).
    auto mixed = [&](const StyleFn& style, uint64_t seed) {
        const std::vector<std::pair<cv::Mat, int>> half(testDigits.begin(), testDigits.begin() + 500);
        auto images = restyleDigits(half, seed, style);
        for (auto& rendered : renderDigits(fonts.heldOut, 50, seed + 100, style)) images.push_back(std::move(rendered));
        return images;
    };
    writeHalves(sets[3], mixed(poseStyle, o.seed + 8), o.seed + 13);
    writeHalves(sets[4], mixed(clutterStyle, o.seed + 9), o.seed + 14);
    {
        const auto seen = renderDigits(fonts.training, 100, o.seed + 2, printedStyle);
        for (size_t i = 0; i < seen.size(); ++i) w.write("extra/printed-seen", seen[i].second, int(i), seen[i].first);
    }
    fs::create_directories(root / "retrieval");
    renderRetrieval(w, root.string(), "train", fonts.training, 2000, o.seed + 3);
    renderRetrieval(w, root.string(), "val", fonts.training, 300, o.seed + 4);
    renderRetrieval(w, root.string(), "test", fonts.training, 500, o.seed + 5);
    renderRetrieval(w, root.string(), "unseen-fonts", fonts.heldOut, 500, o.seed + 6);

    std::string names;
    for (const auto& word : GlyphCorpus::digitWords()) names += word + "\n";
    writePreparedFile(root / "classnames.txt", names);
    uint64_t total = 1469598103934665603ull;
    nlohmann::json files = nlohmann::json::object();
    for (const auto& [file, h] : w.hashes()) {
        files[file] = hex(h);
        total = fnv1a(std::vector<uint8_t>(file.begin(), file.end()), total ^ h);
    }
    nlohmann::json manifest = {{"options", digitsShiftOptionsKey(o)},
                               {"counts", w.counts()},
                               {"hash_fnv1a64", hex(total)},
                               {"files", files},
                               {"held_out_fonts", nlohmann::json::array()},
                               {"training_fonts", fonts.training.size()}};
    for (const auto& f : fonts.heldOut) manifest["held_out_fonts"].push_back(fs::path(f.file).filename().string());
    // Written last and atomically: a folder has a manifest only when every file is in it.
    writeFileAtomically(manifestPath.string(), manifest.dump(1) + "\n", "the demo data's manifest");
    std::vector<PreparedSplit> splits;
    for (const auto& [split, n] : w.counts()) splits.push_back({split, (root / split).string(), n});
    return splits;
}

} // namespace ra

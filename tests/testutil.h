#pragma once
// Shared helpers for the test suite: where the golden data and sources are, temporary files.
#include <QDir>
#include <QFile>
#include <QString>
#include <QTest>

#include "util/error.h"
#include "util/numbertext.h"

#include <sys/resource.h>

#include <csignal>
#include <fstream>
#include <string>
#include <vector>

namespace ra::test {

// While it lives, every write past BYTES into a file fails with EFBIG, as a full disk fails a
// write (and, unlike file permissions, also for root). The SIGXFSZ the kernel would send with it
// is ignored meanwhile, so the write returns the error instead of ending the test.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        getrlimit(RLIMIT_FSIZE, &m_before);
        m_handler = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit limit = m_before;
        limit.rlim_cur = bytes;
        m_active = setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    ~FileSizeLimit()
    {
        setrlimit(RLIMIT_FSIZE, &m_before);
        std::signal(SIGXFSZ, m_handler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;
    bool active() const { return m_active; }

private:
    struct rlimit m_before {};
    void (*m_handler)(int) = SIG_DFL;
    bool m_active = false;
};

// A number the program wrote (a setting, a stored param), read as the program reads it: with a
// point under any locale (std::stod would read "0.05" as 0 under a German one). Throws when TEXT
// is not a number, which fails the test.
inline double number(const std::string& text) { return ra::finiteNumberFrom(text).value(); }

inline QString sourceDir() { return QStringLiteral(RA_SOURCE_DIR); }
// The reference data lives in the tree (tests/data/golden, origin in its README).
inline QString goldenDir() { return sourceDir() + QStringLiteral("/tests/data/golden"); }
inline std::string goldenPath(const char* rel)
{
    return (goldenDir() + QLatin1Char('/') + QLatin1String(rel)).toStdString();
}
inline bool haveGolden() { return QDir(goldenDir()).exists(); }

inline void writeBytes(const std::string& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline std::vector<uint8_t> readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Largest absolute difference divided by the largest absolute reference value (check-golden's rule).
inline double relativeError(const std::vector<float>& got, const std::vector<double>& want)
{
    double diff = 0, scale = 1e-12;
    for (size_t i = 0; i < want.size() && i < got.size(); ++i) {
        diff = std::max(diff, std::abs(double(got[i]) - want[i]));
        scale = std::max(scale, std::abs(want[i]));
    }
    return got.size() == want.size() ? diff / scale : 1e9;
}

// The message of the ra::Error that F throws, or an empty string when it throws none.
template <typename F>
QString errorOf(F&& f)
{
    try {
        f();
    } catch (const ra::Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace ra::test

// The golden data is part of the tree, so its absence is a broken checkout: fail, naming where.
#define RA_REQUIRE_GOLDEN()                                                                                            \
    QVERIFY2(ra::test::haveGolden(), qPrintable("reference data missing: " + ra::test::goldenDir()))

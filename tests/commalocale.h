#pragma once
// The C library's locale as a German desktop sets it, for as long as this lives: its decimal point
// is a comma, so std::stod("0.05") reads 0 and printf("%.2f", 0.5) writes "0,50". The Studio runs
// under the desktop's locale (QApplication calls setlocale(LC_ALL, "")), so everything that reads or
// writes a number must give the same under it as under "C".
//
// A machine without de_DE.UTF-8 gets it compiled by localedef (Debian's `locales` package, which
// scripts/install-deps.sh installs) into a folder of the build tree, found through LOCPATH; only
// where that too is impossible does the test skip, saying why.
#include <QDir>
#include <QProcess>
#include <QString>
#include <QTest>

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace ra::test {

class CommaLocale {
public:
    CommaLocale()
    {
        if (const char* now = std::setlocale(LC_ALL, nullptr)) m_before = now;
        if (const char* locpath = std::getenv("LOCPATH")) m_locpathBefore = locpath, m_hadLocpath = true;
        if (tryName()) return;
        // Compiled once per build tree and kept (localedef takes a second or two).
        const QString dir = QDir::currentPath() + QStringLiteral("/test-locales");
        const QString target = dir + QStringLiteral("/de_DE.UTF-8");
        if (!QDir(target).exists(QStringLiteral("LC_NUMERIC"))) {
            QDir().mkpath(dir);
            QProcess localedef;
            localedef.start(
                QStringLiteral("localedef"),
                {QStringLiteral("-i"), QStringLiteral("de_DE"), QStringLiteral("-f"), QStringLiteral("UTF-8"), target});
            if (!localedef.waitForFinished(120000)) {
                m_why = QStringLiteral("localedef could not run: ") + localedef.errorString();
                return;
            }
        }
        setenv("LOCPATH", dir.toLocal8Bit().constData(), 1);
        if (!tryName())
            m_why = QStringLiteral("no de_DE.UTF-8 locale, and localedef could not make one in ") + dir +
                QStringLiteral(" (is Debian's `locales` package installed?)");
    }
    ~CommaLocale()
    {
        if (m_hadLocpath) setenv("LOCPATH", m_locpathBefore.c_str(), 1);
        else unsetenv("LOCPATH");
        std::setlocale(LC_ALL, m_before.c_str());
    }
    CommaLocale(const CommaLocale&) = delete;
    CommaLocale& operator=(const CommaLocale&) = delete;

    // Whether the C library now writes a decimal comma; why not, where it does not.
    bool active() const { return m_why.isEmpty(); }
    QString why() const { return m_why; }

private:
    bool tryName()
    {
        for (const char* name : {"de_DE.UTF-8", "de_DE.utf8"}) {
            if (!std::setlocale(LC_ALL, name)) continue;
            char text[16];
            std::snprintf(text, sizeof text, "%.1f", 0.5);
            if (std::string(text) == "0,5") return true;
        }
        std::setlocale(LC_ALL, m_before.c_str());
        return false;
    }

    std::string m_before = "C";
    std::string m_locpathBefore;
    bool m_hadLocpath = false;
    QString m_why;
};

} // namespace ra::test

// Switches to the comma locale for the rest of the scope, or skips the test function saying why.
#define RA_WITH_COMMA_LOCALE(name)                                                                                     \
    ra::test::CommaLocale name;                                                                                        \
    if (!name.active()) QSKIP(qPrintable(name.why()))

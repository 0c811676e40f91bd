// The tokenizer against OpenAI's reference outputs and the documented behaviour of each cleaning step.
#include "clip/textcleaner.h"
#include "clip/tokenizer.h"
#include "testutil.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <algorithm>
#include <fstream>

using ra::Tokenizer;

class TestTokenizer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void goldenCases()
    {
        RA_REQUIRE_GOLDEN();
        std::ifstream in(ra::test::goldenPath("tokenizer.jsonl"));
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            const auto row = nlohmann::json::parse(line);
            const auto got = Tokenizer::instance().tokenize(row["text"].get<std::string>(), 77);
            QVERIFY2(got == row["ids"].get<std::vector<int64_t>>(), row["text"].get<std::string>().c_str());
            ++n;
        }
        QVERIFY(n >= 40);
    }

    void documentedVectors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QList<qint64>>("ids");
        QTest::newRow("diagram") << "a diagram" << QList<qint64>{320, 22697};
        QTest::newRow("photo") << "a photo of a cat." << QList<qint64>{320, 1125, 539, 320, 2368, 269};
        QTest::newRow("hello") << "Hello, World!" << QList<qint64>{3306, 267, 1002, 256};
        QTest::newRow("contraction") << "don't stop believing" << QList<qint64>{847, 713, 1691, 19551};
        QTest::newRow("curly apostrophe")
            << QString::fromUtf8("don\u2019t stop believing") << QList<qint64>{847, 713, 1691, 19551};
        QTest::newRow("numbers") << "It's 2024 & I'm 3.5 years old"
                                 << QList<qint64>{585, 568, 273, 271, 273, 275,  261,
                                                  328, 880, 274, 269, 276, 1151, 896};
        QTest::newRow("whitespace") << "  multiple   spaces\tand\nnewlines  "
                                    << QList<qint64>{6470, 9006, 537, 1218, 3418};
        QTest::newRow("accents") << QString::fromUtf8("naïve café") << QList<qint64>{1097, 35689, 563, 15304};
        QTest::newRow("cjk") << QString::fromUtf8("日本語のテキスト")
                             << QList<qint64>{39121, 44353, 34002, 252, 21575, 2429, 228, 47121, 32421, 486};
        QTest::newRow("emoji") << QString::fromUtf8("emoji 👍 ok") << QList<qint64>{16327, 4201, 2481};
        QTest::newRow("entities") << "a &amp; b &lt;3" << QList<qint64>{320, 261, 321, 283, 274};
        QTest::newRow("special token") << "<|endoftext|>" << QList<qint64>{49407};
        QTest::newRow("model name") << "ViT-B/32 @ 224px"
                                    << QList<qint64>{35580, 268, 321, 270, 274, 273, 287, 273, 273, 275, 10262};
        QTest::newRow("fullwidth") << QString::fromUtf8("ａ ｃａｔ") << QList<qint64>{320, 2368};
        QTest::newRow("ideographic space") << QString::fromUtf8("a\u3000cat") << QList<qint64>{320, 2368};
    }
    void documentedVectors()
    {
        QFETCH(QString, text);
        QFETCH(QList<qint64>, ids);
        const auto got = Tokenizer::instance().encode(text.toStdString());
        QCOMPARE(QList<qint64>(got.begin(), got.end()), ids);
    }

    void truncationKeepsEndOfText()
    {
        std::string text;
        for (int i = 0; i < 100; ++i) text += "a ";
        const auto row = Tokenizer::instance().tokenize(text, 77);
        QCOMPARE(row.size(), size_t(77));
        QCOMPARE(row.front(), Tokenizer::kStartOfText);
        QCOMPARE(row.back(), Tokenizer::kEndOfText);
        QCOMPARE(row[75], int64_t(320));
        const auto short16 = Tokenizer::instance().tokenize("a photo of a cat.", 16);
        QCOMPARE(short16.size(), size_t(16));
        QCOMPARE(short16[7], Tokenizer::kEndOfText);
        QCOMPARE(short16[8], int64_t(0));
    }

    void decodeRoundTrip()
    {
        const auto ids = Tokenizer::instance().encode("a photo of a cat.");
        QCOMPARE(QString::fromStdString(Tokenizer::instance().decode(ids)), QStringLiteral("a photo of a cat . "));
    }

    void htmlUnescape_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("named") << "&amp;&lt;&gt;"
                               << "&<>";
        QTest::newRow("no semicolon legacy") << "&amp x"
                                             << "& x";
        QTest::newRow("longest prefix") << "&notit;" << QString::fromUtf8("¬it;");
        QTest::newRow("decimal") << "&#65;&#x42;&#X43"
                                 << "ABC";
        QTest::newRow("cp1252 charref") << "&#128;" << QString::fromUtf8("€");
        QTest::newRow("null charref") << "&#0;" << QString::fromUtf8("\uFFFD");
        QTest::newRow("surrogate") << "&#xD800;" << QString::fromUtf8("\uFFFD");
        QTest::newRow("too large") << "&#99999999999999;" << QString::fromUtf8("\uFFFD");
        QTest::newRow("invalid codepoint") << "a&#1;b"
                                           << "ab";
        QTest::newRow("unknown") << "&bogus;"
                                 << "&bogus;";
    }
    void htmlUnescape()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(QString::fromStdString(ra::htmlUnescape(in.toStdString())), out);
    }

    void ftfySubset_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("ligature") << QString::fromUtf8("ﬁne") << "fine";
        QTest::newRow("curly quotes") << QString::fromUtf8("\u201Chi\u201D \u2018x\u2019") << "\"hi\" 'x'";
        QTest::newRow("c1 control") << QString::fromUtf8("a\u0085b") << QString::fromUtf8("a…b");
        QTest::newRow("upper entity") << "&EACUTE;" << QString::fromUtf8("É");
        QTest::newRow("html with tag kept") << "<b>&amp;</b>"
                                            << "<b>&amp;</b>";
        QTest::newRow("control chars") << QString::fromUtf8("a\u0007b\uFEFFc") << "abc";
        QTest::newRow("terminal escape") << "\x1b[31mred\x1b[0m"
                                         << "red";
        QTest::newRow("nfc") << QString::fromUtf8("e\u0301") << QString::fromUtf8("é");
        QTest::newRow("crlf") << "a\r\nb\rc"
                              << "a\nb\nc";
    }
    void ftfySubset()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(QString::fromStdString(ra::fixText(in.toStdString())), out);
    }

    void lowerCasingIsFullUnicode()
    {
        QCOMPARE(QString::fromStdString(ra::cleanTextForClip("ΣΑΣ")), QString::fromUtf8("σας"));
        QCOMPARE(QString::fromStdString(ra::cleanTextForClip("İ")), QString::fromUtf8("i\u0307"));
    }

    // Invalid UTF-8 is read as Python reads bytes with decode("utf-8", "replace"): each maximal
    // invalid subpart becomes one U+FFFD (the right-hand strings are Python's own output), and the
    // whole token sequence equals that of the decoded text.
    void invalidUtf8DoesNotCrash()
    {
        const std::string fffd = "\xef\xbf\xbd";
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"a \xff\xfe cat", "a " + fffd + fffd + " cat"},
            {"\xc3", fffd},                                  // cut after a lead byte
            {"x\xe2\x82", "x" + fffd},                       // a cut three-byte sequence: one
            {"\xc0\xaf", fffd + fffd},                       // overlong
            {"\xed\xa0\x80", fffd + fffd + fffd},            // an encoded surrogate
            {"\xf4\x90\x80\x80", fffd + fffd + fffd + fffd}, // above U+10FFFF
            {"ok\x80ok", "ok" + fffd + "ok"},                // a lone continuation byte
        };
        const Tokenizer& t = Tokenizer::instance();
        for (const auto& [bytes, decoded] : cases) {
            const auto ids = t.tokenize(bytes, 77);
            QCOMPARE(ids, t.tokenize(decoded, 77));
            QCOMPARE(ids.front(), Tokenizer::kStartOfText);
            QVERIFY(std::count(ids.begin(), ids.end(), Tokenizer::kEndOfText) == 1);
        }
        QVERIFY(t.tokenize(std::string("a \xff\xfe cat"), 77) != t.tokenize(std::string("a  cat"), 77)); // not dropped
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"

#include "clip/textcleaner.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <unordered_map>

namespace ra {
namespace {

using U32 = std::u32string;

U32 toU32(const std::string& utf8)
{
    icu::UnicodeString s = icu::UnicodeString::fromUTF8(utf8);
    U32 out(static_cast<size_t>(s.countChar32()), U'\0');
    UErrorCode err = U_ZERO_ERROR;
    s.toUTF32(reinterpret_cast<UChar32*>(out.data()), static_cast<int32_t>(out.size()), err);
    return out;
}

std::string toUtf8(const U32& s)
{
    icu::UnicodeString u = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()),
                                                         static_cast<int32_t>(s.size()));
    std::string out;
    u.toUTF8String(out);
    return out;
}

icu::UnicodeString toIcu(const U32& s)
{
    return icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()), static_cast<int32_t>(s.size()));
}

U32 fromIcu(const icu::UnicodeString& u)
{
    U32 out(static_cast<size_t>(u.countChar32()), U'\0');
    UErrorCode err = U_ZERO_ERROR;
    u.toUTF32(reinterpret_cast<UChar32*>(out.data()), static_cast<int32_t>(out.size()), err);
    return out;
}

struct EntityTable {
    std::unordered_map<std::u32string, U32> byName; // name without '&', maybe with ';'
    size_t maxNameLength = 0;
    EntityTable()
    {
        static const struct {
            const char* name;
            const char* value;
        } kEntities[] = {
#include "clip/htmlentities.inc"
        };
        for (const auto& e : kEntities) {
            U32 name = toU32(e.name);
            maxNameLength = std::max(maxNameLength, name.size());
            byName.emplace(std::move(name), toU32(e.value));
        }
    }
    static const EntityTable& instance()
    {
        static const EntityTable table;
        return table;
    }
};

// Windows-1252 for 0x80..0x9F, undefined bytes mapping to themselves ("sloppy" codec, as ftfy).
char32_t cp1252(char32_t c)
{
    static const char32_t kMap[32] = {0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,   0x017D, 0x8F,
                                      0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};
    return (c >= 0x80 && c <= 0x9F) ? kMap[c - 0x80] : c;
}

bool isAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool isHexDigit(char32_t c) { return isAsciiDigit(c) || (c >= U'a' && c <= U'f') || (c >= U'A' && c <= U'F'); }
bool isAsciiAlnum(char32_t c) { return isAsciiDigit(c) || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }

// Python html._replace_charref for a numeric reference value.
U32 numericCharref(uint64_t num, bool overflow)
{
    if (!overflow && num == 0x00) return U"\uFFFD";
    if (!overflow && num == 0x0D) return U"\r";
    if (!overflow && num >= 0x80 && num <= 0x9F) return U32(1, cp1252(static_cast<char32_t>(num)));
    if (overflow || (num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) return U"\uFFFD";
    const bool invalid = (num >= 0x1 && num <= 0x8) || (num >= 0xE && num <= 0x1F) || (num >= 0x7F && num <= 0x9F) ||
        (num >= 0xFDD0 && num <= 0xFDEF) || num == 0xB || (num & 0xFFFE) == 0xFFFE;
    if (invalid) return U"";
    return U32(1, static_cast<char32_t>(num));
}

// Python 3's html.unescape over a UTF-32 string.
U32 htmlUnescape32(const U32& s)
{
    if (s.find(U'&') == U32::npos) return s;
    const auto& table = EntityTable::instance();
    U32 out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        if (s[i] != U'&') {
            out.push_back(s[i++]);
            continue;
        }
        size_t j = i + 1;
        if (j < s.size() && s[j] == U'#') {
            // &#[0-9]+;? or &#[xX][0-9a-fA-F]+;?
            size_t k = j + 1;
            bool hex = k < s.size() && (s[k] == U'x' || s[k] == U'X');
            if (hex) ++k;
            size_t digitsBegin = k;
            while (k < s.size() && (hex ? isHexDigit(s[k]) : isAsciiDigit(s[k]))) ++k;
            if (k == digitsBegin) {
                out.push_back(s[i++]);
                continue;
            }
            uint64_t num = 0;
            bool overflow = false;
            for (size_t d = digitsBegin; d < k; ++d) {
                const char32_t c = s[d];
                const uint64_t v = isAsciiDigit(c) ? c - U'0' : (c | 0x20) - U'a' + 10;
                num = num * (hex ? 16 : 10) + v;
                if (num > 0x10FFFFull * 16) overflow = true;
            }
            if (k < s.size() && s[k] == U';') ++k;
            out += numericCharref(num, overflow);
            i = k;
            continue;
        }
        // [^\t\n\f <&#;]{1,32};?
        size_t k = j;
        while (k < s.size() && k - j < 32) {
            const char32_t c = s[k];
            if (c == U'\t' || c == U'\n' || c == U'\f' || c == U' ' || c == U'<' || c == U'&' || c == U'#' || c == U';')
                break;
            ++k;
        }
        if (k == j) {
            out.push_back(s[i++]);
            continue;
        }
        if (k < s.size() && s[k] == U';') ++k;
        const U32 name = s.substr(j, k - j);
        auto it = table.byName.find(name);
        if (it != table.byName.end()) {
            out += it->second;
        } else {
            bool found = false;
            for (size_t x = name.size() - 1; x > 1; --x) {
                auto pit = table.byName.find(name.substr(0, x));
                if (pit != table.byName.end()) {
                    out += pit->second;
                    out += name.substr(x);
                    found = true;
                    break;
                }
            }
            if (!found) {
                out.push_back(U'&');
                out += name;
            }
        }
        i = k;
    }
    return out;
}

// ftfy's unescape_html: only "&#?[0-9A-Za-z]{1,24};" references, with upper-case variants of
// lower-case names (&EACUTE; -> É); numeric ones through html.unescape.
U32 ftfyUnescapeHtml(const U32& s)
{
    if (s.find(U'&') == U32::npos) return s;
    const auto& table = EntityTable::instance();
    U32 out;
    size_t i = 0;
    while (i < s.size()) {
        if (s[i] != U'&') {
            out.push_back(s[i++]);
            continue;
        }
        size_t k = i + 1;
        const bool numeric = k < s.size() && s[k] == U'#';
        if (numeric) ++k;
        size_t begin = k;
        while (k < s.size() && k - begin < 24 && isAsciiAlnum(s[k])) ++k;
        if (k == begin || k >= s.size() || s[k] != U';') {
            out.push_back(s[i++]);
            continue;
        }
        const U32 match = s.substr(i, k + 1 - i); // "&...;"
        U32 replacement = match;
        if (!numeric) {
            const U32 name = match.substr(1);
            auto it = table.byName.find(name);
            if (it != table.byName.end()) {
                replacement = it->second;
            } else {
                // Upper-case spelling of a lower-case entity name.
                U32 lower = name;
                bool allUpper = true;
                for (auto& c : lower) {
                    if (c >= U'a' && c <= U'z') allUpper = false;
                    if (c >= U'A' && c <= U'Z') c = c - U'A' + U'a';
                }
                auto lit = table.byName.find(lower);
                if (allUpper && lit != table.byName.end() && htmlUnescape32(match) == match) {
                    icu::UnicodeString up = toIcu(lit->second);
                    up.toUpper(icu::Locale::getRoot());
                    replacement = fromIcu(up);
                }
            }
        } else {
            const U32 unescaped = htmlUnescape32(match);
            if (unescaped.find(U';') == U32::npos) replacement = unescaped;
        }
        out += replacement;
        i = k + 1;
    }
    return out;
}

U32 fixLatinLigatures(const U32& s)
{
    static const std::unordered_map<char32_t, const char32_t*> kLigatures = {
        {0xFB00, U"ff"},      {0xFB01, U"fi"}, {0xFB02, U"fl"}, {0xFB03, U"ffi"},     {0xFB04, U"ffl"},
        {0xFB05, U"\u017Ft"}, {0xFB06, U"st"}, {0x0132, U"IJ"}, {0x0133, U"ij"},      {0x0149, U"\u02BCn"},
        {0x01F1, U"DZ"},      {0x01F2, U"Dz"}, {0x01F3, U"dz"}, {0x01C4, U"D\u017D"}, {0x01C5, U"D\u017E"},
        {0x01C6, U"d\u017E"}, {0x01C7, U"LJ"}, {0x01C8, U"Lj"}, {0x01C9, U"lj"},      {0x01CA, U"NJ"},
        {0x01CB, U"Nj"},      {0x01CC, U"nj"}};
    U32 out;
    for (char32_t c : s) {
        auto it = kLigatures.find(c);
        if (it != kLigatures.end()) out += it->second;
        else out.push_back(c);
    }
    return out;
}

U32 fixCharacterWidth(const U32& s)
{
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(err);
    U32 out;
    for (char32_t c : s) {
        if (c == 0x3000) {
            out.push_back(U' ');
            continue;
        }
        if (c >= 0xFF01 && c < 0xFFF0 && U_SUCCESS(err)) {
            UErrorCode e2 = U_ZERO_ERROR;
            icu::UnicodeString n = nfkc->normalize(icu::UnicodeString(static_cast<UChar32>(c)), e2);
            if (U_SUCCESS(e2)) {
                out += fromIcu(n);
                continue;
            }
        }
        out.push_back(c);
    }
    return out;
}

U32 fixSimpleCharacters(const U32& s)
{
    U32 out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        char32_t c = s[i];
        if (c == 0x02BC || (c >= 0x2018 && c <= 0x201B)) c = U'\'';
        else if (c >= 0x201C && c <= 0x201F) c = U'"';
        out.push_back(c);
    }
    return out;
}

U32 fixLineBreaks(const U32& s)
{
    U32 out;
    for (size_t i = 0; i < s.size(); ++i) {
        const char32_t c = s[i];
        if (c == U'\r' && i + 1 < s.size() && s[i + 1] == U'\n') {
            out.push_back(U'\n');
            ++i;
            continue;
        }
        if (c == U'\r' || c == 0x2028 || c == 0x2029 || c == 0x85) {
            out.push_back(U'\n');
            continue;
        }
        out.push_back(c);
    }
    return out;
}

// "\x1b\[((?:\d|;)*)([a-zA-Z])" removed.
U32 removeTerminalEscapes(const U32& s)
{
    U32 out;
    size_t i = 0;
    while (i < s.size()) {
        if (s[i] == 0x1B && i + 1 < s.size() && s[i + 1] == U'[') {
            size_t k = i + 2;
            while (k < s.size() && (isAsciiDigit(s[k]) || s[k] == U';')) ++k;
            if (k < s.size() && ((s[k] >= U'a' && s[k] <= U'z') || (s[k] >= U'A' && s[k] <= U'Z'))) {
                i = k + 1;
                continue;
            }
        }
        out.push_back(s[i++]);
    }
    return out;
}

bool isFtfyControl(char32_t c)
{
    return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || (c >= 0x206A && c <= 0x206F) ||
        c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
}

U32 nfc(const U32& s)
{
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(err);
    if (U_FAILURE(err)) return s;
    icu::UnicodeString r = n->normalize(toIcu(s), err);
    return U_SUCCESS(err) ? fromIcu(r) : s;
}

U32 fixText32(U32 text, bool unescape)
{
    for (int guard = 0; guard < 16; ++guard) {
        const U32 before = text;
        if (unescape) text = ftfyUnescapeHtml(text);
        for (auto& c : text) c = cp1252(c);
        text = fixLatinLigatures(text);
        text = fixCharacterWidth(text);
        text = fixSimpleCharacters(text);
        text = fixLineBreaks(text);
        text = removeTerminalEscapes(text);
        text.erase(std::remove_if(text.begin(), text.end(), isFtfyControl), text.end());
        text = nfc(text);
        if (text == before) break;
    }
    return text;
}

// Python str.isspace(): White_Space plus the bidi separators U+001C..U+001F.
bool isPythonSpace(char32_t c) { return u_isUWhiteSpace(static_cast<UChar32>(c)) || (c >= 0x1C && c <= 0x1F); }
// The regex module's \s: Unicode White_Space.
bool isRegexSpace(char32_t c) { return u_isUWhiteSpace(static_cast<UChar32>(c)); }

U32 strip(const U32& s, bool (*pred)(char32_t))
{
    size_t b = 0, e = s.size();
    while (b < e && pred(s[b])) ++b;
    while (e > b && pred(s[e - 1])) --e;
    return s.substr(b, e - b);
}

} // namespace

std::string fixText(const std::string& utf8)
{
    U32 text = toU32(utf8);
    // ftfy's "auto" HTML mode: text that looks like HTML markup is left alone.
    const bool unescape = text.find(U'<') == U32::npos;
    // ftfy works line by line; every step here is line-local, so one pass over the whole text is the same.
    return toUtf8(fixText32(std::move(text), unescape));
}

std::string htmlUnescape(const std::string& utf8) { return toUtf8(htmlUnescape32(toU32(utf8))); }

std::string cleanTextForClip(const std::string& utf8)
{
    U32 text = toU32(utf8);
    const bool unescape = text.find(U'<') == U32::npos;
    text = fixText32(std::move(text), unescape);
    text = htmlUnescape32(htmlUnescape32(text));
    text = strip(text, isPythonSpace);
    // whitespace_clean: runs of \s become one space, then strip.
    U32 collapsed;
    collapsed.reserve(text.size());
    bool inSpace = false;
    for (char32_t c : text) {
        if (isRegexSpace(c)) {
            if (!inSpace) collapsed.push_back(U' ');
            inSpace = true;
        } else {
            collapsed.push_back(c);
            inSpace = false;
        }
    }
    collapsed = strip(collapsed, isRegexSpace);
    icu::UnicodeString lowered = toIcu(collapsed);
    lowered.toLower(icu::Locale::getRoot());
    std::string out;
    lowered.toUTF8String(out);
    return out;
}

} // namespace ra

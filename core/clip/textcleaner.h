#pragma once
// CLIP's text normalisation before BPE: the reproducible part of ftfy.fix_text, Python's
// html.unescape applied twice, whitespace collapsing and full Unicode lower-casing.
//
// What of ftfy 6 is done (in its order, repeated to a fixed point like ftfy): HTML entity
// unescaping (only when the text has no '<'), C1 controls read as Windows-1252, Latin ligatures,
// full-width characters (U+3000, U+FF01..U+FFEF to NFKC), curly quotes, line breaks, terminal
// escapes, control characters, NFC. What is NOT done: ftfy's heuristic mojibake repair
// (fix_encoding, e.g. "Ã©" -> "é"); clean UTF-8 text is unaffected by it.
//
// Thread-safety: pure functions, safe from any thread.
#include <string>

namespace ra {

// ftfy.fix_text subset described above. Input and output are UTF-8; invalid UTF-8 becomes U+FFFD.
std::string fixText(const std::string& utf8);
// Python's html.unescape (HTML5 rules: named references with the longest-prefix legacy rule,
// numeric references with the WHATWG replacement tables).
std::string htmlUnescape(const std::string& utf8);
// Full CLIP cleaning: whitespace_clean(basic_clean(text)).lower().
std::string cleanTextForClip(const std::string& utf8);

} // namespace ra

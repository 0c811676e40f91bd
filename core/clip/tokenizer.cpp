#include "clip/tokenizer.h"

#include "clip/textcleaner.h"

#include <unicode/regex.h>
#include <unicode/unistr.h>
#include <zlib.h>

#include <map>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

// The gzip'd vocabulary, linked in by bpevocab.S.
extern "C" const unsigned char ra_bpe_vocab_begin[];
extern "C" const unsigned char ra_bpe_vocab_end[];

namespace ra {
namespace {

std::string gunzip(const unsigned char* data, size_t size)
{
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw std::runtime_error("zlib initialisation failed");
    zs.next_in = const_cast<unsigned char*>(data);
    zs.avail_in = static_cast<uInt>(size);
    std::string out;
    char buffer[1 << 16];
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(buffer);
        zs.avail_out = sizeof(buffer);
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buffer, sizeof(buffer) - zs.avail_out);
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) throw std::runtime_error("the embedded CLIP vocabulary is corrupt");
    return out;
}

std::string codepointToUtf8(char32_t c)
{
    std::string out;
    icu::UnicodeString(static_cast<UChar32>(c)).toUTF8String(out);
    return out;
}

} // namespace

struct Tokenizer::Impl {
    std::string byteSymbol[256]; // byte -> its printable symbol (UTF-8)
    std::unordered_map<std::string, int> symbolToByte;
    std::unordered_map<std::string, int64_t> encoder;
    std::vector<std::string> decoder;
    std::unordered_map<std::string, int> ranks; // "a b" -> merge rank
    std::unique_ptr<icu::RegexPattern> pattern;
    mutable std::mutex cacheMutex;
    mutable std::unordered_map<std::string, std::vector<int64_t>> cache;

    Impl()
    {
        // bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 + n in order.
        std::vector<int> order;
        for (int b = 33; b <= 126; ++b) order.push_back(b);
        for (int b = 161; b <= 172; ++b) order.push_back(b);
        for (int b = 174; b <= 255; ++b) order.push_back(b);
        std::vector<bool> taken(256, false);
        for (int b : order) {
            taken[b] = true;
            byteSymbol[b] = codepointToUtf8(static_cast<char32_t>(b));
        }
        int n = 0;
        for (int b = 0; b < 256; ++b) {
            if (taken[b]) continue;
            order.push_back(b);
            byteSymbol[b] = codepointToUtf8(0x100 + n++);
        }
        for (int b = 0; b < 256; ++b) symbolToByte[byteSymbol[b]] = b;

        for (int b : order) decoder.push_back(byteSymbol[b]);
        for (int b : order) decoder.push_back(byteSymbol[b] + "</w>");

        const std::string text = gunzip(ra_bpe_vocab_begin, static_cast<size_t>(ra_bpe_vocab_end - ra_bpe_vocab_begin));
        // lines[1 : 49152-256-2+1]: 48,894 merges after the header line.
        size_t pos = text.find('\n');
        const int kMerges = 49152 - 256 - 2;
        for (int i = 0; i < kMerges; ++i) {
            if (pos == std::string::npos) throw std::runtime_error("the embedded CLIP vocabulary is truncated");
            const size_t next = text.find('\n', pos + 1);
            const std::string line = text.substr(pos + 1, next - pos - 1);
            const size_t space = line.find(' ');
            if (space == std::string::npos) throw std::runtime_error("malformed merge in the CLIP vocabulary");
            ranks.emplace(line, i);
            decoder.push_back(line.substr(0, space) + line.substr(space + 1));
            pos = next;
        }
        decoder.push_back("<|startoftext|>");
        decoder.push_back("<|endoftext|>");
        for (size_t i = 0; i < decoder.size(); ++i) encoder.emplace(decoder[i], static_cast<int64_t>(i));

        // CLIP's pre-tokenizer; \s spelled out as Python regex's White_Space set.
        UErrorCode err = U_ZERO_ERROR;
        UParseError parseError;
        const icu::UnicodeString pat = icu::UnicodeString::fromUTF8(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|"
            "[^\\t\\n\\x{0B}\\f\\r\\x{85}\\p{Z}\\p{L}\\p{N}]+");
        pattern.reset(icu::RegexPattern::compile(pat, UREGEX_CASE_INSENSITIVE, parseError, err));
        if (U_FAILURE(err)) throw std::runtime_error("could not compile the CLIP pre-tokenizer pattern");
    }

    // BPE of one pre-token (already UTF-8); returns ids.
    std::vector<int64_t> bpe(const std::string& token) const
    {
        {
            std::lock_guard<std::mutex> lock(cacheMutex);
            auto it = cache.find(token);
            if (it != cache.end()) return it->second;
        }
        std::vector<int64_t> ids;
        if (token == "<|startoftext|>" || token == "<|endoftext|>") {
            ids.push_back(encoder.at(token));
        } else {
            std::vector<std::string> word;
            for (unsigned char b : token) word.push_back(byteSymbol[b]);
            if (word.empty()) return ids;
            word.back() += "</w>";
            while (word.size() > 1) {
                int bestRank = -1;
                size_t bestAt = 0;
                for (size_t i = 0; i + 1 < word.size(); ++i) {
                    auto it = ranks.find(word[i] + " " + word[i + 1]);
                    if (it != ranks.end() && (bestRank < 0 || it->second < bestRank)) {
                        bestRank = it->second;
                        bestAt = i;
                    }
                }
                if (bestRank < 0) break;
                const std::string first = word[bestAt], second = word[bestAt + 1];
                std::vector<std::string> merged;
                merged.reserve(word.size());
                for (size_t i = 0; i < word.size();) {
                    if (i + 1 < word.size() && word[i] == first && word[i + 1] == second) {
                        merged.push_back(first + second);
                        i += 2;
                    } else {
                        merged.push_back(word[i++]);
                    }
                }
                word.swap(merged);
            }
            for (const auto& symbol : word) ids.push_back(encoder.at(symbol));
        }
        std::lock_guard<std::mutex> lock(cacheMutex);
        if (cache.size() > 100000) cache.clear();
        cache.emplace(token, ids);
        return ids;
    }
};

Tokenizer::Tokenizer() : d(std::make_unique<Impl>()) {}
Tokenizer::~Tokenizer() = default;

const Tokenizer& Tokenizer::instance()
{
    static const Tokenizer tokenizer;
    return tokenizer;
}

std::vector<int64_t> Tokenizer::encode(const std::string& utf8) const
{
    const std::string cleaned = cleanTextForClip(utf8);
    std::vector<int64_t> ids;
    UErrorCode err = U_ZERO_ERROR;
    const icu::UnicodeString text = icu::UnicodeString::fromUTF8(cleaned);
    std::unique_ptr<icu::RegexMatcher> matcher(d->pattern->matcher(text, err));
    if (U_FAILURE(err)) return ids;
    while (matcher->find(err) && U_SUCCESS(err)) {
        std::string token;
        matcher->group(err).toUTF8String(token);
        const auto part = d->bpe(token);
        ids.insert(ids.end(), part.begin(), part.end());
    }
    return ids;
}

std::vector<int64_t> Tokenizer::tokenize(const std::string& utf8, int contextLength) const
{
    std::vector<int64_t> row;
    row.reserve(static_cast<size_t>(contextLength));
    row.push_back(kStartOfText);
    const auto ids = encode(utf8);
    row.insert(row.end(), ids.begin(), ids.end());
    row.push_back(kEndOfText);
    if (static_cast<int>(row.size()) > contextLength) {
        row.resize(static_cast<size_t>(contextLength));
        row.back() = kEndOfText;
    }
    row.resize(static_cast<size_t>(contextLength), 0);
    return row;
}

std::string Tokenizer::decode(const std::vector<int64_t>& ids) const
{
    std::string symbols;
    for (int64_t id : ids)
        if (id >= 0 && id < static_cast<int64_t>(d->decoder.size())) symbols += d->decoder[static_cast<size_t>(id)];
    // Map symbols back to bytes; "</w>" and special tokens pass through as text.
    std::string bytes;
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(symbols);
    for (int32_t i = 0; i < u.length();) {
        const UChar32 c = u.char32At(i);
        std::string sym;
        icu::UnicodeString(c).toUTF8String(sym);
        auto it = d->symbolToByte.find(sym);
        if (it != d->symbolToByte.end()) bytes.push_back(static_cast<char>(it->second));
        else bytes += sym;
        i += U16_LENGTH(c);
    }
    std::string out;
    icu::UnicodeString::fromUTF8(bytes).toUTF8String(out); // invalid UTF-8 -> U+FFFD, as errors="replace"
    size_t p;
    while ((p = out.find("</w>")) != std::string::npos) out.replace(p, 4, " ");
    return out;
}

} // namespace ra

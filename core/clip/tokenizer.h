#pragma once
// CLIP's byte-level BPE tokenizer, byte-exact with openai/CLIP's simple_tokenizer + clip.tokenize.
// The vocabulary (bpe_simple_vocab_16e6.txt.gz, MIT, OpenAI) is compiled into the library.
//
// Thread-safety: a Tokenizer is immutable after construction except for an internal BPE cache
// guarded by a mutex; share one instance freely across threads.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ra {

class Tokenizer {
public:
    static constexpr int64_t kStartOfText = 49406;
    static constexpr int64_t kEndOfText = 49407;
    static constexpr int64_t kVocabSize = 49408;
    static constexpr int kDefaultContextLength = 77;

    // The process-wide tokenizer over the embedded vocabulary.
    static const Tokenizer& instance();

    ~Tokenizer();
    // BPE ids of the cleaned text, without start/end tokens.
    std::vector<int64_t> encode(const std::string& utf8) const;
    // clip.tokenize(text, context_length, truncate=True): SOT + ids + EOT, zero-padded; too-long
    // input is cut and its last id set to EOT.
    std::vector<int64_t> tokenize(const std::string& utf8, int contextLength = kDefaultContextLength) const;
    // Inverse of encode (CLIP's decode): "</w>" becomes a space.
    std::string decode(const std::vector<int64_t>& ids) const;

private:
    Tokenizer();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace ra

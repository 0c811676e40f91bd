#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (Debian: clang, libclang-rt-14-dev) into build/fuzz/:
# the code under test is compiled with -fsanitize=fuzzer,address,undefined from core's sources.
#
#   tests/fuzz/build.sh
#   build/fuzz/fuzz_safetensors -max_total_time=600 build/fuzz/corpus-safetensors
#   build/fuzz/fuzz_tokenizer   -max_total_time=600 build/fuzz/corpus-tokenizer
#   build/fuzz/fuzz_project     -max_total_time=600 build/fuzz/corpus-project
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/build/fuzz"
mkdir -p "$out"
cxx="${CXX:-clang++}"
command -v "$cxx" >/dev/null || { echo "fuzz: $cxx not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
flags=(-std=c++17 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -I"$root/core" -DRA_VERSION='"fuzz"')
sed "s#@RA_BPE_VOCAB_PATH@#$root/resources/clip/bpe_simple_vocab_16e6.txt.gz#" "$root/core/clip/bpevocab.S.in" > "$out/bpevocab.S"
c="$root/core"
"$cxx" "${flags[@]}" "$root/tests/fuzz/fuzz_safetensors.cpp" "$c/io/safetensors.cpp" "$c/io/atomicfile.cpp" -o "$out/fuzz_safetensors"
"$cxx" "${flags[@]}" "$root/tests/fuzz/fuzz_tokenizer.cpp" "$c/clip/tokenizer.cpp" "$c/clip/textcleaner.cpp" "$out/bpevocab.S" \
  $(pkg-config --cflags --libs icu-uc icu-i18n zlib) -o "$out/fuzz_tokenizer"
"$cxx" "${flags[@]}" "$root/tests/fuzz/fuzz_project.cpp" "$c/project/project.cpp" "$c/config/trainconfig.cpp" "$c/eval/setrole.cpp" "$c/util/numbertext.cpp" "$c/data/templates.cpp" \
  "$c/io/atomicfile.cpp" "$c/adapt/adapterconfig.cpp" "$c/platform/precision.cpp" "$c/platform/cpufeatures.cpp" -o "$out/fuzz_project"
# Seed corpora from the project's own files.
mkdir -p "$out/corpus-safetensors" "$out/corpus-tokenizer" "$out/corpus-project"
head -c 65536 "$root/resources/models/glyphclip-tiny.safetensors" > "$out/corpus-safetensors/glyphclip-head" || true
printf 'a photo of a cat.' > "$out/corpus-tokenizer/plain"
printf 'Caf\xc3\xa9 &amp; \xef\xac\x81 \xe2\x80\x9cquotes\xe2\x80\x9d' > "$out/corpus-tokenizer/unicode"
cp "$root/projects/digits-shift/digits-shift.json" "$out/corpus-project/"
echo "fuzz: built $out/fuzz_safetensors, fuzz_tokenizer, fuzz_project"

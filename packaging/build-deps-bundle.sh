#!/usr/bin/env bash
# Packs what the radapter CLI needs besides libtorch -- headers and static libraries of ICU,
# SQLite and zlib, and nlohmann-json's headers -- from this Debian machine into one archive, so the
# CLI can be built where those packages are missing and nothing can be installed (a cluster's
# login node, a container with only PyTorch), against that machine's own libtorch:
#
#   tar xJf radapter-build-deps.tar.xz -C /tmp/deps
#   cmake --preset cli-minimal -C /tmp/deps/deps.cmake \
#         -DCMAKE_PREFIX_PATH=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
#   cmake --build --preset cli-minimal
#
# The result links ICU, SQLite and zlib statically. Without OpenCV (cli-minimal) it reads PNG,
# PGM and PPM images. Usage: packaging/build-deps-bundle.sh [OUT.tar.xz]
set -euo pipefail
out=$(realpath -m "${1:-radapter-build-deps.tar.xz}")
lib=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
for f in "$lib"/libicu{uc,i18n,data}.a "$lib"/libsqlite3.a "$lib"/libz.a /usr/include/unicode/uchar.h \
    /usr/include/sqlite3.h /usr/include/zlib.h /usr/include/nlohmann/json.hpp /usr/share/cmake/nlohmann_json; do
    [ -e "$f" ] || { echo "build-deps-bundle: $f is missing (apt-get install libicu-dev libsqlite3-dev zlib1g-dev nlohmann-json3-dev)" >&2; exit 1; }
done
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/include "$stage"/lib "$stage"/share/cmake
cp -r /usr/include/unicode /usr/include/nlohmann "$stage"/include/
cp /usr/include/sqlite3.h /usr/include/sqlite3ext.h /usr/include/zlib.h /usr/include/zconf.h "$stage"/include/
cp "$lib"/libicu{uc,i18n,data}.a "$lib"/libsqlite3.a "$lib"/libz.a "$stage"/lib/
cp -r /usr/share/cmake/nlohmann_json "$stage"/share/cmake/
# Points CMake's finders at the bundle, wherever it is unpacked (cmake -C deps.cmake).
cat > "$stage"/deps.cmake <<'EOC'
get_filename_component(_ra_deps "${CMAKE_CURRENT_LIST_FILE}" DIRECTORY)
set(ICU_ROOT "${_ra_deps}" CACHE PATH "ICU from the build-deps bundle")
set(SQLite3_INCLUDE_DIR "${_ra_deps}/include" CACHE PATH "")
set(SQLite3_LIBRARY "${_ra_deps}/lib/libsqlite3.a" CACHE FILEPATH "")
set(ZLIB_INCLUDE_DIR "${_ra_deps}/include" CACHE PATH "")
set(ZLIB_LIBRARY "${_ra_deps}/lib/libz.a" CACHE FILEPATH "")
set(nlohmann_json_DIR "${_ra_deps}/share/cmake/nlohmann_json" CACHE PATH "")
EOC
tar -C "$stage" -cJf "$out" .
echo "build-deps-bundle: $out ($(du -h "$out" | cut -f1))"

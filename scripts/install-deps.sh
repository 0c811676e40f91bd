#!/usr/bin/env bash
# Installs the Debian 12 packages R-Adapter Studio needs, only those that are missing.
# Needs root (or sudo) when something must be installed; does nothing otherwise.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config clang-format ccache
  # packaging/build-deps-bundle.sh (tar -J)
  xz-utils
  # Qt 6 (GUI, tests) and QCustomPlot
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev libgl-dev libqcustomplot-dev libqcustomplot2.1-qt6
  # libtorch and a fast BLAS (without it libtorch falls back to the reference BLAS)
  libtorch-dev libopenblas0-openmp libgloo-dev
  # images, runs store, JSON, Unicode, compression
  libopencv-dev libopencv-contrib-dev libsqlite3-dev nlohmann-json3-dev libicu-dev zlib1g-dev
  # the eager-PyTorch peer in bench/ and Pillow for regenerating preprocessing test vectors
  python3-torch python3-pil
  # emulated CPUs without AVX-512 (scripts/check-emulated-cpu.sh)
  qemu-user
  # a desktop locale whose decimal point is a comma, for tests/commalocale.h (localedef's sources)
  locales
  # running the Studio without a display, screenshots
  xvfb xauth imagemagick fonts-dejavu-core
  # the demo world's real data: OpenCV's handwritten digits, the UCI digits, typefaces
  opencv-doc python3-sklearn fonts-liberation2 fonts-urw-base35 fonts-freefont-ttf fonts-dejavu-extra
  fonts-crosextra-caladea fonts-crosextra-carlito fonts-comic-neue fonts-cantarell fonts-roboto-unhinted fonts-noto-mono
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} Debian packages are installed."
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"

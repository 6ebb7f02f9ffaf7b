#!/usr/bin/env bash
# Install culpa into a fresh prefix, then build a small consumer against it
# both ways — CMake's find_package(culpa) and pkg-config — and run each.
# usage: run.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
# a configure of its own, so the library's default lexicon folder is the
# prefix's (it is fixed at build time)
cmake -S "$src" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
    -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$tmp/build" -j 2 >/dev/null
cmake --install "$tmp/build" >/dev/null
test -f "$prefix/share/man/man1/culpa.1"
cmake -S "$src/tests/consumer" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/consumer" >/dev/null
LD_LIBRARY_PATH=$prefix/lib "$tmp/consumer/consumer"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# shellcheck disable=SC2046
cc "$src/tests/consumer/main.c" $(pkg-config --cflags --libs culpa) -o "$tmp/pc"
LD_LIBRARY_PATH=$prefix/lib "$tmp/pc"
# the static library, with what pkg-config says it needs besides itself
# shellcheck disable=SC2046
cc "$src/tests/consumer/main.c" $(pkg-config --cflags culpa) "$prefix/lib/libculpa.a" \
    $(pkg-config --static --libs culpa | sed 's/-lculpa//') -o "$tmp/pc-static"
"$tmp/pc-static"
"$prefix/bin/culpa" score <<<'{"text":"installed and working"}' | grep -q '"lang":"en"'
echo "4 passed, 0 failed"

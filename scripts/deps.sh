#!/usr/bin/env bash
# deps.sh build|test — make sure the Debian packages a step needs are there.
# As root it installs what is missing; otherwise it prints the one apt-get
# line to run and exits 1.
set -u
build_pkgs="gcc make pkg-config libsqlite3-dev libreadline-dev libcurl4-openssl-dev libzstd-dev libsnappy-dev zlib1g-dev libjansson-dev libssl-dev libgraphviz-dev graphviz libpcre2-dev"
test_pkgs="$build_pkgs sqlite3 libcmocka-dev clang libclang-rt-dev chromium valgrind"
# node and npm may come from outside Debian (this machine image has them):
# only ask Debian for them when the commands are missing.
if [ "${1:-build}" = test ] && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
    test_pkgs="$test_pkgs nodejs npm"
fi
case "${1:-build}" in
    build) want="$build_pkgs" ;;
    test) want="$test_pkgs" ;;
    *) echo "usage: deps.sh build|test" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
        echo "apt-get install failed for:$missing" >&2; exit 1; }
else
    echo "missing Debian packages. Run this once, then try again:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi

# Shared by scripts/demo, scripts/test and scripts/bench. Source it; do not run it.

SHOPCORE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export SHOPCORE_ROOT

log() { printf '==> %s\n' "$*" >&2; }

# Installs the Debian packages that are missing (needs root on a fresh Debian 12).
# Usage: install_packages pkg...
install_packages() {
    local missing=()
    local p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    log "installing: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What building the library and its tests, examples and benchmarks needs.
BUILD_PACKAGES=(
    build-essential cmake ninja-build ccache pkg-config
    libboost-dev libsoci-dev libsqlite3-dev libpq-dev libmariadb-dev
    libsodium-dev libcli11-dev
    libgtest-dev libgmock-dev googletest libbenchmark-dev
    clang-format swig
)

# Uses ccache in a stable place so repeated runs are fast.
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/shopcore-ccache}"

# Number of parallel build jobs: this project targets 2-core machines.
build_jobs() { nproc 2>/dev/null || echo 2; }

#!/usr/bin/env bash
# install-test-deps.sh — install the reference Redis 7.0 that the differential
# tests, interop tests and benchmarks compare ferrodis against.
#
# Usage: scripts/install-test-deps.sh [--force] [--dry-run]
#
#   --force     install even if a suitable Redis is already present
#   --dry-run   print the commands that would change the system; run none
#
# When redis-server is missing or not 7.0.x (or redis-cli, redis-benchmark or
# redis-sentinel is missing), installs Debian's redis-server, redis-tools and
# redis-sentinel 7.0 packages with apt-get (sudo only when not root), keeps
# the packaged services from starting so port 6379 stays free for
# conf/redis.conf, then prints the versions found.
#
# Exit status: 0 when Redis 7.0 is available afterwards; 1 otherwise; 2 on
# bad usage.

set -euo pipefail

FORCE=0
DRY_RUN=0
PACKAGES=(redis-server redis-tools redis-sentinel)
SERVICES=(redis-server redis-sentinel)

die() {
    printf 'install-test-deps.sh: %s\n' "$*" >&2
    exit 1
}

usage() {
    sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

for arg in "$@"; do
    case $arg in
        --force) FORCE=1 ;;
        --dry-run) DRY_RUN=1 ;;
        -h | --help) usage ;;
        *) echo "install-test-deps.sh: unknown option '$arg'" >&2 && usage ;;
    esac
done

SUDO=()
if (($(id -u) != 0)); then
    SUDO=(sudo)
fi

# run CMD...: run a command that changes the system (echoed first).
run() {
    echo "+ ${SUDO[*]}${SUDO:+ }$*"
    ((DRY_RUN)) || "${SUDO[@]}" "$@"
}

# server_version: "7.0.15" from "Redis server v=7.0.15 sha=...", or nothing.
server_version() {
    command -v redis-server >/dev/null 2>&1 || return 0
    redis-server --version | sed -n 's/.* v=\([0-9.]*\).*/\1/p'
}

# have_redis_70: every tool present and the server is 7.0.x.
have_redis_70() {
    local tool
    for tool in redis-server redis-cli redis-benchmark redis-sentinel; do
        command -v "$tool" >/dev/null 2>&1 || return 1
    done
    [[ $(server_version) == 7.0.* ]]
}

# --- Install -----------------------------------------------------------------

install_redis() {
    command -v apt-get >/dev/null 2>&1 ||
        die "apt-get not found: install Redis 7.0 (redis-server, redis-cli, redis-benchmark, redis-sentinel) by hand"
    if ((${#SUDO[@]})) && ! command -v sudo >/dev/null 2>&1; then
        die "not root and sudo not found: run this script as root"
    fi

    run apt-get update -q

    # Pick a 7.0 version explicitly: the candidate may be another series
    # (e.g. from packages.redis.io), and the tests need 7.0's exact behaviour.
    local version
    version=$(apt-cache madison redis-server | awk -F'|' '{gsub(/ /, "", $2); print $2}' |
        grep -E '^([0-9]+:)?7\.0\.' | head -n 1 || true)
    if [[ -z $version ]]; then
        # Before "apt-get update" has run for real, the list may be empty.
        ((DRY_RUN)) ||
            die "no redis-server 7.0.x in the apt sources (Debian 12 bookworm ships 7.0); install Redis 7.0 by hand"
        version='<7.0.x>'
    fi
    echo "installing Redis $version"

    # Debian starts a packaged daemon on installation. policy-rc.d answering
    # 101 ("action forbidden") stops invoke-rc.d and deb-systemd-invoke from
    # doing so, with or without systemd. Only add one if none exists.
    local policy=/usr/sbin/policy-rc.d
    if [[ ! -e $policy ]]; then
        trap 'run rm -f '"$policy" EXIT
        run sh -c "printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy"
    fi

    local pkg specs=()
    for pkg in "${PACKAGES[@]}"; do specs+=("$pkg=$version"); done
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends --allow-downgrades "${specs[@]}"

    disable_services
}

# disable_services: keep the packaged daemons off now and after a reboot.
disable_services() {
    local svc
    if [[ -d /run/systemd/system ]]; then
        for svc in "${SERVICES[@]}"; do
            run systemctl disable --now "$svc.service" || true
        done
    else
        # No systemd (containers): sysvinit scripts, if the package has them.
        for svc in "${SERVICES[@]}"; do
            [[ -x /etc/init.d/$svc ]] || continue
            run update-rc.d "$svc" disable || true
            run /etc/init.d/"$svc" stop || true
        done
    fi
}

# --- Main --------------------------------------------------------------------

if ((FORCE)) || ! have_redis_70; then
    if ((FORCE)); then
        echo "--force: installing regardless of what is present"
    elif command -v redis-server >/dev/null 2>&1; then
        echo "found redis-server $(server_version) (need 7.0.x and all of redis-cli, redis-benchmark, redis-sentinel)"
    else
        echo "redis-server not found"
    fi
    install_redis
    ((DRY_RUN)) && exit 0
    hash -r
    have_redis_70 || die "Redis 7.0 is still not available after installing (redis-server $(server_version))"
else
    echo "Redis $(server_version) already installed"
fi

redis-server --version
redis-cli --version
redis-benchmark --version
redis-sentinel --version

if (: <>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
    echo "note: port 6379 is in use; conf/redis.conf needs it (start.sh will say so)" >&2
fi

# --- Python client-library tests ----------------------------------------------
# A venv under target/ with redis-py, used by tests/client_libs.rs. The venv is
# reused when it already has redis-py.
VENV="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/test-venv"
if ! "$VENV/bin/python" -c 'import redis' 2>/dev/null; then
    if ((DRY_RUN)); then
        echo "would create $VENV with redis-py"
    else
        echo "creating $VENV with redis-py"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q --disable-pip-version-check 'redis>=5,<6'
    fi
fi
"$VENV/bin/python" -c 'import redis; print("redis-py", redis.__version__)' 2>/dev/null || true

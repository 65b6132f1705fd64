#!/usr/bin/env bash
# stop.sh — stop an instance started by scripts/start.sh, by the pid in its
# pid file.
#
# Usage: scripts/stop.sh CONF [--directive value ...]
#        scripts/stop.sh PIDFILE
#
#   CONF       a config file (*.conf); its pidfile directive (with the same
#              overrides given to start.sh, e.g. --port 6390) names the pid file
#   PIDFILE    the pid file itself
#
# Sends SIGTERM (the server shuts down as on SHUTDOWN, saving if save points
# are configured) and waits up to STOP_TIMEOUT seconds (default 30) for the
# process to exit.
#
# Exit status: 0 when stopped, or when nothing was running (missing pid file,
# or a stale one, which is removed); 1 when the process is still alive after
# the wait, cannot be signalled, or does not look like a server; 2 on bad usage.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STOP_TIMEOUT=${STOP_TIMEOUT:-30}

die() {
    printf 'stop.sh: %s\n' "$*" >&2
    exit 1
}

usage() {
    sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

# alive PID: the process exists and is not a zombie (a daemon whose parent
# does not reap it stays a zombie, and kill -0 still succeeds on those).
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0 # no procfs: trust kill
    stat=${stat##*) } # the state letter follows "(comm) "
    [[ ${stat%% *} != Z ]]
}

(($# >= 1)) || usage
[[ $1 == -h || $1 == --help ]] && usage

if [[ $1 == *.conf ]]; then
    # start.sh owns config reading; ask it where the pid file is.
    paths=$("$HERE/start.sh" --print-paths "$@") || exit 1
    PIDFILE=$(sed -n 's/^pidfile=//p' <<<"$paths")
else
    (($# == 1)) || usage
    PIDFILE=$1
fi

if [[ ! -e $PIDFILE ]]; then
    echo "not running (no pid file $PIDFILE)"
    exit 0
fi

pid=$(<"$PIDFILE")
pid=${pid//[[:space:]]/}
[[ $pid =~ ^[1-9][0-9]*$ ]] || die "pid file $PIDFILE does not hold a pid: '$pid'"

if ! alive "$pid"; then
    if [[ -d /proc/$pid ]] && ! kill -0 "$pid" 2>/dev/null; then
        die "cannot signal pid $pid from $PIDFILE (owned by another user?)"
    fi
    rm -f "$PIDFILE"
    echo "not running: removed stale pid file $PIDFILE (no process $pid)"
    exit 0
fi

# A recycled pid could now belong to anything; only stop what looks like a
# server (redis-server and ferrodis-server both name themselves in argv[0]).
if [[ -r /proc/$pid/cmdline ]]; then
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline")
    if [[ $cmd != *redis* && $cmd != *ferrodis* ]]; then
        die "pid $pid from $PIDFILE is not a server ('$cmd'); not stopping it." \
            "Remove the pid file if it is stale."
    fi
fi

kill -TERM "$pid" 2>/dev/null || die "failed to send SIGTERM to pid $pid"

deadline=$((SECONDS + STOP_TIMEOUT))
while alive "$pid"; do
    if ((SECONDS >= deadline)); then
        die "pid $pid is still running ${STOP_TIMEOUT}s after SIGTERM (saving a large dataset?);" \
            "check its log, wait longer (STOP_TIMEOUT=...), or kill -9 $pid"
    fi
    sleep 0.1
done

# The server removes its pid file on a clean shutdown; do it if it did not.
rm -f "$PIDFILE"
echo "stopped (pid $pid)"

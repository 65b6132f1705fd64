#!/usr/bin/env bash
# start.sh — start a daemonized ferrodis (or redis-server) instance and wait
# until it answers PING.
#
# Usage: scripts/start.sh CONF [--directive value ...]
#        scripts/start.sh --print-paths CONF [--directive value ...]
#
#   CONF                  a Redis-style config file (e.g. conf/redis.conf)
#   --directive value     overrides, exactly as redis-server takes them
#                         (e.g. --port 6390 --save '')
#   --print-paths         start nothing; print "port=", "pidfile=" and
#                         "logfile=" lines as this script resolves them
#                         (stop.sh uses this, so both read configs alike)
#
# Runs "$FERRODIS_SERVER CONF [overrides...] --daemonize yes". The port and
# pid file are read from CONF and the overrides; then the script waits up to
# START_TIMEOUT seconds for PONG and prints "ferrodis on port P started (pid N)".
# Config errors are printed by the server itself before it daemonizes.
#
# Environment:
#   FERRODIS_SERVER   server binary (default: target/release/ferrodis-server
#                     under the repository root; /usr/bin/redis-server works too)
#   START_TIMEOUT     seconds to wait for PONG (default 10)
#
# Exit status: 0 when the server answers; 1 when it does not come up (port in
# use, bad config, timeout) or is already running; 2 on bad usage.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FERRODIS_SERVER=${FERRODIS_SERVER:-$ROOT/target/release/ferrodis-server}
START_TIMEOUT=${START_TIMEOUT:-10}

die() {
    printf 'start.sh: %s\n' "$*" >&2
    exit 1
}

usage() {
    sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

# --- Config reading ----------------------------------------------------------
# Only the directives this script needs, with redis-server's rules: the last
# occurrence wins, "include" is followed, command-line overrides come after the
# file. Values are unquoted; relative paths are resolved the way the server
# does it (against "dir", which the server chdir()s into).

declare -A CFG=()

unquote() {
    local v=$1
    if [[ $v == \"*\" || $v == \'*\' ]] && ((${#v} >= 2)); then
        v=${v:1:${#v}-2}
    fi
    printf '%s' "$v"
}

# set_directive NAME ARGS...: record the directives we care about.
set_directive() {
    local name=${1,,}
    shift
    case $name in
        port | pidfile | logfile | dir)
            CFG[$name]=$(unquote "${1:-}")
            ;;
        bind)
            # The first address; a command-line value may hold several.
            local v=${1:-}
            CFG[bind]=${v%% *}
            ;;
        include)
            read_conf "$(unquote "${1:-}")"
            ;;
    esac
}

read_conf() {
    local file=$1 line words
    [[ -r $file ]] || die "cannot read config file '$file'"
    while IFS= read -r line || [[ -n $line ]]; do
        line=${line%$'\r'}
        [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
        read -r -a words <<<"$line"
        set_directive "${words[@]}"
    done <"$file"
}

# read_args --name value ... : the same overrides the server will apply.
read_args() {
    local name="" vals=()
    while (($#)); do
        if [[ $1 == --* ]]; then
            [[ -n $name ]] && set_directive "$name" "${vals[@]}"
            name=${1#--} vals=()
        else
            vals+=("$1")
        fi
        shift
    done
    [[ -n $name ]] && set_directive "$name" "${vals[@]}"
    return 0
}

# resolve PATH: absolute, or relative to the server's working directory.
resolve() {
    local p=$1 dir=${CFG[dir]:-.}
    [[ $p == /* ]] && { printf '%s' "$p"; return; }
    case $dir in . | ./) dir=$PWD ;; /*) ;; *) dir=$PWD/$dir ;; esac
    printf '%s/%s' "${dir%/}" "${p#./}"
}

# --- Liveness ----------------------------------------------------------------

# ping HOST PORT: succeeds when the server answers PONG (or demands AUTH,
# which also means it is up and serving).
ping() {
    local host=$1 port=$2 reply
    if command -v redis-cli >/dev/null 2>&1; then
        reply=$(timeout 2 redis-cli -h "$host" -p "$port" ping 2>&1) || return 1
    else
        local fd
        { exec {fd}<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
        printf 'PING\r\n' >&"$fd"
        IFS= read -r -t 2 reply <&"$fd" || true
        exec {fd}>&-
        reply=${reply%$'\r'}
        reply=${reply#+}
    fi
    [[ $reply == PONG || $reply == *NOAUTH* ]]
}

# port_open HOST PORT: something accepts connections there.
port_open() {
    (: <>"/dev/tcp/$1/$2") 2>/dev/null
}

# pid_alive PID: the process exists and is not a zombie (a daemon whose
# parent does not reap it stays a zombie, and kill -0 still succeeds on those).
pid_alive() {
    [[ $1 =~ ^[1-9][0-9]*$ ]] && kill -0 "$1" 2>/dev/null || return 1
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0 # no procfs: trust kill
    stat=${stat##*) } # the state letter follows "(comm) "
    [[ ${stat%% *} != Z ]]
}

# --- Main --------------------------------------------------------------------

PRINT_PATHS=0
(($# >= 1)) || usage
[[ $1 == -h || $1 == --help ]] && usage
[[ $1 == --print-paths ]] && { PRINT_PATHS=1; shift; (($# >= 1)) || usage; }
CONF=$1
shift
[[ -f $CONF ]] || die "config file '$CONF' not found"

read_conf "$CONF"
read_args "$@"

PORT=${CFG[port]:-6379}
[[ $PORT =~ ^[0-9]+$ && $PORT != 0 ]] || die "need a TCP port, got port '$PORT'"
# A daemonized server without a pidfile directive uses this one.
PIDFILE=$(resolve "${CFG[pidfile]:-/var/run/redis_$PORT.pid}")
LOGFILE=${CFG[logfile]:-}
[[ -n $LOGFILE ]] && LOGFILE=$(resolve "$LOGFILE")
# Ping the first bound address; wildcards and the default mean loopback.
HOST=${CFG[bind]:-127.0.0.1}
HOST=${HOST#-}
case $HOST in '*' | '0.0.0.0' | '::' | '::*' | '') HOST=127.0.0.1 ;; esac

if ((PRINT_PATHS)); then
    printf 'port=%s\npidfile=%s\nlogfile=%s\n' "$PORT" "$PIDFILE" "$LOGFILE"
    exit 0
fi

[[ -x $FERRODIS_SERVER ]] ||
    die "server binary '$FERRODIS_SERVER' not found or not executable (run 'make build', or set FERRODIS_SERVER)"

if [[ -f $PIDFILE ]]; then
    pid=$(<"$PIDFILE")
    if pid_alive "$pid"; then
        die "already running: pid file $PIDFILE names live process $pid (scripts/stop.sh $CONF)"
    fi
    echo "start.sh: removing stale pid file $PIDFILE (pid '$pid' is not running)"
    rm -f "$PIDFILE"
fi

# The server binds after it daemonizes, so a busy port would only show up in
# its log; check first to give a clear message.
port_open "$HOST" "$PORT" && die "port $PORT on $HOST is already in use"

# The config is parsed before daemonizing: a config error is printed here and
# makes the command fail.
"$FERRODIS_SERVER" "$CONF" "$@" --daemonize yes ||
    die "'$FERRODIS_SERVER $CONF $*' failed (exit $?); see the message above"

log_tail() {
    if [[ -n $LOGFILE && -r $LOGFILE ]]; then
        echo "--- last lines of $LOGFILE:" >&2
        tail -n 20 "$LOGFILE" >&2
    elif [[ -z $LOGFILE ]]; then
        echo "(logfile is \"\": a daemonized server logs nowhere; set logfile to see why)" >&2
    fi
}

deadline=$((SECONDS + START_TIMEOUT))
pid=""
while ((SECONDS < deadline)); do
    [[ -z $pid && -f $PIDFILE ]] && pid=$(<"$PIDFILE")
    if [[ -n $pid ]] && ! pid_alive "$pid"; then
        echo "start.sh: server on port $PORT exited during start-up (pid $pid)" >&2
        log_tail
        exit 1
    fi
    if [[ -n $pid ]] && ping "$HOST" "$PORT"; then
        echo "ferrodis on port $PORT started (pid $pid)"
        exit 0
    fi
    sleep 0.1
done

if [[ -n $pid ]] && pid_alive "$pid"; then
    echo "start.sh: server on port $PORT (pid $pid) did not answer PING within ${START_TIMEOUT}s;" \
        "it is still running (loading data?). Stop it with: scripts/stop.sh $PIDFILE" >&2
else
    echo "start.sh: server on port $PORT did not come up within ${START_TIMEOUT}s" \
        "(no live pid in $PIDFILE)" >&2
fi
log_tail
exit 1

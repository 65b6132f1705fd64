#!/usr/bin/env bash
# bench.sh — compare ferrodis with real Redis using redis-benchmark, in one run
# on one machine, so that both see the same noise.
#
# Usage: scripts/bench.sh [--quick] [-n N] [--rounds R] [--tests LIST]
#                         [--pipeline LIST] [-c CLIENTS]
#
#   --quick           -n 20000 --rounds 1 (a smoke run, not a measurement)
#   -n N              requests per redis-benchmark run (default 100000)
#   --rounds R        runs per server, test set and pipeline; the table shows
#                     the median (default 3)
#   --tests LIST      redis-benchmark -t list (default ping,set,get,incr,mset;
#                     'all' runs redis-benchmark's whole default suite)
#   --pipeline LIST   comma-separated -P values (default 1,16)
#   -c CLIENTS        parallel connections (default 50)
#
# Starts ferrodis and redis-server on two free loopback ports with
# persistence off (--save '' --appendonly no) and logs in a temp dir, runs
#   redis-benchmark -t LIST -c 50 -r 100000 -n N -P p -q --csv
# against each, alternating which server goes first every round, and prints
# test, mode, redis rps, ferrodis rps and ferrodis/redis, plus the geometric
# mean of the ratios. Both servers are killed by pid on exit.
#
# Environment:
#   FERRODIS_SERVER   ferrodis binary; when unset, "cargo build --release"
#                     runs and target/release/ferrodis-server is used
#   REDIS_SERVER      reference server (default: redis-server on PATH)
#   BENCH_PORT_MIN    first port to try (default 23000; 1000 ports are tried)
#
# Setting FERRODIS_SERVER=$(command -v redis-server) benchmarks Redis against
# itself: ratios near 1.0 show how much noise the machine adds.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

MODE=throughput
REQUESTS=100000
ROUNDS=3
TESTS=ping,set,get,incr,mset
PIPELINES=1,16
CLIENTS=50
KEYSPACE=100000
BENCH_PORT_MIN=${BENCH_PORT_MIN:-23000}

die() {
    printf 'bench.sh: %s\n' "$*" >&2
    exit 1
}

usage() {
    sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

# positive OPTION VALUE: VALUE is a positive integer.
positive() {
    [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive integer, got '${2:-}'"
}

while (($#)); do
    case $1 in
        --quick) REQUESTS=20000 ROUNDS=1 ;;
        -n) positive "$1" "${2:-}" && REQUESTS=$2 && shift ;;
        --rounds) positive "$1" "${2:-}" && ROUNDS=$2 && shift ;;
        -c) positive "$1" "${2:-}" && CLIENTS=$2 && shift ;;
        --tests)
            [[ -n ${2:-} ]] || die "--tests needs a list, e.g. set,get"
            TESTS=$2 && shift
            ;;
        --pipeline)
            [[ ${2:-} =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--pipeline needs a list like 1,16"
            PIPELINES=$2 && shift
            ;;
        # Later modes (each gets a bench_<mode> function below).
        --memory | --persistence | --replication) MODE=${1#--} ;;
        -h | --help) usage ;;
        *) echo "bench.sh: unknown option '$1'" >&2 && usage ;;
    esac
    shift
done

command -v redis-benchmark >/dev/null 2>&1 ||
    die "redis-benchmark not found (scripts/install-test-deps.sh installs it)"
REDIS_SERVER=${REDIS_SERVER:-$(command -v redis-server || true)}
[[ -x $REDIS_SERVER ]] ||
    die "redis-server not found (scripts/install-test-deps.sh installs it, or set REDIS_SERVER)"

if [[ -z ${FERRODIS_SERVER:-} ]]; then
    echo "building ferrodis (cargo build --release)"
    (cd "$ROOT" && cargo build --release) || die "cargo build --release failed"
    FERRODIS_SERVER=$ROOT/target/release/ferrodis-server
fi
[[ -x $FERRODIS_SERVER ]] || die "server binary '$FERRODIS_SERVER' not found or not executable"

# alive PID: the process runs (our children stay zombies until waited for,
# and kill -0 succeeds on zombies).
alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) } # the state letter follows "(comm) "
    [[ ${stat%% *} != Z ]]
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ferrodis-bench.XXXXXX")
PIDS=()

# cleanup: stop every server this script started, by pid, then drop the temp
# dir. Runs on any exit, including errors and Ctrl-C.
cleanup() {
    local pid i
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for ((i = 0; i < 50; i++)); do
            alive "$pid" || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Servers -----------------------------------------------------------------

NEXT_PORT=$BENCH_PORT_MIN

# port_free PORT: nothing accepts connections on 127.0.0.1:PORT.
port_free() {
    ! (: <>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# start_server NAME BINARY [--directive value ...]: start a foreground server
# on the next free port; sets PORT. Retries on another port if the bind loses
# a race with someone else.
start_server() {
    local name=$1 bin=$2 tries pid i reply
    shift 2
    mkdir -p "$TMP/$name"
    for ((tries = 0; tries < 5; tries++)); do
        while ! port_free "$NEXT_PORT"; do
            NEXT_PORT=$((NEXT_PORT + 1))
            ((NEXT_PORT < BENCH_PORT_MIN + 1000)) || die "no free port from $BENCH_PORT_MIN"
        done
        PORT=$NEXT_PORT
        NEXT_PORT=$((NEXT_PORT + 1))
        "$bin" --port "$PORT" --bind 127.0.0.1 --daemonize no --save '' --appendonly no \
            --dir "$TMP/$name" --logfile "$TMP/$name/server.log" "$@" &
        pid=$!
        PIDS+=("$pid")
        for ((i = 0; i < 100; i++)); do
            alive "$pid" || break
            reply=$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null || true)
            [[ $reply == PONG ]] && return 0
            sleep 0.1
        done
        if alive "$pid"; then
            tail -n 20 "$TMP/$name/server.log" >&2 2>/dev/null || true
            die "$name ($bin) did not answer PING on port $PORT within 10s"
        fi
        if ! grep -qi 'address already in use' "$TMP/$name/server.log" 2>/dev/null; then
            tail -n 20 "$TMP/$name/server.log" >&2 2>/dev/null || true
            die "$name ($bin) exited during start-up"
        fi
    done
    die "$name: could not bind a port after $tries tries"
}

version_of() {
    "$1" --version 2>/dev/null | head -n 1 || echo "(no --version)"
}

# --- Throughput mode ---------------------------------------------------------

# run_benchmark SERVER PORT PIPELINE ROUND: append "server mode round test rps"
# rows (tab-separated) to $TMP/results.tsv.
run_benchmark() {
    local server=$1 port=$2 pipeline=$3 round=$4 out
    local select=(-t "$TESTS")
    [[ $TESTS == all ]] && select=()
    if ! out=$(redis-benchmark -h 127.0.0.1 -p "$port" "${select[@]}" -c "$CLIENTS" \
        -r "$KEYSPACE" -n "$REQUESTS" -P "$pipeline" -q --csv 2>"$TMP/benchmark.err"); then
        echo "warning: redis-benchmark against $server (-P $pipeline) failed:" >&2
        cat "$TMP/benchmark.err" >&2
        return 0
    fi
    # "MSET (10 keys)","123.45",... -> MSET (10 keys)<TAB>123.45; skip the header.
    awk -F'","' -v s="$server" -v m="P$pipeline" -v r="$round" '
        NR > 1 && NF > 1 { t = $1; sub(/^"/, "", t); printf "%s\t%s\t%s\t%s\t%s\n", s, m, r, t, $2 }
    ' <<<"$out" >>"$TMP/results.tsv"
}

# report: the median per server, test and mode; ratio; geometric mean.
report() {
    awk -F'\t' '
        function median(list,    v, n, i, j, x) {
            n = split(list, v, " ")
            for (i = 2; i <= n; i++) {
                x = v[i]
                for (j = i - 1; j >= 1 && v[j] + 0 > x + 0; j--) v[j + 1] = v[j]
                v[j + 1] = x
            }
            return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        {
            key = $4 SUBSEP $2
            if (!(key in seen)) { seen[key] = 1; order[++rows] = key }
            rps[$1, key] = rps[$1, key] " " $5
        }
        END {
            printf "%-16s %-5s %14s %14s %7s\n", "test", "mode", "redis rps", "ferrodis rps", "ratio"
            for (i = 1; i <= rows; i++) {
                key = order[i]
                split(key, part, SUBSEP)
                r = (("redis", key) in rps) ? median(rps["redis", key]) : ""
                f = (("ferrodis", key) in rps) ? median(rps["ferrodis", key]) : ""
                if (r > 0 && f > 0) {
                    ratio = sprintf("%.2f", f / r); logsum += log(f / r); n++
                } else {
                    ratio = "-"
                }
                printf "%-16s %-5s %14s %14s %7s\n", part[1], part[2],
                    r == "" ? "-" : sprintf("%.0f", r), f == "" ? "-" : sprintf("%.0f", f), ratio
            }
            if (n) printf "\ngeometric mean of ferrodis/redis over %d rows: %.3f\n", n, exp(logsum / n)
            else { print "\nno comparable results"; exit 1 }
        }
    ' "$TMP/results.tsv"
}

bench_throughput() {
    local redis_port ferrodis_port round pipeline first second
    start_server redis "$REDIS_SERVER"
    redis_port=$PORT
    start_server ferrodis "$FERRODIS_SERVER"
    ferrodis_port=$PORT

    echo "redis:    $REDIS_SERVER on port $redis_port: $(version_of "$REDIS_SERVER")"
    echo "ferrodis: $FERRODIS_SERVER on port $ferrodis_port: $(version_of "$FERRODIS_SERVER")"
    echo "redis-benchmark -t $TESTS -c $CLIENTS -r $KEYSPACE -n $REQUESTS -P {${PIPELINES}}," \
        "$ROUNDS round(s), median rps"
    echo

    : >"$TMP/results.tsv"
    for ((round = 1; round <= ROUNDS; round++)); do
        # Alternate who goes first so drift (thermal, neighbours) hits both.
        if ((round % 2)); then first=redis second=ferrodis; else first=ferrodis second=redis; fi
        for pipeline in ${PIPELINES//,/ }; do
            for server in "$first" "$second"; do
                [[ -t 2 ]] && printf 'round %d/%d: %-8s -P %-3s\r' "$round" "$ROUNDS" "$server" "$pipeline" >&2
                if [[ $server == redis ]]; then
                    run_benchmark redis "$redis_port" "$pipeline" "$round"
                else
                    run_benchmark ferrodis "$ferrodis_port" "$pipeline" "$round"
                fi
            done
        done
    done
    [[ -t 2 ]] && printf '%40s\r' '' >&2
    report
}

# --- Dispatch ----------------------------------------------------------------
# One function per mode; --memory, --persistence and --replication are planned
# (memory per key from INFO memory, BGSAVE/AOF rewrite times, full-sync time
# and replication lag) and will set MODE to their name.

case $MODE in
    throughput) bench_throughput ;;
    *) die "--$MODE is not implemented yet" ;;
esac

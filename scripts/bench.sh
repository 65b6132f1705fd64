#!/usr/bin/env bash
# bench.sh — compare ferrodis with real Redis using redis-benchmark, in one run
# on one machine, so that both see the same noise.
#
# Usage: scripts/bench.sh [--quick] [-n N] [--rounds R] [--tests LIST]
#                         [--pipeline LIST] [-c CLIENTS]
#        scripts/bench.sh --memory [--keys N] [--shapes LIST]
#        scripts/bench.sh --persistence [--keys N] [-n N] [--rounds R] [-c CLIENTS]
#        scripts/bench.sh --replication [--keys N] [-n N] [--rounds R] [-c CLIENTS]
#                         [--syncs LIST]
#
#   --quick           -n 20000 --rounds 1 (a smoke run, not a measurement)
#   -n N              requests per redis-benchmark run (default 100000;
#                     200000 with --replication)
#   --rounds R        runs per server, test set and pipeline; the table shows
#                     the median (default 3)
#   --tests LIST      redis-benchmark -t list (default ping,set,get,incr,mset;
#                     'all' runs redis-benchmark's whole default suite)
#   --pipeline LIST   comma-separated -P values (default 1,16)
#   -c CLIENTS        parallel connections (default 50)
#   --syncs LIST      --replication's "sync under load" rows to run, of
#                     disk1,disk3,diskless1,diskless3 (default: all four)
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
# --memory compares memory per key instead. For each shape below it starts
# both servers fresh, reads INFO memory (used_memory, used_memory_rss) after
# MEMORY PURGE, loads the same generated RESP into each with redis-cli --pipe,
# checks DBSIZE and the first and last key (value or length), reads INFO memory
# again and prints (delta used_memory)/N and (delta rss)/N per server with the
# ratio ferrodis/redis (< 1: ferrodis is leaner), plus the geometric mean of
# the used_memory ratios. Shapes (N keys each; -big shapes are one key with N
# elements, reported per element):
#   string-int   SET key:<i> <i>            string-16/string-100  16/100-byte values
#   hash-small   HSET, 10 fields of ~10 B   list-small   RPUSH, 10 elements
#   set-intset   SADD, 10 integers          set-small    SADD, 10 short strings
#   zset-small   ZADD, 10 members           hash-big/zset-big  one key, N elements
#   stream-small XADD, one entry of 5 fields   stream-big  one stream, N entries of 2 fields
#
#   --keys N          N for every shape (default 200000 for strings, 50000
#                     for small collections, 100000 elements for -big)
#   --shapes LIST     comma-separated subset of the shapes (default: all)
#
# --persistence compares RDB and AOF costs on one data set of N keys (--keys,
# default 1000000): 70% strings of 16-100 bytes (text, JSON-like and hex
# tokens; one in ten with a TTL), 10% small hashes, 10% small lists, 5% small
# sets and 5% small zsets, generated deterministically and loaded into both
# servers with redis-cli --pipe (checked: no errors, DBSIZE, 40 sample keys
# read back alike from both). Then, R rounds (median shown, alternating which
# server goes first):
#   SAVE time       wall clock of redis-cli SAVE, and the dump.rdb size
#   BGSAVE          INFO stats latest_fork_usec, and the time from BGSAVE until
#                   rdb_bgsave_in_progress drops to 0 (polled every 10 ms;
#                   both servers reap the child from their cron, hz 10)
#   SET latency     redis-benchmark -t set -c CLIENTS -r 100000 -P 1
#                   --precision 3 --csv, p99 and max: idle (-n N), then with
#                   a BGSAVE started 0.5 s into a run sized to outlast it (the
#                   max is the main loop's longest stall). Last, both servers restart empty with
# --appendonly yes --appendfsync everysec and R rounds of redis-benchmark
# -t set -n N compare requests per second; when ferrodis's INFO aof_enabled
# is not 1 that row reads "n/a (AOF not enabled in ferrodis)". Ratios are
# ferrodis/redis (< 1 is better, except for rps); targets: dump size at most
# Redis's, SAVE time at most 0.8x Redis's.
#
# --replication compares master/replica replication. It loads the mixed data
# set of --persistence (N keys, --keys, default 1000000) into a ferrodis and a
# Redis master started with --repl-diskless-sync no (loaded and checked as
# there), then:
#   master rps      redis-benchmark -t set,get,lpush -n 200000 -P 16 -c 50
#                   (-n, -c) against each master before any replica ever
#                   attached (a master that had one keeps feeding its
#                   backlog); the benchmark's keys are deleted afterwards
#   full sync time  R rounds: a fresh replica (empty dir) started with
#                   --replicaof, timed from its launch until INFO replication
#                   shows master_link_status:up and master_sync_in_progress:0
#                   and DBSIZE is N (polled every 10 ms on one connection);
#                   the first and last 20 keys are compared with the master
#   sync under load R rounds, disk-based (CONFIG SET repl-diskless-sync no)
#                   and diskless (yes, repl-diskless-sync-delay 0), with 1
#                   and with 3 replicas started together: the replicas start
#                   empty, REPLICAOF goes to all of them back to back, and
#                   the time runs until each shows master_link_status:up and
#                   master_sync_in_progress:0 and the master lists them all
#                   as state=online (polled every 50 ms). Meanwhile
#                   redis-benchmark -t set -P 1 -c CLIENTS -r 100000 (keys
#                   key:*, apart from the data set; sized from an idle run
#                   and the quiet sync time to outlast the sync) runs on the
#                   master from 0.5 s before: its p99 is "SET p99", next to
#                   the idle run's. "master extra MB" is the peak, sampled
#                   with every poll, of the master's VmRSS plus its fork
#                   children's Private_Dirty (/proc/PID/smaps_rollup: the
#                   pages copied on write since the fork, plus the child's
#                   own), minus that sum just before the first REPLICAOF;
#                   /proc for both servers, so a server that forks and one
#                   that does not are measured alike. The first and last 20
#                   keys are compared with the master, the key:* keys are
#                   deleted afterwards and repl-diskless-sync is set back to no
#   with replicas   2 replicas attached to each master (state=online), then
#                   the same redis-benchmark again; rps, and rps with 2
#                   replicas / rps with 0 per server
#   replication lag while that runs, every 100 ms, INFO replication is sent
#                   to the master and its replicas over open connections and
#                   master_repl_offset(master) - master_repl_offset(replica)
#                   taken per replica (0 if negative): max and mean in bytes
#                   over both replicas and all rounds
# Medians of R rounds, alternating which server goes first. Ratios are
# ferrodis/redis; targets: full sync at most 0.8x Redis's time, diskless sync
# under load at most 0.7x Redis's (1 and 3 replicas), the master's SET p99
# during a sync at most Redis's (every sync row), ferrodis with 2 replicas at
# least 0.95 of its own rps with none.
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
ALL_SHAPES=string-int,string-16,string-100,hash-small,list-small,set-intset,set-small,zset-small,stream-small,hash-big,zset-big,stream-big
SHAPES=$ALL_SHAPES
STRING_KEYS=200000
SMALL_KEYS=50000
BIG_ELEMENTS=100000
PERSIST_KEYS=1000000
REPL_REQUESTS=200000
REPL_TESTS=set,get,lpush
REPL_PIPELINE=16
REPL_REPLICAS=2
SYNCS=disk1,disk3,diskless1,diskless3

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
        --quick) REQUESTS=20000 REPL_REQUESTS=20000 ROUNDS=1 ;;
        -n) positive "$1" "${2:-}" && REQUESTS=$2 REPL_REQUESTS=$2 && shift ;;
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
        --keys)
            positive "$1" "${2:-}" && STRING_KEYS=$2 SMALL_KEYS=$2 BIG_ELEMENTS=$2 PERSIST_KEYS=$2 &&
                shift
            ;;
        --shapes)
            [[ -n ${2:-} ]] || die "--shapes needs a list, e.g. string-int,hash-small"
            SHAPES=$2 && shift
            ;;
        --syncs)
            [[ ${2:-} =~ ^(disk|diskless)[13](,(disk|diskless)[13])*$ ]] ||
                die "--syncs needs a list of disk1 disk3 diskless1 diskless3"
            SYNCS=$2 && shift
            ;;
        # Later modes (each gets a bench_<mode> function below).
        --memory | --persistence | --replication) MODE=${1#--} ;;
        -h | --help) usage ;;
        *) echo "bench.sh: unknown option '$1'" >&2 && usage ;;
    esac
    shift
done

for shape in ${SHAPES//,/ }; do
    [[ ,$ALL_SHAPES, == *,"$shape",* ]] || die "unknown shape '$shape' (shapes: $ALL_SHAPES)"
done
command -v redis-cli >/dev/null 2>&1 ||
    die "redis-cli not found (scripts/install-test-deps.sh installs it)"
[[ $MODE == memory ]] || command -v redis-benchmark >/dev/null 2>&1 ||
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
BENCH_PID='' # a redis-benchmark running in the background (--persistence)

# cleanup: stop every server this script started, by pid, then drop the temp
# dir. Runs on any exit, including errors and Ctrl-C.
cleanup() {
    local pid i
    [[ -n $BENCH_PID ]] && kill -TERM "$BENCH_PID" 2>/dev/null && wait "$BENCH_PID" 2>/dev/null
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
            # A replica may answer LOADING while it loads its first sync.
            [[ $reply == PONG || $reply == *LOADING* ]] && return 0
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

# stop_server PID: stop one server this script started and forget its pid (so
# that cleanup never signals a pid the kernel may have reused).
stop_server() {
    local pid=$1 i p keep=()
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        alive "$pid" || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
    PIDS=("${keep[@]}")
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

# --- Memory mode -------------------------------------------------------------

# Filled by shape_info SHAPE.
S_COUNT=0     # keys (elements for -big shapes)
S_COMMANDS=0  # commands in the generated input (= replies expected)
S_DBSIZE=0    # keys expected after loading
S_PER=key     # what the per-unit numbers are per: key or elem
S_FIRST=''    # first and last key, checked after loading
S_LAST=''
S_LEN=''      # length command for collections (HLEN, ...); empty for strings
S_EXPECT=''   # expected length, or the expected values of S_FIRST/S_LAST:
S_EXPECT_LAST=''

BIG_BATCH=1000 # elements per HSET/ZADD when loading a -big shape

# string_value SHAPE I: the value generate gives key:I (printf, like awk's).
string_value() {
    case $1 in
        string-int) printf '%d' "$2" ;;
        string-16) printf 'v%015d' "$2" ;;
        string-100) printf 'v%099d' "$2" ;;
    esac
}

shape_info() {
    local shape=$1
    S_PER=key S_LEN='' S_EXPECT=10 S_EXPECT_LAST=10
    case $shape in
        string-*)
            S_COUNT=$STRING_KEYS S_FIRST=key:0 S_LAST=key:$((STRING_KEYS - 1))
            S_EXPECT=$(string_value "$shape" 0)
            S_EXPECT_LAST=$(string_value "$shape" $((STRING_KEYS - 1)))
            ;;
        *-big)
            S_COUNT=$BIG_ELEMENTS S_PER=elem S_EXPECT=$BIG_ELEMENTS S_EXPECT_LAST=$BIG_ELEMENTS
            S_FIRST=${shape%-big}:big S_LAST=${shape%-big}:big
            ;;
        *)
            S_COUNT=$SMALL_KEYS
            S_FIRST=${shape%-*}:0 S_LAST=${shape%-*}:$((SMALL_KEYS - 1))
            ;;
    esac
    case $shape in
        hash-*) S_LEN=HLEN ;;
        list-*) S_LEN=LLEN ;;
        set-*) S_LEN=SCARD ;;
        zset-*) S_LEN=ZCARD ;;
        stream-*) S_LEN=XLEN ;;
    esac
    case $shape in
        stream-small) S_EXPECT=1 S_EXPECT_LAST=1 ;;
    esac
    if [[ $shape == stream-big ]]; then
        # XADD adds one entry per command.
        S_COMMANDS=$S_COUNT S_DBSIZE=1
    elif [[ $S_PER == elem ]]; then
        S_COMMANDS=$(((S_COUNT + BIG_BATCH - 1) / BIG_BATCH)) S_DBSIZE=1
    else
        S_COMMANDS=$S_COUNT S_DBSIZE=$S_COUNT
    fi
}

# generate SHAPE COUNT: write the shape's commands as RESP to stdout. Keys are
# <prefix>:<i>; values and members embed i so that no two are alike.
generate() {
    LC_ALL=C awk -v shape="$1" -v n="$2" -v batch="$BIG_BATCH" '
        function arg(s) { return "$" length(s) "\r\n" s "\r\n" }
        # small CMD KEY: CMD KEY followed by 10 elements built by elem().
        function small(cmd, key, i, pairs,    j, out) {
            out = "*" (2 + 10 * (pairs ? 2 : 1)) "\r\n" arg(cmd) arg(key)
            for (j = 0; j < 10; j++) out = out elem(i * 10 + j, j)
            printf "%s", out
        }
        function elem(k, j) {
            if (shape == "hash-small") return arg("field:" j) arg(sprintf("v%09d", k))
            if (shape == "list-small") return arg(sprintf("e%09d", k))
            if (shape == "set-intset") return arg(100000 + k)
            if (shape == "set-small") return arg(sprintf("m%09d", k))
            if (shape == "zset-small") return arg(j) arg(sprintf("m%09d", k))
        }
        # big CMD KEY: n elements in commands of batch elements each.
        function big(cmd, key,    k, m, out) {
            for (k = 0; k < n; k += m) {
                m = n - k < batch ? n - k : batch
                out = "*" (2 + 2 * m) "\r\n" arg(cmd) arg(key)
                for (i = k; i < k + m; i++) {
                    if (cmd == "HSET") out = out arg("field:" i) arg(sprintf("v%09d", i))
                    else out = out arg(i) arg(sprintf("m%09d", i))
                }
                printf "%s", out
            }
        }
        BEGIN {
            if (shape == "string-int") fmt = "%d"
            else if (shape == "string-16") fmt = "v%015d"
            else if (shape == "string-100") fmt = "v%099d"
            if (fmt != "") {
                for (i = 0; i < n; i++)
                    printf "*3\r\n$3\r\nSET\r\n%s%s", arg("key:" i), arg(sprintf(fmt, i))
            } else if (shape == "hash-small") { for (i = 0; i < n; i++) small("HSET", "hash:" i, i, 1)
            } else if (shape == "list-small") { for (i = 0; i < n; i++) small("RPUSH", "list:" i, i, 0)
            } else if (shape == "set-intset") { for (i = 0; i < n; i++) small("SADD", "set:" i, i, 0)
            } else if (shape == "set-small") { for (i = 0; i < n; i++) small("SADD", "set:" i, i, 0)
            } else if (shape == "zset-small") { for (i = 0; i < n; i++) small("ZADD", "zset:" i, i, 1)
            } else if (shape == "hash-big") { big("HSET", "hash:big")
            } else if (shape == "zset-big") { big("ZADD", "zset:big")
            } else if (shape == "stream-small") {
                for (i = 0; i < n; i++) {
                    printf "*13\r\n$4\r\nXADD\r\n%s%s", arg("stream:" i), arg("1-1")
                    for (j = 0; j < 5; j++) printf "%s%s", arg("field:" j), arg(sprintf("v%09d", i * 5 + j))
                }
            } else if (shape == "stream-big") {
                for (i = 0; i < n; i++)
                    printf "*7\r\n$4\r\nXADD\r\n%s%s%s%s%s%s", arg("stream:big"), arg((i + 1) "-0"),
                        arg("sensor"), arg("s" (i % 16)), arg("reading"), arg(sprintf("v%09d", i))
            } else { print "generate: unknown shape " shape > "/dev/stderr"; exit 1 }
        }
    '
}

# cli PORT ARGS...: one command, reply on stdout without CRs.
cli() {
    local port=$1
    shift
    redis-cli -h 127.0.0.1 -p "$port" "$@" | tr -d '\r'
}

# memory_of PORT: "used_memory used_memory_rss" once the numbers settle.
# MEMORY PURGE first, so Redis's jemalloc returns dirty pages as it would
# over time; then read INFO until used_memory repeats (Redis refreshes rss
# every 100 ms from serverCron, and finishes rehashing and freeing the
# loader's client in the background).
memory_of() {
    local port=$1 i now last=''
    for ((i = 0; i < 15; i++)); do
        cli "$port" memory purge >/dev/null 2>&1 || true
        sleep 0.3
        now=$(cli "$port" info memory | awk -F: '
            $1 == "used_memory" { u = $2 } $1 == "used_memory_rss" { r = $2 }
            END { if (u != "" && r != "") print u, r }')
        [[ -n $now ]] || die "no used_memory/used_memory_rss in INFO memory on port $port"
        [[ ${now% *} == "${last% *}" ]] && break
        last=$now
    done
    echo "$now"
}

# load NAME PORT FILE: feed FILE to redis-cli --pipe; die unless every one of
# the S_COMMANDS replies came back without an error.
load() {
    local name=$1 port=$2 file=$3 out errors replies
    out=$(redis-cli -h 127.0.0.1 -p "$port" --pipe <"$file" 2>&1 | tr -d '\r') || true
    errors=$(sed -n 's/^errors: \([0-9]*\), replies: [0-9]*$/\1/p' <<<"$out")
    replies=$(sed -n 's/^errors: [0-9]*, replies: \([0-9]*\)$/\1/p' <<<"$out")
    if [[ $errors != 0 || $replies != "$S_COMMANDS" ]]; then
        head -n 20 <<<"$out" >&2
        die "$name: loading $SHAPE failed: errors: ${errors:-?}, replies: ${replies:-?}" \
            "(expected $S_COMMANDS replies, no errors)"
    fi
}

# verify NAME PORT: DBSIZE and the first and last key match what was loaded.
verify() {
    local name=$1 port=$2 got key want
    got=$(cli "$port" dbsize)
    [[ $got == "$S_DBSIZE" ]] || die "$name: $SHAPE: DBSIZE is '$got', expected $S_DBSIZE"
    for key in "$S_FIRST" "$S_LAST"; do
        want=$S_EXPECT
        [[ $key == "$S_LAST" ]] && want=$S_EXPECT_LAST
        if [[ -n $S_LEN ]]; then
            got=$(cli "$port" "$S_LEN" "$key")
        else
            got=$(cli "$port" get "$key")
        fi
        [[ $got == "$want" ]] ||
            die "$name: $SHAPE: ${S_LEN:-GET} $key is '${got:0:120}', expected '${want:0:120}'"
    done
}

bench_memory() {
    local redis_port ferrodis_port redis_pid ferrodis_pid file enc fenc
    local r0 f0 r1 f1
    echo "redis:    $REDIS_SERVER: $(version_of "$REDIS_SERVER")"
    echo "ferrodis: $FERRODIS_SERVER: $(version_of "$FERRODIS_SERVER")"
    echo "memory per key (per element for -big): INFO used_memory and used_memory_rss" \
        "deltas after loading, bytes"
    echo

    : >"$TMP/memory.tsv"
    for SHAPE in ${SHAPES//,/ }; do
        shape_info "$SHAPE"
        [[ -t 2 ]] && printf '%-12s generating      \r' "$SHAPE" >&2
        file=$TMP/$SHAPE.resp
        generate "$SHAPE" "$S_COUNT" >"$file"

        # Fresh servers for every shape: FLUSHALL would leave freed memory
        # (and possibly table capacity) behind and skew the next baseline.
        start_server "redis-$SHAPE" "$REDIS_SERVER"
        redis_port=$PORT redis_pid=${PIDS[-1]}
        start_server "ferrodis-$SHAPE" "$FERRODIS_SERVER"
        ferrodis_port=$PORT ferrodis_pid=${PIDS[-1]}

        [[ -t 2 ]] && printf '%-12s loading %d %ss\r' "$SHAPE" "$S_COUNT" "$S_PER" >&2
        r0=$(memory_of "$redis_port")
        f0=$(memory_of "$ferrodis_port")
        load redis "$redis_port" "$file"
        load ferrodis "$ferrodis_port" "$file"
        r1=$(memory_of "$redis_port")
        f1=$(memory_of "$ferrodis_port")
        verify redis "$redis_port"
        verify ferrodis "$ferrodis_port"

        enc=$(cli "$redis_port" object encoding "$S_FIRST" 2>/dev/null || true)
        fenc=$(cli "$ferrodis_port" object encoding "$S_FIRST" 2>/dev/null || true)
        [[ $fenc == "$enc" ]] || enc="$enc/${fenc:-?}"
        # shape n per encoding redis-used redis-rss ferrodis-used ferrodis-rss
        # (deltas); the RSS deltas can be negative for small loads.
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$SHAPE" "$S_COUNT" "$S_PER" "${enc:--}" \
            $((${r1% *} - ${r0% *})) $((${r1#* } - ${r0#* })) \
            $((${f1% *} - ${f0% *})) $((${f1#* } - ${f0#* })) >>"$TMP/memory.tsv"

        stop_server "$redis_pid"
        stop_server "$ferrodis_pid"
        rm -f "$file"
    done
    [[ -t 2 ]] && printf '%40s\r' '' >&2
    memory_report
}

# memory_report: bytes per key/element and ferrodis/redis, geometric mean.
memory_report() {
    awk -F'\t' '
        function per(d, n) { return sprintf("%.1f", d / n) }
        function ratio(f, r) { return r > 0 && f > 0 ? sprintf("%.2f", f / r) : "-" }
        BEGIN {
            printf "%-11s %7s %-4s %-10s | %-26s | %s\n", "", "", "", "",
                "used_memory bytes per unit", "used_memory_rss bytes per unit"
            printf "%-11s %7s %-4s %-10s | %9s %9s %6s | %9s %9s %6s\n", "shape", "n", "per",
                "encoding", "redis", "ferrodis", "ratio", "redis", "ferrodis", "ratio"
        }
        {
            printf "%-11s %7d %-4s %-10s | %9s %9s %6s | %9s %9s %6s\n", $1, $2, $3, $4,
                per($5, $2), per($7, $2), ratio($7, $5), per($6, $2), per($8, $2), ratio($8, $6)
            if ($5 > 0 && $7 > 0) { used += log($7 / $5); nused++ }
            if ($6 > 0 && $8 > 0) { rss += log($8 / $6); nrss++ }
        }
        END {
            if (!nused) { print "\nno comparable results"; exit 1 }
            printf "\ngeometric mean of ferrodis/redis used_memory over %d shapes: %.3f\n",
                nused, exp(used / nused)
            if (nrss) printf "geometric mean of ferrodis/redis rss over %d shapes:         %.3f\n",
                nrss, exp(rss / nrss)
        }
    ' "$TMP/memory.tsv"
}

# --- Persistence mode --------------------------------------------------------

# now_us: wall clock in microseconds (bash 5's EPOCHREALTIME, either locale's
# decimal separator).
now_us() {
    local t=$EPOCHREALTIME
    echo "${t//[.,]/}"
}

# info_field PORT SECTION FIELD: one INFO field's value (empty if absent).
info_field() {
    cli "$1" info "$2" | awk -F: -v f="$3" '$1 == f { print $2; exit }'
}

# persist_key I: the key generate_mixed writes for index I (the type follows
# I % 20: 0-13 string, 14-15 hash, 16-17 list, 18 set, 19 zset).
persist_key() {
    local r=$(($1 % 20))
    if ((r < 14)); then
        echo "str:$1"
    elif ((r < 16)); then
        echo "hash:$1"
    elif ((r < 18)); then
        echo "list:$1"
    elif ((r < 19)); then
        echo "set:$1"
    else
        echo "zset:$1"
    fi
}

# generate_mixed N: N keys of mixed types as RESP, one command per key, from
# a fixed Park-Miller generator (exact in awk's doubles, so every awk gives
# the same bytes).
generate_mixed() {
    LC_ALL=C awk -v n="$1" '
        function arg(s) { return "$" length(s) "\r\n" s "\r\n" }
        function rnd() { seed = (seed * 16807) % 2147483647; return seed }
        function pick(m) { return rnd() % m }
        function w() { return word[pick(NW) + 1] }
        function text(len,    s) {
            s = w()
            while (length(s) < len) s = s " " w()
            return substr(s, 1, len)
        }
        function token(len,    s) {
            s = ""
            while (length(s) < len) s = s sprintf("%08x", rnd())
            return substr(s, 1, len)
        }
        function json(i, len,    s) {
            s = "{\"id\":" i ",\"user\":\"" w() "\",\"score\":" pick(100000) \
                ",\"note\":\"" text(len)
            return substr(s, 1, len - 2) "\"}"
        }
        function value(i,    len, kind) {
            len = 16 + pick(85)
            kind = pick(3)
            if (kind == 0) return text(len)
            if (kind == 1) return json(i, len)
            return token(len)
        }
        BEGIN {
            NW = split("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo " \
                "lima mike november oscar papa quebec romeo sierra tango uniform victor " \
                "whiskey xray yankee zulu red green blue black white orange", word, " ")
            NF_ = split("name email age city country plan created_at last_login", field, " ")
            seed = 12345
            for (i = 0; i < n; i++) {
                r = i % 20
                if (r < 14) {
                    key = "str:" i
                    v = value(i)
                    if (pick(10) == 0)
                        printf "*5\r\n$3\r\nSET\r\n%s%s$2\r\nEX\r\n%s", arg(key), arg(v),
                            arg(86400 + pick(86400))
                    else
                        printf "*3\r\n$3\r\nSET\r\n%s%s", arg(key), arg(v)
                } else if (r < 16) {
                    m = 4 + pick(5)
                    out = "*" (2 + 2 * m) "\r\n" arg("HSET") arg("hash:" i)
                    for (j = 1; j <= m; j++) {
                        if (field[j] == "email") v = w() "." pick(10000) "@example.com"
                        else if (j % 2) v = w()
                        else v = 1600000000 + pick(100000000)
                        out = out arg(field[j]) arg(v)
                    }
                    printf "%s", out
                } else if (r < 18) {
                    m = 5 + pick(11)
                    out = "*" (2 + m) "\r\n" arg("RPUSH") arg("list:" i)
                    for (j = 0; j < m; j++) out = out arg("evt:" w() ":" pick(1000000))
                    printf "%s", out
                } else if (r < 19) {
                    m = 4 + pick(7)
                    start = pick(NW)
                    out = "*" (2 + m) "\r\n" arg("SADD") arg("set:" i)
                    for (j = 0; j < m; j++) out = out arg("tag:" word[(start + j) % NW + 1])
                    printf "%s", out
                } else {
                    m = 4 + pick(7)
                    out = "*" (2 + 2 * m) "\r\n" arg("ZADD") arg("zset:" i)
                    for (j = 0; j < m; j++)
                        out = out arg(pick(1000000) / 100) arg("player:" (i * 16 + j))
                    printf "%s", out
                }
            }
        }
    '
}

# read_back PORT KEY: the key's content in a type-independent, comparable form.
read_back() {
    local port=$1 key=$2
    case $key in
        str:*) cli "$port" get "$key" ;;
        hash:*) cli "$port" hgetall "$key" ;;
        list:*) cli "$port" lrange "$key" 0 -1 ;;
        set:*) cli "$port" smembers "$key" | LC_ALL=C sort ;;
        zset:*) cli "$port" zrange "$key" 0 -1 withscores ;;
    esac
}

# verify_mixed REDIS_PORT FERRODIS_PORT [NAME NAME [DBSIZE]]: both hold
# DBSIZE keys (default PERSIST_KEYS; '' skips that check), and the first and last 20 keys (every type) read back alike and
# non-empty. The names (no spaces) default to redis and ferrodis.
verify_mixed() {
    local rport=$1 fport=$2 rname=${3:-redis} fname=${4:-ferrodis} dbsize=${5-$PERSIST_KEYS}
    local got i key a b
    for got in "$rname $rport" "$fname $fport"; do
        [[ -z $dbsize || $(cli "${got#* }" dbsize) == "$dbsize" ]] ||
            die "${got% *}: DBSIZE is '$(cli "${got#* }" dbsize)', expected $dbsize"
    done
    for ((i = 0; i < PERSIST_KEYS; i++)); do
        ((i == 20 && PERSIST_KEYS > 40)) && i=$((PERSIST_KEYS - 20))
        key=$(persist_key "$i")
        a=$(read_back "$rport" "$key")
        b=$(read_back "$fport" "$key")
        [[ -n $a ]] || die "$rname: $key is empty or missing"
        [[ $a == "$b" ]] ||
            die "$key differs: $rname '${a:0:120}', $fname '${b:0:120}'"
    done
}

# record METRIC SERVER VALUE: one measurement for persistence_report.
record() {
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$TMP/persist.tsv"
}

# measure_saves NAME PORT: one SAVE (time, dump size) and one BGSAVE (fork
# time, total time).
measure_saves() {
    local name=$1 port=$2 t0 t1 reply
    t0=$(now_us)
    reply=$(cli "$port" save)
    t1=$(now_us)
    [[ $reply == OK ]] || die "$name: SAVE replied '$reply'"
    record save_ms "$name" "$(((t1 - t0) / 1000)).$(printf '%03d' $(((t1 - t0) % 1000)))"
    record rdb_bytes "$name" "$(stat -c %s "$TMP/$name/dump.rdb")"

    t0=$(now_us)
    reply=$(cli "$port" bgsave)
    [[ $reply == *started* ]] || die "$name: BGSAVE replied '$reply'"
    while [[ $(info_field "$port" persistence rdb_bgsave_in_progress) == 1 ]]; do sleep 0.01; done
    t1=$(now_us)
    reply=$(info_field "$port" persistence rdb_last_bgsave_status)
    [[ $reply == ok ]] || die "$name: rdb_last_bgsave_status is '$reply' after BGSAVE"
    record bgsave_ms "$name" "$(((t1 - t0) / 1000)).$(printf '%03d' $(((t1 - t0) % 1000)))"
    reply=$(info_field "$port" stats latest_fork_usec)
    record fork_ms "$name" "$((reply / 1000)).$(printf '%03d' $((reply % 1000)))"
}

# set_benchmark PORT REQUESTS: redis-benchmark -t set -P 1 --precision 3 --csv
# into $TMP/set.csv (in the background, as BENCH_PID, with --background).
set_benchmark() {
    redis-benchmark -h 127.0.0.1 -p "$1" -t set -c "$CLIENTS" -r "$KEYSPACE" \
        -n "$2" -P 1 --precision 3 -q --csv >"$TMP/set.csv" 2>"$TMP/benchmark.err" &
    BENCH_PID=$!
    [[ ${3:-} == --background ]] && return 0
    set_result "$1"
}

# set_result PORT: wait for BENCH_PID; print "rps p99 max" (ms), read from the
# CSV columns by their header names.
set_result() {
    local status=0
    wait "$BENCH_PID" || status=$?
    BENCH_PID=''
    if ((status)); then
        cat "$TMP/benchmark.err" >&2
        die "redis-benchmark -t set against port $1 failed"
    fi
    awk -F'","' '
        { gsub(/^"|"\r?$/, "") }
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $1 == "SET" && col["rps"] && col["p99_latency_ms"] && col["max_latency_ms"] {
            print $col["rps"], $col["p99_latency_ms"], $col["max_latency_ms"]; found = 1
        }
        END { if (!found) exit 1 }
    ' "$TMP/set.csv" || die "no SET rps/p99/max in redis-benchmark's CSV: $(head -c 300 "$TMP/set.csv")"
}

# measure_stall NAME PORT: SET latency idle, then with a BGSAVE started 0.5 s
# into a run sized (from the idle rps and the measured BGSAVE time) to outlast
# it; the during-BGSAVE rows get a '*' note if the run ended first anyway.
measure_stall() {
    local name=$1 port=$2 idle rps bg_ms requests t0 reply p99 max covered=1
    set_benchmark "$port" "$REQUESTS" >"$TMP/idle.out"
    idle=$(<"$TMP/idle.out")
    read -r rps _ _ <<<"$idle"
    record idle_p99 "$name" "$(cut -d' ' -f2 <<<"$idle")"
    record idle_max "$name" "$(cut -d' ' -f3 <<<"$idle")"
    bg_ms=$(awk -F'\t' -v s="$name" '$1 == "bgsave_ms" && $2 == s && $3 > m { m = $3 }
        END { printf "%d", m }' "$TMP/persist.tsv")
    # The idle rate for 1.25x the longest idle BGSAVE plus 1.5 s: the server
    # answers no faster during a BGSAVE, so the run lasts at least that long.
    requests=$(awk -v r="$rps" -v t="$bg_ms" 'BEGIN {
        n = r * (1.25 * t / 1000 + 1.5); if (n < 100000) n = 100000; printf "%d", n }')
    set_benchmark "$port" "$requests" --background
    sleep 0.5
    alive "$BENCH_PID" || covered=0
    reply=$(cli "$port" bgsave)
    [[ $reply == *started* ]] || die "$name: BGSAVE under load replied '$reply'"
    t0=$(now_us)
    while [[ $(info_field "$port" persistence rdb_bgsave_in_progress) == 1 ]]; do
        sleep 0.01
        (($(now_us) - t0 < 600000000)) || die "$name: BGSAVE under load still running after 600 s"
    done
    alive "$BENCH_PID" || covered=0
    set_result "$port" >"$TMP/stall.out"
    read -r _ p99 max <"$TMP/stall.out"
    record bg_p99 "$name" "$p99"
    record bg_max "$name" "$max"
    if ((!covered)); then
        echo "$name: redis-benchmark ($requests requests) ended before the BGSAVE did;" \
            "the during-BGSAVE latencies cover only part of it" >>"$TMP/persist.notes"
    fi
}

bench_persistence() {
    local redis_port ferrodis_port redis_pid ferrodis_pid file round first second server port
    local t0 t1 enabled
    echo "redis:    $REDIS_SERVER: $(version_of "$REDIS_SERVER")"
    echo "ferrodis: $FERRODIS_SERVER: $(version_of "$FERRODIS_SERVER")"
    echo "persistence: $PERSIST_KEYS mixed keys, $ROUNDS round(s) of SAVE/BGSAVE (median)," \
        "redis-benchmark -t set -c $CLIENTS -P 1 -n $REQUESTS"
    echo

    : >"$TMP/persist.tsv"
    : >"$TMP/persist.notes"
    [[ -t 2 ]] && printf 'generating %d keys      \r' "$PERSIST_KEYS" >&2
    file=$TMP/mixed.resp
    generate_mixed "$PERSIST_KEYS" >"$file"
    start_server redis "$REDIS_SERVER"
    redis_port=$PORT redis_pid=${PIDS[-1]}
    start_server ferrodis "$FERRODIS_SERVER"
    ferrodis_port=$PORT ferrodis_pid=${PIDS[-1]}

    # load and measure_saves use SHAPE/S_COMMANDS like the memory mode.
    SHAPE=mixed S_COMMANDS=$PERSIST_KEYS
    for server in redis ferrodis; do
        port=$redis_port
        [[ $server == ferrodis ]] && port=$ferrodis_port
        [[ -t 2 ]] && printf '%-8s loading %d keys   \r' "$server" "$PERSIST_KEYS" >&2
        t0=$(now_us)
        load "$server" "$port" "$file"
        t1=$(now_us)
        record load_ms "$server" "$(((t1 - t0) / 1000))"
    done
    rm -f "$file"
    verify_mixed "$redis_port" "$ferrodis_port"

    for ((round = 1; round <= ROUNDS; round++)); do
        if ((round % 2)); then first=redis second=ferrodis; else first=ferrodis second=redis; fi
        for server in "$first" "$second"; do
            [[ -t 2 ]] && printf 'round %d/%d: %-8s SAVE, BGSAVE\r' "$round" "$ROUNDS" "$server" >&2
            port=$redis_port
            [[ $server == ferrodis ]] && port=$ferrodis_port
            measure_saves "$server" "$port"
        done
    done
    for ((round = 1; round <= ROUNDS; round++)); do
        if ((round % 2)); then first=redis second=ferrodis; else first=ferrodis second=redis; fi
        for server in "$first" "$second"; do
            [[ -t 2 ]] && printf 'round %d/%d: %-8s SET latency, idle and in BGSAVE\r' \
                "$round" "$ROUNDS" "$server" >&2
            port=$redis_port
            [[ $server == ferrodis ]] && port=$ferrodis_port
            measure_stall "$server" "$port"
        done
    done
    stop_server "$redis_pid"
    stop_server "$ferrodis_pid"

    # AOF: fresh, empty servers; ferrodis's INFO aof_enabled says whether it
    # really appends (it accepts the directive before it implements it).
    start_server redis-aof "$REDIS_SERVER" --appendonly yes --appendfsync everysec
    redis_port=$PORT redis_pid=${PIDS[-1]}
    start_server ferrodis-aof "$FERRODIS_SERVER" --appendonly yes --appendfsync everysec
    ferrodis_port=$PORT ferrodis_pid=${PIDS[-1]}
    [[ $(info_field "$redis_port" persistence aof_enabled) == 1 ]] ||
        die "redis: aof_enabled is not 1 with --appendonly yes"
    enabled=$(info_field "$ferrodis_port" persistence aof_enabled)
    for ((round = 1; round <= ROUNDS; round++)); do
        if ((round % 2)); then first=redis second=ferrodis; else first=ferrodis second=redis; fi
        for server in "$first" "$second"; do
            [[ $server == ferrodis && $enabled != 1 ]] && continue
            [[ -t 2 ]] && printf 'round %d/%d: %-8s AOF everysec    \r' "$round" "$ROUNDS" "$server" >&2
            port=$redis_port
            [[ $server == ferrodis ]] && port=$ferrodis_port
            set_benchmark "$port" "$REQUESTS" >"$TMP/aof.out"
            record aof_rps "$server" "$(cut -d' ' -f1 "$TMP/aof.out")"
        done
    done
    [[ $enabled == 1 ]] || record aof_rps ferrodis n/a
    stop_server "$redis_pid"
    stop_server "$ferrodis_pid"
    [[ -t 2 ]] && printf '%50s\r' '' >&2
    persistence_report
}

# persistence_report: the median per metric and server, ferrodis/redis, and
# the targets from the issue.
persistence_report() {
    awk -F'\t' -v keys="$PERSIST_KEYS" -v rounds="$ROUNDS" '
        function median(list,    v, n, i, j, x) {
            n = split(list, v, " ")
            for (i = 2; i <= n; i++) {
                x = v[i]
                for (j = i - 1; j >= 1 && v[j] + 0 > x + 0; j--) v[j + 1] = v[j]
                v[j + 1] = x
            }
            return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        function show(m, x) {
            if (x == "") return "-"
            if (x == "n/a") return x
            return sprintf(fmt[m] == "" ? "%.1f" : fmt[m], x)
        }
        BEGIN {
            split("load_ms save_ms rdb_bytes fork_ms bgsave_ms idle_p99 idle_max bg_p99 bg_max aof_rps",
                order, " ")
            label["load_ms"] = "load, redis-cli --pipe (ms)"
            label["save_ms"] = "SAVE time (ms)"
            label["rdb_bytes"] = "dump.rdb size (bytes)"
            label["fork_ms"] = "BGSAVE fork, latest_fork_usec (ms)"
            label["bgsave_ms"] = "BGSAVE total time (ms)"
            label["idle_p99"] = "SET p99 latency, idle (ms)"
            label["idle_max"] = "SET max latency, idle (ms)"
            label["bg_p99"] = "SET p99 latency, in BGSAVE (ms)"
            label["bg_max"] = "SET max latency, in BGSAVE (ms)"
            label["aof_rps"] = "SET rps, AOF everysec (higher=better)"
            fmt["load_ms"] = fmt["rdb_bytes"] = fmt["aof_rps"] = "%.0f"
            fmt["fork_ms"] = fmt["idle_p99"] = fmt["idle_max"] = fmt["bg_p99"] = fmt["bg_max"] = "%.3f"
            target["save_ms"] = 0.8
            target["rdb_bytes"] = 1.0
        }
        { v[$1, $2] = v[$1, $2] " " $3 }
        END {
            printf "%-38s %12s %12s %7s  %s\n", "metric (" keys " keys)", "redis", "ferrodis",
                "ratio", "target"
            for (i = 1; i in order; i++) {
                m = order[i]
                r = ((m, "redis") in v) ? median(v[m, "redis"]) : ""
                f = ((m, "ferrodis") in v) ? (v[m, "ferrodis"] == " n/a" ? "n/a" : median(v[m, "ferrodis"])) : ""
                if (f == "n/a") ratio = "n/a (AOF not enabled in ferrodis)"
                else if (r > 0 && f != "") ratio = sprintf("%.2f", f / r)
                else ratio = "-"
                t = ""
                if (m in target) {
                    if (ratio ~ /^[0-9.]+$/) {
                        t = sprintf("<= %.2f %s", target[m], ratio + 0 <= target[m] ? "met" : "MISSED")
                        if (ratio + 0 > target[m]) missed++
                    } else t = sprintf("<= %.2f ?", target[m])
                }
                printf "%-38s %12s %12s %7s  %s\n", label[m], show(m, r), show(m, f), ratio, t
            }
            printf "\nferrodis/redis of the medians of %d round(s) (load: one); < 1 is better except for rps\n",
                rounds
            printf "targets: dump size at most Redis'"'"'s, SAVE time at most 0.8x Redis'"'"'s: %s\n",
                missed ? missed " missed" : "met"
        }
    ' "$TMP/persist.tsv"
    if [[ -s $TMP/persist.notes ]]; then
        echo
        sed 's/^/note: /' "$TMP/persist.notes"
    fi
}

# --- Replication mode --------------------------------------------------------

CONN=''       # the fd connect opened
REPLY_TEXT='' # the last reply resp_read read
OFFSET=''     # the master_repl_offset repl_offset found
ATTACHED=()   # the replica ports attach_replicas started

# connect PORT: open a connection to 127.0.0.1:PORT as fd CONN (bash's
# /dev/tcp), for polling without a redis-cli process per poll.
connect() {
    exec {CONN}<>"/dev/tcp/127.0.0.1/$1" || die "cannot connect to port $1"
}

# disconnect FD: close a connection connect opened.
disconnect() {
    local fd=$1
    exec {fd}>&-
}

# resp_read FD: one reply into REPLY_TEXT: a bulk string's content, or the
# status, error or integer line (with its type byte). A replica loading a
# big sync may answer late, hence the generous timeout.
resp_read() {
    local fd=$1 line LC_ALL=C
    IFS= read -r -t 120 -u "$fd" line || die "no reply within 120 s on connection $fd"
    line=${line%$'\r'}
    case $line in
        '$-1') REPLY_TEXT='' ;;
        '$'*)
            [[ ${line#\$} =~ ^[0-9]+$ ]] || die "bad bulk header '$line' on connection $fd"
            IFS= read -r -t 120 -N $((${line#\$} + 2)) -u "$fd" REPLY_TEXT ||
                die "short bulk reply on connection $fd"
            REPLY_TEXT=${REPLY_TEXT%$'\r\n'}
            ;;
        *) REPLY_TEXT=$line ;;
    esac
}

# resp_call FD COMMAND...: send an inline command and read its reply.
resp_call() {
    local fd=$1
    shift
    printf '%s\r\n' "$*" >&"$fd"
    resp_read "$fd"
}

# repl_offset: OFFSET = master_repl_offset from the INFO reply in REPLY_TEXT.
repl_offset() {
    OFFSET=${REPLY_TEXT#*master_repl_offset:}
    OFFSET=${OFFSET%%$'\r'*}
    [[ $OFFSET =~ ^[0-9]+$ ]] || die "no master_repl_offset in INFO replication"
}

# record_repl METRIC SERVER VALUE: one measurement for replication_report.
record_repl() {
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$TMP/repl.tsv"
}

# binary_of SERVER: the binary for redis or ferrodis.
binary_of() {
    if [[ $1 == ferrodis ]]; then echo "$FERRODIS_SERVER"; else echo "$REDIS_SERVER"; fi
}

# wait_synced NAME PORT PID KEYS: poll the replica at PORT (every 10 ms, on
# one connection) until INFO replication shows master_link_status:up and
# master_sync_in_progress:0 and DBSIZE is KEYS.
wait_synced() {
    local name=$1 port=$2 pid=$3 keys=$4 fd t0
    t0=$(now_us)
    connect "$port"
    fd=$CONN
    while :; do
        resp_call "$fd" INFO replication
        if [[ $REPLY_TEXT == *master_link_status:up* &&
            $REPLY_TEXT == *master_sync_in_progress:0* ]]; then
            resp_call "$fd" DBSIZE
            [[ $REPLY_TEXT == ":$keys" ]] && break
        fi
        alive "$pid" || die "$name exited while syncing (log: $(tail -n 5 "$TMP/$name/server.log"))"
        (($(now_us) - t0 < 600000000)) || die "$name: not in sync after 600 s"
        sleep 0.01
    done
    disconnect "$fd"
}

# measure_sync SERVER MASTER_PORT ROUND: time one full sync of a fresh
# replica (its own empty dir, so nothing to continue from), from its launch
# until wait_synced returns; compare sample keys with the master; stop it.
measure_sync() {
    local server=$1 mport=$2 round=$3 name=$1-sync-$3 pid t0 t1
    t0=$(now_us)
    start_server "$name" "$(binary_of "$server")" --replicaof 127.0.0.1 "$mport"
    pid=${PIDS[-1]}
    wait_synced "$name" "$PORT" "$pid" "$PERSIST_KEYS"
    t1=$(now_us)
    record_repl sync_ms "$server" "$(((t1 - t0) / 1000)).$(printf '%03d' $(((t1 - t0) % 1000)))"
    verify_mixed "$mport" "$PORT" "$server-master" "$server-replica"
    stop_server "$pid"
    rm -rf "${TMP:?}/$name"
}

# attach_replicas SERVER MASTER_PORT: start REPL_REPLICAS replicas of the
# master and wait until each is in sync and the master lists them all as
# state=online; their ports go to ATTACHED.
attach_replicas() {
    local server=$1 mport=$2 i pids=() keys t0 online
    ATTACHED=()
    keys=$(cli "$mport" dbsize)
    for ((i = 1; i <= REPL_REPLICAS; i++)); do
        start_server "$server-replica$i" "$(binary_of "$server")" --replicaof 127.0.0.1 "$mport"
        ATTACHED+=("$PORT")
        pids+=("${PIDS[-1]}")
    done
    for ((i = 0; i < REPL_REPLICAS; i++)); do
        wait_synced "$server-replica$((i + 1))" "${ATTACHED[i]}" "${pids[i]}" "$keys"
    done
    t0=$(now_us)
    while :; do
        online=$(cli "$mport" info replication | grep -c '^slave[0-9]*:.*state=online' || true)
        ((online == REPL_REPLICAS)) && break
        (($(now_us) - t0 < 60000000)) ||
            die "$server master: $online of $REPL_REPLICAS replicas online after 60 s"
        sleep 0.1
    done
}

# lag_sample SERVER MASTER_FD REPLICA_FD...: send INFO replication on every
# connection before reading any reply, then append master_repl_offset of the
# master minus that of each replica (0 if the replica read came later and
# is ahead) to $TMP/lag.tsv.
lag_sample() {
    local server=$1 fd master lag
    shift
    for fd; do printf 'INFO replication\r\n' >&"$fd"; done
    resp_read "$1"
    repl_offset
    master=$OFFSET
    shift
    for fd; do
        resp_read "$fd"
        repl_offset
        lag=$((master - OFFSET))
        printf '%s\t%s\n' "$server" $((lag < 0 ? 0 : lag)) >>"$TMP/lag.tsv"
    done
}

# repl_benchmark SERVER PORT REPLICAS [REPLICA_PORT...]: one redis-benchmark
# run against the master at PORT; records rps<REPLICAS>:<test> rows. With
# replica ports, samples the lag every 100 ms while the benchmark runs.
repl_benchmark() {
    local server=$1 port=$2 replicas=$3 status=0 fds=() p next wait_us
    shift 3
    if (($#)); then
        for p in "$port" "$@"; do
            connect "$p"
            fds+=("$CONN")
        done
    fi
    redis-benchmark -h 127.0.0.1 -p "$port" -t "$REPL_TESTS" -c "$CLIENTS" -n "$REPL_REQUESTS" \
        -P "$REPL_PIPELINE" -q --csv >"$TMP/repl.csv" 2>"$TMP/benchmark.err" &
    BENCH_PID=$!
    if ((${#fds[@]})); then
        next=$(now_us)
        while alive "$BENCH_PID"; do
            lag_sample "$server" "${fds[@]}"
            next=$((next + 100000))
            wait_us=$((next - $(now_us)))
            if ((wait_us > 0)); then sleep "0.$(printf '%06d' "$wait_us")"; fi
        done
        for p in "${fds[@]}"; do disconnect "$p"; done
    fi
    wait "$BENCH_PID" || status=$?
    BENCH_PID=''
    if ((status)); then
        cat "$TMP/benchmark.err" >&2
        die "redis-benchmark against $server (port $port) failed"
    fi
    # "SET","123.45",... -> rps2:SET<TAB>server<TAB>123.45; skip the header.
    awk -F'","' -v s="$server" -v m="rps$replicas" '
        NR > 1 && NF > 1 { t = $1; sub(/^"/, "", t); printf "%s:%s\t%s\t%s\n", m, t, s, $2 }
    ' "$TMP/repl.csv" >>"$TMP/repl.tsv"
}

# repl_rounds REPLICAS: ROUNDS rounds of repl_benchmark on both masters
# (bench_replication's redis_port, ferrodis_port and replica port lists).
repl_rounds() {
    local replicas=$1 round first second server port ports
    for ((round = 1; round <= ROUNDS; round++)); do
        if ((round % 2)); then first=redis second=ferrodis; else first=ferrodis second=redis; fi
        for server in "$first" "$second"; do
            [[ -t 2 ]] && printf 'round %d/%d: %-8s redis-benchmark, %d replicas  \r' \
                "$round" "$ROUNDS" "$server" "$replicas" >&2
            port=$redis_port ports=("${redis_replicas[@]}")
            [[ $server == ferrodis ]] && port=$ferrodis_port ports=("${ferrodis_replicas[@]}")
            ((replicas)) || ports=()
            repl_benchmark "$server" "$port" "$replicas" "${ports[@]}"
        done
    done
}

# mem_kb PID: VmRSS of PID plus the Private_Dirty of each of its children
# (/proc/PID/task/*/children, smaps_rollup), in kB. A fork child's
# Private_Dirty is the pages it alone still maps: those the parent copied on
# write since the fork, plus the child's own allocations. A server that
# snapshots without forking shows the same cost in its own VmRSS.
mem_kb() {
    local pid=$1 k v _ rss=0 priv=0 c
    { while read -r k v _; do
        [[ $k == VmRSS: ]] && rss=$v && break
    done <"/proc/$pid/status"; } 2>/dev/null || true
    for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null || true); do
        { while read -r k v _; do
            [[ $k == Private_Dirty: ]] && priv=$((priv + v))
        done <"/proc/$c/smaps_rollup"; } 2>/dev/null || true
    done
    echo $((rss + priv))
}

# measure_fullsync SERVER MASTER_PORT MASTER_PID MODE REPLICAS ROUND: one
# full sync of REPLICAS fresh replicas at once with repl-diskless-sync
# no (MODE disk) or yes and repl-diskless-sync-delay 0 (MODE diskless), under
# a redis-benchmark -t set load on the master (keys key:*, apart from the
# data set). The replicas start empty as masters; REPLICAOF goes to all of
# them back to back, and the time runs from the first REPLICAOF until every
# replica shows master_link_status:up and master_sync_in_progress:0 and the
# master lists them all as state=online (polled every 50 ms, when mem_kb of
# the master is sampled too). Records the time, the peak mem_kb over its value
# just before the first REPLICAOF, and the benchmark's SET p99.
measure_fullsync() {
    local server=$1 mport=$2 mpid=$3 mode=$4 nrep=$5 round=$6 diskless=no
    local i name pids=() fds=() mfd fd t0 t1 base peak now up online est rps requests
    local covered=1 p99 tag=$4$5
    [[ $mode == diskless ]] && diskless=yes
    cli "$mport" config set repl-diskless-sync "$diskless" >/dev/null
    cli "$mport" config set repl-diskless-sync-delay 0 >/dev/null
    [[ $(cli "$mport" config get repl-diskless-sync | tail -n 1) == "$diskless" ]] ||
        die "$server master: CONFIG SET repl-diskless-sync $diskless did not take"
    for ((i = 1; i <= nrep; i++)); do
        name=$server-$tag-$round-$i
        start_server "$name" "$(binary_of "$server")"
        pids+=("${PIDS[-1]}")
        connect "$PORT"
        fds+=("$CONN")
    done
    connect "$mport"
    mfd=$CONN
    # Size the load (idle SET rate) to outlast the sync: the longest quiet
    # sync of this server, 1.5x (3x for several replicas: a sync under load
    # is slower), or its longest earlier sync like this one if longer; then
    # 1.25x that + 1.5 s.
    rps=$(awk -F'\t' -v s="$server" '$1 == "fs_idle_rps" && $2 == s { r = $3 } END { print r + 0 }' \
        "$TMP/repl.tsv")
    est=$(awk -F'\t' -v s="$server" -v m="fs_ms:$tag" -v f="$((nrep > 1 ? 3 : 1))" '
        $2 == s && $1 == "sync_ms" && $3 * f * 1.5 > e { e = $3 * f * 1.5 }
        $2 == s && $1 == m && $3 > e { e = $3 }
        END { printf "%d", e }' "$TMP/repl.tsv")
    requests=$(awk -v r="$rps" -v t="$est" 'BEGIN {
        n = r * (1.25 * t / 1000 + 1.5); if (n < 100000) n = 100000; printf "%d", n }')
    set_benchmark "$mport" "$requests" --background
    sleep 0.5
    alive "$BENCH_PID" || covered=0
    # /proc reads can come back empty for a moment while the master forks
    # or exits a child: try a few times before calling it a failure.
    for _ in 1 2 3 4 5; do
        base=$(mem_kb "$mpid")
        ((base > 0)) && break
        sleep 0.1
    done
    ((base > 0)) || die "$server master: no VmRSS in /proc/$mpid/status"
    peak=$base
    t0=$(now_us)
    for fd in "${fds[@]}"; do
        resp_call "$fd" REPLICAOF 127.0.0.1 "$mport"
        [[ $REPLY_TEXT == +OK* ]] || die "$server replica: REPLICAOF replied '$REPLY_TEXT'"
    done
    while :; do
        now=$(mem_kb "$mpid")
        ((now > peak)) && peak=$now
        up=0
        for fd in "${fds[@]}"; do
            resp_call "$fd" INFO replication
            [[ $REPLY_TEXT == *master_link_status:up* &&
                $REPLY_TEXT == *master_sync_in_progress:0* ]] && up=$((up + 1))
        done
        if ((up == nrep)); then
            resp_call "$mfd" INFO replication
            online=$(grep -c '^slave[0-9]*:.*state=online' <<<"$REPLY_TEXT" || true)
            ((online == nrep)) && break
        fi
        for ((i = 0; i < nrep; i++)); do
            alive "${pids[i]}" || die "$server-$tag-$round-$((i + 1)) exited while syncing"
        done
        (($(now_us) - t0 < 600000000)) || die "$server: $tag full sync not done after 600 s"
        sleep 0.05
    done
    t1=$(now_us)
    now=$(mem_kb "$mpid")
    ((now > peak)) && peak=$now
    alive "$BENCH_PID" || covered=0
    set_result "$mport" >"$TMP/fullsync.out"
    read -r _ p99 _ <"$TMP/fullsync.out"
    record_repl "fs_ms:$tag" "$server" "$(((t1 - t0) / 1000)).$(printf '%03d' $(((t1 - t0) % 1000)))"
    record_repl "fs_mem:$tag" "$server" "$(((peak - base) / 1024)).$(printf '%03d' $(((peak - base) % 1024 * 1000 / 1024)))"
    record_repl "fs_p99:$tag" "$server" "$p99"
    ((covered)) || echo "$server $tag round $round: redis-benchmark ($requests requests) ended" \
        "before the sync did; its p99 covers only part of it" >>"$TMP/repl.notes"
    disconnect "$mfd"
    for fd in "${fds[@]}"; do disconnect "$fd"; done
    # The load's key:* keys make DBSIZE move: compare the sample keys only.
    verify_mixed "$mport" "$PORT" "$server-master" "$server-replica" ''
    for ((i = 0; i < nrep; i++)); do
        stop_server "${pids[i]}"
        rm -rf "${TMP:?}/$server-$tag-$round-$((i + 1))"
    done
}

# fullsync_rounds: ROUNDS rounds of measure_fullsync on both masters, disk
# and diskless, 1 and 3 replicas (bench_replication's ports and pids); an
# idle SET benchmark first per server and round, which also fills the key:*
# range the load writes, so that the load mostly overwrites during the sync.
# The key:* keys are deleted and both masters set back to disk-based after.
fullsync_rounds() {
    local round first second server port pid mode nrep
    for ((round = 1; round <= ROUNDS; round++)); do
        if ((round % 2)); then first=redis second=ferrodis; else first=ferrodis second=redis; fi
        for server in "$first" "$second"; do
            port=$redis_port
            [[ $server == ferrodis ]] && port=$ferrodis_port
            [[ -t 2 ]] && printf 'round %d/%d: %-8s SET idle                       \r' \
                "$round" "$ROUNDS" "$server" >&2
            set_benchmark "$port" "$REQUESTS" >"$TMP/fullsync.out"
            record_repl fs_idle_rps "$server" "$(cut -d' ' -f1 "$TMP/fullsync.out")"
            record_repl fs_idle_p99 "$server" "$(cut -d' ' -f2 "$TMP/fullsync.out")"
        done
        for mode in disk diskless; do
            for nrep in 1 3; do
                [[ ,$SYNCS, == *,$mode$nrep,* ]] || continue
                for server in "$first" "$second"; do
                    [[ -t 2 ]] && printf 'round %d/%d: %-8s %s full sync, %d replica(s)    \r' \
                        "$round" "$ROUNDS" "$server" "$mode" "$nrep" >&2
                    port=$redis_port pid=$redis_pid
                    [[ $server == ferrodis ]] && port=$ferrodis_port pid=$ferrodis_pid
                    measure_fullsync "$server" "$port" "$pid" "$mode" "$nrep" "$round"
                done
            done
        done
    done
    for port in "$redis_port" "$ferrodis_port"; do
        redis-cli -h 127.0.0.1 -p "$port" --scan --pattern 'key:*' |
            xargs -r -n 1000 redis-cli -h 127.0.0.1 -p "$port" del >/dev/null
        cli "$port" config set repl-diskless-sync no >/dev/null
    done
}

bench_replication() {
    local file round first second server port
    local redis_port ferrodis_port redis_pid ferrodis_pid redis_replicas=() ferrodis_replicas=()
    echo "redis:    $REDIS_SERVER: $(version_of "$REDIS_SERVER")"
    echo "ferrodis: $FERRODIS_SERVER: $(version_of "$FERRODIS_SERVER")"
    echo "replication: $PERSIST_KEYS mixed keys, masters with --repl-diskless-sync no," \
        "$ROUNDS round(s) (median); redis-benchmark -t $REPL_TESTS -n $REPL_REQUESTS" \
        "-P $REPL_PIPELINE -c $CLIENTS with 0 and $REPL_REPLICAS replicas"
    echo

    : >"$TMP/repl.tsv"
    : >"$TMP/lag.tsv"
    : >"$TMP/repl.notes"
    [[ -t 2 ]] && printf 'generating %d keys      \r' "$PERSIST_KEYS" >&2
    file=$TMP/mixed.resp
    generate_mixed "$PERSIST_KEYS" >"$file"
    start_server redis-master "$REDIS_SERVER" --repl-diskless-sync no
    redis_port=$PORT redis_pid=${PIDS[-1]}
    start_server ferrodis-master "$FERRODIS_SERVER" --repl-diskless-sync no
    ferrodis_port=$PORT ferrodis_pid=${PIDS[-1]}
    for port in "$redis_port" "$ferrodis_port"; do
        [[ $(cli "$port" config get repl-diskless-sync | tail -n 1) == no ]] ||
            die "port $port: repl-diskless-sync is not 'no'"
    done

    SHAPE=mixed S_COMMANDS=$PERSIST_KEYS
    for server in redis ferrodis; do
        port=$redis_port
        [[ $server == ferrodis ]] && port=$ferrodis_port
        [[ -t 2 ]] && printf '%-8s loading %d keys   \r' "$server" "$PERSIST_KEYS" >&2
        load "$server" "$port" "$file"
    done
    rm -f "$file"
    verify_mixed "$redis_port" "$ferrodis_port"

    # No replica has been attached yet: once one has, a master keeps feeding
    # its backlog even with none connected.
    repl_rounds 0
    for port in "$redis_port" "$ferrodis_port"; do
        cli "$port" del key:__rand_int__ mylist >/dev/null
    done
    verify_mixed "$redis_port" "$ferrodis_port"

    for ((round = 1; round <= ROUNDS; round++)); do
        if ((round % 2)); then first=redis second=ferrodis; else first=ferrodis second=redis; fi
        for server in "$first" "$second"; do
            [[ -t 2 ]] && printf 'round %d/%d: %-8s full sync of %d keys     \r' \
                "$round" "$ROUNDS" "$server" "$PERSIST_KEYS" >&2
            port=$redis_port
            [[ $server == ferrodis ]] && port=$ferrodis_port
            measure_sync "$server" "$port" "$round"
        done
    done
    fullsync_rounds

    [[ -t 2 ]] && printf 'attaching %d replicas to each master           \r' "$REPL_REPLICAS" >&2
    attach_replicas redis "$redis_port"
    redis_replicas=("${ATTACHED[@]}")
    attach_replicas ferrodis "$ferrodis_port"
    ferrodis_replicas=("${ATTACHED[@]}")
    repl_rounds "$REPL_REPLICAS"

    awk -F'\t' '
        { n[$1]++; sum[$1] += $2; if ($2 > max[$1]) max[$1] = $2 }
        END {
            for (s in n) {
                printf "lag_max\t%s\t%d\n", s, max[s]
                printf "lag_mean\t%s\t%.0f\n", s, sum[s] / n[s]
                printf "lag_samples\t%s\t%d\n", s, n[s]
            }
        }
    ' "$TMP/lag.tsv" >>"$TMP/repl.tsv"
    [[ -t 2 ]] && printf '%60s\r' '' >&2
    replication_report
}

# replication_report: medians per metric and server, ferrodis/redis, the
# with/without replicas scaling per server, and the targets from the issue.
replication_report() {
    awk -F'\t' -v keys="$PERSIST_KEYS" -v rounds="$ROUNDS" -v reps="$REPL_REPLICAS" '
        function median(list,    v, n, i, j, x) {
            n = split(list, v, " ")
            for (i = 2; i <= n; i++) {
                x = v[i]
                for (j = i - 1; j >= 1 && v[j] + 0 > x + 0; j--) v[j + 1] = v[j]
                v[j + 1] = x
            }
            return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        function get(m, s) { return ((m, s) in v) ? median(v[m, s]) : "" }
        function show(x, f) { return x == "" ? "-" : sprintf(f, x) }
        # row LABEL R F FMT TARGET: TARGET is "<= x" on the ratio, ">= x" on
        # the ferrodis value, or empty.
        function row(label, r, f, fmt, tgt,    ratio, t, ok) {
            ratio = (r > 0 && f != "") ? sprintf("%.2f", f / r) : "-"
            t = ""
            if (tgt ~ /^<=/) {
                if (ratio == "-") t = tgt " ?"
                else { ok = ratio + 0 <= substr(tgt, 4) + 0; t = tgt " " (ok ? "met" : "MISSED") }
            } else if (tgt ~ /^>=/) {
                if (f == "") t = tgt " (ferrodis) ?"
                else { ok = f + 0 >= substr(tgt, 4) + 0; t = tgt " (ferrodis) " (ok ? "met" : "MISSED") }
            }
            if (t ~ /MISSED|\?$/) missed++
            if (t != "") targets++
            printf "%-40s %12s %12s %7s  %s\n", label, show(r, fmt), show(f, fmt), ratio, t
        }
        {
            if (!($1 in seen)) { seen[$1] = 1; order[++metrics] = $1 }
            v[$1, $2] = v[$1, $2] " " $3
        }
        END {
            printf "%-40s %12s %12s %7s  %s\n", "metric (" keys " keys)", "redis", "ferrodis",
                "ratio", "target"
            row("full sync, disk-based (ms)", get("sync_ms", "redis"), get("sync_ms", "ferrodis"),
                "%.0f", "<= 0.80")
            for (i = 1; i <= metrics; i++) {
                m = order[i]
                if (m !~ /^rps0:/) continue
                t = substr(m, 6)
                r0 = get(m, "redis"); f0 = get(m, "ferrodis")
                r2 = get("rps" reps ":" t, "redis"); f2 = get("rps" reps ":" t, "ferrodis")
                row(t " rps, 0 replicas", r0, f0, "%.0f", "")
                row(t " rps, " reps " replicas", r2, f2, "%.0f", "")
                row(t " rps, " reps " replicas / 0 replicas", r0 > 0 && r2 != "" ? r2 / r0 : "",
                    f0 > 0 && f2 != "" ? f2 / f0 : "", "%.3f", ">= 0.95")
            }
            row("SET p99, idle (ms)", get("fs_idle_p99", "redis"), get("fs_idle_p99", "ferrodis"),
                "%.3f", "")
            for (i = 1; i <= 4; i++) {
                t = i <= 2 ? "disk" : "diskless"; nr = i % 2 ? 1 : 3; tag = t nr
                lbl = t " sync, " nr " replica" (nr > 1 ? "s" : "")
                row(lbl ", under load (ms)", get("fs_ms:" tag, "redis"), get("fs_ms:" tag, "ferrodis"),
                    "%.0f", t == "diskless" ? "<= 0.70" : "")
                row(lbl ", master extra MB", get("fs_mem:" tag, "redis"),
                    get("fs_mem:" tag, "ferrodis"), "%.1f", "")
                row(lbl ", SET p99 (ms)", get("fs_p99:" tag, "redis"), get("fs_p99:" tag, "ferrodis"),
                    "%.3f", "<= 1.00")
            }
            row("replication lag, max (bytes)", get("lag_max", "redis"), get("lag_max", "ferrodis"),
                "%.0f", "")
            row("replication lag, mean (bytes)", get("lag_mean", "redis"),
                get("lag_mean", "ferrodis"), "%.0f", "")
            printf "\nmedians of %d round(s); full sync: < 1 is better; lag: %s samples (redis)," \
                " %s (ferrodis), every 100 ms over %d replicas and every round\n", rounds,
                show(get("lag_samples", "redis"), "%d"), show(get("lag_samples", "ferrodis"), "%d"), reps
            printf "under load: redis-benchmark -t set -P 1 on the master through the sync; extra MB:" \
                " peak of master VmRSS + fork children'"'"'s Private_Dirty, minus its value at the start\n"
            printf "targets: full sync at most 0.8x Redis'"'"'s, diskless full sync at most 0.7x" \
                " Redis'"'"'s, master SET p99 during a sync at most Redis'"'"'s, ferrodis with %d" \
                " replicas at least 0.95 of its rps with none: %s\n", reps,
                missed ? missed " of " targets " missed" : "met"
        }
    ' "$TMP/repl.tsv"
    if [[ -s $TMP/repl.notes ]]; then
        echo
        cat "$TMP/repl.notes"
    fi
}

# --- Dispatch ----------------------------------------------------------------
# One function per mode.

case $MODE in
    throughput) bench_throughput ;;
    memory) bench_memory ;;
    persistence) bench_persistence ;;
    replication) bench_replication ;;
    *) die "--$MODE is not implemented yet" ;;
esac

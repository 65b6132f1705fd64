#!/usr/bin/env python3
"""A workload through redis-py, the most used Redis client library.

Usage: redis_py_workload.py PORT PROTOCOL   (PROTOCOL is 2 or 3)

Exercises every data type, pub/sub and MULTI/EXEC through the library's own
parsing of replies, so a reply shape the library does not expect fails here.
Exits non-zero with a message on the first mismatch.
"""
import sys
import time

import redis


def check(what, got, want):
    if got != want:
        sys.exit(f"{what}: got {got!r}, want {want!r}")


def main():
    port, protocol = int(sys.argv[1]), int(sys.argv[2])
    r = redis.Redis(host="127.0.0.1", port=port, protocol=protocol, decode_responses=True)
    check("ping", r.ping(), True)
    r.flushall()

    # Strings and keys.
    check("set", r.set("s", "v", ex=100), True)
    check("get", r.get("s"), "v")
    check("incrby", r.incrby("n", 5), 5)
    check("incrbyfloat", r.incrbyfloat("f", 10.5), 10.5)
    check("mget", r.mget("s", "n", "missing"), ["v", "5", None])
    check("ttl", 0 < r.ttl("s") <= 100, True)
    check("exists", r.exists("s", "n", "missing"), 2)
    check("type", r.type("s"), "string")
    check("scan", sorted(r.scan_iter(match="*")), ["f", "n", "s"])

    # Lists.
    check("rpush", r.rpush("l", "a", "b", "c"), 3)
    check("lrange", r.lrange("l", 0, -1), ["a", "b", "c"])
    check("lpop", r.lpop("l"), "a")
    check("lpop count", r.lpop("l", 5), ["b", "c"])
    check("blpop timeout", r.blpop(["l"], timeout=0.05), None)
    r.rpush("l", "x")
    check("blpop", r.blpop(["l"], timeout=1), ("l", "x") if protocol == 2 else ["l", "x"])

    # Hashes.
    check("hset", r.hset("h", mapping={"a": "1", "b": "2"}), 2)
    check("hgetall", r.hgetall("h"), {"a": "1", "b": "2"})
    check("hincrby", r.hincrby("h", "a", 10), 11)
    check("hmget", r.hmget("h", "a", "zz"), ["11", None])

    # Sets.
    check("sadd", r.sadd("st", "x", "y", "z"), 3)
    check("smembers", r.smembers("st"), {"x", "y", "z"})
    check("sismember", r.sismember("st", "y"), True)
    check("sinter", r.sinter("st", "st"), {"x", "y", "z"})

    # Sorted sets.
    check("zadd", r.zadd("z", {"a": 1, "b": 2.5, "c": 3}), 3)
    check("zrange", r.zrange("z", 0, -1, withscores=True), [("a", 1.0), ("b", 2.5), ("c", 3.0)] if protocol == 2 else [["a", 1.0], ["b", 2.5], ["c", 3.0]])
    check("zscore", r.zscore("z", "b"), 2.5)
    check("zincrby", r.zincrby("z", 1, "a"), 2.0)
    check("zrank", r.zrank("z", "c"), 2)
    check("zpopmin", r.zpopmin("z"), [("a", 2.0)] if protocol == 2 else ["a", 2.0])

    # Transactions.
    with r.pipeline(transaction=True) as p:
        p.set("t", "1").incr("t").get("t")
        check("multi/exec", p.execute(), [True, 2, "2"])
    with r.pipeline(transaction=True) as p:
        p.watch("t")
        r.set("t", "changed")
        p.multi()
        p.set("t", "mine")
        try:
            p.execute()
            sys.exit("watch: EXEC should have failed")
        except redis.WatchError:
            pass
    check("after watch", r.get("t"), "changed")

    # Pub/sub.
    ps = r.pubsub()
    ps.subscribe("news")
    deadline = time.time() + 5
    msg = None
    while msg is None and time.time() < deadline:
        msg = ps.get_message(timeout=0.1)
    check("subscribe confirmation", (msg or {}).get("type"), "subscribe")
    check("publish", r.publish("news", "hello"), 1)
    msg = None
    while msg is None and time.time() < deadline:
        msg = ps.get_message(timeout=0.1)
    check("message", (msg or {}).get("data"), "hello")
    ps.close()

    # Client-side caching commands, through the library's helpers (its
    # own cache needs a server announcing Redis 7.4).
    t = redis.Redis(host="127.0.0.1", port=port, protocol=protocol, decode_responses=True)
    check("client tracking on", t.client_tracking_on(bcast=True, prefix=["user:"]), "OK")
    info = t.client_trackinginfo()
    flags = info["flags"] if isinstance(info, dict) else info[1]
    check("client trackinginfo flags", sorted(flags), ["bcast", "on"])
    check("client getredir", t.client_getredir(), 0)
    check("client tracking off", t.client_tracking_off(), "OK")
    check("client getredir off", t.client_getredir(), -1)
    t.close()

    # Server introspection the library parses itself.
    info = r.info()
    check("info version", info.get("redis_version"), "7.0.15")
    check("config get", r.config_get("maxmemory"), {"maxmemory": "0"})
    check("client list", isinstance(r.client_list(), list), True)
    check("dbsize", r.dbsize() >= 5, True)
    print(f"redis-py {redis.__version__} RESP{protocol}: ok")


if __name__ == "__main__":
    main()

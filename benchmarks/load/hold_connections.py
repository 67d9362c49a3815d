#!/usr/bin/env python3
"""Hold many idle connections to a RESP server on a Unix socket and time PINGs while they are held.

Used by run.sh's connection-scale phase; the standard library only, no third-party modules.

1. Opens --probes connections and times --pings PINGs over them, one request at a time
   (round-robin), before anything else is held: the baseline latency.
2. Opens --connections idle connections in batches; each one must answer a PING, so every
   connection is known to be served (accepted, with a handler) and not only queued in the
   kernel's backlog.
3. Times --pings PINGs again on the same probe connections while the idle ones are held.
4. Writes the results as JSON to --out, creates the --ready file, and holds everything until
   the --stop file appears (or --timeout seconds pass), so that the caller can measure the
   server meanwhile.
5. Checks that a sample of the idle connections still answer, writes the JSON again, closes all.

Exit status: 0 on success, 1 if a connection could not be opened or answered wrongly.
"""

import argparse
import json
import os
import random
import resource
import socket
import sys
import time

PING = b"*1\r\n$4\r\nPING\r\n"
PONG = b"+PONG\r\n"


def read_exactly(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("connection closed by the server after %d bytes" % len(data))
        data += chunk
    return data


def ping(sock):
    sock.sendall(PING)
    reply = read_exactly(sock, len(PONG))
    if reply != PONG:
        raise ConnectionError("unexpected reply %r" % reply)


def connect(path, timeout):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect(path)
    return sock


def percentile(sorted_values, fraction):
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, int(round(fraction * len(sorted_values))) - 1))
    return sorted_values[index]


def time_pings(probes, count):
    """Time `count` PINGs round-robin over the probe connections; microseconds."""
    for sock in probes:  # warm each probe connection
        for _ in range(20):
            ping(sock)
    samples = []
    for i in range(count):
        sock = probes[i % len(probes)]
        start = time.perf_counter_ns()
        ping(sock)
        samples.append((time.perf_counter_ns() - start) / 1000.0)
    samples.sort()
    return {
        "count": count,
        "p50_us": round(percentile(samples, 0.50), 1),
        "p99_us": round(percentile(samples, 0.99), 1),
        "max_us": round(samples[-1], 1),
    }


def write_json(path, result):
    tmp = path + ".tmp"
    with open(tmp, "w") as out:
        json.dump(result, out, indent=1)
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--connections", type=int, default=10000)
    parser.add_argument("--probes", type=int, default=8)
    parser.add_argument("--pings", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--connect-timeout", type=float, default=30.0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--ready", required=True)
    parser.add_argument("--stop", required=True)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    needed = args.connections + args.probes + 64
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft != resource.RLIM_INFINITY and soft < needed:
        print("hold_connections: open-file limit %d is below the %d needed" % (soft, needed), file=sys.stderr)
        return 1

    result = {"socket": args.socket, "requested": args.connections, "held": 0}
    held = []
    stage = "connecting the probe connections"
    try:
        probes = [connect(args.socket, args.connect_timeout) for _ in range(args.probes)]
        stage = "timing PINGs before the idle connections"
        result["latency_before"] = time_pings(probes, args.pings)
        stage = "opening the idle connections"
        started = time.monotonic()
        while len(held) < args.connections:
            batch = []
            for _ in range(min(args.batch, args.connections - len(held))):
                batch.append(connect(args.socket, args.connect_timeout))
            for sock in batch:
                sock.sendall(PING)
            for sock in batch:
                reply = read_exactly(sock, len(PONG))
                if reply != PONG:
                    raise ConnectionError("unexpected reply %r" % reply)
            held.extend(batch)
        result["open_seconds"] = round(time.monotonic() - started, 2)
        stage = "timing PINGs while the idle connections are held"
        result["held"] = len(held)
        result["latency_held"] = time_pings(probes, args.pings)
    except (OSError, ConnectionError) as ex:
        result["held"] = len(held)
        reason = "no answer within %.0f s" % args.connect_timeout if isinstance(ex, socket.timeout) else str(ex)
        result["error"] = "%s, with %d idle connections open: %s" % (stage, len(held), reason)
        write_json(args.out, result)
        print("hold_connections: " + result["error"], file=sys.stderr)
        return 1
    write_json(args.out, result)
    open(args.ready, "w").close()

    deadline = time.monotonic() + args.timeout
    while not os.path.exists(args.stop) and time.monotonic() < deadline:
        time.sleep(0.2)

    sample = random.Random(42).sample(held, min(200, len(held)))
    alive = 0
    for sock in sample:
        try:
            ping(sock)
            alive += 1
        except (OSError, ConnectionError):
            pass
    result["alive_after_hold"] = "%d/%d" % (alive, len(sample))
    write_json(args.out, result)
    for sock in held + probes:
        sock.close()
    return 0 if alive == len(sample) else 1


if __name__ == "__main__":
    sys.exit(main())

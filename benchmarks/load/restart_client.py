#!/usr/bin/env python3
"""Client loop for restart.sh: a new connection per request against the sample application.

Each request is GET of a marker key that only the old instance has set, so every reply tells which
instance answered (the store is in memory, per process). Runs until SIGTERM, then prints one line
of JSON: requests, failed connects (by error), failed requests (resets, bad replies), the longest
time without an answered request, and the time from SIGUSR1 (sent when the new instance is
started) to the first reply of the new instance.
"""
import errno
import json
import signal
import socket
import sys
import time

path = sys.argv[1]
REQUEST = b"*2\r\n$3\r\nGET\r\n$6\r\nmarker\r\n"

running = True
trigger = None


def stop(signum, frame):
    global running
    running = False


def mark(signum, frame):
    global trigger
    trigger = time.monotonic()


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGUSR1, mark)

requests = answered = 0
connect_failures = {}
request_failures = {}
last_answer = time.monotonic()
longest_gap = 0.0
first_new = None
old_after_trigger = 0


def count(table, key):
    table[key] = table.get(key, 0) + 1


def read_reply(sock):
    """One reply: a bulk string ($n, its line, its data line), a null bulk or any one-line reply."""
    data = b""
    while True:
        if data.startswith(b"$") and not data.startswith(b"$-1"):
            if data.count(b"\r\n") >= 2:
                return data
        elif data.endswith(b"\r\n"):
            return data
        chunk = sock.recv(256)
        if not chunk:
            return None
        data += chunk


def error_name(e):
    return errno.errorcode.get(e.errno, str(e.errno)) if e.errno else type(e).__name__


while running:
    requests += 1
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    try:
        try:
            s.connect(path)
        except OSError as e:
            count(connect_failures, error_name(e))
            continue
        try:
            s.sendall(REQUEST)
            reply = read_reply(s)
        except OSError as e:
            count(request_failures, error_name(e))
            continue
        if reply is None:
            count(request_failures, "EOF")
            continue
        now = time.monotonic()
        if reply.startswith(b"$-1"):
            if trigger is not None and first_new is None:
                first_new = now - trigger
        elif reply.startswith(b"$3\r\nold"):
            if trigger is not None:
                old_after_trigger += 1
        else:
            count(request_failures, "reply " + reply[:20].decode("ascii", "replace"))
            continue
        answered += 1
        longest_gap = max(longest_gap, now - last_answer)
        last_answer = now
    finally:
        s.close()

print(json.dumps({
    "requests": requests,
    "answered": answered,
    "failed_connects": sum(connect_failures.values()),
    "connect_errors": connect_failures,
    "failed_requests": sum(request_failures.values()),
    "request_errors": request_failures,
    "longest_gap_ms": round(longest_gap * 1000, 1),
    "switch_ms": None if first_new is None else round(first_new * 1000, 1),
    "old_answers_after_start": old_after_trigger,
}), flush=True)

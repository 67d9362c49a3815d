#!/usr/bin/env python3
"""Summarise `jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample,jdk.JavaExceptionThrow`
output (read from stdin). Usage: jfr print ... | jfr_top.py [--requests N]

For each sample type: samples per thread group, self samples (top frame) per code owner, the top
frames, and for Java samples the first frame outside the JDK ("who asked the JDK for it").
For exceptions: how many were constructed (per request, given --requests), by class, message and
the first frame outside the JDK.
Owners: sample app (io.github.glidesocket.sample), glide-socket (io.github.glidesocket),
junixsocket (org.newsclub), JDK (java., javax., jdk., sun., com.sun.), other (Spring, Micrometer...).
"""

import collections
import re
import sys

TOP = 20
KINDS = ("jdk.ExecutionSample", "jdk.NativeMethodSample", "jdk.JavaExceptionThrow")


def owner(frame):
    if frame.startswith("io.github.glidesocket.sample."):
        return "sample app"
    if frame.startswith("io.github.glidesocket."):
        return "glide-socket"
    if frame.startswith("org.newsclub."):
        return "junixsocket"
    if frame.startswith(("java.", "javax.", "jdk.", "sun.", "com.sun.")):
        return "JDK"
    return "other"


def method(frame):
    """'a.b.C.m(int) line: 12' -> 'a.b.C.m'"""
    return re.sub(r"\(.*$", "", frame).strip()


def thread_group(name):
    return re.sub(r"\d+", "N", name)


def parse(lines):
    events = []
    current = None
    in_stack = False
    for line in lines:
        stripped = line.strip()
        if stripped.endswith("{") and stripped.split()[0] in KINDS:
            current = {"type": stripped.split()[0], "thread": "?", "frames": [], "class": "?", "message": ""}
            in_stack = False
        elif current is None:
            continue
        elif stripped.startswith("sampledThread"):
            match = re.search(r'"(.*)"', stripped)
            current["thread"] = match.group(1) if match else stripped
        elif stripped.startswith("thrownClass = "):
            current["class"] = stripped[len("thrownClass = "):].split(" (")[0]
        elif stripped.startswith("message = "):
            current["message"] = stripped[len("message = "):].strip('"')
        elif stripped.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and stripped == "]":
            in_stack = False
        elif in_stack:
            if stripped and stripped != "...":
                current["frames"].append(method(stripped))
        elif stripped == "}":
            events.append(current)
            current = None
    return events


def percent(count, total):
    return "%5.1f%%" % (100.0 * count / total) if total else "  -  "


def report(events, kind, title):
    samples = [e for e in events if e["type"] == kind and e["frames"]]
    total = len(samples)
    print("== %s: %d samples" % (title, total))
    if not total:
        return
    threads = collections.Counter(thread_group(e["thread"]) for e in samples)
    print("  by thread: " + ", ".join("%s %s" % (name, percent(n, total).strip()) for name, n in threads.most_common(6)))
    owners = collections.Counter(owner(e["frames"][0]) for e in samples)
    print("  self (top frame) by owner: " + ", ".join("%s %s" % (name, percent(n, total).strip()) for name, n in owners.most_common()))
    print("  top frames:")
    for frame, n in collections.Counter(e["frames"][0] for e in samples).most_common(TOP):
        print("    %s %6d  %s" % (percent(n, total), n, frame))
    if kind == "jdk.ExecutionSample":
        callers = collections.Counter()
        for e in samples:
            caller = next((f for f in e["frames"] if owner(f) != "JDK"), "(JDK only) " + e["frames"][-1])
            callers[caller] += 1
        print("  first non-JDK frame from the top (what the time is spent for):")
        for frame, n in callers.most_common(12):
            print("    %s %6d  %s" % (percent(n, total), n, frame))


def report_exceptions(events, requests):
    thrown = [e for e in events if e["type"] == "jdk.JavaExceptionThrow"]
    per_request = " (%.2f per request)" % (len(thrown) / requests) if requests else ""
    print("== Exceptions constructed: %d events%s" % (len(thrown), per_request))
    groups = collections.Counter()
    for e in thrown:
        caller = next((f for f in e["frames"] if owner(f) != "JDK"), "(JDK only)")
        groups[(e["class"], e["message"][:70], caller)] += 1
    for (cls, message, caller), n in groups.most_common(8):
        print("    %6d  %s: %s" % (n, cls, message))
        print("            from %s" % caller)


def main():
    requests = 0
    if "--requests" in sys.argv:
        requests = int(sys.argv[sys.argv.index("--requests") + 1])
    events = parse(sys.stdin)
    report(events, "jdk.ExecutionSample", "Java samples (threads running Java code)")
    report(events, "jdk.NativeMethodSample", "Native samples (threads in native methods, running or blocked)")
    report_exceptions(events, requests)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""CPU time and context switches of a process and its threads, between two snapshots.

Usage:
    proc_stats.py snapshot PID FILE      record the process's and every live thread's counters
    proc_stats.py total BEFORE AFTER     print: user_ticks<TAB>system_ticks<TAB>context_switches
    proc_stats.py groups BEFORE AFTER    print one line per thread group:
                                         group<TAB>user_ticks<TAB>system_ticks<TAB>context_switches<TAB>threads

Ticks are clock ticks (getconf CLK_TCK). CPU ticks in 'total' are the process's own, so they
include threads that ended between the snapshots. Context switches (voluntary plus involuntary)
are summed per thread id: a thread alive in both snapshots counts its difference, a new thread all
of its own, and a thread that ended in between is left out (a thread pool retires idle threads, so
summing the live threads of each snapshot instead would lose their history). A thread group is
the thread name with its numbers replaced by N, as the kernel keeps it (15 characters).
"""

import collections
import os
import re
import sys


def read_stat(path):
    with open(path) as f:
        stat = f.read()
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2:].split()
    return name, int(fields[11]), int(fields[12])  # utime, stime


def snapshot(pid, out_path):
    lines = []
    _, user, system = read_stat("/proc/%s/stat" % pid)
    lines.append("process\t-\t%d\t%d\t0" % (user, system))
    task_dir = "/proc/%s/task" % pid
    for tid in os.listdir(task_dir):
        try:
            name, user, system = read_stat("%s/%s/stat" % (task_dir, tid))
            with open("%s/%s/status" % (task_dir, tid)) as f:
                switches = sum(int(m) for m in re.findall(r"ctxt_switches:\s+(\d+)", f.read()))
        except (OSError, ValueError):
            continue  # the thread ended meanwhile
        group = re.sub(r"(?<=[-#])\d+|\d+$", "N", name)
        lines.append("%s\t%s\t%d\t%d\t%d" % (tid, group, user, system, switches))
    with open(out_path, "w") as out:
        out.write("\n".join(lines) + "\n")


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            tid, group, user, system, switches = line.rstrip("\n").split("\t")
            rows[tid] = (group, int(user), int(system), int(switches))
    return rows


def diff(before_path, after_path, by_group):
    before, after = load(before_path), load(after_path)
    groups = collections.defaultdict(lambda: [0, 0, 0, 0])
    for tid, (group, user, system, switches) in after.items():
        if tid == "process":
            continue
        _, user0, system0, switches0 = before.get(tid, (group, 0, 0, 0))
        g = groups[group]
        g[0] += user - user0
        g[1] += system - system0
        g[2] += switches - switches0
        g[3] += 1
    if by_group:
        for group, (user, system, switches, threads) in sorted(groups.items()):
            print("%s\t%d\t%d\t%d\t%d" % (group, user, system, switches, threads))
    else:
        user = after["process"][1] - before["process"][1]
        system = after["process"][2] - before["process"][2]
        switches = sum(g[2] for g in groups.values())
        print("%d\t%d\t%d" % (user, system, switches))


def main():
    command = sys.argv[1]
    if command == "snapshot":
        snapshot(sys.argv[2], sys.argv[3])
    elif command in ("total", "groups"):
        diff(sys.argv[2], sys.argv[3], command == "groups")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Plays systemd's socket activation for restart.sh: binds and listens at argv[1], keeps the
socket, and runs the command after it with the socket as standard input (StandardInput=socket).
Each "restart" line on its own standard input stops the command (SIGTERM, waiting for it to end)
and starts it again, as 'systemctl restart' does; end of input stops it and exits."""
import socket
import subprocess
import sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(512)
child = subprocess.Popen(sys.argv[2:], stdin=s.fileno())
print("started %d" % child.pid, flush=True)
for line in sys.stdin:
    if line.strip() == "restart":
        child.terminate()
        child.wait()
        child = subprocess.Popen(sys.argv[2:], stdin=s.fileno())
        print("started %d" % child.pid, flush=True)
child.terminate()
child.wait()

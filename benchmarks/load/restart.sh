#!/usr/bin/env bash
# Restart harness: what clients of the sample application see while it is restarted, three ways:
# a plain restart (SIGTERM to the old process, the new one started at once), a takeover (the new
# one started beside the old one with glide.socket.takeover; the old one hands over and exits),
# and socket activation (a launcher that plays systemd keeps the socket and restarts the JVM).
# See --help.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=common.sh
source benchmarks/load/common.sh

usage() {
	cat <<'EOF'
Usage: benchmarks/load/restart.sh [options]

A client opens a new connection per request (GET of a key only the old instance has) while the
sample application is restarted; it counts failed connects and failed requests, the longest time
without an answer, and the time from starting the new instance to its first answer.

Options:
  --jdk N|DIR       JDK that runs the sample app (a feature version under /usr/lib/jvm, or a JDK
                    home). Default: the 'java' on PATH.
  --mode M          event-loop or thread-per-connection (repeatable; default both).
  --restart R       plain, takeover or inherited (repeatable; default all three).
  --reps N          Restarts per mode and way (default 5).
  --no-build        Use the existing sample-app/target jar instead of building it.
  --out FILE        Write the results (markdown) to FILE. Default: a new temporary file.
  --keep            Keep the work directory (logs, client results) and print its path.
  -h, --help        This text.
EOF
}

JDK=""
MODES=()
RESTARTS=()
REPS=5
BUILD=true
OUT=""
KEEP=false
while [[ $# -gt 0 ]]; do
	case "$1" in
		--jdk) JDK="${2:?--jdk needs a value}"; shift 2 ;;
		--mode) MODES+=("$(connection_mode "${2:-}")") || exit 2; shift 2 ;;
		--restart)
			case "${2:-}" in
				plain|takeover|inherited) RESTARTS+=("$2") ;;
				*) echo "--restart needs plain, takeover or inherited" >&2; exit 2 ;;
			esac
			shift 2 ;;
		--reps) REPS="${2:?--reps needs a value}"; shift 2 ;;
		--no-build) BUILD=false; shift ;;
		--out) OUT="${2:?--out needs a value}"; shift 2 ;;
		--keep) KEEP=true; shift ;;
		-h|--help) usage; exit 0 ;;
		*) echo "Unknown option: $1 (see --help)" >&2; exit 2 ;;
	esac
done
[[ ${#MODES[@]} -gt 0 ]] || MODES=(event-loop thread-per-connection)
[[ ${#RESTARTS[@]} -gt 0 ]] || RESTARTS=(plain takeover inherited)

command -v python3 >/dev/null || fail "python3 is needed (client loop and launcher)"
resolve_java

WORK=$(mktemp -d "${TMPDIR:-/tmp}/glide-restart.XXXXXX")
[[ -n "$OUT" ]] || OUT=$(mktemp "${TMPDIR:-/tmp}/glide-restart-results-$(date +%Y%m%d-%H%M%S).XXXXXX")
: > "$OUT"
PIDS=()
cleanup() {
	trap - EXIT INT TERM
	local pid
	for pid in "${PIDS[@]}"; do
		stop_pid "$pid" 5
	done
	if $KEEP; then
		log "work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sample_jar "$BUILD" "$WORK"

SOCKET="$WORK/r.sock"

app_command() { # mode restart -> the command line of one instance, in APP
	APP=("$JAVA" --enable-native-access=ALL-UNNAMED -jar "$WORK/sample-app.jar" --glide.socket.path="$SOCKET"
		--server.port=0 --sample.resp.connection-mode="$1" --spring.lifecycle.timeout-per-shutdown-phase=10s)
	if [[ "$2" == takeover ]]; then
		APP+=(--glide.socket.takeover=true --glide.socket.exit-after-takeover=true)
	fi
}

resp() { # one request on a new connection; prints the reply's first line, or nothing
	python3 - "$SOCKET" "$@" <<'PY' 2>/dev/null || true
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
args = [a.encode() for a in sys.argv[2:]]
s.sendall(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args))
print(s.recv(256).split(b"\r\n")[0].decode())
PY
}

await_reply() { # expected-first-line command... : wait up to 120 s for it
	local expected=$1 tries=1200
	shift
	while (( tries-- > 0 )); do
		[[ "$(resp "$@")" == "$expected" ]] && return 0
		sleep 0.1
	done
	fail "no '$expected' reply to '$*' on $SOCKET within 120 s"
}

# One restart: start the old instance, mark it, run the client, restart, let the new one serve a
# second, stop the client; the client's JSON result goes to $1.
one_restart() { # result-file mode restart
	local result=$1 mode=$2 restart=$3 old new launcher client
	rm -f "$SOCKET"
	app_command "$mode" "$restart"
	if [[ "$restart" == inherited ]]; then
		rm -f "$WORK/control"
		mkfifo "$WORK/control"
		python3 benchmarks/load/systemd_launcher.py "$SOCKET" "${APP[@]}" < "$WORK/control" > "$WORK/launcher.out" 2>> "$WORK/app.log" &
		launcher=$!
		PIDS+=("$launcher")
		exec 9> "$WORK/control"
	else
		"${APP[@]}" >> "$WORK/app.log" 2>&1 &
		old=$!
		PIDS+=("$old")
	fi
	await_reply "+PONG" PING
	await_reply "+OK" SET marker old
	python3 benchmarks/load/restart_client.py "$SOCKET" > "$result" &
	client=$!
	PIDS+=("$client")
	sleep 1
	kill -USR1 "$client"
	case "$restart" in
		plain)
			kill -TERM "$old"
			"${APP[@]}" >> "$WORK/app.log" 2>&1 &
			new=$!
			PIDS+=("$new")
			wait "$old" || true
			;;
		takeover)
			"${APP[@]}" >> "$WORK/app.log" 2>&1 &
			new=$!
			PIDS+=("$new")
			wait "$old" || true
			;;
		inherited)
			echo restart >&9
			;;
	esac
	await_reply '$-1' GET marker
	sleep 1
	kill -TERM "$client"
	wait "$client" || true
	if [[ "$restart" == inherited ]]; then
		exec 9>&-
		wait "$launcher" || true
	else
		stop_pid "$new" 30
	fi
}

say "# Restarts of the sample application"
say ""
say "- $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $JAVA_VERSION"
say "- a client opening a new connection per request (python3, one at a time), $REPS restarts per row"
say ""
say "| restart | mode | failed connects (per restart) | failed requests | longest gap, median (max) | new instance's first answer, median |"
say "| --- | --- | --- | --- | --- | --- |"
for restart in "${RESTARTS[@]}"; do
	for mode in "${MODES[@]}"; do
		results=()
		for rep in $(seq 1 "$REPS"); do
			log "$restart restart, $mode, $rep of $REPS"
			one_restart "$WORK/$restart-$mode-$rep.json" "$mode" "$restart"
			results+=("$WORK/$restart-$mode-$rep.json")
		done
		say "$(python3 - "$restart" "$mode" "${results[@]}" <<'PY'
import json, statistics, sys
runs = [json.load(open(f)) for f in sys.argv[3:]]
connects = [r["failed_connects"] for r in runs]
requests = [r["failed_requests"] for r in runs]
gaps = [r["longest_gap_ms"] for r in runs]
switch = [r["switch_ms"] for r in runs if r["switch_ms"] is not None]
def kinds(key):
    total = {}
    for r in runs:
        for k, v in r[key].items():
            total[k] = total.get(k, 0) + v
    return (" (" + ", ".join("%s %d" % kv for kv in sorted(total.items())) + ")") if total else ""
print("| %s | %s | %s%s | %s%s | %d ms (%d ms) | %s |" % (sys.argv[1], sys.argv[2], " / ".join(map(str, connects)),
    kinds("connect_errors"), " / ".join(map(str, requests)), kinds("request_errors"), statistics.median(gaps), max(gaps),
    ("%d ms" % statistics.median(switch)) if switch else "-"))
PY
)"
	done
done
say ""
log "results: $OUT"

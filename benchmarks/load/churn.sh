#!/usr/bin/env bash
# Connection churn, side by side: every request on a new connection (redis-benchmark -t ping_mbulk
# -k 0) against each server in turn, repetitions interleaved (the order rotates), with what each
# connection cost the server: CPU time and context switches per connection, in total and by
# thread group (from /proc, benchmarks/load/proc_stats.py).
#
#   benchmarks/load/churn.sh [options] LABEL='COMMAND ... {sock} ...' ...
#
# e.g. benchmarks/load/churn.sh before='java -jar /tmp/old.jar --glide.socket.path={sock} --server.port=0' \
#          after='java -jar sample-app/target/sample-app-0.1.0-SNAPSHOT.jar --glide.socket.path={sock} --server.port=0'
#
# Each COMMAND is run by bash (exec) with {sock} replaced by a socket path in a temporary
# directory; it must answer PING there. The first LABEL is the one the others are divided by.
#
# Options:
#   --reps N       repetitions per server (default 3); medians are reported
#   --requests N   connections per timed run (default 60000), after an untimed 20,000
#   --clients N    connections at once (default 50)
#   --out FILE     also write the report there
# Needs redis-benchmark and redis-cli (apt-get install -y redis-tools) and python3.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPS=3; REQUESTS=60000; CLIENTS=50; OUT=""
while [[ $# -gt 0 ]]; do
	case "$1" in
		--reps) REPS=${2:?}; shift 2 ;;
		--requests) REQUESTS=${2:?}; shift 2 ;;
		--clients) CLIENTS=${2:?}; shift 2 ;;
		--out) OUT=${2:?}; shift 2 ;;
		-h|--help) sed -n '2,20p' "$0"; exit 0 ;;
		-*) echo "unknown option $1" >&2; exit 2 ;;
		*) break ;;
	esac
done
[[ $# -gt 0 ]] || { sed -n '2,20p' "$0" >&2; exit 2; }
for tool in redis-benchmark redis-cli python3; do
	command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y redis-tools python3)" >&2; exit 3; }
done
LABELS=(); declare -A COMMANDS
for spec in "$@"; do
	[[ "$spec" == *=* ]] || { echo "not LABEL=COMMAND: $spec" >&2; exit 2; }
	LABELS+=("${spec%%=*}"); COMMANDS[${spec%%=*}]=${spec#*=}
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/churn.XXXXXX")
SERVER_PID=""
cleanup() {
	if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

HEADER="# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), redis-benchmark -c $CLIENTS -t ping_mbulk -k 0 -n $REQUESTS, $REPS repetitions"
: > "$WORK/runs.tsv"
for (( rep = 0; rep < REPS; rep++ )); do
	k=$(( rep % ${#LABELS[@]} ))
	for label in "${LABELS[@]:k}" "${LABELS[@]:0:k}"; do
		sock="$WORK/$label.sock"
		log "repetition $(( rep + 1 ))/$REPS: $label"
		bash -c "exec ${COMMANDS[$label]//\{sock\}/$sock}" > "$WORK/$label.log" 2>&1 &
		SERVER_PID=$!
		for (( i = 0; i < 900; i++ )); do
			[[ "$(redis-cli -s "$sock" ping 2>/dev/null)" == PONG ]] && break
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		if [[ "$(redis-cli -s "$sock" ping 2>/dev/null)" != PONG ]]; then
			log "$label did not answer PING"; tail -n 5 "$WORK/$label.log" >&2; exit 1
		fi
		redis-benchmark -s "$sock" -c "$CLIENTS" -q -t ping_mbulk -k 0 -n 20000 > /dev/null 2>&1
		python3 "$HERE/proc_stats.py" snapshot "$SERVER_PID" "$WORK/before"
		rps=$(redis-benchmark -s "$sock" -c "$CLIENTS" -q --csv -t ping_mbulk -k 0 -n "$REQUESTS" 2> /dev/null \
			| awk -F'","' 'NR == 2 { gsub(/"/, "", $2); print $2 }')
		python3 "$HERE/proc_stats.py" snapshot "$SERVER_PID" "$WORK/after"
		python3 "$HERE/proc_stats.py" groups "$WORK/before" "$WORK/after" \
			| awk -v l="$label" -v r="${rps:-0}" -v OFS='\t' '{ print l, r, $1, $2 + $3, $4 }' >> "$WORK/runs.tsv"
		python3 "$HERE/proc_stats.py" total "$WORK/before" "$WORK/after" \
			| awk -v l="$label" -v r="${rps:-0}" -v OFS='\t' '{ print l, r, "TOTAL", $1 + $2, $3 }' >> "$WORK/runs.tsv"
		kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
		rm -f "$sock"
	done
done

python3 - "$WORK/runs.tsv" "$REQUESTS" "$(getconf CLK_TCK)" "$HEADER" "${LABELS[@]}" <<'PY' | tee ${OUT:+"$OUT"}
import collections, statistics, sys
path, n, tck, header, labels = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5:]
rps = collections.defaultdict(dict)
cost = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(path):
    label, r, group, ticks, switches = line.rstrip("\n").split("\t")
    rps[label][r] = float(r)
    cost[label][group].append((int(ticks) * 1e6 / tck / n, int(switches) / n))
def med(values):
    return statistics.median(values) if values else 0.0
print(header)
print()
base = med(list(rps[labels[0]].values()))
print("| server | req/s (median) | ratio to %s | server CPU µs per connection | context switches per connection |" % labels[0])
print("| --- | ---: | ---: | ---: | ---: |")
for label in labels:
    m = med(list(rps[label].values()))
    total = cost[label]["TOTAL"]
    print("| %s | %.0f | %.2f | %.1f | %.2f |" % (label, m, m / base if base else 0,
          med([c for c, _ in total]), med([s for _, s in total])))
print()
print("By thread group (medians; groups above 0.5 µs or 0.05 switches per connection):")
print()
print("| server | thread group | CPU µs per connection | context switches per connection |")
print("| --- | --- | ---: | ---: |")
for label in labels:
    for group, values in sorted(cost[label].items(), key=lambda item: -med([c for c, _ in item[1]])):
        c, s = med([c for c, _ in values]), med([s for _, s in values])
        if group != "TOTAL" and (c >= 0.5 or s >= 0.05):
            print("| %s | %s | %.1f | %.2f |" % (label, group, c, s))
PY

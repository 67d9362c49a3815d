#!/usr/bin/env bash
# Listener load harness: the sample application (RESP2 over a glide-socket managed socket) against
# redis-server on a Unix socket, in the same run, with the same redis-benchmark parameters.
# See benchmarks/README.md, "Listener load harness", and --help.
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() {
	cat <<'EOF'
Usage: benchmarks/load/run.sh [options]

Runs redis-benchmark against the sample application ("ours") and against a private redis-server,
alternating targets, then holds many idle connections to each and measures latency and memory.

Options:
  --jdk N|DIR       JDK that runs the sample app: a feature version found under /usr/lib/jvm
                    (17, 25, ...) or a JDK home. Default: the 'java' on PATH.
  --mode M          How the sample app serves connections: event-loop or thread-per-connection
                    (sample.resp.connection-mode). Repeatable; default: both, one app each, measured
                    side by side in the same run.
  --java-opt OPT    Add a JVM option for the sample app (repeatable). Default: only
                    --enable-native-access=ALL-UNNAMED, as the sample's Maven plugin passes.
  --no-build        Use the existing sample-app/target jar instead of building it.
  --quick           Smoke run: 1 repetition, fewer requests, 2,000 idle connections (about 1.5 min).
  --reps N          Repetitions of every throughput test per target (default 3; median reported).
  --connections N   Idle connections held in the connection-scale phase (default 10000).
  --no-throughput   Skip the throughput phase.
  --no-scale        Skip the connection-scale phase.
  --no-profile      Do not record a JFR profile of the sample app for missed targets.
  --no-install      Never run apt-get: report missing tools and exit.
  --out FILE        Write the results (markdown) to FILE. Default: a new temporary file.
  --keep            Keep the work directory (logs, JFR recordings) and print its path.
  -h, --help        This text.
EOF
}

JDK=""
MODES=()
BUILD=true
QUICK=false
REPS=""
CONNECTIONS=""
RUN_THROUGHPUT=true
RUN_SCALE=true
PROFILE=true
INSTALL=true
OUT=""
KEEP=false
JAVA_OPTS=(--enable-native-access=ALL-UNNAMED)

while [[ $# -gt 0 ]]; do
	case "$1" in
		--jdk) JDK="${2:?--jdk needs a value}"; shift 2 ;;
		--mode)
			case "${2:-}" in
				event-loop|thread-per-connection) MODES+=("$2") ;;
				*) echo "--mode needs event-loop or thread-per-connection" >&2; exit 2 ;;
			esac
			shift 2 ;;
		--java-opt) JAVA_OPTS+=("${2:?--java-opt needs a value}"); shift 2 ;;
		--no-build) BUILD=false; shift ;;
		--quick) QUICK=true; shift ;;
		--reps) REPS="${2:?--reps needs a value}"; shift 2 ;;
		--connections) CONNECTIONS="${2:?--connections needs a value}"; shift 2 ;;
		--no-throughput) RUN_THROUGHPUT=false; shift ;;
		--no-scale) RUN_SCALE=false; shift ;;
		--no-profile) PROFILE=false; shift ;;
		--no-install) INSTALL=false; shift ;;
		--out) OUT="${2:?--out needs a value}"; shift 2 ;;
		--keep) KEEP=true; shift ;;
		-h|--help) usage; exit 0 ;;
		*) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
	esac
done

(( ${#MODES[@]} > 0 )) || MODES=(event-loop thread-per-connection)

# Request counts: each timed test takes a few seconds on a 2-CPU machine.
if $QUICK; then
	N_P1=50000; N_P16=500000; N_K0=10000
	W_P1=20000; W_P16=200000; W_K0=2000
	N_SCALE_BENCH=20000
	: "${REPS:=1}"; : "${CONNECTIONS:=2000}"
else
	N_P1=200000; N_P16=2000000; N_K0=50000
	W_P1=100000; W_P16=500000; W_K0=10000
	N_SCALE_BENCH=100000
	: "${REPS:=3}"; : "${CONNECTIONS:=10000}"
fi
PROFILE_SECONDS=10
CLIENTS=50
# A test takes a few seconds; one that runs this long has stalled (the server stopped answering).
BENCH_TIMEOUT=60
# After this many failed or stalled redis-benchmark runs, the rest of the throughput phase is skipped.
MAX_FAILURES=2
FAILURES=()

# shellcheck source=common.sh
source benchmarks/load/common.sh

# ---------------------------------------------------------------- tools
missing_packages() {
	local packages=()
	command -v redis-server >/dev/null || packages+=(redis-server)
	{ command -v redis-benchmark >/dev/null && command -v redis-cli >/dev/null; } || packages+=(redis-tools)
	command -v python3 >/dev/null || packages+=(python3)
	echo "${packages[@]}"
}
MISSING=$(missing_packages)
if [[ -n "$MISSING" ]]; then
	if $INSTALL && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
		log "Installing $MISSING with apt-get"
		apt-get update -qq
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $MISSING >/dev/null
		MISSING=$(missing_packages)
	fi
	if [[ -n "$MISSING" ]]; then
		echo "Missing: $MISSING. Install with: apt-get install -y $MISSING" >&2
		exit 3
	fi
fi
for tool in timeout awk sort mktemp; do
	command -v "$tool" >/dev/null || { echo "Missing: $tool (coreutils/gawk)" >&2; exit 3; }
done

# ---------------------------------------------------------------- JDK
resolve_java
JDK_BIN=$(dirname "$JAVA")
JCMD="$JDK_BIN/jcmd"
JFR_TOOL="$JDK_BIN/jfr"
[[ -x "$JCMD" ]] || fail "$JCMD not found: a full JDK is needed (jcmd measures the heap)"
JAVA_FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')

# ---------------------------------------------------------------- limits
WANTED_FILES=65536
if ulimit -n "$WANTED_FILES" 2>/dev/null; then
	LIMIT_NOTE="open-file limit raised to $WANTED_FILES"
else
	HARD=$(ulimit -Hn)
	ulimit -n "$HARD" 2>/dev/null || true
	LIMIT_NOTE="cannot raise the open-file limit to $WANTED_FILES (hard limit $HARD, no permission); using $(ulimit -n)"
fi
FILE_LIMIT=$(ulimit -n)
if [[ "$FILE_LIMIT" != unlimited ]] && (( CONNECTIONS + 500 > FILE_LIMIT )); then
	NEW=$(( FILE_LIMIT - 500 ))
	LIMIT_NOTE="$LIMIT_NOTE; idle connections reduced from $CONNECTIONS to $NEW to fit it"
	CONNECTIONS=$NEW
fi

# ---------------------------------------------------------------- work directory and cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/glide-load.XXXXXX")
if [[ -z "$OUT" ]]; then
	OUT=$(mktemp "${TMPDIR:-/tmp}/glide-load-results-$(date +%Y%m%d-%H%M%S).XXXXXX")
	mv "$OUT" "$OUT.md"
	OUT="$OUT.md"
fi
: > "$OUT"
exec 8>&2 # the original stderr, for cleanup
declare -A APP_PIDS=() GLIDE_SOCKS=()
APP_PID=""
GLIDE_SOCK=""
TARGET_LABEL=""
REDIS_PID=""
HOLD_PID=""
CHILD_PID=""

cleanup() {
	local status=$?
	trap - EXIT INT TERM
	# A signal may arrive inside a redirected command (run_child > file): report to the real stderr.
	exec 2>&8
	stop_pid "$CHILD_PID" 2
	stop_pid "${PERF_PID:-}" 5
	stop_pid "$HOLD_PID" 5
	local pid
	for pid in "${APP_PIDS[@]}"; do
		stop_pid "$pid" 20
		rm -f "/tmp/perf-$pid.map"
	done
	stop_pid "$REDIS_PID" 5
	if (( status != 0 )); then
		for file in "$WORK"/app-*.log "$WORK"/redis.log "$WORK"/bench.err "$WORK"/hold.err; do
			[[ -s "$file" ]] || continue
			log "last lines of $(basename "$file"):"
			tail -n 15 "$file" >&2
		done
	fi
	if $KEEP; then
		log "work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
	[[ -s "$OUT" ]] && log "results: $OUT"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs a command in the background and waits for it, so that a signal reaches the trap at once.
run_child() {
	"$@" 8>&- &
	CHILD_PID=$!
	local status=0
	wait "$CHILD_PID" || status=$?
	CHILD_PID=""
	return "$status"
}

# ---------------------------------------------------------------- build and start
JAR=sample-app/target/sample-app-0.1.0-SNAPSHOT.jar
if $BUILD; then
	log "Building the sample app (./mvnw -B -q -pl sample-app -am package -DskipTests)"
	run_child ./mvnw -B -q -pl sample-app -am package -DskipTests
fi
[[ -f "$JAR" ]] || fail "$JAR not found; run without --no-build"
# A private copy: other builds on this machine may rewrite target/ while we run.
cp "$JAR" "$WORK/sample-app.jar"

log "Starting redis-server"
REDIS_SOCK="$WORK/redis.sock"
REDIS_ARGS=(--port 0 --unixsocket "$REDIS_SOCK" --unixsocketperm 700 --save '' --appendonly no
	--daemonize no --maxclients $(( CONNECTIONS + 1000 )))
redis-server "${REDIS_ARGS[@]}" > "$WORK/redis.log" 2>&1 8>&- &
REDIS_PID=$!

# app_args MODE: the sample app's arguments for one connection mode.
app_args() {
	APP_ARGS=(--glide.socket.path="$WORK/glide-$1.sock" --server.port=0 --glide.socket.max-connections=20000
		--sample.resp.connection-mode="$1")
}
for mode in "${MODES[@]}"; do
	app_args "$mode"
	log "Starting the sample app ($mode) on $JAVA_VERSION"
	"$JAVA" "${JAVA_OPTS[@]}" -jar "$WORK/sample-app.jar" "${APP_ARGS[@]}" > "$WORK/app-$mode.log" 2>&1 8>&- &
	APP_PIDS[$mode]=$!
	GLIDE_SOCKS[$mode]="$WORK/glide-$mode.sock"
done
# use_target NAME: sets sock, pid and TARGET_LABEL for a connection mode or for redis.
use_target() {
	TARGET_LABEL=$1
	if [[ $1 == redis ]]; then
		sock=$REDIS_SOCK; pid=$REDIS_PID; TARGET_LABEL="redis-server"
	else
		sock=${GLIDE_SOCKS[$1]}; pid=${APP_PIDS[$1]}; APP_PID=$pid; GLIDE_SOCK=$sock
	fi
}

for (( i = 0; i < 100; i++ )); do
	[[ "$(redis-cli -s "$REDIS_SOCK" ping 2>/dev/null)" == PONG ]] && break
	kill -0 "$REDIS_PID" 2>/dev/null || fail "redis-server exited"
	sleep 0.1
done
[[ "$(redis-cli -s "$REDIS_SOCK" ping 2>/dev/null)" == PONG ]] || fail "redis-server did not answer"
for mode in "${MODES[@]}"; do
	for (( i = 0; i < 1800; i++ )); do
		grep -q "Key-value service listening on" "$WORK/app-$mode.log" && break
		kill -0 "${APP_PIDS[$mode]}" 2>/dev/null || fail "the sample app ($mode) exited"
		sleep 0.1
	done
	grep -q "Key-value service listening on" "$WORK/app-$mode.log" || fail "the sample app ($mode) did not become ready in 180 s"
	[[ "$(redis-cli -s "${GLIDE_SOCKS[$mode]}" ping)" == PONG ]] || fail "the sample app ($mode) does not answer PING"
done

VM_FLAGS=$("$JCMD" "${APP_PIDS[${MODES[0]}]}" VM.flags 2>/dev/null | tail -n 1 || true)
GC_NAME=$(grep -oE 'Use[A-Za-z0-9]+GC' <<<"$VM_FLAGS" | head -n 1 || true)
MAX_HEAP=$(grep -oE -- '-XX:MaxHeapSize=[0-9]+' <<<"$VM_FLAGS" | head -n 1 | cut -d= -f2 || true)
START_SECONDS=$SECONDS

# Shows a command line with <tmp> for the work directory, quoting empty and spaced arguments.
show() { local arg out=""; for arg in "$@"; do arg=${arg//$WORK/<tmp>}; [[ -z "$arg" || "$arg" == *" "* ]] && arg="'$arg'"; out+="${out:+ }$arg"; done; echo "$out"; }

say "# glide-socket listener load: sample app vs redis-server"
say ""
say "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
say "- ours: sample app on glide-socket, $JAVA_VERSION, one process per connection mode (each idle while another target is measured):"
for mode in "${MODES[@]}"; do
	app_args "$mode"
	say "  - $mode: \`$(show java "${JAVA_OPTS[@]}" -jar sample-app.jar "${APP_ARGS[@]}")\`"
done
say "  (JVM defaults otherwise: ${GC_NAME:-?}, max heap $(( ${MAX_HEAP:-0} / 1048576 )) MB)"
say "- redis-server: $(redis-server --version | awk '{print $3}' | sed 's/v=//'), \`$(show redis-server "${REDIS_ARGS[@]}")\`"
say "- client: $(redis-benchmark --version 2>/dev/null | awk '{print $1, $2}'), -c $CLIENTS, -q --csv; $REPS repetition(s) per target, alternating; median shown"
say "- $LIMIT_NOTE"
say ""

# ---------------------------------------------------------------- helpers
CLK_TCK=$(getconf CLK_TCK)

# bench NAME SOCKET PID REDIS-BENCHMARK-ARGS...
# Writes "rps p50_ms p99_ms server_cpu_us_per_request user_share context_switches_per_request"
# to $WORK/bench.result.
bench() {
	local name=$1 socket=$2 pid=$3
	shift 3
	local delta requests=0 args=("$@") i
	for (( i = 0; i < ${#args[@]}; i++ )); do
		[[ "${args[i]}" == -n ]] && requests=${args[i+1]}
	done
	python3 benchmarks/load/proc_stats.py snapshot "$pid" "$WORK/stats.before"
	local status=0 what
	run_child timeout "$BENCH_TIMEOUT" redis-benchmark -s "$socket" -q --csv "$@" > "$WORK/bench.csv" 2> "$WORK/bench.err" || status=$?
	if (( status != 0 )); then
		# The server stopped answering or dropped connections: record it and go on.
		if (( status == 124 )); then
			what="stalled: had not finished after $BENCH_TIMEOUT s"
		else
			what="failed (exit $status): $(grep -v WARNING "$WORK/bench.err" | tail -n 1)"
		fi
		FAILURES+=("$name, $TARGET_LABEL, \`redis-benchmark $*\`: $what")
		log "redis-benchmark $* $what"
		echo "0 0 0 0 0 0" > "$WORK/bench.result"
		return 0
	fi
	python3 benchmarks/load/proc_stats.py snapshot "$pid" "$WORK/stats.after"
	delta=$(python3 benchmarks/load/proc_stats.py total "$WORK/stats.before" "$WORK/stats.after")
	awk -F'","' -v delta="$delta" -v tck="$CLK_TCK" -v n="$requests" '
		NR == 1 { next }
		{ gsub(/"/, ""); line = $0 }
		END {
			split(line, f, ",")
			if (f[2] + 0 <= 0) { exit 1 }
			split(delta, d, "\t")
			user = d[1]; sys = d[2]
			cpu = (user + sys) / tck * 1e6 / n
			share = (user + sys > 0) ? user / (user + sys) : 0
			printf "%.0f %s %s %.1f %.2f %.2f\n", f[2], f[5], f[7], cpu, share, d[3] / n
		}' "$WORK/bench.csv" > "$WORK/bench.result" || fail "cannot parse redis-benchmark output: $(cat "$WORK/bench.csv")"
}

count_lines() { if [[ -f "$1" ]]; then wc -l < "$1"; else echo 0; fi; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print 0 } else if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'; }

heap_used_mb() { # pid -> heap used after a full GC, in MB
	"$JCMD" "$1" GC.run > /dev/null
	local info
	info=$("$JCMD" "$1" GC.heap_info)
	grep -oE 'used [0-9]+K' <<<"$info" | awk 'NR == 1 { printf "%.1f", $2 / 1024 }'
}
# histogram_diff BEFORE AFTER CONNECTIONS: the classes whose heap use grew most, per connection.
histogram_diff() {
	python3 - "$@" <<'PY'
import re, sys
def read(path):
    sizes = {}
    for line in open(path):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            sizes[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return sizes
before, after, n = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3])
rows = []
for cls, (count, size) in after.items():
    count0, size0 = before.get(cls, (0, 0))
    rows.append((size - size0, count - count0, cls))
rows.sort(reverse=True)
total = sum(r[0] for r in rows)
print("%12s %12s %10s %10s  %s" % ("bytes +", "instances +", "B/conn", "inst/conn", "class"))
for size, count, cls in rows[:12]:
    print("%12d %12d %10.0f %10.2f  %s" % (size, count, size / n, count / n, cls))
print("%12d %12s %10.0f %10s  %s" % (total, "", total / n, "", "(all classes)"))
PY
}
proc_status() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; } # pid key

# Tests: name | group | redis-benchmark arguments
TESTS=(
	"PING_MBULK -P 1|p1|-t ping_mbulk -c $CLIENTS -P 1 -n $N_P1"
	"SET -P 1|p1|-t set -c $CLIENTS -P 1 -n $N_P1"
	"GET -P 1|p1|-t get -c $CLIENTS -P 1 -n $N_P1"
	"PING_MBULK -P 16|p16|-t ping_mbulk -c $CLIENTS -P 16 -n $N_P16"
	"SET -P 16|p16|-t set -c $CLIENTS -P 16 -n $N_P16"
	"GET -P 16|p16|-t get -c $CLIENTS -P 16 -n $N_P16"
	"PING_MBULK -k 0 (new connection per request)|k0|-t ping_mbulk -c $CLIENTS -k 0 -n $N_K0"
)
target_for() { case "$1" in p1) echo 0.8 ;; p16) echo 0.6 ;; k0) echo 0.8 ;; esac; }
MISSED_GROUPS=()
declare -A OURS_MEDIAN=()

# ---------------------------------------------------------------- throughput
if $RUN_THROUGHPUT; then
	log "Warming up (untimed)"
	for target in "${MODES[@]}" redis; do
		use_target "$target"
		if [[ $target == redis ]]; then scale=4; else scale=1; fi
		bench warm "$sock" "$pid" -t ping_mbulk,set,get -c $CLIENTS -P 1 -n $(( W_P1 / scale ))
		bench warm "$sock" "$pid" -t ping_mbulk,set,get -c $CLIENTS -P 16 -n $(( W_P16 / scale ))
		bench warm "$sock" "$pid" -t ping_mbulk -c $CLIENTS -k 0 -n $(( W_K0 / scale ))
	done

	mkdir -p "$WORK/results"
	for (( rep = 1; rep <= REPS; rep++ )); do
		for (( t = 0; t < ${#TESTS[@]}; t++ )); do
			if (( ${#FAILURES[@]} >= MAX_FAILURES )); then
				log "$MAX_FAILURES failed runs: skipping the rest of the throughput phase"
				break 2
			fi
			IFS='|' read -r name group args <<<"${TESTS[t]}"
			# Which target goes first rotates with the repetition and the test.
			targets=("${MODES[@]}" redis)
			first=$(( (rep + t) % ${#targets[@]} ))
			order=("${targets[@]:first}" "${targets[@]:0:first}")
			for target in "${order[@]}"; do
				use_target "$target"
				# shellcheck disable=SC2086
				bench "$name" "$sock" "$pid" $args
				result=$(cat "$WORK/bench.result")
				if [[ $result == "0 "* ]]; then
					echo "$rep" >> "$WORK/results/$t.$target.failed"
				else
					echo "$result" >> "$WORK/results/$t.$target"
				fi
				log "rep $rep/$REPS  $(printf '%-44s %-21s' "$name" "$target") $(awk '{ printf "%9d req/s  p50 %s ms  p99 %s ms  server CPU %s us/req", $1, $2, $3, $4 }' <<<"$result")"
			done
		done
	done

	say "## Throughput"
	say ""
	say "| test | ours: connection mode | ours req/s | redis-server req/s | ours/redis | target | met |"
	say "| --- | --- | ---: | ---: | ---: | ---: | --- |"
	DETAILS=()
	for (( t = 0; t < ${#TESTS[@]}; t++ )); do
		IFS='|' read -r name group args <<<"${TESTS[t]}"
		for mode in "${MODES[@]}"; do
			failed_ours=$(count_lines "$WORK/results/$t.$mode.failed")
			failed_redis=$(count_lines "$WORK/results/$t.redis.failed")
			failed_note=""
			(( failed_ours > 0 )) && failed_note+=" ours: $failed_ours run(s) failed"
			(( failed_redis > 0 )) && failed_note+=" redis-server: $failed_redis run(s) failed"
			if [[ ! -s "$WORK/results/$t.$mode" || ! -s "$WORK/results/$t.redis" ]]; then
				if [[ -n "$failed_note" ]]; then
					say "| $name | $mode | $([[ -s "$WORK/results/$t.$mode" ]] && echo "?" || echo failed) | $([[ -s "$WORK/results/$t.redis" ]] && echo "?" || echo failed) | | ≥ $(target_for "$group") | no ($failed_note) |"
					[[ " ${MISSED_GROUPS[*]} " != *" $mode:$group "* ]] && MISSED_GROUPS+=("$mode:$group")
				else
					say "| $name | $mode | not run | not run | | ≥ $(target_for "$group") | |"
				fi
				continue
			fi
			ours=$(cut -d' ' -f1 "$WORK/results/$t.$mode" | median)
			redis=$(cut -d' ' -f1 "$WORK/results/$t.redis" | median)
			OURS_MEDIAN[$mode:$t]=$ours
			ratio=$(awk -v a="$ours" -v b="$redis" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
			target=$(target_for "$group")
			met=$(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r >= t) ? "yes" : "no" }')
			[[ -n "$failed_note" ]] && met="no (${failed_note# })"
			if [[ $met != yes && " ${MISSED_GROUPS[*]} " != *" $mode:$group "* ]]; then MISSED_GROUPS+=("$mode:$group"); fi
			say "| $name | $mode | $(printf '%.0f' "$ours") | $(printf '%.0f' "$redis") | $ratio | ≥ $target | $met |"
			col() { cut -d' ' -f"$1" "$WORK/results/$t.$2" | median; }
			reps() {
				{
					cut -d' ' -f1 "$WORK/results/$t.$1"
					if [[ -f "$WORK/results/$t.$1.failed" ]]; then sed 's/.*/failed/' "$WORK/results/$t.$1.failed"; fi
				} | paste -sd/
			}
			DETAILS+=("| $name | $mode | $(col 2 "$mode") | $(col 2 redis) | $(col 3 "$mode") | $(col 3 redis) | $(col 4 "$mode") ($(col 5 "$mode")) | $(col 4 redis) ($(col 5 redis)) | $(col 6 "$mode") | $(col 6 redis) | $(reps "$mode") | $(reps redis) |")
		done
	done
	say ""
	say "Details (medians; latency as redis-benchmark reports it; server CPU: user+system CPU time of the server"
	say "process per request, user share in parentheses; cs/req: the server's context switches per request;"
	say "then every repetition's req/s; medians leave failed runs out):"
	say ""
	say "| test | ours: mode | ours p50 ms | redis p50 ms | ours p99 ms | redis p99 ms | ours CPU us/req | redis CPU us/req | ours cs/req | redis cs/req | ours req/s per rep | redis req/s per rep |"
	say "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
	for line in "${DETAILS[@]}"; do say "$line"; done
	say ""
	say "Load average after the throughput phase: $(cut -d' ' -f1-3 /proc/loadavg)"
	say ""
fi

# ---------------------------------------------------------------- profiles of missed targets
PERF_PID=""
perf_usable() { command -v perf >/dev/null && perf stat -e task-clock -- true >/dev/null 2>&1; }

# profile_test INDEX MODE: record JFR (and perf when it works) of the sample app under one test's load.
profile_test() {
	local t=$1 mode=$2 name group args rps n sock pid
	use_target "$mode"
	IFS='|' read -r name group args <<<"${TESTS[t]}"
	rps=${OURS_MEDIAN[$mode:$t]:-0}
	if awk -v r="$rps" 'BEGIN { exit !(r < 1000) }'; then
		say "### $name, $mode: not profiled (no throughput measured, see the failed runs)"
		say ""
		return 0
	fi
	n=$(awk -v r="$rps" -v s="$PROFILE_SECONDS" 'BEGIN { printf "%d", r * s }')
	args=$(sed -E "s/-n [0-9]+/-n $n/" <<<"$args")
	log "Profiling ours ($mode) under $name ($n requests)"
	python3 benchmarks/load/proc_stats.py snapshot "$APP_PID" "$WORK/threads.before"
	"$JCMD" "$APP_PID" JFR.start name=glideload settings="$WORK/profile.jfc" > /dev/null
	local perf=false
	if perf_usable; then
		perf=true
		perf record -q -F 999 -p "$APP_PID" -o "$WORK/$mode-$group.perf" > /dev/null 2>&1 8>&- &
		PERF_PID=$!
	fi
	# shellcheck disable=SC2086
	bench profile "$GLIDE_SOCK" "$APP_PID" $args
	if $perf; then
		kill -INT "$PERF_PID" 2>/dev/null || true
		wait "$PERF_PID" 2>/dev/null || true
		PERF_PID=""
	fi
	python3 benchmarks/load/proc_stats.py snapshot "$APP_PID" "$WORK/threads.after"
	"$JCMD" "$APP_PID" JFR.dump name=glideload filename="$WORK/$mode-$group.jfr" > /dev/null
	"$JCMD" "$APP_PID" JFR.stop name=glideload > /dev/null

	if [[ $(cut -d' ' -f1 "$WORK/bench.result") == 0 ]]; then
		say "### $name, $mode: the load failed while profiled (see the failed runs); no profile shown"
		say ""
		return 0
	fi
	say "### $name, $mode ($n requests, $(cut -d' ' -f1 "$WORK/bench.result") req/s while profiled)"
	say ""
	say "CPU and context switches per request by thread group (threads alive at the end; names as the kernel keeps them, 15 characters):"
	say ""
	say '```'
	python3 benchmarks/load/proc_stats.py groups "$WORK/threads.before" "$WORK/threads.after" \
		| awk -F'\t' -v n="$n" -v tck="$CLK_TCK" '
			($2 + $3) / tck * 1e6 / n >= 0.05 || $4 / n >= 0.01 {
				printf "CPU %7.1f us/req (user %5.1f, system %5.1f)  cs/req %6.2f  %s (%d threads)\n", ($2 + $3) / tck * 1e6 / n, $2 / tck * 1e6 / n, $3 / tck * 1e6 / n, $4 / n, $1, $5
			}' \
		| sort -k2 -rn > "$WORK/threads.txt"
	tee -a "$OUT" < "$WORK/threads.txt"
	say '```'
	say ""
	say "JFR (execution samples, native-method samples, exceptions thrown):"
	say ""
	say '```'
	"$JFR_TOOL" print --events jdk.ExecutionSample,jdk.NativeMethodSample,jdk.JavaExceptionThrow --stack-depth 64 \
		"$WORK/$mode-$group.jfr" | python3 benchmarks/load/jfr_top.py --requests "$n" | tee -a "$OUT"
	say '```'
	say ""
	if $perf && [[ -s "$WORK/$mode-$group.perf" ]]; then
		# Names for JIT-compiled code (JDK 17+), read by perf report from the temporary directory.
		"$JCMD" "$APP_PID" Compiler.perfmap > /dev/null 2>&1 || true
		say "perf (CPU samples of the whole process, 999 Hz): by binary, then the top symbols:"
		say ""
		say '```'
		perf report -i "$WORK/$mode-$group.perf" --stdio --no-children --sort dso > "$WORK/perf.dso" 2>/dev/null || true
		perf report -i "$WORK/$mode-$group.perf" --stdio --no-children --sort dso,sym > "$WORK/perf.sym" 2>/dev/null || true
		grep -E '^ +[0-9]' "$WORK/perf.dso" | sed -E 's/libtmp[0-9]+//; s/ +$//' | awk 'NR <= 8' | tee -a "$OUT"
		say ""
		grep -E '^ +[0-9]' "$WORK/perf.sym" | sed -E 's/libtmp[0-9]+//; s/ +$//' | cut -c1-160 | awk 'NR <= 25' | tee -a "$OUT"
		say '```'
		say ""
		rm -f "/tmp/perf-$APP_PID.map"
	fi
}

if $PROFILE && (( ${#MISSED_GROUPS[@]} > 0 )) && [[ -x "$JFR_TOOL" ]]; then
	say "## Profiles of the sample app for missed targets"
	say ""
	say "While one test's load runs for about $PROFILE_SECONDS s: JFR with the 'profile' settings plus"
	say "jdk.JavaExceptionThrow. Java samples are threads running Java code; time inside system calls"
	say "(read, write, accept) and JNI code is not in them. Native samples are threads inside native"
	say "methods, running or blocked. perf, where it works, samples CPU time of every kind."
	say ""
	# The JDK's profile settings with exception events on.
	sed -E '/<event name="jdk.JavaExceptionThrow">/,/<\/event>/ s/(<setting name="enabled"[^>]*>)false/\1true/' \
		"$(dirname "$JDK_BIN")/lib/jfr/profile.jfc" > "$WORK/profile.jfc"
	for missed in "${MISSED_GROUPS[@]}"; do
		case "${missed#*:}" in
			p1) profile_test 2 "${missed%%:*}" ;;   # GET -P 1
			p16) profile_test 5 "${missed%%:*}" ;;  # GET -P 16
			k0) profile_test 6 "${missed%%:*}" ;;
		esac
	done
fi

# ---------------------------------------------------------------- connection scale
# scale_run LABEL SOCKET PID
scale_run() {
	local label=$1 socket=$2 pid=$3 heap0="" heap="" hist=""
	rm -f "$WORK/hold.ready" "$WORK/hold.stop" "$WORK/hold.json"
	if [[ $label == ours* ]]; then
		heap0=$(heap_used_mb "$pid")
		"$JCMD" "$pid" GC.class_histogram > "$WORK/histogram.before"
	fi
	local rss0 threads0
	rss0=$(proc_status "$pid" VmRSS)
	threads0=$(proc_status "$pid" Threads)
	log "Opening $CONNECTIONS idle connections to $label"
	python3 benchmarks/load/hold_connections.py --socket "$socket" --connections "$CONNECTIONS" \
		--probes 8 --pings 2000 --out "$WORK/hold.json" --ready "$WORK/hold.ready" --stop "$WORK/hold.stop" \
		--timeout 300 > "$WORK/hold.out" 2> "$WORK/hold.err" 8>&- &
	HOLD_PID=$!
	local i
	for (( i = 0; i < 2400; i++ )); do
		[[ -f "$WORK/hold.ready" ]] && break
		kill -0 "$HOLD_PID" 2>/dev/null || break
		sleep 0.1
	done
	if [[ ! -f "$WORK/hold.ready" ]]; then
		stop_pid "$HOLD_PID" 2; HOLD_PID=""
		say "| $label | failed: $(tail -n 1 "$WORK/hold.err") | | | | | | | | |"
		return 0
	fi
	local served rss threads bench_result mem_note=""
	if [[ $label == ours* ]]; then
		served=$(redis-cli -s "$socket" info glidesocket | tr -d '\r' | awk -F: '$1 == "connections" { print $2 }')
		heap=$(heap_used_mb "$pid")
		"$JCMD" "$pid" GC.class_histogram > "$WORK/histogram.held"
		hist=$(histogram_diff "$WORK/histogram.before" "$WORK/histogram.held" "$CONNECTIONS")
	else
		served=$(redis-cli -s "$socket" info clients | tr -d '\r' | awk -F: '$1 == "connected_clients" { print $2 }')
		mem_note=$(redis-cli -s "$socket" info memory | tr -d '\r' | awk -F: '$1 == "used_memory" { printf "%.1f", $2 / 1048576 }')
	fi
	rss=$(proc_status "$pid" VmRSS)
	threads=$(proc_status "$pid" Threads)
	TARGET_LABEL=$label
	bench scale "$socket" "$pid" -t ping_mbulk -c $CLIENTS -P 1 -n "$N_SCALE_BENCH"
	bench_result=$(cat "$WORK/bench.result")
	touch "$WORK/hold.stop"
	local hold_status=0
	wait "$HOLD_PID" || hold_status=$?
	HOLD_PID=""
	python3 - "$WORK/hold.json" "$label" "$served" "$heap0" "$heap" "$mem_note" "$rss0" "$rss" "$threads0" "$threads" "$bench_result" "$hold_status" <<'PY' | tee -a "$OUT"
import json, sys
path, label, served, heap0, heap, redis_mem, rss0, rss, threads0, threads, bench, status = sys.argv[1:]
r = json.load(open(path))
rps, p50, p99 = bench.split()[:3]
before, held = r["latency_before"], r["latency_held"]
mem = ("%s (%s)" % (heap, heap0)) if heap else ("n/a (redis used_memory %s MB)" % redis_mem)
alive = r.get("alive_after_hold", "?") + ("" if status == "0" else " (exit %s)" % status)
print("| %s | %d (server counts %s) | %.1f s | %s | %.0f (%.0f) | %s (%s) | %s / %s | %s / %s | %s req/s, p50 %s / p99 %s ms | %s |" % (
    label, r["held"], served, r.get("open_seconds", 0), mem, int(rss) / 1024, int(rss0) / 1024, threads, threads0,
    before["p50_us"], before["p99_us"], held["p50_us"], held["p99_us"], rps, p50, p99, alive))
PY
	if [[ -n "$hist" ]]; then
		SCALE_HEAP[$label]=$heap
		SCALE_HISTOGRAM[$label]=$hist
		SCALE_HEAP_DELTA[$label]=$(awk -v a="$heap" -v b="$heap0" -v n="$CONNECTIONS" 'BEGIN { printf "%.1f", (a - b) * 1024 / n }')
	fi
}

if $RUN_SCALE; then
	say "## Connection scale: $CONNECTIONS idle connections"
	say ""
	say "Each idle connection answered one PING before being counted. Latency: 2,000 PINGs, one at a time,"
	say "round-robin over 8 extra connections (python3 client, includes its overhead), before the idle"
	say "connections were opened and while they are held; then redis-benchmark -c $CLIENTS -n $N_SCALE_BENCH PING_MBULK while held."
	say "Heap: used after \`jcmd GC.run\` (\`GC.heap_info\`). Alive: idle connections that still answer after the measurements."
	say ""
	say "| target | idle connections held | time to open | heap MB after GC (before) | RSS MB (before) | threads (before) | PING p50 / p99 us before | PING p50 / p99 us held | redis-benchmark while held | alive |"
	say "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
	declare -A SCALE_HISTOGRAM=() SCALE_HEAP=() SCALE_HEAP_DELTA=()
	for mode in "${MODES[@]}"; do
		scale_run "ours ($mode)" "${GLIDE_SOCKS[$mode]}" "${APP_PIDS[$mode]}"
	done
	scale_run redis-server "$REDIS_SOCK" "$REDIS_PID"
	say ""
	for mode in "${MODES[@]}"; do
		label="ours ($mode)"
		[[ -n "${SCALE_HEAP_DELTA[$label]:-}" ]] || continue
		HEAP_TARGET_MET=$(awk -v h="${SCALE_HEAP[$label]}" 'BEGIN { print (h + 0 < 256) ? "yes" : "no" }')
		say "Heap growth per idle connection, $label: ${SCALE_HEAP_DELTA[$label]} KB. Target: heap < 256 MB after GC with $CONNECTIONS idle connections: $HEAP_TARGET_MET."
		say ""
		say "Heap growth by class while the idle connections are held, $label (\`jcmd GC.class_histogram\` before and with them held):"
		say ""
		say '```'
		say "${SCALE_HISTOGRAM[$label]}"
		say '```'
		say ""
	done
fi

if (( ${#FAILURES[@]} > 0 )); then
	say "## Failed runs"
	say ""
	say "redis-benchmark runs that stalled (stopped after $BENCH_TIMEOUT s) or ended with an error; recorded as 0 req/s:"
	say ""
	for failure in "${FAILURES[@]}"; do say "- $failure"; done
	say ""
fi
for mode in "${MODES[@]}"; do
	if grep -q " WARN " "$WORK/app-$mode.log"; then
		say "## Warnings in the sample app's log ($mode)"
		say ""
		say "Counted, numbers replaced by N; under each, the exception and its first frames:"
		say ""
		say '```'
		python3 - "$WORK/app-$mode.log" "$WORK" <<'PY' | tee -a "$OUT"
import collections, re, sys
lines = open(sys.argv[1], errors="replace").read().splitlines()
counts = collections.Counter()
for i, line in enumerate(lines):
    if " WARN " not in line:
        continue
    message = line.split(" : ", 1)[-1].replace(sys.argv[2], "<tmp>")
    message = re.sub(r"\d+", "N", message)
    cause = []
    for follow in lines[i + 1:i + 8]:
        if re.match(r"^[\w.$]+(Exception|Error)\b", follow) or (cause and follow.lstrip().startswith("at ")):
            cause.append(re.sub(r" ~\[.*", "", follow.strip()))
        if len(cause) == 3 or " WARN " in follow or " INFO " in follow:
            break
    counts[(message, " / ".join(cause))] += 1
for (message, cause), n in counts.most_common(6):
    print("%6d x %s" % (n, message))
    if cause:
        print("         %s" % cause)
PY
		say '```'
		say ""
	fi
done
say "Run time: $(( SECONDS / 60 )) min $(( SECONDS % 60 )) s (benchmarks $(( SECONDS - START_SECONDS )) s). Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
log "Done. Results: $OUT"

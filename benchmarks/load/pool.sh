#!/usr/bin/env bash
# Socket pool benchmark: the sample application with glide.socket.pool-size=2 against the same
# application with one socket, both under redis-benchmark -k 0 (a new connection per request), in
# the same run. See benchmarks/README.md, "Socket pool benchmark", and --help.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=common.sh
source benchmarks/load/common.sh

usage() {
	cat <<'EOF'
Usage: benchmarks/load/pool.sh [options]

Starts two sample apps: "pool of 2" (glide.socket.pool-size=2: sockets kv-0.sock and kv-1.sock)
and "pool of 1" (one socket, kv.sock). Each is measured with two redis-benchmark processes
running at once, as two clients of a pool would run: against a pool of 2, one per member; against
a pool of 1, both on its one socket. Every request opens a new connection (-k 0), so the sockets'
accept paths are what is measured. Targets alternate; the total rate of each pair is compared.

Options:
  --jdk N|DIR       JDK that runs the sample apps: a feature version found under /usr/lib/jvm
                    (17, 25, ...) or a JDK home. Default: the 'java' on PATH.
  --mode M          Connection mode of both apps: event-loop (default) or thread-per-connection.
  --no-build        Use the existing sample-app/target jar instead of building it.
  --quick           Smoke run: 1 repetition, 5,000 requests per process.
  --reps N          Repetitions per target (default 5; median reported).
  --requests N      Requests per redis-benchmark process (default 30000).
  --clients N       Connections per redis-benchmark process at once (default 25).
  --out FILE        Write the results (markdown) to FILE. Default: a new temporary file.
  --keep            Keep the work directory (logs) and print its path.
  -h, --help        This text.
EOF
}

JDK=""
MODE=event-loop
BUILD=true
QUICK=false
REPS=""
REQUESTS=""
CLIENTS=25
OUT=""
KEEP=false

while [[ $# -gt 0 ]]; do
	case "$1" in
		--jdk) JDK="${2:?--jdk needs a value}"; shift 2 ;;
		--mode) MODE=$(connection_mode "${2:-}") || exit 2; shift 2 ;;
		--no-build) BUILD=false; shift ;;
		--quick) QUICK=true; shift ;;
		--reps) REPS="${2:?--reps needs a value}"; shift 2 ;;
		--requests) REQUESTS="${2:?--requests needs a value}"; shift 2 ;;
		--clients) CLIENTS="${2:?--clients needs a value}"; shift 2 ;;
		--out) OUT="${2:?--out needs a value}"; shift 2 ;;
		--keep) KEEP=true; shift ;;
		-h|--help) usage; exit 0 ;;
		*) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
	esac
done

if $QUICK; then
	: "${REPS:=1}"; : "${REQUESTS:=5000}"
else
	: "${REPS:=5}"; : "${REQUESTS:=30000}"
fi
WARMUP=$(( REQUESTS / 2 ))
# A pair takes a few seconds; one that runs this long has stalled.
BENCH_TIMEOUT=120


for tool in redis-benchmark redis-cli timeout awk sort mktemp; do
	command -v "$tool" >/dev/null || { echo "Missing: $tool (apt-get install -y redis-tools coreutils gawk)" >&2; exit 3; }
done

# ---------------------------------------------------------------- JDK
resolve_java

# ---------------------------------------------------------------- work directory and cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/glide-pool.XXXXXX")
if [[ -z "$OUT" ]]; then
	OUT=$(mktemp "${TMPDIR:-/tmp}/glide-pool-results-$(date +%Y%m%d-%H%M%S).XXXXXX")
	mv "$OUT" "$OUT.md"
	OUT="$OUT.md"
fi
: > "$OUT"
declare -A APP_PIDS=()
BENCH_PIDS=()

cleanup() {
	local status=$?
	trap - EXIT INT TERM
	local pid
	for pid in "${BENCH_PIDS[@]}"; do
		stop_pid "$pid" 2
	done
	for pid in "${APP_PIDS[@]}"; do
		stop_pid "$pid" 20
	done
	if (( status != 0 )); then
		for file in "$WORK"/app-*.log "$WORK"/bench-*.err; do
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

# ---------------------------------------------------------------- build and start
sample_jar "$BUILD" "$WORK"

# The sockets of each target: a pool of 2 has two members, a pool of 1 one socket that both
# redis-benchmark processes share.
mkdir -p "$WORK/pool2" "$WORK/pool1"
declare -A SOCKETS=([pool2]="$WORK/pool2/kv-0.sock $WORK/pool2/kv-1.sock" [pool1]="$WORK/pool1/kv.sock $WORK/pool1/kv.sock")
declare -A LABELS=([pool2]="pool of 2" [pool1]="pool of 1")
app_args() { # target -> APP_ARGS
	APP_ARGS=(--glide.socket.path="$WORK/$1/kv.sock" --server.port=0 --glide.socket.max-connections=20000
		--sample.resp.connection-mode="$MODE")
	[[ $1 == pool2 ]] && APP_ARGS+=(--glide.socket.pool-size=2)
	return 0
}
for target in pool2 pool1; do
	app_args "$target"
	log "Starting the sample app (${LABELS[$target]}, $MODE) on $JAVA_VERSION"
	"$JAVA" --enable-native-access=ALL-UNNAMED -jar "$WORK/sample-app.jar" "${APP_ARGS[@]}" > "$WORK/app-$target.log" 2>&1 &
	APP_PIDS[$target]=$!
done
for target in pool2 pool1; do
	for (( i = 0; i < 1800; i++ )); do
		grep -q "Key-value service listening on" "$WORK/app-$target.log" && break
		kill -0 "${APP_PIDS[$target]}" 2>/dev/null || fail "the sample app (${LABELS[$target]}) exited"
		sleep 0.1
	done
	grep -q "Key-value service listening on" "$WORK/app-$target.log" || fail "the sample app (${LABELS[$target]}) did not become ready in 180 s"
	for socket in ${SOCKETS[$target]}; do
		[[ "$(redis-cli -s "$socket" ping)" == PONG ]] || fail "$socket does not answer PING"
	done
done

# ---------------------------------------------------------------- measuring
# pair TARGET N: two redis-benchmark processes at once, one per socket of the target; writes
# "total_rps rps_a rps_b seconds" to $WORK/pair.result, where total_rps is all requests divided
# by the time from the start of both to the end of the later one.
pair() {
	local target=$1 n=$2 index=0 socket start end status=0 pid
	BENCH_PIDS=()
	start=$(date +%s%N)
	for socket in ${SOCKETS[$target]}; do
		timeout "$BENCH_TIMEOUT" redis-benchmark -s "$socket" -q --csv -t ping_mbulk -c "$CLIENTS" -k 0 -n "$n" \
			> "$WORK/bench-$index.csv" 2> "$WORK/bench-$index.err" &
		BENCH_PIDS+=($!)
		index=$(( index + 1 ))
	done
	for pid in "${BENCH_PIDS[@]}"; do
		wait "$pid" || status=$?
	done
	end=$(date +%s%N)
	BENCH_PIDS=()
	(( status == 0 )) || fail "redis-benchmark against ${LABELS[$target]} failed (exit $status): $(tail -n 1 "$WORK/bench-0.err" "$WORK/bench-1.err")"
	local rps_a rps_b
	rps_a=$(awk -F'","' 'NR == 2 { print $2 }' "$WORK/bench-0.csv")
	rps_b=$(awk -F'","' 'NR == 2 { print $2 }' "$WORK/bench-1.csv")
	[[ -n "$rps_a" && -n "$rps_b" ]] || fail "cannot parse redis-benchmark output: $(cat "$WORK/bench-0.csv" "$WORK/bench-1.csv")"
	awk -v n="$n" -v a="$rps_a" -v b="$rps_b" -v ns=$(( end - start )) \
		'BEGIN { s = ns / 1e9; printf "%.0f %.0f %.0f %.2f\n", 2 * n / s, a, b, s }' > "$WORK/pair.result"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print 0 } else if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'; }

say "# glide-socket pool benchmark: pool of 2 vs pool of 1, a new connection per request"
say ""
say "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
say "- sample app: $JAVA_VERSION, connection mode $MODE, \`--glide.socket.max-connections=20000\`, JVM defaults; one process per target, each idle while the other is measured"
say "- client: $(redis-benchmark --version 2>/dev/null | awk '{print $1, $2}'): two processes at once per measurement, each \`-t ping_mbulk -c $CLIENTS -k 0 -n $REQUESTS -q --csv\`; pool of 2: one per member socket; pool of 1: both on its socket"
say "- total req/s = all requests of the pair ÷ time from the start of both to the end of the later; $REPS repetition(s) per target, alternating which goes first; median shown"
say ""

log "Warming up (untimed, $WARMUP requests per process)"
for target in pool2 pool1; do
	pair "$target" "$WARMUP"
done

mkdir -p "$WORK/results"
for (( rep = 1; rep <= REPS; rep++ )); do
	if (( rep % 2 )); then order=(pool2 pool1); else order=(pool1 pool2); fi
	for target in "${order[@]}"; do
		pair "$target" "$REQUESTS"
		result=$(cat "$WORK/pair.result")
		echo "$result" >> "$WORK/results/$target"
		log "rep $rep/$REPS  $(printf '%-10s' "${LABELS[$target]}") $(awk '{ printf "total %7d req/s  (processes %d + %d req/s, %.2f s)", $1, $2, $3, $4 }' <<<"$result")"
	done
done

pool2=$(cut -d' ' -f1 "$WORK/results/pool2" | median)
pool1=$(cut -d' ' -f1 "$WORK/results/pool1" | median)
ratio=$(awk -v a="$pool2" -v b="$pool1" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
say "| target | sockets | total req/s (median) | every repetition | ratio to pool of 1 |"
say "| --- | --- | ---: | --- | ---: |"
say "| pool of 2 | kv-0.sock, kv-1.sock | $(printf '%.0f' "$pool2") | $(cut -d' ' -f1 "$WORK/results/pool2" | paste -sd/) | $ratio |"
say "| pool of 1 | kv.sock | $(printf '%.0f' "$pool1") | $(cut -d' ' -f1 "$WORK/results/pool1" | paste -sd/) | 1.00 |"
say ""
say "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# HTTP through nginx to the web sample application, side by side in one run and on one server:
# the server on a glide-socket managed socket, the same server binding the Unix socket itself, and
# the same server on TCP loopback. See --help.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../load/common.sh
source benchmarks/load/common.sh

usage() {
	cat <<'EOF_USAGE'
Usage: benchmarks/web/nginx-wrk.sh [options]

For each server and each way of serving, starts the web sample application (web-sample-app) as
its own JVM, nginx in front of it (proxy_pass to the Unix socket, or to the TCP port), warms up
with wrk, then measures GET /hello with wrk through nginx; prints requests/s and p99 latency.

Ways: managed (glide.socket.web.path, glide.socket.web.tcp=false), server-bound (the server binds
the socket itself: Tomcat's unixDomainSocketPath, Jetty's UnixDomainServerConnector, Reactor
Netty's bindAddress(DomainSocketAddress)), tcp (the server's own port on 127.0.0.1).

Options:
  --jdk N|DIR       JDK that runs the application (a feature version under /usr/lib/jvm, or a JDK
                    home). Default: the 'java' on PATH.
  --server S        tomcat, jetty or reactor-netty (repeatable; default all three).
  --rounds N        Rounds; each measures every way once, in turn (default 2).
  --duration D      wrk's measured duration (default 20s); the warm-up is half of it.
  --connections C   wrk connections to nginx (default 32).
  --no-build        Use the existing web-sample-app/target classes and class paths.
  --out FILE        Write the results (markdown) to FILE. Default: a new temporary file.
  -h, --help        This text.
EOF_USAGE
}

JDK=""
SERVERS=()
ROUNDS=2
DURATION=20
CONNECTIONS=32
BUILD=true
OUT=""
while [[ $# -gt 0 ]]; do
	case "$1" in
		--jdk) JDK="${2:?--jdk needs a value}"; shift 2 ;;
		--server)
			case "${2:-}" in
				tomcat|jetty|reactor-netty) SERVERS+=("$2") ;;
				*) echo "--server needs tomcat, jetty or reactor-netty" >&2; exit 2 ;;
			esac
			shift 2 ;;
		--rounds) ROUNDS="${2:?--rounds needs a value}"; shift 2 ;;
		--duration) DURATION="${2:?--duration needs a value}"; DURATION=${DURATION%s}; shift 2 ;;
		--connections) CONNECTIONS="${2:?--connections needs a value}"; shift 2 ;;
		--no-build) BUILD=false; shift ;;
		--out) OUT="${2:?--out needs a value}"; shift 2 ;;
		-h|--help) usage; exit 0 ;;
		*) echo "Unknown option: $1 (see --help)" >&2; exit 2 ;;
	esac
done
[[ ${#SERVERS[@]} -gt 0 ]] || SERVERS=(tomcat jetty reactor-netty)
WAYS=(managed server-bound tcp)

command -v wrk >/dev/null || fail "wrk is not installed (apt-get install wrk)"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x "$NGINX" ]] || fail "nginx is not installed (apt-get install nginx)"
resolve_java

if $BUILD; then
	log "Building the web sample (./mvnw -B -q -pl web-sample-app -am process-classes)"
	./mvnw -B -q -pl web-sample-app -am process-classes -DskipTests
fi
WORK=$(mktemp -d -t web-wrk.XXXXXX)
# A private copy of the classes: other builds on this machine may rewrite target/ while we run.
cp -r web-sample-app/target/classes "$WORK/classes"
for server in "${SERVERS[@]}"; do
	[[ -f "web-sample-app/target/class-paths/$server.txt" ]] || fail "no class path for $server; run without --no-build"
	cp "web-sample-app/target/class-paths/$server.txt" "$WORK/$server.classpath"
done
[[ -n "$OUT" ]] || OUT=$(mktemp -t web-wrk-results.XXXXXX.md)
APP_PID=""
NGINX_PID=""
cleanup() { stop_pid "$NGINX_PID" 5; stop_pid "$APP_PID" 30; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_nginx() { # upstream (unix:PATH or 127.0.0.1:PORT) -> NGINX_PID, NGINX_PORT
	local dir="$WORK/nginx"
	rm -rf "$dir" && mkdir -p "$dir"
	NGINX_PORT=$(free_port)
	cat > "$dir/nginx.conf" <<EOF_NGINX
daemon off;
worker_processes 1;
user $(id -un);
pid $dir/nginx.pid;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $dir/client-body;
	proxy_temp_path $dir/proxy;
	fastcgi_temp_path $dir/fastcgi;
	uwsgi_temp_path $dir/uwsgi;
	scgi_temp_path $dir/scgi;
	# As the guide's recipe: no upstream keep-alive, so each request is a new connection to the
	# application and the accept path is measured too.
	upstream app {
		server $1;
	}
	server {
		listen 127.0.0.1:$NGINX_PORT;
		location / {
			proxy_pass http://app;
		}
	}
}
EOF_NGINX
	"$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
	NGINX_PID=$!
}

start_app() { # server way -> APP_PID, UPSTREAM
	local server=$1 way=$2 socket="$WORK/http.sock" args=()
	rm -f "$socket"
	case "$way" in
		managed) args=(--glide.socket.web.path="$socket" --glide.socket.web.tcp=false); UPSTREAM="unix:$socket" ;;
		server-bound) args=(--web-sample.server-bound-socket="$socket"); UPSTREAM="unix:$socket" ;;
		tcp) local port; port=$(free_port); args=(--server.port="$port" --server.address=127.0.0.1); UPSTREAM="127.0.0.1:$port" ;;
	esac
	"$JAVA" -cp "$WORK/classes:$(cat "$WORK/$server.classpath")" io.github.glidesocket.websample.WebSampleApplication \
		"${args[@]}" --logging.level.root=warn > "$WORK/app.log" 2>&1 &
	APP_PID=$!
}

await_ready() { # through nginx: the application's health is UP
	local deadline=$((SECONDS + 180))
	until curl -fsS "http://127.0.0.1:$NGINX_PORT/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
		kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log" >&2; fail "the application exited"; }
		((SECONDS < deadline)) || fail "the application did not become ready"
		sleep 0.2
	done
}

measure() { # -> "requests/s p99-ms"
	wrk -t2 -c"$CONNECTIONS" -d"$((DURATION / 2))s" "http://127.0.0.1:$NGINX_PORT/hello" >/dev/null
	wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$NGINX_PORT/hello" > "$WORK/wrk.out"
	grep -q 'Non-2xx\|Socket errors' "$WORK/wrk.out" && { cat "$WORK/wrk.out" >&2; fail "wrk saw errors"; }
	local rps p99
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk.out")
	p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' "$WORK/wrk.out")
	echo "$rps $p99"
}

declare -A RPS P99
log "JDK: $JAVA_VERSION; nginx: $("$NGINX" -v 2>&1 | sed 's/.*: //'); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
for ((round = 1; round <= ROUNDS; round++)); do
	for server in "${SERVERS[@]}"; do
		for way in "${WAYS[@]}"; do
			log "Round $round: $server, $way"
			start_app "$server" "$way"
			start_nginx "$UPSTREAM"
			await_ready
			# Not in a process substitution: a failure of measure must end the script.
			measure > "$WORK/result"
			read -r rps p99 < "$WORK/result"
			log "  $rps requests/s, p99 $p99 ms"
			RPS[$server,$way]+="$rps "
			P99[$server,$way]+="$p99 "
			stop_pid "$NGINX_PID" 5; NGINX_PID=""
			stop_pid "$APP_PID" 30; APP_PID=""
		done
	done
done

median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
say "| Server | Way | Requests/s (median of $ROUNDS) | p99 ms (median) | vs server-bound | vs TCP |"
say "| --- | --- | ---: | ---: | ---: | ---: |"
for server in "${SERVERS[@]}"; do
	bound=$(median <<<"${RPS[$server,server-bound]}")
	tcp=$(median <<<"${RPS[$server,tcp]}")
	for way in "${WAYS[@]}"; do
		rps=$(median <<<"${RPS[$server,$way]}")
		p99=$(median <<<"${P99[$server,$way]}")
		say "| $server | $way | $(printf '%.0f' "$rps") | $p99 | $(awk -v a="$rps" -v b="$bound" 'BEGIN {printf "%.2fx", a / b}') | $(awk -v a="$rps" -v b="$tcp" 'BEGIN {printf "%.2fx", a / b}') |"
	done
done
log "Results: $OUT"

# Shared by run.sh and pool.sh (sourced from the repository root): logging, the JDK that runs the
# sample application, and stopping processes.

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { log "ERROR: $*"; exit 1; }
say() { printf '%s\n' "$*" | tee -a "$OUT"; }

find_jdk() { # feature version -> JDK home under /usr/lib/jvm
	local home
	for home in /usr/lib/jvm/*/; do
		home=${home%/}
		[[ -x "$home/bin/java" && -f "$home/release" ]] || continue
		if grep -Eq "^JAVA_VERSION=\"$1([.\"])" "$home/release"; then
			echo "$home"
			return 0
		fi
	done
	return 1
}

resolve_java() { # $JDK (empty, a feature version or a directory) -> JAVA, JAVA_VERSION
	if [[ -z "$JDK" ]]; then
		JAVA=$(command -v java) || fail "no 'java' on PATH; pass --jdk"
		JAVA=$(readlink -f "$JAVA")
	elif [[ "$JDK" =~ ^[0-9]+$ ]]; then
		JDK_HOME=$(find_jdk "$JDK") || fail "no JDK $JDK under /usr/lib/jvm; pass --jdk DIR"
		JAVA="$JDK_HOME/bin/java"
	else
		JAVA="$JDK/bin/java"
	fi
	[[ -x "$JAVA" ]] || fail "$JAVA is not executable"
	JAVA_VERSION=$("$JAVA" -version 2>&1 | sed -n 2p)
}

stop_pid() { # pid [seconds before SIGKILL]
	local pid=$1 wait_tenths=$(( ${2:-10} * 10 ))
	[[ -n "$pid" ]] || return 0
	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
	kill -TERM "$pid" 2>/dev/null || true
	while (( wait_tenths-- > 0 )); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

sample_jar() { # build(true|false) work-dir -> a private copy of the sample jar at work-dir/sample-app.jar
	local build=$1 work=$2 jar=sample-app/target/sample-app-0.1.0-SNAPSHOT.jar
	if $build; then
		log "Building the sample app (./mvnw -B -q -pl sample-app -am package -DskipTests)"
		./mvnw -B -q -pl sample-app -am package -DskipTests
	fi
	[[ -f "$jar" ]] || fail "$jar not found; run without --no-build"
	# A private copy: other builds on this machine may rewrite target/ while we run.
	cp "$jar" "$work/sample-app.jar"
}

connection_mode() { # value of --mode -> the value, or exit 2
	case "${1:-}" in
		event-loop|thread-per-connection) printf '%s' "$1" ;;
		*) echo "--mode needs event-loop or thread-per-connection" >&2; exit 2 ;;
	esac
}

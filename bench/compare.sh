#!/usr/bin/env bash
# bench/compare.sh — measure okuri and a stock Postfix relay against the same
# discard sink, in one run, and print a markdown table. docs/perf-bench.md
# explains the numbers.
#
#   bench/compare.sh            full run (about a minute per repeat)
#   bench/compare.sh -quick     a few hundred messages per run, for trying it out
#
# Everything listens on 127.0.0.1 only. The script builds okuri-bench and
# okuri, starts the sink, okuri (throwaway config relaying to the sink) and
# Postfix (throwaway config dir and queue under the work dir, relayhost = the
# sink; installed with apt-get when absent), sends the load, and stops
# everything it started on exit, also on Ctrl-C or error.
#
# Environment (defaults in brackets):
#   BENCH_SYSTEMS  systems, measured in this order per row ["sink okuri postfix"]
#                  sink        = load generator straight to the sink (baseline)
#                  okuri       = okuri, trusted network, no TLS/AUTH (like Postfix)
#                  okuri-auth  = okuri with STARTTLS + AUTH PLAIN
#                  postfix     = stock Postfix relay
#   BENCH_KINDS    message kinds ["text4k csv100k"] (also customers100k)
#   BENCH_CONNS    concurrent connections ["8 32"]
#   BENCH_N        messages per 4 KB run [2000]; BENCH_N_LARGE per 100 KB run [1000]
#   BENCH_WARMUP   unmeasured warm-up messages before each run [100]
#   BENCH_REPEAT   runs per row; the table shows the median by msg/s [1]
#   SINK_PORT OKURI_PORT POSTFIX_PORT   [2599 2527 2526]
#   OKURI_BIN      where okuri is built [/tmp/okuri]; BENCH_NO_BUILD=1 uses it as is
#   BENCH_OKURI_HOLDS set (to 1) when BENCH_OKURI_YAML makes okuri hold every
#                  message: okuri's accepted mail is then not awaited at the sink
#   BENCH_OKURI_YAML  file of extra top-level config sections appended to
#                  okuri's throwaway config (policy, quarantine: the hold path)
#   BENCH_WORK     work dir [mktemp -d /tmp/okuri-bench.XXXXXX]; BENCH_KEEP=1 keeps it
#   BENCH_OUT      also write the report (table and environment) to this file
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD

SYSTEMS=${BENCH_SYSTEMS:-"sink okuri postfix"}
KINDS=${BENCH_KINDS:-"text4k csv100k"}
CONNS=${BENCH_CONNS:-"8 32"}
N=${BENCH_N:-2000}
N_LARGE=${BENCH_N_LARGE:-1000}
WARMUP=${BENCH_WARMUP:-100}
REPEAT=${BENCH_REPEAT:-1}
SINK_PORT=${SINK_PORT:-2599}
OKURI_PORT=${OKURI_PORT:-2527}
POSTFIX_PORT=${POSTFIX_PORT:-2526}
OKURI_BIN=${OKURI_BIN:-/tmp/okuri}
case ${1:-} in
"") ;;
-quick)
	N=${BENCH_N:-300}
	N_LARGE=${BENCH_N_LARGE:-150}
	WARMUP=${BENCH_WARMUP:-20}
	;;
*)
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac

FROM=bench@example.com
TO=rcpt@example.net
PASSWORD=Okuri-Bench-2026
if [[ -n ${BENCH_WORK:-} ]]; then
	WORK=$BENCH_WORK
	[[ ! -e $WORK || -z $(ls -A "$WORK") ]] || { echo "compare.sh: BENCH_WORK=$WORK is not empty" >&2 && exit 2; }
else
	WORK=$(mktemp -d /tmp/okuri-bench.XXXXXX)
fi
mkdir -p "$WORK/results"
PIDS=()
POSTFIX_CONF=

log() { printf 'compare.sh: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [[ -n $POSTFIX_CONF ]]; then
		/usr/sbin/postfix -c "$POSTFIX_CONF" stop >/dev/null 2>&1 || true
	fi
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	if [[ -n $POSTFIX_CONF ]]; then
		# postfix stop returns before master has exited; give it a moment.
		for _ in $(seq 50); do
			[[ -e $WORK/postfix/queue/pid/master.pid ]] || break
			kill -0 "$(tr -d ' ' <"$WORK/postfix/queue/pid/master.pid")" 2>/dev/null || break
			sleep 0.1
		done
	fi
	if [[ ${BENCH_KEEP:-} == 1 || $rc -ne 0 ]]; then
		log "work dir kept: $WORK"
	else
		rm -rf "$WORK"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# port_open PORT: whether something accepts connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_port NAME PORT PID [LOG]: wait up to 15 s for PID to listen on
# PORT; on failure show the end of LOG.
wait_port() {
	local why="did not listen on 127.0.0.1:$2 within 15 s"
	for _ in $(seq 150); do
		port_open "$2" && return 0
		if [[ -n $3 ]] && ! kill -0 "$3" 2>/dev/null; then
			why="exited before listening on 127.0.0.1:$2"
			break
		fi
		sleep 0.1
	done
	[[ -z ${4:-} ]] || tail -20 "$4" >&2
	die "$1 $why"
}

# need_free_port NAME PORT: fail early when PORT is taken. A run killed
# with SIGKILL leaves its okuri/Postfix behind; this script never stops
# processes it did not start (another run may be going on).
need_free_port() {
	port_open "$2" || return 0
	die "127.0.0.1:$2 for $1 is in use: set ${1^^}_PORT, or stop a leftover run" \
		"(postfix -c /tmp/okuri-bench.*/postfix/conf stop; kill its okuri-bench/okuri)"
}

has_system() { [[ " $SYSTEMS " == *" $1 "* ]]; }

sink_count() { cut -d' ' -f1 "$WORK/sink.stats" 2>/dev/null || echo 0; }
sink_sessions() { cut -d' ' -f3 "$WORK/sink.stats" 2>/dev/null || echo 0; }

# proc_ticks PID: CPU ticks PID used, its reaped children included.
proc_ticks() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13 + $14 + $15}' || echo 0; }

# cpu_ticks SYSTEM: CPU ticks used so far by every process of SYSTEM;
# empty when not measured. Postfix: master (with the children it reaped)
# plus its live children.
cpu_ticks() {
	case $1 in
	okuri | okuri-auth) proc_ticks "$OKURI_PID" ;;
	postfix)
		local master total pid
		master=$(tr -d ' ' <"$WORK/postfix/queue/pid/master.pid")
		total=$(proc_ticks "$master")
		for pid in $(ps -o pid= --ppid "$master" || true); do
			total=$((total + $(proc_ticks "$pid")))
		done
		echo "$total"
		;;
	esac
}

# json_int FILE KEY: an integer field of a result file.
json_int() { sed -n "s/^  \"$2\": \([0-9]*\),*$/\1/p" "$1"; }

build() {
	log "building okuri-bench"
	go build -o "$WORK/okuri-bench" ./bench/cmd/okuri-bench
	if has_system okuri || has_system okuri-auth; then
		if [[ ${BENCH_NO_BUILD:-} != 1 ]]; then
			log "building okuri -> $OKURI_BIN"
			go build -o "$OKURI_BIN" ./cmd/okuri
		fi
	fi
}

start_sink() {
	need_free_port sink "$SINK_PORT"
	"$WORK/okuri-bench" sink -listen "127.0.0.1:$SINK_PORT" -stats "$WORK/sink.stats" \
		-max-duration 30m 2>"$WORK/sink.log" &
	PIDS+=($!)
	wait_port sink "$SINK_PORT" $! "$WORK/sink.log"
}

# shellcheck source=bench/systems.sh
source "$REPO/bench/systems.sh"

# run_one SYSTEM KIND C: one measured run; its JSON goes to results/.
SEQ=0
run_one() {
	local system=$1 kind=$2 c=$3 n=$N port args=()
	[[ $kind == text4k ]] || n=$N_LARGE
	case $system in
	sink) port=$SINK_PORT ;;
	okuri) port=$OKURI_PORT ;;
	okuri-auth)
		port=$OKURI_PORT
		args=(-starttls -insecure-skip-verify -user "$FROM")
		;;
	postfix) port=$POSTFIX_PORT ;;
	*) die "unknown system $system" ;;
	esac
	SEQ=$((SEQ + 1))
	local out
	out=$(printf '%s/results/%02d-%s-%s-c%s.json' "$WORK" "$SEQ" "$system" "$kind" "$c")
	local before cpu_before sessions_before
	before=$(sink_count)
	sessions_before=$(sink_sessions)
	cpu_before=$(cpu_ticks "$system")
	OKURI_BENCH_PASSWORD=$PASSWORD "$WORK/okuri-bench" send -addr "127.0.0.1:$port" \
		-label "$system" -kind "$kind" -c "$c" -n "$n" -warmup "$WARMUP" \
		-from "$FROM" -to "$TO" -timeout 60s -max-duration 5m -json "$out" "${args[@]}" >&2
	# Wait until the sink has every accepted message, so that one system's
	# queue drains before the next run starts (Postfix delivers after 250).
	local want=$((before + $(json_int "$out" warmup) - $(json_int "$out" warmup_failed) + $(json_int "$out" accepted)))
	if [[ $system == okuri* && -n ${BENCH_OKURI_HOLDS:-} ]]; then
		want=$before # held mail stays in okuri's store: nothing to wait for
	fi
	local drained=
	for _ in $(seq 1200); do
		if (($(sink_count) >= want)); then
			drained=1
			break
		fi
		sleep 0.1
	done
	[[ -n $drained ]] || log "warning: $system: sink has $(sink_count) messages after 120 s, want $want"
	# Add what only this script knows to the result: the sink's new
	# connections and the system's CPU time per delivered message.
	local extra=
	if [[ $system != sink ]]; then
		extra="\"sink_connections\": $(($(sink_sessions) - sessions_before)), "
	fi
	if [[ -n $cpu_before ]] && ((want > before)); then
		extra+="\"server_cpu_ms_per_msg\": $(awk -v t=$(($(cpu_ticks "$system") - cpu_before)) \
			-v hz="$(getconf CLK_TCK)" -v n=$((want - before)) 'BEGIN {printf "%.3f", t * 1000 / hz / n}'), "
	fi
	[[ -z $extra ]] || sed -i "1s/^{\$/{$extra/" "$out"
}

environment() {
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git -C "$REPO" rev-parse --short HEAD)"
	echo "- machine: $(nproc) cores, $(uname -sr); load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- $(go version | cut -d' ' -f3-)"
	if has_system postfix; then echo "- postfix $(/usr/sbin/postconf -d -h mail_version)"; fi
	if has_system okuri || has_system okuri-auth; then echo "- okuri: $("$OKURI_BIN" version 2>&1 | head -1)"; fi
	echo "- N=$N (4 KB) / $N_LARGE (100 KB) per run after $WARMUP warm-up messages, $REPEAT run(s) per row; one message per connection"
}

main() {
	LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
	log "work dir $WORK; systems: $SYSTEMS; kinds: $KINDS; C: $CONNS"
	build
	start_sink
	if has_system okuri || has_system okuri-auth; then start_okuri; fi
	if has_system postfix; then start_postfix; fi
	for kind in $KINDS; do
		for c in $CONNS; do
			for _ in $(seq "$REPEAT"); do
				for system in $SYSTEMS; do
					run_one "$system" "$kind" "$c"
				done
			done
		done
	done
	local report
	report=$(
		if ((REPEAT > 1)); then
			"$WORK/okuri-bench" report -median -base postfix "$WORK"/results/*.json
		else
			"$WORK/okuri-bench" report -base postfix "$WORK"/results/*.json
		fi
		echo
		environment
	)
	echo "$report"
	if [[ -n ${BENCH_OUT:-} ]]; then
		echo "$report" >"$BENCH_OUT"
	fi
}

main

#!/usr/bin/env bash
# The gateway beside plain YARP and nginx, and its logins, on this machine: one command, rerunnable by anyone.
#
#   benchmarks/run.sh
#
# Knobs (environment): BENCH_ROUNDS (3), BENCH_SECONDS per measured run (20), BENCH_WARMUP_SECONDS per scenario
# (20), BENCH_CONNECTIONS (64), BENCH_SESSIONS rotated in the many-sessions scenario (10000, held by
# BENCH_SESSION_USERS = 1000 users: each login is a new session), BENCH_LOGINS per login flow (1000),
# BENCH_LOGIN_CONCURRENCY (16), BENCH_TOOLS (where dotnet-counters and dotnet-trace are installed), and
# BENCH_PROFILE=1 to also trace CPU and allocations after the rounds (into BENCH_PROFILE_DIR, default
# benchmarks/profiles). The defaults take about ten minutes.
#
# Layout on the 2 cores: the proxies (gateway, plain YARP, nginx as a reverse proxy) run on core 1
# (taskset -c 1), one at a time under load; wrk, the nginx `return 200` destination, Redis, MariaDB, the WeChat
# sandbox and the login driver run on core 0. The gateway is published in Release and runs in the Production
# environment on real MariaDB and Redis; its sessions come from the real Mini Program login against the sandbox,
# which runs in its own process. Login rate limits are raised for the run (Login:RateLimit:* = 1000000).
#
# Proxy scenarios alternate within each round after a warm-up of each (long enough for tiered JIT and dynamic
# PGO). Per scenario the table shows the medians over the rounds of req/s, p50 and p99 (wrk), CPU µs per request
# (the proxy's own utime + stime from /proc/PID/stat over the run, divided by wrk's request count) and allocated
# bytes per request (dotnet-counters reading System.Runtime's dotnet.gc.heap.total_allocated once a second from
# core 0, summed over the run's seconds: an in-process counter the runtime keeps anyway, sampled out of process).
# Every process started here is stopped by PID on exit.
set -euo pipefail

ROUNDS=${BENCH_ROUNDS:-3}
SECONDS_PER_RUN=${BENCH_SECONDS:-20}
WARMUP=${BENCH_WARMUP_SECONDS:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
SESSIONS=${BENCH_SESSIONS:-10000}
SESSION_USERS=${BENCH_SESSION_USERS:-1000}
LOGINS=${BENCH_LOGINS:-1000}
LOGIN_CONCURRENCY=${BENCH_LOGIN_CONCURRENCY:-16}
TOOLS=${BENCH_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/gateway-bench-tools}
RETURNING_USERS=200

cd "$(dirname "$0")/.."
ROOT=$(pwd)
LOG_PREFIX=run
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"

need_bench_tools
if [ ! -x "$TOOLS/dotnet-counters" ]; then
  log "installing dotnet-counters into $TOOLS"
  dotnet tool install --tool-path "$TOOLS" dotnet-counters >/dev/null
fi
CLK_TCK=$(getconf CLK_TCK)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- build --------------------------------------------------------------------------------------------------------
publish gateway "$ROOT/Gateway/Gateway.csproj"
publish plain-yarp "$ROOT/benchmarks/PlainYarp/PlainYarp.csproj"
publish sandbox "$ROOT/Gateway.WeChatSandbox/Gateway.WeChatSandbox.csproj"
publish login-load "$ROOT/benchmarks/LoginLoad/LoginLoad.csproj"

# --- servers on core 0 ----------------------------------------------------------------------------------------------
start_backends 0

# The sandbox's users: s-* hold the rotated sessions, r-* are returning users, f-* and t-* sign in for the first
# time (Mini Program and two-step).
start_sandbox 0 "s:$SESSION_USERS" "r:$RETURNING_USERS" "f:$LOGINS" "t:$LOGINS"

# --- the proxies on core 1 ------------------------------------------------------------------------------------------
start_gateway 1 "$WORK/scenario.json"

YARP_PORT=$(free_port)
YARP="http://127.0.0.1:$YARP_PORT"
(cd "$WORK/plain-yarp" && exec taskset -c 1 dotnet out/PlainYarp.dll --config "$WORK/scenario.json" --urls "$YARP") >"$WORK/plain-yarp.log" 2>&1 &
PIDS+=($!)
YARP_PID=${PIDS[-1]}
wait_until 60 curl -sf "$YARP/anonymous/1" || { cat "$WORK/plain-yarp.log" >&2; log "plain YARP did not start"; exit 1; }
log "plain YARP at $YARP (pid $YARP_PID, core 1)"

start_nginx nginx-proxy 1 "upstream destination { server 127.0.0.1:$DESTINATION_PORT; keepalive 64; }
  server { listen 127.0.0.1:PORT; location / { proxy_pass http://destination; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
NGINX_PROXY="http://127.0.0.1:$NGINX_PORT"
NGINX_PROXY_PID=${PIDS[-1]}

# --- sessions through the real login flow ---------------------------------------------------------------------------
log "$SESSIONS sessions of $SESSION_USERS sandbox users through the Mini Program login"
taskset -c 0 dotnet "$WORK/login-load/out/LoginLoad.dll" sessions "$GATEWAY" "$SANDBOX" s- "$SESSION_USERS" "$SESSIONS" "$WORK/tokens.txt"
TOKEN=$(head -n 1 "$WORK/tokens.txt")
for path in anonymous/1 required/1 es256/1; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$GATEWAY/$path")
  [ "$status" = 200 ] || { log "the gateway answered $status on /$path"; exit 1; }
done
status=$(curl -s -o /dev/null -w '%{http_code}' "$GATEWAY/required/1")
[ "$status" = 401 ] || { log "the gateway answered $status on /required/1 without a session"; exit 1; }

# --- allocation sampling, out of process on core 0 -------------------------------------------------------------------
COUNTER_PIDS=()
for proxy in gateway plain-yarp; do
  pid=$GATEWAY_PID; [ "$proxy" = plain-yarp ] && pid=$YARP_PID
  taskset -c 0 "$TOOLS/dotnet-counters" collect -p "$pid" --counters System.Runtime \
    --refresh-interval 1 --format csv -o "$WORK/$proxy-counters.csv" </dev/null >"$WORK/$proxy-counters.log" 2>&1 &
  PIDS+=($!)
  COUNTER_PIDS+=($!)
done

# --- proxy scenarios ------------------------------------------------------------------------------------------------
SCENARIOS=(plain-yarp nginx anonymous one-session sessions-$SESSIONS es256)
declare -A PROCESS PID_OF
PROCESS=([plain-yarp]=plain-yarp [nginx]=nginx [anonymous]=gateway [one-session]=gateway [sessions-$SESSIONS]=gateway [es256]=gateway)
PID_OF=([plain-yarp]=$YARP_PID [nginx]=$NGINX_PROXY_PID [gateway]=$GATEWAY_PID)
export BENCH_TOKENS="$WORK/tokens.txt"
run_scenario() { # scenario seconds -> "requests rps p50 p99 errors"
  case $1 in
    plain-yarp) load "$2" "$CONNECTIONS" "$YARP/anonymous/1" ;;
    nginx) load "$2" "$CONNECTIONS" "$NGINX_PROXY/anonymous/1" ;;
    anonymous) load "$2" "$CONNECTIONS" "$GATEWAY/anonymous/1" ;;
    one-session) load "$2" "$CONNECTIONS" "$GATEWAY/required/1" -H "Authorization: Bearer $TOKEN" ;;
    sessions-*) load "$2" "$CONNECTIONS" "$GATEWAY/required/1" -s "$ROOT/benchmarks/sessions.lua" ;;
    es256) load "$2" "$CONNECTIONS" "$GATEWAY/es256/1" -H "Authorization: Bearer $TOKEN" ;;
  esac
}

log "warming up every scenario (${WARMUP}s each)"
for scenario in "${SCENARIOS[@]}"; do run_scenario "$scenario" "$WARMUP" >/dev/null; done

RESULTS="$WORK/results.txt"
: >"$RESULTS"
log "$ROUNDS alternated rounds of ${SECONDS_PER_RUN}s per scenario, c=$CONNECTIONS"
printf '%-5s %-16s %10s %9s %9s %9s %s\n' round scenario req/s p50_ms p99_ms cpu_us errors >&2
for round in $(seq 1 "$ROUNDS"); do
  for scenario in "${SCENARIOS[@]}"; do
    pid=${PID_OF[${PROCESS[$scenario]}]}
    start=$(date +%s); ticks=$(cpu_ticks "$pid")
    read -r requests rps p50 p99 errors < <(run_scenario "$scenario" "$SECONDS_PER_RUN")
    end=$(date +%s); ticks=$(( $(cpu_ticks "$pid") - ticks ))
    cpu=$(awk -v t="$ticks" -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
    printf '%-5s %-16s %10s %9s %9s %9s %s\n' "$round" "$scenario" "$rps" "$p50" "$p99" "$cpu" "$errors" >&2
    echo "$scenario $round $requests $rps $p50 $p99 $cpu $start $end" >>"$RESULTS"
  done
done

# --- profiles (BENCH_PROFILE=1) ---------------------------------------------------------------------------------------
# CPU stacks (dotnet-sampled-thread-time, ~100 Hz) and sampled allocations (gc-verbose) while a scenario runs;
# kept in BENCH_PROFILE_DIR. Tracing slows the proxy, so it runs after the measured rounds.
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
  PROFILE_DIR=${BENCH_PROFILE_DIR:-$ROOT/benchmarks/profiles}
  mkdir -p "$PROFILE_DIR"
  [ -x "$TOOLS/dotnet-trace" ] || dotnet tool install --tool-path "$TOOLS" dotnet-trace >/dev/null
  publish trace-report "$ROOT/benchmarks/TraceReport/TraceReport.csproj"
  profile() { # scenario profile seconds
    local name="$1-$2" pid=${PID_OF[${PROCESS[$1]}]} tracer
    taskset -c 0 "$TOOLS/dotnet-trace" collect -p "$pid" --profile "$2" --duration "00:00:00:$3" \
      -o "$PROFILE_DIR/$name.nettrace" </dev/null >"$WORK/$name.log" 2>&1 &
    tracer=$!
    sleep 1
    read -r requests rps _ < <(run_scenario "$1" "$3")
    # A failed trace or report is reported, and the run goes on to the logins and the table.
    wait "$tracer" || { log "dotnet-trace failed for $name: $(cat "$WORK/$name.log")"; return 0; }
    if [ "$2" = gc-verbose ]; then
      taskset -c 0 dotnet "$WORK/trace-report/out/TraceReport.dll" "$PROFILE_DIR/$name.nettrace" "$requests" >"$PROFILE_DIR/$name.txt" \
        || { log "TraceReport failed for $name"; return 0; }
    else
      taskset -c 0 "$TOOLS/dotnet-trace" report "$PROFILE_DIR/$name.nettrace" topN -n 40 --inclusive >"$PROFILE_DIR/$name.txt" \
        || { log "dotnet-trace report failed for $name"; return 0; }
    fi
    log "profile $name: $PROFILE_DIR/$name.txt ($requests requests, $rps req/s while traced)"
  }
  for scenario in plain-yarp anonymous "sessions-$SESSIONS"; do profile "$scenario" gc-verbose 10; done
  for scenario in anonymous "sessions-$SESSIONS"; do profile "$scenario" dotnet-sampled-thread-time 10; done
fi

# --- logins -----------------------------------------------------------------------------------------------------------
log "login flows: $LOGINS logins each at c=$LOGIN_CONCURRENCY (gateway CPU from /proc/$GATEWAY_PID/stat)"
LOGIN_RESULTS=$(taskset -c 0 dotnet "$WORK/login-load/out/LoginLoad.dll" bench "$GATEWAY" "$SANDBOX" "$GATEWAY_PID" "$CLK_TCK" \
  "$LOGIN_CONCURRENCY" "$LOGINS" "$RETURNING_USERS")

# --- allocation per request -------------------------------------------------------------------------------------------
# Interrupted like a Ctrl-C, dotnet-counters writes out what it holds before it exits.
for pid in "${COUNTER_PIDS[@]}"; do
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
done
# Rows "epoch bytes": each sample is what was allocated during the second before its timestamp.
for proxy in gateway plain-yarp; do
  [ -s "$WORK/$proxy-counters.csv" ] || { log "dotnet-counters wrote nothing for $proxy: $(cat "$WORK/$proxy-counters.log")"; continue; }
  grep -F 'total_allocated' "$WORK/$proxy-counters.csv" | cut -d, -f1 | date -f - +%s >"$WORK/$proxy-times"
  grep -F 'total_allocated' "$WORK/$proxy-counters.csv" | cut -d, -f5 | paste -d' ' "$WORK/$proxy-times" - >"$WORK/$proxy-alloc"
done
allocated_per_request() { # process start end requests
  [ -s "$WORK/$1-alloc" ] || { echo "n/a"; return; }
  awk -v s="$2" -v e="$3" -v n="$4" '$1 > s && $1 <= e { sum += $2 } END { printf "%.0f", sum / n }' "$WORK/$1-alloc"
}

# The runtime's other counters (thread pool, GC) of the run, for the profile findings.
[ "${BENCH_PROFILE:-0}" = 1 ] && { cp "$WORK"/*-counters.csv "$PROFILE_DIR/" 2>/dev/null || true; }

# --- table ------------------------------------------------------------------------------------------------------------
declare -A RPS P50 P99 CPU ALLOC
for scenario in "${SCENARIOS[@]}"; do
  column() { awk -v s="$scenario" -v c="$1" '$1 == s { print $c }' "$RESULTS" | median; }
  RPS[$scenario]=$(column 4); P50[$scenario]=$(column 5); P99[$scenario]=$(column 6); CPU[$scenario]=$(column 7)
  case ${PROCESS[$scenario]} in
    nginx) ALLOC[$scenario]=n/a ;;
    *) ALLOC[$scenario]=$(awk -v s="$scenario" '$1 == s { print $3, $8, $9 }' "$RESULTS" | while read -r n a b; do
         allocated_per_request "${PROCESS[$scenario]}" "$a" "$b" "$n"; echo; done | median) ;;
  esac
done

echo
echo "proxies: medians over $ROUNDS alternated rounds (${SECONDS_PER_RUN}s each, c=$CONNECTIONS, wrk -t1); proxy on core 1, wrk + destination + Redis + MariaDB on core 0"
printf '%-16s %10s %9s %9s %12s %12s %8s %8s\n' scenario req/s p50_ms p99_ms cpu_us/req alloc_B/req x_yarp x_nginx
for scenario in "${SCENARIOS[@]}"; do
  awk -v s="$scenario" -v r="${RPS[$scenario]}" -v a="${P50[$scenario]}" -v b="${P99[$scenario]}" -v c="${CPU[$scenario]}" \
      -v m="${ALLOC[$scenario]}" -v y="${RPS[plain-yarp]}" -v n="${RPS[nginx]}" \
    'BEGIN { printf "%-16s %10.0f %9.3f %9.3f %12.1f %12s %8.2f %8.2f\n", s, r, a, b, c, m, r / y, r / n }'
done

echo
echo "logins: $LOGINS per flow at c=$LOGIN_CONCURRENCY; cpu_us = the gateway's own CPU per login (a two-step bind is its login + bind, an Official Account login its start + callback)"
printf '%-28s %10s %9s %9s %9s\n' flow logins/s p50_ms p99_ms cpu_us
declare -A LOGIN_CPU LOGIN_P99
while read -r line; do
  flow=$(sed -n 's/.*flow=\([^ ]*\).*/\1/p' <<<"$line")
  value() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  printf '%-28s %10s %9s %9s %9s\n' "$flow" "$(value per_second)" "$(value p50_ms)" "$(value p99_ms)" "$(value cpu_us)"
  LOGIN_CPU[$flow]=$(value cpu_us); LOGIN_P99[$flow]=$(value p99_ms)
done <<<"$LOGIN_RESULTS"

# --- targets (issue 13): reported, not enforced ------------------------------------------------------------------------
echo
target() { # description awk-condition
  if awk "BEGIN { exit !($2) }"; then echo "met      $1"; else echo "NOT MET  $1"; fi
}
many="sessions-$SESSIONS"
target "$many: req/s ${RPS[$many]} >= 0.90 x plain YARP ${RPS[plain-yarp]}" "${RPS[$many]} >= 0.90 * ${RPS[plain-yarp]}"
target "$many: p99 ${P99[$many]} ms <= plain YARP p99 ${P99[plain-yarp]} + 0.5 ms" "${P99[$many]} <= ${P99[plain-yarp]} + 0.5"
target "anonymous: req/s ${RPS[anonymous]} >= 0.97 x plain YARP ${RPS[plain-yarp]}" "${RPS[anonymous]} >= 0.97 * ${RPS[plain-yarp]}"
target "anonymous: p99 ${P99[anonymous]} ms <= plain YARP p99 ${P99[plain-yarp]} + 0.5 ms" "${P99[anonymous]} <= ${P99[plain-yarp]} + 0.5"
for scenario in anonymous one-session "$many" es256; do
  [ "${ALLOC[$scenario]}" != n/a ] && [ "${ALLOC[plain-yarp]}" != n/a ] || { echo "n/a      $scenario: allocation (no counter samples)"; continue; }
  target "$scenario: ${ALLOC[$scenario]} B allocated per request <= plain YARP ${ALLOC[plain-yarp]} + 1536" \
    "${ALLOC[$scenario]} <= ${ALLOC[plain-yarp]} + 1536"
done
target "Mini Program returning user: ${LOGIN_CPU[miniprogram-returning]} us gateway CPU per login <= 300" "${LOGIN_CPU[miniprogram-returning]} <= 300"
target "Mini Program returning user: p99 ${LOGIN_P99[miniprogram-returning]} ms <= 20 ms at c=$LOGIN_CONCURRENCY" "${LOGIN_P99[miniprogram-returning]} <= 20"
target "Mini Program first login: ${LOGIN_CPU[miniprogram-first-login]} us gateway CPU per login <= 1000" "${LOGIN_CPU[miniprogram-first-login]} <= 1000"
echo
echo "commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo ' (with uncommitted changes)'), $(date -u '+%Y-%m-%d %H:%M UTC'), load average before the run: $LOAD_BEFORE"

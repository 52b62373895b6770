#!/usr/bin/env bash
# Before and after the package move (issue 9): the gateway published at the pre-migration commit and at HEAD,
# side by side in one run, on the required route with a signed-in session.
#
#   benchmarks/packages/compare.sh [rounds=3] [seconds=15] [connections=64] [before-commit=3ab238b]
#
# BENCH_WARMUP_SECONDS (default: seconds) is each gateway's warm-up before the rounds.
# BENCH_BEFORE_SETTINGS and BENCH_AFTER_SETTINGS (space-separated NAME=VALUE environment settings) configure one side
# only; with before-commit HEAD this measures what a setting costs on one build, for example the access log:
#
#   BENCH_AFTER_SETTINGS=Gateway__AccessLog__Enabled=true benchmarks/packages/compare.sh 7 10 64 HEAD
#
# Real Redis and MariaDB (private instances, like test.sh), an nginx `return 200` destination, each gateway
# pinned to core 1 (taskset -c 1), wrk and nginx on core 0. Both gateways run the embedded default's
# configuration (Development: the WeChat sandbox signs the benchmark's user in) moved onto MySQL and Redis, with
# the demo cluster pointed at nginx. After a warm-up of each, the two are loaded alternately for the given number
# of rounds; the script prints every round and the medians of req/s, p50, p99 and the gateway's CPU time per
# request, and the after/before ratios.
# Every process it starts is stopped by PID on exit.
set -euo pipefail

ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-15}
CONNECTIONS=${3:-64}
BEFORE=${4:-3ab238b}
# The warm-up of each gateway before the rounds. Pinned to one busy core, tiered compilation (tier 0, instrumented,
# tier 1) keeps competing with the requests for a minute or more, and a build with more code stays longer in it:
# short warm-ups compare how far each build got with its JIT, not its steady state (docs/performance.md).
WARMUP=${BENCH_WARMUP_SECONDS:-$SECONDS_PER_RUN}

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
LOG_PREFIX=compare
# shellcheck source=../lib.sh
. "$ROOT/benchmarks/lib.sh"

need wrk:wrk nginx:nginx-light taskset:util-linux redis-server:redis-server mariadbd:mariadb-server jq:jq curl:curl

# --- build both -------------------------------------------------------------------------------------------------
mkdir -p "$WORK/before/src"
git -C "$ROOT" archive "$BEFORE" | tar -x -C "$WORK/before/src"
publish before "$WORK/before/src/Gateway/Gateway.csproj"
publish after "$ROOT/Gateway/Gateway.csproj"

# --- servers: Redis, MariaDB, nginx -----------------------------------------------------------------------------
start_redis 0
start_mariadb 0
mariadb_sql "
  CREATE DATABASE gw_before CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
  CREATE DATABASE gw_after CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
start_destination 0
NGINX_PORT=$DESTINATION_PORT

# --- the two gateways, both on core 1 ---------------------------------------------------------------------------
declare -A URL TOKEN GATEWAY_PID
start_gateway() { # name
  local name=$1 port management
  port=$(free_port); management=$(free_port)
  mkdir -p "$WORK/$name/run"
  (
    cd "$WORK/$name/run"
    export ASPNETCORE_ENVIRONMENT=Development
    export Kestrel__Endpoints__Public__Url="http://127.0.0.1:$port"
    export Kestrel__Endpoints__Management__Url="http://127.0.0.1:$management"
    export Login__PublicBaseUrl="http://127.0.0.1:$port"
    export DemoDownstream__Enabled=false
    export Storage__Relational__Provider=MySql
    export Storage__Relational__ConnectionString="$(mysql_connection_string "gw_$name")"
    export Storage__Ephemeral__Provider=Redis
    export Storage__Ephemeral__Redis="127.0.0.1:$REDIS_PORT"
    export Storage__Ephemeral__KeyPrefix="bench-$name:"
    # The destination's name has a hyphen, which no shell variable may have: env sets it, with this side's settings
    # (split on spaces on purpose).
    local settings="BENCH_${name^^}_SETTINGS"
    # shellcheck disable=SC2086
    exec env "ReverseProxy__Clusters__demo__Destinations__demo-1__Address=http://127.0.0.1:$NGINX_PORT/" ${!settings:-} \
      taskset -c 1 dotnet "$WORK/$name/out/Gateway.dll"
  ) >"$WORK/$name/gateway.log" 2>&1 &
  PIDS+=($!)
  GATEWAY_PID[$name]=$!
  URL[$name]="http://127.0.0.1:$port"
  wait_until 90 curl -sf "${URL[$name]}/readyz" || { cat "$WORK/$name/gateway.log" >&2; log "the $name gateway did not become ready"; exit 1; }
  local code
  code=$(curl -sf -X POST "${URL[$name]}/_sandbox/wechat/sandbox/wxlogin?appid=wx_sandbox_mp&user=xiaoming" | jq -r .code)
  TOKEN[$name]=$(curl -sf -X POST -H 'Content-Type: application/json' -d "{\"code\":\"$code\"}" \
    "${URL[$name]}/auth/wechat/miniprogram/mp/login" | jq -r .token)
  [ -n "${TOKEN[$name]}" ] && [ "${TOKEN[$name]}" != null ] || { log "the $name gateway issued no session"; exit 1; }
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${TOKEN[$name]}" "${URL[$name]}/demo/orders/1")
  [ "$status" = 200 ] || { log "the $name gateway answered $status on the required route"; exit 1; }
  log "$name gateway ready at ${URL[$name]} (pid ${PIDS[-1]}), signed in"
}
start_gateway before
start_gateway after

# --- load -------------------------------------------------------------------------------------------------------
# CPU per request is the gateway's own user + system time over the requests it answered: on a shared machine
# neighbours take the core away and lower req/s, but they barely change what a request costs the gateway.
run() { # name seconds -> "rps p50ms p99ms cpu_us_per_request errors"
  local requests rps p50 p99 errors before after
  before=$(cpu_ticks "${GATEWAY_PID[$1]}")
  read -r requests rps p50 p99 errors < <(load "$2" "$CONNECTIONS" "${URL[$1]}/demo/orders/1" -H "Authorization: Bearer ${TOKEN[$1]}")
  after=$(cpu_ticks "${GATEWAY_PID[$1]}")
  echo "$rps $p50 $p99 $(awk -v t=$(( after - before )) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }') $errors"
}

log "warming up each gateway (${WARMUP}s)"
run before "$WARMUP" >/dev/null
run after "$WARMUP" >/dev/null

declare -A RESULTS
printf '%-7s %-7s %12s %10s %10s %10s %s\n' round build req/s p50_ms p99_ms cpu_us/req errors
for round in $(seq 1 "$ROUNDS"); do
  for name in before after; do
    read -r rps p50 p99 cpu errors < <(run "$name" "$SECONDS_PER_RUN")
    printf '%-7s %-7s %12s %10s %10s %10s %s\n' "$round" "$name" "$rps" "$p50" "$p99" "$cpu" "$errors"
    RESULTS[$name]+="$rps $p50 $p99 $cpu"$'\n'
  done
done

declare -A MEDIAN
for name in before after; do
  for column in 1 2 3 4; do
    MEDIAN[$name,$column]=$(awk -v c="$column" 'NF { print $c }' <<<"${RESULTS[$name]}" | median)
  done
done

echo
echo "medians over $ROUNDS alternated rounds (${SECONDS_PER_RUN}s each after a ${WARMUP}s warm-up of each, c=$CONNECTIONS, wrk -t1; gateway on core 1, wrk + nginx on core 0)"
printf '%-8s %12s %10s %10s %10s\n' build req/s p50_ms p99_ms cpu_us/req
for name in before after; do
  printf '%-8s %12s %10s %10s %10s\n' "$name" "${MEDIAN[$name,1]}" "${MEDIAN[$name,2]}" "${MEDIAN[$name,3]}" "${MEDIAN[$name,4]}"
done
awk -v rb="${MEDIAN[before,1]}" -v ra="${MEDIAN[after,1]}" -v pb="${MEDIAN[before,2]}" -v pa="${MEDIAN[after,2]}" \
    -v qb="${MEDIAN[before,3]}" -v qa="${MEDIAN[after,3]}" -v cb="${MEDIAN[before,4]}" -v ca="${MEDIAN[after,4]}" \
  'BEGIN { printf "%-8s %12.2f %10.2f %10.2f %10.2f\n", "after/before", ra / rb, pa / pb, qa / qb, ca / cb }'
echo "before = $BEFORE${BENCH_BEFORE_SETTINGS:+ with $BENCH_BEFORE_SETTINGS}, after = $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo ' (with uncommitted changes)')${BENCH_AFTER_SETTINGS:+ with $BENCH_AFTER_SETTINGS}"
# The machine may be shared: the load says how much else ran beside the benchmark.
echo "load average at the end (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

#!/usr/bin/env bash
# The soak: login and proxy traffic at about half the gateway's capacity for a long time, to see whether anything
# grows (memory, the GC heap, Redis, latency, errors). Not in CI.
#
#   benchmarks/soak.sh
#
# Knobs (environment): SOAK_SECONDS (600), SOAK_REPORT_SECONDS (30), SOAK_LOAD (0.5: the share of the measured proxy
# capacity offered as proxied requests), SOAK_LOGINS_PER_SECOND (20: Mini Program logins, each a new session that
# joins the pool the proxied requests draw from), SOAK_USERS (1000 sandbox users, one pooled session each to start).
#
# Layout as in run.sh: the gateway (published in Release, Production, real MariaDB and Redis) on core 1; the nginx
# `return 200` destination, Redis, MariaDB, the WeChat sandbox and the load driver (benchmarks/LoginLoad soak) on
# core 0. First wrk measures the capacity of the required route (one session, 64 connections) after a warm-up; then
# LoginLoad offers SOAK_LOAD of it on a schedule (open loop) plus the logins, and prints one line per period: the
# period's proxied req/s and p99, logins/s and p99, errors (non-200 or no answer), skipped starts (more than 512 in
# flight: past capacity), sandbox failures (no code from the sandbox: WeChat's side, not counted as a login), the
# gateway's working set (VmRSS from /proc/PID/status), its GC heap and committed bytes
# and gen-2 collections (GET /_gateway/runtime on the management listener), and Redis used_memory and key count.
# Sessions expire after their idle timeout (Sessions:IdleTimeout, 30 minutes by default) or absolute lifetime, both
# longer than ten minutes: Redis grows by one session key per login, by design. Every process started here is
# stopped by PID when the script exits, also on Ctrl-C or a failure (long steps run `tracked`, see lib.sh).
set -euo pipefail

DURATION=${SOAK_SECONDS:-600}
REPORT=${SOAK_REPORT_SECONDS:-30}
LOAD=${SOAK_LOAD:-0.5}
LOGINS_PER_SECOND=${SOAK_LOGINS_PER_SECOND:-20}
USERS=${SOAK_USERS:-1000}

cd "$(dirname "$0")/.."
ROOT=$(pwd)
LOG_PREFIX=soak
# shellcheck source=lib.sh
. "$ROOT/benchmarks/lib.sh"

need_bench_tools
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

publish gateway "$ROOT/Gateway/Gateway.csproj"
publish sandbox "$ROOT/Gateway.WeChatSandbox/Gateway.WeChatSandbox.csproj"
publish login-load "$ROOT/benchmarks/LoginLoad/LoginLoad.csproj"

start_backends 0
start_sandbox 0 "s:$USERS" "c:1"
start_gateway 1 "$WORK/scenario.json"

# --- capacity -------------------------------------------------------------------------------------------------------
tracked taskset -c 0 dotnet "$WORK/login-load/out/LoginLoad.dll" sessions "$GATEWAY" "$SANDBOX" c- 1 1 "$WORK/capacity-token.txt"
TOKEN=$(cat "$WORK/capacity-token.txt")
tracked load 20 64 "$GATEWAY/required/1" -H "Authorization: Bearer $TOKEN" >/dev/null
tracked load 20 64 "$GATEWAY/required/1" -H "Authorization: Bearer $TOKEN" >"$WORK/capacity.txt"
read -r _ CAPACITY _ _ errors <"$WORK/capacity.txt"
[ "$errors" = 0 ] || { log "the capacity run had errors: $errors"; exit 1; }
PROXY_RATE=$(awk -v c="$CAPACITY" -v l="$LOAD" 'BEGIN { printf "%.0f", c * l }')
log "capacity of /required/1: $CAPACITY req/s; soak: $PROXY_RATE proxied req/s + $LOGINS_PER_SECOND logins/s for ${DURATION}s"

# --- the soak -------------------------------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
TICKS_BEFORE=$(cpu_ticks "$GATEWAY_PID")
status=0
tracked taskset -c 0 dotnet "$WORK/login-load/out/LoginLoad.dll" soak "$GATEWAY" "$SANDBOX" "$GATEWAY_MANAGEMENT" "$MANAGEMENT_KEY" \
  "$GATEWAY_PID" "$REDIS_PORT" "$DURATION" "$REPORT" "$PROXY_RATE" "$LOGINS_PER_SECOND" s- "$USERS" 2>"$WORK/soak-errors.log" || status=$?
TICKS=$(( $(cpu_ticks "$GATEWAY_PID") - TICKS_BEFORE ))
log "gateway CPU over the soak: $(awk -v t="$TICKS" -v hz="$CLK_TCK" -v s="$DURATION" 'BEGIN { printf "%.0f", 100 * t / hz / s }')% of one core"
if [ -s "$WORK/soak-errors.log" ]; then
  log "errors reported by the driver (first 20 of $(wc -l <"$WORK/soak-errors.log")):"
  head -n 20 "$WORK/soak-errors.log" >&2
fi
[ "$status" = 0 ] || { log "the soak driver failed (exit $status)"; exit "$status"; }
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
log "commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo ' (with uncommitted changes)'), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"

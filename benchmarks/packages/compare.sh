#!/usr/bin/env bash
# Before and after the package move (issue 9): the gateway published at the pre-migration commit and at HEAD,
# side by side in one run, on the required route with a signed-in session.
#
#   benchmarks/packages/compare.sh [rounds=3] [seconds=15] [connections=64] [before-commit=3ab238b]
#
# Real Redis and MariaDB (private instances, like test.sh), an nginx `return 200` destination, each gateway
# pinned to core 1 (taskset -c 1), wrk and nginx on core 0. Both gateways run the embedded default's
# configuration (Development: the WeChat sandbox signs the benchmark's user in) moved onto MySQL and Redis, with
# the demo cluster pointed at nginx. After a warm-up of each, the two are loaded alternately for the given number
# of rounds; the script prints every round and the medians of req/s, p50 and p99, and the after/before ratios.
# Every process it starts is stopped by PID on exit.
set -euo pipefail

ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-15}
CONNECTIONS=${3:-64}
BEFORE=${4:-3ab238b}

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/gateway-package-bench.XXXXXX)
PIDS=()

log() { printf '[compare] %s\n' "$*" >&2; }

cleanup() {
  local status=$?
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for tool in wrk nginx taskset redis-server mariadbd jq curl; do
  command -v "$tool" >/dev/null || { log "missing $tool (apt-get install wrk nginx-light redis-server mariadb-server jq curl)"; exit 1; }
done

free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 20000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

wait_until() { # seconds command...
  local deadline=$(( SECONDS + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

# --- build both -------------------------------------------------------------------------------------------------
publish() { # name source-dir
  log "publishing $1 (Release)"
  dotnet publish "$2/Gateway/Gateway.csproj" -c Release -o "$WORK/$1/out" -nologo -v quiet >"$WORK/$1-publish.log" 2>&1 \
    || { cat "$WORK/$1-publish.log" >&2; exit 1; }
}
mkdir -p "$WORK/before/src"
git -C "$ROOT" archive "$BEFORE" | tar -x -C "$WORK/before/src"
publish before "$WORK/before/src"
publish after "$ROOT"

# --- servers: Redis, MariaDB, nginx -----------------------------------------------------------------------------
REDIS_PORT=$(free_port)
mkdir -p "$WORK/redis"
taskset -c 0 redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$WORK/redis" --save "" --appendonly no \
  --daemonize no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
wait_until 20 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping || { log "Redis did not start"; exit 1; }

MYSQL_PORT=$(free_port)
mariadb-install-db --no-defaults --datadir="$WORK/mysql" --user="$(id -un)" --auth-root-authentication-method=normal \
  --skip-test-db >"$WORK/mysql-install.log" 2>&1 || { cat "$WORK/mysql-install.log" >&2; exit 1; }
taskset -c 0 mariadbd --no-defaults --datadir="$WORK/mysql" --user="$(id -un)" --bind-address=127.0.0.1 --port="$MYSQL_PORT" \
  --socket="$WORK/mariadb.sock" --pid-file="$WORK/mariadbd.pid" --skip-name-resolve \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --log-error="$WORK/mariadb.log" >/dev/null 2>&1 &
PIDS+=($!)
wait_until 30 mariadb-admin --no-defaults --socket="$WORK/mariadb.sock" -uroot ping || { log "MariaDB did not start"; exit 1; }
mariadb --no-defaults --socket="$WORK/mariadb.sock" -uroot -e "
  CREATE DATABASE gw_before CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
  CREATE DATABASE gw_after CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
  CREATE USER 'bench'@'127.0.0.1' IDENTIFIED BY 'bench'; GRANT ALL PRIVILEGES ON *.* TO 'bench'@'127.0.0.1';"

NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$NGINX_PORT; location / { return 200 "ok"; } }
}
NGINX
taskset -c 0 nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" >"$WORK/nginx.log" 2>&1 &
PIDS+=($!)
wait_until 10 curl -sf "http://127.0.0.1:$NGINX_PORT/" || { cat "$WORK/nginx.log" >&2; log "nginx did not start"; exit 1; }

# --- the two gateways, both on core 1 ---------------------------------------------------------------------------
declare -A URL TOKEN
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
    export Storage__Relational__ConnectionString="Server=127.0.0.1;Port=$MYSQL_PORT;Database=gw_$name;User ID=bench;Password=bench;SslMode=None"
    export Storage__Ephemeral__Provider=Redis
    export Storage__Ephemeral__Redis="127.0.0.1:$REDIS_PORT"
    export Storage__Ephemeral__KeyPrefix="bench-$name:"
    # The destination's name has a hyphen, which no shell variable may have: env sets it.
    exec env "ReverseProxy__Clusters__demo__Destinations__demo-1__Address=http://127.0.0.1:$NGINX_PORT/" \
      taskset -c 1 dotnet "$WORK/$name/out/Gateway.dll"
  ) >"$WORK/$name/gateway.log" 2>&1 &
  PIDS+=($!)
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
to_ms() { # a wrk latency such as 812.00us, 3.21ms, 1.02s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

load() { # name seconds -> "rps p50ms p99ms errors"
  local out
  out=$(taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"${2}s" --latency -H "Authorization: Bearer ${TOKEN[$1]}" "${URL[$1]}/demo/orders/1")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  errors=$(awk '/Non-2xx or 3xx responses:/ { print $5 } /Socket errors:/ { print "socket" }' <<<"$out" | paste -sd, -)
  echo "$rps $p50 $p99 ${errors:-0}"
}

log "warming up each gateway (${SECONDS_PER_RUN}s)"
load before "$SECONDS_PER_RUN" >/dev/null
load after "$SECONDS_PER_RUN" >/dev/null

declare -A RESULTS
printf '%-7s %-7s %12s %10s %10s %s\n' round build req/s p50_ms p99_ms errors
for round in $(seq 1 "$ROUNDS"); do
  for name in before after; do
    read -r rps p50 p99 errors < <(load "$name" "$SECONDS_PER_RUN")
    printf '%-7s %-7s %12s %10s %10s %s\n' "$round" "$name" "$rps" "$p50" "$p99" "$errors"
    RESULTS[$name]+="$rps $p50 $p99"$'\n'
  done
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A MEDIAN
for name in before after; do
  for column in 1 2 3; do
    MEDIAN[$name,$column]=$(awk -v c="$column" 'NF { print $c }' <<<"${RESULTS[$name]}" | median)
  done
done

echo
echo "medians over $ROUNDS alternated rounds (${SECONDS_PER_RUN}s each, c=$CONNECTIONS, wrk -t1; gateway on core 1, wrk + nginx on core 0)"
printf '%-8s %12s %10s %10s\n' build req/s p50_ms p99_ms
for name in before after; do
  printf '%-8s %12s %10s %10s\n' "$name" "${MEDIAN[$name,1]}" "${MEDIAN[$name,2]}" "${MEDIAN[$name,3]}"
done
awk -v rb="${MEDIAN[before,1]}" -v ra="${MEDIAN[after,1]}" -v pb="${MEDIAN[before,2]}" -v pa="${MEDIAN[after,2]}" \
    -v qb="${MEDIAN[before,3]}" -v qa="${MEDIAN[after,3]}" \
  'BEGIN { printf "%-8s %12.2f %10.2f %10.2f\n", "after/before", ra / rb, pa / pb, qa / qb }'
echo "before = $BEFORE, after = $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD || echo ' (with uncommitted changes)')"
# The machine may be shared: the load says how much else ran beside the benchmark.
echo "load average at the end (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

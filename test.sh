#!/usr/bin/env bash
# Runs every test of the gateway against real servers, and the downstream verifier examples (docs/verifiers).
#
#   ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Identity]
#
# MariaDB and Redis: when GATEWAY_TEST_MYSQL (an ADO.NET connection string for a user allowed to create users and
# databases), GATEWAY_TEST_REDIS (host:port), GATEWAY_TEST_REDIS_CLUSTER (seed nodes) and GATEWAY_TEST_REDIS_SENTINEL
# (sentinels plus serviceName=) are set, those servers are used and nothing is started.
# Otherwise the script installs mariadb-server and redis-server (and chromium, prometheus and nginx-light, for the
# browser, telemetry and load-balancer tests, which start their own servers) from Debian packages when missing (root
# needed), starts private instances on free 127.0.0.1 ports in a temporary directory, and stops exactly those
# processes when it exits, whether the tests pass, fail or the run is interrupted.
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$(pwd)
STARTED_PIDS=()
WORK_DIR=""

log() { printf '[test.sh] %s\n' "$*" >&2; }

cleanup() {
  local status=$?
  for pid in "${STARTED_PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  [ -n "$WORK_DIR" ] && rm -rf "$WORK_DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

APT_UPDATED=0
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    log "missing $*: install them (apt-get install $*) or run as root"; exit 1
  fi
  if [ "$APT_UPDATED" = 0 ]; then
    log "apt-get update"
    apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

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
    sleep 0.1
  done
}

need_tools=()
command -v redis-server >/dev/null || need_tools+=(redis-server)
command -v mariadbd >/dev/null || need_tools+=(mariadb-server mariadb-client)
[ -x /usr/bin/chromium ] || need_tools+=(chromium)   # the browser tests drive it headless
[ -x /usr/sbin/nginx ] || need_tools+=(nginx-light)  # the load balancer of ThreeInstancesBehindNginxTests (started by the test)
[ -x /usr/bin/prometheus ] || need_tools+=(prometheus)   # the telemetry tests start their own server (PrometheusServer)
[ ${#need_tools[@]} -eq 0 ] || apt_install "${need_tools[@]}"

# Every gateway a test starts watches its configuration files (yarp.json reloads); with tests in parallel that
# passes Debian's default of 128 inotify instances per user, and a host then fails to start.
if [ "$(id -u)" = 0 ] && [ "$(cat /proc/sys/fs/inotify/max_user_instances 2>/dev/null || echo 0)" -lt 1024 ]; then
  sysctl -qw fs.inotify.max_user_instances=1024 || log "could not raise fs.inotify.max_user_instances"
fi

WORK_DIR=$(mktemp -d /tmp/gateway-test-servers.XXXXXX)

if [ -z "${GATEWAY_TEST_REDIS:-}" ]; then
  port=$(free_port)
  mkdir -p "$WORK_DIR/redis"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$WORK_DIR/redis" --save "" --appendonly no \
    --daemonize no >"$WORK_DIR/redis.log" 2>&1 &
  STARTED_PIDS+=($!)
  wait_until 20 redis-cli -h 127.0.0.1 -p "$port" ping || { cat "$WORK_DIR/redis.log" >&2; log "Redis did not start"; exit 1; }
  export GATEWAY_TEST_REDIS="127.0.0.1:$port"
  log "Redis started on $GATEWAY_TEST_REDIS (pid ${STARTED_PIDS[-1]})"
else
  log "using Redis at $GATEWAY_TEST_REDIS"
fi

# Redis Cluster (3 masters) and Sentinel (1 master, 1 replica, 3 sentinels), for the tests that run the store, session,
# revocation and login specifications against each topology (docs/high-availability.md). Skipped, with those tests,
# when GATEWAY_TEST_REDIS_CLUSTER and GATEWAY_TEST_REDIS_SENTINEL are both set.
start_redis() { # name port extra-arguments...
  local name=$1 port=$2; shift 2
  mkdir -p "$WORK_DIR/$name"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$WORK_DIR/$name" --save "" --appendonly no --daemonize no \
    "$@" >"$WORK_DIR/$name.log" 2>&1 &
  STARTED_PIDS+=($!)
  wait_until 20 redis-cli -h 127.0.0.1 -p "$port" ping || { cat "$WORK_DIR/$name.log" >&2; log "Redis $name did not start"; exit 1; }
}
if [ -z "${GATEWAY_TEST_REDIS_CLUSTER:-}" ]; then
  nodes=()
  for i in 1 2 3; do
    # A cluster node also listens on its port + 10000 (the cluster bus): both must be free.
    port=$(free_port)
    until ! (exec 3<>"/dev/tcp/127.0.0.1/$(( port + 10000 ))") 2>/dev/null; do port=$(free_port); done
    start_redis "cluster-$i" "$port" --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000
    nodes+=("127.0.0.1:$port")
  done
  redis-cli --cluster create "${nodes[@]}" --cluster-yes >"$WORK_DIR/cluster-create.log" 2>&1 \
    || { cat "$WORK_DIR/cluster-create.log" >&2; log "redis-cli --cluster create failed"; exit 1; }
  cluster_ok() { for node in "${nodes[@]}"; do redis-cli -h 127.0.0.1 -p "${node##*:}" cluster info | grep -q '^cluster_state:ok' || return 1; done; }
  wait_until 30 cluster_ok || { log "the Redis Cluster did not reach cluster_state:ok"; exit 1; }
  GATEWAY_TEST_REDIS_CLUSTER=$(IFS=,; echo "${nodes[*]}")
  export GATEWAY_TEST_REDIS_CLUSTER
  log "Redis Cluster started on $GATEWAY_TEST_REDIS_CLUSTER"
fi
if [ -z "${GATEWAY_TEST_REDIS_SENTINEL:-}" ]; then
  primary=$(free_port)
  start_redis sentinel-primary "$primary"
  start_redis sentinel-replica "$(free_port)" --replicaof 127.0.0.1 "$primary"
  sentinels=()
  for i in 1 2 3; do
    port=$(free_port)
    mkdir -p "$WORK_DIR/sentinel-$i"
    printf 'bind 127.0.0.1\nport %s\ndir %s\nsentinel monitor gwtest 127.0.0.1 %s 2\nsentinel down-after-milliseconds gwtest 1000\nsentinel failover-timeout gwtest 5000\n' \
      "$port" "$WORK_DIR/sentinel-$i" "$primary" >"$WORK_DIR/sentinel-$i/sentinel.conf"
    redis-server "$WORK_DIR/sentinel-$i/sentinel.conf" --sentinel >"$WORK_DIR/sentinel-$i.log" 2>&1 &
    STARTED_PIDS+=($!)
    wait_until 20 redis-cli -h 127.0.0.1 -p "$port" ping || { cat "$WORK_DIR/sentinel-$i.log" >&2; log "Sentinel $i did not start"; exit 1; }
    sentinels+=("127.0.0.1:$port")
  done
  GATEWAY_TEST_REDIS_SENTINEL="$(IFS=,; echo "${sentinels[*]}"),serviceName=gwtest"
  export GATEWAY_TEST_REDIS_SENTINEL
  log "Redis Sentinel started: $GATEWAY_TEST_REDIS_SENTINEL"
fi

if [ -z "${GATEWAY_TEST_MYSQL:-}" ]; then
  port=$(free_port)
  user=$(id -un)
  mariadb-install-db --no-defaults --datadir="$WORK_DIR/mysql" --user="$user" \
    --auth-root-authentication-method=normal --skip-test-db >"$WORK_DIR/mysql-install.log" 2>&1 \
    || { cat "$WORK_DIR/mysql-install.log" >&2; log "mariadb-install-db failed"; exit 1; }
  mariadbd --no-defaults --datadir="$WORK_DIR/mysql" --user="$user" --bind-address=127.0.0.1 --port="$port" \
    --socket="$WORK_DIR/mariadb.sock" --pid-file="$WORK_DIR/mariadbd.pid" --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --max-connections=500 \
    --log-error="$WORK_DIR/mariadb.log" >/dev/null 2>&1 &
  STARTED_PIDS+=($!)
  wait_until 30 mariadb-admin --no-defaults --socket="$WORK_DIR/mariadb.sock" -uroot ping \
    || { cat "$WORK_DIR/mariadb.log" >&2; log "MariaDB did not start"; exit 1; }
  mariadb --no-defaults --socket="$WORK_DIR/mariadb.sock" -uroot -e \
    "CREATE USER 'gwtest'@'127.0.0.1' IDENTIFIED BY 'gwtest'; GRANT ALL PRIVILEGES ON *.* TO 'gwtest'@'127.0.0.1' WITH GRANT OPTION;"
  export GATEWAY_TEST_MYSQL="Server=127.0.0.1;Port=$port;User ID=gwtest;Password=gwtest;SslMode=None;CharSet=utf8mb4"
  log "MariaDB started on 127.0.0.1:$port (pid ${STARTED_PIDS[-1]})"
else
  log "using MySQL from GATEWAY_TEST_MYSQL"
fi

status=0

# The downstream verifier package packs (README, version, license; its public API baseline is enforced by the build).
if ! dotnet pack "$ROOT/Gateway.IdentityAssertions" --nologo -v quiet -o "$WORK_DIR/packages"; then
  log "dotnet pack Gateway.IdentityAssertions failed"; status=1
fi

# The downstream verifier examples (Python, Node, Java, PHP) against the shared test vectors.
verifiers=0
"$ROOT/docs/verifiers/run-all.sh" || verifiers=$?

dotnet test "$ROOT/Gateway.sln" "$@" 2>&1 | tee "$WORK_DIR/dotnet-test.log" || status=$?

# One closing line any CI can read, summed over every test assembly.
read -r passed failed < <(awk '/^(Passed|Failed)!/ {
    for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1) } }
  END { printf "%d %d\n", p, f }' "$WORK_DIR/dotnet-test.log")

# The Mini Program client library's Node tests (clients/), against a gateway started from the build above; their
# counts join the closing line. Skipped when dotnet test is given arguments (a filtered run).
if [ $# -eq 0 ]; then
  command -v node >/dev/null || apt_install nodejs
  GATEWAY_DLL="$ROOT/Gateway/bin/Debug/net10.0/Gateway.dll" node "$ROOT/clients/test/run.js" 2>&1 | tee "$WORK_DIR/node-test.log" || status=$?
  read -r node_passed node_failed < <(awk '/^# (pass|fail) / { n[$2] = $3 } END { printf "%d %d\n", n["pass"], n["fail"] }' "$WORK_DIR/node-test.log")
  passed=$(( passed + node_passed )); failed=$(( failed + node_failed ))
else
  log "client library tests skipped (dotnet test arguments given); run: node clients/test/run.js"
fi
if [ "$verifiers" -ne 0 ]; then
  log "the verifier examples failed (see above)"; status=1
fi
# The names of the failed tests right above the closing line, where a CI log's tail still shows them.
if [ "$failed" -gt 0 ]; then
  echo "failed tests:"
  grep -E '^[[:space:]]+Failed [A-Za-z_]' "$WORK_DIR/dotnet-test.log" | sed 's/^[[:space:]]*/  /' || true
  [ -f "$WORK_DIR/node-test.log" ] && { grep -E '^not ok ' "$WORK_DIR/node-test.log" | sed 's/^/  /' || true; }
fi
echo "tests: $passed passed, $failed failed"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  log "no test ran"; status=1
fi
exit "$status"

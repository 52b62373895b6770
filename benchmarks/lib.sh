# Shared by the benchmark scripts (benchmarks/run.sh, benchmarks/soak.sh, benchmarks/packages/compare.sh): source it after setting
# LOG_PREFIX. Servers are private instances in $WORK (like test.sh), each started pinned to a core and recorded
# in PIDS, and every one is stopped by PID when the script exits.

PIDS=()
WORK=$(mktemp -d /tmp/gateway-bench.XXXXXX)

log() { printf '[%s] %s\n' "${LOG_PREFIX:-bench}" "$*" >&2; }

bench_cleanup() {
  local status=$? pid child
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
      # A recorded subshell (a shell function run with `tracked`) first loses the children it started, such as wrk.
      for child in $(pgrep -P "$pid" || true); do kill "$child" 2>/dev/null || true; done
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$WORK"
  exit "$status"
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Installs the Debian packages that provide the missing commands (root needed), e.g. need wrk:wrk nginx:nginx-light.
need() { # command:package...
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root"; exit 1
  fi
  log "installing ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Runs a command in the background, recorded in PIDS, and waits for it: an interruption or a failure of the script
# stops it too (a foreground command would outlive a SIGTERM until it finished). Its exit status is the command's.
tracked() { # command...
  "$@" &
  PIDS+=($!)
  wait "$!"
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
    sleep 0.2
  done
}

# dotnet publish in Release into $WORK/<name>/out.
publish() { # name project-file
  log "publishing $1 (Release)"
  mkdir -p "$WORK/$1"
  dotnet publish "$2" -c Release -o "$WORK/$1/out" -nologo -v quiet >"$WORK/$1/publish.log" 2>&1 \
    || { cat "$WORK/$1/publish.log" >&2; exit 1; }
}

start_redis() { # core -> REDIS_PORT
  REDIS_PORT=$(free_port)
  mkdir -p "$WORK/redis"
  taskset -c "$1" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$WORK/redis" --save "" --appendonly no \
    --daemonize no >"$WORK/redis.log" 2>&1 &
  PIDS+=($!)
  wait_until 20 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping || { cat "$WORK/redis.log" >&2; log "Redis did not start"; exit 1; }
  log "Redis on 127.0.0.1:$REDIS_PORT (pid ${PIDS[-1]}, core $1)"
}

# MariaDB with a user bench/bench allowed everything; create databases with mariadb_sql.
start_mariadb() { # core -> MYSQL_PORT
  MYSQL_PORT=$(free_port)
  mariadb-install-db --no-defaults --datadir="$WORK/mysql" --user="$(id -un)" --auth-root-authentication-method=normal \
    --skip-test-db >"$WORK/mysql-install.log" 2>&1 || { cat "$WORK/mysql-install.log" >&2; exit 1; }
  taskset -c "$1" mariadbd --no-defaults --datadir="$WORK/mysql" --user="$(id -un)" --bind-address=127.0.0.1 --port="$MYSQL_PORT" \
    --socket="$WORK/mariadb.sock" --pid-file="$WORK/mariadbd.pid" --skip-name-resolve --max-connections=500 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --log-error="$WORK/mariadb.log" >/dev/null 2>&1 &
  PIDS+=($!)
  wait_until 30 mariadb-admin --no-defaults --socket="$WORK/mariadb.sock" -uroot ping || { cat "$WORK/mariadb.log" >&2; log "MariaDB did not start"; exit 1; }
  mariadb_sql "CREATE USER 'bench'@'127.0.0.1' IDENTIFIED BY 'bench'; GRANT ALL PRIVILEGES ON *.* TO 'bench'@'127.0.0.1';"
  log "MariaDB on 127.0.0.1:$MYSQL_PORT (pid ${PIDS[-1]}, core $1)"
}

mariadb_sql() { mariadb --no-defaults --socket="$WORK/mariadb.sock" -uroot -e "$1"; }

mysql_connection_string() { # database
  echo "Server=127.0.0.1;Port=$MYSQL_PORT;Database=$1;User ID=bench;Password=bench;SslMode=None"
}

# One nginx worker; the third argument is the configuration's server block, PORT standing for its port.
start_nginx() { # name core server-block -> NGINX_PORT
  local name=$1 core=$2 port
  port=$(free_port)
  mkdir -p "$WORK/$name"
  cat >"$WORK/$name/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $WORK/$name/nginx.pid;
error_log $WORK/$name/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/$name/body;
  proxy_temp_path $WORK/$name/proxy;
  fastcgi_temp_path $WORK/$name/fastcgi;
  uwsgi_temp_path $WORK/$name/uwsgi;
  scgi_temp_path $WORK/$name/scgi;
  keepalive_requests 1000000;
  ${3//PORT/$port}
}
NGINX
  taskset -c "$core" nginx -c "$WORK/$name/nginx.conf" -p "$WORK/$name" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  wait_until 10 curl -s -o /dev/null "http://127.0.0.1:$port/" || { cat "$WORK/$name.log" >&2; log "$name (nginx) did not start"; exit 1; }
  log "$name (nginx) on 127.0.0.1:$port (pid ${PIDS[-1]}, core $core)"
  NGINX_PORT=$port
}

# The destination every proxy forwards to: nginx answering 200 "ok" to everything.
start_destination() { # core -> DESTINATION_PORT
  start_nginx destination "$1" 'server { listen 127.0.0.1:PORT; location / { return 200 "ok"; } }'
  DESTINATION_PORT=$NGINX_PORT
}

# What run.sh and soak.sh need: wrk, nginx, taskset, Redis, MariaDB, curl and openssl.
need_bench_tools() {
  need wrk:wrk nginx:nginx-light taskset:util-linux redis-server:redis-server mariadbd:mariadb-server \
    mariadb:mariadb-client curl:curl openssl:openssl
}

# Redis, MariaDB (database "gateway") and the nginx destination on one core, and $WORK/scenario.json: the
# benchmark routes (benchmarks/scenario.json) pointed at that destination.
start_backends() { # core -> REDIS_PORT MYSQL_PORT DESTINATION_PORT
  start_redis "$1"
  start_mariadb "$1"
  mariadb_sql "CREATE DATABASE gateway CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  start_destination "$1"
  sed "s/{{DESTINATION_PORT}}/$DESTINATION_PORT/g" "$ROOT/benchmarks/scenario.json" >"$WORK/scenario.json"
}

# The WeChat sandbox (published as "sandbox") in its own process, with the users given as prefix:count (keys
# prefix-0 ... prefix-(count-1)). The standalone sandbox reads only its command line and WECHATSANDBOX_ environment
# variables (no appsettings file), so the users are a file of WECHATSANDBOX_WeChatSandbox__Users__N__* exports the
# sandbox's shell sources. Configuring users keeps the built-in apps. Binding a long user list takes the
# configuration binder time quadratic in its length: keep the lists to a few thousand.
start_sandbox() { # core prefix:count... -> SANDBOX
  local core=$1 pair prefix count i n=0 port
  shift
  for pair in "$@"; do
    prefix=${pair%%:*} count=${pair#*:}
    for ((i = 0; i < count; i++)); do
      printf 'export WECHATSANDBOX_WeChatSandbox__Users__%d__Key=%s-%d WECHATSANDBOX_WeChatSandbox__Users__%d__Nickname=用户%s%d\n' \
        "$n" "$prefix" "$i" "$n" "$prefix" "$i"
      n=$(( n + 1 ))
    done
  done >"$WORK/sandbox/users.env"
  port=$(free_port)
  (cd "$WORK/sandbox" && . ./users.env && ASPNETCORE_ENVIRONMENT=Production exec taskset -c "$core" dotnet out/Gateway.WeChatSandbox.dll --urls "http://127.0.0.1:$port") >"$WORK/sandbox.log" 2>&1 &
  PIDS+=($!)
  SANDBOX="http://127.0.0.1:$port"
  wait_until 180 curl -sf "$SANDBOX/_sandbox/wechat/sandbox/apps" || { cat "$WORK/sandbox.log" >&2; log "the sandbox did not start"; exit 1; }
  log "WeChat sandbox at $SANDBOX (pid ${PIDS[-1]}, core $core)"
}

# The published gateway (Production, real MariaDB database "gateway" and Redis, the sandbox's apps mp, twostep and
# oa, login limits raised), pinned to a core, with the routes of a proxy configuration file.
start_gateway() { # core proxy-config -> GATEWAY GATEWAY_PID GATEWAY_MANAGEMENT MANAGEMENT_KEY
  local core=$1 config=$2
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt >"$WORK/es256.pem"
  GATEWAY="http://127.0.0.1:$(free_port)"
  GATEWAY_MANAGEMENT="http://127.0.0.1:$(free_port)"
  MANAGEMENT_KEY="bench-$(openssl rand -hex 16)"
  (
    cd "$WORK/gateway"
    export ASPNETCORE_ENVIRONMENT=Production
    export Kestrel__Endpoints__Public__Url="$GATEWAY"
    export Kestrel__Endpoints__Management__Url="$GATEWAY_MANAGEMENT"
    export Management__ApiKey="$MANAGEMENT_KEY"
    export Gateway__Proxy__ConfigFile="$config"
    export Storage__Relational__Provider=MySql
    export Storage__Relational__ConnectionString="$(mysql_connection_string gateway)"
    export Storage__Ephemeral__Provider=Redis
    export Storage__Ephemeral__Redis="127.0.0.1:$REDIS_PORT"
    export Signing__Hs256__ActiveKeyId=bench_hs
    export Signing__Hs256__Keys__bench_hs__Secret="$(openssl rand -base64 32)"
    export Signing__Es256__ActiveKeyId=bench_es
    Signing__Es256__Keys__bench_es__PrivateKeyPem="$(cat "$WORK/es256.pem")"
    export Signing__Es256__Keys__bench_es__PrivateKeyPem
    export WeChat__TestDeployment=true  # the Production environment talks to the sandbox over plain-http loopback
    export WeChat__ApiBaseUrl="$SANDBOX/_sandbox/wechat"
    export WeChat__OpenBaseUrl="$SANDBOX/_sandbox/wechat"
    export WeChat__Apps__mp__Kind=MiniProgram WeChat__Apps__mp__AppId=wx_sandbox_mp WeChat__Apps__mp__Secret=sandbox-secret-mp
    export WeChat__Apps__twostep__Kind=MiniProgram WeChat__Apps__twostep__AppId=wx_sandbox_mp_twostep \
      WeChat__Apps__twostep__Secret=sandbox-secret-mp-twostep
    export WeChat__Apps__oa__Kind=OfficialAccount WeChat__Apps__oa__AppId=wx_sandbox_oa WeChat__Apps__oa__Secret=sandbox-secret-oa
    export Login__PublicBaseUrl="$GATEWAY"
    export Login__RateLimit__PerClientPermits=1000000 Login__RateLimit__PerOpenIdPermits=1000000
    exec taskset -c "$core" dotnet out/Gateway.dll
  ) >"$WORK/gateway.log" 2>&1 &
  PIDS+=($!)
  GATEWAY_PID=${PIDS[-1]}
  wait_until 90 curl -sf "$GATEWAY/readyz" || { cat "$WORK/gateway.log" >&2; log "the gateway did not become ready"; exit 1; }
  log "gateway at $GATEWAY (pid $GATEWAY_PID, core $core)"
}

to_ms() { # a wrk latency such as 812.00us, 3.21ms, 1.02s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# utime + stime of a process and its children (nginx's worker), in clock ticks (getconf CLK_TCK per second).
cpu_ticks() { # pid
  local pid total=0 children
  children=$(pgrep -P "$1" || true)
  for pid in "$1" $children; do
    total=$(( total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat") ))
  done
  echo "$total"
}

# wrk on core 0, one thread; prints "requests rps p50_ms p99_ms errors". Extra arguments go to wrk before the URL.
load() { # seconds connections url [wrk arguments...]
  local seconds=$1 connections=$2 url=$3 out
  shift 3
  out=$(taskset -c 0 wrk -t1 -c"$connections" -d"${seconds}s" --latency "$@" "$url")
  local requests rps p50 p99 errors
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  errors=$(awk '/Non-2xx or 3xx responses:/ { print "non2xx:" $5 } /Socket errors:/ { print "socket" }' <<<"$out" | paste -sd, -)
  echo "$requests $rps $p50 $p99 ${errors:-0}"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

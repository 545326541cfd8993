# shellcheck shell=bash
# Shared helpers for scripts/*.sh. Source it from a bash script that runs with `set -euo pipefail`.
# Every function is idempotent: it checks first, acts only when something is missing, and only ever
# stops processes whose pid files it wrote itself (see scripts/down.sh).
#
# A check whose failure means "not there yet" never stands where `set -e` would end the script on it: it is
# a condition (`if`, `||`, `&&`), never a bare `$(…)` or pipeline. A step that does fail says which step, shows
# the end of its log and names the log file (run_logged); anything else that fails unexpectedly is named with
# its file and line by the ERR trap below, so no script ever stops without a word.

TD_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The directories can be overridden from the environment (e.g. for a sandboxed run of up.sh).
TD_LIB_DIR="${TD_LIB_DIR:-/var/lib/testausdeploy}"
TD_LOG_DIR="${TD_LOG_DIR:-/var/log/testausdeploy}"
TD_RUN_DIR="${TD_RUN_DIR:-/run/testausdeploy}"
TD_MONGO_SERVER_DIR="${TD_MONGO_SERVER_DIR:-/opt/testausdeploy/mongo-server}"
TD_MONGO_SERVER_SRC="${TD_MONGO_SERVER_SRC:-$TD_REPO_ROOT/tools/mongo-server}"
TD_BASE_IMAGE=testausdeploy/busybox:latest
export TD_REPO_ROOT

log() { printf '[testausdeploy] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# on_unexpected_failure STATUS COMMAND FILE LINE: the ERR trap. errtrace makes functions, `$(…)` and subshells
# inherit it, so a failure deep inside one is named where it happened and again where it ended the caller.
on_unexpected_failure() {
  log "error: \`$2\` failed with exit code $1 (${3#"$TD_REPO_ROOT"/}:$4)"
}
set -o errtrace
trap 'on_unexpected_failure $? "$BASH_COMMAND" "${BASH_SOURCE[0]:-?}" "$LINENO"' ERR

# run_logged WHAT LOGFILE CMD...: run the external command CMD (not a shell function: one would run without
# `set -e` here) with its output appended to LOGFILE. If it fails, say that WHAT failed, show the end of
# LOGFILE and where the whole of it is, and stop.
run_logged() {
  local what="$1" logfile="$2" status=0
  shift 2
  ensure_dirs
  printf '\n=== %s: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$logfile"
  "$@" >>"$logfile" 2>&1 || status=$?
  ((status == 0)) && return 0
  log "error: $what failed with exit code $status; the end of its log:"
  tail -n 25 "$logfile" | sed 's/^/    /' >&2
  die "$what failed (whole log: $logfile)"
}

ensure_dirs() {
  mkdir -p "$TD_LIB_DIR" "$TD_LOG_DIR" "$TD_RUN_DIR"
}

# pid_alive PIDFILE [PATTERN]: true if PIDFILE names a live process (whose command line contains PATTERN,
# which guards against a recycled pid after a reboot or crash).
pid_alive() {
  local file="$1" pattern="${2:-}" pid
  [[ -s "$file" ]] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  if [[ -n "$pattern" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern" || return 1
  fi
}

# start_detached PIDFILE LOGFILE ENVFILE CMD...: runs CMD in its own session, stdin from /dev/null,
# stdout/stderr appended to LOGFILE, no inherited file descriptors above 2 (so a CI runner waiting on
# its pipes does not hang), ENVFILE (or "-" for none) exported into its environment. The pid is written
# by the process itself right before exec, so it is the real pid whatever setsid does.
start_detached() {
  local pidfile="$1" logfile="$2" envfile="$3"
  shift 3
  ensure_dirs
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # expanded by the inner bash
  setsid bash -c '
    pidfile="$1" envfile="$2"; shift 2
    for fd in /proc/$$/fd/*; do
      n="${fd##*/}"
      if [ "$n" -gt 2 ] 2>/dev/null; then eval "exec $n>&-"; fi
    done
    if [ "$envfile" != "-" ]; then set -a; . "$envfile"; set +a; fi
    echo $$ >"$pidfile"
    exec "$@"
  ' td-start "$pidfile" "$envfile" "$@" </dev/null >>"$logfile" 2>&1 &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  die "could not start $* (see $logfile)"
}

# stop_pidfile PIDFILE PATTERN [SECONDS]: SIGTERM the process named by PIDFILE if it is alive and its
# command line contains PATTERN, wait, then SIGKILL. Removes the pid file.
stop_pidfile() {
  local file="$1" pattern="$2" secs="${3:-15}" pid i
  if pid_alive "$file" "$pattern"; then
    pid="$(tr -dc '0-9' <"$file")"
    log "stopping $(basename "$file" .pid) (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < secs * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid did not stop in ${secs}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  elif [[ -e "$file" ]]; then
    log "$(basename "$file" .pid) is not running (stale pid file)"
  fi
  rm -f "$file"
}

# port_open HOST PORT: true if something accepts TCP connections there.
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# wait_for_port HOST PORT SECONDS
wait_for_port() {
  local host="$1" port="$2" secs="$3" i
  for ((i = 0; i < secs * 4; i++)); do
    port_open "$host" "$port" && return 0
    sleep 0.25
  done
  log "nothing accepts connections on $host:$port after ${secs}s"
  return 1
}

# ensure_packages PKG...: apt-get install whatever of PKG is not installed yet.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]]; then
      missing+=("$p")
    fi
  done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]} (log $TD_LOG_DIR/apt.log)"
  export DEBIAN_FRONTEND=noninteractive
  run_logged "apt-get update" "$TD_LOG_DIR/apt.log" apt-get update
  run_logged "installing ${missing[*]}" "$TD_LOG_DIR/apt.log" \
    apt-get install -y --no-install-recommends "${missing[@]}"
}

# ensure_node_modules: npm ci when node_modules is missing or older than package-lock.json.
ensure_node_modules() {
  if [[ ! -d "$TD_REPO_ROOT/node_modules" ]] ||
    [[ "$TD_REPO_ROOT/package-lock.json" -nt "$TD_REPO_ROOT/node_modules/.package-lock.json" ]]; then
    log "npm ci (log $TD_LOG_DIR/npm-ci.log)"
    run_logged "npm ci" "$TD_LOG_DIR/npm-ci.log" npm --prefix "$TD_REPO_ROOT" ci --no-audit --no-fund
  fi
}

# ensure_dockerd: make `docker info` work. The `docker` first on PATH may be a 28.x client; it negotiates
# the API version down to Debian's dockerd 20.10, as does /usr/bin/docker.
ensure_dockerd() {
  ensure_dirs
  docker info >/dev/null 2>&1 && return 0
  local pidfile="$TD_RUN_DIR/dockerd.pid"
  if [[ -d /run/systemd/system ]] && systemctl is-system-running >/dev/null 2>&1; then
    log "starting docker.service"
    systemctl start docker.service || true
  elif pid_alive "$pidfile" dockerd; then
    log "dockerd (pid $(cat "$pidfile")) is starting"
  elif [[ -S /var/run/docker.sock ]] && pid_alive /var/run/docker.pid dockerd; then
    log "a dockerd we did not start (pid $(cat /var/run/docker.pid)) is running; waiting for it"
  else
    command -v dockerd >/dev/null || die "dockerd is not installed (ensure_packages docker.io)"
    log "starting dockerd (log $TD_LOG_DIR/dockerd.log)"
    start_detached "$pidfile" "$TD_LOG_DIR/dockerd.log" - dockerd
  fi
  local i
  for ((i = 0; i < 120; i++)); do
    docker info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  tail -n 30 "$TD_LOG_DIR/dockerd.log" >&2 2>/dev/null || true
  die "docker info still fails after 60s"
}

# ensure_proxy_sysctl: net.ipv4.tcp_migrate_req=1, as the proxy's unit sets it (docs/proxy.md, "Switching without
# a dropped connection"). Caddy opens a new listening socket (SO_REUSEPORT) at every configuration load and closes
# the old one; without this, the connections queued on the old one are reset. Linux 5.14 or newer; an older
# kernel serves all the same, with that rare reset (and the tests of route switches say why they fail).
ensure_proxy_sysctl() {
  local setting=/proc/sys/net/ipv4/tcp_migrate_req
  if [[ ! -e "$setting" ]]; then
    log "warning: this kernel ($(uname -r)) has no net.ipv4.tcp_migrate_req (Linux 5.14 or newer has): a route" \
      "switch of the proxy may reset a connection being opened"
    return 0
  fi
  [[ "$(cat "$setting")" == 1 ]] && return 0
  log "net.ipv4.tcp_migrate_req=1 (a route switch of the proxy then resets no connection)"
  echo 1 >"$setting"
}

# mongo_ping HOST PORT: true if a MongoDB-wire server answers {ping: 1} with ok: 1.
mongo_ping() {
  # the MongoDB driver comes with mongoose, so ensure_node_modules must have run
  (cd "$TD_REPO_ROOT" && node -e '
    const { MongoClient } = require("mongodb");
    const client = new MongoClient(`mongodb://${process.argv[1]}:${process.argv[2]}`, { serverSelectionTimeoutMS: 5000 });
    client.db("admin").command({ ping: 1 })
      .then((reply) => process.exit(reply.ok === 1 ? 0 : 1), (error) => { console.error(error.message); process.exit(1); })
  ' "$1" "$2")
}

# build_mongo_server: compile tools/mongo-server (mongo-java-server from Maven Central plus a small main) into
# $TD_MONGO_SERVER_DIR, once per version of its pom and source. Built beside it and moved in whole, so a server
# still running from the old build keeps its open jars, and a failed build leaves the old one.
build_mongo_server() {
  local src="$TD_MONGO_SERVER_SRC" logfile="$TD_LOG_DIR/mongo-server-build.log" stamp
  [[ -f "$src/pom.xml" && -f "$src/MongoWireServer.java" ]] || die "$src has no pom.xml and MongoWireServer.java"
  stamp="$(cat "$src/pom.xml" "$src"/*.java | sha256sum | cut -c1-16)"
  [[ -f "$TD_MONGO_SERVER_DIR/$stamp.built" ]] && return 0
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch mongo-java-server (ensure_packages maven)"
  command -v javac >/dev/null || die "a JDK (javac) is needed to build the database server (ensure_packages openjdk-17-jdk-headless)"
  log "building the MongoDB-wire server (mongo-java-server) into $TD_MONGO_SERVER_DIR (log $logfile)"
  local build="$TD_MONGO_SERVER_DIR.new"
  rm -rf "$build"
  mkdir -p "$build/classes"
  run_logged "fetching mongo-java-server with Maven" "$logfile" mvn -B -Dstyle.color=never -f "$src/pom.xml" \
    dependency:copy-dependencies -DoutputDirectory="$build/lib"
  run_logged "compiling MongoWireServer.java" "$logfile" \
    javac -d "$build/classes" -cp "$build/lib/*" "$src"/*.java
  touch "$build/$stamp.built"
  rm -rf "$TD_MONGO_SERVER_DIR.old"
  if [[ -d "$TD_MONGO_SERVER_DIR" ]]; then mv "$TD_MONGO_SERVER_DIR" "$TD_MONGO_SERVER_DIR.old"; fi
  mv "$build" "$TD_MONGO_SERVER_DIR"
  rm -rf "$TD_MONGO_SERVER_DIR.old"
}

# ensure_mongo_server PORT BACKEND [FILE]: a MongoDB-wire server on 127.0.0.1:PORT: mongo-java-server with the
# memory backend (tests) or the H2 backend in FILE (the quick start). Reuses whatever MongoDB-wire server
# already answers there.
ensure_mongo_server() {
  local port="$1" backend="$2" file="${3:-}"
  local pidfile="$TD_RUN_DIR/mongo-$port.pid" logfile="$TD_LOG_DIR/mongo-$port.log"
  ensure_dirs
  # Built first, even when a server answers already: tests start servers of their own from this build.
  (
    flock 9
    build_mongo_server
  ) 9>"$TD_RUN_DIR/mongo-server-build.lock"
  if port_open 127.0.0.1 "$port"; then
    mongo_ping 127.0.0.1 "$port" || die "127.0.0.1:$port is taken by something that is not a MongoDB-wire server"
    return 0
  fi
  if ! pid_alive "$pidfile" MongoWireServer; then
    local args=(--backend="$backend" --port="$port")
    if [[ -n "$file" ]]; then
      mkdir -p "$(dirname "$file")"
      args+=(--file="$file")
    fi
    log "starting the database on 127.0.0.1:$port ($backend backend, log $logfile)"
    start_detached "$pidfile" "$logfile" - java -Xmx4g -XX:+UseSerialGC \
      -cp "$TD_MONGO_SERVER_DIR/lib/*:$TD_MONGO_SERVER_DIR/classes" MongoWireServer "${args[@]}"
  fi
  if ! wait_for_port 127.0.0.1 "$port" 30 || ! mongo_ping 127.0.0.1 "$port"; then
    tail -n 30 "$logfile" >&2 || true
    die "the database did not come up on 127.0.0.1:$port"
  fi
}

# ensure_test_browser FILE: one headless Debian chromium that every browser test file drives, instead of one per
# file: dist/test/support/browser-server.js (so after `npm run build`) serves it through Playwright on 127.0.0.1
# and writes the address to FILE, mode 0600. The address holds an unguessable path, the only key to a browser
# that runs as root, so nothing but root on this machine can drive it. A server alive with its FILE is kept.
ensure_test_browser() {
  local file="$1"
  local pidfile="$TD_RUN_DIR/test-browser.pid" logfile="$TD_LOG_DIR/test-browser.log" i
  ensure_dirs
  (
    flock 9
    if pid_alive "$pidfile" browser-server.js && [[ -s "$file" ]]; then
      exit 0
    fi
    # One that never wrote its address (or lost it) is stopped first: it would be out of reach of down.sh.
    stop_pidfile "$pidfile" browser-server.js 10
    rm -f "$file"
    log "starting the tests' browser (log $logfile)"
    start_detached "$pidfile" "$logfile" - node "$TD_REPO_ROOT/dist/test/support/browser-server.js" "$file"
    for ((i = 0; i < 120; i++)); do
      [[ -s "$file" ]] && exit 0
      pid_alive "$pidfile" browser-server.js || break
      sleep 0.25
    done
    tail -n 30 "$logfile" >&2 || true
    die "the tests' browser did not start (see $logfile)"
  ) 9>"$TD_RUN_DIR/test-browser.lock"
}

# ensure_base_image: testausdeploy/busybox:latest, imported from a busybox-static rootfs (no registry).
# The image carries a label with the layout revision and is one layer (what docker import makes); an image of
# that name without the label (made by hand) or with more layers (built FROM it and tagged over it, which the deploy
# policy now refuses) is re-imported, so every machine gets /etc/passwd, /usr/bin applets, PATH and CMD, and
# nothing else. Images already built FROM an older one keep working (Docker keeps the untagged parent).
TD_BASE_IMAGE_REV=1
ensure_base_image() {
  if [[ "$(docker image inspect -f '{{index .Config.Labels "org.testausdeploy.base-image"}} {{len .RootFS.Layers}}' \
    "$TD_BASE_IMAGE" 2>/dev/null || true)" == "$TD_BASE_IMAGE_REV 1" ]]; then
    return 0
  fi
  [[ -x /bin/busybox ]] || die "/bin/busybox is missing (ensure_packages busybox-static)"
  local logfile="$TD_LOG_DIR/base-image.log" root applet
  log "importing $TD_BASE_IMAGE from /bin/busybox (log $logfile)"
  root="$(mktemp -d)"
  chmod 0755 "$root"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,www,root,var/tmp,proc,sys,dev}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  cp /bin/busybox "$root/bin/busybox"
  while read -r applet; do
    [[ -n "$applet" && "$applet" != bin/busybox && ! -e "$root/$applet" ]] || continue
    ln -s /bin/busybox "$root/$applet"
  done < <(/bin/busybox --list-full)
  [[ -e "$root/bin/sh" ]] || ln -s /bin/busybox "$root/bin/sh"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar -C "$root" --numeric-owner -cf "$root.tar" .
  rm -rf "$root"
  run_logged "importing $TD_BASE_IMAGE" "$logfile" docker import \
    --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/sh"]' \
    --change "LABEL org.testausdeploy.base-image=$TD_BASE_IMAGE_REV" \
    "$root.tar" "$TD_BASE_IMAGE"
  rm -f "$root.tar"
}

# ensure_compose_v2: compose v2 built from its Go module into $TD_COMPOSE_V2_DIR (Debian 12 packages only
# docker-compose 1.29), for the tests that run the deploy policy under both composes; sets TD_COMPOSE_V2 to the
# binary, or to nothing where no Go 1.21 or newer is installed (Debian's own is 1.19), which it says. The Worker
# uses it only if COMPOSE_COMMAND names it. About 2 minutes on the first run, seconds after.
TD_COMPOSE_V2_VERSION=v2.29.7
TD_COMPOSE_V2_DIR="${TD_COMPOSE_V2_DIR:-/opt/testausdeploy/compose-v2}"
ensure_compose_v2() {
  local dir="$TD_COMPOSE_V2_DIR/$TD_COMPOSE_V2_VERSION" logfile="$TD_LOG_DIR/compose-v2-build.log" build go_minor
  TD_COMPOSE_V2="$dir/docker-compose"
  [[ -x "$TD_COMPOSE_V2" ]] && return 0
  go_minor="$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p')" || go_minor=""
  if [[ -z "$go_minor" ]] || ((go_minor < 21)); then
    log "compose v2 is not built: it needs Go 1.21 or newer (found: $(go env GOVERSION 2>/dev/null || echo none));" \
      "the deploy policy's tests run under docker-compose 1.29 only"
    TD_COMPOSE_V2=""
    return 0
  fi
  log "building compose $TD_COMPOSE_V2_VERSION from its Go module into $dir (log $logfile)"
  build="$(mktemp -d)"
  run_logged "building compose $TD_COMPOSE_V2_VERSION" "$logfile" env GOBIN="$build" GOFLAGS=-buildvcs=false \
    go install -ldflags "-X github.com/docker/compose/v2/internal.Version=$TD_COMPOSE_V2_VERSION" \
    "github.com/docker/compose/v2/cmd@$TD_COMPOSE_V2_VERSION"
  mkdir -p "$dir"
  mv "$build/cmd" "$TD_COMPOSE_V2"
  rm -rf "$build"
}

# ensure_caddy_dns: tools/caddy-dns built into $TD_CADDY_DNS_DIR/<stamp> (a Caddy with the rfc2136 DNS provider,
# which Debian's caddy lacks, and the tests' DNS stand-in), with pebble, Let's Encrypt's ACME test CA, and its test
# certificates beside them: what the wildcard certificate's test runs (docs/proxy.md, "Wildcard certificates").
# Sets TD_CADDY_DNS to that directory; where Go 1.21 or newer is missing, to nothing (the test then says why).
TD_PEBBLE_VERSION=v2.10.3
TD_CADDY_DNS_DIR="${TD_CADDY_DNS_DIR:-/opt/testausdeploy/caddy-dns}"
ensure_caddy_dns() {
  local src="$TD_REPO_ROOT/tools/caddy-dns" logfile="$TD_LOG_DIR/caddy-dns-build.log" stamp build certs go_minor
  TD_CADDY_DNS=""
  go_minor="$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p')" || go_minor=""
  if [[ -z "$go_minor" ]] || ((go_minor < 21)); then
    log "Caddy with a DNS provider (tools/caddy-dns) is not built: it needs Go 1.21 or newer (found:" \
      "$(go env GOVERSION 2>/dev/null || echo none)); the wildcard certificate's test is skipped"
    return 0
  fi
  stamp="$( (cd "$src" && cat go.mod go.sum ./*/*.go && echo "$TD_PEBBLE_VERSION") | sha256sum | cut -c1-16)"
  TD_CADDY_DNS="$TD_CADDY_DNS_DIR/$stamp"
  [[ -f "$TD_CADDY_DNS/built" ]] && return 0
  log "building Caddy with the rfc2136 DNS provider, the DNS stand-in and pebble into $TD_CADDY_DNS (log $logfile)"
  build="$TD_CADDY_DNS.new"
  rm -rf "$build"
  mkdir -p "$build"
  run_logged "building tools/caddy-dns" "$logfile" env -C "$src" GOFLAGS=-buildvcs=false \
    go build -o "$build/" ./caddy ./dns-standin
  run_logged "building pebble $TD_PEBBLE_VERSION" "$logfile" env GOBIN="$build" GOFLAGS=-buildvcs=false \
    go install "github.com/letsencrypt/pebble/v2/cmd/pebble@$TD_PEBBLE_VERSION"
  certs="$(go env GOMODCACHE)/github.com/letsencrypt/pebble/v2@$TD_PEBBLE_VERSION/test/certs"
  cp "$certs/localhost/cert.pem" "$build/pebble-cert.pem"
  cp "$certs/localhost/key.pem" "$build/pebble-key.pem"
  cp "$certs/pebble.minica.pem" "$build/pebble-ca.pem"
  touch "$build/built"
  rm -rf "$TD_CADDY_DNS"
  mv "$build" "$TD_CADDY_DNS"
}

# ensure_schemathesis: schemathesis (the OpenAPI fuzzer, from PyPI) in a virtualenv of its own under
# $TD_SCHEMATHESIS_DIR, for the test that fuzzes the Manager's API against its own document; sets TD_SCHEMATHESIS to
# its command.
TD_SCHEMATHESIS_VERSION=4.32.5
TD_SCHEMATHESIS_DIR="${TD_SCHEMATHESIS_DIR:-/opt/testausdeploy/schemathesis}"
ensure_schemathesis() {
  local dir="$TD_SCHEMATHESIS_DIR/$TD_SCHEMATHESIS_VERSION" logfile="$TD_LOG_DIR/schemathesis-install.log"
  TD_SCHEMATHESIS="$dir/bin/st"
  [[ -f "$dir/installed" ]] && return 0
  ensure_dirs
  log "installing schemathesis $TD_SCHEMATHESIS_VERSION into $dir (log $logfile)"
  rm -rf "$dir"
  run_logged "making the virtualenv for schemathesis" "$logfile" /usr/bin/python3 -m venv "$dir"
  run_logged "installing schemathesis $TD_SCHEMATHESIS_VERSION" "$logfile" \
    "$dir/bin/pip" install --disable-pip-version-check -q "schemathesis==$TD_SCHEMATHESIS_VERSION"
  touch "$dir/installed"
}

# LXD runs the members' system containers. The socket is LXD's default, as is the Worker's LXD_SOCKET setting.
# On a machine with systemd, Debian's lxd.socket starts the daemon on the first request (lxd_answers).
# The names can be overridden from the environment: the provisioning test sets up a bridge, pool and profile of its
# own beside the real ones.
TD_LXD_SOCKET="${TD_LXD_SOCKET:-/var/lib/lxd/unix.socket}"
TD_LXD_BRIDGE="${TD_LXD_BRIDGE:-tdbr0}"
TD_LXD_IMAGE="${TD_LXD_IMAGE:-testausdeploy/bookworm}"
TD_LXD_POOL="${TD_LXD_POOL:-tdpool}"
TD_LXD_POOL_SIZE="${TD_LXD_POOL_SIZE:-30GiB}"
TD_LXD_PROFILE="${TD_LXD_PROFILE:-default}"

lxd_answers() {
  [[ -S "$TD_LXD_SOCKET" ]] && lxc query /1.0 >/dev/null 2>&1
}

# ipv4_to_int A.B.C.D
ipv4_to_int() {
  local IFS=. a b c d
  read -r a b c d <<<"$1"
  echo $(((a << 24) | (b << 16) | (c << 8) | d))
}

# ipv4_net_free A.B.C.0/N: true if no IPv4 route or address on the machine overlaps that network.
ipv4_net_free() {
  local want="$1" base bits start end net nbase nbits nstart nend
  base="$(ipv4_to_int "${want%/*}")" bits="${want#*/}"
  start=$((base & ~((1 << (32 - bits)) - 1))) end=$((start + (1 << (32 - bits)) - 1))
  while read -r net; do
    [[ "$net" =~ ^[0-9.]+(/[0-9]+)?$ ]] || continue
    nbase="$(ipv4_to_int "${net%/*}")"
    nbits=32
    [[ "$net" == */* ]] && nbits="${net#*/}"
    nstart=$((nbase & ~((1 << (32 - nbits)) - 1))) nend=$((nstart + (1 << (32 - nbits)) - 1))
    ((nend < start || nstart > end)) || return 1
  done < <(
    ip -4 route show table all | awk '$1 != "default" && $1 != "broadcast" && $1 != "local" { print $1 }'
    ip -4 -o addr show | awk '{ print $4 }'
  )
}

# lxd_free_subnet: the first of a few 10.x /24 networks that nothing on the machine uses. Docker's default
# address pools (172.17-31.x, 192.168.x) are avoided because dockerd may claim them later.
lxd_free_subnet() {
  local n
  for n in 151 152 153 154 155 156 157 158 159 160; do
    if ipv4_net_free "10.$n.0.0/24"; then
      echo "10.$n.0.1/24"
      return 0
    fi
  done
  die "no free 10.151-160.0.0/24 network for the LXD bridge (see ip -4 route)"
}

# ensure_lxd: an LXD daemon answering on $TD_LXD_SOCKET, with the $TD_LXD_BRIDGE bridge and the $TD_LXD_POOL btrfs
# pool plugged into the $TD_LXD_PROFILE profile (the one the Worker creates containers with). There is no systemd to
# run it: lxcfs (so free/nproc in a container show its limits) and lxd are started detached with pid files. A daemon
# that already answers is used as it is, and each of bridge, pool and profile devices is made only if it is missing.
# Serialised with a lock: two test runs may set up the machine at once.
ensure_lxd() {
  ensure_dirs
  command -v lxd >/dev/null || die "LXD is not installed (ensure_packages lxd lxd-client dnsmasq-base)"
  (
    flock 9
    ensure_lxd_daemon
    ensure_lxd_bridge
    ensure_lxd_pool
    ensure_lxd_profile
  ) 9>"$TD_RUN_DIR/lxd.lock"
}

ensure_lxd_daemon() {
  lxd_answers && return 0
  clear_dead_mount /var/lib/lxcfs
  if ! mountpoint -q /var/lib/lxcfs && ! pid_alive "$TD_RUN_DIR/lxcfs.pid" lxcfs; then
    if [[ -c /dev/fuse ]]; then
      log "starting lxcfs (log $TD_LOG_DIR/lxcfs.log)"
      mkdir -p /var/lib/lxcfs
      start_detached "$TD_RUN_DIR/lxcfs.pid" "$TD_LOG_DIR/lxcfs.log" - lxcfs -f /var/lib/lxcfs
      local i
      for ((i = 0; i < 50; i++)); do
        mountpoint -q /var/lib/lxcfs && break
        sleep 0.1
      done
    fi
    mountpoint -q /var/lib/lxcfs || log "lxcfs is not mounted: containers will see the host's memory and CPUs"
  fi
  if pid_alive "$TD_RUN_DIR/lxd.pid" "lxd --group"; then
    log "lxd (pid $(cat "$TD_RUN_DIR/lxd.pid")) is starting"
  else
    log "starting lxd (log $TD_LOG_DIR/lxd.log)"
    start_detached "$TD_RUN_DIR/lxd.pid" "$TD_LOG_DIR/lxd.log" - lxd --group root
  fi
  if ! lxd waitready --timeout 60; then
    tail -n 30 "$TD_LOG_DIR/lxd.log" >&2 2>/dev/null || true
    die "lxd did not become ready in 60s"
  fi
}

# clear_dead_mount PATH: detach a FUSE mount whose daemon is gone. Such a mount outlives its process (for instance
# when the machine's processes were stopped but not its mounts) and answers every stat with "Transport endpoint is
# not connected", which would stop lxcfs from mounting there again.
clear_dead_mount() {
  local path=$1
  awk -v p="$path" '$2 == p { found = 1 } END { exit !found }' /proc/mounts || return 0
  stat "$path" >/dev/null 2>&1 && return 0
  log "detaching the dead mount at $path"
  umount -l "$path"
}

# ensure_lxd_bridge: the managed bridge $TD_LXD_BRIDGE, NATed, IPv4 only, on a /24 that nothing on the machine uses.
ensure_lxd_bridge() {
  lxc network show "$TD_LXD_BRIDGE" >/dev/null 2>&1 && return 0
  local subnet
  subnet="$(lxd_free_subnet)"
  log "lxd: bridge $TD_LXD_BRIDGE on $subnet (log $TD_LOG_DIR/lxd-setup.log)"
  run_logged "creating the LXD bridge $TD_LXD_BRIDGE" "$TD_LOG_DIR/lxd-setup.log" \
    lxc network create "$TD_LXD_BRIDGE" ipv4.address="$subnet" ipv4.nat=true ipv6.address=none
}

# ensure_lxd_pool: the $TD_LXD_POOL btrfs pool on a sparse loop file. btrfs, unlike a `dir` pool, enforces a
# container's root disk size (its quota) and makes a container from the image a cheap snapshot.
ensure_lxd_pool() {
  lxc storage show "$TD_LXD_POOL" >/dev/null 2>&1 && return 0
  log "lxd: btrfs storage pool $TD_LXD_POOL, a loop file of $TD_LXD_POOL_SIZE at most (log $TD_LOG_DIR/lxd-setup.log)"
  run_logged "creating the LXD storage pool $TD_LXD_POOL" "$TD_LOG_DIR/lxd-setup.log" \
    lxc storage create "$TD_LXD_POOL" btrfs size="$TD_LXD_POOL_SIZE"
}

# ensure_lxd_profile: the $TD_LXD_PROFILE profile puts a container's root disk on $TD_LXD_POOL (also on a machine set
# up before the pool existed; containers made earlier on another pool keep theirs) and gives it an eth0 on
# $TD_LXD_BRIDGE. An eth0 that an admin pointed at another network is left alone, with a warning.
ensure_lxd_profile() {
  local profile="$TD_LXD_PROFILE" setup="$TD_LOG_DIR/lxd-setup.log" pool network
  if ! lxc profile show "$profile" >/dev/null 2>&1; then
    run_logged "creating the LXD profile $profile" "$setup" lxc profile create "$profile"
  fi
  if pool="$(lxc profile device get "$profile" root pool 2>/dev/null)"; then
    [[ "$pool" == "$TD_LXD_POOL" ]] ||
      run_logged "moving the root disk of profile $profile to $TD_LXD_POOL" "$setup" \
        lxc profile device set "$profile" root pool="$TD_LXD_POOL"
  else
    run_logged "adding a root disk on $TD_LXD_POOL to profile $profile" "$setup" \
      lxc profile device add "$profile" root disk path=/ pool="$TD_LXD_POOL"
  fi
  if network="$(lxc profile device get "$profile" eth0 network 2>/dev/null)"; then
    [[ "$network" == "$TD_LXD_BRIDGE" ]] ||
      log "warning: profile $profile plugs eth0 into ${network:-no network}, not $TD_LXD_BRIDGE: members' containers go there"
  else
    run_logged "adding eth0 on $TD_LXD_BRIDGE to profile $profile" "$setup" \
      lxc profile device add "$profile" eth0 nic name=eth0 network="$TD_LXD_BRIDGE"
  fi
}

# lxd_bridge_subnet: the network of the $TD_LXD_BRIDGE bridge, e.g. 10.151.0.0/24 (the Guardian's CONTAINER_SUBNETS).
lxd_bridge_subnet() {
  local address bits base
  address="$(lxc network get "$TD_LXD_BRIDGE" ipv4.address)" || die "no $TD_LXD_BRIDGE bridge (ensure_lxd first)"
  bits="${address#*/}"
  base=$(($(ipv4_to_int "${address%/*}") & ~((1 << (32 - bits)) - 1)))
  printf '%d.%d.%d.%d/%d\n' $((base >> 24 & 255)) $((base >> 16 & 255)) $((base >> 8 & 255)) $((base & 255)) "$bits"
}

# stop_lxd: shut down the LXD daemon and lxcfs if ensure_lxd started them (their pid files say so). `lxd shutdown`
# stops the containers cleanly first; they start again with the daemon. A daemon started otherwise is left alone.
stop_lxd() {
  if pid_alive "$TD_RUN_DIR/lxd.pid" "lxd --group"; then
    log "stopping lxd and its containers"
    if lxd shutdown --timeout 60; then
      rm -f "$TD_RUN_DIR/lxd.pid"
    else
      log "lxd shutdown failed; signalling the daemon"
    fi
  fi
  stop_pidfile "$TD_RUN_DIR/lxd.pid" "lxd --group" 30
  stop_pidfile "$TD_RUN_DIR/lxcfs.pid" lxcfs 10
}

# ensure_lxd_image: the $TD_LXD_IMAGE image built by scripts/lxd-image.sh. The image carries the hash of that
# recipe as the property testausdeploy.recipe: an image from an older recipe is rebuilt and replaced under the
# same alias, an image from this one is reused. No image yet (every first run) reads as no recipe.
ensure_lxd_image() {
  local recipe="$TD_REPO_ROOT/scripts/lxd-image.sh" logfile="$TD_LOG_DIR/lxd-image.log" hash current
  hash="$(sha256sum "$recipe" | cut -c1-16)"
  lxd_answers || die "LXD does not answer on $TD_LXD_SOCKET (ensure_lxd first)"
  ensure_dirs
  (
    flock 9
    current="$(lxc image get-property "$TD_LXD_IMAGE" testausdeploy.recipe 2>/dev/null)" || current=""
    if [[ "$current" != "$hash" ]]; then
      log "building the LXD image $TD_LXD_IMAGE with $recipe, about 30 s (log $logfile)"
      run_logged "building the LXD image $TD_LXD_IMAGE" "$logfile" bash "$recipe" "$TD_LXD_IMAGE" "$hash"
    fi
  ) 9>"$TD_RUN_DIR/lxd-image.lock"
}

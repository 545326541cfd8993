# shellcheck shell=bash
# Shared helpers for scripts/*.sh. Source it from a bash script that runs with `set -euo pipefail`.
# Every function is idempotent: it checks first, acts only when something is missing, and only ever
# stops processes whose pid files it wrote itself (see scripts/down.sh).

TD_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The directories can be overridden from the environment (e.g. for a sandboxed run of up.sh).
TD_LIB_DIR="${TD_LIB_DIR:-/var/lib/testausdeploy}"
TD_LOG_DIR="${TD_LOG_DIR:-/var/log/testausdeploy}"
TD_RUN_DIR="${TD_RUN_DIR:-/run/testausdeploy}"
TD_MONGO_SERVER_DIR="${TD_MONGO_SERVER_DIR:-/opt/testausdeploy/mongo-server}"
TD_BASE_IMAGE=testausdeploy/busybox:latest
export TD_REPO_ROOT

log() { printf '[testausdeploy] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
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
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# ensure_node_modules: npm ci when node_modules is missing or older than package-lock.json.
ensure_node_modules() {
  if [[ ! -d "$TD_REPO_ROOT/node_modules" ]] ||
    [[ "$TD_REPO_ROOT/package-lock.json" -nt "$TD_REPO_ROOT/node_modules/.package-lock.json" ]]; then
    log "npm ci"
    (cd "$TD_REPO_ROOT" && npm ci --no-audit --no-fund >&2)
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
# $TD_MONGO_SERVER_DIR, once per version of its pom and source.
build_mongo_server() {
  local src="$TD_REPO_ROOT/tools/mongo-server" stamp
  stamp="$(cat "$src/pom.xml" "$src/MongoWireServer.java" | sha256sum | cut -c1-16)"
  [[ -f "$TD_MONGO_SERVER_DIR/$stamp.built" ]] && return 0
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch mongo-java-server"
  command -v javac >/dev/null || die "a JDK (javac) is needed to build the database server"
  log "building the MongoDB-wire server (mongo-java-server) into $TD_MONGO_SERVER_DIR"
  rm -rf "$TD_MONGO_SERVER_DIR"
  mkdir -p "$TD_MONGO_SERVER_DIR/classes"
  mvn -q -B -Dstyle.color=never -f "$src/pom.xml" dependency:copy-dependencies -DoutputDirectory="$TD_MONGO_SERVER_DIR/lib" >&2 ||
    die "mvn could not fetch mongo-java-server"
  javac -d "$TD_MONGO_SERVER_DIR/classes" -cp "$TD_MONGO_SERVER_DIR/lib/*" "$src/MongoWireServer.java" >&2 ||
    die "javac failed on MongoWireServer.java"
  touch "$TD_MONGO_SERVER_DIR/$stamp.built"
}

# ensure_mongo_server PORT BACKEND [FILE]: a MongoDB-wire server on 127.0.0.1:PORT: mongo-java-server with the
# memory backend (tests) or the H2 backend in FILE (the quick start). Reuses whatever MongoDB-wire server
# already answers there.
ensure_mongo_server() {
  local port="$1" backend="$2" file="${3:-}"
  local pidfile="$TD_RUN_DIR/mongo-$port.pid" logfile="$TD_LOG_DIR/mongo-$port.log"
  ensure_dirs
  if port_open 127.0.0.1 "$port"; then
    mongo_ping 127.0.0.1 "$port" || die "127.0.0.1:$port is taken by something that is not a MongoDB-wire server"
    return 0
  fi
  (
    flock 9
    build_mongo_server
  ) 9>"$TD_RUN_DIR/mongo-server-build.lock"
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

# ensure_base_image: testausdeploy/busybox:latest, imported from a busybox-static rootfs (no registry).
# The image carries a label with the layout revision; an image of that name without it (made by hand)
# is re-imported, so every machine gets /etc/passwd, /usr/bin applets, PATH and CMD. Images already built
# FROM the old one keep working (Docker keeps the untagged parent).
TD_BASE_IMAGE_REV=1
ensure_base_image() {
  if [[ "$(docker image inspect -f '{{index .Config.Labels "org.testausdeploy.base-image"}}' \
    "$TD_BASE_IMAGE" 2>/dev/null || true)" == "$TD_BASE_IMAGE_REV" ]]; then
    return 0
  fi
  [[ -x /bin/busybox ]] || die "/bin/busybox is missing (ensure_packages busybox-static)"
  log "importing $TD_BASE_IMAGE from /bin/busybox"
  local root applet
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
  tar -C "$root" --numeric-owner -c . |
    docker import \
      --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["/bin/sh"]' \
      --change "LABEL org.testausdeploy.base-image=$TD_BASE_IMAGE_REV" \
      - "$TD_BASE_IMAGE" >/dev/null
  rm -rf "$root"
  docker image inspect "$TD_BASE_IMAGE" >/dev/null
}

#!/usr/bin/env bash
# Quick start: bring up the whole system on this machine (the database, dockerd, LXD with the members' image, a
# demo git host, Guardian, Worker, Manager). Idempotent: run it again and it only starts what is not running.
# Stop with scripts/down.sh (add --all to also stop the dockerd and database it started).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TD_REPO_ROOT"

ETC_DIR="${TD_ETC_DIR:-/etc/testausdeploy}"
APPS=(guardian worker manager)
DEMO_GIT_DIR="$TD_LIB_DIR/demo-git"
DEMO_GIT_PORT=9418

# env_get FILE KEY: the value KEY gets when FILE is sourced.
env_get() {
  (
    set +u -a
    # shellcheck disable=SC1090
    . "$1"
    printf '%s' "${!2:-}"
  )
}

# env_drop FILE KEY...: remove settings an older version wrote and this one no longer reads.
env_drop() {
  local file="$1" key tmp
  shift
  for key in "$@"; do
    grep -q "^$key=" "$file" || continue
    tmp="$(mktemp "$file.XXXXXX")"
    grep -v "^$key=" "$file" >"$tmp" || true
    chmod 0600 "$tmp"
    mv "$tmp" "$file"
    log "removed $key from $file (nodes are enrolled through the API now)"
  done
}

# env_default FILE KEY VALUE: add KEY=VALUE to FILE unless FILE sets KEY already (settings newer than the file).
env_default() {
  grep -q "^$2=" "$1" && return 0
  printf '%s=%s\n' "$2" "$3" >>"$1"
  log "added $2=$3 to $1"
}

# write_if_missing FILE: FILE (0600) from stdin, unless it exists.
write_if_missing() {
  local file="$1"
  if [[ -e "$file" ]]; then
    cat >/dev/null
    return 0
  fi
  (
    umask 077
    cat >"$file.tmp"
  )
  mv "$file.tmp" "$file"
  log "wrote $file"
}

# app_cli APP ARGS...: run APP's command line (main.js ARGS) with APP's environment.
app_cli() {
  local app="$1"
  shift
  (
    set -a
    # shellcheck disable=SC1090
    . "$ETC_DIR/$app.env"
    set +a
    node "dist/apps/$app/src/main.js" "$@" </dev/null
  )
}

# fingerprint APP: generate APP's key/certificate if needed and print its fingerprint.
fingerprint() {
  local app="$1" out fp
  out="$(app_cli "$app" fingerprint)" || die "node dist/apps/$app/src/main.js fingerprint failed"
  fp="$(printf '%s\n' "$out" | sed '/^[[:space:]]*$/d' | tail -n 1 | tr -d '[:space:]')"
  [[ -n "$fp" && "$fp" != \{* ]] || die "$app printed no fingerprint (output: $out)"
  printf '%s' "$fp"
}

# write_trust APP FINGERPRINT: make APP's trust file hold the Manager's fingerprint. A file that already lists
# it is left alone (it may list a second one while the Manager's key is being rotated).
write_trust() {
  local app="$1" fp="$2" file
  file="$(env_get "$ETC_DIR/$app.env" TRUST_FILE)"
  [[ -n "$file" ]] || file="$(env_get "$ETC_DIR/$app.env" "${app^^}_STATE_DIR")/trusted-manager"
  if [[ -f "$file" ]] && grep -qix "[[:space:]]*${fp}[[:space:]]*" "$file"; then
    return 0
  fi
  mkdir -p "$(dirname "$file")"
  (
    umask 077
    printf '%s\n' "$fp" >"$file.tmp"
  )
  mv "$file.tmp" "$file"
  log "wrote the Manager's fingerprint to $file"
  if pid_alive "$TD_RUN_DIR/$app.pid" "dist/apps/$app/src/main.js"; then
    log "note: $app is running with the old trust file; restart it: scripts/down.sh && scripts/up.sh"
  fi
}

# --- 1. packages, build, infrastructure ---------------------------------------------------------------
ensure_packages docker.io docker-compose bubblewrap nftables busybox-static iproute2 git openssl ca-certificates curl \
  maven openjdk-17-jdk-headless lxd lxd-client dnsmasq-base btrfs-progs mmdebstrap caddy
ensure_node_modules
log "npm run build (log $TD_LOG_DIR/build.log)"
run_logged "npm run build" "$TD_LOG_DIR/build.log" npm run build
for app in "${APPS[@]}"; do
  [[ -f "dist/apps/$app/src/main.js" ]] || die "dist/apps/$app/src/main.js is missing after npm run build"
done
ensure_dockerd
ensure_mongo_server 27017 h2 "$TD_LIB_DIR/mongo/testausdeploy.mv"
ensure_base_image
ensure_lxd
ensure_lxd_image

# The proxy: Debian's Caddy with nothing but its admin API on a unix socket (as deploy/systemd's unit starts it);
# the Guardian loads the routes (docs/proxy.md). Its certificates come from its own local CA.
PROXY_DIR="$TD_LIB_DIR/proxy"
PROXY_SOCKET="$TD_RUN_DIR/proxy-admin.sock"
mkdir -p "$PROXY_DIR" && chmod 0700 "$PROXY_DIR"
ensure_proxy_sysctl
if pid_alive "$TD_RUN_DIR/proxy.pid" "caddy run"; then
  :
else
  ensure_dirs
  rm -f "$PROXY_SOCKET"
  printf '{ "admin": { "listen": "unix/%s" } }\n' "$PROXY_SOCKET" >"$PROXY_DIR/bootstrap.json"
  log "starting the proxy, Caddy (log $TD_LOG_DIR/proxy.log)"
  start_detached "$TD_RUN_DIR/proxy.pid" "$TD_LOG_DIR/proxy.log" - env HOME="$PROXY_DIR" \
    XDG_CONFIG_HOME="$PROXY_DIR/config" XDG_DATA_HOME="$PROXY_DIR/data" \
    caddy run --resume --config "$PROXY_DIR/bootstrap.json"
  for ((i = 0; i < 40; i++)); do
    [[ -S "$PROXY_SOCKET" ]] && break
    sleep 0.25
  done
  if [[ ! -S "$PROXY_SOCKET" ]]; then
    tail -n 5 "$TD_LOG_DIR/proxy.log" >&2 || true
    die "Caddy did not start: its last lines are above (whole log: $TD_LOG_DIR/proxy.log)"
  fi
fi

# --- 2. env files (created once, never overwritten) ---------------------------------------------------
mkdir -p "$ETC_DIR"
chmod 0755 "$ETC_DIR"
write_if_missing "$ETC_DIR/manager.env" <<EOF
MANAGER_HOST=127.0.0.1
MANAGER_PORT=3000
MONGO_URL=mongodb://127.0.0.1:27017/testausdeploy
ADMIN_TOKEN=$(openssl rand -hex 32)
ALLOWED_ORGS=testausserveri,demo
MANAGER_STATE_DIR=$TD_LIB_DIR/manager
LOG_LEVEL=info
EOF
write_if_missing "$ETC_DIR/worker.env" <<EOF
WORKER_HOST=127.0.0.1
WORKER_PORT=7443
WORKER_STATE_DIR=$TD_LIB_DIR/worker
TRUST_FILE=$TD_LIB_DIR/worker/trusted-manager
REPOS_DIR=$TD_LIB_DIR/repos
GIT_BASE_URL=https://github.com
GIT_ORG_BASE_URLS=demo=git://127.0.0.1:$DEMO_GIT_PORT
ALLOWED_ORGS=testausserveri,demo
LOG_LEVEL=info
EOF
write_if_missing "$ETC_DIR/guardian.env" <<EOF
GUARDIAN_HOST=127.0.0.1
GUARDIAN_PORT=7444
GUARDIAN_STATE_DIR=$TD_LIB_DIR/guardian
TRUST_FILE=$TD_LIB_DIR/guardian/trusted-manager
LOG_LEVEL=info
EOF
# Forwards to members' containers may point only into the LXD bridge's network.
bridge_subnet="$(lxd_bridge_subnet)"
env_default "$ETC_DIR/guardian.env" CONTAINER_SUBNETS "$bridge_subnet"
# Apps at <repo>.testausdeploy.localhost over HTTPS (*.localhost is this machine), on 80 and 443 unless those are
# taken when this first runs.
https_port=443 http_port=80
if port_open 127.0.0.1 443 || port_open 127.0.0.1 80; then https_port=8443 http_port=8880; fi
env_default "$ETC_DIR/guardian.env" PROXY_ADMIN_SOCKET "$PROXY_SOCKET"
env_default "$ETC_DIR/guardian.env" PROXY_HTTP_PORT "$http_port"
env_default "$ETC_DIR/guardian.env" PROXY_HTTPS_PORT "$https_port"
env_default "$ETC_DIR/guardian.env" PROXY_TLS internal
env_default "$ETC_DIR/guardian.env" PROXY_DATA_DIR "$PROXY_DIR/data/caddy"
env_default "$ETC_DIR/guardian.env" PROXY_ACCESS_LOG "$TD_LOG_DIR/proxy-access.log"
env_default "$ETC_DIR/guardian.env" PROXY_TLS_LOG "$TD_LOG_DIR/proxy-tls.log"
env_default "$ETC_DIR/manager.env" APPS_DOMAIN testausdeploy.localhost
# The key that seals the Manager's secrets (docs/secrets.md): made once, never overwritten. Without it the
# sealed secrets cannot be read again: keep a copy somewhere safe.
if [[ ! -f "$ETC_DIR/master.key" ]]; then
  (umask 077 && openssl rand -base64 32 >"$ETC_DIR/master.key")
fi
env_default "$ETC_DIR/manager.env" MASTER_KEY_FILE "$ETC_DIR/master.key"
chmod 0600 "$ETC_DIR"/{manager,worker,guardian}.env "$ETC_DIR/master.key"
for app in "${APPS[@]}"; do
  dir="$(env_get "$ETC_DIR/$app.env" "${app^^}_STATE_DIR")"
  if [[ -n "$dir" ]]; then mkdir -p "$dir" && chmod 0700 "$dir"; fi
done
mkdir -p "$(env_get "$ETC_DIR/worker.env" REPOS_DIR)"

# --- 3. fingerprints and pinning -----------------------------------------------------------------------
env_drop "$ETC_DIR/manager.env" WORKER_URL WORKER_FINGERPRINT GUARDIAN_URL GUARDIAN_FINGERPRINT
worker_fp="$(fingerprint worker)"
guardian_fp="$(fingerprint guardian)"
manager_fp="$(fingerprint manager)"
write_trust worker "$manager_fp"
write_trust guardian "$manager_fp"

# --- 4. demo git host ----------------------------------------------------------------------------------
bare="$DEMO_GIT_DIR/demo/hello.git"
if [[ ! -d "$bare" ]]; then
  mkdir -p "$(dirname "$bare")"
  git init -q --bare --initial-branch=main "$bare"
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
run_logged "cloning the demo repository $bare" "$TD_LOG_DIR/demo-git.log" git clone -q "$bare" "$scratch/hello"
(
  cd "$scratch/hello"
  if git rev-parse -q --verify origin/main >/dev/null; then
    git checkout -q -B main origin/main
  else
    git symbolic-ref HEAD refs/heads/main
  fi
  find . -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
  cp -a "$TD_REPO_ROOT/examples/hello/." .
  git add -A
  if [[ -n "$(git status --porcelain)" ]]; then
    git -c user.name=Testausdeploy -c user.email=testausdeploy@localhost commit -q \
      -m "Demo: examples/hello from the Testausdeploy working tree"
    git push -q origin main
    log "demo repository updated: $bare"
  fi
)
git_daemon_pid="$TD_RUN_DIR/git-daemon.pid"
if pid_alive "$git_daemon_pid" git-daemon; then
  :
elif port_open 127.0.0.1 "$DEMO_GIT_PORT"; then
  log "127.0.0.1:$DEMO_GIT_PORT is already taken (not by up.sh); assuming it is a git daemon"
else
  log "serving $DEMO_GIT_DIR on git://127.0.0.1:$DEMO_GIT_PORT"
  start_detached "$git_daemon_pid" "$TD_LOG_DIR/git-daemon.log" - "$(git --exec-path)/git-daemon" \
    --reuseaddr --base-path="$DEMO_GIT_DIR" --export-all --listen=127.0.0.1 --port="$DEMO_GIT_PORT" \
    "$DEMO_GIT_DIR"
  wait_for_port 127.0.0.1 "$DEMO_GIT_PORT" 10 || die "git daemon did not start (see $TD_LOG_DIR/git-daemon.log)"
fi

# --- 5. services ---------------------------------------------------------------------------------------
for app in "${APPS[@]}"; do
  pidfile="$TD_RUN_DIR/$app.pid"
  if pid_alive "$pidfile" "dist/apps/$app/src/main.js"; then
    log "$app is already running (pid $(cat "$pidfile")); to restart: scripts/down.sh && scripts/up.sh"
    continue
  fi
  log "starting $app (log $TD_LOG_DIR/$app.log)"
  start_detached "$pidfile" "$TD_LOG_DIR/$app.log" "$ETC_DIR/$app.env" node "dist/apps/$app/src/main.js"
done

host="$(env_get "$ETC_DIR/manager.env" MANAGER_HOST)"
port="$(env_get "$ETC_DIR/manager.env" MANAGER_PORT)"
api="http://${host:-127.0.0.1}:${port:-3000}"
healthy=no
for ((i = 0; i < 60; i++)); do
  if curl -fsS -o /dev/null --max-time 2 "$api/health" 2>/dev/null; then
    healthy=yes
    break
  fi
  pid_alive "$TD_RUN_DIR/manager.pid" dist/apps/manager/src/main.js || break
  sleep 0.5
done
if [[ "$healthy" != yes ]]; then
  for app in "${APPS[@]}"; do
    printf '\n==> %s/%s.log (last 30 lines) <==\n' "$TD_LOG_DIR" "$app" >&2
    tail -n 30 "$TD_LOG_DIR/$app.log" >&2 || true
  done
  if pid_alive "$TD_RUN_DIR/manager.pid" dist/apps/manager/src/main.js; then
    die "the Manager did not answer $api/health within 30s"
  fi
  # Why it stopped: the plain-text line it printed on the way out (its JSON log lines are written behind it), of
  # this start only (the file holds the earlier ones too).
  why="$(awk '/"msg":"Starting Nest application/ { since = NR } { line[NR] = $0 }
    END { for (i = since + 1; i <= NR; i++) if (line[i] !~ /^[{]/) print line[i] }' "$TD_LOG_DIR/manager.log" | tail -n 3)"
  die "the Manager exited${why:+: $why} (see $TD_LOG_DIR/manager.log)"
fi

# --- 6. enrol the nodes (recorded as events; a node enrolled the same way before is left alone) ------------
node_url() {
  local app="$1"
  printf 'wss://%s:%s' "$(env_get "$ETC_DIR/$app.env" "${app^^}_HOST")" "$(env_get "$ETC_DIR/$app.env" "${app^^}_PORT")"
}
app_cli manager enrol guardian guardian "$(node_url guardian)" "$guardian_fp" >&2 ||
  die "enrolling the Guardian failed (see above)"
app_cli manager enrol worker worker "$(node_url worker)" "$worker_fp" guardian >&2 ||
  die "enrolling the Worker failed (see above)"
connected=no
for ((i = 0; i < 40; i++)); do
  if curl -fsS --max-time 2 "$api/health" 2>/dev/null | grep -q '"worker":true,"guardian":true'; then
    connected=yes
    break
  fi
  sleep 0.5
done
[[ "$connected" == yes ]] || log "warning: the Manager has no session to the Worker and Guardian yet (see $TD_LOG_DIR)"

# --- 7. how to use it ----------------------------------------------------------------------------------
token="$(env_get "$ETC_DIR/manager.env" ADMIN_TOKEN)"
apps_domain="$(env_get "$ETC_DIR/manager.env" APPS_DOMAIN)"
proxy_root="$(env_get "$ETC_DIR/guardian.env" PROXY_DATA_DIR)/pki/authorities/local/root.crt"
proxy_port="$(env_get "$ETC_DIR/guardian.env" PROXY_HTTPS_PORT)"
[[ "$proxy_port" == 443 ]] && proxy_port="" || proxy_port=":$proxy_port"
cat <<EOF

Testausdeploy is up.
  API:          $api
  Dashboard:    $api/ui/   (sign in with the admin token)
  Admin token:  $token   (in $ETC_DIR/manager.env)
  Master key:   $ETC_DIR/master.key   (seals the secrets the Manager keeps: keep a copy somewhere safe)
  Logs:         $TD_LOG_DIR/{manager,worker,guardian}.log
  Stop:         scripts/down.sh

Deploy the demo (served from $DEMO_GIT_DIR by git daemon):
  curl -sS -X POST $api/deployments -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"org":"demo","repo":"hello","branch":"main","composePath":"docker-compose.yml"}'
Show it:
  curl -sS $api/deployments -H "Authorization: Bearer $token"
Then open the page:
  curl http://127.0.0.1:8080/
Serve it at its own host name over HTTPS: give it a route, deploy it again, and ask with the local CA's root:
  curl -sS -X PUT $api/projects/demo/hello/routes -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"routes":[{"service":"web","port":8080}]}'
  curl -sS -X POST $api/deployments -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"org":"demo","repo":"hello","branch":"main","composePath":"docker-compose.yml"}'
  curl --cacert $proxy_root https://hello.$apps_domain$proxy_port/
EOF

#!/usr/bin/env bash
# Stop what scripts/up.sh started: Manager, Worker, Guardian, the proxy (Caddy) and the demo git daemon, found by their pid
# files in /run/testausdeploy (a pid is only signalled if its command line still matches).
# --all also stops the dockerd, database, test browser, LXD and lxcfs instances whose pid files these scripts wrote; one that was
# already running before is never touched.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

all=no
for arg in "$@"; do
  case "$arg" in
    --all) all=yes ;;
    -h | --help)
      echo "usage: $0 [--all]"
      exit 0
      ;;
    *) die "unknown argument: $arg (usage: $0 [--all])" ;;
  esac
done

for app in manager worker guardian; do
  stop_pidfile "$TD_RUN_DIR/$app.pid" "dist/apps/$app/src/main.js" 20
done
stop_pidfile "$TD_RUN_DIR/git-daemon.pid" git-daemon 10
stop_pidfile "$TD_RUN_DIR/proxy.pid" "caddy run" 20

if [[ "$all" == yes ]]; then
  shopt -s nullglob
  for pidfile in "$TD_RUN_DIR"/mongo-*.pid; do
    stop_pidfile "$pidfile" MongoWireServer 20
  done
  stop_pidfile "$TD_RUN_DIR/test-browser.pid" browser-server.js 10
  stop_pidfile "$TD_RUN_DIR/dockerd.pid" dockerd 60
  stop_lxd
fi
log "stopped"

#!/usr/bin/env bash
# Make sure a Docker engine answers. If none does, install Debian's docker.io and start dockerd
# without a default bridge: harness containers use network_mode=none, so no bridge, no iptables.
set -euo pipefail

answers() { timeout 10 docker info >/dev/null 2>&1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if command -v docker >/dev/null 2>&1 && answers; then
  echo "docker engine: answering"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "docker engine: installing Debian's docker.io"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

log=/var/log/promote-gen-dockerd.log
echo "docker engine: starting dockerd (log: $log)"
as_root sh -c "nohup dockerd --bridge=none --iptables=false --ip6tables=false >>$log 2>&1 &"
for _ in $(seq 1 60); do
  if answers; then
    echo "docker engine: answering"
    exit 0
  fi
  sleep 0.5
done
echo "docker engine: dockerd did not answer within 30 s; see $log" >&2
exit 1

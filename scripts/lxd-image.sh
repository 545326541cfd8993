#!/usr/bin/env bash
# The recipe of the member containers' base image: a minbase Debian bookworm with systemd, OpenSSH and sudo,
# built with mmdebstrap from the machine's own apt sources (no image server is reachable) and imported into
# LXD as a split image (metadata tarball + uncompressed rootfs, which launches faster than a gzipped one).
#   usage: lxd-image.sh ALIAS RECIPE_HASH
# ensure_lxd_image (lib.sh) runs it when the image under ALIAS lacks this recipe's hash; the hash is stored
# as the image property testausdeploy.recipe. Editing this file therefore rebuilds the image everywhere.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# customize ROOT: run by mmdebstrap (--customize-hook) on the finished tree before it is packed.
customize() {
  local root="$1"
  # Every container must get its own identity: systemd writes a machine id and ssh-host-keys.service
  # generates host keys at first boot.
  : >"$root/etc/machine-id"
  rm -f "$root"/var/lib/dbus/machine-id "$root"/etc/ssh/ssh_host_*
  cat >"$root/etc/systemd/system/ssh-host-keys.service" <<'UNIT'
[Unit]
Description=Generate this container's SSH host keys
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
RequiredBy=ssh.service
UNIT
  cat >"$root/etc/ssh/sshd_config.d/testausdeploy.conf" <<'CONF'
# Members log in with their keys only.
PasswordAuthentication no
KbdInteractiveAuthentication no
CONF
  # systemd-networkd gives links an address only with udev present (minbase leaves it out).
  cat >"$root/etc/systemd/network/eth0.network" <<'NETWORK'
[Match]
Name=eth0

[Network]
DHCP=ipv4
NETWORK
  chroot "$root" systemctl enable --quiet systemd-networkd.service ssh-host-keys.service
}

# write_metadata DIR ALIAS HASH: metadata.yaml and the templates that make the hostname follow the instance name.
write_metadata() {
  local dir="$1" alias="$2" hash="$3"
  mkdir -p "$dir/templates"
  cat >"$dir/metadata.yaml" <<YAML
architecture: $(uname -m)
creation_date: $(date +%s)
properties:
  description: Debian bookworm minbase with systemd, OpenSSH and sudo ($alias)
  os: debian
  release: bookworm
  testausdeploy.recipe: "$hash"
templates:
  /etc/hostname:
    when: [create, copy]
    template: hostname.tpl
  /etc/hosts:
    when: [create, copy]
    template: hosts.tpl
YAML
  printf '{{ container.name }}\n' >"$dir/templates/hostname.tpl"
  printf '127.0.0.1 localhost\n127.0.1.1 {{ container.name }}\n::1 localhost ip6-localhost ip6-loopback\n' \
    >"$dir/templates/hosts.tpl"
}

if [[ "${1:-}" == --customize ]]; then
  customize "$2"
  exit 0
fi
[[ $# -eq 2 ]] || die "usage: $0 ALIAS RECIPE_HASH"
alias="$1" hash="$2"
command -v mmdebstrap >/dev/null || die "mmdebstrap is not installed (ensure_packages mmdebstrap)"
work="$(mktemp -d /var/tmp/td-lxd-image.XXXXXX)"
trap 'rm -rf "$work"' EXIT

log "building the LXD image $alias (recipe $hash)"
started=$SECONDS
# No mirror argument: mmdebstrap then uses the machine's own apt sources.
mmdebstrap --quiet --variant=minbase \
  --include=systemd-sysv,udev,openssh-server,iproute2,sudo \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --customize-hook="bash '$0' --customize \"\$1\"" \
  bookworm "$work/rootfs.tar" >&2
write_metadata "$work/meta" "$alias" "$hash"
tar -C "$work/meta" --owner=0 --group=0 -czf "$work/meta.tar.gz" metadata.yaml templates
log "built in $((SECONDS - started))s ($(du -m "$work/rootfs.tar" | cut -f1) MB), importing"

# A split image's fingerprint is the SHA-256 of the metadata tarball followed by the rootfs.
fingerprint="$(cat "$work/meta.tar.gz" "$work/rootfs.tar" | sha256sum | cut -d' ' -f1)"
old="$(lxc query "/1.0/images/aliases/$alias" 2>/dev/null | sed -n 's/.*"target": *"\([0-9a-f]*\)".*/\1/p' || true)"
lxc image import "$work/meta.tar.gz" "$work/rootfs.tar" >/dev/null
if [[ -n "$old" ]]; then
  lxc image alias delete "$alias"
  # Instances already created from the old image keep their own copy of the rootfs.
  [[ "$old" == "$fingerprint" ]] || lxc image delete "$old"
fi
lxc image alias create "$alias" "$fingerprint"
log "image $alias is ${fingerprint:0:12} ($((SECONDS - started))s in all)"

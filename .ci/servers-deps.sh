# Packages for the real Debian targets the Ansible roles are tested on (pydriver/lab/targets):
# debootstrap builds the image, systemd-nspawn boots it, apt-cacher-ng is the targets' only
# way to the Debian archive. Sourced by .ci/setup when running as root.
#
# The lab starts its own apt-cacher-ng (own port, cache and logs), so the packaged daemon must
# not run: installs happen under a policy-rc.d that forbids starting services (unless the
# machine already has one), and the packaged service is then disabled and stopped.
apt-get update -qq
(
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    debootstrap systemd-container apt-cacher-ng zstd tar iproute2 openssh-client \
    util-linux procps debian-archive-keyring ca-certificates \
    > /dev/null
)
if [ -d /run/systemd/system ]; then
  systemctl disable --now --quiet apt-cacher-ng.service 2>/dev/null || true
else
  update-rc.d apt-cacher-ng disable > /dev/null 2>&1 || true
  if [ -x /etc/init.d/apt-cacher-ng ]; then
    /etc/init.d/apt-cacher-ng stop > /dev/null 2>&1 || true
  fi
fi

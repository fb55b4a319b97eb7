# Packages for the real Debian targets the Ansible roles are tested on (pydriver/lab/targets):
# debootstrap builds the image, systemd-nspawn boots it, apt-cacher-ng is the targets' only
# way to the Debian archive. Sourced by .ci/setup when running as root.
#
# The lab starts its own apt-cacher-ng (own port, cache and logs), so the packaged daemon must
# not run: installs happen under a policy-rc.d that forbids starting services (unless the
# machine already has one), and the packaged service is then disabled and stopped.
apt-get update -qq
apt_install_stopped debootstrap systemd-container apt-cacher-ng zstd tar iproute2 \
  openssh-client util-linux procps debian-archive-keyring ca-certificates
service_off apt-cacher-ng

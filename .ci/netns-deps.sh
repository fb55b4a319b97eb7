# Packages for the real linux_frr lab routers in network namespaces (pydriver/lab/netns).
# Sourced by .ci/setup when running as root. Nothing is started on install without systemd.
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  frr frr-pythontools openssh-server openssh-client iproute2 iputils-ping nftables \
  util-linux procps openssl \
  strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins \
  > /dev/null

# Packages for the report tests and the BSSN evidence pack: a headless Chromium and its
# WebDriver for the HTML dashboard test (marker browser), Graphviz's dot for the topology
# diagram of the architecture document. Sourced by .ci/setup when running as root.
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  chromium chromium-driver graphviz \
  > /dev/null

#!/bin/sh
# Sites do not shape: the hub shapes each site's share of the data-center uplink.
set -eu

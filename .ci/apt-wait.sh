# Wait (bounded) for another apt or dpkg to finish instead of failing at once: a fresh
# machine often runs unattended-upgrades or a first-boot job that holds the dpkg lock for a
# few minutes. Sourced by .ci/setup before the *-deps.sh files; apt-get below is a function
# that waits first and then gives apt its own lock timeout as well (for a race after the
# wait). PYDRIVER_APT_WAIT: seconds to wait at most (default 600); PYDRIVER_APT_LOCKS: the
# lock files (default: dpkg's and apt's own).

apt_locks() {
  echo "${PYDRIVER_APT_LOCKS:-/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock}"
}

# the first lock file some other process holds (dpkg and apt use fcntl locks), or nothing
apt_lock_held() {
  command -v python3 > /dev/null || return 0  # apt's own lock timeout still applies
  python3 - $(apt_locks) <<'PY'
import fcntl, os, sys
for path in sys.argv[1:]:
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        continue
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.lockf(fd, fcntl.LOCK_UN)
    except OSError:
        print(path)
        break
    finally:
        os.close(fd)
PY
}

wait_for_apt() {
  local limit=${PYDRIVER_APT_WAIT:-600} waited=0 held
  held=$(apt_lock_held)
  [ -z "$held" ] && return 0
  echo "waiting for another apt/dpkg to release $held (up to $((limit / 60)) min)..." >&2
  while [ -n "$held" ]; do
    if [ "$waited" -ge "$limit" ]; then
      echo "error: $held is still held after ${limit}s; another package manager is" \
           "running (see: ps -C apt-get,apt,dpkg,unattended-upgr -o pid,etime,args)" >&2
      return 1
    fi
    sleep 2
    waited=$((waited + 2))
    if [ $((waited % 60)) -eq 0 ]; then
      echo "  still waiting for $held (${waited}s)" >&2
    fi
    held=$(apt_lock_held)
  done
  echo "  $held released after ${waited}s" >&2
}

apt-get() {
  wait_for_apt || return 1
  command apt-get -o DPkg::Lock::Timeout="${PYDRIVER_APT_WAIT:-600}" "$@"
}

# Install packages whose daemons pydriver's tests start themselves (own ports and files):
# under a policy-rc.d that forbids starting services (unless the machine already has one),
# then service_off disables and stops the packaged service.
apt_install_stopped() {
  (
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
      chmod 755 /usr/sbin/policy-rc.d
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
      > /dev/null
  )
}

service_off() {
  if [ -d /run/systemd/system ]; then
    systemctl disable --now --quiet "$1.service" 2>/dev/null || true
  else
    update-rc.d "$1" disable > /dev/null 2>&1 || true
    if [ -x "/etc/init.d/$1" ]; then
      "/etc/init.d/$1" stop > /dev/null 2>&1 || true
    fi
  fi
}

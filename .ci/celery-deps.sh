# Redis for `pydriver apply --runner celery` (the broker) and its tests, which start their own
# redis-server on a free port. Sourced by .ci/setup when running as root.
#
# The packaged service must not run (the tests and the documented command start their own):
# installed with services kept from starting, then disabled and stopped (see apt-wait.sh).
if ! command -v redis-server > /dev/null 2>&1; then
  apt-get update -qq
  apt_install_stopped redis-server
fi
service_off redis-server

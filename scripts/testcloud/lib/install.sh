# shellcheck shell=bash
# Installation steps: Debian packages (RabbitMQ, plus what a bare Debian 12
# lacks) and the Python venv with the OpenStack services from PyPI.

# Python packages (top level; versions come from requirements-lock.txt).
# pyuwsgi instead of uWSGI: same server, but published as a manylinux wheel,
# so a fresh machine needs neither gcc nor python3-dev (uWSGI is sdist-only).
PIP_PACKAGES=(keystone glance openstack-placement nova neutron ironic cinder openstack-heat
              python-openstackclient python-ironicclient python-heatclient pyuwsgi)
# import names that must be present for the venv to count as complete
PY_MODULES="keystone glance placement nova neutron ironic cinder heat openstackclient ironicclient heatclient pyuwsgi"

apt_install() {  # packages...
  # policy-rc.d (exit 101) keeps dpkg from starting the freshly installed
  # services (rabbitmq-server, epmd) on 0.0.0.0 with default ports.
  local made_policy=0 log=$BASE/apt.log
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  local opts=(-o DPkg::Lock::Timeout=300 -y --no-install-recommends)
  # try without `apt-get update` first (fast when the lists are fresh), else update once
  if ! apt-get "${opts[@]}" install "$@" >> "$log" 2>&1; then
    ts "apt-get update"
    apt-get -o DPkg::Lock::Timeout=300 update >> "$log" 2>&1 || { [ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d; die "apt-get update failed, see $log"; }
    apt-get "${opts[@]}" install "$@" >> "$log" 2>&1 || { [ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d; die "apt-get install $* failed, see $log"; }
  fi
  [ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

install_system_packages() {
  local need=()
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
  command -v openssl >/dev/null || need+=(openssl)
  command -v curl > /dev/null || need+=(curl)
  command -v setsid > /dev/null || need+=(util-linux)
  # Debian's python3 has no ensurepip (needed by `python3 -m venv`) without python3-venv
  "$PY" -c 'import ensurepip, venv' 2> /dev/null || need+=(python3-venv)
  if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "need root to apt-get install ${need[*]}"
    ts "installing Debian packages: ${need[*]}"
    apt_install "${need[@]}"
    ts "Debian packages installed"
  fi
}

venv_complete() {
  # find_spec instead of import: checks presence without paying for imports
  [ -x "$VENV/bin/uwsgi" ] && "$VENV/bin/python" -c \
    'import sys, importlib.util as u; sys.exit(any(u.find_spec(m) is None for m in sys.argv[1:]))' $PY_MODULES 2> /dev/null
}

install_venv() {
  if venv_complete; then
    ts "venv present ($VENV), reusing it"
  else
    if [ -x "$VENV/bin/python" ]; then
      ts "venv $VENV lacks some packages: installing from PyPI: ${PIP_PACKAGES[*]}"
    else
      ts "creating venv and installing from PyPI: ${PIP_PACKAGES[*]}"
      "$PY" -m venv "$VENV" || die "python3 -m venv failed"
    fi
    "$VENV/bin/pip" install -q --disable-pip-version-check -c "$HERE/requirements-lock.txt" -U pip setuptools > "$BASE/pip.log" 2>&1 \
      || die "pip self-upgrade failed, see $BASE/pip.log"
    "$VENV/bin/pip" install --disable-pip-version-check -c "$HERE/requirements-lock.txt" "${PIP_PACKAGES[@]}" >> "$BASE/pip.log" 2>&1 \
      || { tail -20 "$BASE/pip.log" >&2; die "pip install failed, see $BASE/pip.log"; }
    venv_complete || die "venv incomplete after pip install, see $BASE/pip.log"
    ts "pip install done"
  fi
  install_shims
}

# Our own small Python modules go into the venv's site-packages on every `up`
# (cheap, and keeps them in sync with the repo):
#  - sqlite_immediate.py, loaded from a .pth file by every venv interpreter;
#  - steward_fake_ml2.py, an ML2 mechanism driver that binds every port
#    without an agent.  ML2 loads mechanism drivers by entry-point name only
#    (stevedore), so a minimal *.dist-info with entry_points.txt registers it;
#  - steward_file_volume.py, a Cinder volume driver with one sparse file per
#    volume and os-brick `local` connections (cinder-backup can read them);
#  - steward_wsgi.py, a WSGI entry point that hands config-file arguments to
#    services that take them from sys.argv (cinder, heat).
install_shims() {
  local site di
  site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  cp "$HERE/sqlite_immediate.py" "$site/steward_sqlite_immediate.py"
  echo 'import steward_sqlite_immediate' > "$site/steward_sqlite_immediate.pth"
  cp "$HERE/steward_fake_ml2.py" "$HERE/steward_file_volume.py" "$HERE/steward_wsgi.py" "$site/"
  di=$site/steward_testcloud_shims-1.0.dist-info
  mkdir -p "$di"
  printf 'Metadata-Version: 2.1\nName: steward-testcloud-shims\nVersion: 1.0\nSummary: Steward test cloud shims (not a real package)\n' > "$di/METADATA"
  printf '[neutron.ml2.mechanism_drivers]\nsteward_fake = steward_fake_ml2:StewardFakeMechanismDriver\n' > "$di/entry_points.txt"
  printf 'steward_sqlite_immediate.py,,\nsteward_sqlite_immediate.pth,,\nsteward_fake_ml2.py,,\n' > "$di/RECORD"
  echo pip > "$di/INSTALLER"
}

#!/usr/bin/env bash
# Installs what DvdSim runs on (MariaDB, RabbitMQ, Chromium for the dashboard's browser tests)
# when missing, then builds the solution in Release. Idempotent: a second run only builds.
#   bash eng/setup.sh             install if needed + dotnet build DvdSim.sln -c Release
#   bash eng/setup.sh --no-build  install only
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

has() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }

missing=()
{ has mariadbd && has mariadb-install-db; } || missing+=(mariadb-server)
{ [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && has epmd; } || missing+=(rabbitmq-server)
has chromium || missing+=(chromium)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "setup.sh: ${missing[*]} must be installed, which needs root or password-less sudo:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup.sh: installing ${missing[*]}"
  # The packages would start system-wide servers on 3306/5672/4369 where an init system runs;
  # DvdSim starts its own as child processes, so keep the system ones from starting.
  policy=/usr/sbin/policy-rc.d
  added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    added_policy=1
  fi
  trap '[ "$added_policy" = 1 ] && "${sudo[@]}" rm -f "$policy"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" </dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup.sh: the .NET 10 SDK is missing (https://dotnet.microsoft.com/download)" >&2
  exit 1
fi

if [ "$build" = 1 ]; then
  dotnet build DvdSim.sln -c Release -nologo -nodeReuse:false </dev/null
fi

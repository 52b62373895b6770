#!/usr/bin/env bash
# Runs every identity-assertion verifier example against docs/test-vectors.json.
# Python and Node are required: a missing toolchain fails the run. Java and PHP run when their toolchain is present.
# Running as root with apt-get, missing toolchains are installed from Debian first (python3-cryptography, nodejs,
# openjdk-17-jdk-headless, php-cli); set WGW_VERIFIERS_NO_INSTALL=1 to only use what is there.
# Usage (from anywhere): docs/verifiers/run-all.sh
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vectors="$here/../test-vectors.json"
declare -a summary=()
failed=0

apt_install() {
  if [ "$(id -u)" -ne 0 ] || [ "${WGW_VERIFIERS_NO_INSTALL:-}" = 1 ] || ! command -v apt-get >/dev/null 2>&1; then
    return 1
  fi
  echo "== installing Debian package(s): $*"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1
  fi
}

run() { # name, command...
  local name=$1
  shift
  echo "== $name: $*"
  if "$@"; then
    summary+=("PASS     $name")
  else
    summary+=("FAIL     $name")
    failed=1
  fi
}

missing_required() {
  echo "== $1: $2" >&2
  summary+=("MISSING  $1 (required): $2")
  failed=1
}

# Python: Debian's interpreter, which is where python3-cryptography (needed for ES256) installs.
python=/usr/bin/python3
if [ ! -x "$python" ]; then
  apt_install python3 python3-cryptography
fi
if [ -x "$python" ] && ! "$python" -c 'import cryptography' 2>/dev/null; then
  apt_install python3-cryptography
fi
if [ -x "$python" ] && "$python" -c 'import cryptography' 2>/dev/null; then
  run python "$python" "$here/python/verify.py" "$vectors"
else
  missing_required python "/usr/bin/python3 with python3-cryptography is needed (apt-get install python3-cryptography)"
fi

if ! command -v node >/dev/null 2>&1; then
  apt_install nodejs
fi
if command -v node >/dev/null 2>&1; then
  run node node "$here/node/verify.js" "$vectors"
else
  missing_required node "node (18 or newer) is needed"
fi

# Launching a single source file needs the JDK's compiler, not just a runtime.
if ! command -v javac >/dev/null 2>&1; then
  apt_install openjdk-17-jdk-headless
fi
if command -v javac >/dev/null 2>&1; then
  run java java "$here/java/Verify.java" "$vectors"
else
  summary+=("SKIPPED  java: no JDK 17+ (javac) on PATH")
fi

if ! command -v php >/dev/null 2>&1; then
  apt_install php-cli
fi
if command -v php >/dev/null 2>&1; then
  run php php "$here/php/verify.php" "$vectors"
else
  summary+=("SKIPPED  php: php-cli not installed")
fi

echo
echo "== verifier examples against docs/test-vectors.json"
printf '%s\n' "${summary[@]}"
exit $failed

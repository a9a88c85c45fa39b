#!/usr/bin/env bash
# `make test` needs Debian's Chromium for the browser test (Playwright drives it through
# executable_path; Playwright's own browser download does not work without internet).
# Installs it where this machine can (apt-get as root); otherwise stops at once, in German,
# naming the one command to run. Nothing is skipped silently.
set -euo pipefail
chromium=${FOERDERFLOW_CHROMIUM:-/usr/bin/chromium}
if [ -x "$chromium" ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium fehlt für den Browser-Test – wird aus den Debian-Paketen installiert …"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq </dev/null >/dev/null
  apt-get install -y -qq --no-install-recommends chromium </dev/null >/dev/null
  [ -x "$chromium" ] && exit 0
  echo "Fehler: Chromium wurde installiert, liegt aber nicht unter $chromium." >&2
  exit 1
fi
echo "Fehler: Für den Browser-Test fehlt Chromium ($chromium)." >&2
echo "Bitte einmal ausführen:  sudo apt-get install chromium" >&2
echo "(oder FOERDERFLOW_CHROMIUM auf ein vorhandenes Chromium setzen)" >&2
exit 1

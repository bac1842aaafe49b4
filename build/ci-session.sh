#!/usr/bin/env bash
# Runs a command the way the desktop workflow (.github/workflows/desktop.yml) needs it.
# On Linux: inside a D-Bus session with an unlocked gnome-keyring of its own (the secrets tests
# and the app's keychain use the Secret Service, as .ci/run does) and on a virtual display
# (xvfb-run: Electron and the tray need an X server). macOS and Windows runners have a keychain
# and a desktop already: there it only runs the command.
#   bash build/ci-session.sh npm test
set -euo pipefail
if [ "$(uname -s)" != "Linux" ]; then
  exec "$@"
fi
keyrings=$(mktemp -d)
trap 'rm -rf "$keyrings"' EXIT
# A fresh XDG_DATA_HOME: a keyring left by an earlier step, with another password, cannot stay locked.
export XDG_DATA_HOME="$keyrings"
exec_line=$(printf '%q ' "$@")
dbus-run-session -- bash -c \
  "echo -n ci-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null && xvfb-run -a $exec_line"

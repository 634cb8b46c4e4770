#!/usr/bin/env bash
# Installs the Debian packages WabaRouter needs to build, test and run, when any is missing.
# As root it runs apt-get itself; otherwise it uses sudo when available.
set -euo pipefail

packages=(pkg-config libpq-dev libmicrohttpd-dev libsodium-dev postgresql)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "Installing missing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1; then
    apt_get=(sudo apt-get)
else
    echo "Missing packages ${missing[*]}; install them with apt-get as root." >&2
    exit 1
fi
"${apt_get[@]}" update -qq
DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq "${missing[@]}"

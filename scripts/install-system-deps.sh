#!/usr/bin/env bash
# Install the Debian packages the tests and printing need, only when they are missing.
# Runs apt-get update first (a new machine's package lists are empty). Needs root for apt-get.
set -euo pipefail

needed=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || needed+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || needed+=(nginx)
command -v pdftoppm >/dev/null 2>&1 || needed+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Liberation Sans" || needed+=(fonts-liberation)

if [ ${#needed[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${needed[*]}. Run as root, or: sudo apt-get install ${needed[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${needed[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null

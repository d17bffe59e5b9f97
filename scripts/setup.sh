#!/usr/bin/env bash
# One-time setup on a fresh machine: system packages (Debian), npm
# dependencies, Electron's binary where it can be downloaded, and a build.
# `npm run setup` runs this; it needs no node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the kiosk and its tests use from the system:
#   chromium          the browser shell's window and the E2E/smoke browser
#   socat             pseudo-terminal pairs for the ID-card reader simulator
#   sane-utils        scanimage and SANE's test backend (scanner + simulator)
#   fonts-noto-cjk    Chinese glyphs for the UI and printer-simulator renders
#   poppler-utils     pdftotext, to check generated PDFs in tests
#   cups-client       lp, the browser shell's print path for A4 documents
#   libudev1 libusb-1.0-0  runtime libraries of node-hid / serialport
#   systemd           systemd-analyze / systemd-sysusers / systemd-notify: deploy/ is verified by the tests
#   espeak-ng         the offline voice of 浏浏 and the display board (Mandarin voice cmn)
#   sox               checks the rendered speech in tests (duration, not silence)
DEBIAN_PACKAGES=(chromium socat sane-utils fonts-noto-cjk poppler-utils cups-client libudev1 libusb-1.0-0 espeak-ng sox systemd)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A maintained Node.js LTS. The machine's Node 20 reached end of life in April
# 2026 and gets no security fixes; the browser shell's host, the hall service
# and the platform run on Node 24 LTS. The npm registry carries Node's official
# builds, headers included, as node-linux-<arch>: where the system's Node is
# older, setup installs one into .runtime/ (no download from anywhere else) and
# builds the native modules against it. Use it with:
#   export PATH="$PWD/.runtime/bin:$PATH"
NODE_LTS_VERSION=24.22.3
NODE_LTS_MAJOR=${NODE_LTS_VERSION%%.*}
RUNTIME_DIR="$PWD/.runtime"
system_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$system_major" -lt "$NODE_LTS_MAJOR" ]; then
  arch=$(node -p 'process.arch')
  runtime_package="$RUNTIME_DIR/node_modules/node-linux-$arch"
  if [ "$("$RUNTIME_DIR/bin/node" --version 2>/dev/null || true)" != "v$NODE_LTS_VERSION" ]; then
    echo "setup: installing Node.js $NODE_LTS_VERSION LTS into .runtime/ (the system's is $(node --version))"
    npm install --prefix "$RUNTIME_DIR" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-$arch@$NODE_LTS_VERSION"
    mkdir -p "$RUNTIME_DIR/bin"
    ln -sfn "$runtime_package/bin/node" "$RUNTIME_DIR/bin/node"
  fi
  export PATH="$RUNTIME_DIR/bin:$PATH"
  # Native modules build against this runtime's own headers, not the system's.
  export npm_config_nodedir="$runtime_package"
fi
echo "setup: Node.js $(node --version)"

# npm dependencies. Electron's binary comes from its own download host, not
# the npm registry: install without it, then try to fetch it; where that host
# is unreachable the kiosk runs in the browser shell.
echo "setup: installing npm dependencies"
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
if [ "${LIULIU_SKIP_ELECTRON:-0}" != "1" ]; then
  if timeout 120 node node_modules/electron/install.js >/dev/null 2>&1; then
    echo "setup: Electron's binary installed: npm start opens the Electron shell"
  else
    echo "setup: Electron's binary could not be downloaded here: npm start uses the browser shell (Chromium)"
  fi
fi

npm run build --silent
if [ -x "$RUNTIME_DIR/bin/node" ]; then
  echo "setup: done. Put the LTS runtime first on PATH, then start the kiosk:"
  echo "  export PATH=\"$RUNTIME_DIR/bin:\$PATH\" && npm start"
else
  echo "setup: done. Start the kiosk with: npm start"
fi

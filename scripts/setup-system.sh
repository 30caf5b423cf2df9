#!/usr/bin/env bash
# Install the system packages ManimCE needs: Cairo/Pango headers (to build
# pycairo and ManimPango) and a minimal TeX with dvisvgm (for MathTex); and
# Chromium, which the tests use to check that the MP4s play in a browser.
# Skips what is already installed; on a system without apt it prints what to install.
set -euo pipefail

DEB_PACKAGES=(
  libcairo2-dev libpango1.0-dev pkg-config fonts-dejavu-core
  texlive-latex-base texlive-latex-recommended texlive-latex-extra dvisvgm
  chromium
)

if ! command -v apt-get >/dev/null 2>&1; then
  cat >&2 <<MSG
setup: no apt-get here, so install these yourself, then run 'make setup' again:
  - Cairo and Pango development headers, and pkg-config
      macOS:  brew install cairo pango pkg-config
      Fedora: sudo dnf install cairo-devel pango-devel pkgconf-pkg-config
  - a LaTeX distribution with dvisvgm
      macOS:  brew install --cask mactex-no-gui   (or BasicTeX + 'tlmgr install standalone preview doublestroke')
      Fedora: sudo dnf install texlive-scheme-basic texlive-dvisvgm texlive-standalone texlive-preview
  - for the tests only: Chromium (the browser-playback test skips without it)
MSG
  # Carry on if the headers and LaTeX are already there; stop otherwise.
  if pkg-config --exists cairo pangocairo 2>/dev/null && command -v latex >/dev/null && command -v dvisvgm >/dev/null; then
    exit 0
  fi
  exit 1
fi

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: system packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

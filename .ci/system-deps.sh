#!/usr/bin/env bash
# Install the Debian packages and fonts the render tests need (GB/T 9704 previews in LibreOffice).
# Idempotent: exits in well under a second when everything is already present.
set -euo pipefail

PKGS=(libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk fonts-arphic-gkai00mp fonts-liberation2 fonts-dejavu-core chromium chromium-driver)
FANDOL_DIR=/usr/local/share/fonts/fandol
FANDOL_FILES=(FandolFang-Regular.otf FandolHei-Regular.otf FandolKai-Regular.otf FandolSong-Regular.otf)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
need_fandol=0
for f in "${FANDOL_FILES[@]}"; do
    [ -f "$FANDOL_DIR/$f" ] || need_fandol=1
done

if [ ${#missing[@]} -eq 0 ] && [ $need_fandol -eq 0 ]; then
    echo "system-deps: all present"
    exit 0
fi

# apt-get update once, only when something is missing.
$SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
    echo "system-deps: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ $need_fandol -eq 1 ]; then
    # FandolFang is the only open Simplified-Chinese FangSong in Debian 12 (docs/gbt9704.md §5); it ships inside
    # texlive-lang-chinese, so unpack the .deb instead of installing TeX.
    echo "system-deps: extracting Fandol fonts from texlive-lang-chinese"
    tmp=$(mktemp -d)
    chmod 755 "$tmp"  # let apt's _apt user write the download
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null)
    dpkg-deb -x "$tmp"/texlive-lang-chinese_*.deb "$tmp/x"
    $SUDO mkdir -p "$FANDOL_DIR"
    for f in "${FANDOL_FILES[@]}"; do
        $SUDO cp "$(find "$tmp/x" -name "$f" | head -n1)" "$FANDOL_DIR/$f"
    done
fi

$SUDO fc-cache -f >/dev/null
echo "system-deps: done"

#!/usr/bin/env bash
# Installs the system packages Renkei and its tests use, from Debian: Chromium (browser tests),
# PostgreSQL (the second database the tests run on), the IPAex Gothic font (the 罹災証明書 PDF, found
# at run time by src/modules/disaster/certificate/pdf.ts) and poppler-utils (pdftoppm and pdftotext,
# which the tests read that PDF back with). Does nothing when all are there.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -f /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf ] || need+=(fonts-ipaexfont-gothic)
[ -x /usr/bin/pdftoppm ] && [ -x /usr/bin/pdftotext ] || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "Installing ${need[*]} from Debian..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

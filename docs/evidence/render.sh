#!/bin/bash
# Page images for the closing notes of issues 15, 16 and 17, rendered from this tree through LibreOffice
# (docx → PDF → PNG at 40 dpi). Usage: docs/evidence/render.sh [OUT]   (default build/evidence)
# Needs the project's venv (make deps) and poppler (pdftoppm); the HTML screenshots come from the test suite
# (tests/artifacts/html/, written by the Chromium tests).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-build/evidence}
Z=.venv/bin/zhidu
rm -rf "$OUT"; mkdir -p "$OUT"/{15,16,17}
png() { pdftoppm -r 40 -png "$@"; }
pages() { pdfinfo "$1" | awk '/^Pages/{print $2}'; }

# Issue 16: the notice of both versions in both profiles: first page, the page where the regulation starts,
# last page; and `zhidu verify --render` on each.
for prof in standard letter; do
  $Z build policy -o "$OUT/tmp-$prof" --product notice --format docx,pdf --profile $prof -q
  for v in 2024.1 2024.2; do
    d="$OUT/tmp-$prof/gongyuan-aqsc/$v"; n=$(pages "$d/notice.pdf")
    # The regulation starts on the first page after page 1 whose first line is its title (no 一、 above it).
    start=$(for p in $(seq 2 "$n"); do
      if pdftotext -f "$p" -l "$p" "$d/notice.pdf" - | head -3 | grep -q "工作制度"; then echo "$p"; break; fi
    done)
    for p in 1 "${start:-2}" "$n"; do png -f "$p" -l "$p" -singlefile "$d/notice.pdf" "$OUT/16/$v-$prof-page$p"; done
    $Z verify --render --profile $prof "$d/notice.docx" > "$OUT/16/$v-$prof-verify.txt" 2>&1 || true
    echo "$v $prof: $n pages, regulation starts on page ${start:-?}" >> "$OUT/16/pages.txt"
  done
done

# Issue 17: every card (page count), the duty list, one checklist and the 修订对照表 of 2024.2.
$Z build policy -o "$OUT/tmp-17" --format docx,pdf -q --period 2024-W38
for v in 2024.1 2024.2; do
  for f in "$OUT/tmp-17/gongyuan-aqsc/$v/cards/"*.pdf; do
    echo "$v $(basename "$f" .pdf): $(pages "$f") page(s)" >> "$OUT/17/card-pages.txt"
  done
done
d="$OUT/tmp-17/gongyuan-aqsc/2024.2"
for f in "$d/cards/"*.pdf; do png "$f" "$OUT/17/card-$(basename "$f" .pdf)"; done
png "$d/duty-list.pdf" "$OUT/17/duty-list"
png "$d/revision-table.pdf" "$OUT/17/revision-table"
c=$(find "$d/checklists" -name "*.pdf" | sort | head -1)
png "$c" "$OUT/17/checklist-$(basename "$(dirname "$c")")-$(basename "$c" .pdf)"

# Issue 15: a statute-style regulation from the corpus, imported as it is found, then built.
W="$OUT/tmp-15/yeyuan"
$Z import tests/importer/corpus/01-street-statute-chapters.txt -o "$W/2019.1" > "$OUT/15/import-report.txt" 2>&1 || true
printf 'communities:\n  - id: C-01\n    name: 东关社区\n  - id: C-02\n    name: 西关社区\n' > "$W/parties.yaml"
$Z check "$W" > "$OUT/15/check.txt" 2>&1 || true
$Z build "$W" -o "$OUT/tmp-15/build" --format docx,pdf -q --period 2019-W36
b="$OUT/tmp-15/build/2019.1"
png "$b/notice.pdf" "$OUT/15/statute-notice"
png "$b/duty-list.pdf" "$OUT/15/statute-duty-list"
f=$(find "$b/cards" -name "*.pdf" | sort | head -1); png "$f" "$OUT/15/statute-card"
f=$(find "$b/checklists" -name "*.pdf" | sort | head -1); png "$f" "$OUT/15/statute-checklist"
rm -rf "$OUT"/tmp-*
ls -R "$OUT" | head -80

#!/usr/bin/env bash
# Instructions, not seconds: the host's load does not change them. Counts what `check`, `anonymize` (hash) and the
# one pass with statistics execute on the first LINES lines of the bench file, with --threads 1, for each binary
# given (e.g. the last commit's and this one's), so a hot-path change is judged on the same input in one run.
# Usage: bash bench/callgrind.sh BIN[:RULES_DIR] ...   (LINES=100000 by default; needs valgrind and `make bench`'s
# data; an older binary may need the rules directory of its own commit: `git archive REV rules | tar -x -C DIR`)
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-100000}
source bench/data.sh
SAMPLE=$DATA/sample-$LINES.log
[ -s "$SAMPLE" ] || zcat "$LOG" | head -n "$LINES" > "$SAMPLE"
KEYS=$DATA/keys
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
count() {  # BIN ARGS...: instructions executed (valgrind cannot read Swift's compressed debug sections: strip first)
    local bin=$1; shift
    valgrind --tool=callgrind --callgrind-out-file="$work/out" "$bin" "$@" > /dev/null 2> "$work/err" || true
    grep -o 'Collected : [0-9]*' "$work/err" | grep -o '[0-9]*'
}
for spec in "$@"; do
    bin=${spec%%:*}
    rules=rules
    [ "$spec" = "$bin" ] || rules=${spec#*:}
    strip -o "$work/logward" "$bin"
    check=$(count "$work/logward" check --threads 1 --max-reject-rate 1 "$SAMPLE")
    anonymize=$(count "$work/logward" anonymize --rules "$rules" --threads 1 --quiet --policy music123-2003 --keys "$KEYS" "$SAMPLE")
    pass=$(count "$work/logward" anonymize --rules "$rules" --threads 1 --quiet --policy music123-2003 --keys "$KEYS" \
        --sqlite "$work/s.sqlite" "$SAMPLE")
    rm -f "$work/s.sqlite"
    # A run that fails early would count next to nothing: say so rather than print a flattering number.
    "$work/logward" anonymize --rules "$rules" --threads 1 --quiet --policy music123-2003 --keys "$KEYS" "$SAMPLE" > /dev/null \
        || { echo "$spec: anonymize failed" >&2; exit 1; }
    printf '%s (rules: %s)\n  check %s\n  anonymize (hash) %s\n  one pass with statistics %s\n' "$bin" "$rules" "$check" "$anonymize" "$pass"
done

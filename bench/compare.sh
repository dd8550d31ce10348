#!/usr/bin/env bash
# Before and after in one invocation: runs each pass of `make bench` with two binaries in turn (old, new, old, new,
# ...) on the bench file and prints, per pass, the median of new/old over the pairs and both peak RSS. Load that
# comes and goes on these shared machines weighs on both sides of every pair, which separate `make bench` runs do
# not give. Usage: bash bench/compare.sh OLD_BIN[:RULES_DIR] NEW_BIN   (RUNS=5 by default; needs `make bench`'s data;
# an older binary may need the rules directory of its own commit: `git archive REV rules | tar -x -C DIR`)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
source bench/data.sh
[ $# -eq 2 ] || { echo "usage: bash bench/compare.sh OLD_BIN[:RULES_DIR] NEW_BIN" >&2; exit 2; }
old=${1%%:*}
old_rules=rules
[ "$1" = "$old" ] || old_rules=${1#*:}
new=$2
source bench/settle.sh
settle "$old"
settle "$new"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# run SIDE BIN RULES ARGS: one timed run; prints "seconds peak-KiB". Each side has its own keys and outputs.
run() {
    local side=$1 bin=$2 rules=$3; shift 3
    mkdir -p "$work/$side"
    rm -f "$work/$side/stats.sqlite"
    local args=("$@")
    args=("${args[@]//@RULES@/$rules}")
    args=("${args[@]//@DIR@/$work/$side}")
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" "${args[@]}" > /dev/null
    cat "$work/time"
}
# compare NAME ARGS...: ARGS with @RULES@ and @DIR@ (the side's keys and outputs) filled in for each side.
compare() {
    local name=$1; shift
    local ratios=() old_rss=0 new_rss=0 t m r
    for _ in $(seq "$RUNS"); do
        read -r r m < <(run old "$old" "$old_rules" "$@"); (( m > old_rss )) && old_rss=$m
        read -r t m < <(run new "$new" rules "$@"); (( m > new_rss )) && new_rss=$m
        ratios+=("$(awk -v a="$t" -v b="$r" 'BEGIN { printf "%.3f", a / b }')")
    done
    printf '%-30s new/old %s   peak RSS old %3d MiB, new %3d MiB   (pairs: %s)\n' "$name" \
        "$(printf '%s\n' "${ratios[@]}" | median)" $((old_rss / 1024)) $((new_rss / 1024)) "${ratios[*]}"
}
HASH=(--rules @RULES@ --quiet --policy music123-2003 --keys @DIR@/keys)
compare "check" check --max-reject-rate 1 "$LOG"
compare "check --threads 1" check --threads 1 --max-reject-rate 1 "$LOG"
compare "anonymize (hash)" anonymize "${HASH[@]}" "$LOG"
compare "anonymize (truncate)" anonymize --rules @RULES@ --quiet --policy 123together-2003 "$LOG"
compare "anonymize -o .gz" anonymize "${HASH[@]}" -o @DIR@/anon.gz "$LOG"
compare "stats" stats "${HASH[@]}" --sqlite @DIR@/stats.sqlite "$LOG"
compare "anonymize -o .gz --sqlite" anonymize "${HASH[@]}" -o @DIR@/anon.gz --sqlite @DIR@/stats.sqlite "$LOG"

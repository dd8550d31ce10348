#!/usr/bin/env bash
# make bench: logward against reference tools on the same generated file, in the same run.
# Reports medians and ratios (machines are shared and noisy: absolute seconds mean little), and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."

LINES=${BENCH_LINES:-2000000}
RUNS=${BENCH_RUNS:-3}
BIN=.build/release/logward
DATA=bench/data
mkdir -p "$DATA"
LOG="$DATA/combined-$LINES.log.gz"

if [ ! -s "$LOG" ]; then
    echo "generating $LINES combined lines into $LOG ..."
    python3 bench/generate.py "$LINES" | gzip -6 > "$LOG.tmp" && mv "$LOG.tmp" "$LOG"
fi
echo "input: $LOG ($(du -h "$LOG" | cut -f1) gz, $LINES lines)"

# time_cmd NAME COMMAND...: runs COMMAND $RUNS times, prints median wall seconds and max peak RSS (KiB).
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
measure() {
    local name=$1; shift
    local times=() rss=0
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M" -o "$DATA/time.out" bash -c "$*" > /dev/null
        read -r t m < "$DATA/time.out"
        times+=("$t")
        (( m > rss )) && rss=$m
    done
    local med
    med=$(printf '%s\n' "${times[@]}" | median)
    printf '%-34s median %6.2f s   peak RSS %6d KiB   (runs: %s)\n' "$name" "$med" "$rss" "${times[*]}" >&2
    echo "$med $rss"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

read -r zcat_s _ < <(measure "zcat > /dev/null" "zcat '$LOG'")
read -r check_s check_rss < <(measure "logward check" "$BIN check --max-reject-rate 1 '$LOG'")
read -r check1_s _ < <(measure "logward check --threads 1" "$BIN check --threads 1 --max-reject-rate 1 '$LOG'")

# One 1 GiB line through stdin: memory must stay bounded by the maximum line length.
read -r _ longline_rss < <(RUNS=1 measure "logward check (one 1 GiB line)" "head -c 1073741824 /dev/zero | tr '\\0' a | $BIN check --max-reject-rate 1 -")

# Anonymize: plain output (hashing policy, the heaviest) against zcat; gz in/gz out against zcat | gzip -6.
KEYS="$DATA/keys"
rm -rf "$KEYS"
read -r anon_s anon_rss < <(measure "logward anonymize (hash) > /dev/null" "$BIN anonymize --quiet --policy music123-2003 --keys '$KEYS' '$LOG'")
read -r trunc_s _ < <(measure "logward anonymize (truncate)" "$BIN anonymize --quiet --policy 123together-2003 '$LOG'")
read -r gzip_s _ < <(measure "zcat | gzip -6 > out.gz" "zcat '$LOG' | gzip -6 > '$DATA/ref.gz'")
read -r anongz_s anongz_rss < <(measure "logward anonymize -o out.gz" "$BIN anonymize --quiet --policy music123-2003 --keys '$KEYS' -o '$DATA/anon.gz' '$LOG'")

# The nightly pass: anonymized .gz and statistics in one read, against zcat and against GoAccess.
read -r pass_s pass_rss < <(measure "logward anonymize -o .gz --sqlite" "rm -f '$DATA/stats.sqlite'; $BIN anonymize --quiet --policy music123-2003 --keys '$KEYS' -o '$DATA/anon.gz' --sqlite '$DATA/stats.sqlite' '$LOG'")
read -r passplain_s passplain_rss < <(measure "logward anonymize --sqlite > /dev/null" "rm -f '$DATA/stats.sqlite'; $BIN anonymize --quiet --policy music123-2003 --keys '$KEYS' --sqlite '$DATA/stats.sqlite' '$LOG' > /dev/null")
read -r stats_s stats_rss < <(measure "logward stats --sqlite" "rm -f '$DATA/stats.sqlite'; $BIN stats --quiet --policy music123-2003 --keys '$KEYS' --sqlite '$DATA/stats.sqlite' '$LOG'")
if command -v goaccess > /dev/null; then
    read -r goaccess_s goaccess_rss < <(RUNS=1 measure "zcat | goaccess -o json" "zcat '$LOG' | goaccess - --no-global-config --log-format=COMBINED -o '$DATA/goaccess.json' 2>/dev/null")
fi

# anonip (PyPI) as users run it today, zcat | anonip, on the same file (one run: it takes a while),
# against logward anonymize with the same truncation (123together-2003 truncates addresses).
ANONIP=.build/tools/anonip/bin/anonip
if [ -x "$ANONIP" ]; then
    read -r anonip_s _ < <(RUNS=1 measure "zcat | anonip" "zcat '$LOG' | $ANONIP --ipv4mask 8 --ipv6mask 80")
fi

echo
echo "check / zcat:              $(ratio "$check_s" "$zcat_s")   (target <= 1.3; 1.0 with inflate hidden on its own thread)"
echo "check --threads 1 / zcat:  $(ratio "$check1_s" "$zcat_s")"
echo "check peak RSS:            $((check_rss / 1024)) MiB   (target < 64 MiB)"
echo "1 GiB line peak RSS:       $((longline_rss / 1024)) MiB"
echo "anonymize (hash, plain out) / zcat:          $(ratio "$anon_s" "$zcat_s")   (target <= 1.5)"
echo "anonymize (truncate, plain out) / zcat:      $(ratio "$trunc_s" "$zcat_s")"
echo "anonymize -o .gz / (zcat | gzip -6):         $(ratio "$anongz_s" "$gzip_s")   (target <= 1.1)"
echo "anonymize peak RSS:                          $((anon_rss / 1024)) MiB (plain), $((anongz_rss / 1024)) MiB (gz)"
if [ -n "${anonip_s:-}" ]; then
    echo "(zcat | anonip) / logward anonymize (truncate): $(ratio "$anonip_s" "$trunc_s")x faster   (target >= 20)"
fi
echo "anonymize + stats one pass, plain out / zcat: $(ratio "$passplain_s" "$zcat_s")   (target <= 1.5)   peak RSS $((passplain_rss / 1024)) MiB"
echo "anonymize + stats, .gz out / (zcat | gzip -6): $(ratio "$pass_s" "$gzip_s")   peak RSS $((pass_rss / 1024)) MiB"
echo "stats / zcat:                                $(ratio "$stats_s" "$zcat_s")   (target <= 1.5)   peak RSS $((stats_rss / 1024)) MiB"
if [ -n "${goaccess_s:-}" ]; then
    echo "goaccess / logward stats:                    $(ratio "$goaccess_s" "$stats_s")x faster   (goaccess peak RSS $((goaccess_rss / 1024)) MiB)"
fi

#!/usr/bin/env bash
# make bench: logward against reference tools on the same generated file, in the same run.
# Reports medians, peak RSS and ratios: each ratio is the median over runs of (command / the reference run just
# before it), so load that comes and goes on these shared machines weighs on both sides of every ratio.
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
# The same lines in one day: every visitor's day open at once, the statistics' worst case for memory.
ONEDAY="$DATA/oneday-$LINES.log.gz"
if [ ! -s "$ONEDAY" ]; then
    echo "generating $LINES combined lines of one day into $ONEDAY ..."
    python3 bench/generate.py "$LINES" 1 | gzip -6 > "$ONEDAY.tmp" && mv "$ONEDAY.tmp" "$ONEDAY"
fi

source bench/settle.sh
settle "$BIN"

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

# paired NAME REFERENCE COMMAND: runs the reference and the command alternately $RUNS times and prints the
# median of the per-pair ratios (each command run over the reference run just before it): load that comes and
# goes on a shared machine then weighs on both sides of every ratio. Echoes "ratio median-seconds peak-RSS
# median-CPU-seconds reference-median-CPU-seconds" (CPU: user + system; it grows too on a busy host, whose other
# tenants share the cores and caches, but less than wall time).
paired() {
    local name=$1 reference=$2 command=$3
    local ratios=() times=() cpus=() refcpus=() rss=0
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M %U %S" -o "$DATA/time.out" bash -c "$reference" > /dev/null
        read -r r _ ru rs < "$DATA/time.out"
        /usr/bin/time -f "%e %M %U %S" -o "$DATA/time.out" bash -c "$command" > /dev/null
        read -r t m u s < "$DATA/time.out"
        times+=("$t")
        cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')")
        refcpus+=("$(awk -v u="$ru" -v s="$rs" 'BEGIN { print u + s }')")
        ratios+=("$(ratio "$t" "$r")")
        (( m > rss )) && rss=$m
    done
    local med rmed cpu refcpu
    med=$(printf '%s\n' "${times[@]}" | median)
    rmed=$(printf '%s\n' "${ratios[@]}" | median)
    cpu=$(printf '%s\n' "${cpus[@]}" | median)
    refcpu=$(printf '%s\n' "${refcpus[@]}" | median)
    printf '%-34s median %6.2f s   peak RSS %6d KiB   CPU %5.2f s   ratios to the reference run before each: %s\n' \
        "$name" "$med" "$rss" "$cpu" "${ratios[*]}" >&2
    echo "$rmed $med $rss $cpu $refcpu"
}
ZCAT="zcat '$LOG'"
ZCATGZ="zcat '$LOG' | gzip -6 > '$DATA/ref.gz'"
# ISA-L's igzip: the floor for reading gzip, and for a gz-in/gz-out job at igzip's best level.
IGZIP="igzip -dc '$LOG'"
IGZIPGZ="igzip -dc '$LOG' | igzip -3 > '$DATA/ref3.gz'"

read -r zcat_s _ < <(measure "zcat > /dev/null" "zcat '$LOG'")
if command -v igzip > /dev/null; then
    read -r igzip_s _ < <(measure "igzip -dc > /dev/null" "$IGZIP")
    read -r igzipgz_s _ < <(measure "igzip -dc | igzip -3 > out.gz" "$IGZIPGZ")
    read -r checkig_r _ _ _ < <(paired "logward check (against igzip -dc)" "$IGZIP" "$BIN check --max-reject-rate 1 '$LOG'")
    read -r statsig_r _ _ _ < <(paired "logward stats (against igzip -dc)" "$IGZIP" "rm -f '$DATA/stats.sqlite'; $BIN stats --quiet --policy music123-2003 --keys '$DATA/keys' --sqlite '$DATA/stats.sqlite' '$LOG'")
fi
read -r check_r check_s check_rss _ < <(paired "logward check" "$ZCAT" "$BIN check --max-reject-rate 1 '$LOG'")
read -r check1_r _ _ _ < <(paired "logward check --threads 1" "$ZCAT" "$BIN check --threads 1 --max-reject-rate 1 '$LOG'")

# One 1 GiB line through stdin: memory must stay bounded by the maximum line length.
read -r _ longline_rss < <(RUNS=1 measure "logward check (one 1 GiB line)" "head -c 1073741824 /dev/zero | tr '\\0' a | $BIN check --max-reject-rate 1 -")

# Anonymize: plain output (hashing policy, the heaviest) against zcat; gz in/gz out against zcat | gzip -6.
KEYS="$DATA/keys"
rm -rf "$KEYS"
read -r anon_r anon_s anon_rss _ < <(paired "logward anonymize (hash) > /dev/null" "$ZCAT" "$BIN anonymize --quiet --policy music123-2003 --keys '$KEYS' '$LOG'")
read -r trunc_r trunc_s _ _ < <(paired "logward anonymize (truncate)" "$ZCAT" "$BIN anonymize --quiet --policy 123together-2003 '$LOG'")
read -r gzip_s _ < <(measure "zcat | gzip -6 > out.gz" "$ZCATGZ")
read -r anongz_r _ anongz_rss _ < <(paired "logward anonymize -o out.gz" "$ZCATGZ" "$BIN anonymize --quiet --policy music123-2003 --keys '$KEYS' -o '$DATA/anon.gz' '$LOG'")
# Sizes: logward's default (igzip level 3) against gzip -6 of the same anonymized lines.
anon_gz_bytes=$(stat -c %s "$DATA/anon.gz")
anon_gzip6_bytes=$(zcat "$DATA/anon.gz" | gzip -6 | wc -c)
read -r anongzzlib_r _ _ _ < <(paired "logward anonymize -o out.gz --codec zlib" "$ZCATGZ" "$BIN anonymize --quiet --codec zlib --policy music123-2003 --keys '$KEYS' -o '$DATA/anon-zlib.gz' '$LOG'")

# The nightly pass: anonymized .gz and statistics in one read, against zcat and against GoAccess.
read -r pass_r _ pass_rss _ < <(paired "logward anonymize -o .gz --sqlite" "$ZCATGZ" "rm -f '$DATA/stats.sqlite'; $BIN anonymize --quiet --policy music123-2003 --keys '$KEYS' -o '$DATA/anon.gz' --sqlite '$DATA/stats.sqlite' '$LOG'")
read -r passplain_r _ passplain_rss passplain_cpu zcat_cpu < <(paired "logward anonymize --sqlite > /dev/null" "$ZCAT" "rm -f '$DATA/stats.sqlite'; $BIN anonymize --quiet --policy music123-2003 --keys '$KEYS' --sqlite '$DATA/stats.sqlite' '$LOG' > /dev/null")
read -r stats_r stats_s stats_rss _ < <(paired "logward stats --sqlite" "$ZCAT" "rm -f '$DATA/stats.sqlite'; $BIN stats --quiet --policy music123-2003 --keys '$KEYS' --sqlite '$DATA/stats.sqlite' '$LOG'")
if command -v goaccess > /dev/null; then
    read -r goaccess_s goaccess_rss < <(RUNS=1 measure "zcat | goaccess -o json" "zcat '$LOG' | goaccess - --no-global-config --log-format=COMBINED -o '$DATA/goaccess.json' 2>/dev/null")
fi

# anonip (PyPI) as users run it today, zcat | anonip, on the same file (one run: it takes a while),
# against logward anonymize with the same truncation (123together-2003 truncates addresses).
ANONIP=.build/tools/anonip/bin/anonip
if [ -x "$ANONIP" ]; then
    read -r anonip_s _ < <(RUNS=1 measure "zcat | anonip" "zcat '$LOG' | $ANONIP --ipv4mask 8 --ipv6mask 80")
fi

# Peak RSS of every command on the one-day file (one run each: memory does not vary with the machine's load).
ONEDAY_STATS="$BIN stats --quiet --policy music123-2003 --keys '$KEYS' --sqlite '$DATA/oneday.sqlite' '$ONEDAY'"
read -r _ oneday_check_rss < <(RUNS=1 measure "one day: logward check" "$BIN check --max-reject-rate 1 '$ONEDAY'")
read -r _ oneday_anon_rss < <(RUNS=1 measure "one day: logward anonymize -o .gz" "$BIN anonymize --quiet --policy music123-2003 --keys '$KEYS' -o '$DATA/oneday.gz' '$ONEDAY'")
read -r _ oneday_stats_rss < <(RUNS=1 measure "one day: logward stats" "rm -f '$DATA/oneday.sqlite'; $ONEDAY_STATS")
read -r _ oneday_pass_rss < <(RUNS=1 measure "one day: logward anonymize -o .gz --sqlite" "rm -f '$DATA/oneday.sqlite'; $BIN anonymize --quiet --policy music123-2003 --keys '$KEYS' -o '$DATA/oneday.gz' --sqlite '$DATA/oneday.sqlite' '$ONEDAY'")
read -r _ oneday_passplain_rss < <(RUNS=1 measure "one day: logward anonymize --sqlite" "rm -f '$DATA/oneday.sqlite'; $BIN anonymize --quiet --policy music123-2003 --keys '$KEYS' --sqlite '$DATA/oneday.sqlite' '$ONEDAY' > /dev/null")
oneday_visitors=$(sqlite3 "$DATA/oneday.sqlite" "SELECT SUM(visitors) FROM daily" 2>/dev/null || echo "?")

echo
echo "check / zcat:              $check_r   (target <= 1.3; 1.0 with inflate hidden on its own thread)"
echo "check --threads 1 / zcat:  $check1_r"
echo "check peak RSS:            $((check_rss / 1024)) MiB   (target < 64 MiB)"
echo "1 GiB line peak RSS:       $((longline_rss / 1024)) MiB"
echo "anonymize (hash, plain out) / zcat:          $anon_r   (target <= 1.5)"
echo "anonymize (truncate, plain out) / zcat:      $trunc_r"
echo "anonymize -o .gz / (zcat | gzip -6):         $anongz_r   (target <= 0.33: 3x faster)   --codec zlib: $anongzzlib_r"
echo "  output $anon_gz_bytes bytes against gzip -6's $anon_gzip6_bytes of the same lines: $(ratio "$anon_gz_bytes" "$anon_gzip6_bytes")x   (target <= 1.25)"
if [ -n "${igzip_s:-}" ]; then
    echo "check / igzip -dc:                           $checkig_r   (target <= 2)"
    echo "stats / igzip -dc:                           $statsig_r   (target <= 3)"
    echo "igzip -dc: $igzip_s s, zcat: $zcat_s s; igzip -dc | igzip -3: $igzipgz_s s, zcat | gzip -6: $gzip_s s"
fi
echo "anonymize peak RSS:                          $((anon_rss / 1024)) MiB (plain), $((anongz_rss / 1024)) MiB (gz)"
if [ -n "${anonip_s:-}" ]; then
    echo "(zcat | anonip) / logward anonymize (truncate): $(ratio "$anonip_s" "$trunc_s")x faster   (target >= 20)"
fi
echo "anonymize + stats one pass, plain out / zcat: $passplain_r   (target <= 1.5)   peak RSS $((passplain_rss / 1024)) MiB"
echo "  CPU time (user + system): $passplain_cpu s against zcat's $zcat_cpu s, $(ratio "$passplain_cpu" "$zcat_cpu")x: what the ratio tends to when other tenants leave logward one core"
echo "anonymize + stats, .gz out / (zcat | gzip -6): $pass_r   peak RSS $((pass_rss / 1024)) MiB"
echo "stats / zcat:                                $stats_r   (target <= 1.5)   peak RSS $((stats_rss / 1024)) MiB"
if [ -n "${goaccess_s:-}" ]; then
    echo "goaccess / logward stats:                    $(ratio "$goaccess_s" "$stats_s")x faster   (goaccess peak RSS $((goaccess_rss / 1024)) MiB)"
fi
echo "one day ($LINES lines, $oneday_visitors visitors), peak RSS (target < 64 MiB): check $((oneday_check_rss / 1024)), anonymize -o .gz $((oneday_anon_rss / 1024)), stats $((oneday_stats_rss / 1024)), anonymize -o .gz --sqlite $((oneday_pass_rss / 1024)), anonymize --sqlite $((oneday_passplain_rss / 1024)) MiB"

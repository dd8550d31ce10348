#!/usr/bin/env bash
# Builds the libFuzzer targets (--sanitize=fuzzer,address; optimized, as the release binary is: 3.8 times the
# executions per second of a debug build) and runs each for SECONDS (default 30) on a corpus
# seeded from fixtures/. A crash, a hang (-timeout) or a sanitizer report fails the run; the input that caused
# it is kept under .build-fuzz/artifacts/ and becomes a regression test.
# Usage: bash fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzGzipReader FuzzLineParser FuzzFormatCompiler FuzzRulesLoader FuzzAnonymizer)
build=.build-fuzz
swift=${SWIFT:-swift}
# Swift's backtracer can hang after a crash under the sanitizer: libFuzzer reports the crash itself.
export SWIFT_BACKTRACE=enable=no

seed() {
    local target=$1 dir=$build/corpus/$1
    mkdir -p "$dir"
    case $target in
    FuzzGzipReader)
        cp fixtures/elastic-head-200*.gz fixtures/logs/erddap-tomcat/tomcat-access.log.1.gz fixtures/logs/apachelogs-vhost-combined-7.log "$dir/"
        head -c 4000 fixtures/elastic-head-200.log > "$dir/plain.log" ;;
    FuzzLineParser)
        { echo combined; head -20 fixtures/elastic-head-200.log; } > "$dir/combined"
        { head -1 fixtures/planted/format.txt; head -30 fixtures/planted/planted.log; } > "$dir/planted"
        { echo vhost_combined; cat fixtures/logs/apachelogs-vhost-combined-7.log; } > "$dir/vhost"
        { echo nginx; head -20 fixtures/logs/advertools-latin1-gzip-tail-200.log; } > "$dir/latin1"
        { echo '%h [%{%Y-%m-%d %H:%M:%S}t] "%m %U%q %H" %>s %b %{msec}t'; echo '192.0.2.1 [2015-05-17 10:05:03] "GET /a?b=c HTTP/1.1" 200 5 1431857103123'; } > "$dir/time"
        { echo '$remote_addr [$msec] $status $upstream_addr $upstream_response_time'; echo '192.0.2.1 [1431857103.123] 200 10.0.0.1:80, 10.0.0.2:80 0.002 : 0.003'; } > "$dir/upstream" ;;
    FuzzFormatCompiler)
        local n=0
        for format in common combined vhost_combined nginx nginx_main \
            '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"' '%v:%p %h %l %u %t "%r" %>s %O' \
            '%h [%{%d/%b/%Y %T}t.%{msec_frac}t %{%z}t] "%m %U%q %H" %>s' "log_format main '\$remote_addr [\$time_local] ' '\"\$request\" \$status';" \
            '$remote_addr - $remote_user [$time_iso8601] "$request" $status $body_bytes_sent "$http_x_forwarded_for"'; do
            n=$((n + 1)); printf '%s' "$format" > "$dir/format-$n"
        done
        cp fixtures/planted/format.txt "$dir/planted" ;;
    FuzzRulesLoader)
        cp rules/*.yaml fixtures/rules-*/*.yaml "$dir/" ;;
    FuzzAnonymizer)
        # The first byte picks the policy; the lines are those of the free-text fixture, one file per policy.
        local policy
        for policy in 0 1 2 3 4 5; do
            { printf "\\x0$policy"; cat fixtures/planted/freetext.log; } > "$dir/freetext-$policy"
        done
        { printf '\x01'; cat fixtures/planted/planted.log; } > "$dir/planted"
        { printf '\x83'; cat fixtures/planted/freetext.log; } > "$dir/freetext-stats"
        # The second format (the request's parts as fields) and the third (nginx, `$request_uri`, `$args`).
        printf '\x12%s\n' 'music123.com 198.51.100.7 - alice [15/Mar/2010:10:00:00 +0000] "GET /users/4242;jsessionid=AB12/inbox?email=bob%40example.com&sid=9 HTTP/1.1" 200 512 "http://203.0.113.5/ref?u=jane&#64;example.org" "Mozilla/5.0 (proxy 192&#46;0&#46;2&#46;9)" "sid=abc; uid=42"' > "$dir/split-request"
        printf '\xa4%s\n' 'music123.com 2001:db8::7 - bob [15/Mar/2010:10:00:01 +0000] "GET /a?ip=192%2E0%2E2%2E1&u=4242 HTTP/1.1" 200 5 "-" "curl/7.68.0" "203.0.113.9, 198.51.100.1" "/a?ip=192%2E0%2E2%2E1&u=4242" "ip=192%2E0%2E2%2E1&u=4242" 10.0.0.1:80, 10.0.0.2:80' > "$dir/nginx" ;;
    esac
}

# Whether a target's build reports coverage. Its output goes to a file first: `fuzzer | grep -q` under pipefail
# fails at random, when grep exits on its match and the fuzzer's next line meets a closed pipe (SIGPIPE).
has_coverage() {
    mkdir -p "$build/artifacts"
    "$build/release/$1" -runs=1 -artifact_prefix="$build/artifacts/$1-" "$build/corpus/$1" > "$build/$1.init.log" 2>&1 || true
    grep -q "INITED cov:" "$build/$1.init.log"
}

# Whether the corpus run above crashed: an input kept from an earlier run now fails (a regression, not a build
# without coverage).
crashed_on_corpus() {
    grep -q "ERROR: libFuzzer\|ERROR: AddressSanitizer" "$build/$1.init.log"
}

status=0
for target in "${targets[@]}"; do
    # `--sanitize=fuzzer` alone links libFuzzer but leaves Swift code without coverage counters (libFuzzer then
    # says "no interesting inputs"): the coverage instrumentation is asked for explicitly.
    mkdir -p "$build"
    if ! "$swift" build -c release --scratch-path "$build" --sanitize=fuzzer --sanitize=address -Xswiftc -DFUZZING \
        -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp --product "$target" >"$build/build.log" 2>&1; then
        echo "$target: the build failed (whole log in $build/build.log):"
        grep -E "error:" "$build/build.log" | head -20 || tail -20 "$build/build.log"
        exit 1
    fi
    # A fuzzer that finds no coverage would pass while testing nothing.
    mkdir -p "$build/corpus/$target"
    if ! has_coverage "$target"; then
        if crashed_on_corpus "$target"; then
            echo "$target: FAILED on an input of its corpus (see $build/$target.init.log; the input is under $build/artifacts/)"
            status=1; continue
        fi
        seed "$target"
        if ! has_coverage "$target"; then
            echo "$target: FAILED: the build has no coverage instrumentation"; status=1; continue
        fi
    fi
    seed "$target"
    mkdir -p "$build/artifacts"
    log=$build/$target.log
    # Longer inputs than a format string or rules file ever is only slow the search down.
    case $target in FuzzFormatCompiler) max_len=2048 ;; FuzzRulesLoader) max_len=8192 ;; *) max_len=65536 ;; esac
    if "$build/release/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
        -artifact_prefix="$build/artifacts/$target-" "$build/corpus/$target" >"$log" 2>&1; then
        runs=$(grep -o 'Done [0-9]* runs' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
        echo "$target: $runs executions in ${seconds}s, no crash, hang or sanitizer report"
    else
        echo "$target: FAILED (see $log; the input is under $build/artifacts/)"
        tail -30 "$log"
        status=1
    fi
done
exit $status

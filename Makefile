# logward: make demo (the main job on the embedded fixtures), make test, make bench.
SWIFT ?= swift
DEBUG_BIN := .build/debug/logward
RELEASE_BIN := .build/release/logward

ANONIP := .build/tools/anonip/bin/anonip
SPARK := .build/tools/spark/.installed
PROMETHEUS_CLIENT := .build/tools/prom/.installed

.PHONY: build release test demo bench clean tools quotes fuzz install install-files man

build:
	$(SWIFT) build

# The binary as it is installed and benchmarked: the Swift runtime and Foundation linked in statically (no toolchain
# needed where it runs; it starts in 21 ms instead of 34 and peaks up to 3 MiB lower: README, Performance).
release:
	$(SWIFT) build -c release --static-swift-stdlib

# Reference tools the tests compare against (anonip from PyPI, in a virtualenv under .build), and pyspark for the
# Spark job's local-mode test (about 500 MB; Java 17 from Debian's default-jre-headless), and the official
# Prometheus text parser (prometheus_client) the textfile test reads logward's output with.
tools: $(ANONIP) $(SPARK) $(PROMETHEUS_CLIENT)

$(ANONIP):
	python3 -m venv .build/tools/anonip
	.build/tools/anonip/bin/pip install --quiet anonip==1.1.0

$(PROMETHEUS_CLIENT):
	python3 -m venv .build/tools/prom
	.build/tools/prom/bin/pip install --quiet prometheus_client==0.26.0
	touch $@

$(SPARK):
	python3 -m venv .build/tools/spark
	.build/tools/spark/bin/pip install --quiet pyspark==4.3.0
	touch $@

test: tools
	$(SWIFT) build
	$(SWIFT) test

# The cited sentences in fixtures/policy-quotes against the policy texts, which stay outside the repository.
POLICY_TEXTS ?= ../shared/policies
quotes:
	@test -d '$(POLICY_TEXTS)' || { echo "quotes: no policy texts at $(POLICY_TEXTS); set POLICY_TEXTS=DIR"; exit 2; }
	LOGWARD_POLICY_TEXTS="$$(cd '$(POLICY_TEXTS)' && pwd)" $(SWIFT) test --filter theCitedSentencesAreThePoliciesOwn

# libFuzzer targets under AddressSanitizer, FUZZ_SECONDS each (README: Fuzzing).
FUZZ_SECONDS ?= 30
fuzz:
	bash fuzz/run.sh $(FUZZ_SECONDS)

PLANTED_FORMAT := %v %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" "%{X-Forwarded-For}i" "%{Cookie}i"

demo: build
	@mkdir -p out
	$(DEBUG_BIN) check --format combined fixtures/elastic-head-200.log.gz fixtures/elastic-head-200-multi-member.log.gz
	$(DEBUG_BIN) check --format combined --json fixtures/elastic-head-200.log.gz > out/check.json
	$(DEBUG_BIN) policies
	$(DEBUG_BIN) anonymize --keys out/keys --format '$(PLANTED_FORMAT)' --on-reject scrub --max-reject-rate 1 \
		--report out/anonymize-report.json -o out/planted.anon.log.gz fixtures/planted/planted.log
	$(DEBUG_BIN) anonymize --keys out/keys --site music123.com -o out/elastic-head-200.anon.log.gz \
		--sqlite out/stats.sqlite --csv out/csv --json-file out/stats.json --prometheus out/logward.prom fixtures/elastic-head-200.log.gz
	@echo "wrote out/check.json, out/*.anon.log.gz, out/anonymize-report.json, out/stats.sqlite (+ csv/, stats.json, logward.prom), keys in out/keys"
	@echo "--- the nightly job on fixtures/run/logward.yaml (logs of 2015-05-17, run the morning after) ---"
	$(DEBUG_BIN) run --config fixtures/run/logward.yaml --now 2015-05-18T03:00:00Z --report out/run-report.json
	@echo "--- what retention will do on 2015-07-01 (dry run) ---"
	$(DEBUG_BIN) retain --config fixtures/run/logward.yaml --now 2015-07-01 --dry-run
	@echo "--- the compliance audit of the archive ---"
	$(DEBUG_BIN) audit --rules rules --now 2015-05-18T03:00:00Z out/archive
	@echo "archive in out/archive (anon/, raw/, keys/, ledger.sqlite, stats.sqlite, audit.jsonl), run report out/run-report.json"

bench: release tools
	bash bench/run.sh

# A server install: the binary with the Swift runtime linked in statically (no toolchain needed where it runs), the
# rules it reads by default, the manual page and shell completions. PREFIX=/usr/local, DESTDIR for packaging.
PREFIX ?= /usr/local
DESTDIR ?=
BIN ?= .build/release/logward
install: release
	$(MAKE) install-files BIN=.build/release/logward

install-files:
	install -d '$(DESTDIR)$(PREFIX)/bin' '$(DESTDIR)$(PREFIX)/share/logward/rules' '$(DESTDIR)$(PREFIX)/share/man/man1' \
		'$(DESTDIR)$(PREFIX)/share/bash-completion/completions' '$(DESTDIR)$(PREFIX)/share/zsh/site-functions' \
		'$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d'
	install -m 0755 '$(BIN)' '$(DESTDIR)$(PREFIX)/bin/logward'
	install -m 0644 rules/*.yaml rules/README.md '$(DESTDIR)$(PREFIX)/share/logward/rules/'
	install -m 0644 docs/logward.1 '$(DESTDIR)$(PREFIX)/share/man/man1/logward.1'
	'$(BIN)' --generate-completion-script bash > '$(DESTDIR)$(PREFIX)/share/bash-completion/completions/logward'
	'$(BIN)' --generate-completion-script zsh > '$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_logward'
	'$(BIN)' --generate-completion-script fish > '$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/logward.fish'

# The manual page, from the commands' own help (swift-argument-parser's generate-manual plugin); committed.
man:
	$(SWIFT) package plugin generate-manual --date "$$(git log -1 --format=%cs)"
	cp .build/plugins/GenerateManual/outputs/logward/logward.1 docs/logward.1

clean:
	rm -rf .build .build-fuzz out bench/data

# logward: make demo (the main job on the embedded fixtures), make test, make bench.
SWIFT ?= swift
DEBUG_BIN := .build/debug/logward
RELEASE_BIN := .build/release/logward

ANONIP := .build/tools/anonip/bin/anonip

.PHONY: build release test demo bench clean tools

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

# Reference tools the tests compare against (anonip from PyPI, in a virtualenv under .build).
tools: $(ANONIP)

$(ANONIP):
	python3 -m venv .build/tools/anonip
	.build/tools/anonip/bin/pip install --quiet anonip==1.1.0

test: tools
	$(SWIFT) build
	$(SWIFT) test

demo: build
	@mkdir -p out
	$(DEBUG_BIN) check --format combined fixtures/elastic-head-200.log.gz fixtures/elastic-head-200-multi-member.log.gz
	$(DEBUG_BIN) check --format combined --json fixtures/elastic-head-200.log.gz > out/check.json
	@echo "wrote out/check.json"

bench: release
	bash bench/run.sh

clean:
	rm -rf .build out bench/data

# Sluice: `make serve` runs one node, `make test` runs every test suite. Both install what is
# missing first (`make deps`: Debian packages and the interop venv), so they work on a fresh
# Debian machine with only Swift installed.
SHELL := /bin/bash
SWIFT ?= swift
DATA_DIR ?= ./data
SPECS ?= ../shared/reference/kafka-messages

.PHONY: deps bench-deps build serve test test-swift test-interop generate bench bench-broker bench-scale clean

deps:
	@scripts/deps.sh

# deps and what ../shared/bench's harness measures against (iperf3, fio, Redis, gcc, librdkafka-dev)
bench-deps:
	@scripts/deps.sh --bench

## build: the release binary, .build/release/sluice
build: deps
	$(SWIFT) build -c release --product sluice

## serve: one node in the foreground: Kafka 127.0.0.1:9092, registry :8081, admin :9644, data in ./data
serve: build
	.build/release/sluice serve --data-dir $(DATA_DIR)

## test: every suite: Swift unit tests, then interop tests against the real binary
test: deps test-swift test-interop

test-swift:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

test-interop:
	$(SWIFT) build
	SLUICE_BIN=$(CURDIR)/.build/debug/sluice .venv/bin/python -m pytest -q -W ignore::DeprecationWarning Tests/interop

## generate: rerun the Kafka protocol generator from Apache Kafka's JSON message specs
generate:
	$(SWIFT) run ProtocolGen $(SPECS) Sources/KafkaProtocol/Generated

## bench: release-build benchmarks; prints figures and ratios against baselines from the same run
bench: deps
	scripts/bench.sh

## bench-broker: the side-by-side broker benchmark (../shared/bench, with the mock broker; ~30 min)
bench-broker: bench-deps
	scripts/bench-broker.sh

## bench-scale: thousands of partitions, millions of small messages per second, one broker
bench-scale: bench-deps
	scripts/bench-scale.sh

clean:
	rm -rf .build $(DATA_DIR)

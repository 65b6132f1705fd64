# ferrodis — build, run, test and benchmark.
#
#   make run     build (release) and run a master on 6379 with conf/redis.conf
#   make test    run every test (unit, integration, differential, doc)
#   make deps    install the reference Redis 7.0 the tests compare against
#
# Differential tests need redis-server 7.0 on PATH; with FERRODIS_REQUIRE_REDIS=1
# (set by .ci/run in CI) a missing one fails the tests instead of skipping them.

CARGO ?= cargo
SERVER := target/release/ferrodis-server

.PHONY: build release run test test-unit test-integration lint bench deps clean

build:
	$(CARGO) build --release

# STYLE.md's name for the same thing.
release: build

run: build
	$(SERVER) conf/redis.conf

# One command for every test: unit and in-process tests (--lib), integration
# and differential tests in tests/ (cargo builds the binary they spawn), then
# doc tests, which --all-targets leaves out.
test:
	$(CARGO) test --all-targets
	$(CARGO) test --doc

test-unit:
	$(CARGO) test --lib

test-integration:
	$(CARGO) test --test '*'

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

bench:
	scripts/bench.sh

deps:
	scripts/install-test-deps.sh

clean:
	$(CARGO) clean
	rm -f dump-6379.rdb dump-6380.rdb dump-6381.rdb

# The commands a newcomer needs. Each installs what a fresh machine lacks first.
export PATH := /opt/swift/usr/bin:$(PATH)

SPOOL_ADMIN_KEY ?= spool-dev-admin-key
export SPOOL_ADMIN_KEY

.PHONY: run test bench build release deps clean

## make run: build, migrate and serve on 127.0.0.1:8080 (against the built-in fal emulator when FAL_KEY is unset)
run: build
	.build/debug/spool migrate
	.build/debug/spool serve $(if $(FAL_KEY),,--sim)

## make test: build and run every test
test:
	scripts/install-deps.sh test
	scripts/python-env.sh
	swift build --build-tests
	swift test --skip-build

## make bench: release build, then the benchmarks (figures printed, nothing asserted)
bench: release
	scripts/install-deps.sh bench
	bench/run-all.sh

build:
	scripts/install-deps.sh
	swift build --product spool

release:
	scripts/install-deps.sh
	swift build -c release --product spool

clean:
	rm -rf .build

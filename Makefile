# The commands a newcomer needs. Each installs what a fresh machine lacks first.
export PATH := /opt/swift/usr/bin:$(PATH)

SPOOL_ADMIN_KEY ?= spool-dev-admin-key
export SPOOL_ADMIN_KEY

.PHONY: run test bench build release deps clean chaos fuzz test-sanitizers cluster

## make run: build, migrate and serve on 127.0.0.1:8080 (against the built-in fal emulator when FAL_KEY is unset)
run: build
	.build/debug/spool migrate
	.build/debug/spool serve $(if $(FAL_KEY),,--sim)

## make test: build and run every test (on SQLite, in two passes), then the end-to-end job, webhook and operations suites again on
## PostgreSQL (a throwaway server the tests start; the store's and the replicas' own tests run on both in the first pass)
POSTGRES_E2E_SUITES = JobSubmitTests|JobModesTests|JobCancelTests|JobFailureTests|JobFollowingTests|JobReadCacheTests|WebhookDeliveryTests|WebhookURLSpellingTests|FalCallbackTests|KeysActAtOnceTests|OperationsTests|UsageDateTests|StoredFilesTests
## Suites that start other programs (the spool binary, Python, node, Chromium, moto, nginx) run in a pass of their own:
## together with the rest, two cores are oversubscribed and timing-sensitive tests elsewhere miss their deadlines.
PROGRAM_SUITES = AccessLogShutdownTests|BinaryAloneTests|FalClientCompatibilityTests|FalClientThroughTLSTests|JobLifecycleLogTests|OpenAPITests|ReadmeTourTests|S3PresignTests|S3SignedRequestTests|S3FaultTests|FileStorageContractTests|SchemaValidatorTests|SecretHandlingTests|ServeCommandTests|SimCommandTests|SimOutputsAcrossRestartTests|WorkbenchBrowserTests|WorkbenchFilesTests
## Suites whose jobs must be caught in a state that lasts about a second (a queue position, a deadline, a restart in
## every state, three replicas killed or restarted under load) run one test at a time, where nothing else competes
## for the two cores.
TIMING_SUITES = ClusterProcessTests|JobDispatchBurstTests|SimulatorLifecycleTests|SimulatorInspectionTests|FalSubmitHeaderTests|JobFailureTests|JobFollowerTests|JobRecoveryTests|JobCancelTests|RequestBodyTests
test:
	scripts/install-deps.sh test
	scripts/python-env.sh
	swift build --build-tests
	swift test --skip-build --skip '$(PROGRAM_SUITES)|$(TIMING_SUITES)'
	swift test --skip-build --filter '$(PROGRAM_SUITES)'
	swift test --skip-build --no-parallel --filter '$(TIMING_SUITES)'
	SPOOL_TEST_BACKEND=postgres swift test --skip-build --no-parallel --filter '$(POSTGRES_E2E_SUITES)'

## make cluster: three replicas on 127.0.0.1:8081-8083 on one throwaway PostgreSQL, against one fal emulator;
## prints their URLs and a dev key; Ctrl-C stops everything (README, "Several replicas")
cluster: build
	scripts/install-deps.sh cluster
	scripts/cluster.sh

## make bench: release build, then the benchmarks (figures printed, nothing asserted), bench/cluster.sh last:
## submits and a 10,000-job drain on SQLite, PostgreSQL with one replica and with three
bench: release
	scripts/install-deps.sh bench
	bench/run-all.sh

## make chaos: release build, then CYCLES (20) gateway crashes under load and injected fal faults; a table, and
## exit 1 when a job was lost, stuck, or failed by a transient fault (about 5 to 10 minutes; not in `make test`)
CYCLES ?= 20
chaos: release
	CYCLES=$(CYCLES) bench/chaos.sh

## make fuzz: libFuzzer on the HTTP request parser and the JSON parser, FUZZ_SECONDS (180) each; not in `make test`
FUZZ_SECONDS ?= 180
fuzz:
	scripts/install-deps.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

## make test-sanitizers: the test suite under AddressSanitizer (.build-asan), then ThreadSanitizer (.build-tsan), one
## test at a time (the tests' timing margins assume an uninstrumented build; in parallel and 5-10x slower they are missed).
## Leak detection is off: at exit it lists XCTest's own objects (GatewayReleaseTests checks that stopped gateways are
## released). TSan cannot see Swift's Mutex on Linux; scripts/tsan-suppressions.txt says what that hides.
test-sanitizers:
	scripts/install-deps.sh test
	scripts/python-env.sh
	swift build --build-tests --sanitize=address --scratch-path .build-asan
	ASAN_OPTIONS=detect_leaks=0 swift test --skip-build --no-parallel --sanitize=address --scratch-path .build-asan
	swift build --build-tests --sanitize=thread --scratch-path .build-tsan
	TSAN_OPTIONS=suppressions=$(CURDIR)/scripts/tsan-suppressions.txt \
	  swift test --skip-build --no-parallel --sanitize=thread --scratch-path .build-tsan

build:
	scripts/install-deps.sh
	swift build --product spool

release:
	scripts/install-deps.sh
	swift build -c release --product spool --static-swift-stdlib

clean:
	rm -rf .build .build-asan .build-tsan .build-fuzz

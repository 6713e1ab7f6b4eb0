# The two commands a newcomer needs: `make demo` and `make test`. Both install missing
# Debian packages first (scripts/install-deps), configure and build.
BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build test demo install bench simulate clean fuzz screenshot

all: build

deps:
	@./scripts/install-deps

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	@./examples/churn/demo.sh $(BUILD)/modelgate

install: build
	cmake --install $(BUILD)

bench: build
	cmake --build $(BUILD) -j $(JOBS) --target bench_engine gen_data bench_drift
	./bench/run.sh $(BUILD)

# `make simulate`: the coverage and false-pass simulations of docs/statistics.md
# (about 5 minutes; writes $(BUILD)/simulation.md).
simulate: build
	cmake --build $(BUILD) --target simulation

# `make fuzz`: build the libFuzzer targets with clang (in build-fuzz) and run each for
# FUZZ_SECONDS (default 60) on its seed corpus; see tests/fuzz/README.md.
fuzz: deps
	CC=clang cmake -S . -B build-fuzz -DMG_FUZZ=ON -DMG_TESTS=OFF
	cmake --build build-fuzz -j $(JOBS) --target fuzz_csv fuzz_suite fuzz_xmlclean fuzz_diff
	./tests/fuzz/run.sh build-fuzz $(or $(FUZZ_SECONDS),60)

# `make screenshot`: docs/html-report.png, the churn example's HTML report as headless
# Chromium renders it (the browser test, tests/cli/html_browser.sh, takes it).
screenshot: build
	MG_SCREENSHOT=$(CURDIR)/docs/html-report.png sh tests/cli/html_browser.sh \
	  $(BUILD)/modelgate . $(BUILD)/screenshot

clean:
	rm -rf $(BUILD)

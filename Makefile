# The two commands a newcomer needs: `make demo` and `make test`. Both install missing
# Debian packages first (scripts/install-deps), configure and build.
BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build test demo install bench clean

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
	cmake --build $(BUILD) -j $(JOBS) --target bench_engine gen_data
	./bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)

# gigasim — hand-written Makefile (see README.md).
#   make            build build/gigasim
#   make demo       install missing packages, build, run the 1 GW scenario, render charts and the report
#   make eu-vs-us   the bundled EU vs US comparison: table, compare.json/.csv, charts
#   make flex       the flexible grid connection study: firm vs flexible, and a curtailment sweep
#   make install    the binary, charts, scenarios, man pages, completion and library under PREFIX (/usr/local), DESTDIR for staging
#   make sensitivity  Morris screening and Sobol' indices of the 1 GW scenario's uncertain inputs (SENS_RANKS=2: under MPI)
#   make sites      the site study: the 1 GW project in 21 EU countries and US markets, ranked
#   make sites-delay  what a year's delay of the grid connection costs at each site of the study
#   make backtest   real buildouts (scenarios/backtest/) against the model: quantiles, share inside P10-P90, chart
#   make fuzz       eight libFuzzer targets (scenario, hourly inputs, --set/--vary, plot's JSON, plot's names, the output
#                   directory among planted links, merge's shards, the report's markup), FUZZ_SECONDS each (clang)
#   make test       build and run every test (with a slice of the property harness)
#   make proptest   properties over PROPTEST_N generated scenarios (conservation, monotonicity, horizon, reruns, threads, netCDF)
#   make bench      benchmarks, one "NAME VALUE" per line
#   make bench-mpi  the whole job as 1 and 2 MPI ranks against threads, and a 10-input sensitivity analysis
#   make bench-pair BASE=<commit>  the whole job of this build against BASE's, in alternating pairs
#   make debug      ASan/UBSan build in build/debug
#   make mpi        the MPI build, build/mpi/gigasim (Open MPI): mpirun -np N build/mpi/gigasim run ...
#   make zig-tables regenerate sim/core/ziggurat_tables.c (the samplers' layer tables)
#   make readme-metrics  regenerate the README's output reference from the metric table
#   make deps       install the Debian packages (root), or print the apt-get line
#   make test-deps  the packages of the browser and valgrind tests (chromium, valgrind)

PKGS     := gsl libconfig libcjson netcdf
DEB_PKGS := libgsl-dev libconfig-dev libcjson-dev libnetcdf-dev gnuplot-nox pkg-config
# For the tests beyond the suite's own: the report in a real browser, valgrind.
TEST_DEB_PKGS := chromium poppler-utils valgrind libopenmpi-dev openmpi-bin python3-pandas python3-xarray python3-netcdf4

BUILD   ?= build
CC      ?= cc
OPT     ?= -O2
WARN    := -std=c11 -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion
CFLAGS  ?= $(OPT) -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS := $(WARN) $(CFLAGS) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. $(PKG_CFLAGS) -MMD -MP
LDLIBS  := $(PKG_LIBS) -lpthread -lm

LIB_SRC   := $(wildcard sim/*.c sim/core/*.c sim/config/*.c sim/study/*.c sim/present/*.c) $(wildcard models/*/*.c) $(wildcard lib/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC  := $(wildcard tests/*.c)
TEST_OBJ  := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)
BENCH_SRC := $(wildcard bench/*.c)
BENCH_OBJ := $(BENCH_SRC:%.c=$(BUILD)/obj/%.o)

DEMO_SCENARIO ?= scenarios/eu-gigafactory-1gw.cfg
DEMO_OUT      ?= out/demo

.PHONY: python proptest FORCE test-deps sensitivity sites-delay optimize-demo backtest mpi bench-mpi install uninstall all demo eu-vs-us flex sites test bench bench-pair debug fuzz valgrind deps check-deps clean zig-tables readme-metrics
all: $(BUILD)/gigasim

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libgigasim.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The shared library for Python (python/gigasim, through ctypes): the same
# sources, compiled position-independent.
PIC_OBJ := $(LIB_SRC:%.c=$(BUILD)/pic/%.o)
$(BUILD)/pic/%.o: %.c $(BUILD)/source_dir.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -I$(BUILD) -c $< -o $@
$(BUILD)/libgigasim.so: $(PIC_OBJ)
	$(CC) -shared $(CFLAGS) -o $@ $^ $(LDLIBS)
python: $(BUILD)/libgigasim.so

# The commit the binary is built from (--version): rewritten only when it
# changes, so that main.o is rebuilt exactly then; "unknown" outside git.
$(BUILD)/version.h: FORCE
	@mkdir -p $(BUILD)
	@c=$$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown); \
	 if [ "$$c" != unknown ] && ! git diff --quiet HEAD 2>/dev/null; then c="$$c-modified"; fi; \
	 echo "#define GIGASIM_COMMIT \"$$c\"" > $@.tmp; \
	 if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
FORCE:

# The source tree the binary is built in (absolute): the binary finds its
# chart scripts and scenarios there only while it lives in that tree
# (sim_find_data_dir); rewritten only when the tree moves.
$(BUILD)/source_dir.h: FORCE
	@mkdir -p $(BUILD)
	@printf '#define GIGASIM_SOURCE_DIR "%s"\n' "$$(pwd -P | sed 's/[\\"]/\\&/g')" > $@.tmp; \
	 if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(BUILD)/obj/sim/core/util.o: sim/core/util.c $(BUILD)/source_dir.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I$(BUILD) -c $< -o $@

$(BUILD)/obj/main.o: main.c $(BUILD)/version.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I$(BUILD) -c $< -o $@

$(BUILD)/gigasim: $(BUILD)/obj/main.o $(BUILD)/libgigasim.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests: $(TEST_OBJ) $(BUILD)/libgigasim.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The property harness over generated scenarios (tests/prop/proptest.c).
$(BUILD)/proptest: tests/prop/proptest.c $(BUILD)/libgigasim.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libgigasim.a $(LDLIBS)

# make proptest: PROPTEST_N generated scenarios (each run, balanced, varied, extended, rerun, threaded);
# the closing figure is 100,000: make proptest PROPTEST_N=100000 (about an hour on two cores).
PROPTEST_N ?= 2000
PROPTEST_SEED ?= 1
proptest: check-deps $(BUILD)/proptest
	$(BUILD)/proptest --count $(PROPTEST_N) --seed $(PROPTEST_SEED) --quiet

$(BUILD)/bench: $(BENCH_OBJ) $(BUILD)/libgigasim.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The ziggurat tables' generator (its output is committed; a test compares).
$(BUILD)/ziggurat_gen: sim/tools/ziggurat_gen.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -D_DEFAULT_SOURCE -o $@ $< -lm

zig-tables: $(BUILD)/ziggurat_gen
	$(BUILD)/ziggurat_gen > sim/core/ziggurat_tables.c.tmp && mv sim/core/ziggurat_tables.c.tmp sim/core/ziggurat_tables.c

# The README's output reference is `gigasim metrics` between its markers (a test compares).
readme-metrics: $(BUILD)/gigasim
	$(BUILD)/gigasim metrics > $(BUILD)/metrics.md
	awk -v f=$(BUILD)/metrics.md '/<!-- metrics:end -->/{while ((getline l < f) > 0) print l; skip = 0} !skip {print} /<!-- metrics:begin -->/{skip = 1}' \
	    README.md > README.md.tmp && mv README.md.tmp README.md

test: check-deps $(BUILD)/gigasim $(BUILD)/tests $(BUILD)/ziggurat_gen $(BUILD)/proptest $(BUILD)/libgigasim.so
	GIGASIM=$(BUILD)/gigasim $(BUILD)/tests

bench: check-deps $(BUILD)/gigasim $(BUILD)/bench
	GIGASIM=$(BUILD)/gigasim $(BUILD)/bench

# The whole job as 1 and 2 processes, threads against MPI ranks, and a
# sensitivity analysis of 10 inputs, plain and under 2 ranks (bench/mpi.sh).
bench-mpi: $(BUILD)/gigasim mpi
	bench/mpi.sh

# BASE's gigasim built from `git archive` in $(BUILD)/base, then the whole
# job (1,000 replications of the 1 GW EU scenario, every model on) of both
# binaries in three alternating pairs, each on its own tree's scenario file.
BASE ?= HEAD~1
bench-pair: check-deps $(BUILD)/gigasim $(BUILD)/bench
	rm -rf $(BUILD)/base && mkdir -p $(BUILD)/base
	git archive $(BASE) | tar -x -C $(BUILD)/base
	$(MAKE) -C $(BUILD)/base build/gigasim >/dev/null
	GIGASIM=$(BUILD)/gigasim $(BUILD)/bench job $(BUILD)/base/build/gigasim

demo: deps
	$(MAKE) $(BUILD)/gigasim
	$(BUILD)/gigasim run $(DEMO_SCENARIO) -o $(DEMO_OUT)
	$(BUILD)/gigasim plot $(DEMO_OUT)
	$(BUILD)/gigasim report $(DEMO_OUT)
	@echo "demo: results and charts in $(DEMO_OUT)/; open $(DEMO_OUT)/report.html"
	@ls $(DEMO_OUT)/*.png

# The bundled EU vs US comparison (common random numbers), with its charts.
EU_VS_US_OUT ?= out/eu-vs-us
eu-vs-us: deps
	$(MAKE) $(BUILD)/gigasim
	$(BUILD)/gigasim compare scenarios/eu-vs-us/eu.cfg scenarios/eu-vs-us/us.cfg -o $(EU_VS_US_OUT)
	$(BUILD)/gigasim plot $(EU_VS_US_OUT)
	$(BUILD)/gigasim sweep scenarios/eu-vs-us/eu.cfg -n 40 --set serving.enabled=false -o $(EU_VS_US_OUT)/sweep-eu \
	    --vary timeline.phases.site_permits.duration_days.p50=180:600 \
	    --vary timeline.phases.grid_interconnection.duration_days.p50=600:1400 \
	    --vary racks.lead_days.p50=30:180 --vary racks.crews=20:80 --vary halls.[0].stagger_days=30:150
	$(BUILD)/gigasim plot $(EU_VS_US_OUT)/sweep-eu
	for side in eu us; do \
	    $(BUILD)/gigasim delay scenarios/eu-vs-us/$$side.cfg --phase grid_interconnection -n 100 -q \
	        --set serving.enabled=false -o $(EU_VS_US_OUT)/delay-$$side || exit 1; done
	@echo "eu-vs-us: tables above; compare.json, compare.csv and charts in $(EU_VS_US_OUT)/, tornado in $(EU_VS_US_OUT)/sweep-eu/, a year's delay of the grid in $(EU_VS_US_OUT)/delay-eu/ and delay-us/"

# Install: the binary in PREFIX/bin; the chart scripts and the bundled
# scenarios in PREFIX/share/gigasim (the binary finds them there, and a
# scenario's base = "..." falls back to them); the man pages, the bash
# completion; the library (libgigasim.a, gigasim.h, gigasim.pc for
# pkg-config); the Python module with its shared library, in
# PREFIX/lib/python3/dist-packages (where Debian's python3 finds a
# /usr/local one). DESTDIR stages it for packaging.
PREFIX ?= /usr/local
VERSION := $(shell sed -n 's/^\#define GIGASIM_VERSION "\(.*\)"/\1/p' lib/gigasim.h)
# Every file installed, as MODE<TAB>SOURCE<TAB>DEST (DEST under PREFIX),
# for sim/tools/install.sh, which records them in a manifest and touches
# nothing else (a user's files in share/gigasim survive install, reinstall
# and uninstall).
INSTALL_LIST = { printf '755\t%s\tbin/gigasim\n' "$(BUILD)/gigasim"; \
	find plots scenarios -type f | LC_ALL=C sort | while IFS= read -r f; do printf '644\t%s\tshare/gigasim/%s\n' "$$f" "$$f"; done; \
	printf '644\tREADME.md\tshare/gigasim/README.md\n644\tLICENSE\tshare/gigasim/LICENSE\n'; \
	printf '644\tdoc/gigasim.1\tshare/man/man1/gigasim.1\n644\tdoc/gigasim-scenario.5\tshare/man/man5/gigasim-scenario.5\n'; \
	printf '644\tdoc/gigasim.bash-completion\tshare/bash-completion/completions/gigasim\n'; \
	printf '644\tlib/gigasim.h\tinclude/gigasim.h\n'; \
	printf '644\t%s\tlib/libgigasim.a\n644\t%s\tlib/pkgconfig/gigasim.pc\n' "$(BUILD)/libgigasim.a" "$(BUILD)/gigasim.pc"; \
	printf '644\tpython/gigasim/__init__.py\tlib/python3/dist-packages/gigasim/__init__.py\n'; \
	printf '644\t%s\tlib/python3/dist-packages/gigasim/libgigasim.so\n' "$(BUILD)/libgigasim.so"; }
$(BUILD)/gigasim.pc: doc/gigasim.pc.in FORCE
	@mkdir -p $(BUILD)
	@p=$$(printf '%s' "$(PREFIX)" | sed 's/[\\|&]/\\&/g'); \
	 sed -e "s|@PREFIX@|$$p|" -e 's|@VERSION@|$(VERSION)|' doc/gigasim.pc.in > $@.tmp && mv $@.tmp $@
install: $(BUILD)/gigasim $(BUILD)/libgigasim.a $(BUILD)/libgigasim.so $(BUILD)/gigasim.pc
	@$(INSTALL_LIST) | sh sim/tools/install.sh install "$(DESTDIR)$(PREFIX)"
	@echo "install: gigasim under $(DESTDIR)$(PREFIX) (its files listed in share/gigasim/.install-manifest)"

uninstall:
	@sh sim/tools/install.sh uninstall "$(DESTDIR)$(PREFIX)"

# The flexible-connection study: the US project firm-only against the same
# project on a non-firm connection (scenarios/eu-vs-us/us-flexible.cfg),
# paired, then the curtailment it accepts swept from none to 2 % of the hours.
FLEX_OUT ?= out/flexible-grid
flex: deps
	$(BUILD)/gigasim compare scenarios/eu-vs-us/us.cfg scenarios/eu-vs-us/us-flexible.cfg -o $(FLEX_OUT)
	$(BUILD)/gigasim plot $(FLEX_OUT)
	$(BUILD)/gigasim sweep scenarios/eu-vs-us/us-flexible.cfg -n 40 --set serving.enabled=false -o $(FLEX_OUT)/sweep-curtailment \
	    --vary site.grid.curtailment.peak_price_hours_per_year=0:176:5 --metric flexibility.gpu_hours_lost
	$(BUILD)/gigasim plot $(FLEX_OUT)/sweep-curtailment
	@echo "flex: tables above; compare.json, compare.csv and charts in $(FLEX_OUT)/, the curtailment curve in $(FLEX_OUT)/sweep-curtailment/"

# The site study: the 1 GW project in 15 EU countries and 6 US markets
# (scenarios/sites/), with common random numbers: a table ranked by first
# token (dates, energy cost, CO2, NPV in USD), compare.json/.csv and charts.
SITES_OUT ?= out/sites
SITES_N ?= 50
sites: deps
	$(MAKE) $(BUILD)/gigasim
	$(BUILD)/gigasim compare $(sort $(wildcard scenarios/sites/*.cfg)) -n $(SITES_N) --set serving.enabled=false -o $(SITES_OUT)
	$(BUILD)/gigasim plot $(SITES_OUT)
	@echo "sites: the ranked table above; compare.json, compare.csv and charts in $(SITES_OUT)/"

# What a year's delay of the grid connection costs at each site (gigasim delay: on time against a year
# later, paired): one directory per site, and delay.csv of each in a table.
SITES_DELAY_OUT ?= out/sites-delay
sites-delay: deps
	$(MAKE) $(BUILD)/gigasim
	mkdir -p $(SITES_DELAY_OUT)
	for f in $(sort $(wildcard scenarios/sites/*.cfg)); do \
	    s=$$(basename $$f .cfg); echo "$$s"; \
	    $(BUILD)/gigasim delay $$f --phase grid_interconnection -n $(SITES_N) -q --set serving.enabled=false \
	        -o $(SITES_DELAY_OUT)/$$s | grep 'lifetime.npv' || exit 1; done
	@echo "sites-delay: each site's delay.json and delay.csv in $(SITES_DELAY_OUT)/SITE/"

# What to do, not only what if (gigasim optimize): when to order the racks at the bundled EU and US 1 GW
# sites, after which milestone and how many days after it, for the greatest mean lifetime NPV; and which
# of the 21 sites of the site study; the README's worked examples.
OPTIMIZE_OUT ?= out/optimize
OPTIMIZE_N ?= 20
OPTIMIZE_DECIDE := --decide 'racks.orders.[0].after="site_permits","grid_interconnection","energization"' \
	--decide 'racks.orders.[0].offset_days=0:1200' --objective money.lifetime.npv --set serving.enabled=false
optimize-demo: deps
	$(MAKE) $(BUILD)/gigasim
	mkdir -p $(OPTIMIZE_OUT)
	for s in eu-gigafactory-1gw us-campus-1gw; do \
	    $(BUILD)/gigasim optimize scenarios/$$s.cfg -n $(OPTIMIZE_N) $(OPTIMIZE_DECIDE) -q -o $(OPTIMIZE_OUT)/$$s || exit 1; \
	    $(BUILD)/gigasim plot -q $(OPTIMIZE_OUT)/$$s || exit 1; done
	$(BUILD)/gigasim optimize scenarios/eu-gigafactory-1gw.cfg -n $(OPTIMIZE_N) --set serving.enabled=false -q \
	    --decide 'racks.orders.[0].after="start","grid_interconnection"' --decide 'racks.orders.[0].offset_days=0:2400' \
	    --objective money.lifetime.npv -o $(OPTIMIZE_OUT)/eu-calendar
	$(BUILD)/gigasim plot -q $(OPTIMIZE_OUT)/eu-calendar
	$(BUILD)/gigasim optimize scenarios/sites/de.cfg -n $(OPTIMIZE_N) --set serving.enabled=false -q \
	    --decide scenario=$$(ls scenarios/sites/*.cfg | paste -sd, -) --objective money.lifetime.npv -o $(OPTIMIZE_OUT)/site
	$(BUILD)/gigasim plot -q $(OPTIMIZE_OUT)/site
	@echo "optimize-demo: optimize.json, optimize.csv and optimize.png in $(OPTIMIZE_OUT)/SITE/ and $(OPTIMIZE_OUT)/site/"

# The backtest: real buildouts (scenarios/backtest/measured.csv) against the model's distributions,
# with the chart; the table is in the README.
BACKTEST_OUT ?= out/backtest
BACKTEST_N ?= 200
backtest: deps
	$(MAKE) $(BUILD)/gigasim
	$(BUILD)/gigasim backtest scenarios/backtest/measured.csv -n $(BACKTEST_N) -o $(BACKTEST_OUT)
	$(BUILD)/gigasim plot $(BACKTEST_OUT)
	@echo "backtest: the table above; backtest.csv, backtest.json and $(BACKTEST_OUT)/compare_backtest.png"

# The sensitivity study of the 1 GW EU scenario: a Morris screening of every
# uncertain input (19), then Sobol' indices with bootstrap intervals (first
# token, full capacity, facility energy, NPV, CO2) of the 9 the screening
# finds to matter (the phases, bring-up, burn-in), each with chart and report.
# SENS_RANKS=N runs both analyses under mpirun -np N (make mpi first): the same bytes.
SENS_OUT ?= out/sensitivity
SENS_N ?= 4
SENS_RANKS ?=
MPIRUN_ROOT := $(if $(filter 0,$(shell id -u)),--allow-run-as-root)
SENS_GIGASIM = $(if $(SENS_RANKS),mpirun $(MPIRUN_ROOT) --bind-to none -np $(SENS_RANKS) build/mpi/gigasim,$(BUILD)/gigasim)
sensitivity: deps
	$(MAKE) $(BUILD)/gigasim $(if $(SENS_RANKS),mpi)
	$(SENS_GIGASIM) sensitivity $(DEMO_SCENARIO) --morris --samples 20 -n $(SENS_N) --set serving.enabled=false -o $(SENS_OUT)/morris
	$(BUILD)/gigasim plot $(SENS_OUT)/morris
	$(BUILD)/gigasim report $(SENS_OUT)/morris
	$(SENS_GIGASIM) sensitivity $(DEMO_SCENARIO) --samples 128 -n $(SENS_N) --set serving.enabled=false -o $(SENS_OUT)/sobol \
	    --input timeline.phases --input first_token.bringup_days --input racks.burnin_days
	$(BUILD)/gigasim plot $(SENS_OUT)/sobol
	$(BUILD)/gigasim report $(SENS_OUT)/sobol
	@echo "sensitivity: tables above; charts and report.html in $(SENS_OUT)/morris and $(SENS_OUT)/sobol"

# Eight libFuzzer targets (clang, ASan, UBSan), each for FUZZ_SECONDS: the
# scenario loader, the hourly-input readers (CSV, EPW), the command line's
# --set and --vary, plot's JSON reader, what plot hands gnuplot for any
# directory name (only assignments, absolute paths), the output directory
# among planted links, FIFOs and files (no link's target touched, nothing
# written outside), merge's reading of shards, and the report's markup for
# any field (only its own tags and scripts); tests/fuzz/gigasim.dict guides
# them. The corpora start from the bundled scenarios, tests/fuzz/seeds/ and a
# small run's outputs. make fuzz FUZZ_SECONDS=300 for a longer run.
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build/fuzz
FUZZ_FLAGS   := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_TARGETS := scenario timeseries args plot_summary plot_names outdir shard report
FUZZ_RUN      = LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp $(FUZZ_BUILD)/fuzz_$(1) -max_total_time=$(FUZZ_SECONDS) \
	    -timeout=10 -rss_limit_mb=2048 -max_len=$(2) -dict=tests/fuzz/gigasim.dict -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/findings/$(1)- $(FUZZ_BUILD)/corpus/$(1) > $(FUZZ_BUILD)/$(1).log 2>&1; \
	    grep -E "^Done|number_of_executed_units|ERROR|SUMMARY|cov: .*DONE" $(FUZZ_BUILD)/$(1).log; \
	    grep -q "^Done [0-9]* runs" $(FUZZ_BUILD)/$(1).log && test -z "$$(ls $(FUZZ_BUILD)/findings/ | grep '^$(1)-')"
fuzz: check-deps $(BUILD)/gigasim
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" $(FUZZ_BUILD)/libgigasim.a
	@mkdir -p $(FUZZ_BUILD)/findings $(addprefix $(FUZZ_BUILD)/corpus/,$(FUZZ_TARGETS))
	for t in $(FUZZ_TARGETS); do \
	    clang $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. $(PKG_CFLAGS) \
	        tests/fuzz/fuzz_$$t.c $(FUZZ_BUILD)/libgigasim.a $(LDLIBS) -o $(FUZZ_BUILD)/fuzz_$$t || exit 1; done
	cp scenarios/*.cfg tests/fuzz/seeds/scenario/* $(FUZZ_BUILD)/corpus/scenario/
	cp tests/fuzz/seeds/timeseries/* $(FUZZ_BUILD)/corpus/timeseries/
	cp tests/fuzz/seeds/args/* $(FUZZ_BUILD)/corpus/args/
	rm -rf $(FUZZ_BUILD)/seed-run $(FUZZ_BUILD)/seed-cmp
	$(BUILD)/gigasim run tests/data/small.cfg -n 3 -o $(FUZZ_BUILD)/seed-run --quiet
	$(BUILD)/gigasim compare tests/data/small.cfg scenarios/turnkey-cloud.cfg -n 3 -o $(FUZZ_BUILD)/seed-cmp --quiet >/dev/null
	printf 'r' | cat - $(FUZZ_BUILD)/seed-run/summary.json > $(FUZZ_BUILD)/corpus/plot_summary/run.json
	printf 'c' | cat - $(FUZZ_BUILD)/seed-cmp/compare.json > $(FUZZ_BUILD)/corpus/plot_summary/compare.json
	printf 'run\n' | cat - $(FUZZ_BUILD)/seed-run/summary.json > $(FUZZ_BUILD)/corpus/plot_names/run.json
	printf '<touch PWNED;echo \nc' | cat - $(FUZZ_BUILD)/seed-cmp/compare.json > $(FUZZ_BUILD)/corpus/plot_names/compare.json
	cp tests/fuzz/seeds/outdir/* $(FUZZ_BUILD)/corpus/outdir/
	rm -rf $(FUZZ_BUILD)/seed-shard && $(BUILD)/gigasim run tests/data/small.cfg --replications 0:1 -o $(FUZZ_BUILD)/seed-shard --quiet
	cat $(FUZZ_BUILD)/seed-shard/shard.json > $(FUZZ_BUILD)/corpus/shard/shard
	printf '\n--8<--\n' >> $(FUZZ_BUILD)/corpus/shard/shard && cat $(FUZZ_BUILD)/seed-shard/shard.bin >> $(FUZZ_BUILD)/corpus/shard/shard
	printf '\n--8<--\n' >> $(FUZZ_BUILD)/corpus/shard/shard && cat $(FUZZ_BUILD)/seed-shard/scenario.cfg >> $(FUZZ_BUILD)/corpus/shard/shard
	printf 'r' | cat - $(FUZZ_BUILD)/seed-run/summary.json > $(FUZZ_BUILD)/corpus/report/run.json
	printf 'c' | cat - $(FUZZ_BUILD)/seed-cmp/compare.json > $(FUZZ_BUILD)/corpus/report/compare.json
	$(call FUZZ_RUN,scenario,1048576)
	$(call FUZZ_RUN,timeseries,65536)
	$(call FUZZ_RUN,args,4096)
	$(call FUZZ_RUN,plot_summary,65536)
	$(call FUZZ_RUN,plot_names,65536)
	$(call FUZZ_RUN,outdir,4096)
	$(call FUZZ_RUN,shard,1048576)
	$(call FUZZ_RUN,report,65536)
	@echo "fuzz: no finding in $(words $(FUZZ_TARGETS)) targets x $(FUZZ_SECONDS) s (logs in $(FUZZ_BUILD)/*.log)"

# An end-to-end run, a comparison and plot of a directory without a run
# (refused) under valgrind: no leak, no invalid access.
VALGRIND := valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9
valgrind: $(BUILD)/gigasim
	$(VALGRIND) $(BUILD)/gigasim run scenarios/colossus-100k-h100.cfg -n 2 -o $(BUILD)/vg-run --quiet
	$(VALGRIND) $(BUILD)/gigasim compare scenarios/turnkey-cloud.cfg tests/data/small.cfg -n 2 -o $(BUILD)/vg-cmp --quiet >/dev/null
	rm -rf $(BUILD)/vg-nc $(BUILD)/vg-opt
	$(VALGRIND) $(BUILD)/gigasim run tests/data/small.cfg -n 6 --format netcdf --series-memory 1 -o $(BUILD)/vg-nc --quiet
	$(VALGRIND) $(BUILD)/gigasim optimize tests/data/jit.cfg -n 2 --decide 'racks.orders.[0].offset_days=100:180' \
	    --decide racks.crews=1,2 --objective money.npv -o $(BUILD)/vg-opt --quiet >/dev/null
	@mkdir -p $(BUILD)/vg-empty
	$(VALGRIND) $(BUILD)/gigasim plot $(BUILD)/vg-empty 2>/dev/null; test $$? -eq 1
	@echo "valgrind: no leak, no error"

# The MPI build (Open MPI's mpicc): build/mpi/gigasim, for mpirun -np N; the
# plain build is unchanged and links no MPI.
mpi: check-deps
	@command -v mpicc >/dev/null || { echo "mpi: mpicc not found: apt-get install libopenmpi-dev openmpi-bin"; exit 1; }
	$(MAKE) BUILD=build/mpi CC=mpicc CFLAGS="$(OPT) -g -DGIGASIM_MPI" build/mpi/gigasim

debug:
	$(MAKE) BUILD=build/debug OPT=-O1 CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	    LDFLAGS="-fsanitize=address,undefined" build/debug/gigasim build/debug/tests build/debug/ziggurat_gen build/debug/proptest

# Installs the Debian packages when root; otherwise prints the line to run.
# make test-deps: those the browser and valgrind tests need.
test-deps:
	$(MAKE) deps DEB_PKGS="$(TEST_DEB_PKGS)"
deps:
	@missing=""; for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "deps: all packages present"; \
	elif [ "$$(id -u)" = 0 ]; then echo "deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "deps: missing$$missing; run as root:"; \
	    echo "  apt-get update && apt-get install -y$$missing"; exit 1; fi

check-deps:
	@pkg-config --exists $(PKGS) || { echo "missing libraries: run 'make deps' (as root) first"; exit 1; }

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(BUILD)/pic -name '*.d' 2>/dev/null)

/*
 * main: gigasim's command line (the contract in README.md and gigasim(1)):
 * a command, then its options in GNU form (getopt_long; COMMANDS and
 * OPTIONS below are the one table of both, and of each command's --help).
 * A command is one row of COMMANDS: its options, the function that does it,
 * how many arguments it takes and whether rank 0 alone runs it under
 * mpirun; adding a command is a row and a function.
 *
 *   gigasim run | compare | sweep | check | plot | report | metrics ...
 *
 * Results go to files, logs to stderr. Exit status: 0 success, 1 bad input or
 * a failed run, 2 usage, 128+N interrupted by signal N.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "version.h" /* GIGASIM_COMMIT, written by the Makefile */

#include "lib/gigasim.h"
#include "models/site/site.h"
#include "sim/app.h"
#include "sim/config/cfg.h"
#include "sim/study/backtest.h"
#include "sim/study/compare.h"
#include "sim/study/delay.h"
#include "sim/core/interrupt.h"
#include "sim/study/mpi.h"
#include "sim/study/netcdf.h"
#include "sim/study/optimize.h"
#include "sim/study/outdir.h"
#include "sim/study/output.h"
#include "sim/present/plot.h"
#include "sim/present/print.h"
#include "sim/present/report.h"
#include "sim/study/scenario.h"
#include "sim/study/sensitivity.h"
#include "sim/study/shard.h"
#include "sim/study/runner.h"
#include "sim/study/sweep.h"

#define MAX_SETS 256
#define MAX_FILES 32    /* scenarios in a comparison */
#define MAX_ARGS 4096   /* positional arguments: the shards of a merge (a job array's tasks) */

static const sim_app *const APP = &site_app;

/* The options, and which commands take each (a bit per option). */
enum {
    O_OUT = 1 << 0, O_N = 1 << 1, O_SEED = 1 << 2, O_SET = 1 << 3, O_THREADS = 1 << 4, O_QUIET = 1 << 5,
    O_SET_FOR = 1 << 6, O_VARY = 1 << 7, O_METRIC = 1 << 8, O_FORMAT = 1 << 9, O_HELP = 1 << 10,
    O_SAMPLES = 1 << 11, O_MORRIS = 1 << 12, O_BOOTSTRAP = 1 << 13, O_ONLY_VARY = 1 << 14, O_INPUT = 1 << 15,
    O_PHASE = 1 << 16, O_DAYS = 1 << 17, O_PDF = 1 << 18, O_PAPER = 1 << 19, O_DECIDE = 1 << 20,
    O_OBJECTIVE = 1 << 21, O_SENSE = 1 << 22, O_CONSTRAINT = 1 << 23, O_SELECT = 1 << 24, O_MEMORY = 1 << 25,
};
enum {
    LONG_SEED = 256, LONG_SET, LONG_THREADS, LONG_SET_FOR, LONG_VARY, LONG_METRIC, LONG_FORMAT, LONG_SAMPLES,
    LONG_MORRIS, LONG_BOOTSTRAP, LONG_ONLY_VARY, LONG_INPUT, LONG_PHASE, LONG_DAYS, LONG_PDF, LONG_PAPER,
    LONG_DECIDE, LONG_OBJECTIVE, LONG_MAXIMIZE, LONG_MINIMIZE, LONG_CONSTRAINT, LONG_MAX_REPS, LONG_MAX_CANDIDATES,
    LONG_FINALISTS, LONG_CONFIDENCE, LONG_INDIFFERENCE, LONG_TOLERANCE, LONG_SERIES_MEMORY
};

typedef struct option_doc {
    struct option lo;
    unsigned bit;
    const char *arg, *help;
} option_doc;

static const option_doc OPTIONS[] = {
    {{"output", required_argument, 0, 'o'}, O_OUT, "DIR", "write into DIR (default out/NAME; never over a directory not gigasim's)"},
    {{"replications", required_argument, 0, 'n'}, O_N, "N",
     "replications (default: the scenario's sim.replications); run: FIRST:COUNT writes a shard of a larger run"},
    {{"seed", required_argument, 0, LONG_SEED}, O_SEED, "N", "the seed (default: the scenario's sim.seed)"},
    {{"set", required_argument, 0, LONG_SET}, O_SET, "KEY=VALUE", "override a scenario key (repeatable)"},
    {{"set-for", required_argument, 0, LONG_SET_FOR}, O_SET_FOR, "N KEY=VALUE",
     "override a key of the N-th scenario only (from 1; repeatable)"},
    {{"vary", required_argument, 0, LONG_VARY}, O_VARY, "KEY=LOW:HIGH[:STEPS]",
     "a key to sweep: LOW and HIGH (a tornado), or STEPS points (a curve; one --vary)"},
    {{"metric", required_argument, 0, LONG_METRIC}, O_METRIC, "NAME",
     "sweep: the figure to rank by (default time_to_first_token_days); sensitivity: a figure to analyse (repeatable)"},
    {{"samples", required_argument, 0, LONG_SAMPLES}, O_SAMPLES, "N",
     "Sobol' base samples: N (k + 2) points for k inputs (default 64); with --morris, trajectories (default 20)"},
    {{"bootstrap", required_argument, 0, LONG_BOOTSTRAP}, O_BOOTSTRAP, "B",
     "bootstrap resamples for the 95 % intervals (at least 2; default 200)"},
    {{"morris", no_argument, 0, LONG_MORRIS}, O_MORRIS, NULL, "Morris screening (mu*, sigma) instead of Sobol' indices"},
    {{"only-vary", no_argument, 0, LONG_ONLY_VARY}, O_ONLY_VARY, NULL,
     "only the --vary keys as inputs (not every distribution of the scenario)"},
    {{"input", required_argument, 0, LONG_INPUT}, O_INPUT, "KEY",
     "of the scenario's distributions, only KEY (or those under it) as inputs (repeatable)"},
    {{"phase", required_argument, 0, LONG_PHASE}, O_PHASE, "NAME", "delay: the timeline phase that is late"},
    {{"days", required_argument, 0, LONG_DAYS}, O_DAYS, "D", "delay: how many days late (default 365)"},
    {{"pdf", no_argument, 0, LONG_PDF}, O_PDF, NULL, "report: also print it to DIR/report.pdf (headless Chromium)"},
    {{"paper", required_argument, 0, LONG_PAPER}, O_PAPER, "a4|letter", "report --pdf: the paper (default a4)"},
    {{"decide", required_argument, 0, LONG_DECIDE}, O_DECIDE, "KEY=LOW:HIGH[:STEP]|A,B",
     "optimize: a decision, a range (continuous), a grid or a choice (repeatable)"},
    {{"objective", required_argument, 0, LONG_OBJECTIVE}, O_OBJECTIVE, "METRIC[:STAT]",
     "optimize: the figure to do best on; STAT mean (default), p10, p50, p90 or cvar10"},
    {{"maximize", no_argument, 0, LONG_MAXIMIZE}, O_SENSE, NULL, "optimize: more is better (default: the metric's own sense)"},
    {{"minimize", no_argument, 0, LONG_MINIMIZE}, O_SENSE, NULL, "optimize: less is better"},
    {{"constraint", required_argument, 0, LONG_CONSTRAINT}, O_CONSTRAINT, "METRIC[:STAT]<=V",
     "optimize: a bound a candidate must keep (<= or >=; repeatable)"},
    {{"max-replications", required_argument, 0, LONG_MAX_REPS}, O_SELECT, "N",
     "optimize: a finalist's replications at most (default 16 x -n)"},
    {{"max-candidates", required_argument, 0, LONG_MAX_CANDIDATES}, O_SELECT, "N", "optimize: the search's budget (default 200)"},
    {{"finalists", required_argument, 0, LONG_FINALISTS}, O_SELECT, "N", "optimize: candidates taken to selection (default 5)"},
    {{"confidence", required_argument, 0, LONG_CONFIDENCE}, O_SELECT, "C",
     "optimize: of the intervals and of the separation (default 0.95)"},
    {{"indifference", required_argument, 0, LONG_INDIFFERENCE}, O_SELECT, "D",
     "optimize: differences within D are equivalent (the objective's unit; default 0.1 % of it)"},
    {{"tolerance", required_argument, 0, LONG_TOLERANCE}, O_SELECT, "T",
     "optimize: Nelder-Mead stops below T of the ranges (default 0.01)"},
    {{"threads", required_argument, 0, LONG_THREADS}, O_THREADS, "N", "worker threads (default: the cores online)"},
    {{"format", required_argument, 0, LONG_FORMAT}, O_FORMAT, "png,svg,pdf|netcdf",
     "plot: chart formats, comma separated (default png); run: netcdf writes every replication in series.nc too"},
    {{"series-memory", required_argument, 0, LONG_SERIES_MEMORY}, O_MEMORY, "MIB",
     "run --format netcdf: above this much of series (default 1024) stream them to series.nc in batches"},
    {{"quiet", no_argument, 0, 'q'}, O_QUIET, NULL, "no progress or notes on stderr"},
    {{"help", no_argument, 0, 'h'}, O_HELP, NULL, "this help"},
};
#define N_OPTIONS (sizeof OPTIONS / sizeof *OPTIONS)

typedef struct opts opts;
typedef int command_fn(const opts *o, const char *argv0);
static command_fn do_run, do_check, do_compare, do_backtest, do_delay, do_sweep, do_sensitivity, do_optimize, do_merge,
    do_plot, do_report, do_metrics;

/* A command: its name, arguments and help; the options it takes; the
 * function that does it; how many positional arguments it takes (what one
 * is called, singular and plural, and a hint when one was wanted and more
 * came); where it runs under mpirun. */
typedef struct command {
    const char *name, *args, *what;
    unsigned opts;
    command_fn *fn;
    int min_args, max_args;
    const char *noun, *nouns, *hint;
    unsigned mpi; /* CMD_RANK0: rank 0 alone does it; CMD_NOT_MPI: refused under mpirun */
} command;
enum { CMD_RANK0 = 1u << 0, CMD_NOT_MPI = 1u << 1 };

#define RUN_OPTS (O_OUT | O_N | O_SEED | O_SET | O_THREADS | O_QUIET | O_HELP)
#define SCENARIO "scenario file", "scenario files"
static const command COMMANDS[] = {
    {"run", "SCENARIO.cfg", "run a scenario's replications: summary.json, series.csv, replications.csv, scenario.cfg",
     RUN_OPTS | O_FORMAT | O_MEMORY, do_run, 1, 1, SCENARIO, "; use compare for several", 0},
    {"compare", "A.cfg B.cfg [C.cfg ...]", "run scenarios with common random numbers: compare.json, compare.csv, a table",
     RUN_OPTS | O_SET_FOR, do_compare, 2, MAX_FILES, SCENARIO, NULL, 0},
    {"backtest", "TABLE.csv", "real buildouts against the model: where each measured date falls among the replications",
     RUN_OPTS, do_backtest, 1, 1, "backtest table", "backtest tables", NULL, CMD_NOT_MPI},
    {"delay", "SCENARIO.cfg --phase NAME [--days D]",
     "what a delay costs: the scenario on time and with a phase D days late, paired: delay.json, delay.csv",
     RUN_OPTS | O_PHASE | O_DAYS, do_delay, 1, 1, SCENARIO, NULL, 0},
    {"sweep", "SCENARIO.cfg --vary KEY=LOW:HIGH...", "vary keys one at a time: sweep.json, sweep.csv, a tornado or curve",
     RUN_OPTS | O_VARY | O_METRIC, do_sweep, 1, 1, SCENARIO, NULL, 0},
    {"sensitivity", "SCENARIO.cfg", "which uncertain inputs matter: Sobol' indices (or Morris screening) of the figures",
     RUN_OPTS | O_VARY | O_METRIC | O_SAMPLES | O_BOOTSTRAP | O_MORRIS | O_ONLY_VARY | O_INPUT, do_sensitivity, 1, 1,
     SCENARIO, NULL, 0},
    {"optimize", "SCENARIO.cfg --decide KEY=... --objective METRIC",
     "choose the decisions that do best under uncertainty, paired: optimize.json, optimize.csv",
     RUN_OPTS | O_DECIDE | O_OBJECTIVE | O_SENSE | O_CONSTRAINT | O_SELECT, do_optimize, 1, 1, SCENARIO, NULL, 0},
    {"merge", "SHARD... -o DIR", "put the shards of a run back together: the bytes of the unsplit run",
     O_OUT | O_QUIET | O_HELP, do_merge, 1, MAX_ARGS, "shard", "shards", NULL, CMD_NOT_MPI},
    {"check", "SCENARIO.cfg", "load and check a scenario without running it", O_SET | O_QUIET | O_HELP, do_check, 1, 1,
     SCENARIO, "; use compare for several", CMD_RANK0},
    {"plot", "DIR", "draw the charts of a run, comparison or sweep directory (gnuplot)", O_FORMAT | O_QUIET | O_HELP,
     do_plot, 1, 1, "output directory", "output directories", NULL, CMD_RANK0},
    {"report", "DIR", "write DIR/report.html: tables, charts, assumptions and sources in one page", O_QUIET | O_HELP | O_PDF | O_PAPER,
     do_report, 1, 1, "output directory", "output directories", NULL, CMD_RANK0},
    {"metrics", "", "every output figure: name, unit, description (Markdown)", O_HELP, do_metrics, 0, 0, NULL, NULL,
     NULL, CMD_RANK0},
};
#undef SCENARIO
#define N_COMMANDS (sizeof COMMANDS / sizeof *COMMANDS)

static void usage(FILE *f)
{
    fputs("usage: gigasim COMMAND [OPTION]... [ARGUMENT]...\n\ncommands:\n", f);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-11s %s\n", COMMANDS[i].name, COMMANDS[i].what);
    fputs("\n'gigasim COMMAND --help' lists a command's options; 'gigasim --version' prints the version.\n"
          "Exit status: 0 success, 1 bad input or a failed run, 2 usage, 128+N interrupted by signal N.\n",
          f);
}

static void command_usage(FILE *f, const command *c)
{
    fprintf(f, "usage: gigasim %s [OPTION]...%s%s\n%s\n\noptions:\n", c->name, *c->args ? " " : "", c->args, c->what);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const option_doc *d = &OPTIONS[i];
        if (!(c->opts & d->bit))
            continue;
        char shrt[8] = "    ", left[64];
        if (d->lo.val < 256)
            snprintf(shrt, sizeof shrt, "-%c, ", d->lo.val);
        snprintf(left, sizeof left, "%s--%s%s%s", shrt, d->lo.name, d->arg ? (d->lo.val == LONG_SET_FOR ? " " : "=") : "",
                 d->arg ? d->arg : "");
        fprintf(f, "  %-30s %s\n", left, d->help);
    }
}

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(COMMANDS[i].name, name))
            return &COMMANDS[i];
    return NULL;
}

struct opts {
    const char *cmd, *scenario, *out_dir;
    const command *command;
    const char *files[MAX_ARGS]; /* every positional argument; scenario = files[0] */
    int n_files;
    long long n_reps; /* -1: from the scenario */
    long long shard_first; /* run --replications FIRST:COUNT: FIRST; -1 for a whole run */
    long long seed;   /* -1: from the scenario */
    long long threads;
    bool quiet, help;
    unsigned formats; /* plot: SIM_PLOT_* */
    const char *sets[MAX_SETS + 1]; /* one spare for a sweep point */
    int n_sets;
    const char *varies[MAX_SETS];
    int n_varies;
    const char *set_for[MAX_SETS]; /* compare: --set-for N path=value, for scenario N only */
    int set_for_n[MAX_SETS], n_set_for;
    const char *metric; /* sweep: the figure to rank by */
    const char *metrics[16]; /* sensitivity: the figures (every --metric) */
    int n_metrics;
    long long samples, bootstrap; /* sensitivity; -1: the default */
    bool morris, only_vary;
    const char *inputs[MAX_SETS]; /* sensitivity --input: the distributions kept */
    int n_inputs;
    const char *phase;  /* delay: the phase that is late */
    bool pdf;           /* report: print it too */
    bool netcdf;        /* run --format netcdf: series.nc too */
    const char *paper;  /* report --pdf: a4 or letter */
    long long days;     /* delay: by how many days; -1: 365 */
    const char *decides[SIM_OPT_MAX_DECISIONS + 1], *constraints[SIM_OPT_MAX_CONSTRAINTS + 1];
    int n_decides, n_constraints;
    const char *objective; /* optimize: METRIC[:STAT] */
    int sense;             /* optimize: +1 --maximize, -1 --minimize, 0 the metric's */
    long long max_reps, max_candidates, finalists; /* -1: the default */
    long long series_memory; /* run --format netcdf: MiB of series kept in memory at most; -1: 1024 */
    double confidence, indifference, tolerance;    /* NAN: the default */
    sim_inputs *job_files; /* every file the job reads, read once (sim/config/inputs.h): a study's points see the same bytes */
};

static int parse_ll_arg(const char *flag, const char *v, long long lo, long long *out)
{
    char *end;
    errno = 0;
    long long x = v ? strtoll(v, &end, 10) : 0;
    if (!v || !*v || *end || errno || x < lo) {
        fprintf(stderr, "gigasim: %s needs a whole number >= %lld (got '%s')\n", flag, lo, v ? v : "");
        return -1;
    }
    *out = x;
    return 0;
}

/* The option an unrecognized argument names, as the user wrote it ("--thread", "-x"). */
static void report_bad_option(const command *c, const char *arg, int optopt_c, bool missing)
{
    char opt[64];
    if (optopt_c > 0 && optopt_c < 256)
        snprintf(opt, sizeof opt, "-%c", optopt_c);
    else
        snprintf(opt, sizeof opt, "%.*s", (int)strcspn(arg, "="), arg);
    if (missing) {
        fprintf(stderr, "gigasim %s: option '%s' needs a value\n", c->name, opt);
        return;
    }
    /* an option of another command? */
    for (size_t i = 0; i < N_OPTIONS; i++) {
        char lname[64];
        snprintf(lname, sizeof lname, "--%s", OPTIONS[i].lo.name);
        bool same = !strcmp(opt, lname) ||
                    (OPTIONS[i].lo.val < 256 && opt[0] == '-' && opt[1] == OPTIONS[i].lo.val && !opt[2]);
        if (same) {
            fprintf(stderr, "gigasim %s: '%s' is not an option of %s ('gigasim %s --help' lists them)\n", c->name, opt,
                    c->name, c->name);
            return;
        }
    }
    const char *cand[2 * N_OPTIONS];
    char names[N_OPTIONS][40];
    size_t nc = 0;
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (c->opts & OPTIONS[i].bit) {
            snprintf(names[i], sizeof names[i], "--%s", OPTIONS[i].lo.name);
            cand[nc++] = names[i];
        }
    const char *near = sim_closest(opt, cand, nc);
    fprintf(stderr, "gigasim %s: unknown option '%s'%s%s%s\n", c->name, opt, near ? " (did you mean '" : "",
            near ? near : "", near ? "'?)" : "");
}

/* argv[1] is the command; its options by getopt_long (GNU forms: -n5, -n 5,
 * --replications=5, --replications 5, and -- to end the options). */
/* The long options a command takes, and the matching short-option string. */
static void command_options(const command *c, struct option *lo, char *shortopts)
{
    size_t nl = 0;
    strcpy(shortopts, ":");
    for (size_t i = 0; i < N_OPTIONS; i++) {
        if (!(c->opts & OPTIONS[i].bit))
            continue;
        lo[nl++] = OPTIONS[i].lo;
        if (OPTIONS[i].lo.val < 256) {
            size_t l = strlen(shortopts);
            shortopts[l] = (char)OPTIONS[i].lo.val;
            shortopts[l + 1] = OPTIONS[i].lo.has_arg ? ':' : '\0';
            shortopts[l + 2] = '\0';
        }
    }
    memset(&lo[nl], 0, sizeof lo[nl]);
}

/* An unknown command, with the nearest known one. */
static int unknown_command(const char *cmd)
{
    const char *names[N_COMMANDS];
    for (size_t i = 0; i < N_COMMANDS; i++)
        names[i] = COMMANDS[i].name;
    const char *near = sim_closest(cmd, names, N_COMMANDS);
    fprintf(stderr, "gigasim: unknown command '%s'%s%s%s\n", cmd, near ? " (did you mean '" : "", near ? near : "",
            near ? "'?)" : "");
    return -1;
}

/* A delay's and a report's own options: 1 taken, 0 not one of them, -1 refused (said). */
static int take_study_option(opts *o, int ch)
{
    switch (ch) {
    case LONG_PHASE: o->phase = optarg; return 1;
    case LONG_DAYS: return parse_ll_arg("--days", optarg, 1, &o->days) ? -1 : 1;
    case LONG_PDF: o->pdf = true; return 1;
    case LONG_PAPER:
        if (strcmp(optarg, "a4") && strcmp(optarg, "letter"))
            return fprintf(stderr, "gigasim: --paper %s: a4 or letter\n", optarg), -1;
        o->paper = optarg;
        return 1;
    default: return 0;
    }
}

static int parse_real_arg(const char *flag, const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (!*v || *end || errno || !(x >= lo && x <= hi)) {
        fprintf(stderr, "gigasim: %s needs a number from %g to %g (got '%s')\n", flag, lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

/* optimize's own options: 1 taken, 0 not one of them, -1 refused (said). */
static int take_optimize_option(opts *o, int ch)
{
    switch (ch) {
    case LONG_DECIDE:
        if (o->n_decides >= SIM_OPT_MAX_DECISIONS)
            return fprintf(stderr, "gigasim: at most %d --decide\n", SIM_OPT_MAX_DECISIONS), -1;
        o->decides[o->n_decides++] = optarg;
        return 1;
    case LONG_CONSTRAINT:
        if (o->n_constraints >= SIM_OPT_MAX_CONSTRAINTS)
            return fprintf(stderr, "gigasim: at most %d --constraint\n", SIM_OPT_MAX_CONSTRAINTS), -1;
        o->constraints[o->n_constraints++] = optarg;
        return 1;
    case LONG_OBJECTIVE: o->objective = optarg; return 1;
    case LONG_MAXIMIZE:
    case LONG_MINIMIZE:
        if (o->sense && o->sense != (ch == LONG_MAXIMIZE ? 1 : -1))
            return fprintf(stderr, "gigasim: --maximize or --minimize, not both\n"), -1;
        o->sense = ch == LONG_MAXIMIZE ? 1 : -1;
        return 1;
    case LONG_MAX_REPS: return parse_ll_arg("--max-replications", optarg, 2, &o->max_reps) ? -1 : 1;
    case LONG_MAX_CANDIDATES: return parse_ll_arg("--max-candidates", optarg, 1, &o->max_candidates) ? -1 : 1;
    case LONG_FINALISTS: return parse_ll_arg("--finalists", optarg, 2, &o->finalists) ? -1 : 1;
    case LONG_CONFIDENCE: return parse_real_arg("--confidence", optarg, 0.5, 0.999, &o->confidence) ? -1 : 1;
    case LONG_INDIFFERENCE: return parse_real_arg("--indifference", optarg, 0, 1e300, &o->indifference) ? -1 : 1;
    case LONG_TOLERANCE: return parse_real_arg("--tolerance", optarg, 1e-6, 0.5, &o->tolerance) ? -1 : 1;
    case LONG_SERIES_MEMORY: return parse_ll_arg("--series-memory", optarg, 1, &o->series_memory) ? -1 : 1;
    default: return 0;
    }
}

/* -n N, or FIRST:COUNT (a shard). */
static int take_replications(opts *o, const char *arg)
{
    const char *colon = strchr(arg, ':');
    if (!colon)
        return parse_ll_arg("--replications", arg, 1, &o->n_reps);
    char first[32];
    snprintf(first, sizeof first, "%.*s", (int)(colon - arg < 31 ? colon - arg : 31), arg);
    return parse_ll_arg("--replications FIRST", first, 0, &o->shard_first) ||
                   parse_ll_arg("--replications COUNT", colon + 1, 1, &o->n_reps)
               ? -1
               : 0;
}

/* One option as getopt_long gave it (ch), with av and ac for --set-for's second word. */
static int take_option(opts *o, const command *c, int ch, int ac, char **av)
{
    sim_err err;
    int study = take_study_option(o, ch);
    if (!study)
        study = take_optimize_option(o, ch);
    if (study)
        return study < 0 ? -1 : 0;
    switch (ch) {
    case 'o':
        if (!*optarg) {
            fprintf(stderr, "gigasim %s: -o needs a directory's name (got an empty one)\n", o->cmd);
            return -1;
        }
        o->out_dir = optarg;
        break;
    case 'n':
        if (take_replications(o, optarg))
            return -1;
        break;
    case LONG_SEED:
        if (parse_ll_arg("--seed", optarg, 0, &o->seed)) return -1;
        break;
    case LONG_THREADS:
        if (parse_ll_arg("--threads", optarg, 1, &o->threads)) return -1;
        break;
    case LONG_SET:
        if (o->n_sets >= MAX_SETS) return fprintf(stderr, "gigasim: too many --set\n"), -1;
        o->sets[o->n_sets++] = optarg;
        break;
    case LONG_SET_FOR: {
        long long k;
        if (optind >= ac)
            return fprintf(stderr, "gigasim: --set-for needs N path=value (N: the scenario's position, from 1)\n"), -1;
        if (parse_ll_arg("--set-for", optarg, 1, &k)) return -1;
        if (o->n_set_for >= MAX_SETS) return fprintf(stderr, "gigasim: too many --set-for\n"), -1;
        o->set_for_n[o->n_set_for] = (int)(k < MAX_FILES ? k : MAX_FILES + 1);
        o->set_for[o->n_set_for++] = av[optind++];
        break;
    }
    case LONG_VARY:
        if (o->n_varies >= MAX_SETS) return fprintf(stderr, "gigasim: too many --vary\n"), -1;
        o->varies[o->n_varies++] = optarg;
        break;
    case LONG_METRIC:
        if (!o->metric)
            o->metric = optarg;
        if (o->n_metrics >= 16) return fprintf(stderr, "gigasim: at most 16 --metric\n"), -1;
        o->metrics[o->n_metrics++] = optarg;
        break;
    case LONG_SAMPLES:
        if (parse_ll_arg("--samples", optarg, 2, &o->samples)) return -1;
        break;
    case LONG_BOOTSTRAP:
        if (parse_ll_arg("--bootstrap", optarg, 2, &o->bootstrap)) return -1;
        break;
    case LONG_MORRIS: o->morris = true; break;
    case LONG_ONLY_VARY: o->only_vary = true; break;
    case LONG_INPUT:
        if (o->n_inputs >= MAX_SETS) return fprintf(stderr, "gigasim: too many --input\n"), -1;
        o->inputs[o->n_inputs++] = optarg;
        break;
    case LONG_FORMAT:
        if (!strcmp(o->cmd, "run")) { /* run: the files' formats, csv always, netcdf too */
            if (strcmp(optarg, "netcdf") && strcmp(optarg, "csv") && strcmp(optarg, "csv,netcdf"))
                return fprintf(stderr, "gigasim run: --format %s: csv (the default) or netcdf\n", optarg), -1;
            o->netcdf = strstr(optarg, "netcdf") != NULL;
        } else if (sim_plot_formats_parse(optarg, &o->formats, &err))
            return fprintf(stderr, "gigasim: %s\n", err.msg), -1;
        break;
    case 'q': o->quiet = true; break;
    case 'h': o->help = true; break;
    case ':': report_bad_option(c, av[optind - 1], optopt, true); return -1;
    default: report_bad_option(c, av[optind - 1], optopt, false); return -1;
    }
    return 0;
}

static int parse_opts(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    o->n_reps = o->seed = -1;
    o->samples = o->bootstrap = o->shard_first = o->days = -1;
    o->max_reps = o->max_candidates = o->finalists = o->series_memory = -1;
    o->confidence = o->indifference = o->tolerance = NAN;
    o->threads = 0;
    o->formats = SIM_PLOT_PNG;
    if (argc < 2)
        return -1;
    o->cmd = argv[1];
    const command *c = o->command = find_command(o->cmd);
    if (!c)
        return unknown_command(o->cmd);
    struct option lo[N_OPTIONS + 1];
    char shortopts[64];
    command_options(c, lo, shortopts);
    int ac = argc - 1;
    char **av = argv + 1;
    opterr = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(ac, av, shortopts, lo, NULL)) != -1)
        if (take_option(o, c, ch, ac, av))
            return -1;
    for (int i = optind; i < ac; i++) {
        if (o->n_files >= MAX_ARGS) {
            fprintf(stderr, "gigasim: too many arguments (at most %d)\n", MAX_ARGS);
            return -1;
        }
        o->files[o->n_files++] = av[i];
    }
    o->scenario = o->n_files ? o->files[0] : NULL;
    return 0;
}

/* The scenario ready to run (sim/study/scenario.h), with the command line's
 * --seed and -n over the scenario's own. */
static int load_all(const opts *o, const char *file, sim_cfg **cfg_out, void **model_out, const char **name, uint64_t *seed,
                    long long *n_reps, sim_err *err)
{
    sim_scenario sc;
    if (sim_scenario_load_with(APP, file, o->sets, o->n_sets, o->job_files, &sc, err))
        return -1;
    *cfg_out = sc.cfg;
    *model_out = sc.model;
    *name = sc.name;
    *seed = o->seed >= 0 ? (uint64_t)o->seed : sc.seed;
    *n_reps = o->n_reps > 0 ? o->n_reps : sc.n_reps;
    return 0;
}

static void default_out_dir(const char *scenario, char *buf, size_t n);

/* A study's first load, agreed by every MPI rank: each loaded it, and each
 * loaded the same job (the same resolved scenario and the same bytes of
 * every file: sim_mpi_same_job). -1 on every rank otherwise, err saying
 * why; *cfg_out and *model_out are then freed. */
static int load_agreed(const opts *o, const char *file, sim_cfg **cfg_out, void **model_out, const char **name,
                       uint64_t *seed, long long *n_reps, sim_err *err)
{
    int rc = load_all(o, file, cfg_out, model_out, name, seed, n_reps, err);
    if (sim_mpi_size() == 1)
        return rc;
    if (sim_mpi_agree(rc, err)) { /* another rank could not load it: this one's load is dropped too */
        if (rc == 0) {
            APP->free(*model_out);
            sim_cfg_free(*cfg_out);
        }
        return -1;
    }
    size_t len = 0;
    char *m = sim_cfg_manifest(*cfg_out, &len, err);
    if (sim_mpi_agree(m ? 0 : -1, err) == 0)
        rc = sim_mpi_same_job(m, len, file, err);
    else
        rc = -1;
    free(m);
    if (rc) {
        APP->free(*model_out);
        sim_cfg_free(*cfg_out);
    }
    return rc;
}

/* Under MPI a study's files are rank 0's; another rank, which computes the
 * same, writes them into a scratch directory of its own (sim/study/outdir.h),
 * removed after, or by the next gigasim if the rank is killed. */
static int rank_private_dir(char *dir, size_t n, sim_scratch *s, sim_err *err)
{
    s->path[0] = '\0';
    s->lock_fd = -1;
    if (sim_mpi_rank() == 0)
        return 0;
    const char *t = getenv("TMPDIR");
    if (sim_scratch_begin(s, t && *t ? t : "/tmp", "gigasim-rank", err))
        return -1;
    snprintf(dir, n, "%.4000s/out", s->path);
    return 0;
}

/* -o DIR, or out/NAME-SUFFIX for a study of scenario NAME. */
static void study_dir(const opts *o, const char *suffix, char *dir, size_t n)
{
    if (o->out_dir) {
        snprintf(dir, n, "%s", o->out_dir);
        return;
    }
    default_out_dir(o->scenario, dir, n);
    size_t l = strlen(dir);
    snprintf(dir + l, n - l, "-%s", suffix);
}

/* A study's work, body(ctx, dir): in its output directory on rank 0, a scratch one on the others; its error
 * agreed over the ranks and said once; its files named on success. */
typedef int (*study_body)(void *ctx, const char *dir, sim_err *err);
static int run_study(const opts *o, const char *suffix, study_body body, void *ctx, const char *files)
{
    sim_err err;
    char dir[4096];
    sim_scratch scratch;
    study_dir(o, suffix, dir, sizeof dir);
    int rc = rank_private_dir(dir, sizeof dir, &scratch, &err);
    if (sim_mpi_agree(rc, &err) == 0)
        rc = body(ctx, dir, &err);
    sim_scratch_end(&scratch);
    if (sim_mpi_agree(rc, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    fflush(stdout);
    if (!o->quiet)
        fprintf(stderr, "gigasim: wrote %s/%s\n", dir, files);
    return 0;
}

static void default_out_dir(const char *scenario, char *buf, size_t n)
{
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    size_t len = strlen(base);
    if (len > 4 && !strcmp(base + len - 4, ".cfg"))
        len -= 4;
    snprintf(buf, n, "out/%.*s", (int)len, base);
}

/* series.csv from text made beforehand (sim_mpi_series_text). */
static int write_text(const char *path, void *ctx, sim_err *err)
{
    const char *text = ctx;
    FILE *f = sim_create_file(path, NULL);
    if (!f)
        return sim_errf(err, "%s: cannot write: %s", path, strerror(errno));
    int bad = fputs(text, f) < 0;
    bad |= fclose(f) != 0;
    return bad ? sim_errf(err, "%s: write failed: %s", path, strerror(errno)) : 0;
}

/* "gigasim X (commit Y)": what a shard records and a merge requires. */
static const char *version_text(void)
{
    static char v[128];
    snprintf(v, sizeof v, "gigasim %s (commit %s)", GIGASIM_VERSION, GIGASIM_COMMIT);
    return v;
}

static int cmd_merge(const opts *o)
{
    sim_err err;
    if (!o->out_dir) {
        fprintf(stderr, "gigasim merge needs -o DIR, where the merged run goes\n");
        return 2;
    }
    if (sim_merge(APP, o->files, (size_t)o->n_files, o->out_dir, version_text(), &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    if (!o->quiet)
        fprintf(stderr, "gigasim: merged %d shard(s) into %s/\n", o->n_files, o->out_dir);
    return 0;
}

/* gigasim check's answer: the scenario, and each hourly file as read (rows, span, statistics, a warning). */
static void print_checked(const char *file, const char *name, const sim_layout *lay, sim_cfg *cfg)
{
    printf("%s: OK — scenario '%s', %zu output steps of %g days\n", file, name, lay->n_steps, lay->step_days);
    sim_inputs *in = sim_cfg_inputs(cfg);
    for (size_t i = 0; i < sim_inputs_n_notes(in); i++)
        printf("  %s\n", sim_inputs_note_at(in, i));
}

/* A whole run (its replications shared over the MPI ranks, if any): every file, series.nc too with
 * --format netcdf, into od, committed by rank 0. In one process with --format netcdf the replications'
 * series go to series.nc as they are made and series.csv is read back from it (memory bounded). */
static int run_whole(const opts *o, sim_cfg *cfg, void *model, const sim_layout *lay, const char *name, uint64_t seed,
                     size_t n_reps, unsigned threads, sim_outdir *od, sim_err *err)
{
    sim_results res;
    sim_mpi_part part;
    char *series = NULL;
    size_t series_len;
    int rc = 1;
    char nc[4200] = "";
    if (sim_mpi_rank() == 0)
        snprintf(nc, sizeof nc, "%s/series.nc", od->tmp);
    sim_run_info info = {name, o->scenario, seed, NULL};
    /* more series than --series-memory: series.nc first, in batches, the quantiles read back from it */
    double keep = (double)(o->series_memory > 0 ? o->series_memory : 1024) * (1 << 20);
    bool streamed = o->netcdf && sim_mpi_size() == 1 &&
                    (double)n_reps * (double)lay->n_steps * (double)lay->n_series * sizeof(double) > keep;
    memset(&part, 0, sizeof part);
    if ((streamed ? sim_netcdf_run(APP, model, lay, seed, n_reps, threads, !o->quiet, keep, nc, &info, &res, &series,
                                   &series_len, err)
                  : sim_mpi_run(APP, model, lay, seed, n_reps, threads, !o->quiet, &res, &part, err) == 0
                        ? sim_mpi_series_text(lay, &res, &part, &series, &series_len, err)
                        : -1) == 0) {
        sim_facts facts = {0};
        if (APP->facts)
            APP->facts(model, res.metrics, res.n_reps, &facts);
        info.facts = &facts;
        rc = o->netcdf && !streamed ? sim_netcdf_write_shared(nc, &info, lay, &res, &part, err) : 0;
        if (rc == 0)
            rc = sim_mpi_rank() == 0 ? sim_write_outputs_into(od, cfg, &info, lay, &res, write_text, series, err) : 0;
        rc = sim_mpi_agree(rc, err) ? 1 : 0;
        if (rc == 0 && !o->quiet)
            fprintf(stderr, "gigasim: wrote %s/summary.json, series.csv, scenario.cfg%s\n", od->dir,
                    o->netcdf ? ", series.nc" : "");
    }
    free(series);
    sim_mpi_part_free(&part);
    sim_results_free(&res);
    return rc;
}

static int cmd_run(const opts *o, bool check_only)
{
    sim_err err;
    sim_cfg *cfg;
    void *model;
    const char *name;
    uint64_t seed;
    long long n_reps;
    if (load_agreed(o, o->scenario, &cfg, &model, &name, &seed, &n_reps, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    sim_layout lay;
    APP->layout(model, &lay);
    if (check_only) {
        print_checked(o->scenario, name, &lay, cfg);
        APP->free(model);
        sim_cfg_free(cfg);
        return 0;
    }
    char dir[4096];
    if (o->out_dir)
        snprintf(dir, sizeof dir, "%s", o->out_dir);
    else
        default_out_dir(o->scenario, dir, sizeof dir);
    /* the output directory claimed before any replication runs (rank 0's): one that cannot be written is
     * refused now, not after the work */
    sim_outdir od = {.parent_fd = -1, .dir_fd = -1, .lock_fd = -1};
    int rc = sim_mpi_rank() == 0 ? sim_outdir_begin(&od, dir, &err) : 0;
    if (sim_mpi_agree(rc, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        APP->free(model);
        sim_cfg_free(cfg);
        return 1;
    }
    unsigned threads = o->threads > 0 ? (unsigned)o->threads : sim_default_threads();
    if (!o->quiet)
        fprintf(stderr, "gigasim: %s: %lld replication(s), seed %llu, %u thread(s)\n", name, n_reps,
                (unsigned long long)seed, threads);
    sim_results res;
    rc = 1;
    size_t first = o->shard_first >= 0 ? (size_t)o->shard_first : 0;
    if (o->shard_first >= 0) { /* a shard: one process */
        if (sim_run_replication_range(APP, model, &lay, seed, first, (size_t)n_reps, threads, !o->quiet, &res, &err) == 0) {
            sim_facts facts = {0};
            if (APP->facts)
                APP->facts(model, res.metrics, res.n_reps, &facts);
            sim_run_info info = {name, o->scenario, seed, &facts};
            if (sim_shard_write(&od, cfg, &info, &lay, &res, first, version_text(), &err) == 0) {
                rc = 0;
                if (!o->quiet)
                    fprintf(stderr, "gigasim: wrote the shard of replications %zu to %zu to %s/ (gigasim merge puts "
                                    "the shards together)\n",
                            first, first + (size_t)n_reps - 1, dir);
            }
            sim_results_free(&res);
        }
    } else
        rc = run_whole(o, cfg, model, &lay, name, seed, (size_t)n_reps, threads, &od, &err);
    sim_outdir_abort(&od); /* after a failure or an interrupt: nothing left; after a commit, nothing to do */
    if (rc)
        fprintf(stderr, "gigasim: %s\n", err.msg);
    APP->free(model);
    sim_cfg_free(cfg);
    return rc;
}

/* The comparison's files: each scenario's run in DIR/LABEL/ (its series.csv
 * from text made beforehand), then compare.json and compare.csv, committed
 * whole. */
/* What a comparison computes beyond itself: a backtest's measured dates (bt, read from table), or a delay's
 * cost (the two runs on time and late). */
typedef struct study_extra {
    sim_backtest *bt;
    const char *table;
    sim_delay *delay;
} study_extra;

static int write_comparison(sim_outdir *od_claimed, sim_study_run *runs, sim_cfg **cfgs, char **series_text, int n,
                            uint64_t seed, const study_extra *x, sim_err *err)
{
    sim_outdir od = *od_claimed;
    const char *dir = od.dir;
    for (int i = 0; i < n; i++) {
        char sub[4096 + sizeof runs[i].label + 2];
        snprintf(sub, sizeof sub, "%s/%.63s", od.tmp, runs[i].label);
        sim_run_info info = {runs[i].name, runs[i].file, seed, &runs[i].facts};
        if (mkdir(sub, 0777) != 0) {
            sim_errf(err, "%s: cannot create: %s", sub, strerror(errno));
            sim_outdir_abort(&od);
            return -1;
        }
        if (sim_write_run_files_with(sub, cfgs[i], &info, &runs[i].lay, &runs[i].res, write_text, series_text[i], err)) {
            sim_outdir_abort(&od);
            return -1;
        }
    }
    if (sim_compare_write(od.tmp, runs, (size_t)n, seed, err) || (x->bt && sim_backtest_write(od.tmp, x->bt, err)) ||
        (x->delay && sim_delay_write(od.tmp, x->delay, err)) ||
        (sim_interrupted() && sim_errf(err, "interrupted while writing %s: no output written", dir)) ||
        sim_outdir_commit(&od, err)) {
        sim_outdir_abort(&od);
        return -1;
    }
    return 0;
}

/* Runs every scenario with the same seed and replication count (those of
 * the command line, or else the first scenario's), writes each run into
 * DIR/LABEL/, then compare.json and compare.csv, and prints the table. */
/* Each scenario loaded with the common --set and its own --set-for; the first gives the seed and the
 * replications. *loaded counts those loaded (to free). */
static int load_compared(const opts *o, sim_study_run *runs, sim_cfg **cfgs, void **models, int *loaded,
                         uint64_t *seed, long long *n_reps, sim_err *err)
{
    for (int i = 0; i < o->n_files; i++) {
        uint64_t s_i;
        long long n_i;
        opts oi = *o; /* the common --set, then this scenario's own */
        for (int k = 0; k < o->n_set_for; k++)
            if (o->set_for_n[k] == i + 1) {
                if (oi.n_sets >= MAX_SETS)
                    return sim_errf(err, "too many --set and --set-for for scenario %d", i + 1);
                oi.sets[oi.n_sets++] = o->set_for[k];
            }
        if (load_agreed(&oi, o->files[i], &cfgs[i], &models[i], &runs[i].name, &s_i, &n_i, err))
            return -1;
        (*loaded)++;
        if (i == 0) {
            *seed = s_i;
            *n_reps = n_i;
        }
        runs[i].file = o->files[i];
        APP->layout(models[i], &runs[i].lay);
        sim_study_label(o->files[i], runs, (size_t)i, runs[i].label, sizeof runs[i].label);
    }
    return 0;
}

/* Each scenario's replications with the same seed (common random numbers), its series' text and its facts. */
static int run_compared(const opts *o, sim_study_run *runs, void **models, char **series_text, uint64_t seed,
                        long long n_reps, sim_err *err)
{
    unsigned threads = o->threads > 0 ? (unsigned)o->threads : sim_default_threads();
    size_t series_len;
    for (int i = 0; i < o->n_files; i++) {
        if (!o->quiet)
            fprintf(stderr, "gigasim: %s: %lld replication(s), seed %llu, %u thread(s)\n", runs[i].label, n_reps,
                    (unsigned long long)seed, threads);
        sim_mpi_part part;
        int rr = sim_mpi_run(APP, models[i], &runs[i].lay, seed, (size_t)n_reps, threads, !o->quiet, &runs[i].res, &part,
                             err);
        if (rr == 0)
            rr = sim_mpi_series_text(&runs[i].lay, &runs[i].res, &part, &series_text[i], &series_len, err);
        sim_mpi_part_free(&part);
        if (rr)
            return sim_err_prefix(err, "%s", o->files[i]);
        if (APP->facts)
            APP->facts(models[i], runs[i].res.metrics, runs[i].res.n_reps, &runs[i].facts);
    }
    return 0;
}

/* A comparison, a backtest's or a delay's (x). */
static int compare_job(const opts *o, const study_extra *x)
{
    sim_backtest *bt = x->bt;
    int n = o->n_files;
    sim_study_run runs[MAX_FILES];
    char *series_text[MAX_FILES] = {0}; /* each scenario's series.csv (rank 0) */
    sim_cfg *cfgs[MAX_FILES] = {0};
    void *models[MAX_FILES] = {0};
    memset(runs, 0, sizeof runs);
    sim_err err;
    int rc = 1, loaded = 0;
    uint64_t seed = 0;
    long long n_reps = 0;
    sim_outdir od = {.parent_fd = -1, .dir_fd = -1, .lock_fd = -1};
    for (int k = 0; k < o->n_set_for; k++)
        if (o->set_for_n[k] > n) {
            fprintf(stderr, "gigasim: --set-for %d %s: there are %d scenarios\n", o->set_for_n[k], o->set_for[k], n);
            return 2;
        }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", o->out_dir ? o->out_dir : bt ? "out/backtest" : x->delay ? "out/delay" : "out/compare");
    if (load_compared(o, runs, cfgs, models, &loaded, &seed, &n_reps, &err))
        goto done;
    if (x->delay) { /* the two runs are named for what they are */
        snprintf(runs[0].label, sizeof runs[0].label, "on_time");
        snprintf(runs[1].label, sizeof runs[1].label, "late");
    }
    if (
        /* the output directory claimed before any scenario runs (rank 0's) */
        sim_mpi_agree(sim_mpi_rank() == 0 ? sim_outdir_begin(&od, dir, &err) : 0, &err) ||
        run_compared(o, runs, models, series_text, seed, n_reps, &err) ||
        (bt && sim_backtest_compute(bt, x->table, runs, &err)) ||
        (x->delay && sim_delay_compute(x->delay, runs, &err)))
        goto done;
    /* Every scenario's run and the comparison go into one private directory,
     * committed whole (sim/study/outdir.h), by rank 0. */
    int wrc = sim_mpi_rank() == 0 ? write_comparison(&od, runs, cfgs, series_text, n, seed, x, &err) : 0;
    od.tmp[0] = od.tmp_name[0] = '\0'; /* committed or aborted by write_comparison */
    od.parent_fd = od.lock_fd = -1;
    if (sim_mpi_agree(wrc, &err))
        goto done;
    if (bt)
        sim_backtest_print(stdout, bt);
    else if (x->delay)
        sim_delay_print(stdout, x->delay);
    else if (n > 4) /* a study of many sites: one row each, ranked */
        sim_compare_print_ranked(stdout, runs, (size_t)n);
    else
        sim_compare_print(stdout, runs, (size_t)n);
    fflush(stdout);
    if (!o->quiet)
        fprintf(stderr, "gigasim: wrote %s/%scompare.json, compare.csv and one directory per scenario\n", dir,
                bt ? "backtest.csv, backtest.json, " : x->delay ? "delay.json, delay.csv, " : "");
    rc = 0;
done:
    if (rc)
        fprintf(stderr, "gigasim: %s\n", err.msg);
    sim_outdir_abort(&od);
    for (int i = 0; i < n; i++) {
        sim_results_free(&runs[i].res);
        free(series_text[i]);
        if (i < loaded) {
            APP->free(models[i]);
            sim_cfg_free(cfgs[i]);
        }
    }
    return rc;
}

typedef struct sweep_ctx {
    const opts *o;
    uint64_t seed;
    long long n_reps;
    unsigned threads;
    bool whole_points; /* sensitivity under MPI: each rank runs whole points */
} sweep_ctx;

/* One sweep point: the scenario with the command line's --set and `set`. */
/* A point of a study (sweep or sensitivity): the scenario with the command
 * line's --set, then the point's own assignments, run on the study's seed
 * and replications. */
static int study_point(sweep_ctx *c, const char *const *sets, size_t n_sets, sim_study_run *out, bool progress,
                       sim_err *err)
{
    opts o = *c->o;
    for (size_t i = 0; i < n_sets; i++) {
        if (o.n_sets >= MAX_SETS)
            return sim_errf(err, "too many --set with the study's %zu inputs (at most %d in all)", n_sets, MAX_SETS);
        o.sets[o.n_sets++] = sets[i];
    }
    sim_cfg *cfg;
    void *model;
    uint64_t seed;
    long long n_reps;
    if (load_all(&o, o.scenario, &cfg, &model, &out->name, &seed, &n_reps, err))
        return -1;
    out->file = o.scenario;
    APP->layout(model, &out->lay);
    int rc;
    if (c->whole_points) /* the points are shared out: this point's replications are this rank's alone */
        rc = sim_run_replications(APP, model, &out->lay, c->seed, (size_t)c->n_reps, c->threads, progress, &out->res, err);
    else {
        sim_mpi_part part; /* a study needs the metrics only: the ranks' series are dropped */
        rc = sim_mpi_run(APP, model, &out->lay, c->seed, (size_t)c->n_reps, c->threads, progress, &out->res, &part, err);
        sim_mpi_part_free(&part);
    }
    /* the layout's strings live in the model: the currency is kept, the facts dropped */
    snprintf(out->currency, sizeof out->currency, "%s", out->lay.currency ? out->lay.currency : "");
    out->lay.currency = out->currency[0] ? out->currency : NULL;
    out->lay.n_meta = 0;
    APP->free(model);
    sim_cfg_free(cfg);
    out->name = NULL; /* it lived in cfg */
    return rc;
}

static int sweep_point(void *p, const char *set, size_t k, size_t n_points, sim_study_run *out, sim_err *err)
{
    sweep_ctx *c = p;
    if (!c->o->quiet)
        fprintf(stderr, "gigasim: sweep point %zu of %zu: %s\n", k, n_points, set ? set : "(base)");
    return study_point(c, set ? &set : NULL, set ? 1 : 0, out, !c->o->quiet, err);
}

/* A sweep of one quantile of a two-quantile law (lognormal p50 or p90)
 * moves it against the other, which stays: the spread changes with it.
 * Said, with the ratio at the sweep's ends, unless the other is varied too. */
static void warn_spread_changes(sim_cfg *cfg, const sim_vary *v, int n)
{
    for (int i = 0; i < n; i++) {
        size_t l = strlen(v[i].key);
        if (l < 4 || (strcmp(v[i].key + l - 4, ".p50") && strcmp(v[i].key + l - 4, ".p90")))
            continue;
        bool is_p50 = !strcmp(v[i].key + l - 4, ".p50");
        char other[300];
        snprintf(other, sizeof other, "%.*s.%s", (int)(l - 4), v[i].key, is_p50 ? "p90" : "p50");
        bool other_varied = false;
        for (int k = 0; k < n; k++)
            other_varied |= !strcmp(v[k].key, other);
        sim_err e;
        double q;
        if (other_varied || !sim_cfg_has(cfg, other) || sim_cfg_num(cfg, other, 0, SIM_POSITIVE, &q, &e))
            continue;
        double r_lo = is_p50 ? q / v[i].low : v[i].low / q, r_hi = is_p50 ? q / v[i].high : v[i].high / q;
        fprintf(stderr,
                "gigasim: note: --vary %s moves it against %s, which stays at %g: the law's spread changes with it "
                "(p90/p50 %.3g at %g, %.3g at %g)%s; to move the law as a whole, vary it by a factor: --vary '%.*s*=LOW:HIGH'\n",
                v[i].key, other, q, r_lo, v[i].low, r_hi, v[i].high,
                (is_p50 ? v[i].high >= q : v[i].low <= q) ? ", and the median passes the P90 (refused)" : "",
                (int)(l - 4), v[i].key);
    }
}

/* Each --vary key takes effect: the scenario loads with it at its low and
 * at its high value before any point runs (a key nothing reads, one that
 * another key replaces, a value out of range: refused at once, by name). */
static int varies_take_effect(const opts *o, const sim_vary *v, int n, sim_err *err)
{
    for (int i = 0; i < n; i++)
        for (int e = 0; e < 2; e++) {
            char set[400];
            double x = e ? v[i].high : v[i].low;
            snprintf(set, sizeof set, "%s=%.17g", v[i].key, x);
            opts oi = *o;
            if (oi.n_sets >= MAX_SETS)
                return sim_errf(err, "too many --set with --vary %s", v[i].key);
            oi.sets[oi.n_sets++] = set;
            sim_cfg *cfg;
            void *model;
            const char *name;
            uint64_t seed;
            long long n_reps;
            if (load_all(&oi, o->scenario, &cfg, &model, &name, &seed, &n_reps, err))
                return sim_err_prefix(err, "--vary %s=%g", v[i].key, x);
            APP->free(model);
            sim_cfg_free(cfg);
        }
    return 0;
}

typedef struct sweep_study {
    const sim_vary *v;
    const opts *o;
    const char *scen_name;
    sweep_ctx *c;
} sweep_study;

static int sweep_body(void *p, const char *dir, sim_err *err)
{
    sweep_study *st = p;
    return sim_sweep(st->v, (size_t)st->o->n_varies, st->o->metric, st->o->scenario, st->scen_name, st->c->seed,
                     sweep_point, st->c, dir, err);
}

static int cmd_sweep(const opts *o)
{
    sim_err err;
    sim_vary v[MAX_SETS];
    for (int i = 0; i < o->n_varies; i++)
        if (sim_vary_parse(o->varies[i], &v[i], &err)) {
            fprintf(stderr, "gigasim: %s\n", err.msg);
            return 2;
        }
    /* The base once, for the seed and replication count every point shares. */
    sim_cfg *cfg;
    void *model;
    const char *name;
    sweep_ctx c = {o, 0, 0, o->threads > 0 ? (unsigned)o->threads : sim_default_threads(), false};
    if (load_agreed(o, o->scenario, &cfg, &model, &name, &c.seed, &c.n_reps, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    if (!o->quiet)
        warn_spread_changes(cfg, v, o->n_varies);
    char scen_name[256];
    snprintf(scen_name, sizeof scen_name, "%s", name);
    APP->free(model);
    sim_cfg_free(cfg);
    if (varies_take_effect(o, v, o->n_varies, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    sweep_study st = {v, o, scen_name, &c};
    return run_study(o, "sweep", sweep_body, &st, "sweep.json and sweep.csv");
}

/* A metric by name, or -1 with a message naming the option and the nearest metric. */
static int metric_named(const char *name, const char *option)
{
    int m = sim_metric_find(APP->metrics, APP->n_metrics, name);
    if (m >= 0)
        return m;
    const char *names[256];
    size_t nm = APP->n_metrics < 256 ? APP->n_metrics : 256;
    for (size_t i = 0; i < nm; i++)
        names[i] = APP->metrics[i].name;
    const char *near = sim_closest(name, names, nm);
    fprintf(stderr, "gigasim: %s %s: no such metric%s%s%s (gigasim metrics lists them)\n", option, name,
            near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
    return -1;
}

/* An optimization's context: a study's, and the money unit of its scenario (a candidate that is another
 * scenario file in another currency is converted into it at the two scenarios' rates to the US dollar). */
typedef struct optimize_ctx {
    sweep_ctx study;
    const size_t *money_cols; /* which of the wanted columns are money (1) */
    char currency[16];
    double usd_per_unit;
} optimize_ctx;

/* A candidate's own scenario file (--decide scenario=A.cfg,B.cfg): its value without quotes, in buf. */
static const char *scenario_of(const char *set, char *buf, size_t n)
{
    const char *v = set + strlen("scenario=");
    size_t l = strlen(v);
    if (l >= 2 && v[0] == '"' && v[l - 1] == '"')
        snprintf(buf, n, "%.*s", (int)(l - 2), v + 1);
    else
        snprintf(buf, n, "%s", v);
    return buf;
}

/* The options of a candidate: the command line's, its decisions as --set, and its scenario file if it has one. */
static void candidate_opts(const opts *base, const char *const *sets, size_t n_sets, opts *o, char *file, size_t n)
{
    *o = *base;
    for (size_t i = 0; i < n_sets; i++)
        if (!strncmp(sets[i], "scenario=", strlen("scenario=")))
            o->scenario = scenario_of(sets[i], file, n);
        else
            o->sets[o->n_sets++] = sets[i];
}

/* One candidate of an optimization: the scenario with the command line's --set and the candidate's decisions, on
 * replications [first, first + count) of the study's seed; the wanted metric columns out (money in the study's
 * currency). */
static int optimize_candidate(void *p, const char *const *sets, size_t n_sets, size_t first, size_t count,
                              bool alone, const size_t *cols, size_t n_cols, double *y, sim_err *err)
{
    optimize_ctx *x = p;
    sweep_ctx *c = &x->study;
    opts o;
    char file[4096];
    candidate_opts(c->o, sets, n_sets, &o, file, sizeof file);
    sim_cfg *cfg;
    void *model;
    const char *name;
    uint64_t seed;
    long long n_reps;
    if (load_all(&o, o.scenario, &cfg, &model, &name, &seed, &n_reps, err))
        return -1;
    sim_layout lay;
    APP->layout(model, &lay);
    double to_study = 1; /* money into the study's currency */
    const char *cur = lay.currency ? lay.currency : "";
    int rc = 0;
    if (strcmp(cur, x->currency) != 0) {
        if (isfinite(lay.usd_per_unit) && lay.usd_per_unit > 0 && isfinite(x->usd_per_unit) && x->usd_per_unit > 0)
            to_study = lay.usd_per_unit / x->usd_per_unit;
        else
            rc = sim_errf(err, "%s: its money is in %s, the study's in %s, and one of them gives no rate to the US "
                               "dollar: money cannot be compared", o.scenario, cur, x->currency);
    }
    sim_results res;
    sim_mpi_part part;
    memset(&part, 0, sizeof part);
    memset(&res, 0, sizeof res);
    if (rc == 0)
        rc = alone ? sim_run_replication_range(APP, model, &lay, c->seed, first, count, c->threads, false, &res, err)
                   : sim_mpi_run_from(APP, model, &lay, c->seed, first, count, c->threads, false, &res, &part, err);
    if (rc == 0)
        for (size_t r = 0; r < count; r++)
            for (size_t k = 0; k < n_cols; k++)
                y[r * n_cols + k] = res.metrics[r * lay.n_metrics + cols[k]] * (x->money_cols[k] ? to_study : 1);
    sim_results_free(&res);
    sim_mpi_part_free(&part);
    APP->free(model);
    sim_cfg_free(cfg);
    return rc;
}

/* Each decision takes effect: the scenario loads with it at both ends of its range, or at each of its choices
 * (a choice of scenario files: each file loads). */
static int decisions_take_effect(const opts *o, const sim_decide *d, int n, sim_err *err)
{
    for (int i = 0; i < n; i++) {
        size_t nv = d[i].kind == SIM_DECIDE_CHOICE ? d[i].n_choices : 2;
        for (size_t k = 0; k < nv; k++) {
            char set[600], file[4096];
            if (d[i].kind == SIM_DECIDE_CHOICE)
                snprintf(set, sizeof set, "%.255s=%.159s", d[i].key, d[i].choices[k]);
            else
                snprintf(set, sizeof set, "%.255s=%.17g", d[i].key, k ? d[i].high : d[i].low);
            opts oi;
            const char *one = set;
            candidate_opts(o, &one, 1, &oi, file, sizeof file);
            sim_cfg *cfg;
            void *model;
            const char *name;
            uint64_t seed;
            long long n_reps;
            if (load_all(&oi, oi.scenario, &cfg, &model, &name, &seed, &n_reps, err))
                return sim_err_prefix(err, "--decide %s", set);
            APP->free(model);
            sim_cfg_free(cfg);
        }
    }
    return 0;
}

/* The study as the command line gives it: decisions, objective, constraints (metrics by name), the selection's
 * settings; 2 when something is wrong with them (said). */
static int optimize_spec(const opts *o, sim_decide *dec, sim_constraint *con, size_t *con_col, sim_optimize_spec *s)
{
    sim_err err;
    memset(s, 0, sizeof *s);
    if (o->n_decides == 0 || !o->objective)
        return fprintf(stderr, "gigasim optimize needs at least one --decide KEY=... and an --objective METRIC\n"), 2;
    for (int i = 0; i < o->n_decides; i++)
        if (sim_decide_parse(o->decides[i], &dec[i], &err))
            return fprintf(stderr, "gigasim: %s\n", err.msg), 2;
    s->obj.sense = o->sense;
    if (sim_objective_parse(o->objective, &s->obj, &err))
        return fprintf(stderr, "gigasim: %s\n", err.msg), 2;
    int m = metric_named(s->obj.metric, "--objective");
    if (m < 0)
        return 2;
    s->obj_col = (size_t)m;
    s->obj_unit = APP->metrics[m].unit;
    if (!s->obj.sense)
        s->obj.sense = APP->metrics[m].flags & SIM_METRIC_VALUE ? 1 : -1;
    for (int i = 0; i < o->n_constraints; i++) {
        if (sim_constraint_parse(o->constraints[i], &con[i], &err))
            return fprintf(stderr, "gigasim: %s\n", err.msg), 2;
        if ((m = metric_named(con[i].metric, "--constraint")) < 0)
            return 2;
        con_col[i] = (size_t)m;
    }
    s->dec = dec;
    s->n_dec = (size_t)o->n_decides;
    s->con = con;
    s->n_con = (size_t)o->n_constraints;
    s->con_col = con_col;
    s->max_candidates = o->max_candidates > 0 ? (size_t)o->max_candidates : 200;
    s->finalists = o->finalists > 0 ? (size_t)o->finalists : 5;
    s->confidence = isnan(o->confidence) ? 0.95 : o->confidence;
    s->indifference = o->indifference;
    s->tolerance = isnan(o->tolerance) ? 0.01 : o->tolerance;
    return 0;
}

typedef struct optimize_study {
    const sim_optimize_spec *s;
    optimize_ctx *x;
} optimize_study;

static int optimize_body(void *p, const char *dir, sim_err *err)
{
    optimize_study *st = p;
    return sim_optimize(st->s, optimize_candidate, st->x, dir, sim_mpi_rank() == 0 ? stdout : NULL, NULL, err);
}

static int cmd_optimize(const opts *o)
{
    sim_err err;
    sim_decide dec[SIM_OPT_MAX_DECISIONS];
    sim_constraint con[SIM_OPT_MAX_CONSTRAINTS];
    size_t con_col[SIM_OPT_MAX_CONSTRAINTS];
    sim_optimize_spec s;
    int rc = optimize_spec(o, dec, con, con_col, &s);
    if (rc)
        return rc;
    sim_cfg *cfg;
    void *model;
    const char *name;
    size_t money_cols[1 + SIM_OPT_MAX_CONSTRAINTS];
    optimize_ctx x = {{o, 0, 0, o->threads > 0 ? (unsigned)o->threads : sim_default_threads(), false}, money_cols, "", 1};
    sweep_ctx *c = &x.study;
    if (load_agreed(o, o->scenario, &cfg, &model, &name, &c->seed, &c->n_reps, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    char scen_name[256];
    snprintf(scen_name, sizeof scen_name, "%s", name);
    sim_layout lay;
    APP->layout(model, &lay);
    snprintf(x.currency, sizeof x.currency, "%s", lay.currency ? lay.currency : "");
    x.usd_per_unit = lay.usd_per_unit;
    money_cols[0] = !strcmp(APP->metrics[s.obj_col].unit, "currency");
    for (size_t k = 0; k < s.n_con; k++)
        money_cols[1 + k] = !strcmp(APP->metrics[s.con_col[k]].unit, "currency");
    APP->free(model);
    sim_cfg_free(cfg);
    if (decisions_take_effect(o, dec, o->n_decides, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    s.replications = (size_t)c->n_reps;
    s.max_replications = o->max_reps > 0 ? (size_t)o->max_reps : 16 * s.replications;
    s.seed = c->seed;
    s.scenario_file = o->scenario;
    s.scenario_name = scen_name;
    s.currency = x.currency;
    optimize_study st = {&s, &x};
    return run_study(o, "optimize", optimize_body, &st, "optimize.json and optimize.csv");
}

static int do_optimize(const opts *o, const char *argv0)
{
    (void)argv0;
    return cmd_optimize(o);
}

static int cmd_plot(const opts *o, const char *argv0)
{
    sim_err err;
    int n;
    if (sim_plot(o->scenario, argv0, o->formats, o->quiet, &n, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    if (!o->quiet)
        fprintf(stderr, "gigasim: %d chart(s) written to %s/\n", n, o->scenario);
    return 0;
}

/* One point of a sensitivity study: the scenario with the command line's
 * --set, then the point's inputs. */
static int sens_point(void *p, const char *const *sets, size_t n_sets, size_t k, size_t n_points, sim_study_run *out,
                      sim_err *err)
{
    sweep_ctx *c = p;
    bool tty = !c->o->quiet && isatty(STDERR_FILENO);
    if (tty)
        fprintf(stderr, "\rgigasim: point %zu of %zu", k, n_points);
    int rc = study_point(c, sets, n_sets, out, false, err);
    if (tty && k + (size_t)sim_mpi_size() > n_points)
        fputc('\n', stderr);
    return rc;
}

/* The --vary ranges as inputs (a factor for KEY*=LOW:HIGH); returns how many, or -1 (said). */
static int sens_vary_inputs(const opts *o, sim_sens_input *in)
{
    sim_err err;
    int k = 0;
    for (int i = 0; i < o->n_varies; i++) {
        sim_vary v;
        if (sim_vary_parse(o->varies[i], &v, &err) || (v.steps && sim_errf(&err, "--vary %s: a range LOW:HIGH, not "
                                                                               "a curve, in a sensitivity study", v.key))) {
            fprintf(stderr, "gigasim: %s\n", err.msg);
            return -1;
        }
        if (k >= SIM_SENS_MAX_INPUTS) {
            fprintf(stderr, "gigasim: at most %d inputs\n", SIM_SENS_MAX_INPUTS);
            return -1;
        }
        size_t l = strlen(v.key);
        in[k].kind = l && v.key[l - 1] == '*' ? SIM_SENS_FACTOR : SIM_SENS_RANGE;
        snprintf(in[k].key, sizeof in[k].key, "%.*s", (int)(in[k].kind == SIM_SENS_FACTOR ? l - 1 : l), v.key);
        in[k].low = v.low;
        in[k].high = v.high;
        k++;
    }
    return k;
}

/* KEY is `under` or below it. */
static bool key_under(const char *key, const char *under)
{
    size_t l = strlen(under);
    return !strncmp(key, under, l) && (key[l] == '\0' || key[l] == '.');
}

/* After the n_vary ranges, every distribution the scenario reads (those --input chose; none given a range)
 * as a quantile input; each --input must name one. Returns the inputs' count, or -1 (said). */
static int sens_dist_inputs(const opts *o, sim_cfg *cfg, sim_sens_input *in, size_t n_vary)
{
    size_t k = n_vary;
    for (size_t i = 0; !o->only_vary && i < sim_cfg_dist_count(cfg) && k < SIM_SENS_MAX_INPUTS; i++) {
        sim_dist d;
        const char *path = sim_cfg_dist_at(cfg, i, &d);
        bool taken = false; /* a key given a range is the range's */
        for (size_t j = 0; j < n_vary && !taken; j++)
            taken = key_under(path, in[j].key) || key_under(in[j].key, path);
        bool chosen = o->n_inputs == 0; /* --input KEY: KEY or under it */
        for (int j = 0; j < o->n_inputs && !chosen; j++)
            chosen = key_under(path, o->inputs[j]);
        if (taken || !chosen)
            continue;
        snprintf(in[k].key, sizeof in[k].key, "%s", path);
        in[k].kind = SIM_SENS_QUANTILE;
        in[k].dist = d;
        k++;
    }
    for (int j = 0; j < o->n_inputs; j++) {
        bool any = false;
        for (size_t i = n_vary; i < k && !any; i++)
            any = key_under(in[i].key, o->inputs[j]);
        if (!any) {
            fprintf(stderr, "gigasim: --input %s: no distribution of the scenario is there (a constant, a typo, or "
                            "given a range with --vary)\n", o->inputs[j]);
            return -1;
        }
    }
    return (int)k;
}

/* A figure of unit "currency" is analysed: one asked for, or among the default figures (ranking and study). */
static bool sens_money_analysed(const opts *o, const sim_layout *lay)
{
    for (size_t m = 0; m < lay->n_metrics; m++) {
        bool analysed = false;
        if (o->n_metrics == 0)
            analysed = lay->metrics[m].flags & (SIM_METRIC_RANKING | SIM_METRIC_STUDY);
        for (int i = 0; i < o->n_metrics && !analysed; i++)
            analysed = !strcmp(o->metrics[i], lay->metrics[m].name);
        if (analysed && !strcmp(lay->metrics[m].unit, "currency"))
            return true;
    }
    return false;
}

/* After the k inputs, the app's economic inputs when a money figure is analysed (not with --only-vary or
 * --input; a key given a range keeps the range): the inputs' count. */
static size_t sens_economic_inputs(const opts *o, const void *model, const sim_layout *lay, sim_sens_input *in,
                                   size_t k)
{
    if (!APP->economic_inputs || o->only_vary || o->n_inputs > 0 || !sens_money_analysed(o, lay))
        return k;
    sim_app_range r[8];
    size_t n = APP->economic_inputs(model, r, 8);
    for (size_t i = 0; i < n && k < SIM_SENS_MAX_INPUTS; i++) {
        bool taken = false;
        for (size_t j = 0; j < k && !taken; j++)
            taken = key_under(r[i].key, in[j].key) || key_under(in[j].key, r[i].key);
        if (taken)
            continue;
        snprintf(in[k].key, sizeof in[k].key, "%s", r[i].key);
        in[k].kind = SIM_SENS_RANGE;
        in[k].low = r[i].low;
        in[k].high = r[i].high;
        in[k].integer = false;
        k++;
    }
    return k;
}

/* The study's options from the command line. */
static sim_sens_opts sens_options(const opts *o)
{
    sim_sens_opts so = {0};
    so.morris = o->morris;
    so.samples = (size_t)(o->samples > 0 ? o->samples : o->morris ? 20 : 64);
    so.bootstrap = (size_t)(o->bootstrap >= 0 ? o->bootstrap : 200);
    so.quiet = o->quiet;
    so.part = (size_t)sim_mpi_rank();
    so.parts = (size_t)sim_mpi_size();
    so.share = sim_mpi_share_points;
    for (int i = 0; i < o->n_metrics; i++)
        so.metrics[so.n_metrics++] = o->metrics[i];
    return so;
}

static int cmd_sensitivity(const opts *o)
{
    sim_err err;
    sim_cfg *cfg;
    void *model;
    const char *name;
    sweep_ctx c = {o, 0, 0, o->threads > 0 ? (unsigned)o->threads : sim_default_threads(), sim_mpi_size() > 1};
    static sim_sens_input in[SIM_SENS_MAX_INPUTS];
    int n_vary = sens_vary_inputs(o, in);
    if (n_vary < 0)
        return 2;
    if (load_agreed(o, o->scenario, &cfg, &model, &name, &c.seed, &c.n_reps, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    int rc = 0;
    for (int i = 0; i < n_vary && rc == 0; i++) {
        sim_vary vi = {.low = in[i].low, .high = in[i].high};
        snprintf(vi.key, sizeof vi.key, "%.250s%s", in[i].key, in[i].kind == SIM_SENS_FACTOR ? "*" : "");
        if (varies_take_effect(o, &vi, 1, &err)) {
            fprintf(stderr, "gigasim: %s\n", err.msg);
            rc = 1;
        }
    }
    for (int i = 0; i < n_vary; i++)
        in[i].integer = in[i].kind == SIM_SENS_RANGE && sim_cfg_is_integer(cfg, in[i].key);
    int nk = rc ? -1 : sens_dist_inputs(o, cfg, in, (size_t)n_vary);
    if (nk < 0) {
        APP->free(model);
        sim_cfg_free(cfg);
        return rc ? rc : 2;
    }
    char scen_name[256];
    snprintf(scen_name, sizeof scen_name, "%s", name);
    sim_layout lay;
    APP->layout(model, &lay); /* its metric table and steps: the same for every point (the model lives as long) */
    size_t k = sens_economic_inputs(o, model, &lay, in, (size_t)nk);
    char dir[4096];
    sim_scratch scratch;
    study_dir(o, "sensitivity", dir, sizeof dir);
    int prc = rank_private_dir(dir, sizeof dir, &scratch, &err);
    sim_sens_opts so = sens_options(o);
    if (!o->quiet) {
        size_t np = o->morris ? so.samples * (k + 1) : so.samples * (k + 2);
        fprintf(stderr, "gigasim: %s: %zu inputs, %zu points x %lld replications, seed %llu, %u thread(s)\n", scen_name, k, np,
                c.n_reps, (unsigned long long)c.seed, c.threads);
    }
    int src = sim_mpi_agree(prc, &err);
    if (src == 0)
        src = sim_sensitivity(in, k, &so, &lay, o->scenario, scen_name, c.seed, (size_t)c.n_reps, sens_point, &c, dir,
                              &err);
    APP->free(model);
    sim_cfg_free(cfg);
    sim_scratch_end(&scratch);
    if (sim_mpi_agree(src, &err)) {
        fprintf(stderr, "%sgigasim: %s\n", !o->quiet && isatty(STDERR_FILENO) ? "\n" : "", err.msg);
        return 1;
    }
    fflush(stdout);
    if (!o->quiet)
        fprintf(stderr, "gigasim: wrote %s/sensitivity.json, sensitivity.csv and points.csv\n", dir);
    return 0;
}

/* DIR/report.html: one self-contained page of a run, comparison or sweep. */
static int cmd_report(const opts *o, const char *argv0)
{
    sim_err err;
    sim_report_info info = {argv0,         version_text(),      APP->metrics,
                            APP->n_metrics, o->quiet,           APP->held,
                            APP->captions,  APP->n_captions,    APP->report_header_keys,
                            APP->labels,    APP->n_labels,    APP->decision_question_run,
                            APP->decision_question_compare};
    if (sim_report(o->scenario, &info, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    if (!o->quiet)
        fprintf(stderr, "gigasim: wrote %s/report.html\n", o->scenario);
    if (o->paper && !o->pdf) {
        fprintf(stderr, "gigasim report: --paper is the PDF's: give --pdf too\n");
        return 2;
    }
    if (o->pdf) {
        if (sim_report_pdf(o->scenario, o->paper ? o->paper : "a4", 300, o->quiet, &err)) {
            fprintf(stderr, "gigasim: %s\n", err.msg);
            return 1;
        }
        if (!o->quiet)
            fprintf(stderr, "gigasim: wrote %s/report.pdf\n", o->scenario);
    }
    return 0;
}

/* The output reference: every metric of the app as a Markdown table (the
 * README's is this output). */
static int cmd_metrics(void)
{
    printf("| metric | unit | what it is | flags |\n|---|---|---|---|\n");
    for (size_t m = 0; m < APP->n_metrics; m++) {
        const sim_metric *mt = &APP->metrics[m];
        static const struct {
            unsigned flag;
            const char *word;
        } FLAGS[] = {{SIM_METRIC_HEADLINE, "headline"},
                     {SIM_METRIC_RANKING, "ranking"},
                     {SIM_METRIC_STUDY, "studied"},
                     {SIM_METRIC_REPORT, "in the report"}};
        char flags[96] = "";
        for (size_t k = 0; k < sizeof FLAGS / sizeof *FLAGS; k++)
            if (mt->flags & FLAGS[k].flag) {
                size_t l = strlen(flags);
                snprintf(flags + l, sizeof flags - l, "%s%s", l ? ", " : "", FLAGS[k].word);
            }
        printf("| `%s` | %s | %s | %s |\n", mt->name, mt->unit, mt->description, flags);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "gigasim: cannot write to standard output\n");
        return 1;
    }
    return 0;
}

/* 128 + the signal after an interrupted command, as a shell reports it;
 * a command whose printed table could not be written (a full disk, a
 * closed pipe) fails, though its files are in place. */
static int exit_status(int rc)
{
    if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
        fprintf(stderr, "gigasim: cannot write to standard output: %s (the output files are written)\n",
                strerror(errno));
        return 1;
    }
    return rc != 0 && sim_interrupted() ? 128 + sim_interrupt_signal() : rc;
}

static int gigasim_main(int argc, char **argv);

int main(int argc, char **argv)
{
    sim_mpi_start(&argc, &argv);
    if (sim_mpi_rank() != 0) { /* rank 0 prints and writes; the others compute with it */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            return 1;
    }
    int rc = gigasim_main(argc, argv);
    sim_mpi_end();
    return rc;
}

static int gigasim_main(int argc, char **argv)
{
    opts o;
    /* GSL's default handler aborts; every GSL result is checked where it is used (a NaN or an infinity). */
    gsl_set_error_handler_off();
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))) {
        printf("gigasim %s (commit %s)\n", GIGASIM_VERSION, GIGASIM_COMMIT);
        return 0;
    }
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))) {
        const command *c = argc >= 3 ? find_command(argv[2]) : NULL;
        if (c)
            command_usage(stdout, c);
        else
            usage(stdout);
        return 0;
    }
    if (parse_opts(argc, argv, &o)) {
        if (o.command)
            fprintf(stderr, "usage: gigasim %s [OPTION]... %s  ('gigasim %s --help' lists the options)\n", o.cmd,
                    o.command->args, o.cmd);
        else
            usage(stderr);
        return 2;
    }
    const command *c = o.command;
    if (o.help) {
        command_usage(stdout, c);
        return 0;
    }
    sim_interrupt_install();
    const char *cmd = c->name;
    if (o.n_files < c->min_args || o.n_files > c->max_args) {
        if (c->max_args == 0)
            fprintf(stderr, "gigasim %s takes no argument\n", cmd);
        else if (c->max_args > c->min_args)
            fprintf(stderr, "gigasim %s takes %d to %d %s (got %d)\n", cmd, c->min_args, c->max_args, c->nouns,
                    o.n_files);
        else if (o.n_files > 1 && c->hint)
            fprintf(stderr, "gigasim %s takes one %s (got %d)%s\n", cmd, c->noun, o.n_files, c->hint);
        else
            fprintf(stderr, "gigasim %s needs one %s (got %d)\n", cmd, c->noun, o.n_files);
        fprintf(stderr, "usage: gigasim %s [OPTION]... %s\n", cmd, c->args);
        return 2;
    }
    if (sim_mpi_size() > 1 && (o.shard_first >= 0 || (c->mpi & CMD_NOT_MPI))) {
        fprintf(stderr, "gigasim %s: shards are for job arrays, one process each: not under mpirun\n", cmd);
        return 2;
    }
    if (sim_mpi_rank() != 0 && (c->mpi & CMD_RANK0))
        return 0; /* rank 0's work alone */
    if (o.shard_first >= 0 && c->fn != do_run) {
        fprintf(stderr, "gigasim %s: --replications FIRST:COUNT (a shard) is for run only\n", cmd);
        return 2;
    }
    sim_err err;
    if (!(o.job_files = sim_inputs_new(&err))) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    int rc = exit_status(c->fn(&o, argv[0]));
    sim_inputs_unref(o.job_files);
    return rc;
}

/* The commands (COMMANDS' fn column), with the job's inputs in o->job_files. */
static int do_run(const opts *o, const char *argv0)
{
    (void)argv0;
    if (o->series_memory > 0 && (!o->netcdf || sim_mpi_size() > 1)) {
        fprintf(stderr, "gigasim run: --series-memory takes effect only with --format netcdf in one process (the series "
                        "go to series.nc beyond it; under mpirun they are spread over the ranks)\n");
        return 2;
    }
    if (o->netcdf && o->shard_first >= 0) {
        fprintf(stderr, "gigasim run: --format netcdf: not for a shard (series.nc holds every replication; a shard "
                        "has a part of them): run it whole, or under mpirun\n");
        return 2;
    }
    return cmd_run(o, false);
}

static int do_check(const opts *o, const char *argv0)
{
    (void)argv0;
    return cmd_run(o, true);
}

static int do_sweep(const opts *o, const char *argv0)
{
    (void)argv0;
    if (o->n_varies == 0) {
        fprintf(stderr, "gigasim sweep needs at least one --vary KEY=LOW:HIGH[:STEPS]\n");
        return 2;
    }
    if (o->metric && sim_metric_find(APP->metrics, APP->n_metrics, o->metric) < 0) {
        const char *names[256];
        size_t nm = APP->n_metrics < 256 ? APP->n_metrics : 256;
        for (size_t i = 0; i < nm; i++)
            names[i] = APP->metrics[i].name;
        const char *near = sim_closest(o->metric, names, nm);
        fprintf(stderr, "gigasim: --metric %s: no such metric%s%s%s (gigasim metrics lists them)\n", o->metric,
                near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        return 2;
    }
    return cmd_sweep(o);
}

static int do_compare(const opts *o, const char *argv0)
{
    (void)argv0;
    return compare_job(o, &(study_extra){0});
}

_Static_assert(SIM_BACKTEST_MAX <= MAX_FILES, "a backtest's projects fit a comparison");

/* The backtest: the table's scenarios compared, then each measured date
 * against its scenario's replications (sim/study/backtest.h). */
static int do_backtest(const opts *o, const char *argv0)
{
    (void)argv0;
    sim_err err;
    sim_backtest *bt = malloc(sizeof *bt);
    if (!bt) {
        fprintf(stderr, "gigasim: out of memory\n");
        return 1;
    }
    int rc = 1;
    if (sim_backtest_read(o->files[0], bt, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
    } else {
        opts c = *o;
        for (size_t i = 0; i < bt->n_scenarios; i++)
            c.files[i] = bt->scenarios[i];
        c.n_files = (int)bt->n_scenarios;
        rc = compare_job(&c, &(study_extra){.bt = bt, .table = o->files[0]});
    }
    free(bt);
    return rc;
}

/* What a delay costs: the scenario on time and with --phase moved --days later (every draw of its duration),
 * compared with common random numbers (sim/study/delay.h). */
static int do_delay(const opts *o, const char *argv0)
{
    (void)argv0;
    if (!o->phase) {
        fprintf(stderr, "gigasim delay: --phase NAME is needed: the timeline phase that is late\n");
        return 2;
    }
    sim_err err;
    sim_cfg *cfg = sim_cfg_load(o->scenario, &err);
    if (!cfg) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    static sim_delay d;
    memset(&d, 0, sizeof d);
    snprintf(d.phase, sizeof d.phase, "%s", o->phase);
    d.days = o->days > 0 ? (double)o->days : 365.0;
    char durations[100], phase[100];
    snprintf(durations, sizeof durations, "timeline.durations.%s", o->phase);
    snprintf(phase, sizeof phase, "timeline.phases.%s", o->phase);
    bool by_durations = sim_cfg_has(cfg, durations), known = by_durations || sim_cfg_has(cfg, phase);
    sim_cfg_free(cfg);
    if (!known || strlen(o->phase) > 60 || strpbrk(o->phase, ".=[]")) {
        fprintf(stderr, "gigasim delay: --phase %s: %s has no timeline phase of that name\n", o->phase, o->scenario);
        return 1;
    }
    snprintf(d.key, sizeof d.key, "%s%s+=%g", by_durations ? durations : phase, by_durations ? "" : ".duration_days",
             d.days);
    opts c = *o;
    c.files[1] = o->files[0];
    c.n_files = 2;
    if (c.n_set_for >= MAX_SETS) {
        fprintf(stderr, "gigasim: too many --set\n");
        return 2;
    }
    c.set_for_n[c.n_set_for] = 2;
    c.set_for[c.n_set_for++] = d.key;
    static char longer[64]; /* both run D days longer: the late site has the same time after its delay */
    snprintf(longer, sizeof longer, "sim.horizon_days+=%g", d.days);
    if (c.n_sets >= MAX_SETS) {
        fprintf(stderr, "gigasim: too many --set\n");
        return 2;
    }
    c.sets[c.n_sets++] = longer;
    return compare_job(&c, &(study_extra){.delay = &d});
}

static int do_sensitivity(const opts *o, const char *argv0)
{
    (void)argv0;
    return cmd_sensitivity(o);
}

static int do_merge(const opts *o, const char *argv0)
{
    (void)argv0;
    return cmd_merge(o);
}

static int do_plot(const opts *o, const char *argv0) { return cmd_plot(o, argv0); }

static int do_report(const opts *o, const char *argv0) { return cmd_report(o, argv0); }

static int do_metrics(const opts *o, const char *argv0)
{
    (void)o;
    (void)argv0;
    return cmd_metrics();
}

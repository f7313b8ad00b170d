/*
 * main: gigasim's command line (the contract in README.md).
 *
 *   gigasim run SCENARIO.cfg [-o DIR] [-n N] [--seed N] [--set k=v]... [--threads N] [--quiet]
 *   gigasim compare A.cfg B.cfg [C.cfg ...] [-o DIR] [-n N] [--seed N] [--set k=v]... [--set-for N k=v]...
 *                   [--threads N] [--quiet]
 *   gigasim sweep SCENARIO.cfg --vary k=LOW:HIGH[:STEPS]... [-o DIR] [-n N] [--seed N] [--set k=v]... [--threads N]
 *   gigasim check SCENARIO.cfg [--set k=v]...
 *   gigasim plot DIR
 *
 * Results go to files, logs to stderr. Exit status: 0 success, 1 bad input or
 * a failed run, 2 usage.
 */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "version.h" /* GIGASIM_COMMIT, written by the Makefile */

#include "models/site/site.h"
#include "sim/app.h"
#include "sim/cfg.h"
#include "sim/compare.h"
#include "sim/interrupt.h"
#include "sim/outdir.h"
#include "sim/output.h"
#include "sim/plot.h"
#include "sim/runner.h"
#include "sim/sweep.h"

#define GIGASIM_VERSION "0.1.0"
#define MAX_SETS 256
#define MAX_FILES 32

static const sim_app *const APP = &site_app;

static void usage(FILE *f)
{
    fputs("usage:\n"
          "  gigasim run SCENARIO.cfg [-o DIR] [-n REPLICATIONS] [--seed N] [--set path.to.key=VALUE]...\n"
          "              [--threads N] [--quiet]\n"
          "  gigasim compare A.cfg B.cfg [C.cfg ...] [-o DIR] [-n REPLICATIONS] [--seed N]\n"
          "              [--set path.to.key=VALUE]... [--set-for N path.to.key=VALUE]... [--threads N] [--quiet]\n"
          "  gigasim sweep SCENARIO.cfg --vary path.to.key=LOW:HIGH [--vary ...] [-o DIR] [-n N] [--seed N]\n"
          "  gigasim sweep SCENARIO.cfg --vary path.to.key=LOW:HIGH:STEPS [-o DIR] [-n N] [--seed N]\n"
          "              (both also take --metric NAME: the figure to rank by, default\n"
          "              time_to_first_token_days; --set path.to.key=VALUE, --threads N, --quiet)\n"
          "  gigasim check SCENARIO.cfg [--set path.to.key=VALUE]...\n"
          "  gigasim plot DIR\n"
          "  gigasim metrics        every output figure: name, unit, description (Markdown)\n"
          "  gigasim --version\n",
          f);
}

typedef struct opts {
    const char *cmd, *scenario, *out_dir;
    const char *files[MAX_FILES]; /* every positional argument; scenario = files[0] */
    int n_files;
    long long n_reps; /* -1: from the scenario */
    long long seed;   /* -1: from the scenario */
    long long threads;
    bool quiet;
    const char *sets[MAX_SETS + 1]; /* one spare for a sweep point */
    int n_sets;
    const char *varies[MAX_SETS];
    int n_varies;
    const char *set_for[MAX_SETS]; /* compare: --set-for N path=value, for scenario N only */
    int set_for_n[MAX_SETS], n_set_for;
    const char *metric; /* sweep: the figure to rank by */
} opts;

static int parse_ll_arg(const char *flag, const char *v, long long lo, long long *out)
{
    char *end;
    errno = 0;
    long long x = v ? strtoll(v, &end, 10) : 0;
    if (!v || *end || errno || x < lo) {
        fprintf(stderr, "gigasim: %s needs a whole number >= %lld (got '%s')\n", flag, lo, v ? v : "");
        return -1;
    }
    *out = x;
    return 0;
}

static int parse_opts(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    o->n_reps = o->seed = -1;
    o->threads = 0;
    if (argc < 2)
        return -1;
    o->cmd = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-o")) {
            if (!next) return fprintf(stderr, "gigasim: -o needs a directory\n"), -1;
            o->out_dir = argv[++i];
        } else if (!strcmp(a, "-n")) {
            if (parse_ll_arg("-n", next, 1, &o->n_reps)) return -1;
            i++;
        } else if (!strcmp(a, "--seed")) {
            if (parse_ll_arg("--seed", next, 0, &o->seed)) return -1;
            i++;
        } else if (!strcmp(a, "--threads")) {
            if (parse_ll_arg("--threads", next, 1, &o->threads)) return -1;
            i++;
        } else if (!strcmp(a, "--set")) {
            if (!next) return fprintf(stderr, "gigasim: --set needs path=value\n"), -1;
            if (o->n_sets >= MAX_SETS) return fprintf(stderr, "gigasim: too many --set\n"), -1;
            o->sets[o->n_sets++] = argv[++i];
        } else if (!strncmp(a, "--set=", 6)) {
            if (o->n_sets >= MAX_SETS) return fprintf(stderr, "gigasim: too many --set\n"), -1;
            o->sets[o->n_sets++] = a + 6;
        } else if (!strcmp(a, "--set-for")) {
            long long k;
            if (!next || i + 2 >= argc)
                return fprintf(stderr, "gigasim: --set-for needs N path=value (N: the scenario's position, from 1)\n"), -1;
            if (parse_ll_arg("--set-for", next, 1, &k)) return -1;
            if (o->n_set_for >= MAX_SETS) return fprintf(stderr, "gigasim: too many --set-for\n"), -1;
            o->set_for_n[o->n_set_for] = (int)(k < MAX_FILES ? k : MAX_FILES + 1);
            o->set_for[o->n_set_for++] = argv[i + 2];
            i += 2;
        } else if (!strcmp(a, "--vary")) {
            if (!next) return fprintf(stderr, "gigasim: --vary needs path=LOW:HIGH[:STEPS]\n"), -1;
            if (o->n_varies >= MAX_SETS) return fprintf(stderr, "gigasim: too many --vary\n"), -1;
            o->varies[o->n_varies++] = argv[++i];
        } else if (!strcmp(a, "--metric")) {
            if (!next) return fprintf(stderr, "gigasim: --metric needs a metric name (gigasim metrics lists them)\n"), -1;
            o->metric = argv[++i];
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            o->quiet = true;
        } else if (a[0] == '-' && a[1]) {
            static const char *const known[] = {"-o", "-n", "--seed", "--threads", "--set", "--set-for", "--vary",
                                                "--metric", "--quiet", "-q"};
            char opt[64];
            snprintf(opt, sizeof opt, "%.*s", (int)strcspn(a, "="), a);
            const char *near = sim_closest(opt, known, sizeof known / sizeof *known);
            fprintf(stderr, "gigasim: unknown option '%s'%s%s%s\n", a, near ? " (did you mean '" : "", near ? near : "",
                    near ? "'?)" : "");
            return -1;
        } else if (o->n_files < MAX_FILES) {
            o->files[o->n_files++] = a;
            if (!o->scenario)
                o->scenario = a;
        } else {
            fprintf(stderr, "gigasim: too many scenario files (at most %d)\n", MAX_FILES);
            return -1;
        }
    }
    return 0;
}

/* Loads, applies --set, loads the models and rejects unknown keys. */
static int load_checked(const opts *o, const char *file, sim_cfg **cfg_out, void **model_out, const char **name,
                        uint64_t *seed, long long *n_reps, sim_err *err)
{
    sim_cfg *cfg = sim_cfg_load(file, err);
    if (!cfg)
        return -1;
    for (int i = 0; i < o->n_sets; i++)
        if (sim_cfg_set(cfg, o->sets[i], err)) {
            sim_cfg_free(cfg);
            return -1;
        }
    long long seed_cfg, reps_cfg;
    if (sim_cfg_str(cfg, "name", NULL, name, err) ||
        sim_cfg_int(cfg, "sim.seed", 1, 0, 0x7fffffffffffffffLL, &seed_cfg, err) ||
        sim_cfg_int(cfg, "sim.replications", 1, 1, 1000000, &reps_cfg, err)) {
        sim_cfg_free(cfg);
        return -1;
    }
    void *model = APP->load(cfg, err);
    if (!model) {
        sim_cfg_free(cfg);
        return -1;
    }
    if (sim_cfg_check_unused(cfg, err)) {
        APP->free(model);
        sim_cfg_free(cfg);
        return -1;
    }
    *seed = (uint64_t)(o->seed >= 0 ? o->seed : seed_cfg);
    *n_reps = o->n_reps > 0 ? o->n_reps : reps_cfg;
    *cfg_out = cfg;
    *model_out = model;
    return 0;
}

/* load_checked, and an interrupt during it (libconfig's parse cannot be
 * stopped; the text limits keep it to seconds) is reported as such, not as
 * whatever the load concluded. */
static int load_all(const opts *o, const char *file, sim_cfg **cfg_out, void **model_out, const char **name, uint64_t *seed,
                    long long *n_reps, sim_err *err)
{
    int rc = load_checked(o, file, cfg_out, model_out, name, seed, n_reps, err);
    if (rc)
        sim_err_oom_for(err, "loading %s", file);
    if (!sim_interrupted())
        return rc;
    if (rc == 0) {
        APP->free(*model_out);
        sim_cfg_free(*cfg_out);
    }
    return sim_errf(err, "%s: interrupted while loading the scenario", file);
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

static int cmd_run(const opts *o, bool check_only)
{
    sim_err err;
    sim_cfg *cfg;
    void *model;
    const char *name;
    uint64_t seed;
    long long n_reps;
    if (load_all(o, o->scenario, &cfg, &model, &name, &seed, &n_reps, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    sim_layout lay;
    APP->layout(model, &lay);
    if (check_only) {
        printf("%s: OK — scenario '%s', %zu output steps of %g days\n", o->scenario, name, lay.n_steps, lay.step_days);
        APP->free(model);
        sim_cfg_free(cfg);
        return 0;
    }
    char dir[4096];
    if (o->out_dir)
        snprintf(dir, sizeof dir, "%s", o->out_dir);
    else
        default_out_dir(o->scenario, dir, sizeof dir);
    unsigned threads = o->threads > 0 ? (unsigned)o->threads : sim_default_threads();
    if (!o->quiet)
        fprintf(stderr, "gigasim: %s: %lld replication(s), seed %llu, %u thread(s)\n", name, n_reps,
                (unsigned long long)seed, threads);
    sim_results res;
    int rc = 1;
    if (sim_run_replications(APP, model, &lay, seed, (size_t)n_reps, threads, !o->quiet, &res, &err) == 0) {
        sim_facts facts = {0};
        if (APP->facts)
            APP->facts(model, res.metrics, res.n_reps, &facts);
        sim_run_info info = {name, o->scenario, seed, &facts};
        if (sim_write_outputs(dir, cfg, &info, &lay, &res, &err) == 0) {
            rc = 0;
            if (!o->quiet)
                fprintf(stderr, "gigasim: wrote %s/summary.json, series.csv, scenario.cfg\n", dir);
        }
        sim_results_free(&res);
    }
    if (rc)
        fprintf(stderr, "gigasim: %s\n", err.msg);
    APP->free(model);
    sim_cfg_free(cfg);
    return rc;
}

/* Runs every scenario with the same seed and replication count (those of
 * the command line, or else the first scenario's), writes each run into
 * DIR/LABEL/, then compare.json and compare.csv, and prints the table. */
static int cmd_compare(const opts *o)
{
    int n = o->n_files;
    sim_study_run runs[MAX_FILES];
    sim_cfg *cfgs[MAX_FILES] = {0};
    void *models[MAX_FILES] = {0};
    memset(runs, 0, sizeof runs);
    sim_err err;
    int rc = 1, loaded = 0;
    uint64_t seed = 0;
    long long n_reps = 0;
    for (int k = 0; k < o->n_set_for; k++)
        if (o->set_for_n[k] > n) {
            fprintf(stderr, "gigasim: --set-for %d %s: there are %d scenarios\n", o->set_for_n[k], o->set_for[k], n);
            return 2;
        }
    for (int i = 0; i < n; i++) {
        uint64_t s_i;
        long long n_i;
        opts oi = *o; /* the common --set, then this scenario's own */
        for (int k = 0; k < o->n_set_for; k++)
            if (o->set_for_n[k] == i + 1) {
                if (oi.n_sets >= MAX_SETS) {
                    fprintf(stderr, "gigasim: too many --set and --set-for for scenario %d\n", i + 1);
                    goto done;
                }
                oi.sets[oi.n_sets++] = o->set_for[k];
            }
        if (load_all(&oi, o->files[i], &cfgs[i], &models[i], &runs[i].name, &s_i, &n_i, &err))
            goto done;
        loaded++;
        if (i == 0) {
            seed = s_i;
            n_reps = n_i;
        }
        runs[i].file = o->files[i];
        APP->layout(models[i], &runs[i].lay);
        sim_study_label(o->files[i], runs, (size_t)i, runs[i].label, sizeof runs[i].label);
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", o->out_dir ? o->out_dir : "out/compare");
    unsigned threads = o->threads > 0 ? (unsigned)o->threads : sim_default_threads();
    for (int i = 0; i < n; i++) {
        if (!o->quiet)
            fprintf(stderr, "gigasim: %s: %lld replication(s), seed %llu, %u thread(s)\n", runs[i].label, n_reps,
                    (unsigned long long)seed, threads);
        if (sim_run_replications(APP, models[i], &runs[i].lay, seed, (size_t)n_reps, threads, !o->quiet, &runs[i].res,
                                 &err)) {
            sim_err_prefix(&err, "%s", o->files[i]);
            goto done;
        }
        if (APP->facts)
            APP->facts(models[i], runs[i].res.metrics, runs[i].res.n_reps, &runs[i].facts);
    }
    /* Every scenario's run and the comparison go into one private directory,
     * committed whole (sim/outdir.h). */
    sim_outdir od;
    if (sim_outdir_begin(&od, dir, &err))
        goto done;
    for (int i = 0; i < n; i++) {
        char sub[4096 + sizeof runs[i].label + 2];
        snprintf(sub, sizeof sub, "%s/%.63s", od.tmp, runs[i].label);
        sim_run_info info = {runs[i].name, runs[i].file, seed, &runs[i].facts};
        if (mkdir(sub, 0777) != 0) {
            sim_errf(&err, "%s: cannot create: %s", sub, strerror(errno));
            sim_outdir_abort(&od);
            goto done;
        }
        if (sim_write_run_files(sub, cfgs[i], &info, &runs[i].lay, &runs[i].res, &err)) {
            sim_outdir_abort(&od);
            goto done;
        }
    }
    if (sim_compare_write(od.tmp, runs, (size_t)n, seed, &err) ||
        (sim_interrupted() && sim_errf(&err, "interrupted while writing %s: no output written", dir)) ||
        sim_outdir_commit(&od, &err)) {
        sim_outdir_abort(&od);
        goto done;
    }
    if (n > 4) /* a study of many sites: one row each, ranked */
        sim_compare_print_ranked(stdout, runs, (size_t)n);
    else
        sim_compare_print(stdout, runs, (size_t)n);
    fflush(stdout);
    if (!o->quiet)
        fprintf(stderr, "gigasim: wrote %s/compare.json, compare.csv and one directory per scenario\n", dir);
    rc = 0;
done:
    if (rc)
        fprintf(stderr, "gigasim: %s\n", err.msg);
    for (int i = 0; i < n; i++) {
        sim_results_free(&runs[i].res);
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
} sweep_ctx;

/* One sweep point: the scenario with the command line's --set and `set`. */
static int sweep_point(void *p, const char *set, sim_study_run *out, sim_err *err)
{
    sweep_ctx *c = p;
    opts o = *c->o;
    if (set)
        o.sets[o.n_sets++] = set;
    sim_cfg *cfg;
    void *model;
    uint64_t seed;
    long long n_reps;
    if (load_all(&o, o.scenario, &cfg, &model, &out->name, &seed, &n_reps, err))
        return -1;
    out->file = o.scenario;
    APP->layout(model, &out->lay);
    if (!o.quiet)
        fprintf(stderr, "gigasim: sweep point %s\n", set ? set : "(base)");
    int rc = sim_run_replications(APP, model, &out->lay, c->seed, (size_t)c->n_reps, c->threads, !o.quiet, &out->res, err);
    APP->free(model);
    sim_cfg_free(cfg);
    out->name = NULL; /* it lived in cfg */
    return rc;
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
    sweep_ctx c = {o, 0, 0, o->threads > 0 ? (unsigned)o->threads : sim_default_threads()};
    if (load_all(o, o->scenario, &cfg, &model, &name, &c.seed, &c.n_reps, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    APP->free(model);
    sim_cfg_free(cfg);
    char dir[4096];
    if (o->out_dir)
        snprintf(dir, sizeof dir, "%s", o->out_dir);
    else {
        default_out_dir(o->scenario, dir, sizeof dir);
        size_t l = strlen(dir);
        snprintf(dir + l, sizeof dir - l, "-sweep");
    }
    if (sim_sweep(v, (size_t)o->n_varies, o->metric, o->scenario, c.seed, sweep_point, &c, dir, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    fflush(stdout);
    if (!o->quiet)
        fprintf(stderr, "gigasim: wrote %s/sweep.json and sweep.csv\n", dir);
    return 0;
}

static int cmd_plot(const opts *o, const char *argv0)
{
    sim_err err;
    int n;
    if (!o->scenario) {
        fprintf(stderr, "gigasim: plot needs the run directory\n");
        return 2;
    }
    if (sim_plot(o->scenario, argv0, o->quiet, &n, &err)) {
        fprintf(stderr, "gigasim: %s\n", err.msg);
        return 1;
    }
    if (!o->quiet)
        fprintf(stderr, "gigasim: %d chart(s) written to %s/\n", n, o->scenario);
    return 0;
}

/* The output reference: every metric of the app as a Markdown table (the
 * README's is this output). */
static int cmd_metrics(const opts *o)
{
    if (o->n_files || o->out_dir || o->n_sets || o->n_varies || o->metric) {
        fprintf(stderr, "gigasim: metrics takes no argument\n");
        return 2;
    }
    printf("| metric | unit | what it is | flags |\n|---|---|---|---|\n");
    for (size_t m = 0; m < APP->n_metrics; m++) {
        const sim_metric *mt = &APP->metrics[m];
        unsigned fl = mt->flags;
        printf("| `%s` | %s | %s | %s%s%s |\n", mt->name, mt->unit, mt->description,
               fl & SIM_METRIC_HEADLINE ? "headline" : "", (fl & SIM_METRIC_HEADLINE) && (fl & SIM_METRIC_RANKING) ? ", " : "",
               fl & SIM_METRIC_RANKING ? "ranking" : "");
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

int main(int argc, char **argv)
{
    opts o;
    /* GSL's default handler aborts; every GSL result is checked where it is used (a NaN or an infinity). */
    gsl_set_error_handler_off();
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))) {
        printf("gigasim %s (commit %s)\n", GIGASIM_VERSION, GIGASIM_COMMIT);
        return 0;
    }
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))) {
        usage(stdout);
        return 0;
    }
    if (parse_opts(argc, argv, &o)) {
        usage(stderr);
        return 2;
    }
    sim_interrupt_install();
    if (o.metric && strcmp(o.cmd, "sweep") != 0) {
        fprintf(stderr, "gigasim: --metric is an option of sweep only\n");
        return 2;
    }
    if (!strcmp(o.cmd, "run") || !strcmp(o.cmd, "check")) {
        if (!o.scenario) {
            fprintf(stderr, "gigasim: %s needs a scenario file\n", o.cmd);
            usage(stderr);
            return 2;
        }
        if (o.n_files > 1) {
            fprintf(stderr, "gigasim: %s takes one scenario file (got %d); use compare for several\n", o.cmd, o.n_files);
            return 2;
        }
        return exit_status(cmd_run(&o, !strcmp(o.cmd, "check")));
    }
    if (!strcmp(o.cmd, "sweep")) {
        if (o.n_files != 1 || o.n_varies == 0) {
            fprintf(stderr, "gigasim: sweep needs one scenario file and at least one --vary\n");
            usage(stderr);
            return 2;
        }
        if (o.metric && sim_metric_find(APP->metrics, APP->n_metrics, o.metric) < 0) {
            fprintf(stderr, "gigasim: --metric %s: no such metric (gigasim metrics lists them)\n", o.metric);
            return 2;
        }
        return exit_status(cmd_sweep(&o));
    }
    if (!strcmp(o.cmd, "compare")) {
        if (o.n_files < 2) {
            fprintf(stderr, "gigasim: compare needs at least two scenario files\n");
            usage(stderr);
            return 2;
        }
        return exit_status(cmd_compare(&o));
    }
    if (!strcmp(o.cmd, "plot"))
        return exit_status(cmd_plot(&o, argv[0]));
    if (!strcmp(o.cmd, "metrics"))
        return cmd_metrics(&o);
    static const char *const commands[] = {"run", "compare", "sweep", "check", "plot", "metrics"};
    const char *near = sim_closest(o.cmd, commands, sizeof commands / sizeof *commands);
    fprintf(stderr, "gigasim: unknown command '%s'%s%s%s\n", o.cmd, near ? " (did you mean '" : "", near ? near : "",
            near ? "'?)" : "");
    usage(stderr);
    return 2;
}

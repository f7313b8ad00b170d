/*
 * plot: renders a run's charts by running gnuplot (an external program) on
 * every .gp script in plots/. Each script is given, with -e:
 *   datadir   the run's directory, absolute (it reads datadir/series.csv),
 *   outdir    where the chart goes, absolute (a private directory of
 *             gigasim's: the charts are moved into place after),
 *   fmt       the chart format: png, svg or pdf (_common.gp sets the terminal),
 *   scen      the scenario's name (sname1.. per scenario of a comparison),
 *   plotsdir  the directory of the scripts, absolute (load plotsdir."/_common.gp"),
 *   nreps     the number of replications (bands are drawn when > 1),
 *   m_<metric>  the P50 of every metric in summary.json (-1 when null),
 * so milestones can be marked without the scripts parsing JSON.
 *
 * Names are data, never commands: gnuplot opens a file whose name starts
 * with '<' (and an output with '|') through a shell, so every path it is
 * given is absolute and free of control characters, and every name is a
 * single-quoted string (no backquote or macro is expanded inside one); a
 * comparison's scenario directories are taken only when their labels are
 * plain names. The scripts are found beside the binary only
 * (sim_find_data_dir: its share/gigasim/plots, or its build tree's plots/),
 * or in $GIGASIM_PLOTS when the user sets it; never in the working
 * directory.
 *
 * sim_plot holds the run directory's lock (sim/study/outdir.h) while it draws,
 * draws into a private directory inside it, checks every chart whole (a
 * full disk cuts a chart short: refused, nothing kept), then replaces the
 * charts it drew before with the new ones (renamed into place: a link
 * planted under a chart's name is replaced, not written through).
 */
#ifndef SIM_PLOT_H
#define SIM_PLOT_H

#include <stdbool.h>

#include "sim/core/util.h"

/* Chart formats, a bit each: every script is drawn once per format given. */
enum { SIM_PLOT_PNG = 1, SIM_PLOT_SVG = 2, SIM_PLOT_PDF = 4 };

/* "png,svg,pdf" (any of them, comma separated) into SIM_PLOT_* bits. */
int sim_plot_formats_parse(const char *list, unsigned *formats, sim_err *err);

/* quiet: gnuplot's own messages are kept back unless it fails. */
int sim_plot(const char *run_dir, const char *argv0, unsigned formats, bool quiet, int *n_written, sim_err *err);

/* sim_plot, the charts drawn into out_dir instead (a directory of the
 * caller's, who holds the run directory's lock; not recorded, and the run
 * directory's own charts left as they are). */
int sim_plot_into(const char *run_dir, const char *out_dir, const char *argv0, unsigned formats, bool quiet,
                  int *n_written, sim_err *err);

/* The gnuplot -e text for a run, compare or sweep directory (what sim_plot
 * hands gnuplot; malloc'd); *kind says which scripts apply ("" = plots/,
 * "compare", "sweep/curve", "sweep/tornado"). NULL with err on error. */
char *sim_plot_vars(const char *dir, const char *plots_dir, const char **kind, sim_err *err);

/* A comparison of more scenarios than this is drawn as a ranking
 * (plots/ranking/), not as one line per scenario. */
#define SIM_PLOT_MAX_LINES 8

#endif

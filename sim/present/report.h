/*
 * report: one self-contained HTML page for an output directory (a run, a
 * comparison, a site study or a sweep), DIR/report.html, to attach as it is.
 *
 * It holds, from the directory's own files: the headline figures (milestones
 * as days and dates with how many replications missed each, money, energy,
 * CO2, water, serving) as P10/P50/P90, what held the buildout back, every
 * chart inline as SVG (drawn by the plot scripts into a private directory,
 * so the directory's own charts stay as they are), the scenario as resolved
 * with the sources its lines cite (the rows of scenarios/SOURCES.md), and a
 * data dictionary of every metric with its unit.
 *
 * The page loads nothing: a Content-Security-Policy forbids every fetch, so it
 * opens the same from a file, offline. A small script at its end counts the
 * figures that rendered with a non-zero size and the script errors, into
 * <p id="selfcheck">, for a headless browser to read (tests/test_report.c).
 * The page is a function of the directory: the same files give the same bytes.
 */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/app.h"
#include "sim/core/util.h"

typedef struct sim_report_info {
    const char *argv0;         /* to find the chart scripts and the sources file */
    const char *version;       /* "gigasim X (commit Y)", in the page's footer */
    const sim_metric *metrics; /* the app's metric table: headline flags, units, descriptions */
    size_t n_metrics;
    bool quiet;
    const sim_held_back *held; /* the app's: what held a run back (NULL: no such section) */
    const sim_caption *captions; /* the app's charts' captions */
    size_t n_captions;
    const char *const *header_keys; /* the app's: summary.json strings shown under the title (NULL-terminated) */
    const sim_label *labels;        /* the app's figures in words and its decision page's (NULL: none) */
    size_t n_labels;
    const char *decision_question_run, *decision_question_compare;
} sim_report_info;

/* Writes DIR/report.html (whole or not at all). */
int sim_report(const char *dir, const sim_report_info *info, sim_err *err);

#endif

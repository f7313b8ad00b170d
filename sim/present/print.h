/*
 * print: the report as a PDF to hand over (gigasim report --pdf). Headless
 * Chromium prints DIR/report.html, with the paper's @page rule added (A4
 * with 12 mm margins, or US Letter with half-inch ones), into
 * DIR/report.pdf, whole or not at all: a private copy of the page in a
 * directory of gigasim's own inside DIR is printed, the PDF checked whole
 * (it ends as a PDF ends) and renamed into place. The page's own print rules
 * keep a chart on one page and drop the navigation.
 *
 * Chromium is $CHROMIUM or /usr/bin/chromium (Debian's chromium); it is
 * given absolute paths only, as arguments (no shell), the page as a
 * percent-encoded file:// URL; it is stopped after `timeout_s` seconds or on
 * SIGINT/SIGTERM.
 */
#ifndef SIM_PRINT_H
#define SIM_PRINT_H

#include <stdbool.h>

#include "sim/core/util.h"

/* paper: "a4" or "letter". */
int sim_report_pdf(const char *dir, const char *paper, double timeout_s, bool quiet, sim_err *err);

#endif

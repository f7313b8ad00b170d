/*
 * fuzz_plot_summary: libFuzzer target for plot's reader of a run's,
 * comparison's or sweep's JSON. The first byte chooses the file the rest is
 * written to in a private directory: 'c' compare.json, 's' sweep.json,
 * anything else summary.json; then the gnuplot variables are built from it
 * as `gigasim plot` builds them (gnuplot itself is not run). Built and run
 * by `make fuzz`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sim/present/plot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/gigasim-fuzz-plot-XXXXXX");
        if (!mkdtemp(dir))
            abort();
    }
    static const char *const names[] = {"summary.json", "compare.json", "sweep.json"};
    int which = data[0] == 'c' ? 1 : data[0] == 's' ? 2 : 0;
    char path[128];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/%s", dir, names[which]);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    sim_err err;
    const char *kind;
    free(sim_plot_vars(dir, "plots", &kind, &err));
    return 0;
}

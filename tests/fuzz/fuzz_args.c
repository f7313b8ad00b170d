/*
 * fuzz_args: libFuzzer target for the command line's scenario edits. The
 * input is lines: a line beginning "v " is a --vary argument (parsed by
 * sim_vary_parse), any other line a --set assignment applied, in order, to
 * tests/data/small.cfg as the command line applies it; when every line is
 * accepted the edited scenario is loaded by the site model and checked for
 * unread keys, as `gigasim check` does. Built and run by `make fuzz`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/site/site.h"
#include "sim/config/cfg.h"
#include "sim/study/sweep.h"
#include "tests/fuzz/fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size, 1 << 16);
    if (!text)
        return 0;
    sim_err err;
    sim_cfg *cfg = sim_cfg_load("tests/data/small.cfg", &err);
    int bad = !cfg || fuzz_apply_lines(cfg, text, true, &err) != 0;
    if (!bad) {
        void *m = site_app.load(cfg, &err);
        if (m) {
            sim_cfg_check_unused(cfg, &err);
            site_app.free(m);
        }
    }
    sim_cfg_free(cfg);
    free(text);
    return 0;
}

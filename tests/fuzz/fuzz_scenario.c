/*
 * fuzz_scenario: libFuzzer target for the scenario loader and the --set
 * parser. The input is a scenario text, optionally followed by a line
 * "//--set" and one path=value per line, applied as --set would. Includes
 * resolve against scenarios/ (the seed corpus is the bundled scenarios). A
 * scenario that loads is also run for one replication, with the event cap
 * forced down so that a run cannot take long. Build and run with `make fuzz`
 * (FUZZ_SECONDS, default 60).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/site/site.h"
#include "sim/config/cfg.h"
#include "tests/fuzz/fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size, 1 << 20);
    if (!text)
        return 0;
    char *sets = strstr(text, "\n//--set\n");
    if (sets) {
        *sets = '\0';
        sets += strlen("\n//--set\n");
    }
    sim_err err;
    sim_cfg *cfg = sim_cfg_load_string(text, "fuzz.cfg", "scenarios", &err);
    if (cfg) {
        int bad = sets && fuzz_apply_lines(cfg, sets, false, &err) != 0;
        if (!bad && sim_cfg_set(cfg, "sim.max_events=20000", &err) == 0) {
            void *m = site_app.load(cfg, &err);
            if (m && sim_cfg_check_unused(cfg, &err) == 0) {
                sim_layout lay;
                site_app.layout(m, &lay);
                if (lay.n_steps <= 40000) {
                    double *metrics = calloc(lay.n_metrics, sizeof(double));
                    double *series = calloc(lay.n_steps * lay.n_series, sizeof(double));
                    if (metrics && series)
                        site_app.run(m, 1, 0, metrics, series, NULL, &err);
                    free(metrics);
                    free(series);
                }
            }
            if (m)
                site_app.free(m);
        }
        sim_cfg_free(cfg);
    }
    free(text);
    return 0;
}

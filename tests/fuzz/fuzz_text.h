/*
 * fuzz_text: what the scenario fuzz targets share: the input as a
 * NUL-terminated string, and lines of --set assignments applied in order as
 * the command line applies them (a line starting "v " is handed to
 * sim_vary_parse instead, when vary is set).
 */
#ifndef FUZZ_TEXT_H
#define FUZZ_TEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/config/cfg.h"
#include "sim/study/sweep.h"

/* A malloc'd copy of data with a NUL after it; NULL above max bytes. */
static inline char *fuzz_text(const uint8_t *data, size_t size, size_t max)
{
    if (size > max)
        return NULL;
    char *text = malloc(size + 1);
    if (text) {
        memcpy(text, data, size);
        text[size] = '\0';
    }
    return text;
}

/* Applies each line of lines (edited in place) to cfg; -1 at the first refused. */
static inline int fuzz_apply_lines(sim_cfg *cfg, char *lines, bool vary, sim_err *err)
{
    for (char *line = lines; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (vary && !strncmp(line, "v ", 2)) {
            sim_vary v;
            sim_vary_parse(line + 2, &v, err);
        } else if (*line && sim_cfg_set(cfg, line, err) != 0)
            return -1;
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

#endif

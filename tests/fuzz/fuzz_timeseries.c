/*
 * fuzz_timeseries: libFuzzer target for the hourly-input readers. The input
 * is a file's bytes; the first byte chooses the reader: 'E' the EPW reader
 * (the rest is the file), anything else the CSV time-series reader, asked
 * for the column `temp_c` within -90..60 and at most 100,000 rows. The bytes
 * reach the reader through a memory file (memfd), opened by its /proc path
 * as a user's file would be. Built and run by `make fuzz`.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim/config/epw.h"
#include "sim/config/timeseries.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool epw = data[0] == 'E';
    int fd = memfd_create("fuzz-input", 0);
    if (fd < 0)
        return 0;
    if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    sim_err err;
    if (epw) {
        sim_epw e;
        if (sim_epw_read(NULL, path, "fuzz.cfg:1: climate.epw", &e, &err) == 0)
            sim_epw_free(&e);
    } else {
        sim_ts_spec spec = {path, "fuzz.cfg:1: climate.csv", "temp_c", -90.0, 60.0, "deg C", 100000, NULL, 0, NULL};
        sim_timeseries ts;
        if (sim_timeseries_read(&spec, &ts, &err) == 0)
            sim_timeseries_free(&ts);
    }
    close(fd);
    return 0;
}

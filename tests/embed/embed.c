/*
 * embed: a program that uses gigasim as a library (lib/gigasim.h, installed
 * as <gigasim.h>): it runs a scenario and prints the P10, P50 and P90 of a
 * few figures, then writes the run's files. Built against an installed
 * gigasim with
 *
 *   cc embed.c $(pkg-config --cflags --libs gigasim) -o embed
 *   ./embed SCENARIO.cfg REPLICATIONS [OUTPUT_DIR]
 *
 * A test (tests/test_install.c) builds it against a staged install and checks
 * its files against `gigasim run` of the same scenario, byte for byte.
 */
#include <gigasim.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: embed SCENARIO.cfg REPLICATIONS [OUTPUT_DIR]\n");
        return 2;
    }
    char err[1024];
    const char *sets[] = {"serving.enabled=false", NULL}; /* any --set the command line takes */
    gigasim_run *r = gigasim_run_scenario(argv[1], sets, atol(argv[2]), 0, err, sizeof err);
    if (!r) {
        fprintf(stderr, "embed: %s\n", err);
        return 1;
    }
    printf("%s: %zu replications, seed %llu, gigasim %s\n", gigasim_name(r), gigasim_replications(r), gigasim_seed(r),
           gigasim_version());
    const char *figures[] = {"time_to_first_token_days", "time_to_full_capacity_days", "co2_t"};
    for (int i = 0; i < 3; i++) {
        double q[3];
        size_t reached;
        if (gigasim_quantile(r, figures[i], 0.1, &q[0]) || gigasim_quantile(r, figures[i], 0.5, &q[1]) ||
            gigasim_quantile(r, figures[i], 0.9, &q[2]) || gigasim_reached(r, figures[i], &reached)) {
            fprintf(stderr, "embed: no figure %s\n", figures[i]);
            gigasim_free(r);
            return 1;
        }
        printf("%s p10=%.10g p50=%.10g p90=%.10g reached=%zu\n", figures[i], q[0], q[1], q[2], reached);
    }
    int rc = 0;
    if (argc > 3 && gigasim_write(r, argv[3], err, sizeof err)) {
        fprintf(stderr, "embed: %s\n", err);
        rc = 1;
    }
    gigasim_free(r);
    return rc;
}

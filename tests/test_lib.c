/* The library's promises (lib/gigasim.h): runs on several threads at once
 * give the numbers they give one at a time, and a run leaves GSL's aborting
 * error handler off. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <pthread.h>

#include "lib/gigasim.h"
#include "test.h"

typedef struct lib_job {
    const char *set;
    double p50_first, p90_full, mean_co2;
    char err[512];
    int rc;
} lib_job;

static void *lib_job_run(void *arg)
{
    lib_job *j = arg;
    const char *sets[] = {j->set, NULL};
    gigasim_run *r = gigasim_run_scenario("tests/data/small.cfg", sets, 6, 1, j->err, sizeof j->err);
    j->rc = !r || gigasim_quantile(r, "time_to_first_token_days", 0.5, &j->p50_first) ||
            gigasim_quantile(r, "time_to_full_capacity_days", 0.9, &j->p90_full);
    j->mean_co2 = 0;
    for (size_t i = 0; r && !j->rc && i < gigasim_replications(r); i++) {
        double v;
        j->rc |= gigasim_value(r, i, "co2_t", &v);
        j->mean_co2 += v / (double)gigasim_replications(r);
    }
    gigasim_free(r);
    return NULL;
}

TEST(lib_runs_on_several_threads_give_their_own_numbers)
{
    /* three different scenarios (crews 1, 2, 4), first one after the other, then all at once */
    const char *sets[] = {"racks.crews=1", "racks.crews=2", "racks.crews=4"};
    lib_job alone[3], together[3];
    for (int i = 0; i < 3; i++) {
        alone[i] = (lib_job){.set = sets[i]};
        lib_job_run(&alone[i]);
        CHECK(alone[i].rc == 0, "%s: %s", sets[i], alone[i].err);
    }
    CHECK(alone[0].p90_full != alone[2].p90_full, "crews 1 and 4 give the same full capacity (%g): the test cannot tell "
          "the runs apart", alone[0].p90_full);
    pthread_t th[3];
    for (int i = 0; i < 3; i++) {
        together[i] = (lib_job){.set = sets[i]};
        CHECK(pthread_create(&th[i], NULL, lib_job_run, &together[i]) == 0, "pthread_create");
    }
    for (int i = 0; i < 3; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 3; i++) {
        CHECK(together[i].rc == 0, "%s on a thread: %s", sets[i], together[i].err);
        CHECK(together[i].p50_first == alone[i].p50_first && together[i].p90_full == alone[i].p90_full &&
                  together[i].mean_co2 == alone[i].mean_co2,
              "%s: first token P50 %.17g / %.17g, full P90 %.17g / %.17g, CO2 %.17g / %.17g (together / alone)", sets[i],
              together[i].p50_first, alone[i].p50_first, together[i].p90_full, alone[i].p90_full, together[i].mean_co2,
              alone[i].mean_co2);
    }
}

TEST(lib_leaves_gsl_error_handler_off)
{
    gsl_error_handler_t *before = gsl_set_error_handler(NULL); /* GSL's default: abort on an error */
    char err[512];
    gigasim_run *r = gigasim_run_scenario("tests/data/small.cfg", NULL, 1, 1, err, sizeof err);
    CHECK(r, "%s", err);
    gigasim_free(r);
    /* a domain error now returns NaN instead of aborting the program (this test would end the run) */
    double g = gsl_sf_gamma(-1.0);
    gsl_set_error_handler(before);
    CHECK(!isfinite(g), "gamma(-1) = %g", g);
}

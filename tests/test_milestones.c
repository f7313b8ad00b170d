/* milestones (models/buildout/milestones.h): delay causes of hand-computed
 * racks follow the critical path and sum to their day (timeline_attribute
 * by hand too), and the milestones fire at the stated counts.
 * halls (models/buildout/halls.h): the one fits rule. */
#include "models/buildout/halls.h"
#include "models/buildout/milestones.h"
#include "models/buildout/timeline.h"
#include "test.h"

/* A hand timeline: permits 0-100; grid 100-300 (after permits); trafo
 * 0-250 (from the start); energize 300-320 (after grid and trafo); shell
 * 100-250 (after permits); comm 250-290 (after shell). */
static void hand_timeline(timeline_config *tl, double *ends, double trafo_days)
{
    memset(tl, 0, sizeof *tl);
    static const struct {
        const char *name;
        int kind;
        double days;
        int after[2];
    } ph[] = {{"permits", TIMELINE_KIND_PERMITS, 100, {-1, -1}},       {"grid", TIMELINE_KIND_GRID, 200, {0, -1}},
              {"trafo", TIMELINE_KIND_EQUIPMENT, 0, {-1, -1}},         {"energize", TIMELINE_KIND_GRID, 20, {1, 2}},
              {"shell", TIMELINE_KIND_CONSTRUCTION, 150, {0, -1}},     {"comm", TIMELINE_KIND_COMMISSIONING, 40, {4, -1}}};
    double dur[6];
    tl->n_phases = 6;
    for (size_t i = 0; i < 6; i++) {
        snprintf(tl->phases[i].name, sizeof tl->phases[i].name, "%s", ph[i].name);
        tl->phases[i].kind = ph[i].kind;
        for (int j = 0; j < 2; j++)
            if (ph[i].after[j] >= 0)
                tl->phases[i].after[tl->phases[i].n_after++] = (size_t)ph[i].after[j];
        tl->order[i] = i; /* file order is topological here */
        dur[i] = ph[i].days;
    }
    dur[2] = trafo_days;
    timeline_schedule(tl, dur, ends);
}

static int check_parts(const double *got, const double *want, double total, const char *what)
{
    double sum = 0;
    int bad = 0;
    for (int c = 0; c < N_CAUSES; c++) {
        sum += got[c];
        if (fabs(got[c] - want[c]) > 1e-12) {
            fprintf(stderr, "  %s: %s: got %.12g, want %.12g\n", what, milestone_cause_names[c], got[c], want[c]);
            bad = 1;
        }
    }
    if (fabs(sum - total) > 1e-9) {
        fprintf(stderr, "  %s: causes sum to %.12g, want %.12g\n", what, sum, total);
        bad = 1;
    }
    return bad;
}

TEST(milestone_causes_follow_the_critical_path_by_hand)
{
    timeline_config tl;
    double ends[TIMELINE_MAX_PHASES];
    hand_timeline(&tl, ends, 250);
    CHECK_NEAR(ends[3], 320, 1e-12, "energize ends at 320");
    cause_chain ch = {&tl, ends, 3, 320}; /* the grid comes with 'energize' */
    double c[N_CAUSES];
    enum { P = CAUSE_PERMITS, G = CAUSE_GRID_CONNECTION, E = CAUSE_ELECTRICAL_EQUIPMENT, C = CAUSE_CONSTRUCTION,
           M = CAUSE_COMMISSIONING };
    /* Waited for power (installed 295, energized 330): the supply's chain:
     * permits 100, grid 200 + energize 20, tranche wait 10, burn-in 3. */
    rack_times power = {100, 0, 290, 5, false, 160, 290, 295, 330};
    milestones_causes(&ch, &power, 333, c, NULL);
    double w1[N_CAUSES] = {0};
    w1[P] = 100, w1[G] = 220, w1[CAUSE_POWER] = 10, w1[CAUSE_BURNIN_FAILURES] = 3;
    int bad = check_parts(c, w1, 333, "power-bound");
    /* The same with transformers to day 310: they bind 'energize'. */
    hand_timeline(&tl, ends, 310);
    milestones_causes(&ch, &power, 333, c, NULL);
    double w2[N_CAUSES] = {0};
    w2[E] = 310, w2[G] = 10, w2[CAUSE_POWER] = 10, w2[CAUSE_BURNIN_FAILURES] = 3;
    bad |= check_parts(c, w2, 333, "transformer-bound");
    hand_timeline(&tl, ends, 250);
    /* Arrived (160) before its hall (comm ends 290, stagger 20: 310):
     * permits 100, shell 150 + stagger 20, comm 40, cooling 315-310, crews
     * 315-318, burn-in 3. */
    rack_times hall = {100, 0, 310, 5, false, 160, 315, 318, 318};
    milestones_causes(&ch, &hall, 321, c, NULL);
    double w3[N_CAUSES] = {0};
    w3[P] = 100, w3[C] = 170, w3[M] = 40, w3[CAUSE_COOLING_CAPACITY] = 5, w3[CAUSE_INSTALL_CREWS] = 3,
    w3[CAUSE_BURNIN_FAILURES] = 3;
    bad |= check_parts(c, w3, 321, "hall-bound");
    /* Delivered late (ordered 110, 10 days after permits; delivered 300, a
     * hall ready since 290): permits 100, supply 10 + 190, crews 2, burn-in 3. */
    rack_times late = {110, 0, 290, 5, false, 300, 300, 302, 302};
    milestones_causes(&ch, &late, 305, c, NULL);
    double w4[N_CAUSES] = {0};
    w4[P] = 100, w4[CAUSE_GPU_SUPPLY] = 200, w4[CAUSE_INSTALL_CREWS] = 2, w4[CAUSE_BURNIN_FAILURES] = 3;
    bad |= check_parts(c, w4, 305, "supply-bound");
    CHECK(!bad, "delay causes differ from the hand computation (above)");
}

TEST(timeline_attribute_tiles_the_critical_path)
{
    timeline_config tl;
    double ends[TIMELINE_MAX_PHASES];
    hand_timeline(&tl, ends, 250);
    /* [50, 310] before 'energize' ends: permits 50, grid 200, energize 10. */
    double k[TIMELINE_N_KINDS] = {0};
    timeline_attribute(&tl, ends, 3, 50, 310, k, NULL);
    CHECK(k[TIMELINE_KIND_PERMITS] == 50 && k[TIMELINE_KIND_GRID] == 210 && k[TIMELINE_KIND_EQUIPMENT] == 0,
          "permits %g (want 50), grid %g (210), equipment %g (0)", k[TIMELINE_KIND_PERMITS], k[TIMELINE_KIND_GRID],
          k[TIMELINE_KIND_EQUIPMENT]);
    /* A tie (trafo ends at 300 with grid): the first listed predecessor binds. */
    hand_timeline(&tl, ends, 300);
    memset(k, 0, sizeof k);
    timeline_attribute(&tl, ends, 3, 0, 320, k, NULL);
    CHECK(k[TIMELINE_KIND_PERMITS] == 100 && k[TIMELINE_KIND_GRID] == 220,
          "tie: permits %g (want 100), grid %g (220)", k[TIMELINE_KIND_PERMITS], k[TIMELINE_KIND_GRID]);
}

TEST(milestones_fire_at_their_counts)
{
    timeline_config tl;
    double ends[TIMELINE_MAX_PHASES];
    hand_timeline(&tl, ends, 250);
    cause_chain ch = {&tl, ends, 3, 320};
    milestones ms;
    /* first token at 2 racks plus a 5-day bring-up; 100 racks of 72 GPUs */
    milestones_init(&ms, &ch, 2, 7200, 5.0);
    rack_times rt = {0, 0, 0, 0, false, 1, 1, 2, 3};
    for (int k = 1; k <= 100; k++)
        milestones_reached(&ms, k, 72.0 * k, &rt, 10.0 + k);
    CHECK(ms.t_cluster == 12 && ms.t_first_token == 17 && ms.t_50 == 60 && ms.t_90 == 100 && ms.t_95 == 105 &&
              ms.t_99 == 109 && ms.t_100 == 110,
          "cluster %g (want 12), first token %g (17), 50 %% %g (60), 90 %% %g (100), 95 %% %g (105), 99 %% %g (109), "
          "100 %% %g (110)",
          ms.t_cluster, ms.t_first_token, ms.t_50, ms.t_90, ms.t_95, ms.t_99, ms.t_100);
    CHECK(ms.done, "all milestones reached but not done");
    CHECK_NEAR(ms.cause_ft[CAUSE_BRINGUP], 5, 0, "first token's bring-up part");
    CHECK_NEAR(ms.cause_full[CAUSE_BURNIN_FAILURES], 110 - 3, 1e-12, "full capacity's burn-in part");
}

TEST(halls_fit_rule)
{
    cooling_config cc;
    memset(&cc, 0, sizeof cc);
    cc.n_techs = 2;
    cc.techs[0].liquid = false;
    cc.techs[1].liquid = true;
    halls_config hc;
    memset(&hc, 0, sizeof hc);
    hc.n_halls = 2;
    hc.halls[0] = (hall_spec){"air", 0, 0, 0, 10.0};
    hc.halls[1] = (hall_spec){"dlc", 0, 0, 1, 0.1};
    CHECK(halls_fits(&hc, &cc, 0, false, 40), "an air rack fits an air hall");
    CHECK(!halls_fits(&hc, &cc, 0, true, 130), "a liquid rack fits an air hall");
    CHECK(halls_fits(&hc, &cc, 1, true, 100), "a 100 kW liquid rack fits a 0.1 MW liquid hall");
    CHECK(!halls_fits(&hc, &cc, 1, true, 100.5), "a 100.5 kW rack fits a 0.1 MW hall");
    /* where each kind of rack looks: air racks the air hall, then the liquid one; liquid racks the liquid one */
    halls_order o;
    hc.halls[0] = (hall_spec){"dlc", 0, 0, 1, 0.1};
    hc.halls[1] = (hall_spec){"air", 0, 0, 0, 10.0};
    halls_order_of(&hc, &cc, &o);
    CHECK(o.n[0] == 2 && o.hall[0][0] == 1 && o.hall[0][1] == 0, "air racks look in %u halls, first %u", o.n[0],
          o.hall[0][0]);
    CHECK(o.n[1] == 1 && o.hall[1][0] == 0, "liquid racks look in %u halls, first %u", o.n[1], o.hall[1][0]);
}

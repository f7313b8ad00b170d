/* milestones (models/buildout/milestones.h): delay causes of hand-computed
 * racks sum to their day, and the milestones fire at the stated counts.
 * halls (models/buildout/halls.h): the one fits rule. */
#include "models/buildout/halls.h"
#include "models/buildout/milestones.h"
#include "test.h"

TEST(milestone_causes_of_a_hand_computed_rack)
{
    /* Ordered day 100, delivered 160, a hall first ready at 150 (before
     * delivery), placed 175 (cooled space full), installed 180, energized
     * 200, accepted 203: permits 100, supply 60, cooling 15, crews 5,
     * power 20, burn-in 3. */
    rack_times rt = {100, 150, 160, 175, 180, 200};
    double c[N_CAUSES];
    milestones_causes(&rt, 203, c);
    const double want[N_CAUSES] = {100, 60, 15, 5, 20, 3};
    double sum = 0;
    for (int i = 0; i < N_CAUSES; i++) {
        CHECK_NEAR(c[i], want[i], 1e-12, milestone_cause_names[i]);
        sum += c[i];
    }
    CHECK_NEAR(sum, 203, 1e-12, "causes sum to the day");
    /* Delivered (60) before any hall could take it (ready 300): the halls
     * were the chain: permits_construction = 300, no supply delay. */
    rack_times early = {10, 300, 60, 310, 312, 312};
    milestones_causes(&early, 315, c);
    const double want2[N_CAUSES] = {300, 0, 10, 2, 0, 3};
    sum = 0;
    for (int i = 0; i < N_CAUSES; i++) {
        CHECK_NEAR(c[i], want2[i], 1e-12, milestone_cause_names[i]);
        sum += c[i];
    }
    CHECK_NEAR(sum, 315, 1e-12, "causes sum to the day (halls late)");
}

TEST(milestones_fire_at_their_counts)
{
    milestones ms;
    milestones_init(&ms, 2, 720); /* first token at 2 racks; 10 racks of 72 GPUs */
    rack_times rt = {0, 0, 1, 1, 2, 3};
    for (int k = 1; k <= 10; k++)
        milestones_update(&ms, k, 72.0 * k, &rt, 10.0 + k);
    CHECK(ms.t_first_token == 12 && ms.t_50 == 15 && ms.t_90 == 19 && ms.t_100 == 20,
          "first token %g (want 12), 50 %% %g (15), 90 %% %g (19), 100 %% %g (20)", ms.t_first_token, ms.t_50, ms.t_90,
          ms.t_100);
    CHECK(ms.done, "all milestones reached but not done");
    CHECK_NEAR(ms.cause_full[CAUSE_BURNIN_FAILURES], 20 - 3, 1e-12, "full capacity's burn-in part");
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
    hall_rt rt[2];
    cc.electrical_loss_frac = 0.05;
    halls_runtime_init(&hc, &cc, rt);
    CHECK(!halls_can_take(&hc, &cc, rt, 1, true, 100), "a hall not yet ready took a rack");
    rt[1].ready = true;
    CHECK(halls_can_take(&hc, &cc, rt, 1, true, 100), "a ready, empty hall refused a rack");
    rt[1].cap_left_kw -= 100;
    CHECK(!halls_can_take(&hc, &cc, rt, 1, true, 1), "a full hall took a rack");
}

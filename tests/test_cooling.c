/* cooling (models/energy/cooling.h): the free, mechanical and capped
 * regimes, the design PUE, and an hour of water by hand for an adiabatic
 * cooler and a cooling tower. */
#include "models/energy/cooling.h"
#include "models/energy/psychro.h"
#include "test.h"

TEST(cooling_free_mechanical_and_capped_regimes)
{
    cooling_tech t = {.rejection = COOLING_DRY, .supply_c = 35, .approach_c = 5, .free_frac = 0.04,
                      .per_c_frac = 0.006, .max_frac = 0.12};
    cooling_config c = {.electrical_loss_frac = 0.04, .fixed_overhead_frac = 0.01, .design_ambient_c = 35,
                        .design_wet_bulb_c = 20};
    double pre;
    CHECK_NEAR(cooling_sink_c(&t, 40, 20, &pre), 40, 0, "a dry cooler's sink is the dry bulb");
    CHECK_NEAR(cooling_frac(&t, 20), 0.04, 1e-15, "free cooling at 20 C");
    CHECK_NEAR(cooling_frac(&t, 30), 0.04, 1e-15, "chillers start at supply - approach = 30 C");
    CHECK_NEAR(cooling_frac(&t, 40), 0.10, 1e-15, "mechanical at 40 C: 0.04 + 0.006 x 10");
    CHECK_NEAR(cooling_frac(&t, 60), 0.12, 1e-15, "capped at 60 C");
    CHECK_NEAR(cooling_design_pue(&c, &t), 1 + 0.04 + 0.04 + 0.006 * 5, 1e-15, "design PUE at 35 C");
    cooling_weather w = {40, 20, 0.01, 101.325};
    double f, water;
    cooling_per_it(&c, &t, &w, &f, &water);
    CHECK_NEAR(f, 1.14, 1e-12, "facility per IT MW at 40 C");
    CHECK_NEAR(water, 0, 0, "dry coolers evaporate nothing");
}

TEST(adiabatic_hour_by_hand)
{
    /* Supply 35, approach 5: dry up to 30 C. At 38 C dry bulb and 20 C wet bulb the
     * spray should cool the air by 38 + 5 - 35 = 8 C, and can by 0.8 x (38 - 20) = 14.4:
     * 8 C, sink 30 C, no chillers (overhead 0.04). Heat per IT kWh 1 + 0.04 + 0.04 = 1.08;
     * evaporated 8 / 10 of it: 0.864 kWh x 1.474 L = 1.2736 L, x 3/2 for blowdown = 1.910 L. */
    cooling_tech t = {.rejection = COOLING_ADIABATIC, .supply_c = 35, .approach_c = 5, .free_frac = 0.04,
                      .per_c_frac = 0.006, .max_frac = 0.12, .cycles = 3, .adiabatic_effectiveness = 0.8,
                      .air_range_c = 10};
    cooling_config c = {.electrical_loss_frac = 0.04, .design_ambient_c = 38, .design_wet_bulb_c = 20};
    cooling_weather w = {38, 20, 0.0075, 101.325};
    double pre, f, water;
    CHECK_NEAR(cooling_sink_c(&t, 38, 20, &pre), 30, 1e-12, "sink after pre-cooling");
    CHECK_NEAR(pre, 8, 1e-12, "pre-cooling");
    cooling_per_it(&c, &t, &w, &f, &water);
    CHECK_NEAR(f, 1.08, 1e-12, "facility per IT MW");
    CHECK_NEAR(water, 1.08 * 0.8 * 3600.0 / 2442.0 * 1.5, 1e-9, "water m3 per IT MWh");
    CHECK_NEAR(water, 1.910, 0.001, "water m3 per IT MWh, as written out");
    /* Humid: wet bulb 34 C, the spray can cool by 0.8 x 4 = 3.2 C only: sink 34.8 C,
     * chillers for 4.8 C: overhead 0.04 + 0.0288. */
    w.wet_bulb_c = 34;
    cooling_per_it(&c, &t, &w, &f, &water);
    CHECK_NEAR(f, 1.04 + 0.04 + 0.006 * 4.8, 1e-12, "humid: trim chillers take the rest");
    CHECK_NEAR(water, f * 0.32 * 3600.0 / 2442.0 * 1.5, 1e-9, "humid: less water");
    /* Cool: 25 C needs no spray. */
    w.dry_bulb_c = 25;
    w.wet_bulb_c = 18;
    cooling_per_it(&c, &t, &w, &f, &water);
    CHECK_NEAR(water, 0, 0, "no spray below supply - approach");
    CHECK_NEAR(cooling_design_pue(&c, &t), 1.08, 1e-12, "design PUE: the spray covers the design day");
}

TEST(cooling_tower_hour_by_hand)
{
    /* Dry bulb 30 C, wet bulb 20 C, humidity ratio 0.0105 (about 40 % RH), sea level.
     * Cold water, and the exhaust air, at 20 + 4 = 24 C:
     *   es(24) = 0.61094 exp(17.625 x 24 / 267.04) = 2.9781 kPa, ws = 0.621945 x 2.9781 / 98.347 = 0.018833
     *   h_out = 1.006 x 24 + 0.018833 x (2501 + 44.64) = 24.144 + 47.943 = 72.087 kJ/kg
     *   h_in  = 1.006 x 30 + 0.0105 x (2501 + 55.8) = 30.18 + 26.846 = 57.026 kJ/kg
     *   latent share = (0.018833 - 0.0105) x 2442 / (72.087 - 57.026) = 20.350 / 15.061 = 1.3512
     * Sink 20 C + 4 < 30 supply: no chillers, heat per IT kWh 1 + 0.04 + 0.03 = 1.07;
     * water = 1.07 x 1.3512 x 1.4742 x 4/3 = 2.842 L per IT kWh. */
    cooling_tech t = {.rejection = COOLING_EVAPORATIVE, .supply_c = 30, .approach_c = 4, .free_frac = 0.03,
                      .per_c_frac = 0.006, .max_frac = 0.12, .cycles = 4};
    cooling_config c = {.electrical_loss_frac = 0.04, .design_ambient_c = 35, .design_wet_bulb_c = 28};
    cooling_weather w = {30, 20, 0.0105, 101.325};
    double f, water;
    cooling_per_it(&c, &t, &w, &f, &water);
    CHECK_NEAR(f, 1.07, 1e-12, "facility per IT MW: the wet bulb sets the sink");
    CHECK_NEAR(water, 2.842, 0.001, "water m3 per IT MWh, as written out");
    CHECK(water / f / (4.0 / 3.0) > PSY_L_PER_KWH_EVAPORATED,
          "hot dry air: the tower evaporates more than the heat's worth (%.3f L/kWh of heat)", water / f / (4.0 / 3.0));
    /* Cold humid air evaporates less than the heat's worth: 5 C, wet bulb 4 C. */
    cooling_weather cold = {5, 4, psy_humidity_ratio(psy_sat_vp_kpa(3.2), 101.325), 101.325};
    cooling_per_it(&c, &t, &cold, &f, &water);
    CHECK(water / f / (4.0 / 3.0) < 0.8 * PSY_L_PER_KWH_EVAPORATED && water > 0,
          "cold humid air: latent share below 0.8 (%.3f L per kWh of heat)", water / f / (4.0 / 3.0));
    CHECK_NEAR(cooling_design_pue(&c, &t), 1.04 + 0.03 + 0.006 * (28 + 4 - 30), 1e-12,
               "design PUE at the design wet bulb (28 C: chillers for 2 C)");
}

/* power (models/energy/power.h): reservations fit under the supply. */
#include "models/energy/power.h"
#include "sim/config/cfg.h"
#include "test.h"

TEST(power_reserves_under_the_supply)
{
    power_config pc = {0};
    power_state ps = {.cfg = &pc, .grid_mw = 100, .onsite_mw = 30};
    CHECK(power_try_reserve(&ps, 130), "130 MW did not fit under 130 MW of supply");
    CHECK(!power_try_reserve(&ps, 0.001), "a reservation above the supply was accepted");
}

TEST(power_onsite_cycle_carbon_and_design_derating_by_hand)
{
    /* Simple cycle: 9,750 Btu/kWh x 53.06 kg/MMBtu = 517.3 kg/MWh; combined: 6,654 -> 353.1
     * [GAS-CO2]. At a 35 C design day a simple-cycle block rated at 15 C keeps
     * 1 - 0.006 x 20 = 88 %; combined cycle 1 - 0.004 x 20 = 92 %. */
    static const char *const text[2] = {
        "timeline = { phases = ( { name = \"p\"; duration_days = 1.0; } ); };\n"
        "facility = { design_ambient_c = 35.0; };\n"
        "site = { grid = { capacity_mw = 0.0; energized_after = \"p\"; co2_kg_per_mwh = 1.0; co2_basis = \"direct\";\n"
        "  price_per_mwh = 1.0; }; onsite = { capacity_mw = 100.0; after = \"p\"; co2_basis = \"direct\";\n"
        "  cost_per_mwh = 1.0; }; };\n",
        "timeline = { phases = ( { name = \"p\"; duration_days = 1.0; } ); };\n"
        "facility = { design_ambient_c = 35.0; };\n"
        "site = { grid = { capacity_mw = 0.0; energized_after = \"p\"; co2_kg_per_mwh = 1.0; co2_basis = \"direct\";\n"
        "  price_per_mwh = 1.0; }; onsite = { capacity_mw = 100.0; after = \"p\"; co2_basis = \"direct\";\n"
        "  fuel_price_per_mmbtu = 4.0; om_per_mwh = 3.0; cycle = \"combined\"; }; };\n",
    };
    static const double co2[2] = {517.335, 353.06124}, keep[2] = {0.88, 0.92};
    for (int i = 0; i < 2; i++) {
        sim_err err;
        sim_cfg *cfg = sim_cfg_load_string(text[i], "power.cfg", ".", &err);
        CHECK(cfg, "%s", err.msg);
        timeline_config tl;
        power_config pc;
        int rc = timeline_load(cfg, &tl, &err) || power_load(cfg, &tl, &pc, &err);
        sim_cfg_free(cfg);
        CHECK(rc == 0, "%s", err.msg);
        CHECK_NEAR(pc.src[SOURCE_GAS].co2_kg_per_mwh, co2[i], 1e-6, i ? "combined cycle kg CO2 per MWh" : "simple cycle kg CO2 per MWh");
        CHECK_NEAR(pc.src[SOURCE_GAS].design_factor, keep[i], 1e-12, i ? "combined cycle at 35 C" : "simple cycle at 35 C");
        CHECK_NEAR(source_temp_factor(&pc.src[SOURCE_GAS], 10), 1.0, 0, "no derating below the rating");
        /* the cost given (1), or fuel 4 $/MMBtu x 6.654 MMBtu/MWh + 3 of O&M = 29.616 */
        CHECK_NEAR(pc.src[SOURCE_GAS].cost_per_mwh, i ? 4.0 * 6.654 + 3.0 : 1.0, 1e-12, "cost per MWh");
    }
}

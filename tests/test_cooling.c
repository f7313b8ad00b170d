/* cooling (models/energy/cooling.h): free, mechanical and capped regimes
 * and the design PUE by hand. */
#include "models/energy/cooling.h"
#include "test.h"

TEST(cooling_free_mechanical_and_capped_regimes)
{
    cooling_tech t = {.free_cooling_max_c = 30, .free_frac = 0.04, .per_c_frac = 0.006, .max_frac = 0.12};
    cooling_config c = {.electrical_loss_frac = 0.04, .fixed_overhead_frac = 0.01, .design_ambient_c = 35};
    CHECK_NEAR(cooling_frac(&t, 20), 0.04, 1e-15, "free cooling at 20 C");
    CHECK_NEAR(cooling_frac(&t, 40), 0.10, 1e-15, "mechanical at 40 C: 0.04 + 0.006 x 10");
    CHECK_NEAR(cooling_frac(&t, 60), 0.12, 1e-15, "capped at 60 C");
    CHECK_NEAR(cooling_design_pue(&c, &t), 1 + 0.04 + 0.04 + 0.006 * 5, 1e-15, "design PUE at 35 C");
    CHECK_NEAR(cooling_facility_mw(&c, &t, 100, 1.25, 40), 100 * 1.14 + 1.25, 1e-12, "facility MW at 40 C");
}

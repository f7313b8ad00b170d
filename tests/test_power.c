/* power (models/energy/power.h): reservations fit under the supply. */
#include "models/energy/power.h"
#include "test.h"

TEST(power_reserves_under_the_supply)
{
    power_config pc = {0};
    power_state ps = {.cfg = &pc, .grid_mw = 100, .onsite_mw = 30};
    CHECK(power_try_reserve(&ps, 130), "130 MW did not fit under 130 MW of supply");
    CHECK(!power_try_reserve(&ps, 0.001), "a reservation above the supply was accepted");
}

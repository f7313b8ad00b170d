/* workload (models/energy/workload.h): diurnal utilization by hand. */
#include "models/energy/workload.h"
#include "test.h"

TEST(workload_diurnal_utilization)
{
    workload_config w = {.utilization = 0.6, .diurnal_amplitude = 0.1, .peak_hour = 14, .burnin_utilization = 1};
    workload_prepare(&w);
    CHECK_NEAR(workload_utilization(&w, 3 + 14.5 / 24.0), 0.7, 1e-12, "utilization in the peak hour");
    CHECK_NEAR(workload_utilization(&w, 3 + 2.0 / 24.0), 0.5, 1e-12, "utilization 12 h after the peak");
    CHECK_NEAR(workload_utilization(&w, 3 + 20.0 / 24.0), 0.6, 1e-12, "utilization 6 h after the peak");
    workload_config hi = {.utilization = 0.95, .diurnal_amplitude = 0.2, .peak_hour = 0};
    workload_prepare(&hi);
    CHECK_NEAR(workload_utilization(&hi, 0.01), 1.0, 0, "utilization is clamped at 1");
}

#include "psychro.h"

#include <math.h>

double psy_sat_vp_kpa(double t_c)
{
    return 0.61094 * exp(17.625 * t_c / (t_c + 243.04));
}

double psy_humidity_ratio(double vp_kpa, double p_kpa)
{
    return 0.621945 * vp_kpa / (p_kpa - vp_kpa);
}

double psy_enthalpy_kj_per_kg(double t_c, double w)
{
    return 1.006 * t_c + w * (2501.0 + 1.86 * t_c);
}

double psy_wet_bulb_c(double t_c, double dew_c, double p_kpa)
{
    if (dew_c >= t_c)
        return t_c;
    double e = psy_sat_vp_kpa(dew_c);
    double tw = t_c - (t_c - dew_c) / 3.0;
    for (int i = 0; i < 4; i++) {
        double es = psy_sat_vp_kpa(tw);
        double a = 6.53e-4 * (1.0 + 9.44e-4 * tw);
        double f = es - a * p_kpa * (t_c - tw) - e;
        double d = es * 17.625 * 243.04 / ((tw + 243.04) * (tw + 243.04)) + a * p_kpa -
                   6.53e-4 * 9.44e-4 * p_kpa * (t_c - tw);
        tw -= f / d;
    }
    return tw;
}

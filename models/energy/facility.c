#include "facility.h"

#include <math.h>
#include <string.h>

#include "models/energy/psychro.h"

void facility_init(facility *f, const cooling_config *cc, const workload_config *wc, const bool *used,
                   const double *dew_c, size_t n_dew, double pressure_kpa)
{
    memset(f, 0, sizeof *f);
    f->cc = cc;
    f->wc = wc;
    f->dew_c = dew_c;
    f->n_dew = n_dew;
    f->pressure_kpa = pressure_kpa;
    f->hour = SIZE_MAX;
    f->ambient_c = NAN;
    for (size_t k = 0; k < cc->n_techs; k++)
        if (used[k]) {
            f->used_tech[f->n_used_tech++] = (uint32_t)k;
            f->humid |= cooling_needs_humidity(&cc->techs[k]) && dew_c && n_dew > 0;
        }
}

/* The per-hour cache: utilization and each technology's facility factor
 * change only with the hour (and its temperature). */
static void enter_hour(facility *f, size_t hour, double ambient_c)
{
    const cooling_config *cc = f->cc;
    f->hour = hour;
    f->ambient_c = ambient_c;
    f->u = workload_utilization_in_hour(f->wc, hour);
    cooling_weather w = {ambient_c, ambient_c, 0.0, f->pressure_kpa};
    if (f->humid) {
        double dew = f->dew_c[hour < f->n_dew ? hour : f->n_dew - 1];
        dew = dew < ambient_c ? dew : ambient_c;
        w.wet_bulb_c = psy_wet_bulb_c(ambient_c, dew, f->pressure_kpa);
        w.humidity_ratio = psy_humidity_ratio(psy_sat_vp_kpa(dew), f->pressure_kpa);
    }
    for (uint32_t i = 0; i < f->n_used_tech; i++) {
        uint32_t k = f->used_tech[i];
        cooling_per_it(cc, &cc->techs[k], &w, &f->factor[k], &f->water[k]);
    }
}

double facility_probe(void *ctx, size_t hour, double ambient_c, double *it_mw, double *water_m3_per_h)
{
    facility *f = ctx;
    if (hour != f->hour || ambient_c != f->ambient_c)
        enter_hour(f, hour, ambient_c);
    /* Every technology a hall has, loaded or not (an idle one adds zeros). */
    double it = 0, fac = 0, water = 0;
    for (uint32_t i = 0; i < f->n_used_tech; i++) {
        uint32_t k = f->used_tech[i];
        const facility_load *ld = &f->loads[k];
        double tech_it = (ld->idle_kw + ld->dyn_kw * f->u + ld->burnin_kw) / 1000.0;
        tech_it = tech_it > 0 ? tech_it : 0; /* rounding after removals */
        it += tech_it;
        fac += tech_it * f->factor[k] + ld->fixed_mw;
        water += tech_it * f->water[k];
    }
    *it_mw = it;
    *water_m3_per_h = water;
    return fac;
}

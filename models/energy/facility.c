#include "facility.h"

#include <math.h>
#include <string.h>

void facility_init(facility *f, const cooling_config *cc, const workload_config *wc, const bool *used)
{
    memset(f, 0, sizeof *f);
    f->cc = cc;
    f->wc = wc;
    f->hour = SIZE_MAX;
    f->ambient_c = NAN;
    for (size_t k = 0; k < cc->n_techs; k++)
        if (used[k])
            f->used_tech[f->n_used_tech++] = (uint32_t)k;
}

/* The per-hour cache: utilization and each technology's facility factor
 * change only with the hour (and its temperature). */
static void enter_hour(facility *f, size_t hour, double ambient_c)
{
    const cooling_config *cc = f->cc;
    f->hour = hour;
    f->ambient_c = ambient_c;
    f->u = workload_utilization_in_hour(f->wc, hour);
    for (uint32_t i = 0; i < f->n_used_tech; i++) {
        uint32_t k = f->used_tech[i];
        f->factor[k] = cooling_facility_mw(cc, &cc->techs[k], 1.0, 0.0, ambient_c);
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
        water += tech_it * f->cc->techs[k].wue_l_per_kwh;
    }
    *it_mw = it;
    *water_m3_per_h = water;
    return fac;
}

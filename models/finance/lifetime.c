#include "lifetime.h"

#include "sim/core/calendar.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

const char *const life_column_names[LIFE_N] = {
    "capex",      "revenue",     "energy_cost", "om",          "salvage",       "gpu_hours",
    "facility_mwh", "co2_t",     "grid_mwh",    "onsite_mwh",  "solar_mwh",     "wind_mwh",
    "battery_mwh", "curtailed_mwh", "paused_mwh", "net",        "net_pv",        "cumulative_pv"};
_Static_assert(LIFE_N == 18, "a name for every column");

size_t life_rows(double horizon_days, double facility_life_years)
{
    return (size_t)ceil((horizon_days + SIM_DAYS_PER_YEAR * facility_life_years) / 365.0) + 2;
}

void life_buy(life_books *b, double C, double t, double life_years)
{
    if (C == 0 || !(t >= 0 && t <= b->end_day) || b->n_days == 0)
        return;
    double L = life_years * SIM_DAYS_PER_YEAR, last = t;
    size_t d = (size_t)t;
    b->capex[d < b->n_days ? d : b->n_days - 1] += C; /* one bought on the last day counts in it */
    for (double s = t + L; s < b->end_day; s += L) {
        b->capex[(size_t)s] += C;
        last = s;
    }
    b->salvage += C * fmax(0.0, 1.0 - (b->end_day - last) / L);
}

/* The first whole day of row y of the yearly table (the run's calendar years). */
static double row_start(const life_books *b, size_t y) { return ceil(sim_year_start_day(b->start_date_days, y)); }

void life_close(const life_books *b, life_result *out, double *table)
{
    if (table)
        memset(table, 0, b->n_rows * LIFE_N * sizeof *table);
    double q = exp(-b->rho / SIM_DAYS_PER_YEAR), f = exp(-0.5 * b->rho / SIM_DAYS_PER_YEAR);
    double om = 0, cum = 0, last_cross = NAN, cost_pv = 0, gpuh_pv = 0, capex = 0;
    size_t row = 0;
    double next = row_start(b, 1);
    for (size_t d = 0; d < b->n_days; d++) {
        while (table && (double)d >= next && row + 1 < b->n_rows) {
            table[row * LIFE_N + LIFE_CUM_PV] = cum;
            next = row_start(b, ++row + 1);
        }
        om += b->om_step[d];
        double w = fmin(1.0, b->end_day - (double)d); /* the last day counts its part */
        bool sim = d < b->sim_days;
        double rev = w * (sim ? b->revenue[d] : b->ss_revenue), en = w * (sim ? b->energy[d] : b->ss_energy);
        double g = w * (sim ? b->gpu_hours[d] : b->ss_gpu_hours), o = w * om / SIM_DAYS_PER_YEAR;
        double mwh = w * (sim ? b->mwh[d] : b->ss_mwh), co2 = w * (sim ? b->co2[d] : b->ss_co2);
        double cap = b->capex[d], sal = d + 1 == b->n_days ? b->salvage : 0;
        double net = rev + sal - cap - en - o;
        b->cf[d] = net;
        double before = cum;
        cum += net * f;
        if (before < 0 && cum >= 0)
            last_cross = (double)d + 1.0; /* the day closes in the black */
        cost_pv += (cap + en + o - sal) * f;
        gpuh_pv += g * f;
        capex += cap;
        if (table) {
            double *r = table + row * LIFE_N;
            r[LIFE_CAPEX] += cap;
            r[LIFE_REVENUE] += rev;
            r[LIFE_ENERGY] += en;
            r[LIFE_OM] += o;
            r[LIFE_SALVAGE] += sal;
            r[LIFE_NET] += net;
            r[LIFE_NET_PV] += net * f;
            r[LIFE_GPU_HOURS] += g;
            r[LIFE_MWH] += mwh;
            r[LIFE_CO2] += co2;
            for (int e = 0; e < LIFE_E_N; e++)
                r[LIFE_BY + e] += w * (sim ? b->by[e][d] : b->ss_by[e]);
        }
        f *= q;
    }
    for (size_t y = row; table && y < b->n_rows; y++)
        table[y * LIFE_N + LIFE_CUM_PV] = cum;
    out->npv = cum;
    out->payback_day = cum >= 0 ? last_cross : NAN;
    out->cost_per_gpu_hour = gpuh_pv > 0 ? cost_pv / gpuh_pv : NAN;
    out->capex = capex;
    out->irr = life_irr(b->cf, b->n_days);
}

/* sum_d cf_d exp(-rho d / 365.25) (the middle-of-day factor has no sign). */
static double npv_days(const double *cf, size_t n, double rho)
{
    double q = exp(-rho / SIM_DAYS_PER_YEAR), v = 0;
    for (size_t d = n; d-- > 0;)
        v = v * q + cf[d];
    return v;
}

double life_irr(const double *cf, size_t n)
{
    double lo = log(0.1), hi = log(11.0);
    double flo = npv_days(cf, n, lo), fhi = npv_days(cf, n, hi);
    if (!isfinite(flo) || !isfinite(fhi) || flo == 0 || fhi == 0 || (flo > 0) == (fhi > 0))
        return NAN;
    while (hi - lo > 1e-10) {
        double mid = 0.5 * (lo + hi), fm = npv_days(cf, n, mid);
        if (fm == 0)
            return expm1(mid);
        if ((fm > 0) == (flo > 0))
            lo = mid;
        else
            hi = mid;
    }
    return expm1(0.5 * (lo + hi));
}

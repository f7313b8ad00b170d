#include "site.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/energy/climate.h"
#include "models/energy/cooling.h"
#include "models/energy/energy_system.h"
#include "models/buildout/halls.h"
#include "models/energy/meter.h"
#include "models/energy/power.h"
#include "models/buildout/racks.h"
#include "models/serving/serving.h"
#include "models/buildout/timeline.h"
#include "models/energy/workload.h"
#include "models/finance/lifetime.h"
#include "models/finance/money.h"
#include "sim/core/calendar.h"
#include "sim/core/engine.h"

#define SITE_METRIC_ROW(id, name, unit, description, flags) [id] = {name, unit, description, flags},
static const sim_metric metrics_table[M_N] = {SITE_METRICS(SITE_METRIC_ROW)};
#undef SITE_METRIC_ROW
_Static_assert(N_CAUSES == M_CAUSE_FULL - M_CAUSE_FIRST_TOKEN && N_CAUSES == M_CAUSE_MEAN - M_CAUSE_FULL,
               "one metric per cause");

typedef struct site_model {
    timeline_config tl;
    cooling_config cc;
    halls_config hc;
    power_config pc;
    racks_config rc;
    workload_config wc;
    climate_config cl;
    energy_system es;
    money_config mc;
    serving_config sv;
    serving_law *law; /* the serving TTFT law, shared by every replication (serving.h) */
    double horizon_days, step_days;
    size_t n_steps;
    long long max_events;
    const char *region, *currency;
    double usd_per_unit; /* exchange.usd_per_unit: 1 for USD, NAN unless given otherwise */
    double start_date_days; /* sim.start_date as days since 1970-01-01; NAN: none */
    double pue_limit;       /* facility.pue_limit: a regulated PUE (NAN: none) */
    char report_dates[64];  /* report.milestone_dates, comma separated ("": none) */
    const char *phase_names[TIMELINE_MAX_PHASES]; /* the phases table's rows */
    size_t n_hours; /* hourly temperatures a replication needs */
    int src_energy_metric[SOURCE_N], src_cost_metric[SOURCE_N]; /* the metrics each source's energy and cost add to */
    char src_basis_key[SOURCE_N][48];                          /* "<group>_co2_basis" without "site." */
} site_model;

/* The columns of the phases table (phases.csv). */
enum { PHASE_START, PHASE_END, PHASE_ON_PATH, PHASE_ON_PATH_FULL, PHASE_N };

/* Each source row's metrics and carbon-basis key (source.h). */
static int resolve_sources(site_model *s, sim_err *err)
{
    for (int i = 0; i < SOURCE_N; i++) {
        const source_row *r = &source_rows[i];
        s->src_energy_metric[i] = sim_metric_find(metrics_table, M_N, r->energy_metric);
        s->src_cost_metric[i] = sim_metric_find(metrics_table, M_N, r->cost_metric);
        if (s->src_energy_metric[i] < 0 || s->src_cost_metric[i] < 0)
            return sim_errf(err, "source '%s' adds to metrics '%s' and '%s', and the site's table lacks one: add it to "
                                 "SITE_METRICS (models/site/site.h)",
                            r->name, r->energy_metric, r->cost_metric);
        const char *g = strncmp(r->group, "site.", 5) == 0 ? r->group + 5 : r->group;
        snprintf(s->src_basis_key[i], sizeof s->src_basis_key[i], "%s_co2_basis", g);
    }
    return 0;
}

/* Hours of temperature a replication reads: the horizon plus a margin for
 * the last step's end, which falls just after t_end. */
static size_t site_hours(const site_model *s)
{
    return (size_t)ceil((double)s->n_steps * s->step_days * 24.0);
}

static void site_free(void *p)
{
    site_model *s = p;
    if (!s)
        return;
    climate_free(&s->cl);
    energy_system_free(&s->es);
    serving_law_free(s->law);
    free(s);
}

/* report.milestone_dates (optional): up to four dates (YYYY-MM-DD) by which
 * the report's decision page gives the share of replications that reached
 * each milestone; they need sim.start_date. */
static int load_start_date(sim_cfg *cfg, site_model *s, sim_err *err);
static int load_report_dates(sim_cfg *cfg, site_model *s, sim_err *err)
{
    size_t n;
    char where[256];
    if (sim_cfg_count(cfg, "report.milestone_dates", false, &n, err))
        return -1;
    if (n > 4)
        return sim_errf(err, "%s: report.milestone_dates: %zu dates, at most 4",
                        sim_cfg_where(cfg, "report.milestone_dates", where, sizeof where), n);
    if (n && isnan(s->start_date_days))
        return sim_errf(err, "%s: report.milestone_dates needs sim.start_date: the dates count from it",
                        sim_cfg_where(cfg, "report.milestone_dates", where, sizeof where));
    for (size_t i = 0; i < n; i++) {
        char key[64];
        const char *text;
        int64_t days;
        snprintf(key, sizeof key, "report.milestone_dates.[%zu]", i);
        if (sim_cfg_str(cfg, key, NULL, &text, err))
            return -1;
        if (sim_date_parse(text, &days) != 0)
            return sim_errf(err, "%s: %s: \"%s\" is not a date written YYYY-MM-DD",
                            sim_cfg_where(cfg, key, where, sizeof where), key, text);
        size_t l = strlen(s->report_dates);
        snprintf(s->report_dates + l, sizeof s->report_dates - l, "%s%s", i ? "," : "", text);
    }
    return 0;
}

/* sim.start_date (optional): day 0's date; it fixes sim.start_day_of_year
 * (the weather's and the hourly inputs' first day), which may then be
 * absent or must agree. */
static int load_start_date(sim_cfg *cfg, site_model *s, sim_err *err)
{
    if (!sim_cfg_has(cfg, "sim.start_date"))
        return 0;
    const char *text;
    char where[256];
    int64_t days;
    if (sim_cfg_str(cfg, "sim.start_date", NULL, &text, err))
        return -1;
    if (sim_date_parse(text, &days))
        return sim_errf(err, "%s: sim.start_date: \"%s\" is not a date written YYYY-MM-DD (years 1000-9999)",
                        sim_cfg_where(cfg, "sim.start_date", where, sizeof where), text);
    s->start_date_days = (double)days;
    int doy = sim_day_of_year(days);
    if (sim_cfg_has(cfg, "sim.start_day_of_year")) {
        double given;
        if (sim_cfg_num(cfg, "sim.start_day_of_year", 1.0, SIM_RANGE(1, 366), &given, err))
            return -1;
        if (given != doy)
            return sim_errf(err, "%s: sim.start_day_of_year: %g, but sim.start_date %s is day %d of its year: give one",
                            sim_cfg_where(cfg, "sim.start_day_of_year", where, sizeof where), given, text, doy);
        return 0;
    }
    char set[64];
    snprintf(set, sizeof set, "sim.start_day_of_year=%d.0", doy);
    return sim_cfg_set_derived(cfg, set, err);
}

/* The output steps: whole hours, no longer than the horizon. */
static int load_steps(sim_cfg *cfg, site_model *s, sim_err *err)
{
    if (s->step_days > s->horizon_days)
        return sim_errf(err, "%s: sim.step_days (%g) is longer than sim.horizon_days (%g)", sim_cfg_path(cfg),
                        s->step_days, s->horizon_days);
    double step_hours = s->step_days * 24.0;
    if (fabs(step_hours - round(step_hours)) > 1e-9) {
        char where[256];
        return sim_errf(err, "%s: sim.step_days: %g days is not a whole number of hours (%g h): the series' rows "
                             "close with hours, as the energy is dispatched",
                        sim_cfg_where(cfg, "sim.step_days", where, sizeof where), s->step_days, step_hours);
    }
    s->n_steps = (size_t)floor(s->horizon_days / s->step_days + 1e-9);
    return 0;
}

static void *site_load(sim_cfg *cfg, sim_err *err)
{
    site_model *s = sim_calloc(1, sizeof *s, err);
    if (!s) {
        sim_err_oom_for(err, "the site model");
        return NULL;
    }
    s->usd_per_unit = NAN;
    s->start_date_days = NAN;
    s->pue_limit = NAN;
    if (resolve_sources(s, err) || load_start_date(cfg, s, err) || load_report_dates(cfg, s, err)) {
        site_free(s);
        return NULL;
    }
    if (sim_cfg_num(cfg, "sim.horizon_days", 1826.0, SIM_RANGE(1, 36525), &s->horizon_days, err) ||
        sim_cfg_num(cfg, "sim.step_days", 1.0, SIM_RANGE(1.0 / 24.0, 365), &s->step_days, err) ||
        sim_cfg_int(cfg, "sim.max_events", 100000000LL, 1000, 100000000000LL, &s->max_events, err) ||
        sim_cfg_str(cfg, "region", "custom", &s->region, err) ||
        sim_cfg_str(cfg, "currency", "USD", &s->currency, err) ||
        (sim_cfg_has(cfg, "exchange.usd_per_unit") &&
         sim_cfg_num(cfg, "exchange.usd_per_unit", SIM_REQUIRED, SIM_POSITIVE, &s->usd_per_unit, err)) ||
        timeline_load(cfg, &s->tl, err) || cooling_load(cfg, &s->cc, err) ||
        halls_load(cfg, &s->tl, &s->cc, &s->hc, err) || power_load(cfg, &s->tl, &s->pc, err) ||
        racks_load(cfg, &s->tl, &s->cc, &s->hc, &s->pc, &s->rc, err) || workload_load(cfg, &s->wc, err) ||
        climate_load(cfg, &s->cl, err) || serving_load(cfg, &s->sv, err)) {
        sim_err_oom_for(err, "the site model's configuration");
        site_free(s);
        return NULL;
    }
    if (strlen(s->currency) != 3 || strspn(s->currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3) {
        char where[256];
        sim_errf(err, "%s: currency: '%.40s' is not an ISO 4217 code (three capital letters, such as EUR or USD)",
                 sim_cfg_where(cfg, "currency", where, sizeof where), s->currency);
        site_free(s);
        return NULL;
    }
    if (strcmp(s->currency, "USD") == 0 && isnan(s->usd_per_unit))
        s->usd_per_unit = 1.0;
    for (size_t i = 0; i < s->tl.n_phases; i++)
        s->phase_names[i] = s->tl.phases[i].name;
    if (sim_cfg_has(cfg, "facility.pue_limit") &&
        sim_cfg_num(cfg, "facility.pue_limit", SIM_REQUIRED, SIM_RANGE(1, 3), &s->pue_limit, err)) {
        site_free(s);
        return NULL;
    }
    /* tokens a GPU-hour serves, from the serving model's prefill rate (for the cost per million tokens) */
    double tokens = s->sv.enabled ? s->sv.prefill_tokens_per_s / s->sv.gpus_per_replica * 3600.0 : NAN;
    if (money_load(cfg, &s->rc, s->usd_per_unit, tokens, s->horizon_days, s->start_date_days, &s->mc, err)) {
        site_free(s);
        return NULL;
    }
    if (load_steps(cfg, s, err)) {
        site_free(s);
        return NULL;
    }
    if (s->sv.enabled && !(s->law = serving_law_new(&s->sv, err))) {
        site_free(s);
        return NULL;
    }
    for (size_t h = 0; h < s->hc.n_halls; h++) {
        const cooling_tech *t = &s->cc.techs[s->hc.halls[h].cooling];
        if (cooling_needs_humidity(t) && !climate_has_humidity(&s->cl)) {
            char where[256];
            sim_errf(err,
                     "%s: halls.[%zu].cooling: '%s' rejects heat by evaporation (%s) and needs the air's humidity: give "
                     "climate.monthly_dew_point_c, climate.epw, or climate.dew_point_column with climate.csv",
                     sim_cfg_where(cfg, "halls", where, sizeof where), h, t->name,
                     cooling_rejection_names[t->rejection]);
            site_free(s);
            return NULL;
        }
    }
    s->n_hours = site_hours(s);
    if (climate_prepare(&s->cl, s->n_hours, err) || energy_system_load(cfg, &s->tl, &s->pc, s->n_hours, s->start_date_days, &s->es, err)) {
        site_free(s);
        return NULL;
    }
    return s;
}

/* A comparison's ranking: first token (P10, P50, P90) is the key, ties to
 * the higher lifetime NPV; then full capacity, energy cost, CO2, cost per
 * GPU-hour and NPV over the life. */
static const sim_rank_column rank_columns[] = {
    {"time_to_first_token_days", "first_token", "first", "first token", 11, SIM_RANK_KEY | SIM_RANK_BANDS},
    {"time_to_full_capacity_days", "full_capacity", "full", "full capacity", 11, 0},
    {"energy_cost", "energy_cost", "energy", "energy cost", 11, 0},
    {"co2_t", "co2_t", "CO2 t", "CO2", 9, 0},
    {"money.lifetime.cost_per_gpu_hour", "cost_per_gpu_hour", "/GPU-h", "cost per GPU-hour", 8, 0},
    {"money.lifetime.npv", "npv_lifetime", "NPV life", "lifetime net present value", 0, SIM_RANK_TIE},
};

static void site_layout(const void *p, sim_layout *lay)
{
    const site_model *s = p;
    memset(lay, 0, sizeof *lay);
    lay->n_metrics = M_N;
    lay->metrics = metrics_table;
    static const char *const label_skip[] = {"timeline", "phases", NULL};
    lay->label_skip = label_skip;
    lay->n_rank = sizeof rank_columns / sizeof *rank_columns;
    lay->rank = rank_columns;
    lay->n_series = SERIES_N;
    lay->series_names = meter_series_names;
    lay->series_units = meter_series_units;
    lay->series_descriptions = meter_series_descriptions;
    lay->n_steps = s->n_steps;
    lay->step_days = s->step_days;
    lay->n_meta = 0;
#define META(k, v, must_match)                                                                                         \
    do {                                                                                                           \
        lay->meta_keys[lay->n_meta] = k;                                                                           \
        lay->meta_values[lay->n_meta] = v;                                                                         \
        lay->meta_must_match[lay->n_meta++] = must_match;                                                          \
    } while (0)
    META("region", s->region, 0);
    if (*s->report_dates)
        META("report_dates", s->report_dates, 0);
    META("currency", s->currency, 0);
    META("grid_co2_basis", s->pc.grid_co2_basis, 1);
    META("grid_co2_signal", s->es.marginal ? "marginal" : "average", 1);
    for (int i = 0; i < SOURCE_N; i++)
        if (s->pc.src[i].capacity_mw > 0 && s->pc.src[i].co2_basis)
            META(s->src_basis_key[i], s->pc.src[i].co2_basis, 1);
#undef META
    lay->currency = s->currency;
    lay->n_tables = 0;
    if (s->mc.on) /* the site by year over its life */
        lay->tables[lay->n_tables++] = (sim_table){"years.csv", s->mc.n_years, LIFE_N, life_column_names, NULL, NULL};
    static const char *const phase_cols[PHASE_N] = {"start_days", "end_days", "on_first_token_path",
                                                    "on_full_capacity_path"};
    lay->tables[lay->n_tables++] = (sim_table){"phases.csv", s->tl.n_phases, PHASE_N, phase_cols, s->phase_names,
                                               "phase"};
    lay->usd_per_unit = s->usd_per_unit;
    lay->start_date_days = s->start_date_days;
}

typedef struct run_ctx {
    sim_engine *eng;
    meter *m;
    const power_state *ps;
    racks_state *rs;
} run_ctx;

/* The serving periods: one event every sample_every_days (whole days, from
 * day 0); each evaluates its period's windows on the replicas online then
 * (models/serving/serving.h) and writes its row's serving columns. */
typedef struct serving_run {
    const site_model *s;
    const meter_gauges *gauges;
    double *series;
    int model_id;
    serving_period per;
    sim_hist ttft, completion; /* the run's admitted requests */
    double requests, rejected, saturated, unserved, within, worst_p99_ms;
    sim_err err;
    bool failed;
} serving_run;

static void serving_handle(sim_engine *eng, void *ctx, uint32_t kind, uint64_t k)
{
    (void)kind;
    serving_run *sr = ctx;
    const site_model *s = sr->s;
    const serving_config *c = &s->sv;
    double t = sim_now(eng);
    double anchor = c->anchor_first_token ? sr->gauges->first_token_day : 0.0;
    double replicas = sr->gauges->gpus_online * c->gpu_share / c->gpus_per_replica;
    serving_period *p = &sr->per;
    if (serving_period_eval(s->law, t, anchor, replicas, p, &sr->err)) {
        sim_fail(eng, "serving: %s", sr->err.msg);
        return;
    }
    size_t row = (size_t)floor(t / s->step_days);
    double served = p->requests - p->without_capacity;
    double p50 = sim_hist_quantile(&p->ttft, 0.5) * 1000.0, p99 = sim_hist_quantile(&p->ttft, 0.99) * 1000.0;
    if (row < s->n_steps) {
        double *o = sr->series + row * SERIES_N;
        o[SERIES_TTFT_P50_MS] = p50;
        o[SERIES_TTFT_P99_MS] = p99;
        o[SERIES_UTILIZATION] = p->peak_rho;
        o[SERIES_REQUESTS_PER_S] = p->peak_requests_per_s;
    }
    sr->requests += served;
    sr->unserved += p->without_capacity;
    sr->rejected += p->rejected;
    sr->saturated += p->saturated;
    sr->within += p->within_target;
    sim_hist_add_hist(&sr->ttft, &p->ttft, 1.0);
    sim_hist_add_hist(&sr->completion, &p->completion, 1.0);
    if (p->ttft.total > 0 && !(p99 <= sr->worst_p99_ms))
        sr->worst_p99_ms = p99;
    double next = t + c->sample_every_days;
    if (next < (double)s->n_steps * s->step_days)
        sim_schedule(eng, next, sr->model_id, 0, k + 1);
}

/* The supply changed now: the meter's capacities (it integrates up to now
 * at the old ones first), then the racks waiting for power. */
static void after_supply_change(void *p)
{
    run_ctx *rc = p;
    const power_state *ps = rc->ps;
    double now = sim_now(rc->eng);
    meter_set_capacity(rc->m, now, SOURCE_GRID, ps->firm_mw);
    meter_set_capacity(rc->m, now, SOURCE_FLEX, power_nonfirm_mw(ps));
    for (int i = 0; i < SOURCE_N; i++)
        if (source_rows[i].cls != SOURCE_CONNECTION && ps->cfg->src[i].capacity_mw > 0)
            meter_set_capacity(rc->m, now, (size_t)i, ps->rated_mw[i]);
    racks_supply_changed(rc->rs);
}

/* The hour's one owner: the meter hands each closed hour here; it is
 * dispatched (energy_system.h), then booked (money.h): the GPU-hours online
 * less those paused, and the hour's energy cost. The meter gets back what
 * was paused and the CO2 so far (its series). */
typedef struct hour_ctx {
    energy_run *er;
    money_run *mr;
    double cost_before, lost_before, co2_before;
    double by_before[LIFE_E_N]; /* the energy by source so far */
} hour_ctx;

static meter_hour_out site_hour(void *p, size_t hour, double hours, double fac_mwh, double it_mwh, double gpu_hours,
                                const double *avail_mwh)
{
    hour_ctx *hc = p;
    double paused = energy_run_hour(hc->er, hour, hours, fac_mwh, it_mwh, gpu_hours, avail_mwh);
    double cost, co2, co2m;
    dispatch_totals_now(&hc->er->ds, &cost, &co2, &co2m);
    if (hc->mr->c->on) {
        const dispatch_totals *t = &hc->er->ds.tot;
        double lost = t->gpu_hours_lost + t->dr_gpu_hours;
        money_hour_in in = {gpu_hours - (lost - hc->lost_before), gpu_hours, cost - hc->cost_before, fac_mwh - paused,
                            co2 - hc->co2_before, {0}};
        const double *m = t->source_mwh;
        double by[LIFE_E_N] = {
            [LIFE_E_GRID] = m[SOURCE_GRID] + m[SOURCE_FLEX], [LIFE_E_ONSITE] = m[SOURCE_GAS] + m[SOURCE_DIESEL] + m[SOURCE_FUEL_CELL],
            [LIFE_E_SOLAR] = m[SOURCE_SOLAR], [LIFE_E_WIND] = m[SOURCE_WIND], [LIFE_E_BATTERY] = t->batt_discharge_mwh,
            [LIFE_E_CURTAILED] = t->curtailed_mwh, [LIFE_E_PAUSED] = t->paused_mwh + t->dr_mwh};
        for (int e = 0; e < LIFE_E_N; e++) {
            in.by[e] = by[e] - hc->by_before[e];
            hc->by_before[e] = by[e];
        }
        money_hour(hc->mr, (double)hour / 24.0, &in);
        hc->cost_before = cost;
        hc->lost_before = lost;
        hc->co2_before = co2;
    }
    return (meter_hour_out){paused, co2};
}

/* The buildout's figures: milestones, racks, failures, training, the delay causes. */
static void fill_buildout(const site_model *s, const racks_stats *st, double peak_facility_mw, double *metrics)
{
    metrics[M_TTFT_DAYS] = st->t_first_token;
    metrics[M_T50_DAYS] = st->t_50pct;
    metrics[M_T90_DAYS] = st->t_90pct;
    metrics[M_T95_DAYS] = st->t_95pct;
    metrics[M_T99_DAYS] = st->t_99pct;
    metrics[M_TFULL_DAYS] = st->t_100pct;
    metrics[M_PEAK_FACILITY_MW] = peak_facility_mw;
    metrics[M_GPUS_PLANNED] = s->rc.total_gpus;
    metrics[M_GPUS_ACCEPTED] = st->gpus_accepted;
    metrics[M_RACKS_ACCEPTED] = st->racks_accepted;
    metrics[M_STRANDED_RACK_DAYS] = st->stranded_rack_days;
    metrics[M_PEAK_STRANDED] = st->peak_racks_stranded;
    metrics[M_HALL_INVENTORY] = st->hall_inventory_rack_days;
    metrics[M_WAIT_HALL] = st->wait_hall_days;
    metrics[M_WAIT_CREW] = st->wait_crew_days;
    metrics[M_WAIT_POWER] = st->wait_power_days;
    metrics[M_BURNIN] = st->burnin_days;
    metrics[M_BURNIN_FAILURES] = st->burnin_failures;
    metrics[M_HW_REPLACEMENTS] = st->hw_replacements;
    metrics[M_HW_PER_GPU_DAY] = st->gpu_days_in_service > 0 ? st->hw_replacements / st->gpu_days_in_service : NAN;
    metrics[M_GPU_DAYS_SHORT] = st->gpu_days_short_of_spares;
    metrics[M_INTERRUPTIONS] = st->interruptions;
    metrics[M_TRAINING_GOODPUT] = st->training_goodput;
    metrics[M_TRAINING_INTERRUPTIONS] = st->training_interruptions;
    metrics[M_TRAINING_LOST_GPU_HOURS] = st->training_lost_gpu_hours;
    for (int c = 0; c < N_CAUSES; c++) {
        metrics[M_CAUSE_FIRST_TOKEN + c] = st->cause_first_token[c];
        metrics[M_CAUSE_FULL + c] = st->cause_full[c];
        metrics[M_CAUSE_MEAN + c] = st->cause_mean[c];
    }
}

/* The energy system's figures: energy by source, cost, CO2, water, flexibility, demand response. */
static void fill_energy(const site_model *s, const meter_totals *tot, const energy_run *er, double *metrics)
{
    const dispatch_totals *dt = &er->ds.tot;
    double cost, co2_t, co2_market_t;
    dispatch_totals_now(&er->ds, &cost, &co2_t, &co2_market_t);
    metrics[M_IT_MWH] = tot->it_mwh;
    metrics[M_FACILITY_MWH] = tot->facility_mwh;
    metrics[M_PUE_MEAN] = tot->it_mwh > 0 ? tot->facility_mwh / tot->it_mwh : NAN;
    metrics[M_CO2_T] = co2_t;
    metrics[M_ENERGY_COST] = cost;
    metrics[M_WATER_M3] = tot->water_m3;
    metrics[M_WUE] = tot->it_mwh > 0 ? tot->water_m3 / tot->it_mwh : NAN;
    metrics[M_OVER_SUPPLY_MWH] = dt->unserved_mwh;
    metrics[M_CO2_MARKET_T] = co2_market_t;
    metrics[M_CFE_SHARE] = dt->served_mwh > 0 ? dt->cfe_mwh / dt->served_mwh : NAN;
    metrics[M_GRID_FLEX_MWH] = dt->source_mwh[SOURCE_FLEX];
    for (int i = 0; i < SOURCE_N; i++)
        metrics[s->src_energy_metric[i]] = metrics[s->src_cost_metric[i]] = 0;
    for (int i = 0; i < SOURCE_N; i++) {
        metrics[s->src_energy_metric[i]] += dt->source_mwh[i];
        metrics[s->src_cost_metric[i]] += dt->source_cost[i];
    }
    metrics[M_PPA_MWH] = dt->ppa_mwh;
    metrics[M_BATT_DISCHARGE_MWH] = dt->batt_discharge_mwh;
    metrics[M_BATT_LOSS_MWH] = dt->batt_charge_mwh - dt->batt_discharge_mwh - (er->ds.soc_mwh - s->es.dc.batt.soc_min *
                                                                                 s->es.dc.batt.energy_mwh);
    metrics[M_SPILLED_MWH] = dt->spilled_mwh;
    metrics[M_PPA_COST] = dt->ppa_cost;
    metrics[M_TARIFF_COST] = dt->tariff_cost;
    metrics[M_PEAK_GRID_MW] = dt->peak_grid_mw;
    metrics[M_CURTAILED_HOURS] = dt->curtailed_hours;
    metrics[M_CURTAILED_MWH] = dt->curtailed_mwh;
    metrics[M_PAUSED_MWH] = dt->paused_mwh;
    metrics[M_GPU_HOURS_LOST] = dt->gpu_hours_lost;
    metrics[M_DR_HOURS] = dt->dr_hours;
    metrics[M_DR_MWH] = dt->dr_mwh;
    metrics[M_DR_SAVING] = dt->dr_saving;
    metrics[M_DR_GPU_HOURS] = dt->dr_gpu_hours;
}

/* The money's figures. */
static void fill_money(const money_result *mo, double *metrics)
{
    metrics[M_MONEY_CAPEX] = mo->capex;
    metrics[M_MONEY_CAPEX_RACKS] = mo->capex_racks;
    metrics[M_MONEY_CAPEX_FACILITY] = mo->capex_facility;
    metrics[M_MONEY_CAPEX_ENERGY] = mo->capex_energy;
    metrics[M_MONEY_CARRY] = mo->carry;
    metrics[M_MONEY_CARRY_RACKS] = mo->carry_racks;
    metrics[M_MONEY_CARRY_FACILITY] = mo->carry_facility;
    metrics[M_MONEY_REVENUE_PV] = mo->revenue_pv;
    metrics[M_MONEY_OPEX_PV] = mo->opex_pv;
    metrics[M_MONEY_NPV] = mo->npv;
    metrics[M_MONEY_TERMINAL] = mo->terminal_value;
    metrics[M_MONEY_PAYBACK] = mo->payback_day;
    metrics[M_MONEY_PER_GPU_HOUR] = mo->cost_per_gpu_hour;
    metrics[M_MONEY_PER_MTOKEN] = mo->cost_per_mtoken;
    metrics[M_LIFE_NPV] = mo->life_npv;
    metrics[M_LIFE_IRR] = mo->life_irr;
    metrics[M_LIFE_PAYBACK] = mo->life_payback_day;
    metrics[M_LIFE_END] = mo->life_end_day;
    metrics[M_LIFE_CAPEX] = mo->life_capex;
    metrics[M_LIFE_PER_GPU_HOUR] = mo->life_cost_per_gpu_hour;
    metrics[M_LIFE_PER_MTOKEN] = mo->life_cost_per_mtoken;
    metrics[M_LIFE_COMPLETE] = mo->life_complete;
}

/* Serving's figures: NAN where serving is off, or nothing was asked of it. */
static void fill_serving(const site_model *s, const serving_run *sr, double *metrics)
{
    bool sv = s->sv.enabled, any = sv && sr->requests > 0;
    metrics[M_SERVING_TTFT_P50_MS] = any ? 1000.0 * sim_hist_quantile(&sr->ttft, 0.5) : NAN;
    metrics[M_SERVING_TTFT_P99_MS] = any ? 1000.0 * sim_hist_quantile(&sr->ttft, 0.99) : NAN;
    metrics[M_SERVING_TTFT_P99_WORST_MS] = sv ? sr->worst_p99_ms : NAN;
    metrics[M_SERVING_SHARE_WITHIN_TARGET] = any ? sr->within / sr->requests : NAN;
    metrics[M_SERVING_REQUESTS] = sv ? sr->requests : NAN;
    metrics[M_SERVING_REJECTED] = sv ? sr->rejected : NAN;
    metrics[M_SERVING_SHARE_SATURATED] = any ? sr->saturated / sr->requests : NAN;
    metrics[M_SERVING_UNSERVED_REQUESTS] = sv ? sr->unserved : NAN;
    metrics[M_SERVING_TARGET_MS] = sv ? s->sv.ttft_target_ms : NAN;
    bool decode = sv && s->sv.decode_tokens_per_s > 0;
    metrics[M_SERVING_COMPLETION_P50_MS] = decode && any ? 1000.0 * sim_hist_quantile(&sr->completion, 0.5) : NAN;
    metrics[M_SERVING_TPOT_MS] = decode ? 1000.0 / s->sv.decode_tokens_per_s : NAN;
}

/* Serving in this replication (when the scenario asks for it): its books and its sampling event. */
static int serving_start(serving_run *sr, const site_model *s, sim_engine *eng, meter_gauges *gauges, double *series,
                         sim_err *err)
{
    sr->s = s;
    sr->gauges = gauges;
    sr->series = series;
    sr->worst_p99_ms = NAN;
    serving_hist_init(&sr->ttft);
    serving_hist_init(&sr->completion);
    serving_hist_init(&sr->per.ttft);
    serving_hist_init(&sr->per.completion);
    sr->model_id = sim_engine_add_model(eng, "serving", serving_handle, sr, err);
    if (sr->model_id < 0)
        return -1;
    sim_schedule(eng, 0.0, sr->model_id, 0, 0);
    return 0;
}

/* One replication's models and state. */
typedef struct replication {
    sim_engine *eng;
    double t_end, t_stop;
    double *temp_c;
    double ends[TIMELINE_MAX_PHASES];
    double sites_moved; /* next_site outcomes: the moves (timeline_sample) */
    power_state ps;
    facility fac;
    meter m;
    meter_gauges gauges;
    racks_state *rs;
    run_ctx ctx;
    energy_run er;
    bool er_started;
    money_run mr;
    hour_ctx hctx;
    serving_run sr;
} replication;

/* The models wired and started in order; on failure *stage names what was being set up. */
static int replication_start(replication *r, const site_model *s, double *series, const char **stage, sim_err *err)
{
    sim_engine *eng = r->eng;
    *stage = "the hourly temperatures";
    if (!(r->temp_c = sim_calloc(s->n_hours, sizeof *r->temp_c, err)))
        return -1;
    timeline_sample(&s->tl, eng, r->ends, &r->sites_moved);
    climate_generate(&s->cl, sim_engine_rng(eng, sim_engine_stream(eng, "climate", "noise")), r->temp_c, s->n_hours);
    r->ctx = (run_ctx){eng, &r->m, &r->ps, NULL};
    r->ps.after_change = after_supply_change;
    r->ps.change_ctx = &r->ctx;
    *stage = "the power supply";
    if (power_start(&r->ps, &s->pc, eng, r->ends, err))
        return -1;
    cause_chain chain = {&s->tl, r->ends, r->ps.first_supply_phase, r->ps.t_first_supply};
    bool used[COOLING_MAX_TECHS] = {false};
    for (size_t h = 0; h < s->hc.n_halls; h++)
        used[s->hc.halls[h].cooling] = true;
    facility_init(&r->fac, &s->cc, &s->wc, used, s->cl.dew_c, s->cl.n_base, s->cl.pressure_kpa);
    facility_attach(&r->fac, &r->m);
    racks_deps deps = {&s->rc, &s->hc, &s->cc, &s->wc, &r->ps, &r->fac, &r->gauges};
    *stage = "the racks' state";
    if (!(r->rs = racks_start(&deps, eng, &chain, err)))
        return -1;
    r->ctx.rs = r->rs;
    meter_source_spec sources[SOURCE_N];
    energy_system_sources(&s->pc, sources);
    *stage = "the hourly energy inputs";
    if (energy_run_start(&r->er, &s->es, eng, r->ends, err))
        return -1;
    r->er_started = true;
    *stage = "the books";
    if (money_run_start(&r->mr, &s->mc, r->t_end, err))
        return -1;
    r->hctx = (hour_ctx){&r->er, &r->mr, 0, 0, 0, {0}};
    *stage = "the meter";
    if (meter_start(&r->m, eng, r->temp_c, s->n_hours, s->step_days, s->n_steps, series, facility_probe, &r->fac,
                    sources, SOURCE_N, &r->gauges, site_hour, &r->hctx, err))
        return -1;
    for (size_t i = 0; i < s->n_steps; i++)
        for (int col = SERIES_TTFT_P50_MS; col <= SERIES_REQUESTS_PER_S; col++)
            series[i * SERIES_N + (size_t)col] = NAN;
    *stage = "the serving model";
    return s->sv.enabled ? serving_start(&r->sr, s, eng, &r->gauges, series, err) : 0;
}

/* The phases table: each phase's start and end (days; NAN: never), 1 when it was on first token's chain, 1 when on
 * full capacity's. */
static void fill_phases(const site_model *s, const replication *r, const racks_stats *st, double *cells)
{
    for (size_t p = 0; p < s->tl.n_phases; p++) {
        double end = r->ends[p], start = timeline_phase_start(&s->tl, r->ends, p);
        bool never = end >= TIMELINE_NEVER_DAYS;
        cells[p * PHASE_N + PHASE_START] = start >= TIMELINE_NEVER_DAYS ? NAN : start;
        cells[p * PHASE_N + PHASE_END] = never ? NAN : end;
        cells[p * PHASE_N + PHASE_ON_PATH] = st->path_first_token[p] ? 1.0 : 0.0;
        cells[p * PHASE_N + PHASE_ON_PATH_FULL] = st->path_full_capacity[p] ? 1.0 : 0.0;
    }
}

/* The replication's figures, once it has run; its tables (NULL: not wanted): years.csv with money, then
 * phases.csv. */
static void replication_metrics(replication *r, const site_model *s, double *metrics, double *tables)
{
    double *years = tables && s->mc.on ? tables : NULL;
    double *phases = tables ? tables + (s->mc.on ? s->mc.n_years * LIFE_N : 0) : NULL;
    meter_finish(&r->m);
    racks_stats st;
    racks_finish(r->rs, r->t_end, &st);
    fill_buildout(s, &st, r->m.tot.peak_facility_mw, metrics);
    fill_energy(s, &r->m.tot, &r->er, metrics);
    double hall_ready[HALLS_MAX];
    for (size_t h = 0; h < s->hc.n_halls; h++)
        hall_ready[h] = halls_ready_day(&s->hc, h, r->ends);
    money_assets assets = {.t_grid = fmin(r->ps.t_grid_on, r->ps.t_flexible_on), .t_battery = r->er.t_battery,
                           .battery_mwh = s->es.dc.batt.energy_mwh, .hall_ready = hall_ready};
    for (int i = 0; i < SOURCE_N; i++) {
        assets.t_on[i] = r->ps.t_on[i];
        assets.mw[i] = s->pc.src[i].capacity_mw;
    }
    money_result mo;
    money_finish(&r->mr, r->rs, &s->hc, &assets, r->t_end, st.t_100pct, &mo, years);
    if (phases)
        fill_phases(s, r, &st, phases);
    fill_money(&mo, metrics);
    metrics[M_EVENTS] = (double)sim_events_executed(r->eng);
    bool has_grid = s->pc.grid_capacity_mw > 0 || s->pc.flexible_mw > 0;
    metrics[M_GRID_NOT_CONNECTED] = has_grid ? (fmin(r->ps.t_grid_on, r->ps.t_flexible_on) <= r->t_end ? 0.0 : 1.0) : NAN;
    bool next_site = false;
    for (size_t k = 0; k < s->tl.n_outcomes; k++)
        next_site |= s->tl.outcomes[k].then == TIMELINE_THEN_NEXT_SITE;
    metrics[M_SITES_MOVED] = next_site ? r->sites_moved : NAN;
    fill_serving(s, &r->sr, metrics);
}

/* The economic inputs of a sensitivity study: money's (money.h). */
static size_t site_economic_inputs(const void *p, sim_app_range *out, size_t max)
{
    const site_model *s = p;
    money_range r[MONEY_N_UNCERTAIN];
    size_t n = money_uncertain_inputs(&s->mc, r);
    for (size_t i = 0; i < n && i < max; i++)
        out[i] = (sim_app_range){r[i].key, r[i].low, r[i].high};
    return n < max ? n : max;
}

static int site_run(const void *p, uint64_t seed, uint64_t rep, double *metrics, double *series, double *table,
                    sim_err *err)
{
    const site_model *s = p;
    sim_engine_opts eo = {seed, rep, (uint64_t)s->max_events, 0};
    replication r;
    memset(&r, 0, sizeof r);
    r.gauges = (meter_gauges){0, 0, 0, NAN};
    if (!(r.eng = sim_engine_new(&eo, err)))
        return sim_err_oom_for(err, "the event engine (replication %llu)", (unsigned long long)rep);
    r.t_end = (double)s->n_steps * s->step_days;
    r.t_stop = nextafter(r.t_end, INFINITY); /* the last step closes just after t_end (see meter.c): so does the run */
    const char *stage = "";
    int rc = replication_start(&r, s, series, &stage, err);
    if (rc == 0) {
        stage = "the run's events and the serving law";
        rc = sim_run(r.eng, r.t_stop, err);
    }
    if (rc == 0)
        replication_metrics(&r, s, metrics, table);
    else
        sim_err_oom_for(err, "%s (replication %llu)", stage, (unsigned long long)rep);
    if (r.er_started)
        energy_run_free(&r.er);
    money_run_free(&r.mr);
    racks_free(r.rs);
    free(r.temp_c);
    sim_engine_free(r.eng);
    return rc ? -1 : 0;
}

/* The cause with the most days on average (over the replications that
 * reached the milestone) behind first token and full capacity, and the
 * timeline phase kind with the most (the binding phase), named with the
 * scenario's phases of that kind; "none" when no phase lay on the path (racks
 * ordered from day 0, after every phase had ended). */
static void site_facts(const void *p, const double *metrics, size_t n_reps, sim_facts *out)
{
    const site_model *s = p;
    static const struct {
        const char *key;
        size_t first;
        int n_causes; /* the first n causes compete */
    } groups[] = {{"dominant_cause.first_token", M_CAUSE_FIRST_TOKEN, N_CAUSES},
                  {"dominant_cause.full_capacity", M_CAUSE_FULL, N_CAUSES},
                  {"binding_phase.first_token", M_CAUSE_FIRST_TOKEN, TIMELINE_N_KINDS},
                  {"binding_phase.full_capacity", M_CAUSE_FULL, TIMELINE_N_KINDS}};
    out->n = 0;
    for (size_t g = 0; g < sizeof groups / sizeof groups[0] && out->n < SIM_MAX_FACTS; g++) {
        int best = -1;
        double best_days = -1;
        for (int c = 0; c < groups[g].n_causes; c++) {
            double sum = 0;
            size_t n = 0;
            for (size_t r = 0; r < n_reps; r++) {
                double v = metrics[r * M_N + groups[g].first + (size_t)c];
                if (isfinite(v)) {
                    sum += v;
                    n++;
                }
            }
            if (n > 0 && sum / (double)n > best_days) {
                best_days = sum / (double)n;
                best = c;
            }
        }
        snprintf(out->key[out->n], SIM_FACT_LEN, "%s", groups[g].key);
        char *v = out->value[out->n];
        bool phases = groups[g].n_causes == TIMELINE_N_KINDS;
        snprintf(v, SIM_FACT_LEN, "%s", best < 0 ? "not reached" : phases && best_days <= 0 ? "none"
                                                                                          : milestone_cause_names[best]);
        if (phases && best >= 0 && best_days > 0) {
            size_t len = strlen(v);
            const char *sep = " (";
            for (size_t i = 0; i < s->tl.n_phases && len < SIM_FACT_LEN; i++)
                if (s->tl.phases[i].kind == best) {
                    len += (size_t)snprintf(v + len, SIM_FACT_LEN - len, "%s%s", sep, s->tl.phases[i].name);
                    sep = ", ";
                }
            if (len + 2 <= SIM_FACT_LEN && strcmp(sep, ", ") == 0)
                snprintf(v + len, SIM_FACT_LEN - len, ")");
        }
        out->n++;
    }
    /* a regulated PUE (facility.pue_limit): the highest of the replications' mean PUE against it (the law
     * counts a year; the run's mean stands for it) */
    if (!isnan(s->pue_limit) && out->n < SIM_MAX_FACTS) {
        double *v = sim_calloc(n_reps, sizeof *v, NULL); /* none: the fact is left out */
        size_t k = 0;
        for (size_t r = 0; v && r < n_reps; r++)
            if (isfinite(metrics[r * M_N + M_PUE_MEAN]))
                v[k++] = metrics[r * M_N + M_PUE_MEAN];
        double worst = -INFINITY;
        for (size_t i = 0; i < k; i++)
            worst = fmax(worst, v[i]);
        free(v);
        snprintf(out->key[out->n], SIM_FACT_LEN, "regulation.pue_limit");
        if (k == 0)
            snprintf(out->value[out->n], SIM_FACT_LEN, "no IT load: not assessed");
        else
            snprintf(out->value[out->n], SIM_FACT_LEN, "%s: PUE up to %.3f against %.2f",
                     worst <= s->pue_limit ? "met" : "exceeded", worst, s->pue_limit);
        out->n++;
    }
}

const racks_config *site_racks(const void *model)
{
    return &((const site_model *)model)->rc;
}

/* For the report: what held a run back (the facts site_facts draws and the
 * delay_days_by_cause metrics), and what each of the site's charts shows. */
static const sim_held_back held_back = {
    .cause = "dominant_cause",
    .phase = "binding_phase",
    .by_cause = "delay_days_by_cause",
    .n_milestones = 2,
    .milestone = {"first_token", "full_capacity"},
    .milestone_words = {"first token", "full capacity"},
    .n_groups = 3,
    .group = {"first_token", "full_capacity", "mean_per_rack"},
    .group_head = {"days to first token (mean)", "days to full capacity (mean)", "days per rack to acceptance (mean)"},
};

static const sim_caption captions[] = {
    {"cashflow", "Cash flow by year over the site's life, and the discounted running sum to payback."},
    {"delay_causes", "Days by cause along the critical path to each milestone."},
    {"energy", "Energy by source, year by year over the horizon, and what was curtailed or paused."},
    {"gantt", "The timeline's phases: median start to median end, the P10-P90 of each end, and how often each was on "
              "first token's critical path (red) and on full capacity's (underlined)."},
    {"gpus_online", "GPUs accepted and serving over time."},
    {"milestones_cdf", "When milestones are reached: the share of replications by each date."},
    {"power_mw", "IT and facility power against the supply energized."},
    {"pue_ambient", "PUE with the weather."},
    {"serving_ttft", "Inference time to first token and demand on the capacity online."},
    {"compare_co2_cumulative", "Cumulative CO2 per scenario."},
    {"compare_delay_causes", "Days by cause per scenario."},
    {"compare_first_token_cdf", "When first token comes in each scenario: the share of replications by each date."},
    {"compare_facility_mw", "Facility power per scenario."},
    {"compare_gpus_online", "GPUs online per scenario."},
    {"compare_pue", "PUE per scenario."},
    {"ranking", "Sites ranked by first token: P50 with the P10-P90 range, and full capacity."},
    {"compare_ranking", "Scenarios ranked by first token: P50 with the P10-P90 range, and full capacity."},
    {"money", "Net present value over the life and energy cost over the horizon by site."},
};

/* The report's decision page: the figures a buildout is decided on. */
/* The figures in words (the report's row heads), those on the decision page marked true, in its order. */
static const sim_label labels[] = {
    {"time_to_first_token_days", "First token", true},
    {"time_to_full_capacity_days", "Full capacity", true},
    {"money.lifetime.cost_per_gpu_hour", "Cost per GPU-hour over the life", true},
    {"money.lifetime.npv", "Net present value over the life", true},
    {"money.lifetime.irr", "Internal rate of return", true},
    {"money.cost_of_delay", "Carrying cost of capital waiting", true},
    {"co2_t", "CO2 over the horizon", true},
    {"time_to_50pct_capacity_days", "Half capacity", false},
    {"time_to_90pct_capacity_days", "90 % capacity", false},
    {"time_to_95pct_capacity_days", "95 % capacity", false},
    {"time_to_99pct_capacity_days", "99 % capacity", false},
    {"it_energy_mwh", "IT energy", false},
    {"facility_energy_mwh", "Facility energy", false},
    {"pue_mean", "PUE", false},
    {"energy_cost", "Energy cost", false},
    {"water_m3", "Water", false},
    {"money.capex", "Capital spent", false},
    {"money.npv", "Net present value over the horizon", false},
    {"peak_facility_mw", "Peak draw", false},
    {"gpus_accepted", "GPUs accepted", false},
    {"stranded_rack_days", "Racks waiting for power", false},
    {"hall_inventory_rack_days", "Racks waiting for a hall", false},
    {"training.goodput", "Training goodput", false},
    {"demand_response.saving", "Demand response saving", false},
    {"demand_response.gpu_hours_lost", "GPU-hours paused", false},
    {"money.lifetime.complete", "Lifetime from a finished site", false},
    {"grid_not_connected", "Grid not connected", false},
    {"serving.ttft_p50_ms", "Median time to first token of a request", false},
    {"serving.ttft_p99_ms", "P99 time to first token of a request", false},
    {"serving.ttft_p99_worst_period_ms", "Worst period's P99 time to first token", false},
    {"serving.share_within_ttft_target", "Requests within the target", false},
    {"serving.requests", "Requests", false},
    {"serving.requests_rejected", "Requests rejected", false},
    {"serving.share_requests_saturated", "Requests in saturated windows", false},
    {"serving.requests_without_capacity", "Requests with no replica online", false},
    {"serving.ttft_target_ms", "Time-to-first-token target", false},
    {"serving.completion_p50_ms", "Median completion time", false},
    {"serving.time_per_output_token_ms", "Time per output token", false},
};

const sim_app site_app = {
    .name = "site",
    .metrics = metrics_table,
    .n_metrics = M_N,
    .load = site_load,
    .free = site_free,
    .layout = site_layout,
    .run = site_run,
    .economic_inputs = site_economic_inputs,
    .facts = site_facts,
    .held = &held_back,
    .captions = captions,
    .n_captions = sizeof captions / sizeof *captions,
    .report_header_keys = (const char *const[]){"region", "currency", NULL},
    .labels = labels,
    .n_labels = sizeof labels / sizeof *labels,
    .decision_question_run = "When does %s serve its first token and reach full capacity, what does it cost and "
                             "earn over its life, and what held it back?",
    .decision_question_compare = "Which is the better buildout: %s? Sooner, cheaper per GPU-hour, worth more over "
                                 "its life, with less CO2?",
};

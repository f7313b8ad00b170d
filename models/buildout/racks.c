#include "racks.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/entityq.h"
#include "sim/rng.h"

#define DAYS_PER_MONTH 30.4375 /* 365.25 / 12: a calendar fact, not a model parameter */

enum {
    EV_ORDER = 1,
    EV_DELIVER,
    EV_HALL_READY,
    EV_INSTALL_DONE,
    EV_BURNIN_DONE,
    EV_BURNIN_REPAIRED
};
_Static_assert(RACKS_MAX_TOTAL <= SIM_ENTITYQ_MAX_ENTITIES, "racks fit the failure queue");

enum { ST_ORDERED, ST_WAIT_HALL, ST_WAIT_CREW, ST_INSTALLING, ST_WAIT_POWER, ST_BURNIN, ST_BURNIN_REPAIR, ST_SERVING, ST_FAILED };

enum { RNG_DELIVERY, RNG_INSTALL, RNG_BURNIN, RNG_FAILURE, RNG_N };
_Static_assert(RNG_N == RACKS_RNG_STREAMS, "racks.h declares the streams it uses");

/* A rack's state, and everything a failure or a repair reads or writes: 32
 * bytes, two to a cache line, with its node in the failure queue (key and
 * link, sim_entityq_init_in), so that the line the queue brings in when
 * it sorts the rack's bin is the one the change then works on. */
typedef struct rack_rt {
    sim_key fail_key;   /* the failure queue's node: its pending key */
    uint32_t fail_next; /* and the next rack in its bin */
    uint8_t type, state;
    uint8_t tech;       /* its hall's cooling technology, once it has a hall */
    sim_rng fail_rng;   /* its own stream for lifetimes and repairs, in turn */
} rack_rt;
_Static_assert(sizeof(rack_rt) == 32, "rack_rt fills half a cache line");
_Static_assert(RACKS_MAX_TYPES <= 256 && COOLING_MAX_TECHS <= 256, "rack_rt.type and .tech are bytes");

/* When each step of a rack's buildout happened: read by the buildout's
 * events and the delay causes, never by a failure. */
typedef struct rack_log {
    int32_t hall;
    uint16_t n_burnin; /* occurrences, for keyed draws */
    double t_delivered, t_assigned, t_install_start, t_installed, t_energized, t_accepted;
} rack_log;

typedef struct fifo {
    uint32_t *v;
    size_t head, tail;
} fifo;

struct racks_state {
    racks_deps d;
    sim_engine *eng;
    int model_id;
    uint32_t first_stream;
    rack_rt *racks; /* aligned to 64 bytes */
    rack_log *logs;
    hall_rt *halls;
    fifo *by_type;     /* delivered racks waiting for a hall, one FIFO per type */
    fifo crew_q, power_q;
    /* Failures and repairs, outside the engine's pending set (its sync,
     * racks_sync): every accepted rack whose type fails is due here at its
     * next failure (in service) or repair (failed), until the horizon. */
    sim_entityq fail_q;
    long long crews_free;
    size_t n_delivered;
    double t_first_delivery, t_order;
    double type_hall_ready[RACKS_MAX_TYPES]; /* first day a hall able to take the type was ready */
    long long serving;
    double gpus_online, gpus_accepted, racks_accepted, stranded;
    double last_stranded_t, stranded_rack_days, peak_stranded;
    double sum_wait_hall, sum_wait_crew, sum_wait_power, sum_burnin;
    double burnin_failures, service_failures;
    milestones ms;
};

/* ------------------------------------------------------------------ load */

static int type_find(const racks_config *rc, const char *name)
{
    for (size_t i = 0; i < rc->n_types; i++)
        if (strcmp(rc->types[i].name, name) == 0)
            return (int)i;
    return -1;
}

int racks_load(sim_cfg *cfg, const timeline_config *tl, const cooling_config *cc, const halls_config *hc,
               const power_config *pc, racks_config *rc, sim_err *err)
{
    memset(rc, 0, sizeof *rc);
    char key[256], where[256];
    size_t n;
    if (sim_cfg_count(cfg, "rack_types", true, &n, err))
        return -1;
    if (n == 0 || n > RACKS_MAX_TYPES)
        return sim_errf(err, "%s: rack_types: needs 1 to %d rack types (has %zu)",
                        sim_cfg_where(cfg, "rack_types", where, sizeof where), RACKS_MAX_TYPES, n);
    rc->n_types = n;
    for (size_t i = 0; i < n; i++) {
        rack_type *t = &rc->types[i];
        const char *name;
#define K(field) (snprintf(key, sizeof key, "rack_types.[%zu]." field, i), key)
        if (sim_cfg_str(cfg, K("name"), NULL, &name, err))
            return -1;
        if (!*name || strlen(name) >= TIMELINE_NAME_LEN || type_find(rc, name) >= 0)
            return sim_errf(err, "%s: %s: rack type names must be unique, 1 to %d characters",
                            sim_cfg_where(cfg, key, where, sizeof where), key, TIMELINE_NAME_LEN - 1);
        sim_dist zero = sim_dist_constant(0.0);
        if (sim_cfg_int(cfg, K("gpus"), SIM_INT_REQUIRED, 1, 100000, &t->gpus, err) ||
            sim_cfg_num(cfg, K("idle_kw"), SIM_REQUIRED, SIM_NONNEG, &t->idle_kw, err) ||
            sim_cfg_num(cfg, K("peak_kw"), SIM_REQUIRED, SIM_POSITIVE, &t->peak_kw, err) ||
            sim_cfg_num(cfg, K("price_usd"), 0.0, SIM_NONNEG, &t->price_usd, err) ||
            sim_cfg_bool(cfg, K("liquid"), -1, &t->liquid, err) ||
            sim_cfg_dist(cfg, K("install_days"), NULL, SIM_NONNEG, &t->install_days, err) ||
            sim_cfg_num(cfg, K("mtbf_days"), 0.0, SIM_NONNEG, &t->mtbf_days, err) ||
            sim_cfg_dist(cfg, K("mttr_days"), &zero, SIM_NONNEG, &t->mttr_days, err))
            return -1;
        if (t->idle_kw > t->peak_kw)
            return sim_errf(err, "%s: %s: idle_kw (%g) is above peak_kw (%g)",
                            sim_cfg_where(cfg, K("idle_kw"), where, sizeof where), key, t->idle_kw, t->peak_kw);
#undef K
        snprintf(t->name, sizeof t->name, "%s", name);
    }
    if (sim_cfg_count(cfg, "racks.orders", true, &n, err))
        return -1;
    if (n == 0 || n > RACKS_MAX_ORDERS)
        return sim_errf(err, "%s: racks.orders: needs 1 to %d orders (has %zu)",
                        sim_cfg_where(cfg, "racks.orders", where, sizeof where), RACKS_MAX_ORDERS, n);
    rc->n_orders = n;
    for (size_t i = 0; i < n; i++) {
        const char *tn;
        snprintf(key, sizeof key, "racks.orders.[%zu].type", i);
        if (sim_cfg_str(cfg, key, NULL, &tn, err))
            return -1;
        int ti = type_find(rc, tn);
        if (ti < 0)
            return sim_errf(err, "%s: %s: unknown rack type '%s' (not in rack_types)",
                            sim_cfg_where(cfg, key, where, sizeof where), key, tn);
        rc->order_type[i] = (size_t)ti;
        snprintf(key, sizeof key, "racks.orders.[%zu].count", i);
        if (sim_cfg_int(cfg, key, SIM_INT_REQUIRED, 1, RACKS_MAX_TOTAL, &rc->order_count[i], err))
            return -1;
        rc->total_racks += (size_t)rc->order_count[i];
        rc->total_gpus += (double)(rc->order_count[i] * rc->types[ti].gpus);
        if (rc->total_racks > RACKS_MAX_TOTAL)
            return sim_errf(err, "%s: racks.orders: more than %d racks in all", sim_cfg_where(cfg, key, where, sizeof where),
                            RACKS_MAX_TOTAL);
        /* A rack that no hall can ever take, or no supply can ever power,
         * would wait forever: say so now. */
        const rack_type *t = &rc->types[ti];
        bool fits = false, fits_power = false;
        double supply_max = pc->grid_capacity_mw + pc->onsite_capacity_mw;
        for (size_t h = 0; h < hc->n_halls; h++) {
            const cooling_tech *ct = &cc->techs[hc->halls[h].cooling];
            if (halls_fits(hc, cc, h, t->liquid, t->peak_kw)) {
                fits = true;
                double need = t->peak_kw / 1000.0 * cooling_design_pue(cc, ct) + cc->fixed_overhead_frac * hc->halls[h].it_capacity_mw;
                if (need <= supply_max)
                    fits_power = true;
            }
        }
        if (!fits)
            return sim_errf(err, "%s: %s: rack type '%s' (%g kW peak%s) fits no hall: no hall has %s enough IT capacity",
                            sim_cfg_where(cfg, key, where, sizeof where), key, tn, t->peak_kw,
                            t->liquid ? ", liquid-cooled" : "", t->liquid ? "liquid cooling and" : "");
        if (!fits_power)
            return sim_errf(err, "%s: %s: rack type '%s' needs more power than the site can ever supply (%g MW)",
                            sim_cfg_where(cfg, key, where, sizeof where), key, tn, supply_max);
    }
    sim_dist zero = sim_dist_constant(0.0);
    if (timeline_cfg_phase(cfg, tl, "racks.order_after", NULL, &rc->order_after_phase, err) ||
        sim_cfg_dist(cfg, "racks.lead_days", NULL, SIM_NONNEG, &rc->lead_days, err) ||
        sim_cfg_num(cfg, "racks.per_month", SIM_REQUIRED, SIM_POSITIVE, &rc->per_month, err) ||
        sim_cfg_int(cfg, "racks.crews", SIM_INT_REQUIRED, 1, 100000, &rc->crews, err) ||
        sim_cfg_dist(cfg, "racks.burnin_days", NULL, SIM_NONNEG, &rc->burnin_days, err) ||
        sim_cfg_num(cfg, "racks.burnin_fail_prob", 0.0, SIM_RANGE(0, 0.99), &rc->burnin_fail_prob, err) ||
        sim_cfg_dist(cfg, "racks.burnin_repair_days", &zero, SIM_NONNEG, &rc->burnin_repair_days, err) ||
        sim_cfg_int(cfg, "first_token.min_racks", 1, 1, RACKS_MAX_TOTAL, &rc->first_token_racks, err))
        return -1;
    if ((size_t)rc->first_token_racks > rc->total_racks)
        return sim_errf(err, "%s: first_token.min_racks: %lld racks, but only %zu are ordered",
                        sim_cfg_where(cfg, "first_token.min_racks", where, sizeof where), rc->first_token_racks,
                        rc->total_racks);
    return 0;
}

/* ------------------------------------------------------------------ run */

/* Rack `rack`'s own stream for its `occ`-th event of this kind: keyed, so
 * its draws do not depend on the order in which racks reach that point. */
static sim_rng rng_for(racks_state *rs, int which, uint64_t rack, uint64_t occ)
{
    return sim_engine_keyed(rs->eng, rs->first_stream + (uint32_t)which, rack, occ);
}

/* A duration: negative samples (a normal's left tail) count as zero. */
static double duration(const sim_dist *d, sim_rng *r)
{
    double v = sim_dist_sample(d, r);
    return v > 0 ? v : 0;
}

static double draw(racks_state *rs, int which, const sim_dist *d, uint64_t rack, uint64_t occ)
{
    sim_rng r = rng_for(rs, which, rack, occ);
    return duration(d, &r);
}

/* Rack r's failure stream: its lifetimes and repair times, drawn in turn
 * from one keyed stream of its own, started at its acceptance, so they do
 * not depend on other racks. */
static void fail_rng_start(racks_state *rs, uint32_t r)
{
    rs->racks[r].fail_rng = rng_for(rs, RNG_FAILURE, r, 0);
}

static void stranded_add(racks_state *rs, double delta)
{
    double now = sim_now(rs->eng);
    rs->stranded_rack_days += rs->stranded * (now - rs->last_stranded_t);
    rs->last_stranded_t = now;
    rs->stranded += delta;
    if (rs->stranded > rs->peak_stranded)
        rs->peak_stranded = rs->stranded;
    rs->d.gauges->racks_stranded = rs->stranded;
}

/* When each step of rack r's buildout happened (milestones.h). */
static rack_times times_of(const racks_state *rs, uint32_t r)
{
    const rack_log *lg = &rs->logs[r];
    return (rack_times){rs->t_order, rs->type_hall_ready[rs->racks[r].type], lg->t_delivered, lg->t_assigned,
                        lg->t_installed, lg->t_energized};
}

/* Rack r went into service at `now`: the milestones it may have reached. */
static inline void rack_milestones(racks_state *rs, uint32_t r, double now)
{
    if (!rs->ms.done) {
        rack_times rt = times_of(rs, r);
        milestones_reached(&rs->ms, rs->serving, rs->gpus_accepted, &rt, now);
        rs->d.gauges->first_token_day = rs->ms.t_first_token;
    }
}


static void assign_halls(racks_state *rs)
{
    const racks_config *rc = rs->d.rc;
    const halls_config *hc = rs->d.hc;
    double now = sim_now(rs->eng);
    for (;;) {
        /* Earliest-delivered head among the type queues that can be placed. */
        int best_t = -1;
        size_t best_h = 0;
        for (size_t t = 0; t < rc->n_types; t++) {
            fifo *q = &rs->by_type[t];
            if (q->head == q->tail)
                continue;
            uint32_t r = q->v[q->head];
            if (best_t >= 0 && rs->logs[r].t_delivered >= rs->logs[rs->by_type[best_t].v[rs->by_type[best_t].head]].t_delivered)
                continue;
            const rack_type *ty = &rc->types[t];
            for (size_t h = 0; h < hc->n_halls; h++) {
                if (halls_can_take(hc, rs->d.cc, rs->halls, h, ty->liquid, ty->peak_kw)) {
                    best_t = (int)t;
                    best_h = h;
                    break;
                }
            }
        }
        if (best_t < 0)
            return;
        fifo *q = &rs->by_type[best_t];
        uint32_t r = q->v[q->head++];
        rs->logs[r].hall = (int32_t)best_h;
        rs->logs[r].t_assigned = now;
        rs->racks[r].tech = (uint8_t)rs->halls[best_h].tech;
        rs->racks[r].state = ST_WAIT_CREW;
        rs->halls[best_h].cap_left_kw -= rc->types[best_t].peak_kw;
        rs->crew_q.v[rs->crew_q.tail++] = r;
    }
}

static void dispatch_crews(racks_state *rs)
{
    double now = sim_now(rs->eng);
    while (rs->crews_free > 0 && rs->crew_q.head < rs->crew_q.tail) {
        uint32_t r = rs->crew_q.v[rs->crew_q.head++];
        rack_rt *rk = &rs->racks[r];
        rs->crews_free--;
        rk->state = ST_INSTALLING;
        rs->logs[r].t_install_start = now;
        double d = draw(rs, RNG_INSTALL, &rs->d.rc->types[rk->type].install_days, r, 0);
        sim_schedule(rs->eng, now + d, rs->model_id, EV_INSTALL_DONE, r);
    }
}

static void start_burnin(racks_state *rs, uint32_t r)
{
    rack_rt *rk = &rs->racks[r];
    const rack_type *ty = &rs->d.rc->types[rk->type];
    rk->state = ST_BURNIN;
    facility_add(rs->d.fac, sim_now(rs->eng), rk->tech, 1, 0, 0, ty->peak_kw * rs->d.wc->burnin_utilization, 0);
    double d = draw(rs, RNG_BURNIN, &rs->d.rc->burnin_days, r, 2u * rs->logs[r].n_burnin);
    sim_schedule(rs->eng, sim_now(rs->eng) + d, rs->model_id, EV_BURNIN_DONE, r);
}

static void try_energize(racks_state *rs)
{
    double now = sim_now(rs->eng);
    while (rs->power_q.head < rs->power_q.tail) {
        uint32_t r = rs->power_q.v[rs->power_q.head];
        rack_rt *rk = &rs->racks[r];
        hall_rt *hr = &rs->halls[rs->logs[r].hall];
        const rack_type *ty = &rs->d.rc->types[rk->type];
        double need = ty->peak_kw / 1000.0 * hr->design_pue + (hr->energized ? 0.0 : hr->fixed_mw);
        if (!power_try_reserve(rs->d.ps, need))
            return; /* first come, first served */
        rs->power_q.head++;
        if (!hr->energized)
            facility_add(rs->d.fac, now, hr->tech, 0, 0, 0, 0, hr->fixed_mw);
        hr->energized = true;
        rs->logs[r].t_energized = now;
        stranded_add(rs, -1.0);
        start_burnin(rs, r);
    }
}

/* Rack r starts serving at `now` (accepted, or repaired); returns the time
 * of its next failure, INFINITY when its type does not fail. Inline: half
 * the failure queue's changes are repairs (-1.6 % instructions per
 * replication, callgrind). */
static inline __attribute__((always_inline)) double go_online(racks_state *rs, uint32_t r, double now)
{
    rack_rt *rk = &rs->racks[r];
    const rack_type *ty = &rs->d.rc->types[rk->type];
    rk->state = ST_SERVING;
    facility_add(rs->d.fac, now, rk->tech, 1, ty->idle_kw, ty->peak_kw - ty->idle_kw, 0, 0);
    rs->serving++;
    rs->gpus_online += (double)ty->gpus;
    rs->d.gauges->gpus_online = rs->gpus_online;
    if (!(ty->mtbf_days > 0))
        return INFINITY; /* it does not fail */
    return now + ty->mtbf_days * sim_rng_exponential(&rk->fail_rng);
}

/* Rack r fails in service at `now`; returns the time it is repaired. */
static double rack_fail(racks_state *rs, uint32_t r, double now)
{
    rack_rt *rk = &rs->racks[r];
    const rack_type *ty = &rs->d.rc->types[rk->type];
    rk->state = ST_FAILED;
    facility_add(rs->d.fac, now, rk->tech, -1, -ty->idle_kw, -(ty->peak_kw - ty->idle_kw), 0, 0);
    rs->serving--;
    rs->gpus_online -= (double)ty->gpus;
    rs->d.gauges->gpus_online = rs->gpus_online;
    rs->service_failures++;
    return now + duration(&ty->mttr_days, &rk->fail_rng);
}

/* The engine's sync: applies the failures and repairs due up to t, in order
 * of (time, when they were drawn); they count as the engine's events (its
 * cap included), and come before an engine event at the same time. */
static void racks_sync(sim_engine *eng, void *ctx, double t)
{
    racks_state *rs = ctx;
    uint64_t left = sim_engine_charge(eng, 0), n = 0;
    sim_entityq *q = &rs->fail_q;
    while (q->due <= t && q->due < INFINITY && n < left) {
        double now = q->due;
        uint32_t r = sim_entityq_top(q);
        double next;
        if (rs->racks[r].state == ST_SERVING) {
            next = rack_fail(rs, r, now);
        } else {
            next = go_online(rs, r, now);
            rack_milestones(rs, r, now);
        }
        sim_entityq_replace_top(q, next);
        n++;
    }
    sim_engine_charge(eng, n);
}

static void racks_handle(sim_engine *eng, void *ctx, uint32_t kind, uint64_t arg)
{
    racks_state *rs = ctx;
    const racks_config *rc = rs->d.rc;
    double now = sim_now(eng);
    uint32_t r = (uint32_t)arg;
    switch (kind) {
    case EV_ORDER: {
        rs->t_order = now;
        double lead = draw(rs, RNG_DELIVERY, &rc->lead_days, 0, 0);
        rs->t_first_delivery = now + lead;
        sim_schedule(eng, rs->t_first_delivery, rs->model_id, EV_DELIVER, 0);
        break;
    }
    case EV_DELIVER: {
        rack_rt *rk = &rs->racks[r];
        rk->state = ST_WAIT_HALL;
        rs->logs[r].t_delivered = now;
        rs->n_delivered++;
        rs->d.gauges->racks_delivered = (double)rs->n_delivered;
        stranded_add(rs, 1.0);
        fifo *q = &rs->by_type[rk->type];
        q->v[q->tail++] = r;
        if ((size_t)r + 1 < rc->total_racks)
            sim_schedule(eng, rs->t_first_delivery + (double)(r + 1) * DAYS_PER_MONTH / rc->per_month, rs->model_id,
                         EV_DELIVER, r + 1);
        assign_halls(rs);
        dispatch_crews(rs);
        break;
    }
    case EV_HALL_READY:
        rs->halls[r].ready = true;
        for (size_t t = 0; t < rc->n_types; t++)
            if (isinf(rs->type_hall_ready[t]) && halls_fits(rs->d.hc, rs->d.cc, r, rc->types[t].liquid, rc->types[t].peak_kw))
                rs->type_hall_ready[t] = now;
        assign_halls(rs);
        dispatch_crews(rs);
        break;
    case EV_INSTALL_DONE: {
        rack_rt *rk = &rs->racks[r];
        rk->state = ST_WAIT_POWER;
        rs->logs[r].t_installed = now;
        rs->crews_free++;
        rs->power_q.v[rs->power_q.tail++] = r;
        dispatch_crews(rs);
        try_energize(rs);
        break;
    }
    case EV_BURNIN_DONE: {
        rack_rt *rk = &rs->racks[r];
        rack_log *lg = &rs->logs[r];
        const rack_type *ty = &rc->types[rk->type];
        facility_add(rs->d.fac, now, rk->tech, -1, 0, 0, -ty->peak_kw * rs->d.wc->burnin_utilization, 0);
        sim_rng g = rng_for(rs, RNG_BURNIN, r, 2u * lg->n_burnin + 1u);
        bool failed = rc->burnin_fail_prob > 0 && sim_rng_uniform(&g) < rc->burnin_fail_prob;
        double repair = failed ? duration(&rc->burnin_repair_days, &g) : 0.0;
        lg->n_burnin++;
        if (failed) {
            rk->state = ST_BURNIN_REPAIR;
            rs->burnin_failures++;
            sim_schedule(eng, now + repair, rs->model_id, EV_BURNIN_REPAIRED, r);
            break;
        }
        rs->racks_accepted++;
        rs->gpus_accepted += (double)ty->gpus;
        rs->sum_wait_hall += lg->t_assigned - lg->t_delivered;
        rs->sum_wait_crew += lg->t_install_start - lg->t_assigned;
        rs->sum_wait_power += lg->t_energized - lg->t_installed;
        rs->sum_burnin += now - lg->t_energized;
        lg->t_accepted = now;
        fail_rng_start(rs, r);
        rack_times rt = times_of(rs, r);
        milestones_accepted(&rs->ms, &rt, now);
        sim_entityq_add(&rs->fail_q, r, go_online(rs, r, now));
        rack_milestones(rs, r, now);
        break;
    }
    case EV_BURNIN_REPAIRED:
        start_burnin(rs, r);
        break;
    default:
        sim_fail(eng, "racks: unknown event kind %u", kind);
    }
}

void racks_supply_changed(void *ctx)
{
    try_energize(ctx);
}

double racks_failure_changes_per_day(const racks_config *rc)
{
    double per_day = 0;
    for (size_t o = 0; o < rc->n_orders; o++) {
        double mtbf = rc->types[rc->order_type[o]].mtbf_days;
        if (mtbf > 0)
            per_day += 2.0 * (double)rc->order_count[o] / mtbf;
    }
    return per_day;
}

racks_state *racks_start(const racks_deps *deps, sim_engine *eng, const double *phase_end_days, double horizon_days,
                         uint32_t first_rng_stream, sim_err *err)
{
    const racks_config *rc = deps->rc;
    const halls_config *hc = deps->hc;
    racks_state *rs = sim_calloc(1, sizeof *rs, err);
    if (!rs)
        return NULL;
    rs->d = *deps;
    rs->eng = eng;
    milestones_init(&rs->ms, rc->first_token_racks, rc->total_gpus);
    for (size_t t = 0; t < RACKS_MAX_TYPES; t++)
        rs->type_hall_ready[t] = INFINITY;
    rs->crews_free = rc->crews;
    size_t n = rc->total_racks;
    /* Aligned, so that no rack's record straddles two cache lines. */
    rs->racks = sim_aligned_alloc(64, (n ? n : 1) * sizeof *rs->racks, err);
    rs->logs = sim_calloc(n, sizeof *rs->logs, err);
    rs->halls = sim_calloc(hc->n_halls, sizeof *rs->halls, err);
    rs->by_type = sim_calloc(rc->n_types, sizeof *rs->by_type, err);
    rs->crew_q.v = sim_calloc(n, sizeof(uint32_t), err);
    rs->power_q.v = sim_calloc(n, sizeof(uint32_t), err);
    if (!rs->racks || !rs->logs || !rs->halls || !rs->by_type || !rs->crew_q.v || !rs->power_q.v) {
        racks_free(rs);
        return NULL;
    }
    if (sim_entityq_init_in(&rs->fail_q, (uint32_t)n, horizon_days, racks_failure_changes_per_day(rc),
                            &rs->racks[0].fail_key, &rs->racks[0].fail_next, sizeof *rs->racks, err)) {
        racks_free(rs);
        return NULL;
    }
    size_t per_type[RACKS_MAX_TYPES] = {0};
    size_t k = 0;
    for (size_t o = 0; o < rc->n_orders; o++)
        for (long long j = 0; j < rc->order_count[o]; j++) {
            rs->racks[k].type = (uint8_t)rc->order_type[o];
            rs->logs[k].hall = -1;
            rs->racks[k].state = ST_ORDERED;
            per_type[rc->order_type[o]]++;
            k++;
        }
    for (size_t t = 0; t < rc->n_types; t++) {
        rs->by_type[t].v = sim_calloc(per_type[t], sizeof(uint32_t), err);
        if (!rs->by_type[t].v) {
            racks_free(rs);
            return NULL;
        }
    }
    rs->first_stream = first_rng_stream;
    int id = sim_engine_add_model(eng, "racks", racks_handle, rs, err);
    if (id < 0) {
        racks_free(rs);
        return NULL;
    }
    rs->model_id = id;
    if (sim_engine_add_sync(eng, racks_sync, rs, &rs->fail_q.due, err)) {
        racks_free(rs);
        return NULL;
    }
    halls_runtime_init(hc, deps->cc, rs->halls);
    for (size_t h = 0; h < hc->n_halls; h++) {
        const hall_spec *hs = &hc->halls[h];
        sim_schedule(eng, phase_end_days[hs->ready_after_phase] + hs->offset_days, id, EV_HALL_READY, h);
    }
    sim_schedule(eng, phase_end_days[rc->order_after_phase], id, EV_ORDER, 0);
    return rs;
}

void racks_finish(racks_state *rs, double t_end, racks_stats *st)
{
    rs->stranded_rack_days += rs->stranded * (t_end - rs->last_stranded_t);
    rs->last_stranded_t = t_end;
    double acc = rs->racks_accepted;
    st->t_first_token = rs->ms.t_first_token;
    st->t_50pct = rs->ms.t_50;
    st->t_90pct = rs->ms.t_90;
    st->t_100pct = rs->ms.t_100;
    st->racks_accepted = acc;
    st->gpus_accepted = rs->gpus_accepted;
    st->wait_hall_days = acc > 0 ? rs->sum_wait_hall / acc : NAN;
    st->wait_crew_days = acc > 0 ? rs->sum_wait_crew / acc : NAN;
    st->wait_power_days = acc > 0 ? rs->sum_wait_power / acc : NAN;
    st->burnin_days = acc > 0 ? rs->sum_burnin / acc : NAN;
    st->stranded_rack_days = rs->stranded_rack_days;
    st->peak_racks_stranded = rs->peak_stranded;
    st->burnin_failures = rs->burnin_failures;
    st->service_failures = rs->service_failures;
    for (int c = 0; c < N_CAUSES; c++) {
        st->cause_first_token[c] = rs->ms.cause_ft[c];
        st->cause_full[c] = rs->ms.cause_full[c];
        st->cause_mean[c] = acc > 0 ? rs->ms.cause_sum[c] / acc : NAN;
    }
}

void racks_free(racks_state *rs)
{
    if (!rs)
        return;
    if (rs->by_type)
        for (size_t t = 0; t < rs->d.rc->n_types; t++)
            free(rs->by_type[t].v);
    free(rs->by_type);
    free(rs->racks);
    free(rs->logs);
    sim_entityq_free(&rs->fail_q);
    free(rs->halls);
    free(rs->crew_q.v);
    free(rs->power_q.v);
    free(rs);
}

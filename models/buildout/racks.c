#include "models/buildout/racks_state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ------------------------------------------------------------------ load */

static int type_find(const racks_config *rc, const char *name)
{
    for (size_t i = 0; i < rc->n_types; i++)
        if (strcmp(rc->types[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* The top-level order defaults (racks.order_after, lead_days, per_month),
 * each read if present. */
typedef struct order_defaults {
    const char *after;
    bool has_lead, has_rate;
    sim_dist lead_days;
    double per_month;
} order_defaults;

/* At least one rack a century (a slower line would schedule its deliveries
 * past any horizon, at infinite times). */
#define RACKS_PER_MONTH_RANGE ((sim_range){30.4375 / SIM_MAX_DAYS, 1e9, false})

static int order_defaults_load(sim_cfg *cfg, order_defaults *d, sim_err *err)
{
    memset(d, 0, sizeof *d);
    d->has_lead = sim_cfg_has(cfg, "racks.lead_days");
    d->has_rate = sim_cfg_has(cfg, "racks.per_month");
    if ((sim_cfg_has(cfg, "racks.order_after") && sim_cfg_str(cfg, "racks.order_after", NULL, &d->after, err)) ||
        (d->has_lead && sim_cfg_dist(cfg, "racks.lead_days", NULL, SIM_NONNEG, &d->lead_days, err)) ||
        (d->has_rate && sim_cfg_num(cfg, "racks.per_month", SIM_REQUIRED, RACKS_PER_MONTH_RANGE, &d->per_month, err)))
        return -1;
    return 0;
}

/* Order i's timing: an order that gives any of after, offset_days,
 * lead_days, per_month (or the first order) starts a delivery line of its
 * own, each missing key taken from racks.<key> (offset_days: 0; a key
 * missing in both is an error naming the order's key); any other order
 * joins the previous order's line. */
static int order_timing(sim_cfg *cfg, const timeline_config *tl, const order_defaults *d, racks_config *rc, size_t i,
                        sim_err *err)
{
    static const char *const own[] = {"after", "offset_days", "lead_days", "per_month"};
    char key[256];
    rack_order *od = &rc->orders[i];
    bool starts = i == 0;
    for (size_t k = 0; k < 4; k++) {
        snprintf(key, sizeof key, "racks.orders.[%zu].%s", i, own[k]);
        starts = starts || sim_cfg_has(cfg, key);
    }
    if (!starts) {
        od->line = rc->orders[i - 1].line;
        return 0;
    }
    od->line = i;
    snprintf(key, sizeof key, "racks.orders.[%zu].after", i);
    const char *after;
    if (sim_cfg_str(cfg, key, d->after, &after, err))
        return -1;
    if (!strcmp(after, "start") && timeline_find(tl, "start") < 0)
        od->after_phase = RACKS_AT_START;
    else if (timeline_cfg_phase(cfg, tl, key, d->after, &od->after_phase, err))
        return -1;
    snprintf(key, sizeof key, "racks.orders.[%zu].offset_days", i);
    if (sim_cfg_num(cfg, key, 0.0, SIM_DAYS, &od->offset_days, err))
        return -1;
    snprintf(key, sizeof key, "racks.orders.[%zu].lead_days", i);
    if (sim_cfg_dist(cfg, key, d->has_lead ? &d->lead_days : NULL, SIM_NONNEG, &od->lead_days, err))
        return -1;
    snprintf(key, sizeof key, "racks.orders.[%zu].per_month", i);
    if (sim_cfg_num(cfg, key, d->has_rate ? d->per_month : SIM_REQUIRED, RACKS_PER_MONTH_RANGE, &od->per_month, err))
        return -1;
    return 0;
}

/* Every rack ordered has room in a hall: the plan's rule (racks in order,
 * each to the first hall in file order that fits its type and has room:
 * plan_racks) played on the counts. A rack with no room would never be
 * placed: refused, saying how many fit, where room ran out and the IT
 * capacity asked against the capacity there is. */
static int check_room(sim_cfg *cfg, const racks_config *rc, const halls_config *hc, const cooling_config *cc,
                      const power_config *pc, sim_err *err)
{
    double room[HALLS_MAX];
    bool used[HALLS_MAX] = {false};
    hall_rt rt[HALLS_MAX]; /* each hall's design PUE and fixed load */
    halls_runtime_init(hc, cc, rt);
    size_t cursor[RACKS_MAX_TYPES] = {0}, placed = 0;
    double need_mw = 0, have_mw = 0, first_mw = 0; /* first_mw: the first-token cluster's power at design */
    for (size_t h = 0; h < hc->n_halls; h++) {
        room[h] = hc->halls[h].it_capacity_mw * 1000.0;
        have_mw += hc->halls[h].it_capacity_mw;
    }
    for (size_t o = 0; o < rc->n_orders; o++)
        need_mw += (double)rc->orders[o].count * rc->types[rc->orders[o].type].peak_kw / 1000.0;
    for (size_t o = 0; o < rc->n_orders; o++) {
        const rack_order *od = &rc->orders[o];
        const rack_type *ty = &rc->types[od->type];
        long long left = od->count;
        const uint16_t *order = rc->hall_order.hall[ty->liquid];
        size_t pos = cursor[od->type], n_order = rc->hall_order.n[ty->liquid];
        while (left > 0 && pos < n_order) {
            size_t h = order[pos];
            if (halls_fits(hc, cc, h, ty->liquid, ty->peak_kw)) {
                double k = floor((room[h] + 1e-9) / ty->peak_kw);
                long long take = k < (double)left ? (long long)k : left;
                /* the racks of the first-token cluster: their reservation at design (plan_racks' rule) */
                long long in_first = placed >= (size_t)rc->first_token_racks ? 0
                                     : (long long)((size_t)rc->first_token_racks - placed) < take
                                         ? (long long)((size_t)rc->first_token_racks - placed)
                                         : take;
                if (in_first > 0) {
                    first_mw += (double)in_first * halls_rack_need_mw(&rt[h], ty->peak_kw, false) +
                                (used[h] ? 0 : rt[h].fixed_mw);
                    used[h] = true;
                }
                room[h] -= (double)take * ty->peak_kw;
                left -= take;
                placed += (size_t)take;
                if (left == 0)
                    break;
            }
            pos++;
        }
        cursor[od->type] = pos;
        if (left > 0) {
            char key[64], where[256];
            snprintf(key, sizeof key, "racks.orders.[%zu].count", o);
            return sim_errf(err,
                            "%s: %s: the racks do not fit the halls: %zu of the %zu racks ordered find room, and "
                            "rack %zu ('%s', %g kW) is the first with none; the orders need %.4g MW of IT, the halls "
                            "hold %.4g MW (halls.[i].count, halls.[i].it_capacity_mw): add halls or capacity, or "
                            "order fewer",
                            sim_cfg_where(cfg, key, where, sizeof where), key, placed, rc->total_racks, placed + 1,
                            ty->name, ty->peak_kw, need_mw, have_mw);
        }
    }
    /* the first-token cluster can be powered at all */
    double supply_max = power_max_supply_mw(pc);
    if (first_mw > supply_max * (1 + 1e-12)) {
        char where[256];
        return sim_errf(err, "%s: first_token.min_racks: the first %lld racks need %.4g MW at design conditions (peak x "
                             "design PUE, with their halls' fixed loads), more than the site can ever supply (%.4g MW): "
                             "first token would never come; add supply or ask for fewer racks",
                        sim_cfg_where(cfg, "first_token.min_racks", where, sizeof where), rc->first_token_racks, first_mw,
                        supply_max);
    }
    return 0;
}

/* rack_types: the catalogue. */
static int load_types(sim_cfg *cfg, racks_config *rc, sim_err *err)
{
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
            sim_cfg_num(cfg, K("interruptions_per_gpu_day"), 0.0, SIM_RANGE(0, 1), &t->interruptions_per_gpu_day, err) ||
            sim_cfg_num(cfg, K("hw_failures_per_gpu_day"), 0.0, SIM_RANGE(0, 1), &t->hw_failures_per_gpu_day, err))
            return -1;
        t->hw_unit_gpus = t->gpus;
        t->repair_days = zero;
        if (!(t->hw_failures_per_gpu_day > 0)) { /* nothing to repair: a unit or a repair time given by --set is refused */
            sim_cfg_ignore(cfg, K("hw_unit_gpus"));
            sim_cfg_ignore(cfg, K("repair_days"));
        } else if (sim_cfg_int(cfg, K("hw_unit_gpus"), t->gpus, 1, t->gpus, &t->hw_unit_gpus, err) ||
                   sim_cfg_dist(cfg, K("repair_days"), &zero, SIM_NONNEG, &t->repair_days, err))
            return -1;
        if (t->gpus % t->hw_unit_gpus)
            return sim_errf(err, "%s: %s: a rack's %lld GPUs must be whole units of hw_unit_gpus (%lld)",
                            sim_cfg_where(cfg, K("hw_unit_gpus"), where, sizeof where), key, t->gpus,
                            t->hw_unit_gpus);
        if (t->idle_kw > t->peak_kw)
            return sim_errf(err, "%s: %s: idle_kw (%g) is above peak_kw (%g)",
                            sim_cfg_where(cfg, K("idle_kw"), where, sizeof where), key, t->idle_kw, t->peak_kw);
#undef K
        snprintf(t->name, sizeof t->name, "%s", name);
    }
    return 0;
}

/* An order's type by name, or an error naming the types there are and the nearest. */
static int order_type(sim_cfg *cfg, const racks_config *rc, const char *key, const char *tn, sim_err *err)
{
    int ti = type_find(rc, tn);
    if (ti >= 0)
        return ti;
    const char *names[RACKS_MAX_TYPES];
    char list[512] = "", where[256];
    size_t off = 0;
    for (size_t t = 0; t < rc->n_types; t++) {
        names[t] = rc->types[t].name;
        if (off < sizeof list)
            off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", t ? ", " : "", names[t]);
    }
    const char *near = sim_closest(tn, names, rc->n_types);
    sim_errf(err, "%s: %s: unknown rack type '%s'%s%s%s (rack_types: %s)", sim_cfg_where(cfg, key, where, sizeof where),
             key, tn, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "", list);
    return -1;
}

/* A rack that no hall can ever take, or no supply can ever power, would wait forever: say so now. */
static int order_can_run(sim_cfg *cfg, const rack_type *t, const char *key, const char *tn, const halls_config *hc,
                         const cooling_config *cc, const power_config *pc, sim_err *err)
{
    char where[256];
    bool fits = false, fits_power = false;
    double supply_max = power_max_supply_mw(pc);
    for (size_t h = 0; h < hc->n_halls; h++) {
        if (halls_fits(hc, cc, h, t->liquid, t->peak_kw)) {
            fits = true;
            hall_rt one;
            halls_runtime_init_one(hc, cc, h, &one);
            if (halls_rack_need_mw(&one, t->peak_kw, true) <= supply_max)
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
    return 0;
}

/* racks.orders: each order's type, count and timing. */
static int load_orders(sim_cfg *cfg, const timeline_config *tl, const cooling_config *cc, const halls_config *hc,
                       const power_config *pc, racks_config *rc, sim_err *err)
{
    char key[256], where[256];
    size_t n;
    if (sim_cfg_count(cfg, "racks.orders", true, &n, err))
        return -1;
    if (n == 0 || n > RACKS_MAX_ORDERS)
        return sim_errf(err, "%s: racks.orders: needs 1 to %d orders (has %zu)",
                        sim_cfg_where(cfg, "racks.orders", where, sizeof where), RACKS_MAX_ORDERS, n);
    rc->n_orders = n;
    order_defaults defaults;
    if (order_defaults_load(cfg, &defaults, err))
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char *tn;
        snprintf(key, sizeof key, "racks.orders.[%zu].type", i);
        if (sim_cfg_str(cfg, key, NULL, &tn, err))
            return -1;
        int ti = order_type(cfg, rc, key, tn, err);
        if (ti < 0)
            return -1;
        rack_order *od = &rc->orders[i];
        od->type = (size_t)ti;
        snprintf(key, sizeof key, "racks.orders.[%zu].count", i);
        if (sim_cfg_int(cfg, key, SIM_INT_REQUIRED, 1, RACKS_MAX_TOTAL, &od->count, err) ||
            order_timing(cfg, tl, &defaults, rc, i, err))
            return -1;
        rc->total_racks += (size_t)od->count;
        rc->total_gpus += (double)(od->count * rc->types[ti].gpus);
        if (rc->total_racks > RACKS_MAX_TOTAL)
            return sim_errf(err, "%s: racks.orders: more than %d racks in all", sim_cfg_where(cfg, key, where, sizeof where),
                            RACKS_MAX_TOTAL);
        if (order_can_run(cfg, &rc->types[ti], key, tn, hc, cc, pc, err))
            return -1;
    }
    return 0;
}

int racks_load(sim_cfg *cfg, const timeline_config *tl, const cooling_config *cc, const halls_config *hc,
               const power_config *pc, racks_config *rc, sim_err *err)
{
    memset(rc, 0, sizeof *rc);
    if (load_types(cfg, rc, err) || load_orders(cfg, tl, cc, hc, pc, rc, err))
        return -1;
    sim_dist zero = sim_dist_constant(0.0);
    static const char *const deliveries[] = {"as_ordered", "just_in_time"};
    static const char *const energize[] = {"planned", "first_come"};
    if (sim_cfg_choice(cfg, "racks.delivery", "as_ordered", deliveries, 2, &rc->delivery, err) ||
        sim_cfg_num(cfg, "racks.jit_buffer_days", rc->delivery == RACKS_DELIVERY_JUST_IN_TIME ? SIM_REQUIRED : 0.0,
                    SIM_DAYS, &rc->jit_buffer_days, err) ||
        sim_cfg_choice(cfg, "racks.energize", "planned", energize, 2, &rc->energize, err) ||
        sim_cfg_dist(cfg, "first_token.bringup_days", &zero, SIM_NONNEG, &rc->bringup_days, err) ||
        training_load(cfg, &rc->training, err) ||
        sim_cfg_int(cfg, "racks.crews", SIM_INT_REQUIRED, 1, 100000, &rc->crews, err) ||
        sim_cfg_num(cfg, "racks.spare_fraction", 0.05 /* [FAIL-DELTA] */, SIM_RANGE(0, 1), &rc->spare_fraction, err) ||
        sim_cfg_dist(cfg, "racks.burnin_days", NULL, SIM_NONNEG, &rc->burnin_days, err) ||
        sim_cfg_num(cfg, "racks.burnin_fail_prob", 0.0, SIM_RANGE(0, 0.99), &rc->burnin_fail_prob, err) ||
        sim_cfg_dist(cfg, "racks.burnin_repair_days", &zero, SIM_NONNEG, &rc->burnin_repair_days, err) ||
        sim_cfg_int(cfg, "first_token.min_racks", 1, 1, RACKS_MAX_TOTAL, &rc->first_token_racks, err))
        return -1;
    if ((size_t)rc->first_token_racks > rc->total_racks) {
        char where[256];
        return sim_errf(err, "%s: first_token.min_racks: %lld racks, but only %zu are ordered",
                        sim_cfg_where(cfg, "first_token.min_racks", where, sizeof where), rc->first_token_racks,
                        rc->total_racks);
    }
    halls_order_of(hc, cc, &rc->hall_order);
    return check_room(cfg, rc, hc, cc, pc, err);
}

/* ------------------------------------------------------------------ run */












/* The crews' queue: crews take the waiting rack that comes first in the
 * order (the plan), so that racks arriving early never push the plan's
 * next racks back. A binary min-heap of rack numbers. */
static void crew_q_push(fifo *q, uint32_t r)
{
    size_t i = q->tail++;
    while (i > 0 && q->v[(i - 1) / 2] > r) {
        q->v[i] = q->v[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    q->v[i] = r;
}

static uint32_t crew_q_pop(fifo *q)
{
    uint32_t top = q->v[0], last = q->v[--q->tail];
    size_t i = 0, n = q->tail;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && q->v[c + 1] < q->v[c])
            c++;
        if (q->v[c] >= last)
            break;
        q->v[i] = q->v[c];
        i = c;
    }
    if (n > 0)
        q->v[i] = last;
    return top;
}

/* Rack r takes its place in hall h (the plan's) now and waits for a crew. */
static void place(racks_state *rs, uint32_t r, size_t h)
{
    rs->logs[r].hall = (int32_t)h;
    rs->logs[r].t_assigned = sim_now(rs->eng);
    racks_hall_wait_add(rs, -1.0);
    rs->racks[r].tech = (uint8_t)rs->halls[h].tech;
    rs->racks[r].state = ST_WAIT_CREW;
    rs->halls[h].cap_left_kw -= rs->d.rc->types[rs->racks[r].type].peak_kw;
    crew_q_push(&rs->crew_q, r);
}

static void dispatch_crews(racks_state *rs)
{
    double now = sim_now(rs->eng);
    while (rs->crews_free > 0 && rs->crew_q.tail > 0) {
        uint32_t r = crew_q_pop(&rs->crew_q);
        rack_rt *rk = &rs->racks[r];
        rs->crews_free--;
        rk->state = ST_INSTALLING;
        rs->logs[r].t_install_start = now;
        double d = draw(rs, RNG_INSTALL, &rs->d.rc->types[rk->type].install_days, r, 0);
        sim_schedule(rs->eng, now + d, rs->model_id, EV_INSTALL_DONE, r);
    }
}










/* When rack r (the next of line ln) arrives: the line's rate after its
 * first delivery, and with just-in-time deliveries no earlier than
 * jit_buffer_days before its planned hall is ready (a running maximum, so
 * that a line delivers in order). */
static double delivery_time(racks_state *rs, line_rt *ln, size_t r)
{
    const racks_config *rc = rs->d.rc;
    double t = ln->t_first_delivery +
               (double)(r - ln->first_rack) * DAYS_PER_MONTH / rc->orders[rs->logs[r].line].per_month;
    int32_t h = rs->logs[r].plan_hall;
    if (rc->delivery == RACKS_DELIVERY_JUST_IN_TIME && h >= 0) {
        double jit = halls_ready_day(rs->d.hc, (size_t)h, rs->ms.chain.phase_end) - rc->jit_buffer_days;
        if (jit > ln->jit_floor) {
            ln->jit_floor = jit;
            ln->jit_hall = h;
        }
        if (ln->jit_floor > t) {
            t = ln->jit_floor;
            rs->logs[r].gate_hall = ln->jit_hall;
        }
    }
    return t;
}

/* A delivery line's order is placed: its first rack comes after the lead time. */
static void order_placed(racks_state *rs, size_t line, double now)
{
    line_rt *ln = &rs->lines[line];
    ln->t_order = now;
    ln->t_first_delivery = now + draw(rs, RNG_DELIVERY, &rs->d.rc->orders[line].lead_days, line, 0);
    ln->jit_floor = -INFINITY;
    ln->jit_hall = -1;
    sim_schedule(rs->eng, delivery_time(rs, ln, ln->first_rack), rs->model_id, EV_DELIVER, ln->first_rack);
}

/* Rack r arrives: the line's next is scheduled; r takes its planned hall if it is ready, else waits for it. */
static void delivered(racks_state *rs, uint32_t r, double now)
{
    rack_rt *rk = &rs->racks[r];
    line_rt *ln = &rs->lines[rs->logs[r].line];
    rk->state = ST_WAIT_HALL;
    rs->logs[r].t_delivered = now;
    rs->n_delivered++;
    rs->d.gauges->racks_delivered = (double)rs->n_delivered;
    racks_stranded_add(rs, 1.0);
    racks_hall_wait_add(rs, 1.0);
    if ((size_t)r + 1 < ln->end_rack)
        sim_schedule(rs->eng, delivery_time(rs, ln, r + 1), rs->model_id, EV_DELIVER, r + 1);
    if (rs->logs[r].plan_hall < 0) /* no room in any hall (the load's check refuses such orders) */
        return;
    size_t h = (size_t)rs->logs[r].plan_hall;
    if (rs->halls[h].ready) {
        place(rs, r, h);
        dispatch_crews(rs);
    } else {
        fifo *q = &rs->hall_q[h];
        q->v[q->tail++] = r;
    }
}

/* Hall h is ready: the racks delivered for it take their places, in order. */
static void hall_ready(racks_state *rs, size_t h, double now)
{
    const racks_config *rc = rs->d.rc;
    rs->halls[h].ready = true;
    for (size_t t = 0; t < rc->n_types; t++)
        if (isinf(rs->type_hall_ready[t]) && halls_fits(rs->d.hc, rs->d.cc, h, rc->types[t].liquid, rc->types[t].peak_kw)) {
            rs->type_hall_ready[t] = now;
            rs->type_hall_phase[t] = rs->d.hc->halls[h].ready_after_phase;
        }
    for (fifo *q = &rs->hall_q[h]; q->head < q->tail;)
        place(rs, q->v[q->head++], h);
    dispatch_crews(rs);
}

/* Rack r is installed: its crew is free, and it asks for power. */
static void installed(racks_state *rs, uint32_t r, double now)
{
    rs->racks[r].state = ST_WAIT_POWER;
    rs->logs[r].t_installed = now;
    rs->crews_free++;
    dispatch_crews(rs);
    racks_power_request(rs, r);
}

static void racks_handle(sim_engine *eng, void *ctx, uint32_t kind, uint64_t arg)
{
    racks_state *rs = ctx;
    double now = sim_now(eng);
    uint32_t r = (uint32_t)arg;
    switch (kind) {
    case EV_ORDER: /* arg: a delivery line (its first order) */
        order_placed(rs, arg, now);
        break;
    case EV_DELIVER:
        delivered(rs, r, now);
        break;
    case EV_HALL_READY:
        hall_ready(rs, r, now);
        break;
    case EV_INSTALL_DONE:
        installed(rs, r, now);
        break;
    case EV_BURNIN_DONE:
        racks_burnin_done(rs, r, now);
        break;
    case EV_BURNIN_REPAIRED:
        racks_start_burnin(rs, r);
        break;
    case EV_FIRST_TOKEN: /* the first cluster's bring-up is over */
        rs->d.gauges->first_token_day = now;
        break;
    default:
        sim_fail_internal(eng, "racks: unknown event kind %u", kind);
    }
}




racks_state *racks_start(const racks_deps *deps, sim_engine *eng, const cause_chain *chain, sim_err *err)
{
    const racks_config *rc = deps->rc;
    const halls_config *hc = deps->hc;
    racks_state *rs = sim_calloc(1, sizeof *rs, err);
    if (!rs)
        return NULL;
    rs->d = *deps;
    rs->eng = eng;
    static const char *const stream_names[RNG_N] = {"delivery", "install", "burnin", "interruptions", "bringup"};
    for (int k = 0; k < RNG_N; k++)
        rs->stream[k] = sim_engine_stream(eng, "racks", stream_names[k]);
    for (size_t t = 0; t < RACKS_MAX_TYPES; t++)
        rs->type_hall_ready[t] = INFINITY;
    rs->crews_free = rc->crews;
    size_t n = rc->total_racks;
    rs->racks = sim_calloc(n ? n : 1, sizeof *rs->racks, err);
    rs->logs = sim_calloc(n, sizeof *rs->logs, err);
    rs->halls = sim_calloc(hc->n_halls, sizeof *rs->halls, err);
    rs->plan_room_kw = sim_calloc(hc->n_halls, sizeof *rs->plan_room_kw, err);
    rs->hall_q = sim_calloc(hc->n_halls ? hc->n_halls : 1, sizeof *rs->hall_q, err);
    rs->crew_q.v = sim_calloc(n, sizeof(uint32_t), err);
    rs->power_q.v = sim_calloc(n, sizeof(uint32_t), err);
    rs->plan_need_mw = sim_calloc(n, sizeof *rs->plan_need_mw, err);
    if (!rs->racks || !rs->logs || !rs->halls || !rs->plan_room_kw || !rs->hall_q || !rs->crew_q.v ||
        !rs->power_q.v || !rs->plan_need_mw) {
        racks_free(rs);
        return NULL;
    }
    size_t k = 0;
    for (size_t o = 0; o < rc->n_orders; o++) {
        const rack_order *od = &rc->orders[o];
        if (od->line == o)
            rs->lines[o].first_rack = k;
        for (long long j = 0; j < od->count; j++) {
            rs->racks[k].type = (uint8_t)od->type;
            rs->racks[k].state = ST_ORDERED;
            rs->logs[k].hall = rs->logs[k].gate_hall = -1;
            rs->logs[k].line = (uint8_t)od->line;
            k++;
        }
        rs->lines[od->line].end_rack = k;
    }
    halls_runtime_init(hc, deps->cc, rs->halls);
    racks_plan(rs);
    size_t per_hall[HALLS_MAX] = {0};
    for (size_t r = 0; r < n; r++)
        if (rs->logs[r].plan_hall >= 0)
            per_hall[rs->logs[r].plan_hall]++;
    for (size_t h = 0; h < hc->n_halls; h++) {
        rs->hall_q[h].v = sim_calloc(per_hall[h] ? per_hall[h] : 1, sizeof(uint32_t), err);
        if (!rs->hall_q[h].v) {
            racks_free(rs);
            return NULL;
        }
    }
    int id = sim_engine_add_model(eng, "racks", racks_handle, rs, err);
    if (id < 0) {
        racks_free(rs);
        return NULL;
    }
    rs->model_id = id;
    if (racks_fleet_start(rs, err)) {
        racks_free(rs);
        return NULL;
    }
    milestones_init(&rs->ms, chain, rc->first_token_racks, rc->total_gpus, draw(rs, RNG_BRINGUP, &rc->bringup_days, 0, 0));
    for (size_t h = 0; h < hc->n_halls; h++)
        sim_schedule(eng, halls_ready_day(hc, h, chain->phase_end), id, EV_HALL_READY, h);
    for (size_t o = 0; o < rc->n_orders; o++)
        if (rc->orders[o].line == o) {
            size_t p = rc->orders[o].after_phase;
            sim_schedule(eng, (p == RACKS_AT_START ? 0.0 : chain->phase_end[p]) + rc->orders[o].offset_days, id,
                         EV_ORDER, o);
        }
    return rs;
}

void racks_finish(racks_state *rs, double t_end, racks_stats *st)
{
    racks_levels_advance(rs, t_end);
    rs->gpu_days += rs->gpus_online * (t_end - rs->last_gpus_t);
    rs->last_gpus_t = t_end;
    double acc = rs->racks_accepted;
    st->t_first_token = rs->ms.t_first_token <= t_end ? rs->ms.t_first_token : NAN;
    st->t_50pct = rs->ms.t_50;
    st->t_90pct = rs->ms.t_90;
    st->t_95pct = rs->ms.t_95;
    st->t_99pct = rs->ms.t_99;
    st->t_100pct = rs->ms.t_100;
    st->racks_accepted = acc;
    st->gpus_accepted = rs->gpus_accepted;
    st->wait_hall_days = acc > 0 ? rs->sum_wait_hall / acc : NAN;
    st->wait_crew_days = acc > 0 ? rs->sum_wait_crew / acc : NAN;
    st->wait_power_days = acc > 0 ? rs->sum_wait_power / acc : NAN;
    st->burnin_days = acc > 0 ? rs->sum_burnin / acc : NAN;
    st->stranded_rack_days = rs->stranded_rack_days;
    st->peak_racks_stranded = rs->peak_stranded;
    st->hall_inventory_rack_days = rs->hall_inventory_rack_days;
    st->burnin_failures = rs->burnin_failures;
    fleet_stats fs;
    fleet_finish(rs->fl, t_end, &fs);
    st->hw_replacements = fs.failures;
    st->gpu_days_in_service = rs->gpu_days;
    st->gpu_days_short_of_spares = 0;
    for (size_t t = 0; t < rs->d.rc->n_types; t++) /* unit-days to GPU-days: the fleet counts units of each type */
        st->gpu_days_short_of_spares += fleet_pool_unit_days_down(rs->fl, t) * (double)rs->d.rc->types[t].hw_unit_gpus;
    interrupt_step(&rs->intr, t_end, 0.0);
    const training_config *tc = &rs->d.rc->training;
    bool tr = tc->gpu_share > 0;
    st->training_goodput = tr ? training_goodput(tc, &rs->train, t_end) : NAN;
    st->training_interruptions = tr ? rs->train.intr.count : NAN;
    st->interruptions = rs->intr.count + (tr ? rs->train.intr.count : 0.0);
    st->training_lost_gpu_hours = tr ? rs->train.lost_gpu_hours : NAN;
    bool ft = !isnan(st->t_first_token);
    bool full = !isnan(rs->ms.t_100) && rs->ms.t_100 <= t_end;
    for (size_t p = 0; p < TIMELINE_MAX_PHASES; p++) {
        st->path_first_token[p] = ft && rs->ms.path_ft[p];
        st->path_full_capacity[p] = full && rs->ms.path_full[p];
    }
    for (int c = 0; c < N_CAUSES; c++) {
        st->cause_first_token[c] = ft ? rs->ms.cause_ft[c] : NAN;
        st->cause_full[c] = rs->ms.cause_full[c];
        st->cause_mean[c] = acc > 0 ? rs->ms.cause_sum[c] / acc : NAN;
    }
}

void racks_free(racks_state *rs)
{
    if (!rs)
        return;
    if (rs->hall_q)
        for (size_t h = 0; h < rs->d.hc->n_halls; h++)
            free(rs->hall_q[h].v);
    free(rs->hall_q);
    free(rs->racks);
    free(rs->logs);
    fleet_free(rs->fl);
    free(rs->fl_classes);
    free(rs->halls);
    free(rs->plan_room_kw);
    free(rs->crew_q.v);
    free(rs->power_q.v);
    free(rs->plan_need_mw);
    free(rs);
}

void racks_visit(const racks_state *rs, racks_visit_fn fn, void *ctx)
{
    for (size_t r = 0; r < rs->d.rc->total_racks; r++) {
        const rack_rt *rk = &rs->racks[r];
        const rack_log *lg = &rs->logs[r];
        bool delivered = rk->state != ST_ORDERED, accepted = rk->state >= ST_SERVING;
        fn(ctx, rk->type, lg->hall, delivered ? lg->t_delivered : NAN, accepted ? lg->t_accepted : NAN);
    }
}

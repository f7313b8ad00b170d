#include "power.h"

#include <stdio.h>
#include <string.h>

enum { EV_GRID_TRANCHE = 1, EV_SOURCE_ON = 2, EV_SOURCE_RETIRE = 3, EV_FLEX_ON = 4 };

double power_max_supply_mw(const power_config *p)
{
    double grid_max = p->grid_capacity_mw > p->flexible_mw ? p->grid_capacity_mw : p->flexible_mw, onsite = 0;
    for (int i = 0; i < SOURCE_N; i++)
        if (source_rows[i].flags & SOURCE_ENERGIZES)
            onsite += p->src[i].capacity_mw * p->src[i].design_factor;
    return grid_max + onsite;
}

int power_load(sim_cfg *cfg, const timeline_config *tl, power_config *p, sim_err *err)
{
    memset(p, 0, sizeof *p);
    if (sim_cfg_num(cfg, "site.grid.capacity_mw", SIM_REQUIRED, SIM_NONNEG, &p->grid_capacity_mw, err) ||
        timeline_cfg_phase(cfg, tl, "site.grid.energized_after", NULL, &p->grid_after_phase, err) ||
        sim_cfg_int(cfg, "site.grid.tranches", 1, 1, 1000, &p->grid_tranches, err) ||
        sim_cfg_num(cfg, "site.grid.tranche_interval_days", 0.0, SIM_DAYS, &p->grid_tranche_interval_days, err) ||
        source_co2_basis(cfg, "site.grid.co2_basis", &p->grid_co2_basis, err) ||
        sim_cfg_num(cfg, "site.grid.flexible_mw", 0.0, SIM_NONNEG, &p->flexible_mw, err))
        return -1;
    if (p->flexible_mw > 0) {
        sim_dist zero = sim_dist_constant(0.0);
        if (timeline_cfg_phase(cfg, tl, "site.grid.flexible_after", NULL, &p->flexible_after_phase, err) ||
            sim_cfg_dist(cfg, "site.grid.flexible_lead_days", &zero, SIM_RANGE(-SIM_MAX_DAYS, INFINITY),
                         &p->flexible_lead_days, err))
            return -1;
    } else {
        sim_cfg_ignore(cfg, "site.grid.flexible_after");
        sim_cfg_ignore(cfg, "site.grid.flexible_lead_days");
    }
    for (int i = 0; i < SOURCE_N; i++) {
        source_ctx ctx = {cfg, tl, source_rows[i].group, tl->phases[p->grid_after_phase].name};
        if (source_rows[i].load && source_rows[i].load(&ctx, &p->src[i], err))
            return -1;
    }
    if (power_max_supply_mw(p) <= 0) {
        char where[256];
        return sim_errf(err, "%s: site.grid.capacity_mw: the site has no power at all (grid and on-site capacity are both 0)",
                        sim_cfg_where(cfg, "site.grid.capacity_mw", where, sizeof where));
    }
    return 0;
}

/* The energizing on-site sources at design ambient. */
static double onsite_design_mw(const power_state *ps)
{
    double mw = 0;
    for (int i = 0; i < SOURCE_N; i++)
        if (source_rows[i].flags & SOURCE_ENERGIZES)
            mw += ps->rated_mw[i] * ps->cfg->src[i].design_factor;
    return mw;
}

/* Retire source i down to what the reservations need beyond the grid and
 * the other energizing sources (at design ambient). */
static void retire(power_state *ps, int i)
{
    const source_cfg *s = &ps->cfg->src[i];
    double others = onsite_design_mw(ps) - ps->rated_mw[i] * s->design_factor;
    double need = ps->reserved_mw - ps->grid_mw - others;
    double f = s->design_factor;
    double mw = need <= 0 ? 0.0 : f > 0 ? need / f : s->capacity_mw;
    ps->rated_mw[i] = mw > s->capacity_mw ? s->capacity_mw : mw;
}

static void power_handle(sim_engine *eng, void *ctx, uint32_t kind, uint64_t arg)
{
    (void)arg;
    power_state *ps = ctx;
    const power_config *pc = ps->cfg;
    switch (kind) {
    case EV_FLEX_ON:
        ps->flexible_on_mw = pc->flexible_mw;
        ps->grid_mw = ps->firm_mw > ps->flexible_on_mw ? ps->firm_mw : ps->flexible_on_mw;
        break;
    case EV_GRID_TRANCHE:
        ps->firm_mw += pc->grid_capacity_mw / (double)pc->grid_tranches;
        if (arg + 1 == (uint64_t)pc->grid_tranches)
            ps->firm_mw = pc->grid_capacity_mw; /* no rounding drift */
        ps->grid_mw = ps->firm_mw > ps->flexible_on_mw ? ps->firm_mw : ps->flexible_on_mw;
        if (arg + 1 == (uint64_t)pc->grid_tranches)
            for (int i = 0; i < SOURCE_N; i++)
                if (pc->src[i].retire_when_grid_full && pc->src[i].capacity_mw > 0)
                    sim_schedule(eng, sim_now(eng), ps->model_id, EV_SOURCE_RETIRE, (uint64_t)i);
        break;
    case EV_SOURCE_ON:
        ps->rated_mw[arg] = pc->src[arg].capacity_mw;
        break;
    case EV_SOURCE_RETIRE:
        retire(ps, (int)arg);
        break;
    default:
        sim_fail_internal(eng, "power: unknown event kind %u", kind);
        return;
    }
    ps->onsite_mw = onsite_design_mw(ps);
    if (ps->after_change)
        ps->after_change(ps->change_ctx);
}

/* A supply that comes a drawn lead time after its phase ends: scheduled as
 * event `kind`, and the first supply if it is the earliest. Returns when. */
static double bring_on(power_state *ps, sim_engine *eng, size_t phase, const double *phase_end_days,
                       const sim_dist *lead_days, sim_rng *r, uint32_t kind, uint64_t arg, bool energizes)
{
    /* a negative lead (the flexible connection's: a date relative to the phase's, drawn in the same
     * replication) brings it on before the phase ends, never before day 0 */
    double lead = sim_dist_sample(lead_days, r);
    double t_on = phase_end_days[phase] + (kind == EV_FLEX_ON || lead > 0 ? lead : 0);
    if (t_on < 0)
        t_on = 0;
    if (energizes && t_on < ps->t_first_supply) {
        ps->t_first_supply = t_on;
        ps->first_supply_phase = phase;
    }
    sim_schedule(eng, t_on, ps->model_id, kind, arg);
    return t_on;
}

int power_start(power_state *ps, const power_config *pc, sim_engine *eng, const double *phase_end_days,
                sim_err *err)
{
    ps->cfg = pc;
    ps->grid_mw = ps->onsite_mw = ps->reserved_mw = ps->firm_mw = ps->flexible_on_mw = 0.0;
    int id = sim_engine_add_model(eng, "power", power_handle, ps, err);
    if (id < 0)
        return -1;
    ps->model_id = id;
    ps->t_first_supply = ps->t_grid_on = ps->t_flexible_on = INFINITY;
    ps->first_supply_phase = pc->grid_after_phase;
    if (pc->grid_capacity_mw > 0) {
        double t0 = phase_end_days[pc->grid_after_phase];
        ps->t_first_supply = ps->t_grid_on = t0;
        for (long long k = 0; k < pc->grid_tranches; k++)
            sim_schedule(eng, t0 + (double)k * pc->grid_tranche_interval_days, id, EV_GRID_TRANCHE, (uint64_t)k);
    }
    for (int i = 0; i < SOURCE_N; i++) {
        const source_cfg *s = &pc->src[i];
        ps->rated_mw[i] = 0.0;
        ps->t_on[i] = INFINITY;
        char name[64];
        snprintf(name, sizeof name, "lead.%s", source_rows[i].name);
        if (s->capacity_mw > 0)
            ps->t_on[i] = bring_on(ps, eng, s->after_phase, phase_end_days, &s->lead_days,
                                   sim_engine_rng(eng, sim_engine_stream(eng, "power", name)), EV_SOURCE_ON,
                                   (uint64_t)i, source_rows[i].flags & SOURCE_ENERGIZES);
    }
    if (pc->flexible_mw > 0)
        ps->t_flexible_on = bring_on(ps, eng, pc->flexible_after_phase, phase_end_days, &pc->flexible_lead_days,
                                     sim_engine_rng(eng, sim_engine_stream(eng, "power", "flexible_lead")),
                                     EV_FLEX_ON, 0, true);
    return 0;
}

/* A relative tolerance keeps exact fits (e.g. a capacity that is an exact
 * multiple of a rack's need) from failing on rounding. */
static bool fits(const power_state *ps, double total_mw)
{
    double supply = power_supply_mw(ps);
    return total_mw <= supply * (1.0 + 1e-12) + 1e-9;
}

bool power_try_reserve(power_state *ps, double need_mw)
{
    if (!fits(ps, ps->reserved_mw + need_mw))
        return false;
    ps->reserved_mw += need_mw;
    return true;
}

bool power_reserve_upto(power_state *ps, double total_mw)
{
    if (!fits(ps, total_mw))
        return false;
    if (total_mw > ps->reserved_mw)
        ps->reserved_mw = total_mw;
    return true;
}

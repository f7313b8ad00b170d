#include "timeline.h"

#include <stdio.h>
#include <string.h>

const char *const timeline_kind_names[TIMELINE_N_KINDS] = {
    "permits", "grid_connection", "electrical_equipment", "construction", "commissioning", "other",
};

int timeline_find(const timeline_config *tl, const char *name)
{
    for (size_t i = 0; i < tl->n_phases; i++)
        if (strcmp(tl->phases[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int topo_sort(timeline_config *tl, sim_cfg *cfg, sim_err *err)
{
    /* Kahn's algorithm; ties broken by file order so the order is stable. */
    size_t indeg[TIMELINE_MAX_PHASES] = {0};
    size_t n = tl->n_phases, k = 0;
    for (size_t i = 0; i < n; i++)
        indeg[i] = tl->phases[i].n_after;
    bool done[TIMELINE_MAX_PHASES] = {false};
    while (k < n) {
        size_t pick = n;
        for (size_t i = 0; i < n; i++)
            if (!done[i] && indeg[i] == 0) {
                pick = i;
                break;
            }
        if (pick == n) {
            /* Name the phases on the cycle (those left with predecessors). */
            char names[512] = "";
            size_t off = 0;
            for (size_t i = 0; i < n && off < sizeof names - 1; i++)
                if (!done[i])
                    off += (size_t)snprintf(names + off, sizeof names - off, "%s%s", off ? ", " : "", tl->phases[i].name);
            char where[256];
            return sim_errf(err, "%s: timeline.phases: the dependencies form a cycle among: %s",
                            sim_cfg_where(cfg, "timeline.phases", where, sizeof where), names);
        }
        done[pick] = true;
        tl->order[k++] = pick;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < tl->phases[i].n_after; j++)
                if (tl->phases[i].after[j] == pick)
                    indeg[i]--;
    }
    return 0;
}

/* Where phase i's group `field` is read (outcome, batches): timeline.GROUP.NAME, where a layer gives
 * it, replaces the phase's own timeline.phases.[i].field (a country varies one phase of its region's
 * list without copying the list); both in one layer, or the phase's by --set, is refused
 * (sim_cfg_replaces). key: the one to read. */
static int phase_group_key(sim_cfg *cfg, const timeline_config *tl, size_t i, const char *group, const char *field,
                           char *key, size_t n, sim_err *err)
{
    char own[256];
    snprintf(own, sizeof own, "timeline.phases.[%zu].%s", i, field);
    snprintf(key, n, "timeline.%s.%s", group, tl->phases[i].name);
    if (!sim_cfg_has(cfg, key)) {
        snprintf(key, n, "%s", own);
        return 0;
    }
    return sim_cfg_has(cfg, own) ? sim_cfg_replaces(cfg, key, own, err) : 0;
}

/* A name of 1 to TIMELINE_NAME_LEN - 1 characters at key (what: "a phase", "a site"), into out. */
static int read_name(sim_cfg *cfg, const char *key, const char *what, char *out, sim_err *err)
{
    const char *name;
    if (sim_cfg_str(cfg, key, NULL, &name, err))
        return -1;
    if (!*name || strlen(name) >= TIMELINE_NAME_LEN) {
        char where[256];
        return sim_errf(err, "%s: %s: %s name must have 1 to %d characters", sim_cfg_where(cfg, key, where, sizeof where),
                        key, what, TIMELINE_NAME_LEN - 1);
    }
    snprintf(out, TIMELINE_NAME_LEN, "%s", name);
    return 0;
}

/* Phase i's batches (timeline.batches.NAME from a layer, or its own), when it has them. */
static int load_batches(sim_cfg *cfg, timeline_config *tl, size_t i, sim_err *err)
{
    char key[256], k1[300], k2[300];
    timeline_phase *ph = &tl->phases[i];
    ph->batch_first_day = ph->batch_every_days = 0;
    if (phase_group_key(cfg, tl, i, "batches", "batches", key, sizeof key, err))
        return -1;
    if (!sim_cfg_has(cfg, key))
        return 0;
    snprintf(k1, sizeof k1, "%s.first_day", key);
    snprintf(k2, sizeof k2, "%s.every_days", key);
    if (sim_cfg_num(cfg, k1, SIM_REQUIRED, SIM_DAYS, &ph->batch_first_day, err) ||
        sim_cfg_num(cfg, k2, SIM_REQUIRED, SIM_POSITIVE, &ph->batch_every_days, err))
        return -1;
    return 0;
}

/* The first batch day on or after t (a phase with no batches: t). */
static double batch_start(const timeline_phase *ph, double t)
{
    if (!(ph->batch_every_days > 0))
        return t;
    if (t <= ph->batch_first_day)
        return ph->batch_first_day;
    return ph->batch_first_day + ceil((t - ph->batch_first_day) / ph->batch_every_days) * ph->batch_every_days;
}

/* Phase i's name, duration (or timeline.durations.NAME), start lag and kind. */
static int load_phase(sim_cfg *cfg, timeline_config *tl, size_t i, sim_err *err)
{
    char key[256], where[256], name[TIMELINE_NAME_LEN];
    timeline_phase *ph = &tl->phases[i];
    snprintf(key, sizeof key, "timeline.phases.[%zu].name", i);
    if (read_name(cfg, key, "a phase", name, err))
        return -1;
    if (timeline_find(tl, name) >= 0 && (size_t)timeline_find(tl, name) < i)
        return sim_errf(err, "%s: %s: phase '%s' is defined twice", sim_cfg_where(cfg, key, where, sizeof where), key,
                        name);
    snprintf(ph->name, sizeof ph->name, "%s", name);
    if (phase_group_key(cfg, tl, i, "durations", "duration_days", key, sizeof key, err) ||
        sim_cfg_dist(cfg, key, NULL, SIM_NONNEG, &ph->duration_days, err))
        return -1;
    snprintf(key, sizeof key, "timeline.phases.[%zu].start_lag_days", i);
    if (sim_cfg_num(cfg, key, 0.0, SIM_DAYS, &ph->start_lag_days, err))
        return -1;
    snprintf(key, sizeof key, "timeline.phases.[%zu].kind", i);
    if (sim_cfg_choice(cfg, key, "other", timeline_kind_names, TIMELINE_N_KINDS, &ph->kind, err))
        return -1;
    return load_batches(cfg, tl, i, err);
}

/* An outcome's next sites (then = "next_site"): refused with any other `then`, and max_attempts with it. */
static int load_sites(sim_cfg *cfg, timeline_outcome *o, const char *key, sim_err *err)
{
    char k[400], where[256];
    size_t n;
    snprintf(k, sizeof k, "%s.sites", key);
    bool has = sim_cfg_has(cfg, k), next = o->then == TIMELINE_THEN_NEXT_SITE;
    if (has != next)
        return sim_errf(err, "%s: %s: %s", sim_cfg_where(cfg, has ? k : key, where, sizeof where), has ? k : key,
                        has ? "sites are where a withdrawn request moves: give then = \"next_site\" or drop them"
                            : "then = \"next_site\" needs the list of sites to move to (sites = ( ... ))");
    snprintf(k, sizeof k, "%s.max_attempts", key);
    if (next && sim_cfg_has(cfg, k))
        return sim_errf(err, "%s: %s: a project that moves on tries each site of its list once: drop max_attempts",
                        sim_cfg_where(cfg, k, where, sizeof where), k);
    if (!next)
        return 0;
    snprintf(k, sizeof k, "%s.sites", key);
    if (sim_cfg_count(cfg, k, true, &n, err))
        return -1;
    if (n == 0 || n > TIMELINE_MAX_SITES)
        return sim_errf(err, "%s: %s: 1 to %d sites (has %zu)", sim_cfg_where(cfg, k, where, sizeof where), k,
                        TIMELINE_MAX_SITES, n);
    o->n_sites = n;
    for (size_t j = 0; j < n; j++) {
        timeline_site *st = &o->sites[j];
        char kn[460], kd[460], kp[460], kw[460];
        snprintf(kn, sizeof kn, "%s.sites.[%zu].name", key, j);
        snprintf(kd, sizeof kd, "%s.sites.[%zu].duration_days", key, j);
        snprintf(kp, sizeof kp, "%s.sites.[%zu].success_probability", key, j);
        snprintf(kw, sizeof kw, "%s.sites.[%zu].withdrawn_after_days", key, j);
        if (read_name(cfg, kn, "a site", st->name, err) ||
            sim_cfg_dist(cfg, kd, NULL, SIM_NONNEG, &st->duration_days, err) ||
            sim_cfg_num(cfg, kp, SIM_REQUIRED, SIM_PROB, &st->success_probability, err) ||
            sim_cfg_dist(cfg, kw, &o->withdrawn_after_days, SIM_DAYS, &st->withdrawn_after_days, err))
            return -1;
    }
    return 0;
}

/* Phase i's outcome group, when it has one. */
static int load_outcome(sim_cfg *cfg, timeline_config *tl, size_t i, sim_err *err)
{
    char key[256], where[256];
    if (phase_group_key(cfg, tl, i, "outcomes", "outcome", key, sizeof key, err))
        return -1;
    if (!sim_cfg_has(cfg, key))
        return 0;
    if (tl->n_outcomes == TIMELINE_MAX_OUTCOMES)
        return sim_errf(err, "%s: %s: at most %d phases with an outcome", sim_cfg_where(cfg, key, where, sizeof where),
                        key, TIMELINE_MAX_OUTCOMES);
    timeline_outcome *o = &tl->outcomes[tl->n_outcomes++];
    o->phase = i;
    static const char *const thens[] = {"reapply", "stop", "next_site"};
    sim_dist zero = sim_dist_constant(0.0);
    char k1[300], k2[300], k3[300], k4[300], k5[300];
    snprintf(k1, sizeof k1, "%s.success_probability", key);
    snprintf(k2, sizeof k2, "%s.withdrawn_after_days", key);
    snprintf(k3, sizeof k3, "%s.then", key);
    snprintf(k4, sizeof k4, "%s.reapply_delay_days", key);
    snprintf(k5, sizeof k5, "%s.max_attempts", key);
    if (sim_cfg_num(cfg, k1, SIM_REQUIRED, SIM_PROB, &o->success_probability, err) ||
        sim_cfg_dist(cfg, k2, NULL, SIM_DAYS, &o->withdrawn_after_days, err) ||
        sim_cfg_choice(cfg, k3, "reapply", thens, 3, &o->then, err) ||
        sim_cfg_dist(cfg, k4, &zero, SIM_DAYS, &o->reapply_delay_days, err) ||
        sim_cfg_int(cfg, k5, 3, 1, 100, &o->max_attempts, err))
        return -1;
    /* a project that stops never reapplies: its delay and attempts would be ignored */
    const char *unused = o->then != TIMELINE_THEN_STOP ? NULL : sim_cfg_has(cfg, k4) ? k4 : sim_cfg_has(cfg, k5) ? k5 : NULL;
    if (unused)
        return sim_errf(err, "%s: %s: a project that stops does not reapply: give then = \"reapply\" or drop it",
                        sim_cfg_where(cfg, unused, where, sizeof where), unused);
    return load_sites(cfg, o, key, err);
}

/* Phase i's predecessors: its `after` list. */
static int load_after(sim_cfg *cfg, timeline_config *tl, size_t i, sim_err *err)
{
    char key[256], where[256];
    timeline_phase *ph = &tl->phases[i];
    size_t na;
    snprintf(key, sizeof key, "timeline.phases.[%zu].after", i);
    if (sim_cfg_count(cfg, key, false, &na, err))
        return -1;
    if (na > TIMELINE_MAX_DEPS)
        return sim_errf(err, "%s: %s: at most %d predecessors", sim_cfg_where(cfg, key, where, sizeof where), key,
                        TIMELINE_MAX_DEPS);
    for (size_t j = 0; j < na; j++) {
        const char *dep;
        snprintf(key, sizeof key, "timeline.phases.[%zu].after.[%zu]", i, j);
        if (sim_cfg_str(cfg, key, NULL, &dep, err))
            return -1;
        int d = timeline_find(tl, dep);
        if (d < 0)
            return sim_errf(err, "%s: timeline.phases.%s.after: unknown phase '%s'",
                            sim_cfg_where(cfg, key, where, sizeof where), ph->name, dep);
        if ((size_t)d == i)
            return sim_errf(err, "%s: timeline.phases.%s.after: a phase cannot come after itself (a cycle)",
                            sim_cfg_where(cfg, key, where, sizeof where), ph->name);
        ph->after[ph->n_after++] = (size_t)d;
    }
    return 0;
}

/* A project choice: after_choice = { key = "K"; default = "..."; }: timeline.K (else the default) is
 * "start" (no extra predecessor) or a phase phase i also comes after. */
static int load_after_choice(sim_cfg *cfg, timeline_config *tl, size_t i, sim_err *err)
{
    char key[256], where[256];
    timeline_phase *ph = &tl->phases[i];
    snprintf(key, sizeof key, "timeline.phases.[%zu].after_choice", i);
    if (!sim_cfg_has(cfg, key))
        return 0;
    const char *choice, *def, *value;
    char ckey[256];
    snprintf(key, sizeof key, "timeline.phases.[%zu].after_choice.key", i);
    if (sim_cfg_str(cfg, key, NULL, &choice, err))
        return -1;
    if (!*choice || strchr(choice, '.') || strlen(choice) > 64)
        return sim_errf(err, "%s: %s: '%s' is not a key name under timeline", sim_cfg_where(cfg, key, where, sizeof where),
                        key, choice);
    snprintf(key, sizeof key, "timeline.phases.[%zu].after_choice.default", i);
    if (sim_cfg_str(cfg, key, NULL, &def, err))
        return -1;
    snprintf(ckey, sizeof ckey, "timeline.%s", choice);
    if (sim_cfg_str(cfg, ckey, def, &value, err))
        return -1;
    if (!strcmp(value, "start"))
        return 0;
    int d = timeline_find(tl, value);
    if (d < 0)
        return sim_errf(err, "%s: %s: \"%s\" is neither \"start\" nor a phase", sim_cfg_where(cfg, ckey, where, sizeof where),
                        ckey, value);
    if ((size_t)d == i)
        return sim_errf(err, "%s: %s: phase '%s' cannot come after itself (a cycle)",
                        sim_cfg_where(cfg, ckey, where, sizeof where), ckey, ph->name);
    if (ph->n_after >= TIMELINE_MAX_DEPS)
        return sim_errf(err, "%s: %s: at most %d predecessors", sim_cfg_where(cfg, key, where, sizeof where), key,
                        TIMELINE_MAX_DEPS);
    ph->after[ph->n_after++] = (size_t)d;
    return 0;
}

/* A construction or commissioning phase: the builder's own work, which timeline.pace scales. */
static bool paced_kind(int kind)
{
    return kind == TIMELINE_KIND_CONSTRUCTION || kind == TIMELINE_KIND_COMMISSIONING;
}

/* timeline.pace: refused where no phase is the builder's to pace. */
static int load_pace(sim_cfg *cfg, timeline_config *tl, sim_err *err)
{
    tl->paced = sim_cfg_has(cfg, "timeline.pace");
    sim_dist one = sim_dist_constant(1.0);
    if (sim_cfg_dist(cfg, "timeline.pace", &one, SIM_NONNEG, &tl->pace, err))
        return -1;
    bool any = false;
    for (size_t i = 0; i < tl->n_phases; i++)
        any |= paced_kind(tl->phases[i].kind);
    if (tl->paced && !any) {
        char where[256];
        return sim_errf(err, "%s: timeline.pace: no phase of kind construction or commissioning to pace",
                        sim_cfg_where(cfg, "timeline.pace", where, sizeof where));
    }
    return 0;
}

int timeline_load(sim_cfg *cfg, timeline_config *tl, sim_err *err)
{
    memset(tl, 0, sizeof *tl);
    size_t n;
    char where[256];
    if (sim_cfg_count(cfg, "timeline.phases", true, &n, err))
        return -1;
    if (n == 0 || n > TIMELINE_MAX_PHASES)
        return sim_errf(err, "%s: timeline.phases: needs 1 to %d phases (has %zu)",
                        sim_cfg_where(cfg, "timeline.phases", where, sizeof where), TIMELINE_MAX_PHASES, n);
    tl->n_phases = n;
    for (size_t i = 0; i < n; i++)
        if (load_phase(cfg, tl, i, err) || load_outcome(cfg, tl, i, err))
            return -1;
    for (size_t i = 0; i < n; i++)
        if (load_after(cfg, tl, i, err) || load_after_choice(cfg, tl, i, err))
            return -1;
    return topo_sort(tl, cfg, err) || load_pace(cfg, tl, err) ? -1 : 0;
}

int timeline_cfg_phase(sim_cfg *cfg, const timeline_config *tl, const char *path, const char *def,
                       size_t *idx_out, sim_err *err)
{
    const char *name;
    if (sim_cfg_str(cfg, path, def, &name, err))
        return -1;
    int i = timeline_find(tl, name);
    if (i < 0) {
        char where[256];
        return sim_errf(err, "%s: %s: unknown phase '%s' (not in timeline.phases)",
                        sim_cfg_where(cfg, path, where, sizeof where), path, name);
    }
    *idx_out = (size_t)i;
    return 0;
}

double timeline_phase_start(const timeline_config *tl, const double *end_days, size_t p)
{
    const timeline_phase *ph = &tl->phases[p];
    double start = 0.0;
    for (size_t j = 0; j < ph->n_after; j++)
        if (end_days[ph->after[j]] > start)
            start = end_days[ph->after[j]];
    return batch_start(ph, start + ph->start_lag_days);
}

void timeline_schedule(const timeline_config *tl, const double *duration_days, double *end_days)
{
    for (size_t k = 0; k < tl->n_phases; k++) {
        size_t i = tl->order[k];
        end_days[i] = timeline_phase_start(tl, end_days, i) + duration_days[i];
    }
}

void timeline_attribute(const timeline_config *tl, const double *end_days, size_t p, double a, double b,
                        double *by_kind, bool *on_path)
{
    for (;;) {
        const timeline_phase *ph = &tl->phases[p];
        double start = 0.0;
        size_t bind = tl->n_phases;
        for (size_t j = 0; j < ph->n_after; j++)
            if (bind == tl->n_phases || end_days[ph->after[j]] > start) {
                start = end_days[ph->after[j]];
                bind = ph->after[j];
            }
        double lo = a > start ? a : start, hi = b < end_days[p] ? b : end_days[p];
        if (hi > lo) {
            by_kind[ph->kind] += hi - lo;
            if (on_path)
                on_path[p] = true;
        }
        if (bind == tl->n_phases || a >= start)
            return;
        p = bind;
    }
}

/* A phase's duration over its attempts (see timeline.h), continuing its stream r after the duration's
 * draw d: each attempt connects with its probability after its wait (a request filed again at the same
 * place waits d again; at a next site, that site's own draw), or is withdrawn; then the project files
 * again after the delay, until its attempts are spent (stop: one; reapply: max_attempts; next_site: the
 * first place and each site of the list). *moved counts the moves to a next site. */
static double attempts_days(const timeline_outcome *o, double d, sim_rng *r, double *moved)
{
    bool next = o->then == TIMELINE_THEN_NEXT_SITE;
    long long attempts = o->then == TIMELINE_THEN_STOP ? 1 : next ? (long long)o->n_sites + 1 : o->max_attempts;
    double total = 0, p = o->success_probability;
    const sim_dist *withdrawn = &o->withdrawn_after_days;
    for (long long k = 0;; k++) {
        if (p >= 1 || sim_rng_uniform(r) < p) {
            *moved += next ? (double)k : 0;
            return total + d;
        }
        double w = sim_dist_sample(withdrawn, r);
        total += w > 0 ? w : 0;
        if (k + 1 >= attempts) {
            *moved += next ? (double)k : 0;
            return TIMELINE_NEVER_DAYS;
        }
        double lag = sim_dist_sample(&o->reapply_delay_days, r);
        total += lag > 0 ? lag : 0;
        if (next) {
            const timeline_site *s = &o->sites[k];
            double dk = sim_dist_sample(&s->duration_days, r);
            d = dk > 0 ? dk : 0;
            p = s->success_probability;
            withdrawn = &s->withdrawn_after_days;
        }
    }
}

void timeline_sample(const timeline_config *tl, struct sim_engine *eng, double *end_days, double *sites_moved)
{
    double moved = 0;
    uint32_t stream = sim_engine_stream(eng, "timeline", "durations");
    double dur[TIMELINE_MAX_PHASES];
    sim_rng r[TIMELINE_MAX_PHASES];
    for (size_t i = 0; i < tl->n_phases; i++) {
        r[i] = sim_engine_keyed(eng, stream, sim_rng_hash_name(tl->phases[i].name), 0);
        double d = sim_dist_sample(&tl->phases[i].duration_days, &r[i]);
        dur[i] = d > 0.0 ? d : 0.0;
    }
    if (tl->paced) { /* one draw for the builder's phases */
        sim_rng pr = sim_engine_keyed(eng, sim_engine_stream(eng, "timeline", "pace"), 0, 0);
        double f = sim_dist_sample(&tl->pace, &pr);
        for (size_t i = 0; i < tl->n_phases; i++)
            if (paced_kind(tl->phases[i].kind))
                dur[i] *= f > 0 ? f : 0;
    }
    for (size_t k = 0; k < tl->n_outcomes; k++) {
        const timeline_outcome *o = &tl->outcomes[k];
        size_t i = o->phase;
        dur[i] = attempts_days(o, dur[i], &r[i], &moved);
    }
    if (sites_moved)
        *sites_moved = moved;
    timeline_schedule(tl, dur, end_days);
}

/*
 * site: the whole buildout of one AI datacenter site — the model set that
 * gigasim runs. It reads every model's parameters from the scenario, and for
 * one replication wires them onto one engine:
 *
 *   timeline  -> phase end days
 *   climate   -> hourly outdoor temperature
 *   power     -> supply steps (grid tranches, on-site generation)
 *   racks     -> deliveries, installs, burn-in, failures (buildout/)
 *   milestones-> first token, capacity, delay by cause (buildout/)
 *   facility  -> IT load by cooling technology and weather -> facility MW
 *   meter     -> energy, CO2, cost, water; the daily series
 *   serving   -> inference TTFT windows on the GPUs online
 * Each model declares the RNG streams it uses (*_RNG_STREAMS); the site
 * assigns them consecutive ranges (site.c).
 *
 * and reports the metrics below (NAN when a milestone is not reached by the
 * horizon). Keys of its own, with their defaults (run settings, not physical
 * constants): sim.horizon_days (1826, five years), sim.step_days (1),
 * sim.max_events (1e8, the runaway cap), region ("custom"), currency ("USD").
 */
#ifndef MODELS_SITE_H
#define MODELS_SITE_H

#include "models/buildout/racks.h"
#include "sim/app.h"

extern const sim_app site_app;

/* The rack types and orders of a site loaded with site_app.load (for the
 * benchmark's renewal workload, which replays their failures alone). */
const racks_config *site_racks(const void *model);

enum {
    M_TTFT_DAYS,
    M_T50_DAYS,
    M_T90_DAYS,
    M_TFULL_DAYS,
    M_IT_MWH,
    M_FACILITY_MWH,
    M_PUE_MEAN,
    M_CO2_T,
    M_ENERGY_COST,
    M_WATER_M3,
    M_GRID_MWH,
    M_ONSITE_MWH,
    M_OVER_SUPPLY_MWH,
    M_PEAK_FACILITY_MW,
    M_GPUS_PLANNED,
    M_GPUS_ACCEPTED,
    M_RACKS_ACCEPTED,
    M_STRANDED_RACK_DAYS,
    M_PEAK_STRANDED,
    M_WAIT_HALL,
    M_WAIT_CREW,
    M_WAIT_POWER,
    M_BURNIN,
    M_BURNIN_FAILURES,
    M_SERVICE_FAILURES,
    M_EVENTS,
    /* delay_days_by_cause.{first_token,full_capacity,mean_per_rack}.<cause>,
     * causes in the order of racks.h */
    M_CAUSE_FIRST_TOKEN,
    M_CAUSE_FULL = M_CAUSE_FIRST_TOKEN + 6,
    M_CAUSE_MEAN = M_CAUSE_FULL + 6,
    /* serving (models/serving/serving.h): request-weighted over the sampled windows */
    M_SERVING_TTFT_P50_MS = M_CAUSE_MEAN + 6,
    M_SERVING_TTFT_P99_MS,
    M_SERVING_TTFT_P99_WORST_MS,
    M_SERVING_SHARE_WITHIN_TARGET,
    M_SERVING_REQUESTS,
    M_SERVING_UNSERVED_REQUESTS,
    M_SERVING_TARGET_MS,
    M_SERVING_COMPLETION_P50_MS,
    M_SERVING_TPOT_MS,
    M_N
};

#endif

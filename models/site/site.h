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
 * Each model names the RNG streams it draws from (sim_engine_stream: a
 * stream's draws follow from the seed, the replication and the model's and
 * stream's names only).
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

/* The metrics, each declared once: its index, name, unit, description and
 * flags (sim/app.h). The table (site.c) and the enum below come from here. */
#define SITE_CAUSE_METRICS(X, ID, GROUP, WHAT)                                                                      \
    X(ID, "delay_days_by_cause." GROUP ".permits", "days", WHAT ": permitting phases on the critical path", 0)         \
    X(ID##_GRID, "delay_days_by_cause." GROUP ".grid_connection", "days",                                          \
      WHAT ": grid connection phases on the critical path", 0)                                                     \
    X(ID##_EQUIPMENT, "delay_days_by_cause." GROUP ".electrical_equipment", "days",                                \
      WHAT ": long-lead electrical equipment on the critical path (transformers, an on-site plant's lead)", 0)      \
    X(ID##_CONSTRUCTION, "delay_days_by_cause." GROUP ".construction", "days",                                     \
      WHAT ": construction phases on the critical path, and halls built one after another", 0)                    \
    X(ID##_COMMISSIONING, "delay_days_by_cause." GROUP ".commissioning", "days",                                   \
      WHAT ": commissioning phases on the critical path", 0)                                                       \
    X(ID##_OTHER, "delay_days_by_cause." GROUP ".other_phases", "days", WHAT ": other timeline phases", 0)           \
    X(ID##_GPU_SUPPLY, "delay_days_by_cause." GROUP ".gpu_supply", "days",                                          \
      WHAT ": the order's own delay, and order to delivery", 0)                                                    \
    X(ID##_COOLING, "delay_days_by_cause." GROUP ".cooling_capacity", "days",                                    \
      WHAT ": waiting for cooled hall space while a hall that could take it was full", 0)                         \
    X(ID##_CREWS, "delay_days_by_cause." GROUP ".install_crews", "days", WHAT ": waiting for a crew, and install", \
      0)                                                                                                           \
    X(ID##_POWER, "delay_days_by_cause." GROUP ".power", "days",                                                  \
      WHAT ": installed, waiting for supply once some supply existed", 0)                                          \
    X(ID##_BRINGUP, "delay_days_by_cause." GROUP ".bringup", "days", WHAT ": the first cluster's bring-up", 0)       \
    X(ID##_BURNIN, "delay_days_by_cause." GROUP ".burnin_failures", "days", WHAT ": burn-in, its failures and repairs", 0)

#define SITE_METRICS(X)                                                                                              \
    X(M_TTFT_DAYS, "time_to_first_token_days", "days",                                                              \
      "days from day 0 until first_token.min_racks racks serve together",                                                \
      SIM_METRIC_HEADLINE | SIM_METRIC_RANKING | SIM_METRIC_DAY | SIM_METRIC_DELAY)   \
    X(M_T50_DAYS, "time_to_50pct_capacity_days", "days", "days until half the planned GPUs are accepted",             \
      SIM_METRIC_HEADLINE | SIM_METRIC_DAY)                                                                                         \
    X(M_T90_DAYS, "time_to_90pct_capacity_days", "days", "days until 90 % of the planned GPUs are accepted", SIM_METRIC_DAY)        \
    X(M_T95_DAYS, "time_to_95pct_capacity_days", "days", "days until 95 % of the planned GPUs are accepted", SIM_METRIC_DAY)        \
    X(M_T99_DAYS, "time_to_99pct_capacity_days", "days", "days until 99 % of the planned GPUs are accepted",          \
      SIM_METRIC_HEADLINE | SIM_METRIC_DAY)                                                                                         \
    X(M_TFULL_DAYS, "time_to_full_capacity_days", "days", "days until every planned GPU is accepted",                 \
      SIM_METRIC_HEADLINE | SIM_METRIC_RANKING | SIM_METRIC_DAY | SIM_METRIC_DELAY)                                                                      \
    X(M_IT_MWH, "it_energy_mwh", "MWh", "IT energy over the horizon", SIM_METRIC_HEADLINE)                          \
    X(M_FACILITY_MWH, "facility_energy_mwh", "MWh", "facility energy (IT, cooling, losses, fixed loads)",             \
      SIM_METRIC_HEADLINE | SIM_METRIC_RANKING)                                                                      \
    X(M_PUE_MEAN, "pue_mean", "", "facility energy / IT energy over the horizon", SIM_METRIC_HEADLINE)                 \
    X(M_CO2_T, "co2_t", "t", "CO2 of the grid and on-site energy", SIM_METRIC_HEADLINE | SIM_METRIC_STUDY)                             \
    X(M_ENERGY_COST, "energy_cost", "currency", "cost of the grid and on-site energy", SIM_METRIC_HEADLINE)            \
    X(M_WATER_M3, "water_m3", "m3", "cooling water: evaporation and blowdown, from the heat and the weather", SIM_METRIC_HEADLINE) \
    X(M_WUE, "wue_l_per_kwh", "L/kWh", "water per IT energy (WUE)", 0)                                 \
    X(M_GRID_MWH, "grid_energy_mwh", "MWh", "facility energy from the grid", 0)                                     \
    X(M_ONSITE_MWH, "onsite_energy_mwh", "MWh", "facility energy from on-site gas turbines", 0)                        \
    X(M_OVER_SUPPLY_MWH, "over_supply_energy_mwh", "MWh",                                                           \
      "energy drawn above the supply in its hour (a variable load's peaks, a shortfall nothing covered)", 0)         \
    X(M_CO2_MARKET_T, "co2_market_t", "t",                                                                          \
      "market-based CO2: grid energy beyond the PPAs' (yearly volumes) at the residual mix, plus on-site fuel", 0)  \
    X(M_CFE_SHARE, "cfe_share", "share", "24/7 carbon-free share: each hour's clean supply over the load, summed", 0) \
    X(M_PEAK_GRID_MW, "peak_grid_mw", "MW", "the highest hourly grid draw", 0)                                        \
    X(M_GRID_FLEX_MWH, "energy.grid_flexible_mwh", "MWh", "grid energy over the non-firm (flexible) connection", 0)   \
    X(M_SOLAR_MWH, "energy.solar_mwh", "MWh", "on-site solar energy used or stored", 0)                               \
    X(M_WIND_MWH, "energy.wind_mwh", "MWh", "on-site wind energy used or stored", 0)                                 \
    X(M_DIESEL_MWH, "energy.diesel_mwh", "MWh", "diesel backup energy", 0)                                           \
    X(M_FUEL_CELL_MWH, "energy.fuel_cell_mwh", "MWh", "energy from on-site fuel cells", 0)                            \
    X(M_PPA_MWH, "energy.ppa_mwh", "MWh", "energy contracted by the PPA (generated, whether drawn or not)", 0)         \
    X(M_BATT_DISCHARGE_MWH, "energy.battery_discharge_mwh", "MWh", "energy the battery delivered", 0)               \
    X(M_BATT_LOSS_MWH, "energy.battery_losses_mwh", "MWh", "battery energy charged and not delivered or stored", 0)   \
    X(M_SPILLED_MWH, "energy.spilled_mwh", "MWh", "on-site solar and wind neither used nor stored", 0)               \
    X(M_GRID_COST, "energy.grid_cost", "currency", "cost of the grid energy at the hourly price", 0)                 \
    X(M_ONSITE_COST, "energy.onsite_cost", "currency", "cost of on-site energy: gas, fuel cells, diesel, solar, wind", 0)\
    X(M_PPA_COST, "energy.ppa_settlement", "currency", "the PPA's settlement: contracted MWh x (strike - price)", 0)   \
    X(M_TARIFF_COST, "energy.grid_tariff", "currency",                                                              \
      "the grid tariff's capacity and minimum demand charges (site.grid.tariff; in energy_cost)", 0)                \
    X(M_CURTAILED_HOURS, "flexibility.curtailed_hours", "hours",                                                     \
      "hours in which curtailment took back non-firm capacity the site needed", 0)                                   \
    X(M_CURTAILED_MWH, "flexibility.curtailed_mwh", "MWh", "non-firm grid energy the site needed and did not get", 0) \
    X(M_PAUSED_MWH, "flexibility.paused_mwh", "MWh",                                                                \
      "facility energy paused for a shortfall (curtailment, outage) the battery and backup could not cover", 0)     \
    X(M_GPU_HOURS_LOST, "flexibility.gpu_hours_lost", "GPU-hours", "GPU-hours paused for shortfalls", 0)            \
    X(M_DR_HOURS, "demand_response.hours", "hours", "hours of paused training above the price threshold", 0)         \
    X(M_DR_MWH, "demand_response.paused_mwh", "MWh", "facility energy paused by demand response", 0)                \
    X(M_DR_SAVING, "demand_response.saving", "currency", "what the paused energy would have cost", 0)                \
    X(M_DR_GPU_HOURS, "demand_response.gpu_hours_lost", "GPU-hours", "GPU-hours paused by demand response", 0)       \
    X(M_MONEY_CAPEX, "money.capex", "currency", "capital spent within the horizon: racks, halls, energy assets",      \
      SIM_METRIC_HEADLINE)                                                                                         \
    X(M_MONEY_CAPEX_RACKS, "money.capex_racks", "currency", "racks delivered, at their catalog price", 0)            \
    X(M_MONEY_CAPEX_FACILITY, "money.capex_facility", "currency", "halls ready, per MW of IT capacity", 0)           \
    X(M_MONEY_CAPEX_ENERGY, "money.capex_energy", "currency",                                                        \
      "grid connection, on-site sources and battery", 0)                                          \
    X(M_MONEY_CARRY, "money.cost_of_delay", "currency",                                                              \
      "carrying cost of capital waiting: racks delivered and not serving, halls ready with no rack serving",        \
      SIM_METRIC_HEADLINE | SIM_METRIC_DELAY)                                                                      \
    X(M_MONEY_CARRY_RACKS, "money.cost_of_delay_racks", "currency", "the racks' part of the cost of delay", 0)        \
    X(M_MONEY_CARRY_FACILITY, "money.cost_of_delay_facility", "currency", "the halls' part of the cost of delay", 0) \
    X(M_MONEY_REVENUE_PV, "money.revenue_pv", "currency", "revenue of the GPU-hours online, discounted to day 0", 0) \
    X(M_MONEY_OPEX_PV, "money.opex_pv", "currency", "energy and O&M, discounted to day 0", 0)                        \
    X(M_MONEY_TERMINAL, "money.terminal_value", "currency",                                                          \
      "the assets' book value left at the horizon, discounted (money.terminal_value = \"book\"; else 0)", 0)        \
    X(M_MONEY_NPV, "money.npv", "currency", "net present value over the horizon, plus the terminal value if asked",  \
      SIM_METRIC_HEADLINE | SIM_METRIC_RANKING | SIM_METRIC_DELAY | SIM_METRIC_VALUE)                                                                    \
    X(M_MONEY_PAYBACK, "money.payback_day", "days",                                                                  \
      "the day from which the discounted running cash stays at or above 0 to the horizon", SIM_METRIC_DAY)        \
    X(M_MONEY_PER_GPU_HOUR, "money.cost_per_gpu_hour", "currency",                                                   \
      "levelized: capital as annuities, energy and O&M, over GPU-hours online (discounted)", 0)                    \
    X(M_MONEY_PER_MTOKEN, "money.cost_per_million_tokens", "currency",                                              \
      "the cost per GPU-hour over the tokens a GPU-hour serves (millions)", 0)                                       \
    X(M_LIFE_NPV, "money.lifetime.npv", "currency",                                                                \
      "net present value over the site's life (to its last hall's end): steady state after the horizon, "          \
      "replacements, salvage", SIM_METRIC_HEADLINE | SIM_METRIC_RANKING | SIM_METRIC_DELAY | SIM_METRIC_VALUE)                                            \
    X(M_LIFE_IRR, "money.lifetime.irr", "share", "internal rate of return of the lifetime's cash (a yearly rate)",  \
      SIM_METRIC_HEADLINE)                                                                                         \
    X(M_LIFE_PAYBACK, "money.lifetime.payback_day", "days",                                                          \
      "the day from which the lifetime's discounted running cash stays at or above 0", SIM_METRIC_DAY)             \
    X(M_LIFE_END, "money.lifetime.end_day", "days", "the end of the site's life: its last hall's", SIM_METRIC_DAY)    \
    X(M_LIFE_CAPEX, "money.lifetime.capex", "currency", "capital over the life, replacements included (undiscounted)", \
      0)                                                                                                           \
    X(M_LIFE_PER_GPU_HOUR, "money.lifetime.cost_per_gpu_hour", "currency",                                          \
      "levelized over the life: capital, energy and O&M less salvage over GPU-hours online (discounted)",          \
      SIM_METRIC_HEADLINE)                                                                                         \
    X(M_LIFE_PER_MTOKEN, "money.lifetime.cost_per_million_tokens", "currency",                                      \
      "the lifetime cost per GPU-hour over the tokens a GPU-hour serves (millions)", 0)                              \
    X(M_LIFE_COMPLETE, "money.lifetime.complete", "share",                                                         \
      "1 when full capacity came a year or more before the horizon, so the life after it carries the whole site "  \
      "(mean: the share; else only what was online then)", SIM_METRIC_REPORT)                                        \
    X(M_GRID_NOT_CONNECTED, "grid_not_connected", "share",                                                      \
      "1 if the grid (firm or flexible) did not connect within the horizon (its mean: the share that did not)",    \
      SIM_METRIC_REPORT)                                                                                         \
    X(M_SITES_MOVED, "sites_moved", "count",                                                                        \
      "moves of a withdrawn request to the next site of its list (outcomes with then = next_site; none: empty)", 0)  \
    X(M_PEAK_FACILITY_MW, "peak_facility_mw", "MW", "the highest facility draw", SIM_METRIC_HEADLINE)                 \
    X(M_GPUS_PLANNED, "gpus_planned", "GPUs", "GPUs ordered", 0)                                                     \
    X(M_GPUS_ACCEPTED, "gpus_accepted", "GPUs", "GPUs accepted by the horizon", SIM_METRIC_HEADLINE)                  \
    X(M_RACKS_ACCEPTED, "racks_accepted", "racks", "racks accepted by the horizon", 0)                               \
    X(M_STRANDED_RACK_DAYS, "stranded_rack_days", "rack-days", "racks delivered but not yet energized, times days",    \
      SIM_METRIC_HEADLINE)                                                                                         \
    X(M_PEAK_STRANDED, "peak_racks_stranded", "racks", "the most racks delivered but not energized at once", 0)        \
    X(M_HALL_INVENTORY, "hall_inventory_rack_days", "rack-days", "racks delivered and waiting for a place in a hall, times days", \
      SIM_METRIC_HEADLINE)                                                                                         \
    X(M_WAIT_HALL, "wait_hall_days_mean", "days", "mean days from delivery to a place in a hall", 0)                  \
    X(M_WAIT_CREW, "wait_crew_days_mean", "days", "mean days from a place in a hall to a crew", 0)                    \
    X(M_WAIT_POWER, "wait_power_days_mean", "days", "mean days from install to power", 0)                             \
    X(M_BURNIN, "burnin_days_mean", "days", "mean days from power to acceptance", 0)                                  \
    X(M_BURNIN_FAILURES, "burnin_failures", "count", "racks that failed burn-in (each time)", 0)                      \
    X(M_HW_REPLACEMENTS, "hw_replacements", "count", "hardware units (nodes, trays) failed in service and sent for repair", 0) \
    X(M_HW_PER_GPU_DAY, "hw_replacements_per_gpu_day", "1/GPU-day", "hardware replacements per GPU-day in service", 0) \
    X(M_GPU_DAYS_SHORT, "gpu_days_short_of_spares", "GPU-days",                                                   \
      "GPU-days out of service because a rack type had more units in repair than spares", 0)                        \
    X(M_INTERRUPTIONS, "interruptions", "count", "job interruptions on the GPUs in service (restarts, not repairs)", 0) \
    X(M_TRAINING_GOODPUT, "training.goodput", "share",                                                             \
      "effective training time ratio: training GPU-hours less interruptions and checkpoint writes", SIM_METRIC_HEADLINE) \
    X(M_TRAINING_INTERRUPTIONS, "training.interruptions", "count", "interruptions of the training jobs", 0)  \
    X(M_TRAINING_LOST_GPU_HOURS, "training.gpu_hours_lost", "GPU-hours",                                            \
      "GPU-hours lost to interruptions: restart and work since the last checkpoint", 0)                             \
    X(M_EVENTS, "events", "count", "engine events and changes run", 0)                                               \
    SITE_CAUSE_METRICS(X, M_CAUSE_FIRST_TOKEN, "first_token", "the rack that reached first token")                 \
    SITE_CAUSE_METRICS(X, M_CAUSE_FULL, "full_capacity", "the rack that completed the build")                       \
    SITE_CAUSE_METRICS(X, M_CAUSE_MEAN, "mean_per_rack", "mean over accepted racks")                                \
    X(M_SERVING_TTFT_P50_MS, "serving.ttft_p50_ms", "ms", "median TTFT of every admitted request of the run", SIM_METRIC_REPORT)        \
    X(M_SERVING_TTFT_P99_MS, "serving.ttft_p99_ms", "ms", "P99 TTFT of every admitted request of the run", SIM_METRIC_REPORT)          \
    X(M_SERVING_TTFT_P99_WORST_MS, "serving.ttft_p99_worst_period_ms", "ms", "the worst sampled period's P99 TTFT", SIM_METRIC_REPORT) \
    X(M_SERVING_SHARE_WITHIN_TARGET, "serving.share_within_ttft_target", "share",                                    \
      "share of requests answered within ttft_target_ms (a rejected request is a miss)", SIM_METRIC_REPORT)                         \
    X(M_SERVING_REQUESTS, "serving.requests", "requests", "requests while some replica served (the demand's integral)", \
      SIM_METRIC_REPORT)                                                                                                     \
    X(M_SERVING_REJECTED, "serving.requests_rejected", "requests", "requests rejected: their wait would pass max_wait_ms", \
      SIM_METRIC_REPORT)                                                                                                     \
    X(M_SERVING_SHARE_SATURATED, "serving.share_requests_saturated", "share",                                       \
      "share of requests in windows at or above saturation (utilization >= 1)", SIM_METRIC_REPORT)                                  \
    X(M_SERVING_UNSERVED_REQUESTS, "serving.requests_without_capacity", "requests",                                 \
      "requests in windows with no replica online", SIM_METRIC_REPORT)                                                              \
    X(M_SERVING_TARGET_MS, "serving.ttft_target_ms", "ms", "the TTFT target (scenario key)", SIM_METRIC_REPORT)                       \
    X(M_SERVING_COMPLETION_P50_MS, "serving.completion_p50_ms", "ms", "median time to the last output token", SIM_METRIC_REPORT)      \
    X(M_SERVING_TPOT_MS, "serving.time_per_output_token_ms", "ms", "time per output token (1000 / decode rate)", SIM_METRIC_REPORT)

#define SITE_METRIC_ID(id, name, unit, description, flags) id,
enum { SITE_METRICS(SITE_METRIC_ID) M_N };
#undef SITE_METRIC_ID

#endif

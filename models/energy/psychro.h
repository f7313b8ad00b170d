/*
 * psychro: properties of moist air that cooling towers and adiabatic
 * coolers depend on, at a station pressure p (kPa).
 *
 *   saturation vapour pressure over water (Magnus form, Alduchov & Eskridge
 *   1996 coefficients, within 0.4 % from -40 to 50 C) [PSY-MAGNUS]:
 *     es(T) = 0.61094 exp(17.625 T / (T + 243.04))                 kPa
 *   humidity ratio     w = 0.621945 e / (p - e)                    kg water / kg dry air
 *   enthalpy           h = 1.006 T + w (2501 + 1.86 T)             kJ / kg dry air
 *   wet bulb Tw solves the ventilated psychrometer equation (WMO-No. 8)
 *   [PSY-WMO]:
 *     e(Td) = es(Tw) - A p (T - Tw),  A = 6.53e-4 (1 + 9.44e-4 Tw)  per K
 *   by Newton's method from Tw = T - (T - Td)/3, four steps (converged
 *   to 1e-9 C over the range of weather).
 *
 * The dew point is capped at the dry bulb (air cannot hold more than
 * saturation): with Td >= T the wet bulb is T.
 */
#ifndef MODELS_ENERGY_PSYCHRO_H
#define MODELS_ENERGY_PSYCHRO_H

#define PSY_STANDARD_PRESSURE_KPA 101.325
/* Latent heat of vaporisation of water near 25 C (2,442 kJ/kg at 25 C,
 * 2,454 at 20 C, steam tables [PSY-LATENT]): evaporating water rejects at
 * most 3600 / 2442 = 1.47 L per kWh of heat. */
#define PSY_LATENT_KJ_PER_KG 2442.0
#define PSY_L_PER_KWH_EVAPORATED (3600.0 / PSY_LATENT_KJ_PER_KG)

double psy_sat_vp_kpa(double t_c);
double psy_humidity_ratio(double vp_kpa, double p_kpa);
double psy_enthalpy_kj_per_kg(double t_c, double w);
double psy_wet_bulb_c(double t_c, double dew_c, double p_kpa);

#endif

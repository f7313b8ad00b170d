"""gigasim from Python: the EU 1 GW scenario with more install crews, its
first token as a date, its lifetime NPV, and the first years of its cash.

    make python
    PYTHONPATH=python GIGASIM_LIB=build/libgigasim.so python3 examples/quickstart.py
"""
import sys

import gigasim

scenario = sys.argv[1] if len(sys.argv) > 1 else "scenarios/eu-gigafactory-1gw.cfg"
r = gigasim.run(scenario, replications=20, set={"racks.crews": 80, "serving.enabled": False})
ft = r.summary["time_to_first_token_days"]
print(f"{r.summary['scenario']}: first token P50 {ft.get('date_p50', ft['p50'])}, "
      f"P10-P90 {ft.get('date_p10', ft['p10'])} to {ft.get('date_p90', ft['p90'])}")
print(f"lifetime NPV P50: {r.figure('money.lifetime.npv') / 1e9:.1f} bn {r.summary.get('currency', '')}")
print(r.replications[["time_to_first_token_days", "money.lifetime.npv"]].describe().loc[["mean", "50%"]])
if r.years is not None:
    first = r.years.columns[0]  # "year" from a start date, "year_from_day_0" without one
    print(r.years[[first, "capex_mean", "revenue_mean", "cumulative_pv_mean"]].head(8).to_string(index=False))
try:
    gigasim.run(scenario, set={"racks.crewz": 80})
except gigasim.Error as e:
    print("refused:", e)

# The site's cash flow by year over its life (years.csv, means over the
# replications, billion of the scenario's currency): bars up for revenue and
# salvage, down for capital, energy and O&M; the running discounted sum as a
# line, and the payback day (P50) marked. Skipped without years.csv (no money).
load plotsdir."/_common.gp"
if (!exists("has_years")) { exit }
years = datadir."/years.csv"
set xdata
set format x "%g"
set xtics norotate
set bmargin 6
m = bands ? "_mean" : ""
col(name) = column(name.m) / 1e9
set output outdir."/cashflow.".ext
unit = exists("currency") ? currency : ""
set title titled(sprintf("Cash flow by year over the site's life (%s, billion %s)", bands ? sprintf("means of %d replications", nreps) : "one replication", unit))
set xlabel (dated ? "year" : "year from day 0")
set ylabel "billion ".unit
set grid ytics
set xzeroaxis lt -1
set boxwidth 0.7
set style fill solid 0.85 border lc rgb "#ffffff"
# the payback day (P50) as a fractional year: a row's bar is centred on its year
payback = exists("m_lifetime_payback_day") && m_lifetime_payback_day >= 0 ? m_lifetime_payback_day : -1
pb_x = payback < 0 ? -1 : dated ? (start_s + payback * 86400.0) / (365.2425 * 86400.0) + 1970 - 0.5 : payback / 365.25 + 0.5
if (payback >= 0) {
  set arrow 1 from pb_x, graph 0 to pb_x, graph 1 nohead dt 2 lc rgb "#333333" lw 1.5
  set label 1 sprintf("payback (P50) %s", when(payback)) at pb_x, graph 0.96 offset 0.6,0 left front
}
plot years using 1:(col("revenue") + col("salvage")) with boxes lc rgb "#8fbf6a" title "salvage", \
     years using 1:(col("revenue")) with boxes lc rgb "#2e7d32" title "revenue", \
     years using 1:(-(col("capex") + col("energy_cost") + col("om"))) with boxes lc rgb "#1f5fa8" title "capital", \
     years using 1:(-(col("energy_cost") + col("om"))) with boxes lc rgb "#c55a11" title "energy", \
     years using 1:(-col("om")) with boxes lc rgb "#7f7f7f" title "O\\&M", \
     years using 1:(col("cumulative_pv")) with linespoints pt 7 ps 0.7 lw 2 lc rgb "#111111" title "discounted running sum"

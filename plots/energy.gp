# The facility's energy by source, year by year over the horizon (years.csv,
# means over the replications, GWh): the grid, on-site plants, solar, wind
# and the battery's discharge stacked up; the energy curtailed and paused
# below zero (asked for and not delivered). Skipped without years.csv (or
# one without the energy by source).
load plotsdir."/_common.gp"
if (!exists("has_energy")) { exit }
years = datadir."/years.csv"
set datafile columnheaders
set xdata
set format x "%g"
set xtics norotate 1
m = bands ? "_mean" : ""
gwh(name) = column(name.m) / 1e3
# the years the run simulated (after them, years.csv carries the lifetime's steady state)
first = dated ? int(strftime("%Y", start_s)) : 1
last = dated ? int(strftime("%Y", start_s + (horizon - 1) * 86400.0)) : ceil(horizon / 365.25)
within(y) = y <= last
set xrange [first - 0.6 : last + 0.6]
set output outdir."/energy.".ext
set title titled(sprintf("Energy by source, year by year (%s, GWh)", bands ? sprintf("means of %d replications", nreps) : "one replication"))
set xlabel (dated ? "year" : "year from day 0")
set ylabel "GWh"
set grid ytics
set xzeroaxis lt -1
set boxwidth 0.7
set style fill solid 0.85 border lc rgb "#ffffff"
up(a, b, c, d, e) = gwh(a) + gwh(b) + gwh(c) + gwh(d) + gwh(e)
plot years using 1:(within($1) ? up("grid_mwh", "onsite_mwh", "solar_mwh", "wind_mwh", "battery_mwh") : NaN) with boxes lc rgb "#7b3294" title "battery", \
     years using 1:(within($1) ? gwh("grid_mwh") + gwh("onsite_mwh") + gwh("solar_mwh") + gwh("wind_mwh") : NaN) with boxes lc rgb "#4393c3" title "wind", \
     years using 1:(within($1) ? gwh("grid_mwh") + gwh("onsite_mwh") + gwh("solar_mwh") : NaN) with boxes lc rgb "#f0b400" title "solar", \
     years using 1:(within($1) ? gwh("grid_mwh") + gwh("onsite_mwh") : NaN) with boxes lc rgb "#c55a11" title "on-site plants", \
     years using 1:(within($1) ? gwh("grid_mwh") : NaN) with boxes lc rgb "#1f5fa8" title "grid", \
     years using 1:(within($1) ? -(gwh("curtailed_mwh") + gwh("paused_mwh")) : NaN) with boxes lc rgb "#999999" title "curtailed", \
     years using 1:(within($1) ? -gwh("paused_mwh") : NaN) with boxes lc rgb "#b03a2e" title "paused"

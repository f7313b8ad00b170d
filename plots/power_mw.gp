# IT and facility power (MW, daily averages) and the supply available.
load plotsdir."/_common.gp"
set output outdir."/power_mw.".ext
set title titled("Power draw and supply (".(bands ? sprintf("median and P10-P90 of %d replications", nreps) : "one replication").")")
set ylabel "MW"
set yrange [0:*]
if (bands) {
  plot series using (X(column("day"))):"facility_mw_p10":"facility_mw_p90" with filledcurves lc rgb "#f4b183" fs transparent solid 0.4 title "facility P10-P90", \
       series using (X(column("day"))):"supply_mw" with steps lc rgb "#2e7d32" lw 1.5 title "supply available (median)", \
       series using (X(column("day"))):"facility_mw" with lines lc rgb "#c55a11" lw 2 title "facility MW (median)", \
       series using (X(column("day"))):"it_mw" with lines lc rgb "#1f5fa8" lw 2 title "IT MW (median)"
} else {
  plot series using (X(column("day"))):"supply_mw" with steps lc rgb "#2e7d32" lw 1.5 title "supply available", \
       series using (X(column("day"))):"facility_mw" with lines lc rgb "#c55a11" lw 2 title "facility MW", \
       series using (X(column("day"))):"it_mw" with lines lc rgb "#1f5fa8" lw 2 title "IT MW"
}

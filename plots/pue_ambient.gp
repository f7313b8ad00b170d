# PUE (daily, energy-weighted; left axis) and outdoor temperature (right axis).
load plotsdir."/_common.gp"
set output outdir."/pue_ambient.".ext
set title titled("PUE and outdoor temperature (".(bands ? "medians" : "one replication").")")
set ylabel "PUE (facility / IT energy)" tc rgb "#c55a11"
set y2label "outdoor temperature (°C)" tc rgb "#1f5fa8"
set ytics nomirror tc rgb "#c55a11"
set y2tics tc rgb "#1f5fa8"
# PUE at a few racks of load is dominated by the halls' fixed load: show it
# where the IT load is at least 2 % of its peak.
set xdata   # stats reads numbers, not dates
stats series using "it_mw" name "IT" nooutput
stats series using "ambient_c" name "AMB" nooutput
if (dated) { set xdata time }
# a constant temperature (a test site) gets a degree either side, not gnuplot's warning
if (AMB_max - AMB_min < 1) { set y2range [AMB_min - 1 : AMB_max + 1] }
# From 1 (no overhead) to at least 1.3, so that a swing of a percent or two
# looks like what it is.
set yrange [1:1.3<*]
plot series using (X(column("day"))):"ambient_c" axes x1y2 with lines lc rgb "#9dbbe0" lw 1 title "outdoor °C (daily mean)", \
     series using (X(column("day"))):(column("it_mw") >= 0.02 * IT_max ? column("pue") : NaN) with lines lc rgb "#c55a11" lw 2 \
       title "PUE (daily; where IT load >= 2 % of peak)"

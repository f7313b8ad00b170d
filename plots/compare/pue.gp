# PUE per scenario (daily, energy-weighted; shown where the IT load is at
# least 2 % of that scenario's peak, as in the single-run chart).
load plotsdir."/compare/_compare.gp"
set output outdir."/compare_pue.".ext
set title "PUE, daily (".(bands ? "medians" : "one replication each").")"
set ylabel "PUE (facility / IT energy)"
# Each scenario's peak IT load, read before the PUE axis is set (stats
# keeps only the values within the y range: a site under 1 MW has none).
array itmax[nscen]
do for [i=1:nscen] {
  set xdata   # stats reads numbers, not dates
  stats sfile(i) using "it_mw" name "IT" nooutput
  if (dated) { set xdata time }
  itmax[i] = IT_max
}
# From 1 (no overhead) to at least 1.3, so that a swing of a percent or two
# looks like what it is.
set yrange [1:1.3<*]
plot for [i=1:nscen] sfile(i) using (X(column("day"))):(column("it_mw") >= 0.02 * itmax[i] ? column("pue") : NaN) \
       with lines lc rgb scolour(i) lw 1.5 title slabel(i)

# When first token comes in each scenario of the comparison: the empirical
# CDF of its days over the replications (replications.csv), one colour per
# scenario; a curve that ends below 100 % never reached it in the rest,
# the share named in the key.
load plotsdir."/compare/_compare.gp"
if (nreps < 2) { exit }
set output outdir."/compare_first_token_cdf.".ext
rfile(i) = datadir."/".word(labels, i)."/replications.csv"
reached(x) = (x == x)
day_or_after(x) = reached(x) ? x : 2 * horizon + 1
array missed[nscen]
set xdata
do for [i=1:nscen] {
  stats rfile(i) using (reached(column("time_to_first_token_days")) ? 0 : 1) name "M" nooutput
  missed[i] = M_sum
}
if (dated) { set xdata time }
if (horizon > 0) { set xrange [X(0):X(horizon)] }
set title sprintf("When first token comes: share of replications by each date (%d each, common random numbers)", nreps)
set ylabel "share of replications (%)"
set yrange [0:100]
set ytics 10
plot for [i=1:nscen] rfile(i) using (X(day_or_after(column("time_to_first_token_days")))):(100.0/nreps) \
       smooth cumulative with steps lc rgb scolour(i) lw 2 \
       title slabel(i).(missed[i] > 0 ? sprintf(" (not reached in %.1f %%)", 100.0 * missed[i] / nreps) : "")

# Distribution over replications of the days to first token and to full
# capacity (empirical CDFs from replications.csv; replications that did not
# reach a milestone by the horizon leave the curve below 100 %).
load plotsdir."/_common.gp"
if (nreps < 2) { exit }   # a distribution needs replications
set output outdir."/milestones_cdf.".ext
reps = datadir."/replications.csv"
# A replication that missed a milestone has an empty cell: it is put past the
# horizon, outside the axis (a missing or undefined point would restart the
# cumulative sum), so each curve ends at the share that reached it.
reached(x) = (x == x)
day_or_after(x) = reached(x) ? x : 2 * horizon + 1
if (horizon > 0) { set xrange [X(0):X(horizon)] }
set title titled(sprintf("When milestones are reached: share of %d replications", nreps))
set ylabel "share of replications (%)"
set yrange [0:100]
set ytics 10
plot reps using (X(day_or_after(column("time_to_first_token_days")))):(100.0/nreps) smooth cumulative with steps lc rgb "#1f5fa8" lw 2 title "first token", \
     reps using (X(day_or_after(column("time_to_50pct_capacity_days")))):(100.0/nreps) smooth cumulative with steps lc rgb "#7fa7d6" lw 2 title "50 % of GPUs", \
     reps using (X(day_or_after(column("time_to_full_capacity_days")))):(100.0/nreps) smooth cumulative with steps lc rgb "#c55a11" lw 2 title "full capacity"

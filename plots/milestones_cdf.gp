# Distribution over replications of the days to first token and to full
# capacity (empirical CDFs from replications.csv; replications that did not
# reach a milestone by the horizon leave the curve below 100 %).
load plotsdir."/_common.gp"
if (nreps < 2) { exit }   # a distribution needs replications
set output datadir."/milestones_cdf.png"
reps = datadir."/replications.csv"
set title sprintf("When milestones are reached: share of %d replications", nreps)
set ylabel "share of replications (%)"
set yrange [0:100]
set ytics 10
plot reps using (X(column("time_to_first_token_days"))):(100.0/nreps) smooth cumulative with steps lc rgb "#1f5fa8" lw 2 title "first token", \
     reps using (X(column("time_to_50pct_capacity_days"))):(100.0/nreps) smooth cumulative with steps lc rgb "#7fa7d6" lw 2 title "50 % of GPUs", \
     reps using (X(column("time_to_full_capacity_days"))):(100.0/nreps) smooth cumulative with steps lc rgb "#c55a11" lw 2 title "full capacity"

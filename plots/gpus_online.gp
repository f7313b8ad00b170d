# GPUs online over time (median, with the P10-P90 band over replications),
# with the P50 milestones marked: first token, 50 %, 90 %, full capacity.
load plotsdir."/_common.gp"
set output outdir."/gpus_online.".ext
set title titled("GPUs online (".(bands ? sprintf("median and P10-P90 of %d replications", nreps) : "one replication").")")
set ylabel "GPUs online (thousands)"
set yrange [0:*]
mark(x, name, row) = (x >= 0) ? \
    sprintf("set arrow from %.10g, graph 0 to %.10g, graph 1 nohead lc rgb '#888888' dt 2; set label '%s: %s' at %.10g, graph %g offset 0.5,0 font ',10' boxed front", X(x), X(x), name, when(x), X(x), row) : ""
eval mark(m_time_to_first_token_days, "first token", 0.92)
eval mark(m_time_to_50pct_capacity_days, "50 %", 0.84)
eval mark(m_time_to_90pct_capacity_days, "90 %", 0.76)
eval mark(m_time_to_full_capacity_days, "100 %", 0.68)
if (bands) {
  plot series using (X(column("day"))):(column("gpus_online_p10")/1000):(column("gpus_online_p90")/1000) with filledcurves lc rgb "#a6c8e8" fs transparent solid 0.5 title "P10-P90", \
       series using (X(column("day"))):(column("gpus_online")/1000) with lines lc rgb "#1f5fa8" lw 2 title "GPUs online (median)"
} else {
  plot series using (X(column("day"))):(column("gpus_online")/1000) with lines lc rgb "#1f5fa8" lw 2 title "GPUs online"
}

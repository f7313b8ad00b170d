# One key varied over a range: time to first token and to full capacity
# (P50 with the P10-P90 band over replications) against the key's value.
load plotsdir."/_common.gp"
set output datadir."/curve.png"
f = datadir."/sweep.csv"
set title sprintf("Milestones against %s (%d replications per point, common random numbers)", key, nreps) noenhanced
set xlabel key noenhanced
set ylabel "days since project start"
set yrange [0:*]
plot f using "value":"ttft_p10":"ttft_p90" with filledcurves lc rgb "#a6c8e8" fs transparent solid 0.5 title "first token P10-P90", \
     f using "value":"ttft_p50" with linespoints lc rgb "#1f5fa8" lw 2 pt 7 title "first token P50", \
     f using "value":"full_p10":"full_p90" with filledcurves lc rgb "#f4b183" fs transparent solid 0.4 title "full capacity P10-P90", \
     f using "value":"full_p50" with linespoints lc rgb "#c55a11" lw 2 pt 7 title "full capacity P50"

# Inference TTFT over the buildout (sampled windows, medians over replications):
# top, P50 and P99 TTFT (ms, log scale) with the target; bottom, demand
# (requests/s) and the utilization of the replicas online (demand / capacity).
# Skipped (no output) when the scenario has no serving model.
load plotsdir."/_common.gp"
if (!exists("a_serving_requests") || a_serving_requests <= 0) { exit }
set xdata   # stats reads numbers, not dates
stats series using "day" name "DAY" nooutput
if (dated) { set xdata time }
set output outdir."/serving_ttft.".ext
set xrange [X(0):X(DAY_max)]
set multiplot layout 2,1 margins 0.09,0.92,0.13,0.83 spacing 0,0.13 title titled("Inference on the capacity online (".(bands ? sprintf("medians of %d replications", nreps) : "one replication").")")
unset xlabel
set format x ""
set ylabel "TTFT (ms)"
set logscale y
set format y "10^{%T}"
set key at graph 0.5, graph 1.03 center bottom horizontal box opaque
target = a_serving_ttft_target_ms
plot series using (X(column("day"))):"ttft_p99_ms" with linespoints pt 7 ps 0.4 lc rgb "#c55a11" lw 1.5 title "P99 TTFT", \
     series using (X(column("day"))):"ttft_p50_ms" with linespoints pt 7 ps 0.4 lc rgb "#1f5fa8" lw 1.5 title "P50 TTFT", \
     target with lines dt 2 lc rgb "#333333" title sprintf("target %.0f ms", target)
unset logscale y
set format y "%g"
if (dated) { set format x "%Y-%m-%d" } else { set format x "%g" }
eval "set xlabel '".xlabel_text."'"
set ylabel "requests/s (thousands)"
set y2label "utilization (demand / capacity)"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:2]
set key at graph 0.5, graph 1.03 center bottom horizontal box opaque
plot series using (X(column("day"))):(column("requests_per_s")/1000) with linespoints pt 7 ps 0.4 lc rgb "#2e7d32" lw 1.5 title "demand at the busiest window (req/s)", \
     series using (X(column("day"))):"utilization" axes x1y2 with linespoints pt 7 ps 0.4 lc rgb "#7b3294" lw 1.5 title "utilization (right; off the scale above 2)"
unset multiplot

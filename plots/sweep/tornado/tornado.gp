# Tornado chart: for each varied key (sorted by swing, largest on top), the
# P50 of the ranked metric with the key at its LOW and HIGH value, around
# the base scenario's P50 (common random numbers at every point).
load plotsdir."/_common.gp"
set output outdir."/tornado.".ext
f = datadir."/sweep.csv"
stats f using "low" nooutput
nk = STATS_records
ulabel = unit eq "" ? "" : " (".unit.")"
set title titled(sprintf("Sensitivity of %s (P50 of %d replications; base %.4g%s)", metric_e, nreps, base_p50, unit eq "" ? "" : " ".unit))
set xlabel metric.", P50".ulabel noenhanced
unset ylabel
set yrange [-0.7:nk-0.3]
set ytics nomirror font ",10" noenhanced
set grid xtics noytics
set key outside below center horizontal box opaque
set style fill solid 0.8 border lc rgb "#ffffff"
set arrow from base_p50, graph 0 to base_p50, graph 1 nohead lc rgb "#333333" dt 2 front
# Row i (0 = largest swing) drawn at y = nk-1-i, labelled klabel<i+1> (given
# by gigasim plot: the key as a person reads it, with its LOW .. HIGH).
lab(i) = exists(sprintf("klabel%d", i)) ? value(sprintf("klabel%d", i)) : ""
plot f using (base_p50):(nk-1-$0):(base_p50):(column("p50_low")):(nk-1-$0-0.3):(nk-1-$0+0.3):ytic(lab(int($0) + 1)) \
       with boxxyerror lc rgb "#1f5fa8" title "key at LOW", \
     f using (base_p50):(nk-1-$0):(base_p50):(column("p50_high")):(nk-1-$0-0.3):(nk-1-$0+0.3) \
       with boxxyerror lc rgb "#c55a11" fs transparent solid 0.6 title "key at HIGH"

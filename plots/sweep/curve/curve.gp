# One key varied over a range: the ranked metric (P50 with the P10-P90 band
# over replications) against the key's value, and beside it the first other
# ranked metric in the same unit (e.g. full capacity beside first token).
load plotsdir."/_common.gp"
# nothing to draw: no point has a value of the metric (a milestone never reached, say)
if (exists("yvalid") && yvalid == 0) exit
set output outdir."/curve.".ext
f = datadir."/sweep.csv"
set title titled(sprintf("%s against %s (%d replications per point, common random numbers)", metric_e, key_e, nreps))
set xlabel key_label noenhanced
# large figures (money, energy) in millions or billions, said in the axis label (-2.1 bn EUR, not -2.1G)
big = exists("ymax") ? (abs(ymax) > abs(ymin) ? abs(ymax) : abs(ymin)) : 0
ys = big >= 1e9 ? 1e9 : (big >= 1e6 ? 1e6 : 1)
scaled = ys == 1e9 ? "bn" : (ys == 1e6 ? "M" : "")
ulabel = scaled.(scaled eq "" || unit eq "" ? "" : " ").unit
set ylabel metric.(ulabel eq "" ? "" : " (".ulabel.")") noenhanced
# from 0 when every value is positive; negative values (an NPV) keep their own range
if (exists("ymin") && ymin < 0) { set yrange [*:*] } else { set yrange [0:*] }
if (second eq "") {
plot f using "value":(column("p10") / ys):(column("p90") / ys) with filledcurves lc rgb "#a6c8e8" fs transparent solid 0.5 title metric." P10-P90" noenhanced, \
     f using "value":(column("p50") / ys) with linespoints lc rgb "#1f5fa8" lw 2 pt 7 title metric." P50" noenhanced
} else {
set ylabel ulabel noenhanced
plot f using "value":(column("p10") / ys):(column("p90") / ys) with filledcurves lc rgb "#a6c8e8" fs transparent solid 0.5 title metric." P10-P90" noenhanced, \
     f using "value":(column("p50") / ys) with linespoints lc rgb "#1f5fa8" lw 2 pt 7 title metric." P50" noenhanced, \
     f using "value":(column(second."_p10") / ys):(column(second."_p90") / ys) with filledcurves lc rgb "#f4b183" fs transparent solid 0.4 title second." P10-P90" noenhanced, \
     f using "value":(column(second."_p50") / ys) with linespoints lc rgb "#c55a11" lw 2 pt 7 title second." P50" noenhanced
}

# An optimization's search: every candidate's objective with its interval
# (bootstrap over its replications, at the study's confidence), the
# finalists of the selection, and the chosen one. With one numeric decision
# the x axis is its value; otherwise the candidates in the order the search
# evaluated them. Variables from gigasim plot: metric, metric_e, stat,
# sense, unit, by_value, key, yvalid, ymin, ymax, chosen, nreps, ncand,
# verdict, p_best, confidence.
load plotsdir."/_common.gp"
# nothing to draw: no candidate reached the objective's figure
if (yvalid == 0) exit
set xdata
set format x "%g"
set xtics norotate
set bmargin 6
set output outdir."/optimize.".ext
f = datadir."/optimize.csv"
set title titled(sprintf("%s the %s of %s: %d candidates, %d replications each (common random numbers), %.0f %% intervals", \
                 sense, stat, metric_e, ncand, nreps, 100 * confidence))
if (by_value) { set xlabel key noenhanced } else { set xlabel "candidate, in the order the search evaluated it" }
# large figures in millions or billions, said in the axis label (30 bn EUR, not 30.00G)
big = abs(ymax) > abs(ymin) ? abs(ymax) : abs(ymin)
ys = big >= 1e9 ? 1e9 : (big >= 1e6 ? 1e6 : 1)
scaled = ys == 1e9 ? "bn" : (ys == 1e6 ? "M" : "")
set ylabel metric." (".stat.(unit eq "" && scaled eq "" ? "" : ", ".scaled.(scaled eq "" || unit eq "" ? "" : " ").unit).")" noenhanced
if (by_value) { set offsets graph 0.03, graph 0.03, 0, 0 } else { set xrange [-0.5:ncand - 0.5] }
xv(dummy) = by_value ? column(key) : column("id")
plot f using (xv(0)):(column("objective") / ys):(column("objective_lo") / ys):(column("objective_hi") / ys) with yerrorbars pt 7 ps 0.7 lc rgb "#8c8c8c" title "candidate (interval)", \
     f using (xv(0)):(column("finalist") == 1 ? column("objective") / ys : NaN) with points pt 7 ps 1.3 lc rgb "#1f5fa8" title "finalist", \
     f using (xv(0)):(column("id") == chosen ? column("objective") / ys : NaN) with points pt 6 ps 3 lw 2.5 lc rgb "#c00000" \
       title sprintf("chosen (%s; probability best %.2f)", verdict, p_best)

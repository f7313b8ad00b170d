# A sensitivity study's first figure: for each input (largest effect on
# top), Sobol' total index ST (bar) and first-order index S1 (point), each
# with its 95 % bootstrap interval; or, from a Morris screening, mu* (bar)
# and sigma (point). Variables from gigasim plot: mode, metric, metric_e,
# nk (inputs), klabel1..nk (in sensitivity.csv's order), npoints, nreps,
# xlo, xhi (the share axis: [-0.05, 1.05] widened to every interval).
load plotsdir."/_common.gp"
set xdata
set format x "%g"
set xtics norotate
f = datadir."/sensitivity.csv"
eval sized(260 + 34 * nk)
set output outdir."/sensitivity.".ext
lab(i) = exists(sprintf("klabel%d", i)) ? value(sprintf("klabel%d", i)) : ""
set yrange [nk - 0.4 : -0.6]
set ytics nomirror font ",10" noenhanced
set grid xtics noytics
set key outside below center horizontal box opaque
set style fill solid 0.75 border lc rgb "#ffffff"
if (mode eq "morris") {
  set title titled(sprintf("Morris screening of %s (%d points x %d replications)", metric_e, npoints, nreps))
  set xlabel "effect of an input over its range: mu* and sigma (".unit.")" noenhanced
  set xrange [0:*]
  plot f every ::0::(nk-1) using (column("mu_star") / 2):0:(column("mu_star") / 2):(0.32):ytic(lab(int($0) + 1)) \
         with boxxyerror lc rgb "#1f5fa8" title "mu* (mean |effect|)", \
       f every ::0::(nk-1) using "sigma":0 with points pt 7 ps 1.2 lc rgb "#c55a11" title "sigma (spread)"
} else {
  set title titled(sprintf("Sobol' indices of %s (%d points x %d replications; 95 %% bootstrap intervals)", metric_e, npoints, nreps))
  set xlabel "share of the variance"
  set xrange [xlo:xhi]
  set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb "#888888" front
  plot f every ::0::(nk-1) using (column("st") / 2):0:(column("st") / 2):(0.32):ytic(lab(int($0) + 1)) \
         with boxxyerror lc rgb "#a6c8e8" title "total ST", \
       f every ::0::(nk-1) using "st":($0 - 0.16):"st_lo":"st_hi" with xerrorbars pt -1 lc rgb "#1f5fa8" lw 1.5 title "ST 95 % interval", \
       f every ::0::(nk-1) using "s1":($0 + 0.16):"s1_lo":"s1_hi" with xerrorbars pt 7 ps 1.2 lc rgb "#c55a11" lw 1.5 title "S1 (95 % interval)"
}

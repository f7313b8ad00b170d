# A site study's money: each site's net present value over its life (P50,
# bars) and the cost of its energy over the horizon (P50, points), in the
# study's money unit, in the order of ranking.csv (by first token; columns:
# 9 energy_cost, 12 npv_lifetime, 13 money_unit).
load plotsdir."/_common.gp"
rank = datadir."/ranking.csv"
set xdata
set format x "%g"
set xtics norotate
unit = ""
stats rank using 1:(unit = strcol(13), 0) name "R" nooutput
eval sized(300 + 34 * R_records)
set output outdir."/money.".ext
array nm[nscen]
do for [i=1:nscen] { nm[i] = exists(sprintf("sname%d", i)) ? value(sprintf("sname%d", i)) : word(labels, i) }
name_of(l, i) = i > nscen ? l : (word(labels, i) eq l ? nm[i] : name_of(l, i + 1))
set title titled(sprintf("Lifetime net present value and energy cost over the horizon by site (P50 of %d replications, billion %s; ranked by first token)", nreps, unit))
set yrange [R_records + 0.5 : 0.5]
set ytics 1 nomirror
set ylabel ""
set xlabel "billion ".unit
set grid xtics noytics
set xzeroaxis lt -1
set key outside below center horizontal
set style fill solid 0.8 border lc rgb "#ffffff"
plot rank using (column(12) / 2e9):1:(abs(column(12)) / 2e9):(0.32):ytic(name_of(strcol(2), 1)) \
       with boxxyerror lc rgb "#2e7d32" title "net present value over the life", \
     rank using (column(9) / 1e9):1 with points pt 7 ps 1.3 lc rgb "#c55a11" title "energy cost"

# A backtest (gigasim backtest): for each real project, the model's P10-P90 of its milestone and its
# P50, in days from the project's first public plan, and the date it was measured, from backtest.csv.
if (!exists("backtest")) exit
load plotsdir."/_common.gp"
bt = datadir."/backtest.csv"
set xdata   # days, not dates: each project counts from its own start
set xlabel "days from the first public plan"
stats bt using 5 name "M" nooutput
stats bt using 8 name "P" nooutput
eval sized(300 + 48 * M_records)
set output outdir."/".chartprefix."backtest.".ext
set title titled(sprintf("Backtest: measured dates against the model (P10-P90 and P50 of %d replications each)", nreps))
xmax = 1.1 * (P_max > M_max ? P_max : M_max)
set xrange [0:xmax]
set yrange [M_records + 0.5 : 0.5]
set ytics 1 nomirror noenhanced
set ylabel ""
set grid xtics noytics
set rmargin 4
# a P90 beyond the horizon: the bar runs to the chart's edge
plot bt using (valid(7) ? column(7) : NaN):0:(column(6)):(valid(8) ? column(8) : xmax):ytic(strcol(1)) \
       every ::0 with xerrorbars pt 7 ps 1.1 lc rgb "#1f5fa8" lw 1.5 title "model: P50, P10-P90", \
     bt using (column(5)):0 with points pt 9 ps 2.0 lc rgb "#c55a11" title "measured", \
     bt using (column(5)):0:(sprintf("q %.2f", column(12))) with labels offset 0,1.1 font ",10" notitle

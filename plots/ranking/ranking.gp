# A site study: each scenario's first token (P50, with its P10-P90 range)
# and full capacity (P50), ranked by first token, from ranking.csv. Dates on
# the time axis when the scenarios share a start date.
load plotsdir."/_common.gp"
rank = datadir."/ranking.csv"
set xdata   # stats reads numbers
stats rank using 1 name "R" nooutput
if (dated) { set xdata time }
eval sized(300 + 34 * R_records)
set output outdir."/".chartprefix."ranking.".ext   # compare_ranking for a comparison of a few
# each site by its name (the part the names do not share; sname<i> in the order of labels)
array nm[nscen]
do for [i=1:nscen] { nm[i] = exists(sprintf("sname%d", i)) ? value(sprintf("sname%d", i)) : word(labels, i) }
name_of(l, i) = i > nscen ? l : (word(labels, i) eq l ? nm[i] : name_of(l, i + 1))
set title titled(sprintf("First token and full capacity by %s (P50; bars: first token P10-P90; %d replications each, common random numbers)", chartprefix eq "compare_" ? "scenario" : "site", nreps))
set yrange [R_records + 0.5 : 0.5]
set ytics 1 nomirror
set ylabel ""
set grid xtics noytics
set key outside below center horizontal
# a P90 (or a P50) beyond the horizon: the bar runs to the horizon's end, drawn dashed
hi(c) = valid(c) ? X(column(c)) : X(horizon)
set xrange [*:X(horizon)]
set offsets graph 0.02, 0, 0, 0   # the earliest P10 off the frame
set rmargin 8                     # room for the last date label
plot rank using (valid(4) ? X(column(4)) : NaN):1:(X(column(3))):(valid(5) ? X(column(5)) : hi(4)):ytic(name_of(strcol(2), 1)) with xerrorbars pt 7 ps 1.2 lc rgb "#1f5fa8" lw 1.5 title "first token (P50, P10-P90)", \
     rank using (valid(5) ? NaN : hi(4)):1:(hi(4)):(X(horizon)) with xerrorbars pt -1 lc rgb "#1f5fa8" lw 1.5 dt 2 title "beyond the horizon", \
     rank using (X(column(7))):1 with points pt 9 ps 1.4 lc rgb "#c55a11" title "full capacity (P50)"

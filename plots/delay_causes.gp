# What held it back: the days from project start to first token and to full
# capacity, split by cause along each milestone's critical path (stacked; the
# mean over replications that reached the milestone, so each bar sums to its
# mean milestone day), and the mean over all accepted racks. Causes with no
# days in any bar stay out of the legend.
load plotsdir."/_common.gp"
load plotsdir."/_causes_palette.gp"
set output outdir."/delay_causes.".ext
set title titled("What held it back: days by cause along the critical path (means over replications reaching it)")
set ylabel "days since project start"
unset xlabel
set xdata              # bars, not a time axis: days stay days
set format x "% h"
unset xtics; set xtics norotate
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border lc rgb "#ffffff"
set boxwidth 0.55
set yrange [0:*]
set xtics nomirror
set grid noxtics
cv(group, c) = g(value(sprintf("a_%s_%s", group, cause_name[c])))
array used[ncauses]
do for [c=1:ncauses] { used[c] = cv("first_token", c) + cv("full_capacity", c) + cv("mean_per_rack", c) > 0 }
set print $causes
do for [grp in "first_token full_capacity mean_per_rack"] {
  row = (grp eq "first_token" ? "first token" : grp eq "full_capacity" ? "full capacity" : "average rack (to acceptance)")
  do for [c=1:ncauses] { row = row.sprintf("\t%g", cv(grp, c)) }
  print row
}
unset print
set datafile separator "\t"
plot for [c=1:ncauses] $causes using (column(c+1)):xtic(1) title (used[c] ? cause_label[c] : "") lc rgb cause_colour[c]

# What held each scenario back: days to first token and to full capacity by
# cause (means over the replications that reached the milestone), side by side.
load plotsdir."/compare/_compare.gp"
load plotsdir."/_causes_palette.gp"
set output outdir."/compare_delay_causes.".ext
set title "What held it back: days by cause, per scenario (means over the replications that reached each)"
set ylabel "days since project start"
unset xlabel
set xdata              # bars, not a time axis: days stay days
set format x "% h"
unset xtics; set xtics norotate
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border lc rgb "#ffffff"
set boxwidth 0.6
set yrange [0:*]
set grid noxtics
set xtics nomirror rotate by -12 font ",10"
set key outside below center horizontal box opaque
set bmargin 10
cv(i, group, c) = g(value(sprintf("s%d_a_%s_%s", i, group, cause_name[c])))
array used[ncauses]
do for [c=1:ncauses] {
  used[c] = 0
  do for [i=1:nscen] { used[c] = used[c] + cv(i, "first_token", c) + cv(i, "full_capacity", c) }
}
set print $causes
do for [grp in "first_token full_capacity"] {
  do for [i=1:nscen] {
    row = sprintf("%s: %s", slabel(i), (grp eq "first_token" ? "first token" : "full capacity"))
    do for [c=1:ncauses] { row = row.sprintf("\t%g", cv(i, grp, c)) }
    print row
  }
}
unset print
# the rows' labels are scenario names, which may hold commas: tab-separated
set datafile separator "\t"
plot for [c=1:ncauses] $causes using (column(c+1)):xtic(1) title (used[c] > 0 ? cause_label[c] : "") lc rgb cause_colour[c]

# What held each scenario back: days to first token and to full capacity by
# cause (means over the replications that reached the milestone), side by side.
load plotsdir."/compare/_compare.gp"
load plotsdir."/_causes_palette.gp"
set output datadir."/compare_delay_causes.png"
set title "What held it back: days by cause, per scenario (means over replications)"
set ylabel "days since project start"
unset xlabel
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border lc rgb "#ffffff"
set boxwidth 0.6
set yrange [0:*]
set grid noxtics
set xtics nomirror rotate by -12 font ",10"
set key outside top center horizontal box opaque
set bmargin 7
causes = "permits_construction gpu_supply cooling_capacity install_crews power burnin_failures"
g(x) = (x < 0 ? 0 : x)
cv(i, group, c) = g(value(sprintf("s%d_a_%s_%s", i, group, word(causes, c))))
set print $causes
print "bar,permits and construction,GPU supply,cooling capacity,install crews,grid / on-site power,burn-in and failures"
do for [grp in "first_token full_capacity"] {
  do for [i=1:nscen] {
    print sprintf("%s: %s,%g,%g,%g,%g,%g,%g", slabel(i), (grp eq "first_token" ? "first token" : "full capacity"), \
      cv(i, grp, 1), cv(i, grp, 2), cv(i, grp, 3), cv(i, grp, 4), cv(i, grp, 5), cv(i, grp, 6))
  }
}
unset print
plot for [c=2:7] $causes using c:xtic(1) title columnhead(c) lc rgb cause_colour(c-1)

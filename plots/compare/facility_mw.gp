# Facility power drawn from the grid and on-site generation, per scenario.
load plotsdir."/compare/_compare.gp"
set output outdir."/compare_facility_mw.".ext
set title "Facility power, daily average (".how.")"
set ylabel "MW"
set yrange [0:*]
if (bands) {
  plot for [i=1:nscen] sfile(i) using (X(column("day"))):"facility_mw_p10":"facility_mw_p90" \
         with filledcurves lc rgb scolour(i) fs transparent solid 0.18 notitle, \
       for [i=1:nscen] sfile(i) using (X(column("day"))):"facility_mw" with lines lc rgb scolour(i) lw 2 title slabel(i)
} else {
  plot for [i=1:nscen] sfile(i) using (X(column("day"))):"facility_mw" with lines lc rgb scolour(i) lw 2 title slabel(i)
}

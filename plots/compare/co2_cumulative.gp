# CO2 emitted since project start (grid and on-site generation), per scenario.
load plotsdir."/compare/_compare.gp"
set output outdir."/compare_co2_cumulative.".ext
set title "Cumulative CO2 (".how.")"
set ylabel "CO2 (million tonnes)"
set yrange [0:*]
if (bands) {
  plot for [i=1:nscen] sfile(i) using (X(column("day"))):(column("co2_t_cum_p10")/1e6):(column("co2_t_cum_p90")/1e6) \
         with filledcurves lc rgb scolour(i) fs transparent solid 0.18 notitle, \
       for [i=1:nscen] sfile(i) using (X(column("day"))):(column("co2_t_cum")/1e6) with lines lc rgb scolour(i) lw 2 title slabel(i)
} else {
  plot for [i=1:nscen] sfile(i) using (X(column("day"))):(column("co2_t_cum")/1e6) with lines lc rgb scolour(i) lw 2 title slabel(i)
}

# GPUs online over time, one colour per scenario (median, P10-P90 band).
load plotsdir."/compare/_compare.gp"
set output outdir."/compare_gpus_online.".ext
set title "GPUs online (".how.")"
set ylabel "GPUs online (thousands)"
set yrange [0:*]
if (bands) {
  plot for [i=1:nscen] sfile(i) using (X(column("day"))):(column("gpus_online_p10")/1000):(column("gpus_online_p90")/1000) \
         with filledcurves lc rgb scolour(i) fs transparent solid 0.18 notitle, \
       for [i=1:nscen] sfile(i) using (X(column("day"))):(column("gpus_online")/1000) with lines lc rgb scolour(i) lw 2 title slabel(i)
} else {
  plot for [i=1:nscen] sfile(i) using (X(column("day"))):(column("gpus_online")/1000) with lines lc rgb scolour(i) lw 2 title slabel(i)
}

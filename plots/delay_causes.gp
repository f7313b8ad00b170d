# What held it back: the days from project start to first token and to full
# capacity, split by cause (stacked; the mean over replications that reached
# the milestone, so each bar sums to its mean milestone day), and the mean
# over all accepted racks.
load plotsdir."/_common.gp"
set output datadir."/delay_causes.png"
set title "What held it back: days by cause (means over replications)"
set ylabel "days since project start"
unset xlabel
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border lc rgb "#ffffff"
set boxwidth 0.55
set yrange [0:*]
set xtics nomirror
set grid noxtics
g(x) = (x < 0 ? 0 : x)
set print $causes
print "milestone,permits and construction,GPU supply,cooling capacity,install crews,grid / on-site power,burn-in and failures"
print sprintf("first token,%g,%g,%g,%g,%g,%g", g(a_first_token_permits_construction), g(a_first_token_gpu_supply), g(a_first_token_cooling_capacity), g(a_first_token_install_crews), g(a_first_token_power), g(a_first_token_burnin_failures))
print sprintf("full capacity,%g,%g,%g,%g,%g,%g", g(a_full_capacity_permits_construction), g(a_full_capacity_gpu_supply), g(a_full_capacity_cooling_capacity), g(a_full_capacity_install_crews), g(a_full_capacity_power), g(a_full_capacity_burnin_failures))
print sprintf("average rack (to acceptance),%g,%g,%g,%g,%g,%g", g(a_mean_per_rack_permits_construction), g(a_mean_per_rack_gpu_supply), g(a_mean_per_rack_cooling_capacity), g(a_mean_per_rack_install_crews), g(a_mean_per_rack_power), g(a_mean_per_rack_burnin_failures))
unset print
load plotsdir."/_causes_palette.gp"
plot for [c=2:7] $causes using c:xtic(1) title columnhead(c) lc rgb cause_colour(c-1)

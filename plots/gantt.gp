# The timeline's phases as a Gantt chart (phases.csv): each phase from its
# median start to its median end, whiskers from the P10 to the P90 of its
# end, the phases on first token's critical path in half the replications or
# more in red (the binding path), those on full capacity's (its last rack's
# chain) underlined in orange, the share of replications in which each was
# on either path beside its name. Skipped without phases.csv.
load plotsdir."/_common.gp"
if (!exists("has_phases")) { exit }
phases = datadir."/phases.csv"
set datafile columnheaders
m = bands ? "_mean" : ""
q(name, p) = bands ? column(name."_".p) : column(name)
set xdata
stats phases using 0 name "PH" nooutput
if (dated) { set xdata time }
eval sized(300 + 46 * PH_records)
set bmargin (dated ? 12 : 9)
set output outdir."/gantt.".ext
set title titled(sprintf("The phases: median start to median end, P10-P90 of the end (%s)", bands ? sprintf("%d replications", nreps) : "one replication"))
set yrange [PH_records - 0.5 : -0.5]
set ytics 1 nomirror noenhanced
set ylabel ""
set grid xtics noytics
set key outside below center horizontal
set style fill solid 0.85 border lc rgb "#ffffff"
on_path(v) = v >= 0.5
share(v) = sprintf("%.0f %%", 100 * v)
spaced(s) = strstrt(s, "_") == 0 ? s : spaced(s[1:strstrt(s, "_") - 1]." ".s[strstrt(s, "_") + 1:])
half(s, e) = dated ? (e - s) * 86400.0 / 2 : (e - s) / 2
full(v) = v >= 0.5 ? 0 : NaN
plot phases using (X((q("start_days", "p50") + q("end_days", "p50")) / 2)):0:(half(q("start_days", "p50"), q("end_days", "p50"))):(0.28):(on_path(column("on_first_token_path".m)) ? 0xb03a2e : 0x5b7fa6):ytic(spaced(strcol(1))." (".share(column("on_first_token_path".m))." / ".share(column("on_full_capacity_path".m)).")") \
       with boxxyerror lc rgb variable notitle, \
     phases using (X((q("start_days", "p50") + q("end_days", "p50")) / 2)):($0 + 0.36 + full(column("on_full_capacity_path".m))):(half(q("start_days", "p50"), q("end_days", "p50"))):(0.06) \
       with boxxyerror lc rgb "#e08a1e" notitle, \
     phases using (X(q("end_days", "p50"))):0:(X(q("end_days", bands ? "p10" : "p50"))):(X(q("end_days", bands ? "p90" : "p50"))) with xerrorbars pt 7 ps 0.6 lc rgb "#222222" title "end: P50, P10-P90", \
     NaN with boxes lc rgb "#b03a2e" title "on first token's critical path in half the replications or more", \
     NaN with boxes lc rgb "#e08a1e" title "underlined: on full capacity's critical path in half the replications or more", \
     NaN with boxes lc rgb "#5b7fa6" title "less often (after each name: the share on first token's / full capacity's path)"

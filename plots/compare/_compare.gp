# Shared settings for comparison charts. Variables from `gigasim plot`:
# datadir, plotsdir, nreps, labels (the scenario subdirectories, space
# separated), sname1.. (their names), nscen, and sI_m_<figure> / sI_a_<figure> (P50 / mean) per scenario I.
load plotsdir."/_common.gp"
scen_colours = "#1f5fa8 #c55a11 #2e7d32 #7b3294 #8c6d31 #d6604d #4393c3 #636363"
scolour(i) = word(scen_colours, (i - 1) % 8 + 1)
sfile(i) = datadir."/".word(labels, i)."/series.csv"
slabel(i) = exists(sprintf("sname%d", i)) ? value(sprintf("sname%d", i)) : word(labels, i)
how = (bands ? sprintf("median of %d replications, P10-P90 shaded", nreps) : "one replication each")
set key width 2

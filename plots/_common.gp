# Shared settings for gigasim charts (loaded by each chart script).
# Variables given by `gigasim plot`: datadir, nreps, m_<metric> (P50, -1 if none).
set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12" linewidth 1.5
set datafile separator comma
set datafile missing ""
set grid lc rgb "#dddddd"
set border lc rgb "#555555"
set key outside below center horizontal box opaque
set style textbox opaque noborder
set bmargin 6
set xlabel "days since project start"
series = datadir."/series.csv"
bands = (nreps > 1)

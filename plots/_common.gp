# Shared settings for gigasim charts (loaded by each chart script).
# Variables given by `gigasim plot`: datadir, nreps, m_<metric> (P50, -1 if none),
# fmt (png, svg or pdf: the terminal below), scen (the scenario's name).
if (!exists("fmt")) fmt = "png"
if (!exists("outdir")) outdir = datadir
ext = fmt
if (fmt eq "svg") {
  set terminal svg size 1280,720 dynamic enhanced font "DejaVu Sans,12" linewidth 1.5 background "#ffffff"
} else { if (fmt eq "pdf") {
  set terminal pdfcairo size 10in,5.625in enhanced font "DejaVu Sans,11" linewidth 1.2
} else {
  set terminal pngcairo size 1280,720 enhanced font "DejaVu Sans,12" linewidth 1.5
} }
# A chart of another height than 720 (a ranking of many sites): eval sized(h).
sized(h) = fmt eq "svg" ? sprintf("set terminal svg size 1280,%d dynamic enhanced font 'DejaVu Sans,12' linewidth 1.5 background '#ffffff'", h) : \
           fmt eq "pdf" ? sprintf("set terminal pdfcairo size 10in,%.3fin enhanced font 'DejaVu Sans,11' linewidth 1.2", h / 128.0) : \
           sprintf("set terminal pngcairo size 1280,%d enhanced font 'DejaVu Sans,12' linewidth 1.5", h)
# A chart's title: the scenario's name above what the chart shows.
if (!exists("scen")) scen = ""
titled(t) = (scen eq "" ? t : "{/:Bold ".scen."}\n".t)
set datafile separator comma
set datafile missing ""
set grid lc rgb "#dddddd"
set border lc rgb "#555555"
set key outside below center horizontal box opaque
set style textbox opaque noborder
set bmargin 6
# The time axis: days since the start, or dates when the run has a start
# date (start_s: day 0 in seconds since 1970, given by gigasim plot).
dated = exists("start_s")
X(d) = dated ? start_s + d * 86400.0 : d
when(d) = dated ? strftime("%Y-%m-%d", X(d)) : sprintf("day %.0f", d)
xlabel_text = dated ? "date" : "days since project start"
if (dated) { set xdata time; set format x "%Y-%m-%d"; set xtics rotate by -30; set bmargin 8 }
eval "set xlabel '".xlabel_text."'"
series = datadir."/series.csv"
bands = (nreps > 1)

# fsync_tree.gp -- fsync/msync latency against the mapping's size, from a daxbench CSV export.
#   gnuplot -e "csv='fsync.csv'; out='dir/fsync_tree'; label='...'" plots/fsync_tree.gp
# Figures: log-log median latency vs N (pages), one line per dirty count k, one panel per op
# (populate=write, pattern=random); per-dirty-page cost vs k for op=fsync, one line per N.
# The fitted growth exponents are the derived records in the result file.
if (!exists("label")) label = ""
set datafile columnheaders
set grid
set colorsequence podo
here = ARG0[1:strstrt(ARG0, "fsync_tree.gp") - 1]
is(c, v) = strcol(c) eq v
kof(d, n) = d eq "sqrt" ? floor(sqrt(n)) : d eq "n/8" ? n / 8 : d eq "n" ? n : real(d)
curve(o, d) = is("bench", "fsync-tree") && is("status", "ok") && is("op", o) && is("dirty", d) && \
    is("populate", "write") && is("pattern", "random") && is("metric", "latency_ns")
ops = "fsync fdatasync msync msync-range sync_file_range fsync-again"
dirties = "0 1 64 sqrt n/8 n"

array nk[words(ops)]
do for [oi = 1:words(ops)] {
  nblocks = 0
  o = word(ops, oi)
  eval sprintf('set print $G%d', oi)
  do for [d in dirties] { call here."series.gp" 'curve(o, d)' 'column("pages")' 'column("median")' "k=".d }
  unset print
  nk[oi] = nblocks
}
nblocks = 0
set print $PD
do for [n in "256 1024 4096 16384 65536 262144 1048576"] {
  call here."series.gp" 'is("bench","fsync-tree") && is("status","ok") && is("op","fsync") && column("pages") == real(n) && is("populate","write") && is("pattern","random") && is("metric","ns_per_dirty_page")' 'is("bench","fsync-tree") ? kof(strcol("dirty"), column("pages")) : NaN' 'column("median")' "N=".n
}
unset print
npd = nblocks
used = 0
do for [oi = 1:words(ops)] { used = used + (nk[oi] > 0) }

do for [fmt in "pngcairo svg"] {
  ext = (fmt eq "svg") ? ".svg" : ".png"
  if (fmt eq "svg") { set terminal svg size 1200,800 dynamic font "sans,10" } else { set terminal pngcairo size 1200,800 font "sans,9" }
  if (used > 0) {
    set output out."-growth".ext
    set multiplot layout (used > 3 ? 2 : 1), (used > 3 ? 3 : used) title "sync latency vs mapping size N (median; populate=write, random pages)\n".label
    set logscale xy 10
    set xlabel "N (4 KiB pages)"
    set ylabel "ns per sync"
    set key top left font ",8"
    do for [oi = 1:words(ops)] {
      if (nk[oi] > 0) {
        set title word(ops, oi) noenhanced
        eval sprintf('plot for [i = 0:%d] $G%d index i using 1:2 with linespoints title columnheader(1)', nk[oi] - 1, oi)
      }
    }
    unset multiplot
    unset title
  }
  if (npd > 0) {
    set output out."-perdirty".ext
    set title "fsync cost per dirty page vs dirty count k (median)\n".label
    set logscale xy 10
    set xlabel "k (pages dirtied before the sync)"
    set ylabel "ns per dirty page"
    set key outside right top
    plot for [i = 0:npd - 1] $PD index i using 1:2 with linespoints title columnheader(1)
  }
}

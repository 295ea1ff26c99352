# fault.gp -- page-fault figures from a daxbench CSV export (scripts/plot makes one).
#   gnuplot -e "csv='fault.csv'; out='dir/fault'; label='host, cpu, kernel'" plots/fault.gp
# Figures: cost per fault by kind, one bar per map x page size (1 thread, warm); per-touch latency
# quantiles for write kinds; aggregate faults/s against threads. Records' own statistics only.
if (!exists("label")) label = ""
set datafile separator comma
set datafile columnheaders
set key outside right top box
set grid
set colorsequence podo
here = ARG0[1:strstrt(ARG0, "fault.gp") - 1]
is(c, v) = strcol(c) eq v
kinds = "read read-hole write-alloc write-prealloc write read-then-write rewrite-after-sync populate hole-then-write"
kidx(k, i) = i > words(kinds) ? NaN : (word(kinds, i) eq k ? i : kidx(k, i + 1))
one(m, p) = is("bench", "fault") && is("status", "ok") && is("map", m) && is("page", p) && \
    column("threads") == 1 && is("cache", "warm") && is("mm", "one") && is("metric", "ns_per_fault")

nblocks = 0
set print $BARS
do for [m in "shared private devdax anon shmem auto"] {
  do for [p in "4K 2M"] {
    call here."series.gp" 'one(m, p)' 'kidx(strcol("kind"), 1)' 'column("median")' m." ".p
  }
}
unset print
nbars = nblocks

nblocks = 0
set print $CDF
do for [m in "shared devdax anon auto"] {
  do for [k in "write write-alloc read-then-write"] {
    call here."quantiles.gp" 'is("bench","fault") && is("status","ok") && is("map",m) && is("kind",k) && is("page","4K") && column("threads")==1 && is("cache","warm") && is("mm","one") && is("metric","fault_ns")' m." ".k
  }
}
unset print
ncdf = nblocks

nblocks = 0
set print $THR
do for [m in "shared anon devdax auto"] {
  do for [mm in "one separate"] {
    call here."series.gp" 'is("bench","fault") && is("status","ok") && is("map",m) && is("mm",mm) && is("kind","write") && is("page","4K") && is("metric","agg_faults_per_sec")' 'column("threads")' 'column("median")' m." mm=".mm
  }
}
unset print
nthr = nblocks

width = nbars > 0 ? 0.8 / nbars : 0.8
do for [fmt in "pngcairo svg"] {
  ext = (fmt eq "svg") ? ".svg" : ".png"
  if (fmt eq "svg") { set terminal svg size 1100,650 dynamic font "sans,11" } else { set terminal pngcairo size 1100,650 font "sans,10" }
  if (nbars > 0) {
    set output out."-cost".ext
    set title "cost per fault by kind (median; 1 thread, warm cache)\n".label
    set ylabel "ns per fault"
    set logscale y 10
    unset logscale x
    set xrange [0.4:words(kinds) + 0.6]
    set xtics rotate by -30 ()
    do for [i = 1:words(kinds)] { set xtics add (word(kinds, i) i) }
    set style fill solid 0.8 border -1
    plot for [i = 0:nbars - 1] $BARS index i using ($1 - 0.4 + width * (i + 0.5)):2:(width) with boxes title columnheader(1)
    unset xrange
    set xtics norotate autofreq
  }
  if (ncdf > 0) {
    set output out."-quantiles".ext
    set title "per-touch latency quantiles (min, median, p90, p99, p99.9, max as recorded; 4K pages)\n".label
    set xlabel "ns per first touch"
    set ylabel "fraction of touches"
    set logscale x 10
    unset logscale y
    set yrange [0:1.02]
    plot for [i = 0:ncdf - 1] $CDF index i using 1:2 with linespoints title columnheader(1)
    unset yrange
    unset xlabel
  }
  if (nthr > 0) {
    set output out."-threads".ext
    set title "write faults per second, all threads (median of repetitions)\n".label
    set xlabel "threads"
    set ylabel "faults per second"
    unset logscale x
    set logscale y 10
    plot for [i = 0:nthr - 1] $THR index i using 1:2 with linespoints title columnheader(1)
    unset xlabel
  }
}

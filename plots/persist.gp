# persist.gp -- persist-instruction figures from a daxbench CSV export (scripts/plot makes one).
#   gnuplot -e "csv='persist.csv'; out='dir/persist'; label='host, cpu, kernel'" plots/persist.gp
# Figures: bandwidth vs size per op (fence=op, hot, seq, 1 thread, region >= 16 MiB); latency median and
# p99 vs size; hot vs cold latency. Each point is one record's own statistic: nothing is averaged,
# interpolated or smoothed here.
if (!exists("label")) label = ""
set datafile separator comma
set datafile columnheaders
set key outside right top box
set grid
set logscale x 2
set format x "%.0b%B"
set xlabel "bytes per operation"
set colorsequence podo
here = ARG0[1:strstrt(ARG0, "persist.gp") - 1]

ops = "store store+clflush store+clflushopt store+clwb movnti32 movnti movntdq nt-ymm nt-zmm movdir64b memset memset+clwb memset+pmem2-persist pmem2-memset-nt pmem2-memset-t pmem2-memcpy-nt pmem2-memcpy-t"
is(c, v) = strcol(c) eq v
curve(o, m, st) = is("bench", "persist") && is("status", "ok") && is("op", o) && is("metric", m) && \
    is("state", st) && is("pattern", "seq") && is("fence", "op") && column("threads") == 1 && \
    column("region") >= 16777216

# bandwidth and latency series, one block per op
nblocks = 0
set print $BW
do for [o in ops] { call here."series.gp" 'curve(o, "agg_bw_bytes_per_sec", "hot")' 'column("size")' 'column("median")/1e9' o }
unset print
nbw = nblocks
nblocks = 0
set print $LAT
do for [o in ops] { call here."series.gp" 'curve(o, "latency_ns", "hot")' 'column("size")' 'column("median")' o." median" }
do for [o in ops] { call here."series.gp" 'curve(o, "latency_ns", "hot")' 'column("size")' 'column("p99")' o." p99" }
unset print
nlat = nblocks
nblocks = 0
set print $HC
do for [o in "store+clwb store+clflushopt store+clflush movnti nt-ymm nt-zmm"] {
  call here."series.gp" 'curve(o, "latency_ns", "hot")' 'column("size")' 'column("median")' o." hot"
  call here."series.gp" 'curve(o, "latency_ns", "cold")' 'column("size")' 'column("median")' o." cold"
}
unset print
nhc = nblocks

lat_dt(i) = i < nlat / 2 ? 1 : 2	# medians solid, p99 dashed
bw_dt(i) = i < 8 ? 1 : 2		# the colour cycle has 8: the second eight are dashed
hc_dt(i) = i % 2 ? 3 : 1		# hot solid, cold dotted
do for [fmt in "pngcairo svg"] {
  ext = (fmt eq "svg") ? ".svg" : ".png"
  if (fmt eq "svg") { set terminal svg size 1100,650 dynamic font "sans,11" } else { set terminal pngcairo size 1100,650 font "sans,10" }

  if (nbw > 0) {
    set output out."-bandwidth".ext
    set title "persist bandwidth vs size (SFENCE per op, hot, sequential, 1 thread, region >= 16 MiB)\n".label
    set ylabel "GB/s (median of repetitions)"
    set logscale y 10
    plot for [i = 0:nbw - 1] $BW index i using 1:2 with linespoints lw 1.5 dashtype bw_dt(i) title columnheader(1)
  }
  if (nlat > 0) {
    set output out."-latency".ext
    set title "persist latency vs size: median and p99 per operation\n".label
    set ylabel "ns per operation"
    set logscale y 10
    plot for [i = 0:nlat - 1] $LAT index i using 1:2 with linespoints dashtype lat_dt(i) title columnheader(1)
  }
  if (nhc > 0) {
    set output out."-hotcold".ext
    set title "hot vs cold lines: median latency per operation\n".label
    set ylabel "ns per operation"
    set logscale y 10
    plot for [i = 0:nhc - 1] $HC index i using 1:2 with linespoints dashtype hc_dt(i) title columnheader(1)
  }
}

# persist-bar.gp -- the performance bar: each non-temporal kernel's bandwidth over the best baseline,
# geometric mean of the per-round ratios with its 95% interval, one group per (size, threads) cell.
#   gnuplot -e "dat='rows.txt'; out='dir/persist-bar'; kernels='movnti nt-ymm'" plots/persist-bar.gp
# (scripts/persist-bar --plot does this). Input rows: cell-index cell-label kernel ratio low high, as
# scripts/persist-bar writes them; kernels: the series, in legend order (the script's own list).
set key outside right top box
set grid ytics
set ylabel "bandwidth / best baseline (95% interval)"
set xlabel "size / threads"
set colorsequence podo
stats dat using 1 nooutput
ncell = STATS_max
nk = words(kernels)
off(k) = (k - (nk + 1) / 2.0) * 0.12
set xrange [0.4:ncell + 0.6]
set xtics 1
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 lw 1.5 lc "black"
set title "non-temporal kernels over the better of libpmem2 NT memset and glibc memset, paired by round"
do for [t in "pngcairo svg"] {
  if (t eq "svg") { set terminal svg size 1000,520 dynamic font "sans,11"; set output out.".svg" } \
  else { set terminal pngcairo size 1000,520 font "sans,10"; set output out.".png" }
  plot dat using 1:(NaN):xtic(2) notitle, \
       for [k = 1:nk] dat using ((strcol(3) eq word(kernels, k)) ? $1 + off(k) : NaN):4:5:6 \
       with yerrorbars pt 7 ps 0.8 lw 1.5 title word(kernels, k)
}

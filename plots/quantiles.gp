# quantiles.gp -- called by the figure scripts: one block of a record's recorded quantiles,
# (value, fraction) for min, median, p90, p99, p99.9, max. A quantile plot of what the record
# holds; nothing between those points was measured.
#   call "quantiles.gp" "FILTER" "TITLE"
set datafile separator comma
set table $quant_tmp
plot csv using (column("min")):(column("median")):(column("p90")):(column("p99")):(column("p999")):(column("max")) \
     with table if (@ARG1)
unset table
set datafile separator whitespace
if (|$quant_tmp| > 0) {
  print sprintf("\"%s\" \"\"", ARG2)
  q_frac = "0 0.5 0.9 0.99 0.999 1"
  do for [j = 1:6] { print sprintf("%s %s", word($quant_tmp[1], j), word(q_frac, j)) }
  print ""
  print ""
  nblocks = nblocks + 1
}

# series.gp -- called by the figure scripts: append one series to the datablock being printed.
#   call "series.gp" "FILTER" "X" "Y" "TITLE"
# Rows of the CSV where FILTER holds become one index block titled TITLE; empty series add nothing.
# Filtering into a block (rather than plotting NaN for other rows) is what lets lines join the points.
set datafile separator comma
set table $series_tmp
plot csv using (@ARG2):(@ARG3) with table if (@ARG1)
unset table
set datafile separator whitespace	# the blocks themselves are whitespace separated
if (|$series_tmp| > 0) {
  print sprintf("\"%s\" \"\"", ARG4)
  do for [i = 1:|$series_tmp|] { print $series_tmp[i] }
  print ""
  print ""
  nblocks = nblocks + 1
}

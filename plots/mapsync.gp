# mapsync.gp -- cost per durable write against batch size, from a daxbench CSV export.
#   gnuplot -e "csv='mapsync.csv'; out='dir/mapsync'; label='...'" plots/mapsync.gp
# One line per file state for mode=deferred (sync=fdatasync, 4 KiB seq writes); map-sync's cost is
# a horizontal line of the same colour (it has no batch); the break-even batch, the first batch at
# which deferred is cheaper, is marked with an arrow. Write-batch (pwrite + fdatasync) is dotted.
if (!exists("label")) label = ""
set datafile columnheaders
set grid
set colorsequence podo
here = ARG0[1:strstrt(ARG0, "mapsync.gp") - 1]
is(c, v) = strcol(c) eq v
base(f, m) = is("bench", "mapsync") && is("status", "ok") && is("file", f) && is("mode", m) && \
    is("metric", "ns_per_durable_write") && column("write_size") == 4096 && is("pattern", "seq") && is("background", "none")
files = "sparse prealloc written"
array ms[3]
array be[3]
nblocks = 0
set print $DEF
do for [fi = 1:3] {
  f = word(files, fi)
  call here."series.gp" 'base(f, "deferred") && is("sync", "fdatasync")' 'column("batch")' 'column("median")' "deferred ".f
}
unset print
ndef = nblocks
nblocks = 0
set print $WB
do for [f in files] { call here."series.gp" 'base(f, "write-batch")' 'column("batch")' 'column("median")' "pwrite+fdatasync ".f }
unset print
nwb = nblocks
do for [fi = 1:3] {
  f = word(files, fi)
  nblocks = 0
  set print $MS
  call here."series.gp" 'base(f, "map-sync") && is("persist", "clwb")' 'column("batch")' 'column("median")' "map-sync ".f
  unset print
  ms[fi] = nblocks > 0 ? real(word($MS[2], 2)) : NaN
}
set datafile separator whitespace
do for [fi = 1:3] {
  be[fi] = NaN
  f = word(files, fi)
  if (ms[fi] == ms[fi]) {
    do for [i = 1:|$DEF|] {
      if (strstrt($DEF[i], '"deferred '.f.'"') == 1) { cur = 1 } else {
        if ($DEF[i] eq "") { cur = 0 } else {
          if (exists("cur") && cur == 1 && strstrt($DEF[i], '"') != 1) {
            x = real(word($DEF[i], 1)); y = real(word($DEF[i], 2))
            if (y < ms[fi] && !(be[fi] == be[fi])) { be[fi] = x }
          }
        }
      }
    }
  }
}

do for [fmt in "pngcairo svg"] {
  ext = (fmt eq "svg") ? ".svg" : ".png"
  if (fmt eq "svg") { set terminal svg size 1100,650 dynamic font "sans,11" } else { set terminal pngcairo size 1100,650 font "sans,10" }
  if (ndef + nwb > 0) {
    set output out."-batch".ext
    set title "cost per durable write vs batch (4 KiB sequential writes; median)\n".label
    set logscale xy 10
    set xlabel "writes per sync (batch)"
    set ylabel "ns per durable write"
    set key outside right top
    unset arrow
    do for [fi = 1:3] {
      if (be[fi] == be[fi]) { set arrow fi from be[fi], graph 0.9 to be[fi], ms[fi] lc fi lw 2 }
    }
    # only name the blocks that hold something: gnuplot refuses an unprinted datablock
    cmd = "plot "
    sep = ""
    if (ndef > 0) { cmd = cmd.sprintf("for [i = 0:%d] $DEF index i using 1:2 with linespoints lc i + 1 title columnheader(1)", ndef - 1); sep = ", " }
    do for [fi = 1:3] {
      if (ms[fi] == ms[fi]) { cmd = cmd.sep.sprintf("%g with lines lc %d dashtype 2 title 'map-sync %s'", ms[fi], fi, word(files, fi)); sep = ", " }
    }
    if (nwb > 0) { cmd = cmd.sep.sprintf("for [i = 0:%d] $WB index i using 1:2 with linespoints dashtype 3 title columnheader(1)", nwb - 1) }
    eval cmd
  }
}

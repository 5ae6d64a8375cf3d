#!/bin/sh
# Line widths of the terminal worksheet of every job in worksheets/: total lines, lines over
# 80, 100 and 120 columns, and the longest line (in characters, UTF-8 aware).
#   scripts/worksheet_widths.sh [SIZER] [COLUMNS]
# SIZER defaults to build/cli/sizer; COLUMNS (default 100) is passed in the environment.
set -eu
sizer=${1:-build/cli/sizer}
columns=${2:-100}
printf '%-30s %6s %5s %5s %5s %7s\n' worksheet lines '>80' '>100' '>120' longest
for job in worksheets/*.yaml; do
  COLUMNS=$columns "$sizer" plan "$job" 2>/dev/null | NAME=$(basename "$job" .yaml) perl -CS -ne '
    chomp; my $n = length; $lines++; $a++ if $n > 80; $b++ if $n > 100; $c++ if $n > 120;
    $max = $n if $n > $max;
    END { printf "%-30s %6d %5d %5d %5d %7d\n", $ENV{NAME}, $lines, $a, $b, $c, $max }
  '
done

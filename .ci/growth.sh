#!/usr/bin/env bash
# Growth checks (issue 17): each case of examples/growth runs at n, 2n, 4n and 8n under
# callgrind, which counts instructions (repeatable, unlike wall time on a shared machine).
# Every doubling must cost at most MAX_RATIO times the previous size (default 2.6).
# Usage: .ci/growth.sh [CASE...]   (all cases when none is named)
set -euo pipefail
cd "$(dirname "$0")/.."
max_ratio=${MAX_RATIO:-2.6}
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
cargo build --quiet --release --all-features --example growth
bin=target/release/examples/growth
count() {
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*growth::measured*' \
    --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
failed=0
while read -r name base; do
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
  prev=""; line="$name:"
  for mult in 1 2 4 8; do
    n=$((base * mult))
    c=$(count "$name" "$n")
    [ -n "$c" ] || { echo "$name: no instruction count at n=$n"; failed=1; continue 2; }
    if [ -n "$prev" ]; then
      ratio=$(awk -v a="$c" -v b="$prev" 'BEGIN { printf "%.2f", a / b }')
      line="$line n=$n ${ratio}x"
      if awk -v r="$ratio" -v m="$max_ratio" 'BEGIN { exit !(r > m) }'; then failed=1; line="$line (over $max_ratio)"; fi
    else
      line="$line n=$n $c instructions"
    fi
    prev=$c
  done
  echo "$line"
done < <("$bin" --list)
exit $failed

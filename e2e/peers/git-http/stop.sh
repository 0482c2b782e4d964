#!/usr/bin/env bash
# Stops what start.sh DIR started. fcgiwrap re-forks children that die and its children outlive SIGTERM to the
# parent, so the children are noted first and killed after the parent. A zombie (state Z) counts as gone.
set -uo pipefail
dir=$1
alive() { [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
if [ -f "$dir/nginx.pid" ]; then
  kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
fi
if [ -f "$dir/fcgiwrap.pid" ]; then
  parent=$(cat "$dir/fcgiwrap.pid")
  children=$(pgrep -P "$parent" 2>/dev/null || true)
  kill "$parent" 2>/dev/null || true
  for child in $children; do kill "$child" 2>/dev/null || true; done
  for _ in $(seq 50); do
    busy=0
    for p in $parent $children; do alive "$p" && busy=1; done
    [ $busy = 0 ] && break
    sleep 0.02
  done
fi
rm -f "$dir/nginx.pid" "$dir/fcgiwrap.pid" "$dir/fcgiwrap.sock"

# Helpers shared by benches/jobs/*.sh (sourced).

# now: seconds since the epoch with nanoseconds.
now() { date +%s.%N; }

# rate BYTES SECONDS: "9.81 GB/s" (or MB/s below 1 GB/s).
rate() { awk -v b="$1" -v s="$2" 'BEGIN { r = b / s; if (r >= 1e9) printf "%.2f GB/s", r / 1e9; else printf "%.0f MB/s", r / 1e6 }'; }

# ratio A_SECONDS B_SECONDS: how many times faster A is than B.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", b / a }'; }

# peak_rss_mb CMD...: run CMD under GNU time, print its peak RSS in MB (stdout discarded).
peak_rss_mb() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$DATA/.rss" "$@" >/dev/null 2>"$DATA/.rss.err" || { cat "$DATA/.rss.err" >&2; echo "?"; return; }
    awk '{ printf "%.0f", $1 / 1024 }' "$DATA/.rss"
  else
    "$@" >/dev/null; echo "?"
  fi
}

# timed CMD...: run CMD (stdout to /dev/null), print elapsed seconds.
timed() { local t0; t0=$(now); "$@" >/dev/null; awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.4f", b - a }'; }

# evict FILE: drop FILE's pages from the page cache (for cold-cache runs).
evict() { python3 -c 'import os,sys; fd=os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$1"; }

# warm FILE: read FILE once so it is in the page cache.
warm() { cat "$1" >/dev/null; }

has_python_module() { python3 -c "import $1" 2>/dev/null; }

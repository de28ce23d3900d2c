#!/usr/bin/env bash
# Failure-handling figures of docs/benchmarks.md ("Cluster"): runs the end-to-end failure tests N times (default 5) on
# real processes and prints the median of each duration they record. Usage: bench/cluster-failover.sh [runs]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-5}"
timings="$(mktemp)"
dotnet build tests/Cuckoo.EndToEnd.Tests -c Release --nologo -v quiet
for i in $(seq 1 "$runs"); do
  CUCKOO_E2E_TIMINGS="$timings" dotnet test tests/Cuckoo.EndToEnd.Tests -c Release --no-build --nologo -v quiet \
    --filter "FullyQualifiedName~Killed_miner_is_downed|FullyQualifiedName~Killing_the_oldest_coordinator" >/dev/null
  echo "run $i of $runs done" >&2
done
sort "$timings" | awk '
  { v[$1] = v[$1] " " $2; n[$1]++ }
  END {
    for (k in v) {
      split(substr(v[k], 2), a, " "); m = n[k];
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
      printf "%-40s median %6.2f s  (n=%d, min %s, max %s)\n", k, med, m, a[1], a[m]
    }
  }'
rm -f "$timings"

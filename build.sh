#!/usr/bin/env bash
# Entry point for every build step: ./build.sh [setup|build|test|bench|up|down|clean] [args...]
# The steps themselves live in build.fsx (FAKE); this script only maps the verb to a target.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export HARDHAT_DISABLE_TELEMETRY_PROMPT=true
if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET 10 SDK (dotnet) is required and was not found on PATH." >&2
  exit 1
fi
verb="${1:-build}"
shift || true
case "$verb" in
  setup) target=Setup ;;
  build) target=Build ;;
  test) target=Test ;;
  bench) target=Bench ;;
  up) target=Up ;;
  down) target=Down ;;
  clean) target=Clean ;;
  -h|--help|help)
    echo "usage: ./build.sh [setup|build|test|bench|up|down|clean] [options]"
    echo "  setup           install what the project needs (npm packages, Debian packages), idempotently"
    echo "  build           compile everything (Release)"
    echo "  test            run every test suite and print one summary line"
    echo "  bench [filter]  run the benchmarks and write docs/benchmarks results"
    echo "  up [--detach]   start the whole system on this machine (foreground until Ctrl-C; --detach: until ./build.sh down)"
    echo "  down            stop what 'up' started"
    exit 0 ;;
  *) echo "build.sh: unknown step '$verb' (try ./build.sh help)" >&2; exit 2 ;;
esac
exec dotnet fsi build.fsx --target "$target" -- "$@"

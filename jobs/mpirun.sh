#!/bin/bash
# GrokSim with plain mpirun, on a workstation or on nodes listed in a hostfile.
#
#   jobs/mpirun.sh --preset xu2024-fig1 --out runs/fig1.h5            # all cores of this machine
#   NP=16 HOSTFILE=hosts jobs/mpirun.sh jobs/example.toml --out runs/x.h5
#
# Arguments are passed to `groksim run`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
GROKSIM=${GROKSIM:-$here/.build/release/groksim}
NP=${NP:-$(nproc)}
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}

args=(-n "$NP" --bind-to core)
[ -n "${HOSTFILE:-}" ] && args+=(--hostfile "$HOSTFILE")
[ "$(id -u)" = 0 ] && args+=(--allow-run-as-root)
# More ranks than cores only makes sense for testing; allow it when asked.
[ -n "${OVERSUBSCRIBE:-}" ] && args+=(--oversubscribe)

if [ ! -x "$GROKSIM" ]; then
    echo "groksim: error: no executable at $GROKSIM; run 'make release' first or set GROKSIM" >&2
    exit 2
fi
exec mpirun "${args[@]}" "$GROKSIM" run "$@"

#!/bin/sh
# The separable fraction of constant-label training sets against Wendel's probability (Beck, Levi, Bar-Sinai 2025):
# seeds 0..SEEDS-1 at N in SIZES and lambda in {0.45, 0.48, 0.5, 0.52, 0.55}, each set decided by the certified
# fast test (OriginSeparability.fastTest). Writes OUT.json (one row per (N, lambda)) and OUT.svg (Wendel's curves
# with the measured fractions and +-2 binomial sd bands), and prints the table.
# About 3 s per lambda at N = 100 and 2 min per lambda at N = 1000 with 200 seeds, on one core.
#   jobs/separability_table.sh [SIZES] [SEEDS] [OUT]     e.g. jobs/separability_table.sh 100,1000 200 docs/figures/separability-fraction
set -e
cd "$(dirname "$0")/.."
SIZES=${1:-100,1000}
SEEDS=${2:-200}
OUT=${3:-separability-fraction}
case $OUT in /*) ;; *) OUT=$(pwd)/$OUT ;; esac
GROKSIM_WENDEL_TABLE=1 GROKSIM_WENDEL_N=$SIZES GROKSIM_WENDEL_SEEDS=$SEEDS GROKSIM_WENDEL_OUT=$OUT OPENBLAS_NUM_THREADS=1 \
    swift test --filter ConstantLabelLogisticTests/testSeparabilityFractionTable
echo "wrote $OUT.json and $OUT.svg"

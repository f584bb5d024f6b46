#!/usr/bin/env bash
# Regenerates reports/example/, the sample report shown in README.md: the
# bundled checkout plan with its holidays, extra links and risk register,
# forecast to its GA milestone (1,000,000 iterations, seed 42). The report is
# dated now (or SOURCE_DATE_EPOCH, if set); a test reruns it with the date it
# records and expects the same bytes.
#
# Usage: scripts/example-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --quiet -- report data/examples/checkout-v2.csv \
  --start 2027-01-04 \
  --milestone ga \
  --holidays data/examples/holidays-2027.csv \
  --edges data/examples/checkout-v2-edges.csv \
  --risks data/examples/checkout-v2-risks.csv \
  --out reports/example

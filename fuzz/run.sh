#!/usr/bin/env bash
# Run one fuzz target for N seconds (default 600), seeded from the kernel captures.
#   fuzz/run.sh TARGET [SECONDS]
# Installs cargo-fuzz from crates.io when it is missing; runs on the stable toolchain through
# RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
secs=${2:-600}
mkdir -p "corpus/$target"
cp -n ../tests/fixtures/kernel/*.bin "corpus/$target/" 2>/dev/null || true
# trace reads inputs as roundtrip does ([cmd][attributes]); roundtrip's corpus is full of sets
# that decode, which trace needs to compare their rendering with the decoder.
if [ "$target" = trace ] && [ -d corpus/roundtrip ]; then
    find corpus/roundtrip -type f -exec cp -n -t corpus/trace/ {} + 2>/dev/null || true
fi
export RUSTC_BOOTSTRAP=1
exec cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$secs" -print_final_stats=1

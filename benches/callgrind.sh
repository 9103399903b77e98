#!/usr/bin/env bash
# Instructions per operation, counted by callgrind (repeatable, unlike wall time on a shared
# machine): for each operation, Ir(2N) - Ir(N), divided by N, so setup costs cancel out.
#   benches/callgrind.sh [operation ...]     (default: the offline operations)
#   benches/callgrind.sh live                (the live round trips; user-space instructions
#                                             only: valgrind does not see the kernel's work)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-bench-prof}"
CARGO_PROFILE_RELEASE_DEBUG=true cargo build -q --release -p benches --bin profile
bin="$CARGO_TARGET_DIR/release/profile"
ops=("$@")
if [ "${ops[*]}" = live ]; then
  ops=(live-dump-floor live-dump-rnl live-dump-ours-owned live-dump-ours-with
       live-dump-ours-borrowed live-dump-ours-borrowed-peek live-dump-tokio-owned
       live-dump-tokio-borrowed live-dump-manual-owned live-dump-manual-borrowed
       live-do-floor live-do-rnl live-do-ours live-do-ours-borrowed live-do-ours-borrowed-peek
       live-do-manual-owned live-do-manual-borrowed live-do-ack-floor live-do-ack-ours
       live-do-ack-ours-borrowed live-do-ack-genl-ack)
fi
if [ ${#ops[@]} -eq 0 ]; then
  ops=(encode-neli encode-rnl encode-ours-owned encode-ours-borrowed encode-manual
       family-neli family-rnl family-ours-owned family-ours-borrowed family-manual-owned
       family-manual-borrowed family-tight-borrowed policy-ours-owned policy-manual-borrowed)
fi
ir() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '| operation | instructions/op |\n|---|---:|\n'
for op in "${ops[@]}"; do
  case "$op" in encode-*) n=2000 ;; policy-*) n=20 ;; *) n=100 ;; esac
  a=$(ir "$op" "$n"); b=$(ir "$op" $((2 * n)))
  printf '| %s | %s |\n' "$op" $(( (b - a) / n ))
done

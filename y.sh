#!/usr/bin/env bash
# Entry point of the build system: makes sure the pinned toolchain is
# installed, then runs the build_system crate with the given arguments.
# Usage: ./y.sh prepare|build|test|run|bench|clean [args]   (./y.sh help)
set -euo pipefail

toolchain="nightly-2026-05-20"
components=(rustc-dev rust-src llvm-tools)
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v rustup >/dev/null 2>&1; then
    echo "y.sh: rustup was not found in PATH; install rustup first" >&2
    exit 1
fi

need_install=0
if ! rustup run "$toolchain" rustc -V >/dev/null 2>&1; then
    need_install=1
else
    installed="$(rustup component list --installed --toolchain "$toolchain" 2>/dev/null || true)"
    for c in "${components[@]}"; do
        if ! grep -q "^$c" <<<"$installed"; then
            need_install=1
        fi
    done
fi
if [ "$need_install" = 1 ]; then
    echo "y.sh: installing toolchain $toolchain with ${components[*]}" >&2
    rustup toolchain install "$toolchain" --profile minimal \
        -c "$(IFS=,; echo "${components[*]}")"
fi

exec cargo "+$toolchain" run --quiet --release \
    --manifest-path "$root/build_system/Cargo.toml" \
    --target-dir "$root/build_system/target" \
    -- "$@"

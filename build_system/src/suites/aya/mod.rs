//! Suite `aya`: eBPF programs written against aya-ebpf from crates.io
//! (`tests/aya/ebpf/`, a cargo package with one binary per program) are
//! built with `dist/cargo-bpf build --target bpfel-unknown-none --release`
//! (proc macros and build scripts by the stock rustc, the eBPF crates by
//! the backend), then loaded with aya (and, for BTF-defined maps, with
//! libbpf through bpftool), attached or test-run, and checked from user
//! space (see [`programs`]).
//!
//! The ring buffer program is not loaded with libbpf: aya-ebpf 0.2.1's
//! BTF `RingBuf` declares both a value type and a value size of 0, which
//! libbpf rejects ("conflicting value size") whatever compiled it.
//!
//! `aya/asm_errors` checks that bad inline assembly is a clean error at
//! its `asm!` (`tests/aya/asm_errors.rs`, annotated like a ui test).
//!
//! Test names: `aya/<program>/build`, `aya/<program>/<loader>`, and
//! `aya/ringbuf/inline_asm` (aya-ebpf's `asm!` bounds check assembled by
//! the backend); `aya/xdp_asm/aya` runs inline assembly of every operand
//! kind in the kernel.

mod programs;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::bpf_objects;
use crate::build::io_error;
use crate::kernel;
use crate::paths::Dirs;
use crate::process;
use crate::report::Reporter;
use crate::suites::maps::harness::TestResult;
use crate::suites::{Ctx, ui};

const SUITE: &str = "aya";
/// BPF inline assembly the assembler must refuse, with ui annotations.
const ASM_ERRORS: &str = "tests/aya/asm_errors.rs";
const TARGET: &str = "bpfel-unknown-none";
const BUILD_TIME_LIMIT: Duration = Duration::from_secs(900);

/// One program of `tests/aya/ebpf/src/bin` and the checks of its object.
struct Program {
    bin: &'static str,
    checks: &'static [Check],
}

/// A check of a built object: `run(object, label)`, `label` being unique
/// to the program (for pin names).
struct Check {
    name: &'static str,
    /// Whether it loads programs into the running kernel.
    kernel: bool,
    run: fn(&Path, &str) -> TestResult,
}

/// A check that loads the object into the running kernel.
const fn kernel(name: &'static str, run: fn(&Path, &str) -> TestResult) -> Check {
    Check {
        name,
        kernel: true,
        run,
    }
}

const PROGRAMS: &[Program] = &[
    Program {
        bin: "xdp_firewall",
        checks: &[kernel("aya", programs::firewall_legacy_aya)],
    },
    Program {
        bin: "xdp_asm",
        checks: &[kernel("aya", programs::inline_asm_aya)],
    },
    Program {
        bin: "xdp_log",
        checks: &[kernel("aya", programs::log_aya)],
    },
    Program {
        bin: "xdp_firewall_btf",
        checks: &[
            kernel("aya", programs::firewall_btf_aya),
            kernel("libbpf", programs::firewall_btf_libbpf),
        ],
    },
    Program {
        bin: "tp_counter",
        checks: &[kernel("aya", programs::tracepoint_counter_aya)],
    },
    Program {
        bin: "ringbuf",
        checks: &[
            Check {
                name: "inline_asm",
                kernel: false,
                run: programs::ringbuf_inline_asm,
            },
            kernel("aya", programs::ringbuf_aya),
        ],
    },
];

/// The cargo package of the eBPF programs.
pub fn ebpf_package(dirs: &Dirs) -> PathBuf {
    dirs.root.join("tests").join("aya").join("ebpf")
}

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    let target_dir = ctx.dirs.build.join(SUITE).join("target");
    if let Err(e) = forget_stale_objects(&ctx.dirs, &target_dir) {
        r.fail(&format!("{SUITE}/setup"), e, String::new());
        return;
    }
    r.check(&format!("{SUITE}/asm_errors"), asm_errors(&ctx.dirs));
    let unavailable = bpf_objects::kernel_unavailable();
    for program in PROGRAMS {
        let prefix = format!("{SUITE}/{}", program.bin);
        let built = build(&ctx.dirs, &target_dir, program.bin);
        let ok = built.is_ok();
        r.check(&format!("{prefix}/build"), built);
        let object = target_dir.join(TARGET).join("release").join(program.bin);
        for check in program.checks {
            let name = format!("{prefix}/{}", check.name);
            if !ok {
                r.skip(&name, "did not build");
            } else if check.kernel
                && let Some(why) = &unavailable
            {
                kernel::report_unavailable(r, &name, why);
            } else {
                let label = format!("{SUITE}_{}", program.bin);
                r.check(&name, (check.run)(&object, &label));
            }
        }
    }
}

/// `tests/aya/asm_errors.rs`, compiled for BPF with `dist/rustc-bpf`,
/// fails with the errors its `//~ ERROR` annotations name, at their lines.
fn asm_errors(dirs: &Dirs) -> TestResult {
    let file = ASM_ERRORS;
    let text = fs::read_to_string(dirs.root.join(file))
        .map_err(|e| (format!("{file}: {e}"), String::new()))?;
    let expect = ui::parse(&text).map_err(|e| (format!("{file}: {e}"), String::new()))?;
    let out_dir = dirs.build.join(SUITE);
    let mut cmd = Command::new(dirs.rustc_bpf());
    cmd.args([
        "--edition",
        "2024",
        "--crate-type",
        "lib",
        "--target",
        TARGET,
    ])
    .arg("--out-dir")
    .arg(&out_dir)
    .arg(file)
    .current_dir(&dirs.root);
    let out = process::run_captured(&mut cmd, BUILD_TIME_LIMIT).map_err(|e| (e, String::new()))?;
    ui::judge(file, &expect, out.exit, &out.stderr)
}

/// `dist/cargo-bpf build --release --target bpfel-unknown-none --bin BIN`
/// in the eBPF package, with the crates `./y.sh prepare` fetched.
fn build(dirs: &Dirs, target_dir: &Path, bin: &str) -> TestResult {
    let mut cmd = Command::new(dirs.cargo_bpf());
    cmd.args([
        "build",
        "--release",
        "--locked",
        "--target",
        TARGET,
        "--bin",
        bin,
    ])
    .arg("--target-dir")
    .arg(target_dir)
    .current_dir(ebpf_package(dirs));
    let out = process::run_captured(&mut cmd, BUILD_TIME_LIMIT).map_err(|e| (e, String::new()))?;
    if out.exit.success() {
        Ok(())
    } else {
        Err((
            format!("{} failed ({})", process::describe(&cmd), out.exit),
            process::clip(&out.stderr, 40, 40),
        ))
    }
}

/// Cargo cannot see that the backend changed (its rustflags name the same
/// dylib path), so the eBPF target's artifacts are dropped when the
/// installed backend differs from the one that built them. Host artifacts
/// (proc macros, build scripts) stay.
fn forget_stale_objects(dirs: &Dirs, target_dir: &Path) -> Result<(), String> {
    let stamp_file = target_dir.join("backend.stamp");
    let stamp = crate::sysroot::backend_stamp(dirs)?;
    if fs::read_to_string(&stamp_file).ok().as_deref() == Some(stamp.as_str()) {
        return Ok(());
    }
    let objects = target_dir.join(TARGET);
    if objects.exists() {
        fs::remove_dir_all(&objects).map_err(|e| io_error("remove", &objects, e))?;
    }
    fs::create_dir_all(target_dir).map_err(|e| io_error("create", target_dir, e))?;
    fs::write(&stamp_file, stamp).map_err(|e| io_error("write", &stamp_file, e))
}

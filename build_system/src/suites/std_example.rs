//! Suite `std_example`: builds `example/std_example.rs` (collections,
//! formatting, trait objects, threads, channels, i128, float math, files...)
//! against the host `std` the backend compiled and, as the reference, with
//! rustc's LLVM backend and its own `std`; runs both at `-Copt-level=0` and
//! `2` and demands the same stdout and exit status. `std_global_alloc.rs`
//! (a `#[global_allocator]` of its own) gets the same at `-Copt-level=0`,
//! and `std_simd.rs` (`core::arch` and portable SIMD, lowered lane by
//! lane) at both levels.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::report::Reporter;
use crate::rustc::{self, Compile, CrateType, Rustc};
use crate::suites::Ctx;
use crate::suites::mini_core::{Stream, compare_one};

const SUITE: &str = "std_example";

/// Arguments the program prints back (and counts into its exit status).
pub const ARGS: &[&str] = &["first", "second arg"];

/// The programs, by file stem, and the opt levels each is built at.
const PROGRAMS: &[(&str, &[&str])] = &[
    ("std_example", &["0", "2"]),
    ("std_global_alloc", &["0"]),
    ("std_simd", &["0", "2"]),
];

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    for &(program, opt_levels) in PROGRAMS {
        for &opt_level in opt_levels {
            run_program(ctx, r, program, opt_level);
        }
    }
}

/// Builds `program` with both compilers at `opt_level`, runs and compares.
fn run_program(ctx: &Ctx, r: &mut Reporter, program: &str, opt_level: &'static str) {
    let source = Path::new("example").join(format!("{program}.rs"));
    let prefix = if program == SUITE {
        SUITE.to_string()
    } else {
        format!("{SUITE}/{program}")
    };
    let mut times = Vec::new();
    let mut binaries = Vec::new();
    for rustc in [Rustc::backend(&ctx.dirs), Rustc::llvm(&ctx.dirs)] {
        let name = format!("{prefix}/compile_{}_opt{opt_level}", rustc.label);
        let out_dir = ctx
            .dirs
            .build
            .join(SUITE)
            .join(format!("{}_opt{opt_level}", rustc.label));
        match compile(&rustc, &source, &out_dir, opt_level) {
            Ok((binary, elapsed)) => {
                r.pass(&name);
                times.push(format!("{} {:.2} s", rustc.label, elapsed.as_secs_f64()));
                binaries.push(Some(binary));
            }
            Err((reason, details)) => {
                r.fail(&name, reason, details);
                times.push(format!("{} failed", rustc.label));
                binaries.push(None);
            }
        }
    }
    r.info(&format!(
        "{program} compile at -Copt-level={opt_level}: {}",
        times.join(", ")
    ));
    let name = format!("{prefix}/run_opt{opt_level}");
    match (&binaries[0], &binaries[1]) {
        (Some(backend), Some(llvm)) => {
            r.check(&name, compare_one(backend, llvm, ARGS, Stream::Stdout))
        }
        _ => r.skip(&name, "a compile step failed"),
    }
}

/// Builds the program with `rustc`; returns the binary and the compile time.
fn compile(
    rustc: &Rustc,
    source: &Path,
    out_dir: &Path,
    opt_level: &'static str,
) -> Result<(PathBuf, Duration), (String, String)> {
    let compile = Compile::new(source, CrateType::Bin, out_dir).opt_level(opt_level);
    let out = compile.run(rustc).map_err(|e| (e, String::new()))?;
    if !out.exit.success() {
        return Err(rustc::compile_failure(rustc, &compile, &out));
    }
    Ok((compile.output, out.elapsed))
}

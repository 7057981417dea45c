//! Host compile times, the backend against rustc's LLVM backend in one
//! run, taking turns: debug builds of `example/std_example.rs` (one rustc
//! invocation) and of a crates.io crate with its dependencies (regex, from
//! the sources `./y.sh prepare` vendors for the `crates` suite; each build
//! starts from an empty target directory).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::paths::{self, Dirs};
use crate::process;
use crate::rustc::{Compile, CrateType, Rustc};

use super::results::HostCompile;

/// The crates.io crate whose debug build is timed.
const CRATE: &str = "regex";

const CARGO_LIMIT: Duration = Duration::from_secs(30 * 60);

/// Times each program `runs` times per compiler; `with_crate` adds the
/// crates.io crate.
pub fn measure(dirs: &Dirs, work: &Path, runs: usize, with_crate: bool) -> Vec<HostCompile> {
    let mut results = vec![std_example(dirs, work, runs)];
    if with_crate {
        results.push(crate_build(dirs, work, runs));
    }
    results
}

fn std_example(dirs: &Dirs, work: &Path, runs: usize) -> HostCompile {
    let source = Path::new("example").join("std_example.rs");
    let time = |rustc: &Rustc| -> Result<f64, String> {
        let out_dir = work.join("host").join(rustc.label);
        let compile = Compile::new(&source, CrateType::Bin, &out_dir).opt_level("0");
        let out = compile.run(rustc)?;
        if !out.exit.success() {
            return Err(crate::rustc::compile_failure(rustc, &compile, &out).0);
        }
        Ok(out.elapsed.as_secs_f64())
    };
    let (ours, llvm) = (Rustc::backend(dirs), Rustc::llvm(dirs));
    let (ours_s, llvm_s) = in_turns(runs, || time(&ours), || time(&llvm));
    HostCompile {
        program: "std_example".into(),
        how: "rustc, -Copt-level=0, one crate".into(),
        ours_s,
        llvm_s,
    }
}

fn crate_build(dirs: &Dirs, work: &Path, runs: usize) -> HostCompile {
    let version = crate::suites::crates::pinned(dirs).ok().and_then(|crates| {
        crates
            .into_iter()
            .find(|(name, _)| name == CRATE)
            .map(|(_, version)| version)
    });
    let program = format!("{CRATE} {}", version.as_deref().unwrap_or("?"));
    let how = "cargo build --lib, debug, default features, with its dependencies".into();
    let Some(version) = version else {
        let why = format!("{CRATE} is not pinned in tests/crates/Cargo.toml");
        return HostCompile {
            program,
            how,
            ours_s: Err(why.clone()),
            llvm_s: Err(why),
        };
    };
    let manifest = crate::suites::crates::source_dir(dirs, CRATE, &version).join("Cargo.toml");
    let build = |ours: bool| -> Result<f64, String> {
        if !manifest.is_file() {
            return Err(format!(
                "{} is missing: run ./y.sh prepare",
                manifest.display()
            ));
        }
        let target_dir = work
            .join("host")
            .join(if ours { "crate_ours" } else { "crate_llvm" });
        let _ = std::fs::remove_dir_all(&target_dir);
        let mut cargo = if ours {
            Command::new(dirs.cargo_bpf())
        } else {
            let mut cargo = Command::new("cargo");
            cargo.arg(paths::toolchain_arg()).env(
                "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS",
                crate::build::HOST_FLAGS,
            );
            cargo
        };
        cargo
            .args([
                "build",
                "--offline",
                "--lib",
                "--target",
                paths::HOST_TARGET,
            ])
            .arg("--manifest-path")
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", &target_dir);
        let out = process::run_captured(&mut cargo, CARGO_LIMIT)?;
        if !out.exit.success() {
            return Err(format!(
                "the build failed ({}): {}",
                out.exit,
                process::clip(&out.stderr, 0, 8)
            ));
        }
        Ok(out.elapsed.as_secs_f64())
    };
    let (ours_s, llvm_s) = in_turns(runs, || build(true), || build(false));
    HostCompile {
        program,
        how,
        ours_s,
        llvm_s,
    }
}

/// Runs `ours` and `llvm` `runs` times, alternating, so that load on the
/// machine hits both alike; a side's first error ends its runs.
fn in_turns(
    runs: usize,
    mut ours: impl FnMut() -> Result<f64, String>,
    mut llvm: impl FnMut() -> Result<f64, String>,
) -> (Result<Vec<f64>, String>, Result<Vec<f64>, String>) {
    let (mut a, mut b) = (Ok(Vec::new()), Ok(Vec::new()));
    for _ in 0..runs {
        for (side, run) in [
            (&mut a, &mut ours as &mut dyn FnMut() -> _),
            (&mut b, &mut llvm),
        ] {
            if let Ok(times) = side {
                match run() {
                    Ok(t) => times.push(t),
                    Err(why) => *side = Err(why),
                }
            }
        }
    }
    (a, b)
}

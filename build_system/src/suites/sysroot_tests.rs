//! Suite `sysroot_tests`: the standard library's own tests from the pinned
//! toolchain's rust-src, `coretests` and `alloctests`, built by the
//! backend against its sysroot and, as the reference, by rustc's LLVM
//! backend against the toolchain's, both with `-Cpanic=abort
//! -Zpanic-abort-tests` at `-Copt-level=1` (their debug builds run for many
//! minutes). Every test that passes under LLVM must pass under the backend;
//! each one that does not is a test of its own,
//! `sysroot_tests/BINARY/TEST`, listed in `tests/known_failures.txt` when
//! its reason is known. The pass share per harness is printed.
//!
//! The tests build from a workspace under `build/sysroot_tests/`: copies of
//! `library/coretests` and `library/alloctests`, a link to
//! `library/alloc` (whose sources alloctests includes by path), and
//! rust-src's `library/vendor` as the crates.io source, so nothing is
//! fetched.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::paths;
use crate::process;
use crate::report::Reporter;
use crate::suites::Ctx;
use crate::suites::libtest::{Counts, failure_details, outcomes};

const SUITE: &str = "sysroot_tests";

/// The test targets (cargo target selections): coretests' integration
/// tests, alloctests' unit tests and its two integration tests.
const TARGETS: &[&str] = &[
    "--test=coretests",
    "--lib",
    "--test=alloctests",
    "--test=vec_deque_alloc_error",
];

const BUILD_LIMIT: Duration = Duration::from_secs(30 * 60);
const RUN_LIMIT: Duration = Duration::from_secs(20 * 60);

const FLAGS: &str = "-Cpanic=abort -Zpanic-abort-tests -Copt-level=1";

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    let work = ctx.dirs.build.join(SUITE);
    if let Err(e) = workspace(&work) {
        r.fail(&format!("{SUITE}/workspace"), e, String::new());
        return;
    }
    let built = [true, false].map(|ours| build(ctx, &work, ours));
    let (ours, llvm) = match built {
        [Ok(ours), Ok(llvm)] => {
            r.pass(&format!("{SUITE}/build_backend"));
            r.pass(&format!("{SUITE}/build_llvm"));
            (ours, llvm)
        }
        [ours, llvm] => {
            for (side, result) in [("backend", ours), ("llvm", llvm)] {
                if let Err((reason, details)) = result {
                    r.fail(&format!("{SUITE}/build_{side}"), reason, details);
                }
            }
            return;
        }
    };
    for (name, binary) in &llvm {
        let Some(our_binary) = ours.get(name) else {
            r.fail(
                &format!("{SUITE}/{name}/built"),
                "the backend's build has no such test binary",
                String::new(),
            );
            continue;
        };
        compare(r, &work, name, our_binary, binary);
    }
}

/// Creates the workspace (idempotent) and its lock file.
fn workspace(work: &Path) -> Result<(), String> {
    let library = paths::rust_src_library()?;
    let io = |what: &str, path: &Path, e: std::io::Error| format!("{what} {}: {e}", path.display());
    fs::create_dir_all(work.join(".cargo")).map_err(|e| io("create", work, e))?;
    for package in ["coretests", "alloctests"] {
        let to = work.join(package);
        if !to.exists() {
            copy_tree(&library.join(package), &to)?;
        }
    }
    let alloc = work.join("alloc");
    if !alloc.exists() {
        std::os::unix::fs::symlink(library.join("alloc"), &alloc)
            .map_err(|e| io("link", &alloc, e))?;
    }
    let write =
        |path: PathBuf, text: String| fs::write(&path, text).map_err(|e| io("write", &path, e));
    write(
        work.join("Cargo.toml"),
        "[workspace]\nmembers = [\"coretests\", \"alloctests\"]\nresolver = \"3\"\n".into(),
    )?;
    write(
        work.join(".cargo").join("config.toml"),
        format!(
            "[source.crates-io]\nreplace-with = \"rust-src-vendor\"\n\n\
             [source.rust-src-vendor]\ndirectory = \"{}\"\n",
            library.join("vendor").display()
        ),
    )?;
    let mut lock = Command::new("cargo");
    lock.arg(paths::toolchain_arg())
        .args(["generate-lockfile", "--offline"])
        .current_dir(work);
    let out = process::run_captured(&mut lock, BUILD_LIMIT)?;
    if out.exit.success() {
        Ok(())
    } else {
        Err(format!("cargo generate-lockfile failed: {}", out.stderr))
    }
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    let mut cp = Command::new("cp");
    cp.arg("-r").arg(from).arg(to);
    let out = process::run_captured(&mut cp, BUILD_LIMIT)?;
    if out.exit.success() {
        Ok(())
    } else {
        Err(format!("cp -r {}: {}", from.display(), out.stderr))
    }
}

/// Builds the test binaries with the backend (`ours`) or LLVM; returns them
/// by name (`coretests`, `alloctests_lib`, `alloctests`, ...).
fn build(ctx: &Ctx, work: &Path, ours: bool) -> Result<HashMap<String, PathBuf>, (String, String)> {
    let side = if ours { "backend" } else { "llvm" };
    let mut cargo = if ours {
        let mut cargo = Command::new(ctx.dirs.cargo_bpf());
        cargo.env(
            "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS",
            format!(
                "-Zcodegen-backend={} --sysroot {} {FLAGS}",
                ctx.dirs.dist_dylib().display(),
                ctx.dirs.dist_sysroot().display()
            ),
        );
        cargo
    } else {
        let mut cargo = Command::new("cargo");
        cargo
            .arg(paths::toolchain_arg())
            .env("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS", FLAGS);
        cargo
    };
    cargo
        .args([
            "test",
            "--offline",
            "--no-run",
            "-p",
            "coretests",
            "-p",
            "alloctests",
        ])
        .args(TARGETS)
        .args(["--target", paths::HOST_TARGET])
        .env("CARGO_TARGET_DIR", work.join(format!("target-{side}")))
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TERM_COLOR", "never")
        .current_dir(work);
    let out = process::run_captured(&mut cargo, BUILD_LIMIT).map_err(|e| (e, String::new()))?;
    if !out.exit.success() {
        return Err((
            format!("{side} build of the tests failed ({})", out.exit),
            process::clip(&out.stderr, 30, 40),
        ));
    }
    // cargo names each binary: `  Executable tests/lib.rs (PATH)`.
    let binaries: HashMap<String, PathBuf> = out
        .stderr
        .lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix("Executable ")?;
            let (what, path) = rest.rsplit_once(" (")?;
            let path = PathBuf::from(path.strip_suffix(')')?);
            let stem = path.file_name()?.to_str()?.rsplit_once('-')?.0.to_string();
            let name = if what.starts_with("unittests") {
                format!("{stem}_lib")
            } else {
                stem
            };
            Some((name, path))
        })
        .collect();
    if binaries.is_empty() {
        return Err((
            format!("the {side} build named no test binary"),
            process::clip(&out.stderr, 20, 20),
        ));
    }
    Ok(binaries)
}

/// Runs one harness from both builds and reports the tests that pass under
/// LLVM and not under the backend.
fn compare(r: &mut Reporter, work: &Path, name: &str, ours: &Path, llvm: &Path) {
    let run = |binary: &Path| -> Result<String, String> {
        let mut cmd = Command::new(binary);
        cmd.arg("--test-threads=2").current_dir(work);
        let out = process::run_captured(&mut cmd, RUN_LIMIT)?;
        Ok(out.stdout)
    };
    let (ours_out, llvm_out) = match (run(ours), run(llvm)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            r.fail(&format!("{SUITE}/{name}/run"), e, String::new());
            return;
        }
    };
    let ours_passed: HashMap<String, bool> = outcomes(&ours_out).into_iter().collect();
    let llvm_passing: Vec<String> = outcomes(&llvm_out)
        .into_iter()
        .filter_map(|(test, passed)| passed.then_some(test))
        .collect();
    if llvm_passing.is_empty() {
        let counts = Counts::of(&llvm_out);
        r.fail(
            &format!("{SUITE}/{name}/run"),
            format!("no test passed under LLVM ({} reported)", counts.binaries),
            process::clip(&llvm_out, 20, 20),
        );
        return;
    }
    r.pass(&format!("{SUITE}/{name}/run"));
    let mut passing = 0;
    for test in &llvm_passing {
        let full = format!("{SUITE}/{name}/{test}");
        match ours_passed.get(test) {
            Some(true) => {
                passing += 1;
                if r.is_known_failure(&full) {
                    r.pass(&full);
                }
            }
            Some(false) => r.fail(
                &full,
                "passes under LLVM, fails when built by the backend",
                failure_details(&ours_out, test),
            ),
            None => r.fail(
                &full,
                "passes under LLVM, not reported by the backend's harness",
                process::clip(&ours_out, 5, 20),
            ),
        }
    }
    r.info(&format!(
        "{name}: {passing} of the {} tests passing under LLVM pass under the backend ({:.1}%)",
        llvm_passing.len(),
        100.0 * passing as f64 / llvm_passing.len() as f64
    ));
}

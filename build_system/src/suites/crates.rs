//! Suite `crates`: real crates from crates.io run their own test suites
//! (unit, integration and doc tests) built by the backend, with
//! `dist/cargo-bpf test --target x86_64-unknown-linux-gnu`, offline. The
//! crates and their pinned versions are the dependencies of
//! `tests/crates/Cargo.toml`; `./y.sh prepare` vendors their sources into
//! `build/crates/src/NAME-VERSION/` and fetches each one's dev-dependencies
//! (see [`prepare`]).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::paths::{self, Dirs};
use crate::process;
use crate::report::Reporter;
use crate::suites::Ctx;
use crate::suites::libtest::{Counts, failure_details, outcomes};

const SUITE: &str = "crates";

/// How long one crate's build and test run may take.
const LIMIT: Duration = Duration::from_secs(20 * 60);

/// The `cargo test` runs of crates that cannot run everything in one
/// default run (any other crate: one run, no extra arguments):
/// - regex's integration tests include `testdata/`, which the published
///   package leaves out: its library and doc tests (cargo runs doc tests
///   on their own);
/// - rand's default generator depends on chacha20, which detects CPU
///   features with `cpuid` inline assembly and `llvm.x86.xgetbv`, neither
///   of which the backend lowers on the host: its library and integration
///   tests without it (its doc examples all use that generator).
const RUNS: &[(&str, &[&[&str]])] = &[
    ("regex", &[&["--lib"], &["--doc"]]),
    (
        "rand",
        &[&[
            "--no-default-features",
            "--features",
            "std,sys_rng",
            "--lib",
            "--tests",
        ]],
    ),
];

/// The manifest naming the crates under test.
fn manifest(dirs: &Dirs) -> PathBuf {
    dirs.root.join("tests").join("crates").join("Cargo.toml")
}

fn work(dirs: &Dirs) -> PathBuf {
    dirs.build.join("crates")
}

/// The crates under test: `(name, version)` of each `name = "=VERSION"`
/// line of the manifest's `[dependencies]`.
pub fn pinned(dirs: &Dirs) -> Result<Vec<(String, String)>, String> {
    let path = manifest(dirs);
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut in_deps = false;
    let mut crates = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if !in_deps || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = line.split_once('=').and_then(|(name, version)| {
            let version = version.trim().trim_matches('"').strip_prefix('=')?;
            Some((name.trim().to_string(), version.to_string()))
        });
        match parsed {
            Some(pair) => crates.push(pair),
            None => {
                return Err(format!(
                    "{}: `{line}` is not `name = \"=VERSION\"`",
                    path.display()
                ));
            }
        }
    }
    Ok(crates)
}

/// The source directory `./y.sh prepare` made for a crate.
pub fn source_dir(dirs: &Dirs, name: &str, version: &str) -> PathBuf {
    work(dirs).join("src").join(format!("{name}-{version}"))
}

/// `./y.sh prepare`'s part: vendors the pinned crates' sources (cargo
/// unpacks what crates.io serves, as published) and fetches the
/// dev-dependencies of each, so that the suite runs offline.
pub fn prepare(dirs: &Dirs) -> Result<(), String> {
    let vendor = work(dirs).join("vendor");
    let mut cargo = toolchain_cargo();
    cargo
        .args([
            "vendor",
            "-q",
            "--locked",
            "--versioned-dirs",
            "--manifest-path",
        ])
        .arg(manifest(dirs))
        .arg(&vendor)
        .stdout(std::process::Stdio::null());
    run(&mut cargo)?;
    for (name, version) in pinned(dirs)? {
        let dir = source_dir(dirs, &name, &version);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        copy_tree(&vendor.join(format!("{name}-{version}")), &dir)?;
        // The crate's own lock file pins its dev-dependencies when it is
        // current; otherwise cargo resolves them now, once.
        let manifest = dir.join("Cargo.toml");
        let mut locked = toolchain_cargo();
        locked
            .args(["fetch", "--locked", "--manifest-path"])
            .arg(&manifest);
        if run(&mut locked).is_err() {
            let mut fetch = toolchain_cargo();
            fetch.args(["fetch", "--manifest-path"]).arg(&manifest);
            run(&mut fetch)?;
        }
    }
    Ok(())
}

fn toolchain_cargo() -> Command {
    let mut cargo = Command::new("cargo");
    cargo.arg(paths::toolchain_arg());
    cargo
}

fn run(cmd: &mut Command) -> Result<(), String> {
    println!("prepare: $ {}", process::describe(cmd));
    let exit = process::run_inherited(cmd)?;
    if exit.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({exit})", process::describe(cmd)))
    }
}

/// Copies a directory tree (the vendored sources: files and directories).
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

pub fn run_suite(ctx: &Ctx, r: &mut Reporter) {
    let crates = match pinned(&ctx.dirs) {
        Ok(crates) => crates,
        Err(e) => {
            r.fail(&format!("{SUITE}/manifest"), e, String::new());
            return;
        }
    };
    for (name, version) in crates {
        test_crate(ctx, r, &name, &version);
    }
}

/// Runs one crate's tests: `crates/NAME/run` passes when its test
/// binaries built and ran, and each failing test is `crates/NAME/TEST`.
fn test_crate(ctx: &Ctx, r: &mut Reporter, name: &str, version: &str) {
    let dir = source_dir(&ctx.dirs, name, version);
    if !dir.join("Cargo.toml").is_file() {
        r.fail(
            &format!("{SUITE}/{name}/run"),
            format!("{} is missing: run ./y.sh prepare", dir.display()),
            String::new(),
        );
        return;
    }
    let runs: &[&[&str]] = RUNS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&[&[]], |(_, runs)| runs);
    let mut out = String::new();
    let mut errors = String::new();
    let mut elapsed = Duration::ZERO;
    let mut broken = None;
    for args in runs {
        let mut cargo = Command::new(ctx.dirs.cargo_bpf());
        cargo
            .args([
                "test",
                "--offline",
                "--no-fail-fast",
                "--target",
                paths::HOST_TARGET,
            ])
            .args(*args)
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", work(&ctx.dirs).join("target"))
            .env("CARGO_TERM_COLOR", "never");
        match process::run_captured(&mut cargo, LIMIT) {
            Ok(run) => {
                // A failed run without failing tests did not build (or a
                // harness died): that is the run's failure.
                if !run.exit.success() && Counts::of(&run.stdout).failed == 0 {
                    broken = Some(format!(
                        "`cargo test {}` ended with {}",
                        args.join(" "),
                        run.exit
                    ));
                }
                out.push_str(&run.stdout);
                errors.push_str(&run.stderr);
                elapsed += run.elapsed;
            }
            Err(e) => broken = Some(e),
        }
    }
    let counts = Counts::of(&out);
    r.info(&format!(
        "{name} {version}: {} passed, {} failed, {} ignored in {} test binaries ({:.0} s)",
        counts.passed,
        counts.failed,
        counts.ignored,
        counts.binaries,
        elapsed.as_secs_f64()
    ));
    let run = format!("{SUITE}/{name}/run");
    if let Some(reason) = broken {
        let details = process::clip(&format!("{out}\n{errors}"), 60, 60);
        r.fail(&run, reason, details);
    } else {
        r.pass(&run);
    }
    // Each failing test is a failure of its own (listed ones are known); a
    // listed test that passes is reported, so that its line goes.
    for (test, passed) in outcomes(&out) {
        let full = format!("{SUITE}/{name}/{test}");
        if !passed {
            let details = failure_details(&out, &test);
            r.fail(&full, "fails when built by the backend", details);
        } else if r.is_known_failure(&full) {
            r.pass(&full);
        }
    }
}

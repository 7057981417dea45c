//! Suite `mini_core_hello_world`: builds `example/mini_core.rs` and
//! `example/mini_core_hello_world.rs` with the backend and with LLVM, runs
//! both binaries and demands the same behaviour: stdout and exit status on a
//! normal run, stderr and exit status (signal included) when the program is
//! told to `panic` and aborts.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::process::{self, Exit, Output};
use crate::report::{Outcome, Reporter};
use crate::rustc::{self, Compile, CrateType, Rustc};
use crate::suites::Ctx;

const SUITE: &str = "mini_core_hello_world";
const RUN_TIME_LIMIT: Duration = Duration::from_secs(30);

/// A built binary, or the outcome its run tests get instead.
type Built = Result<PathBuf, Outcome>;

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    let backend = Rustc::backend(&ctx.dirs);
    let llvm = Rustc::llvm(&ctx.dirs);
    let source = Path::new("example").join("mini_core_hello_world.rs");

    // -Copt-level=0: the compile tests, and the timing both sides share.
    let mut times = Vec::new();
    let mut opt0: Vec<Built> = Vec::new();
    for rustc in [&backend, &llvm] {
        let name = format!("{SUITE}/compile_{}", rustc.label);
        let out_dir = ctx.dirs.build.join(rustc.label);
        match compile(ctx, rustc, &source, &out_dir, "0") {
            Ok((binary, elapsed)) => {
                r.pass(&name);
                times.push(format!("{} {:.2} s", rustc.label, elapsed.as_secs_f64()));
                opt0.push(Ok(binary));
            }
            Err((reason, details)) => {
                if ctx.mini_core(rustc).is_err() {
                    // Counted here; the ui suite only skips because of it.
                    ctx.first_report(&format!("mini_core/{}", rustc.label));
                }
                r.fail(&name, reason, details);
                times.push(format!("{} failed", rustc.label));
                opt0.push(Err(Outcome::Skipped(format!(
                    "compile_{} failed",
                    rustc.label
                ))));
            }
        }
    }
    r.info(&format!("{SUITE} compile: {}", times.join(", ")));
    compare_runs(r, "", &opt0[0], &opt0[1]);

    // -Copt-level=2 has no compile tests of its own: a compile failure there
    // fails its run tests, unless the -Copt-level=0 compile already failed.
    let opt2: Vec<Built> = [&backend, &llvm]
        .into_iter()
        .zip(&opt0)
        .map(|(rustc, at_opt0)| {
            let previous = at_opt0.as_ref().map_err(Clone::clone)?;
            let out_dir = previous.parent().unwrap_or(Path::new(".")).join("opt2");
            compile(ctx, rustc, &source, &out_dir, "2")
                .map(|(binary, _)| binary)
                .map_err(|(reason, details)| {
                    Outcome::Failed(format!("at -Copt-level=2: {reason}"), details)
                })
        })
        .collect();
    compare_runs(r, "_opt2", &opt2[0], &opt2[1]);
}

/// Builds mini_core (once per run) and the program with `rustc`; returns
/// the binary and how long the program's own compile took.
fn compile(
    ctx: &Ctx,
    rustc: &Rustc,
    source: &Path,
    out_dir: &Path,
    opt_level: &'static str,
) -> Result<(PathBuf, Duration), (String, String)> {
    let mini_core = ctx.mini_core(rustc)?;
    let compile = Compile::new(source, CrateType::Bin, out_dir)
        .opt_level(opt_level)
        .extern_crate("mini_core", &mini_core);
    let out = compile.run(rustc).map_err(|e| (e, String::new()))?;
    if !out.exit.success() {
        return Err(rustc::compile_failure(rustc, &compile, &out));
    }
    if !compile.output.is_file() {
        return Err((
            format!("{} produced no {}", rustc.label, compile.output.display()),
            String::new(),
        ));
    }
    Ok((compile.output, out.elapsed))
}

/// The `run{suffix}` and `panic{suffix}` tests of one opt level.
fn compare_runs(r: &mut Reporter, suffix: &str, backend: &Built, llvm: &Built) {
    let cases: [(&str, &[&str]); 2] = [("run", &[]), ("panic", &["panic"])];
    for (test, args) in cases {
        let name = format!("{SUITE}/{test}{suffix}");
        match (backend, llvm) {
            (Ok(b), Ok(l)) => {
                let stream = if args.is_empty() {
                    Stream::Stdout
                } else {
                    Stream::Stderr
                };
                r.check(&name, compare_one(b, l, args, stream))
            }
            (Err(outcome), _) | (_, Err(outcome)) => r.record(&name, outcome.clone()),
        }
    }
}

/// The output stream a run comparison looks at.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Stream {
    Stdout,
    Stderr,
}

/// Runs both binaries with `args` and compares `stream` plus the exit
/// status.
pub(super) fn compare_one(
    backend: &Path,
    llvm: &Path,
    args: &[&str],
    stream: Stream,
) -> Result<(), (String, String)> {
    let launch = |binary: &Path| -> Result<Output, (String, String)> {
        process::run_captured(Command::new(binary).args(args), RUN_TIME_LIMIT)
            .map_err(|e| (e, String::new()))
    };
    let b = launch(backend)?;
    let l = launch(llvm)?;
    let (stream_name, b_text, l_text) = match stream {
        Stream::Stdout => ("stdout", &b.stdout, &l.stdout),
        Stream::Stderr => ("stderr", &b.stderr, &l.stderr),
    };
    let mut problems = Vec::new();
    let mut details = String::new();
    if b.exit == Exit::TimedOut {
        problems.push(format!(
            "the backend's binary did not finish within {} s",
            RUN_TIME_LIMIT.as_secs()
        ));
    }
    if b.exit != l.exit {
        problems.push(format!(
            "exit status differs: backend {}, llvm {}",
            b.exit, l.exit
        ));
    }
    if let Some(diff) = process::short_diff("llvm", l_text, "backend", b_text, 10) {
        problems.push(format!("{stream_name} differs"));
        details.push_str(&diff);
    }
    if problems.is_empty() {
        return Ok(());
    }
    if stream == Stream::Stdout && !b.stderr.is_empty() {
        // When stderr is not compared, it may still tell why.
        details.push_str(&format!(
            "backend stderr:\n{}\n",
            process::clip(&b.stderr, 20, 10)
        ));
    }
    Err((problems.join("; "), details))
}

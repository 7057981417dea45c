//! Suite `bpf_errors`: eBPF programs the verifier could never accept must
//! fail to compile with a clean error, never a compiler crash. Each
//! `tests/bpf_errors/*.rs` is compiled with the backend for
//! `bpfel-unknown-none` at `-Copt-level=0` and `2`; its `//~ ERROR text`
//! annotations (the `ui` suite's syntax) must each find `text` in the
//! compiler's output together with the annotated line as `file:line`: a
//! rustc error's span (`--> file:line:col`) or the source line a link
//! error gives for the function it names (`(file:line)`,
//! `at file:line:col`). Annotating a function's line with its name checks
//! that the error names that function.

use std::path::{Path, PathBuf};

use crate::bpf_objects::Target;
use crate::process::{self, Exit};
use crate::report::Reporter;
use crate::rustc::{self, Rustc};
use crate::suites::Ctx;
use crate::suites::ui::{self, Expectations};

const SUITE: &str = "bpf_errors";

/// Opt levels each program is compiled at: inlining and the mid-end must
/// not hide or change the error.
const OPT_LEVELS: [&str; 2] = ["0", "2"];

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    let dir = Path::new("tests").join(SUITE);
    let files = match test_files(&ctx.dirs.root, &dir) {
        Ok(files) if !files.is_empty() => files,
        Ok(_) => return r.fail(SUITE, format!("no {}/*.rs files", dir.display()), ""),
        Err(e) => return r.fail(SUITE, e, ""),
    };
    let backend = Rustc::backend(&ctx.dirs);
    for file in &files {
        let stem = file.file_stem().unwrap_or_default().to_string_lossy();
        for opt in OPT_LEVELS {
            let name = format!("{SUITE}/{stem}/O{opt}");
            r.check(&name, run_one(ctx, &backend, file, opt));
        }
    }
}

fn run_one(ctx: &Ctx, backend: &Rustc, file: &Path, opt: &str) -> Result<(), (String, String)> {
    let text = std::fs::read_to_string(ctx.dirs.root.join(file)).map_err(|e| {
        (
            format!("cannot read {}: {e}", file.display()),
            String::new(),
        )
    })?;
    let expect =
        ui::parse(&text).map_err(|e| (format!("{}: {e}", file.display()), String::new()))?;
    if expect.errors.is_empty() {
        return Err((
            format!("{} has no `//~ ERROR` annotation", file.display()),
            String::new(),
        ));
    }
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    let out_dir = ctx.dirs.build.join(SUITE);
    std::fs::create_dir_all(&out_dir).map_err(|e| {
        (
            format!("cannot create {}: {e}", out_dir.display()),
            String::new(),
        )
    })?;
    let mut cmd = backend.command();
    cmd.args(["--edition", "2024", "--target", Target::Bpfel.triple()])
        .arg(format!("-Copt-level={opt}"))
        .args(["--crate-type", "bin", "-o"])
        .arg(out_dir.join(format!("{stem}-O{opt}.o")))
        .arg(file);
    let out = process::run_captured(&mut cmd, rustc::COMPILE_TIME_LIMIT)
        .map_err(|e| (e, String::new()))?;
    judge(&file.display().to_string(), &expect, out.exit, &out.stderr)
        .map_err(|(why, log)| (why, format!("$ {}\n{log}", process::describe(&cmd))))
}

/// Judges one compile of `file` (as passed to rustc) against `expect`.
fn judge(
    file: &str,
    expect: &Expectations,
    exit: Exit,
    stderr: &str,
) -> Result<(), (String, String)> {
    let details = || process::clip(stderr, 60, 20);
    if rustc::is_ice(stderr) || exit == Exit::Code(101) {
        return Err((format!("the compiler crashed ({exit})"), details()));
    }
    if !rustc::is_clean_error(exit) {
        return Err((
            format!("expected a compile error (exit code 1), got {exit}"),
            details(),
        ));
    }
    let mut missing = Vec::new();
    for error in &expect.errors {
        if !stderr.contains(&error.text) {
            missing.push(format!("no error containing `{}`", error.text));
        }
        let site = format!("{file}:{}", error.line);
        let located = stderr
            .match_indices(&site)
            .any(|(at, _)| matches!(stderr[at + site.len()..].chars().next(), Some(':' | ')')));
        if !located {
            missing.push(format!("no error locating line {} as `{site}`", error.line));
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err((missing.join("; "), details()))
    }
}

/// `dir/*.rs`, relative to the root, sorted.
fn test_files(root: &Path, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(root.join(dir))
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            Path::new(&name)
                .extension()
                .is_some_and(|ext| ext == "rs")
                .then(|| dir.join(name))
        })
        .collect();
    files.sort();
    Ok(files)
}

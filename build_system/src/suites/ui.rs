//! Suite `ui`: compiles every `tests/ui/*.rs` with the backend and checks its
//! diagnostics. A file without annotations must compile. A line ending in
//! `//~ ERROR text` (or `//~^ ERROR text`, one `^` per line upwards) means the
//! compile must fail cleanly (exit status 1, no crash) with an error that
//! contains `text` and points at that line. `//@ crate-type: bin` compiles
//! the file as a binary instead of a library.

use std::path::{Path, PathBuf};

use crate::process::{self, Exit};
use crate::report::Reporter;
use crate::rustc::{self, Compile, CrateType, Rustc};
use crate::suites::Ctx;

/// One expected diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    /// 1-based line the diagnostic must point at.
    pub line: usize,
    pub text: String,
}

/// What a ui test file asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectations {
    pub crate_type: CrateType,
    pub errors: Vec<Annotation>,
}

/// Reads the `//@` directives and `//~` annotations of a ui test.
pub fn parse(text: &str) -> Result<Expectations, String> {
    let mut expect = Expectations {
        crate_type: CrateType::Lib,
        errors: Vec::new(),
    };
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if let Some(directive) = line.trim_start().strip_prefix("//@") {
            match directive.split_once(':').map(|(k, v)| (k.trim(), v.trim())) {
                Some(("crate-type", "bin")) => expect.crate_type = CrateType::Bin,
                Some(("crate-type", "lib")) => expect.crate_type = CrateType::Lib,
                _ => return Err(format!("line {number}: unknown directive `//@{directive}`")),
            }
            continue;
        }
        let Some((_, marker)) = line.split_once("//~") else {
            continue;
        };
        let carets = marker.chars().take_while(|&c| c == '^').count();
        let rest = marker[carets..].trim();
        let (kind, message) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        if kind != "ERROR" {
            return Err(format!(
                "line {number}: unsupported annotation `//~{marker}` (only ERROR is known)"
            ));
        }
        let message = message.trim();
        if message.is_empty() {
            return Err(format!(
                "line {number}: `//~ ERROR` needs the expected text"
            ));
        }
        if carets >= number {
            return Err(format!(
                "line {number}: `//~{marker}` points above the file"
            ));
        }
        expect.errors.push(Annotation {
            line: number - carets,
            text: message.to_string(),
        });
    }
    Ok(expect)
}

/// Judges one compile of `file` (as passed to rustc) against `expect`.
pub fn judge(
    file: &str,
    expect: &Expectations,
    exit: Exit,
    stderr: &str,
) -> Result<(), (String, String)> {
    let details = || process::clip(stderr, 60, 20);
    if rustc::is_ice(stderr) || exit == Exit::Code(101) {
        return Err((format!("the compiler crashed ({exit})"), details()));
    }
    if expect.errors.is_empty() {
        if exit.success() {
            return Ok(());
        }
        return Err((format!("expected to compile, got {exit}"), details()));
    }
    if exit.success() {
        return Err((
            format!(
                "compiled, but {} error(s) were expected",
                expect.errors.len()
            ),
            details(),
        ));
    }
    if !rustc::is_clean_error(exit) {
        return Err((format!("expected exit code 1, got {exit}"), details()));
    }
    let mut missing = Vec::new();
    if !stderr.contains("error") {
        missing.push("no `error` in stderr".to_string());
    }
    for error in &expect.errors {
        if !stderr.contains(&error.text) {
            missing.push(format!("no error containing `{}`", error.text));
        }
        let location = format!("--> {file}:{}:", error.line);
        if !stderr.contains(&location) {
            missing.push(format!("no diagnostic at `{location}`"));
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err((missing.join("; "), details()))
    }
}

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    let files = match test_files(&ctx.dirs.root) {
        Ok(files) if !files.is_empty() => files,
        Ok(_) => {
            r.fail("ui", "no tests/ui/*.rs files found", "");
            return;
        }
        Err(e) => {
            r.fail("ui", e, "");
            return;
        }
    };
    let backend = Rustc::backend(&ctx.dirs);
    let mini_core = match ctx.mini_core(&backend) {
        Ok(rlib) => rlib,
        Err((reason, details)) => {
            if ctx.first_report("mini_core/backend") {
                r.fail("ui/mini_core", reason, details);
            }
            for file in &files {
                r.skip(&test_name(file), "mini_core did not build with the backend");
            }
            return;
        }
    };
    for file in &files {
        let name = test_name(file);
        r.check(&name, run_one(ctx, &backend, &mini_core, file));
    }
}

fn run_one(
    ctx: &Ctx,
    backend: &Rustc,
    mini_core: &Path,
    file: &Path,
) -> Result<(), (String, String)> {
    let text = std::fs::read_to_string(ctx.dirs.root.join(file)).map_err(|e| {
        (
            format!("cannot read {}: {e}", file.display()),
            String::new(),
        )
    })?;
    let expect = parse(&text).map_err(|e| (format!("{}: {e}", file.display()), String::new()))?;
    let out_dir = ctx.dirs.build.join("ui").join(stem(file));
    let compile =
        Compile::new(file, expect.crate_type, &out_dir).extern_crate("mini_core", mini_core);
    let out = compile.run(backend).map_err(|e| (e, String::new()))?;
    judge(&file.display().to_string(), &expect, out.exit, &out.stderr)
}

/// `tests/ui/*.rs`, relative to the root, sorted.
fn test_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = Path::new("tests").join("ui");
    let entries = std::fs::read_dir(root.join(&dir))
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter_map(|path| path.file_name().map(|name| dir.join(name)))
        .collect();
    files.sort();
    Ok(files)
}

fn stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn test_name(file: &Path) -> String {
    format!("ui/{}", stem(file))
}

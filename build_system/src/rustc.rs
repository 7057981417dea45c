//! Compiling single Rust files: a `Rustc` is a compiler command (the backend's
//! `dist/rustc-bpf` or the pinned toolchain's plain LLVM `rustc`), and
//! `Compile` describes one invocation of it. Suites and `./y.sh run` build on
//! these, so every compile step takes its compiler as a parameter.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::paths::{self, Dirs};
use crate::process::{self, Exit, Output};

/// How long one compiler invocation may take before it counts as hung.
pub const COMPILE_TIME_LIMIT: Duration = Duration::from_secs(600);

/// A compiler command line prefix and a short name for messages.
#[derive(Clone, Debug)]
pub struct Rustc {
    /// `backend` or `llvm`; also names the output directory under `build/`.
    pub label: &'static str,
    program: PathBuf,
    prefix: Vec<String>,
    root: PathBuf,
}

impl Rustc {
    /// `dist/rustc-bpf`: rustc with the rustc_codegen_bpf backend.
    pub fn backend(dirs: &Dirs) -> Rustc {
        Rustc {
            label: "backend",
            program: dirs.rustc_bpf(),
            prefix: Vec::new(),
            root: dirs.root.clone(),
        }
    }

    /// The pinned toolchain's own rustc, with its LLVM backend: the reference.
    pub fn llvm(dirs: &Dirs) -> Rustc {
        Rustc {
            label: "llvm",
            program: PathBuf::from("rustc"),
            prefix: vec![paths::toolchain_arg()],
            root: dirs.root.clone(),
        }
    }

    /// The pinned toolchain's rustc with `args` before each compile's own
    /// (a codegen backend, another sysroot, backend options), named `label`.
    pub fn toolchain_with(dirs: &Dirs, label: &'static str, args: Vec<String>) -> Rustc {
        let mut prefix = vec![paths::toolchain_arg()];
        prefix.extend(args);
        Rustc {
            label,
            program: PathBuf::from("rustc"),
            prefix,
            root: dirs.root.clone(),
        }
    }

    /// A command running this compiler from the repository root (so that
    /// diagnostics show root-relative paths).
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.prefix).current_dir(&self.root);
        cmd
    }
}

/// `--crate-type` of a compilation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrateType {
    Lib,
    Bin,
}

impl CrateType {
    fn flag(self) -> &'static str {
        match self {
            CrateType::Lib => "lib",
            CrateType::Bin => "bin",
        }
    }
}

/// One compilation of one source file for the host target, with
/// `-Cpanic=abort` and edition 2024.
#[derive(Clone, Debug)]
pub struct Compile {
    pub source: PathBuf,
    pub crate_type: CrateType,
    pub crate_name: String,
    /// The output file (`-o`).
    pub output: PathBuf,
    pub opt_level: &'static str,
    /// `--extern name=path`; each path's directory is also added with
    /// `-L dependency=`.
    pub externs: Vec<(String, PathBuf)>,
    pub extra_args: Vec<String>,
}

impl Compile {
    /// Compiling `source` (relative to the root) into `out_dir`, named after
    /// the file, at `-Copt-level=0`.
    pub fn new(source: &Path, crate_type: CrateType, out_dir: &Path) -> Compile {
        let crate_name = source
            .file_stem()
            .map(|s| s.to_string_lossy().replace('-', "_"))
            .unwrap_or_else(|| "main".to_string());
        let file = match crate_type {
            CrateType::Lib => format!("lib{crate_name}.rlib"),
            CrateType::Bin => crate_name.clone(),
        };
        Compile {
            source: source.to_path_buf(),
            crate_type,
            output: out_dir.join(file),
            crate_name,
            opt_level: "0",
            externs: Vec::new(),
            extra_args: Vec::new(),
        }
    }

    pub fn opt_level(mut self, level: &'static str) -> Compile {
        self.opt_level = level;
        self
    }

    pub fn extern_crate(mut self, name: &str, rlib: &Path) -> Compile {
        self.externs.push((name.to_string(), rlib.to_path_buf()));
        self
    }

    /// The full command line for `rustc`.
    pub fn command(&self, rustc: &Rustc) -> Command {
        let mut cmd = rustc.command();
        cmd.arg(&self.source)
            .args(["--crate-type", self.crate_type.flag()])
            .args(["--crate-name", &self.crate_name])
            .args(["--edition", "2024", "--target", paths::HOST_TARGET])
            .arg("-Cpanic=abort")
            .arg(format!("-Copt-level={}", self.opt_level))
            .arg("-o")
            .arg(&self.output);
        for (name, rlib) in &self.externs {
            let mut spec = std::ffi::OsString::from(format!("{name}="));
            spec.push(rlib);
            cmd.arg("--extern").arg(spec);
            if let Some(dir) = rlib.parent() {
                let mut dep = std::ffi::OsString::from("dependency=");
                dep.push(dir);
                cmd.arg("-L").arg(dep);
            }
        }
        cmd.args(&self.extra_args);
        cmd
    }

    /// Runs the compilation, creating the output directory first.
    pub fn run(&self, rustc: &Rustc) -> Result<Output, String> {
        if let Some(dir) = self.output.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        process::run_captured(&mut self.command(rustc), COMPILE_TIME_LIMIT)
    }
}

/// A compile that did not succeed, as (reason, details) for a report.
pub fn compile_failure(rustc: &Rustc, what: &Compile, result: &Output) -> (String, String) {
    let mut reason = format!(
        "{} failed to compile {} ({})",
        rustc.label,
        what.source.display(),
        result.exit
    );
    if is_ice(&result.stderr) {
        reason.push_str(": the compiler crashed");
    }
    let details = format!(
        "$ {}\n{}",
        process::describe(&what.command(rustc)),
        process::clip(&result.stderr, 60, 20)
    );
    (reason, details)
}

/// Whether stderr shows a compiler crash rather than a diagnostic.
pub fn is_ice(stderr: &str) -> bool {
    stderr.contains("internal compiler error") || stderr.contains("panicked at")
}

/// `example/mini_core.rs`, the stand-in for `core` that no_core tests use.
pub fn mini_core_source() -> PathBuf {
    Path::new("example").join("mini_core.rs")
}

/// Builds `example/mini_core.rs` with `rustc` into `out_dir` and returns the
/// rlib's path, or (reason, details) of the failure.
pub fn build_mini_core(rustc: &Rustc, out_dir: &Path) -> Result<PathBuf, (String, String)> {
    let compile = Compile::new(&mini_core_source(), CrateType::Lib, out_dir);
    match compile.run(rustc) {
        Ok(out) if out.exit.success() && compile.output.is_file() => Ok(compile.output),
        Ok(out) if out.exit.success() => Err((
            format!("{} produced no {}", rustc.label, compile.output.display()),
            String::new(),
        )),
        Ok(out) => Err(compile_failure(rustc, &compile, &out)),
        Err(e) => Err((e, String::new())),
    }
}

/// Whether `exit` is a normal compile error (exit code 1), as opposed to
/// success, a crash (101) or a signal.
pub fn is_clean_error(exit: Exit) -> bool {
    exit == Exit::Code(1)
}

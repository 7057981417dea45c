//! `./y.sh run [FILE.rs]`: compiles a program with the backend (against
//! `mini_core`) and runs it, showing its output. The eBPF flow (load into
//! the kernel, BPF_PROG_TEST_RUN) replaces the host run once it exists.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::build;
use crate::paths::Dirs;
use crate::process;
use crate::rustc::{self, Compile, CrateType, Rustc};

/// The program `./y.sh run` compiles when given none.
pub fn default_program() -> PathBuf {
    Path::new("example").join("mini_core_hello_world.rs")
}

/// Returns the exit status to end with (the program's own).
pub fn main(dirs: &Dirs, args: &[String]) -> Result<i32, String> {
    let (file, program_args) = match args.split_first() {
        Some((first, rest)) if first != "--" => (resolve(dirs, first)?, rest),
        Some((_, rest)) => (default_program(), rest),
        None => (default_program(), &[][..]),
    };
    let program_args: Vec<&str> = program_args
        .iter()
        .map(String::as_str)
        .skip_while(|a| *a == "--")
        .collect();
    build::ensure_built(dirs)?;
    let rustc = Rustc::backend(dirs);
    let binary = compile_program(dirs, &rustc, &file, &dirs.build.join("run"))?;
    eprintln!("run: $ {}", dirs.relative(&binary).display());
    let exit = process::run_inherited(Command::new(&binary).args(&program_args))?;
    if !exit.success() {
        eprintln!("run: the program ended with {exit}");
    }
    Ok(exit.shell_code())
}

/// `file` relative to the root when it lies inside it (rustc prints the
/// path as given), else absolute.
fn resolve(dirs: &Dirs, file: &str) -> Result<PathBuf, String> {
    let path = std::fs::canonicalize(file).map_err(|e| format!("cannot open {file}: {e}"))?;
    Ok(dirs.relative(&path).to_path_buf())
}

/// Compiles `mini_core` and then `file` as a binary with `rustc` into
/// `out_dir`, printing the compile time; returns the binary.
pub fn compile_program(
    dirs: &Dirs,
    rustc: &Rustc,
    file: &Path,
    out_dir: &Path,
) -> Result<PathBuf, String> {
    let mini_core_dir = dirs.build.join(rustc.label);
    let mini_core = rustc::build_mini_core(rustc, &mini_core_dir)
        .map_err(|(reason, details)| format!("{reason}\n{details}"))?;
    let compile = Compile::new(file, CrateType::Bin, out_dir).extern_crate("mini_core", &mini_core);
    let out = compile.run(rustc)?;
    eprint!("{}", out.stderr);
    if !out.exit.success() {
        let (reason, _) = rustc::compile_failure(rustc, &compile, &out);
        return Err(reason);
    }
    eprintln!(
        "run: compiled {} ({}) in {:.2} s",
        file.display(),
        rustc.label,
        out.elapsed.as_secs_f64()
    );
    Ok(compile.output)
}

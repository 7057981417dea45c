//! Building `library/bpf_builtins` for the helpers suite: its proc-macro
//! crate for the host with the pinned toolchain's own rustc, then the crate
//! itself for `bpfel-unknown-none` with the backend, and the command-line
//! arguments programs need to use it.

use std::path::PathBuf;

use crate::bpf_objects::Target;
use crate::paths::{self, Dirs};
use crate::process;
use crate::rustc::{self, Rustc};

/// The built crates.
pub struct Library {
    /// Directory holding the proc-macro dylib and the rlib.
    dir: PathBuf,
    rlib: PathBuf,
}

impl Library {
    /// `--extern bpf_builtins=... -L dependency=...` for a program.
    pub fn args(&self) -> Vec<String> {
        vec![
            "--extern".into(),
            format!("bpf_builtins={}", self.rlib.display()),
            "-L".into(),
            format!("dependency={}", self.dir.display()),
        ]
    }
}

/// Builds both crates into `build/helpers/lib/`; `Err((reason, details))`
/// names the step that failed.
pub fn build(dirs: &Dirs, target: Target) -> Result<Library, (String, String)> {
    let root = dirs.root.join("library/bpf_builtins");
    let dir = dirs.build.join("helpers/lib").join(target.triple());
    std::fs::create_dir_all(&dir).map_err(|e| {
        (
            format!("cannot create {}: {e}", dir.display()),
            String::new(),
        )
    })?;
    let macros = dir.join("libbpf_builtins_macros.so");
    let mut cmd = Rustc::llvm(dirs).command();
    cmd.arg(root.join("macros/src/lib.rs"))
        .args(["--edition", "2024", "--crate-type", "proc-macro"])
        .args(["--crate-name", "bpf_builtins_macros", "--target"])
        .arg(paths::HOST_TARGET)
        .arg("-o")
        .arg(&macros);
    run(&mut cmd, "the bpf_builtins macros")?;
    let rlib = dir.join("libbpf_builtins.rlib");
    let mut cmd = Rustc::backend(dirs).command();
    cmd.arg(root.join("src/lib.rs"))
        .args(["--edition", "2024", "--crate-type", "rlib"])
        .args(["--crate-name", "bpf_builtins", "--target", target.triple()])
        .arg("-Copt-level=2")
        .arg("--extern")
        .arg(format!("bpf_builtins_macros={}", macros.display()))
        .arg("-o")
        .arg(&rlib);
    run(&mut cmd, "bpf_builtins")?;
    Ok(Library { dir, rlib })
}

fn run(cmd: &mut std::process::Command, what: &str) -> Result<(), (String, String)> {
    let out =
        process::run_captured(cmd, rustc::COMPILE_TIME_LIMIT).map_err(|e| (e, String::new()))?;
    if out.exit.success() {
        return Ok(());
    }
    Err((
        format!("building {what} failed ({})", out.exit),
        format!(
            "$ {}\n{}",
            process::describe(cmd),
            process::clip(&out.stderr, 40, 20)
        ),
    ))
}

//! `./y.sh build`: compiles the backend with cargo and installs it into
//! `dist/`: the dylib, the sysroot directory and the `rustc-bpf` /
//! `cargo-bpf` wrapper scripts (absolute paths, resolved at build time).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use crate::paths::{self, Dirs};
use crate::process;

pub fn main(dirs: &Dirs, args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return Err(format!("build takes no arguments, got `{arg}`"));
    }
    let start = Instant::now();
    let result = build(dirs);
    let seconds = start.elapsed().as_secs_f64();
    match &result {
        Ok(()) => println!(
            "build: done in {seconds:.1} s; use {} or {}",
            dirs.relative(&dirs.rustc_bpf()).display(),
            dirs.relative(&dirs.cargo_bpf()).display()
        ),
        Err(_) => println!("build: failed after {seconds:.1} s"),
    }
    result
}

/// Builds the backend and lays out `dist/`.
pub fn build(dirs: &Dirs) -> Result<(), String> {
    build_backend(dirs)?;
    install_dist(dirs)?;
    crate::sysroot::build_bpf(dirs)?;
    crate::sysroot::build_host(dirs)
}

fn build_backend(dirs: &Dirs) -> Result<(), String> {
    let mut cargo = Command::new("cargo");
    cargo
        .arg(paths::toolchain_arg())
        .args(["build", "--release", "--manifest-path"])
        .arg(dirs.root.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(dirs.root.join("target"))
        .current_dir(&dirs.root);
    println!("build: $ {}", process::describe(&cargo));
    let exit = process::run_inherited(&mut cargo)?;
    if !exit.success() {
        return Err(format!("cargo build of the backend failed ({exit})"));
    }
    Ok(())
}

fn install_dist(dirs: &Dirs) -> Result<(), String> {
    let built = dirs.built_dylib();
    if !built.is_file() {
        return Err(format!(
            "cargo succeeded but {} is missing",
            built.display()
        ));
    }
    fs::create_dir_all(&dirs.dist).map_err(|e| io_error("create", &dirs.dist, e))?;
    // Copy to a temporary name and rename: a rustc that has the old dylib
    // mapped keeps its copy intact.
    let dylib = dirs.dist_dylib();
    let partial = dirs.dist.join(format!(
        "{}.partial.{}",
        paths::BACKEND_DYLIB,
        std::process::id()
    ));
    fs::copy(&built, &partial).map_err(|e| io_error("copy to", &partial, e))?;
    fs::rename(&partial, &dylib).map_err(|e| io_error("rename to", &dylib, e))?;

    let rustlib = dirs.dist_sysroot().join("lib").join("rustlib");
    fs::create_dir_all(&rustlib).map_err(|e| io_error("create", &rustlib, e))?;

    let rustc_bpf = format!(
        "#!/bin/sh\n\
         # rustc with the rustc_codegen_bpf backend (written by ./y.sh build).\n\
         # eBPF crates get the flags the eBPF sysroot is built with.\n\
         case \" $* \" in\n\
         *' --target bpf'* | *' --target=bpf'*) set -- \"$@\" {BPF_FLAGS} ;;\n\
         esac\n\
         exec rustc +{} -Zcodegen-backend={} --sysroot {} \"$@\"\n",
        paths::TOOLCHAIN,
        shell_quote(&dylib),
        shell_quote(&wrapper_sysroot(dirs)),
    );
    write_executable(&dirs.rustc_bpf(), &rustc_bpf)?;
    write_executable(
        &dirs.cargo_bpf(),
        &cargo_bpf_script(&dylib, &wrapper_sysroot(dirs)),
    )
}

/// `dist/cargo-bpf`: the pinned toolchain's cargo and rustc, with the
/// backend, its sysroot and [`BPF_FLAGS`] passed as target-scoped rustflags
/// of the eBPF targets. With `--target bpfel-unknown-none` cargo applies
/// them to the crates built for that target only, so proc macros and build
/// scripts are ordinary host artifacts of the stock rustc (whose sysroot has
/// the host `std` they need). The same holds for the host target named
/// explicitly (`--target x86_64-unknown-linux-gnu`, [`HOST_FLAGS`]):
/// cargo's `target-applies-to-host = false` keeps those flags off build
/// scripts and proc macros, and rustdoc gets them too, for doctests.
fn cargo_bpf_script(dylib: &Path, sysroot: &Path) -> String {
    let backend = format!(
        "-Zcodegen-backend={} --sysroot {}",
        dylib.display(),
        sysroot.display()
    );
    let target_flags = |target: &str, flags: &str| {
        let var = target.to_uppercase().replace('-', "_");
        format!(
            "export CARGO_TARGET_{var}_RUSTFLAGS={}\n",
            shell_quote_str(flags)
        )
    };
    let host_flags = format!("{backend} {HOST_FLAGS}");
    let exports: String = crate::sysroot::BPF_TARGETS
        .iter()
        .map(|target| target_flags(target, &format!("{backend} {BPF_FLAGS}")))
        .chain([target_flags(paths::HOST_TARGET, &host_flags)])
        .collect();
    format!(
        "#!/bin/sh\n\
         # cargo with the rustc_codegen_bpf backend (written by ./y.sh build):\n\
         # crates built for an eBPF target, or for the host named with\n\
         # --target {host}, use the backend and dist/sysroot; host artifacts\n\
         # (proc macros, build scripts) the stock rustc.\n\
         # RUSTFLAGS or CARGO_ENCODED_RUSTFLAGS, when set, replace these flags.\n\
         unset RUSTC RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER\n\
         export CARGO_UNSTABLE_HOST_CONFIG=true CARGO_UNSTABLE_TARGET_APPLIES_TO_HOST=true\n\
         export CARGO_TARGET_APPLIES_TO_HOST=false\n\
         {exports}\
         [ -n \"${{RUSTDOCFLAGS+set}}\" ] || export RUSTDOCFLAGS={}\n\
         exec cargo +{} \"$@\"\n",
        shell_quote_str(&host_flags),
        paths::TOOLCHAIN,
        host = paths::HOST_TARGET,
    )
}

/// Flags every eBPF crate (and the eBPF sysroot) is compiled with, for code
/// the verifier accepts:
/// - panics end the function at once: no formatting machinery, whose
///   indirect calls the verifier rejects;
/// - no debug UB checks: their alignment tests do bit arithmetic on
///   pointers, which the verifier prohibits on context pointers;
/// - MIR inlining at every opt level with high thresholds: a function that
///   returns a pointer into its caller's stack (an iterator's `next`,
///   `Index::index`) is rejected by the verifier unless inlined, and call
///   chains must fit the 512-byte combined stack.
pub const BPF_FLAGS: &str = "-Zunstable-options -Cpanic=immediate-abort -Zub-checks=no \
     -Zinline-mir=yes -Zinline-mir-threshold=1000 -Zinline-mir-hint-threshold=2000";

/// Flags of host crates built through `cargo-bpf`: the backend has no
/// unwinding, and libtest harnesses then run each test in a subprocess.
pub const HOST_FLAGS: &str = "-Cpanic=abort -Zpanic-abort-tests";

/// The sysroot `rustc-bpf` passes with `--sysroot`: the libraries built with
/// the backend (the eBPF targets' `core`, `compiler_builtins` and `alloc`).
pub fn wrapper_sysroot(dirs: &Dirs) -> PathBuf {
    dirs.dist_sysroot()
}

pub fn write_executable(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| io_error("write", path, e))?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
        .map_err(|e| io_error("chmod", path, e))
}

/// `path` as a single-quoted shell word.
fn shell_quote(path: &Path) -> String {
    shell_quote_str(&path.display().to_string())
}

/// `text` as a single-quoted shell word.
fn shell_quote_str(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The message for a failed file operation on `path`.
pub fn io_error(what: &str, path: &Path, e: std::io::Error) -> String {
    format!("cannot {what} {}: {e}", path.display())
}

/// Why `dist/` needs a rebuild before tests or runs, or `None` when the
/// installed backend is newer than every source file (`src/**`,
/// `Cargo.toml`, `Cargo.lock`) and the wrappers exist.
pub fn stale_reason(dirs: &Dirs) -> Option<String> {
    let dylib = dirs.dist_dylib();
    let Ok(installed) = fs::metadata(&dylib).and_then(|m| m.modified()) else {
        return Some(format!("{} is missing", dirs.relative(&dylib).display()));
    };
    for wrapper in [dirs.rustc_bpf(), dirs.cargo_bpf()] {
        if !wrapper.is_file() {
            return Some(format!("{} is missing", dirs.relative(&wrapper).display()));
        }
    }
    let mut sources = vec![dirs.root.join("Cargo.toml"), dirs.root.join("Cargo.lock")];
    collect_files(&dirs.root.join("src"), &mut sources);
    sources.into_iter().find_map(|file| {
        let modified = fs::metadata(&file).and_then(|m| m.modified()).ok()?;
        newer(modified, installed).then(|| {
            format!(
                "{} changed since the last build",
                dirs.relative(&file).display()
            )
        })
    })
}

fn newer(a: SystemTime, b: SystemTime) -> bool {
    a.duration_since(b).is_ok_and(|d| !d.is_zero())
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Builds unless `dist/` is up to date; used by `test` and `run`.
pub fn ensure_built(dirs: &Dirs) -> Result<(), String> {
    if let Some(reason) = stale_reason(dirs) {
        println!("build: {reason}; building the backend first");
        let start = Instant::now();
        build(dirs)?;
        println!("build: done in {:.1} s", start.elapsed().as_secs_f64());
    }
    Ok(())
}

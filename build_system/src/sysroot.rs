//! The sysroots built with the backend, from the pinned toolchain's
//! `rust-src`, installed into `dist/sysroot/lib/rustlib/<target>/lib`:
//! `core`, `compiler_builtins` (with the `mem` functions) and `alloc` for
//! `bpfel-unknown-none` and `bpfeb-unknown-none`; `std`, `proc_macro`, `test`
//! and what they use for the host, `x86_64-unknown-linux-gnu`, with
//! `panic=abort` (the backend does not unwind) and relative vtables. A host
//! sysroot with absolute vtables is built on demand under `build/` (the
//! `vtables` suite compares both layouts).
//!
//! Cargo's `-Zbuild-std` does the work (it knows the library workspace and
//! its lockfile) on a placeholder crate; its rlibs are then copied. Cargo
//! cannot see that the backend dylib changed, so a stamp of the dylib's size
//! and modification time decides when a build directory starts afresh.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::build::io_error;
use crate::paths::{self, Dirs};
use crate::process;

/// The eBPF targets whose sysroots `./y.sh build` provides.
pub const BPF_TARGETS: &[&str] = &["bpfel-unknown-none", "bpfeb-unknown-none"];

/// One family of sysroots: the targets, what cargo builds for them and the
/// flags every crate is compiled with.
struct Sysroot<'a> {
    /// Names the build directory under `build/`.
    work: &'a str,
    /// The sysroot directory the rlibs are installed into.
    dest: PathBuf,
    targets: &'a [&'a str],
    /// `-Zbuild-std` crates.
    crates: &'a str,
    /// `-Zbuild-std-features` (empty: none, which leaves out `panic_unwind`
    /// and backtrace symbolisation).
    features: &'a str,
    rustflags: String,
    /// Crates compiled by rustc's own LLVM backend instead (see
    /// [`build_host`]).
    llvm_crates: &'a [&'a str],
}

/// Builds the eBPF sysroots unless they match the installed backend.
pub fn build_bpf(dirs: &Dirs) -> Result<(), String> {
    build(
        dirs,
        &Sysroot {
            work: "sysroot",
            dest: dirs.dist_sysroot(),
            targets: BPF_TARGETS,
            crates: "core,compiler_builtins,alloc",
            features: "compiler-builtins-mem",
            rustflags: crate::build::BPF_FLAGS.to_string(),
            llvm_crates: &[],
        },
    )
}

/// Builds the host `std` sysroot unless it matches the installed backend.
///
/// Two small runtime-support crates are compiled by LLVM, as libgcc is to
/// a C compiler, because the backend compiles neither inline assembly nor
/// naked functions: `compiler_builtins` (its x86-64 `mem` functions are
/// inline assembly, `__rust_probestack` is naked) and `std_detect` (CPU
/// feature detection: `cpuid` is inline assembly, `xgetbv` an LLVM
/// intrinsic).
pub fn build_host(dirs: &Dirs) -> Result<(), String> {
    build(
        dirs,
        &host_sysroot(dirs.dist_sysroot(), "sysroot-host", "relative"),
    )
}

/// Builds (unless current) a host `std` sysroot with absolute vtables
/// under `build/` and returns its directory, for `--sysroot`.
pub fn build_host_absolute_vtables(dirs: &Dirs) -> Result<PathBuf, String> {
    let work = "sysroot-host-absolute";
    let dest = dirs.build.join(work).join("sysroot");
    build(dirs, &host_sysroot(dest.clone(), work, "absolute"))?;
    Ok(dest)
}

/// The host sysroot with vtable layout `vtables`, installed into `dest`.
fn host_sysroot(dest: PathBuf, work: &'static str, vtables: &str) -> Sysroot<'static> {
    Sysroot {
        work,
        dest,
        targets: &[paths::HOST_TARGET],
        crates: "std,panic_abort,proc_macro,test",
        features: "",
        rustflags: format!("-Cpanic=abort -Cllvm-args=vtables={vtables}"),
        llvm_crates: &["compiler_builtins", "std_detect"],
    }
}

fn build(dirs: &Dirs, sysroot: &Sysroot<'_>) -> Result<(), String> {
    let work = dirs.build.join(sysroot.work);
    let stamp = work.join("backend.stamp");
    let current = backend_stamp(dirs)?;
    let installed_all = sysroot
        .targets
        .iter()
        .all(|t| lib_dir(&sysroot.dest, t).is_dir());
    if installed_all && fs::read_to_string(&stamp).ok().as_deref() == Some(current.as_str()) {
        return Ok(());
    }
    // A different backend: nothing cargo cached may be reused.
    let target_dir = work.join("target");
    if target_dir.exists() {
        fs::remove_dir_all(&target_dir).map_err(|e| io_error("remove", &target_dir, e))?;
    }
    let placeholder = write_placeholder(&work)?;
    let wrapper = write_rustc_wrapper(&work, sysroot.llvm_crates)?;
    for target in sysroot.targets {
        let start = Instant::now();
        build_target(
            dirs,
            sysroot,
            &placeholder,
            wrapper.as_deref(),
            &target_dir,
            target,
        )?;
        install(&sysroot.dest, &target_dir, target)?;
        println!(
            "build: sysroot for {target} in {:.1} s",
            start.elapsed().as_secs_f64()
        );
    }
    fs::write(&stamp, current).map_err(|e| io_error("write", &stamp, e))
}

/// The library directory of `target` in the sysroot `root`.
fn lib_dir(root: &Path, target: &str) -> PathBuf {
    root.join("lib").join("rustlib").join(target).join("lib")
}

/// The installed backend dylib's size and modification time: what decides
/// whether objects it compiled are stale.
pub fn backend_stamp(dirs: &Dirs) -> Result<String, String> {
    let dylib = dirs.dist_dylib();
    let meta = fs::metadata(&dylib).map_err(|e| io_error("stat", &dylib, e))?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Ok(format!("{} {modified}\n", meta.len()))
}

/// A `#![no_std]` library crate that exists only to make cargo build the
/// standard library crates.
fn write_placeholder(work: &Path) -> Result<PathBuf, String> {
    let dir = work.join("placeholder");
    let src = dir.join("src");
    fs::create_dir_all(&src).map_err(|e| io_error("create", &src, e))?;
    let manifest = dir.join("Cargo.toml");
    fs::write(
        &manifest,
        "[package]\nname = \"sysroot_placeholder\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
         [workspace]\n\n[profile.release]\nopt-level = 3\ndebug = 0\npanic = \"abort\"\n",
    )
    .map_err(|e| io_error("write", &manifest, e))?;
    let lib = src.join("lib.rs");
    fs::write(&lib, "#![no_std]\n").map_err(|e| io_error("write", &lib, e))?;
    Ok(manifest)
}

/// A `RUSTC_WRAPPER` script that drops `-Zcodegen-backend` and the
/// backend's `-Cllvm-args=vtables=` option when compiling one of
/// `llvm_crates`, or `None` when there are none.
fn write_rustc_wrapper(work: &Path, llvm_crates: &[&str]) -> Result<Option<PathBuf>, String> {
    if llvm_crates.is_empty() {
        return Ok(None);
    }
    let path = work.join("rustc-wrapper.sh");
    let names = llvm_crates.join(", ");
    let patterns: Vec<String> = llvm_crates
        .iter()
        .map(|name| format!("*' --crate-name {name} '*"))
        .collect();
    let patterns = patterns.join(" | ");
    let script = format!(
        "#!/bin/sh\n\
         # Written by ./y.sh build: compiles {names} with rustc's LLVM backend.\n\
         rustc=\"$1\"; shift\n\
         case \" $* \" in\n\
         {patterns}) ;;\n\
         *) exec \"$rustc\" \"$@\" ;;\n\
         esac\n\
         for arg do\n\
         shift\n\
         case \"$arg\" in -Zcodegen-backend=*|-Cllvm-args=vtables=*) ;; *) set -- \"$@\" \"$arg\" ;; esac\n\
         done\n\
         exec \"$rustc\" \"$@\"\n"
    );
    crate::build::write_executable(&path, &script)?;
    Ok(Some(path))
}

fn build_target(
    dirs: &Dirs,
    sysroot: &Sysroot<'_>,
    manifest: &Path,
    wrapper: Option<&Path>,
    target_dir: &Path,
    target: &str,
) -> Result<(), String> {
    let mut cargo = Command::new("cargo");
    match wrapper {
        Some(wrapper) => cargo.env("RUSTC_WRAPPER", wrapper),
        None => cargo.env_remove("RUSTC_WRAPPER"),
    };
    cargo
        .arg(paths::toolchain_arg())
        .args(["build", "--release", "--target", target])
        .arg(format!("-Zbuild-std={}", sysroot.crates))
        .arg(format!("-Zbuild-std-features={}", sysroot.features))
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--target-dir")
        .arg(target_dir)
        .env(
            "RUSTFLAGS",
            format!(
                "-Zcodegen-backend={} {}",
                dirs.dist_dylib().display(),
                sysroot.rustflags
            ),
        )
        .env_remove("RUSTC")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    println!("build: $ {}", process::describe(&cargo));
    let exit = process::run_inherited(&mut cargo)?;
    if !exit.success() {
        return Err(format!("building the {target} sysroot failed ({exit})"));
    }
    Ok(())
}

/// Replaces the target's installed rlibs in the sysroot `dest` with the
/// ones just built.
fn install(dest: &Path, target_dir: &Path, target: &str) -> Result<(), String> {
    let deps = target_dir.join(target).join("release").join("deps");
    let lib = lib_dir(dest, target);
    if lib.exists() {
        fs::remove_dir_all(&lib).map_err(|e| io_error("remove", &lib, e))?;
    }
    fs::create_dir_all(&lib).map_err(|e| io_error("create", &lib, e))?;
    let entries = fs::read_dir(&deps).map_err(|e| io_error("read", &deps, e))?;
    let mut copied = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_rlib = name.ends_with(".rlib") || name.ends_with(".rmeta");
        if !is_rlib || name.starts_with("libsysroot_placeholder") {
            continue;
        }
        let dest = lib.join(&name);
        fs::copy(&path, &dest).map_err(|e| io_error("copy to", &dest, e))?;
        copied += 1;
    }
    if copied == 0 {
        return Err(format!("no rlibs were built in {}", deps.display()));
    }
    Ok(())
}

//! The sysroots built with the backend: `core`, `compiler_builtins` (with
//! the `mem` functions) and `alloc` for `bpfel-unknown-none` and
//! `bpfeb-unknown-none`, from the pinned toolchain's `rust-src`, installed
//! into `dist/sysroot/lib/rustlib/<target>/lib`.
//!
//! Cargo's `-Zbuild-std` does the work (it knows the library workspace and
//! its lockfile) on a placeholder crate; its rlibs are then copied. Cargo
//! cannot see that the backend dylib changed, so a stamp of the dylib's size
//! and modification time decides when the build directory starts afresh.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::build::io_error;
use crate::paths::{self, Dirs};
use crate::process;

/// The eBPF targets whose sysroots `./y.sh build` provides.
pub const BPF_TARGETS: &[&str] = &["bpfel-unknown-none", "bpfeb-unknown-none"];

/// The library crates built for each eBPF target.
const CRATES: &str = "core,compiler_builtins,alloc";

/// Builds the eBPF sysroots unless they match the installed backend.
pub fn build_bpf(dirs: &Dirs) -> Result<(), String> {
    let work = dirs.build.join("sysroot");
    let stamp = work.join("backend.stamp");
    let current = backend_stamp(dirs)?;
    let installed_all = BPF_TARGETS.iter().all(|t| target_lib(dirs, t).is_dir());
    if installed_all && fs::read_to_string(&stamp).ok().as_deref() == Some(current.as_str()) {
        return Ok(());
    }
    // A different backend: nothing cargo cached may be reused.
    let target_dir = work.join("target");
    if target_dir.exists() {
        fs::remove_dir_all(&target_dir).map_err(|e| io_error("remove", &target_dir, e))?;
    }
    let placeholder = write_placeholder(&work)?;
    for target in BPF_TARGETS {
        let start = Instant::now();
        build_target(dirs, &placeholder, &target_dir, target)?;
        install(dirs, &target_dir, target)?;
        println!(
            "build: sysroot for {target} in {:.1} s",
            start.elapsed().as_secs_f64()
        );
    }
    fs::write(&stamp, current).map_err(|e| io_error("write", &stamp, e))
}

/// The installed library directory of `target` in `dist/sysroot`.
pub fn target_lib(dirs: &Dirs, target: &str) -> PathBuf {
    dirs.dist_sysroot()
        .join("lib")
        .join("rustlib")
        .join(target)
        .join("lib")
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

fn build_target(
    dirs: &Dirs,
    manifest: &Path,
    target_dir: &Path,
    target: &str,
) -> Result<(), String> {
    let mut cargo = Command::new("cargo");
    cargo
        .arg(paths::toolchain_arg())
        .args(["build", "--release", "--target", target])
        .arg(format!("-Zbuild-std={CRATES}"))
        .arg("-Zbuild-std-features=compiler-builtins-mem")
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--target-dir")
        .arg(target_dir)
        .env(
            "RUSTFLAGS",
            format!(
                "-Zcodegen-backend={} {}",
                dirs.dist_dylib().display(),
                crate::build::BPF_FLAGS
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

/// Replaces the target's installed rlibs with the ones just built.
fn install(dirs: &Dirs, target_dir: &Path, target: &str) -> Result<(), String> {
    let deps = target_dir.join(target).join("release").join("deps");
    let lib = target_lib(dirs, target);
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

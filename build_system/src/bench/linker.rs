//! bpf-linker for the LLVM side, installed the way the LLVM baseline
//! documents it: `cargo install bpf-linker` from crates.io into
//! `build/bench/bpf-linker/`, built against rustc's own libLLVM (the
//! crate must use the same LLVM major as rustc, and Debian's llvm-config
//! is too old). Installed once; later runs reuse it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::paths::{self, Dirs};
use crate::process;

pub const VERSION: &str = "0.13.0";
/// The crate feature selecting the LLVM major of the pinned nightly.
const LLVM_FEATURE: &str = "llvm-22";
/// A cold install compiles bpf-linker and its dependencies.
const INSTALL_TIME_LIMIT: Duration = Duration::from_secs(1200);

/// Where the linker is installed (`cargo install --root`).
fn install_root(dirs: &Dirs) -> PathBuf {
    dirs.build.join("bench").join("bpf-linker")
}

/// `P` of `LLVM_PREFIX=P`: a `lib/` holding rustc's libLLVM under the
/// names the build (`libLLVM.so`) and the loader (its SONAME) look for.
pub fn llvm_prefix(dirs: &Dirs) -> PathBuf {
    dirs.build.join("bench").join("llvm-prefix")
}

/// The installed bpf-linker, installing it first when it is missing or of
/// another version.
pub fn ensure(dirs: &Dirs) -> Result<PathBuf, String> {
    let root = install_root(dirs);
    let linker = root.join("bin").join("bpf-linker");
    let manifest = std::fs::read_to_string(root.join(".crates.toml")).unwrap_or_default();
    if linker.is_file() && manifest.contains(&format!("\"bpf-linker {VERSION} ")) {
        return Ok(linker);
    }
    link_rustc_llvm(&llvm_prefix(dirs))?;
    println!(
        "bench: installing bpf-linker {VERSION} from crates.io into {} (once)",
        root.display()
    );
    let mut cmd = Command::new("cargo");
    cmd.arg(paths::toolchain_arg())
        .args(["install", "bpf-linker", "--version", VERSION, "--locked"])
        .args(["--no-default-features", "--features", LLVM_FEATURE])
        .arg("--root")
        .arg(&root)
        .env("LLVM_PREFIX", llvm_prefix(dirs));
    let out = process::run_captured(&mut cmd, INSTALL_TIME_LIMIT)?;
    if !out.exit.success() || !linker.is_file() {
        return Err(format!(
            "cargo install bpf-linker {VERSION} failed ({}):\n{}",
            out.exit,
            process::clip(&out.stderr, 10, 20)
        ));
    }
    println!(
        "bench: bpf-linker installed in {:.0} s",
        out.elapsed.as_secs_f64()
    );
    Ok(linker)
}

/// Fills `prefix/lib` with the two symlinks to the nightly's libLLVM.
fn link_rustc_llvm(prefix: &Path) -> Result<(), String> {
    let sysroot_lib = toolchain_sysroot()?.join("lib");
    let soname = std::fs::read_dir(&sysroot_lib)
        .map_err(|e| format!("{}: {e}", sysroot_lib.display()))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .find(|name| name.starts_with("libLLVM.so."))
        .ok_or_else(|| format!("no libLLVM.so.* in {}", sysroot_lib.display()))?;
    let lib = prefix.join("lib");
    std::fs::create_dir_all(&lib).map_err(|e| format!("{}: {e}", lib.display()))?;
    for name in ["libLLVM.so", soname.as_str()] {
        let link = lib.join(name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(sysroot_lib.join(&soname), &link)
            .map_err(|e| format!("symlink {}: {e}", link.display()))?;
    }
    Ok(())
}

/// The pinned nightly's sysroot (`rustc --print sysroot`).
pub fn toolchain_sysroot() -> Result<PathBuf, String> {
    let mut cmd = Command::new("rustc");
    cmd.arg(paths::toolchain_arg()).args(["--print", "sysroot"]);
    let out = process::run_captured(&mut cmd, Duration::from_secs(60))?;
    if !out.exit.success() {
        return Err(format!(
            "rustc --print sysroot failed: {}",
            out.stderr.trim()
        ));
    }
    Ok(PathBuf::from(out.stdout.trim()))
}

//! Where things live: the repository root, `build/` (test artifacts), `dist/`
//! (the installed backend and its wrappers) and the pinned toolchain name.

use std::path::{Path, PathBuf};

/// The nightly the backend is written against; `rust-toolchain` and `y.sh`
/// name the same one (the selftest suite checks that they agree).
pub const TOOLCHAIN: &str = "nightly-2026-05-20";

/// The host target every host-side test compiles for.
pub const HOST_TARGET: &str = "x86_64-unknown-linux-gnu";

/// File name of the backend dylib, in `target/release/` and in `dist/`.
pub const BACKEND_DYLIB: &str = "librustc_codegen_bpf.so";

/// `+nightly-...`, the rustup argument selecting the pinned toolchain.
pub fn toolchain_arg() -> String {
    format!("+{TOOLCHAIN}")
}

/// The directories of one checkout of the project.
#[derive(Clone, Debug)]
pub struct Dirs {
    /// The repository root (holds `Cargo.toml`, `src/`, `y.sh`).
    pub root: PathBuf,
    /// Test and run artifacts; safe to delete at any time.
    pub build: PathBuf,
    /// The installed backend: dylib, sysroot and wrapper scripts.
    pub dist: PathBuf,
}

impl Dirs {
    /// Finds the repository root: `y.sh` runs us through `cargo run`, which
    /// sets `CARGO_MANIFEST_DIR` to `<root>/build_system`; without it the
    /// executable's own location (`<root>/build_system/target/release/y`)
    /// tells.
    pub fn discover() -> Result<Dirs, String> {
        let from_manifest = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .and_then(|dir| dir.parent().map(Path::to_path_buf));
        let from_exe = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.ancestors().nth(4).map(Path::to_path_buf));
        let root = from_manifest
            .into_iter()
            .chain(from_exe)
            .find(|dir| dir.join("build_system").join("Cargo.toml").is_file())
            .ok_or("cannot find the repository root; run the build system through ./y.sh")?;
        Ok(Dirs::at(root))
    }

    /// The directories of the checkout rooted at `root`.
    pub fn at(root: PathBuf) -> Dirs {
        Dirs {
            build: root.join("build"),
            dist: root.join("dist"),
            root,
        }
    }

    /// The backend dylib as installed in `dist/`.
    pub fn dist_dylib(&self) -> PathBuf {
        self.dist.join(BACKEND_DYLIB)
    }

    /// The `rustc` wrapper that loads the backend.
    pub fn rustc_bpf(&self) -> PathBuf {
        self.dist.join("rustc-bpf")
    }

    /// The `cargo` wrapper that uses `rustc-bpf`.
    pub fn cargo_bpf(&self) -> PathBuf {
        self.dist.join("cargo-bpf")
    }

    /// The sysroot directory inside `dist/`.
    pub fn dist_sysroot(&self) -> PathBuf {
        self.dist.join("sysroot")
    }

    /// Where cargo puts the freshly built backend dylib.
    pub fn built_dylib(&self) -> PathBuf {
        self.root.join("target").join("release").join(BACKEND_DYLIB)
    }

    /// `path` relative to the root when it lies inside it, else unchanged;
    /// rustc prints source paths as given, and tests match on them.
    pub fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }
}

/// The pinned toolchain's own sysroot (`rustc --print sysroot`).
pub fn toolchain_sysroot() -> Result<PathBuf, String> {
    let mut cmd = std::process::Command::new("rustc");
    cmd.arg(toolchain_arg()).args(["--print", "sysroot"]);
    let out = crate::process::run_captured(&mut cmd, std::time::Duration::from_secs(60))?;
    if !out.exit.success() {
        return Err(format!(
            "rustc --print sysroot failed: {}",
            out.stderr.trim()
        ));
    }
    Ok(PathBuf::from(out.stdout.trim()))
}

/// The `library/` directory of the toolchain's rust-src component.
pub fn rust_src_library() -> Result<PathBuf, String> {
    let library = toolchain_sysroot()?.join("lib/rustlib/src/rust/library");
    if library.is_dir() {
        Ok(library)
    } else {
        Err(format!(
            "{} is missing (rustup component add rust-src)",
            library.display()
        ))
    }
}

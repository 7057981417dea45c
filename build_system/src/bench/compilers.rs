//! The three ways a benchmarked program is compiled, each timed cold
//! (first build in an empty output directory) and warm (rebuilding after
//! the program's source changed):
//! - `ours`: `dist/rustc-bpf --target bpfel-unknown-none` on a file,
//!   `dist/cargo-bpf build --release` on a cargo package;
//! - `llvm`: what aya users run: the cargo package (for a file, one
//!   generated under `build/bench/llvm/` whose binary is that file) built
//!   for `bpfel-unknown-none` with `-Zbuild-std=core`, a release profile
//!   with fat LTO, one codegen unit and `panic = "abort"`, and bpf-linker
//!   with `--btf`; cold includes building `core`, as in a fresh target dir;
//! - `clang`: `clang -target bpf -O2 -g` on a C twin.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::bpf_objects::{self, Target};
use crate::paths::{self, Dirs};
use crate::process::{self, Output};
use crate::rustc::{self, Rustc};

use super::corpus::{Program, Source};

/// One compiler set up for one program at one opt level.
pub trait Compiler {
    /// `ours`, `llvm` or `clang`.
    fn name(&self) -> &'static str;
    /// A build from scratch; its wall time in seconds.
    fn cold(&self) -> Result<f64, String>;
    /// A rebuild after the source changed; its wall time in seconds.
    fn warm(&self) -> Result<f64, String>;
    /// The object the builds produce.
    fn object(&self) -> PathBuf;
}

/// The first `error` line of a compiler's stderr, for a one-line reason,
/// with the linker's own error when rustc quotes one.
fn first_error(stderr: &str) -> String {
    let first = stderr
        .lines()
        .find(|l| l.trim_start().starts_with("error"))
        .unwrap_or_else(|| stderr.lines().next().unwrap_or(""))
        .trim();
    // bpf-linker reports LLVM's diagnostics, then a summary.
    let linker = ["ERROR llvm: ", "note: Error: "]
        .iter()
        .find_map(|marker| stderr.lines().find_map(|l| l.split_once(marker)));
    match linker {
        Some((_, why)) => format!("{first} ({})", why.trim()),
        None => first.to_string(),
    }
}

/// A fresh, empty `dir`.
fn empty_dir(dir: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Seconds of a successful run, or why it failed.
fn timed(what: &str, out: Result<Output, String>) -> Result<f64, String> {
    let out = out?;
    if out.exit.success() {
        Ok(out.elapsed.as_secs_f64())
    } else {
        Err(format!(
            "{what} failed ({}): {}",
            out.exit,
            first_error(&out.stderr)
        ))
    }
}

/// `dist/rustc-bpf` on the program's file.
pub struct Ours {
    rustc: Rustc,
    source: PathBuf,
    opt_level: &'static str,
    dir: PathBuf,
}

/// The backend's side for `program`: `rustc-bpf` on a file, `cargo-bpf`
/// on a package.
pub fn ours(
    dirs: &Dirs,
    work: &Path,
    program: &Program,
    opt_level: &'static str,
) -> Box<dyn Compiler> {
    match program.source {
        Source::File(file) => Box::new(Ours {
            rustc: Rustc::backend(dirs),
            source: PathBuf::from(file),
            opt_level,
            dir: out_dir(work, "ours", program, opt_level),
        }),
        Source::Package { dir, package, bin } => Box::new(OursCargo {
            build: CargoBuild {
                cargo: vec![dirs.cargo_bpf().into()],
                package_dir: dirs.root.join(dir),
                package: package.to_string(),
                bin: bin.to_string(),
                target_dir: out_dir(work, "ours", program, opt_level).join("target"),
                args: vec![
                    "--config".to_string(),
                    format!("profile.release.opt-level={}", toml_opt_level(opt_level)),
                ],
                env: Vec::new(),
            },
        }),
    }
}

impl Ours {
    fn compile(&self) -> Result<f64, String> {
        let out = self.object();
        bpf_objects::compile(
            &self.rustc,
            &self.source,
            Target::Bpfel,
            self.opt_level,
            &out,
        )
        .map(|out| out.elapsed.as_secs_f64())
        .map_err(|(reason, details)| {
            let stderr = details.lines().skip(1).collect::<Vec<_>>().join("\n");
            format!("{reason}: {}", first_error(&stderr))
        })
    }
}

impl Compiler for Ours {
    fn name(&self) -> &'static str {
        "ours"
    }

    fn cold(&self) -> Result<f64, String> {
        empty_dir(&self.dir)?;
        self.compile()
    }

    /// A single crate: every build compiles the whole file again.
    fn warm(&self) -> Result<f64, String> {
        self.compile()
    }

    fn object(&self) -> PathBuf {
        self.dir.join(format!(
            "{}.o",
            self.dir.file_name().unwrap_or_default().to_string_lossy()
        ))
    }
}

/// `<work>/<side>/<program>-O<level>/`.
fn out_dir(work: &Path, side: &str, program: &Program, opt_level: &str) -> PathBuf {
    work.join(side)
        .join(format!("{}-O{opt_level}", program.name))
}

/// A cargo build of one binary for `bpfel-unknown-none` into a target
/// directory of its own.
struct CargoBuild {
    /// The cargo command (`cargo +nightly-…` or `dist/cargo-bpf`).
    cargo: Vec<std::ffi::OsString>,
    /// The package's directory, and its name (which its fingerprints
    /// bear).
    package_dir: PathBuf,
    package: String,
    bin: String,
    target_dir: PathBuf,
    /// Arguments after `build --release --target bpfel-unknown-none`.
    args: Vec<String>,
    env: Vec<(&'static str, std::ffi::OsString)>,
}

impl CargoBuild {
    fn build(&self, what: &str) -> Result<f64, String> {
        let mut cmd = Command::new(&self.cargo[0]);
        cmd.args(&self.cargo[1..])
            .args([
                "build",
                "--release",
                "--quiet",
                "--target",
                "bpfel-unknown-none",
            ])
            .args(["--bin", &self.bin])
            .args(&self.args)
            .current_dir(&self.package_dir)
            .env("CARGO_TARGET_DIR", &self.target_dir);
        for var in [
            "RUSTFLAGS",
            "CARGO_ENCODED_RUSTFLAGS",
            "CARGO_BUILD_TARGET",
            "RUSTC_WRAPPER",
        ] {
            cmd.env_remove(var);
        }
        for (var, value) in &self.env {
            cmd.env(var, value);
        }
        timed(
            what,
            process::run_captured(&mut cmd, rustc::COMPILE_TIME_LIMIT),
        )
    }

    fn cold(&self, what: &str) -> Result<f64, String> {
        let _ = std::fs::remove_dir_all(&self.target_dir);
        self.build(what)
    }

    /// Forgets the package's fingerprints (as an edit of its source
    /// would), so cargo rebuilds it, LTO and link included, but not its
    /// dependencies or `core`.
    fn warm(&self, what: &str) -> Result<f64, String> {
        let fingerprints = self.release_dir().join(".fingerprint");
        let entries = std::fs::read_dir(&fingerprints)
            .map_err(|e| format!("{}: {e}", fingerprints.display()))?;
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = name
                .strip_prefix(&self.package)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|hash| hash.bytes().all(|b| b.is_ascii_hexdigit()));
            if ours {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        self.build(what)
    }

    fn release_dir(&self) -> PathBuf {
        self.target_dir.join("bpfel-unknown-none").join("release")
    }

    fn object(&self) -> PathBuf {
        self.release_dir().join(&self.bin)
    }
}

/// `dist/cargo-bpf` on a cargo package.
pub struct OursCargo {
    build: CargoBuild,
}

impl Compiler for OursCargo {
    fn name(&self) -> &'static str {
        "ours"
    }

    fn cold(&self) -> Result<f64, String> {
        self.build.cold("dist/cargo-bpf build")
    }

    fn warm(&self) -> Result<f64, String> {
        self.build.warm("dist/cargo-bpf build")
    }

    fn object(&self) -> PathBuf {
        self.build.object()
    }
}

/// rustc's LLVM backend with bpf-linker, through cargo: a cargo package
/// as it is, or for a single file a generated package whose binary is
/// that file. The aya settings are passed as `--config` overrides.
pub struct Llvm {
    /// The installed linker, or why there is none.
    linker: Result<PathBuf, String>,
    /// Everything of this build: the generated package and the target dir.
    dir: PathBuf,
    /// The package to generate first: (manifest path, manifest).
    generated: Option<(PathBuf, String)>,
    build: CargoBuild,
}

impl Llvm {
    pub fn new(
        dirs: &Dirs,
        work: &Path,
        linker: Result<PathBuf, String>,
        program: &Program,
        opt_level: &'static str,
    ) -> Llvm {
        let dir = out_dir(work, "llvm", program, opt_level);
        let (package_dir, package, bin, generated) = match program.source {
            Source::File(file) => {
                let manifest = format!(
                    "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
                     [[bin]]\nname = \"{name}\"\npath = \"{source}\"\ntest = false\n\
                     bench = false\n\n[workspace]\n",
                    name = program.name,
                    source = dirs.root.join(file).display(),
                );
                let generated = Some((dir.join("package").join("Cargo.toml"), manifest));
                (dir.join("package"), program.name, program.name, generated)
            }
            Source::Package {
                dir: package_dir,
                package,
                bin,
            } => (dirs.root.join(package_dir), package, bin, None),
        };
        let linker_path = linker.as_ref().map_or(PathBuf::new(), Clone::clone);
        let settings = [
            format!("profile.release.opt-level={}", toml_opt_level(opt_level)),
            "profile.release.lto=true".to_string(),
            "profile.release.codegen-units=1".to_string(),
            "profile.release.panic=\"abort\"".to_string(),
            format!("target.bpfel-unknown-none.linker=\"{}\"", linker_path.display()),
            "target.bpfel-unknown-none.rustflags=[\"-C\", \"debuginfo=2\", \"-C\", \"link-arg=--btf\"]"
                .to_string(),
        ];
        let mut args = vec!["-Zbuild-std=core".to_string()];
        for setting in settings {
            args.push("--config".to_string());
            args.push(setting);
        }
        let llvm_lib = super::linker::llvm_prefix(dirs).join("lib");
        Llvm {
            linker,
            dir: dir.clone(),
            generated,
            build: CargoBuild {
                cargo: vec!["cargo".into(), paths::toolchain_arg().into()],
                package_dir,
                package: package.to_string(),
                bin: bin.to_string(),
                target_dir: dir.join("target"),
                args,
                env: vec![
                    ("LD_LIBRARY_PATH", llvm_lib.into()),
                    ("CARGO_TARGET_BPFEL_UNKNOWN_NONE_RUSTFLAGS", "".into()),
                ],
            },
        }
    }
}

/// The profile's `opt-level` value: a number, or a quoted `s`/`z`.
fn toml_opt_level(level: &str) -> String {
    if level.bytes().all(|b| b.is_ascii_digit()) {
        level.to_string()
    } else {
        format!("\"{level}\"")
    }
}

const LLVM_BUILD: &str = "cargo build (LLVM, bpf-linker)";

impl Compiler for Llvm {
    fn name(&self) -> &'static str {
        "llvm"
    }

    fn cold(&self) -> Result<f64, String> {
        self.linker
            .as_ref()
            .map_err(|why| format!("no bpf-linker: {why}"))?;
        // Nothing of an earlier layout may stay: cargo would read a stale
        // `.cargo/config.toml` above the package.
        empty_dir(&self.dir)?;
        if let Some((manifest, text)) = &self.generated {
            let dir = manifest.parent().expect("a manifest in a directory");
            std::fs::create_dir_all(dir)
                .and_then(|()| std::fs::write(manifest, text))
                .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
        }
        self.build.cold(LLVM_BUILD)
    }

    fn warm(&self) -> Result<f64, String> {
        self.build.warm(LLVM_BUILD)
    }

    fn object(&self) -> PathBuf {
        self.build.object()
    }
}

/// clang on a C twin, at `-O2 -g` (what libbpf projects use).
pub struct Clang {
    source: PathBuf,
    dir: PathBuf,
    name: &'static str,
}

impl Clang {
    pub fn new(dirs: &Dirs, work: &Path, program: &Program, twin: &str) -> Clang {
        Clang {
            source: dirs.root.join(twin),
            dir: out_dir(work, "clang", program, "2"),
            name: program.name,
        }
    }
}

impl Compiler for Clang {
    fn name(&self) -> &'static str {
        "clang"
    }

    fn cold(&self) -> Result<f64, String> {
        empty_dir(&self.dir)?;
        self.warm()
    }

    fn warm(&self) -> Result<f64, String> {
        let mut cmd = Command::new("clang");
        cmd.args(["-target", "bpf", "-O2", "-g", "-c"])
            .arg(&self.source)
            .arg("-o")
            .arg(self.object());
        timed(
            "clang",
            process::run_captured(&mut cmd, rustc::COMPILE_TIME_LIMIT),
        )
    }

    fn object(&self) -> PathBuf {
        self.dir.join(format!("{}.o", self.name))
    }
}

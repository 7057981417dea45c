//! Suite `vtables`: the two vtable layouts of host code. Each program of
//! `tests/vtables/` is compiled by the backend with relative vtables (against
//! `dist/sysroot`) and with absolute vtables (against a host sysroot built
//! that way under `build/`), and by rustc's LLVM backend; all three must
//! print the same. Also: trait objects across an rlib and a Rust dylib, a
//! cdylib loaded with dlopen, no dynamic relocation into a relative vtable
//! of a PIE or cdylib, the 4 GiB limit of relative vtables, link errors
//! when layouts are mixed (also with LLVM-built rlibs), `std_example` on the
//! absolute sysroot. (`./y.sh bench` measures the layouts' section sizes,
//! relocation counts and loader time.)

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::paths::Dirs;
use crate::process::{self, Output};
use crate::report::Reporter;
use crate::rustc::{self, Rustc};
use crate::suites::Ctx;
use crate::suites::mini_core::{Stream, compare_one};

const SUITE: &str = "vtables";

/// Programs compared across the layouts and LLVM, with their opt level.
const PROGRAMS: &[(&str, &str)] = &[
    ("const_dyn", "0"),
    ("upcast", "0"),
    ("drop", "0"),
    ("size_align", "0"),
    ("any_fnonce", "0"),
    ("dyn_bench", "2"),
];

const RUN_LIMIT: Duration = Duration::from_secs(60);

/// The symbol-name prefix of the backend's vtables (see `src/vtable.rs`).
const VTABLE_SYMBOL: &str = "rust_vtable.";

/// The compilers the suite uses.
struct Compilers {
    /// `("relative" | "absolute", backend rustc)`; absolute only when its
    /// sysroot built.
    layouts: Vec<(&'static str, Rustc)>,
    llvm: Rustc,
    /// rustc's LLVM backend against the backend's relative sysroot (for
    /// LLVM-built rlibs a backend crate can link).
    llvm_on_relative_sysroot: Rustc,
    /// The backend with relative vtables against the absolute sysroot.
    relative_on_absolute_sysroot: Option<Rustc>,
}

/// The backend against `sysroot`, emitting vtables in `layout`.
pub fn layout_rustc(dirs: &Dirs, label: &'static str, sysroot: &Path, layout: &str) -> Rustc {
    Rustc::toolchain_with(
        dirs,
        label,
        vec![
            format!("-Zcodegen-backend={}", dirs.dist_dylib().display()),
            format!("--sysroot={}", sysroot.display()),
            format!("-Cllvm-args=vtables={layout}"),
        ],
    )
}

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    let dirs = &ctx.dirs;
    let backend = |label, sysroot: &Path, layout: &str| layout_rustc(dirs, label, sysroot, layout);
    let mut layouts = vec![(
        "relative",
        backend("relative", &dirs.dist_sysroot(), "relative"),
    )];
    let mut relative_on_absolute_sysroot = None;
    match crate::sysroot::build_host_absolute_vtables(dirs) {
        Ok(sysroot) => {
            r.pass("vtables/absolute_sysroot");
            layouts.push(("absolute", backend("absolute", &sysroot, "absolute")));
            relative_on_absolute_sysroot = Some(backend("mixed", &sysroot, "relative"));
        }
        Err(e) => r.fail("vtables/absolute_sysroot", e, ""),
    }
    let c = Compilers {
        layouts,
        llvm: Rustc::llvm(dirs),
        llvm_on_relative_sysroot: Rustc::toolchain_with(
            dirs,
            "llvm_relative_sysroot",
            vec![format!("--sysroot={}", dirs.dist_sysroot().display())],
        ),
        relative_on_absolute_sysroot,
    };
    let out = dirs.build.join(SUITE);
    let mut built = Vec::new();
    for &(program, opt) in PROGRAMS {
        built.extend(compare_program(r, &c, &out, program, opt));
    }
    cross_crate(r, &c, &out);
    let cdylibs = cdylib(r, &c, &out);
    for (layout, binary) in built.iter().chain(&cdylibs) {
        r.check(
            &format!("vtables/no_dynamic_relocs/{layout}/{}", file_name(binary)),
            check_vtable_relocations(layout, binary),
        );
    }
    too_large(r, &c, &out, &dirs.root);
    link_checks(r, &c, &out);
    std_example_absolute(r, &c, &out);
}

/// Compiles a program in both layouts and with LLVM and compares their
/// output; returns the backend's binaries with their layouts.
fn compare_program(
    r: &mut Reporter,
    c: &Compilers,
    out: &Path,
    program: &str,
    opt: &str,
) -> Vec<(&'static str, PathBuf)> {
    let source = source(program);
    let llvm = compile(&c.llvm, &source, "bin", &out.join("llvm"), opt, &[]);
    let mut binaries = Vec::new();
    for (layout, rustc) in &c.layouts {
        let name = format!("vtables/{program}/{layout}");
        let binary = match compile(rustc, &source, "bin", &out.join(layout), opt, &[]) {
            Ok(binary) => binary,
            Err((reason, details)) => {
                r.fail(&name, reason, details);
                continue;
            }
        };
        match &llvm {
            Ok(reference) => r.check(&name, compare_one(&binary, reference, &[], Stream::Stdout)),
            Err((reason, _)) => r.fail(&name, format!("reference: {reason}"), ""),
        }
        binaries.push((*layout, binary));
    }
    binaries
}

/// `tests/vtables/NAME.rs`.
pub fn source(name: &str) -> PathBuf {
    Path::new("tests")
        .join("vtables")
        .join(format!("{name}.rs"))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The command compiling `source` as `crate_type` into `out_dir` (also
/// searched for dependencies) with `extra` arguments, and its output file.
fn command(
    rustc: &Rustc,
    source: &Path,
    crate_type: &str,
    out_dir: &Path,
    opt: &str,
    extra: &[OsString],
) -> Result<(Command, PathBuf), (String, String)> {
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let output = out_dir.join(match crate_type {
        "bin" => stem.clone(),
        "rlib" => format!("lib{stem}.rlib"),
        _ => format!("lib{stem}.so"),
    });
    std::fs::create_dir_all(out_dir).map_err(|e| {
        (
            format!("cannot create {}: {e}", out_dir.display()),
            String::new(),
        )
    })?;
    let mut cmd = rustc.command();
    cmd.arg(source)
        .args(["--crate-type", crate_type, "--crate-name", &stem])
        .args(["--edition", "2024", "--target", crate::paths::HOST_TARGET])
        .arg("-Cpanic=abort")
        .arg(format!("-Copt-level={opt}"))
        .arg("-L")
        .arg(out_dir)
        .arg("-o")
        .arg(&output)
        .args(extra);
    Ok((cmd, output))
}

/// Compiles (see [`command`]) and returns the output file.
pub fn compile(
    rustc: &Rustc,
    source: &Path,
    crate_type: &str,
    out_dir: &Path,
    opt: &str,
    extra: &[OsString],
) -> Result<PathBuf, (String, String)> {
    let (mut cmd, output) = command(rustc, source, crate_type, out_dir, opt, extra)?;
    let result = process::run_captured(&mut cmd, rustc::COMPILE_TIME_LIMIT)
        .map_err(|e| (e, String::new()))?;
    if result.exit.success() {
        return Ok(output);
    }
    let mut reason = format!(
        "{} failed to compile {} ({})",
        rustc.label,
        source.display(),
        result.exit
    );
    if rustc::is_ice(&result.stderr) {
        reason.push_str(": the compiler crashed");
    }
    let details = format!(
        "$ {}\n{}",
        process::describe(&cmd),
        process::clip(&result.stderr, 40, 20)
    );
    Err((reason, details))
}

/// Compiles (see [`command`]) where the compile must fail; returns its
/// output.
fn compile_failing(
    rustc: &Rustc,
    source: &Path,
    crate_type: &str,
    out_dir: &Path,
) -> Result<Output, (String, String)> {
    let (mut cmd, _) = command(rustc, source, crate_type, out_dir, "0", &[])?;
    let result = process::run_captured(&mut cmd, rustc::COMPILE_TIME_LIMIT)
        .map_err(|e| (e, String::new()))?;
    if result.exit.success() {
        return Err((
            format!(
                "{} compiled {}, but an error was expected",
                rustc.label,
                source.display()
            ),
            String::new(),
        ));
    }
    Ok(result)
}

/// A failed compile that must be a clean error containing every `wants`.
fn clean_error_with(out: &Output, wants: &[&str]) -> Result<(), (String, String)> {
    let missing: Vec<&&str> = wants.iter().filter(|w| !out.stderr.contains(**w)).collect();
    if rustc::is_ice(&out.stderr) || !rustc::is_clean_error(out.exit) {
        return Err((
            format!("not a clean error ({})", out.exit),
            process::clip(&out.stderr, 40, 20),
        ));
    }
    if !missing.is_empty() {
        return Err((
            format!("no error containing {missing:?}"),
            process::clip(&out.stderr, 40, 20),
        ));
    }
    Ok(())
}

/// Runs `cmd` and returns its stdout, or why it failed.
fn run_stdout(mut cmd: Command) -> Result<String, (String, String)> {
    let out = process::run_captured(&mut cmd, RUN_LIMIT).map_err(|e| (e, String::new()))?;
    if !out.exit.success() {
        return Err((
            format!("`{}` ended with {}", process::describe(&cmd), out.exit),
            process::clip(&out.stderr, 20, 10),
        ));
    }
    Ok(out.stdout)
}

/// Whether `got` is `want`, naming the difference.
fn same_output(want: &str, got: &str) -> Result<(), (String, String)> {
    match process::short_diff("llvm", want, "backend", got, 10) {
        None => Ok(()),
        Some(diff) => Err(("stdout differs".into(), diff)),
    }
}

/// An rlib and a Rust dylib passing trait objects to a binary and back.
fn cross_crate(r: &mut Reporter, c: &Compilers, out: &Path) {
    let toolchain_lib = toolchain_lib_dir();
    let build = |rustc: &Rustc, dir: &Path, dynamic: &[OsString]| {
        compile(rustc, &source("vt_lib"), "rlib", dir, "0", dynamic)?;
        let dylib = compile(rustc, &source("vt_dylib"), "dylib", dir, "0", dynamic)?;
        let mut externs = dynamic.to_vec();
        externs.push("--extern".into());
        externs.push(os(&format!("vt_dylib={}", dylib.display())));
        compile(rustc, &source("cross_crate"), "bin", dir, "0", &externs)
    };
    let run = |binary: &Path, dir: &Path| {
        let mut cmd = Command::new(binary);
        let mut paths = dir.as_os_str().to_os_string();
        if let Some(lib) = &toolchain_lib {
            paths.push(":");
            paths.push(lib);
        }
        cmd.env("LD_LIBRARY_PATH", paths);
        run_stdout(cmd)
    };
    // The reference links LLVM's std dynamically into the dylib and the
    // binary; that std unwinds, so the reference does too.
    let llvm_dir = out.join("cross_llvm");
    let reference = build(
        &c.llvm,
        &llvm_dir,
        &[os("-Cprefer-dynamic"), os("-Cpanic=unwind")],
    )
    .and_then(|binary| run(&binary, &llvm_dir));
    for (layout, rustc) in &c.layouts {
        let name = format!("vtables/cross_crate/{layout}");
        let dir = out.join(format!("cross_{layout}"));
        let result = build(rustc, &dir, &[]).and_then(|binary| {
            let got = run(&binary, &dir)?;
            let want = reference
                .as_ref()
                .map_err(|(e, d)| (format!("reference: {e}"), d.clone()))?;
            same_output(want, &got)
        });
        r.check(&name, result);
    }
}

/// The toolchain's library directory (LLVM's `libstd-*.so`).
fn toolchain_lib_dir() -> Option<PathBuf> {
    let out = Command::new("rustc")
        .arg(crate::paths::toolchain_arg())
        .args(["--print", "target-libdir"])
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    Some(PathBuf::from(text.trim()))
}

pub fn os(text: &str) -> OsString {
    OsString::from(text)
}

/// A cdylib with trait objects, loaded by an LLVM-built program with
/// dlopen; returns the backend's cdylibs with their layouts.
fn cdylib(r: &mut Reporter, c: &Compilers, out: &Path) -> Vec<(&'static str, PathBuf)> {
    let loader = compile(
        &c.llvm,
        &source("dlopen_loader"),
        "bin",
        &out.join("llvm"),
        "0",
        &[],
    );
    let load = |lib: &Path| -> Result<String, (String, String)> {
        let loader = loader
            .as_ref()
            .map_err(|(e, d)| (format!("loader: {e}"), d.clone()))?;
        let mut cmd = Command::new(loader);
        cmd.arg(lib);
        run_stdout(cmd)
    };
    let reference = compile(
        &c.llvm,
        &source("vt_cdylib"),
        "cdylib",
        &out.join("llvm"),
        "1",
        &[],
    )
    .and_then(|lib| load(&lib));
    let mut libs = Vec::new();
    for (layout, rustc) in &c.layouts {
        let name = format!("vtables/cdylib_dlopen/{layout}");
        let lib = match compile(
            rustc,
            &source("vt_cdylib"),
            "cdylib",
            &out.join(layout),
            "1",
            &[],
        ) {
            Ok(lib) => lib,
            Err((reason, details)) => {
                r.fail(&name, reason, details);
                continue;
            }
        };
        let result = load(&lib).and_then(|got| {
            let want = reference
                .as_ref()
                .map_err(|(e, d)| (format!("reference: {e}"), d.clone()))?;
            same_output(want, &got)
        });
        r.check(&name, result);
        libs.push((*layout, lib));
    }
    libs
}

/// `readelf -W FLAG path`.
pub fn readelf(flag: &str, path: &Path) -> Result<String, (String, String)> {
    let mut cmd = Command::new("readelf");
    cmd.args(["-W", flag]).arg(path);
    run_stdout(cmd)
}

/// A vtable in a linked file: `(start, size, section name)`.
type VtableSpan = (u64, u64, String);

/// The backend's vtables in a linked file.
fn vtables_of(path: &Path) -> Result<Vec<VtableSpan>, (String, String)> {
    let sections = section_names(&readelf("-S", path)?);
    let symbols = readelf("-s", path)?;
    let mut vtables = Vec::new();
    for line in symbols.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        // Num: Value Size Type Bind Vis Ndx Name
        if fields.len() < 8 || !fields[7].starts_with(VTABLE_SYMBOL) {
            continue;
        }
        let value = u64::from_str_radix(fields[1], 16).unwrap_or(0);
        let size = fields[2].parse().unwrap_or(0);
        let section = fields[6]
            .parse::<usize>()
            .ok()
            .and_then(|i| sections.get(i).cloned())
            .unwrap_or_default();
        vtables.push((value, size, section));
    }
    Ok(vtables)
}

/// Section names by index from `readelf -S`.
fn section_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines() {
        let Some((index, rest)) = line
            .trim_start()
            .strip_prefix('[')
            .and_then(|l| l.split_once(']'))
        else {
            continue;
        };
        let Ok(index) = index.trim().parse::<usize>() else {
            continue;
        };
        if names.len() <= index {
            names.resize(index + 1, String::new());
        }
        names[index] = rest.split_whitespace().next().unwrap_or("").to_string();
    }
    names
}

/// Offsets of the dynamic relocations of a linked file.
fn dynamic_relocation_offsets(path: &Path) -> Result<Vec<u64>, (String, String)> {
    let text = readelf("-r", path)?;
    let mut offsets = Vec::new();
    let mut in_dynamic = false;
    for line in text.lines() {
        if line.starts_with("Relocation section") {
            in_dynamic = line.contains(".rela.dyn") || line.contains(".rela.plt");
            continue;
        }
        let first = line.split_whitespace().next().unwrap_or("");
        if in_dynamic && let Ok(offset) = u64::from_str_radix(first, 16) {
            offsets.push(offset);
        }
    }
    Ok(offsets)
}

/// Relative layout: the file has vtables, all in `.rodata`, and no dynamic
/// relocation applies inside one. Absolute layout: dynamic relocations do
/// (which shows the check sees them).
fn check_vtable_relocations(layout: &str, path: &Path) -> Result<(), (String, String)> {
    let vtables = vtables_of(path)?;
    if vtables.is_empty() {
        return Err((
            format!("no `{VTABLE_SYMBOL}*` symbol in {}", path.display()),
            String::new(),
        ));
    }
    let relocs = dynamic_relocation_offsets(path)?;
    let inside = relocs
        .iter()
        .filter(|&&o| {
            vtables
                .iter()
                .any(|&(start, size, _)| o >= start && o < start + size)
        })
        .count();
    let not_rodata: Vec<&String> = vtables
        .iter()
        .map(|(_, _, s)| s)
        .filter(|s| s.as_str() != ".rodata")
        .collect();
    let summary = format!(
        "{} vtables, {inside} dynamic relocations inside them, sections other than .rodata: {:?}",
        vtables.len(),
        not_rodata.iter().take(3).collect::<Vec<_>>()
    );
    match layout {
        "relative" if inside == 0 && not_rodata.is_empty() => Ok(()),
        "absolute" if inside > 0 => Ok(()),
        _ => Err((format!("{layout} layout: {summary}"), String::new())),
    }
}

/// A type of 4 GiB coerced to a trait object: an error at the coercion with
/// relative vtables, fine with absolute ones.
fn too_large(r: &mut Reporter, c: &Compilers, out: &Path, root: &Path) {
    let file = source("too_large");
    let text = match std::fs::read_to_string(root.join(&file)) {
        Ok(text) => text,
        Err(e) => {
            return r.fail(
                "vtables/too_large",
                format!("cannot read {}: {e}", file.display()),
                "",
            );
        }
    };
    let expect = match crate::suites::ui::parse(&text) {
        Ok(expect) => expect,
        Err(e) => return r.fail("vtables/too_large", e, ""),
    };
    for (layout, rustc) in &c.layouts {
        let dir = out.join(format!("too_large_{layout}"));
        let verdict = if *layout == "relative" {
            compile_failing(rustc, &file, "rlib", &dir).and_then(|out| {
                crate::suites::ui::judge(
                    &file.display().to_string(),
                    &expect,
                    out.exit,
                    &out.stderr,
                )
            })
        } else {
            compile(rustc, &file, "rlib", &dir, "0", &[]).map(drop)
        };
        r.check(&format!("vtables/too_large/{layout}"), verdict);
    }
}

/// Mixed layouts fail at link time naming both sides; an LLVM rlib without
/// vtables links.
fn link_checks(r: &mut Reporter, c: &Compilers, out: &Path) {
    let Some((_, relative)) = c.layouts.iter().find(|(l, _)| *l == "relative") else {
        return;
    };
    let dir = out.join("link");
    let user = source("lib_user");
    let ours = "cannot link crate `lib_user`, compiled with relative vtables";
    // An rlib built with absolute vtables, used by a relative crate.
    let abs_dir = dir.join("absolute_rlib");
    let flag = [os("-Cllvm-args=vtables=absolute")];
    let result = compile(relative, &source("vt_lib"), "rlib", &abs_dir, "0", &flag)
        .and_then(|_| compile_failing(relative, &user, "bin", &abs_dir))
        .and_then(|out| {
            clean_error_with(&out, &[ours, "crate `vt_lib`: ", "has absolute vtables"])
        });
    r.check("vtables/link/absolute_rlib_in_relative_crate", result);
    // An LLVM-built rlib with vtables.
    let llvm_dir = dir.join("llvm_rlib");
    let llvm = &c.llvm_on_relative_sysroot;
    let result = compile(llvm, &source("vt_lib"), "rlib", &llvm_dir, "0", &[])
        .and_then(|_| compile_failing(relative, &user, "bin", &llvm_dir))
        .and_then(|out| {
            clean_error_with(
                &out,
                &[ours, "crate `vt_lib`: ", "compiled by another backend"],
            )
        });
    r.check("vtables/link/llvm_rlib_with_vtables", result);
    // An LLVM-built rlib without vtables links and runs.
    let plain_dir = dir.join("llvm_plain");
    let result = compile(llvm, &source("plain_lib"), "rlib", &plain_dir, "0", &[])
        .and_then(|_| compile(relative, &source("plain_user"), "bin", &plain_dir, "0", &[]))
        .and_then(|binary| run_stdout(Command::new(binary)))
        .and_then(|got| same_output("plain_lib: 42\n", &got));
    r.check("vtables/link/llvm_rlib_without_vtables", result);
    // A relative crate against the absolute std.
    if let Some(mixed) = &c.relative_on_absolute_sysroot {
        let result = compile_failing(mixed, &source("upcast"), "bin", &dir.join("mixed_std"))
            .and_then(|out| {
                clean_error_with(
                    &out,
                    &[
                        "cannot link crate `upcast`, compiled with relative vtables",
                        "crate `std`: ",
                        "has absolute vtables",
                    ],
                )
            });
        r.check("vtables/link/relative_crate_absolute_std", result);
    }
}

/// `example/std_example.rs` built against the absolute sysroot prints what
/// LLVM's build prints.
fn std_example_absolute(r: &mut Reporter, c: &Compilers, out: &Path) {
    let Some((_, absolute)) = c.layouts.iter().find(|(l, _)| *l == "absolute") else {
        return r.skip(
            "vtables/std_example_absolute",
            "the absolute sysroot did not build",
        );
    };
    let source = Path::new("example").join("std_example.rs");
    let result =
        compile(absolute, &source, "bin", &out.join("absolute"), "0", &[]).and_then(|binary| {
            let reference = compile(&c.llvm, &source, "bin", &out.join("llvm"), "0", &[])?;
            compare_one(
                &binary,
                &reference,
                crate::suites::std_example::ARGS,
                Stream::Stdout,
            )
        });
    r.check("vtables/std_example_absolute", result);
}

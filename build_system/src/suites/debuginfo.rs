//! Suite `debuginfo`: the DWARF of host programs. `tests/debuginfo/lines.rs`
//! is built by the backend with `-g` at `-Copt-level=0` and `2`; then
//! `llvm-dwarfdump --verify` must accept its object, each call on a line
//! marked `// @line NAME` (found in `llvm-objdump`'s disassembly of the
//! function that makes it) must symbolize with `llvm-symbolizer` to that
//! file and line inside the right function, every function of the program
//! must have its subprogram entry, and gdb must stop at a breakpoint set by
//! `file:line`. Built without `-g`, the program must carry no line table.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::bpf_objects::llvm_objdump;
use crate::process::{self, Output};
use crate::report::Reporter;
use crate::rustc::{self, Compile, CrateType, Rustc};
use crate::suites::Ctx;

const SUITE: &str = "debuginfo";

/// How long one tool run (dwarfdump, symbolizer, gdb) may take.
const TOOL_TIME_LIMIT: Duration = Duration::from_secs(60);

/// The program, relative to the root.
const SOURCE: &str = "tests/debuginfo/lines.rs";

/// Each marked call: marker name, the function making the call, the callee.
const CALLS: &[(&str, &str, &str)] = &[
    ("helper_call", "compute", "helper"),
    ("compute_call", "main", "compute"),
];

/// Functions whose `DW_TAG_subprogram` must be present, by `DW_AT_name`.
const FUNCTIONS: &[&str] = &["helper", "compute", "main"];

/// What the backend's compile units name as their producer.
const PRODUCER: &str = "rustc_codegen_bpf";

/// The marker line gdb sets its breakpoint on.
const BREAKPOINT: &str = "helper_call";

type TestResult = Result<(), (String, String)>;

pub fn run(ctx: &Ctx, r: &mut Reporter) {
    let source = Path::new(SOURCE);
    let text = match std::fs::read_to_string(ctx.dirs.root.join(source)) {
        Ok(text) => text,
        Err(e) => return r.fail(SUITE, format!("cannot read {SOURCE}: {e}"), ""),
    };
    let objdump = match llvm_objdump() {
        Ok(tool) => tool,
        Err(e) => return r.fail(SUITE, e, ""),
    };
    let backend = Rustc::backend(&ctx.dirs);
    for opt_level in ["0", "2"] {
        let prefix = format!("{SUITE}/opt{opt_level}");
        let out_dir = ctx.dirs.build.join(SUITE).join(format!("opt{opt_level}"));
        let mut compile = Compile::new(source, CrateType::Bin, &out_dir).opt_level(opt_level);
        compile.extra_args.push("-g".to_string());
        let binary = match build(&backend, &compile) {
            Ok(binary) => binary,
            Err((reason, details)) => {
                r.fail(&format!("{prefix}/compile"), reason, details);
                continue;
            }
        };
        r.pass(&format!("{prefix}/compile"));
        r.check(&format!("{prefix}/verify"), verify(&backend, &compile));
        for &(marker, caller, callee) in CALLS {
            r.check(
                &format!("{prefix}/line_{marker}"),
                call_line(
                    &ctx.dirs.root,
                    &objdump,
                    &binary,
                    &text,
                    marker,
                    caller,
                    callee,
                ),
            );
        }
        r.check(&format!("{prefix}/subprograms"), subprograms(&binary));
        match which("gdb") {
            Some(gdb) => r.check(
                &format!("{prefix}/gdb_breakpoint"),
                gdb_breakpoint(&ctx.dirs.root, &gdb, &binary, &text),
            ),
            None => r.skip(
                &format!("{prefix}/gdb_breakpoint"),
                "gdb is not installed (apt package `gdb`)",
            ),
        }
    }
    let out_dir = ctx.dirs.build.join(SUITE).join("nodebug");
    let compile = Compile::new(source, CrateType::Bin, &out_dir).opt_level("2");
    let name = format!("{SUITE}/without_g_no_line_table");
    match build(&backend, &compile) {
        Ok(binary) => r.check(&name, no_line_table(&binary)),
        Err((reason, details)) => r.fail(&name, reason, details),
    }
}

/// Compiles the program; returns the binary.
fn build(rustc: &Rustc, compile: &Compile) -> Result<PathBuf, (String, String)> {
    let out = compile.run(rustc).map_err(|e| (e, String::new()))?;
    if !out.exit.success() {
        return Err(rustc::compile_failure(rustc, compile, &out));
    }
    Ok(compile.output.clone())
}

/// Runs a tool, failing on a start error, a timeout or a non-zero exit.
fn tool(cmd: &mut Command) -> Result<Output, (String, String)> {
    let out = process::run_captured(cmd, TOOL_TIME_LIMIT).map_err(|e| (e, String::new()))?;
    if !out.exit.success() {
        return Err((
            format!(
                "{} failed ({})",
                cmd.get_program().to_string_lossy(),
                out.exit
            ),
            format!(
                "$ {}\n{}{}",
                process::describe(cmd),
                process::clip(&out.stdout, 30, 10),
                process::clip(&out.stderr, 30, 10)
            ),
        ));
    }
    Ok(out)
}

/// `llvm-dwarfdump --verify` accepts the DWARF of the program's object, as
/// the backend wrote it. (The linked binary is not checked this way:
/// the linker's tombstones for discarded functions, in the sysroot's
/// objects as in LLVM-built ones, make the verifier complain.)
fn verify(rustc: &Rustc, compile: &Compile) -> TestResult {
    let mut compile = compile.clone();
    compile.output = compile.output.with_extension("o");
    compile
        .extra_args
        .extend(["--emit=obj".to_string(), "-Ccodegen-units=1".to_string()]);
    let object = build(rustc, &compile)?;
    let out = tool(Command::new("llvm-dwarfdump").arg("--verify").arg(&object))?;
    if out.stdout.contains("No errors.") {
        Ok(())
    } else {
        Err((
            "llvm-dwarfdump --verify did not say `No errors.`".to_string(),
            process::clip(&out.stdout, 30, 10),
        ))
    }
}

/// The 1-based line ending in `// @line marker`.
fn marker_line(text: &str, marker: &str) -> Result<usize, (String, String)> {
    let tag = format!("// @line {marker}");
    text.lines()
        .position(|line| line.trim_end().ends_with(&tag))
        .map(|index| index + 1)
        .ok_or_else(|| (format!("{SOURCE} has no `{tag}` line"), String::new()))
}

/// The address of the first call from the function `caller` to `callee`
/// (Rust paths `lines::caller`, `lines::callee`) in the disassembly.
/// Symbols are matched by their mangled path, which both manglings spell
/// the same way.
fn call_address(disassembly: &str, caller: &str, callee: &str) -> Option<u64> {
    let caller = mangled_part("lines", caller);
    let callee = mangled_part("lines", callee);
    let mut in_caller = false;
    for line in disassembly.lines() {
        if line.ends_with(">:") {
            in_caller = line.contains(&caller);
            continue;
        }
        if in_caller && line.contains("call") && line.contains(&callee) {
            let address = line.trim_start().split(':').next()?;
            return u64::from_str_radix(address.trim(), 16).ok();
        }
    }
    None
}

/// The part of a mangled symbol of `krate::name` shared by the legacy and
/// v0 manglings: `5lines4main`.
fn mangled_part(krate: &str, name: &str) -> String {
    format!("{}{krate}{}{name}", krate.len(), name.len())
}

/// The call on the `marker` line, found in `caller`'s machine code,
/// symbolizes to that line of the source, inside `caller`.
fn call_line(
    root: &Path,
    objdump: &Path,
    binary: &Path,
    text: &str,
    marker: &str,
    caller: &str,
    callee: &str,
) -> TestResult {
    let line = marker_line(text, marker)?;
    let disassembly = tool(Command::new(objdump).arg("-d").arg(binary))?.stdout;
    let address = call_address(&disassembly, caller, callee).ok_or_else(|| {
        (
            format!("no call from `{caller}` to `{callee}` in the disassembly"),
            process::clip(&disassembly, 20, 0),
        )
    })?;
    let out = tool(
        Command::new("llvm-symbolizer")
            .arg("--obj")
            .arg(binary)
            .arg(format!("0x{address:x}")),
    )?;
    let mut lines = out.stdout.lines();
    let function = lines.next().unwrap_or_default();
    let location = lines.next().unwrap_or_default();
    let want_file = root.join(SOURCE);
    let want_location = format!("{}:{line}:", want_file.display());
    let want_function = format!("lines::{caller}");
    if function.starts_with(&want_function) && location.starts_with(&want_location) {
        Ok(())
    } else {
        Err((
            format!(
                "the call at 0x{address:x} symbolizes to `{function}` at `{location}`, want `{want_function}` at `{want_location}…`"
            ),
            out.stdout,
        ))
    }
}

/// The backend's compile unit names its producer, and every function of
/// the program has a subprogram entry with its name.
fn subprograms(binary: &Path) -> TestResult {
    let out = tool(
        Command::new("llvm-dwarfdump")
            .arg("--debug-info")
            .arg(binary),
    )?;
    if !out.stdout.contains(PRODUCER) {
        return Err((
            format!("no compile unit produced by `{PRODUCER}`"),
            process::clip(&out.stdout, 30, 10),
        ));
    }
    let missing: Vec<&str> = FUNCTIONS
        .iter()
        .copied()
        .filter(|name| {
            let value = format!("(\"{name}\")");
            !out.stdout
                .lines()
                .any(|line| line.contains("DW_AT_name") && line.trim_end().ends_with(&value))
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err((
            format!("no DW_TAG_subprogram named {}", missing.join(", ")),
            process::clip(&out.stdout, 40, 10),
        ))
    }
}

/// gdb, breaking at `lines.rs:LINE` of the marked call, stops there in
/// `compute`.
fn gdb_breakpoint(root: &Path, gdb: &Path, binary: &Path, text: &str) -> TestResult {
    let line = marker_line(text, BREAKPOINT)?;
    let file = Path::new(SOURCE)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let out = tool(
        Command::new(gdb)
            .current_dir(root)
            .args(["-nx", "-batch"])
            .args(["-ex", &format!("break {file}:{line}")])
            .args(["-ex", "run", "-ex", "bt 1", "-ex", "kill"])
            .arg(binary),
    )?;
    let stop = format!("{file}:{line}");
    let stopped = out
        .stdout
        .lines()
        .any(|l| l.contains(" compute (") && l.contains(&stop));
    if stopped {
        Ok(())
    } else {
        Err((
            format!("gdb did not stop in `compute` at {stop}"),
            format!("{}{}", out.stdout, out.stderr),
        ))
    }
}

/// Without `-g`, the backend writes no DWARF.
fn no_line_table(binary: &Path) -> TestResult {
    let out = tool(
        Command::new("llvm-dwarfdump")
            .arg("--debug-info")
            .arg(binary),
    )?;
    if out.stdout.contains(PRODUCER) {
        Err((
            "a compile unit of the backend is present without -g".to_string(),
            process::clip(&out.stdout, 30, 10),
        ))
    } else {
        Ok(())
    }
}

/// `program` on the PATH.
fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|path| path.is_file())
    })
}

//! `./y.sh run [FILE.rs]`: compiles an eBPF program with the backend
//! (default: the bundled XDP parser, `example/bpf/xdp_parser.rs`), shows a
//! disassembly summary, loads it into the running kernel and runs each of
//! its XDP and socket-filter programs on sample packets, printing what they
//! returned. Without the rights or bpffs to load it, it says why and stops
//! after the disassembly. A file using `mini_core` is a host program
//! instead: it is compiled against `mini_core` and run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::bpf_objects::{self, Disassembly, Target};
use crate::build;
use crate::paths::Dirs;
use crate::process;
use crate::rustc::{self, Compile, CrateType, Rustc};
use crate::suites::kernel::{self, cases};

/// The opt level `./y.sh run` builds eBPF programs at.
const OPT_LEVEL: &str = "2";
/// Runs per sample packet, for a steady time per run.
const REPEAT: u32 = 1000;

/// Returns the exit status to end with.
pub fn main(dirs: &Dirs, args: &[String]) -> Result<i32, String> {
    let (file, program_args) = match args.split_first() {
        Some((first, rest)) if first != "--" => (Some(resolve(dirs, first)?), rest),
        Some((_, rest)) => (None, rest),
        None => (None, &[][..]),
    };
    let program_args: Vec<&str> = program_args
        .iter()
        .map(String::as_str)
        .skip_while(|a| *a == "--")
        .collect();
    build::ensure_built(dirs)?;
    let rustc = Rustc::backend(dirs);
    let file = file.unwrap_or_else(|| bpf_objects::example_source(cases::DEFAULT_EXAMPLE));
    let source = std::fs::read_to_string(dirs.root.join(&file))
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    if source.contains("mini_core") {
        return run_host(dirs, &rustc, &file, &program_args);
    }
    run_bpf(dirs, &rustc, &file)
}

/// `file` relative to the root when it lies inside it (rustc prints the
/// path as given), else absolute.
fn resolve(dirs: &Dirs, file: &str) -> Result<PathBuf, String> {
    let path = std::fs::canonicalize(file).map_err(|e| format!("cannot open {file}: {e}"))?;
    Ok(dirs.relative(&path).to_path_buf())
}

/// Compiles, disassembles, loads and runs an eBPF program.
fn run_bpf(dirs: &Dirs, rustc: &Rustc, file: &Path) -> Result<i32, String> {
    let stem = file
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let object = dirs.build.join("run").join(format!("{stem}.o"));
    let out = bpf_objects::compile(rustc, file, Target::Bpfel, OPT_LEVEL, &object)
        .map_err(|(reason, details)| format!("{reason}\n{details}"))?;
    eprint!("{}", out.stderr);
    println!(
        "compiled {} for {} at -Copt-level={OPT_LEVEL} in {:.2} s: {}",
        file.display(),
        Target::Bpfel.triple(),
        out.elapsed.as_secs_f64(),
        dirs.relative(&object).display()
    );
    let objdump = bpf_objects::llvm_objdump()?;
    let disassembly = bpf_objects::disassemble(&objdump, &object, &[])
        .map_err(|(reason, details)| format!("{reason}\n{details}"))?;
    print_summary(&disassembly);
    println!(
        "full listing: {} -d {}",
        objdump.display(),
        dirs.relative(&object).display()
    );

    if let Some(why) = bpf_objects::kernel_unavailable() {
        print!("{}", disassembly.text);
        println!("not loading it into the kernel: {why}");
        return Ok(0);
    }
    let loaded = match bpf_objects::load(&object, &format!("run_{stem}")) {
        Ok(loaded) => loaded,
        Err((reason, log)) => {
            println!("the kernel refused the object: {reason}\n{log}");
            return Ok(1);
        }
    };
    println!("loaded and verified by the kernel");
    let example = cases::find(&stem);
    let mut mismatches = 0;
    for (section, name) in &disassembly.functions {
        let hook = if section.starts_with("xdp") {
            Hook::Xdp
        } else if section.starts_with("socket") {
            Hook::Socket
        } else {
            continue;
        };
        let prog = loaded.program(name)?;
        println!("\n{name} (section {section}):");
        for case in samples(example, hook) {
            let result = bpf_objects::run(&prog, &case.packet, REPEAT)?;
            let shown = match hook {
                Hook::Xdp => cases::xdp_action_name(result.retval),
                Hook::Socket => format!("keep {} bytes", result.retval),
            };
            let mut line = format!(
                "  {:<28} {shown:<14} {:>6} ns",
                case.name, result.duration_ns
            );
            if let Some(example) = example.filter(|e| e.entry == name.as_str()) {
                let outcome = kernel::check_case(example, &case, result.retval, &result.data_out);
                if outcome != crate::report::Outcome::Passed {
                    mismatches += 1;
                    line.push_str("   <- not what the example documents");
                }
            }
            println!("{line}");
        }
    }
    Ok(if mismatches == 0 { 0 } else { 1 })
}

/// What kind of context a program takes.
#[derive(Clone, Copy)]
enum Hook {
    Xdp,
    Socket,
}

/// The packets to show a program: a bundled example's own cases (for the
/// parser only the few of `RUN_SAMPLES`), else the parser's samples.
fn samples(example: Option<&cases::Example>, hook: Hook) -> Vec<cases::Case> {
    let parser_samples = || {
        cases::parser_cases()
            .into_iter()
            .filter(|c| cases::RUN_SAMPLES.contains(&c.name.as_str()))
            .collect()
    };
    match (example, hook) {
        (Some(example), _) if example.name == cases::DEFAULT_EXAMPLE => parser_samples(),
        (Some(example), _) => (example.cases)(),
        (None, Hook::Xdp) => parser_samples(),
        (None, Hook::Socket) => cases::socket_filter_cases(),
    }
}

fn print_summary(disassembly: &Disassembly) {
    println!("disassembly:");
    for (section, count) in &disassembly.sections {
        let names: Vec<&str> = disassembly
            .functions
            .iter()
            .filter(|(s, _)| s == section)
            .map(|(_, name)| name.as_str())
            .collect();
        println!(
            "  section {section:<12} {count:>5} instructions  {}",
            names.join(", ")
        );
    }
}

/// Compiles a `mini_core` program for the host and runs it with `args`;
/// returns its exit status.
fn run_host(dirs: &Dirs, rustc: &Rustc, file: &Path, args: &[&str]) -> Result<i32, String> {
    let mini_core = rustc::build_mini_core(rustc, &dirs.build.join(rustc.label))
        .map_err(|(reason, details)| format!("{reason}\n{details}"))?;
    let compile = Compile::new(file, CrateType::Bin, &dirs.build.join("run"))
        .extern_crate("mini_core", &mini_core);
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
    eprintln!("run: $ {}", dirs.relative(&compile.output).display());
    let exit = process::run_inherited(Command::new(&compile.output).args(args))?;
    if !exit.success() {
        eprintln!("run: the program ended with {exit}");
    }
    Ok(exit.shell_code())
}

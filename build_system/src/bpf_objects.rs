//! eBPF objects from `example/bpf/`: compiling one with the backend,
//! disassembling it with the toolchain's llvm-objdump, finding out whether
//! the running kernel can take it, and running its programs (loaded through
//! `bpf_pin`) with BPF_PROG_TEST_RUN.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::bpf_pin::{self, Pinned};
use crate::bpf_sys::{Prog, RunResult};
use crate::paths::{self, Dirs};
use crate::process::{self, Output};
use crate::rustc::{self, Rustc};

/// The opt levels every example is built at.
pub const OPT_LEVELS: [&str; 6] = ["0", "1", "2", "3", "s", "z"];

/// How long a bpftool or llvm-objdump run may take.
const TOOL_TIME_LIMIT: Duration = Duration::from_secs(120);
/// Where bpffs is expected.
const BPFFS: &str = "/sys/fs/bpf";
const EM_BPF: u16 = 247;

/// The two eBPF targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Bpfel,
    Bpfeb,
}

impl Target {
    pub fn triple(self) -> &'static str {
        match self {
            Target::Bpfel => "bpfel-unknown-none",
            Target::Bpfeb => "bpfeb-unknown-none",
        }
    }

    /// `EI_DATA` of its objects: 1 little-endian, 2 big-endian.
    fn elf_data(self) -> u8 {
        match self {
            Target::Bpfel => 1,
            Target::Bpfeb => 2,
        }
    }
}

/// The source of the example `name`, relative to the root.
pub fn example_source(name: &str) -> PathBuf {
    Path::new("example").join("bpf").join(format!("{name}.rs"))
}

/// Where the object of `source` at `opt_level` goes:
/// `build/kernel/<name>-O<N>.o`, big-endian ones under `bpfeb/`.
pub fn object_path(dirs: &Dirs, source: &Path, target: Target, opt_level: &str) -> PathBuf {
    let stem = source.file_stem().unwrap_or_default().to_string_lossy();
    let dir = match target {
        Target::Bpfel => dirs.build.join("kernel"),
        Target::Bpfeb => dirs.build.join("kernel").join("bpfeb"),
    };
    dir.join(format!("{stem}-O{opt_level}.o"))
}

/// Compiles `source` (relative to the root) with the backend into
/// `output`; `Err((reason, details))` unless it produced an eBPF ELF
/// relocatable object of the target's byte order.
pub fn compile(
    rustc: &Rustc,
    source: &Path,
    target: Target,
    opt_level: &str,
    output: &Path,
) -> Result<Output, (String, String)> {
    compile_with_args(rustc, source, target, opt_level, output, &[])
}

/// [`compile`] with `extra_args` (e.g. `--cfg`) added to the command line.
pub fn compile_with_args(
    rustc: &Rustc,
    source: &Path,
    target: Target,
    opt_level: &str,
    output: &Path,
    extra_args: &[String],
) -> Result<Output, (String, String)> {
    if let Some(dir) = output.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            (
                format!("cannot create {}: {e}", dir.display()),
                String::new(),
            )
        })?;
    }
    let _ = std::fs::remove_file(output);
    let mut cmd = rustc.command();
    cmd.args(["--edition", "2024", "--target", target.triple()])
        .arg(format!("-Copt-level={opt_level}"))
        .args(["--crate-type", "bin", "-o"])
        .arg(output)
        .arg(source)
        .args(extra_args);
    let out = process::run_captured(&mut cmd, rustc::COMPILE_TIME_LIMIT)
        .map_err(|e| (e, String::new()))?;
    let details = || {
        format!(
            "$ {}\n{}",
            process::describe(&cmd),
            process::clip(&out.stderr, 60, 20)
        )
    };
    if !out.exit.success() {
        let mut reason = format!("compiling {} failed ({})", source.display(), out.exit);
        if rustc::is_ice(&out.stderr) {
            reason.push_str(": the compiler crashed");
        }
        return Err((reason, details()));
    }
    let bytes = std::fs::read(output)
        .map_err(|e| (format!("no object {}: {e}", output.display()), details()))?;
    check_elf(&bytes, target).map_err(|why| (format!("{}: {why}", output.display()), details()))?;
    Ok(out)
}

/// Checks the ELF header: 64-bit, `target`'s byte order, ET_REL, EM_BPF.
fn check_elf(bytes: &[u8], target: Target) -> Result<(), String> {
    if bytes.len() < 64 || &bytes[..4] != b"\x7fELF" {
        return Err("not an ELF file".to_string());
    }
    if bytes[4] != 2 {
        return Err(format!("ELF class {} (want 2, 64-bit)", bytes[4]));
    }
    if bytes[5] != target.elf_data() {
        return Err(format!(
            "ELF data encoding {} (want {} for {})",
            bytes[5],
            target.elf_data(),
            target.triple()
        ));
    }
    let half = |at: usize| {
        let pair = [bytes[at], bytes[at + 1]];
        match target {
            Target::Bpfel => u16::from_le_bytes(pair),
            Target::Bpfeb => u16::from_be_bytes(pair),
        }
    };
    let (e_type, e_machine) = (half(16), half(18));
    if e_type != 1 {
        return Err(format!("ELF type {e_type} (want 1, ET_REL)"));
    }
    if e_machine != EM_BPF {
        return Err(format!("ELF machine {e_machine} (want {EM_BPF}, EM_BPF)"));
    }
    Ok(())
}

/// The toolchain's bundled `llvm-objdump` (Debian's is too old to read
/// current BPF objects).
pub fn llvm_objdump() -> Result<PathBuf, String> {
    let tool = paths::toolchain_sysroot()?
        .join("lib/rustlib")
        .join(paths::HOST_TARGET)
        .join("bin/llvm-objdump");
    if tool.is_file() {
        Ok(tool)
    } else {
        Err(format!(
            "{} is missing (rustup component add llvm-tools)",
            tool.display()
        ))
    }
}

/// What the disassembly of an object shows: the listing, its code
/// sections with their instruction counts, and its functions as
/// (section, name).
pub struct Disassembly {
    pub text: String,
    pub sections: Vec<(String, usize)>,
    pub functions: Vec<(String, String)>,
}

/// `llvm-objdump -d object`; `entries` must each show up as a function.
pub fn disassemble(
    objdump: &Path,
    object: &Path,
    entries: &[&str],
) -> Result<Disassembly, (String, String)> {
    let mut cmd = Command::new(objdump);
    cmd.arg("-d").arg(object);
    let out = process::run_captured(&mut cmd, TOOL_TIME_LIMIT).map_err(|e| (e, String::new()))?;
    let details = || {
        format!(
            "$ {}\n{}",
            process::describe(&cmd),
            process::clip(&out.stderr, 30, 10)
        )
    };
    if !out.exit.success() || out.stderr.contains("error:") {
        return Err((format!("llvm-objdump failed ({})", out.exit), details()));
    }
    let missing: Vec<&str> = entries
        .iter()
        .copied()
        .filter(|entry| !out.stdout.contains(&format!("<{entry}>:")))
        .collect();
    if !missing.is_empty() {
        return Err((
            format!("the disassembly has no function {}", missing.join(", ")),
            process::clip(&out.stdout, 30, 10),
        ));
    }
    let mut sections: Vec<(String, usize)> = Vec::new();
    let mut functions = Vec::new();
    for line in out.stdout.lines() {
        if let Some(name) = line
            .strip_prefix("Disassembly of section ")
            .and_then(|rest| rest.strip_suffix(':'))
        {
            sections.push((name.to_string(), 0));
        } else if let Some((section, count)) = sections.last_mut() {
            if is_instruction_line(line) {
                *count += 1;
            } else if let Some(name) = function_label(line) {
                functions.push((section.clone(), name.to_string()));
            }
        }
    }
    Ok(Disassembly {
        text: out.stdout,
        sections,
        functions,
    })
}

/// `     12:\t61 12 ...`: an instruction (the second slot of a 16-byte
/// `ld_imm64` is a line of its own and counts as one, as the kernel does).
fn is_instruction_line(line: &str) -> bool {
    let trimmed = line.trim_start();
    match trimmed.split_once(':') {
        Some((index, rest)) => {
            !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()) && rest.starts_with('\t')
        }
        None => false,
    }
}

/// `0000000000000000 <name>:` starts the function `name`.
fn function_label(line: &str) -> Option<&str> {
    let (address, rest) = line.split_once(' ')?;
    if address.is_empty() || !address.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    rest.strip_prefix('<')?.strip_suffix(">:")
}

/// Why kernel tests cannot run here, if they cannot: no CAP_BPF or
/// CAP_SYS_ADMIN, no bpffs at /sys/fs/bpf, or no bpftool.
pub fn kernel_unavailable() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let caps = status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .unwrap_or(0);
    const CAP_SYS_ADMIN: u64 = 1 << 21;
    const CAP_BPF: u64 = 1 << 39;
    if caps & (CAP_BPF | CAP_SYS_ADMIN) == 0 {
        return Some("not root (neither CAP_BPF nor CAP_SYS_ADMIN)".to_string());
    }
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    let bpffs = mounts.lines().any(|l| {
        let fields: Vec<&str> = l.split_whitespace().collect();
        fields.len() > 2 && fields[1] == BPFFS && fields[2] == "bpf"
    });
    if !bpffs {
        return Some(format!(
            "no bpffs mounted at {BPFFS} (mount -t bpf bpf {BPFFS})"
        ));
    }
    match process::run_captured(Command::new("bpftool").arg("version"), TOOL_TIME_LIMIT) {
        Ok(out) if out.exit.success() => None,
        Ok(out) => Some(format!("bpftool version failed ({})", out.exit)),
        Err(e) => Some(format!("no bpftool: {e}")),
    }
}

/// Loads `object` with `bpftool prog loadall`, pinned under a directory
/// unique to this process and `label` (removed when the result is dropped).
pub fn load(object: &Path, label: &str) -> Result<Pinned, (String, String)> {
    Pinned::load_all(object, bpf_pin::pin_dir(label))
}

/// Runs `prog` on `packet` `repeat` times (the kernel reports the mean
/// time); the output buffer has room for the packet to grow.
pub fn run(prog: &Prog, packet: &[u8], repeat: u32) -> Result<RunResult, String> {
    prog.test_run(packet, packet.len() + 256, repeat)
}

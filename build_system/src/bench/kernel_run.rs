//! The kernel's figures of one object: load it (the verifier checks it),
//! read `bpf_prog_info` (verified instructions, translated and JIT-ed
//! sizes), the per-function stack depths from the verifier's statistics,
//! and time the program with BPF_PROG_TEST_RUN.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::bpf_objects;
use crate::bpf_pin::{self, Pinned};
use crate::bpf_sys::{Prog, ProgInfo};
use crate::process;
use crate::suites::kernel::cases::Case;

/// A verifier log of a large program takes a while to print.
const LOG_TIME_LIMIT: Duration = Duration::from_secs(300);

/// A loaded program, pinned until dropped.
pub struct Loaded {
    _pinned: Pinned,
    prog: Prog,
    pub info: ProgInfo,
    /// Stack bytes of the program and each subprogram, or why unknown.
    pub stack_depth: Result<Vec<u32>, String>,
}

/// Loads `object` and opens its program `entry`; `label` makes the pin
/// directory unique.
pub fn load(object: &Path, entry: &str, label: &str) -> Result<Loaded, String> {
    let pinned = bpf_objects::load(object, label)
        .map_err(|(reason, log)| format!("{reason}: {}", verifier_reason(&log)))?;
    let prog = pinned.program(entry)?;
    let info = prog.info()?;
    Ok(Loaded {
        _pinned: pinned,
        prog,
        info,
        stack_depth: stack_depth(object, entry, label),
    })
}

/// The line of a failed load's log that says why: the verifier's last
/// message before its statistics, or else libbpf's last error line.
pub fn verifier_reason(log: &str) -> &str {
    let lines: Vec<&str> = log.lines().map(str::trim).collect();
    let is_stats = |l: &&str| {
        l.is_empty()
            || l.starts_with("verification time")
            || l.starts_with("stack depth")
            || l.starts_with("processed ")
    };
    if let Some(at) = lines.iter().rposition(|l| l.starts_with("processed "))
        && let Some(line) = lines[..at].iter().rev().find(|l| !is_stats(l))
    {
        return line;
    }
    lines
        .iter()
        .rev()
        .find(|l| l.starts_with("libbpf:") && (l.contains("fail") || l.contains("error")))
        .or(lines.iter().rev().find(|l| !l.is_empty()))
        .unwrap_or(&"")
}

/// The verifier's `stack depth A+B+...` line for `entry`: bpftool's `-d`
/// loads with the statistics log level and libbpf prints the log.
fn stack_depth(object: &Path, entry: &str, label: &str) -> Result<Vec<u32>, String> {
    let dir = bpf_pin::pin_dir(&format!("{label}_log"));
    let _ = std::fs::remove_dir_all(&dir);
    let mut cmd = Command::new("bpftool");
    cmd.args(["-d", "prog", "loadall"]).arg(object).arg(&dir);
    let out = process::run_captured(&mut cmd, LOG_TIME_LIMIT);
    let _ = std::fs::remove_dir_all(&dir);
    let out = out?;
    parse_stack_depth(&out.stderr, entry).ok_or_else(|| {
        format!(
            "no `stack depth` line for {entry} in the verifier log ({})",
            out.exit
        )
    })
}

/// Finds `stack depth 24+128` inside the load log libbpf prints for
/// program `entry` and returns its numbers.
pub fn parse_stack_depth(log: &str, entry: &str) -> Option<Vec<u32>> {
    let begin = format!("prog '{entry}': -- BEGIN PROG LOAD LOG --");
    let start = log.find(&begin)? + begin.len();
    let block = &log[start..];
    let block = &block[..block.find("-- END PROG LOAD LOG --").unwrap_or(block.len())];
    let line = block
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("stack depth "))?;
    line.trim().split('+').map(|n| n.parse().ok()).collect()
}

impl Loaded {
    /// One run on each case's packet: `Err` names the first that does not
    /// get the verdict the kernel suite expects.
    pub fn check(&self, cases: &[Case]) -> Result<(), String> {
        for case in cases {
            let result = bpf_objects::run(&self.prog, &case.packet, 1)?;
            if result.retval != case.retval {
                return Err(format!(
                    "returned {} on `{}`, expected {}",
                    result.retval, case.name, case.retval
                ));
            }
        }
        Ok(())
    }

    /// Nanoseconds per run over `repeat` runs on `packet`, as the kernel
    /// measures them.
    pub fn time(&self, packet: &[u8], repeat: u32) -> Result<f64, String> {
        Ok(f64::from(
            bpf_objects::run(&self.prog, packet, repeat)?.duration_ns,
        ))
    }
}

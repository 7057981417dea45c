//! The host reference: `example/bpf/differential/host_main.rs` built by
//! rustc with LLVM. It lists the function table (`--list`) and answers
//! packets on stdin exactly as the eBPF programs answer them in the kernel.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::inputs::Width;
use crate::process;

/// A group of functions, compiled into one eBPF program.
pub struct Group {
    /// The group byte of its packets.
    pub index: u8,
    pub name: String,
    pub width: Width,
    /// Function names; a function's op byte is its index here.
    pub ops: Vec<String>,
}

impl Group {
    /// The XDP program's name (and pin name) in the group's object.
    pub fn program(&self) -> String {
        format!("diff_{}", self.name)
    }
}

/// The function table, from `host --list`.
pub fn list(host: &Path) -> Result<Vec<Group>, String> {
    let out = process::run_captured(Command::new(host).arg("--list"), Duration::from_secs(30))?;
    if !out.exit.success() {
        return Err(format!(
            "{} --list failed ({}): {}",
            host.display(),
            out.exit,
            out.stderr.trim()
        ));
    }
    parse_list(&out.stdout)
}

/// Parses lines `GROUP_INDEX GROUP_NAME BITS signed|unsigned OP_INDEX OP_NAME`.
fn parse_list(text: &str) -> Result<Vec<Group>, String> {
    let mut groups: Vec<Group> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let bad = || format!("host --list, line {}: cannot read `{line}`", n + 1);
        let words: Vec<&str> = line.split_whitespace().collect();
        let [index, name, bits, sign, op, op_name] = words[..] else {
            return Err(bad());
        };
        let index: u8 = index.parse().map_err(|_| bad())?;
        // Ops are numbered by one byte of the packet.
        let op: u8 = op.parse().map_err(|_| bad())?;
        let width = Width {
            bits: bits
                .parse()
                .ok()
                .filter(|b| (1..=128).contains(b))
                .ok_or_else(bad)?,
            signed: sign == "signed",
        };
        if groups.last().is_none_or(|g| g.index != index) {
            groups.push(Group {
                index,
                name: name.to_string(),
                width,
                ops: Vec::new(),
            });
        }
        let group = groups.last_mut().expect("pushed above");
        if usize::from(op) != group.ops.len() || name != group.name {
            return Err(bad());
        }
        group.ops.push(op_name.to_string());
    }
    if groups.is_empty() {
        return Err("host --list printed no functions".to_string());
    }
    Ok(groups)
}

/// The host's answers to `packets`, in the same order.
pub fn answer(host: &Path, packets: &[u8]) -> Result<Vec<u8>, String> {
    let what = host.display();
    let mut child = Command::new(host)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {what}: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped");
    let mut stdout = child.stdout.take().expect("piped");
    let mut answers = Vec::with_capacity(packets.len());
    std::thread::scope(|s| {
        // Writing on a thread: the host answers while it reads.
        s.spawn(move || stdin.write_all(packets));
        stdout.read_to_end(&mut answers)
    })
    .map_err(|e| format!("reading {what}'s answers: {e}"))?;
    let out = child
        .wait_with_output()
        .map_err(|e| format!("waiting for {what}: {e}"))?;
    if !out.status.success() || answers.len() != packets.len() {
        return Err(format!(
            "{what} failed ({}, {} of {} bytes answered): {}",
            process::Exit::from_status(out.status),
            answers.len(),
            packets.len(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(answers)
}

//! The machine and tool versions a bench run was made on, for the report.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::paths;
use crate::process;

/// The first line a tool prints for `args`, or why not.
fn tool_line(program: &Path, args: &[&str]) -> String {
    let mut cmd = Command::new(program);
    cmd.args(args);
    match process::run_captured(&mut cmd, Duration::from_secs(60)) {
        Ok(out) if out.exit.success() => out.stdout.lines().next().unwrap_or("").trim().to_string(),
        Ok(out) => format!("unavailable ({})", out.exit),
        Err(e) => format!("unavailable ({e})"),
    }
}

/// (key, value) pairs: CPU, cores, kernel, date and the tools' versions.
pub fn describe(bpf_linker: Option<&Path>) -> Vec<(&'static str, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown".to_string(), |(_, model)| model.trim().to_string());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map_or("unknown".to_string(), |k| k.trim().to_string());
    let toolchain = paths::toolchain_arg();
    vec![
        ("cpu", cpu),
        ("cores", cores.to_string()),
        ("kernel", kernel),
        (
            "date",
            tool_line(Path::new("date"), &["-u", "+%Y-%m-%d %H:%M UTC"]),
        ),
        ("rustc", tool_line(Path::new("rustc"), &[&toolchain, "-V"])),
        (
            "bpf-linker",
            bpf_linker.map_or("not installed".to_string(), |l| {
                tool_line(l, &["--version"])
            }),
        ),
        ("bpftool", tool_line(Path::new("bpftool"), &["version"])),
        ("clang", tool_line(Path::new("clang"), &["--version"])),
    ]
}

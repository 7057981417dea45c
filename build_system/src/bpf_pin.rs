//! Loading eBPF objects into the running kernel: `bpftool prog loadall`
//! verifies every program of an object and pins it under `/sys/fs/bpf`,
//! where `bpf_sys::Prog::open_pinned` picks it up. The pins of a
//! [`Pinned`] are removed when it is dropped, also when a test fails or
//! panics half-way.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::bpf_sys::Prog;
use crate::process;

/// How long one `bpftool` invocation may take (verifying big programs is
/// slow, but not this slow).
const BPFTOOL_TIME_LIMIT: Duration = Duration::from_secs(120);

/// The bpffs mount the pins go to.
const BPFFS: &str = "/sys/fs/bpf";

/// A pin directory unique to this process: `/sys/fs/bpf/rcgb_<tag>_<pid>`.
pub fn pin_dir(tag: &str) -> PathBuf {
    Path::new(BPFFS).join(format!("rcgb_{tag}_{}", std::process::id()))
}

/// The programs of one object, loaded and pinned in one directory.
pub struct Pinned {
    dir: PathBuf,
}

impl Pinned {
    /// Loads every program of `object` and pins it as `dir/<program name>`.
    /// On failure, returns a one-line reason and the verifier's log.
    pub fn load_all(object: &Path, dir: PathBuf) -> Result<Pinned, (String, String)> {
        let pinned = Pinned { dir };
        // Leftovers of an earlier run of a process with the same pid.
        pinned.remove();
        let loadall = |debug: bool| {
            let mut cmd = Command::new("bpftool");
            if debug {
                cmd.arg("-d");
            }
            cmd.args(["prog", "loadall"]).arg(object).arg(&pinned.dir);
            process::run_captured(&mut cmd, BPFTOOL_TIME_LIMIT).map_err(|e| (e, String::new()))
        };
        let out = loadall(false)?;
        if out.exit.success() {
            return Ok(pinned);
        }
        // Only libbpf's debug output carries the whole verifier log.
        let debug = loadall(true)?;
        pinned.remove();
        let reason = format!(
            "bpftool prog loadall {} failed ({})",
            object.display(),
            out.exit
        );
        Err((reason, verifier_log(&debug.stderr)))
    }

    /// Opens the pinned program `name`.
    pub fn program(&self, name: &str) -> Result<Prog, String> {
        Prog::open_pinned(&self.dir.join(name))
    }

    fn remove(&self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Pinned {
    fn drop(&mut self) {
        self.remove();
    }
}

/// The verifier's verdict from bpftool's debug output: the lines that tell
/// why (its last ones) and libbpf's own error lines, clipped.
fn verifier_log(stderr: &str) -> String {
    let useful: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("libbpf: elf: skipping"))
        .filter(|l| !l.starts_with("mark_precise:"))
        .collect();
    process::clip(&useful.join("\n"), 20, 40)
}

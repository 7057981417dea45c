//! Running child processes: capture their output under a time limit, describe
//! how they ended (exit code or signal), and show where two outputs differ.

use std::fmt;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How a process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    /// Killed by us after the time limit.
    TimedOut,
}

impl Exit {
    pub fn from_status(status: ExitStatus) -> Exit {
        match (status.code(), status.signal()) {
            (Some(code), _) => Exit::Code(code),
            (None, Some(signal)) => Exit::Signal(signal),
            (None, None) => Exit::Code(-1),
        }
    }

    pub fn success(self) -> bool {
        self == Exit::Code(0)
    }

    /// The status a shell would report: the code, or 128 + signal.
    pub fn shell_code(self) -> i32 {
        match self {
            Exit::Code(code) => code,
            Exit::Signal(signal) => 128 + signal,
            Exit::TimedOut => 124,
        }
    }
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Exit::Code(code) => write!(f, "exit code {code}"),
            Exit::Signal(signal) => write!(f, "signal {signal} ({})", signal_name(signal)),
            Exit::TimedOut => write!(f, "timed out"),
        }
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => "?",
    }
}

/// The captured result of one process run.
#[derive(Debug)]
pub struct Output {
    pub exit: Exit,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// Runs `cmd` with no stdin, capturing stdout and stderr, and kills it if it
/// takes longer than `limit`. `Err` only when it could not be started.
pub fn run_captured(cmd: &mut Command, limit: Duration) -> Result<Output, String> {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", describe(cmd)))?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let exit = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Exit::from_status(status),
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                break Exit::TimedOut;
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for {}: {e}", describe(cmd))),
        }
    };
    let elapsed = start.elapsed();
    Ok(Output {
        exit,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        elapsed,
    })
}

/// Reads a pipe to its end on a thread, so that neither pipe can fill up and
/// stall the child.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Runs `cmd` with the terminal's stdout/stderr (for long builds the user
/// watches) and returns how it ended.
pub fn run_inherited(cmd: &mut Command) -> Result<Exit, String> {
    cmd.status()
        .map(Exit::from_status)
        .map_err(|e| format!("cannot start {}: {e}", describe(cmd)))
}

/// A shell-like rendering of a command line, for messages.
pub fn describe(cmd: &Command) -> String {
    let mut words = vec![cmd.get_program().to_string_lossy().into_owned()];
    words.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

/// A short unified-style diff of `expected` (labelled `left`) and `actual`
/// (labelled `right`): the region starting at the first differing line,
/// with one line of context and at most `max_lines` changed lines per side.
/// Returns `None` when the texts are equal.
pub fn short_diff(
    left: &str,
    expected: &str,
    right: &str,
    actual: &str,
    max_lines: usize,
) -> Option<String> {
    if expected == actual {
        return None;
    }
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let first = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = format!("--- {left}\n+++ {right}\n@@ line {} @@\n", first + 1);
    if first > 0 {
        out.push_str(&format!(" {}\n", a[first - 1]));
    }
    for (sign, lines) in [('-', &a), ('+', &b)] {
        let rest = &lines[first.min(lines.len())..];
        for line in rest.iter().take(max_lines) {
            out.push_str(&format!("{sign}{line}\n"));
        }
        if rest.len() > max_lines {
            out.push_str(&format!(
                "{sign}... ({} more lines)\n",
                rest.len() - max_lines
            ));
        }
    }
    if a.len() == b.len() && a == b {
        // Same lines, so the difference is only in the final newline.
        out.push_str("(the texts differ only in a trailing newline)\n");
    }
    Some(out)
}

/// At most `head + tail` lines of `text`, eliding the middle.
pub fn clip(text: &str, head: usize, tail: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= head + tail {
        return text.trim_end().to_string();
    }
    let mut out = lines[..head].join("\n");
    out.push_str(&format!(
        "\n... ({} lines omitted) ...\n",
        lines.len() - head - tail
    ));
    out.push_str(&lines[lines.len() - tail..].join("\n"));
    out
}

//! What the program-type examples share: `COUNTS[i]` counts the runs of
//! program `i` and `SEEN[i]` keeps the last value it saw, and tracing
//! programs look only at the process whose tgid the loader sets in
//! `TARGET_TGID` (`.rodata`).
#![allow(dead_code)] // each program uses its own part

use crate::maps::{Array, KeyValueMap};

#[unsafe(no_mangle)]
#[unsafe(link_section = ".maps")]
static COUNTS: Array<u64, 8> = Array::new();

#[unsafe(no_mangle)]
#[unsafe(link_section = ".maps")]
static SEEN: Array<u64, 8> = Array::new();

/// The process under test; 0 (no process) unless the loader sets it.
#[unsafe(no_mangle)]
static TARGET_TGID: u32 = 0;

/// getppid(2) on x86-64, the call the tracing programs watch.
pub const SYS_GETPPID: u64 = 110;

const BPF_FUNC_GET_CURRENT_PID_TGID: usize = 14;

/// `COUNTS[program] += 1; SEEN[program] = seen`.
pub fn record(program: u32, seen: u64) {
    if let Some(count) = COUNTS.get(&program) {
        *count += 1;
    }
    if let Some(slot) = SEEN.get(&program) {
        *slot = seen;
    }
}

/// Whether the running task belongs to the process under test.
pub fn in_target() -> bool {
    let pid_tgid: unsafe extern "C" fn() -> u64 =
        unsafe { core::mem::transmute(BPF_FUNC_GET_CURRENT_PID_TGID) };
    let tgid = (unsafe { pid_tgid() } >> 32) as u32;
    tgid == unsafe { core::ptr::read_volatile(&TARGET_TGID) }
}

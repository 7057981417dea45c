//! One program of each common type besides XDP, recording what they see
//! in the arrays of `shared/trace.rs` (`COUNTS[i]`, `SEEN[i]` for program
//! `i`). The tracing programs count only calls of getppid(2) made by the
//! process whose tgid the loader sets in `TARGET_TGID` (`.rodata`).
//! - 0 `tc_len` (tc classifier): `SEEN[0] = skb->len`; TC_ACT_OK (0) for
//!   packets of at least 64 bytes, TC_ACT_SHOT (2) for shorter ones;
//! - 1 `socket_len` (socket filter): `SEEN[1] = skb->len`; keeps at most
//!   20 bytes (its return value);
//! - 2 `raw_tp_sum` (raw tracepoint `sys_enter`): `SEEN[2] = id`,
//!   returns `regs + id` (low 32 bits);
//! - 3 `tp_btf_getppid` (BTF tracepoint `sys_enter`): `SEEN[3]` = the
//!   syscall number;
//! - 4 is `fentry_getppid` of `fentry_prog.rs`, an object of its own so
//!   that a kernel without BPF trampolines still loads this one;
//! - 5 `tracepoint_getppid` (`syscalls/sys_enter_getppid`): `SEEN[5]` =
//!   the tracepoint's `__syscall_nr`;
//! - 6 `kprobe_getppid` (kprobe on `__x64_sys_getppid`);
//! - 7 `uprobe_count` (a uprobe, also BPF_PROG_TYPE_KPROBE): counts the
//!   calls of the user function it is attached to.

#![no_std]
#![no_main]

#[path = "shared/maps.rs"]
mod maps;
#[path = "shared/program.rs"]
mod program;
#[path = "shared/trace.rs"]
mod trace;

use trace::{SYS_GETPPID, in_target, record};

const TC_ACT_OK: u32 = 0;
const TC_ACT_SHOT: u32 = 2;

/// The leading field of `struct __sk_buff`.
#[repr(C)]
pub struct SkBuff {
    pub len: u32,
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "classifier")]
pub extern "C" fn tc_len(skb: *mut SkBuff) -> u32 {
    let len = unsafe { (*skb).len };
    record(0, u64::from(len));
    if len >= 64 { TC_ACT_OK } else { TC_ACT_SHOT }
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "socket")]
pub extern "C" fn socket_len(skb: *mut SkBuff) -> u32 {
    let len = unsafe { (*skb).len };
    record(1, u64::from(len));
    len.min(20)
}

/// The arguments of the `sys_enter` tracepoint, each widened to 64 bits:
/// `struct pt_regs *regs, long id`.
#[repr(C)]
pub struct SysEnterArgs {
    pub regs: u64,
    pub id: u64,
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "raw_tp/sys_enter")]
pub extern "C" fn raw_tp_sum(args: *const SysEnterArgs) -> u32 {
    let (regs, id) = unsafe { ((*args).regs, (*args).id) };
    record(2, id);
    regs.wrapping_add(id) as u32
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "tp_btf/sys_enter")]
pub extern "C" fn tp_btf_getppid(args: *const SysEnterArgs) -> u32 {
    let id = unsafe { (*args).id };
    if id == SYS_GETPPID && in_target() {
        record(3, id);
    }
    0
}

/// The fields of `syscalls/sys_enter_getppid` (its tracefs `format`).
#[repr(C)]
pub struct SysEnter {
    pub common: u64,
    pub syscall_nr: i32,
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "tracepoint/syscalls/sys_enter_getppid")]
pub extern "C" fn tracepoint_getppid(ctx: *const SysEnter) -> u32 {
    if in_target() {
        let nr = unsafe { (*ctx).syscall_nr };
        record(5, nr as u64);
    }
    0
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "kprobe/__x64_sys_getppid")]
pub extern "C" fn kprobe_getppid(_regs: *const u64) -> u32 {
    if in_target() {
        record(6, 0);
    }
    0
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "uprobe")]
pub extern "C" fn uprobe_count(_regs: *const u64) -> u32 {
    if in_target() {
        record(7, 0);
    }
    0
}

//! CO-RE loaded by aya against the running kernel's BTF: a tracepoint on
//! `getppid` entry reads the calling task's `tgid` and `pid` through the
//! relocatable `task_struct` (`core_read!`) and stores them, with
//! `bpf_get_current_pid_tgid()`, in `SEEN[0..3]`, for the process whose
//! tgid the loader puts in `TARGET_TGID` only.

#![no_std]
#![no_main]
#![allow(non_camel_case_types)]

#[path = "../../example/bpf/shared/maps.rs"]
mod maps;
#[path = "../../example/bpf/shared/program.rs"]
mod program;

use maps::{Array, KeyValueMap};

/// Deliberately partial and out of the kernel's order.
#[btf::relocatable]
pub struct task_struct {
    pub tgid: i32,
    pub pid: i32,
}

#[unsafe(no_mangle)]
#[unsafe(link_section = ".maps")]
static SEEN: Array<u64, 3> = Array::new();

/// Set by the loader.
#[unsafe(no_mangle)]
static TARGET_TGID: u32 = 0;

const BPF_GET_CURRENT_PID_TGID: usize = 14;
const BPF_GET_CURRENT_TASK: usize = 35;

fn store(index: u32, value: u64) {
    if let Some(slot) = SEEN.get(&index) {
        *slot = value;
    }
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "tracepoint/syscalls/sys_enter_getppid")]
pub extern "C" fn core_aya_task(_ctx: *mut u8) -> u32 {
    let (pid_tgid, task) = unsafe {
        let pid_tgid: extern "C" fn() -> u64 = core::mem::transmute(BPF_GET_CURRENT_PID_TGID);
        let current: extern "C" fn() -> *const task_struct =
            core::mem::transmute(BPF_GET_CURRENT_TASK);
        (pid_tgid(), current())
    };
    if (pid_tgid >> 32) as u32 != unsafe { core::ptr::read_volatile(&TARGET_TGID) } {
        return 0;
    }
    unsafe {
        store(0, btf::core_read!(task, tgid) as u64);
        store(1, btf::core_read!(task, pid) as u64);
    }
    store(2, pid_tgid);
    0
}

//! A program over `./y.sh btf2rust task_struct`'s definitions (written to
//! `build/core/vmlinux.rs` by the `core` suite): returns its own tgid,
//! read through the generated, relocated `task_struct`.

#![no_std]
#![no_main]

#[path = "../../example/bpf/shared/program.rs"]
mod program;

#[path = "../../build/core/vmlinux.rs"]
mod vmlinux;

use vmlinux::task_struct;

const BPF_GET_CURRENT_TASK: usize = 35;

#[unsafe(no_mangle)]
#[unsafe(link_section = "syscall")]
pub extern "C" fn generated_task(_ctx: *mut u64) -> u32 {
    unsafe {
        let current: extern "C" fn() -> *const task_struct =
            core::mem::transmute(BPF_GET_CURRENT_TASK);
        let task = current();
        btf::core_read!(task, tgid) as u32
    }
}

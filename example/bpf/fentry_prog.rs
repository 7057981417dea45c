//! An fentry program, `fentry_getppid` on `__do_sys_getppid`: counts the
//! getppid(2) calls of the process under test in `COUNTS[4]` (see
//! `shared/trace.rs`). Kernels without BPF trampolines refuse it, so it is
//! an object of its own.

#![no_std]
#![no_main]

#[path = "shared/maps.rs"]
mod maps;
#[path = "shared/program.rs"]
mod program;
#[path = "shared/trace.rs"]
mod trace;

#[unsafe(no_mangle)]
#[unsafe(link_section = "fentry/__do_sys_getppid")]
pub extern "C" fn fentry_getppid(_args: *const u64) -> u32 {
    if trace::in_target() {
        trace::record(4, 0);
    }
    0
}

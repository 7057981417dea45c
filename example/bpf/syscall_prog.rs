//! A `syscall` program (BPF_PROG_TYPE_SYSCALL), whose context is a buffer
//! of the caller's: `syscall_mul` stores `a * b` in `product` and returns
//! `a + b`. A file of its own because aya does not know the section.

#![no_std]
#![no_main]

#[path = "shared/program.rs"]
mod program;

/// The context: the caller's buffer, written back after the run.
#[repr(C)]
pub struct Args {
    pub a: u32,
    pub b: u32,
    pub product: u32,
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "syscall")]
pub extern "C" fn syscall_mul(args: *mut Args) -> u32 {
    unsafe {
        let (a, b) = ((*args).a, (*args).b);
        (*args).product = a.wrapping_mul(b);
        a.wrapping_add(b)
    }
}

//! A function that calls itself: the verifier accepts no recursion.
#![no_std]
#![no_main]

#[path = "../../example/bpf/shared/program.rs"]
mod program;

#[inline(never)]
fn countdown(n: u64) -> u64 {
    // Link errors locate a function at the first line of its code.
    if n == 0 { 0 } else { 1 + countdown(n - 1) } //~ ERROR recursion is not allowed in BPF programs
    //~^ ERROR `recursion::countdown`
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn prog(ctx: *const u32) -> u32 {
    countdown(ctx as u64 & 7) as u32
}

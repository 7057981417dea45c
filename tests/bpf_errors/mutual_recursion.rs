//! Two functions that call each other: recursion, which the verifier
//! rejects, through a cycle of two.
#![no_std]
#![no_main]

#[path = "../../example/bpf/shared/program.rs"]
mod program;

#[inline(never)]
fn is_even(n: u64) -> bool {
    // Link errors locate a function at the first line of its code.
    if n == 0 { true } else { is_odd(n - 1) } //~ ERROR recursion is not allowed in BPF programs
    //~^ ERROR `mutual_recursion::is_even` (tests/bpf_errors/mutual_recursion.rs:12)
}

#[inline(never)]
fn is_odd(n: u64) -> bool {
    if n == 0 { false } else { is_even(n - 1) } //~ ERROR `mutual_recursion::is_odd` (tests/bpf_errors/mutual_recursion.rs:18)
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn prog(ctx: *const u32) -> u32 {
    is_even(ctx as u64 & 7) as u32
}

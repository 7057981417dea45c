//! A call through a function pointer chosen at run time: the verifier
//! accepts no indirect calls.
#![no_std]
#![no_main]

#[path = "../../example/bpf/shared/program.rs"]
mod program;

#[inline(never)]
fn one() -> u32 {
    1
}

#[inline(never)]
fn two() -> u32 {
    2
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn prog(ctx: *const u32) -> u32 {
    let pick: fn() -> u32 = if ctx as u64 & 1 == 0 { one } else { two };
    let pick = core::hint::black_box(pick);
    pick() //~ ERROR indirect call through a function pointer
    //~^ ERROR prog
}

//! An atomic read-modify-write on a u8: BPF atomics work on 32 and 64
//! bits only.
#![no_std]
#![no_main]
#![feature(core_intrinsics)]
#![allow(internal_features)]

use core::intrinsics::{AtomicOrdering, atomic_xadd};

#[path = "../../example/bpf/shared/program.rs"]
mod program;

static mut COUNTER: u8 = 0;

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn prog(_ctx: *const u32) -> u32 {
    unsafe { atomic_xadd::<u8, u8, { AtomicOrdering::Relaxed }>(&raw mut COUNTER, 1) as u32 } //~ ERROR atomic add on i8 has no BPF instruction
    //~^ ERROR `prog`
}

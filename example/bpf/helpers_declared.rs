//! Kernel helpers declared with `#[bpf_builtins::kernel_helper(N)]` (and
//! the generated `bpf_builtins::helpers`), called from an XDP program; one
//! call goes through aya's idiom (a helper number transmuted to a variadic
//! function pointer) for comparison. The program returns a bit per check
//! that held, so the test sees which failed:
//!
//! - bit 0: `bpf_ktime_get_ns` is non-zero and does not go backwards;
//! - bit 1: `bpf_get_prandom_u32` does not return one value four times;
//! - bit 2: a value stored with `bpf_map_update_elem` is read back through
//!   `bpf_map_lookup_elem` (both declared helpers);
//! - bit 3: `bpf_trace_printk` (declared, variadic) wrote its message;
//! - bit 4: `bpf_trace_printk` through aya's idiom wrote its message;
//! - bit 5: `bpf_get_smp_processor_id`, declared here by hand with its
//!   number, names a possible CPU (below 4096).

#![no_std]
#![no_main]

#[path = "shared/maps.rs"]
mod maps;
#[path = "shared/program.rs"]
mod program;
#[path = "shared/xdp.rs"]
mod xdp;

use bpf_builtins::helpers::{
    bpf_get_prandom_u32, bpf_ktime_get_ns, bpf_map_lookup_elem, bpf_map_update_elem,
    bpf_trace_printk,
};
use core::ffi::c_void;
use maps::Array;

#[bpf_builtins::kernel_helper(8)]
fn smp_processor_id() -> u32;

#[unsafe(no_mangle)]
#[unsafe(link_section = ".maps")]
static VALUES: Array<u64, 1> = Array::new();

const BPF_FUNC_TRACE_PRINTK: usize = 6;
static MESSAGE: [u8; 24] = *b"helpers_declared %u %u\n\0";

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn helpers_declared(_ctx: *mut xdp::XdpMd) -> u32 {
    let mut passed = 0;
    let (t0, t1) = unsafe { (bpf_ktime_get_ns(), bpf_ktime_get_ns()) };
    if t0 != 0 && t1 >= t0 {
        passed |= 1 << 0;
    }
    // Written out rather than looped: this tests helpers, not loops.
    let first = unsafe { bpf_get_prandom_u32() };
    let others = unsafe {
        [
            bpf_get_prandom_u32(),
            bpf_get_prandom_u32(),
            bpf_get_prandom_u32(),
        ]
    };
    if others != [first; 3] {
        passed |= 1 << 1;
    }
    if map_round_trip(u64::from(first) | 0x5a00_0000_0000) {
        passed |= 1 << 2;
    }
    let fmt = MESSAGE.as_ptr().cast();
    let written = unsafe { bpf_trace_printk(fmt, MESSAGE.len() as u32, 3u32, 4u32) };
    if written > 0 {
        passed |= 1 << 3;
    }
    let printk: unsafe extern "C" fn(*const u8, u32, ...) -> i64 =
        unsafe { core::mem::transmute(BPF_FUNC_TRACE_PRINTK) };
    if unsafe { printk(MESSAGE.as_ptr(), MESSAGE.len() as u32, 5u32, 6u32) } > 0 {
        passed |= 1 << 4;
    }
    if unsafe { smp_processor_id() } < 4096 {
        passed |= 1 << 5;
    }
    passed
}

/// Stores `value` at key 0 of [`VALUES`] and reads it back.
fn map_round_trip(value: u64) -> bool {
    let map = (&raw const VALUES).cast_mut().cast::<c_void>();
    let key = 0u32;
    let key = (&raw const key).cast::<c_void>();
    let stored = unsafe { bpf_map_update_elem(map, key, (&raw const value).cast(), 0) };
    let found = unsafe { bpf_map_lookup_elem(map, key) }.cast::<u64>();
    stored == 0 && !found.is_null() && unsafe { *found } == value
}

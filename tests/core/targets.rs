//! CO-RE against hand-made target BTFs: an XDP program reads a `rec`
//! from the start of its packet through relocated field accesses, and
//! writes after it (at byte 24) three `u64`s: `a`, `b` (or 0xfeed when
//! the target's `rec` has no `b`) and the byte offset of `a`. The test
//! loads the same object against several layouts of `rec` and sends bytes
//! laid out per each.

#![no_std]
#![no_main]
#![allow(non_camel_case_types)]

#[path = "../../example/bpf/shared/program.rs"]
mod program;
#[path = "../../example/bpf/shared/xdp.rs"]
mod xdp;

use xdp::{XDP_ABORTED, XDP_PASS, XdpMd};

#[btf::relocatable]
pub struct rec {
    pub a: u32,
    pub b: u64,
}

/// Room for `rec` in every target layout; the answers follow.
const REC_ROOM: usize = 24;
const ANSWERS: usize = 3;
/// `b`'s stand-in when the target's `rec` lacks it.
const NO_B: u64 = 0xfeed;

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn core_targets(ctx: *mut XdpMd) -> u32 {
    let (start, end) = unsafe { ((*ctx).data as usize, (*ctx).data_end as usize) };
    if start + REC_ROOM + 8 * ANSWERS > end {
        return XDP_ABORTED;
    }
    let rec = start as *const rec;
    let out = (start + REC_ROOM) as *mut u64;
    unsafe {
        out.write_unaligned((*rec).a as u64);
        let b = if btf::field_exists!(rec, b) {
            (*rec).b
        } else {
            NO_B
        };
        out.add(1).write_unaligned(b);
        let offset = btf::field_byte_offset!(rec, a).map_or(u64::MAX, |o| o as u64);
        out.add(2).write_unaligned(offset);
    }
    XDP_PASS
}

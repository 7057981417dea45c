//! Bitfields against hand-made target BTFs: an XDP program reads a `bits`
//! from the start of its packet and writes after it (at byte 24) five
//! `u64`s: with `core_read_bitfield!` (`bpf_probe_read_kernel`), `flag`
//! (unsigned, 3 bits), `level` (signed, 5 bits, sign-extended) and `a` (a
//! plain `u32`); with `read_bitfield!` (direct packet loads), `flag` and
//! `level` again; then `flag`'s unit: `field_byte_offset!` and
//! `field_byte_size!`. The test
//! loads the same object against target layouts that move the bitfields
//! to other bits, units and widths of declared type, and sends bytes
//! laid out per each.

#![no_std]
#![no_main]
#![allow(non_camel_case_types)]

#[path = "../../example/bpf/shared/program.rs"]
mod program;
#[path = "../../example/bpf/shared/xdp.rs"]
mod xdp;

use xdp::{XDP_ABORTED, XDP_PASS, XdpMd};

/// `a` follows the bitfields: its relocation's member index counts them.
#[btf::relocatable]
pub struct bits {
    #[bitfields(flag: u8 = 3, level: i8 = 5)]
    pub _bits0: u8,
    pub a: u32,
}

/// Room for `bits` in every target layout; the answers follow.
const REC_ROOM: usize = 24;
const ANSWERS: usize = 7;

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn core_bitfield_targets(ctx: *mut XdpMd) -> u32 {
    let (start, end) = unsafe { ((*ctx).data as usize, (*ctx).data_end as usize) };
    if start + REC_ROOM + 8 * ANSWERS > end {
        return XDP_ABORTED;
    }
    let rec = start as *const bits;
    let out = (start + REC_ROOM) as *mut u64;
    unsafe {
        out.write_unaligned(btf::core_read_bitfield!(rec, flag));
        out.add(1).write_unaligned(btf::core_read_bitfield!(rec, level));
        out.add(2).write_unaligned(btf::core_read_bitfield!(rec, a));
        out.add(3).write_unaligned(btf::read_bitfield!(rec, flag));
        out.add(4).write_unaligned(btf::read_bitfield!(rec, level));
        let offset = btf::field_byte_offset!(bits, flag).map_or(u64::MAX, |o| o as u64);
        out.add(5).write_unaligned(offset);
        let size = btf::field_byte_size!(bits, flag).map_or(u64::MAX, |s| s as u64);
        out.add(6).write_unaligned(size);
    }
    XDP_PASS
}

//! A kernel bitfield through CO-RE: a tc classifier reads `sk_buff`'s
//! `pkt_type` (a 3-bit field of the kernel's `struct sk_buff`) with
//! `core_read_bitfield!` through a local `sk_buff` whose layout is nothing
//! like the kernel's, and returns it next to the `pkt_type` the kernel
//! copies into `struct __sk_buff` (its context), with the bitfield's
//! relocated shifts: `ctx | core << 8 | lshift << 16 | rshift << 24`.
//!
//! The context of a tc program is the kernel's `struct sk_buff`, which
//! `bpf_probe_read_kernel` reads.

#![no_std]
#![no_main]
#![allow(non_camel_case_types)]

#[path = "../../example/bpf/shared/program.rs"]
mod program;

/// The kernel's `sk_buff` as far as this program needs it: `pkt_type` at
/// bits 5..8 of byte 4 here, at byte 128 or so in the kernel.
#[btf::relocatable]
pub struct sk_buff {
    pub len: u32,
    #[bitfields(_: u8 = 5, pkt_type: u8 = 3)]
    pub _bits0: u8,
}

/// The leading fields of `struct __sk_buff`, the UAPI view of the
/// context.
#[repr(C)]
pub struct SkBuffView {
    pub len: u32,
    pub pkt_type: u32,
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "classifier")]
pub extern "C" fn core_pkt_type(ctx: *mut SkBuffView) -> u32 {
    let from_ctx = unsafe { (*ctx).pkt_type };
    let skb = ctx as *const sk_buff;
    let from_core = unsafe { btf::core_read_bitfield!(skb, pkt_type) } as u32;
    let lshift = btf::field_lshift!(sk_buff, pkt_type);
    let rshift = btf::field_rshift!(sk_buff, pkt_type);
    (from_ctx & 0xff) | (from_core & 0xff) << 8 | (lshift & 0xff) << 16 | (rshift & 0xff) << 24
}

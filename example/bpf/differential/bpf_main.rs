//! The eBPF side of the differential suite: one XDP program per group of
//! `funcs.rs`, chosen at compile time with `--cfg group="NAME"` so that each
//! object holds one small program. The program answers the packet (see
//! `packet.rs`) in place and returns XDP_PASS; a packet that is too short or
//! meant for another group is left alone (XDP_ABORTED, XDP_DROP).

#![no_std]
#![no_main]

// Only one group is used, all of it or, with `--cfg subset`, some of its
// functions (whose names are not declared to rustc as cfg names).
#[allow(unused, unexpected_cfgs)]
#[path = "funcs.rs"]
mod funcs;
#[path = "packet.rs"]
mod packet;

use packet::Packet;

const XDP_ABORTED: u32 = 0;
const XDP_DROP: u32 = 1;
const XDP_PASS: u32 = 2;

/// `struct xdp_md`, the XDP context.
#[repr(C)]
pub struct XdpMd {
    data: u32,
    data_end: u32,
    data_meta: u32,
    ingress_ifindex: u32,
    rx_queue_index: u32,
    egress_ifindex: u32,
}

/// Defines the XDP program `$entry` for the group `$group`, compiled in
/// only with `--cfg group="$name"`. It answers the packet of `ctx` if it is
/// long enough and meant for the group. The body is written out here rather
/// than shared through a helper function so that the deepest call chain is
/// entry, `eval`, the function under test and what that calls: eBPF allows
/// 8 frames and 512 bytes of stack along a chain.
macro_rules! programs {
    ($($name:literal => $entry:ident: $group:ident,)*) => {$(
        #[cfg(group = $name)]
        #[unsafe(no_mangle)]
        #[unsafe(link_section = "xdp")]
        pub extern "C" fn $entry(ctx: *const XdpMd) -> u32 {
            // SAFETY: the kernel passes a valid `xdp_md`.
            let (data, data_end) = unsafe { ((*ctx).data as usize, (*ctx).data_end as usize) };
            if data + packet::LEN > data_end {
                return XDP_ABORTED;
            }
            // SAFETY: the packet holds at least `packet::LEN` bytes at
            // `data`, and `Packet` has alignment 1.
            let p = unsafe { &mut *(data as *mut Packet) };
            if p.group != funcs::Index::$group as u8 {
                return XDP_DROP;
            }
            p.answer(funcs::$group::eval(p.op, p.operands()));
            XDP_PASS
        }
    )*};
}

programs! {
    "u8" => diff_u8: u8,
    "u8_div" => diff_u8_div: u8_div,
    "i8" => diff_i8: i8,
    "i8_div" => diff_i8_div: i8_div,
    "u16" => diff_u16: u16,
    "u16_div" => diff_u16_div: u16_div,
    "i16" => diff_i16: i16,
    "i16_div" => diff_i16_div: i16_div,
    "u32" => diff_u32: u32,
    "u32_div" => diff_u32_div: u32_div,
    "i32" => diff_i32: i32,
    "i32_div" => diff_i32_div: i32_div,
    "u64" => diff_u64: u64,
    "u64_div" => diff_u64_div: u64_div,
    "i64" => diff_i64: i64,
    "i64_div" => diff_i64_div: i64_div,
    "u128" => diff_u128: u128,
    "u128_div" => diff_u128_div: u128_div,
    "i128" => diff_i128: i128,
    "i128_div" => diff_i128_div: i128_div,
    "mix" => diff_mix: mix,
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "license")]
pub static LICENSE: [u8; 4] = *b"GPL\0";

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // SAFETY: no function of `funcs.rs` panics on any input.
    unsafe { core::hint::unreachable_unchecked() }
}

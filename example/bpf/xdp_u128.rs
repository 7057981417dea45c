//! u128 and i128 arithmetic: add, sub, mul, shifts, rotates, bit counts,
//! comparisons, overflow checks and a widening 64 x 64 -> 128 multiply.
//!
//! Frames of ethertype 0x88b5 carry, after the Ethernet header, two
//! little-endian u128 `a` (`+0`) and `b` (`+16`) and a shift amount
//! `s = byte[32] & 127`. The program writes little-endian results, 16
//! bytes each, from `+48` on, in this order:
//! a + b, a - b, a * b (all wrapping), a << s, a >> s, (a as i128) >> s,
//! a.rotate_left(s), (a as u64) * (b as u64) widened to 128 bits;
//! then at `+176` one u32 each: a.leading_zeros(), a.trailing_zeros(),
//! a.count_ones(), and flags `+188` u32: bit 0 a < b, bit 1 (a as i128) <
//! (b as i128), bit 2 a.checked_add(b) is None, bit 3 a == b.
//!
//! Returns `XDP_TX`; `XDP_PASS` for other ethertypes, `XDP_ABORTED` for
//! frames shorter than 14 + 192 bytes.

#![no_std]
#![no_main]

#[path = "shared/program.rs"]
mod program;
#[path = "shared/xdp.rs"]
mod xdp;

use xdp::*;

const PAYLOAD_LEN: usize = 192;

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn xdp_u128(ctx: *mut XdpMd) -> u32 {
    let payload = xdp::test_payload!(ctx, [u8; PAYLOAD_LEN]);
    let a = read_u128(payload, 0);
    let b = read_u128(payload, 16);
    let s = u32::from(payload[32] & 127);

    let results = [
        a.wrapping_add(b),
        a.wrapping_sub(b),
        a.wrapping_mul(b),
        a << s,
        a >> s,
        ((a as i128) >> s) as u128,
        a.rotate_left(s),
        u128::from(a as u64) * u128::from(b as u64),
    ];
    for (i, value) in results.iter().enumerate() {
        let at = 48 + 16 * i;
        payload[at..at + 16].copy_from_slice(&value.to_le_bytes());
    }
    let flags = u32::from(a < b)
        | u32::from((a as i128) < (b as i128)) << 1
        | u32::from(a.checked_add(b).is_none()) << 2
        | u32::from(a == b) << 3;
    let counts = [a.leading_zeros(), a.trailing_zeros(), a.count_ones(), flags];
    for (i, value) in counts.iter().enumerate() {
        let at = 176 + 4 * i;
        payload[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }
    XDP_TX
}

fn read_u128(payload: &[u8; PAYLOAD_LEN], at: usize) -> u128 {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&payload[at..at + 16]);
    u128::from_le_bytes(bytes)
}

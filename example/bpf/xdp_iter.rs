//! Iterators and slices over fixed-size arrays: `iter`, `map`, `sum`,
//! `max`/`min`, `position`, `filter`/`count`, `zip`, `rev`, `chunks_exact`,
//! `windows`, `enumerate` and sub-slices.
//!
//! Frames of ethertype 0x88b5 carry sixteen little-endian u16 values `v`
//! right after the Ethernet header. The program writes (little-endian):
//! - `+32` u32: sum of v; `+36` u16: max of v; `+38` u16: min of v;
//! - `+40` u32: position of v[0] in v[1..] (+1 for its index in v), or
//!   0xffff_ffff when it does not occur again;
//! - `+44` u32: how many values are even;
//! - `+48` u32: sum of v[i] * v[15 - i] for i < 8 (wrapping);
//! - `+52` 4 x u32: the sums of the four chunks v[0..4], v[4..8], ...;
//! - `+68` u32: how many neighbours v[i] < v[i + 1];
//! - `+72` 16 x u16: v reversed.
//!
//! Returns `XDP_TX`; `XDP_PASS` for other ethertypes, `XDP_ABORTED` when
//! the frame is shorter than 14 + 104 bytes.

#![no_std]
#![no_main]

#[path = "shared/program.rs"]
mod program;
#[path = "shared/xdp.rs"]
mod xdp;

use xdp::*;

const PAYLOAD_LEN: usize = 104;
const N: usize = 16;

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn xdp_iter(ctx: *mut XdpMd) -> u32 {
    let payload = xdp::test_payload!(ctx, [u8; PAYLOAD_LEN]);
    let mut v = [0u16; N];
    for (value, bytes) in v.iter_mut().zip(payload[..2 * N].chunks_exact(2)) {
        *value = u16::from_le_bytes([bytes[0], bytes[1]]);
    }

    let sum: u32 = v.iter().map(|&x| u32::from(x)).sum();
    put(payload, 32, &sum.to_le_bytes());
    put(payload, 36, &v.iter().copied().max().unwrap_or(0).to_le_bytes());
    put(payload, 38, &v.iter().copied().min().unwrap_or(0).to_le_bytes());
    let again = match v[1..].iter().position(|&x| x == v[0]) {
        Some(i) => i as u32 + 1,
        None => u32::MAX,
    };
    put(payload, 40, &again.to_le_bytes());
    let even = v.iter().filter(|&&x| x % 2 == 0).count() as u32;
    put(payload, 44, &even.to_le_bytes());
    let dot = v[..N / 2]
        .iter()
        .zip(v[N / 2..].iter().rev())
        .fold(0u32, |acc, (&a, &b)| acc.wrapping_add(u32::from(a) * u32::from(b)));
    put(payload, 48, &dot.to_le_bytes());
    for (i, chunk) in v.chunks_exact(4).enumerate() {
        let chunk_sum: u32 = chunk.iter().map(|&x| u32::from(x)).sum();
        put(payload, 52 + 4 * i, &chunk_sum.to_le_bytes());
    }
    let rising = v.windows(2).filter(|pair| pair[0] < pair[1]).count() as u32;
    put(payload, 68, &rising.to_le_bytes());
    v.reverse();
    for (i, value) in v.iter().enumerate() {
        put(payload, 72 + 2 * i, &value.to_le_bytes());
    }
    XDP_TX
}

fn put(payload: &mut [u8; PAYLOAD_LEN], at: usize, bytes: &[u8]) {
    payload[at..at + bytes.len()].copy_from_slice(bytes);
}

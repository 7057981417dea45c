//! BPF-to-BPF calls: out-of-line functions with seven arguments, a struct
//! returned by value, a struct passed by value and a three-deep call chain.
//!
//! Frames of ethertype 0x88b5 carry eight little-endian u32 inputs
//! `v[0..8]` right after the Ethernet header; the program writes, after
//! them (little-endian):
//! - `+32` u64: `weigh7(v[0], .., v[6])` = sum of `(i + 1) * v[i]` over i < 7;
//! - `+40` u32 min, `+44` u32 max, `+48` u64 sum of all eight (`Stats`);
//! - `+56` u32 x, `+60` u32 y of `scale(Pair { x: v[0], y: v[1] }, v[7])`
//!   (both multiplied by v[7], wrapping);
//! - `+64` u32: `outer(v[7])` = ((v[7] ^ 0x5a5a5a5a) rotated left by 7) + 3,
//!   computed by three nested calls.
//!
//! Returns `XDP_TX`; `XDP_PASS` for other ethertypes, `XDP_ABORTED` when
//! the frame is shorter than 14 + 68 bytes.

#![no_std]
#![no_main]

#[path = "shared/program.rs"]
mod program;
#[path = "shared/xdp.rs"]
mod xdp;

use xdp::*;

const PAYLOAD_LEN: usize = 68;

/// Summary of the inputs, returned by value (16 bytes).
struct Stats {
    min: u32,
    max: u32,
    sum: u64,
}

#[derive(Clone, Copy)]
struct Pair {
    x: u32,
    y: u32,
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn xdp_calls(ctx: *mut XdpMd) -> u32 {
    let payload = xdp::test_payload!(ctx, [u8; PAYLOAD_LEN]);
    let mut v = [0u32; 8];
    for (i, value) in v.iter_mut().enumerate() {
        *value = read_u32(payload, 4 * i);
    }

    let weighed = weigh7(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    write(payload, 32, &weighed.to_le_bytes());
    let stats = stats(&v);
    write(payload, 40, &stats.min.to_le_bytes());
    write(payload, 44, &stats.max.to_le_bytes());
    write(payload, 48, &stats.sum.to_le_bytes());
    let scaled = scale(Pair { x: v[0], y: v[1] }, v[7]);
    write(payload, 56, &scaled.x.to_le_bytes());
    write(payload, 60, &scaled.y.to_le_bytes());
    write(payload, 64, &outer(v[7]).to_le_bytes());
    XDP_TX
}

#[inline(never)]
fn weigh7(a: u32, b: u32, c: u32, d: u32, e: u32, f: u32, g: u32) -> u64 {
    let wide = |x: u32, weight: u64| u64::from(x) * weight;
    wide(a, 1) + wide(b, 2) + wide(c, 3) + wide(d, 4) + wide(e, 5) + wide(f, 6) + wide(g, 7)
}

#[inline(never)]
fn stats(values: &[u32; 8]) -> Stats {
    let mut stats = Stats { min: u32::MAX, max: 0, sum: 0 };
    for &value in values {
        stats.min = stats.min.min(value);
        stats.max = stats.max.max(value);
        stats.sum += u64::from(value);
    }
    stats
}

#[inline(never)]
fn scale(pair: Pair, factor: u32) -> Pair {
    Pair { x: pair.x.wrapping_mul(factor), y: pair.y.wrapping_mul(factor) }
}

#[inline(never)]
fn outer(x: u32) -> u32 {
    middle(x ^ 0x5a5a_5a5a).wrapping_add(1)
}

#[inline(never)]
fn middle(x: u32) -> u32 {
    inner(x.rotate_left(7)).wrapping_add(1)
}

#[inline(never)]
fn inner(x: u32) -> u32 {
    x.wrapping_add(1)
}

fn read_u32(payload: &[u8; PAYLOAD_LEN], at: usize) -> u32 {
    u32::from_le_bytes([payload[at], payload[at + 1], payload[at + 2], payload[at + 3]])
}

fn write(payload: &mut [u8; PAYLOAD_LEN], at: usize, bytes: &[u8]) {
    payload[at..at + bytes.len()].copy_from_slice(bytes);
}

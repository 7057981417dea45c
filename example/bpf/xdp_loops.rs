//! Bounded loops: counted, conditional, nested and early-exit loops whose
//! trip counts depend on packet data.
//!
//! Frames of ethertype 0x88b5 carry, right after the Ethernet header:
//! `+0` u8 n, `+4` u32 a, `+8` u32 b (little-endian), `+12` 8 bytes to
//! sort, `+20` 16 bytes to search. The program writes (little-endian):
//! - `+36` u32: sum of i * i for i in 0..min(n, 64);
//! - `+40` u64: fibonacci(n % 94) (F(0) = 0, F(1) = 1);
//! - `+48` u32: gcd(a, b) by Euclid's algorithm (gcd(0, 0) = 0), `+52` u32:
//!   the number of remainder steps it took;
//! - `+56` u32: the sum of the decimal digits of a;
//! - `+12..+20`: the 8 bytes sorted ascending (bubble sort);
//! - `+60` u32: index of the first of the 16 bytes above 0x80, or 16.
//!
//! Returns `XDP_TX`; `XDP_PASS` for other ethertypes, `XDP_ABORTED` when
//! the frame is shorter than 14 + 64 bytes.

#![no_std]
#![no_main]

#[path = "shared/program.rs"]
mod program;
#[path = "shared/xdp.rs"]
mod xdp;

use xdp::*;

const PAYLOAD_LEN: usize = 64;
const MAX_SQUARES: u32 = 64;

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn xdp_loops(ctx: *mut XdpMd) -> u32 {
    let payload = xdp::test_payload!(ctx, [u8; PAYLOAD_LEN]);
    let n = u32::from(payload[0]);
    let a = read_u32(payload, 4);
    let b = read_u32(payload, 8);

    write_u32(payload, 36, sum_of_squares(n.min(MAX_SQUARES)));
    let fib = fibonacci(n % 94);
    payload[40..48].copy_from_slice(&fib.to_le_bytes());
    let (divisor, steps) = gcd(a, b);
    write_u32(payload, 48, divisor);
    write_u32(payload, 52, steps);
    write_u32(payload, 56, digit_sum(a));

    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&payload[12..20]);
    bubble_sort(&mut bytes);
    payload[12..20].copy_from_slice(&bytes);

    let mut index = 0;
    while index < 16 {
        if payload[20 + index] > 0x80 {
            break;
        }
        index += 1;
    }
    write_u32(payload, 60, index as u32);
    XDP_TX
}

fn sum_of_squares(n: u32) -> u32 {
    let mut sum = 0;
    for i in 0..n {
        sum += i * i;
    }
    sum
}

fn fibonacci(n: u32) -> u64 {
    let (mut current, mut next) = (0u64, 1u64);
    let mut i = 0;
    while i < n {
        let sum = current.wrapping_add(next);
        current = next;
        next = sum;
        i += 1;
    }
    current
}

/// Euclid's algorithm; also returns the number of remainder steps. Two
/// u32 need at most 47 steps, so the bound is only there for the verifier.
fn gcd(mut a: u32, mut b: u32) -> (u32, u32) {
    let mut steps = 0;
    while b != 0 && steps < 64 {
        let r = a % b;
        a = b;
        b = r;
        steps += 1;
    }
    (a, steps)
}

fn digit_sum(mut x: u32) -> u32 {
    let mut sum = 0;
    loop {
        sum += x % 10;
        x /= 10;
        if x == 0 {
            return sum;
        }
    }
}

fn bubble_sort(bytes: &mut [u8; 8]) {
    for pass in 0..bytes.len() {
        for i in 0..bytes.len() - 1 - pass {
            if bytes[i] > bytes[i + 1] {
                bytes.swap(i, i + 1);
            }
        }
    }
}

fn read_u32(payload: &[u8; PAYLOAD_LEN], at: usize) -> u32 {
    u32::from_le_bytes([payload[at], payload[at + 1], payload[at + 2], payload[at + 3]])
}

fn write_u32(payload: &mut [u8; PAYLOAD_LEN], at: usize, value: u32) {
    payload[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

//! `match` on enums with data: commands decoded from the packet into an
//! enum (`Option` when the tag is unknown), evaluated into a `Result`.
//!
//! Frames of ethertype 0x88b5 carry four 8-byte commands after the
//! Ethernet header: `tag: u8, a: u8, b: [u8; 2], c: [u8; 4]` (little-endian).
//! - tag 1 `Add { x: c, y: b }`: x + y (as u64);
//! - tag 2 `Neg(c as i32)`: the negation, sign-extended to 64 bits
//!   (`Err(Overflow)` for i32::MIN);
//! - tag 3 `Shl(c as u64, a)`: c << a (`Err(Overflow)` when a >= 64);
//! - tag 4 `Clamp { v: b as i16, lo: c[0..2] as i16, hi: c[2..4] as i16 }`:
//!   v clamped to lo..=hi, sign-extended (`Err(BadRange)` when lo > hi);
//! - tag 5 `Nop`: 0;
//! - other tags: unknown.
//!
//! Each command is replaced in place by its 8-byte result: the value,
//! `0xffff_ffff_0000_00EE` for `Err` (EE = 1 Overflow, 2 BadRange), or
//! `u64::MAX` for an unknown tag. The verdict is `XDP_TX` when every
//! command succeeded, `XDP_DROP` when one failed or was unknown;
//! `XDP_PASS` for other ethertypes, `XDP_ABORTED` for frames shorter than
//! 14 + 32 bytes.

#![no_std]
#![no_main]

#[path = "shared/program.rs"]
mod program;
#[path = "shared/xdp.rs"]
mod xdp;

use xdp::*;

const COMMANDS: usize = 4;
const COMMAND_LEN: usize = 8;

enum Command {
    Add { x: u32, y: u16 },
    Neg(i32),
    Shl(u64, u8),
    Clamp { v: i16, lo: i16, hi: i16 },
    Nop,
}

#[derive(Clone, Copy)]
enum Error {
    Overflow = 1,
    BadRange = 2,
}

impl Command {
    fn decode(raw: &[u8; COMMAND_LEN]) -> Option<Command> {
        let b = [raw[2], raw[3]];
        let c = [raw[4], raw[5], raw[6], raw[7]];
        Some(match raw[0] {
            1 => Command::Add { x: u32::from_le_bytes(c), y: u16::from_le_bytes(b) },
            2 => Command::Neg(i32::from_le_bytes(c)),
            3 => Command::Shl(u64::from(u32::from_le_bytes(c)), raw[1]),
            4 => Command::Clamp {
                v: i16::from_le_bytes(b),
                lo: i16::from_le_bytes([c[0], c[1]]),
                hi: i16::from_le_bytes([c[2], c[3]]),
            },
            5 => Command::Nop,
            _ => return None,
        })
    }

    fn eval(&self) -> Result<u64, Error> {
        match *self {
            Command::Add { x, y } => Ok(u64::from(x) + u64::from(y)),
            Command::Neg(value) => value.checked_neg().map(|n| n as i64 as u64).ok_or(Error::Overflow),
            Command::Shl(_, by) if by >= 64 => Err(Error::Overflow),
            Command::Shl(value, by) => Ok(value << by),
            Command::Clamp { lo, hi, .. } if lo > hi => Err(Error::BadRange),
            Command::Clamp { v, lo, hi } => Ok(v.clamp(lo, hi) as i64 as u64),
            Command::Nop => Ok(0),
        }
    }
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn xdp_enum(ctx: *mut XdpMd) -> u32 {
    let commands = xdp::test_payload!(ctx, [[u8; COMMAND_LEN]; COMMANDS]);
    let mut verdict = XDP_TX;
    for raw in commands.iter_mut() {
        let result = match Command::decode(raw) {
            Some(command) => match command.eval() {
                Ok(value) => value,
                Err(error) => {
                    verdict = XDP_DROP;
                    0xffff_ffff_0000_0000 | error as u64
                }
            },
            None => {
                verdict = XDP_DROP;
                u64::MAX
            }
        };
        *raw = result.to_le_bytes();
    }
    verdict
}

//! The packet both sides of the differential suite exchange, included by
//! `bpf_main.rs` and `host_main.rs` with `#[path]`. All multi-byte fields
//! are little-endian; the suite writes the first 40 bytes and compares all
//! 56 bytes of what comes back.
//!
//! ```text
//! 0  group   u8      index into funcs::GROUPS
//! 1  op      u8      index into the group's functions
//! 2  status  u8      out: ANSWERED or UNKNOWN_OP
//! 3  flags   u8      out: funcs::NONE | funcs::OVERFLOW
//! 4  zero    [u8; 4]
//! 8  a       u128    first operand
//! 24 b       u128    second operand
//! 40 value   u128    out: the result, widened to 128 bits
//! ```

use crate::funcs::Out;

/// `status` of a packet whose function was evaluated.
pub const ANSWERED: u8 = 1;
/// `status` of a packet whose group or op is not known to the evaluator.
pub const UNKNOWN_OP: u8 = 2;

#[repr(C)]
pub struct Packet {
    pub group: u8,
    pub op: u8,
    pub status: u8,
    pub flags: u8,
    pub zero: [u8; 4],
    pub a: [u8; 16],
    pub b: [u8; 16],
    pub value: [u8; 16],
}

/// Size of a packet in bytes.
pub const LEN: usize = core::mem::size_of::<Packet>();

impl Packet {
    /// The operands `[a, b]`.
    pub fn operands(&self) -> [u128; 2] {
        [u128::from_le_bytes(self.a), u128::from_le_bytes(self.b)]
    }

    /// Stores what the evaluator returned (`None`: unknown function).
    pub fn answer(&mut self, out: Option<Out>) {
        match out {
            Some(out) => {
                self.status = ANSWERED;
                self.flags = out.flags;
                self.value = out.value.to_le_bytes();
            }
            None => self.status = UNKNOWN_OP,
        }
    }
}

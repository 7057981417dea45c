//! The packet the differential programs answer, as laid out in
//! `example/bpf/differential/packet.rs`: group and op bytes, status and
//! flags written by the answer, then the operands `a`, `b` and the result
//! value as little-endian 128-bit integers.

/// Size of a packet in bytes.
pub const LEN: usize = 56;

const STATUS: usize = 2;
const FLAGS: usize = 3;
const A: usize = 8;
const B: usize = 24;
const VALUE: usize = 40;

/// `status` of an evaluated packet.
const ANSWERED: u8 = 1;
/// `status` of a packet whose function the evaluator does not know.
const UNKNOWN_OP: u8 = 2;
/// Bits of `flags`.
const NONE: u8 = 1;
const OVERFLOW: u8 = 2;

/// Appends the question "function `op` of group `group` on `operands`".
pub fn push(packets: &mut Vec<u8>, group: u8, op: u8, operands: [u128; 2]) {
    let mut p = [0u8; LEN];
    p[0] = group;
    p[1] = op;
    p[A..A + 16].copy_from_slice(&operands[0].to_le_bytes());
    p[B..B + 16].copy_from_slice(&operands[1].to_le_bytes());
    packets.extend_from_slice(&p);
}

/// The answer an evaluated packet holds.
fn describe_answer(p: &[u8]) -> String {
    if p.len() != LEN {
        return format!("a {}-byte packet instead of {LEN} bytes", p.len());
    }
    let value = u128::from_le_bytes(p[VALUE..VALUE + 16].try_into().expect("16 bytes"));
    let status = match p[STATUS] {
        ANSWERED => String::new(),
        UNKNOWN_OP => "unknown function, ".to_string(),
        other => format!("status {other}, "),
    };
    let flags = match p[FLAGS] {
        0 => String::new(),
        NONE => " None".to_string(),
        OVERFLOW => " overflow".to_string(),
        other => format!(" flags {other:#x}"),
    };
    format!("{status}{value:#x} ({}){flags}", value as i128)
}

/// The answers of two packets that differ, for a mismatch message; where
/// both answers read the same, the first differing byte is named.
pub fn describe_difference(kernel: &[u8], host: &[u8]) -> String {
    let (k, h) = (describe_answer(kernel), describe_answer(host));
    if k != h {
        return format!("kernel {k}, host {h}");
    }
    let at = kernel.iter().zip(host).take_while(|(x, y)| x == y).count();
    format!("kernel and host both {k}, but the packets differ from byte {at} on")
}

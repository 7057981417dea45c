//! The operands each differential function is run on: pairs of edge values
//! of its type (0, ±1, MIN, MAX, powers of two and their neighbours, shift
//! amounts around the width, limits of narrower types), then values from a
//! small PRNG seeded by a constant and the function's name, so that every
//! run sends the same inputs and a mismatch can be reproduced.

/// Operand pairs per function.
pub const PER_FUNCTION: usize = 10_240;

/// The PRNG's seed, mixed with the function's name.
const SEED: u64 = 0x5eed_d1ff_0bf0_0001;

/// The operand type of a function: `bits` wide, signed or not. Operands are
/// kept in the form the function sees after truncation: the low `bits`
/// bits, sign- or zero-extended to 128.
#[derive(Clone, Copy, Debug)]
pub struct Width {
    pub bits: u32,
    pub signed: bool,
}

impl Width {
    /// `v` truncated to this type and extended back to 128 bits.
    pub fn normalize(self, v: u128) -> u128 {
        let shift = 128 - self.bits;
        if self.signed {
            (((v << shift) as i128) >> shift) as u128
        } else {
            (v << shift) >> shift
        }
    }

    /// A normalized operand as the function's type prints it.
    pub fn show(self, v: u128) -> String {
        if self.signed {
            format!("{}", v as i128)
        } else {
            format!("{v}")
        }
    }
}

/// SplitMix64: tiny, fast and good enough to spread operands.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn wide(&mut self) -> u128 {
        (u128::from(self.next()) << 64) | u128::from(self.next())
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// FNV-1a of `name`, to give every function its own PRNG stream.
fn hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The values that sit on an edge for `width`, normalized, without
/// duplicates; the first ones are the edges of every type.
pub fn edges(width: Width) -> Vec<u128> {
    let bits = width.bits;
    let minus = |v: u128| v.wrapping_neg();
    let mut raw: Vec<u128> = vec![0, 1, 2, 3, minus(1), minus(2), 7, 10, 16];
    let max = if width.signed {
        (1u128 << (bits - 1)) - 1
    } else {
        u128::MAX >> (128 - bits)
    };
    let min = if width.signed { minus(max + 1) } else { 0 };
    raw.extend([max, max - 1, min, min.wrapping_add(1)]);
    for amount in [bits - 1, bits, bits + 1, 2 * bits - 1, 2 * bits] {
        raw.push(u128::from(amount));
    }
    for narrow in [8u32, 16, 32, 64, 128] {
        let half = 1u128 << (narrow - 1);
        raw.extend([half - 1, minus(half), half.wrapping_shl(1).wrapping_sub(1)]);
        for amount in [narrow - 1, narrow, narrow + 1] {
            raw.push(u128::from(amount));
        }
    }
    for k in 0..bits {
        let p = 1u128 << k;
        raw.extend([p, p - 1, p + 1, minus(p), minus(p) - 1]);
    }
    let mut seen = std::collections::HashSet::new();
    raw.into_iter()
        .map(|v| width.normalize(v))
        .filter(|v| seen.insert(*v))
        .collect()
}

/// How many leading entries of `edges` every operand is paired with.
const CORE_EDGES: usize = 20;

/// The operand pairs of function `op` of group `group`: every pair of core
/// edges, every edge against a random operand (both ways round), then
/// random pairs; exactly [`PER_FUNCTION`] of them.
pub fn operands(group: &str, op: &str, width: Width) -> Vec<[u128; 2]> {
    let edges = edges(width);
    let mut rng = SplitMix(SEED ^ hash(&format!("{group}::{op}")));
    let core = &edges[..CORE_EDGES.min(edges.len())];
    let mut pairs: Vec<[u128; 2]> = Vec::with_capacity(PER_FUNCTION);
    for &a in core {
        for &b in core {
            pairs.push([a, b]);
        }
    }
    for &e in &edges {
        pairs.push([e, random(&mut rng, width, &edges)]);
        pairs.push([random(&mut rng, width, &edges), e]);
    }
    while pairs.len() < PER_FUNCTION {
        pairs.push([
            random(&mut rng, width, &edges),
            random(&mut rng, width, &edges),
        ]);
    }
    pairs.truncate(PER_FUNCTION);
    pairs
}

/// One operand drawn from a mix of shapes, so that small values (shift
/// amounts, divisors), every magnitude and the neighbourhood of edges all
/// come up often.
fn random(rng: &mut SplitMix, width: Width, edges: &[u128]) -> u128 {
    let bits = width.bits;
    let raw = match rng.below(6) {
        0 => rng.wide(),
        1 => rng.below(2 * bits as usize + 3) as u128,
        2 => {
            // A random magnitude: the low `k` bits of a random value,
            // extended from bit k-1 when the type is signed.
            let k = 1 + rng.below(bits as usize) as u32;
            Width {
                bits: k,
                signed: width.signed,
            }
            .normalize(rng.wide())
        }
        3 => edges[rng.below(edges.len())],
        4 => edges[rng.below(edges.len())]
            .wrapping_add(rng.below(5) as u128)
            .wrapping_sub(2),
        _ => {
            // A few bits set.
            (0..1 + rng.below(3)).fold(0u128, |v, _| v | 1 << rng.below(bits as usize))
        }
    };
    width.normalize(raw)
}

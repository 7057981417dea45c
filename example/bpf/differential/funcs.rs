//! Pure integer functions that the differential suite evaluates twice: in the
//! kernel, compiled for eBPF (`bpf_main.rs`), and on the host, compiled by
//! rustc with LLVM (`host_main.rs`). Both include this file with `#[path]`,
//! so it uses nothing beyond `core`.
//!
//! The functions come in groups; a group is one eBPF program. Each function
//! takes two operands of the group's type, truncated from the packet's
//! 128-bit operands, and its result is widened back to 128 bits
//! (sign-extended for signed types) with a flag byte telling `None` and
//! overflow apart. Plain `+`, `-`, `*`, `<<` and `/` by a variable are
//! avoided where they may overflow or trap: their behaviour depends on
//! `-Coverflow-checks`, which differs between opt levels, and a panic has no
//! result to compare.

use core::cmp::Ordering;

/// One result: the value widened to 128 bits and the flags below.
#[derive(Clone, Copy)]
pub struct Out {
    pub value: u128,
    pub flags: u8,
}

/// Flag: the function returned `None` (the value is then 0).
pub const NONE: u8 = 1;
/// Flag: the `overflowing_*` function reported an overflow.
pub const OVERFLOW: u8 = 2;

/// A function result that can be reported as an [`Out`].
pub trait Answer {
    fn answer(self) -> Out;
}

macro_rules! answer_int {
    ($($t:ty => $wide:ty),*) => {
        $(impl Answer for $t {
            fn answer(self) -> Out {
                Out { value: self as $wide as u128, flags: 0 }
            }
        })*
    };
}

answer_int!(
    u8 => u128, u16 => u128, u32 => u128, u64 => u128, u128 => u128,
    i8 => i128, i16 => i128, i32 => i128, i64 => i128, i128 => i128
);

impl Answer for bool {
    fn answer(self) -> Out {
        Out {
            value: self as u128,
            flags: 0,
        }
    }
}

impl Answer for Ordering {
    fn answer(self) -> Out {
        (self as i8).answer()
    }
}

impl<T: Answer> Answer for Option<T> {
    fn answer(self) -> Out {
        match self {
            Some(v) => v.answer(),
            None => Out {
                value: 0,
                flags: NONE,
            },
        }
    }
}

impl<T: Answer> Answer for (T, bool) {
    fn answer(self) -> Out {
        let mut out = self.0.answer();
        if self.1 {
            out.flags |= OVERFLOW;
        }
        out
    }
}

/// A group of functions of one operand type, evaluated by one eBPF program.
pub struct Group {
    pub name: &'static str,
    /// Width in bits of the operand type (`u128` for the mixed group).
    pub bits: u32,
    pub signed: bool,
    /// Function names; a function's id is its index here.
    pub ops: &'static [&'static str],
}

/// Defines `pub mod $group` with `OPS`, one function per op, and
/// `eval(op, [a, b])`, which truncates both operands to `$t` and calls
/// function number `op`.
///
/// Each op is a function of its own that writes its answer through a
/// pointer: `eval` then holds no temporaries per op, and every stack frame
/// stays far below eBPF's 512 bytes whether or not the compiler shares stack
/// slots between the branches.
///
/// Built with `--cfg subset`, only the ops also named by `--cfg OP` are
/// compiled in (the others answer "unknown function"): that is how the suite
/// finds which functions of a group the compiler or the verifier refuses.
/// Op names therefore avoid the words of cfg syntax (`not`, `all`, `any`).
macro_rules! group {
    ($group:ident: $t:ty, |$a:ident, $b:ident| { $($op:ident => $body:expr,)* }) => {
        pub mod $group {
            use super::{Answer, Out};

            #[allow(non_camel_case_types)]
            #[repr(u8)]
            enum Op {
                $($op,)*
            }

            pub const OPS: &[&str] = &[$(stringify!($op)),*];

            $(
                #[cfg(any(not(subset), $op))]
                #[inline(never)]
                #[allow(unused_variables, clippy::modulo_one)] // `a % 1` is under test too
                fn $op($a: $t, $b: $t, out: &mut Out) {
                    *out = $body.answer();
                }
            )*

            /// Function `op` of this group applied to `[a, b]`, or `None`
            /// for an unknown id.
            pub fn eval(op: u8, [a, b]: [u128; 2]) -> Option<Out> {
                let (a, b) = (a as $t, b as $t);
                let mut out = Out { value: 0, flags: 0 };
                $(
                    #[cfg(any(not(subset), $op))]
                    if op == Op::$op as u8 {
                        $op(a, b, &mut out);
                        return Some(out);
                    }
                )*
                None
            }
        }
    };
}

/// Two groups per unsigned type: `$group` (arithmetic, shifts, bit counts,
/// comparisons; the operations of every integer type, then the unsigned-only
/// ones) and `$div` (division and remainder by constants and by variables).
macro_rules! unsigned_groups {
    ($($group:ident, $div:ident: $t:ident;)*) => {$(
        group!($group: $t, |a, b| {
            wrapping_add => a.wrapping_add(b),
            wrapping_sub => a.wrapping_sub(b),
            wrapping_mul => a.wrapping_mul(b),
            checked_add => a.checked_add(b),
            checked_sub => a.checked_sub(b),
            checked_mul => a.checked_mul(b),
            saturating_add => a.saturating_add(b),
            saturating_sub => a.saturating_sub(b),
            saturating_mul => a.saturating_mul(b),
            overflowing_add => a.overflowing_add(b),
            overflowing_sub => a.overflowing_sub(b),
            overflowing_mul => a.overflowing_mul(b),
            wrapping_neg => a.wrapping_neg(),
            checked_neg => a.checked_neg(),
            abs_diff => a.abs_diff(b),
            midpoint => a.midpoint(b),
            wrapping_pow_5 => a.wrapping_pow(5),
            checked_pow_3 => a.checked_pow(3),
            wrapping_shl => a.wrapping_shl(b as u32),
            wrapping_shr => a.wrapping_shr(b as u32),
            checked_shl => a.checked_shl(b as u32),
            checked_shr => a.checked_shr(b as u32),
            shl_masked => a << (b as u32 & ($t::BITS - 1)),
            shr_masked => a >> (b as u32 & ($t::BITS - 1)),
            rotate_left => a.rotate_left(b as u32),
            rotate_right => a.rotate_right(b as u32),
            leading_zeros => a.leading_zeros(),
            trailing_zeros => a.trailing_zeros(),
            leading_ones => a.leading_ones(),
            trailing_ones => a.trailing_ones(),
            count_ones => a.count_ones(),
            swap_bytes => a.swap_bytes(),
            reverse_bits => a.reverse_bits(),
            checked_ilog2 => a.checked_ilog2(),
            checked_ilog10 => a.checked_ilog10(),
            checked_next_power_of_two => a.checked_next_power_of_two(),
            is_power_of_two => a.is_power_of_two(),
            bit_not => !a,
            bit_and => a & b,
            bit_or => a | b,
            bit_xor => a ^ b,
            eq => a == b,
            ne => a != b,
            lt => a < b,
            le => a <= b,
            gt => a > b,
            ge => a >= b,
            cmp => a.cmp(&b),
            min => a.min(b),
            max => a.max(b),
        });
        group!($div: $t, |a, b| {
            div_1 => a / 1,
            rem_1 => a % 1,
            div_3 => a / 3,
            rem_3 => a % 3,
            div_7 => a / 7,
            rem_7 => a % 7,
            div_10 => a / 10,
            rem_10 => a % 10,
            div_16 => a / 16,
            rem_16 => a % 16,
            div_top_bit => a / (1 << ($t::BITS - 1)),
            rem_top_bit => a % (1 << ($t::BITS - 1)),
            div_max_third => a / ($t::MAX / 3),
            rem_max_third => a % ($t::MAX / 3),
            div_max => a / $t::MAX,
            checked_div => a.checked_div(b),
            checked_rem => a.checked_rem(b),
            wrapping_div => (b != 0).then(|| a.wrapping_div(b)),
            wrapping_rem => (b != 0).then(|| a.wrapping_rem(b)),
            checked_div_euclid => a.checked_div_euclid(b),
            checked_rem_euclid => a.checked_rem_euclid(b),
            div_ceil => (b != 0).then(|| a.div_ceil(b)),
            checked_next_multiple_of => a.checked_next_multiple_of(b),
        });
    )*};
}

/// Two groups per signed type, as `unsigned_groups!` makes them, with the
/// signed-only operations (abs, signum, division by negative constants).
macro_rules! signed_groups {
    ($($group:ident, $div:ident: $t:ident;)*) => {$(
        group!($group: $t, |a, b| {
            wrapping_add => a.wrapping_add(b),
            wrapping_sub => a.wrapping_sub(b),
            wrapping_mul => a.wrapping_mul(b),
            checked_add => a.checked_add(b),
            checked_sub => a.checked_sub(b),
            checked_mul => a.checked_mul(b),
            saturating_add => a.saturating_add(b),
            saturating_sub => a.saturating_sub(b),
            saturating_mul => a.saturating_mul(b),
            overflowing_add => a.overflowing_add(b),
            overflowing_sub => a.overflowing_sub(b),
            overflowing_mul => a.overflowing_mul(b),
            wrapping_neg => a.wrapping_neg(),
            checked_neg => a.checked_neg(),
            overflowing_neg => a.overflowing_neg(),
            saturating_neg => a.saturating_neg(),
            wrapping_abs => a.wrapping_abs(),
            checked_abs => a.checked_abs(),
            saturating_abs => a.saturating_abs(),
            unsigned_abs => a.unsigned_abs(),
            signum => a.signum(),
            is_negative => a.is_negative(),
            abs_diff => a.abs_diff(b),
            midpoint => a.midpoint(b),
            wrapping_pow_5 => a.wrapping_pow(5),
            checked_pow_3 => a.checked_pow(3),
            wrapping_shl => a.wrapping_shl(b as u32),
            wrapping_shr => a.wrapping_shr(b as u32),
            checked_shl => a.checked_shl(b as u32),
            checked_shr => a.checked_shr(b as u32),
            shl_masked => a << (b as u32 & ($t::BITS - 1)),
            shr_masked => a >> (b as u32 & ($t::BITS - 1)),
            rotate_left => a.rotate_left(b as u32),
            rotate_right => a.rotate_right(b as u32),
            leading_zeros => a.leading_zeros(),
            trailing_zeros => a.trailing_zeros(),
            leading_ones => a.leading_ones(),
            trailing_ones => a.trailing_ones(),
            count_ones => a.count_ones(),
            swap_bytes => a.swap_bytes(),
            reverse_bits => a.reverse_bits(),
            checked_ilog2 => a.checked_ilog2(),
            checked_ilog10 => a.checked_ilog10(),
            bit_not => !a,
            bit_and => a & b,
            bit_or => a | b,
            bit_xor => a ^ b,
            eq => a == b,
            ne => a != b,
            lt => a < b,
            le => a <= b,
            gt => a > b,
            ge => a >= b,
            cmp => a.cmp(&b),
            min => a.min(b),
            max => a.max(b),
        });
        group!($div: $t, |a, b| {
            div_1 => a / 1,
            rem_1 => a % 1,
            div_3 => a / 3,
            rem_3 => a % 3,
            div_7 => a / 7,
            rem_7 => a % 7,
            div_10 => a / 10,
            rem_10 => a % 10,
            div_16 => a / 16,
            rem_16 => a % 16,
            div_minus_3 => a / -3,
            rem_minus_3 => a % -3,
            div_minus_7 => a / -7,
            rem_minus_7 => a % -7,
            wrapping_div_minus_1 => a.wrapping_div(-1),
            wrapping_rem_minus_1 => a.wrapping_rem(-1),
            checked_div_minus_1 => a.checked_div(-1),
            div_min => a.wrapping_div($t::MIN),
            rem_min => a.wrapping_rem($t::MIN),
            div_max => a / $t::MAX,
            div_euclid_7 => a.div_euclid(7),
            rem_euclid_7 => a.rem_euclid(7),
            div_euclid_minus_16 => a.wrapping_div_euclid(-16),
            rem_euclid_minus_16 => a.wrapping_rem_euclid(-16),
            checked_div => a.checked_div(b),
            checked_rem => a.checked_rem(b),
            wrapping_div => (b != 0).then(|| a.wrapping_div(b)),
            wrapping_rem => (b != 0).then(|| a.wrapping_rem(b)),
            overflowing_div => (b != 0).then(|| a.overflowing_div(b)),
            overflowing_rem => (b != 0).then(|| a.overflowing_rem(b)),
            checked_div_euclid => a.checked_div_euclid(b),
            checked_rem_euclid => a.checked_rem_euclid(b),
        });
    )*};
}

unsigned_groups! {
    u8, u8_div: u8;
    u16, u16_div: u16;
    u32, u32_div: u32;
    u64, u64_div: u64;
    u128, u128_div: u128;
}

signed_groups! {
    i8, i8_div: i8;
    i16, i16_div: i16;
    i32, i32_div: i32;
    i64, i64_div: i64;
    i128, i128_div: i128;
}

// Conversions between widths and 128-bit arithmetic built from narrower
// operands.
group!(mix: u128, |a, b| {
    sext_i8 => a as i8 as i128,
    sext_i16 => a as i16 as i128,
    sext_i32 => a as i32 as i128,
    sext_i64 => a as i64 as i128,
    zext_u32 => a as u32 as u128,
    zext_u64 => a as u64 as u128,
    i8_to_u64 => a as i8 as u64,
    i32_to_u64 => a as i32 as u64,
    i64_to_i16 => a as i64 as i16,
    u128_to_i32 => a as i32,
    widening_mul_u32 => (a as u32 as u64) * (b as u32 as u64),
    widening_mul_i32 => (a as i32 as i64) * (b as i32 as i64),
    widening_mul_u64 => (a as u64 as u128) * (b as u64 as u128),
    widening_mul_i64 => (a as i64 as i128) * (b as i64 as i128),
    mulhi_u64 => (((a as u64 as u128) * (b as u64 as u128)) >> 64) as u64,
    mulhi_i64 => (((a as i64 as i128) * (b as i64 as i128)) >> 64) as i64,
    mixed_mul_u128_u64 => a.wrapping_mul(b as u64 as u128),
    mixed_mul_i128_i64 => (a as i128).wrapping_mul(b as i64 as i128),
    join_halves => ((a as u64 as u128) << 64) | (b as u64 as u128),
    join_signed_halves => ((a as i64 as i128) << 64) | (b as u64 as i128),
    mul_add_shift => (a as i128).wrapping_mul(3).wrapping_add(b as i128) >> 7,
    mul_sub_ushift => a.wrapping_mul(5).wrapping_sub(b) >> 3,
    sum_of_halves => (a as u64 as u128) + (a >> 64) + (b as u64 as u128) + (b >> 64),
    i128_lt_u64 => (a as i128) < (b as u64 as i128),
    i128_ge_i32 => (a as i128) >= (b as i32 as i128),
    u128_eq_low => a == (b as u64 as u128),
    select_max_signed => if (a as i128) > (b as i128) { a } else { b },
    clamp_i128 => (a as i128).clamp(-1000, 1 << 100),
    div_u128_by_u64 => (b as u64 != 0).then(|| a / (b as u64 as u128)),
    rem_i128_by_i32 => (a as i128).checked_rem(b as i32 as i128),
    hash_mix => {
        let x = (a ^ (b >> 3)).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834);
        x ^ (x >> 67) ^ x.rotate_left(29)
    },
});

/// Lists every group, in packet order: `GROUPS` (the table the suite reads),
/// `Index` (a group's packet byte) and `eval`, which dispatches on it.
macro_rules! table {
    ($($group:ident: $t:ident,)*) => {
        pub const GROUPS: &[Group] = &[$(
            Group {
                name: stringify!($group),
                bits: $t::BITS,
                signed: $t::MIN != 0,
                ops: $group::OPS,
            },
        )*];

        #[allow(non_camel_case_types)]
        #[repr(u8)]
        pub enum Index {
            $($group,)*
        }

        /// Function `op` of group `group` applied to `operands`, or `None`
        /// if there is no such function.
        pub fn eval(group: u8, op: u8, operands: [u128; 2]) -> Option<Out> {
            $(
                if group == Index::$group as u8 {
                    return $group::eval(op, operands);
                }
            )*
            None
        }
    };
}

table! {
    u8: u8,
    u8_div: u8,
    i8: i8,
    i8_div: i8,
    u16: u16,
    u16_div: u16,
    i16: i16,
    i16_div: i16,
    u32: u32,
    u32_div: u32,
    i32: i32,
    i32_div: i32,
    u64: u64,
    u64_div: u64,
    i64: i64,
    i64_div: i64,
    u128: u128,
    u128_div: u128,
    i128: i128,
    i128_div: i128,
    mix: u128,
}

//! `mini_core_hello_world`: the end-to-end test program for
//! `rustc_codegen_bpf`. It is a `#![no_core]` binary built on `mini_core`
//! that exercises a wide range of language features (integer and float
//! arithmetic, casts, aggregates, every kind of enum layout, control flow,
//! calls and ABIs, closures, generics, trait objects, statics, drop glue,
//! `Box`, `#[track_caller]`, intrinsics) and prints the results with
//! `printf`, one `== section ==` per feature.
//!
//! The output is deterministic (no addresses, no NaN signs) and identical at
//! every optimisation level, so the build system can compare a binary built
//! by the backend with one built by LLVM. Run without arguments it prints
//! everything and exits with 0. With an argument it ends in a panic instead:
//! `panic` fails a bounds check (the same way at every opt level),
//! `overflow` overflows an `i32` (a panic only with overflow checks),
//! `unwrap` unwraps a `None`, and `abort` calls the `abort` intrinsic.

#![feature(no_core, rustc_attrs, pattern_types)]
#![no_core]
#![allow(
    internal_features,
    dead_code,
    unused_variables,
    unused_assignments,
    unused_mut,
    unused_unsafe,
    unused_parens,
    non_upper_case_globals,
    unnecessary_transmutes,
    unreachable_code,
    unreachable_patterns,
    static_mut_refs,
    ambiguous_wide_pointer_comparisons,
    function_casts_as_integer,
    overflowing_literals,
    irrefutable_let_patterns
)]

extern crate mini_core;

use mini_core::intrinsics::{self, black_box};
use mini_core::libc;
use mini_core::mem;
use mini_core::ptr;
use mini_core::*;

// ===========================================================================
// Output helpers
// ===========================================================================

/// `printf` with a literal format string (the NUL is appended here).
macro_rules! p {
    ($fmt:literal $(, $arg:expr)* $(,)?) => {{
        unsafe {
            mini_core::libc::printf(
                mini_core::concat!($fmt, "\0").as_ptr() as *const c_char
                $(, $arg)*
            );
        }
    }};
}

fn put(s: &str) {
    p!("%.*s", s.len() as i32, s.as_ptr());
}

fn put_bytes(b: &[u8]) {
    p!("%.*s", b.len() as i32, b.as_ptr());
}

fn nl() {
    p!("\n");
}

fn header(name: &str) {
    p!("== %.*s ==\n", name.len() as i32, name.as_ptr());
}

/// Writes the decimal digits of `v` at the end of `buf`; returns where they
/// start. 128-bit values cannot go through printf.
fn format_u128(mut v: u128, buf: &mut [u8; 40]) -> usize {
    let mut i = 40;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    i
}

fn put_u128(v: u128) {
    let mut buf = [0u8; 40];
    let start = format_u128(v, &mut buf);
    put_bytes(&buf[start..40]);
}

fn put_i128(v: i128) {
    if v < 0 {
        put("-");
        put_u128((v as u128).wrapping_neg());
    } else {
        put_u128(v as u128);
    }
}

/// Prints a value in a fixed, address-free format.
trait Show {
    fn show(&self);
}

macro_rules! show_signed {
    ($($t:ty)*) => { $( impl Show for $t { fn show(&self) { put_i128(*self as i128) } } )* };
}
macro_rules! show_unsigned {
    ($($t:ty)*) => { $( impl Show for $t { fn show(&self) { put_u128(*self as u128) } } )* };
}
show_signed!(i8 i16 i32 i64 i128 isize);
show_unsigned!(u8 u16 u32 u64 u128 usize);

impl Show for bool {
    fn show(&self) {
        put(if *self { "true" } else { "false" });
    }
}

impl Show for char {
    fn show(&self) {
        let c = *self;
        if c.is_ascii() && c >= ' ' {
            p!("'%c'", c as u32 as i32);
        } else {
            p!("U+%04X", c as u32);
        }
    }
}

impl Show for f64 {
    fn show(&self) {
        // The sign of a NaN differs between runtime and constant-folded
        // operations, so NaNs are printed without it.
        if self.is_nan() { put("NaN") } else { p!("%.17g", *self) }
    }
}

impl Show for f32 {
    fn show(&self) {
        if self.is_nan() { put("NaN") } else { p!("%.9g", *self as f64) }
    }
}

impl Show for str {
    fn show(&self) {
        p!("\"%.*s\"", self.len() as i32, self.as_ptr());
    }
}

impl Show for () {
    fn show(&self) {
        put("()");
    }
}

impl Show for Ordering {
    fn show(&self) {
        put(match *self {
            Ordering::Less => "Less",
            Ordering::Equal => "Equal",
            Ordering::Greater => "Greater",
        });
    }
}

impl<T: Show + ?Sized> Show for &T {
    fn show(&self) {
        (**self).show()
    }
}

impl<T: Show + ?Sized> Show for &mut T {
    fn show(&self) {
        (**self).show()
    }
}

impl<T: Show> Show for [T] {
    fn show(&self) {
        put("[");
        let mut i = 0;
        while i < self.len() {
            if i > 0 {
                put(", ");
            }
            self[i].show();
            i += 1;
        }
        put("]");
    }
}

impl<T: Show, const N: usize> Show for [T; N] {
    fn show(&self) {
        (self as &[T]).show()
    }
}

impl<T: Show> Show for Option<T> {
    fn show(&self) {
        match self {
            Some(v) => {
                put("Some(");
                v.show();
                put(")");
            }
            None => put("None"),
        }
    }
}

macro_rules! show_tuples {
    ($(($($T:ident $i:tt),*))*) => {$(
        impl<$($T: Show),*> Show for ($($T,)*) {
            fn show(&self) {
                put("(");
                let mut first = true;
                $(
                    if !first {
                        put(", ");
                    }
                    first = false;
                    self.$i.show();
                )*
                put(")");
            }
        }
    )*};
}
show_tuples! {
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
}

/// `  label = value`
fn kv<T: Show>(label: &str, v: T) {
    put("  ");
    put(label);
    put(" = ");
    v.show();
    nl();
}

/// ` label=value`, for several values on one line.
fn field<T: Show>(label: &str, v: T) {
    put(" ");
    put(label);
    put("=");
    v.show();
}

// ===========================================================================
// Integers
// ===========================================================================

macro_rules! int_ops {
    (common $t:ident, $a:expr, $b:expr) => {{
        let a: $t = black_box($a);
        let b: $t = black_box($b);
        put("  ");
        put(mini_core::stringify!($t));
        put(":");
        field("a", a);
        field("b", b);
        field("add", a + b);
        field("sub", a - b);
        field("mul", a * b);
        field("div", a / b);
        field("rem", a % b);
        field("and", a & b);
        field("or", a | b);
        field("xor", a ^ b);
        field("not", !a);
        field("lt", a < b);
        field("le", a <= b);
        field("gt", a > b);
        field("ge", a >= b);
        field("eq", a == b);
        field("ne", a != b);
        (a, b)
    }};
    (signed $t:ident, $a:expr, $b:expr) => {{
        let (a, b) = int_ops!(common $t, $a, $b);
        field("neg", -a);
        nl();
    }};
    (unsigned $t:ident, $a:expr, $b:expr) => {{
        let _ = int_ops!(common $t, $a, $b);
        nl();
    }};
}

fn test_integers() {
    header("integers");
    int_ops!(signed i8, -12, 7);
    int_ops!(signed i8, 11, -9);
    int_ops!(signed i16, -1234, 25);
    int_ops!(signed i16, 300, -77);
    int_ops!(signed i32, -123456, 789);
    int_ops!(signed i32, 2_000_000, -1000);
    int_ops!(signed i64, -1234567890123, 4567);
    int_ops!(signed i64, 4_000_000_000_000_000_000, -2);
    int_ops!(signed i128, -12345678901234567890123, 98765432109);
    int_ops!(signed i128, 10000000000000000000000000000000000000, -17);
    int_ops!(signed isize, -987654, 321);
    int_ops!(signed isize, 1 << 40, -3);
    int_ops!(unsigned u8, 100, 2);
    int_ops!(unsigned u8, 19, 13);
    int_ops!(unsigned u16, 300, 217);
    int_ops!(unsigned u16, 1000, 65);
    int_ops!(unsigned u32, 123456, 34567);
    int_ops!(unsigned u32, 1_000_000_007, 4);
    int_ops!(unsigned u64, 18_000_000_000, 1_000_000_000);
    int_ops!(unsigned u64, 0x0dea_dbee_fcaf_ebab, 0x10);
    int_ops!(unsigned u128, 113427455640312821154458202477256070485, 3);
    int_ops!(unsigned usize, 123456789, 1000);

    // Compound assignment.
    let mut x: i32 = black_box(10);
    x += 5;
    x -= 3;
    x *= 4;
    x /= 5;
    x %= 7;
    x |= 0x100;
    x &= 0x1ff;
    x ^= 0x0f;
    kv("compound i32", x);

    // bool
    let t = black_box(true);
    let f = black_box(false);
    kv("bool t&f", t & f);
    kv("bool t|f", t | f);
    kv("bool t^t", t ^ t);
    kv("bool !f", !f);
    kv("bool t<f", t < f);
    kv("bool f<t", f < t);
    kv("bool t==t", t == t);
    let mut calls = 0u32;
    let mut side = |v: bool| {
        calls += 1;
        v
    };
    let sc = side(false) && side(true);
    let sc2 = side(true) || side(false);
    kv("short-circuit results", (sc, sc2));
    kv("short-circuit calls", calls);

    // char
    let a = black_box('a');
    let z = black_box('z');
    let e = black_box('é');
    kv("char a<z", a < z);
    kv("char e>z", e > z);
    kv("char a==a", a == black_box('a'));
    kv("char e", e);
    kv("char emoji", black_box('🦀'));
    kv("char len_utf8", ('a'.len_utf8(), e.len_utf8(), '€'.len_utf8()));
    kv("char max", char::MAX as u32);
}

fn test_overflow() {
    header("overflow");
    kv("i32::MAX.checked_add(1)", i32::MAX.checked_add(black_box(1)));
    kv("i32 100.checked_add(23)", 100i32.checked_add(black_box(23)));
    kv("u8 3.checked_sub(5)", 3u8.checked_sub(black_box(5)));
    kv("u8 200.checked_mul(2)", 200u8.checked_mul(black_box(2)));
    kv("i16 -300.checked_mul(100)", (-300i16).checked_mul(black_box(100)));
    kv("i64::MIN.checked_div(-1)", i64::MIN.checked_div(black_box(-1)));
    kv("i64 7.checked_div(0)", 7i64.checked_div(black_box(0)));
    kv("i32 -7.checked_rem(3)", (-7i32).checked_rem(black_box(3)));
    kv("i128::MAX.checked_mul(2)", i128::MAX.checked_mul(black_box(2)));
    kv("u128::MAX.overflowing_add(1)", u128::MAX.overflowing_add(black_box(1)));
    kv("i16::MIN.overflowing_sub(1)", i16::MIN.overflowing_sub(black_box(1)));
    kv("u32 0x10000.overflowing_mul(0x10001)", 0x10000u32.overflowing_mul(black_box(0x10001)));
    kv("i64 overflowing_mul", (-3_000_000_000i64).overflowing_mul(black_box(4_000_000_000)));
    kv("i8 127.wrapping_add(1)", 127i8.wrapping_add(black_box(1)));
    kv("u64 0.wrapping_sub(1)", 0u64.wrapping_sub(black_box(1)));
    kv("u16 300.wrapping_mul(300)", 300u16.wrapping_mul(black_box(300)));
    kv("i32::MIN.wrapping_neg()", black_box(i32::MIN).wrapping_neg());
    kv("i128 wrapping_mul", i128::MAX.wrapping_mul(black_box(3)));
    kv("i8 saturating_add", (100i8.saturating_add(black_box(100)), (-100i8).saturating_add(black_box(-100))));
    kv("u8 saturating_sub", (5u8.saturating_sub(black_box(10)), 250u8.saturating_add(black_box(10))));
    kv("i32 saturating_sub", i32::MIN.saturating_sub(black_box(1)));
    kv("u128 saturating_add", u128::MAX.saturating_add(black_box(5)));
    kv("i128 saturating_sub", i128::MIN.saturating_sub(black_box(1)));

    // Plain operators right at the limits: these have overflow checks in a
    // debug build but never overflow.
    let m = black_box(i32::MAX - 1);
    kv("i32::MAX-1 + 1", m + 1);
    kv("u8 254 + 1", black_box(254u8) + 1);
    kv("i8 -127 - 1", black_box(-127i8) - 1);
    kv("i64::MIN + 0", black_box(i64::MIN) + 0);
    kv("-(i32::MIN + 1)", -(black_box(i32::MIN) + 1));
    kv("u64 0xffffffff * 0x100000001", black_box(0xffff_ffffu64) * 0x1_0000_0001);
    kv("i16 -128 * 256", black_box(-128i16) * 256);
    kv("3i64.pow(20)", black_box(3i64).pow(20));
    kv("2u128.pow(127)", black_box(2u128).pow(127));
    kv("(-2i32).pow(31)", black_box(-2i32).pow(31));
}

fn test_shifts() {
    header("shifts");
    let one8 = black_box(1u8);
    let n7 = black_box(7u32);
    kv("1u8 << 7", one8 << n7);
    kv("0x80u8 >> 7", black_box(0x80u8) >> n7);
    kv("-1i32 >> 5", black_box(-1i32) >> 5);
    kv("-256i32 >> 4", black_box(-256i32) >> 4);
    kv("0x80000000u32 >> 31", black_box(0x8000_0000u32) >> 31);
    kv("i32 (-1) << 31", black_box(-1i32) << 31);
    kv("1i64 << 40u8", black_box(1i64) << black_box(40u8));
    kv("u64 >> i32", black_box(0xff00_0000_0000_0000u64) >> black_box(56i32));
    kv("i64::MIN >> 63u16", black_box(i64::MIN) >> black_box(63u16));
    kv("1u128 << 100", black_box(1u128) << black_box(100u32));
    kv("u128::MAX >> 127", black_box(u128::MAX) >> black_box(127u8));
    kv("i128 -12345 << 64", black_box(-12345i128) << black_box(64i64));
    kv("i128 neg >> 64", black_box(-(1i128 << 100)) >> black_box(64usize));
    kv("3u8 << 2i128", black_box(3u8) << black_box(2i128));
    kv("u16 >> u128", black_box(0xabcdu16) >> black_box(8u128));
    kv("1u32.wrapping_shl(33)", 1u32.wrapping_shl(black_box(33)));
    kv("1u64.wrapping_shl(70)", 1u64.wrapping_shl(black_box(70)));
    kv("1u128.wrapping_shl(130)", 1u128.wrapping_shl(black_box(130)));
    kv("i8::MIN.wrapping_shr(9)", i8::MIN.wrapping_shr(black_box(9)));
    kv("i16 -2.wrapping_shr(17)", (-2i16).wrapping_shr(black_box(17)));
    let mut s = black_box(0x0123_4567_89ab_cdefu64);
    s <<= 4u32;
    s >>= 8i32;
    kv("u64 <<= 4, >>= 8", s);
    let mut si = black_box(-100i8);
    si >>= 2u8;
    kv("i8 -100 >>= 2", si);
}

fn test_division() {
    header("division");
    let pairs: [(i32, i32); 6] = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (-2147483647, 10)];
    let mut i = 0;
    while i < pairs.len() {
        let (a, b) = black_box(pairs[i]);
        put("  i32");
        field("a", a);
        field("b", b);
        field("div", a / b);
        field("rem", a % b);
        nl();
        i += 1;
    }
    let a8 = black_box(-128i8);
    kv("i8 -128 / 3, % 3", (a8 / 3, a8 % 3));
    kv("i8 -128 / 1", a8 / black_box(1));
    kv("i16 -32768 / 255", black_box(-32768i16) / black_box(255));
    kv("i64 / %", (black_box(-9_000_000_000_000_000_007i64) / black_box(1000), black_box(-9_000_000_000_000_000_007i64) % black_box(1000)));
    kv("i128 MIN / 3", black_box(i128::MIN) / black_box(3));
    kv("i128 MIN % 7", black_box(i128::MIN) % black_box(7));
    kv("i128 -10^30 / -7", black_box(-1_000_000_000_000_000_000_000_000_000_000i128) / black_box(-7));
    kv("isize -1 / 1", black_box(-1isize) / black_box(1));
    kv("u8 255 / 16, % 16", (black_box(255u8) / 16, black_box(255u8) % 16));
    kv("u32 MAX / 3", black_box(u32::MAX) / black_box(3));
    kv("u64 MAX / 3", black_box(u64::MAX) / black_box(3));
    kv("u64 MAX % 1000", black_box(u64::MAX) % black_box(1000));
    kv("u128 MAX / 7", black_box(u128::MAX) / black_box(7));
    kv("u128 MAX % 1e19", black_box(u128::MAX) % black_box(10_000_000_000_000_000_000));
    kv("u128 big / big", black_box(u128::MAX - 12345) / black_box((1u128 << 64) + 1));
    kv("usize 1000 / 7", black_box(1000usize) / black_box(7));
    kv("exact_div i32", unsafe { intrinsics::exact_div(black_box(-144i32), black_box(12)) });
    kv("exact_div u64", unsafe { intrinsics::exact_div(black_box(1u64 << 40), black_box(1024)) });
    kv("unchecked_div i64", unsafe { intrinsics::unchecked_div(black_box(-100i64), black_box(7)) });
    kv("unchecked_rem u16", unsafe { intrinsics::unchecked_rem(black_box(1000u16), black_box(7)) });
}

fn test_i128() {
    header("i128");
    kv("i128::MIN", i128::MIN);
    kv("i128::MAX", i128::MAX);
    kv("u128::MAX", u128::MAX);
    let a = black_box(12345678901234567890u128);
    let b = black_box(9876543210u128);
    kv("u128 mul", a * b);
    kv("u128 mul/div", (a * b) / b);
    kv("u128 rem", (a * b + 17) % b);
    let c = black_box(-98765432109876543210987654321i128);
    let d = black_box(1234567890123i128);
    kv("i128 mul", c * 3);
    kv("i128 div", c / d);
    kv("i128 rem", c % d);
    kv("i128 neg", -c);
    kv("i128 cmp", (c < d, c > d, c == c, -c > d));
    let hi = black_box(1u128 << 127);
    kv("u128 high bit cmp", (hi > (1u128 << 126), hi >= hi, hi < 1));
    kv("u128 compose", ((black_box(0xdead_beefu64) as u128) << 64) | black_box(0x1234u64) as u128);
    kv("u128 split", ((a * b) >> 64) as u64);
    kv("u128 low", (a * b) as u64);
    kv("i128 MIN >> 127", black_box(i128::MIN) >> 127);
    kv("u128 leading/trailing zeros", (a.leading_zeros(), a.trailing_zeros()));
    kv("u128 count_ones(MAX)", u128::MAX.count_ones());
    kv("i128 abs diff", {
        let (x, y) = (black_box(-5i128), black_box(7i128));
        if x > y { x - y } else { y - x }
    });
    // Digits of a factorial, computed by repeated multiplication.
    let mut fact = 1u128;
    let mut n = 1u128;
    while n <= 34 {
        fact *= n;
        n += 1;
    }
    kv("34!", fact);
    kv("34! / 33!", fact / (fact / 34));
}

// ===========================================================================
// Floats
// ===========================================================================

fn test_floats() {
    header("floats");
    let a = black_box(1.5f64);
    let b = black_box(-0.25f64);
    kv("add", a + b);
    kv("sub", a - b);
    kv("mul", a * b);
    kv("div", a / b);
    kv("rem", black_box(7.5f64) % black_box(2.0));
    kv("neg", -a);
    kv("cmp", (a < b, a > b, a == a, a != b));
    let nan = black_box(f64::NAN);
    kv("nan == nan", nan == nan);
    kv("nan != nan", nan != nan);
    kv("nan < 1, nan >= 1", (nan < 1.0, nan >= 1.0));
    kv("partial_cmp(nan, 1)", nan.partial_cmp(&1.0).is_none());
    kv("partial_cmp(1, 2)", black_box(1.0f64).partial_cmp(&2.0));
    kv("inf", 1.0 / black_box(0.0f64));
    kv("-inf", -1.0 / black_box(0.0f64));
    kv("inf - inf", f64::INFINITY - black_box(f64::INFINITY));
    kv("-0.0", black_box(-0.0f64));
    kv("0.1 + 0.2", black_box(0.1f64) + black_box(0.2));
    let x = black_box(0.1f32);
    let y = black_box(0.2f32);
    kv("f32 0.1 + 0.2", x + y);
    kv("f32 mul div", (x * y, x / y));
    kv("f32 cmp", (x < y, x == black_box(0.1f32)));
    kv("f32 rem", black_box(5.5f32) % black_box(2.0f32));
    kv("sqrt(2)", black_box(2.0f64).sqrt());
    kv("sqrt f32(2)", black_box(2.0f32).sqrt());
    kv("floor/ceil(-2.5)", (black_box(-2.5f64).floor(), black_box(-2.5f64).ceil()));
    kv("floor f32(2.7)", black_box(2.7f32).floor());
    kv("trunc(-2.7)", black_box(-2.7f64).trunc());
    kv("round(2.5), round(-2.5)", (black_box(2.5f64).round(), black_box(-2.5f64).round()));
    kv("abs(-3.25)", black_box(-3.25f64).abs());
    kv("abs f32(-1.5)", black_box(-1.5f32).abs());
    kv("copysign(3, -0.0)", black_box(3.0f64).copysign(black_box(-0.0)));
    kv("mul_add(2, 3, 4)", black_box(2.0f64).mul_add(black_box(3.0), black_box(4.0)));
    kv("min(1, 2), max(1, 2)", (black_box(1.0f64).min(2.0), black_box(1.0f64).max(2.0)));
    kv("min(1, nan), max(nan, 1)", (black_box(1.0f64).min(nan), nan.max(black_box(1.0))));
    kv("minimum(1, nan)", intrinsics::minimumf64(black_box(1.0), nan).is_nan());
    kv("maximum(-1, 3)", intrinsics::maximumf64(black_box(-1.0), black_box(3.0)));
    kv("powi(2, 10)", black_box(2.0f64).powi(black_box(10)));
    kv("powi(1.5, 3)", black_box(1.5f64).powi(3));
    kv("1.0 to_bits", black_box(1.0f64).to_bits());
    kv("-0.0 to_bits", black_box(-0.0f64).to_bits());
    kv("f32 1.0 to_bits", black_box(1.0f32).to_bits());
    kv("from_bits", f64::from_bits(black_box(0x4009_21fb_5444_2d18)));
    kv("f32 from_bits", f32::from_bits(black_box(0x4049_0fdb)));
    kv("transmute f64 -> i64", unsafe { mem::transmute::<f64, i64>(black_box(-2.0)) });
    kv("f64::MAX, MIN_POSITIVE", (f64::MAX, f64::MIN_POSITIVE));
    kv("f32::MAX", f32::MAX);
    p!("  printf %%f: %f %.3f %.1f %e\n", a, black_box(3.14159f64), black_box(-0.05f64), black_box(12345.678f64));
    p!("  printf f32 promoted: %.3f\n", black_box(2.5f32) as f64);
    // More floating-point variadic arguments than fit in registers.
    p!(
        "  printf 10 doubles: %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f\n",
        1.0f64, 2.0f64, 3.0f64, 4.0f64, 5.0f64, 6.0f64, 7.0f64, 8.0f64, black_box(9.0f64), 10.0f64
    );
    p!(
        "  printf mixed: %d %.2f %lld %.2f %u %.2f %d %.2f %d %.2f %d\n",
        1i32, 0.5f64, -2i64, 1.25f64, 3u32, 2.75f64, 4i32, 3.5f64, 5i32, black_box(4.25f64), 6i32
    );
    // Float accumulation in a loop.
    let mut acc = 0.0f64;
    let mut i = 1;
    while i <= 10 {
        acc += 1.0 / (i as f64);
        i += 1;
    }
    kv("harmonic(10)", acc);
}

// ===========================================================================
// Casts
// ===========================================================================

fn double(x: i32) -> i32 {
    x * 2
}

fn test_casts() {
    header("casts");
    // Integer to integer.
    kv("300i32 as u8", black_box(300i32) as u8);
    kv("-1i32 as u32", black_box(-1i32) as u32);
    kv("-1i8 as u64", black_box(-1i8) as u64);
    kv("-1i8 as u128", black_box(-1i8) as u128);
    kv("u64::MAX as i32", black_box(u64::MAX) as i32);
    kv("200u8 as i8", black_box(200u8) as i8);
    kv("-56i8 as i128", black_box(-56i8) as i128);
    kv("u128::MAX as i64", black_box(u128::MAX) as i64);
    kv("i128 as u16", black_box(-70000i128) as u16);
    kv("0xfedcba9876543210 as i16", black_box(0xfedc_ba98_7654_3210u64) as i16);
    kv("u32 as i64", black_box(4_000_000_000u32) as i64);
    kv("i32 as usize", black_box(-2i32) as usize);
    kv("usize as u8", black_box(0x1234usize) as u8);
    kv("i16 as u32", black_box(-2i16) as u32);
    // Float to integer: truncation and saturation.
    kv("3.99 as i32", black_box(3.99f64) as i32);
    kv("-3.99 as i32", black_box(-3.99f64) as i32);
    kv("-1.5 as u8", black_box(-1.5f64) as u8);
    kv("300.0 as u8", black_box(300.0f64) as u8);
    kv("1e20 as i32", black_box(1e20f64) as i32);
    kv("-1e20 as i64", black_box(-1e20f64) as i64);
    kv("nan as i32", black_box(f64::NAN) as i32);
    kv("nan as u128", black_box(f64::NAN) as u128);
    kv("inf as u64", black_box(f64::INFINITY) as u64);
    kv("-inf as i16", black_box(f64::NEG_INFINITY) as i16);
    kv("1e30 as i128", black_box(1e30f64) as i128);
    kv("-1e30 as u128", black_box(-1e30f64) as u128);
    kv("1e40 as u128", black_box(1e40f64) as u128);
    kv("f32 65535.9 as u16", black_box(65535.9f32) as u16);
    kv("f32 -129.0 as i8", black_box(-129.0f32) as i8);
    kv("f32 3e9 as u32", black_box(3e9f32) as u32);
    kv("f32 nan as i64", black_box(f32::NAN) as i64);
    // Integer to float.
    kv("i64::MIN as f64", black_box(i64::MIN) as f64);
    kv("u64::MAX as f64", black_box(u64::MAX) as f64);
    kv("u64::MAX as f32", black_box(u64::MAX) as f32);
    kv("-5i8 as f32", black_box(-5i8) as f32);
    kv("u128::MAX as f64", black_box(u128::MAX) as f64);
    kv("i128::MIN as f32", black_box(i128::MIN) as f32);
    kv("16777217i32 as f32", black_box(16_777_217i32) as f32);
    kv("9007199254740993u64 as f64", black_box(9_007_199_254_740_993u64) as f64);
    // Float to float.
    kv("0.1f32 as f64", black_box(0.1f32) as f64);
    kv("1e300 as f32", black_box(1e300f64) as f32);
    kv("0.1f64 as f32", black_box(0.1f64) as f32);
    kv("nan f64 as f32", (black_box(f64::NAN) as f32).is_nan());
    // bool, char, u8.
    kv("true as i32, false as u8", (black_box(true) as i32, black_box(false) as u8));
    kv("'A' as u32", black_box('A') as u32);
    kv("'é' as u8", black_box('é') as u8);
    kv("'🦀' as u32", black_box('🦀') as u32);
    kv("66u8 as char", black_box(66u8) as char);
    kv("233u8 as char", black_box(233u8) as char);
    // Pointers and integers.
    let arr = [11u32, 22, 33, 44];
    let p = &arr[0] as *const u32;
    let addr = p as usize;
    let p2 = (addr + 2 * mem::size_of::<u32>()) as *const u32;
    kv("ptr -> usize -> ptr", unsafe { *p2 });
    kv("usize addr diff", (&arr[3] as *const u32 as usize) - addr);
    kv("null as usize", ptr::null::<u8>() as usize);
    kv("ptr aligned", addr % mem::align_of::<u32>());
    // Function items and closures to function pointers.
    let f: fn(i32) -> i32 = double;
    kv("fn item -> fn ptr", f(21));
    let g = double as fn(i32) -> i32;
    kv("fn ptr not null", g as usize != 0);
    let h: fn(i32) -> i32 = |x| x + 100;
    kv("closure -> fn ptr", h(black_box(5)));
    let fns: [fn(i32) -> i32; 3] = [double, |x| x - 1, h];
    kv("fn ptr array", (fns[0](3), fns[1](3), fns[2](3)));
    // Unsizing.
    let arr_ref: &[u32; 4] = &arr;
    let slice: &[u32] = arr_ref;
    kv("array ref -> slice len", slice.len());
    let show: &dyn Show = &black_box(77u16);
    put("  &u16 -> &dyn Show = ");
    show.show();
    nl();
    let raw_slice: *const [u32] = slice as *const [u32];
    kv("fat ptr -> thin ptr", unsafe { *(raw_slice as *const u32) });
    let raw_dyn: *const dyn Show = show;
    kv("dyn ptr -> thin ptr", unsafe { *(raw_dyn as *const u16) });
    kv("*const u32 -> *const u8 byte sum", {
        let bytes = &black_box(0x0102_0304u32) as *const u32 as *const u8;
        let mut sum = 0u32;
        let mut i = 0;
        while i < 4 {
            sum += unsafe { *bytes.add(i) } as u32;
            i += 1;
        }
        sum
    });
    let mut m = 5i32;
    let mp = &mut m as *mut i32;
    let cp = mp as *const i32;
    kv("*mut -> *const", unsafe { *cp });
    kv("*const [u8] -> *const [i8]", unsafe {
        let s: &[u8] = &[250u8, 1, 2];
        let r = &*(s as *const [u8] as *const [i8]);
        (r.len(), r[0])
    });
    kv("enum as i32", Direction::West as i32);
    kv("repr(u8) enum as u8", Color::Blue as u8);
    kv("repr(i64) enum as i64", Big::Neg as i64);
}

// ===========================================================================
// Pointers and references
// ===========================================================================

struct Pair {
    a: u16,
    b: i64,
}

fn test_pointers() {
    header("pointers");
    let arr = [10i32, 20, 30, 40, 50];
    let p = arr.as_ptr();
    unsafe {
        kv("p.add(2)", *p.add(black_box(2)));
        let q = p.add(4);
        kv("q.offset(-3)", *q.offset(black_box(-3)));
        kv("q.offset_from(p)", q.offset_from(p));
        kv("p.offset_from(q)", p.offset_from(q));
        kv("ptr_offset_from_unsigned", intrinsics::ptr_offset_from_unsigned(q, p));
        kv("p < q, p == p+0, p != q", (p < q, p == p.add(0), p != q));
        kv("q >= p, q <= p", (q >= p, q <= p));
        kv("wrapping_offset", *p.wrapping_offset(3));
        kv("offset via intrinsic", *intrinsics::offset(p, black_box(1isize)));
        kv("byte offset", *((p as *const u8).add(8) as *const i32));
        kv("sub", *q.sub(1));
    }
    let mut x = black_box(5i32);
    {
        let r = &mut x;
        *r += 10;
        let rr = &mut *r;
        *rr *= 2;
    }
    kv("write through &mut", x);
    let rr = &&&x;
    kv("deref &&&", ***rr);
    let mp = &raw mut x;
    unsafe {
        *mp = 99;
        mp.write(mp.read() + 1);
    }
    kv("write through *mut", x);
    let mut pair = Pair { a: 1, b: -2 };
    let pb = &raw mut pair.b;
    unsafe { *pb = -12345678901 };
    let pa = &pair.a as *const u16;
    kv("field pointers", (unsafe { *pa }, pair.b));
    let mut other = Pair { a: 7, b: 8 };
    mem::swap(&mut pair, &mut other);
    kv("mem::swap", (pair.a, pair.b, other.a));
    let old = mem::replace(&mut pair.a, 1000);
    kv("mem::replace", (old, pair.a));
    unsafe {
        let mut buf = [0u64; 3];
        ptr::write(&mut buf[1], 0xabcdef);
        kv("ptr::write/read", ptr::read(&buf[1]));
    }
    kv("is_null", (ptr::null::<u32>().is_null(), p.is_null(), ptr::null_mut::<u8>().is_null()));
    kv("NonNull::new(null)", NonNull::new(ptr::null_mut::<u8>()).is_none());
    let mut target = 3u8;
    let nn = NonNull::new(&mut target as *mut u8).unwrap();
    unsafe { *nn.as_ptr() += 4 };
    kv("NonNull write", target);
    // A reference to a slice element, modified through a slice of the array.
    let mut data = [1u8, 2, 3, 4, 5];
    {
        let s: &mut [u8] = &mut data[1..4];
        s[0] = 20;
        let last = s.len() - 1;
        s[last] = 40;
    }
    kv("write through &mut [T]", data);
}

// ===========================================================================
// Structs, tuples, arrays, slices
// ===========================================================================

struct Point {
    x: i32,
    y: i32,
}

impl Copy for Point {}

impl Show for Point {
    fn show(&self) {
        put("Point(");
        self.x.show();
        put(", ");
        self.y.show();
        put(")");
    }
}

struct Mixed {
    a: u8,
    b: u64,
    c: u16,
    d: f32,
    e: bool,
    f: char,
    g: i128,
}

struct Nested {
    origin: Point,
    corners: [Point; 2],
    tag: (u8, (i16, u32)),
    mixed: Mixed,
}

struct Unit;
struct Meters(f64);
struct Empty {}
struct Generic<T> {
    value: T,
    count: usize,
}

fn make_nested(seed: i32) -> Nested {
    Nested {
        origin: Point { x: seed, y: -seed },
        corners: [Point { x: seed * 2, y: 0 }, Point { x: 0, y: seed * 3 }],
        tag: (seed as u8, (-(seed as i16), seed as u32 * 1000)),
        mixed: Mixed {
            a: 1,
            b: 0x1_0000_0000,
            c: 65535,
            d: 0.5,
            e: true,
            f: 'Z',
            g: -(seed as i128) << 100,
        },
    }
}

fn test_aggregates() {
    header("aggregates");
    let n = make_nested(black_box(7));
    kv("origin", n.origin);
    kv("corners", n.corners);
    kv("tag", n.tag);
    kv("tag.1.1", n.tag.1.1);
    let m = &n.mixed;
    put("  mixed:");
    field("a", m.a);
    field("b", m.b);
    field("c", m.c);
    field("d", m.d);
    field("e", m.e);
    field("f", m.f);
    field("g", m.g);
    nl();
    kv("size_of Mixed, Nested", (mem::size_of::<Mixed>(), mem::size_of::<Nested>()));
    kv("align_of Mixed", mem::align_of::<Mixed>());
    kv("size_of Unit, Empty, (), Meters", (mem::size_of::<Unit>(), mem::size_of::<Empty>(), mem::size_of::<()>()));
    let mut pt = Point { x: 1, y: 2 };
    let pt2 = Point { y: 20, ..pt };
    pt.x += 100;
    kv("struct update", (pt, pt2));
    let Point { x: px, y: py } = pt2;
    kv("destructure", (px, py));
    let tuple = (black_box(1u8), black_box(-2i64), (black_box('t'), black_box(2.5f32)));
    let (t0, t1, (t2, t3)) = tuple;
    kv("tuple", (t0, t1, t2));
    kv("tuple.2.1", t3);
    let mut t = (0u32, 0u64);
    t.0 = 5;
    t.1 = t.0 as u64 * 3;
    kv("tuple fields", t);
    let meters = Meters(black_box(3.5));
    kv("tuple struct", meters.0);
    let g = Generic { value: (1i16, 2u8), count: 3 };
    kv("generic struct", (g.value, g.count));
    let swapped = swap_tuple(black_box((10u64, -3i8)));
    kv("tuple by value", swapped);
    let big = (1u8, 2u16, 3u32, 4u64, 5u128, 6i8, 7i16, 8i32, 9i64, 10i128, 11.0f32, 12.0f64);
    kv("12-tuple fields", (big.0 as u32 + big.5 as u32, big.9, big.11));
}

fn swap_tuple(t: (u64, i8)) -> (i8, u64) {
    (t.1, t.0)
}

fn sum_array<const N: usize>(a: [u32; N]) -> u32 {
    let mut sum = 0;
    let mut i = 0;
    while i < N {
        sum += a[i];
        i += 1;
    }
    sum
}

fn reverse_in_place<T>(s: &mut [T]) {
    if s.is_empty() {
        return;
    }
    let mut i = 0;
    let mut j = s.len() - 1;
    while i < j {
        s.swap(i, j);
        i += 1;
        j -= 1;
    }
}

fn test_arrays() {
    header("arrays and slices");
    let mut a = [3i32, 1, 4, 1, 5, 9, 2, 6];
    let idx = black_box(5usize);
    kv("a[idx]", a[idx]);
    a[idx] = 90;
    a[0] += 10;
    kv("a", a);
    let mut sum = 0;
    let mut i = 0;
    while i < a.len() {
        sum += a[i];
        i += 1;
    }
    kv("while sum", sum);
    let mut prod = 1i64;
    for i in 0..4 {
        prod *= a[i] as i64;
    }
    kv("for product", prod);
    let rep = [black_box(7u8); 16];
    kv("[7u8; 16]", rep);
    let big = [black_box(3u32); 100];
    kv("sum [3; 100]", sum_array(big));
    let pts = [Point { x: 1, y: 2 }; 3];
    kv("[Point; 3]", pts);
    let zero: [u64; 0] = [];
    kv("[u64; 0] len", zero.len());
    let mut grid = [[0i32; 4]; 3];
    let mut r = 0;
    while r < 3 {
        let mut c = 0;
        while c < 4 {
            grid[r][c] = (r * 10 + c) as i32;
            c += 1;
        }
        r += 1;
    }
    kv("grid", grid);
    kv("grid[2][3]", grid[black_box(2)][black_box(3)]);
    let s: &[i32] = &a[2..6];
    kv("slice", s);
    kv("slice len, s[1]", (s.len(), s[1]));
    let ss = &s[1..3];
    kv("sub-slice", ss);
    kv("empty slice", &a[3..3]);
    kv("slice first, get(10)", (s.first(), s.get(10)));
    let mut v = [1u16, 2, 3, 4, 5, 6, 7];
    reverse_in_place(&mut v);
    kv("reversed", v);
    reverse_in_place(&mut v[0..3]);
    kv("partially reversed", v);
    kv("array eq", ([1, 2, 3] == [1, 2, 3], [1, 2, 3] == [1, 2, 4]));
    let sl1: &[u8] = b"abc";
    kv("slice eq", (sl1 == b"abc" as &[u8], sl1 == b"abd" as &[u8]));
    kv("array by value", sum_array([black_box(1u32), 2, 3]));
    kv("size_of [u16; 7]", mem::size_of::<[u16; 7]>());
    let nested_slices: [&[u8]; 3] = [b"x", b"yy", b"zzz"];
    let mut total = 0;
    for k in 0..nested_slices.len() {
        total += nested_slices[k].len();
    }
    kv("slice of slices total len", total);
    let mut arr2 = [0u8; 5];
    let mut i = 0;
    while i < arr2.len() {
        arr2[i] = (i * i) as u8;
        i += 1;
    }
    kv("filled", arr2);
}

// ===========================================================================
// Enums
// ===========================================================================

enum Direction {
    North,
    East,
    South,
    West,
}

#[repr(u8)]
enum Color {
    Red = 1,
    Green = 2,
    Blue = 200,
}

#[repr(i64)]
enum Big {
    Neg = -5_000_000_000,
    Zero = 0,
    Pos = 9_000_000_000_000_000_000,
}

#[repr(u64)]
enum UBig {
    Low = 1,
    High = 0xffff_ffff_ffff_fff0,
}

enum Sparse {
    A = -3,
    B,
    C = 100,
    D,
}

enum Wide {
    A = 1000,
    B = 70000,
}

enum Shape {
    Circle(f64),
    Rect { w: u32, h: u32 },
    Empty,
    Tri(u8, u16, u32),
}

/// The `bool` in `A` has a niche that `B` and `C` use.
enum NicheData {
    A(bool, u8),
    B,
    C,
}

/// Niche in the `char` of `Letter`.
enum CharOrNone {
    Letter(char),
    Nothing,
    Unknown,
}

enum Single {
    Only(u32, u16),
}

enum Void {}

enum MaybeVoid {
    Value(u32),
    Never(Void),
}

enum LargeData {
    Bytes([u8; 24]),
    Word(u64),
    Nothing,
}

enum Tree {
    Leaf(i32),
    Node(Box<Tree>, Box<Tree>),
}

// This nightly has no `rustc_layout_scalar_valid_range_*` attributes any
// more; restricted ranges are written as pattern types, as in core.

/// Like `NonZeroU32`: 0 is invalid, so `Option<NonZero>` is 4 bytes.
#[repr(transparent)]
#[rustc_nonnull_optimization_guaranteed]
struct NonZero(pattern_type!(u32 is 1..));

impl Copy for NonZero {}

impl NonZero {
    fn new(v: u32) -> Option<NonZero> {
        if v == 0 { None } else { Some(NonZero(unsafe { mem::transmute::<u32, pattern_type!(u32 is 1..)>(v) })) }
    }
    fn get(self) -> u32 {
        unsafe { mem::transmute::<pattern_type!(u32 is 1..), u32>(self.0) }
    }
}

/// 255 is invalid, so `Option<Byte>` uses it for `None`.
#[repr(transparent)]
struct Byte(pattern_type!(u8 is 0..=254));

impl Copy for Byte {}

impl Byte {
    fn new(v: u8) -> Option<Byte> {
        if v == 255 { None } else { Some(Byte(unsafe { mem::transmute::<u8, pattern_type!(u8 is 0..=254)>(v) })) }
    }
    fn get(self) -> u8 {
        unsafe { mem::transmute::<pattern_type!(u8 is 0..=254), u8>(self.0) }
    }
}

fn make_shape(k: u32) -> Shape {
    match k {
        0 => Shape::Circle(1.5),
        1 => Shape::Rect { w: 3, h: 4 },
        2 => Shape::Empty,
        _ => Shape::Tri(k as u8, 300, 70000),
    }
}

fn area(s: &Shape) -> f64 {
    match s {
        Shape::Circle(r) => 3.0 * *r * *r,
        Shape::Rect { w, h } => (*w * *h) as f64,
        Shape::Empty => 0.0,
        Shape::Tri(a, b, c) => (*a as u32 + *b as u32 + *c) as f64,
    }
}

fn make_niche(k: u8) -> NicheData {
    match k {
        0 => NicheData::A(true, 42),
        1 => NicheData::A(false, 7),
        2 => NicheData::B,
        _ => NicheData::C,
    }
}

fn niche_name(n: &NicheData) -> &'static str {
    match n {
        NicheData::A(true, _) => "A(true, _)",
        NicheData::A(false, _) => "A(false, _)",
        NicheData::B => "B",
        NicheData::C => "C",
    }
}

fn sum_tree(t: &Tree) -> i32 {
    match t {
        Tree::Leaf(v) => *v,
        Tree::Node(l, r) => sum_tree(l) + sum_tree(r),
    }
}

fn test_enums() {
    header("enums");
    let dirs = [Direction::North, Direction::East, Direction::South, Direction::West];
    let mut i = 0;
    while i < 4 {
        let d = &dirs[black_box(i)];
        let name = match d {
            Direction::North => "North",
            Direction::East => "East",
            Direction::South => "South",
            Direction::West => "West",
        };
        put("  ");
        put(name);
        field("as u8", intrinsics::discriminant_value(d) as u8);
        nl();
        i += 1;
    }
    kv("Color as u8", (Color::Red as u8, Color::Green as u8, Color::Blue as u8));
    let c = black_box(Color::Blue);
    kv("Color match", match c {
        Color::Red => 1,
        Color::Green => 2,
        Color::Blue => 3,
    });
    kv("Color discriminant_value", intrinsics::discriminant_value(&c));
    kv("Color size", mem::size_of::<Color>());
    kv("Big values", (Big::Neg as i64, Big::Zero as i64, Big::Pos as i64));
    let bg = black_box(Big::Neg);
    kv("Big match", match bg {
        Big::Neg => "Neg",
        Big::Zero => "Zero",
        Big::Pos => "Pos",
    });
    kv("Big discriminant_value", intrinsics::discriminant_value(&black_box(Big::Pos)));
    kv("Big size", mem::size_of::<Big>());
    kv("UBig", (UBig::Low as u64, UBig::High as u64));
    kv("UBig match", match black_box(UBig::High) {
        UBig::Low => 0,
        UBig::High => 1,
    });
    kv("Sparse", (Sparse::A as i32, Sparse::B as i32, Sparse::C as i32, Sparse::D as i32));
    kv("Sparse discriminant_value", intrinsics::discriminant_value(&black_box(Sparse::B)));
    kv("Sparse size", mem::size_of::<Sparse>());
    kv("Wide", (Wide::A as u32, Wide::B as u32, mem::size_of::<Wide>()));

    // Data-carrying, tagged.
    let mut k = 0;
    while k < 4 {
        let s = make_shape(black_box(k));
        put("  shape");
        field("k", k);
        field("area", area(&s));
        field("discr", intrinsics::discriminant_value(&s));
        nl();
        k += 1;
    }
    kv("Shape size", mem::size_of::<Shape>());
    kv("variant_count Shape", mem::variant_count::<Shape>());

    // Niche-filled.
    let mut k = 0u8;
    while k < 4 {
        let n = make_niche(black_box(k));
        put("  niche ");
        put(niche_name(&n));
        if let NicheData::A(_, v) = n {
            field("payload", v);
        }
        field("discr", intrinsics::discriminant_value(&n));
        nl();
        k += 1;
    }
    kv("NicheData size", mem::size_of::<NicheData>());
    let cn = [CharOrNone::Letter('q'), CharOrNone::Nothing, CharOrNone::Unknown];
    let mut i = 0;
    while i < 3 {
        kv("CharOrNone", match &cn[black_box(i)] {
            CharOrNone::Letter(c) => *c as u32,
            CharOrNone::Nothing => 0,
            CharOrNone::Unknown => 1,
        });
        i += 1;
    }
    kv("CharOrNone size", mem::size_of::<CharOrNone>());
    let single = Single::Only(black_box(5), 6);
    let Single::Only(s0, s1) = single;
    kv("Single", (s0, s1, mem::size_of::<Single>()));
    let mv = black_box(MaybeVoid::Value(11));
    kv("MaybeVoid", match mv {
        MaybeVoid::Value(v) => v,
        MaybeVoid::Never(v) => match v {},
    });
    kv("MaybeVoid size", mem::size_of::<MaybeVoid>());
    let ld = [LargeData::Bytes([9; 24]), LargeData::Word(1 << 60), LargeData::Nothing];
    let mut i = 0;
    while i < 3 {
        kv("LargeData", match &ld[black_box(i)] {
            LargeData::Bytes(b) => b[23] as u64,
            LargeData::Word(w) => *w,
            LargeData::Nothing => 0,
        });
        i += 1;
    }
    kv("LargeData size", mem::size_of::<LargeData>());
    let tree = Tree::Node(
        Box::new(Tree::Leaf(1)),
        Box::new(Tree::Node(Box::new(Tree::Leaf(20)), Box::new(Tree::Leaf(300)))),
    );
    kv("tree sum", sum_tree(&tree));
}

fn test_niches() {
    header("niches");
    let n = 5u32;
    let some_ref: Option<&u32> = black_box(Some(&n));
    let none_ref: Option<&u32> = black_box(None);
    kv("Option<&u32>", (some_ref, none_ref));
    kv("size_of Option<&u32>", mem::size_of::<Option<&u32>>());
    kv("None::<&u32> as usize", unsafe { mem::transmute::<Option<&u32>, usize>(none_ref) });
    let onz: Option<NonZero> = NonZero::new(black_box(9));
    let onz_none: Option<NonZero> = NonZero::new(black_box(0));
    kv("Option<NonZero>", (onz.map(|v| v.get()), onz_none.is_none()));
    kv("size_of NonZero, Option<NonZero>", (mem::size_of::<NonZero>(), mem::size_of::<Option<NonZero>>()));
    kv("None::<NonZero> bits", unsafe { mem::transmute::<Option<NonZero>, u32>(onz_none) });
    kv("Some(NonZero(9)) bits", unsafe { mem::transmute::<Option<NonZero>, u32>(onz) });
    let mut target = 1u16;
    let onn: Option<NonNull<u16>> = black_box(NonNull::new(&mut target as *mut u16));
    let onn_none: Option<NonNull<u16>> = black_box(NonNull::new(ptr::null_mut()));
    kv("Option<NonNull<u16>>", (onn.map(|p| unsafe { *p.as_ptr() }), onn_none.is_none()));
    kv("size_of Option<NonNull<u16>>, Option<NonNull<[u8]>>", (mem::size_of::<Option<NonNull<u16>>>(), mem::size_of::<Option<NonNull<[u8]>>>()));
    kv("None::<NonNull<u16>> as usize", unsafe { mem::transmute::<Option<NonNull<u16>>, usize>(onn_none) });
    let ob: Option<Byte> = Byte::new(black_box(255));
    kv("Option<Byte> None bits", unsafe { mem::transmute::<Option<Byte>, u8>(ob) });
    kv("Option<Byte> Some", Byte::new(black_box(254)).map(|b| b.get()));
    kv("size_of Option<Option<Byte>>", mem::size_of::<Option<Option<Byte>>>());
    let bools: [Option<bool>; 3] = [Some(true), Some(false), None];
    let mut i = 0;
    while i < 3 {
        let b = black_box(bools[i]);
        put("  Option<bool>");
        field("value", b);
        field("bits", unsafe { mem::transmute::<Option<bool>, u8>(b) });
        nl();
        i += 1;
    }
    let nested: [Option<Option<bool>>; 4] = [Some(Some(true)), Some(Some(false)), Some(None), None];
    let mut i = 0;
    while i < 4 {
        let b = black_box(nested[i]);
        put("  Option<Option<bool>>");
        field("value", b);
        field("bits", unsafe { mem::transmute::<Option<Option<bool>>, u8>(b) });
        nl();
        i += 1;
    }
    let chars: [Option<char>; 2] = [Some('x'), None];
    kv("Option<char>", chars);
    kv("None::<char> bits", unsafe { mem::transmute::<Option<char>, u32>(black_box(chars[1])) });
    let occ: Option<Option<char>> = black_box(Some(None));
    kv("Some(None)::<char> bits", unsafe { mem::transmute::<Option<Option<char>>, u32>(occ) });
    kv("size_of Option<char>, Option<Option<char>>", (mem::size_of::<Option<char>>(), mem::size_of::<Option<Option<char>>>()));
    let ord: Option<Ordering> = black_box(None);
    kv("None::<Ordering> bits", unsafe { mem::transmute::<Option<Ordering>, i8>(ord) });
    kv("Option<u8> size", mem::size_of::<Option<u8>>());
    let ou: Option<u8> = black_box(Some(200));
    kv("Option<u8>", ou);
    kv("Option<(u8, bool)> size", mem::size_of::<Option<(u8, bool)>>());
    let obb: Option<(u8, bool)> = black_box(Some((3, true)));
    kv("Option<(u8, bool)>", obb);
    let boxed: Option<Box<u64>> = black_box(Some(Box::new(77)));
    kv("Option<Box<u64>>", match &boxed {
        Some(b) => **b,
        None => 0,
    });
    kv("size_of Option<Box<u64>>", mem::size_of::<Option<Box<u64>>>());
    let of: Option<fn(i32) -> i32> = black_box(Some(double));
    kv("Option<fn>", of.map(|f| f(4)));
    kv("size_of Option<fn>", mem::size_of::<Option<fn(i32) -> i32>>());
    let odyn: Option<&dyn Show> = black_box(Some(&1u8 as &dyn Show));
    kv("Option<&dyn> is_some, size", (odyn.is_some(), mem::size_of::<Option<&dyn Show>>()));
    let mut slot = Some(3u16);
    let taken = slot.take();
    kv("Option::take", (taken, slot));
}

// ===========================================================================
// Control flow
// ===========================================================================

fn classify(x: i32) -> &'static str {
    match x {
        i32::MIN..=-1000 => "very negative",
        -999..=-1 => "negative",
        0 => "zero",
        1..=9 => "digit",
        10 | 20 | 30 => "round",
        n if n % 2 == 0 => "even",
        _ => "odd",
    }
}

fn classify_u128(x: u128) -> u32 {
    match x {
        0 => 0,
        1..=0xffff_ffff_ffff_ffff => 1,
        0x1_0000_0000_0000_0000..=0xffff_ffff_ffff_ffff_ffff_ffff_ffff_fffe => 2,
        _ => 3,
    }
}

fn classify_pair(p: (i32, bool)) -> u32 {
    match p {
        (0, _) => 0,
        (_, false) => 1,
        (x, true) if x < 0 => 2,
        (1..=10, true) => 3,
        _ => 4,
    }
}

fn classify_slice(s: &[u8]) -> u32 {
    match s {
        [] => 0,
        [x] => 100 + *x as u32,
        [a, b] => 200 + *a as u32 + *b as u32,
        [first, .., last] if first == last => 300,
        [first, rest @ ..] => 400 + *first as u32 + rest.len() as u32,
    }
}

fn classify_char(c: char) -> &'static str {
    match c {
        'a'..='z' => "lower",
        'A'..='Z' => "upper",
        '0'..='9' => "digit",
        '\u{80}'..=char::MAX => "non-ascii",
        _ => "other",
    }
}

fn find_first_even(v: &[i32]) -> Option<usize> {
    let mut i = 0;
    while i < v.len() {
        if v[i] % 2 == 0 {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn unwrap_or_minus(o: Option<u8>) -> i32 {
    let Some(v) = o else {
        return -1;
    };
    v as i32
}

fn test_control_flow() {
    header("control flow");
    let xs = [-5000, -5, 0, 7, 20, 44, 45];
    let mut i = 0;
    while i < xs.len() {
        put("  classify");
        field("x", xs[i]);
        put(" -> ");
        put(classify(black_box(xs[i])));
        nl();
        i += 1;
    }
    kv("classify_u128", (classify_u128(black_box(0)), classify_u128(black_box(5)), classify_u128(black_box(1 << 70)), classify_u128(black_box(u128::MAX))));
    kv("classify_pair", (classify_pair((0, true)), classify_pair((5, false)), classify_pair((-3, true)), classify_pair((4, true)), classify_pair((40, true))));
    kv("classify_slice", (classify_slice(&[]), classify_slice(&[7]), classify_slice(&[1, 2]), classify_slice(&[5, 1, 5]), classify_slice(&[9, 8, 7, 6])));
    kv("classify_char", (classify_char('q'), classify_char('Q'), classify_char('4')));
    kv("classify_char", (classify_char('ß'), classify_char('!')));
    let arr = [1u8, 2, 3, 4];
    let [a0, _, .., a3] = arr;
    kv("array pattern", (a0, a3));
    let v = black_box(42u16);
    let described = match v {
        n @ 0..=9 => n * 2,
        n @ 10..=99 => n + 1000,
        _ => 0,
    };
    kv("@ binding", described);
    // if / else if chain
    let t = black_box(15);
    let fizz = if t % 15 == 0 {
        "fizzbuzz"
    } else if t % 3 == 0 {
        "fizz"
    } else if t % 5 == 0 {
        "buzz"
    } else {
        "number"
    };
    kv("if chain", fizz);
    // loop with break value
    let mut n = black_box(27u64);
    let mut steps = 0;
    let steps_taken = loop {
        if n == 1 {
            break steps;
        }
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        steps += 1;
    };
    kv("collatz(27) steps", steps_taken);
    // labeled breaks and continues
    let mut found = (0, 0);
    'outer: for i in 1..10 {
        for j in 1..10 {
            if i * j == 42 {
                found = (i, j);
                break 'outer;
            }
            if j > i {
                continue 'outer;
            }
        }
    }
    kv("labeled break", found);
    let mut count = 0;
    let mut i = 0;
    while i < 10 {
        i += 1;
        if i % 3 == 0 {
            continue;
        }
        count += i;
    }
    kv("while continue", count);
    let block_value = 'blk: {
        if black_box(true) {
            break 'blk 1;
        }
        2
    };
    kv("labeled block", block_value);
    let nested_loop_value = 'a: loop {
        let mut k = 0;
        loop {
            k += 1;
            if k == 5 {
                break 'a k * 10;
            }
        }
    };
    kv("nested loop break value", nested_loop_value);
    kv("early return", (find_first_even(&[1, 3, 6, 8]), find_first_even(&[1, 3])));
    kv("let else", (unwrap_or_minus(Some(9)), unwrap_or_minus(None)));
    let opt = black_box(Some(12u32));
    if let Some(x) = opt
        && x > 10
    {
        kv("if let chain", x);
    }
    let mut stack = [3u8, 2, 1];
    let mut top = 3;
    let mut popped = 0u32;
    while let Some(v) = if top > 0 { top -= 1; Some(stack[top]) } else { None } {
        popped = popped * 10 + v as u32;
    }
    kv("while let", popped);
    let mut range_sum = 0i64;
    for v in -3i64..4 {
        range_sum += v * v;
    }
    kv("for over i64 range", range_sum);
}

// ===========================================================================
// Calls and ABIs
// ===========================================================================

fn fib(n: u32) -> u64 {
    if n < 2 { n as u64 } else { fib(n - 1) + fib(n - 2) }
}

fn is_even(n: u32) -> bool {
    if n == 0 { true } else { is_odd(n - 1) }
}

fn is_odd(n: u32) -> bool {
    if n == 0 { false } else { is_even(n - 1) }
}

struct Small {
    a: u8,
    b: i16,
}

impl Copy for Small {}

struct Big32 {
    a: u64,
    b: i64,
    c: f64,
    d: u32,
}

impl Copy for Big32 {}

#[inline(never)]
fn many_args(
    a: u8,
    b: i16,
    c: u32,
    d: i64,
    e: i128,
    f: f64,
    g: f32,
    h: bool,
    i: char,
    j: usize,
    k: Small,
    l: Big32,
    m: u128,
    n: &str,
    o: f64,
    p: i8,
) -> Big32 {
    put("  many_args:");
    field("a", a);
    field("b", b);
    field("c", c);
    field("d", d);
    field("e", e);
    field("f", f);
    field("g", g);
    field("h", h);
    field("i", i);
    field("j", j);
    field("k", (k.a, k.b));
    field("l", (l.a, l.b, l.c));
    field("l.d", l.d);
    field("m", m);
    field("n", n);
    field("o", o);
    field("p", p);
    nl();
    Big32 {
        a: a as u64 + c as u64,
        b: d + b as i64 + p as i64,
        c: f + g as f64 + o,
        d: l.d + n.len() as u32,
    }
}

#[inline(never)]
fn many_floats(a: f64, b: f32, c: f64, d: f32, e: f64, f: f32, g: f64, h: f32, i: f64, j: f32, k: f64, l: f32) -> f64 {
    a + b as f64 * 2.0 + c * 3.0 + d as f64 * 4.0 + e * 5.0 + f as f64 * 6.0 + g * 7.0 + h as f64 * 8.0 + i * 9.0
        + j as f64 * 10.0
        + k * 11.0
        + l as f64 * 12.0
}

#[inline(never)]
fn many_ints(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64, g: u64, h: u64, i: u64, j: u64, k: u128, l: u8) -> u128 {
    (a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j) as u128 * k + l as u128
}

/// A struct of exactly `N` bytes, to test passing and returning every size.
#[repr(C)]
struct Bytes<const N: usize>([u8; N]);

impl<const N: usize> Copy for Bytes<N> {}

#[inline(never)]
fn bump_bytes<const N: usize>(b: Bytes<N>, k: u8) -> Bytes<N> {
    let mut out = b;
    let mut i = 0;
    while i < N {
        out.0[i] = out.0[i].wrapping_mul(3).wrapping_add(k);
        i += 1;
    }
    out
}

fn check_bytes<const N: usize>() -> u32 {
    let mut b = Bytes([0u8; N]);
    let mut i = 0;
    while i < N {
        b.0[i] = (i as u8).wrapping_mul(7);
        i += 1;
    }
    let r = bump_bytes(black_box(b), black_box(N as u8));
    let mut sum = 0u32;
    let mut i = 0;
    while i < N {
        sum = sum.wrapping_mul(31).wrapping_add(r.0[i] as u32);
        i += 1;
    }
    sum
}

macro_rules! check_sizes {
    ($($n:literal)*) => {{
        put("  by-value structs:");
        $( put(" "); put_u128($n); put(":"); check_bytes::<$n>().show(); )*
        nl();
    }};
}

struct F2(f32, f32);
struct D2(f64, f64);
struct Fi(f32, u32);
struct Df(f64, f32);
struct Id(u64, f64);
struct D3(f64, f64, f64);
struct Mix(u16, f32, u8);
struct Wide128(u128, u8);

#[inline(never)]
fn pass_f2(x: F2) -> F2 {
    F2(x.1 * 2.0, x.0 + 1.0)
}
#[inline(never)]
fn pass_d2(x: D2) -> D2 {
    D2(x.1 - 1.0, x.0 * x.1)
}
#[inline(never)]
fn pass_fi(x: Fi) -> Fi {
    Fi(x.0 + x.1 as f32, x.1 * 3)
}
#[inline(never)]
fn pass_df(x: Df) -> Df {
    Df(x.0 * 2.0, x.1 * 0.5)
}
#[inline(never)]
fn pass_id(x: Id) -> Id {
    Id(x.0 + 1, x.1 + x.0 as f64)
}
#[inline(never)]
fn pass_d3(x: D3) -> D3 {
    D3(x.2, x.0, x.1 + 100.0)
}
#[inline(never)]
fn pass_mix(x: Mix) -> Mix {
    Mix(x.0 + 1, x.1 * 3.0, x.2 ^ 0xff)
}
#[inline(never)]
fn pass_wide(x: Wide128) -> Wide128 {
    Wide128(x.0 * 3, x.1 + 1)
}

#[repr(C)]
struct CPair {
    x: i32,
    y: f64,
}

extern "C" fn c_abi(a: i32, b: f64, p: CPair, q: Bytes<3>, r: i128) -> CPair {
    CPair { x: a + p.x + q.0[2] as i32 + r as i32, y: b * p.y }
}

extern "C" fn c_callback(v: u32) -> u32 {
    v * 3
}

fn call_twice(f: fn(u64) -> u64, x: u64) -> u64 {
    f(f(x))
}

fn pick_op(k: u8) -> fn(i32, i32) -> i32 {
    match k {
        0 => add_i32,
        1 => sub_i32,
        _ => mul_i32,
    }
}

fn add_i32(a: i32, b: i32) -> i32 {
    a + b
}
fn sub_i32(a: i32, b: i32) -> i32 {
    a - b
}
fn mul_i32(a: i32, b: i32) -> i32 {
    a * b
}

fn ackermann(m: u64, n: u64) -> u64 {
    if m == 0 {
        n + 1
    } else if n == 0 {
        ackermann(m - 1, 1)
    } else {
        ackermann(m - 1, ackermann(m, n - 1))
    }
}

fn test_calls() {
    header("calls");
    kv("fib(25)", fib(black_box(25)));
    kv("is_even(77)", is_even(black_box(77)));
    kv("ackermann(2, 3)", ackermann(black_box(2), black_box(3)));
    let r = many_args(
        black_box(200),
        -3000,
        4_000_000_000,
        -9_000_000_000_000,
        -170141183460469231731687303715884105000,
        2.5,
        -1.25,
        true,
        'λ',
        12345,
        Small { a: 9, b: -9 },
        Big32 { a: 1, b: -1, c: 0.125, d: 77 },
        0xffff_0000_ffff_0000_ffff_0000_ffff_0000,
        "string arg",
        1e10,
        -128,
    );
    kv("many_args result", (r.a, r.b, r.c));
    kv("many_args result.d", r.d);
    kv(
        "many_floats",
        many_floats(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, black_box(11.0), 12.0),
    );
    kv(
        "many_ints",
        many_ints(1, 2, 3, 4, 5, 6, 7, 8, 9, black_box(10), 1 << 70, 255),
    );
    check_sizes!(1 2 3 4 5 6 7 8 9 10 11 12);
    check_sizes!(13 14 15 16 17 20 23 24 25 31 32 33 40 64);
    let f2 = pass_f2(black_box(F2(1.5, 2.5)));
    kv("(f32, f32)", (f2.0, f2.1));
    let d2 = pass_d2(black_box(D2(3.0, 4.0)));
    kv("(f64, f64)", (d2.0, d2.1));
    let fi = pass_fi(black_box(Fi(0.5, 7)));
    kv("(f32, u32)", (fi.0, fi.1));
    let df = pass_df(black_box(Df(1.25, 8.0)));
    kv("(f64, f32)", (df.0, df.1));
    let id = pass_id(black_box(Id(41, 0.5)));
    kv("(u64, f64)", (id.0, id.1));
    let d3 = pass_d3(black_box(D3(1.0, 2.0, 3.0)));
    kv("(f64, f64, f64)", (d3.0, d3.1, d3.2));
    let mx = pass_mix(black_box(Mix(9, 1.5, 0x0f)));
    kv("(u16, f32, u8)", (mx.0, mx.1, mx.2));
    let w = pass_wide(black_box(Wide128(1 << 100, 254)));
    kv("(u128, u8)", (w.0, w.1));
    let cp = c_abi(black_box(1), 2.0, CPair { x: 10, y: 0.25 }, Bytes([1, 2, 3]), -100);
    kv("extern C direct", (cp.x, cp.y));
    let cfn: extern "C" fn(i32, f64, CPair, Bytes<3>, i128) -> CPair = black_box(c_abi);
    let cp2 = cfn(5, -4.0, CPair { x: 1, y: 1.5 }, Bytes([0, 0, 9]), 1000);
    kv("extern C via fn ptr", (cp2.x, cp2.y));
    let cb: extern "C" fn(u32) -> u32 = c_callback;
    kv("extern C callback", cb(black_box(14)));
    kv("fn ptr arg", call_twice(|x| x * x + 1, black_box(3)));
    let mut ops = [0i32; 3];
    let mut k = 0;
    while k < 3 {
        ops[k] = pick_op(black_box(k as u8))(7, 5);
        k += 1;
    }
    kv("returned fn ptrs", ops);
    let fp: fn(u32) -> u64 = black_box(fib);
    kv("recursion via fn ptr", fp(20));
}

// ===========================================================================
// Closures
// ===========================================================================

fn apply<F: Fn(i32) -> i32>(f: F, x: i32) -> i32 {
    f(x)
}

fn apply_mut<F: FnMut(i32)>(mut f: F) {
    f(1);
    f(2);
    f(3);
}

fn apply_once<T, F: FnOnce() -> T>(f: F) -> T {
    f()
}

fn apply_dyn(f: &dyn Fn(i32) -> i32, x: i32) -> i32 {
    f(x)
}

fn apply_dyn_mut(f: &mut dyn FnMut(u64) -> u64) -> u64 {
    f(10) + f(20)
}

fn make_adder(n: i32) -> impl Fn(i32) -> i32 {
    move |x| x + n
}

fn make_counter() -> impl FnMut() -> u32 {
    let mut c = 0;
    move || {
        c += 1;
        c
    }
}

fn compose<A, B, C>(f: impl Fn(A) -> B, g: impl Fn(B) -> C) -> impl Fn(A) -> C {
    move |x| g(f(x))
}

fn test_closures() {
    header("closures");
    let base = black_box(10);
    let by_ref = |x: i32| x + base;
    kv("capture by ref", apply(&by_ref, 5));
    kv("generic Fn", apply(by_ref, 6));
    let mut total = 0;
    apply_mut(|x| total += x * 10);
    kv("capture by mut ref", total);
    let name = Noisy("closure-owned");
    let consume = move || {
        put("  consuming ");
        put(name.0);
        nl();
        name
    };
    let returned = apply_once(consume);
    kv("FnOnce returned", returned.0);
    drop_now(returned);
    let big = (black_box(1i128 << 90), black_box(0.5f64), Point { x: 3, y: 4 }, black_box(7u8));
    let many = move |k: i32| (big.0 >> 80) as i32 + big.2.x * big.2.y + big.3 as i32 + k + (big.1 * 2.0) as i32;
    kv("many captures", apply_dyn(&many, 1));
    kv("&dyn Fn", apply_dyn(&|x| x * x, 12));
    let mut acc = 1u64;
    kv("&mut dyn FnMut", apply_dyn_mut(&mut |x| {
        acc *= 2;
        x + acc
    }));
    kv("acc after", acc);
    let add5 = make_adder(5);
    kv("returned closure", add5(black_box(37)));
    let mut counter = make_counter();
    counter();
    counter();
    kv("counter", counter());
    let both = compose(|x: u8| x as u32 * 1000, |y: u32| y + 1);
    kv("compose", both(black_box(7)));
    let boxed: Box<dyn Fn(i32) -> i32> = Box::new(move |x| x * base);
    kv("Box<dyn Fn>", boxed(4));
    let fns: [&dyn Fn(u8) -> u8; 2] = [&|x| x + 1, &|x| x * 2];
    kv("closure array", (fns[0](5), fns[1](5)));
    let nested = |a: i32| move |b: i32| a * 100 + b;
    kv("nested closures", nested(4)(2));
    fn recurse_with(f: &dyn Fn(u32) -> u32, n: u32) -> u32 {
        if n == 0 { 0 } else { f(n) + recurse_with(f, n - 1) }
    }
    kv("dyn closure in recursion", recurse_with(&|x| x * x, black_box(5)));
}

// ===========================================================================
// Generics and traits
// ===========================================================================

trait Zero {
    fn zero() -> Self;
}

trait Num: Sized + Zero + Add<Output = Self> + Mul<Output = Self> + Copy + Show + PartialOrd {}

macro_rules! num_impls {
    ($($t:ty = $z:expr;)*) => {$(
        impl Zero for $t { fn zero() -> $t { $z } }
        impl Num for $t {}
    )*};
}
num_impls! { i8 = 0; u64 = 0; i128 = 0; f64 = 0.0; f32 = 0.0; }

struct Accumulator<T: Num> {
    total: T,
    count: u32,
    largest: Option<T>,
}

impl<T: Num> Accumulator<T> {
    fn new() -> Self {
        Accumulator { total: T::zero(), count: 0, largest: None }
    }

    fn push(&mut self, v: T) {
        self.total = self.total + v;
        self.count += 1;
        self.largest = match self.largest {
            Some(l) if l >= v => Some(l),
            _ => Some(v),
        };
    }

    fn report(&self, name: &str) {
        put("  Accumulator<");
        put(name);
        put(">:");
        field("total", self.total);
        field("count", self.count);
        field("largest", self.largest);
        nl();
    }
}

fn accumulate<T: Num>(name: &str, values: &[T]) {
    let mut acc = Accumulator::<T>::new();
    let mut i = 0;
    while i < values.len() {
        acc.push(values[i]);
        i += 1;
    }
    acc.report(name);
}

fn largest<T: PartialOrd + Copy>(xs: &[T]) -> T {
    let mut best = xs[0];
    let mut i = 1;
    while i < xs.len() {
        if xs[i] > best {
            best = xs[i];
        }
        i += 1;
    }
    best
}

fn dot<T: Num>(a: &[T], b: &[T]) -> T {
    let mut sum = T::zero();
    let mut i = 0;
    while i < a.len() {
        sum = sum + a[i] * b[i];
        i += 1;
    }
    sum
}

trait Container {
    type Item;
    const KIND: &'static str;
    fn get(&self, i: usize) -> Option<Self::Item>;
    fn first(&self) -> Option<Self::Item> {
        self.get(0)
    }
    fn size(&self) -> usize;
}

struct Ring<const N: usize> {
    data: [u16; N],
    start: usize,
}

impl<const N: usize> Container for Ring<N> {
    type Item = u16;
    const KIND: &'static str = "ring";
    fn get(&self, i: usize) -> Option<u16> {
        if i < N { Some(self.data[(self.start + i) % N]) } else { None }
    }
    fn size(&self) -> usize {
        N
    }
}

struct Countdown(u8);

impl Container for Countdown {
    type Item = u8;
    const KIND: &'static str = "countdown";
    fn get(&self, i: usize) -> Option<u8> {
        if i < self.0 as usize { Some(self.0 - i as u8) } else { None }
    }
    fn first(&self) -> Option<u8> {
        // Overrides the default method.
        Some(self.0 * 10)
    }
    fn size(&self) -> usize {
        self.0 as usize
    }
}

fn describe_container<C: Container>(c: &C)
where
    C::Item: Show,
{
    put("  ");
    put(C::KIND);
    field("size", c.size());
    field("first", c.first());
    field("get(1)", c.get(1));
    field("get(99)", c.get(99));
    nl();
}

struct Wrapper<T> {
    inner: T,
}

impl<T: Show> Show for Wrapper<T> {
    fn show(&self) {
        put("Wrapper{");
        self.inner.show();
        put("}");
    }
}

impl<T> Deref for Wrapper<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for Wrapper<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl PartialEq for Point {
    fn eq(&self, other: &Point) -> bool {
        self.x == other.x && self.y == other.y
    }
}

impl Add for Point {
    type Output = Point;
    fn add(self, o: Point) -> Point {
        Point { x: self.x + o.x, y: self.y + o.y }
    }
}

impl Neg for Point {
    type Output = Point;
    fn neg(self) -> Point {
        Point { x: -self.x, y: -self.y }
    }
}

impl Index<usize> for Point {
    type Output = i32;
    fn index(&self, i: usize) -> &i32 {
        if i == 0 { &self.x } else { &self.y }
    }
}

impl Clone for Point {
    fn clone(&self) -> Point {
        *self
    }
}

fn size_name<T>() -> (usize, usize) {
    (mem::size_of::<T>(), mem::align_of::<T>())
}

fn test_generics() {
    header("generics");
    accumulate("i8", &[1i8, -2, 3, 4]);
    accumulate("u64", &[10u64, 20, 5_000_000_000]);
    accumulate("i128", &[i128::MAX / 2, -5, 7]);
    accumulate("f64", &[0.5f64, 0.25, -1.0]);
    accumulate("f32", &[1.5f32, 2.5]);
    kv("largest i32", largest(&[3, 9, -2, 7]));
    kv("largest f64", largest(&[0.5, -1.5, 2.25]));
    kv("largest char", largest(&['x', 'b', 'y']));
    kv("largest u128", largest(&[1u128 << 100, 5, u128::MAX >> 1]));
    kv("largest &str len", largest(&[3usize, "hello".len()]));
    kv("dot i128", dot(&[1i128, 2, 3], &[4, 5, 6]));
    kv("dot f64", dot(&[0.5f64, 1.5], &[2.0, 4.0]));
    describe_container(&Ring { data: [1, 2, 3, 4, 5], start: 3 });
    describe_container(&Countdown(3));
    let mut w = Wrapper { inner: Point { x: 1, y: 1 } };
    w.x += 41;
    kv("Deref/DerefMut", (w.x, w.inner.y));
    kv("Wrapper<Wrapper<u8>>", Wrapper { inner: Wrapper { inner: 7u8 } });
    let p = Point { x: 1, y: 2 } + Point { x: 10, y: 20 };
    kv("operator overloading", (p, -p));
    kv("Index impl", (p[0], p[1]));
    kv("PartialEq impl", (p == Point { x: 11, y: 22 }, p != p));
    kv("Clone impl", p.clone());
    kv("Clone tuple (builtin)", (1u8, 'c').clone());
    kv("Clone array", [1u16, 2].clone());
    kv("min/max generic", (cmp::min(3, 8), cmp::max(-1.5f64, -2.5), cmp::min('q', 'p')));
    kv("size/align u8", size_name::<u8>());
    kv("size/align u128", size_name::<u128>());
    kv("size/align f64", size_name::<f64>());
    kv("size/align &str", size_name::<&str>());
    kv("size/align &dyn Show", size_name::<&dyn Show>());
    kv("size/align Point", size_name::<Point>());
    kv("size/align (u8, u32, u16)", size_name::<(u8, u32, u16)>());
    kv("three_way_compare", (intrinsics::three_way_compare(black_box(1i32), 2), intrinsics::three_way_compare(black_box(5u8), 5), intrinsics::three_way_compare(black_box(-1i128), -2)));
    kv("Ordering reverse", Ordering::Less.reverse());
}

// ===========================================================================
// Trait objects
// ===========================================================================

trait Animal {
    fn name(&self) -> &'static str;
    fn legs(&self) -> u32;
    fn describe(&self) {
        put("  ");
        put(self.name());
        field("legs", self.legs());
        nl();
    }
    fn rename(&mut self, n: &'static str);
    /// Not callable on `dyn Animal`.
    fn tagged<T: Show>(&self, t: T)
    where
        Self: Sized,
    {
        put("  tagged ");
        put(self.name());
        put(" ");
        t.show();
        nl();
    }
}

trait Pet: Animal {
    fn owner(&self) -> &'static str;
    fn summary(&self) -> u32 {
        self.legs() * 100 + self.owner().len() as u32
    }
}

struct Dog {
    name: &'static str,
    weight: f64,
}

struct Bird {
    name: &'static str,
    wingspan: u16,
    id: u128,
}

impl Animal for Dog {
    fn name(&self) -> &'static str {
        self.name
    }
    fn legs(&self) -> u32 {
        4
    }
    fn rename(&mut self, n: &'static str) {
        self.name = n;
    }
}

impl Animal for Bird {
    fn name(&self) -> &'static str {
        self.name
    }
    fn legs(&self) -> u32 {
        2
    }
    fn describe(&self) {
        put("  bird ");
        put(self.name);
        field("wingspan", self.wingspan);
        field("id", self.id);
        nl();
    }
    fn rename(&mut self, n: &'static str) {
        self.name = n;
    }
}

impl Pet for Dog {
    fn owner(&self) -> &'static str {
        "alice"
    }
}

impl Pet for Bird {
    fn owner(&self) -> &'static str {
        "bob"
    }
    fn summary(&self) -> u32 {
        self.wingspan as u32
    }
}

trait Consume {
    fn consume(self: Box<Self>) -> u32;
}

impl Consume for Noisy {
    fn consume(self: Box<Self>) -> u32 {
        self.0.len() as u32
    }
}

fn total_legs(animals: &[&dyn Animal]) -> u32 {
    let mut sum = 0;
    let mut i = 0;
    while i < animals.len() {
        sum += animals[i].legs();
        i += 1;
    }
    sum
}

fn test_trait_objects() {
    header("trait objects");
    let mut dog = Dog { name: "rex", weight: 30.5 };
    let bird = Bird { name: "tweety", wingspan: 25, id: 1 << 99 };
    let pets: [&dyn Pet; 2] = [&dog, &bird];
    let mut i = 0;
    while i < pets.len() {
        let p = pets[black_box(i)];
        p.describe();
        put("   ");
        field("owner", p.owner());
        field("summary", p.summary());
        // Upcast to the supertrait.
        let a: &dyn Animal = p;
        field("upcast legs", a.legs());
        nl();
        i += 1;
    }
    kv("total legs", total_legs(&[&dog, &bird, &dog]));
    {
        let m: &mut dyn Animal = &mut dog;
        m.rename("max");
    }
    kv("renamed via &mut dyn", dog.name());
    dog.tagged(black_box(5u8));
    let d: &dyn Animal = &dog;
    let b: &dyn Animal = &bird;
    kv("size_of_val dyn", (mem::size_of_val(d), mem::size_of_val(b)));
    kv("align_of_val dyn", (mem::align_of_val(d), mem::align_of_val(b)));
    let sl: &[u16] = &[1, 2, 3];
    kv("size_of_val slice", mem::size_of_val(sl));
    kv("align_of_val slice", mem::align_of_val(sl));
    kv("size_of_val str", mem::size_of_val("hello"));
    kv("size_of_val via intrinsic", unsafe { intrinsics::size_of_val(&[0u64; 5] as *const [u64]) });
    let boxed: Box<dyn Pet> = Box::new(Bird { name: "polly", wingspan: 40, id: 7 });
    boxed.describe();
    let as_animal: Box<dyn Animal> = boxed;
    kv("Box<dyn Pet> -> Box<dyn Animal>", as_animal.legs());
    let shows: [&dyn Show; 5] = [&1u8, &-2i64, &'c', &"str", &(1u8, 2.5f64)];
    put("  [&dyn Show]:");
    let mut i = 0;
    while i < shows.len() {
        put(" ");
        shows[i].show();
        i += 1;
    }
    nl();
    let consumer: Box<dyn Consume> = Box::new(Noisy("boxed-self"));
    kv("self: Box<Self> via dyn", consumer.consume());
}

// ===========================================================================
// Statics and constants
// ===========================================================================

static mut COUNTER: u32 = 0;
static PRIMES: [u32; 6] = [2, 3, 5, 7, 11, 13];
static PRIMES_REF: &[u32; 6] = &PRIMES;
static PRIMES_SLICE: &[u32] = &PRIMES;
static NUM: u8 = 42;
static NUM_REF: &u8 = &NUM;
static NUM_REF_REF: &&u8 = &NUM_REF;
const GREEK: &&[&str] = &(&["alpha", "beta", "gamma"] as &[&str]);
const SQUARE_OF_12: u32 = square(12);
static BIG_STATIC: i128 = -170141183460469231731687303715884105728;
static FLOAT_STATIC: f64 = -1.5e-7;
static mut TABLE: [u16; 8] = [0; 8];
static SEVEN: u32 = 7;
static MAYBE: Option<&u32> = Some(&SEVEN);
static NOTHING: Option<&u32> = None;
static CHAR_STATIC: char = '✓';

struct Message {
    text: *const u8,
    len: usize,
    title: &'static str,
}

static MESSAGE: Message = Message {
    text: "raw pointer text" as *const str as *const u8,
    len: 16,
    title: "title",
};

struct Named {
    name: &'static str,
    id: u32,
    next: Option<&'static Named>,
}

static FIRST: Named = Named { name: "first", id: 1, next: Some(&SECOND) };
static SECOND: Named = Named { name: "second", id: 2, next: Some(&THIRD) };
static THIRD: Named = Named { name: "third", id: 3, next: None };

static OPS: [(&str, fn(i32, i32) -> i32); 3] = [("add", add_i32), ("sub", sub_i32), ("mul", mul_i32)];

struct Handlers {
    on_value: fn(u32) -> u64,
    on_name: fn() -> &'static str,
}

fn fib_u32(n: u32) -> u64 {
    fib(n)
}

fn handler_name() -> &'static str {
    "handler"
}

static HANDLERS: Handlers = Handlers { on_value: fib_u32, on_name: handler_name };
static STATIC_DOG: Dog = Dog { name: "static dog", weight: 12.0 };
static DYN_STATIC: &dyn Animal = &STATIC_DOG;
static SLICE_OF_DYN: &[&dyn Show] = &[&1u32, &"two", &3.0f64];
static TUPLE_STATIC: (u8, i64, &str, [u16; 3]) = (1, -2, "three", [4, 5, 6]);

const fn square(x: u32) -> u32 {
    x * x
}

fn bump_counter() -> u32 {
    unsafe {
        COUNTER += 1;
        COUNTER
    }
}

fn test_statics() {
    header("statics");
    bump_counter();
    bump_counter();
    kv("static mut counter", bump_counter());
    kv("static array", PRIMES);
    kv("static ref to static", PRIMES_REF[5]);
    kv("static slice", PRIMES_SLICE);
    kv("NUM_REF, NUM_REF_REF", (*NUM_REF, **NUM_REF_REF));
    kv("GREEK", *GREEK);
    kv("GREEK[1]", GREEK[1]);
    kv("const fn", SQUARE_OF_12);
    kv("BIG_STATIC", BIG_STATIC);
    kv("FLOAT_STATIC", FLOAT_STATIC);
    kv("CHAR_STATIC", CHAR_STATIC);
    unsafe {
        let mut i = 0;
        while i < 8 {
            TABLE[i] = (i * i) as u16 + 1;
            i += 1;
        }
        let t = &raw const TABLE;
        kv("static mut table", *t);
    }
    kv("MAYBE, NOTHING", (MAYBE, NOTHING));
    let msg = unsafe { &*ptr::slice_from_raw_parts(MESSAGE.text, MESSAGE.len) };
    put("  MESSAGE = ");
    put_bytes(msg);
    put(" / ");
    put(MESSAGE.title);
    nl();
    let mut node = Some(&FIRST);
    put("  linked statics:");
    while let Some(n) = node {
        put(" ");
        put(n.name);
        put("#");
        n.id.show();
        node = n.next;
    }
    nl();
    let mut i = 0;
    while i < OPS.len() {
        let (name, op) = OPS[i];
        put("  OPS ");
        put(name);
        field("(9, 4)", op(9, 4));
        nl();
        i += 1;
    }
    kv("HANDLERS", ((HANDLERS.on_value)(10), (HANDLERS.on_name)()));
    kv("DYN_STATIC", (DYN_STATIC.name(), DYN_STATIC.legs()));
    put("  SLICE_OF_DYN:");
    let mut i = 0;
    while i < SLICE_OF_DYN.len() {
        put(" ");
        SLICE_OF_DYN[i].show();
        i += 1;
    }
    nl();
    kv("TUPLE_STATIC", (TUPLE_STATIC.0, TUPLE_STATIC.1, TUPLE_STATIC.2));
    kv("TUPLE_STATIC.3", TUPLE_STATIC.3);
    kv("same static address", (&NUM as *const u8) == (NUM_REF as *const u8));
}

// ===========================================================================
// Drop glue
// ===========================================================================

struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        put("  drop ");
        put(self.0);
        nl();
    }
}

trait Named2 {
    fn label(&self) -> &'static str;
}

impl Named2 for Noisy {
    fn label(&self) -> &'static str {
        self.0
    }
}

struct NoisyPair {
    first: Noisy,
    second: Noisy,
}

struct Outer {
    pair: NoisyPair,
    tag: Noisy,
}

impl Drop for Outer {
    fn drop(&mut self) {
        put("  drop Outer (before its fields)\n");
    }
}

struct Counted<'a> {
    counter: &'a Cell<u32>,
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.counter.set(self.counter.get() + 1);
    }
}

fn drop_now<T>(_v: T) {}

fn consume(n: Noisy) {
    put("  consume(");
    put(n.0);
    put(")\n");
}

fn make_noisy(name: &'static str) -> Noisy {
    Noisy(name)
}

fn test_drops() {
    header("drops");
    {
        let _a = Noisy("scope-a");
        let _b = Noisy("scope-b");
        put("  end of scope\n");
    }
    {
        let o = Outer {
            pair: NoisyPair { first: Noisy("pair.first"), second: Noisy("pair.second") },
            tag: Noisy("outer.tag"),
        };
        put("  dropping Outer\n");
        drop_now(o);
    }
    {
        let m = Noisy("moved");
        consume(m);
        put("  after move (no second drop)\n");
    }
    {
        let c = Noisy("conditional");
        if black_box(false) {
            consume(c);
        }
        put("  conditional not moved\n");
    }
    {
        let arr = [Noisy("arr0"), Noisy("arr1"), Noisy("arr2")];
        put("  dropping array\n");
        drop_now(arr);
    }
    {
        let mut v = Noisy("old value");
        v = Noisy("new value");
        put("  after reassignment\n");
    }
    {
        let t = (Noisy("tuple.0"), 5u32, Noisy("tuple.2"));
        let (a, _, _) = t;
        put("  moved tuple.0 out\n");
        drop_now(a);
        put("  rest of tuple\n");
    }
    {
        kv("temporary", make_noisy("temp").label());
    }
    {
        let mut slot = ManuallyDrop::new(Noisy("via &mut dyn"));
        let r: &mut dyn Named2 = &mut *slot;
        put("  drop_in_place on &mut dyn\n");
        unsafe { ptr::drop_in_place(r as *mut dyn Named2) };
    }
    {
        mem::forget(Noisy("forgotten"));
        let m = ManuallyDrop::new(Noisy("manually dropped"));
        let mut m2 = m;
        unsafe { ManuallyDrop::drop(&mut m2) };
    }
    {
        let b: Box<dyn Named2> = Box::new(Noisy("boxed dyn"));
        kv("boxed label", b.label());
    }
    {
        let some = Some(Noisy("in option"));
        let none: Option<Noisy> = None;
        put("  options\n");
    }
    {
        let mut opt = Some(Noisy("taken"));
        let t = opt.take();
        put("  took\n");
    }
    {
        let count = Cell::new(0);
        let mut i = 0;
        while i < 5 {
            let _c = Counted { counter: &count };
            i += 1;
        }
        let arr = [Counted { counter: &count }, Counted { counter: &count }];
        drop_now(arr);
        kv("drops counted", count.get());
    }
    {
        let bb = Box::new(Box::new(Noisy("box in box")));
        let inner: Box<Noisy> = Box::into_inner(bb);
        put("  unboxed outer box\n");
    }
    {
        let slice_box: Box<[Noisy]> = Box::new([Noisy("bs0"), Noisy("bs1")]);
        kv("Box<[Noisy]> len", slice_box.len());
    }
    kv("needs_drop", (mem::needs_drop::<Noisy>(), mem::needs_drop::<u32>(), mem::needs_drop::<[Noisy; 2]>(), mem::needs_drop::<(u8, Box<u8>)>(), mem::needs_drop::<&Noisy>()));
    put("  end of drops\n");
}

// ===========================================================================
// Box
// ===========================================================================

fn test_box() {
    header("box");
    let mut b = Box::new(black_box(5i32));
    *b += 10;
    kv("Box<i32>", *b);
    let bs: Box<[u32]> = Box::new([1, 2, 3, 4]);
    kv("Box<[u32]>", (bs.len(), bs[3]));
    let bp = Box::new(Point { x: -1, y: -2 });
    kv("Box<Point>", *bp);
    let moved_out: Point = *bp;
    kv("moved out of box", moved_out.y);
    let big = Box::new([7u64; 64]);
    kv("Box<[u64; 64]>", (big[0], big[63]));
    let bstr: Box<&str> = Box::new("boxed str");
    kv("Box<&str>", *bstr);
    let bd: Box<dyn Show> = Box::new(3.75f64);
    put("  Box<dyn Show> = ");
    bd.show();
    nl();
    kv("size_of Box<u8>, Box<[u8]>, Box<dyn Show>", (mem::size_of::<Box<u8>>(), mem::size_of::<Box<[u8]>>(), mem::size_of::<Box<dyn Show>>()));
    let zst = Box::new(Unit);
    kv("Box<ZST> deref", mem::size_of_val(&*zst));
    let recursive = Tree::Node(Box::new(Tree::Leaf(-1)), Box::new(Tree::Leaf(-2)));
    kv("recursive enum", sum_tree(&recursive));
}

// ===========================================================================
// Interior mutability and strings
// ===========================================================================

fn test_cell() {
    header("cell");
    let c = Cell::new(black_box(5u32));
    let r1 = &c;
    let r2 = &c;
    r1.set(r2.get() + 1);
    r2.set(r1.get() * 10);
    kv("Cell via two &", c.get());
    let old = c.replace(1);
    kv("Cell replace", (old, c.get()));
    let cells = [Cell::new(1i64), Cell::new(2), Cell::new(3)];
    let mut i = 0;
    while i < 3 {
        cells[i].set(cells[i].get() * cells[(i + 1) % 3].get());
        i += 1;
    }
    kv("Cell array", (cells[0].get(), cells[1].get(), cells[2].get()));
    let uc = UnsafeCell::new(black_box(7u8));
    unsafe { *uc.get() += 1 };
    kv("UnsafeCell", unsafe { *uc.get() });
}

fn word_kind(w: &str) -> u32 {
    match w {
        "alpha" => 1,
        "beta" => 2,
        "" => 3,
        _ => 0,
    }
}

fn test_strings() {
    header("strings");
    let s = "héllo, wörld";
    kv("str", s);
    kv("len", s.len());
    kv("bytes[1], bytes[2]", (s.as_bytes()[1], s.as_bytes()[2]));
    kv("str eq", ("abc" == "abc", "abc" == "abd", "abc" != "ab"));
    kv("str match", (word_kind("beta"), word_kind(black_box("alpha")), word_kind(""), word_kind("gamma")));
    let b = b"bytes\x00\xff";
    kv("byte string", (b.len(), b[5], b[6]));
    kv("escapes", "tab\tquote\"backslash\\");
    kv("raw string", r"C:\path\n");
    kv("unicode escape", "\u{263A}");
    kv("empty", "".is_empty());
    let mut count = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] >= 0x80 {
            count += 1;
        }
        i += 1;
    }
    kv("non-ascii bytes", count);
    kv("concat!", concat!("con", "cat", 1, 'c'));
    kv("stringify!", stringify!(a + b * c));
    let c_str = unsafe { libc::strlen("ten chars!\0".as_ptr() as *const c_char) };
    kv("strlen", c_str);
    unsafe { libc::puts("  puts works\0".as_ptr() as *const c_char) };
}

// ===========================================================================
// #[track_caller]
// ===========================================================================

#[track_caller]
fn where_am_i() -> &'static Location<'static> {
    Location::caller()
}

#[track_caller]
fn nested_where() -> &'static Location<'static> {
    where_am_i()
}

fn show_location(label: &str, loc: &Location<'_>) {
    put("  ");
    put(label);
    put(": ");
    put(loc.file());
    p!(":%u:%u\n", loc.line(), loc.column());
}

fn test_track_caller() {
    header("track_caller");
    show_location("direct", where_am_i());
    show_location("nested", nested_where());
    show_location("Location::caller in non-track_caller fn", Location::caller());
    let f: fn() -> &'static Location<'static> = where_am_i;
    let via_ptr = f();
    kv("via fn ptr line > 0", via_ptr.line() > 0);
    let loc = intrinsics::caller_location();
    show_location("intrinsic", loc);
    kv("line!(), column!()", (line!(), column!()));
    kv("file!()", file!());
    kv("unwrap on Some", Some(black_box(3u8)).unwrap());
}

// ===========================================================================
// Intrinsics
// ===========================================================================

fn test_intrinsics() {
    header("intrinsics");
    kv("size_of", (const { intrinsics::size_of::<u8>() }, const { intrinsics::size_of::<u64>() }, const { intrinsics::size_of::<i128>() }, const { intrinsics::size_of::<(u8, u64)>() }, const { intrinsics::size_of::<[u16; 5]>() }));
    kv("align_of", (const { intrinsics::align_of::<u16>() }, const { intrinsics::align_of::<f64>() }, const { intrinsics::align_of::<u128>() }, const { intrinsics::align_of::<[u8; 3]>() }));
    kv("ctpop", (intrinsics::ctpop(black_box(0xf0u8)), intrinsics::ctpop(black_box(-1i32)), intrinsics::ctpop(black_box(u128::MAX >> 3))));
    kv("ctlz", (intrinsics::ctlz(black_box(1u8)), intrinsics::ctlz(black_box(0u16)), intrinsics::ctlz(black_box(1u64 << 40)), intrinsics::ctlz(black_box(1u128))));
    kv("cttz", (intrinsics::cttz(black_box(8u8)), intrinsics::cttz(black_box(0u32)), intrinsics::cttz(black_box(1i64 << 63)), intrinsics::cttz(black_box(1u128 << 100))));
    kv("ctlz_nonzero, cttz_nonzero", unsafe { (intrinsics::ctlz_nonzero(black_box(0x10u32)), intrinsics::cttz_nonzero(black_box(0x10u32))) });
    kv("bswap u16", intrinsics::bswap(black_box(0x1234u16)));
    kv("bswap u32", intrinsics::bswap(black_box(0x1234_5678u32)));
    kv("bswap u64", intrinsics::bswap(black_box(0x0102_0304_0506_0708u64)));
    kv("bswap u128", intrinsics::bswap(black_box(0x0102_0304_0506_0708_090a_0b0c_0d0e_0f10u128)));
    kv("bswap i16", intrinsics::bswap(black_box(-2i16)));
    kv("bitreverse u8", intrinsics::bitreverse(black_box(0b0000_0110u8)));
    kv("bitreverse u32", intrinsics::bitreverse(black_box(1u32)));
    kv("bitreverse u64", intrinsics::bitreverse(black_box(0xf0u64)));
    kv("bitreverse u128", intrinsics::bitreverse(black_box(3u128)));
    kv("rotate_left u8", intrinsics::rotate_left(black_box(0b1000_0001u8), 1));
    kv("rotate_left u32", intrinsics::rotate_left(black_box(0x8000_0001u32), black_box(4)));
    kv("rotate_right u64", intrinsics::rotate_right(black_box(1u64), black_box(1)));
    kv("rotate_right u16 by 20", black_box(0x00ffu16).rotate_right(black_box(20)));
    kv("rotate_left u128", black_box(1u128 << 127).rotate_left(black_box(2)));
    kv("saturating_add", (intrinsics::saturating_add(black_box(250u8), 10), intrinsics::saturating_add(black_box(i64::MAX), 1)));
    kv("saturating_sub", (intrinsics::saturating_sub(black_box(5u32), 10), intrinsics::saturating_sub(black_box(i16::MIN), 1)));
    kv("add_with_overflow", (intrinsics::add_with_overflow(black_box(200u8), 100), intrinsics::add_with_overflow(black_box(1i32), 2)));
    kv("sub_with_overflow", intrinsics::sub_with_overflow(black_box(i8::MIN), 1));
    kv("mul_with_overflow", (intrinsics::mul_with_overflow(black_box(1u64 << 32), 1 << 32), intrinsics::mul_with_overflow(black_box(-3i128), 5)));
    kv("mul_with_overflow i128", intrinsics::mul_with_overflow(black_box(i128::MAX), 2));
    kv("unchecked_add/sub/mul", unsafe { (intrinsics::unchecked_add(black_box(3u16), 4), intrinsics::unchecked_sub(black_box(3i8), 4), intrinsics::unchecked_mul(black_box(6u64), 7)) });
    kv("unchecked_shl", unsafe { intrinsics::unchecked_shl(black_box(1u32), black_box(31u32)) });
    kv("unchecked_shr", unsafe { intrinsics::unchecked_shr(black_box(-64i64), black_box(3u8)) });
    kv("exact_div", unsafe { intrinsics::exact_div(black_box(1000u32), 8) });
    kv("wrapping_*", (intrinsics::wrapping_add(black_box(255u8), 2), intrinsics::wrapping_sub(black_box(0i16), i16::MIN), intrinsics::wrapping_mul(black_box(0x1_0000_0001u64), 0xffff_ffff)));
    kv("three_way_compare", (intrinsics::three_way_compare(black_box('a'), 'b'), intrinsics::three_way_compare(black_box(7u64), 3)));
    kv("black_box", black_box((1u8, 2u16)));
    let mut hits = 0;
    let mut i = 0;
    while i < 10 {
        if intrinsics::likely(i < 8) {
            hits += 1;
        }
        if intrinsics::unlikely(i == 9) {
            hits += 100;
        }
        i += 1;
    }
    kv("likely/unlikely", hits);
    let n = black_box(6usize);
    unsafe { intrinsics::assume(n < 100) };
    kv("assume", n * 2);
    let mut buf = [0u32; 6];
    unsafe { intrinsics::write_bytes(buf.as_mut_ptr().add(1), 0xab, 2) };
    kv("write_bytes", buf);
    let src = [1u16, 2, 3, 4];
    let mut dst = [0u16; 6];
    unsafe { intrinsics::copy_nonoverlapping(src.as_ptr(), dst.as_mut_ptr().add(1), 4) };
    kv("copy_nonoverlapping", dst);
    unsafe { intrinsics::copy(dst.as_ptr().add(1), dst.as_mut_ptr(), 5) };
    kv("copy (overlapping)", dst);
    let mut v = 0u64;
    unsafe {
        ptr::write_volatile(&mut v, 0x5555);
        kv("volatile load/store", ptr::read_volatile(&v));
    }
    let pair = (1u8, 2i64);
    let copy = unsafe { intrinsics::read_via_copy(&pair) };
    kv("read_via_copy", copy);
    let mut slot = (0u8, 0i64);
    unsafe { intrinsics::write_via_move(&mut slot, (9, -9)) };
    kv("write_via_move", slot);
    kv("needs_drop", (const { intrinsics::needs_drop::<Noisy>() }, const { intrinsics::needs_drop::<Point>() }, const { intrinsics::needs_drop::<Box<u8>>() }));
    kv("discriminant_value", (intrinsics::discriminant_value(&Some(5u8)), intrinsics::discriminant_value(&None::<u8>), intrinsics::discriminant_value(&Color::Blue)));
    kv("discriminant_value niche", (intrinsics::discriminant_value(&NicheData::C), intrinsics::discriminant_value(&black_box(Some(&1u8)))));
    kv("transmute [u8; 4] -> u32 == bswap check", {
        let v: u32 = unsafe { mem::transmute([1u8, 1, 1, 1]) };
        v
    });
    kv("transmute u64 -> (u32, u32) sum", {
        let (a, b): (u32, u32) = unsafe { mem::transmute(black_box(0x0000_0005_0000_0007u64)) };
        a + b
    });
    let z: (u64, u32) = unsafe { MaybeUninit::<(u64, u32)>::zeroed().assume_init() };
    kv("MaybeUninit::zeroed", z);
    kv("ptr_metadata slice", intrinsics::ptr_metadata(&[1u8, 2, 3] as &[u8] as *const [u8]));
    kv("aggregate_raw_ptr", {
        let data = [4u8, 5, 6, 7];
        let s: *const [u8] = intrinsics::aggregate_raw_ptr(data.as_ptr(), 3usize);
        unsafe { (&*s).len() as u32 * 100 + (&*s)[2] as u32 }
    });
}

// ===========================================================================
// Failure modes
// ===========================================================================

fn arg_str(index: isize) -> &'static str {
    let p = mini_core::rt::argv(index);
    if p.is_null() {
        return "";
    }
    unsafe {
        let len = libc::strlen(p as *const c_char);
        &*(ptr::slice_from_raw_parts(p, len) as *const str)
    }
}

fn fail(mode: &str, argc: isize) {
    header("panic");
    match mode {
        "abort" => intrinsics::abort(),
        "overflow" => {
            let x: i32 = black_box(i32::MAX - 1) + argc as i32;
            p!("  no overflow check: %d\n", x);
        }
        "unwrap" => {
            let none: Option<u8> = black_box(None);
            none.unwrap();
        }
        _ => {}
    }
    // An index derived from argc, so that every opt level fails the same
    // bounds check at run time.
    let table = [1u8, 2, 3, 4];
    let idx = black_box(argc as usize + 4);
    let v = table[idx];
    p!("  unreachable: %d\n", v as i32);
}

fn main() {
    let argc = mini_core::rt::argc();
    if argc > 1 {
        fail(arg_str(1), argc);
        return;
    }
    test_integers();
    test_overflow();
    test_shifts();
    test_division();
    test_i128();
    test_floats();
    test_casts();
    test_pointers();
    test_aggregates();
    test_arrays();
    test_enums();
    test_niches();
    test_control_flow();
    test_calls();
    test_closures();
    test_generics();
    test_trait_objects();
    test_statics();
    test_drops();
    test_box();
    test_cell();
    test_strings();
    test_track_caller();
    test_intrinsics();
    header("done");
}

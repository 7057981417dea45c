//! Bitfields declared with `#[bitfields]`: the local answers (what clang
//! computes for the local layout) and `core_read_bitfield!` and
//! `read_bitfield!` off eBPF.

#![allow(non_camel_case_types)]

use core::mem::{offset_of, size_of};

/// Bits 16.. of `_bits0` and 32.. of `_bits1`; `y` straddles a byte.
#[btf::relocatable]
#[derive(Clone, Copy, Default)]
pub struct bits {
    pub head: u16,
    #[bitfields(ub1: u8 = 1, ub2: u8 = 2, _: u8 = 1, sb4: i8 = 4)]
    pub _bits0: u8,
    #[bitfields(ub7: u32 = 7, sb20: i32 = 20)]
    pub _bits1: u32,
    #[bitfields(x: u8 = 6, y: u8 = 4, flag: bool = 1)]
    pub _bits2: u16,
    pub tail: u32,
}

#[btf::relocatable]
pub struct outer {
    pub pad: u64,
    pub inner: bits,
}

#[test]
fn markers_are_zero_sized_and_follow_their_storage() {
    assert_eq!(size_of::<bits>(), 16);
    assert_eq!(offset_of!(bits, _bits0), 2);
    assert_eq!(offset_of!(bits, ub1), 3);
    assert_eq!(offset_of!(bits, _bits1), 4);
    assert_eq!(offset_of!(bits, sb20), 8);
    assert_eq!(offset_of!(bits, _bits2), 8);
    assert_eq!(offset_of!(bits, tail), 12);
}

/// Offset, size, lshift, rshift and signedness of each field.
fn answers(
    offset: Option<usize>,
    size: Option<usize>,
    lshift: u32,
    rshift: u32,
    signed: bool,
) -> (Option<usize>, Option<usize>, u32, u32, bool) {
    (offset, size, lshift, rshift, signed)
}

macro_rules! answers_of {
    ($T:ty, $($f:ident).+) => {
        answers(
            btf::field_byte_offset!($T, $($f).+),
            btf::field_byte_size!($T, $($f).+),
            btf::field_lshift!($T, $($f).+),
            btf::field_rshift!($T, $($f).+),
            btf::field_signed!($T, $($f).+),
        )
    };
}

#[test]
fn bitfield_queries_answer_as_clang_computes() {
    // Little-endian: lshift = 64 - (end bit - unit start bit).
    assert_eq!(answers_of!(bits, ub1), (Some(2), Some(1), 63, 63, false));
    assert_eq!(answers_of!(bits, ub2), (Some(2), Some(1), 61, 62, false));
    assert_eq!(answers_of!(bits, sb4), (Some(2), Some(1), 56, 60, true));
    assert_eq!(answers_of!(bits, ub7), (Some(4), Some(4), 57, 57, false));
    assert_eq!(answers_of!(bits, sb20), (Some(4), Some(4), 37, 44, true));
    assert_eq!(answers_of!(bits, x), (Some(8), Some(1), 58, 58, false));
    // Bits 6..10 do not fit a byte: the unit grows to an aligned u16.
    assert_eq!(answers_of!(bits, y), (Some(8), Some(2), 54, 60, false));
    assert_eq!(answers_of!(bits, flag), (Some(9), Some(1), 61, 63, false));
    // Plain fields keep their answers.
    assert_eq!(answers_of!(bits, tail), (Some(12), Some(4), 32, 32, false));
    // Nested: the unit moves with the enclosing field.
    assert_eq!(
        answers_of!(outer, inner.sb20),
        (Some(12), Some(4), 37, 44, true)
    );
    assert!(btf::field_exists!(outer, inner.y));
}

#[test]
fn core_read_bitfield_extracts_and_sign_extends() {
    let sb20 = -1000i32;
    let value = bits {
        head: 0xabcd,
        // ub1 = 1, ub2 = 2, the skipped bit set, sb4 = -3 (0b1101).
        _bits0: 1 | 2 << 1 | 1 << 3 | 0b1101 << 4,
        _bits1: 0x55 | ((sb20 as u32) & 0xf_ffff) << 7,
        // x = 0x2a, y = 0b1001, flag = 1.
        _bits2: 0x2a | 0b1001 << 6 | 1 << 10,
        tail: 0x1234_5678,
        ..bits::default()
    };
    let nested = outer {
        pad: 0,
        inner: value,
    };
    let p: *const bits = &value;
    let q: *const outer = &nested;
    unsafe {
        assert_eq!(btf::core_read_bitfield!(p, ub1), 1);
        assert_eq!(btf::core_read_bitfield!(p, ub2), 2);
        assert_eq!(btf::core_read_bitfield!(p, sb4), -3i64 as u64);
        assert_eq!(btf::core_read_bitfield!(p, ub7), 0x55);
        assert_eq!(btf::core_read_bitfield!(p, sb20), i64::from(sb20) as u64);
        assert_eq!(btf::core_read_bitfield!(p, x), 0x2a);
        assert_eq!(btf::core_read_bitfield!(p, y), 0b1001);
        assert_eq!(btf::core_read_bitfield!(p, flag), 1);
        assert_eq!(btf::core_read_bitfield!(p, tail), 0x1234_5678);
        assert_eq!(btf::core_read_bitfield!(p, head), 0xabcd);
        assert_eq!(btf::core_read_bitfield!(q, inner.sb4), -3i64 as u64);
        assert_eq!(btf::core_read_bitfield!(q, inner.y), 0b1001);
        assert_eq!(btf::read_bitfield!(p, sb20), i64::from(sb20) as u64);
        assert_eq!(btf::read_bitfield!(q, inner.y), 0b1001);
        assert_eq!(btf::core_read_bitfield!(p.cast_mut(), ub2), 2);
    }
}

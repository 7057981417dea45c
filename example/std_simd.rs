// SIMD on the host: `core::arch` x86-64 intrinsics (SSE2, SSSE3 and AVX2
// behind run-time detection), portable SIMD (`std::simd`) and the `simd_*`
// intrinsics on a `#[repr(simd)]` type of our own. Every result is printed,
// so a build with another backend must print exactly the same.
#![feature(portable_simd, repr_simd, core_intrinsics)]
#![allow(internal_features)]

use std::arch::x86_64::*;
use std::intrinsics::simd as intr;
use std::simd::prelude::*;
use std::simd::{StdFloat, simd_swizzle};

fn bytes128(v: __m128i) -> [u8; 16] {
    unsafe { std::mem::transmute(v) }
}

fn bytes256(v: __m256i) -> [u8; 32] {
    unsafe { std::mem::transmute(v) }
}

/// The position of the first `needle` in `hay`, 16 bytes at a time.
fn find_byte_sse2(hay: &[u8], needle: u8) -> Option<usize> {
    let mut i = 0;
    unsafe {
        let n = _mm_set1_epi8(needle as i8);
        while i + 16 <= hay.len() {
            let chunk = _mm_loadu_si128(hay.as_ptr().add(i).cast());
            let mask = _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, n));
            if mask != 0 {
                return Some(i + mask.trailing_zeros() as usize);
            }
            i += 16;
        }
    }
    hay[i..].iter().position(|&b| b == needle).map(|p| i + p)
}

fn sse2() {
    let hay: Vec<u8> = (0..100u8).map(|b| b.wrapping_mul(7)).collect();
    for needle in [0u8, 7, 49, 133, 255, 250] {
        println!("find {needle}: {:?}", find_byte_sse2(&hay, needle));
    }
    unsafe {
        let a = _mm_setr_epi32(1, -2, i32::MAX, 40);
        let b = _mm_setr_epi32(10, 20, 1, -40);
        println!("add_epi32 {:?}", bytes128(_mm_add_epi32(a, b)));
        println!("sub_epi32 {:?}", bytes128(_mm_sub_epi32(a, b)));
        println!("cmpgt_epi32 {:?}", bytes128(_mm_cmpgt_epi32(a, b)));
        let x = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, -8, -9, -10, 11, 12, 13, 14, -128);
        let y = _mm_set1_epi8(5);
        println!("min_epu8 {:?}", bytes128(_mm_min_epu8(x, y)));
        println!("max_epi16 {:?}", bytes128(_mm_max_epi16(x, y)));
        println!("adds_epi8 {:?}", bytes128(_mm_adds_epi8(x, _mm_set1_epi8(120))));
        println!("subs_epu8 {:?}", bytes128(_mm_subs_epu8(x, y)));
        println!("srli_epi16 {:?}", bytes128(_mm_srli_epi16::<3>(x)));
        println!("slli_si128 {:?}", bytes128(_mm_slli_si128::<5>(x)));
        println!("unpacklo_epi8 {:?}", bytes128(_mm_unpacklo_epi8(x, y)));
        println!("movemask {:#x}", _mm_movemask_epi8(x));
        println!("or/and/xor {:?} {:?} {:?}", bytes128(_mm_or_si128(x, y)), bytes128(_mm_and_si128(x, y)), bytes128(_mm_xor_si128(x, y)));
        let f = _mm_setr_ps(1.5, -2.25, 9.0, 0.0);
        let g: [f32; 4] = std::mem::transmute(_mm_sqrt_ps(_mm_mul_ps(f, f)));
        println!("sqrt(f*f) {g:?}");
    }
}

#[target_feature(enable = "ssse3")]
fn ssse3() {
    let x = _mm_setr_epi8(10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25);
    let idx = _mm_setr_epi8(15, 0, -1, 3, 4, 18, 6, -128, 8, 9, 10, 11, 12, 13, 14, 1);
    println!("shuffle_epi8 {:?}", bytes128(_mm_shuffle_epi8(x, idx)));
    println!("alignr_epi8 {:?}", bytes128(_mm_alignr_epi8::<3>(x, idx)));
    println!("abs_epi8 {:?}", bytes128(_mm_abs_epi8(idx)));
}

#[target_feature(enable = "avx2")]
fn avx2() {
    let x: __m256i = unsafe { std::mem::transmute(std::array::from_fn::<u8, 32, _>(|i| (i * 9) as u8)) };
    let y = _mm256_set1_epi8(18);
    println!("cmpeq_epi8 movemask {:#x}", _mm256_movemask_epi8(_mm256_cmpeq_epi8(x, y)));
    println!("shuffle_epi8 {:?}", bytes256(_mm256_shuffle_epi8(x, _mm256_set1_epi8(3))));
    println!("permute2x128 {:?}", bytes256(_mm256_permute2x128_si256::<0x21>(x, y)));
    println!("alignr {:?}", bytes256(_mm256_alignr_epi8::<7>(x, y)));
    println!("extract_epi64 {}", _mm256_extract_epi64::<2>(x));
    println!("testz {}", _mm256_testz_si256(x, _mm256_setzero_si256()));
}

fn portable() {
    let a = u32x4::from_array([1, 2, u32::MAX, 40]);
    let b = u32x4::splat(3);
    println!("add {:?} mul {:?} sat {:?}", a + b, a * b, a.saturating_add(b));
    println!("div {:?} rem {:?} shl {:?}", a / b, a % b, a << b);
    let m = a.simd_gt(b);
    println!("gt {:?} bitmask {:#b} any {} all {}", m, m.to_bitmask(), m.any(), m.all());
    println!("select {:?}", m.select(a, b));
    println!("sum {} max {} min {} and {} xor {}", a.reduce_sum(), a.reduce_max(), a.reduce_min(), a.reduce_and(), a.reduce_xor());
    let s: u32x4 = simd_swizzle!(a, b, [7, 0, 2, 5]);
    println!("swizzle {s:?} rotate {:?} reverse {:?}", a.rotate_elements_left::<1>(), a.reverse());
    let i = i16x8::from_array([-3, 7, i16::MIN, 12, 0, -1, 100, 5]);
    println!("abs {:?} neg {:?} lz {:?}", i.abs(), -i, i.leading_zeros());
    println!("cast f32 {:?} to u8 {:?}", i.cast::<f32>(), i.cast::<u8>());
    let f = f64x4::from_array([2.5, -0.5, 16.0, f64::NAN]);
    println!("sqrt {:?} floor {:?} round {:?}", f.sqrt(), f.floor(), f.round());
    println!("mul_add {:?} min {:?} sum {}", f.mul_add(f, f64x4::splat(1.0)), f.simd_min(f64x4::splat(1.0)), f64x4::from_array([1.0, 2.0, 3.0, 4.5]).reduce_sum());
    println!("to_int {:?}", f32x4::from_array([1.9, -7.2, 1e10, -0.0]).cast::<i32>());
    let table = [10i32, 20, 30, 40, 50];
    let idxs = usizex4::from_array([4, 0, 9, 2]);
    let got = Simd::gather_or(&table, idxs, i32x4::splat(-1));
    println!("gather {got:?}");
    let mut out = [0i32; 5];
    i32x4::from_array([1, 2, 3, 4]).scatter(&mut out, usizex4::from_array([3, 9, 0, 1]));
    println!("scatter {out:?}");
    let loaded = i32x4::load_or_default(&table[3..]);
    println!("load_or_default {loaded:?}");
    let bytes = u8x16::from_array(*b"Hello, SIMD lane");
    let upper = bytes.simd_ge(u8x16::splat(b'a')) & bytes.simd_le(u8x16::splat(b'z'));
    let shouted = upper.select(bytes - u8x16::splat(32), bytes);
    println!("{}", String::from_utf8_lossy(shouted.as_array()));
}

// Vector types are not projected into (no derives): read them as arrays.
#[repr(simd)]
#[derive(Clone, Copy)]
struct I64x2([i64; 2]);

#[repr(simd)]
#[derive(Clone, Copy)]
struct U8x8([u8; 8]);

fn i64s(v: I64x2) -> [i64; 2] {
    unsafe { std::mem::transmute(v) }
}

fn u8s(v: U8x8) -> [u8; 8] {
    unsafe { std::mem::transmute(v) }
}

fn raw_intrinsics() {
    unsafe {
        let v = I64x2([i64::MIN, 77]);
        let w: I64x2 = intr::simd_insert(v, 1, -5i64);
        let e: i64 = intr::simd_extract(w, 0);
        println!("insert {:?} extract {e}", i64s(w));
        let lanes = U8x8([0x80, 0, 0xff, 1, 0x80, 0x80, 0, 0xc0]);
        let bits: u8 = intr::simd_bitmask(lanes);
        let arr: [u8; 1] = intr::simd_bitmask(lanes);
        println!("bitmask {bits:#010b} {arr:?}");
        let sel: U8x8 = intr::simd_select_bitmask(0b1010_0110u8, U8x8([1; 8]), U8x8([2; 8]));
        println!("select_bitmask {:?}", u8s(sel));
        let f: U8x8 = intr::simd_funnel_shl(U8x8([0x81; 8]), U8x8([0xf0; 8]), U8x8([0, 1, 2, 3, 4, 5, 6, 7]));
        println!("funnel_shl {:?}", u8s(f));
        let p: U8x8 = intr::simd_ctpop(U8x8([0, 1, 3, 7, 0xff, 0x80, 0x55, 0xaa]));
        let swapped: I64x2 = intr::simd_bswap(I64x2([0x0102030405060708, -2]));
        println!("ctpop {:?} bswap {:?}", u8s(p), i64s(swapped));
        let r: i64 = intr::simd_reduce_add_unordered(I64x2([40, 2]));
        let any: bool = intr::simd_reduce_any(I64x2([0, -1]));
        println!("reduce_add {r} any {any}");
    }
}

fn main() {
    sse2();
    if is_x86_feature_detected!("ssse3") {
        unsafe { ssse3() };
    } else {
        println!("no ssse3");
    }
    if is_x86_feature_detected!("avx2") {
        unsafe { avx2() };
    } else {
        println!("no avx2");
    }
    portable();
    raw_intrinsics();
}

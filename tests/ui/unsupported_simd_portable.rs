// Portable SIMD (`std::simd`) lowers its operators to the `simd_*`
// intrinsics: a clean compile error at the user's operator.
#![feature(portable_simd)]

use std::simd::u32x4;

pub fn add(a: u32x4, b: u32x4) -> u32x4 {
    a + b //~ ERROR the intrinsic `simd_add`
}

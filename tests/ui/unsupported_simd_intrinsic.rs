// A `simd_*` platform intrinsic called directly on a `#[repr(simd)]` type:
// a clean compile error at the call.
#![feature(repr_simd, core_intrinsics)]
#![allow(internal_features)]

#[repr(simd)]
#[derive(Clone, Copy)]
pub struct U32x4([u32; 4]);

pub fn mul(a: U32x4, b: U32x4) -> U32x4 {
    unsafe { std::intrinsics::simd::simd_mul(a, b) } //~ ERROR the intrinsic `simd_mul`
}

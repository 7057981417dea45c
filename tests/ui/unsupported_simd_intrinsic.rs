// A `simd_*` intrinsic the backend does not lower (carry-less
// multiplication), called directly on a `#[repr(simd)]` type: a clean
// compile error at the call.
#![feature(repr_simd, core_intrinsics)]
#![allow(internal_features)]

#[repr(simd)]
#[derive(Clone, Copy)]
pub struct U64x2([u64; 2]);

pub fn clmul(a: U64x2, b: U64x2) -> U64x2 {
    unsafe { std::intrinsics::simd::simd_carryless_mul(a, b) } //~ ERROR the intrinsic `simd_carryless_mul`
}

// A `core::arch` vector function lowers to the `simd_add` intrinsic, which
// the backend does not implement on the host: a clean compile error at the
// user's call, not at the intrinsic inside `core`.
use std::arch::x86_64::{__m128i, _mm_add_epi32};

pub fn add(a: __m128i, b: __m128i) -> __m128i {
    unsafe { _mm_add_epi32(a, b) } //~ ERROR the intrinsic `simd_add`
}

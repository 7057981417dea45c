// SIMD vectors passed by value through the C ABI travel in vector
// registers, which the backend does not lower: clean compile errors at the
// function and at the call, not a miscompiled call. (Declaring such a
// foreign function needs `simd_ffi`.)
#![feature(simd_ffi)]
#![allow(improper_ctypes, improper_ctypes_definitions)]

use std::arch::x86_64::__m128i;

pub extern "C" fn id(x: __m128i) -> __m128i { //~ ERROR a function passing SIMD vectors by value
    x
}

unsafe extern "C" {
    fn external(x: __m128i) -> __m128i;
}

pub fn call(x: __m128i) -> __m128i {
    unsafe { external(x) } //~ ERROR calling a function that passes SIMD vectors by value
}

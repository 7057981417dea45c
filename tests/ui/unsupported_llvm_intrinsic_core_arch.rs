// `core::arch` functions that call `llvm.x86.*` intrinsics the backend does
// not implement: clean compile errors at the user's calls, naming the LLVM
// intrinsic, not undefined symbols at link time.
use std::arch::x86_64::{_mm_crc32_u32, _rdtsc};

pub fn cycles() -> u64 {
    unsafe { _rdtsc() } //~ ERROR the LLVM intrinsic `llvm.x86.rdtsc`
}

pub fn crc(crc: u32, v: u32) -> u32 {
    unsafe { _mm_crc32_u32(crc, v) } //~ ERROR the LLVM intrinsic `llvm.x86.sse42.crc32.32.32`
}

// An LLVM intrinsic the backend does not implement, reached through an
// `extern "unadjusted"` declaration as `core::arch` does: a clean compile
// error at the call, not an undefined symbol at link time.
#![feature(link_llvm_intrinsics, abi_unadjusted)]
#![allow(internal_features)]

unsafe extern "unadjusted" {
    #[link_name = "llvm.x86.rdtsc"]
    fn rdtsc() -> u64;
}

pub fn cycles() -> u64 {
    unsafe { rdtsc() } //~ ERROR the LLVM intrinsic `llvm.x86.rdtsc`
}

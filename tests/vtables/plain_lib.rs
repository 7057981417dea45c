//! An rlib without trait objects: layout-neutral even when compiled by
//! rustc's LLVM backend.

#[inline(never)]
pub fn answer(a: u32, b: u32) -> u32 {
    a * b
}

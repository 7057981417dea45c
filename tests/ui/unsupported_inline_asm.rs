// Inline assembly cannot be lowered by this backend: it must be a clean
// compile error pointing at the `asm!`, not a crash.
#![feature(no_core, rustc_attrs, decl_macro)]
#![allow(internal_features)]
#![no_core]

extern crate mini_core;

#[rustc_builtin_macro]
pub macro asm("assembly template", $(operands,)* $(options($(option),*))?) {
    /* compiler built-in */
}

pub fn f() {
    unsafe { asm!("nop"); } //~ ERROR inline assembly
}

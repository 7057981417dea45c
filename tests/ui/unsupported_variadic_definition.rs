// Defining a C-variadic function is not supported: a clean compile error,
// not a crash.
#![feature(no_core, c_variadic)]
#![no_core]

extern crate mini_core;

#[unsafe(no_mangle)]
pub unsafe extern "C" fn sum(n: i32, mut args: ...) -> i32 { //~ ERROR C-variadic
    n
}

// Explicit tail calls (`become`) are not lowered yet: a clean compile error
// at the call, not a crash.
#![feature(no_core, explicit_tail_calls)]
#![allow(incomplete_features)]
#![no_core]

extern crate mini_core;

fn callee(x: u32) -> u32 {
    x
}

pub fn caller(x: u32) -> u32 {
    become callee(x) //~ ERROR explicit tail calls
}

// x86-64 inline assembly with operands on the host target: a clean compile
// error at the `asm!`, not a crash.
use std::arch::asm;

pub fn one() -> u64 {
    let x: u64;
    unsafe { asm!("mov {0}, 1", out(reg) x) }; //~ ERROR inline assembly
    x
}

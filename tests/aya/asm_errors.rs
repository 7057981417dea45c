// BPF inline assembly the backend's assembler refuses: each is a clean
// error at its `asm!`. Compiled by the `aya` suite for bpfel-unknown-none
// and judged like a ui test (error annotations as in tests/ui). `no_mangle`
// makes rustc compile the small functions here instead of inlining them later.
#![no_std]
#![feature(asm_experimental_arch)]

use core::arch::asm;

#[unsafe(no_mangle)]
pub fn unknown_instruction() {
    unsafe { asm!("nop") } //~ ERROR invalid BPF inline assembly: line 1: unknown instruction
}

#[unsafe(no_mangle)]
pub fn label() {
    unsafe { asm!("goto done") } //~ ERROR labels are not supported
}

#[unsafe(no_mangle)]
pub fn jump_out_of_the_block() {
    unsafe { asm!("r0 = 0", "goto +3", out("r0") _) } //~ ERROR the jump leaves the block
}

#[unsafe(no_mangle)]
pub fn undeclared_register(x: u64) {
    unsafe { asm!("r3 = {x}", x = in(reg) x) } //~ ERROR uses r3, which is not an operand
}

#[unsafe(no_mangle)]
pub fn writes_an_input(x: u64) {
    unsafe { asm!("{x} = 1", x = in(reg) x) } //~ ERROR writes operand 0, an input only
}

#[unsafe(no_mangle)]
pub fn call_without_clobbers() -> u64 {
    let r: u64;
    unsafe { asm!("call 5", lateout("r0") r) }; //~ ERROR a `call` clobbers r0-r5
    r
}

#[unsafe(no_mangle)]
pub fn immediate_too_wide(x: u64) -> u64 {
    let mut x = x;
    unsafe { asm!("{x} += 0x80000000", x = inout(reg) x) }; //~ ERROR does not fit
    x
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {}
}

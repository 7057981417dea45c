//! A call of an extern function nothing defines.
#![no_std]
#![no_main]

#[path = "../../example/bpf/shared/program.rs"]
mod program;

unsafe extern "C" {
    fn not_defined_anywhere(x: u64) -> u64;
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn prog(ctx: *const u32) -> u32 {
    unsafe { not_defined_anywhere(ctx as u64) as u32 } //~ ERROR undefined symbol `not_defined_anywhere`, referenced by `prog`
}

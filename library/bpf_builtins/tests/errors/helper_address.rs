//! A kernel helper has no address: taking one is a link error naming the
//! helper.
#![no_std]
#![no_main]

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn take_address(_ctx: *mut u8) -> u32 {
    let f: unsafe extern "C" fn() -> u64 = bpf_builtins::helpers::bpf_ktime_get_ns;
    core::hint::black_box(f as usize) as u32
}
//~ ERROR takes the address of kernel helper 5

#[unsafe(no_mangle)]
#[unsafe(link_section = "license")]
static LICENSE: [u8; 4] = *b"GPL\0";

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {}
}

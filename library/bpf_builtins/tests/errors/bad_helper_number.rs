//! `kernel_helper` needs a helper number.
#![no_std]
#![no_main]

#[bpf_builtins::kernel_helper(BPF_FUNC_ktime_get_ns)]
fn ktime() -> u64;
//~^ ERROR expected a kernel helper number

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {}
}

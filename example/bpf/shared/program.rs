//! What every example eBPF program needs besides its code: the `license`
//! section (GPL, for GPL-only helpers) and a panic handler. eBPF crates are
//! built with `-Cpanic=immediate-abort`, so the handler is never reached.

#[unsafe(no_mangle)]
#[unsafe(link_section = "license")]
static LICENSE: [u8; 4] = *b"GPL\0";

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {}
}

//! Ring buffer producer (BTF-defined `RingBuf`): for every packet, an
//! [`Event`] with the packet's length and a name copied with
//! `bpf_probe_read_kernel_str_bytes`, whose bounds check is aya-ebpf's
//! inline assembly (`check_bounds_signed`).
#![no_std]
#![no_main]

use aya_ebpf::bindings::xdp_action;
use aya_ebpf::btf_maps::RingBuf;
use aya_ebpf::helpers::bpf_probe_read_kernel_str_bytes;
use aya_ebpf::macros::{btf_map, xdp};
use aya_ebpf::programs::XdpContext;
use aya_test_ebpf::Event;

#[btf_map]
static EVENTS: RingBuf<Event, 4096> = RingBuf::new();

static NAME: [u8; 8] = *b"aya-bpf\0";

#[xdp]
pub fn ringbuf(ctx: XdpContext) -> u32 {
    let Some(mut entry) = EVENTS.reserve(0) else {
        return xdp_action::XDP_ABORTED;
    };
    let event = unsafe { &mut *entry.as_mut_ptr() };
    event.packet_len = (ctx.data_end() - ctx.data()) as u32;
    event.name = [0; 16];
    let read = unsafe { bpf_probe_read_kernel_str_bytes(NAME.as_ptr(), &mut event.name) };
    event.name_len = match read {
        Ok(bytes) => bytes.len() as u32,
        Err(_) => u32::MAX,
    };
    entry.submit(0);
    xdp_action::XDP_PASS
}

#[unsafe(link_section = "license")]
#[unsafe(no_mangle)]
static LICENSE: [u8; 4] = *b"GPL\0";

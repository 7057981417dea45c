//! aya-log: logs the source address of each IPv4 packet through
//! aya-log-ebpf's `AYA_LOGS` ring buffer (a legacy `maps`-section map).
#![no_std]
#![no_main]

use aya_ebpf::bindings::xdp_action;
use aya_ebpf::macros::xdp;
use aya_ebpf::programs::XdpContext;
use aya_log_ebpf::info;
use aya_test_ebpf::ipv4_source;

#[xdp]
pub fn xdp_log(ctx: XdpContext) -> u32 {
    if let Some(source) = ipv4_source(ctx.data(), ctx.data_end()) {
        info!(&ctx, "from {:i}", u32::from_be(source));
    }
    xdp_action::XDP_PASS
}

#[unsafe(link_section = "license")]
#[unsafe(no_mangle)]
static LICENSE: [u8; 4] = *b"GPL\0";

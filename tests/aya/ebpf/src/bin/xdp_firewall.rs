//! XDP firewall with legacy `maps`-section maps (`#[map]`): drops IPv4
//! packets whose source address is in `BLOCKLIST` and counts the verdicts
//! in `VERDICTS`.
#![no_std]
#![no_main]

use aya_ebpf::bindings::xdp_action;
use aya_ebpf::macros::{map, xdp};
use aya_ebpf::maps::{Array, HashMap};
use aya_ebpf::programs::XdpContext;
use aya_test_ebpf::ipv4_source;

#[map]
static BLOCKLIST: HashMap<u32, u32> = HashMap::with_max_entries(1024, 0);

/// Index 0: packets passed, index 1: packets dropped.
#[map]
static VERDICTS: Array<u64> = Array::with_max_entries(2, 0);

#[xdp]
pub fn xdp_firewall(ctx: XdpContext) -> u32 {
    let verdict = match ipv4_source(ctx.data(), ctx.data_end()) {
        Some(source) if unsafe { BLOCKLIST.get(&source) }.is_some() => xdp_action::XDP_DROP,
        _ => xdp_action::XDP_PASS,
    };
    let index = u32::from(verdict == xdp_action::XDP_DROP);
    if let Some(count) = VERDICTS.get_ptr_mut(index) {
        unsafe { *count += 1 };
    }
    verdict
}

#[unsafe(link_section = "license")]
#[unsafe(no_mangle)]
static LICENSE: [u8; 4] = *b"GPL\0";

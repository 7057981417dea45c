//! The XDP firewall with BTF-defined maps (`#[btf_map]`, section `.maps`),
//! loadable by aya and by libbpf.
#![no_std]
#![no_main]

use aya_ebpf::bindings::xdp_action;
use aya_ebpf::btf_maps::{Array, HashMap};
use aya_ebpf::macros::{btf_map, xdp};
use aya_ebpf::programs::XdpContext;
use aya_test_ebpf::ipv4_source;

#[btf_map]
static BLOCKLIST: HashMap<u32, u32, 1024> = HashMap::new();

/// Index 0: packets passed, index 1: packets dropped.
#[btf_map]
static VERDICTS: Array<u64, 2> = Array::new();

#[xdp]
pub fn xdp_firewall_btf(ctx: XdpContext) -> u32 {
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

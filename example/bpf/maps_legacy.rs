//! Maps of the legacy `maps` section (`struct bpf_map_def`, as aya-ebpf's
//! `#[map]` emits them), in one XDP program (`maps_legacy`): each run
//! counts itself in `HITS[0]` (array) and returns XDP_PASS when user space
//! put key 42 into `ALLOWED` (hash), whose value it then increments;
//! XDP_DROP otherwise. libbpf refuses this section; aya loads it.

#![no_std]
#![no_main]

#[path = "shared/maps.rs"]
mod maps;
#[path = "shared/program.rs"]
mod program;
#[path = "shared/xdp.rs"]
mod xdp;

use maps::{BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_HASH, KeyValueMap, LegacyMap};
use xdp::{XDP_DROP, XDP_PASS, XdpMd};

#[unsafe(no_mangle)]
#[unsafe(link_section = "maps")]
static HITS: LegacyMap<u32, u64> = LegacyMap::new(BPF_MAP_TYPE_ARRAY, 1);

#[unsafe(no_mangle)]
#[unsafe(link_section = "maps")]
static ALLOWED: LegacyMap<u32, u32> = LegacyMap::new(BPF_MAP_TYPE_HASH, 8);

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn maps_legacy(_ctx: *mut XdpMd) -> u32 {
    if let Some(hits) = HITS.get(&0) {
        *hits += 1;
    }
    match ALLOWED.get(&42) {
        Some(seen) => {
            *seen += 1;
            XDP_PASS
        }
        None => XDP_DROP,
    }
}

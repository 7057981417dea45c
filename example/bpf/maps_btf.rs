//! BTF-defined maps of every common kind and global data, in one XDP
//! program (`maps_btf`). Each run:
//! - counts itself in `RUNS` (`.bss`) and adds `SCALE` (`.rodata`, 1
//!   unless the loader sets it) to `TOTAL` (`.data`, starts at 1000);
//! - stores `RUNS`, `TOTAL`, `SCALE` and `LIMITS[1]` (`.rodata`, an element
//!   past the start of its symbol) in `STATS[0..4]` (array);
//! - counts itself in `PER_CPU[0]` (per-CPU array) and `PER_CPU_HASH[3]`
//!   (per-CPU hash), stores `RUNS * 10` under key `RUNS` in `RECENT` (LRU
//!   hash of 2 entries) and sends `Event { runs, total }` to `EVENTS` (ring
//!   buffer);
//! - returns XDP_DROP unless user space put a value `v` under key 7 in
//!   `LOOKUP` (hash); then it stores `v * SCALE` under key 8 and returns
//!   XDP_PASS.

#![no_std]
#![no_main]

#[path = "shared/maps.rs"]
mod maps;
#[path = "shared/program.rs"]
mod program;
#[path = "shared/xdp.rs"]
mod xdp;

use maps::{Array, BPF_ANY, HashMap, KeyValueMap, LruHashMap, PerCpuArray, PerCpuHashMap, RingBuf};
use xdp::{XDP_DROP, XDP_PASS, XdpMd};

#[unsafe(no_mangle)]
#[unsafe(link_section = ".maps")]
static STATS: Array<u64, 4> = Array::new();

#[unsafe(no_mangle)]
#[unsafe(link_section = ".maps")]
static LOOKUP: HashMap<u32, u64, 16> = HashMap::new();

#[unsafe(no_mangle)]
#[unsafe(link_section = ".maps")]
static PER_CPU: PerCpuArray<u64, 1> = PerCpuArray::new();

#[unsafe(no_mangle)]
#[unsafe(link_section = ".maps")]
static PER_CPU_HASH: PerCpuHashMap<u32, u64, 4> = PerCpuHashMap::new();

#[unsafe(no_mangle)]
#[unsafe(link_section = ".maps")]
static RECENT: LruHashMap<u32, u64, 2> = LruHashMap::new();

#[unsafe(no_mangle)]
#[unsafe(link_section = ".maps")]
static EVENTS: RingBuf<4096> = RingBuf::new();

/// Set by the loader; read volatile so that the compiler keeps the load
/// (the verifier then sees the frozen map's value).
#[unsafe(no_mangle)]
static SCALE: u64 = 1;
#[unsafe(no_mangle)]
static LIMITS: [u64; 2] = [7, 9];
#[unsafe(no_mangle)]
static mut TOTAL: u64 = 1000;
#[unsafe(no_mangle)]
static mut RUNS: u64 = 0;

/// One ring-buffer record.
#[repr(C)]
pub struct Event {
    pub runs: u64,
    pub total: u64,
}

/// `STATS[index] = value`.
fn store(index: u32, value: u64) {
    if let Some(slot) = STATS.get(&index) {
        *slot = value;
    }
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn maps_btf(_ctx: *mut XdpMd) -> u32 {
    let scale = unsafe { core::ptr::read_volatile(&SCALE) };
    let (runs, total) = unsafe {
        RUNS += 1;
        TOTAL += scale;
        (RUNS, TOTAL)
    };
    store(0, runs);
    store(1, total);
    store(2, scale);
    store(3, unsafe { core::ptr::read_volatile(&LIMITS[1]) });
    if let Some(count) = PER_CPU.get(&0) {
        *count += 1;
    }
    match PER_CPU_HASH.get(&3) {
        Some(count) => *count += 1,
        None => {
            let _ = PER_CPU_HASH.insert(&3, &1, BPF_ANY);
        }
    }
    let _ = RECENT.insert(&(runs as u32), &(runs * 10), BPF_ANY);
    let _ = EVENTS.output(&Event { runs, total });
    match LOOKUP.get(&7) {
        Some(value) => {
            let scaled = *value * scale;
            let _ = LOOKUP.insert(&8, &scaled, BPF_ANY);
            XDP_PASS
        }
        None => XDP_DROP,
    }
}

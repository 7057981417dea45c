//! Counts `getpid` calls of one process (its tgid in `TARGET[0]`) in a
//! per-CPU array, from the `syscalls/sys_enter_getpid` tracepoint.
#![no_std]
#![no_main]

use aya_ebpf::helpers::bpf_get_current_pid_tgid;
use aya_ebpf::macros::{map, tracepoint};
use aya_ebpf::maps::{Array, PerCpuArray};
use aya_ebpf::programs::TracePointContext;

#[map]
static TARGET: Array<u32> = Array::with_max_entries(1, 0);

#[map]
static COUNTS: PerCpuArray<u64> = PerCpuArray::with_max_entries(1, 0);

#[tracepoint]
pub fn count_getpid(_ctx: TracePointContext) -> u32 {
    let tgid = (bpf_get_current_pid_tgid() >> 32) as u32;
    if TARGET.get(0).copied() != Some(tgid) {
        return 0;
    }
    if let Some(count) = COUNTS.get_ptr_mut(0) {
        unsafe { *count += 1 };
    }
    0
}

#[unsafe(link_section = "license")]
#[unsafe(no_mangle)]
static LICENSE: [u8; 4] = *b"GPL\0";

//! BPF inline assembly beyond aya-ebpf's own: `inout`, `out`, `lateout`,
//! explicit registers, a jump inside the block, a load, a helper call with
//! its clobbers. Each result goes to `RESULTS` (a legacy `maps` array);
//! user space compares them with what it computes from the packet length.
#![no_std]
#![no_main]
#![feature(asm_experimental_arch)]

use core::arch::asm;

use aya_ebpf::bindings::xdp_action;
use aya_ebpf::macros::{map, xdp};
use aya_ebpf::maps::Array;
use aya_ebpf::programs::XdpContext;

#[map]
static RESULTS: Array<u64> = Array::with_max_entries(6, 0);

fn store(index: u32, value: u64) {
    if let Some(slot) = RESULTS.get_ptr_mut(index) {
        unsafe { *slot = value };
    }
}

#[xdp]
pub fn xdp_asm(ctx: XdpContext) -> u32 {
    let len = (ctx.data_end() - ctx.data()) as u64;
    // 0: len * 3 + 1, in place.
    let mut a = len;
    unsafe { asm!("{a} *= 3", "{a} += 1", a = inout(reg) a) };
    store(0, a);
    // 1: len << 4, through r1 and r0.
    let b: u64;
    unsafe { asm!("r0 = r1", "r0 <<= 4", in("r1") len, lateout("r0") b) };
    store(1, b);
    // 2: a - b; `out` is written before the inputs are read.
    let c: u64;
    unsafe { asm!("{c} = {x}", "{c} -= {y}", c = out(reg) c, x = in(reg) a, y = in(reg) b) };
    store(2, c);
    // 3: 7 when len <= 100, else 0.
    let mut d: u64 = 0;
    unsafe { asm!("if {v} > 100 goto +1", "{d} = 7", d = inout(reg) d, v = in(reg) len) };
    store(3, d);
    // 4: a 32-bit load from the stack, zero-extended.
    let word: u32 = 0x8765_4321;
    let e: u32;
    unsafe {
        asm!(
            "{e} = *(u32 *)({p} + 0)",
            e = lateout(reg) e,
            p = in(reg) &word,
        )
    };
    store(4, u64::from(e));
    // 5: bpf_ktime_get_ns (helper 5) is not zero.
    let now: u64;
    unsafe {
        asm!(
            "call 5",
            lateout("r0") now,
            out("r1") _, out("r2") _, out("r3") _, out("r4") _, out("r5") _,
        )
    };
    store(5, u64::from(now != 0));
    xdp_action::XDP_PASS
}

#[unsafe(link_section = "license")]
#[unsafe(no_mangle)]
static LICENSE: [u8; 4] = *b"GPL\0";

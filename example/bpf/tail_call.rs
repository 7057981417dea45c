//! Tail calls through a BTF-defined program array: the XDP program
//! `tail_dispatch` reads a `u32` index from a test frame's payload and
//! tail-calls `JUMP[index]`; user space puts `tail_tx` (XDP_TX) at 0 and
//! `tail_pass` (XDP_PASS) at 1. An empty slot returns XDP_DROP. The
//! callees count their runs in `CALLED[0]` and `CALLED[1]`.

#![no_std]
#![no_main]

#[path = "shared/maps.rs"]
mod maps;
#[path = "shared/program.rs"]
mod program;
#[path = "shared/xdp.rs"]
mod xdp;

use maps::{Array, KeyValueMap, ProgArray};
use xdp::{XDP_DROP, XDP_PASS, XDP_TX, XdpMd, test_payload};

#[unsafe(no_mangle)]
#[unsafe(link_section = ".maps")]
static JUMP: ProgArray<4> = ProgArray::new();

#[unsafe(no_mangle)]
#[unsafe(link_section = ".maps")]
static CALLED: Array<u64, 2> = Array::new();

fn count(slot: u32) {
    if let Some(runs) = CALLED.get(&slot) {
        *runs += 1;
    }
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn tail_dispatch(ctx: *mut XdpMd) -> u32 {
    let index = u32::from_le_bytes(*test_payload!(ctx, [u8; 4]));
    JUMP.tail_call(ctx, index);
    XDP_DROP
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn tail_tx(_ctx: *mut XdpMd) -> u32 {
    count(0);
    XDP_TX
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn tail_pass(_ctx: *mut XdpMd) -> u32 {
    count(1);
    XDP_PASS
}

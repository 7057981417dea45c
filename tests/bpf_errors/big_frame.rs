//! One function whose locals need more than the verifier's 512-byte frame.
#![no_std]
#![no_main]

#[path = "../../example/bpf/shared/program.rs"]
mod program;

#[inline(never)]
fn sum_of_buffer(seed: u64) -> u64 { //~ ERROR bytes exceeds BPF's 512
//~^ ERROR sum_of_buffer
    let mut buf = [0u64; 80];
    let p = core::hint::black_box(buf.as_mut_ptr());
    unsafe { p.add(seed as usize & 63).write_volatile(seed) };
    let p = core::hint::black_box(p);
    unsafe { p.add((seed as usize + 3) & 63).read_volatile() }
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn prog(ctx: *const u32) -> u32 {
    sum_of_buffer(ctx as u64) as u32
}

//! Three functions each within the 512-byte frame limit whose call chain
//! together needs more than the verifier's 512 bytes of stack.
#![no_std]
#![no_main]

#[path = "../../example/bpf/shared/program.rs"]
mod program;

/// Keeps a 256-byte buffer live in the frame around the call `$next`.
macro_rules! with_buffer {
    ($seed:expr, $next:expr) => {{
        let mut buf = [0u64; 32];
        let p = core::hint::black_box(buf.as_mut_ptr());
        unsafe { p.add($seed as usize & 31).write_volatile($seed) };
        let r = $next;
        let p = core::hint::black_box(p);
        r + unsafe { p.add(($seed as usize + 1) & 31).read_volatile() }
    }};
}

#[inline(never)]
fn leaf(seed: u64) -> u64 {
    // Link errors locate a function at the first line of its code.
    with_buffer!(seed, 0) //~ ERROR bytes of stack (frames rounded up to 32), more than the 512
    //~^ ERROR leaf
}

#[inline(never)]
fn middle(seed: u64) -> u64 {
    with_buffer!(seed, leaf(seed ^ 1))
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn prog(ctx: *const u32) -> u32 {
    with_buffer!(ctx as u64, middle(ctx as u64 ^ 2)) as u32
}

//! An XDP program with a BTF-defined array map in `.maps` (libbpf's
//! `__uint`/`__type` member shapes), whose value type holds an `Option`
//! and a tuple; the `btf` suite checks its BTF and loads it with libbpf.

#![no_std]
#![no_main]

#[repr(C)]
pub struct ArrayMap {
    r#type: *const [i32; 2],
    max_entries: *const [i32; 4],
    key: *const u32,
    value: *const Counter,
}
unsafe impl Sync for ArrayMap {}

#[repr(C)]
pub struct Counter {
    pub packets: u64,
    pub last: Option<u32>,
    pub pair: (u8, u16),
}

#[unsafe(no_mangle)]
#[unsafe(link_section = ".maps")]
pub static COUNTS: ArrayMap = ArrayMap {
    r#type: core::ptr::null(),
    max_entries: core::ptr::null(),
    key: core::ptr::null(),
    value: core::ptr::null(),
};

#[unsafe(no_mangle)]
#[unsafe(link_section = "license")]
pub static LICENSE: [u8; 4] = *b"GPL\0";

#[repr(C)]
pub struct XdpMd {
    pub data: u32,
    pub data_end: u32,
}

#[inline(never)]
fn bump(counter: *mut Counter, by: u64) -> u64 {
    unsafe {
        (*counter).packets += by;
        (*counter).packets
    }
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn count_packets(ctx: *mut XdpMd) -> u32 {
    let lookup: unsafe extern "C" fn(*const ArrayMap, *const u32) -> *mut Counter =
        unsafe { core::mem::transmute(1usize) };
    let key = 0u32;
    let value = unsafe { lookup(&COUNTS, &key) };
    if value.is_null() {
        return 1;
    }
    let _ = ctx;
    bump(value, 1);
    2
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {}
}

//! What the test programs share: the packet layout they parse and the
//! panic handler every eBPF binary needs.
#![no_std]

/// Ethernet header length.
pub const ETH_LEN: usize = 14;
/// The IPv4 ethertype, as it appears on the wire.
pub const ETH_P_IP: u16 = 0x0800;

/// The IPv4 source address of the packet in `[data, data_end)`, in
/// network byte order, or `None` for a short or non-IPv4 frame.
#[inline(always)]
pub fn ipv4_source(data: usize, data_end: usize) -> Option<u32> {
    if data + ETH_LEN + 20 > data_end {
        return None;
    }
    let ethertype = unsafe { core::ptr::read_unaligned((data + 12) as *const u16) };
    if u16::from_be(ethertype) != ETH_P_IP {
        return None;
    }
    Some(unsafe { core::ptr::read_unaligned((data + ETH_LEN + 12) as *const u32) })
}

/// One event of the ring buffer program: the length of the string read
/// back with `bpf_probe_read_kernel_str_bytes` and its bytes.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Event {
    pub packet_len: u32,
    pub name_len: u32,
    pub name: [u8; 16],
}

#[cfg(not(test))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {}
}

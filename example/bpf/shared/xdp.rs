//! XDP definitions the example programs share: verdicts, `struct xdp_md`,
//! and the framing of the test programs, whose input follows an Ethernet
//! header of ethertype [`ETH_P_TEST`].
#![allow(dead_code, unused_macros, unused_imports)] // each program uses its own part

pub const XDP_ABORTED: u32 = 0;
pub const XDP_DROP: u32 = 1;
pub const XDP_PASS: u32 = 2;
pub const XDP_TX: u32 = 3;

/// The ethertype of the test programs' frames (IEEE local experimental).
pub const ETH_P_TEST: u16 = 0x88b5;
/// Bytes of an Ethernet header without VLAN tags.
pub const ETH_LEN: usize = 14;

/// `struct xdp_md`.
#[repr(C)]
pub struct XdpMd {
    pub data: u32,
    pub data_end: u32,
    pub data_meta: u32,
    pub ingress_ifindex: u32,
    pub rx_queue_index: u32,
    pub egress_ifindex: u32,
}

/// The payload of a test frame as `&mut $ty`, right after its Ethernet
/// header. Returns from the calling program `XDP_ABORTED` for a frame too
/// short and `XDP_PASS` for another ethertype. A macro, so that the bounds
/// checks stay in the program's own body where the verifier tracks them.
macro_rules! test_payload {
    ($ctx:ident, $ty:ty) => {{
        use $crate::xdp::{ETH_LEN, ETH_P_TEST, XDP_ABORTED, XDP_PASS};
        let (start, end) = unsafe { ((*$ctx).data as usize, (*$ctx).data_end as usize) };
        if start + ETH_LEN > end {
            return XDP_ABORTED;
        }
        let ether_type = unsafe { *((start + 12) as *const [u8; 2]) };
        if u16::from_be_bytes(ether_type) != ETH_P_TEST {
            return XDP_PASS;
        }
        if start + ETH_LEN + core::mem::size_of::<$ty>() > end {
            return XDP_ABORTED;
        }
        unsafe { &mut *((start + ETH_LEN) as *mut $ty) }
    }};
}
pub(crate) use test_payload;

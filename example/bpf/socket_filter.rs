//! Socket filter (section "socket"): keeps headers and drops payloads.
//! The return value is the number of bytes of the packet to keep, counted
//! from the network header (0 drops the packet):
//! - UDP over IPv4 or IPv6: the whole packet;
//! - TCP: the IP and TCP headers only (options included);
//! - ICMP / ICMPv6: at most the first 64 bytes;
//! - anything else, or headers that cannot be read: 0.
//! Packet bytes are read with the `bpf_skb_load_bytes` helper.

#![no_std]
#![no_main]

#[path = "shared/program.rs"]
mod program;

const ETH_P_IPV4: u16 = 0x0800;
const ETH_P_IPV6: u16 = 0x86dd;
const IPPROTO_ICMP: u8 = 1;
const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;
const IPPROTO_ICMPV6: u8 = 58;
const ICMP_SNAP_LEN: u32 = 64;
const IPV6_HEADER_LEN: u32 = 40;

/// The leading fields of `struct __sk_buff`.
#[repr(C)]
pub struct SkBuff {
    pub len: u32,
    pub pkt_type: u32,
    pub mark: u32,
    pub queue_mapping: u32,
    pub protocol: u32,
    pub vlan_present: u32,
    pub vlan_tci: u32,
    pub vlan_proto: u32,
    pub priority: u32,
}

/// `long bpf_skb_load_bytes(const void *skb, u32 offset, void *to, u32 len)`.
const BPF_FUNC_SKB_LOAD_BYTES: usize = 26;

/// `N` bytes of the packet at `offset`, or `None` past its end.
fn load<const N: usize>(skb: *mut SkBuff, offset: u32) -> Option<[u8; N]> {
    let mut bytes = [0u8; N];
    let skb_load_bytes: unsafe extern "C" fn(*const SkBuff, u32, *mut u8, u32) -> i64 =
        unsafe { core::mem::transmute(BPF_FUNC_SKB_LOAD_BYTES) };
    let rc = unsafe { skb_load_bytes(skb, offset, bytes.as_mut_ptr(), N as u32) };
    if rc < 0 { None } else { Some(bytes) }
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "socket")]
pub extern "C" fn socket_filter(skb: *mut SkBuff) -> u32 {
    let (len, protocol) = unsafe { ((*skb).len, (*skb).protocol) };
    keep_bytes(skb, len, u16::from_be(protocol as u16)).unwrap_or(0)
}

fn keep_bytes(skb: *mut SkBuff, len: u32, protocol: u16) -> Option<u32> {
    let (header_len, transport) = match protocol {
        ETH_P_IPV4 => {
            let [version_ihl] = load::<1>(skb, 0)?;
            if version_ihl >> 4 != 4 {
                return None;
            }
            let [transport] = load::<1>(skb, 9)?;
            (u32::from(version_ihl & 0x0f) * 4, transport)
        }
        ETH_P_IPV6 => {
            let [next_header] = load::<1>(skb, 6)?;
            (IPV6_HEADER_LEN, next_header)
        }
        _ => return None,
    };
    match transport {
        IPPROTO_UDP => Some(len),
        IPPROTO_TCP => {
            let [data_offset] = load::<1>(skb, header_len + 12)?;
            Some(len.min(header_len + u32::from(data_offset >> 4) * 4))
        }
        IPPROTO_ICMP | IPPROTO_ICMPV6 => Some(len.min(ICMP_SNAP_LEN)),
        _ => None,
    }
}

//! XDP parser: Ethernet, up to two 802.1Q/802.1ad VLAN tags, IPv4 (options
//! included), IPv6 (up to three extension headers), TCP and UDP.
//!
//! Verdicts, so that every path has its own observable outcome:
//! - `XDP_ABORTED`: a malformed or truncated header (VLAN tag, IPv4 with a
//!   wrong version or IHL < 5, IPv6 with a wrong version, an extension
//!   header, TCP with data offset < 5 or fewer than 20 bytes, UDP under 8
//!   bytes), or more than two VLAN tags;
//! - `XDP_PASS`: not IP (ARP, ...), TCP to port 22, 80 or 443, UDP to 53 or 123;
//! - `XDP_TX`: UDP to the echo port 7;
//! - `XDP_DROP`: everything else: VLAN id 666, other ports, other transport
//!   protocols, IPv4 fragments after the first, more than three IPv6
//!   extension headers.

#![no_std]
#![no_main]

#[path = "shared/program.rs"]
mod program;
#[path = "shared/xdp.rs"]
mod xdp;

use xdp::*;

use core::mem::size_of;

const ETH_P_IPV4: u16 = 0x0800;
const ETH_P_IPV6: u16 = 0x86dd;
const ETH_P_8021Q: u16 = 0x8100;
const ETH_P_8021AD: u16 = 0x88a8;
const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;
const BLOCKED_VLAN: u16 = 666;
const MAX_VLAN_TAGS: usize = 2;
const MAX_IPV6_EXT_HEADERS: usize = 3;

#[repr(C)]
struct EthHdr {
    dst: [u8; 6],
    src: [u8; 6],
    ether_type: [u8; 2],
}

#[repr(C)]
struct VlanHdr {
    tci: [u8; 2],
    ether_type: [u8; 2],
}

#[repr(C)]
struct Ipv4Hdr {
    version_ihl: u8,
    tos: u8,
    tot_len: [u8; 2],
    id: [u8; 2],
    frag_off: [u8; 2],
    ttl: u8,
    protocol: u8,
    check: [u8; 2],
    saddr: [u8; 4],
    daddr: [u8; 4],
}

#[repr(C)]
struct Ipv6Hdr {
    vtc_flow: [u8; 4],
    payload_len: [u8; 2],
    next_header: u8,
    hop_limit: u8,
    saddr: [u8; 16],
    daddr: [u8; 16],
}

/// The first 8 bytes of a hop-by-hop, routing or destination options header.
#[repr(C)]
struct Ipv6ExtHdr {
    next_header: u8,
    hdr_ext_len: u8,
    data: [u8; 6],
}

#[repr(C)]
struct TcpHdr {
    src: [u8; 2],
    dst: [u8; 2],
    seq: [u8; 4],
    ack: [u8; 4],
    doff_flags: [u8; 2],
    window: [u8; 2],
    check: [u8; 2],
    urg_ptr: [u8; 2],
}

#[repr(C)]
struct UdpHdr {
    src: [u8; 2],
    dst: [u8; 2],
    len: [u8; 2],
    check: [u8; 2],
}

/// A header that does not fit in the packet or has impossible fields.
struct Malformed;

/// The packet bounds of one XDP invocation.
struct Packet {
    start: usize,
    end: usize,
}

impl Packet {
    /// The header of type `T` at `offset`, if the packet holds all of it.
    #[inline(always)]
    fn get<T>(&self, offset: usize) -> Result<&T, Malformed> {
        let at = self.start + offset;
        if at + size_of::<T>() > self.end {
            return Err(Malformed);
        }
        Ok(unsafe { &*(at as *const T) })
    }
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn xdp_parser(ctx: *mut XdpMd) -> u32 {
    let packet = unsafe {
        Packet {
            start: (*ctx).data as usize,
            end: (*ctx).data_end as usize,
        }
    };
    match classify(&packet) {
        Ok(verdict) => verdict,
        Err(Malformed) => XDP_ABORTED,
    }
}

fn classify(packet: &Packet) -> Result<u32, Malformed> {
    let eth: &EthHdr = packet.get(0)?;
    let mut ether_type = u16::from_be_bytes(eth.ether_type);
    let mut offset = size_of::<EthHdr>();
    let mut tags = 0;
    while ether_type == ETH_P_8021Q || ether_type == ETH_P_8021AD {
        if tags == MAX_VLAN_TAGS {
            return Err(Malformed);
        }
        let vlan: &VlanHdr = packet.get(offset)?;
        if u16::from_be_bytes(vlan.tci) & 0x0fff == BLOCKED_VLAN {
            return Ok(XDP_DROP);
        }
        ether_type = u16::from_be_bytes(vlan.ether_type);
        offset += size_of::<VlanHdr>();
        tags += 1;
    }
    match ether_type {
        ETH_P_IPV4 => ipv4(packet, offset),
        ETH_P_IPV6 => ipv6(packet, offset),
        _ => Ok(XDP_PASS),
    }
}

fn ipv4(packet: &Packet, offset: usize) -> Result<u32, Malformed> {
    let ip: &Ipv4Hdr = packet.get(offset)?;
    if ip.version_ihl >> 4 != 4 {
        return Err(Malformed);
    }
    let header_len = usize::from(ip.version_ihl & 0x0f) * 4;
    if header_len < size_of::<Ipv4Hdr>() {
        return Err(Malformed);
    }
    if u16::from_be_bytes(ip.frag_off) & 0x1fff != 0 {
        return Ok(XDP_DROP);
    }
    transport(packet, offset + header_len, ip.protocol)
}

fn ipv6(packet: &Packet, offset: usize) -> Result<u32, Malformed> {
    let ip: &Ipv6Hdr = packet.get(offset)?;
    if ip.vtc_flow[0] >> 4 != 6 {
        return Err(Malformed);
    }
    let mut next = ip.next_header;
    let mut offset = offset + size_of::<Ipv6Hdr>();
    for _ in 0..MAX_IPV6_EXT_HEADERS {
        if !is_extension_header(next) {
            break;
        }
        let ext: &Ipv6ExtHdr = packet.get(offset)?;
        next = ext.next_header;
        offset += (usize::from(ext.hdr_ext_len) + 1) * 8;
    }
    if is_extension_header(next) {
        return Ok(XDP_DROP);
    }
    transport(packet, offset, next)
}

/// Hop-by-hop options, routing, destination options.
fn is_extension_header(next_header: u8) -> bool {
    matches!(next_header, 0 | 43 | 60)
}

fn transport(packet: &Packet, offset: usize, protocol: u8) -> Result<u32, Malformed> {
    match protocol {
        IPPROTO_TCP => {
            let tcp: &TcpHdr = packet.get(offset)?;
            if tcp.doff_flags[0] >> 4 < 5 {
                return Err(Malformed);
            }
            Ok(match u16::from_be_bytes(tcp.dst) {
                22 | 80 | 443 => XDP_PASS,
                _ => XDP_DROP,
            })
        }
        IPPROTO_UDP => {
            let udp: &UdpHdr = packet.get(offset)?;
            Ok(match u16::from_be_bytes(udp.dst) {
                7 => XDP_TX,
                53 | 123 => XDP_PASS,
                _ => XDP_DROP,
            })
        }
        _ => Ok(XDP_DROP),
    }
}

//! XDP reflector: turns an IPv4 packet around and sends it back out.
//!
//! For Ethernet + IPv4 (IHL 5): swaps the MAC addresses and the IPv4
//! addresses, sets the TTL to 64 and recomputes the IPv4 header checksum.
//! For TCP and UDP it also swaps the ports, answering from port 80 what was
//! sent to port 8080, and updates the transport checksum incrementally
//! (RFC 1624; a UDP checksum of 0, "none", stays 0). Returns `XDP_TX`.
//!
//! Left untouched: non-IPv4 frames (`XDP_PASS`), IPv4 with options or a
//! wrong version (`XDP_DROP`), truncated IPv4/TCP/UDP headers (`XDP_ABORTED`).

#![no_std]
#![no_main]

#[path = "shared/program.rs"]
mod program;
#[path = "shared/xdp.rs"]
mod xdp;

use xdp::*;

use core::mem::size_of;

const ETH_P_IPV4: u16 = 0x0800;
const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;
const REPLY_TTL: u8 = 64;
/// Requests to this port are answered from `SERVICE_PORT`.
const PROXY_PORT: u16 = 8080;
const SERVICE_PORT: u16 = 80;

#[repr(C)]
struct EthHdr {
    dst: [u8; 6],
    src: [u8; 6],
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

/// Source and destination port: the first 4 bytes of TCP and UDP headers.
#[repr(C)]
struct Ports {
    src: [u8; 2],
    dst: [u8; 2],
}

const ETH_LEN: usize = size_of::<EthHdr>();
const IPV4_LEN: usize = size_of::<Ipv4Hdr>();
const TCP_LEN: usize = 20;
const UDP_LEN: usize = 8;
/// Offset of the checksum inside the TCP and UDP headers.
const TCP_CHECK: usize = 16;
const UDP_CHECK: usize = 6;

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn xdp_rewrite(ctx: *mut XdpMd) -> u32 {
    let (start, end) = unsafe { ((*ctx).data as usize, (*ctx).data_end as usize) };
    if start + ETH_LEN > end {
        return XDP_PASS;
    }
    let eth = unsafe { &mut *(start as *mut EthHdr) };
    if u16::from_be_bytes(eth.ether_type) != ETH_P_IPV4 {
        return XDP_PASS;
    }
    if start + ETH_LEN + IPV4_LEN > end {
        return XDP_ABORTED;
    }
    let ip = unsafe { &mut *((start + ETH_LEN) as *mut Ipv4Hdr) };
    if ip.version_ihl != 0x45 {
        return XDP_DROP;
    }
    let l4 = start + ETH_LEN + IPV4_LEN;
    let check_at = match ip.protocol {
        IPPROTO_TCP if l4 + TCP_LEN > end => return XDP_ABORTED,
        IPPROTO_UDP if l4 + UDP_LEN > end => return XDP_ABORTED,
        IPPROTO_TCP => Some(l4 + TCP_CHECK),
        IPPROTO_UDP => Some(l4 + UDP_CHECK),
        _ => None,
    };

    core::mem::swap(&mut eth.dst, &mut eth.src);
    core::mem::swap(&mut ip.saddr, &mut ip.daddr);
    ip.ttl = REPLY_TTL;
    ip.check = [0, 0];
    ip.check = ipv4_checksum(ip).to_be_bytes();

    if let Some(check_at) = check_at {
        let ports = unsafe { &mut *(l4 as *mut Ports) };
        let check = unsafe { &mut *(check_at as *mut [u8; 2]) };
        let old = [u16::from_be_bytes(ports.src), u16::from_be_bytes(ports.dst)];
        let new = [reply_port(old[1]), old[0]];
        ports.src = new[0].to_be_bytes();
        ports.dst = new[1].to_be_bytes();
        let sum = u16::from_be_bytes(*check);
        let udp_without_checksum = ip.protocol == IPPROTO_UDP && sum == 0;
        if !udp_without_checksum {
            let mut updated = checksum_update(sum, old, new);
            if ip.protocol == IPPROTO_UDP && updated == 0 {
                updated = 0xffff;
            }
            *check = updated.to_be_bytes();
        }
    }
    XDP_TX
}

/// The port a reply is sent from, given the port the request went to.
fn reply_port(request_dst: u16) -> u16 {
    if request_dst == PROXY_PORT {
        SERVICE_PORT
    } else {
        request_dst
    }
}

/// The Internet checksum of a 20-byte IPv4 header whose checksum field is 0.
fn ipv4_checksum(ip: &Ipv4Hdr) -> u16 {
    let bytes = unsafe { &*(ip as *const Ipv4Hdr as *const [u8; IPV4_LEN]) };
    let mut sum = 0u32;
    for i in 0..IPV4_LEN / 2 {
        sum += u32::from(u16::from_be_bytes([bytes[2 * i], bytes[2 * i + 1]]));
    }
    !fold(sum)
}

/// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') over each changed 16-bit word.
fn checksum_update(check: u16, old: [u16; 2], new: [u16; 2]) -> u16 {
    let mut sum = u32::from(!check);
    for (m, m_new) in old.iter().zip(new.iter()) {
        sum += u32::from(!*m) + u32::from(*m_new);
    }
    !fold(sum)
}

/// Folds the carries of a 32-bit one's complement sum into 16 bits.
fn fold(mut sum: u32) -> u16 {
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

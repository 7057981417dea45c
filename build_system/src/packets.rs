//! Crafting test packets for eBPF programs: Ethernet frames (with VLAN
//! tags), IPv4 and IPv6 packets, TCP, UDP and ICMP, with every checksum
//! computed here, so that programs see what a real network would send.

/// Source and destination MAC addresses of crafted frames.
pub const MAC_SRC: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
pub const MAC_DST: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
pub const IPV4_SRC: [u8; 4] = [192, 0, 2, 1];
pub const IPV4_DST: [u8; 4] = [198, 51, 100, 7];
pub const IPV6_SRC: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
pub const IPV6_DST: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

pub const ETH_HLEN: usize = 14;
pub const ETH_P_IPV4: u16 = 0x0800;
pub const ETH_P_ARP: u16 = 0x0806;
pub const ETH_P_IPV6: u16 = 0x86dd;
pub const ETH_P_8021Q: u16 = 0x8100;
pub const ETH_P_8021AD: u16 = 0x88a8;
/// IEEE 802 local experimental ethertype: frames carrying test inputs.
pub const ETH_P_TEST: u16 = 0x88b5;

pub const IPPROTO_ICMP: u8 = 1;
pub const IPPROTO_TCP: u8 = 6;
pub const IPPROTO_UDP: u8 = 17;
pub const IPPROTO_GRE: u8 = 47;
pub const IPPROTO_ICMPV6: u8 = 58;

/// An Ethernet frame from `MAC_SRC` to `MAC_DST`.
pub fn ethernet(ether_type: u16, payload: &[u8]) -> Vec<u8> {
    ethernet_vlan(&[], ether_type, payload)
}

/// An Ethernet frame with VLAN tags, outermost first, each `(tpid, tci)`.
pub fn ethernet_vlan(tags: &[(u16, u16)], ether_type: u16, payload: &[u8]) -> Vec<u8> {
    let mut frame = Vec::with_capacity(ETH_HLEN + 4 * tags.len() + payload.len());
    frame.extend_from_slice(&MAC_DST);
    frame.extend_from_slice(&MAC_SRC);
    for (tpid, tci) in tags {
        frame.extend_from_slice(&tpid.to_be_bytes());
        frame.extend_from_slice(&tci.to_be_bytes());
    }
    frame.extend_from_slice(&ether_type.to_be_bytes());
    frame.extend_from_slice(payload);
    frame
}

/// An ARP request for `IPV4_DST`.
pub fn arp_request() -> Vec<u8> {
    let mut arp = vec![0, 1, 8, 0, 6, 4, 0, 1];
    arp.extend_from_slice(&MAC_SRC);
    arp.extend_from_slice(&IPV4_SRC);
    arp.extend_from_slice(&[0; 6]);
    arp.extend_from_slice(&IPV4_DST);
    ethernet(ETH_P_ARP, &arp)
}

/// A TCP segment (ACK|PSH) with a zero checksum; the IP layer fills it in.
pub fn tcp(src_port: u16, dst_port: u16, payload: &[u8]) -> Vec<u8> {
    tcp_with_options(src_port, dst_port, &[], payload)
}

/// A TCP segment whose header carries `options` (a multiple of 4 bytes).
pub fn tcp_with_options(src_port: u16, dst_port: u16, options: &[u8], payload: &[u8]) -> Vec<u8> {
    assert!(options.len().is_multiple_of(4) && options.len() <= 40);
    let data_offset = (20 + options.len()) / 4;
    let mut segment = Vec::new();
    segment.extend_from_slice(&src_port.to_be_bytes());
    segment.extend_from_slice(&dst_port.to_be_bytes());
    segment.extend_from_slice(&0x1000_0001u32.to_be_bytes());
    segment.extend_from_slice(&0x2000_0002u32.to_be_bytes());
    segment.extend_from_slice(&[(data_offset as u8) << 4, 0x18]);
    segment.extend_from_slice(&0xfaf0u16.to_be_bytes());
    segment.extend_from_slice(&[0, 0, 0, 0]);
    segment.extend_from_slice(options);
    segment.extend_from_slice(payload);
    segment
}

/// A UDP datagram with its length set and a zero checksum; the IP layer
/// fills the checksum in.
pub fn udp(src_port: u16, dst_port: u16, payload: &[u8]) -> Vec<u8> {
    let mut datagram = Vec::new();
    datagram.extend_from_slice(&src_port.to_be_bytes());
    datagram.extend_from_slice(&dst_port.to_be_bytes());
    datagram.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    datagram.extend_from_slice(&[0, 0]);
    datagram.extend_from_slice(payload);
    datagram
}

/// An ICMP (or ICMPv6, by `echo_type`) echo request with its checksum.
pub fn icmp_echo(echo_type: u8, payload: &[u8]) -> Vec<u8> {
    let mut message = vec![echo_type, 0, 0, 0, 0x12, 0x34, 0, 1];
    message.extend_from_slice(payload);
    let check = internet_checksum(&message);
    message[2..4].copy_from_slice(&check.to_be_bytes());
    message
}

/// Where the checksum sits inside a transport header, for the protocols
/// whose checksum covers the IP pseudo-header.
pub fn transport_checksum_offset(protocol: u8) -> Option<usize> {
    match protocol {
        IPPROTO_TCP => Some(16),
        IPPROTO_UDP => Some(6),
        _ => None,
    }
}

/// An IPv4 header's fields; `build` adds the payload and the checksums.
#[derive(Clone, Debug)]
pub struct Ipv4 {
    pub version: u8,
    pub protocol: u8,
    pub ttl: u8,
    pub src: [u8; 4],
    pub dst: [u8; 4],
    /// Flags and fragment offset, as on the wire.
    pub frag_off: u16,
    /// Header options, a multiple of 4 bytes.
    pub options: Vec<u8>,
}

impl Ipv4 {
    pub fn new(protocol: u8) -> Ipv4 {
        Ipv4 {
            version: 4,
            protocol,
            ttl: 61,
            src: IPV4_SRC,
            dst: IPV4_DST,
            frag_off: 0x4000,
            options: Vec::new(),
        }
    }

    /// The packet: header (with its checksum) and `payload`, whose TCP or
    /// UDP checksum is filled in when the header holding it is complete.
    pub fn build(&self, payload: &[u8]) -> Vec<u8> {
        assert!(self.options.len().is_multiple_of(4) && self.options.len() <= 40);
        let header_len = 20 + self.options.len();
        let total_len = (header_len + payload.len()) as u16;
        let mut packet = Vec::with_capacity(total_len as usize);
        packet.push(self.version << 4 | (header_len / 4) as u8);
        packet.push(0);
        packet.extend_from_slice(&total_len.to_be_bytes());
        packet.extend_from_slice(&0x1c46u16.to_be_bytes());
        packet.extend_from_slice(&self.frag_off.to_be_bytes());
        packet.extend_from_slice(&[self.ttl, self.protocol, 0, 0]);
        packet.extend_from_slice(&self.src);
        packet.extend_from_slice(&self.dst);
        packet.extend_from_slice(&self.options);
        let check = internet_checksum(&packet);
        packet[10..12].copy_from_slice(&check.to_be_bytes());
        let mut payload = payload.to_vec();
        if let Some(at) = transport_checksum_offset(self.protocol)
            && payload.len() >= at + 2
        {
            let check = ipv4_transport_checksum(&self.src, &self.dst, self.protocol, &payload);
            payload[at..at + 2].copy_from_slice(&check.to_be_bytes());
        }
        packet.extend_from_slice(&payload);
        packet
    }
}

/// An IPv6 header's fields; `build` adds the payload and the TCP/UDP
/// checksum (when there are no extension headers).
#[derive(Clone, Debug)]
pub struct Ipv6 {
    pub version: u8,
    pub next_header: u8,
    pub src: [u8; 16],
    pub dst: [u8; 16],
}

impl Ipv6 {
    pub fn new(next_header: u8) -> Ipv6 {
        Ipv6 {
            version: 6,
            next_header,
            src: IPV6_SRC,
            dst: IPV6_DST,
        }
    }

    pub fn build(&self, payload: &[u8]) -> Vec<u8> {
        let mut packet = Vec::with_capacity(40 + payload.len());
        packet.extend_from_slice(&[self.version << 4, 0, 0, 0]);
        packet.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        packet.extend_from_slice(&[self.next_header, 64]);
        packet.extend_from_slice(&self.src);
        packet.extend_from_slice(&self.dst);
        let mut payload = payload.to_vec();
        if let Some(at) = transport_checksum_offset(self.next_header)
            && payload.len() >= at + 2
        {
            let mut pseudo = Vec::new();
            pseudo.extend_from_slice(&self.src);
            pseudo.extend_from_slice(&self.dst);
            pseudo.extend_from_slice(&(payload.len() as u32).to_be_bytes());
            pseudo.extend_from_slice(&[0, 0, 0, self.next_header]);
            pseudo.extend_from_slice(&payload);
            let check = internet_checksum(&pseudo);
            payload[at..at + 2].copy_from_slice(&check.to_be_bytes());
        }
        packet.extend_from_slice(&payload);
        packet
    }
}

/// An IPv6 extension header of `8 * (hdr_ext_len + 1)` bytes (padding
/// filled with `fill`), announcing `next_header`.
pub fn ipv6_extension(next_header: u8, hdr_ext_len: u8, fill: u8) -> Vec<u8> {
    let mut header = vec![fill; 8 * (usize::from(hdr_ext_len) + 1)];
    header[0] = next_header;
    header[1] = hdr_ext_len;
    header
}

/// The Internet checksum (RFC 1071) of `bytes`: the one's complement of
/// their one's complement sum in 16-bit big-endian words.
pub fn internet_checksum(bytes: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for pair in bytes.chunks(2) {
        let word = u16::from_be_bytes([pair[0], pair.get(1).copied().unwrap_or(0)]);
        sum += u32::from(word);
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// The TCP/UDP checksum over the IPv4 pseudo-header and `segment` (whose
/// own checksum field is taken as zero).
pub fn ipv4_transport_checksum(src: &[u8; 4], dst: &[u8; 4], protocol: u8, segment: &[u8]) -> u16 {
    let mut pseudo = Vec::with_capacity(12 + segment.len());
    pseudo.extend_from_slice(src);
    pseudo.extend_from_slice(dst);
    pseudo.extend_from_slice(&[0, protocol]);
    pseudo.extend_from_slice(&(segment.len() as u16).to_be_bytes());
    pseudo.extend_from_slice(segment);
    if let Some(at) = transport_checksum_offset(protocol) {
        pseudo[12 + at] = 0;
        pseudo[12 + at + 1] = 0;
    }
    let check = internet_checksum(&pseudo);
    // UDP sends a computed 0 as 0xffff (0 means "no checksum").
    if protocol == IPPROTO_UDP && check == 0 {
        0xffff
    } else {
        check
    }
}

/// `n` bytes of a fixed pseudo-random pattern (a payload that is not all
/// zeros, so that a program writing where it should not is seen).
pub fn pattern(n: usize, seed: u8) -> Vec<u8> {
    let mut state = u32::from(seed).wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect()
}

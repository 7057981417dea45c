//! The eBPF examples of `example/bpf/` and their test cases: crafted
//! packets and what each program must return and leave in the packet,
//! computed here from the packet by the rules each example documents.

use crate::packets::{self as p, Ipv4, Ipv6};

pub const XDP_ABORTED: u32 = 0;
pub const XDP_DROP: u32 = 1;
pub const XDP_PASS: u32 = 2;
pub const XDP_TX: u32 = 3;

/// One program of `example/bpf/`.
pub struct Example {
    /// The file stem under `example/bpf/`.
    pub name: &'static str,
    /// The entry function, also the name its pin gets.
    pub entry: &'static str,
    pub cases: fn() -> Vec<Case>,
}

/// One run of a program on one packet.
pub struct Case {
    pub name: String,
    pub packet: Vec<u8>,
    pub retval: u32,
    /// The packet after the run, byte for byte (XDP programs); `None` when
    /// only the return value tells (socket filters).
    pub output: Option<Vec<u8>>,
}

impl Case {
    /// An XDP case that leaves the packet as it was.
    fn untouched(name: &str, packet: Vec<u8>, verdict: u32) -> Case {
        Case {
            name: name.to_string(),
            output: Some(packet.clone()),
            packet,
            retval: verdict,
        }
    }
}

pub const EXAMPLES: &[Example] = &[
    Example {
        name: "xdp_parser",
        entry: "xdp_parser",
        cases: parser_cases,
    },
    Example {
        name: "xdp_rewrite",
        entry: "xdp_rewrite",
        cases: rewrite_cases,
    },
    Example {
        name: "socket_filter",
        entry: "socket_filter",
        cases: socket_filter_cases,
    },
    Example {
        name: "xdp_calls",
        entry: "xdp_calls",
        cases: calls_cases,
    },
    Example {
        name: "xdp_loops",
        entry: "xdp_loops",
        cases: loops_cases,
    },
    Example {
        name: "xdp_iter",
        entry: "xdp_iter",
        cases: iter_cases,
    },
    Example {
        name: "xdp_enum",
        entry: "xdp_enum",
        cases: enum_cases,
    },
    Example {
        name: "xdp_u128",
        entry: "xdp_u128",
        cases: u128_cases,
    },
];

/// The example `./y.sh run` shows by default.
pub const DEFAULT_EXAMPLE: &str = "xdp_parser";

/// The parser cases `./y.sh run` shows.
pub const RUN_SAMPLES: &[&str] = &[
    "ipv4/tcp:80",
    "ipv4/tcp:8080",
    "ipv6/udp:53",
    "ipv4/udp:7",
    "vlan666/ipv4/tcp:80",
    "arp",
    "truncated-ipv4",
];

pub fn find(name: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.name == name)
}

/// The name of an XDP action.
pub fn xdp_action_name(action: u32) -> String {
    match action {
        XDP_ABORTED => "XDP_ABORTED".to_string(),
        XDP_DROP => "XDP_DROP".to_string(),
        XDP_PASS => "XDP_PASS".to_string(),
        XDP_TX => "XDP_TX".to_string(),
        4 => "XDP_REDIRECT".to_string(),
        other => format!("{other} (not an XDP action)"),
    }
}

fn v4(l4: u8, segment: &[u8]) -> Vec<u8> {
    p::ethernet(p::ETH_P_IPV4, &Ipv4::new(l4).build(segment))
}

fn v6(l4: u8, segment: &[u8]) -> Vec<u8> {
    p::ethernet(p::ETH_P_IPV6, &Ipv6::new(l4).build(segment))
}

/// `example/bpf/xdp_parser.rs`: each path of the parser with a packet
/// whose verdict would differ on any other path.
pub fn parser_cases() -> Vec<Case> {
    let body = b"hello, parser";
    let tcp = |port| p::tcp(40000, port, body);
    let udp = |port| p::udp(40000, port, body);
    let mut cases = Vec::new();
    let mut add = |name: &str, packet: Vec<u8>, verdict| {
        cases.push(Case::untouched(name, packet, verdict));
    };
    add("ipv4/tcp:80", v4(p::IPPROTO_TCP, &tcp(80)), XDP_PASS);
    add("ipv4/tcp:22", v4(p::IPPROTO_TCP, &tcp(22)), XDP_PASS);
    add("ipv4/tcp:8080", v4(p::IPPROTO_TCP, &tcp(8080)), XDP_DROP);
    add("ipv4/tcp:53", v4(p::IPPROTO_TCP, &tcp(53)), XDP_DROP);
    add("ipv4/udp:53", v4(p::IPPROTO_UDP, &udp(53)), XDP_PASS);
    add("ipv4/udp:123", v4(p::IPPROTO_UDP, &udp(123)), XDP_PASS);
    add("ipv4/udp:80", v4(p::IPPROTO_UDP, &udp(80)), XDP_DROP);
    add("ipv4/udp:7", v4(p::IPPROTO_UDP, &udp(7)), XDP_TX);
    add(
        "ipv4/icmp",
        v4(p::IPPROTO_ICMP, &p::icmp_echo(8, body)),
        XDP_DROP,
    );
    // NOP options: a parser ignoring the IHL reads port 0x0101 and drops.
    let mut with_options = Ipv4::new(p::IPPROTO_TCP);
    with_options.options = vec![1; 12];
    add(
        "ipv4-options/tcp:443",
        p::ethernet(p::ETH_P_IPV4, &with_options.build(&tcp(443))),
        XDP_PASS,
    );
    let mut fragment = Ipv4::new(p::IPPROTO_TCP);
    fragment.frag_off = 0x00b9;
    add(
        "ipv4-fragment/tcp:80",
        p::ethernet(p::ETH_P_IPV4, &fragment.build(&tcp(80))),
        XDP_DROP,
    );
    let mut short_ihl = v4(p::IPPROTO_TCP, &tcp(80));
    short_ihl[p::ETH_HLEN] = 0x44;
    add("ipv4-ihl4", short_ihl, XDP_ABORTED);
    let mut version6 = Ipv4::new(p::IPPROTO_TCP);
    version6.version = 6;
    add(
        "ipv4-bad-version",
        p::ethernet(p::ETH_P_IPV4, &version6.build(&tcp(80))),
        XDP_ABORTED,
    );
    let mut truncated = v4(p::IPPROTO_TCP, &tcp(80));
    truncated.truncate(p::ETH_HLEN + 12);
    add("truncated-ipv4", truncated, XDP_ABORTED);
    let mut truncated = v4(p::IPPROTO_TCP, &tcp(80));
    truncated.truncate(p::ETH_HLEN + 20 + 12);
    add("truncated-tcp", truncated, XDP_ABORTED);
    let mut truncated = v4(p::IPPROTO_UDP, &udp(53));
    truncated.truncate(p::ETH_HLEN + 20 + 6);
    add("truncated-udp", truncated, XDP_ABORTED);
    let mut bad_doff = p::tcp(40000, 80, body);
    bad_doff[12] = 0x40;
    add("tcp-doff4", v4(p::IPPROTO_TCP, &bad_doff), XDP_ABORTED);

    add("ipv6/tcp:22", v6(p::IPPROTO_TCP, &tcp(22)), XDP_PASS);
    add("ipv6/udp:53", v6(p::IPPROTO_UDP, &udp(53)), XDP_PASS);
    add("ipv6/udp:5353", v6(p::IPPROTO_UDP, &udp(5353)), XDP_DROP);
    add(
        "ipv6/icmpv6",
        v6(p::IPPROTO_ICMPV6, &p::icmp_echo(128, body)),
        XDP_DROP,
    );
    // Hop-by-hop (16 bytes) then destination options (8 bytes) then TCP;
    // the padding (port 0x3c3c) makes a misplaced TCP header drop.
    let mut chain = p::ipv6_extension(60, 1, 0x3c);
    chain.extend(p::ipv6_extension(p::IPPROTO_TCP, 0, 0x3c));
    chain.extend(tcp(80));
    add("ipv6-ext2/tcp:80", v6(0, &chain), XDP_PASS);
    let mut chain = Vec::new();
    for next in [43, 60, 0, p::IPPROTO_TCP] {
        chain.extend(p::ipv6_extension(next, 0, 0));
    }
    chain.extend(tcp(80));
    add("ipv6-ext4/tcp:80", v6(0, &chain), XDP_DROP);
    let mut truncated = v6(0, &p::ipv6_extension(p::IPPROTO_TCP, 2, 0));
    truncated.truncate(p::ETH_HLEN + 40 + 4);
    add("truncated-ipv6-ext", truncated, XDP_ABORTED);
    let mut truncated = v6(p::IPPROTO_UDP, &udp(53));
    truncated.truncate(p::ETH_HLEN + 30);
    add("truncated-ipv6", truncated, XDP_ABORTED);
    let mut version4 = Ipv6::new(p::IPPROTO_UDP);
    version4.version = 4;
    add(
        "ipv6-bad-version",
        p::ethernet(p::ETH_P_IPV6, &version4.build(&udp(53))),
        XDP_ABORTED,
    );

    let tcp80 = Ipv4::new(p::IPPROTO_TCP).build(&tcp(80));
    add(
        "vlan10/ipv4/tcp:80",
        p::ethernet_vlan(&[(p::ETH_P_8021Q, 10)], p::ETH_P_IPV4, &tcp80),
        XDP_PASS,
    );
    add(
        "vlan666/ipv4/tcp:80",
        p::ethernet_vlan(&[(p::ETH_P_8021Q, 0x2000 | 666)], p::ETH_P_IPV4, &tcp80),
        XDP_DROP,
    );
    let udp123 = Ipv6::new(p::IPPROTO_UDP).build(&udp(123));
    add(
        "qinq/ipv6/udp:123",
        p::ethernet_vlan(
            &[(p::ETH_P_8021AD, 100), (p::ETH_P_8021Q, 200)],
            p::ETH_P_IPV6,
            &udp123,
        ),
        XDP_PASS,
    );
    add(
        "qinq-inner666/ipv6/udp:123",
        p::ethernet_vlan(
            &[(p::ETH_P_8021AD, 100), (p::ETH_P_8021Q, 666)],
            p::ETH_P_IPV6,
            &udp123,
        ),
        XDP_DROP,
    );
    add(
        "vlan3/ipv4/tcp:80",
        p::ethernet_vlan(
            &[
                (p::ETH_P_8021AD, 1),
                (p::ETH_P_8021Q, 2),
                (p::ETH_P_8021Q, 3),
            ],
            p::ETH_P_IPV4,
            &tcp80,
        ),
        XDP_ABORTED,
    );
    let mut truncated = p::ethernet_vlan(&[(p::ETH_P_8021Q, 10)], p::ETH_P_IPV4, &[]);
    truncated.truncate(p::ETH_HLEN + 2);
    add("truncated-vlan", truncated, XDP_ABORTED);
    add("arp", p::arp_request(), XDP_PASS);
    cases
}

/// `example/bpf/xdp_rewrite.rs`.
pub fn rewrite_cases() -> Vec<Case> {
    let body = p::pattern(23, 7);
    let mut cases = Vec::new();
    let mut add = |name: &str, packet: Vec<u8>| {
        let (retval, output) = reflect(&packet);
        cases.push(Case {
            name: name.to_string(),
            packet,
            retval,
            output: Some(output),
        });
    };
    add("ipv4/udp:53", v4(p::IPPROTO_UDP, &p::udp(33000, 53, &body)));
    add(
        "ipv4/udp:8080",
        v4(p::IPPROTO_UDP, &p::udp(33000, 8080, &body)),
    );
    let mut unchecked = v4(p::IPPROTO_UDP, &p::udp(33000, 8080, &body));
    unchecked[p::ETH_HLEN + 20 + 6..p::ETH_HLEN + 20 + 8].fill(0);
    add("ipv4/udp:8080-no-checksum", unchecked);
    add(
        "ipv4/tcp:8080",
        v4(p::IPPROTO_TCP, &p::tcp(40000, 8080, &body)),
    );
    add("ipv4/tcp:22", v4(p::IPPROTO_TCP, &p::tcp(40000, 22, &[])));
    add("ipv4/icmp", v4(p::IPPROTO_ICMP, &p::icmp_echo(8, &body)));
    add("ipv6/udp:53", v6(p::IPPROTO_UDP, &p::udp(33000, 53, &body)));
    add("arp", p::arp_request());
    let mut with_options = Ipv4::new(p::IPPROTO_UDP);
    with_options.options = vec![1; 4];
    add(
        "ipv4-options/udp",
        p::ethernet(p::ETH_P_IPV4, &with_options.build(&p::udp(1, 2, &body))),
    );
    let mut truncated = v4(p::IPPROTO_UDP, &p::udp(33000, 53, &[]));
    truncated.truncate(p::ETH_HLEN + 20 + 5);
    add("truncated-udp", truncated);
    let mut truncated = v4(p::IPPROTO_TCP, &p::tcp(40000, 80, &[]));
    truncated.truncate(p::ETH_HLEN + 20 + 19);
    add("truncated-tcp", truncated);
    let mut truncated = v4(p::IPPROTO_TCP, &p::tcp(40000, 80, &[]));
    truncated.truncate(p::ETH_HLEN + 19);
    add("truncated-ipv4", truncated);
    cases
}

/// What `xdp_rewrite` does to `frame`, recomputing every checksum from
/// scratch: (verdict, resulting frame).
fn reflect(frame: &[u8]) -> (u32, Vec<u8>) {
    let h = p::ETH_HLEN;
    let ether_type = u16::from_be_bytes([frame[12], frame[13]]);
    if ether_type != p::ETH_P_IPV4 {
        return (XDP_PASS, frame.to_vec());
    }
    if frame.len() < h + 20 {
        return (XDP_ABORTED, frame.to_vec());
    }
    if frame[h] != 0x45 {
        return (XDP_DROP, frame.to_vec());
    }
    let protocol = frame[h + 9];
    let l4 = h + 20;
    let needed = match protocol {
        p::IPPROTO_TCP => 20,
        p::IPPROTO_UDP => 8,
        _ => 0,
    };
    if frame.len() < l4 + needed {
        return (XDP_ABORTED, frame.to_vec());
    }
    let mut out = frame.to_vec();
    out[0..6].copy_from_slice(&frame[6..12]);
    out[6..12].copy_from_slice(&frame[0..6]);
    out[h + 12..h + 16].copy_from_slice(&frame[h + 16..h + 20]);
    out[h + 16..h + 20].copy_from_slice(&frame[h + 12..h + 16]);
    out[h + 8] = 64;
    out[h + 10..h + 12].fill(0);
    let check = p::internet_checksum(&out[h..h + 20]);
    out[h + 10..h + 12].copy_from_slice(&check.to_be_bytes());
    if let Some(at) = p::transport_checksum_offset(protocol) {
        let src_port = u16::from_be_bytes([frame[l4], frame[l4 + 1]]);
        let dst_port = u16::from_be_bytes([frame[l4 + 2], frame[l4 + 3]]);
        let reply_from = if dst_port == 8080 { 80 } else { dst_port };
        out[l4..l4 + 2].copy_from_slice(&reply_from.to_be_bytes());
        out[l4 + 2..l4 + 4].copy_from_slice(&src_port.to_be_bytes());
        let unchecked_udp = protocol == p::IPPROTO_UDP && frame[l4 + at..l4 + at + 2] == [0, 0];
        if !unchecked_udp {
            let src: [u8; 4] = out[h + 12..h + 16].try_into().unwrap();
            let dst: [u8; 4] = out[h + 16..h + 20].try_into().unwrap();
            let check = p::ipv4_transport_checksum(&src, &dst, protocol, &out[l4..]);
            out[l4 + at..l4 + at + 2].copy_from_slice(&check.to_be_bytes());
        }
    }
    (XDP_TX, out)
}

/// `example/bpf/socket_filter.rs`: the bytes to keep, counted from the
/// network header (the kernel hands socket filters the frame without its
/// Ethernet header).
pub fn socket_filter_cases() -> Vec<Case> {
    let body = p::pattern(100, 3);
    let mut cases = Vec::new();
    let mut add = |name: &str, packet: Vec<u8>, keep: usize| {
        cases.push(Case {
            name: name.to_string(),
            packet,
            retval: keep as u32,
            output: None,
        });
    };
    let l3 = |frame: &Vec<u8>| frame.len() - p::ETH_HLEN;
    let frame = v4(p::IPPROTO_UDP, &p::udp(1000, 53, &body));
    add("ipv4/udp", frame.clone(), l3(&frame));
    add(
        "ipv4/tcp",
        v4(p::IPPROTO_TCP, &p::tcp(1000, 80, &body)),
        20 + 20,
    );
    let options = [1, 1, 1, 0, 2, 4, 5, 0xb4, 4, 2, 8, 10];
    let frame = v4(
        p::IPPROTO_TCP,
        &p::tcp_with_options(1000, 80, &options, &body),
    );
    add("ipv4/tcp-options", frame, 20 + 32);
    let mut with_options = Ipv4::new(p::IPPROTO_TCP);
    with_options.options = vec![1; 8];
    let frame = p::ethernet(p::ETH_P_IPV4, &with_options.build(&p::tcp(1000, 80, &body)));
    add("ipv4-options/tcp", frame, 28 + 20);
    add(
        "ipv4/icmp-long",
        v4(p::IPPROTO_ICMP, &p::icmp_echo(8, &body)),
        64,
    );
    let frame = v4(p::IPPROTO_ICMP, &p::icmp_echo(8, &body[..12]));
    add("ipv4/icmp-short", frame.clone(), l3(&frame));
    add("ipv4/gre", v4(p::IPPROTO_GRE, &body), 0);
    let mut truncated = v4(p::IPPROTO_TCP, &p::tcp(1000, 80, &[]));
    truncated.truncate(p::ETH_HLEN + 20 + 10);
    add("truncated-tcp", truncated, 0);
    let frame = v6(p::IPPROTO_UDP, &p::udp(1000, 53, &body));
    add("ipv6/udp", frame.clone(), l3(&frame));
    add(
        "ipv6/tcp",
        v6(p::IPPROTO_TCP, &p::tcp(1000, 80, &body)),
        40 + 20,
    );
    add(
        "ipv6/icmpv6",
        v6(p::IPPROTO_ICMPV6, &p::icmp_echo(128, &body)),
        64,
    );
    add("ipv6/gre", v6(p::IPPROTO_GRE, &body), 0);
    add("arp", p::arp_request(), 0);
    cases
}

/// The cases of a program reading its inputs from the payload of a test
/// frame and writing results into it: each input as a frame of
/// `payload_len` bytes (plus a trailer that must stay untouched), the
/// model's result, and the common other-ethertype and short-frame cases.
fn payload_cases(
    payload_len: usize,
    inputs: Vec<(&str, Vec<u8>)>,
    model: fn(&mut [u8]) -> u32,
) -> Vec<Case> {
    let trailer = [0xde, 0xad, 0xbe, 0xef];
    let mut cases = Vec::new();
    for (name, mut payload) in inputs {
        assert!(payload.len() <= payload_len);
        payload.resize(payload_len, 0);
        let mut frame = p::ethernet(p::ETH_P_TEST, &payload);
        frame.extend_from_slice(&trailer);
        let mut output = frame.clone();
        let retval = model(&mut output[p::ETH_HLEN..p::ETH_HLEN + payload_len]);
        cases.push(Case {
            name: name.to_string(),
            packet: frame,
            retval,
            output: Some(output),
        });
    }
    let other = p::ethernet(p::ETH_P_IPV4, &p::pattern(payload_len, 1));
    cases.push(Case::untouched("other-ethertype", other, XDP_PASS));
    let short = p::ethernet(p::ETH_P_TEST, &p::pattern(payload_len - 1, 2));
    cases.push(Case::untouched("short-payload", short, XDP_ABORTED));
    cases
}

fn le32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

fn u32s(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// `example/bpf/xdp_calls.rs`.
pub fn calls_cases() -> Vec<Case> {
    let inputs = vec![
        ("small", u32s(&[1, 2, 3, 4, 5, 6, 7, 8])),
        (
            "large",
            u32s(&[
                0xffff_ffff,
                0x8000_0000,
                0x1234_5678,
                7,
                0xdead_beef,
                0,
                0xffff_fffe,
                0x0101_0101,
            ]),
        ),
        ("zeros", u32s(&[0; 8])),
        ("pattern", p::pattern(32, 9)),
    ];
    payload_cases(68, inputs, |payload| {
        let v: Vec<u32> = (0..8).map(|i| le32(payload, 4 * i)).collect();
        let weighed: u64 = (0..7).map(|i| (i as u64 + 1) * u64::from(v[i])).sum();
        payload[32..40].copy_from_slice(&weighed.to_le_bytes());
        let min = *v.iter().min().unwrap();
        let max = *v.iter().max().unwrap();
        let sum: u64 = v.iter().map(|&x| u64::from(x)).sum();
        payload[40..44].copy_from_slice(&min.to_le_bytes());
        payload[44..48].copy_from_slice(&max.to_le_bytes());
        payload[48..56].copy_from_slice(&sum.to_le_bytes());
        payload[56..60].copy_from_slice(&v[0].wrapping_mul(v[7]).to_le_bytes());
        payload[60..64].copy_from_slice(&v[1].wrapping_mul(v[7]).to_le_bytes());
        let outer = (v[7] ^ 0x5a5a_5a5a).rotate_left(7).wrapping_add(3);
        payload[64..68].copy_from_slice(&outer.to_le_bytes());
        XDP_TX
    })
}

/// `example/bpf/xdp_loops.rs`.
pub fn loops_cases() -> Vec<Case> {
    let input = |n: u8, a: u32, b: u32, sort: [u8; 8], search: [u8; 16]| {
        let mut payload = vec![n, 0, 0, 0];
        payload.extend(u32s(&[a, b]));
        payload.extend_from_slice(&sort);
        payload.extend_from_slice(&search);
        payload
    };
    let mut late = [0x10; 16];
    late[11] = 0x81;
    let inputs = vec![
        (
            "n10",
            input(10, 48, 18, [5, 3, 9, 1, 7, 0, 255, 2], [0; 16]),
        ),
        ("n0", input(0, 0, 0, [0; 8], [0x80; 16])),
        (
            "n200",
            input(
                200,
                4_294_967_291,
                2_147_483_647,
                [9, 8, 7, 6, 5, 4, 3, 2],
                late,
            ),
        ),
        (
            "n93",
            input(
                93,
                1_134_903_170,
                701_408_733,
                [1, 1, 2, 2, 1, 1, 0, 0],
                [0xff; 16],
            ),
        ),
        ("pattern", p::pattern(36, 4)),
    ];
    payload_cases(64, inputs, |payload| {
        let n = u32::from(payload[0]);
        let (a, b) = (le32(payload, 4), le32(payload, 8));
        let squares: u32 = (0..n.min(64)).map(|i| i * i).sum();
        payload[36..40].copy_from_slice(&squares.to_le_bytes());
        let (mut f0, mut f1) = (0u64, 1u64);
        for _ in 0..n % 94 {
            (f0, f1) = (f1, f0.wrapping_add(f1));
        }
        payload[40..48].copy_from_slice(&f0.to_le_bytes());
        let (mut x, mut y, mut steps) = (a, b, 0u32);
        while y != 0 {
            (x, y) = (y, x % y);
            steps += 1;
        }
        payload[48..52].copy_from_slice(&x.to_le_bytes());
        payload[52..56].copy_from_slice(&steps.to_le_bytes());
        let digits: u32 = a.to_string().bytes().map(|d| u32::from(d - b'0')).sum();
        payload[56..60].copy_from_slice(&digits.to_le_bytes());
        payload[12..20].sort_unstable();
        let first = payload[20..36].iter().position(|&x| x > 0x80).unwrap_or(16) as u32;
        payload[60..64].copy_from_slice(&first.to_le_bytes());
        XDP_TX
    })
}

/// `example/bpf/xdp_iter.rs`.
pub fn iter_cases() -> Vec<Case> {
    let u16s =
        |values: &[u16]| -> Vec<u8> { values.iter().flat_map(|v| v.to_le_bytes()).collect() };
    let inputs = vec![
        (
            "ascending",
            u16s(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]),
        ),
        (
            "repeat-at-9",
            u16s(&[
                500, 65535, 2, 0, 7, 7, 300, 40000, 1, 500, 3, 9, 65534, 8, 6, 4,
            ]),
        ),
        ("all-equal", u16s(&[42; 16])),
        ("pattern", p::pattern(32, 5)),
    ];
    payload_cases(104, inputs, |payload| {
        let v: Vec<u16> = (0..16)
            .map(|i| u16::from_le_bytes([payload[2 * i], payload[2 * i + 1]]))
            .collect();
        let mut put =
            |at: usize, bytes: &[u8]| payload[at..at + bytes.len()].copy_from_slice(bytes);
        let sum: u32 = v.iter().map(|&x| u32::from(x)).sum();
        put(32, &sum.to_le_bytes());
        put(36, &v.iter().max().unwrap().to_le_bytes());
        put(38, &v.iter().min().unwrap().to_le_bytes());
        let again = (1..16)
            .find(|&i| v[i] == v[0])
            .map_or(u32::MAX, |i| i as u32);
        put(40, &again.to_le_bytes());
        let even = v.iter().filter(|&&x| x % 2 == 0).count() as u32;
        put(44, &even.to_le_bytes());
        let dot = (0..8).fold(0u32, |acc, i| {
            acc.wrapping_add(u32::from(v[i]) * u32::from(v[15 - i]))
        });
        put(48, &dot.to_le_bytes());
        for chunk in 0..4 {
            let s: u32 = v[4 * chunk..4 * chunk + 4]
                .iter()
                .map(|&x| u32::from(x))
                .sum();
            put(52 + 4 * chunk, &s.to_le_bytes());
        }
        let rising = (0..15).filter(|&i| v[i] < v[i + 1]).count() as u32;
        put(68, &rising.to_le_bytes());
        for (i, value) in v.iter().rev().enumerate() {
            put(72 + 2 * i, &value.to_le_bytes());
        }
        XDP_TX
    })
}

/// `example/bpf/xdp_enum.rs`.
pub fn enum_cases() -> Vec<Case> {
    let cmd = |tag: u8, a: u8, b: u16, c: u32| -> Vec<u8> {
        let mut raw = vec![tag, a];
        raw.extend_from_slice(&b.to_le_bytes());
        raw.extend_from_slice(&c.to_le_bytes());
        raw
    };
    let clamp = |v: i16, lo: i16, hi: i16| {
        let c = (lo as u16 as u32) | (hi as u16 as u32) << 16;
        cmd(4, 0, v as u16, c)
    };
    let inputs = vec![
        (
            "all-ok",
            [
                cmd(1, 0, 0xffff, 0xffff_ffff),
                cmd(2, 0, 0, 5),
                cmd(3, 40, 0, 0x8000_0001),
                clamp(-300, -100, 100),
            ]
            .concat(),
        ),
        (
            "ok-and-nop",
            [
                cmd(5, 9, 9, 9),
                clamp(50, -100, 100),
                cmd(2, 0, 0, (-77i32) as u32),
                cmd(3, 63, 0, 1),
            ]
            .concat(),
        ),
        (
            "errors",
            [
                cmd(2, 0, 0, i32::MIN as u32),
                cmd(3, 64, 0, 1),
                clamp(0, 5, -5),
                cmd(1, 0, 1, 2),
            ]
            .concat(),
        ),
        (
            "unknown-tags",
            [
                cmd(0, 0, 0, 0),
                cmd(6, 1, 2, 3),
                cmd(5, 0, 0, 0),
                cmd(255, 0, 0, 0),
            ]
            .concat(),
        ),
    ];
    payload_cases(32, inputs, |payload| {
        let mut verdict = XDP_TX;
        for raw in payload.chunks_exact_mut(8) {
            let b = u16::from_le_bytes([raw[2], raw[3]]);
            let c = u32::from_le_bytes([raw[4], raw[5], raw[6], raw[7]]);
            let result: Option<Result<u64, u64>> = match raw[0] {
                1 => Some(Ok(u64::from(c) + u64::from(b))),
                2 => Some((c as i32).checked_neg().map(|n| n as i64 as u64).ok_or(1)),
                3 if raw[1] >= 64 => Some(Err(1)),
                3 => Some(Ok(u64::from(c) << raw[1])),
                4 => {
                    let (lo, hi) = (c as u16 as i16, (c >> 16) as u16 as i16);
                    if lo > hi {
                        Some(Err(2))
                    } else {
                        Some(Ok((b as i16).clamp(lo, hi) as i64 as u64))
                    }
                }
                5 => Some(Ok(0)),
                _ => None,
            };
            let value = match result {
                Some(Ok(value)) => value,
                Some(Err(code)) => {
                    verdict = XDP_DROP;
                    0xffff_ffff_0000_0000 | code
                }
                None => {
                    verdict = XDP_DROP;
                    u64::MAX
                }
            };
            raw.copy_from_slice(&value.to_le_bytes());
        }
        verdict
    })
}

/// `example/bpf/xdp_u128.rs`.
pub fn u128_cases() -> Vec<Case> {
    let input = |a: u128, b: u128, s: u8| {
        let mut payload = a.to_le_bytes().to_vec();
        payload.extend_from_slice(&b.to_le_bytes());
        payload.push(s);
        payload
    };
    let inputs = vec![
        ("small", input(3, 5, 1)),
        (
            "wide",
            input(
                0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
                0xffff_0000_ffff_0000_0000_ffff_0000_ffff,
                77,
            ),
        ),
        ("negative", input(u128::MAX - 6, 1 << 127, 130)),
        ("equal-shift64", input(1 << 64, 1 << 64, 64)),
        ("zero", input(0, u128::MAX, 127)),
        ("pattern", p::pattern(33, 6)),
    ];
    payload_cases(192, inputs, |payload| {
        let a = u128::from_le_bytes(payload[0..16].try_into().unwrap());
        let b = u128::from_le_bytes(payload[16..32].try_into().unwrap());
        let s = u32::from(payload[32] & 127);
        let results = [
            a.wrapping_add(b),
            a.wrapping_sub(b),
            a.wrapping_mul(b),
            a << s,
            a >> s,
            ((a as i128) >> s) as u128,
            a.rotate_left(s),
            u128::from(a as u64) * u128::from(b as u64),
        ];
        for (i, value) in results.iter().enumerate() {
            payload[48 + 16 * i..64 + 16 * i].copy_from_slice(&value.to_le_bytes());
        }
        let flags = u32::from(a < b)
            | u32::from((a as i128) < (b as i128)) << 1
            | u32::from(a.checked_add(b).is_none()) << 2
            | u32::from(a == b) << 3;
        let counts = [a.leading_zeros(), a.trailing_zeros(), a.count_ones(), flags];
        for (i, value) in counts.iter().enumerate() {
            payload[176 + 4 * i..180 + 4 * i].copy_from_slice(&value.to_le_bytes());
        }
        XDP_TX
    })
}

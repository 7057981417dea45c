// C twin of ../xdp_parser.rs for `./y.sh bench`, built with
// `clang -target bpf -O2 -g`: the same parser, the same verdicts.
// - XDP_ABORTED: a malformed or truncated header, more than two VLAN tags;
// - XDP_PASS: not IP, TCP to port 22, 80 or 443, UDP to 53 or 123;
// - XDP_TX: UDP to the echo port 7;
// - XDP_DROP: everything else (VLAN 666, other ports and protocols,
//   IPv4 fragments after the first, more than three IPv6 extension headers).
// No system headers: the few types are declared here.

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;

#define XDP_ABORTED 0
#define XDP_DROP 1
#define XDP_PASS 2
#define XDP_TX 3

#define ETH_P_IPV4 0x0800
#define ETH_P_IPV6 0x86dd
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88a8
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define BLOCKED_VLAN 666
#define MAX_VLAN_TAGS 2
#define MAX_IPV6_EXT_HEADERS 3

#define INLINE static __attribute__((always_inline))
#define BE16(bytes) ((u16)((bytes)[0] << 8 | (bytes)[1]))

struct xdp_md {
    u32 data;
    u32 data_end;
    u32 data_meta;
    u32 ingress_ifindex;
    u32 rx_queue_index;
    u32 egress_ifindex;
};

struct eth_hdr { u8 dst[6], src[6], ether_type[2]; };
struct vlan_hdr { u8 tci[2], ether_type[2]; };
struct ipv4_hdr {
    u8 version_ihl, tos, tot_len[2], id[2], frag_off[2], ttl, protocol, check[2];
    u8 saddr[4], daddr[4];
};
struct ipv6_hdr { u8 vtc_flow[4], payload_len[2], next_header, hop_limit, saddr[16], daddr[16]; };
struct ipv6_ext_hdr { u8 next_header, hdr_ext_len, data[6]; };
struct tcp_hdr { u8 src[2], dst[2], seq[4], ack[4], doff_flags[2], window[2], check[2], urg_ptr[2]; };
struct udp_hdr { u8 src[2], dst[2], len[2], check[2]; };

// The header of `size` bytes at `offset`, or 0 past the packet's end.
#define HEADER(type, start, end, offset) \
    ((start) + (offset) + sizeof(type) > (end) ? (type *)0 : (type *)((start) + (offset)))

INLINE int is_extension_header(u8 next_header)
{
    return next_header == 0 || next_header == 43 || next_header == 60;
}

INLINE u32 transport(u64 start, u64 end, u64 offset, u8 protocol)
{
    if (protocol == IPPROTO_TCP) {
        struct tcp_hdr *tcp = HEADER(struct tcp_hdr, start, end, offset);
        if (!tcp || tcp->doff_flags[0] >> 4 < 5)
            return XDP_ABORTED;
        u16 port = BE16(tcp->dst);
        return port == 22 || port == 80 || port == 443 ? XDP_PASS : XDP_DROP;
    }
    if (protocol == IPPROTO_UDP) {
        struct udp_hdr *udp = HEADER(struct udp_hdr, start, end, offset);
        if (!udp)
            return XDP_ABORTED;
        u16 port = BE16(udp->dst);
        if (port == 7)
            return XDP_TX;
        return port == 53 || port == 123 ? XDP_PASS : XDP_DROP;
    }
    return XDP_DROP;
}

INLINE u32 ipv4(u64 start, u64 end, u64 offset)
{
    struct ipv4_hdr *ip = HEADER(struct ipv4_hdr, start, end, offset);
    if (!ip || ip->version_ihl >> 4 != 4)
        return XDP_ABORTED;
    u64 header_len = (u64)(ip->version_ihl & 0x0f) * 4;
    if (header_len < sizeof(struct ipv4_hdr))
        return XDP_ABORTED;
    if (BE16(ip->frag_off) & 0x1fff)
        return XDP_DROP;
    return transport(start, end, offset + header_len, ip->protocol);
}

INLINE u32 ipv6(u64 start, u64 end, u64 offset)
{
    struct ipv6_hdr *ip = HEADER(struct ipv6_hdr, start, end, offset);
    if (!ip || ip->vtc_flow[0] >> 4 != 6)
        return XDP_ABORTED;
    u8 next = ip->next_header;
    offset += sizeof(struct ipv6_hdr);
    for (int i = 0; i < MAX_IPV6_EXT_HEADERS; i++) {
        if (!is_extension_header(next))
            break;
        struct ipv6_ext_hdr *ext = HEADER(struct ipv6_ext_hdr, start, end, offset);
        if (!ext)
            return XDP_ABORTED;
        next = ext->next_header;
        offset += ((u64)ext->hdr_ext_len + 1) * 8;
    }
    if (is_extension_header(next))
        return XDP_DROP;
    return transport(start, end, offset, next);
}

__attribute__((section("xdp"), used)) u32 xdp_parser(struct xdp_md *ctx)
{
    u64 start = ctx->data, end = ctx->data_end;
    struct eth_hdr *eth = HEADER(struct eth_hdr, start, end, 0);
    if (!eth)
        return XDP_ABORTED;
    u16 ether_type = BE16(eth->ether_type);
    u64 offset = sizeof(struct eth_hdr);
    for (int tags = 0; ether_type == ETH_P_8021Q || ether_type == ETH_P_8021AD; tags++) {
        if (tags == MAX_VLAN_TAGS)
            return XDP_ABORTED;
        struct vlan_hdr *vlan = HEADER(struct vlan_hdr, start, end, offset);
        if (!vlan)
            return XDP_ABORTED;
        if ((BE16(vlan->tci) & 0x0fff) == BLOCKED_VLAN)
            return XDP_DROP;
        ether_type = BE16(vlan->ether_type);
        offset += sizeof(struct vlan_hdr);
    }
    if (ether_type == ETH_P_IPV4)
        return ipv4(start, end, offset);
    if (ether_type == ETH_P_IPV6)
        return ipv6(start, end, offset);
    return XDP_PASS;
}

char LICENSE[] __attribute__((section("license"), used)) = "GPL";

// C twin of ../socket_filter.rs for `./y.sh bench`, built with
// `clang -target bpf -O2 -g`: the same rules, the same helper calls.
// Keeps headers and drops payloads; returns the bytes to keep, counted
// from the network header (0 drops the packet):
// - UDP over IPv4 or IPv6: the whole packet;
// - TCP: the IP and TCP headers only (options included);
// - ICMP / ICMPv6: at most the first 64 bytes;
// - anything else, or headers that cannot be read: 0.
// No system headers: the few types and the helper are declared here.

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;

#define ETH_P_IPV4 0x0800
#define ETH_P_IPV6 0x86dd
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_ICMPV6 58
#define ICMP_SNAP_LEN 64
#define IPV6_HEADER_LEN 40

// The leading fields of `struct __sk_buff`.
struct sk_buff {
    u32 len;
    u32 pkt_type;
    u32 mark;
    u32 queue_mapping;
    u32 protocol;
};

static long (*skb_load_bytes)(const void *skb, u32 offset, void *to, u32 len) = (void *)26;

// One byte of the packet at `offset` into `*out`; 0 on success.
static __attribute__((always_inline)) int load_byte(struct sk_buff *skb, u32 offset, u8 *out)
{
    return skb_load_bytes(skb, offset, out, 1) < 0 ? -1 : 0;
}

static __attribute__((always_inline)) u32 min(u32 a, u32 b)
{
    return a < b ? a : b;
}

__attribute__((section("socket"), used)) u32 socket_filter(struct sk_buff *skb)
{
    u32 len = skb->len;
    u16 protocol = __builtin_bswap16((u16)skb->protocol);
    u32 header_len;
    u8 transport;
    if (protocol == ETH_P_IPV4) {
        u8 version_ihl;
        if (load_byte(skb, 0, &version_ihl) || version_ihl >> 4 != 4)
            return 0;
        if (load_byte(skb, 9, &transport))
            return 0;
        header_len = (u32)(version_ihl & 0x0f) * 4;
    } else if (protocol == ETH_P_IPV6) {
        if (load_byte(skb, 6, &transport))
            return 0;
        header_len = IPV6_HEADER_LEN;
    } else {
        return 0;
    }
    switch (transport) {
    case IPPROTO_UDP:
        return len;
    case IPPROTO_TCP: {
        u8 data_offset;
        if (load_byte(skb, header_len + 12, &data_offset))
            return 0;
        return min(len, header_len + (u32)(data_offset >> 4) * 4);
    }
    case IPPROTO_ICMP:
    case IPPROTO_ICMPV6:
        return min(len, ICMP_SNAP_LEN);
    default:
        return 0;
    }
}

char LICENSE[] __attribute__((section("license"), used)) = "GPL";

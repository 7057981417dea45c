//! Every kernel helper of the UAPI `bpf.h` `./y.sh gen-helpers` read
//! (`/usr/include/linux/bpf.h`), declared with [`kernel_helper`]: calls
//! are `call N`. Each carries its C prototype. Pointers to kernel
//! structures are `c_void` pointers. Generated: do not edit.

#![allow(clippy::missing_safety_doc)]

use core::ffi::{c_char, c_void};

use crate::kernel_helper;

/// `void *bpf_map_lookup_elem(struct bpf_map *map, const void *key)`
#[kernel_helper(1)]
pub fn bpf_map_lookup_elem(map: *mut c_void, key: *const c_void) -> *mut c_void;

/// `long bpf_map_update_elem(struct bpf_map *map, const void *key, const void *value, u64 flags)`
#[kernel_helper(2)]
pub fn bpf_map_update_elem(map: *mut c_void, key: *const c_void, value: *const c_void, flags: u64) -> i64;

/// `long bpf_map_delete_elem(struct bpf_map *map, const void *key)`
#[kernel_helper(3)]
pub fn bpf_map_delete_elem(map: *mut c_void, key: *const c_void) -> i64;

/// `long bpf_probe_read(void *dst, u32 size, const void *unsafe_ptr)`
#[kernel_helper(4)]
pub fn bpf_probe_read(dst: *mut c_void, size: u32, unsafe_ptr: *const c_void) -> i64;

/// `u64 bpf_ktime_get_ns(void)`
#[kernel_helper(5)]
pub fn bpf_ktime_get_ns() -> u64;

/// `long bpf_trace_printk(const char *fmt, u32 fmt_size, ...)`
#[kernel_helper(6)]
pub fn bpf_trace_printk(fmt: *const c_char, fmt_size: u32, args: ...) -> i64;

/// `u32 bpf_get_prandom_u32(void)`
#[kernel_helper(7)]
pub fn bpf_get_prandom_u32() -> u32;

/// `u32 bpf_get_smp_processor_id(void)`
#[kernel_helper(8)]
pub fn bpf_get_smp_processor_id() -> u32;

/// `long bpf_skb_store_bytes(struct sk_buff *skb, u32 offset, const void *from, u32 len, u64 flags)`
#[kernel_helper(9)]
pub fn bpf_skb_store_bytes(skb: *mut c_void, offset: u32, from: *const c_void, len: u32, flags: u64) -> i64;

/// `long bpf_l3_csum_replace(struct sk_buff *skb, u32 offset, u64 from, u64 to, u64 size)`
#[kernel_helper(10)]
pub fn bpf_l3_csum_replace(skb: *mut c_void, offset: u32, from: u64, to: u64, size: u64) -> i64;

/// `long bpf_l4_csum_replace(struct sk_buff *skb, u32 offset, u64 from, u64 to, u64 flags)`
#[kernel_helper(11)]
pub fn bpf_l4_csum_replace(skb: *mut c_void, offset: u32, from: u64, to: u64, flags: u64) -> i64;

/// `long bpf_tail_call(void *ctx, struct bpf_map *prog_array_map, u32 index)`
#[kernel_helper(12)]
pub fn bpf_tail_call(ctx: *mut c_void, prog_array_map: *mut c_void, index: u32) -> i64;

/// `long bpf_clone_redirect(struct sk_buff *skb, u32 ifindex, u64 flags)`
#[kernel_helper(13)]
pub fn bpf_clone_redirect(skb: *mut c_void, ifindex: u32, flags: u64) -> i64;

/// `u64 bpf_get_current_pid_tgid(void)`
#[kernel_helper(14)]
pub fn bpf_get_current_pid_tgid() -> u64;

/// `u64 bpf_get_current_uid_gid(void)`
#[kernel_helper(15)]
pub fn bpf_get_current_uid_gid() -> u64;

/// `long bpf_get_current_comm(void *buf, u32 size_of_buf)`
#[kernel_helper(16)]
pub fn bpf_get_current_comm(buf: *mut c_void, size_of_buf: u32) -> i64;

/// `u32 bpf_get_cgroup_classid(struct sk_buff *skb)`
#[kernel_helper(17)]
pub fn bpf_get_cgroup_classid(skb: *mut c_void) -> u32;

/// `long bpf_skb_vlan_push(struct sk_buff *skb, __be16 vlan_proto, u16 vlan_tci)`
#[kernel_helper(18)]
pub fn bpf_skb_vlan_push(skb: *mut c_void, vlan_proto: u16, vlan_tci: u16) -> i64;

/// `long bpf_skb_vlan_pop(struct sk_buff *skb)`
#[kernel_helper(19)]
pub fn bpf_skb_vlan_pop(skb: *mut c_void) -> i64;

/// `long bpf_skb_get_tunnel_key(struct sk_buff *skb, struct bpf_tunnel_key *key, u32 size, u64 flags)`
#[kernel_helper(20)]
pub fn bpf_skb_get_tunnel_key(skb: *mut c_void, key: *mut c_void, size: u32, flags: u64) -> i64;

/// `long bpf_skb_set_tunnel_key(struct sk_buff *skb, struct bpf_tunnel_key *key, u32 size, u64 flags)`
#[kernel_helper(21)]
pub fn bpf_skb_set_tunnel_key(skb: *mut c_void, key: *mut c_void, size: u32, flags: u64) -> i64;

/// `u64 bpf_perf_event_read(struct bpf_map *map, u64 flags)`
#[kernel_helper(22)]
pub fn bpf_perf_event_read(map: *mut c_void, flags: u64) -> u64;

/// `long bpf_redirect(u32 ifindex, u64 flags)`
#[kernel_helper(23)]
pub fn bpf_redirect(ifindex: u32, flags: u64) -> i64;

/// `u32 bpf_get_route_realm(struct sk_buff *skb)`
#[kernel_helper(24)]
pub fn bpf_get_route_realm(skb: *mut c_void) -> u32;

/// `long bpf_perf_event_output(void *ctx, struct bpf_map *map, u64 flags, void *data, u64 size)`
#[kernel_helper(25)]
pub fn bpf_perf_event_output(ctx: *mut c_void, map: *mut c_void, flags: u64, data: *mut c_void, size: u64) -> i64;

/// `long bpf_skb_load_bytes(const void *skb, u32 offset, void *to, u32 len)`
#[kernel_helper(26)]
pub fn bpf_skb_load_bytes(skb: *const c_void, offset: u32, to: *mut c_void, len: u32) -> i64;

/// `long bpf_get_stackid(void *ctx, struct bpf_map *map, u64 flags)`
#[kernel_helper(27)]
pub fn bpf_get_stackid(ctx: *mut c_void, map: *mut c_void, flags: u64) -> i64;

/// `s64 bpf_csum_diff(__be32 *from, u32 from_size, __be32 *to, u32 to_size, __wsum seed)`
#[kernel_helper(28)]
pub fn bpf_csum_diff(from: *mut u32, from_size: u32, to: *mut u32, to_size: u32, seed: u32) -> i64;

/// `long bpf_skb_get_tunnel_opt(struct sk_buff *skb, void *opt, u32 size)`
#[kernel_helper(29)]
pub fn bpf_skb_get_tunnel_opt(skb: *mut c_void, opt: *mut c_void, size: u32) -> i64;

/// `long bpf_skb_set_tunnel_opt(struct sk_buff *skb, void *opt, u32 size)`
#[kernel_helper(30)]
pub fn bpf_skb_set_tunnel_opt(skb: *mut c_void, opt: *mut c_void, size: u32) -> i64;

/// `long bpf_skb_change_proto(struct sk_buff *skb, __be16 proto, u64 flags)`
#[kernel_helper(31)]
pub fn bpf_skb_change_proto(skb: *mut c_void, proto: u16, flags: u64) -> i64;

/// `long bpf_skb_change_type(struct sk_buff *skb, u32 type)`
#[kernel_helper(32)]
pub fn bpf_skb_change_type(skb: *mut c_void, r#type: u32) -> i64;

/// `long bpf_skb_under_cgroup(struct sk_buff *skb, struct bpf_map *map, u32 index)`
#[kernel_helper(33)]
pub fn bpf_skb_under_cgroup(skb: *mut c_void, map: *mut c_void, index: u32) -> i64;

/// `u32 bpf_get_hash_recalc(struct sk_buff *skb)`
#[kernel_helper(34)]
pub fn bpf_get_hash_recalc(skb: *mut c_void) -> u32;

/// `u64 bpf_get_current_task(void)`
#[kernel_helper(35)]
pub fn bpf_get_current_task() -> u64;

/// `long bpf_probe_write_user(void *dst, const void *src, u32 len)`
#[kernel_helper(36)]
pub fn bpf_probe_write_user(dst: *mut c_void, src: *const c_void, len: u32) -> i64;

/// `long bpf_current_task_under_cgroup(struct bpf_map *map, u32 index)`
#[kernel_helper(37)]
pub fn bpf_current_task_under_cgroup(map: *mut c_void, index: u32) -> i64;

/// `long bpf_skb_change_tail(struct sk_buff *skb, u32 len, u64 flags)`
#[kernel_helper(38)]
pub fn bpf_skb_change_tail(skb: *mut c_void, len: u32, flags: u64) -> i64;

/// `long bpf_skb_pull_data(struct sk_buff *skb, u32 len)`
#[kernel_helper(39)]
pub fn bpf_skb_pull_data(skb: *mut c_void, len: u32) -> i64;

/// `s64 bpf_csum_update(struct sk_buff *skb, __wsum csum)`
#[kernel_helper(40)]
pub fn bpf_csum_update(skb: *mut c_void, csum: u32) -> i64;

/// `void bpf_set_hash_invalid(struct sk_buff *skb)`
#[kernel_helper(41)]
pub fn bpf_set_hash_invalid(skb: *mut c_void);

/// `long bpf_get_numa_node_id(void)`
#[kernel_helper(42)]
pub fn bpf_get_numa_node_id() -> i64;

/// `long bpf_skb_change_head(struct sk_buff *skb, u32 len, u64 flags)`
#[kernel_helper(43)]
pub fn bpf_skb_change_head(skb: *mut c_void, len: u32, flags: u64) -> i64;

/// `long bpf_xdp_adjust_head(struct xdp_buff *xdp_md, int delta)`
#[kernel_helper(44)]
pub fn bpf_xdp_adjust_head(xdp_md: *mut c_void, delta: i32) -> i64;

/// `long bpf_probe_read_str(void *dst, u32 size, const void *unsafe_ptr)`
#[kernel_helper(45)]
pub fn bpf_probe_read_str(dst: *mut c_void, size: u32, unsafe_ptr: *const c_void) -> i64;

/// `u64 bpf_get_socket_cookie(struct sock *sk)`
#[kernel_helper(46)]
pub fn bpf_get_socket_cookie(sk: *mut c_void) -> u64;

/// `u32 bpf_get_socket_uid(struct sk_buff *skb)`
#[kernel_helper(47)]
pub fn bpf_get_socket_uid(skb: *mut c_void) -> u32;

/// `long bpf_set_hash(struct sk_buff *skb, u32 hash)`
#[kernel_helper(48)]
pub fn bpf_set_hash(skb: *mut c_void, hash: u32) -> i64;

/// `long bpf_setsockopt(void *bpf_socket, int level, int optname, void *optval, int optlen)`
#[kernel_helper(49)]
pub fn bpf_setsockopt(bpf_socket: *mut c_void, level: i32, optname: i32, optval: *mut c_void, optlen: i32) -> i64;

/// `long bpf_skb_adjust_room(struct sk_buff *skb, s32 len_diff, u32 mode, u64 flags)`
#[kernel_helper(50)]
pub fn bpf_skb_adjust_room(skb: *mut c_void, len_diff: i32, mode: u32, flags: u64) -> i64;

/// `long bpf_redirect_map(struct bpf_map *map, u32 key, u64 flags)`
#[kernel_helper(51)]
pub fn bpf_redirect_map(map: *mut c_void, key: u32, flags: u64) -> i64;

/// `long bpf_sk_redirect_map(struct sk_buff *skb, struct bpf_map *map, u32 key, u64 flags)`
#[kernel_helper(52)]
pub fn bpf_sk_redirect_map(skb: *mut c_void, map: *mut c_void, key: u32, flags: u64) -> i64;

/// `long bpf_sock_map_update(struct bpf_sock_ops *skops, struct bpf_map *map, void *key, u64 flags)`
#[kernel_helper(53)]
pub fn bpf_sock_map_update(skops: *mut c_void, map: *mut c_void, key: *mut c_void, flags: u64) -> i64;

/// `long bpf_xdp_adjust_meta(struct xdp_buff *xdp_md, int delta)`
#[kernel_helper(54)]
pub fn bpf_xdp_adjust_meta(xdp_md: *mut c_void, delta: i32) -> i64;

/// `long bpf_perf_event_read_value(struct bpf_map *map, u64 flags, struct bpf_perf_event_value *buf, u32 buf_size)`
#[kernel_helper(55)]
pub fn bpf_perf_event_read_value(map: *mut c_void, flags: u64, buf: *mut c_void, buf_size: u32) -> i64;

/// `long bpf_perf_prog_read_value(struct bpf_perf_event_data *ctx, struct bpf_perf_event_value *buf, u32 buf_size)`
#[kernel_helper(56)]
pub fn bpf_perf_prog_read_value(ctx: *mut c_void, buf: *mut c_void, buf_size: u32) -> i64;

/// `long bpf_getsockopt(void *bpf_socket, int level, int optname, void *optval, int optlen)`
#[kernel_helper(57)]
pub fn bpf_getsockopt(bpf_socket: *mut c_void, level: i32, optname: i32, optval: *mut c_void, optlen: i32) -> i64;

/// `long bpf_override_return(struct pt_regs *regs, u64 rc)`
#[kernel_helper(58)]
pub fn bpf_override_return(regs: *mut c_void, rc: u64) -> i64;

/// `long bpf_sock_ops_cb_flags_set(struct bpf_sock_ops *bpf_sock, int argval)`
#[kernel_helper(59)]
pub fn bpf_sock_ops_cb_flags_set(bpf_sock: *mut c_void, argval: i32) -> i64;

/// `long bpf_msg_redirect_map(struct sk_msg_buff *msg, struct bpf_map *map, u32 key, u64 flags)`
#[kernel_helper(60)]
pub fn bpf_msg_redirect_map(msg: *mut c_void, map: *mut c_void, key: u32, flags: u64) -> i64;

/// `long bpf_msg_apply_bytes(struct sk_msg_buff *msg, u32 bytes)`
#[kernel_helper(61)]
pub fn bpf_msg_apply_bytes(msg: *mut c_void, bytes: u32) -> i64;

/// `long bpf_msg_cork_bytes(struct sk_msg_buff *msg, u32 bytes)`
#[kernel_helper(62)]
pub fn bpf_msg_cork_bytes(msg: *mut c_void, bytes: u32) -> i64;

/// `long bpf_msg_pull_data(struct sk_msg_buff *msg, u32 start, u32 end, u64 flags)`
#[kernel_helper(63)]
pub fn bpf_msg_pull_data(msg: *mut c_void, start: u32, end: u32, flags: u64) -> i64;

/// `long bpf_bind(struct bpf_sock_addr *ctx, struct sockaddr *addr, int addr_len)`
#[kernel_helper(64)]
pub fn bpf_bind(ctx: *mut c_void, addr: *mut c_void, addr_len: i32) -> i64;

/// `long bpf_xdp_adjust_tail(struct xdp_buff *xdp_md, int delta)`
#[kernel_helper(65)]
pub fn bpf_xdp_adjust_tail(xdp_md: *mut c_void, delta: i32) -> i64;

/// `long bpf_skb_get_xfrm_state(struct sk_buff *skb, u32 index, struct bpf_xfrm_state *xfrm_state, u32 size, u64 flags)`
#[kernel_helper(66)]
pub fn bpf_skb_get_xfrm_state(skb: *mut c_void, index: u32, xfrm_state: *mut c_void, size: u32, flags: u64) -> i64;

/// `long bpf_get_stack(void *ctx, void *buf, u32 size, u64 flags)`
#[kernel_helper(67)]
pub fn bpf_get_stack(ctx: *mut c_void, buf: *mut c_void, size: u32, flags: u64) -> i64;

/// `long bpf_skb_load_bytes_relative(const void *skb, u32 offset, void *to, u32 len, u32 start_header)`
#[kernel_helper(68)]
pub fn bpf_skb_load_bytes_relative(skb: *const c_void, offset: u32, to: *mut c_void, len: u32, start_header: u32) -> i64;

/// `long bpf_fib_lookup(void *ctx, struct bpf_fib_lookup *params, int plen, u32 flags)`
#[kernel_helper(69)]
pub fn bpf_fib_lookup(ctx: *mut c_void, params: *mut c_void, plen: i32, flags: u32) -> i64;

/// `long bpf_sock_hash_update(struct bpf_sock_ops *skops, struct bpf_map *map, void *key, u64 flags)`
#[kernel_helper(70)]
pub fn bpf_sock_hash_update(skops: *mut c_void, map: *mut c_void, key: *mut c_void, flags: u64) -> i64;

/// `long bpf_msg_redirect_hash(struct sk_msg_buff *msg, struct bpf_map *map, void *key, u64 flags)`
#[kernel_helper(71)]
pub fn bpf_msg_redirect_hash(msg: *mut c_void, map: *mut c_void, key: *mut c_void, flags: u64) -> i64;

/// `long bpf_sk_redirect_hash(struct sk_buff *skb, struct bpf_map *map, void *key, u64 flags)`
#[kernel_helper(72)]
pub fn bpf_sk_redirect_hash(skb: *mut c_void, map: *mut c_void, key: *mut c_void, flags: u64) -> i64;

/// `long bpf_lwt_push_encap(struct sk_buff *skb, u32 type, void *hdr, u32 len)`
#[kernel_helper(73)]
pub fn bpf_lwt_push_encap(skb: *mut c_void, r#type: u32, hdr: *mut c_void, len: u32) -> i64;

/// `long bpf_lwt_seg6_store_bytes(struct sk_buff *skb, u32 offset, const void *from, u32 len)`
#[kernel_helper(74)]
pub fn bpf_lwt_seg6_store_bytes(skb: *mut c_void, offset: u32, from: *const c_void, len: u32) -> i64;

/// `long bpf_lwt_seg6_adjust_srh(struct sk_buff *skb, u32 offset, s32 delta)`
#[kernel_helper(75)]
pub fn bpf_lwt_seg6_adjust_srh(skb: *mut c_void, offset: u32, delta: i32) -> i64;

/// `long bpf_lwt_seg6_action(struct sk_buff *skb, u32 action, void *param, u32 param_len)`
#[kernel_helper(76)]
pub fn bpf_lwt_seg6_action(skb: *mut c_void, action: u32, param: *mut c_void, param_len: u32) -> i64;

/// `long bpf_rc_repeat(void *ctx)`
#[kernel_helper(77)]
pub fn bpf_rc_repeat(ctx: *mut c_void) -> i64;

/// `long bpf_rc_keydown(void *ctx, u32 protocol, u64 scancode, u32 toggle)`
#[kernel_helper(78)]
pub fn bpf_rc_keydown(ctx: *mut c_void, protocol: u32, scancode: u64, toggle: u32) -> i64;

/// `u64 bpf_skb_cgroup_id(struct sk_buff *skb)`
#[kernel_helper(79)]
pub fn bpf_skb_cgroup_id(skb: *mut c_void) -> u64;

/// `u64 bpf_get_current_cgroup_id(void)`
#[kernel_helper(80)]
pub fn bpf_get_current_cgroup_id() -> u64;

/// `void *bpf_get_local_storage(void *map, u64 flags)`
#[kernel_helper(81)]
pub fn bpf_get_local_storage(map: *mut c_void, flags: u64) -> *mut c_void;

/// `long bpf_sk_select_reuseport(struct sk_reuseport_md *reuse, struct bpf_map *map, void *key, u64 flags)`
#[kernel_helper(82)]
pub fn bpf_sk_select_reuseport(reuse: *mut c_void, map: *mut c_void, key: *mut c_void, flags: u64) -> i64;

/// `u64 bpf_skb_ancestor_cgroup_id(struct sk_buff *skb, int ancestor_level)`
#[kernel_helper(83)]
pub fn bpf_skb_ancestor_cgroup_id(skb: *mut c_void, ancestor_level: i32) -> u64;

/// `struct bpf_sock *bpf_sk_lookup_tcp(void *ctx, struct bpf_sock_tuple *tuple, u32 tuple_size, u64 netns, u64 flags)`
#[kernel_helper(84)]
pub fn bpf_sk_lookup_tcp(ctx: *mut c_void, tuple: *mut c_void, tuple_size: u32, netns: u64, flags: u64) -> *mut c_void;

/// `struct bpf_sock *bpf_sk_lookup_udp(void *ctx, struct bpf_sock_tuple *tuple, u32 tuple_size, u64 netns, u64 flags)`
#[kernel_helper(85)]
pub fn bpf_sk_lookup_udp(ctx: *mut c_void, tuple: *mut c_void, tuple_size: u32, netns: u64, flags: u64) -> *mut c_void;

/// `long bpf_sk_release(void *sock)`
#[kernel_helper(86)]
pub fn bpf_sk_release(sock: *mut c_void) -> i64;

/// `long bpf_map_push_elem(struct bpf_map *map, const void *value, u64 flags)`
#[kernel_helper(87)]
pub fn bpf_map_push_elem(map: *mut c_void, value: *const c_void, flags: u64) -> i64;

/// `long bpf_map_pop_elem(struct bpf_map *map, void *value)`
#[kernel_helper(88)]
pub fn bpf_map_pop_elem(map: *mut c_void, value: *mut c_void) -> i64;

/// `long bpf_map_peek_elem(struct bpf_map *map, void *value)`
#[kernel_helper(89)]
pub fn bpf_map_peek_elem(map: *mut c_void, value: *mut c_void) -> i64;

/// `long bpf_msg_push_data(struct sk_msg_buff *msg, u32 start, u32 len, u64 flags)`
#[kernel_helper(90)]
pub fn bpf_msg_push_data(msg: *mut c_void, start: u32, len: u32, flags: u64) -> i64;

/// `long bpf_msg_pop_data(struct sk_msg_buff *msg, u32 start, u32 len, u64 flags)`
#[kernel_helper(91)]
pub fn bpf_msg_pop_data(msg: *mut c_void, start: u32, len: u32, flags: u64) -> i64;

/// `long bpf_rc_pointer_rel(void *ctx, s32 rel_x, s32 rel_y)`
#[kernel_helper(92)]
pub fn bpf_rc_pointer_rel(ctx: *mut c_void, rel_x: i32, rel_y: i32) -> i64;

/// `long bpf_spin_lock(struct bpf_spin_lock *lock)`
#[kernel_helper(93)]
pub fn bpf_spin_lock(lock: *mut c_void) -> i64;

/// `long bpf_spin_unlock(struct bpf_spin_lock *lock)`
#[kernel_helper(94)]
pub fn bpf_spin_unlock(lock: *mut c_void) -> i64;

/// `struct bpf_sock *bpf_sk_fullsock(struct bpf_sock *sk)`
#[kernel_helper(95)]
pub fn bpf_sk_fullsock(sk: *mut c_void) -> *mut c_void;

/// `struct bpf_tcp_sock *bpf_tcp_sock(struct bpf_sock *sk)`
#[kernel_helper(96)]
pub fn bpf_tcp_sock(sk: *mut c_void) -> *mut c_void;

/// `long bpf_skb_ecn_set_ce(struct sk_buff *skb)`
#[kernel_helper(97)]
pub fn bpf_skb_ecn_set_ce(skb: *mut c_void) -> i64;

/// `struct bpf_sock *bpf_get_listener_sock(struct bpf_sock *sk)`
#[kernel_helper(98)]
pub fn bpf_get_listener_sock(sk: *mut c_void) -> *mut c_void;

/// `struct bpf_sock *bpf_skc_lookup_tcp(void *ctx, struct bpf_sock_tuple *tuple, u32 tuple_size, u64 netns, u64 flags)`
#[kernel_helper(99)]
pub fn bpf_skc_lookup_tcp(ctx: *mut c_void, tuple: *mut c_void, tuple_size: u32, netns: u64, flags: u64) -> *mut c_void;

/// `long bpf_tcp_check_syncookie(void *sk, void *iph, u32 iph_len, struct tcphdr *th, u32 th_len)`
#[kernel_helper(100)]
pub fn bpf_tcp_check_syncookie(sk: *mut c_void, iph: *mut c_void, iph_len: u32, th: *mut c_void, th_len: u32) -> i64;

/// `long bpf_sysctl_get_name(struct bpf_sysctl *ctx, char *buf, size_t buf_len, u64 flags)`
#[kernel_helper(101)]
pub fn bpf_sysctl_get_name(ctx: *mut c_void, buf: *mut c_char, buf_len: usize, flags: u64) -> i64;

/// `long bpf_sysctl_get_current_value(struct bpf_sysctl *ctx, char *buf, size_t buf_len)`
#[kernel_helper(102)]
pub fn bpf_sysctl_get_current_value(ctx: *mut c_void, buf: *mut c_char, buf_len: usize) -> i64;

/// `long bpf_sysctl_get_new_value(struct bpf_sysctl *ctx, char *buf, size_t buf_len)`
#[kernel_helper(103)]
pub fn bpf_sysctl_get_new_value(ctx: *mut c_void, buf: *mut c_char, buf_len: usize) -> i64;

/// `long bpf_sysctl_set_new_value(struct bpf_sysctl *ctx, const char *buf, size_t buf_len)`
#[kernel_helper(104)]
pub fn bpf_sysctl_set_new_value(ctx: *mut c_void, buf: *const c_char, buf_len: usize) -> i64;

/// `long bpf_strtol(const char *buf, size_t buf_len, u64 flags, long *res)`
#[kernel_helper(105)]
pub fn bpf_strtol(buf: *const c_char, buf_len: usize, flags: u64, res: *mut i64) -> i64;

/// `long bpf_strtoul(const char *buf, size_t buf_len, u64 flags, unsigned long *res)`
#[kernel_helper(106)]
pub fn bpf_strtoul(buf: *const c_char, buf_len: usize, flags: u64, res: *mut u64) -> i64;

/// `void *bpf_sk_storage_get(struct bpf_map *map, void *sk, void *value, u64 flags)`
#[kernel_helper(107)]
pub fn bpf_sk_storage_get(map: *mut c_void, sk: *mut c_void, value: *mut c_void, flags: u64) -> *mut c_void;

/// `long bpf_sk_storage_delete(struct bpf_map *map, void *sk)`
#[kernel_helper(108)]
pub fn bpf_sk_storage_delete(map: *mut c_void, sk: *mut c_void) -> i64;

/// `long bpf_send_signal(u32 sig)`
#[kernel_helper(109)]
pub fn bpf_send_signal(sig: u32) -> i64;

/// `s64 bpf_tcp_gen_syncookie(void *sk, void *iph, u32 iph_len, struct tcphdr *th, u32 th_len)`
#[kernel_helper(110)]
pub fn bpf_tcp_gen_syncookie(sk: *mut c_void, iph: *mut c_void, iph_len: u32, th: *mut c_void, th_len: u32) -> i64;

/// `long bpf_skb_output(void *ctx, struct bpf_map *map, u64 flags, void *data, u64 size)`
#[kernel_helper(111)]
pub fn bpf_skb_output(ctx: *mut c_void, map: *mut c_void, flags: u64, data: *mut c_void, size: u64) -> i64;

/// `long bpf_probe_read_user(void *dst, u32 size, const void *unsafe_ptr)`
#[kernel_helper(112)]
pub fn bpf_probe_read_user(dst: *mut c_void, size: u32, unsafe_ptr: *const c_void) -> i64;

/// `long bpf_probe_read_kernel(void *dst, u32 size, const void *unsafe_ptr)`
#[kernel_helper(113)]
pub fn bpf_probe_read_kernel(dst: *mut c_void, size: u32, unsafe_ptr: *const c_void) -> i64;

/// `long bpf_probe_read_user_str(void *dst, u32 size, const void *unsafe_ptr)`
#[kernel_helper(114)]
pub fn bpf_probe_read_user_str(dst: *mut c_void, size: u32, unsafe_ptr: *const c_void) -> i64;

/// `long bpf_probe_read_kernel_str(void *dst, u32 size, const void *unsafe_ptr)`
#[kernel_helper(115)]
pub fn bpf_probe_read_kernel_str(dst: *mut c_void, size: u32, unsafe_ptr: *const c_void) -> i64;

/// `long bpf_tcp_send_ack(void *tp, u32 rcv_nxt)`
#[kernel_helper(116)]
pub fn bpf_tcp_send_ack(tp: *mut c_void, rcv_nxt: u32) -> i64;

/// `long bpf_send_signal_thread(u32 sig)`
#[kernel_helper(117)]
pub fn bpf_send_signal_thread(sig: u32) -> i64;

/// `u64 bpf_jiffies64(void)`
#[kernel_helper(118)]
pub fn bpf_jiffies64() -> u64;

/// `long bpf_read_branch_records(struct bpf_perf_event_data *ctx, void *buf, u32 size, u64 flags)`
#[kernel_helper(119)]
pub fn bpf_read_branch_records(ctx: *mut c_void, buf: *mut c_void, size: u32, flags: u64) -> i64;

/// `long bpf_get_ns_current_pid_tgid(u64 dev, u64 ino, struct bpf_pidns_info *nsdata, u32 size)`
#[kernel_helper(120)]
pub fn bpf_get_ns_current_pid_tgid(dev: u64, ino: u64, nsdata: *mut c_void, size: u32) -> i64;

/// `long bpf_xdp_output(void *ctx, struct bpf_map *map, u64 flags, void *data, u64 size)`
#[kernel_helper(121)]
pub fn bpf_xdp_output(ctx: *mut c_void, map: *mut c_void, flags: u64, data: *mut c_void, size: u64) -> i64;

/// `u64 bpf_get_netns_cookie(void *ctx)`
#[kernel_helper(122)]
pub fn bpf_get_netns_cookie(ctx: *mut c_void) -> u64;

/// `u64 bpf_get_current_ancestor_cgroup_id(int ancestor_level)`
#[kernel_helper(123)]
pub fn bpf_get_current_ancestor_cgroup_id(ancestor_level: i32) -> u64;

/// `long bpf_sk_assign(struct bpf_sk_lookup *ctx, struct bpf_sock *sk, u64 flags)`
#[kernel_helper(124)]
pub fn bpf_sk_assign(ctx: *mut c_void, sk: *mut c_void, flags: u64) -> i64;

/// `u64 bpf_ktime_get_boot_ns(void)`
#[kernel_helper(125)]
pub fn bpf_ktime_get_boot_ns() -> u64;

/// `long bpf_seq_printf(struct seq_file *m, const char *fmt, u32 fmt_size, const void *data, u32 data_len)`
#[kernel_helper(126)]
pub fn bpf_seq_printf(m: *mut c_void, fmt: *const c_char, fmt_size: u32, data: *const c_void, data_len: u32) -> i64;

/// `long bpf_seq_write(struct seq_file *m, const void *data, u32 len)`
#[kernel_helper(127)]
pub fn bpf_seq_write(m: *mut c_void, data: *const c_void, len: u32) -> i64;

/// `u64 bpf_sk_cgroup_id(void *sk)`
#[kernel_helper(128)]
pub fn bpf_sk_cgroup_id(sk: *mut c_void) -> u64;

/// `u64 bpf_sk_ancestor_cgroup_id(void *sk, int ancestor_level)`
#[kernel_helper(129)]
pub fn bpf_sk_ancestor_cgroup_id(sk: *mut c_void, ancestor_level: i32) -> u64;

/// `long bpf_ringbuf_output(void *ringbuf, void *data, u64 size, u64 flags)`
#[kernel_helper(130)]
pub fn bpf_ringbuf_output(ringbuf: *mut c_void, data: *mut c_void, size: u64, flags: u64) -> i64;

/// `void *bpf_ringbuf_reserve(void *ringbuf, u64 size, u64 flags)`
#[kernel_helper(131)]
pub fn bpf_ringbuf_reserve(ringbuf: *mut c_void, size: u64, flags: u64) -> *mut c_void;

/// `void bpf_ringbuf_submit(void *data, u64 flags)`
#[kernel_helper(132)]
pub fn bpf_ringbuf_submit(data: *mut c_void, flags: u64);

/// `void bpf_ringbuf_discard(void *data, u64 flags)`
#[kernel_helper(133)]
pub fn bpf_ringbuf_discard(data: *mut c_void, flags: u64);

/// `u64 bpf_ringbuf_query(void *ringbuf, u64 flags)`
#[kernel_helper(134)]
pub fn bpf_ringbuf_query(ringbuf: *mut c_void, flags: u64) -> u64;

/// `long bpf_csum_level(struct sk_buff *skb, u64 level)`
#[kernel_helper(135)]
pub fn bpf_csum_level(skb: *mut c_void, level: u64) -> i64;

/// `struct tcp6_sock *bpf_skc_to_tcp6_sock(void *sk)`
#[kernel_helper(136)]
pub fn bpf_skc_to_tcp6_sock(sk: *mut c_void) -> *mut c_void;

/// `struct tcp_sock *bpf_skc_to_tcp_sock(void *sk)`
#[kernel_helper(137)]
pub fn bpf_skc_to_tcp_sock(sk: *mut c_void) -> *mut c_void;

/// `struct tcp_timewait_sock *bpf_skc_to_tcp_timewait_sock(void *sk)`
#[kernel_helper(138)]
pub fn bpf_skc_to_tcp_timewait_sock(sk: *mut c_void) -> *mut c_void;

/// `struct tcp_request_sock *bpf_skc_to_tcp_request_sock(void *sk)`
#[kernel_helper(139)]
pub fn bpf_skc_to_tcp_request_sock(sk: *mut c_void) -> *mut c_void;

/// `struct udp6_sock *bpf_skc_to_udp6_sock(void *sk)`
#[kernel_helper(140)]
pub fn bpf_skc_to_udp6_sock(sk: *mut c_void) -> *mut c_void;

/// `long bpf_get_task_stack(struct task_struct *task, void *buf, u32 size, u64 flags)`
#[kernel_helper(141)]
pub fn bpf_get_task_stack(task: *mut c_void, buf: *mut c_void, size: u32, flags: u64) -> i64;

/// `long bpf_load_hdr_opt(struct bpf_sock_ops *skops, void *searchby_res, u32 len, u64 flags)`
#[kernel_helper(142)]
pub fn bpf_load_hdr_opt(skops: *mut c_void, searchby_res: *mut c_void, len: u32, flags: u64) -> i64;

/// `long bpf_store_hdr_opt(struct bpf_sock_ops *skops, const void *from, u32 len, u64 flags)`
#[kernel_helper(143)]
pub fn bpf_store_hdr_opt(skops: *mut c_void, from: *const c_void, len: u32, flags: u64) -> i64;

/// `long bpf_reserve_hdr_opt(struct bpf_sock_ops *skops, u32 len, u64 flags)`
#[kernel_helper(144)]
pub fn bpf_reserve_hdr_opt(skops: *mut c_void, len: u32, flags: u64) -> i64;

/// `void *bpf_inode_storage_get(struct bpf_map *map, void *inode, void *value, u64 flags)`
#[kernel_helper(145)]
pub fn bpf_inode_storage_get(map: *mut c_void, inode: *mut c_void, value: *mut c_void, flags: u64) -> *mut c_void;

/// `int bpf_inode_storage_delete(struct bpf_map *map, void *inode)`
#[kernel_helper(146)]
pub fn bpf_inode_storage_delete(map: *mut c_void, inode: *mut c_void) -> i32;

/// `long bpf_d_path(struct path *path, char *buf, u32 sz)`
#[kernel_helper(147)]
pub fn bpf_d_path(path: *mut c_void, buf: *mut c_char, sz: u32) -> i64;

/// `long bpf_copy_from_user(void *dst, u32 size, const void *user_ptr)`
#[kernel_helper(148)]
pub fn bpf_copy_from_user(dst: *mut c_void, size: u32, user_ptr: *const c_void) -> i64;

/// `long bpf_snprintf_btf(char *str, u32 str_size, struct btf_ptr *ptr, u32 btf_ptr_size, u64 flags)`
#[kernel_helper(149)]
pub fn bpf_snprintf_btf(str: *mut c_char, str_size: u32, ptr: *mut c_void, btf_ptr_size: u32, flags: u64) -> i64;

/// `long bpf_seq_printf_btf(struct seq_file *m, struct btf_ptr *ptr, u32 ptr_size, u64 flags)`
#[kernel_helper(150)]
pub fn bpf_seq_printf_btf(m: *mut c_void, ptr: *mut c_void, ptr_size: u32, flags: u64) -> i64;

/// `u64 bpf_skb_cgroup_classid(struct sk_buff *skb)`
#[kernel_helper(151)]
pub fn bpf_skb_cgroup_classid(skb: *mut c_void) -> u64;

/// `long bpf_redirect_neigh(u32 ifindex, struct bpf_redir_neigh *params, int plen, u64 flags)`
#[kernel_helper(152)]
pub fn bpf_redirect_neigh(ifindex: u32, params: *mut c_void, plen: i32, flags: u64) -> i64;

/// `void *bpf_per_cpu_ptr(const void *percpu_ptr, u32 cpu)`
#[kernel_helper(153)]
pub fn bpf_per_cpu_ptr(percpu_ptr: *const c_void, cpu: u32) -> *mut c_void;

/// `void *bpf_this_cpu_ptr(const void *percpu_ptr)`
#[kernel_helper(154)]
pub fn bpf_this_cpu_ptr(percpu_ptr: *const c_void) -> *mut c_void;

/// `long bpf_redirect_peer(u32 ifindex, u64 flags)`
#[kernel_helper(155)]
pub fn bpf_redirect_peer(ifindex: u32, flags: u64) -> i64;

/// `void *bpf_task_storage_get(struct bpf_map *map, struct task_struct *task, void *value, u64 flags)`
#[kernel_helper(156)]
pub fn bpf_task_storage_get(map: *mut c_void, task: *mut c_void, value: *mut c_void, flags: u64) -> *mut c_void;

/// `long bpf_task_storage_delete(struct bpf_map *map, struct task_struct *task)`
#[kernel_helper(157)]
pub fn bpf_task_storage_delete(map: *mut c_void, task: *mut c_void) -> i64;

/// `struct task_struct *bpf_get_current_task_btf(void)`
#[kernel_helper(158)]
pub fn bpf_get_current_task_btf() -> *mut c_void;

/// `long bpf_bprm_opts_set(struct linux_binprm *bprm, u64 flags)`
#[kernel_helper(159)]
pub fn bpf_bprm_opts_set(bprm: *mut c_void, flags: u64) -> i64;

/// `u64 bpf_ktime_get_coarse_ns(void)`
#[kernel_helper(160)]
pub fn bpf_ktime_get_coarse_ns() -> u64;

/// `long bpf_ima_inode_hash(struct inode *inode, void *dst, u32 size)`
#[kernel_helper(161)]
pub fn bpf_ima_inode_hash(inode: *mut c_void, dst: *mut c_void, size: u32) -> i64;

/// `struct socket *bpf_sock_from_file(struct file *file)`
#[kernel_helper(162)]
pub fn bpf_sock_from_file(file: *mut c_void) -> *mut c_void;

/// `long bpf_check_mtu(void *ctx, u32 ifindex, u32 *mtu_len, s32 len_diff, u64 flags)`
#[kernel_helper(163)]
pub fn bpf_check_mtu(ctx: *mut c_void, ifindex: u32, mtu_len: *mut u32, len_diff: i32, flags: u64) -> i64;

/// `long bpf_for_each_map_elem(struct bpf_map *map, void *callback_fn, void *callback_ctx, u64 flags)`
#[kernel_helper(164)]
pub fn bpf_for_each_map_elem(map: *mut c_void, callback_fn: *mut c_void, callback_ctx: *mut c_void, flags: u64) -> i64;

/// `long bpf_snprintf(char *str, u32 str_size, const char *fmt, u64 *data, u32 data_len)`
#[kernel_helper(165)]
pub fn bpf_snprintf(str: *mut c_char, str_size: u32, fmt: *const c_char, data: *mut u64, data_len: u32) -> i64;

/// `long bpf_sys_bpf(u32 cmd, void *attr, u32 attr_size)`
#[kernel_helper(166)]
pub fn bpf_sys_bpf(cmd: u32, attr: *mut c_void, attr_size: u32) -> i64;

/// `long bpf_btf_find_by_name_kind(char *name, int name_sz, u32 kind, int flags)`
#[kernel_helper(167)]
pub fn bpf_btf_find_by_name_kind(name: *mut c_char, name_sz: i32, kind: u32, flags: i32) -> i64;

/// `long bpf_sys_close(u32 fd)`
#[kernel_helper(168)]
pub fn bpf_sys_close(fd: u32) -> i64;

/// `long bpf_timer_init(struct bpf_timer *timer, struct bpf_map *map, u64 flags)`
#[kernel_helper(169)]
pub fn bpf_timer_init(timer: *mut c_void, map: *mut c_void, flags: u64) -> i64;

/// `long bpf_timer_set_callback(struct bpf_timer *timer, void *callback_fn)`
#[kernel_helper(170)]
pub fn bpf_timer_set_callback(timer: *mut c_void, callback_fn: *mut c_void) -> i64;

/// `long bpf_timer_start(struct bpf_timer *timer, u64 nsecs, u64 flags)`
#[kernel_helper(171)]
pub fn bpf_timer_start(timer: *mut c_void, nsecs: u64, flags: u64) -> i64;

/// `long bpf_timer_cancel(struct bpf_timer *timer)`
#[kernel_helper(172)]
pub fn bpf_timer_cancel(timer: *mut c_void) -> i64;

/// `u64 bpf_get_func_ip(void *ctx)`
#[kernel_helper(173)]
pub fn bpf_get_func_ip(ctx: *mut c_void) -> u64;

/// `u64 bpf_get_attach_cookie(void *ctx)`
#[kernel_helper(174)]
pub fn bpf_get_attach_cookie(ctx: *mut c_void) -> u64;

/// `long bpf_task_pt_regs(struct task_struct *task)`
#[kernel_helper(175)]
pub fn bpf_task_pt_regs(task: *mut c_void) -> i64;

/// `long bpf_get_branch_snapshot(void *entries, u32 size, u64 flags)`
#[kernel_helper(176)]
pub fn bpf_get_branch_snapshot(entries: *mut c_void, size: u32, flags: u64) -> i64;

/// `long bpf_trace_vprintk(const char *fmt, u32 fmt_size, const void *data, u32 data_len)`
#[kernel_helper(177)]
pub fn bpf_trace_vprintk(fmt: *const c_char, fmt_size: u32, data: *const c_void, data_len: u32) -> i64;

/// `struct unix_sock *bpf_skc_to_unix_sock(void *sk)`
#[kernel_helper(178)]
pub fn bpf_skc_to_unix_sock(sk: *mut c_void) -> *mut c_void;

/// `long bpf_kallsyms_lookup_name(const char *name, int name_sz, int flags, u64 *res)`
#[kernel_helper(179)]
pub fn bpf_kallsyms_lookup_name(name: *const c_char, name_sz: i32, flags: i32, res: *mut u64) -> i64;

/// `long bpf_find_vma(struct task_struct *task, u64 addr, void *callback_fn, void *callback_ctx, u64 flags)`
#[kernel_helper(180)]
pub fn bpf_find_vma(task: *mut c_void, addr: u64, callback_fn: *mut c_void, callback_ctx: *mut c_void, flags: u64) -> i64;

/// `long bpf_loop(u32 nr_loops, void *callback_fn, void *callback_ctx, u64 flags)`
#[kernel_helper(181)]
pub fn bpf_loop(nr_loops: u32, callback_fn: *mut c_void, callback_ctx: *mut c_void, flags: u64) -> i64;

/// `long bpf_strncmp(const char *s1, u32 s1_sz, const char *s2)`
#[kernel_helper(182)]
pub fn bpf_strncmp(s1: *const c_char, s1_sz: u32, s2: *const c_char) -> i64;

/// `long bpf_get_func_arg(void *ctx, u32 n, u64 *value)`
#[kernel_helper(183)]
pub fn bpf_get_func_arg(ctx: *mut c_void, n: u32, value: *mut u64) -> i64;

/// `long bpf_get_func_ret(void *ctx, u64 *value)`
#[kernel_helper(184)]
pub fn bpf_get_func_ret(ctx: *mut c_void, value: *mut u64) -> i64;

/// `long bpf_get_func_arg_cnt(void *ctx)`
#[kernel_helper(185)]
pub fn bpf_get_func_arg_cnt(ctx: *mut c_void) -> i64;

/// `int bpf_get_retval(void)`
#[kernel_helper(186)]
pub fn bpf_get_retval() -> i32;

/// `int bpf_set_retval(int retval)`
#[kernel_helper(187)]
pub fn bpf_set_retval(retval: i32) -> i32;

/// `u64 bpf_xdp_get_buff_len(struct xdp_buff *xdp_md)`
#[kernel_helper(188)]
pub fn bpf_xdp_get_buff_len(xdp_md: *mut c_void) -> u64;

/// `long bpf_xdp_load_bytes(struct xdp_buff *xdp_md, u32 offset, void *buf, u32 len)`
#[kernel_helper(189)]
pub fn bpf_xdp_load_bytes(xdp_md: *mut c_void, offset: u32, buf: *mut c_void, len: u32) -> i64;

/// `long bpf_xdp_store_bytes(struct xdp_buff *xdp_md, u32 offset, void *buf, u32 len)`
#[kernel_helper(190)]
pub fn bpf_xdp_store_bytes(xdp_md: *mut c_void, offset: u32, buf: *mut c_void, len: u32) -> i64;

/// `long bpf_copy_from_user_task(void *dst, u32 size, const void *user_ptr, struct task_struct *tsk, u64 flags)`
#[kernel_helper(191)]
pub fn bpf_copy_from_user_task(dst: *mut c_void, size: u32, user_ptr: *const c_void, tsk: *mut c_void, flags: u64) -> i64;

/// `long bpf_skb_set_tstamp(struct sk_buff *skb, u64 tstamp, u32 tstamp_type)`
#[kernel_helper(192)]
pub fn bpf_skb_set_tstamp(skb: *mut c_void, tstamp: u64, tstamp_type: u32) -> i64;

/// `long bpf_ima_file_hash(struct file *file, void *dst, u32 size)`
#[kernel_helper(193)]
pub fn bpf_ima_file_hash(file: *mut c_void, dst: *mut c_void, size: u32) -> i64;

/// `void *bpf_kptr_xchg(void *map_value, void *ptr)`
#[kernel_helper(194)]
pub fn bpf_kptr_xchg(map_value: *mut c_void, ptr: *mut c_void) -> *mut c_void;

/// `void *bpf_map_lookup_percpu_elem(struct bpf_map *map, const void *key, u32 cpu)`
#[kernel_helper(195)]
pub fn bpf_map_lookup_percpu_elem(map: *mut c_void, key: *const c_void, cpu: u32) -> *mut c_void;

/// `struct mptcp_sock *bpf_skc_to_mptcp_sock(void *sk)`
#[kernel_helper(196)]
pub fn bpf_skc_to_mptcp_sock(sk: *mut c_void) -> *mut c_void;

/// `long bpf_dynptr_from_mem(void *data, u32 size, u64 flags, struct bpf_dynptr *ptr)`
#[kernel_helper(197)]
pub fn bpf_dynptr_from_mem(data: *mut c_void, size: u32, flags: u64, ptr: *mut c_void) -> i64;

/// `long bpf_ringbuf_reserve_dynptr(void *ringbuf, u32 size, u64 flags, struct bpf_dynptr *ptr)`
#[kernel_helper(198)]
pub fn bpf_ringbuf_reserve_dynptr(ringbuf: *mut c_void, size: u32, flags: u64, ptr: *mut c_void) -> i64;

/// `void bpf_ringbuf_submit_dynptr(struct bpf_dynptr *ptr, u64 flags)`
#[kernel_helper(199)]
pub fn bpf_ringbuf_submit_dynptr(ptr: *mut c_void, flags: u64);

/// `void bpf_ringbuf_discard_dynptr(struct bpf_dynptr *ptr, u64 flags)`
#[kernel_helper(200)]
pub fn bpf_ringbuf_discard_dynptr(ptr: *mut c_void, flags: u64);

/// `long bpf_dynptr_read(void *dst, u32 len, struct bpf_dynptr *src, u32 offset, u64 flags)`
#[kernel_helper(201)]
pub fn bpf_dynptr_read(dst: *mut c_void, len: u32, src: *mut c_void, offset: u32, flags: u64) -> i64;

/// `long bpf_dynptr_write(struct bpf_dynptr *dst, u32 offset, void *src, u32 len, u64 flags)`
#[kernel_helper(202)]
pub fn bpf_dynptr_write(dst: *mut c_void, offset: u32, src: *mut c_void, len: u32, flags: u64) -> i64;

/// `void *bpf_dynptr_data(struct bpf_dynptr *ptr, u32 offset, u32 len)`
#[kernel_helper(203)]
pub fn bpf_dynptr_data(ptr: *mut c_void, offset: u32, len: u32) -> *mut c_void;

/// `s64 bpf_tcp_raw_gen_syncookie_ipv4(struct iphdr *iph, struct tcphdr *th, u32 th_len)`
#[kernel_helper(204)]
pub fn bpf_tcp_raw_gen_syncookie_ipv4(iph: *mut c_void, th: *mut c_void, th_len: u32) -> i64;

/// `s64 bpf_tcp_raw_gen_syncookie_ipv6(struct ipv6hdr *iph, struct tcphdr *th, u32 th_len)`
#[kernel_helper(205)]
pub fn bpf_tcp_raw_gen_syncookie_ipv6(iph: *mut c_void, th: *mut c_void, th_len: u32) -> i64;

/// `long bpf_tcp_raw_check_syncookie_ipv4(struct iphdr *iph, struct tcphdr *th)`
#[kernel_helper(206)]
pub fn bpf_tcp_raw_check_syncookie_ipv4(iph: *mut c_void, th: *mut c_void) -> i64;

/// `long bpf_tcp_raw_check_syncookie_ipv6(struct ipv6hdr *iph, struct tcphdr *th)`
#[kernel_helper(207)]
pub fn bpf_tcp_raw_check_syncookie_ipv6(iph: *mut c_void, th: *mut c_void) -> i64;

/// `u64 bpf_ktime_get_tai_ns(void)`
#[kernel_helper(208)]
pub fn bpf_ktime_get_tai_ns() -> u64;

/// `long bpf_user_ringbuf_drain(struct bpf_map *map, void *callback_fn, void *ctx, u64 flags)`
#[kernel_helper(209)]
pub fn bpf_user_ringbuf_drain(map: *mut c_void, callback_fn: *mut c_void, ctx: *mut c_void, flags: u64) -> i64;

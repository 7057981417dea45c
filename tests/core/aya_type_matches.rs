//! A TYPE_MATCHES query for aya's loader: an XDP program returning
//! whether the kernel's `list_head` matches the local one.

#![no_std]
#![no_main]
#![allow(non_camel_case_types)]

#[path = "../../example/bpf/shared/program.rs"]
mod program;
#[path = "../../example/bpf/shared/xdp.rs"]
mod xdp;

use xdp::XdpMd;

#[btf::relocatable]
pub struct list_head {
    pub next: *const list_head,
    pub prev: *const list_head,
}

#[unsafe(no_mangle)]
#[unsafe(link_section = "xdp")]
pub extern "C" fn core_type_matches(_ctx: *mut XdpMd) -> u32 {
    btf::type_matches!(list_head) as u32
}

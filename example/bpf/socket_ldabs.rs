//! Classic packet loads (`bpf_builtins::load_byte/half/word`, which become
//! `BPF_LD|BPF_ABS` at constant offsets and `BPF_LD|BPF_IND` at variable
//! ones) in a socket filter. The first byte of the network header chooses
//! what the program returns:
//!
//! - 1: the word at offset 1 (`BPF_ABS|W`);
//! - 2: the half word at offset 1 (`BPF_ABS|H`);
//! - 3: the byte at offset 1 (`BPF_ABS|B`);
//! - 4: the word at the offset held in byte 1 (`BPF_IND|W`);
//! - 5: the half word at that offset plus 2 (`BPF_IND|H`);
//! - 6: the sum of the bytes at that offset and the next (`BPF_IND|B`);
//! - anything else: 0xffff_ffff.
//!
//! Offsets count from the network header, as the loads do.

#![no_std]
#![no_main]

#[path = "shared/program.rs"]
mod program;

use bpf_builtins::{load_byte, load_half, load_word};

#[unsafe(no_mangle)]
#[unsafe(link_section = "socket")]
pub extern "C" fn socket_ldabs(_skb: *mut u8) -> u32 {
    let offset = load_byte(1);
    let value = match load_byte(0) {
        1 => load_word(1),
        2 => load_half(1),
        3 => load_byte(1),
        4 => load_word(offset),
        5 => load_half(offset + 2),
        6 => load_byte(offset) + load_byte(offset + 1),
        _ => 0xffff_ffff,
    };
    value as u32
}

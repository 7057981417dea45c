//! The calling convention of BPF-to-BPF calls made by this backend.
//!
//! Values travel as 64-bit words: integers up to 64 bits and `f32`/`f64`
//! bit patterns take one word, `i128` takes two (low word first). Integers
//! narrower than 64 bits are always zero-extended to the full register
//! (the backend keeps every narrow value that way), whatever the
//! signature's `uext`/`sext` flags say.
//!
//! - **Returns.** No word: r0 is still set (to 0), as the verifier wants.
//!   One word: r0. More (an `i128`, or several CLIF returns): the caller
//!   passes a pointer to a return area in its own frame as a hidden first
//!   argument; the callee stores word `i` at `[ptr + 8*i]` and sets r0 = 0.
//!   The caller zeroes the area before the call so that a callee leaving
//!   through a trap never makes the caller read uninitialised stack.
//! - **Arguments**, after the hidden return pointer: words in r1..r5 in
//!   order. When there are more than five words, r1..r4 carry the first
//!   four and r5 carries a pointer to a block in the caller's frame that
//!   holds the remaining words at 8-byte steps. (The verifier lets a callee
//!   read its caller's stack through such a pointer.)
//! - `StructArgument` parameters are passed as the pointer CLIF gives, with
//!   no copy: the caller's lowering already made one.
//! - r6-r9 survive calls (the kernel saves them per frame), r1-r5 do not.
//!
//! Kernel helpers follow the kernel's own convention instead: at most five
//! register arguments, the result in r0.

use cranelift_codegen::ir::{Signature, Type, types};

/// Words of a value of type `ty`.
pub(crate) fn words_of(ty: Type) -> usize {
    if ty == types::I128 { 2 } else { 1 }
}

/// How results come back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetKind {
    None,
    R0,
    /// Through a caller-provided area of this many words.
    Area(usize),
}

pub(crate) fn ret_kind(rets: &[Type]) -> RetKind {
    match rets.iter().map(|t| words_of(*t)).sum::<usize>() {
        0 => RetKind::None,
        1 => RetKind::R0,
        n => RetKind::Area(n),
    }
}

/// Where the argument words (including a hidden return pointer) go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ArgLayout {
    /// Words in r1.. (at most 5; when `stack` > 0, r5 is the block pointer
    /// and this is 4).
    pub(crate) regs: usize,
    /// Words in the caller's block pointed to by r5.
    pub(crate) stack: usize,
}

pub(crate) fn arg_layout(words: usize) -> ArgLayout {
    if words <= 5 {
        ArgLayout {
            regs: words,
            stack: 0,
        }
    } else {
        ArgLayout {
            regs: 4,
            stack: words - 4,
        }
    }
}

pub(crate) fn return_types(sig: &Signature) -> Vec<Type> {
    sig.returns.iter().map(|p| p.value_type).collect()
}

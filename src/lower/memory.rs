//! Bulk memory operations: copies of aggregates, `copy`/`copy_nonoverlapping`
//! and `write_bytes`. Constant small sizes are expanded inline, and on
//! targets that ask for it ([`TargetInfo::inline_memory_ops`]) every constant
//! size up to [`INLINE_LIMIT`]; the rest call the C library routines.
//!
//! [`TargetInfo::inline_memory_ops`]: super::target::TargetInfo

use cranelift_codegen::ir::{InstBuilder, InstructionData, MemFlags, Opcode, Value, types};

use super::FunctionCx;
use super::pointer::Pointer;

/// The largest constant size expanded inline when the target asks for it.
const INLINE_LIMIT: u64 = 1024;

/// The largest constant `memmove` expanded inline (every byte is loaded
/// before the first store, so overlap does not matter).
const INLINE_MOVE_LIMIT: u64 = 64;

/// Copies `size` bytes from `src` to `dest` (non-overlapping).
pub(crate) fn copy_memory(
    fx: &mut FunctionCx<'_, '_, '_>,
    dest: Pointer,
    src: Pointer,
    size: u64,
    align: u64,
) {
    if size == 0 {
        return;
    }
    let dest = dest.get_addr(fx);
    let src = src.get_addr(fx);
    if fx.target.inline_memory_ops && size <= INLINE_LIMIT {
        inline_copy(fx, dest, src, size, align, false);
        return;
    }
    let align = u8::try_from(align.min(128)).unwrap_or(8);
    let config = fx.module.target_config();
    fx.bcx
        .emit_small_memory_copy(config, dest, src, size, align, align, true, MemFlags::new());
}

/// The size and alignment of the elements a bulk operation works on.
#[derive(Clone, Copy)]
pub(crate) struct Elem {
    pub(crate) size: u64,
    pub(crate) align: u64,
}

impl Elem {
    pub(crate) fn of(layout: rustc_abi::TyAndLayout<'_, rustc_middle::ty::Ty<'_>>) -> Elem {
        Elem {
            size: layout.size.bytes(),
            align: layout.align.abi.bytes(),
        }
    }
}

/// `memcpy`/`memmove` of `count` elements.
pub(crate) fn copy_dynamic(
    fx: &mut FunctionCx<'_, '_, '_>,
    dest: Value,
    src: Value,
    count: Value,
    elem: Elem,
    overlapping: bool,
) {
    if fx.target.inline_memory_ops
        && let Some(size) = constant_bytes(fx, count, elem)
    {
        let limit = if overlapping {
            INLINE_MOVE_LIMIT
        } else {
            INLINE_LIMIT
        };
        if size <= limit {
            inline_copy(fx, dest, src, size, elem.align, overlapping);
            return;
        }
    }
    let bytes = fx.bcx.ins().imul_imm(count, elem.size as i64);
    let config = fx.module.target_config();
    if overlapping {
        fx.bcx.call_memmove(config, dest, src, bytes);
    } else {
        fx.bcx.call_memcpy(config, dest, src, bytes);
    }
}

/// `memset` of `count` elements with `byte`.
pub(crate) fn fill_dynamic(
    fx: &mut FunctionCx<'_, '_, '_>,
    dest: Value,
    byte: Value,
    count: Value,
    elem: Elem,
) {
    if fx.target.inline_memory_ops
        && let Some(size) = constant_bytes(fx, count, elem)
        && size <= INLINE_LIMIT
    {
        inline_fill(fx, dest, byte, size, elem.align);
        return;
    }
    let bytes = fx.bcx.ins().imul_imm(count, elem.size as i64);
    let config = fx.module.target_config();
    fx.bcx.call_memset(config, dest, byte, bytes);
}

/// The byte count of `count` elements when `count` is a constant.
fn constant_bytes(fx: &FunctionCx<'_, '_, '_>, count: Value, elem: Elem) -> Option<u64> {
    constant_of(fx, count)?.checked_mul(elem.size)
}

/// The value of `v` when it is an integer constant.
fn constant_of(fx: &FunctionCx<'_, '_, '_>, v: Value) -> Option<u64> {
    let dfg = &fx.bcx.func.dfg;
    let inst = dfg.value_def(v).inst()?;
    match dfg.insts[inst] {
        InstructionData::UnaryImm {
            opcode: Opcode::Iconst,
            imm,
        } => u64::try_from(imm.bits()).ok(),
        _ => None,
    }
}

/// The accesses covering `size` bytes: `(offset, width)` pairs, each width
/// a power of two no larger than `align` (so every access is aligned when
/// the pointers are) and no larger than 8.
fn chunks(size: u64, align: u64) -> impl Iterator<Item = (u64, u64)> {
    let max = align.clamp(1, 8);
    let mut offset = 0;
    std::iter::from_fn(move || {
        if offset >= size {
            return None;
        }
        let mut width = max;
        while width > size - offset {
            width /= 2;
        }
        let chunk = (offset, width);
        offset += width;
        Some(chunk)
    })
}

fn int_type(width: u64) -> types::Type {
    match width {
        1 => types::I8,
        2 => types::I16,
        4 => types::I32,
        _ => types::I64,
    }
}

/// Loads and stores for a copy of constant size; with `all_loads_first`
/// every byte is read before anything is written (a `memmove`).
fn inline_copy(
    fx: &mut FunctionCx<'_, '_, '_>,
    dest: Value,
    src: Value,
    size: u64,
    align: u64,
    all_loads_first: bool,
) {
    let flags = MemFlags::trusted();
    let pieces: Vec<(u64, u64)> = chunks(size, align).collect();
    if all_loads_first {
        let loaded: Vec<Value> = pieces
            .iter()
            .map(|&(off, w)| fx.bcx.ins().load(int_type(w), flags, src, off as i32))
            .collect();
        for (&(off, _), v) in pieces.iter().zip(loaded) {
            fx.bcx.ins().store(flags, v, dest, off as i32);
        }
    } else {
        for (off, w) in pieces {
            let v = fx.bcx.ins().load(int_type(w), flags, src, off as i32);
            fx.bcx.ins().store(flags, v, dest, off as i32);
        }
    }
}

/// Stores of `byte` repeated over `size` bytes at `align`-aligned `dest`.
fn inline_fill(fx: &mut FunctionCx<'_, '_, '_>, dest: Value, byte: Value, size: u64, align: u64) {
    let byte64 = match constant_of(fx, byte) {
        Some(b) => fx
            .bcx
            .ins()
            .iconst(types::I64, ((b & 0xff) * 0x0101_0101_0101_0101) as i64),
        None => {
            let wide = fx.bcx.ins().uextend(types::I64, byte);
            fx.bcx.ins().imul_imm(wide, 0x0101_0101_0101_0101)
        }
    };
    let flags = MemFlags::trusted();
    for (off, w) in chunks(size, align) {
        let v = if w == 8 {
            byte64
        } else {
            fx.bcx.ins().ireduce(int_type(w), byte64)
        };
        fx.bcx.ins().store(flags, v, dest, off as i32);
    }
}

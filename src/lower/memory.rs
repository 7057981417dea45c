//! Bulk memory operations: copies of aggregates, `copy`/`copy_nonoverlapping`
//! and `write_bytes`. Constant small sizes are expanded inline; the rest call
//! the C library routines.

use cranelift_codegen::ir::{MemFlags, Value};

use super::FunctionCx;
use super::pointer::Pointer;

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
    let align = u8::try_from(align.min(128)).unwrap_or(8);
    let config = fx.module.target_config();
    fx.bcx
        .emit_small_memory_copy(config, dest, src, size, align, align, true, MemFlags::new());
}

/// `memcpy`/`memmove` of a dynamic byte count.
pub(crate) fn copy_dynamic(
    fx: &mut FunctionCx<'_, '_, '_>,
    dest: Value,
    src: Value,
    bytes: Value,
    overlapping: bool,
) {
    let config = fx.module.target_config();
    if overlapping {
        fx.bcx.call_memmove(config, dest, src, bytes);
    } else {
        fx.bcx.call_memcpy(config, dest, src, bytes);
    }
}

/// `memset(dest, byte, bytes)`.
pub(crate) fn fill_dynamic(
    fx: &mut FunctionCx<'_, '_, '_>,
    dest: Value,
    byte: Value,
    bytes: Value,
) {
    let config = fx.module.target_config();
    fx.bcx.call_memset(config, dest, byte, bytes);
}

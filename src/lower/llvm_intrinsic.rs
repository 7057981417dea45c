//! Calls to foreign functions named `llvm.*`: LLVM intrinsics that Rust code
//! (`core::arch`) reaches through `extern "unadjusted"` declarations. The
//! few the backend knows are lowered inline; any other is a clear error at
//! its call site instead of an undefined symbol at link time. Vector ones
//! work lane by lane, like the portable SIMD intrinsics (`super::simd`). The eBPF
//! machine lowering recognises `llvm.bpf.*` calls itself, so those are left
//! as calls.

use rustc_middle::mir::{self, Operand};
use rustc_middle::ty::Instance;
use rustc_span::Spanned;

use super::FunctionCx;
use super::abi::jump_or_trap;

/// The prefix of the intrinsics the eBPF machine lowering implements.
const MACHINE_LOWERED: &str = "llvm.bpf.";

/// Lowers a call to `instance` when it is an LLVM intrinsic; returns
/// whether it was one (and the call is then fully lowered).
pub(crate) fn lower_llvm_intrinsic<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    instance: Instance<'tcx>,
    args: &[Spanned<Operand<'tcx>>],
    destination: mir::Place<'tcx>,
    target: Option<mir::BasicBlock>,
) -> bool {
    if !fx.tcx.is_foreign_item(instance.def_id()) {
        return false;
    }
    let name = fx.tcx.symbol_name(instance).name;
    if !name.starts_with("llvm.") || name.starts_with(MACHINE_LOWERED) {
        return false;
    }
    match name {
        // A spin-wait hint: doing nothing is a correct implementation.
        "llvm.x86.sse2.pause" => jump_or_trap(fx, target),
        // pshufb: each byte of the result is the byte of `a` (within the
        // same 16-byte half) that the index byte of `b` selects, or zero
        // when the index has its top bit set.
        "llvm.x86.ssse3.pshuf.b.128" | "llvm.x86.avx2.pshuf.b" => {
            let dest = super::rvalue::lower_place(fx, destination);
            let a = super::rvalue::lower_operand(fx, &args[0].node);
            let b = super::rvalue::lower_operand(fx, &args[1].node);
            super::simd::byte_shuffle(fx, a, b, dest);
            jump_or_trap(fx, target);
        }
        _ => {
            fx.unsupported(format!("the LLVM intrinsic `{name}`"));
            fx.trap_unreachable();
        }
    }
    true
}

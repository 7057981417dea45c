//! The one place that knows how trait-object vtables are laid out.
//!
//! Vtables are the allocations rustc's `vtable_allocation` describes:
//! pointer-sized entries `[drop_in_place, size, align, methods...]`, with
//! super-trait vtable pointers among the entries for upcasting. Constants,
//! statics and runtime code all reach vtables through this module.

use cranelift_codegen::ir::{InstBuilder, MemFlags, Value};
use rustc_const_eval::interpret::AllocId;
use rustc_middle::ty::{self, Ty, TyCtxt};

use crate::lower::FunctionCx;

/// The constant allocation holding the vtable of `ty` as `dyn_ty`.
pub(crate) fn vtable_alloc_id<'tcx>(
    tcx: TyCtxt<'tcx>,
    ty: Ty<'tcx>,
    dyn_ty: &'tcx ty::List<ty::PolyExistentialPredicate<'tcx>>,
) -> AllocId {
    let principal = dyn_ty
        .principal()
        .map(|p| tcx.instantiate_bound_regions_with_erased(p));
    tcx.vtable_allocation((ty, principal))
}

/// The address of the vtable of `ty` for the trait object type `dyn_ty`.
pub(crate) fn vtable_address<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    ty: Ty<'tcx>,
    dyn_ty: Ty<'tcx>,
) -> Value {
    let ty::Dynamic(preds, ..) = dyn_ty.kind() else {
        fx.bug(format!("vtable for non-trait-object type `{dyn_ty}`"))
    };
    let alloc_id = vtable_alloc_id(fx.tcx, ty, preds);
    crate::lower::alloc_address(fx, alloc_id, 0)
        .unwrap_or_else(|| fx.bug("vtable without address".into()))
}

fn load_entry(fx: &mut FunctionCx<'_, '_, '_>, vtable: Value, index: usize) -> Value {
    let offset = (index as u64 * fx.target.pointer_bytes) as i32;
    let flags = MemFlags::trusted().with_readonly();
    fx.bcx.ins().load(fx.ptr_ty, flags, vtable, offset)
}

/// The `drop_in_place` entry (null when the type needs no drop).
pub(crate) fn load_drop_in_place(fx: &mut FunctionCx<'_, '_, '_>, vtable: Value) -> Value {
    load_entry(fx, vtable, ty::COMMON_VTABLE_ENTRIES_DROPINPLACE)
}

pub(crate) fn load_size(fx: &mut FunctionCx<'_, '_, '_>, vtable: Value) -> Value {
    load_entry(fx, vtable, ty::COMMON_VTABLE_ENTRIES_SIZE)
}

pub(crate) fn load_align(fx: &mut FunctionCx<'_, '_, '_>, vtable: Value) -> Value {
    load_entry(fx, vtable, ty::COMMON_VTABLE_ENTRIES_ALIGN)
}

/// Method entry `index` (rustc's vtable slot index).
pub(crate) fn load_method(fx: &mut FunctionCx<'_, '_, '_>, vtable: Value, index: usize) -> Value {
    load_entry(fx, vtable, index)
}

/// The vtable of a super-trait, stored in slot `index` (trait upcasting).
pub(crate) fn load_supertrait_vtable(
    fx: &mut FunctionCx<'_, '_, '_>,
    vtable: Value,
    index: usize,
) -> Value {
    load_entry(fx, vtable, index)
}

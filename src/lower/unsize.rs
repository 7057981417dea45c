//! Unsizing coercions (`&[T; N]` -> `&[T]`, `&T` -> `&dyn Trait`, trait
//! upcasting, `CoerceUnsized` structs), sizes of unsized values, and the
//! receiver of virtual calls.

use cranelift_codegen::ir::{InstBuilder, Value};
use rustc_abi::{BackendRepr, FieldIdx, Size};
use rustc_middle::ty::layout::{LayoutOf, TyAndLayout};
use rustc_middle::ty::{self, Ty};

use super::FunctionCx;
use super::place::Place;
use super::value::Val;

/// Writes `src` coerced to `dst`'s unsized-pointer type into `dst`.
pub(crate) fn coerce_unsized_into<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    src: Val<'tcx>,
    dst: Place<'tcx>,
) {
    let src_ty = src.layout.ty;
    let dst_ty = dst.layout.ty;
    match (pointee(fx, src_ty), pointee(fx, dst_ty)) {
        (Some(src_pointee), Some(dst_pointee)) => {
            let (data, old_meta) = match src.layout.backend_repr {
                BackendRepr::ScalarPair(..) => {
                    let (d, m) = src.load_scalar_pair(fx);
                    (d, Some(m))
                }
                _ => (src.load_scalar(fx), None),
            };
            let (data, meta) = unsize_ptr(fx, data, old_meta, src_pointee, dst_pointee);
            dst.write_val(fx, Val::by_val_pair(data, meta, dst.layout));
        }
        _ => {
            // A `CoerceUnsized` struct: coerce the one field that changes.
            let ty::Adt(def, _) = src_ty.kind() else {
                fx.bug(format!("unsizing `{src_ty}` to `{dst_ty}`"))
            };
            if dst.try_memory().is_none() {
                // A destination in SSA variables has no fields to write one
                // by one: coerce through a stack temporary.
                let tmp = Place::new_stack_slot(fx, dst.layout);
                coerce_unsized_into(fx, src, tmp);
                let val = tmp.to_val(fx);
                dst.write_val(fx, val);
                return;
            }
            for i in 0..def.non_enum_variant().fields.len() {
                let field = FieldIdx::from_usize(i);
                let src_field = src.field(fx, field);
                let dst_field = dst.field(fx, field);
                if src_field.layout.is_zst() {
                    continue;
                }
                if src_field.layout.ty == dst_field.layout.ty {
                    dst_field.write_val(fx, src_field);
                } else {
                    coerce_unsized_into(fx, src_field, dst_field);
                }
            }
        }
    }
}

/// What a pointer type points to, also through a pattern type (`NonNull`
/// holds a `*const T is !null`). A `Box` counts as a pointer only when its
/// allocator is zero-sized: `Box<T, &A>` carries the allocator beside the
/// pointer and is coerced field by field.
fn pointee<'tcx>(fx: &FunctionCx<'_, '_, 'tcx>, ty: Ty<'tcx>) -> Option<Ty<'tcx>> {
    match ty.kind() {
        ty::Pat(base, _) => base.builtin_deref(true),
        ty::Adt(_, args) if ty.is_box() => {
            let allocator = fx.layout_of(args.type_at(1));
            if allocator.is_zst() {
                ty.builtin_deref(true)
            } else {
                None
            }
        }
        _ => ty.builtin_deref(true),
    }
}

/// The data pointer and metadata of a pointer to `src` coerced to `dst`.
fn unsize_ptr<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    data: Value,
    old_meta: Option<Value>,
    src: Ty<'tcx>,
    dst: Ty<'tcx>,
) -> (Value, Value) {
    let (src, dst) =
        fx.tcx
            .struct_lockstep_tails_for_codegen(src, dst, ty::TypingEnv::fully_monomorphized());
    match (src.kind(), dst.kind()) {
        (ty::Array(_, len), ty::Slice(_)) => {
            let len = fx
                .monomorphize(*len)
                .try_to_target_usize(fx.tcx)
                .unwrap_or_else(|| fx.bug("array length".into()));
            (data, fx.bcx.ins().iconst(fx.ptr_ty, len as i64))
        }
        (ty::Dynamic(src_preds, ..), ty::Dynamic(dst_preds, ..)) => {
            let old = old_meta.unwrap_or_else(|| fx.bug("trait object without vtable".into()));
            if src_preds.principal_def_id() == dst_preds.principal_def_id()
                || dst_preds.principal().is_none()
            {
                return (data, old);
            }
            match fx.tcx.supertrait_vtable_slot((src, dst)) {
                Some(slot) => (data, crate::vtable::load_supertrait_vtable(fx, old, slot)),
                None => (data, old),
            }
        }
        (_, ty::Dynamic(..)) => (data, crate::vtable::vtable_address(fx, src, dst)),
        _ => fx.bug(format!("unsizing `{src}` to `{dst}`")),
    }
}

/// Data pointer and vtable of a virtual call's receiver (`&dyn Trait`,
/// `Box<dyn Trait>`, `Pin<&mut dyn Trait>`...).
pub(crate) fn receiver_parts<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    mut receiver: Val<'tcx>,
) -> (Value, Value) {
    // A `dyn Trait` moved by value (`unsized_fn_params`, as `Box<dyn
    // FnOnce>` calls it): the callee's vtable shim takes its address.
    if !receiver.layout.is_sized()
        && let Some((ptr, Some(vtable))) = receiver.try_to_ptr()
    {
        return (ptr.get_addr(fx), vtable);
    }
    loop {
        if receiver.layout.ty.builtin_deref(true).is_some() || receiver.layout.ty.is_any_ptr() {
            return receiver.load_scalar_pair(fx);
        }
        // Descend into the one non-zero-sized field of a wrapper struct.
        let layout = receiver.layout;
        let field = (0..layout.fields.count())
            .find(|&i| !layout.field(fx, i).is_zst())
            .unwrap_or_else(|| fx.bug(format!("receiver `{}` without a pointer", layout.ty)));
        receiver = receiver.field(fx, FieldIdx::from_usize(field));
    }
}

/// `(size, align)` of a value of `layout` whose metadata is `meta`.
pub(crate) fn size_and_align_of<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    layout: TyAndLayout<'tcx>,
    meta: Option<Value>,
) -> (Value, Value) {
    if layout.is_sized() {
        let size = fx.bcx.ins().iconst(fx.ptr_ty, layout.size.bytes() as i64);
        let align = fx
            .bcx
            .ins()
            .iconst(fx.ptr_ty, layout.align.abi.bytes() as i64);
        return (size, align);
    }
    let meta = meta.unwrap_or_else(|| fx.bug(format!("unsized `{}` without metadata", layout.ty)));
    match layout.ty.kind() {
        ty::Dynamic(..) => (
            crate::vtable::load_size(fx, meta),
            crate::vtable::load_align(fx, meta),
        ),
        ty::Slice(_) | ty::Str => {
            let elem = layout.field(fx, 0);
            let size = fx.bcx.ins().imul_imm(meta, elem.size.bytes() as i64);
            let align = fx_iconst(fx, elem.align.abi.bytes());
            (size, align)
        }
        _ => {
            // A struct with an unsized last field.
            let last = layout.fields.count() - 1;
            let tail = layout.field(fx, last);
            let offset = layout.fields.offset(last).bytes();
            let (tail_size, tail_align) = size_and_align_of(fx, tail, Some(meta));
            let sized_align = fx
                .bcx
                .ins()
                .iconst(fx.ptr_ty, layout.align.abi.bytes() as i64);
            let bigger = fx.bcx.ins().icmp(
                cranelift_codegen::ir::condcodes::IntCC::UnsignedGreaterThan,
                sized_align,
                tail_align,
            );
            let align = fx.bcx.ins().select(bigger, sized_align, tail_align);
            // The tail starts at `offset` rounded up to its alignment.
            let offset = fx_iconst(fx, offset);
            let tail_offset = round_up(fx, offset, tail_align);
            let unpadded = fx.bcx.ins().iadd(tail_offset, tail_size);
            let size = round_up(fx, unpadded, align);
            (size, align)
        }
    }
}

fn fx_iconst(fx: &mut FunctionCx<'_, '_, '_>, v: u64) -> Value {
    fx.bcx.ins().iconst(fx.ptr_ty, v as i64)
}

/// `(v + align - 1) & !(align - 1)` for a power-of-two `align`.
fn round_up(fx: &mut FunctionCx<'_, '_, '_>, v: Value, align: Value) -> Value {
    let mask = fx.bcx.ins().iadd_imm(align, -1);
    let sum = fx.bcx.ins().iadd(v, mask);
    let not_mask = fx.bcx.ins().bnot(mask);
    fx.bcx.ins().band(sum, not_mask)
}

/// Address of the unsized last field of a struct at `base`.
pub(crate) fn unsized_field_addr<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    base: Value,
    field: TyAndLayout<'tcx>,
    offset: Size,
    meta: Value,
) -> Value {
    // Slices and str have a static alignment; trait objects (possibly
    // nested in structs) align the field dynamically.
    let static_align = matches!(field.ty.kind(), ty::Slice(_) | ty::Str)
        || !matches!(
            fx.tcx
                .struct_tail_for_codegen(field.ty, ty::TypingEnv::fully_monomorphized())
                .kind(),
            ty::Dynamic(..)
        );
    if static_align {
        return fx.bcx.ins().iadd_imm(base, offset.bytes() as i64);
    }
    let (_, align) = size_and_align_of(fx, field, Some(meta));
    let off = fx_iconst(fx, offset.bytes());
    let off = round_up(fx, off, align);
    fx.bcx.ins().iadd(base, off)
}

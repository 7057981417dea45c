//! Places during lowering: a local held in SSA variables (never borrowed,
//! scalar or scalar-pair layout) or memory at a pointer (with metadata for
//! unsized places). Projections, reads and writes live here.

use cranelift_codegen::ir::{InstBuilder, StackSlotData, StackSlotKind, Value};
use cranelift_frontend::Variable;
use rustc_abi::{BackendRepr, FieldIdx, FieldsShape, VariantIdx};
use rustc_middle::ty::layout::{LayoutOf, TyAndLayout};

use super::FunctionCx;
use super::layout_cx::scalar_clif_ty;
use super::pointer::Pointer;
use super::value::{Val, mem_flags, pair_b_offset};

#[derive(Clone, Copy, Debug)]
enum Repr {
    Var(Variable),
    VarPair(Variable, Variable),
    Addr(Pointer, Option<Value>),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Place<'tcx> {
    repr: Repr,
    pub(crate) layout: TyAndLayout<'tcx>,
}

impl<'tcx> Place<'tcx> {
    pub(crate) fn for_ptr(ptr: Pointer, layout: TyAndLayout<'tcx>) -> Self {
        Place {
            repr: Repr::Addr(ptr, None),
            layout,
        }
    }

    pub(crate) fn for_ptr_with_meta(ptr: Pointer, meta: Value, layout: TyAndLayout<'tcx>) -> Self {
        Place {
            repr: Repr::Addr(ptr, Some(meta)),
            layout,
        }
    }

    /// The stack slot holding this place, when it is a whole slot.
    pub(crate) fn stack_slot(&self) -> Option<cranelift_codegen::ir::StackSlot> {
        match self.repr {
            Repr::Addr(ptr, None) => ptr.as_stack_slot(),
            _ => None,
        }
    }

    /// A fresh stack slot for a sized layout.
    pub(crate) fn new_stack_slot(
        fx: &mut FunctionCx<'_, '_, 'tcx>,
        layout: TyAndLayout<'tcx>,
    ) -> Self {
        if layout.is_zst() {
            return Place::for_ptr(Pointer::dangling(layout.align.abi), layout);
        }
        let ptr = fx.create_stack_slot(layout.size.bytes() as u32, layout.align.abi.bytes() as u32);
        Place::for_ptr(ptr, layout)
    }

    /// A local kept in SSA variables.
    pub(crate) fn new_var(fx: &mut FunctionCx<'_, '_, 'tcx>, layout: TyAndLayout<'tcx>) -> Self {
        match layout.backend_repr {
            BackendRepr::Scalar(s) => {
                let ty = scalar_clif_ty(fx.tcx, s);
                Place {
                    repr: Repr::Var(fx.bcx.declare_var(ty)),
                    layout,
                }
            }
            BackendRepr::ScalarPair(a, b) => {
                let a = fx.bcx.declare_var(scalar_clif_ty(fx.tcx, a));
                let b = fx.bcx.declare_var(scalar_clif_ty(fx.tcx, b));
                Place {
                    repr: Repr::VarPair(a, b),
                    layout,
                }
            }
            _ => fx.bug(format!("SSA local of memory layout `{}`", layout.ty)),
        }
    }

    pub(crate) fn to_val(self, fx: &mut FunctionCx<'_, '_, 'tcx>) -> Val<'tcx> {
        match self.repr {
            Repr::Var(v) => Val::by_val(fx.bcx.use_var(v), self.layout),
            Repr::VarPair(a, b) => {
                let a = fx.bcx.use_var(a);
                let b = fx.bcx.use_var(b);
                Val::by_val_pair(a, b, self.layout)
            }
            Repr::Addr(ptr, None) => Val::by_ref(ptr, self.layout),
            Repr::Addr(ptr, Some(meta)) => Val::by_ref_unsized(ptr, meta, self.layout),
        }
    }

    pub(crate) fn to_ptr(self, fx: &FunctionCx<'_, '_, 'tcx>) -> Pointer {
        match self.repr {
            Repr::Addr(ptr, None) => ptr,
            _ => fx.bug(format!(
                "address of a non-memory place of `{}`",
                self.layout.ty
            )),
        }
    }

    pub(crate) fn to_ptr_maybe_unsized(
        self,
        fx: &FunctionCx<'_, '_, 'tcx>,
    ) -> (Pointer, Option<Value>) {
        match self.repr {
            Repr::Addr(ptr, meta) => (ptr, meta),
            _ => fx.bug(format!(
                "address of a non-memory place of `{}`",
                self.layout.ty
            )),
        }
    }

    /// The place reinterpreted with another layout (same storage).
    pub(crate) fn with_layout(self, layout: TyAndLayout<'tcx>) -> Self {
        Place {
            repr: self.repr,
            layout,
        }
    }

    /// Stores `val` into the place. The value's layout may differ from the
    /// place's (transmutes, subtyping) but must have the same size.
    pub(crate) fn write_val(self, fx: &mut FunctionCx<'_, '_, 'tcx>, val: Val<'tcx>) {
        if self.layout.is_zst() {
            return;
        }
        match self.repr {
            Repr::Var(var) => {
                let current = fx.bcx.use_var(var);
                let want = fx.bcx.func.dfg.value_type(current);
                let v = match val.layout.backend_repr {
                    BackendRepr::Scalar(_) => val.load_scalar(fx),
                    _ => val.transmute(fx, self.layout).load_scalar(fx),
                };
                let v = fx.bitcast_to(v, want);
                fx.bcx.def_var(var, v);
            }
            Repr::VarPair(va, vb) => {
                let (a, b) = match val.layout.backend_repr {
                    BackendRepr::ScalarPair(..) => val.load_scalar_pair(fx),
                    _ => val.transmute(fx, self.layout).load_scalar_pair(fx),
                };
                fx.bcx.def_var(va, a);
                fx.bcx.def_var(vb, b);
            }
            Repr::Addr(ptr, _) => write_to_memory(fx, ptr, val),
        }
    }

    pub(crate) fn field(self, fx: &mut FunctionCx<'_, '_, 'tcx>, field: FieldIdx) -> Place<'tcx> {
        let field_layout = self.layout.field(fx, field.index());
        match self.repr {
            Repr::Addr(ptr, meta) => {
                let offset = self.layout.fields.offset(field.index());
                if let (true, Some(meta)) = (field_layout.is_unsized(), meta) {
                    // The tail of an unsized struct: its offset depends on the
                    // dynamic alignment of the tail. (An extern type tail has
                    // no metadata.)
                    let base = ptr.get_addr(fx);
                    let addr =
                        super::unsize::unsized_field_addr(fx, base, field_layout, offset, meta);
                    Place::for_ptr_with_meta(Pointer::new(addr), meta, field_layout)
                } else {
                    if field_layout.is_unsized() && offset.bytes() != 0 {
                        // An extern type's alignment is unknown, and so is
                        // the offset of a field of that type.
                        super::intrinsics::extern_type_layout_panic(fx, field_layout.ty);
                    }
                    Place::for_ptr(ptr.offset_i64(fx, offset.bytes() as i64), field_layout)
                }
            }
            Repr::Var(_) | Repr::VarPair(..) => fx.bug(format!(
                "field projection of SSA local `{}`",
                self.layout.ty
            )),
        }
    }

    pub(crate) fn downcast(
        self,
        fx: &mut FunctionCx<'_, '_, 'tcx>,
        variant: VariantIdx,
    ) -> Place<'tcx> {
        let layout = self.layout.for_variant(fx, variant);
        Place {
            repr: self.repr,
            layout,
        }
    }

    /// Element `index` of an array or slice place.
    pub(crate) fn index(self, fx: &mut FunctionCx<'_, '_, 'tcx>, index: Value) -> Place<'tcx> {
        let (ptr, elem_layout) = self.elem_base(fx);
        let stride = match self.layout.fields {
            FieldsShape::Array { stride, .. } => stride,
            _ => fx.bug(format!("index into non-array `{}`", self.layout.ty)),
        };
        let offset = fx.bcx.ins().imul_imm(index, stride.bytes() as i64);
        Place::for_ptr(ptr.offset_value(fx, offset), elem_layout)
    }

    pub(crate) fn const_index(self, fx: &mut FunctionCx<'_, '_, 'tcx>, index: u64) -> Place<'tcx> {
        let (ptr, elem_layout) = self.elem_base(fx);
        let stride = match self.layout.fields {
            FieldsShape::Array { stride, .. } => stride,
            _ => fx.bug(format!("index into non-array `{}`", self.layout.ty)),
        };
        Place::for_ptr(
            ptr.offset_i64(fx, (stride.bytes() * index) as i64),
            elem_layout,
        )
    }

    /// A subslice `[from..len-to]` (or `[from..to]` for arrays).
    pub(crate) fn subslice(
        self,
        fx: &mut FunctionCx<'_, '_, 'tcx>,
        from: u64,
        to: u64,
        from_end: bool,
        result_ty: rustc_middle::ty::Ty<'tcx>,
    ) -> Place<'tcx> {
        let (ptr, meta) = self.to_ptr_maybe_unsized(fx);
        let (_, elem_layout) = self.elem_base(fx);
        let stride = elem_layout.size.bytes();
        let ptr = ptr.offset_i64(fx, (from * stride) as i64);
        let layout = fx.layout_of(result_ty);
        match (self.layout.ty.kind(), meta) {
            (rustc_middle::ty::Array(..), _) => Place::for_ptr(ptr, layout),
            (rustc_middle::ty::Slice(..), Some(len)) => {
                debug_assert!(from_end);
                let new_len = fx.bcx.ins().iadd_imm(len, -((from + to) as i64));
                Place::for_ptr_with_meta(ptr, new_len, layout)
            }
            _ => fx.bug(format!("subslice of `{}`", self.layout.ty)),
        }
    }

    fn elem_base(self, fx: &mut FunctionCx<'_, '_, 'tcx>) -> (Pointer, TyAndLayout<'tcx>) {
        let elem = self.layout.field(fx, 0);
        let (ptr, _) = self.to_ptr_maybe_unsized(fx);
        (ptr, elem)
    }

    /// `*self`: loads the pointer (and metadata) stored in this place.
    pub(crate) fn deref(self, fx: &mut FunctionCx<'_, '_, 'tcx>) -> Place<'tcx> {
        let pointee_ty = self
            .layout
            .ty
            .builtin_deref(true)
            .unwrap_or_else(|| fx.bug(format!("deref of non-pointer `{}`", self.layout.ty)));
        let pointee = fx.layout_of(pointee_ty);
        let val = self.to_val(fx);
        if super::has_metadata(fx, pointee_ty) {
            let (addr, meta) = val.load_scalar_pair(fx);
            Place::for_ptr_with_meta(Pointer::new(addr), meta, pointee)
        } else {
            let addr = val.load_scalar(fx);
            Place::for_ptr(Pointer::new(addr), pointee)
        }
    }

    /// Writes `&self` (a thin or fat pointer) into `dest`.
    pub(crate) fn write_address_to(self, fx: &mut FunctionCx<'_, '_, 'tcx>, dest: Place<'tcx>) {
        let (ptr, meta) = self.to_ptr_maybe_unsized(fx);
        let addr = ptr.get_addr(fx);
        let val = match meta {
            Some(meta) => Val::by_val_pair(addr, meta, dest.layout),
            None => Val::by_val(addr, dest.layout),
        };
        dest.write_val(fx, val);
    }

    /// The address of a sized place in memory, if it is one.
    pub(crate) fn try_memory(&self) -> Option<Pointer> {
        match self.repr {
            Repr::Addr(ptr, None) => Some(ptr),
            _ => None,
        }
    }

    /// Whether both places are the same memory (same base and offset).
    pub(crate) fn same_storage(&self, other: &Place<'tcx>) -> bool {
        match (self.repr, other.repr) {
            (Repr::Addr(a, _), Repr::Addr(b, _)) => a.same_as(b),
            _ => false,
        }
    }
}

/// Stores `val` at `ptr`, following the value's own representation.
fn write_to_memory<'tcx>(fx: &mut FunctionCx<'_, '_, 'tcx>, ptr: Pointer, val: Val<'tcx>) {
    if let Some((src, _)) = val.try_to_ptr() {
        let size = val.layout.size.bytes();
        let align = val.layout.align.abi.bytes();
        super::memory::copy_memory(fx, ptr, src, size, align);
        return;
    }
    match val.layout.backend_repr {
        BackendRepr::Scalar(_) => {
            let v = val.load_scalar(fx);
            ptr.store(fx, v, mem_flags());
        }
        BackendRepr::ScalarPair(a, b) => {
            let (va, vb) = val.load_scalar_pair(fx);
            let off = pair_b_offset(fx, a, b);
            ptr.store(fx, va, mem_flags());
            ptr.offset_i64(fx, off.bytes() as i64)
                .store(fx, vb, mem_flags());
        }
        _ => fx.bug(format!("SSA value of memory layout `{}`", val.layout.ty)),
    }
}

impl FunctionCx<'_, '_, '_> {
    /// A stack slot of at least `size` bytes aligned to `align`.
    pub(crate) fn create_stack_slot(&mut self, size: u32, align: u32) -> Pointer {
        let align = align.max(1);
        let size = size.next_multiple_of(align);
        let slot = self.bcx.create_sized_stack_slot(StackSlotData::new(
            StackSlotKind::ExplicitSlot,
            size,
            align.ilog2() as u8,
        ));
        if self.in_body {
            self.mark_slot(slot, true);
            self.temporaries.push(slot);
        }
        Pointer::stack_slot(slot)
    }
}

//! Operand values during lowering: in memory, one SSA scalar, or a pair of
//! SSA scalars (fat pointers, `(T, bool)` results, scalar-pair layouts).

use cranelift_codegen::ir::{InstBuilder, MemFlags, Type, Value, types};
use rustc_abi::{BackendRepr, FieldIdx, Scalar, Size};
use rustc_middle::ty::ScalarInt;
use rustc_middle::ty::layout::{LayoutOf, TyAndLayout};

use super::FunctionCx;
use super::layout_cx::scalar_clif_ty;
use super::pointer::Pointer;

#[derive(Clone, Copy, Debug)]
enum Repr {
    /// In memory; the second value is the metadata of an unsized value.
    Ref(Pointer, Option<Value>),
    Scalar(Value),
    Pair(Value, Value),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Val<'tcx> {
    repr: Repr,
    pub(crate) layout: TyAndLayout<'tcx>,
}

/// Offset of the second half of a scalar pair.
pub(crate) fn pair_b_offset(fx: &FunctionCx<'_, '_, '_>, a: Scalar, b: Scalar) -> Size {
    a.size(fx).align_to(b.align(fx).abi)
}

/// Flags for memory accesses through an arbitrary pointer.
pub(crate) fn mem_flags() -> MemFlags {
    MemFlags::new()
}

impl<'tcx> Val<'tcx> {
    pub(crate) fn by_ref(ptr: Pointer, layout: TyAndLayout<'tcx>) -> Self {
        Val {
            repr: Repr::Ref(ptr, None),
            layout,
        }
    }

    pub(crate) fn by_ref_unsized(ptr: Pointer, meta: Value, layout: TyAndLayout<'tcx>) -> Self {
        Val {
            repr: Repr::Ref(ptr, Some(meta)),
            layout,
        }
    }

    pub(crate) fn by_val(value: Value, layout: TyAndLayout<'tcx>) -> Self {
        Val {
            repr: Repr::Scalar(value),
            layout,
        }
    }

    pub(crate) fn by_val_pair(a: Value, b: Value, layout: TyAndLayout<'tcx>) -> Self {
        Val {
            repr: Repr::Pair(a, b),
            layout,
        }
    }

    /// A zero-sized value.
    pub(crate) fn zst(layout: TyAndLayout<'tcx>) -> Self {
        Val::by_ref(Pointer::dangling(layout.align.abi), layout)
    }

    /// An integer/bool/char/float constant of a scalar layout.
    pub(crate) fn const_int(
        fx: &mut FunctionCx<'_, '_, 'tcx>,
        layout: TyAndLayout<'tcx>,
        bits: u128,
    ) -> Self {
        let ty = match layout.backend_repr {
            BackendRepr::Scalar(s) => scalar_clif_ty(fx.tcx, s),
            _ => fx.bug(format!(
                "integer constant of non-scalar type `{}`",
                layout.ty
            )),
        };
        let v = fx.iconst_any(ty, bits);
        Val::by_val(v, layout)
    }

    pub(crate) fn const_scalar_int(
        fx: &mut FunctionCx<'_, '_, 'tcx>,
        layout: TyAndLayout<'tcx>,
        int: ScalarInt,
    ) -> Self {
        Val::const_int(fx, layout, int.to_bits_unchecked())
    }

    pub(crate) fn const_bool(fx: &mut FunctionCx<'_, '_, 'tcx>, b: bool) -> Self {
        let layout = fx.layout_of(fx.tcx.types.bool);
        Val::const_int(fx, layout, u128::from(b))
    }

    /// Returns the value with another layout of the same size (no conversion).
    pub(crate) fn with_layout(self, layout: TyAndLayout<'tcx>) -> Self {
        Val {
            repr: self.repr,
            layout,
        }
    }

    /// The value in memory: pointer and metadata, spilling SSA values to a
    /// stack slot when needed.
    pub(crate) fn force_stack(self, fx: &mut FunctionCx<'_, '_, 'tcx>) -> (Pointer, Option<Value>) {
        match self.repr {
            Repr::Ref(ptr, meta) => (ptr, meta),
            Repr::Scalar(_) | Repr::Pair(..) => {
                let place = super::place::Place::new_stack_slot(fx, self.layout);
                place.write_val(fx, self);
                (place.to_ptr(fx), None)
            }
        }
    }

    pub(crate) fn try_to_ptr(self) -> Option<(Pointer, Option<Value>)> {
        match self.repr {
            Repr::Ref(ptr, meta) => Some((ptr, meta)),
            _ => None,
        }
    }

    /// Loads a scalar layout's value.
    pub(crate) fn load_scalar(self, fx: &mut FunctionCx<'_, '_, 'tcx>) -> Value {
        match self.repr {
            Repr::Scalar(v) => v,
            Repr::Ref(ptr, None) => {
                let ty = match self.layout.backend_repr {
                    BackendRepr::Scalar(s) => scalar_clif_ty(fx.tcx, s),
                    _ => fx.bug(format!("load_scalar of `{}`", self.layout.ty)),
                };
                ptr.load(fx, ty, mem_flags())
            }
            _ => fx.bug(format!(
                "load_scalar of `{}` ({:?})",
                self.layout.ty, self.repr
            )),
        }
    }

    /// Loads a scalar-pair layout's two values.
    pub(crate) fn load_scalar_pair(self, fx: &mut FunctionCx<'_, '_, 'tcx>) -> (Value, Value) {
        match self.repr {
            Repr::Pair(a, b) => (a, b),
            Repr::Ref(ptr, None) => {
                let (a, b) = match self.layout.backend_repr {
                    BackendRepr::ScalarPair(a, b) => (a, b),
                    _ => fx.bug(format!("load_scalar_pair of `{}`", self.layout.ty)),
                };
                let b_off = pair_b_offset(fx, a, b);
                let a_ty = scalar_clif_ty(fx.tcx, a);
                let b_ty = scalar_clif_ty(fx.tcx, b);
                let va = ptr.load(fx, a_ty, mem_flags());
                let vb = ptr
                    .offset_i64(fx, b_off.bytes() as i64)
                    .load(fx, b_ty, mem_flags());
                (va, vb)
            }
            _ => fx.bug(format!(
                "load_scalar_pair of `{}` ({:?})",
                self.layout.ty, self.repr
            )),
        }
    }

    /// The value of field `field` of a struct-like layout (or of `variant`'s
    /// layout after a downcast).
    pub(crate) fn field(self, fx: &mut FunctionCx<'_, '_, 'tcx>, field: FieldIdx) -> Val<'tcx> {
        let field_layout = self.layout.field(fx, field.index());
        let offset = self.layout.fields.offset(field.index());
        if field_layout.is_zst() {
            return Val::zst(field_layout);
        }
        match self.repr {
            Repr::Ref(ptr, None) => {
                Val::by_ref(ptr.offset_i64(fx, offset.bytes() as i64), field_layout)
            }
            Repr::Ref(_, Some(_)) => fx.bug("field of an unsized value operand".to_string()),
            Repr::Scalar(v) => {
                if offset.bytes() == 0 && field_layout.size == self.layout.size {
                    Val::by_val(v, field_layout)
                } else {
                    let (ptr, _) = self.force_stack(fx);
                    Val::by_ref(ptr, self.layout).field(fx, field)
                }
            }
            Repr::Pair(a, b) => {
                let (sa, sb) = match self.layout.backend_repr {
                    BackendRepr::ScalarPair(sa, sb) => (sa, sb),
                    _ => fx.bug(format!(
                        "pair value of non-pair layout `{}`",
                        self.layout.ty
                    )),
                };
                if field_layout.size == self.layout.size {
                    Val::by_val_pair(a, b, field_layout)
                } else if offset.bytes() == 0 && field_layout.size == sa.size(fx) {
                    Val::by_val(a, field_layout)
                } else if offset == pair_b_offset(fx, sa, sb) && field_layout.size == sb.size(fx) {
                    Val::by_val(b, field_layout)
                } else {
                    let (ptr, _) = self.force_stack(fx);
                    Val::by_ref(ptr, self.layout).field(fx, field)
                }
            }
        }
    }

    /// Reinterprets the bits of this value as `to` (same size).
    pub(crate) fn transmute(
        self,
        fx: &mut FunctionCx<'_, '_, 'tcx>,
        to: TyAndLayout<'tcx>,
    ) -> Val<'tcx> {
        if to.is_zst() {
            return Val::zst(to);
        }
        match (self.repr, to.backend_repr) {
            (Repr::Scalar(v), BackendRepr::Scalar(s)) => {
                let want = scalar_clif_ty(fx.tcx, s);
                Val::by_val(fx.bitcast_to(v, want), to)
            }
            (Repr::Ref(ptr, None), _) => Val::by_ref(ptr, to),
            _ => {
                // Go through memory, sized for the larger of the two.
                let size = self.layout.size.max(to.size);
                let align = self.layout.align.abi.max(to.align.abi);
                let ptr = fx.create_stack_slot(size.bytes() as u32, align.bytes() as u32);
                super::place::Place::for_ptr(ptr, self.layout).write_val(fx, self);
                Val::by_ref(ptr, to)
            }
        }
    }
}

impl<'tcx> FunctionCx<'_, '_, 'tcx> {
    /// `iconst` for every integer width, including i128.
    pub(crate) fn iconst_any(&mut self, ty: Type, bits: u128) -> Value {
        if ty == types::I128 {
            let lo = self.bcx.ins().iconst(types::I64, bits as u64 as i64);
            let hi = self
                .bcx
                .ins()
                .iconst(types::I64, (bits >> 64) as u64 as i64);
            self.bcx.ins().iconcat(lo, hi)
        } else if ty == types::F32 {
            self.bcx.ins().f32const(f32::from_bits(bits as u32))
        } else if ty == types::F64 {
            self.bcx.ins().f64const(f64::from_bits(bits as u64))
        } else if ty == types::F16 {
            self.bcx
                .ins()
                .f16const(cranelift_codegen::ir::immediates::Ieee16::with_bits(
                    bits as u16,
                ))
        } else if ty == types::F128 {
            let data = cranelift_codegen::ir::ConstantData::from(&bits.to_le_bytes()[..]);
            let constant = self.bcx.func.dfg.constants.insert(data);
            self.bcx.ins().f128const(constant)
        } else if ty.is_int() {
            let masked = if ty.bits() >= 64 {
                bits as u64
            } else {
                (bits as u64) & ((1u64 << ty.bits()) - 1)
            };
            self.bcx.ins().iconst(ty, masked as i64)
        } else {
            self.bug(format!("constant of CLIF type {ty}"))
        }
    }

    /// Reinterprets `v` as `want` (same width): int <-> float or no-op.
    pub(crate) fn bitcast_to(&mut self, v: Value, want: Type) -> Value {
        let have = self.bcx.func.dfg.value_type(v);
        if have == want {
            v
        } else if have.bits() == want.bits() {
            self.bcx.ins().bitcast(want, MemFlags::new(), v)
        } else {
            self.bug(format!("bitcast between {have} and {want}"))
        }
    }
}

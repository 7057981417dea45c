//! Statements, places, operands and rvalues.

use cranelift_codegen::ir::InstBuilder;
use rustc_abi::FieldIdx;
use rustc_middle::mir::{
    self, AggregateKind, CastKind, NonDivergingIntrinsic, Operand, ProjectionElem, Rvalue,
    StatementKind, UnOp,
};
use rustc_middle::ty::adjustment::PointerCoercion;
use rustc_middle::ty::layout::LayoutOf;
use rustc_middle::ty::{self, Instance, Ty};

use super::FunctionCx;
use super::place::Place;
use super::value::Val;

pub(crate) fn lower_statement<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    stmt: &mir::Statement<'tcx>,
) {
    match &stmt.kind {
        StatementKind::Assign(assign) => {
            let (place, rvalue) = &**assign;
            let dest = lower_place(fx, *place);
            lower_rvalue(fx, dest, rvalue);
        }
        StatementKind::SetDiscriminant {
            place,
            variant_index,
        } => {
            let place = lower_place(fx, **place);
            super::discriminant::write_discriminant(fx, place, *variant_index);
        }
        StatementKind::Intrinsic(intrinsic) => match &**intrinsic {
            NonDivergingIntrinsic::Assume(_) => {}
            NonDivergingIntrinsic::CopyNonOverlapping(copy) => {
                let src = lower_operand(fx, &copy.src);
                let dst = lower_operand(fx, &copy.dst);
                let count = lower_operand(fx, &copy.count).load_scalar(fx);
                let elem = src
                    .layout
                    .ty
                    .builtin_deref(true)
                    .unwrap_or_else(|| fx.bug("copy of non-pointer".into()));
                let elem = super::memory::Elem::of(fx.layout_of(elem));
                let src = src.load_scalar(fx);
                let dst = dst.load_scalar(fx);
                super::memory::copy_dynamic(fx, dst, src, count, elem, false);
            }
        },
        StatementKind::StorageLive(local) => fx.mark_storage(*local, true),
        StatementKind::StorageDead(local) => fx.mark_storage(*local, false),
        StatementKind::Nop
        | StatementKind::FakeRead(..)
        | StatementKind::PlaceMention(..)
        | StatementKind::AscribeUserType(..)
        | StatementKind::Coverage(..)
        | StatementKind::ConstEvalCounter
        | StatementKind::BackwardIncompatibleDropHint { .. } => {}
    }
}

pub(crate) fn lower_place<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    place: mir::Place<'tcx>,
) -> Place<'tcx> {
    let mut cur = fx.local_place(place.local);
    // Memory reached through a pointer may be the kernel's, whose
    // relocatable types have the layout of the kernel the program runs on.
    let mut through_pointer = false;
    let mut relocating = None;
    for elem in place.projection {
        if through_pointer && super::core_reloc::project(fx, &mut relocating, &cur, elem) {
            continue;
        }
        cur = super::core_reloc::apply(fx, &mut relocating, cur);
        cur = match elem {
            ProjectionElem::Deref => {
                through_pointer = true;
                cur.deref(fx)
            }
            ProjectionElem::Field(field, _) => cur.field(fx, field),
            ProjectionElem::Index(local) => {
                let index = fx.local_place(local).to_val(fx).load_scalar(fx);
                cur.index(fx, index)
            }
            ProjectionElem::ConstantIndex {
                offset,
                min_length: _,
                from_end,
            } => {
                if from_end {
                    let len = slice_len(fx, cur);
                    let index = fx.bcx.ins().iadd_imm(len, -(offset as i64));
                    cur.index(fx, index)
                } else {
                    cur.const_index(fx, offset)
                }
            }
            ProjectionElem::Subslice { from, to, from_end } => {
                let ty = fx.monomorphize(
                    mir::PlaceTy::from_ty(cur.layout.ty)
                        .projection_ty(fx.tcx, elem)
                        .ty,
                );
                cur.subslice(fx, from, to, from_end, ty)
            }
            ProjectionElem::Downcast(_, variant) => cur.downcast(fx, variant),
            ProjectionElem::OpaqueCast(ty) | ProjectionElem::UnwrapUnsafeBinder(ty) => {
                let layout = fx.layout_of(fx.monomorphize(ty));
                cur.with_layout(layout)
            }
        };
    }
    super::core_reloc::apply(fx, &mut relocating, cur)
}

/// Length of an array or slice place.
fn slice_len<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    place: Place<'tcx>,
) -> cranelift_codegen::ir::Value {
    match place.layout.ty.kind() {
        ty::Array(_, len) => {
            let len = fx
                .monomorphize(*len)
                .try_to_target_usize(fx.tcx)
                .unwrap_or_else(|| fx.bug("array length".into()));
            fx.bcx.ins().iconst(fx.ptr_ty, len as i64)
        }
        ty::Slice(_) => match place.to_ptr_maybe_unsized(fx).1 {
            Some(len) => len,
            None => fx.bug("slice place without length".into()),
        },
        _ => fx.bug(format!("length of `{}`", place.layout.ty)),
    }
}

pub(crate) fn lower_operand<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    operand: &Operand<'tcx>,
) -> Val<'tcx> {
    match operand {
        Operand::Copy(place) | Operand::Move(place) => lower_place(fx, *place).to_val(fx),
        Operand::Constant(constant) => super::constant::lower_const_operand(fx, constant),
        Operand::RuntimeChecks(checks) => {
            let value = checks.value(fx.tcx.sess);
            Val::const_bool(fx, value)
        }
    }
}

fn lower_rvalue<'tcx>(fx: &mut FunctionCx<'_, '_, 'tcx>, dest: Place<'tcx>, rvalue: &Rvalue<'tcx>) {
    match rvalue {
        Rvalue::Use(operand, ..) => {
            let val = lower_operand(fx, operand);
            dest.write_val(fx, val);
        }
        Rvalue::Ref(_, _, place) | Rvalue::RawPtr(_, place) | Rvalue::Reborrow(_, _, place) => {
            let place = lower_place(fx, *place);
            place.write_address_to(fx, dest);
        }
        Rvalue::ThreadLocalRef(def_id) => {
            let val = super::constant::thread_local_address(fx, *def_id, dest.layout);
            dest.write_val(fx, val);
        }
        Rvalue::BinaryOp(op, operands) => {
            let (lhs, rhs) = &**operands;
            let lhs = lower_operand(fx, lhs);
            let rhs = lower_operand(fx, rhs);
            let val = super::num::binary_op(fx, *op, lhs, rhs, dest.layout);
            dest.write_val(fx, val);
        }
        Rvalue::UnaryOp(op, operand) => {
            let val = lower_operand(fx, operand);
            let res = match op {
                UnOp::Not => super::num::not(fx, val, dest.layout),
                UnOp::Neg => super::num::neg(fx, val, dest.layout),
                UnOp::PtrMetadata => match val.try_to_ptr() {
                    _ if !super::has_metadata(
                        fx,
                        val.layout.ty.builtin_deref(true).unwrap_or(fx.tcx.types.u8),
                    ) =>
                    {
                        Val::zst(dest.layout)
                    }
                    _ => {
                        let (_, meta) = val.load_scalar_pair(fx);
                        Val::by_val(meta, dest.layout)
                    }
                },
            };
            dest.write_val(fx, res);
        }
        Rvalue::Cast(kind, operand, to_ty) => {
            let to = fx.layout_of(fx.monomorphize(*to_ty));
            let val = lower_operand(fx, operand);
            lower_cast(fx, *kind, val, to, dest);
        }
        Rvalue::Discriminant(place) => {
            let place = lower_place(fx, *place);
            let val = place.to_val(fx);
            let val = super::discriminant::read_discriminant(fx, val, dest.layout);
            dest.write_val(fx, val);
        }
        Rvalue::Repeat(operand, count) => {
            let val = lower_operand(fx, operand);
            let count = fx
                .monomorphize(*count)
                .try_to_target_usize(fx.tcx)
                .unwrap_or_else(|| fx.bug("repeat count".into()));
            lower_repeat(fx, dest, val, count);
        }
        Rvalue::Aggregate(kind, operands) => {
            let (variant, active_field) = match **kind {
                AggregateKind::Adt(_, variant, _, _, active_field) => (variant, active_field),
                AggregateKind::RawPtr(..) => {
                    // `*const T` from (data pointer, metadata).
                    let data = lower_operand(fx, &operands[FieldIdx::from_u32(0)]);
                    let meta = lower_operand(fx, &operands[FieldIdx::from_u32(1)]);
                    let data = data.load_scalar(fx);
                    if meta.layout.is_zst() {
                        dest.write_val(fx, Val::by_val(data, dest.layout));
                    } else {
                        let meta = meta.load_scalar(fx);
                        dest.write_val(fx, Val::by_val_pair(data, meta, dest.layout));
                    }
                    return;
                }
                _ => (rustc_abi::FIRST_VARIANT, None),
            };
            // Fields are written in memory: the destination itself, or a
            // temporary copied into an SSA destination at the end.
            let in_memory = dest.try_memory().is_some() || dest.layout.is_zst();
            let target = if in_memory {
                dest
            } else {
                Place::new_stack_slot(fx, dest.layout)
            };
            // Only an ADT's fields belong to a variant; a coroutine's
            // operands are its upvars, fields of the whole layout.
            let target_variant = match **kind {
                AggregateKind::Adt(..) => target.downcast(fx, variant),
                _ => target,
            };
            for (i, op) in operands.iter_enumerated() {
                let val = lower_operand(fx, op);
                let field_place = if let AggregateKind::Array(_) = **kind {
                    target_variant.const_index(fx, i.as_u32().into())
                } else {
                    target_variant.field(fx, active_field.unwrap_or(i))
                };
                field_place.write_val(fx, val);
            }
            if let AggregateKind::Adt(..) | AggregateKind::Coroutine(..) = **kind {
                super::discriminant::write_discriminant(fx, target, variant);
            }
            if !in_memory {
                let val = target.to_val(fx);
                dest.write_val(fx, val);
            }
        }
        Rvalue::CopyForDeref(place) => {
            let val = lower_place(fx, *place).to_val(fx);
            dest.write_val(fx, val);
        }
        Rvalue::WrapUnsafeBinder(operand, _) => {
            let val = lower_operand(fx, operand);
            dest.write_val(fx, val.with_layout(dest.layout));
        }
    }
}

fn lower_repeat<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    dest: Place<'tcx>,
    val: Val<'tcx>,
    count: u64,
) {
    if dest.layout.is_zst() || count == 0 {
        return;
    }
    if count <= 16 {
        for i in 0..count {
            dest.const_index(fx, i).write_val(fx, val);
        }
        return;
    }
    // A counted loop over the elements.
    let header = fx.bcx.create_block();
    let body = fx.bcx.create_block();
    let done = fx.bcx.create_block();
    let index_var = fx.bcx.declare_var(fx.ptr_ty);
    let zero = fx.bcx.ins().iconst(fx.ptr_ty, 0);
    fx.bcx.def_var(index_var, zero);
    fx.bcx.ins().jump(header, &[]);
    fx.bcx.switch_to_block(header);
    let index = fx.bcx.use_var(index_var);
    let more = fx.bcx.ins().icmp_imm(
        cranelift_codegen::ir::condcodes::IntCC::UnsignedLessThan,
        index,
        count as i64,
    );
    fx.bcx.ins().brif(more, body, &[], done, &[]);
    fx.bcx.switch_to_block(body);
    dest.index(fx, index).write_val(fx, val);
    let next = fx.bcx.ins().iadd_imm(index, 1);
    fx.bcx.def_var(index_var, next);
    fx.bcx.ins().jump(header, &[]);
    fx.bcx.switch_to_block(done);
}

fn lower_cast<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    kind: CastKind,
    val: Val<'tcx>,
    to: rustc_middle::ty::layout::TyAndLayout<'tcx>,
    dest: Place<'tcx>,
) {
    let res = match kind {
        CastKind::PointerCoercion(PointerCoercion::ReifyFnPointer(_), _) => {
            let ty::FnDef(def_id, args) = *val.layout.ty.kind() else {
                fx.bug(format!("reify of `{}`", val.layout.ty))
            };
            let instance = Instance::resolve_for_fn_ptr(
                fx.tcx,
                ty::TypingEnv::fully_monomorphized(),
                def_id,
                args,
            )
            .unwrap_or_else(|| fx.bug("function pointer of an unresolvable function".into()));
            let addr = super::constant::function_address(fx, instance);
            Val::by_val(addr, to)
        }
        CastKind::PointerCoercion(PointerCoercion::ClosureFnPointer(_), _) => {
            let ty::Closure(def_id, args) = *val.layout.ty.kind() else {
                fx.bug(format!("closure pointer of `{}`", val.layout.ty))
            };
            let instance = Instance::resolve_closure(fx.tcx, def_id, args, ty::ClosureKind::FnOnce);
            let addr = super::constant::function_address(fx, instance);
            Val::by_val(addr, to)
        }
        CastKind::PointerCoercion(PointerCoercion::Unsize, _) => {
            super::unsize::coerce_unsized_into(fx, val, dest);
            return;
        }
        CastKind::PointerCoercion(
            PointerCoercion::UnsafeFnPointer
            | PointerCoercion::MutToConstPointer
            | PointerCoercion::ArrayToPointer,
            _,
        )
        | CastKind::Subtype => val.with_layout(to),
        CastKind::Transmute => val.transmute(fx, to),
        CastKind::IntToInt
        | CastKind::FloatToFloat
        | CastKind::FloatToInt
        | CastKind::IntToFloat
        | CastKind::FnPtrToPtr
        | CastKind::PtrToPtr
        | CastKind::PointerExposeProvenance
        | CastKind::PointerWithExposedProvenance => super::cast::scalar_cast(fx, val, to),
    };
    dest.write_val(fx, res);
}

/// The type of an operand after monomorphization.
pub(crate) fn operand_ty<'tcx>(fx: &FunctionCx<'_, '_, 'tcx>, operand: &Operand<'tcx>) -> Ty<'tcx> {
    fx.monomorphize(operand.ty(fx.mir, fx.tcx))
}

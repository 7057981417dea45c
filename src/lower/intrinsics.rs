//! Compiler intrinsics. Those the backend implements are lowered inline;
//! one with a Rust fallback body is called like a function; any other is a
//! clear error at its call site.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{AtomicRmwOp, InstBuilder, MemFlags, Value, types};
use rustc_middle::mir::{self, BasicBlock, BinOp, Operand};
use rustc_middle::ty::layout::{FnAbiOf, LayoutOf, ValidityRequirement};
use rustc_middle::ty::{self, Instance, Ty};
use rustc_span::Spanned;

use super::FunctionCx;
use super::abi::jump_or_trap;
use super::num::{call_libcall, int_op, is_signed, overflowing_op, select_int};
use super::place::Place;
use super::pointer::Pointer;
use super::rvalue::lower_operand;
use super::value::Val;

/// Lowers a call to an intrinsic. `Err(instance)` asks the caller to call
/// the intrinsic's fallback body instead.
pub(crate) fn lower_intrinsic<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    instance: Instance<'tcx>,
    args: &[Spanned<Operand<'tcx>>],
    dest: Place<'tcx>,
    target: Option<BasicBlock>,
    source_info: mir::SourceInfo,
) -> Result<(), Instance<'tcx>> {
    let name = fx.tcx.item_name(instance.def_id());
    let name = name.as_str();
    let generic_ty = |i: usize| instance.args.type_at(i);
    let arg = |fx: &mut FunctionCx<'_, '_, 'tcx>, i: usize| lower_operand(fx, &args[i].node);
    let scalar = |fx: &mut FunctionCx<'_, '_, 'tcx>, i: usize| {
        lower_operand(fx, &args[i].node).load_scalar(fx)
    };

    match name {
        "abort" | "unreachable" => {
            fx.trap_unreachable();
            return Ok(());
        }
        "assume"
        | "likely"
        | "unlikely"
        | "cold_path"
        | "prefetch_read_data"
        | "prefetch_write_data"
        | "prefetch_read_instruction"
        | "prefetch_write_instruction" => {
            if name == "likely" || name == "unlikely" {
                let v = arg(fx, 0);
                dest.write_val(fx, v);
            }
        }
        "black_box" => {
            let v = arg(fx, 0);
            dest.write_val(fx, v);
        }
        "assert_inhabited" | "assert_zero_valid" | "assert_mem_uninitialized_valid" => {
            let ty = generic_ty(0);
            let requirement = match name {
                "assert_inhabited" => ValidityRequirement::Inhabited,
                "assert_zero_valid" => ValidityRequirement::Zero,
                _ => ValidityRequirement::UninitMitigated0x01Fill,
            };
            let ok = fx
                .tcx
                .check_validity_requirement((
                    requirement,
                    ty::TypingEnv::fully_monomorphized().as_query_input(ty),
                ))
                .unwrap_or(true);
            if !ok {
                // Full paths: trimmed ones may only be printed with a
                // diagnostic (as rustc's own codegen writes this message).
                let msg = rustc_middle::ty::print::with_no_trimmed_paths!(format!(
                    "attempted to instantiate uninhabited or invalid type `{ty}`"
                ));
                panic_nounwind(fx, &msg, source_info);
                return Ok(());
            }
        }
        "size_of_val" | "align_of_val" => {
            let ptr = arg(fx, 0);
            let pointee = fx.layout_of(generic_ty(0));
            let meta = if super::has_metadata(fx, pointee.ty) {
                Some(ptr.load_scalar_pair(fx).1)
            } else {
                None
            };
            let (size, align) = super::unsize::size_and_align_of(fx, pointee, meta);
            let v = if name == "size_of_val" { size } else { align };
            dest.write_val(fx, Val::by_val(v, dest.layout));
        }
        "vtable_size" | "vtable_align" => {
            let vtable = scalar(fx, 0);
            let v = if name == "vtable_size" {
                crate::vtable::load_size(fx, vtable)
            } else {
                crate::vtable::load_align(fx, vtable)
            };
            dest.write_val(fx, Val::by_val(v, dest.layout));
        }
        "caller_location" => {
            let loc = fx.caller_location(source_info);
            dest.write_val(fx, loc);
        }
        "transmute" | "transmute_unchecked" => {
            let v = arg(fx, 0);
            let to = dest.layout;
            if to.is_uninhabited() {
                fx.trap_unreachable();
                return Ok(());
            }
            let v = v.transmute(fx, to);
            dest.write_val(fx, v);
        }
        "copy_nonoverlapping"
        | "copy"
        | "volatile_copy_memory"
        | "volatile_copy_nonoverlapping_memory" => {
            // copy(src, dst, count); the volatile forms take (dst, src, count).
            let (src, dst) = if name.starts_with("volatile") {
                (scalar(fx, 1), scalar(fx, 0))
            } else {
                (scalar(fx, 0), scalar(fx, 1))
            };
            let count = scalar(fx, 2);
            let elem = super::memory::Elem::of(fx.layout_of(generic_ty(0)));
            let overlapping = !name.contains("nonoverlapping");
            super::memory::copy_dynamic(fx, dst, src, count, elem, overlapping);
        }
        "write_bytes" | "volatile_set_memory" => {
            let dst = scalar(fx, 0);
            let byte = scalar(fx, 1);
            let count = scalar(fx, 2);
            let elem = super::memory::Elem::of(fx.layout_of(generic_ty(0)));
            super::memory::fill_dynamic(fx, dst, byte, count, elem);
        }
        "volatile_load" | "unaligned_volatile_load" | "read_via_copy" => {
            let ptr = scalar(fx, 0);
            let layout = fx.layout_of(generic_ty(0));
            let v = Val::by_ref(Pointer::new(ptr), layout);
            dest.write_val(fx, v);
        }
        "volatile_store" | "unaligned_volatile_store" | "nontemporal_store" | "write_via_move" => {
            let ptr = scalar(fx, 0);
            let v = arg(fx, 1);
            Place::for_ptr(Pointer::new(ptr), v.layout).write_val(fx, v);
        }
        "offset" | "arith_offset" => {
            let base = arg(fx, 0);
            let count = scalar(fx, 1);
            let pointee = base
                .layout
                .ty
                .builtin_deref(true)
                .unwrap_or(fx.tcx.types.u8);
            let size = fx.layout_of(pointee).size.bytes();
            let bytes = fx.bcx.ins().imul_imm(count, size as i64);
            let res = match base.layout.backend_repr {
                rustc_abi::BackendRepr::ScalarPair(..) => {
                    let (p, m) = base.load_scalar_pair(fx);
                    let p = fx.bcx.ins().iadd(p, bytes);
                    Val::by_val_pair(p, m, dest.layout)
                }
                _ => {
                    let p = base.load_scalar(fx);
                    Val::by_val(fx.bcx.ins().iadd(p, bytes), dest.layout)
                }
            };
            dest.write_val(fx, res);
        }
        "ptr_offset_from" | "ptr_offset_from_unsigned" => {
            let a = scalar(fx, 0);
            let b = scalar(fx, 1);
            let size = fx.layout_of(generic_ty(0)).size.bytes() as i64;
            let diff = fx.bcx.ins().isub(a, b);
            let res = if size <= 1 {
                diff
            } else if name == "ptr_offset_from" {
                fx.bcx.ins().sdiv_imm(diff, size)
            } else {
                fx.bcx.ins().udiv_imm(diff, size)
            };
            dest.write_val(fx, Val::by_val(res, dest.layout));
        }
        "ptr_mask" => {
            let p = scalar(fx, 0);
            let m = scalar(fx, 1);
            let masked = fx.bcx.ins().band(p, m);
            dest.write_val(fx, Val::by_val(masked, dest.layout));
        }
        "ctpop" | "ctlz" | "ctlz_nonzero" | "cttz" | "cttz_nonzero" | "bswap" | "bitreverse" => {
            let v = scalar(fx, 0);
            let res = bit_op(fx, name, v);
            let res = if matches!(name, "bswap" | "bitreverse") {
                res
            } else {
                // Counts are returned as u32.
                super::cast::int_to_int(fx, res, types::I32, false)
            };
            dest.write_val(fx, Val::by_val(res, dest.layout));
        }
        "rotate_left" | "rotate_right" => {
            let v = scalar(fx, 0);
            let amount = scalar(fx, 1);
            let res = if name == "rotate_left" {
                fx.bcx.ins().rotl(v, amount)
            } else {
                fx.bcx.ins().rotr(v, amount)
            };
            dest.write_val(fx, Val::by_val(res, dest.layout));
        }
        "unchecked_funnel_shl" | "unchecked_funnel_shr" => {
            let a = scalar(fx, 0);
            let b = scalar(fx, 1);
            let s = scalar(fx, 2);
            let res = funnel_shift(fx, name == "unchecked_funnel_shl", a, b, s);
            dest.write_val(fx, Val::by_val(res, dest.layout));
        }
        "add_with_overflow" | "sub_with_overflow" | "mul_with_overflow" => {
            let a = scalar(fx, 0);
            let b = scalar(fx, 1);
            let op = match name {
                "add_with_overflow" => BinOp::AddWithOverflow,
                "sub_with_overflow" => BinOp::SubWithOverflow,
                _ => BinOp::MulWithOverflow,
            };
            let (res, overflow) = overflowing_op(fx, op, a, b, is_signed(generic_ty(0)));
            dest.write_val(fx, Val::by_val_pair(res, overflow, dest.layout));
        }
        "saturating_add" | "saturating_sub" => {
            let a = scalar(fx, 0);
            let b = scalar(fx, 1);
            let signed = is_signed(generic_ty(0));
            let v = saturating(fx, name == "saturating_add", a, b, signed);
            dest.write_val(fx, Val::by_val(v, dest.layout));
        }
        "unchecked_add" | "unchecked_sub" | "unchecked_mul" | "unchecked_div" | "unchecked_rem"
        | "unchecked_shl" | "unchecked_shr" | "exact_div" | "wrapping_add" | "wrapping_sub"
        | "wrapping_mul" | "disjoint_bitor" | "three_way_compare" => {
            let a = scalar(fx, 0);
            let b = scalar(fx, 1);
            let op = match name {
                "unchecked_add" | "wrapping_add" => BinOp::Add,
                "unchecked_sub" | "wrapping_sub" => BinOp::Sub,
                "unchecked_mul" | "wrapping_mul" => BinOp::Mul,
                "unchecked_div" | "exact_div" => BinOp::Div,
                "unchecked_rem" => BinOp::Rem,
                "unchecked_shl" => BinOp::Shl,
                "unchecked_shr" => BinOp::Shr,
                "disjoint_bitor" => BinOp::BitOr,
                _ => BinOp::Cmp,
            };
            let v = int_op(fx, op, a, b, is_signed(generic_ty(0)), dest.layout);
            dest.write_val(fx, v);
        }
        "discriminant_value" => {
            let ptr = scalar(fx, 0);
            let layout = fx.layout_of(generic_ty(0));
            let v = super::discriminant::read_discriminant(
                fx,
                Val::by_ref(Pointer::new(ptr), layout),
                dest.layout,
            );
            dest.write_val(fx, v);
        }
        "ptr_guaranteed_cmp" => {
            let a = scalar(fx, 0);
            let b = scalar(fx, 1);
            let eq = fx.bcx.ins().icmp(IntCC::Equal, a, b);
            dest.write_val(fx, Val::by_val(eq, dest.layout));
        }
        "is_val_statically_known" => {
            let v = Val::const_bool(fx, false);
            dest.write_val(fx, v);
        }
        "const_allocate" => {
            let null = fx.bcx.ins().iconst(fx.ptr_ty, 0);
            dest.write_val(fx, Val::by_val(null, dest.layout));
        }
        "const_deallocate" => {}
        "select_unpredictable" => {
            let c = scalar(fx, 0);
            let t = arg(fx, 1);
            let e = arg(fx, 2);
            let then_b = fx.bcx.create_block();
            let else_b = fx.bcx.create_block();
            let join = fx.bcx.create_block();
            fx.bcx.ins().brif(c, then_b, &[], else_b, &[]);
            fx.bcx.switch_to_block(then_b);
            dest.write_val(fx, t);
            fx.bcx.ins().jump(join, &[]);
            fx.bcx.switch_to_block(else_b);
            dest.write_val(fx, e);
            fx.bcx.ins().jump(join, &[]);
            fx.bcx.switch_to_block(join);
        }
        "raw_eq" => {
            let layout = fx.layout_of(generic_ty(0));
            let a = scalar(fx, 0);
            let b = scalar(fx, 1);
            let len = fx.bcx.ins().iconst(fx.ptr_ty, layout.size.bytes() as i64);
            let cmp = call_libcall(fx, "memcmp", &[a, b, len], types::I32);
            let eq = fx.bcx.ins().icmp_imm(IntCC::Equal, cmp, 0);
            dest.write_val(fx, Val::by_val(eq, dest.layout));
        }
        "compare_bytes" => {
            let a = scalar(fx, 0);
            let b = scalar(fx, 1);
            let len = scalar(fx, 2);
            let cmp = call_libcall(fx, "memcmp", &[a, b, len], types::I32);
            dest.write_val(fx, Val::by_val(cmp, dest.layout));
        }
        "catch_unwind" => {
            // With panic=abort nothing unwinds: call `try_fn(data)`, return 0.
            let try_fn = scalar(fx, 0);
            let data = arg(fx, 1);
            let try_fn_ty = super::rvalue::operand_ty(fx, &args[0].node);
            let fn_abi = fx.fn_abi_of_fn_ptr(try_fn_ty.fn_sig(fx.tcx), ty::List::empty());
            super::abi::call_pointer(fx, try_fn, fn_abi, vec![data], None);
            let zero = Val::const_int(fx, dest.layout, 0);
            dest.write_val(fx, zero);
        }
        _ if name.starts_with("atomic_") => lower_atomic(fx, name, args, dest, instance.args),
        _ if name.starts_with("simd_") => {
            if !super::simd::lower_simd_intrinsic(fx, &name[5..], args, dest) {
                fx.unsupported(format!("the intrinsic `{name}`"));
            }
        }
        _ => {
            let float_arg = instance
                .args
                .types()
                .next()
                .filter(|t| t.is_floating_point());
            if let Some(res) = lower_float_intrinsic(fx, name, float_arg, args, dest) {
                res
            } else if is_const_evaluable(name) {
                match fx.tcx.const_eval_instance(
                    ty::TypingEnv::fully_monomorphized(),
                    instance,
                    source_info.span,
                ) {
                    Ok(value) => {
                        let v = super::constant::const_value_to_val(fx, value, dest.layout.ty);
                        dest.write_val(fx, v);
                    }
                    Err(_) => fx.failed_const(),
                }
            } else if fx
                .tcx
                .intrinsic(instance.def_id())
                .is_some_and(|i| !i.must_be_overridden)
            {
                return Err(Instance::new_raw(instance.def_id(), instance.args));
            } else {
                fx.unsupported(format!("the intrinsic `{name}`"));
            }
        }
    }
    jump_or_trap(fx, target);
    Ok(())
}

/// Intrinsics whose value is known at compile time.
fn is_const_evaluable(name: &str) -> bool {
    matches!(
        name,
        "size_of"
            | "align_of"
            | "needs_drop"
            | "type_name"
            | "type_id"
            | "variant_count"
            | "pref_align_of"
    )
}

/// What rustc's own codegen does where a size or alignment of an extern
/// type is needed (the offset of a field of that type): a non-unwinding
/// panic. Lowering goes on in a fresh, unreachable block.
pub(crate) fn extern_type_layout_panic<'tcx>(fx: &mut FunctionCx<'_, '_, 'tcx>, ty: Ty<'tcx>) {
    let msg = rustc_middle::ty::print::with_no_trimmed_paths!(format!(
        "attempted to compute the size or alignment of extern type `{ty}`"
    ));
    let source_info = mir::SourceInfo {
        span: fx.span,
        scope: fx.scope,
    };
    panic_nounwind(fx, &msg, source_info);
    let after = fx.bcx.create_block();
    fx.bcx.switch_to_block(after);
    fx.bcx.seal_block(after);
}

fn panic_nounwind<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    msg: &str,
    source_info: mir::SourceInfo,
) {
    // `panic_nounwind(expr: &'static str)`: one argument, a (pointer,
    // length) pair.
    let addr = super::constant::bytes_address(fx, msg.as_bytes());
    let len = fx.bcx.ins().iconst(fx.ptr_ty, msg.len() as i64);
    let str_layout = fx.layout_of(Ty::new_static_str(fx.tcx));
    let args = vec![Val::by_val_pair(addr, len, str_layout)];
    super::terminator::call_panic(fx, rustc_hir::LangItem::PanicNounwind, args, source_info);
}

/// `ctpop`, `ctlz`, `cttz`, `bswap` or `bitreverse` (also the `_nonzero`
/// forms) of an integer, in its own type.
pub(super) fn bit_op(fx: &mut FunctionCx<'_, '_, '_>, name: &str, v: Value) -> Value {
    match name.trim_start_matches("simd_") {
        "ctpop" => fx.bcx.ins().popcnt(v),
        "ctlz" | "ctlz_nonzero" => fx.bcx.ins().clz(v),
        "cttz" | "cttz_nonzero" => fx.bcx.ins().ctz(v),
        "bswap" => {
            if fx.bcx.func.dfg.value_type(v) == types::I8 {
                v
            } else {
                fx.bcx.ins().bswap(v)
            }
        }
        _ => fx.bcx.ins().bitrev(v),
    }
}

/// A funnel shift by `s` (below the width): left is `(a << s) | (b >> (BITS
/// - s))`, right `(a << (BITS - s)) | (b >> s)`. The `BITS - s` shift is
/// done as `1` then `BITS - 1 - s` so that s = 0 needs no special case.
pub(super) fn funnel_shift(
    fx: &mut FunctionCx<'_, '_, '_>,
    left: bool,
    a: Value,
    b: Value,
    s: Value,
) -> Value {
    let ty = fx.bcx.func.dfg.value_type(a);
    let s = super::cast::int_to_int(fx, s, ty, false);
    let bits_minus_one = fx.iconst_any(ty, u128::from(ty.bits() - 1));
    let rest = fx.bcx.ins().isub(bits_minus_one, s);
    if left {
        let hi = fx.bcx.ins().ishl(a, s);
        let b1 = fx.bcx.ins().ushr_imm(b, 1);
        let lo = fx.bcx.ins().ushr(b1, rest);
        fx.bcx.ins().bor(hi, lo)
    } else {
        let a1 = fx.bcx.ins().ishl_imm(a, 1);
        let hi = fx.bcx.ins().ishl(a1, rest);
        let lo = fx.bcx.ins().ushr(b, s);
        fx.bcx.ins().bor(hi, lo)
    }
}

/// `a + b` (`add`) or `a - b` saturated at the type's bounds.
pub(super) fn saturating(
    fx: &mut FunctionCx<'_, '_, '_>,
    add: bool,
    a: Value,
    b: Value,
    signed: bool,
) -> Value {
    let ty = fx.bcx.func.dfg.value_type(a);
    let op = if add { BinOp::Add } else { BinOp::Sub };
    let (res, overflow) = overflowing_op(fx, op, a, b, signed);
    let bits = ty.bits();
    let sat = if signed {
        // Overflow direction follows the sign of `b` (flipped for sub).
        let max = fx.iconst_any(ty, (1u128 << (bits - 1)) - 1);
        let min = fx.iconst_any(ty, 1u128 << (bits - 1));
        let b_neg = fx.bcx.ins().icmp_imm(IntCC::SignedLessThan, b, 0);
        if add {
            select_int(fx, b_neg, min, max)
        } else {
            select_int(fx, b_neg, max, min)
        }
    } else if add {
        fx.iconst_any(ty, u128::MAX >> (128 - bits))
    } else {
        fx.iconst_any(ty, 0)
    };
    select_int(fx, overflow, sat, res)
}

fn lower_float_intrinsic<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    name: &str,
    float_arg: Option<Ty<'tcx>>,
    args: &[Spanned<Operand<'tcx>>],
    dest: Place<'tcx>,
) -> Option<()> {
    // Float intrinsics are either suffixed (`sqrtf64`) or generic over the
    // float type (`fabs::<f64>`).
    // (`round_ties_even_f32` separates the suffix with an underscore.)
    let (base, is_f32) = if let Some(b) = name.strip_suffix("f32") {
        (b.trim_end_matches('_'), true)
    } else if let Some(b) = name.strip_suffix("f64") {
        (b.trim_end_matches('_'), false)
    } else if let Some(t) = float_arg
        && !name.ends_with("_fast")
        && !name.ends_with("_algebraic")
        && name != "float_to_int_unchecked"
    {
        (name, t == fx.tcx.types.f32)
    } else {
        return match name {
            "fadd_fast" | "fsub_fast" | "fmul_fast" | "fdiv_fast" | "frem_fast"
            | "fadd_algebraic" | "fsub_algebraic" | "fmul_algebraic" | "fdiv_algebraic"
            | "frem_algebraic" => {
                let a = lower_operand(fx, &args[0].node);
                let b = lower_operand(fx, &args[1].node);
                let op = match &name[..4] {
                    "fadd" => BinOp::Add,
                    "fsub" => BinOp::Sub,
                    "fmul" => BinOp::Mul,
                    "fdiv" => BinOp::Div,
                    _ => BinOp::Rem,
                };
                let v = super::num::binary_op(fx, op, a, b, dest.layout);
                dest.write_val(fx, v);
                Some(())
            }
            "float_to_int_unchecked" => {
                let v = lower_operand(fx, &args[0].node);
                let r = super::cast::scalar_cast(fx, v, dest.layout);
                dest.write_val(fx, r);
                Some(())
            }
            _ => None,
        };
    };
    let vals: Vec<Value> = args
        .iter()
        .map(|a| lower_operand(fx, &a.node).load_scalar(fx))
        .collect();
    let res = float_math(fx, base, is_f32, &vals)?;
    dest.write_val(fx, Val::by_val(res, dest.layout));
    Some(())
}

/// The float operation `base` (`sqrt`, `floor`, `fma`, `minnum`, `sin`, ...)
/// of f32 (`is_f32`) or f64 operands; `None` when there is no such operation.
pub(super) fn float_math(
    fx: &mut FunctionCx<'_, '_, '_>,
    base: &str,
    is_f32: bool,
    vals: &[Value],
) -> Option<Value> {
    let ty = if is_f32 { types::F32 } else { types::F64 };
    let libm = |n: &str| {
        if is_f32 {
            format!("{n}f")
        } else {
            n.to_string()
        }
    };
    let res = match (base, vals) {
        ("sqrt", [a]) => fx.bcx.ins().sqrt(*a),
        ("fabs", [a]) => fx.bcx.ins().fabs(*a),
        ("floor", [a]) => fx.bcx.ins().floor(*a),
        ("ceil", [a]) => fx.bcx.ins().ceil(*a),
        ("trunc", [a]) => fx.bcx.ins().trunc(*a),
        ("rint" | "nearbyint" | "roundeven" | "round_ties_even", [a]) => fx.bcx.ins().nearest(*a),
        ("copysign", [a, b]) => fx.bcx.ins().fcopysign(*a, *b),
        ("minnum" | "maxnum" | "minimum_number_nsz" | "maximum_number_nsz", [a, b]) => {
            // IEEE minNum/maxNum: a NaN operand yields the other one.
            let a_nan = fx.bcx.ins().fcmp(FloatCC::Unordered, *a, *a);
            let b_nan = fx.bcx.ins().fcmp(FloatCC::Unordered, *b, *b);
            let m = if base.starts_with("min") {
                fx.bcx.ins().fmin(*a, *b)
            } else {
                fx.bcx.ins().fmax(*a, *b)
            };
            let m = fx.bcx.ins().select(b_nan, *a, m);
            fx.bcx.ins().select(a_nan, *b, m)
        }
        ("minimum" | "maximum", [a, b]) => {
            if base == "minimum" {
                fx.bcx.ins().fmin(*a, *b)
            } else {
                fx.bcx.ins().fmax(*a, *b)
            }
        }
        ("fma" | "fmuladd", [a, b, c]) => fx.bcx.ins().fma(*a, *b, *c),
        ("powi", [a, b]) => call_libcall(
            fx,
            if is_f32 { "__powisf2" } else { "__powidf2" },
            &[*a, *b],
            ty,
        ),
        ("round", [a]) => call_libcall(fx, &libm("round"), &[*a], ty),
        ("pow", [a, b]) => call_libcall(fx, &libm("pow"), &[*a, *b], ty),
        (f @ ("exp" | "exp2" | "log" | "log2" | "log10" | "sin" | "cos" | "tan"), [a]) => {
            call_libcall(fx, &libm(f), &[*a], ty)
        }
        _ => return None,
    };
    Some(res)
}

fn lower_atomic<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    name: &str,
    args: &[Spanned<Operand<'tcx>>],
    dest: Place<'tcx>,
    generics: ty::GenericArgsRef<'tcx>,
) {
    let flags = MemFlags::trusted();
    let scalar = |fx: &mut FunctionCx<'_, '_, 'tcx>, i: usize| {
        lower_operand(fx, &args[i].node).load_scalar(fx)
    };
    let op = name.trim_start_matches("atomic_");
    match op {
        "fence" | "singlethreadfence" => {
            fx.bcx.ins().fence();
        }
        "load" => {
            let ptr = scalar(fx, 0);
            // Fences have only a const generic (the ordering); the other
            // operations have the value type first.
            let ty = fx.layout_of(generics.type_at(0));
            let clif = match ty.backend_repr {
                rustc_abi::BackendRepr::Scalar(s) => super::layout_cx::scalar_clif_ty(fx.tcx, s),
                _ => return fx.unsupported(format!("atomic load of `{}`", ty.ty)),
            };
            let v = fx.bcx.ins().atomic_load(clif, flags, ptr);
            dest.write_val(fx, Val::by_val(v, dest.layout));
        }
        "store" => {
            let ptr = scalar(fx, 0);
            let v = scalar(fx, 1);
            fx.bcx.ins().atomic_store(flags, v, ptr);
        }
        "cxchg" | "cxchgweak" => {
            let ptr = scalar(fx, 0);
            let expected = scalar(fx, 1);
            let new = scalar(fx, 2);
            let old = fx.bcx.ins().atomic_cas(flags, ptr, expected, new);
            let ok = fx.bcx.ins().icmp(IntCC::Equal, old, expected);
            dest.write_val(fx, Val::by_val_pair(old, ok, dest.layout));
        }
        _ => {
            let rmw = match op {
                "xchg" => AtomicRmwOp::Xchg,
                "xadd" => AtomicRmwOp::Add,
                "xsub" => AtomicRmwOp::Sub,
                "and" => AtomicRmwOp::And,
                "nand" => AtomicRmwOp::Nand,
                "or" => AtomicRmwOp::Or,
                "xor" => AtomicRmwOp::Xor,
                "max" => AtomicRmwOp::Smax,
                "min" => AtomicRmwOp::Smin,
                "umax" => AtomicRmwOp::Umax,
                "umin" => AtomicRmwOp::Umin,
                _ => return fx.unsupported(format!("the intrinsic `{name}`")),
            };
            let ptr = scalar(fx, 0);
            let v = scalar(fx, 1);
            let ty = fx.bcx.func.dfg.value_type(v);
            let old = fx.bcx.ins().atomic_rmw(ty, flags, rmw, ptr, v);
            dest.write_val(fx, Val::by_val(old, dest.layout));
        }
    }
}

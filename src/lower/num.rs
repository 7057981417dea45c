//! Arithmetic, bitwise, shift and comparison operators on integers, bools,
//! chars, floats and pointers, with Rust's overflow semantics.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    AbiParam, ArgumentPurpose, InstBuilder, MemFlags, Signature, Type, Value, types,
};
use cranelift_module::{Linkage, Module};
use rustc_abi::BackendRepr;
use rustc_middle::mir::BinOp;
use rustc_middle::ty::layout::{LayoutOf, TyAndLayout};
use rustc_middle::ty::{self, Ty};

use super::FunctionCx;
use super::value::Val;

/// Whether values of `ty` compare and divide as signed integers.
pub(crate) fn is_signed(ty: Ty<'_>) -> bool {
    matches!(ty.kind(), ty::Int(_))
}

pub(crate) fn binary_op<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    op: BinOp,
    lhs: Val<'tcx>,
    rhs: Val<'tcx>,
    out: TyAndLayout<'tcx>,
) -> Val<'tcx> {
    let ty = lhs.layout.ty;
    match ty.kind() {
        ty::Float(_) => {
            let a = lhs.load_scalar(fx);
            let b = rhs.load_scalar(fx);
            float_op(fx, op, a, b, out)
        }
        ty::RawPtr(..) | ty::Ref(..) | ty::FnPtr(..) if op == BinOp::Offset => {
            let pointee = ty
                .builtin_deref(true)
                .unwrap_or_else(|| fx.bug("offset of non-pointer".into()));
            let size = fx.layout_of(pointee).size.bytes();
            let base = lhs.load_scalar(fx);
            let count = rhs.load_scalar(fx);
            let bytes = fx.bcx.ins().imul_imm(count, size as i64);
            let res = fx.bcx.ins().iadd(base, bytes);
            Val::by_val(res, out)
        }
        ty::RawPtr(..) | ty::Ref(..) | ty::FnPtr(..)
            if matches!(lhs.layout.backend_repr, BackendRepr::ScalarPair(..)) =>
        {
            let (a0, a1) = lhs.load_scalar_pair(fx);
            let (b0, b1) = rhs.load_scalar_pair(fx);
            fat_ptr_compare(fx, op, (a0, a1), (b0, b1), out)
        }
        _ => {
            let a = lhs.load_scalar(fx);
            let b = rhs.load_scalar(fx);
            int_op(fx, op, a, b, is_signed(ty), out)
        }
    }
}

fn cmp_cc(op: BinOp, signed: bool) -> Option<IntCC> {
    Some(match (op, signed) {
        (BinOp::Eq, _) => IntCC::Equal,
        (BinOp::Ne, _) => IntCC::NotEqual,
        (BinOp::Lt, false) => IntCC::UnsignedLessThan,
        (BinOp::Lt, true) => IntCC::SignedLessThan,
        (BinOp::Le, false) => IntCC::UnsignedLessThanOrEqual,
        (BinOp::Le, true) => IntCC::SignedLessThanOrEqual,
        (BinOp::Gt, false) => IntCC::UnsignedGreaterThan,
        (BinOp::Gt, true) => IntCC::SignedGreaterThan,
        (BinOp::Ge, false) => IntCC::UnsignedGreaterThanOrEqual,
        (BinOp::Ge, true) => IntCC::SignedGreaterThanOrEqual,
        _ => return None,
    })
}

pub(crate) fn int_op<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    op: BinOp,
    a: Value,
    b: Value,
    signed: bool,
    out: TyAndLayout<'tcx>,
) -> Val<'tcx> {
    if let Some(cc) = cmp_cc(op, signed) {
        let res = fx.bcx.ins().icmp(cc, a, b);
        return Val::by_val(res, out);
    }
    let b_ty = fx.bcx.func.dfg.value_type(b);
    let ty = fx.bcx.func.dfg.value_type(a);
    // Operands other than shifts have equal types; shifts may not.
    let res = match op {
        BinOp::Add | BinOp::AddUnchecked => fx.bcx.ins().iadd(a, b),
        BinOp::Sub | BinOp::SubUnchecked => fx.bcx.ins().isub(a, b),
        BinOp::Mul | BinOp::MulUnchecked => fx.bcx.ins().imul(a, b),
        BinOp::Div => divide(fx, a, b, signed, false),
        BinOp::Rem => divide(fx, a, b, signed, true),
        BinOp::BitAnd => fx.bcx.ins().band(a, b),
        BinOp::BitOr => fx.bcx.ins().bor(a, b),
        BinOp::BitXor => fx.bcx.ins().bxor(a, b),
        BinOp::Shl | BinOp::ShlUnchecked => {
            let b = shift_amount(fx, b, b_ty, ty);
            fx.bcx.ins().ishl(a, b)
        }
        BinOp::Shr | BinOp::ShrUnchecked => {
            let b = shift_amount(fx, b, b_ty, ty);
            if signed {
                fx.bcx.ins().sshr(a, b)
            } else {
                fx.bcx.ins().ushr(a, b)
            }
        }
        BinOp::Cmp => {
            let (lt, gt) = if signed {
                (IntCC::SignedLessThan, IntCC::SignedGreaterThan)
            } else {
                (IntCC::UnsignedLessThan, IntCC::UnsignedGreaterThan)
            };
            let is_lt = fx.bcx.ins().icmp(lt, a, b);
            let is_gt = fx.bcx.ins().icmp(gt, a, b);
            fx.bcx.ins().isub(is_gt, is_lt)
        }
        BinOp::AddWithOverflow | BinOp::SubWithOverflow | BinOp::MulWithOverflow => {
            let (res, overflow) = overflowing_op(fx, op, a, b, signed);
            return Val::by_val_pair(res, overflow, out);
        }
        _ => fx.bug(format!("integer binary operator {op:?}")),
    };
    Val::by_val(res, out)
}

/// Shift amounts are taken modulo the width; bring wide amounts down to the
/// operand's type so every machine can shift by them.
fn shift_amount(
    fx: &mut FunctionCx<'_, '_, '_>,
    amount: Value,
    amount_ty: Type,
    ty: Type,
) -> Value {
    let masked = fx.bcx.ins().band_imm(amount, i64::from(ty.bits() - 1));
    if amount_ty.bits() > 64 {
        fx.bcx.ins().ireduce(types::I64, masked)
    } else {
        masked
    }
}

/// Division and remainder. Division by zero and `MIN / -1` were checked by
/// MIR before this point.
fn divide(fx: &mut FunctionCx<'_, '_, '_>, a: Value, b: Value, signed: bool, rem: bool) -> Value {
    let ty = fx.bcx.func.dfg.value_type(a);
    if ty == types::I128 && fx.target.i128_division_libcall {
        let name = match (signed, rem) {
            (true, false) => "__divti3",
            (false, false) => "__udivti3",
            (true, true) => "__modti3",
            (false, true) => "__umodti3",
        };
        return call_libcall(fx, name, &[a, b], types::I128);
    }
    match (signed, rem) {
        (true, false) => fx.bcx.ins().sdiv(a, b),
        (false, false) => fx.bcx.ins().udiv(a, b),
        (true, true) => fx.bcx.ins().srem(a, b),
        (false, true) => fx.bcx.ins().urem(a, b),
    }
}

/// `(wrapped result, overflowed)` of an add, sub or mul.
pub(crate) fn overflowing_op(
    fx: &mut FunctionCx<'_, '_, '_>,
    op: BinOp,
    a: Value,
    b: Value,
    signed: bool,
) -> (Value, Value) {
    let ty = fx.bcx.func.dfg.value_type(a);
    match op {
        BinOp::AddWithOverflow | BinOp::Add => {
            let res = fx.bcx.ins().iadd(a, b);
            let overflow = if signed {
                // Overflow iff both operands differ in sign from the result.
                let x = fx.bcx.ins().bxor(a, res);
                let y = fx.bcx.ins().bxor(b, res);
                let both = fx.bcx.ins().band(x, y);
                fx.bcx.ins().icmp_imm(IntCC::SignedLessThan, both, 0)
            } else {
                fx.bcx.ins().icmp(IntCC::UnsignedLessThan, res, a)
            };
            (res, overflow)
        }
        BinOp::SubWithOverflow | BinOp::Sub => {
            let res = fx.bcx.ins().isub(a, b);
            let overflow = if signed {
                let x = fx.bcx.ins().bxor(a, b);
                let y = fx.bcx.ins().bxor(a, res);
                let both = fx.bcx.ins().band(x, y);
                fx.bcx.ins().icmp_imm(IntCC::SignedLessThan, both, 0)
            } else {
                fx.bcx.ins().icmp(IntCC::UnsignedLessThan, a, b)
            };
            (res, overflow)
        }
        _ if ty.bits() <= 32 => {
            // Multiply in 64 bits and check that the result fits.
            let (wa, wb) = if signed {
                (
                    fx.bcx.ins().sextend(types::I64, a),
                    fx.bcx.ins().sextend(types::I64, b),
                )
            } else {
                (
                    fx.bcx.ins().uextend(types::I64, a),
                    fx.bcx.ins().uextend(types::I64, b),
                )
            };
            let wide = fx.bcx.ins().imul(wa, wb);
            let res = fx.bcx.ins().ireduce(ty, wide);
            let back = if signed {
                fx.bcx.ins().sextend(types::I64, res)
            } else {
                fx.bcx.ins().uextend(types::I64, res)
            };
            let overflow = fx.bcx.ins().icmp(IntCC::NotEqual, back, wide);
            (res, overflow)
        }
        _ if ty == types::I64 => {
            let res = fx.bcx.ins().imul(a, b);
            let overflow = if signed {
                let hi = fx.bcx.ins().smulhi(a, b);
                let sign = fx.bcx.ins().sshr_imm(res, 63);
                fx.bcx.ins().icmp(IntCC::NotEqual, hi, sign)
            } else {
                let hi = fx.bcx.ins().umulhi(a, b);
                fx.bcx.ins().icmp_imm(IntCC::NotEqual, hi, 0)
            };
            (res, overflow)
        }
        _ => {
            // 128 bits: from 64-bit partial products of the magnitudes.
            let res = fx.bcx.ins().imul(a, b);
            if !signed {
                return (res, unsigned_mul_overflow(fx, a, b).1);
            }
            let a_sign = fx.bcx.ins().sshr_imm(a, 127);
            let b_sign = fx.bcx.ins().sshr_imm(b, 127);
            let a_mag = magnitude(fx, a, a_sign);
            let b_mag = magnitude(fx, b, b_sign);
            let (p_hi, wrapped) = unsigned_mul_overflow(fx, a_mag, b_mag);
            // The magnitude fits a positive result below 2^127 and a
            // negative one up to 2^127 exactly (MIN).
            let (a_lo, _) = fx.bcx.ins().isplit(a_mag);
            let (b_lo, _) = fx.bcx.ins().isplit(b_mag);
            let p_lo = fx.bcx.ins().imul(a_lo, b_lo);
            let signs = fx.bcx.ins().bxor(a_sign, b_sign);
            let negative = fx.bcx.ins().icmp_imm(IntCC::SignedLessThan, signs, 0);
            let top_bit = fx.bcx.ins().icmp_imm(IntCC::SignedLessThan, p_hi, 0);
            let hi_is_min = fx.bcx.ins().icmp_imm(IntCC::Equal, p_hi, i64::MIN);
            let lo_zero = fx.bcx.ins().icmp_imm(IntCC::Equal, p_lo, 0);
            let is_min = fx.bcx.ins().band(hi_is_min, lo_zero);
            let fits_negative = fx.bcx.ins().band(negative, is_min);
            let fits_negative = fx.bcx.ins().bxor_imm(fits_negative, 1);
            let too_big = fx.bcx.ins().band(top_bit, fits_negative);
            (res, fx.bcx.ins().bor(wrapped, too_big))
        }
    }
}

/// `(x ^ sign) - sign` for a sign mask of all ones or zeros: `|x|` as an
/// unsigned value when `sign` is `x`'s.
fn magnitude(fx: &mut FunctionCx<'_, '_, '_>, x: Value, sign: Value) -> Value {
    let flipped = fx.bcx.ins().bxor(x, sign);
    fx.bcx.ins().isub(flipped, sign)
}

/// The high word of the 128-bit unsigned product `a * b` (modulo 2^128)
/// and whether the full product needs more than 128 bits, from 64-bit
/// halves: a1*b1 must be zero, a1*b0 and a0*b1 must fit 64 bits, and
/// adding them to the high word of a0*b0 must not carry.
fn unsigned_mul_overflow(fx: &mut FunctionCx<'_, '_, '_>, a: Value, b: Value) -> (Value, Value) {
    let (a0, a1) = fx.bcx.ins().isplit(a);
    let (b0, b1) = fx.bcx.ins().isplit(b);
    let a1_set = fx.bcx.ins().icmp_imm(IntCC::NotEqual, a1, 0);
    let b1_set = fx.bcx.ins().icmp_imm(IntCC::NotEqual, b1, 0);
    let mut overflow = fx.bcx.ins().band(a1_set, b1_set);
    for (x, y) in [(a1, b0), (a0, b1)] {
        let hi = fx.bcx.ins().umulhi(x, y);
        let spills = fx.bcx.ins().icmp_imm(IntCC::NotEqual, hi, 0);
        overflow = fx.bcx.ins().bor(overflow, spills);
    }
    let cross1 = fx.bcx.ins().imul(a1, b0);
    let cross2 = fx.bcx.ins().imul(a0, b1);
    let cross = fx.bcx.ins().iadd(cross1, cross2);
    let carry = fx.bcx.ins().icmp(IntCC::UnsignedLessThan, cross, cross1);
    overflow = fx.bcx.ins().bor(overflow, carry);
    let low_hi = fx.bcx.ins().umulhi(a0, b0);
    let hi = fx.bcx.ins().iadd(cross, low_hi);
    let carry = fx.bcx.ins().icmp(IntCC::UnsignedLessThan, hi, cross);
    (hi, fx.bcx.ins().bor(overflow, carry))
}

fn float_op<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    op: BinOp,
    a: Value,
    b: Value,
    out: TyAndLayout<'tcx>,
) -> Val<'tcx> {
    let ty = fx.bcx.func.dfg.value_type(a);
    let cc = match op {
        BinOp::Eq => Some(FloatCC::Equal),
        BinOp::Ne => Some(FloatCC::NotEqual),
        BinOp::Lt => Some(FloatCC::LessThan),
        BinOp::Le => Some(FloatCC::LessThanOrEqual),
        BinOp::Gt => Some(FloatCC::GreaterThan),
        BinOp::Ge => Some(FloatCC::GreaterThanOrEqual),
        _ => None,
    };
    if let Some(cc) = cc {
        let res = fx.bcx.ins().fcmp(cc, a, b);
        return Val::by_val(res, out);
    }
    let res = match op {
        BinOp::Add => fx.bcx.ins().fadd(a, b),
        BinOp::Sub => fx.bcx.ins().fsub(a, b),
        BinOp::Mul => fx.bcx.ins().fmul(a, b),
        BinOp::Div => fx.bcx.ins().fdiv(a, b),
        BinOp::Rem => {
            let name = if ty == types::F32 { "fmodf" } else { "fmod" };
            call_libcall(fx, name, &[a, b], ty)
        }
        _ => fx.bug(format!("float binary operator {op:?}")),
    };
    Val::by_val(res, out)
}

fn fat_ptr_compare<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    op: BinOp,
    (a0, a1): (Value, Value),
    (b0, b1): (Value, Value),
    out: TyAndLayout<'tcx>,
) -> Val<'tcx> {
    let res = match op {
        BinOp::Eq | BinOp::Ne => {
            let e0 = fx.bcx.ins().icmp(IntCC::Equal, a0, b0);
            let e1 = fx.bcx.ins().icmp(IntCC::Equal, a1, b1);
            let eq = fx.bcx.ins().band(e0, e1);
            if op == BinOp::Eq {
                eq
            } else {
                fx.bcx.ins().bxor_imm(eq, 1)
            }
        }
        _ => {
            // Lexicographic on (data, metadata).
            let cc =
                cmp_cc(op, false).unwrap_or_else(|| fx.bug(format!("fat pointer operator {op:?}")));
            let strict = match cc {
                IntCC::UnsignedLessThanOrEqual => IntCC::UnsignedLessThan,
                IntCC::UnsignedGreaterThanOrEqual => IntCC::UnsignedGreaterThan,
                other => other,
            };
            let first = fx.bcx.ins().icmp(strict, a0, b0);
            let data_eq = fx.bcx.ins().icmp(IntCC::Equal, a0, b0);
            let second = fx.bcx.ins().icmp(cc, a1, b1);
            let tie = fx.bcx.ins().band(data_eq, second);
            fx.bcx.ins().bor(first, tie)
        }
    };
    Val::by_val(res, out)
}

pub(crate) fn not<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    val: Val<'tcx>,
    out: TyAndLayout<'tcx>,
) -> Val<'tcx> {
    let v = val.load_scalar(fx);
    let res = if val.layout.ty.is_bool() {
        fx.bcx.ins().bxor_imm(v, 1)
    } else {
        fx.bcx.ins().bnot(v)
    };
    Val::by_val(res, out)
}

pub(crate) fn neg<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    val: Val<'tcx>,
    out: TyAndLayout<'tcx>,
) -> Val<'tcx> {
    let v = val.load_scalar(fx);
    let res = if val.layout.ty.is_floating_point() {
        fx.bcx.ins().fneg(v)
    } else {
        fx.bcx.ins().ineg(v)
    };
    Val::by_val(res, out)
}

/// `cond ? a : b` for integers. 128-bit selects are written as bit masks:
/// Cranelift's optimiser would otherwise turn some of them into 128-bit
/// min/max instructions that its x86-64 backend cannot emit.
pub(crate) fn select_int(
    fx: &mut FunctionCx<'_, '_, '_>,
    cond: Value,
    a: Value,
    b: Value,
) -> Value {
    let ty = fx.bcx.func.dfg.value_type(a);
    if ty != types::I128 {
        return fx.bcx.ins().select(cond, a, b);
    }
    let wide = fx.bcx.ins().uextend(types::I128, cond);
    let zero = fx.iconst_any(types::I128, 0);
    let mask = fx.bcx.ins().isub(zero, wide);
    let keep_a = fx.bcx.ins().band(a, mask);
    let keep_b = fx.bcx.ins().band_not(b, mask);
    fx.bcx.ins().bor(keep_a, keep_b)
}

/// Calls a C-ABI runtime routine (libgcc/compiler-builtins/libm) by name.
pub(crate) fn call_libcall(
    fx: &mut FunctionCx<'_, '_, '_>,
    name: &str,
    args: &[Value],
    ret: Type,
) -> Value {
    // Where the C ABI passes 128-bit integers by reference, the routine
    // (compiled from Rust's `extern "C"` definition) takes pointers to its
    // operands and writes its result through a leading return pointer.
    let wide_by_ref = fx.target.c_wide_ints_by_reference;
    let by_ref = |ty: Type| ty == types::I128 && wide_by_ref;
    let ptr_ty = fx.ptr_ty;
    let ret_slot = by_ref(ret).then(|| fx.create_stack_slot(16, 8));
    let mut params = Vec::with_capacity(args.len() + 1);
    let mut call_args = Vec::with_capacity(args.len() + 1);
    if let Some(slot) = ret_slot {
        params.push(AbiParam::special(ptr_ty, ArgumentPurpose::StructReturn));
        call_args.push(slot.get_addr(fx));
    }
    for &arg in args {
        let ty = fx.bcx.func.dfg.value_type(arg);
        if by_ref(ty) {
            let slot = fx.create_stack_slot(16, 8);
            slot.store(fx, arg, MemFlags::trusted());
            params.push(AbiParam::new(ptr_ty));
            call_args.push(slot.get_addr(fx));
        } else {
            params.push(AbiParam::new(ty));
            call_args.push(arg);
        }
    }
    let sig = Signature {
        params,
        returns: if ret_slot.is_some() {
            vec![]
        } else {
            vec![AbiParam::new(ret)]
        },
        call_conv: fx.module.target_config().default_call_conv,
    };
    let id = match fx.module.declare_function(name, Linkage::Import, &sig) {
        Ok(id) => id,
        Err(err) => fx.bug(format!("cannot declare runtime routine `{name}`: {err}")),
    };
    let func_ref = fx.module.declare_func_in_func(id, fx.bcx.func);
    let call = fx.bcx.ins().call(func_ref, &call_args);
    match ret_slot {
        Some(slot) => slot.load(fx, ret, MemFlags::trusted()),
        None => fx.bcx.inst_results(call)[0],
    }
}

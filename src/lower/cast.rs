//! `as` casts between integers, floats and pointers (saturating float to
//! integer, as Rust defines it).

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{InstBuilder, Type, Value, types};
use rustc_abi::BackendRepr;
use rustc_middle::ty::layout::TyAndLayout;

use super::FunctionCx;
use super::layout_cx::scalar_clif_ty;
use super::num::{call_libcall, is_signed, select_int};
use super::value::Val;

pub(crate) fn scalar_cast<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    val: Val<'tcx>,
    to: TyAndLayout<'tcx>,
) -> Val<'tcx> {
    // Fat pointer sources: keep both halves for fat targets, else the data.
    if let BackendRepr::ScalarPair(..) = val.layout.backend_repr {
        let (data, meta) = val.load_scalar_pair(fx);
        return match to.backend_repr {
            BackendRepr::ScalarPair(..) => Val::by_val_pair(data, meta, to),
            _ => Val::by_val(data, to),
        };
    }
    let to_ty = match to.backend_repr {
        BackendRepr::Scalar(s) => scalar_clif_ty(fx.tcx, s),
        _ => fx.bug(format!("cast to `{}`", to.ty)),
    };
    let v = val.load_scalar(fx);
    let from_float = val.layout.ty.is_floating_point();
    let to_float = to.ty.is_floating_point();
    let res = match (from_float, to_float) {
        (false, false) => int_to_int(fx, v, to_ty, is_signed(val.layout.ty)),
        (true, true) => {
            let from_ty = fx.bcx.func.dfg.value_type(v);
            if from_ty == to_ty {
                v
            } else if to_ty.bits() > from_ty.bits() {
                fx.bcx.ins().fpromote(to_ty, v)
            } else {
                fx.bcx.ins().fdemote(to_ty, v)
            }
        }
        (false, true) => int_to_float(fx, v, to_ty, is_signed(val.layout.ty)),
        (true, false) => float_to_int(fx, v, to_ty, is_signed(to.ty)),
    };
    Val::by_val(res, to)
}

pub(crate) fn int_to_int(
    fx: &mut FunctionCx<'_, '_, '_>,
    v: Value,
    to: Type,
    signed: bool,
) -> Value {
    let from = fx.bcx.func.dfg.value_type(v);
    if from == to {
        v
    } else if to.bits() < from.bits() {
        fx.bcx.ins().ireduce(to, v)
    } else if signed {
        fx.bcx.ins().sextend(to, v)
    } else {
        fx.bcx.ins().uextend(to, v)
    }
}

fn int_to_float(fx: &mut FunctionCx<'_, '_, '_>, v: Value, to: Type, signed: bool) -> Value {
    let from = fx.bcx.func.dfg.value_type(v);
    if from == types::I128 {
        let name = match (signed, to == types::F32) {
            (true, true) => "__floattisf",
            (true, false) => "__floattidf",
            (false, true) => "__floatuntisf",
            (false, false) => "__floatuntidf",
        };
        return call_libcall(fx, name, &[v], to);
    }
    let v = if from.bits() < 32 {
        int_to_int(fx, v, types::I32, signed)
    } else {
        v
    };
    if signed {
        fx.bcx.ins().fcvt_from_sint(to, v)
    } else {
        fx.bcx.ins().fcvt_from_uint(to, v)
    }
}

/// Saturating conversion: NaN gives 0, out-of-range values the nearest bound.
fn float_to_int(fx: &mut FunctionCx<'_, '_, '_>, v: Value, to: Type, signed: bool) -> Value {
    let from = fx.bcx.func.dfg.value_type(v);
    if to == types::I128 {
        return float_to_i128(fx, v, from, signed);
    }
    if to.bits() >= 32 {
        return if signed {
            fx.bcx.ins().fcvt_to_sint_sat(to, v)
        } else {
            fx.bcx.ins().fcvt_to_uint_sat(to, v)
        };
    }
    // Narrow targets: saturate into i32, then clamp to the target's range.
    let wide = if signed {
        fx.bcx.ins().fcvt_to_sint_sat(types::I32, v)
    } else {
        fx.bcx.ins().fcvt_to_uint_sat(types::I32, v)
    };
    let bits = to.bits();
    let (min, max) = if signed {
        (-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1)
    } else {
        (0, (1i64 << bits) - 1)
    };
    let (lt, gt) = if signed {
        (IntCC::SignedLessThan, IntCC::SignedGreaterThan)
    } else {
        (IntCC::UnsignedLessThan, IntCC::UnsignedGreaterThan)
    };
    let min_v = fx.bcx.ins().iconst(types::I32, min);
    let max_v = fx.bcx.ins().iconst(types::I32, max);
    let below = fx.bcx.ins().icmp(lt, wide, min_v);
    let clamped = fx.bcx.ins().select(below, min_v, wide);
    let above = fx.bcx.ins().icmp(gt, clamped, max_v);
    let clamped = fx.bcx.ins().select(above, max_v, clamped);
    fx.bcx.ins().ireduce(to, clamped)
}

fn float_to_i128(fx: &mut FunctionCx<'_, '_, '_>, v: Value, from: Type, signed: bool) -> Value {
    let fconst = |fx: &mut FunctionCx<'_, '_, '_>, x: f64| {
        if from == types::F32 {
            fx.bcx.ins().f32const(x as f32)
        } else {
            fx.bcx.ins().f64const(x)
        }
    };
    let name = match (signed, from == types::F32) {
        (true, true) => "__fixsfti",
        (true, false) => "__fixdfti",
        (false, true) => "__fixunssfti",
        (false, false) => "__fixunsdfti",
    };
    let raw = call_libcall(fx, name, &[v], types::I128);
    let zero = fx.iconst_any(types::I128, 0);
    if signed {
        let two_127 = fconst(fx, 2f64.powi(127));
        let neg_two_127 = fconst(fx, -(2f64.powi(127)));
        let max = fx.iconst_any(types::I128, i128::MAX as u128);
        let min = fx.iconst_any(types::I128, i128::MIN as u128);
        let too_big = fx.bcx.ins().fcmp(FloatCC::GreaterThanOrEqual, v, two_127);
        let too_small = fx.bcx.ins().fcmp(FloatCC::LessThan, v, neg_two_127);
        let nan = fx.bcx.ins().fcmp(FloatCC::Unordered, v, v);
        let r = select_int(fx, too_big, max, raw);
        let r = select_int(fx, too_small, min, r);
        select_int(fx, nan, zero, r)
    } else {
        let two_128 = fconst(fx, 2f64.powi(128));
        let minus_one = fconst(fx, -1.0);
        let max = fx.iconst_any(types::I128, u128::MAX);
        let too_big = fx.bcx.ins().fcmp(FloatCC::GreaterThanOrEqual, v, two_128);
        // NaN and values that truncate below zero give 0.
        let in_range = fx.bcx.ins().fcmp(FloatCC::GreaterThan, v, minus_one);
        let r = select_int(fx, too_big, max, raw);
        select_int(fx, in_range, r, zero)
    }
}

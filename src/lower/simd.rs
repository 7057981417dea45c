//! The portable SIMD intrinsics (`simd_*`, which `core::arch`, `core::simd`
//! and crates such as memchr are written with), lowered lane by lane.
//!
//! Vectors stay in memory (every `#[repr(simd)]` local lives in a stack
//! slot, and the Rust ABI passes them by reference), so each operation
//! reads its operands' lanes, applies the scalar operation the rest of the
//! lowering already implements, and writes the destination's lanes. This
//! needs no vector registers, so vectors of any width (256- and 512-bit
//! `core::arch` types included) compile on every target; it gives up the
//! speed of vector instructions, never their meaning.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{InstBuilder, MemFlags, Value, types};
use rustc_abi::BackendRepr;
use rustc_middle::mir::{BinOp, Operand};
use rustc_middle::ty::Ty;
use rustc_middle::ty::layout::{LayoutOf, TyAndLayout};
use rustc_span::Spanned;

use super::FunctionCx;
use super::intrinsics::{bit_op, float_math, funnel_shift, saturating};
use super::num::{binary_op, is_signed, neg, select_int};
use super::place::Place;
use super::pointer::Pointer;
use super::rvalue::lower_operand;
use super::value::Val;

/// A vector in memory: where it is, how many lanes, and the lane layout.
#[derive(Clone, Copy)]
struct Lanes<'tcx> {
    ptr: Pointer,
    count: u64,
    elem: TyAndLayout<'tcx>,
}

impl<'tcx> Lanes<'tcx> {
    fn of(fx: &mut FunctionCx<'_, '_, 'tcx>, val: Val<'tcx>) -> Self {
        let layout = val.layout;
        let (ptr, _) = val.force_stack(fx);
        Self::at(fx, ptr, layout)
    }

    fn at(fx: &mut FunctionCx<'_, '_, 'tcx>, ptr: Pointer, layout: TyAndLayout<'tcx>) -> Self {
        let (count, elem) = layout.ty.simd_size_and_type(fx.tcx);
        Lanes {
            ptr,
            count,
            elem: fx.layout_of(elem),
        }
    }

    fn lane(&self, fx: &mut FunctionCx<'_, '_, 'tcx>, i: u64) -> Val<'tcx> {
        let ptr = self.ptr.offset_i64(fx, (i * self.elem.size.bytes()) as i64);
        Val::by_ref(ptr, self.elem)
    }

    fn lane_place(&self, fx: &mut FunctionCx<'_, '_, 'tcx>, i: u64) -> Place<'tcx> {
        let ptr = self.ptr.offset_i64(fx, (i * self.elem.size.bytes()) as i64);
        Place::for_ptr(ptr, self.elem)
    }

    /// The lane at a run-time index (below `count`, which the intrinsics
    /// require of their callers).
    fn lane_at(&self, fx: &mut FunctionCx<'_, '_, 'tcx>, index: Value) -> Pointer {
        let index = super::cast::int_to_int(fx, index, fx.ptr_ty, false);
        let offset = fx.bcx.ins().imul_imm(index, self.elem.size.bytes() as i64);
        self.ptr.offset_value(fx, offset)
    }

    fn scalar(&self, fx: &mut FunctionCx<'_, '_, 'tcx>, i: u64) -> Value {
        self.lane(fx, i).load_scalar(fx)
    }
}

/// The destination's memory as lanes, or a stack slot that [`finish`]
/// copies into it.
fn out_lanes<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    dest: Place<'tcx>,
) -> (Place<'tcx>, Lanes<'tcx>) {
    let out = match dest.try_memory() {
        Some(_) => dest,
        None => Place::new_stack_slot(fx, dest.layout),
    };
    let ptr = out.to_ptr(fx);
    let lanes = Lanes::at(fx, ptr, dest.layout);
    (out, lanes)
}

fn finish<'tcx>(fx: &mut FunctionCx<'_, '_, 'tcx>, out: Place<'tcx>, dest: Place<'tcx>) {
    if !out.same_storage(&dest) {
        let v = out.to_val(fx);
        dest.write_val(fx, v);
    }
}

/// The Cranelift type of a scalar lane.
fn lane_ty(fx: &FunctionCx<'_, '_, '_>, elem: TyAndLayout<'_>) -> cranelift_codegen::ir::Type {
    match elem.backend_repr {
        BackendRepr::Scalar(s) => super::layout_cx::scalar_clif_ty(fx.tcx, s),
        _ => fx.bug(format!("SIMD lane of type `{}`", elem.ty)),
    }
}

/// An all-ones (`true`) or all-zeros lane of `ty` from a boolean.
fn mask_lane(fx: &mut FunctionCx<'_, '_, '_>, b: Value, ty: cranelift_codegen::ir::Type) -> Value {
    let wide = super::cast::int_to_int(fx, b, ty, false);
    let zero = fx.iconst_any(ty, 0);
    fx.bcx.ins().isub(zero, wide)
}

/// Whether a mask lane is set (non-zero; masks are all ones or all zeros).
fn lane_set(fx: &mut FunctionCx<'_, '_, '_>, v: Value) -> Value {
    fx.bcx.ins().icmp_imm(IntCC::NotEqual, v, 0)
}

/// Bit `i` of a bitmask operand: an unsigned integer or a byte array.
fn bitmask_bit<'tcx>(fx: &mut FunctionCx<'_, '_, 'tcx>, mask: Val<'tcx>, i: u64) -> Value {
    if let BackendRepr::Scalar(_) = mask.layout.backend_repr {
        let m = mask.load_scalar(fx);
        let bits = fx.bcx.func.dfg.value_type(m).bits();
        let shifted = if bits > 64 && i >= 64 {
            let s = fx.iconst_any(types::I128, u128::from(i));
            fx.bcx.ins().ushr(m, s)
        } else {
            fx.bcx.ins().ushr_imm(m, i as i64)
        };
        let bit = fx.bcx.ins().band_imm(shifted, 1);
        lane_set(fx, bit)
    } else {
        let (ptr, _) = mask.force_stack(fx);
        let byte = ptr
            .offset_i64(fx, (i / 8) as i64)
            .load(fx, types::I8, MemFlags::trusted());
        let shifted = fx.bcx.ins().ushr_imm(byte, (i % 8) as i64);
        let bit = fx.bcx.ins().band_imm(shifted, 1);
        lane_set(fx, bit)
    }
}

/// Lowers the SIMD intrinsic `name` (without its `simd_` prefix); returns
/// false when the backend does not implement it.
pub(super) fn lower_simd_intrinsic<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    name: &str,
    args: &[Spanned<Operand<'tcx>>],
    dest: Place<'tcx>,
) -> bool {
    let arg = |fx: &mut FunctionCx<'_, '_, 'tcx>, i: usize| lower_operand(fx, &args[i].node);
    if let Some(op) = binary(name) {
        let (a, b) = (arg(fx, 0), arg(fx, 1));
        let (a, b) = (Lanes::of(fx, a), Lanes::of(fx, b));
        let (out, o) = out_lanes(fx, dest);
        let bool_layout = fx.layout_of(fx.tcx.types.bool);
        for i in 0..o.count {
            let (x, y) = (a.lane(fx, i), b.lane(fx, i));
            let v = if is_comparison(op) {
                let b = binary_op(fx, op, x, y, bool_layout).load_scalar(fx);
                let ty = lane_ty(fx, o.elem);
                Val::by_val(mask_lane(fx, b, ty), o.elem)
            } else {
                binary_op(fx, op, x, y, o.elem)
            };
            o.lane_place(fx, i).write_val(fx, v);
        }
        finish(fx, out, dest);
        return true;
    }
    match name {
        "neg" | "fabs" | "fsqrt" | "floor" | "ceil" | "trunc" | "round" | "round_ties_even"
        | "fsin" | "fcos" | "fexp" | "fexp2" | "flog" | "flog2" | "flog10" | "ctpop" | "ctlz"
        | "cttz" | "bswap" | "bitreverse" => {
            let a = arg(fx, 0);
            let a = Lanes::of(fx, a);
            let (out, o) = out_lanes(fx, dest);
            for i in 0..o.count {
                let x = a.lane(fx, i);
                let v = match name {
                    "neg" => neg(fx, x, o.elem),
                    "ctpop" | "ctlz" | "cttz" | "bswap" | "bitreverse" => {
                        let x = x.load_scalar(fx);
                        Val::by_val(bit_op(fx, name, x), o.elem)
                    }
                    _ => {
                        let x = x.load_scalar(fx);
                        let Some(v) = float_lane(fx, name, a.elem.ty, &[x]) else {
                            return false;
                        };
                        Val::by_val(v, o.elem)
                    }
                };
                o.lane_place(fx, i).write_val(fx, v);
            }
            finish(fx, out, dest);
        }
        "fma" | "relaxed_fma" | "minimum_number_nsz" | "maximum_number_nsz" | "saturating_add"
        | "saturating_sub" | "funnel_shl" | "funnel_shr" => {
            let operands = if name.ends_with("fma") || name.starts_with("funnel") {
                3
            } else {
                2
            };
            let inputs: Vec<Lanes<'tcx>> = (0..operands)
                .map(|i| {
                    let v = arg(fx, i);
                    Lanes::of(fx, v)
                })
                .collect();
            let (out, o) = out_lanes(fx, dest);
            let signed = is_signed(o.elem.ty);
            for i in 0..o.count {
                let xs: Vec<Value> = inputs.iter().map(|l| l.scalar(fx, i)).collect();
                let v = match name {
                    "saturating_add" | "saturating_sub" => {
                        saturating(fx, name == "saturating_add", xs[0], xs[1], signed)
                    }
                    "funnel_shl" | "funnel_shr" => {
                        // The amount is taken modulo the width, as LLVM does.
                        let ty = fx.bcx.func.dfg.value_type(xs[2]);
                        let s = fx.bcx.ins().band_imm(xs[2], i64::from(ty.bits() - 1));
                        funnel_shift(fx, name == "funnel_shl", xs[0], xs[1], s)
                    }
                    _ => match float_lane(fx, name, o.elem.ty, &xs) {
                        Some(v) => v,
                        None => return false,
                    },
                };
                o.lane_place(fx, i).write_val(fx, Val::by_val(v, o.elem));
            }
            finish(fx, out, dest);
        }
        "splat" => {
            let x = arg(fx, 0);
            let (out, o) = out_lanes(fx, dest);
            for i in 0..o.count {
                o.lane_place(fx, i).write_val(fx, x);
            }
            finish(fx, out, dest);
        }
        "extract" | "extract_dyn" => {
            let v = arg(fx, 0);
            let v = Lanes::of(fx, v);
            let index = arg(fx, 1).load_scalar(fx);
            let ptr = v.lane_at(fx, index);
            dest.write_val(fx, Val::by_ref(ptr, v.elem));
        }
        "insert" | "insert_dyn" => {
            let v = arg(fx, 0);
            let index = arg(fx, 1).load_scalar(fx);
            let x = arg(fx, 2);
            // Read the new lane before the copy can overwrite it.
            let x = Val::by_val(x.load_scalar(fx), x.layout);
            let (out, o) = out_lanes(fx, dest);
            out.write_val(fx, v);
            let ptr = o.lane_at(fx, index);
            Place::for_ptr(ptr, o.elem).write_val(fx, x);
            finish(fx, out, dest);
        }
        "cast" | "as" | "cast_ptr" | "expose_provenance" | "with_exposed_provenance" => {
            let a = arg(fx, 0);
            let a = Lanes::of(fx, a);
            let (out, o) = out_lanes(fx, dest);
            cast_lanes(fx, a, o);
            finish(fx, out, dest);
        }
        "arith_offset" => {
            let (p, n) = (arg(fx, 0), arg(fx, 1));
            let (p, n) = (Lanes::of(fx, p), Lanes::of(fx, n));
            let (out, o) = out_lanes(fx, dest);
            let pointee = p.elem.ty.builtin_deref(true).unwrap_or(fx.tcx.types.u8);
            let size = fx.layout_of(pointee).size.bytes() as i64;
            for i in 0..o.count {
                let base = p.scalar(fx, i);
                let count = n.scalar(fx, i);
                let bytes = fx.bcx.ins().imul_imm(count, size);
                let v = fx.bcx.ins().iadd(base, bytes);
                o.lane_place(fx, i).write_val(fx, Val::by_val(v, o.elem));
            }
            finish(fx, out, dest);
        }
        "select" => {
            let (m, a, b) = (arg(fx, 0), arg(fx, 1), arg(fx, 2));
            let (m, a, b) = (Lanes::of(fx, m), Lanes::of(fx, a), Lanes::of(fx, b));
            let (out, o) = out_lanes(fx, dest);
            for i in 0..o.count {
                let c = m.scalar(fx, i);
                let c = lane_set(fx, c);
                let (x, y, to) = (a.lane(fx, i), b.lane(fx, i), o.lane_place(fx, i));
                select_lane(fx, c, x, y, to);
            }
            finish(fx, out, dest);
        }
        "select_bitmask" => {
            let (m, a, b) = (arg(fx, 0), arg(fx, 1), arg(fx, 2));
            let (a, b) = (Lanes::of(fx, a), Lanes::of(fx, b));
            let (out, o) = out_lanes(fx, dest);
            for i in 0..o.count {
                let c = bitmask_bit(fx, m, i);
                let (x, y, to) = (a.lane(fx, i), b.lane(fx, i), o.lane_place(fx, i));
                select_lane(fx, c, x, y, to);
            }
            finish(fx, out, dest);
        }
        "bitmask" => {
            let v = arg(fx, 0);
            let v = Lanes::of(fx, v);
            bitmask(fx, v, dest);
        }
        "shuffle" => {
            let (x, y, idx) = (arg(fx, 0), arg(fx, 1), arg(fx, 2));
            shuffle(fx, x, y, idx, dest);
        }
        "reduce_add_ordered"
        | "reduce_mul_ordered"
        | "reduce_add_unordered"
        | "reduce_mul_unordered"
        | "reduce_and"
        | "reduce_or"
        | "reduce_xor"
        | "reduce_min"
        | "reduce_max"
        | "reduce_all"
        | "reduce_any" => {
            let v = arg(fx, 0);
            let v = Lanes::of(fx, v);
            let init = name.ends_with("_ordered").then(|| arg(fx, 1));
            reduce(fx, name, v, init, dest);
        }
        "gather" | "masked_load" => {
            // gather(values, pointers, mask); masked_load(mask, pointer, values).
            let (values, mask) = if name == "gather" { (0, 2) } else { (2, 0) };
            let (vals, mask) = (arg(fx, values), arg(fx, mask));
            let (vals, mask) = (Lanes::of(fx, vals), Lanes::of(fx, mask));
            let pointers = arg(fx, 1);
            let addresses = Addresses::of(fx, pointers, name == "gather");
            let (out, o) = out_lanes(fx, dest);
            for i in 0..o.count {
                let addr = addresses.at(fx, i, o.elem.size.bytes());
                let c = mask.scalar(fx, i);
                let c = lane_set(fx, c);
                let loaded = Val::by_ref(Pointer::new(addr), o.elem);
                let (old, to) = (vals.lane(fx, i), o.lane_place(fx, i));
                conditional_lane(fx, c, loaded, Some(old), to);
            }
            finish(fx, out, dest);
        }
        "scatter" | "masked_store" => {
            // scatter(values, pointers, mask); masked_store(mask, pointer, values).
            let (values, mask) = if name == "scatter" { (0, 2) } else { (2, 0) };
            let (vals, mask) = (arg(fx, values), arg(fx, mask));
            let (vals, mask) = (Lanes::of(fx, vals), Lanes::of(fx, mask));
            let pointers = arg(fx, 1);
            let addresses = Addresses::of(fx, pointers, name == "scatter");
            for i in 0..vals.count {
                let addr = addresses.at(fx, i, vals.elem.size.bytes());
                let c = mask.scalar(fx, i);
                let c = lane_set(fx, c);
                let target = Place::for_ptr(Pointer::new(addr), vals.elem);
                let value = vals.lane(fx, i);
                conditional_lane(fx, c, value, None, target);
            }
        }
        _ => return false,
    }
    true
}

/// Where the lanes of a gather/scatter (a vector of pointers) or of a
/// masked load/store (one pointer to consecutive lanes) are.
enum Addresses<'tcx> {
    Each(Lanes<'tcx>),
    Consecutive(Value),
}

impl<'tcx> Addresses<'tcx> {
    fn of(fx: &mut FunctionCx<'_, '_, 'tcx>, operand: Val<'tcx>, per_lane: bool) -> Self {
        if per_lane {
            Addresses::Each(Lanes::of(fx, operand))
        } else {
            Addresses::Consecutive(operand.load_scalar(fx))
        }
    }

    /// Lane `i`'s address, for lanes of `size` bytes.
    fn at(&self, fx: &mut FunctionCx<'_, '_, 'tcx>, i: u64, size: u64) -> Value {
        match self {
            Addresses::Each(pointers) => pointers.scalar(fx, i),
            Addresses::Consecutive(base) => fx.bcx.ins().iadd_imm(*base, (i * size) as i64),
        }
    }
}

/// The MIR operator of a lane-wise binary intrinsic.
fn binary(name: &str) -> Option<BinOp> {
    Some(match name {
        "add" => BinOp::Add,
        "sub" => BinOp::Sub,
        "mul" => BinOp::Mul,
        "div" => BinOp::Div,
        "rem" => BinOp::Rem,
        "shl" => BinOp::Shl,
        "shr" => BinOp::Shr,
        "and" => BinOp::BitAnd,
        "or" => BinOp::BitOr,
        "xor" => BinOp::BitXor,
        "eq" => BinOp::Eq,
        "ne" => BinOp::Ne,
        "lt" => BinOp::Lt,
        "le" => BinOp::Le,
        "gt" => BinOp::Gt,
        "ge" => BinOp::Ge,
        _ => return None,
    })
}

fn is_comparison(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
    )
}

/// A float intrinsic on one lane of float type `ty`.
fn float_lane<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    name: &str,
    ty: Ty<'tcx>,
    vals: &[Value],
) -> Option<Value> {
    let is_f32 = ty == fx.tcx.types.f32;
    if !is_f32 && ty != fx.tcx.types.f64 {
        return None;
    }
    let base = match name {
        "fsqrt" => "sqrt",
        "round_ties_even" => "roundeven",
        "relaxed_fma" => "fma",
        "minimum_number_nsz" => "minnum",
        "maximum_number_nsz" => "maxnum",
        "fsin" | "fcos" | "fexp" | "fexp2" | "flog" | "flog2" | "flog10" => &name[1..],
        _ => name,
    };
    float_math(fx, base, is_f32, vals)
}

fn cast_lanes<'tcx>(fx: &mut FunctionCx<'_, '_, 'tcx>, from: Lanes<'tcx>, to: Lanes<'tcx>) {
    for i in 0..to.count {
        let x = from.lane(fx, i);
        let x = Val::by_val(x.load_scalar(fx), from.elem);
        let v = super::cast::scalar_cast(fx, x, to.elem);
        to.lane_place(fx, i).write_val(fx, v);
    }
}

/// Writes `cond ? a : b` into `out`.
fn select_lane<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    cond: Value,
    a: Val<'tcx>,
    b: Val<'tcx>,
    out: Place<'tcx>,
) {
    let (a, b) = (a.load_scalar(fx), b.load_scalar(fx));
    let v = select_int(fx, cond, a, b);
    out.write_val(fx, Val::by_val(v, out.layout));
}

/// Writes `value` into `out` when `cond` holds, else `otherwise` if given;
/// `value` is only read under the condition (it may be an invalid address
/// when the mask is clear).
fn conditional_lane<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    cond: Value,
    value: Val<'tcx>,
    otherwise: Option<Val<'tcx>>,
    out: Place<'tcx>,
) {
    let then_b = fx.bcx.create_block();
    let else_b = fx.bcx.create_block();
    let join = fx.bcx.create_block();
    fx.bcx.ins().brif(cond, then_b, &[], else_b, &[]);
    fx.bcx.switch_to_block(then_b);
    let v = Val::by_val(value.load_scalar(fx), out.layout);
    out.write_val(fx, v);
    fx.bcx.ins().jump(join, &[]);
    fx.bcx.switch_to_block(else_b);
    if let Some(otherwise) = otherwise {
        let v = Val::by_val(otherwise.load_scalar(fx), out.layout);
        out.write_val(fx, v);
    }
    fx.bcx.ins().jump(join, &[]);
    fx.bcx.switch_to_block(join);
}

/// One bit per lane, set when the lane's most significant bit is: into an
/// unsigned integer (lane `i` at bit `i`) or a byte array.
fn bitmask<'tcx>(fx: &mut FunctionCx<'_, '_, 'tcx>, v: Lanes<'tcx>, dest: Place<'tcx>) {
    let bit = |fx: &mut FunctionCx<'_, '_, 'tcx>, i: u64, ty| {
        let x = v.scalar(fx, i);
        let bits = fx.bcx.func.dfg.value_type(x).bits();
        let top = fx.bcx.ins().ushr_imm(x, i64::from(bits - 1));
        let top = fx.bcx.ins().band_imm(top, 1);
        super::cast::int_to_int(fx, top, ty, false)
    };
    if let BackendRepr::Scalar(s) = dest.layout.backend_repr {
        let ty = super::layout_cx::scalar_clif_ty(fx.tcx, s);
        let mut acc = fx.iconst_any(ty, 0);
        for i in 0..v.count {
            let b = bit(fx, i, ty);
            let b = if i == 0 {
                b
            } else {
                let amount = fx.iconst_any(types::I32, u128::from(i));
                fx.bcx.ins().ishl(b, amount)
            };
            acc = fx.bcx.ins().bor(acc, b);
        }
        dest.write_val(fx, Val::by_val(acc, dest.layout));
        return;
    }
    let out = match dest.try_memory() {
        Some(_) => dest,
        None => Place::new_stack_slot(fx, dest.layout),
    };
    let ptr = out.to_ptr(fx);
    for byte in 0..dest.layout.size.bytes() {
        let mut acc = fx.iconst_any(types::I8, 0);
        for i in (byte * 8)..((byte * 8 + 8).min(v.count)) {
            let b = bit(fx, i, types::I8);
            let b = fx.bcx.ins().ishl_imm(b, (i % 8) as i64);
            acc = fx.bcx.ins().bor(acc, b);
        }
        ptr.offset_i64(fx, byte as i64)
            .store(fx, acc, MemFlags::trusted());
    }
    finish(fx, out, dest);
}

/// `simd_shuffle(x, y, indices)`: lane `i` of the result is lane
/// `indices[i]` of the concatenation of `x` and `y`. The indices are a
/// constant vector (or array) of u32; they are read where they are stored
/// and the lanes copied through a slot holding both operands.
fn shuffle<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    x: Val<'tcx>,
    y: Val<'tcx>,
    indices: Val<'tcx>,
    dest: Place<'tcx>,
) {
    let half = x.layout.size.bytes();
    let both = fx.create_stack_slot((half * 2) as u32, x.layout.align.abi.bytes() as u32);
    Place::for_ptr(both, x.layout).write_val(fx, x);
    let upper = both.offset_i64(fx, half as i64);
    Place::for_ptr(upper, y.layout).write_val(fx, y);
    let xs = Lanes::at(fx, both, x.layout);
    let (idx_ptr, _) = indices.force_stack(fx);
    let (out, o) = out_lanes(fx, dest);
    for i in 0..o.count {
        let index =
            idx_ptr
                .offset_i64(fx, (i * 4) as i64)
                .load(fx, types::I32, MemFlags::trusted());
        let from = xs.lane_at(fx, index);
        let lane = Val::by_ref(from, o.elem);
        let v = Val::by_val(lane.load_scalar(fx), o.elem);
        o.lane_place(fx, i).write_val(fx, v);
    }
    finish(fx, out, dest);
}

/// The reductions: a fold over the lanes (from `init` for the ordered float
/// forms) into a scalar.
fn reduce<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    name: &str,
    v: Lanes<'tcx>,
    init: Option<Val<'tcx>>,
    dest: Place<'tcx>,
) {
    let float = v.elem.ty.is_floating_point();
    let signed = is_signed(v.elem.ty);
    let mut acc = match init {
        Some(init) => init.load_scalar(fx),
        None => v.scalar(fx, 0),
    };
    let mut acc_bool = None;
    let first = if init.is_some() { 0 } else { 1 };
    if matches!(name, "reduce_all" | "reduce_any") {
        acc_bool = Some(lane_set(fx, acc));
    }
    for i in first..v.count {
        let x = v.scalar(fx, i);
        acc = match name {
            "reduce_add_ordered"
            | "reduce_add_unordered"
            | "reduce_mul_ordered"
            | "reduce_mul_unordered"
            | "reduce_and"
            | "reduce_or"
            | "reduce_xor" => {
                let op = match name {
                    "reduce_and" => BinOp::BitAnd,
                    "reduce_or" => BinOp::BitOr,
                    "reduce_xor" => BinOp::BitXor,
                    _ if name.starts_with("reduce_add") => BinOp::Add,
                    _ => BinOp::Mul,
                };
                let a = Val::by_val(acc, v.elem);
                let b = Val::by_val(x, v.elem);
                binary_op(fx, op, a, b, v.elem).load_scalar(fx)
            }
            "reduce_min" | "reduce_max" if float => {
                let base = if name == "reduce_min" {
                    "minnum"
                } else {
                    "maxnum"
                };
                match float_lane(fx, base, v.elem.ty, &[acc, x]) {
                    Some(m) => m,
                    None => fx.bug(format!("`simd_{name}` of `{}`", v.elem.ty)),
                }
            }
            "reduce_min" | "reduce_max" => {
                let cc = match (name == "reduce_min", signed) {
                    (true, true) => IntCC::SignedLessThan,
                    (true, false) => IntCC::UnsignedLessThan,
                    (false, true) => IntCC::SignedGreaterThan,
                    (false, false) => IntCC::UnsignedGreaterThan,
                };
                let keep = fx.bcx.ins().icmp(cc, acc, x);
                select_int(fx, keep, acc, x)
            }
            _ => {
                let set = lane_set(fx, x);
                let prev = acc_bool.unwrap_or(set);
                acc_bool = Some(if name == "reduce_all" {
                    fx.bcx.ins().band(prev, set)
                } else {
                    fx.bcx.ins().bor(prev, set)
                });
                acc
            }
        };
    }
    let res = acc_bool.unwrap_or(acc);
    dest.write_val(fx, Val::by_val(res, dest.layout));
}

/// x86's `pshufb` on 16-byte blocks: byte `i` of the result is byte
/// `b[i] & 15` of `a`'s block holding `i`, or zero when `b[i]`'s top bit is
/// set.
pub(super) fn byte_shuffle<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    a: Val<'tcx>,
    b: Val<'tcx>,
    dest: Place<'tcx>,
) {
    let (a_ptr, _) = a.force_stack(fx);
    let b = Lanes::of(fx, b);
    let out = Place::new_stack_slot(fx, dest.layout);
    let o = Lanes::at(fx, out.to_ptr(fx), dest.layout);
    for i in 0..o.count {
        let index = b.scalar(fx, i);
        let within = fx.bcx.ins().band_imm(index, 15);
        let block = a_ptr.offset_i64(fx, (i & !15) as i64);
        let offset = super::cast::int_to_int(fx, within, fx.ptr_ty, false);
        let byte = block
            .offset_value(fx, offset)
            .load(fx, types::I8, MemFlags::trusted());
        let zero = fx.bcx.ins().iconst(types::I8, 0);
        let cleared = fx.bcx.ins().icmp_imm(IntCC::SignedLessThan, index, 0);
        let v = fx.bcx.ins().select(cleared, zero, byte);
        o.lane_place(fx, i).write_val(fx, Val::by_val(v, o.elem));
    }
    let v = out.to_val(fx);
    dest.write_val(fx, v);
}

//! Floating point without an FPU: values are their bit patterns in integer
//! registers; sign operations are bit operations and everything else calls
//! the soft-float routines of compiler_builtins and libm by their usual
//! names.

use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{Inst, InstructionData, Opcode, Type, Value, types};

use super::{Lower, Regs, alu, branch, call};
use crate::bpf::CompileError;
use crate::bpf::encode::{AluOp, Cond};
use crate::bpf::inst::{Reg, Src};

pub(super) fn lower(cx: &mut Lower<'_>, inst: Inst) -> Result<(), CompileError> {
    let func = cx.func;
    let dfg = &func.dfg;
    let data = &dfg.insts[inst];
    let args = dfg.inst_args(inst);
    let result = dfg.inst_results(inst)[0];
    let ty = dfg.value_type(result);
    let s = |f32_name: &'static str, f64_name: &'static str, t: Type| {
        if t == types::F32 { f32_name } else { f64_name }
    };
    use Opcode::*;
    let r = match *data {
        InstructionData::UnaryIeee32 { imm, .. } => cx.const_reg(i64::from(imm.bits())),
        InstructionData::UnaryIeee64 { imm, .. } => cx.const_reg(imm.bits() as i64),
        InstructionData::FloatCompare { cond, args, .. } => fcmp(cx, cond, args[0], args[1]),
        _ => match data.opcode() {
            Fadd => call2(cx, s("__addsf3", "__adddf3", ty), args, ty),
            Fsub => call2(cx, s("__subsf3", "__subdf3", ty), args, ty),
            Fmul => call2(cx, s("__mulsf3", "__muldf3", ty), args, ty),
            Fdiv => call2(cx, s("__divsf3", "__divdf3", ty), args, ty),
            Fmin => call2(cx, s("fminimumf", "fminimum", ty), args, ty),
            Fmax => call2(cx, s("fmaximumf", "fmaximum", ty), args, ty),
            Sqrt => call2(cx, s("sqrtf", "sqrt", ty), args, ty),
            Floor => call2(cx, s("floorf", "floor", ty), args, ty),
            Ceil => call2(cx, s("ceilf", "ceil", ty), args, ty),
            Trunc => call2(cx, s("truncf", "trunc", ty), args, ty),
            Nearest => call2(cx, s("rintf", "rint", ty), args, ty),
            Fma => call2(cx, s("fmaf", "fma", ty), args, ty),
            Fpromote => call2(cx, "__extendsfdf2", args, ty),
            Fdemote => call2(cx, "__truncdfsf2", args, ty),
            Fneg | Fabs | Fcopysign => sign_op(cx, data.opcode(), args, ty),
            FcvtToSint | FcvtToSintSat | FcvtToUint | FcvtToUintSat => {
                let from = dfg.value_type(args[0]);
                let signed = matches!(data.opcode(), FcvtToSint | FcvtToSintSat);
                let (name, via) =
                    to_int_name(from, ty, signed).ok_or_else(|| cx.unsupported(inst))?;
                let x = cx.regs(args[0]);
                let out = call::libcall(cx, name, &[(x, from)], &[via]);
                if ty == types::I128 {
                    let dst = cx.def(result);
                    cx.finish_into(dst.lo, out[0]);
                    if let Some(hi) = dst.hi {
                        cx.finish_into(hi, out[1]);
                    }
                    return Ok(());
                }
                saturate_narrow(cx, out[0], ty, signed)
            }
            FcvtFromSint | FcvtFromUint => {
                let from = dfg.value_type(args[0]);
                let signed = data.opcode() == FcvtFromSint;
                let x = cx.regs(args[0]);
                let (x, via) = if from.bits() < 32 {
                    let r = if signed {
                        alu::sextend(cx, x.lo, from.bits(), 32)
                    } else {
                        x.lo
                    };
                    (Regs { lo: r, hi: None }, types::I32)
                } else {
                    (x, from)
                };
                let name = from_int_name(via, ty, signed).ok_or_else(|| cx.unsupported(inst))?;
                call::libcall(cx, name, &[(x, via)], &[ty])[0]
            }
            _ => return Err(cx.unsupported(inst)),
        },
    };
    cx.bind(result, r);
    Ok(())
}

fn call2(cx: &mut Lower<'_>, name: &str, args: &[Value], ret: Type) -> Reg {
    let a: Vec<(Regs, Type)> = args.iter().map(|v| (cx.regs(*v), cx.ty(*v))).collect();
    call::libcall(cx, name, &a, &[ret])[0]
}

fn sign_op(cx: &mut Lower<'_>, op: Opcode, args: &[Value], ty: Type) -> Reg {
    let a = cx.reg(args[0]);
    if ty == types::F32 {
        return match op {
            Opcode::Fneg => cx.alu(AluOp::Xor, false, a, Src::Imm(i32::MIN)),
            Opcode::Fabs => cx.alu(AluOp::And, false, a, Src::Imm(i32::MAX)),
            _ => {
                let b = cx.reg(args[1]);
                let m = cx.alu(AluOp::And, false, a, Src::Imm(i32::MAX));
                let s = cx.alu(AluOp::And, false, b, Src::Imm(i32::MIN));
                cx.alu(AluOp::Or, false, m, Src::Reg(s))
            }
        };
    }
    match op {
        Opcode::Fneg => {
            let k = cx.const_reg(i64::MIN);
            cx.alu(AluOp::Xor, true, a, Src::Reg(k))
        }
        Opcode::Fabs => abs64(cx, a),
        _ => {
            let b = cx.reg(args[1]);
            let m = abs64(cx, a);
            let s = cx.alu(AluOp::Rsh, true, b, Src::Imm(63));
            let s = cx.alu(AluOp::Lsh, true, s, Src::Imm(63));
            cx.alu(AluOp::Or, true, m, Src::Reg(s))
        }
    }
}

fn abs64(cx: &mut Lower<'_>, a: Reg) -> Reg {
    let t = cx.alu(AluOp::Lsh, true, a, Src::Imm(1));
    cx.alu(AluOp::Rsh, true, t, Src::Imm(1))
}

/// The conversion routine and the integer type it returns.
fn to_int_name(from: Type, to: Type, signed: bool) -> Option<(&'static str, Type)> {
    let f32 = from == types::F32;
    let via = match to.bits() {
        8 | 16 | 32 => types::I32,
        64 => types::I64,
        128 => types::I128,
        _ => return None,
    };
    let name = match (f32, signed, via.bits()) {
        (true, true, 32) => "__fixsfsi",
        (true, true, 64) => "__fixsfdi",
        (true, true, _) => "__fixsfti",
        (true, false, 32) => "__fixunssfsi",
        (true, false, 64) => "__fixunssfdi",
        (true, false, _) => "__fixunssfti",
        (false, true, 32) => "__fixdfsi",
        (false, true, 64) => "__fixdfdi",
        (false, true, _) => "__fixdfti",
        (false, false, 32) => "__fixunsdfsi",
        (false, false, 64) => "__fixunsdfdi",
        (false, false, _) => "__fixunsdfti",
    };
    Some((name, via))
}

/// Clamps a 32-bit conversion result to an 8- or 16-bit type (the
/// routines saturate to 32 bits).
fn saturate_narrow(cx: &mut Lower<'_>, r: Reg, ty: Type, signed: bool) -> Reg {
    let bits = ty.bits();
    if bits >= 32 {
        return r;
    }
    let (lo, hi) = if signed {
        (-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1)
    } else {
        (0, (1i64 << bits) - 1)
    };
    let cond_hi = if signed { Cond::Sgt } else { Cond::Ugt };
    let s = alu::sext64(cx, r, 32);
    let v = if signed { s } else { r };
    let cmp = branch::compare_reg_values(cx, cond_hi, types::I64, v, Src::Imm(hi as i32));
    let top = cx.const_reg(hi);
    let t = cx.tmp();
    cx.emit(crate::bpf::inst::VInst::Select {
        cmp,
        dst: t,
        t: top,
        f: Src::Reg(v),
    });
    let t = if signed {
        let cmp = branch::compare_reg_values(cx, Cond::Slt, types::I64, t, Src::Imm(lo as i32));
        let bottom = cx.const_reg(lo);
        let u = cx.tmp();
        cx.emit(crate::bpf::inst::VInst::Select {
            cmp,
            dst: u,
            t: bottom,
            f: Src::Reg(t),
        });
        u
    } else {
        t
    };
    alu::zext(cx, t, bits)
}

fn from_int_name(from: Type, to: Type, signed: bool) -> Option<&'static str> {
    let f32 = to == types::F32;
    Some(match (f32, signed, from.bits()) {
        (true, true, 32) => "__floatsisf",
        (true, true, 64) => "__floatdisf",
        (true, true, 128) => "__floattisf",
        (true, false, 32) => "__floatunsisf",
        (true, false, 64) => "__floatundisf",
        (true, false, 128) => "__floatuntisf",
        (false, true, 32) => "__floatsidf",
        (false, true, 64) => "__floatdidf",
        (false, true, 128) => "__floattidf",
        (false, false, 32) => "__floatunsidf",
        (false, false, 64) => "__floatundidf",
        (false, false, 128) => "__floatuntidf",
        _ => return None,
    })
}

/// `fcmp` as a 0/1 value through the comparison routines (which return a
/// C `int`, compared signed with 0).
fn fcmp(cx: &mut Lower<'_>, cc: FloatCC, a: Value, b: Value) -> Reg {
    let ty = cx.ty(a);
    let f = ty == types::F32;
    let n = |s: &'static str, d: &'static str| if f { s } else { d };
    let one = |cx: &mut Lower<'_>, name: &str, cond: Cond| {
        let args = [(cx.regs(a), ty), (cx.regs(b), ty)];
        let r = call::libcall(cx, name, &args, &[types::I32])[0];
        let cmp = branch::compare_reg_values(cx, cond, types::I32, r, Src::Imm(0));
        branch::set(cx, cmp)
    };
    let eq = n("__eqsf2", "__eqdf2");
    let unord = n("__unordsf2", "__unorddf2");
    match cc {
        FloatCC::Equal => one(cx, eq, Cond::Eq),
        FloatCC::NotEqual => one(cx, n("__nesf2", "__nedf2"), Cond::Ne),
        FloatCC::LessThan => one(cx, n("__ltsf2", "__ltdf2"), Cond::Slt),
        FloatCC::LessThanOrEqual => one(cx, n("__lesf2", "__ledf2"), Cond::Sle),
        FloatCC::GreaterThan => one(cx, n("__gtsf2", "__gtdf2"), Cond::Sgt),
        FloatCC::GreaterThanOrEqual => one(cx, n("__gesf2", "__gedf2"), Cond::Sge),
        FloatCC::Ordered => one(cx, unord, Cond::Eq),
        FloatCC::Unordered => one(cx, unord, Cond::Ne),
        FloatCC::UnorderedOrLessThan => one(cx, n("__gesf2", "__gedf2"), Cond::Slt),
        FloatCC::UnorderedOrLessThanOrEqual => one(cx, n("__gtsf2", "__gtdf2"), Cond::Sle),
        FloatCC::UnorderedOrGreaterThan => one(cx, n("__lesf2", "__ledf2"), Cond::Sgt),
        FloatCC::UnorderedOrGreaterThanOrEqual => one(cx, n("__ltsf2", "__ltdf2"), Cond::Sge),
        FloatCC::OrderedNotEqual => {
            let o = one(cx, unord, Cond::Eq);
            let ne = one(cx, n("__nesf2", "__nedf2"), Cond::Ne);
            cx.alu(AluOp::And, true, o, Src::Reg(ne))
        }
        FloatCC::UnorderedOrEqual => {
            let u = one(cx, unord, Cond::Ne);
            let e = one(cx, eq, Cond::Eq);
            cx.alu(AluOp::Or, true, u, Src::Reg(e))
        }
    }
}

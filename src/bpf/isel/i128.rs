//! 128-bit integers as register pairs: add/sub with branch-free carries,
//! bit operations, shifts, compares and multiplication inline; division and
//! remainder call the routines of [`crate::bpf::runtime`], which every
//! object that needs them carries as local functions (compiler_builtins'
//! `__udivti3` and friends need more stack than the verifier allows).

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{Inst, InstructionData, Opcode, Value, types};

use super::branch::{self, Operand};
use super::{Lower, Regs, alu, call};
use crate::bpf::CompileError;
use crate::bpf::encode::{AluOp, Cond};
use crate::bpf::inst::{CallTarget, Reg, Src, VInst};
use crate::bpf::runtime::Division;

pub(super) fn lower(cx: &mut Lower<'_>, inst: Inst) -> Result<(), CompileError> {
    let func = cx.func;
    let dfg = &func.dfg;
    let data = &dfg.insts[inst];
    let args = dfg.inst_args(inst);
    let Some(&result) = dfg.inst_results(inst).first() else {
        return Err(cx.unsupported(inst));
    };
    let ty = dfg.value_type(result);
    use Opcode::*;
    if ty != types::I128 {
        return match data.opcode() {
            Ireduce => {
                let lo = cx.regs(args[0]).lo;
                let r = alu::zext(cx, lo, ty.bits());
                cx.bind(result, r);
                Ok(())
            }
            _ => super::alu::lower(cx, inst),
        };
    }
    let (lo, hi) = match data.opcode() {
        Uextend => {
            let x = cx.reg(args[0]);
            (x, cx.const_reg(0))
        }
        Sextend => {
            let x = cx.reg(args[0]);
            let from = cx.ty(args[0]).bits();
            let lo = alu::sext64(cx, x, from);
            (lo, cx.alu(AluOp::Arsh, true, lo, Src::Imm(63)))
        }
        Iadd | IaddImm | Isub => {
            let a = cx.regs(args[0]);
            let b = rhs(cx, inst, args)?;
            if data.opcode() == Isub {
                sub(cx, a, b)
            } else {
                add(cx, a, b)
            }
        }
        Band | Bor | Bxor | BandImm | BorImm | BxorImm => {
            let op = match data.opcode() {
                Band | BandImm => AluOp::And,
                Bor | BorImm => AluOp::Or,
                _ => AluOp::Xor,
            };
            let a = cx.regs(args[0]);
            let b = rhs(cx, inst, args)?;
            (
                cx.alu(op, true, a.lo, Src::Reg(b.lo)),
                cx.alu(op, true, hi_of(a), Src::Reg(hi_of(b))),
            )
        }
        Bnot => {
            let a = cx.regs(args[0]);
            (
                cx.alu(AluOp::Xor, true, a.lo, Src::Imm(-1)),
                cx.alu(AluOp::Xor, true, hi_of(a), Src::Imm(-1)),
            )
        }
        BandNot => {
            let a = cx.regs(args[0]);
            let b = cx.regs(args[1]);
            let nl = cx.alu(AluOp::Xor, true, b.lo, Src::Imm(-1));
            let nh = cx.alu(AluOp::Xor, true, hi_of(b), Src::Imm(-1));
            (
                cx.alu(AluOp::And, true, a.lo, Src::Reg(nl)),
                cx.alu(AluOp::And, true, hi_of(a), Src::Reg(nh)),
            )
        }
        Ineg => {
            let a = cx.regs(args[0]);
            let zero = Regs {
                lo: cx.const_reg(0),
                hi: None,
            };
            let z = Regs {
                lo: zero.lo,
                hi: Some(zero.lo),
            };
            sub(cx, z, a)
        }
        Imul => {
            // The low 128 bits of the product from 64-bit partial products:
            // a.hi * b.hi only reaches bit 128 and beyond.
            let a = cx.regs(args[0]);
            let b = cx.regs(args[1]);
            let lo = cx.alu(AluOp::Mul, true, a.lo, Src::Reg(b.lo));
            let carry = alu::umulhi64(cx, a.lo, b.lo);
            let cross1 = cx.alu(AluOp::Mul, true, a.lo, Src::Reg(hi_of(b)));
            let cross2 = cx.alu(AluOp::Mul, true, hi_of(a), Src::Reg(b.lo));
            let hi = cx.alu(AluOp::Add, true, carry, Src::Reg(cross1));
            (lo, cx.alu(AluOp::Add, true, hi, Src::Reg(cross2)))
        }
        Udiv | Sdiv | Urem | Srem => {
            let routine = match data.opcode() {
                Udiv => Division::Udiv,
                Sdiv => Division::Sdiv,
                Urem => Division::Urem,
                _ => Division::Srem,
            };
            let a = cx.regs(args[0]);
            let b = cx.regs(args[1]);
            let words = vec![a.lo, hi_of(a), b.lo, hi_of(b)];
            let out = call::call_words(
                cx,
                CallTarget::Func(routine.symbol().to_string()),
                words,
                &[types::I128],
            );
            (out[0], out[1])
        }
        Ishl | Ushr | Sshr | IshlImm | UshrImm | SshrImm => {
            let a = cx.regs(args[0]);
            let amt = amount(cx, inst, args);
            match data.opcode() {
                Ishl | IshlImm => shl(cx, a.lo, hi_of(a), amt),
                Ushr | UshrImm => shr(cx, a.lo, hi_of(a), amt, false),
                _ => shr(cx, a.lo, hi_of(a), amt, true),
            }
        }
        Rotl | Rotr | RotlImm | RotrImm => {
            let a = cx.regs(args[0]);
            let amt = amount(cx, inst, args);
            let other = match amt {
                Src::Imm(k) => Src::Imm((128 - k) & 127),
                Src::Reg(r) => {
                    let n = cx.tmp();
                    cx.emit(VInst::Neg {
                        w64: true,
                        dst: n,
                        src: r,
                    });
                    Src::Reg(cx.alu(AluOp::And, true, n, Src::Imm(127)))
                }
            };
            let left = matches!(data.opcode(), Rotl | RotlImm);
            let (l_amt, r_amt) = if left { (amt, other) } else { (other, amt) };
            let (l0, l1) = shl(cx, a.lo, hi_of(a), l_amt);
            let (r0, r1) = shr(cx, a.lo, hi_of(a), r_amt, false);
            (
                cx.alu(AluOp::Or, true, l0, Src::Reg(r0)),
                cx.alu(AluOp::Or, true, l1, Src::Reg(r1)),
            )
        }
        Bswap => {
            let a = cx.regs(args[0]);
            (alu::bswap(cx, hi_of(a), 64), alu::bswap(cx, a.lo, 64))
        }
        Bitrev => {
            let a = cx.regs(args[0]);
            (alu::bitrev(cx, hi_of(a), 64), alu::bitrev(cx, a.lo, 64))
        }
        Popcnt => {
            let a = cx.regs(args[0]);
            let p = alu::popcnt(cx, a.lo, 64);
            let q = alu::popcnt(cx, hi_of(a), 64);
            (cx.alu(AluOp::Add, true, p, Src::Reg(q)), cx.const_reg(0))
        }
        Clz | Ctz => {
            let a = cx.regs(args[0]);
            // clz: the high word's count unless it is zero, then 64 + the
            // low word's; ctz the other way round.
            let (first, second) = if data.opcode() == Clz {
                (hi_of(a), a.lo)
            } else {
                (a.lo, hi_of(a))
            };
            let count = |cx: &mut Lower<'_>, r| {
                if data.opcode() == Clz {
                    alu::clz(cx, r, 64)
                } else {
                    alu::ctz(cx, r, 64)
                }
            };
            let c1 = count(cx, first);
            let c2 = count(cx, second);
            let c2 = cx.alu(AluOp::Add, true, c2, Src::Imm(64));
            let cmp = crate::bpf::inst::Compare {
                cond: Cond::Ne,
                w32: false,
                a: first,
                b: Src::Imm(0),
            };
            let dst = cx.tmp();
            cx.emit(VInst::Select {
                cmp,
                dst,
                t: c1,
                f: Src::Reg(c2),
            });
            (dst, cx.const_reg(0))
        }
        _ => return Err(cx.unsupported(inst)),
    };
    let dst = cx.def(result);
    cx.finish_into(dst.lo, lo);
    if let Some(h) = dst.hi {
        cx.finish_into(h, hi);
    }
    Ok(())
}

fn hi_of(r: Regs) -> Reg {
    r.hi.unwrap_or(r.lo)
}

/// The second operand, an immediate sign-extended to 128 bits for the
/// `_imm` forms.
fn rhs(cx: &mut Lower<'_>, inst: Inst, args: &[Value]) -> Result<Regs, CompileError> {
    match cx.func.dfg.insts[inst] {
        InstructionData::BinaryImm64 { imm, .. } => {
            let c = imm.bits();
            Ok(Regs {
                lo: cx.const_reg(c),
                hi: Some(cx.const_reg(c >> 63)),
            })
        }
        _ => match args.get(1) {
            Some(v) => Ok(cx.regs(*v)),
            None => Err(cx.unsupported(inst)),
        },
    }
}

fn amount(cx: &mut Lower<'_>, inst: Inst, args: &[Value]) -> Src {
    match cx.func.dfg.insts[inst] {
        InstructionData::BinaryImm64 { imm, .. } => Src::Imm((imm.bits() & 127) as i32),
        _ => match cx.const_of(args[1]) {
            Some(c) => Src::Imm((c & 127) as i32),
            None => Src::Reg(cx.regs(args[1]).lo),
        },
    }
}

fn add(cx: &mut Lower<'_>, a: Regs, b: Regs) -> (Reg, Reg) {
    let lo = cx.alu(AluOp::Add, true, a.lo, Src::Reg(b.lo));
    // carry = ((a & b) | ((a | b) & !sum)) >> 63
    let t1 = cx.alu(AluOp::And, true, a.lo, Src::Reg(b.lo));
    let t2 = cx.alu(AluOp::Or, true, a.lo, Src::Reg(b.lo));
    let ns = cx.alu(AluOp::Xor, true, lo, Src::Imm(-1));
    let t2 = cx.alu(AluOp::And, true, t2, Src::Reg(ns));
    let c = cx.alu(AluOp::Or, true, t1, Src::Reg(t2));
    let c = cx.alu(AluOp::Rsh, true, c, Src::Imm(63));
    let hi = cx.alu(AluOp::Add, true, hi_of(a), Src::Reg(hi_of(b)));
    let hi = cx.alu(AluOp::Add, true, hi, Src::Reg(c));
    (lo, hi)
}

fn sub(cx: &mut Lower<'_>, a: Regs, b: Regs) -> (Reg, Reg) {
    let lo = cx.alu(AluOp::Sub, true, a.lo, Src::Reg(b.lo));
    // borrow = ((!a & b) | (!(a ^ b) & diff)) >> 63
    let na = cx.alu(AluOp::Xor, true, a.lo, Src::Imm(-1));
    let t1 = cx.alu(AluOp::And, true, na, Src::Reg(b.lo));
    let x = cx.alu(AluOp::Xor, true, a.lo, Src::Reg(b.lo));
    let x = cx.alu(AluOp::Xor, true, x, Src::Imm(-1));
    let t2 = cx.alu(AluOp::And, true, x, Src::Reg(lo));
    let c = cx.alu(AluOp::Or, true, t1, Src::Reg(t2));
    let c = cx.alu(AluOp::Rsh, true, c, Src::Imm(63));
    let hi = cx.alu(AluOp::Sub, true, hi_of(a), Src::Reg(hi_of(b)));
    let hi = cx.alu(AluOp::Sub, true, hi, Src::Reg(c));
    (lo, hi)
}

/// All ones when bit 6 of the shift amount is set (amount >= 64), and
/// its complement.
fn big_mask(cx: &mut Lower<'_>, a: Reg) -> (Reg, Reg) {
    let m = cx.alu(AluOp::Lsh, true, a, Src::Imm(57));
    let m = cx.alu(AluOp::Arsh, true, m, Src::Imm(63));
    let nm = cx.alu(AluOp::Xor, true, m, Src::Imm(-1));
    (m, nm)
}

fn shl(cx: &mut Lower<'_>, lo: Reg, hi: Reg, amt: Src) -> (Reg, Reg) {
    match amt {
        Src::Imm(0) => (lo, hi),
        Src::Imm(k) if k < 64 => {
            let h = cx.alu(AluOp::Lsh, true, hi, Src::Imm(k));
            let t = cx.alu(AluOp::Rsh, true, lo, Src::Imm(64 - k));
            let h = cx.alu(AluOp::Or, true, h, Src::Reg(t));
            (cx.alu(AluOp::Lsh, true, lo, Src::Imm(k)), h)
        }
        Src::Imm(k) => {
            let h = if k == 64 {
                lo
            } else {
                cx.alu(AluOp::Lsh, true, lo, Src::Imm(k - 64))
            };
            (cx.const_reg(0), h)
        }
        Src::Reg(a) => {
            let s = cx.alu(AluOp::Lsh, true, lo, Src::Reg(a));
            let t = cx.alu(AluOp::Rsh, true, lo, Src::Imm(1));
            let n = cx.alu(AluOp::Xor, true, a, Src::Imm(63));
            let t = cx.alu(AluOp::Rsh, true, t, Src::Reg(n));
            let h = cx.alu(AluOp::Lsh, true, hi, Src::Reg(a));
            let h = cx.alu(AluOp::Or, true, h, Src::Reg(t));
            let (m, nm) = big_mask(cx, a);
            let h = cx.alu(AluOp::And, true, h, Src::Reg(nm));
            let sm = cx.alu(AluOp::And, true, s, Src::Reg(m));
            let h = cx.alu(AluOp::Or, true, h, Src::Reg(sm));
            (cx.alu(AluOp::And, true, s, Src::Reg(nm)), h)
        }
    }
}

fn shr(cx: &mut Lower<'_>, lo: Reg, hi: Reg, amt: Src, arith: bool) -> (Reg, Reg) {
    let op = if arith { AluOp::Arsh } else { AluOp::Rsh };
    let fill = |cx: &mut Lower<'_>| {
        if arith {
            cx.alu(AluOp::Arsh, true, hi, Src::Imm(63))
        } else {
            cx.const_reg(0)
        }
    };
    match amt {
        Src::Imm(0) => (lo, hi),
        Src::Imm(k) if k < 64 => {
            let l = cx.alu(AluOp::Rsh, true, lo, Src::Imm(k));
            let t = cx.alu(AluOp::Lsh, true, hi, Src::Imm(64 - k));
            let l = cx.alu(AluOp::Or, true, l, Src::Reg(t));
            (l, cx.alu(op, true, hi, Src::Imm(k)))
        }
        Src::Imm(k) => {
            let l = if k == 64 {
                hi
            } else {
                cx.alu(op, true, hi, Src::Imm(k - 64))
            };
            (l, fill(cx))
        }
        Src::Reg(a) => {
            let s = cx.alu(op, true, hi, Src::Reg(a));
            let t = cx.alu(AluOp::Lsh, true, hi, Src::Imm(1));
            let n = cx.alu(AluOp::Xor, true, a, Src::Imm(63));
            let t = cx.alu(AluOp::Lsh, true, t, Src::Reg(n));
            let l = cx.alu(AluOp::Rsh, true, lo, Src::Reg(a));
            let l = cx.alu(AluOp::Or, true, l, Src::Reg(t));
            let (m, nm) = big_mask(cx, a);
            let l = cx.alu(AluOp::And, true, l, Src::Reg(nm));
            let sm = cx.alu(AluOp::And, true, s, Src::Reg(m));
            let l = cx.alu(AluOp::Or, true, l, Src::Reg(sm));
            let h = cx.alu(AluOp::And, true, s, Src::Reg(nm));
            let h = if arith {
                let f = fill(cx);
                let f = cx.alu(AluOp::And, true, f, Src::Reg(m));
                cx.alu(AluOp::Or, true, h, Src::Reg(f))
            } else {
                h
            };
            (l, h)
        }
    }
}

/// `icmp` of two 128-bit values as a 0/1 value.
pub(crate) fn compare_value(cx: &mut Lower<'_>, cc: IntCC, a: Value, b: Operand) -> Reg {
    let a = cx.regs(a);
    let b = match b {
        Operand::Val(v) => cx.regs(v),
        Operand::Imm(c) => Regs {
            lo: cx.const_reg(c),
            hi: Some(cx.const_reg(c >> 63)),
        },
    };
    let (alo, ahi, blo, bhi) = (a.lo, hi_of(a), b.lo, hi_of(b));
    let cond = branch::cond_of(cc);
    let cmp = |cond, a, b| crate::bpf::inst::Compare {
        cond,
        w32: false,
        a,
        b: Src::Reg(b),
    };
    match cond {
        Cond::Eq | Cond::Ne => {
            let x = cx.alu(AluOp::Xor, true, alo, Src::Reg(blo));
            let y = cx.alu(AluOp::Xor, true, ahi, Src::Reg(bhi));
            let t = cx.alu(AluOp::Or, true, x, Src::Reg(y));
            branch::set(
                cx,
                crate::bpf::inst::Compare {
                    cond,
                    w32: false,
                    a: t,
                    b: Src::Imm(0),
                },
            )
        }
        _ => {
            let strict = match cond {
                Cond::Sge | Cond::Sgt => Cond::Sgt,
                Cond::Sle | Cond::Slt => Cond::Slt,
                Cond::Uge | Cond::Ugt => Cond::Ugt,
                _ => Cond::Ult,
            };
            let low = match cond {
                Cond::Sge | Cond::Uge => Cond::Uge,
                Cond::Sgt | Cond::Ugt => Cond::Ugt,
                Cond::Sle | Cond::Ule => Cond::Ule,
                _ => Cond::Ult,
            };
            let h = branch::set(cx, cmp(strict, ahi, bhi));
            let e = branch::set(cx, cmp(Cond::Eq, ahi, bhi));
            let l = branch::set(cx, cmp(low, alo, blo));
            let el = cx.alu(AluOp::And, true, e, Src::Reg(l));
            cx.alu(AluOp::Or, true, h, Src::Reg(el))
        }
    }
}

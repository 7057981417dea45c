//! Integer arithmetic, logic, shifts, bit counting and width changes on
//! values of at most 64 bits. Narrow results are re-masked to keep the
//! zero-extension invariant; signed operations sign-extend their inputs
//! first.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{Inst, InstructionData, Opcode, Type, Value};

use super::branch::{Operand, compare};
use super::{Lower, mask};
use crate::bpf::CompileError;
use crate::bpf::Cpu;
use crate::bpf::encode::AluOp;
use crate::bpf::inst::{Reg, Src, VInst};

/// The second operand of a binary operation.
#[derive(Clone, Copy)]
pub(crate) enum Rhs {
    Val(Value),
    Imm(i64),
}

pub(super) fn lower(cx: &mut Lower<'_>, inst: Inst) -> Result<(), CompileError> {
    let func = cx.func;
    let dfg = &func.dfg;
    let data = &dfg.insts[inst];
    let args = dfg.inst_args(inst);
    let res = dfg.inst_results(inst);
    let Some(&result) = res.first() else {
        return Err(cx.unsupported(inst));
    };
    let ty = dfg.value_type(result);
    let rhs = match *data {
        InstructionData::BinaryImm64 { imm, .. } => Rhs::Imm(mask(imm.bits(), ty)),
        _ => args.get(1).map_or(Rhs::Imm(0), |v| Rhs::Val(*v)),
    };
    use Opcode::*;
    let r = match data.opcode() {
        Iconst => {
            let c = cx.const_of(result).unwrap_or(0);
            let dst = cx.def(result).lo;
            if ty.bits() < 64 {
                cx.emit(VInst::Mov {
                    w64: false,
                    dst,
                    src: Src::Imm(c as i32),
                });
            } else {
                cx.mov_const(dst, c);
            }
            return Ok(());
        }
        Iadd | IaddImm => binop(cx, AluOp::Add, ty, args[0], rhs, true),
        Isub => binop(cx, AluOp::Sub, ty, args[0], rhs, false),
        IrsubImm => {
            let Rhs::Imm(c) = rhs else {
                return Err(cx.unsupported(inst));
            };
            let k = cx.const_reg(c);
            let b = cx.reg(args[0]);
            let r = cx.alu(AluOp::Sub, ty.bits() == 64, k, Src::Reg(b));
            narrow(cx, r, ty)
        }
        Imul | ImulImm => match const_rhs(cx, rhs) {
            Some(c) if c > 0 && (c as u64).is_power_of_two() => {
                let k = Rhs::Imm(i64::from((c as u64).trailing_zeros()));
                binop(cx, AluOp::Lsh, ty, args[0], k, false)
            }
            _ => binop(cx, AluOp::Mul, ty, args[0], rhs, true),
        },
        Band | BandImm => binop(cx, AluOp::And, ty, args[0], rhs, true),
        Bor | BorImm => binop(cx, AluOp::Or, ty, args[0], rhs, true),
        Bxor | BxorImm => binop(cx, AluOp::Xor, ty, args[0], rhs, true),
        Bnot => {
            let a = cx.reg(args[0]);
            not(cx, a, ty)
        }
        BandNot => {
            let b = rhs_reg(cx, rhs);
            let nb = not(cx, b, ty);
            let a = cx.reg(args[0]);
            cx.alu(AluOp::And, true, a, Src::Reg(nb))
        }
        Ineg => {
            let a = cx.reg(args[0]);
            let dst = cx.tmp();
            cx.emit(VInst::Neg {
                w64: ty.bits() == 64,
                dst,
                src: a,
            });
            narrow(cx, dst, ty)
        }
        Udiv | UdivImm | Urem | UremImm => {
            let rem = matches!(data.opcode(), Urem | UremImm);
            udiv(cx, ty, args[0], rhs, rem)
        }
        Sdiv | SdivImm | Srem | SremImm => {
            let rem = matches!(data.opcode(), Srem | SremImm);
            sdiv(cx, ty, args[0], rhs, rem)
        }
        Umin | Umax | Smin | Smax => {
            let keep_first = match data.opcode() {
                Umin => IntCC::UnsignedLessThanOrEqual,
                Umax => IntCC::UnsignedGreaterThanOrEqual,
                Smin => IntCC::SignedLessThanOrEqual,
                _ => IntCC::SignedGreaterThanOrEqual,
            };
            min_max(cx, keep_first, args[0], args[1])
        }
        Umulhi | Smulhi => {
            let a = cx.reg(args[0]);
            let b = rhs_reg(cx, rhs);
            mulhi(cx, ty, a, b, data.opcode() == Smulhi)
        }
        Ishl | IshlImm | Ushr | UshrImm | Sshr | SshrImm => {
            let a = cx.reg(args[0]);
            let kind = match data.opcode() {
                Ishl | IshlImm => AluOp::Lsh,
                Ushr | UshrImm => AluOp::Rsh,
                _ => AluOp::Arsh,
            };
            let amt = shift_amount(cx, rhs, ty);
            shift(cx, kind, ty, a, amt)
        }
        Rotl | RotlImm | Rotr | RotrImm => {
            let a = cx.reg(args[0]);
            let amt = shift_amount(cx, rhs, ty);
            rotate(cx, ty, a, amt, matches!(data.opcode(), Rotl | RotlImm))
        }
        Popcnt => {
            let a = cx.reg(args[0]);
            popcnt(cx, a, ty.bits())
        }
        Clz => {
            let a = cx.reg(args[0]);
            clz(cx, a, ty.bits())
        }
        Ctz => {
            let a = cx.reg(args[0]);
            ctz(cx, a, ty.bits())
        }
        Bswap => {
            let a = cx.reg(args[0]);
            bswap(cx, a, ty.bits())
        }
        Bitrev => {
            let a = cx.reg(args[0]);
            bitrev(cx, a, ty.bits())
        }
        Sextend => {
            let from = dfg.value_type(args[0]).bits();
            let a = cx.reg(args[0]);
            sextend(cx, a, from, ty.bits())
        }
        Ireduce | Uextend | Bitcast => {
            let a = cx.reg(args[0]);
            zext(cx, a, ty.bits())
        }
        _ => return Err(cx.unsupported(inst)),
    };
    cx.bind(result, r);
    Ok(())
}

/// `a` when `a keep_first b` holds, else `b`: a compare and a conditional
/// move, so the verifier learns the bound on each path.
fn min_max(cx: &mut Lower<'_>, keep_first: IntCC, a: Value, b: Value) -> Reg {
    let cmp = compare(cx, keep_first, a, Operand::Val(b));
    let t = cx.reg(a);
    let f = cx.src(b, true);
    let dst = cx.tmp();
    cx.emit(VInst::Select { cmp, dst, t, f });
    dst
}

fn const_rhs(cx: &Lower<'_>, rhs: Rhs) -> Option<i64> {
    match rhs {
        Rhs::Imm(c) => Some(c),
        Rhs::Val(v) => cx.const_of(v),
    }
}

pub(crate) fn rhs_reg(cx: &mut Lower<'_>, rhs: Rhs) -> Reg {
    match rhs {
        Rhs::Val(v) => cx.reg(v),
        Rhs::Imm(c) => cx.const_reg(c),
    }
}

/// The operand form of `rhs` for an operation of width `w64`.
fn rhs_src(cx: &mut Lower<'_>, rhs: Rhs, w64: bool) -> Src {
    match rhs {
        Rhs::Val(v) => cx.src(v, w64),
        Rhs::Imm(c) if !w64 || i32::try_from(c).is_ok() => Src::Imm(c as i32),
        Rhs::Imm(c) => Src::Reg(cx.const_reg(c)),
    }
}

/// Re-establishes zero-extension after an operation that may carry into
/// bits above `ty`'s width (only for 8- and 16-bit types; 32-bit ALU
/// operations zero-extend by themselves).
pub(crate) fn narrow(cx: &mut Lower<'_>, r: Reg, ty: Type) -> Reg {
    match ty.bits() {
        8 | 16 => cx.alu(AluOp::And, false, r, Src::Imm(mask(-1, ty) as i32)),
        _ => r,
    }
}

fn binop(cx: &mut Lower<'_>, op: AluOp, ty: Type, a: Value, rhs: Rhs, commutes: bool) -> Reg {
    let w64 = ty.bits() == 64;
    let (a, rhs) = match rhs {
        Rhs::Val(b) if commutes && cx.const_of(a).is_some() && cx.const_of(b).is_none() => {
            (b, Rhs::Val(a))
        }
        _ => (a, rhs),
    };
    if matches!(rhs, Rhs::Imm(0)) && matches!(op, AluOp::Add | AluOp::Or | AluOp::Xor) {
        return cx.reg(a);
    }
    let lhs = cx.reg(a);
    let src = rhs_src(cx, rhs, w64);
    let r = cx.alu(op, w64, lhs, src);
    match op {
        AluOp::Add | AluOp::Sub | AluOp::Mul | AluOp::Lsh => narrow(cx, r, ty),
        _ => r,
    }
}

pub(crate) fn not(cx: &mut Lower<'_>, a: Reg, ty: Type) -> Reg {
    match ty.bits() {
        64 => cx.alu(AluOp::Xor, true, a, Src::Imm(-1)),
        _ => cx.alu(AluOp::Xor, false, a, Src::Imm(mask(-1, ty) as i32)),
    }
}

/// Zero-extends the low `bits` of `a` (no-op for 64).
pub(crate) fn zext(cx: &mut Lower<'_>, a: Reg, bits: u32) -> Reg {
    match bits {
        8 => cx.alu(AluOp::And, false, a, Src::Imm(0xff)),
        16 => cx.alu(AluOp::And, false, a, Src::Imm(0xffff)),
        32 => {
            let dst = cx.tmp();
            cx.emit(VInst::Mov {
                w64: false,
                dst,
                src: Src::Reg(a),
            });
            dst
        }
        _ => a,
    }
}

/// Sign-extends the low `bits` of `a` to 64 bits.
pub(crate) fn sext64(cx: &mut Lower<'_>, a: Reg, bits: u32) -> Reg {
    if bits >= 64 {
        return a;
    }
    if cx.cpu() == Cpu::V4 {
        let dst = cx.tmp();
        cx.emit(VInst::MovSx {
            w64: true,
            bits: bits as u8,
            dst,
            src: a,
        });
        return dst;
    }
    let s = Src::Imm(64 - bits as i32);
    let t = cx.alu(AluOp::Lsh, true, a, s);
    cx.alu(AluOp::Arsh, true, t, s)
}

/// Sign-extends the low `bits` of `a` into a zero-extended 32-bit value.
fn sext32(cx: &mut Lower<'_>, a: Reg, bits: u32) -> Reg {
    if bits >= 32 {
        return a;
    }
    if cx.cpu() == Cpu::V4 {
        let dst = cx.tmp();
        cx.emit(VInst::MovSx {
            w64: false,
            bits: bits as u8,
            dst,
            src: a,
        });
        return dst;
    }
    let s = Src::Imm(32 - bits as i32);
    let t = cx.alu(AluOp::Lsh, false, a, s);
    cx.alu(AluOp::Arsh, false, t, s)
}

pub(crate) fn sextend(cx: &mut Lower<'_>, a: Reg, from: u32, to: u32) -> Reg {
    match to {
        64 => sext64(cx, a, from),
        32 => sext32(cx, a, from),
        _ => {
            let t = sext32(cx, a, from);
            zext(cx, t, to)
        }
    }
}

fn udiv(cx: &mut Lower<'_>, ty: Type, a: Value, rhs: Rhs, rem: bool) -> Reg {
    let w64 = ty.bits() == 64;
    let lhs = cx.reg(a);
    if let Some(c) = const_rhs(cx, rhs)
        && c > 0
        && (c as u64).is_power_of_two()
    {
        return if rem {
            let m = c - 1;
            let src = if i32::try_from(m).is_ok() || !w64 {
                Src::Imm(m as i32)
            } else {
                Src::Reg(cx.const_reg(m))
            };
            cx.alu(AluOp::And, w64, lhs, src)
        } else {
            let k = (c as u64).trailing_zeros() as i32;
            cx.alu(AluOp::Rsh, w64, lhs, Src::Imm(k))
        };
    }
    // ALU64 immediates are sign-extended: only positive ones divide as
    // unsigned.
    let src = match const_rhs(cx, rhs) {
        Some(c) if c > 0 && (i32::try_from(c).is_ok() || !w64) => Src::Imm(c as i32),
        _ => Src::Reg(rhs_reg(cx, rhs)),
    };
    let op = if rem { AluOp::Mod } else { AluOp::Div };
    cx.alu(op, w64, lhs, src)
}

/// Signed division and remainder with Rust's (truncating) semantics.
fn sdiv(cx: &mut Lower<'_>, ty: Type, a: Value, rhs: Rhs, rem: bool) -> Reg {
    let bits = ty.bits();
    let a = cx.reg(a);
    let b = rhs_reg(cx, rhs);
    if cx.cpu() == Cpu::V4 {
        let w64 = bits == 64;
        let (a, b) = if w64 {
            (a, b)
        } else {
            (sext32(cx, a, bits), sext32(cx, b, bits))
        };
        let op = if rem { AluOp::SMod } else { AluOp::SDiv };
        let r = cx.alu(op, w64, a, Src::Reg(b));
        return narrow(cx, r, ty);
    }
    // |a| / |b| unsigned, then the sign: -q when the signs differ, and the
    // remainder takes the dividend's sign.
    let a = sext64(cx, a, bits);
    let b = sext64(cx, b, bits);
    let sa = cx.alu(AluOp::Arsh, true, a, Src::Imm(63));
    let sb = cx.alu(AluOp::Arsh, true, b, Src::Imm(63));
    let ua = abs_with(cx, a, sa);
    let ub = abs_with(cx, b, sb);
    let r = if rem {
        let r = cx.alu(AluOp::Mod, true, ua, Src::Reg(ub));
        apply_sign(cx, r, sa)
    } else {
        let q = cx.alu(AluOp::Div, true, ua, Src::Reg(ub));
        let s = cx.alu(AluOp::Xor, true, sa, Src::Reg(sb));
        apply_sign(cx, q, s)
    };
    zext(cx, r, bits)
}

/// `(x ^ s) - s`: |x| when `s` is x's sign mask, or negation by any mask.
fn abs_with(cx: &mut Lower<'_>, x: Reg, s: Reg) -> Reg {
    let t = cx.alu(AluOp::Xor, true, x, Src::Reg(s));
    cx.alu(AluOp::Sub, true, t, Src::Reg(s))
}

fn apply_sign(cx: &mut Lower<'_>, x: Reg, s: Reg) -> Reg {
    abs_with(cx, x, s)
}

/// The high half of the double-width product.
fn mulhi(cx: &mut Lower<'_>, ty: Type, a: Reg, b: Reg, signed: bool) -> Reg {
    let bits = ty.bits();
    if bits < 64 {
        let (a, b) = if signed {
            (sext64(cx, a, bits), sext64(cx, b, bits))
        } else {
            (a, b)
        };
        let p = cx.alu(AluOp::Mul, true, a, Src::Reg(b));
        let op = if signed { AluOp::Arsh } else { AluOp::Rsh };
        let h = cx.alu(op, true, p, Src::Imm(bits as i32));
        return zext(cx, h, bits);
    }
    let hi = umulhi64(cx, a, b);
    if !signed {
        return hi;
    }
    // signed = unsigned - (a < 0 ? b : 0) - (b < 0 ? a : 0)
    let sa = cx.alu(AluOp::Arsh, true, a, Src::Imm(63));
    let t1 = cx.alu(AluOp::And, true, sa, Src::Reg(b));
    let sb = cx.alu(AluOp::Arsh, true, b, Src::Imm(63));
    let t2 = cx.alu(AluOp::And, true, sb, Src::Reg(a));
    let h = cx.alu(AluOp::Sub, true, hi, Src::Reg(t1));
    cx.alu(AluOp::Sub, true, h, Src::Reg(t2))
}

/// High 64 bits of the 128-bit product of two 64-bit values, from 32-bit
/// halves.
pub(crate) fn umulhi64(cx: &mut Lower<'_>, a: Reg, b: Reg) -> Reg {
    let al = zext(cx, a, 32);
    let ah = cx.alu(AluOp::Rsh, true, a, Src::Imm(32));
    let bl = zext(cx, b, 32);
    let bh = cx.alu(AluOp::Rsh, true, b, Src::Imm(32));
    let ll = cx.alu(AluOp::Mul, true, al, Src::Reg(bl));
    let lh = cx.alu(AluOp::Mul, true, al, Src::Reg(bh));
    let hl = cx.alu(AluOp::Mul, true, ah, Src::Reg(bl));
    let hh = cx.alu(AluOp::Mul, true, ah, Src::Reg(bh));
    let mid = cx.alu(AluOp::Rsh, true, ll, Src::Imm(32));
    let lh_lo = zext(cx, lh, 32);
    let mid = cx.alu(AluOp::Add, true, mid, Src::Reg(lh_lo));
    let hl_lo = zext(cx, hl, 32);
    let mid = cx.alu(AluOp::Add, true, mid, Src::Reg(hl_lo));
    let mid = cx.alu(AluOp::Rsh, true, mid, Src::Imm(32));
    let lh_hi = cx.alu(AluOp::Rsh, true, lh, Src::Imm(32));
    let hl_hi = cx.alu(AluOp::Rsh, true, hl, Src::Imm(32));
    let h = cx.alu(AluOp::Add, true, hh, Src::Reg(lh_hi));
    let h = cx.alu(AluOp::Add, true, h, Src::Reg(hl_hi));
    cx.alu(AluOp::Add, true, h, Src::Reg(mid))
}

/// A shift amount: an immediate already reduced modulo the width, or a
/// register (the low word of the amount value).
fn shift_amount(cx: &mut Lower<'_>, rhs: Rhs, ty: Type) -> Src {
    let bits = i64::from(ty.bits());
    match const_rhs(cx, rhs) {
        Some(c) => Src::Imm((c & (bits - 1)) as i32),
        None => Src::Reg(rhs_reg(cx, rhs)),
    }
}

pub(crate) fn shift(cx: &mut Lower<'_>, op: AluOp, ty: Type, a: Reg, amt: Src) -> Reg {
    let bits = ty.bits();
    if bits >= 32 {
        if amt == Src::Imm(0) {
            return a;
        }
        // Register amounts: the hardware masks them modulo the width,
        // exactly CLIF's semantics.
        return cx.alu(op, bits == 64, a, amt);
    }
    let amt = match amt {
        Src::Reg(r) => Src::Reg(cx.alu(AluOp::And, false, r, Src::Imm(bits as i32 - 1))),
        imm => imm,
    };
    match op {
        AluOp::Lsh => {
            let r = cx.alu(AluOp::Lsh, false, a, amt);
            narrow(cx, r, ty)
        }
        AluOp::Rsh => cx.alu(AluOp::Rsh, false, a, amt),
        _ => {
            let s = sext32(cx, a, bits);
            let r = cx.alu(AluOp::Arsh, false, s, amt);
            narrow(cx, r, ty)
        }
    }
}

fn rotate(cx: &mut Lower<'_>, ty: Type, a: Reg, amt: Src, left: bool) -> Reg {
    let bits = ty.bits() as i32;
    let w64 = bits == 64;
    let (first, second) = if left {
        (AluOp::Lsh, AluOp::Rsh)
    } else {
        (AluOp::Rsh, AluOp::Lsh)
    };
    let (k1, k2) = match amt {
        Src::Imm(0) => return a,
        Src::Imm(k) => (Src::Imm(k), Src::Imm(bits - k)),
        Src::Reg(r) => {
            let k1 = if bits < 32 {
                cx.alu(AluOp::And, false, r, Src::Imm(bits - 1))
            } else {
                r
            };
            let n = cx.tmp();
            cx.emit(VInst::Neg {
                w64: true,
                dst: n,
                src: r,
            });
            let k2 = cx.alu(AluOp::And, true, n, Src::Imm(bits - 1));
            (Src::Reg(k1), Src::Reg(k2))
        }
    };
    let x = cx.alu(first, w64, a, k1);
    let y = cx.alu(second, w64, a, k2);
    let r = cx.alu(AluOp::Or, w64, x, Src::Reg(y));
    narrow(cx, r, ty)
}

/// A 64-bit constant as an operand (a register when it needs 64 bits).
fn k64(cx: &mut Lower<'_>, c: u64) -> Src {
    match i32::try_from(c as i64) {
        Ok(i) => Src::Imm(i),
        Err(_) => Src::Reg(cx.const_reg(c as i64)),
    }
}

/// Population count (SWAR); `bits` is the width the value is
/// zero-extended from.
pub(crate) fn popcnt(cx: &mut Lower<'_>, a: Reg, bits: u32) -> Reg {
    let w64 = bits == 64;
    let (m1, m2, m4, h01, top) = if w64 {
        (
            0x5555_5555_5555_5555u64,
            0x3333_3333_3333_3333u64,
            0x0f0f_0f0f_0f0f_0f0fu64,
            0x0101_0101_0101_0101u64,
            56,
        )
    } else {
        (0x5555_5555, 0x3333_3333, 0x0f0f_0f0f, 0x0101_0101, 24)
    };
    let k = |cx: &mut Lower<'_>, c: u64| {
        if w64 {
            k64(cx, c)
        } else {
            Src::Imm(c as u32 as i32)
        }
    };
    let t = cx.alu(AluOp::Rsh, w64, a, Src::Imm(1));
    let km1 = k(cx, m1);
    let t = cx.alu(AluOp::And, w64, t, km1);
    let x = cx.alu(AluOp::Sub, w64, a, Src::Reg(t));
    let km2 = k(cx, m2);
    let lo = cx.alu(AluOp::And, w64, x, km2);
    let hi = cx.alu(AluOp::Rsh, w64, x, Src::Imm(2));
    let hi = cx.alu(AluOp::And, w64, hi, km2);
    let x = cx.alu(AluOp::Add, w64, lo, Src::Reg(hi));
    let t = cx.alu(AluOp::Rsh, w64, x, Src::Imm(4));
    let x = cx.alu(AluOp::Add, w64, x, Src::Reg(t));
    let km4 = k(cx, m4);
    let x = cx.alu(AluOp::And, w64, x, km4);
    let kh = k(cx, h01);
    let x = cx.alu(AluOp::Mul, w64, x, kh);
    cx.alu(AluOp::Rsh, w64, x, Src::Imm(top))
}

pub(crate) fn clz(cx: &mut Lower<'_>, a: Reg, bits: u32) -> Reg {
    let w64 = bits == 64;
    let mut x = a;
    let mut s = 1;
    while s < if w64 { 64 } else { 32 } {
        let t = cx.alu(AluOp::Rsh, w64, x, Src::Imm(s));
        x = cx.alu(AluOp::Or, w64, x, Src::Reg(t));
        s *= 2;
    }
    let n = cx.alu(AluOp::Xor, w64, x, Src::Imm(-1));
    let c = popcnt(cx, n, if w64 { 64 } else { 32 });
    if bits < 32 {
        cx.alu(AluOp::Sub, false, c, Src::Imm(32 - bits as i32))
    } else {
        c
    }
}

pub(crate) fn ctz(cx: &mut Lower<'_>, a: Reg, bits: u32) -> Reg {
    let w64 = bits == 64;
    // popcnt(!x & (x - 1)): the trailing zeros become the only ones.
    let m = cx.alu(AluOp::Sub, w64, a, Src::Imm(1));
    let n = cx.alu(AluOp::Xor, w64, a, Src::Imm(-1));
    let t = cx.alu(AluOp::And, w64, n, Src::Reg(m));
    let t = if bits < 32 { zext(cx, t, bits) } else { t };
    popcnt(cx, t, if w64 { 64 } else { 32 })
}

pub(crate) fn bswap(cx: &mut Lower<'_>, a: Reg, bits: u32) -> Reg {
    let dst = cx.tmp();
    cx.emit(VInst::End {
        bits: bits as u8,
        to_be: !cx.target.big_endian,
        unconditional: cx.cpu() == Cpu::V4,
        dst,
        src: a,
    });
    dst
}

pub(crate) fn bitrev(cx: &mut Lower<'_>, a: Reg, bits: u32) -> Reg {
    // Swap bits, pairs and nibbles within each byte, then the bytes.
    let full = if bits == 64 { 64 } else { 32 };
    let w64 = full == 64;
    let mut x = a;
    for (s, m) in [
        (1, 0x5555_5555_5555_5555u64),
        (2, 0x3333_3333_3333_3333),
        (4, 0x0f0f_0f0f_0f0f_0f0f),
    ] {
        let km = if w64 {
            k64(cx, m)
        } else {
            Src::Imm(m as u32 as i32)
        };
        let hi = cx.alu(AluOp::Rsh, w64, x, Src::Imm(s));
        let hi = cx.alu(AluOp::And, w64, hi, km);
        let lo = cx.alu(AluOp::And, w64, x, km);
        let lo = cx.alu(AluOp::Lsh, w64, lo, Src::Imm(s));
        x = cx.alu(AluOp::Or, w64, hi, Src::Reg(lo));
    }
    let x = bswap(cx, x, full);
    if bits < 32 {
        cx.alu(AluOp::Rsh, false, x, Src::Imm(32 - bits as i32))
    } else {
        x
    }
}

//! Comparisons, selects, branches, switches and traps.
//!
//! A `brif` (or `select`, `trapnz`) whose condition is an `icmp` becomes
//! one conditional jump between the compared registers, so the verifier
//! learns the bounds it needs (packet checks). `br_table` becomes a binary
//! search over runs of equal targets (BPF has no indirect jumps). A trap
//! becomes `r0 = 0; exit`: the program (or, in a subprogram, the call)
//! ends with 0, which the verifier accepts.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{Inst, InstructionData, Opcode, Type, Value, types};

use super::{Lower, alu, i128};
use crate::bpf::encode::{AluOp, Cond};
use crate::bpf::inst::{Compare, Label, Reg, Src, VInst};
use crate::bpf::{CompileError, Cpu};

pub(super) fn lower(cx: &mut Lower<'_>, inst: Inst) -> Result<(), CompileError> {
    let func = cx.func;
    let dfg = &func.dfg;
    let args = dfg.inst_args(inst);
    match dfg.insts[inst] {
        InstructionData::Jump { destination, .. } => {
            let target = cx.label(destination.block(&dfg.value_lists));
            let args = cx.block_args(destination)?;
            cx.emit(VInst::Jmp { target });
            cx.set_succs(vec![(target, args)]);
        }
        InstructionData::Brif { arg, blocks, .. } => {
            let taken = cx.edge(blocks[0])?;
            let not_taken = cx.edge(blocks[1])?;
            let cmp = condition(cx, arg)?;
            cx.emit(VInst::CondBr {
                cmp,
                taken,
                not_taken,
            });
            cx.set_succs(vec![(taken, Vec::new()), (not_taken, Vec::new())]);
        }
        InstructionData::BranchTable { arg, table, .. } => {
            let jt = &dfg.jump_tables[table];
            let default = cx.edge(jt.default_block())?;
            let mut labels = Vec::new();
            for bc in jt.as_slice() {
                labels.push(cx.edge(*bc)?);
            }
            let index = cx.reg(arg);
            switch(cx, index, &labels, default);
        }
        InstructionData::Ternary {
            opcode: Opcode::Select | Opcode::SelectSpectreGuard,
            args: [c, t, f],
        } => {
            let cmp = condition(cx, c)?;
            let result = dfg.inst_results(inst)[0];
            let dst = cx.def(result);
            let (t, f) = (cx.regs(t), cx.regs(f));
            for (d, (tw, fw)) in dst.words().zip(t.words().zip(f.words())) {
                cx.emit(VInst::Select {
                    cmp,
                    dst: d,
                    t: tw,
                    f: Src::Reg(fw),
                });
            }
        }
        InstructionData::IntCompare { cond, .. } => {
            let r = compare_value(cx, cond, args[0], Operand::Val(args[1]))?;
            cx.bind(dfg.inst_results(inst)[0], r);
        }
        InstructionData::IntCompareImm { cond, imm, .. } => {
            let r = compare_value(cx, cond, args[0], Operand::Imm(imm.bits()))?;
            cx.bind(dfg.inst_results(inst)[0], r);
        }
        InstructionData::Trap { .. } => cx.emit(VInst::Exit0),
        InstructionData::CondTrap { opcode, arg, .. } => {
            let cmp = condition(cx, arg)?;
            let cmp = if opcode == Opcode::Trapz {
                Compare {
                    cond: cmp.cond.invert(),
                    ..cmp
                }
            } else {
                cmp
            };
            cx.emit(VInst::TrapIf { cmp });
        }
        InstructionData::NullAry {
            opcode: Opcode::Debugtrap,
        } => {}
        _ => return Err(cx.unsupported(inst)),
    }
    Ok(())
}

/// The second operand of a comparison.
#[derive(Clone, Copy)]
pub(crate) enum Operand {
    Val(Value),
    Imm(i64),
}

pub(crate) fn cond_of(cc: IntCC) -> Cond {
    match cc {
        IntCC::Equal => Cond::Eq,
        IntCC::NotEqual => Cond::Ne,
        IntCC::SignedLessThan => Cond::Slt,
        IntCC::SignedGreaterThanOrEqual => Cond::Sge,
        IntCC::SignedGreaterThan => Cond::Sgt,
        IntCC::SignedLessThanOrEqual => Cond::Sle,
        IntCC::UnsignedLessThan => Cond::Ult,
        IntCC::UnsignedGreaterThanOrEqual => Cond::Uge,
        IntCC::UnsignedGreaterThan => Cond::Ugt,
        IntCC::UnsignedLessThanOrEqual => Cond::Ule,
    }
}

fn is_signed(c: Cond) -> bool {
    matches!(c, Cond::Sgt | Cond::Sge | Cond::Slt | Cond::Sle)
}

/// The jump condition for "`v` is true": the fused compare when `v` is an
/// `icmp` (looking through extensions and narrowing of the boolean),
/// else `v != 0`.
pub(crate) fn condition(cx: &mut Lower<'_>, v: Value) -> Result<Compare, CompileError> {
    let func = cx.func;
    let dfg = &func.dfg;
    let mut c = dfg.resolve_aliases(v);
    // The value tested when no compare is found: narrowing may drop set
    // bits, so only a zero-extension is looked through for it.
    let mut tested = c;
    while let Some(inst) = cx.inst_of(c) {
        match dfg.insts[inst] {
            InstructionData::Unary {
                opcode: opcode @ (Opcode::Uextend | Opcode::Ireduce),
                arg,
            } if dfg.value_type(arg).bits() <= 64 => {
                c = dfg.resolve_aliases(arg);
                if opcode == Opcode::Uextend && tested == dfg.resolve_aliases(v) {
                    tested = c;
                }
            }
            InstructionData::IntCompare { cond, args, .. }
                if dfg.value_type(args[0]).bits() <= 64 =>
            {
                return Ok(compare(cx, cond, args[0], Operand::Val(args[1])));
            }
            InstructionData::IntCompareImm { cond, arg, imm, .. }
                if dfg.value_type(arg).bits() <= 64 =>
            {
                return Ok(compare(cx, cond, arg, Operand::Imm(imm.bits())));
            }
            _ => break,
        }
    }
    let r = cx.regs(tested);
    let a = match r.hi {
        Some(hi) => cx.alu(AluOp::Or, true, r.lo, Src::Reg(hi)),
        None => r.lo,
    };
    Ok(Compare {
        cond: Cond::Ne,
        w32: false,
        a,
        b: Src::Imm(0),
    })
}

/// A compare of two values of at most 64 bits, with operands prepared.
pub(crate) fn compare(cx: &mut Lower<'_>, cc: IntCC, a: Value, b: Operand) -> Compare {
    let ty = cx.ty(a);
    let (mut cond, a, b) = match b {
        Operand::Val(bv) if cx.const_of(a).is_some() && cx.const_of(bv).is_none() => {
            (cond_of(cc).swap(), bv, Operand::Val(a))
        }
        _ => (cond_of(cc), a, b),
    };
    let b_const = match b {
        Operand::Imm(c) => Some(super::mask(c, ty)),
        Operand::Val(v) => cx.const_of(v),
    };
    let ar = cx.reg(a);
    let b_reg = |cx: &mut Lower<'_>| match b {
        Operand::Val(v) => cx.reg(v),
        Operand::Imm(c) => cx.const_reg(super::mask(c, ty)),
    };
    compare_regs(cx, &mut cond, ty, ar, b_const, b_reg)
}

fn compare_regs(
    cx: &mut Lower<'_>,
    cond: &mut Cond,
    ty: Type,
    a: Reg,
    b_const: Option<i64>,
    b_reg: impl FnOnce(&mut Lower<'_>) -> Reg,
) -> Compare {
    let bits = ty.bits();
    let signed = is_signed(*cond);
    if bits == 32 && cx.cpu() >= Cpu::V3 {
        let b = match b_const {
            Some(c) => Src::Imm(c as i32),
            None => Src::Reg(b_reg(cx)),
        };
        return Compare {
            cond: *cond,
            w32: true,
            a,
            b,
        };
    }
    if bits == 64 || !signed {
        let b = match b_const {
            Some(c) if i32::try_from(c).is_ok() => Src::Imm(c as i32),
            _ => Src::Reg(b_reg(cx)),
        };
        return Compare {
            cond: *cond,
            w32: false,
            a,
            b,
        };
    }
    // Signed compare of a narrow value: sign-extend both sides.
    let a = alu::sext64(cx, a, bits);
    let b = match b_const {
        Some(c) => Src::Imm(sign_extend(c, bits) as i32),
        None => {
            let r = b_reg(cx);
            Src::Reg(alu::sext64(cx, r, bits))
        }
    };
    Compare {
        cond: *cond,
        w32: false,
        a,
        b,
    }
}

fn sign_extend(c: i64, bits: u32) -> i64 {
    let s = 64 - bits;
    (c << s) >> s
}

/// A compare of already-lowered registers of type `ty`.
pub(crate) fn compare_reg_values(
    cx: &mut Lower<'_>,
    cond: Cond,
    ty: Type,
    a: Reg,
    b: Src,
) -> Compare {
    let mut cond = cond;
    match b {
        Src::Imm(c) => compare_regs(cx, &mut cond, ty, a, Some(i64::from(c)), |_| a),
        Src::Reg(r) => compare_regs(cx, &mut cond, ty, a, None, |_| r),
    }
}

/// `icmp` as a 0/1 value.
fn compare_value(cx: &mut Lower<'_>, cc: IntCC, a: Value, b: Operand) -> Result<Reg, CompileError> {
    if cx.ty(a) == types::I128 {
        return Ok(i128::compare_value(cx, cc, a, b));
    }
    let cmp = compare(cx, cc, a, b);
    Ok(set(cx, cmp))
}

pub(crate) fn set(cx: &mut Lower<'_>, cmp: Compare) -> Reg {
    let dst = cx.tmp();
    cx.emit(VInst::CmpSet { cmp, dst });
    dst
}

/// Ends the current block with a search of `index` over `labels`
/// (`default` for anything out of range).
fn switch(cx: &mut Lower<'_>, index: Reg, labels: &[Label], default: Label) {
    // Runs of equal targets: (first index, target); the final run is the
    // default from labels.len() upwards.
    let mut runs: Vec<(u64, Label)> = Vec::new();
    for (i, &l) in labels.iter().enumerate() {
        if runs.last().is_none_or(|r| r.1 != l) {
            runs.push((i as u64, l));
        }
    }
    if runs.last().is_none_or(|r| r.1 != default) {
        runs.push((labels.len() as u64, default));
    }
    let cur = cx.cur_block;
    search(cx, cur, index, &runs, true);
}

/// Emits the search over `runs` ending block `block`. `current` says the
/// block is the one being lowered (its instruction goes to `cx.cur`).
fn search(cx: &mut Lower<'_>, block: Label, index: Reg, runs: &[(u64, Label)], current: bool) {
    let (inst, succs) = if runs.len() == 1 {
        let target = runs[0].1;
        (VInst::Jmp { target }, vec![target])
    } else {
        let mid = runs.len() / 2;
        let left = child(cx, index, &runs[..mid]);
        let right = child(cx, index, &runs[mid..]);
        let pivot = runs[mid].0;
        let b = match i32::try_from(pivot) {
            Ok(p) => Src::Imm(p),
            Err(_) => Src::Reg(cx.const_reg(pivot as i64)),
        };
        let cmp = Compare {
            cond: Cond::Ult,
            w32: false,
            a: index,
            b,
        };
        (
            VInst::CondBr {
                cmp,
                taken: left,
                not_taken: right,
            },
            vec![left, right],
        )
    };
    if current {
        cx.emit(inst);
        cx.set_succs(succs.into_iter().map(|s| (s, Vec::new())).collect());
    } else {
        cx.fill_block(block, inst, succs);
    }
}

/// The block searching `runs`: the target itself for a single run, else a
/// new block.
fn child(cx: &mut Lower<'_>, index: Reg, runs: &[(u64, Label)]) -> Label {
    if runs.len() == 1 {
        return runs[0].1;
    }
    let label = cx.new_block();
    search(cx, label, index, runs, false);
    label
}

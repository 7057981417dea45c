//! The virtual-register instruction model between instruction selection and
//! emission ("vcode"): almost one BPF instruction per entry, plus a few
//! pseudo-instructions whose internal control flow the register allocator
//! need not see (compare-and-set, select, conditional trap).

use cranelift_codegen::ir::SourceLoc;
use regalloc2::{
    Operand, OperandConstraint, OperandKind, OperandPos, PReg, PRegSet, RegClass, VReg,
};

use super::CodeRelocKind;
use super::encode::{AluOp, Cond, Size};

/// A register: a virtual register before allocation, a physical one after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Reg(pub(crate) u32);

impl Reg {
    pub(crate) fn vreg(self) -> VReg {
        VReg::new(self.0 as usize, RegClass::Int)
    }

    /// The physical register number (after allocation).
    pub(crate) fn hw(self) -> u8 {
        self.0 as u8
    }
}

pub(crate) fn preg(n: u8) -> PReg {
    PReg::new(n as usize, RegClass::Int)
}

/// A register or a 32-bit immediate operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Src {
    Reg(Reg),
    Imm(i32),
}

/// Where a memory access's base address comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Base {
    Reg(Reg),
    /// A frame slot, addressed from r10; the slot's offset is added to the
    /// instruction's.
    Slot(u32),
    /// A register, the instruction's offset being the local value of CO-RE
    /// relocated constant `site` (a field's byte offset) that the loader
    /// patches in the instruction.
    Core {
        reg: Reg,
        site: u32,
    },
}

/// A vcode block index.
pub(crate) type Label = u32;

/// The comparison of a conditional jump or a compare-and-set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Compare {
    pub(crate) cond: Cond,
    /// Compare the low 32 bits only (JMP32, cpu v3+).
    pub(crate) w32: bool,
    pub(crate) a: Reg,
    pub(crate) b: Src,
}

/// What a call instruction calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CallTarget {
    /// A kernel helper by number (`call imm`, src = 0).
    Helper(i32),
    /// A BPF-to-BPF call to a named function (src = 1, relocated).
    Func(String),
}

#[derive(Clone, Debug)]
pub(crate) enum VInst {
    /// `dst = lhs op rhs`, two-address: `dst` reuses `lhs`'s register.
    Alu {
        op: AluOp,
        w64: bool,
        dst: Reg,
        lhs: Reg,
        rhs: Src,
    },
    Mov {
        w64: bool,
        dst: Reg,
        src: Src,
    },
    /// Sign-extending move (cpu v4).
    MovSx {
        w64: bool,
        bits: u8,
        dst: Reg,
        src: Reg,
    },
    Neg {
        w64: bool,
        dst: Reg,
        src: Reg,
    },
    /// Byte swap of the low `bits` (see [`super::encode::Insn::end`]).
    End {
        bits: u8,
        to_be: bool,
        unconditional: bool,
        dst: Reg,
        src: Reg,
    },
    Load {
        size: Size,
        sx: bool,
        dst: Reg,
        base: Base,
        off: i32,
    },
    Store {
        size: Size,
        base: Base,
        off: i32,
        src: Src,
    },
    /// `dst = r10 + slot offset + off`.
    FrameAddr {
        dst: Reg,
        slot: u32,
        off: i32,
    },
    LdImm64 {
        dst: Reg,
        value: i64,
        reloc: Option<(CodeRelocKind, String)>,
    },
    /// `dst = value` (an `ld_imm64`) that the loader relocates: CO-RE
    /// relocated constant `site` of the function, `value` the local answer.
    CoreImm {
        dst: Reg,
        value: i64,
        site: u32,
    },
    /// BPF atomic on `[base + off]`; with `fetch`, `dst` receives the old
    /// value (it reuses `src`'s register, as the instruction writes `src`).
    Atomic {
        w64: bool,
        aop: i32,
        base: Reg,
        off: i32,
        src: Reg,
        fetch: Option<Reg>,
    },
    /// Compare-exchange: r0 holds the expected value and receives the old.
    CmpXchg {
        w64: bool,
        base: Reg,
        off: i32,
        src: Reg,
        expected: Reg,
        dst: Reg,
    },
    Jmp {
        target: Label,
    },
    CondBr {
        cmp: Compare,
        taken: Label,
        not_taken: Label,
    },
    /// `dst = cmp ? 1 : 0` (a three-instruction diamond).
    CmpSet {
        cmp: Compare,
        dst: Reg,
    },
    /// `dst = cmp ? t : f`; `dst` reuses `t`'s register.
    Select {
        cmp: Compare,
        dst: Reg,
        t: Reg,
        f: Src,
    },
    /// Leaves the function with r0 = 0 when `cmp` holds.
    TrapIf {
        cmp: Compare,
    },
    Call {
        target: CallTarget,
        args: Vec<(Reg, u8)>,
        rets: Vec<(Reg, u8)>,
    },
    /// Classic packet load: ctx in r6, result in r0, r1-r5 clobbered.
    LdPacket {
        size: Size,
        ctx: Reg,
        index: Src,
        dst: Reg,
    },
    /// The function's incoming register arguments.
    Args {
        defs: Vec<(Reg, u8)>,
    },
    /// `exit` with the result in r0.
    Ret {
        value: Reg,
    },
    /// `r0 = 0; exit`: what a trap becomes.
    Exit0,
    /// Records the offset of the problem with this index; emits nothing.
    Marker {
        problem: usize,
    },
    /// An `asm!` block: the assembled template and, in operand order, the
    /// register of each operand's use and def (see [`crate::bpf::asm`]).
    InlineAsm {
        program: Box<crate::bpf::asm::Program>,
        regs: Vec<AsmReg>,
    },
}

/// One register of a [`VInst::InlineAsm`]: the `asm!` operand it belongs
/// to and how the block uses it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AsmReg {
    pub(crate) operand: usize,
    pub(crate) reg: Reg,
    pub(crate) role: Role,
}

/// How an instruction uses one of its registers.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Role {
    Use,
    Def,
    /// A def written before the uses are read.
    EarlyDef,
    /// A def sharing the register of the operand at this index.
    Reuse(usize),
    FixedUse(u8),
    FixedDef(u8),
    /// A fixed def written before the uses are read.
    FixedEarlyDef(u8),
}

impl VInst {
    /// Visits every register operand in a fixed order. Operand collection
    /// and the rewrite to physical registers both go through here, so the
    /// order always matches the allocator's.
    pub(crate) fn visit(&mut self, f: &mut dyn FnMut(&mut Reg, Role)) {
        fn src(s: &mut Src, f: &mut dyn FnMut(&mut Reg, Role)) {
            if let Src::Reg(r) = s {
                f(r, Role::Use);
            }
        }
        fn base(b: &mut Base, f: &mut dyn FnMut(&mut Reg, Role)) {
            if let Base::Reg(r) | Base::Core { reg: r, .. } = b {
                f(r, Role::Use);
            }
        }
        fn cmp(c: &mut Compare, f: &mut dyn FnMut(&mut Reg, Role)) {
            f(&mut c.a, Role::Use);
            src(&mut c.b, f);
        }
        match self {
            VInst::Alu { dst, lhs, rhs, .. } => {
                f(lhs, Role::Use);
                src(rhs, f);
                f(dst, Role::Reuse(0));
            }
            VInst::Mov { dst, src: s, .. } => {
                src(s, f);
                f(dst, Role::Def);
            }
            VInst::MovSx { dst, src, .. } => {
                f(src, Role::Use);
                f(dst, Role::Def);
            }
            VInst::Neg { dst, src, .. } | VInst::End { dst, src, .. } => {
                f(src, Role::Use);
                f(dst, Role::Reuse(0));
            }
            VInst::Load { dst, base: b, .. } => {
                base(b, f);
                f(dst, Role::Def);
            }
            VInst::Store {
                base: b, src: s, ..
            } => {
                base(b, f);
                src(s, f);
            }
            VInst::FrameAddr { dst, .. }
            | VInst::LdImm64 { dst, .. }
            | VInst::CoreImm { dst, .. } => f(dst, Role::Def),
            VInst::Atomic {
                base, src, fetch, ..
            } => {
                f(base, Role::Use);
                f(src, Role::Use);
                if let Some(d) = fetch {
                    f(d, Role::Reuse(1));
                }
            }
            VInst::CmpXchg {
                base,
                src,
                expected,
                dst,
                ..
            } => {
                f(base, Role::Use);
                f(src, Role::Use);
                f(expected, Role::FixedUse(0));
                f(dst, Role::FixedDef(0));
            }
            VInst::Jmp { .. } | VInst::Exit0 | VInst::Marker { .. } => {}
            VInst::CondBr { cmp: c, .. } | VInst::TrapIf { cmp: c } => cmp(c, f),
            VInst::CmpSet { cmp: c, dst } => {
                cmp(c, f);
                f(dst, Role::EarlyDef);
            }
            VInst::Select {
                cmp: c,
                dst,
                t,
                f: fv,
            } => {
                let t_index = if matches!(c.b, Src::Reg(_)) { 2 } else { 1 };
                cmp(c, f);
                f(t, Role::Use);
                src(fv, f);
                f(dst, Role::Reuse(t_index));
            }
            VInst::Call { args, rets, .. } => {
                for (r, p) in args {
                    f(r, Role::FixedUse(*p));
                }
                for (r, p) in rets {
                    f(r, Role::FixedDef(*p));
                }
            }
            VInst::LdPacket {
                ctx, index, dst, ..
            } => {
                f(ctx, Role::FixedUse(6));
                src(index, f);
                f(dst, Role::FixedDef(0));
            }
            VInst::Args { defs } => {
                for (r, p) in defs {
                    f(r, Role::FixedDef(*p));
                }
            }
            VInst::Ret { value } => f(value, Role::FixedUse(0)),
            VInst::InlineAsm { regs, .. } => {
                for r in regs {
                    f(&mut r.reg, r.role);
                }
            }
        }
    }

    /// The allocator operands, in [`VInst::visit`] order.
    pub(crate) fn operands(&mut self, out: &mut Vec<Operand>) {
        self.visit(&mut |r, role| {
            let v = r.vreg();
            out.push(match role {
                Role::Use => Operand::reg_use(v),
                Role::Def => Operand::reg_def(v),
                Role::EarlyDef => Operand::reg_def_at_start(v),
                Role::Reuse(i) => Operand::reg_reuse_def(v, i),
                Role::FixedUse(p) => Operand::reg_fixed_use(v, preg(p)),
                Role::FixedDef(p) => Operand::reg_fixed_def(v, preg(p)),
                Role::FixedEarlyDef(p) => Operand::new(
                    v,
                    OperandConstraint::FixedReg(preg(p)),
                    OperandKind::Def,
                    OperandPos::Early,
                ),
            });
        });
    }

    /// Physical registers the instruction destroys besides its defs.
    pub(crate) fn clobbers(&self) -> PRegSet {
        let mut set = PRegSet::empty();
        match self {
            VInst::Call { rets, .. } => {
                for r in 0..=5u8 {
                    if !rets.iter().any(|(_, p)| *p == r) {
                        set.add(preg(r));
                    }
                }
            }
            VInst::LdPacket { .. } => {
                for r in 1..=5u8 {
                    set.add(preg(r));
                }
            }
            _ => {}
        }
        set
    }

    pub(crate) fn is_branch(&self) -> bool {
        matches!(self, VInst::Jmp { .. } | VInst::CondBr { .. })
    }

    pub(crate) fn is_ret(&self) -> bool {
        matches!(self, VInst::Ret { .. } | VInst::Exit0)
    }
}

/// A vcode block: a range of instructions ending in a branch or return.
#[derive(Clone, Debug, Default)]
pub(crate) struct VBlock {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) params: Vec<VReg>,
    pub(crate) succs: Vec<regalloc2::Block>,
    pub(crate) preds: Vec<regalloc2::Block>,
    /// Block arguments passed to each successor (only for a single-target
    /// jump; conditional branches go through edge blocks).
    pub(crate) succ_args: Vec<Vec<VReg>>,
}

/// A function in vcode form, ready for register allocation.
#[derive(Debug, Default)]
pub(crate) struct VCode {
    pub(crate) insts: Vec<VInst>,
    pub(crate) srclocs: Vec<SourceLoc>,
    pub(crate) operands: Vec<Operand>,
    pub(crate) operand_ranges: Vec<(u32, u32)>,
    pub(crate) clobbers: Vec<PRegSet>,
    pub(crate) blocks: Vec<VBlock>,
    pub(crate) num_vregs: usize,
}

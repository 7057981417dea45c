//! Emission: allocated vcode to encoded instructions. Lays out blocks
//! (jump-only blocks the allocator left empty are threaded through, jumps
//! to the next block dropped), expands pseudo-instructions, applies the
//! frame layout to slot and spill accesses, resolves branch offsets and
//! records relocations, source locations and problem offsets.

use cranelift_codegen::ir::SourceLoc;
use regalloc2::{Allocation, Edit, InstOrEdit, Output};

use super::encode::{AluOp, FP, Insn, Operand2, Size};
use super::frame::MAX_FRAME;
use super::inst::{Base, CallTarget, Compare, Label, Reg, Src, VInst};
use super::isel::Selected;
use super::{BpfTarget, CodeReloc, CodeRelocKind, CompiledFunction, Cpu, Problem};

/// Where a conditional jump goes.
#[derive(Clone, Copy)]
enum Target {
    Label(Label),
    /// Skip this many instructions after the jump.
    Skip(i16),
}

struct Emitter<'a> {
    target: BpfTarget,
    sel: &'a Selected,
    insns: Vec<Insn>,
    fixups: Vec<(usize, Label)>,
    relocs: Vec<CodeReloc>,
    core_relos: Vec<(u32, u32)>,
    srclocs: Vec<(u32, SourceLoc)>,
    problems: Vec<Problem>,
    loc: SourceLoc,
}

pub(crate) fn emit(mut sel: Selected, out: &Output, target: BpfTarget) -> CompiledFunction {
    sel.frame.layout();
    let frame_size = sel.frame.size(out.num_spillslots);
    let vcode = &sel.vcode;
    let nblocks = vcode.blocks.len();

    // Blocks that are a lone jump after allocation forward to its target.
    let mut forward: Vec<Option<Label>> = vec![None; nblocks];
    for (b, fwd) in forward.iter_mut().enumerate().skip(1) {
        let items: Vec<_> = out
            .block_insts_and_edits(vcode, regalloc2::Block::new(b))
            .collect();
        if let [InstOrEdit::Inst(i)] = items.as_slice()
            && let VInst::Jmp { target } = vcode.insts[i.index()]
        {
            *fwd = Some(target);
        }
    }
    let resolve = |mut l: Label| {
        for _ in 0..nblocks {
            match forward[l as usize] {
                Some(t) if t != l => l = t,
                _ => break,
            }
        }
        l
    };
    let emitted: Vec<usize> = (0..nblocks).filter(|b| forward[*b].is_none()).collect();

    let mut e = Emitter {
        target,
        sel: &sel,
        insns: Vec::new(),
        fixups: Vec::new(),
        relocs: Vec::new(),
        core_relos: Vec::new(),
        srclocs: Vec::new(),
        problems: Vec::new(),
        loc: SourceLoc::default(),
    };
    if frame_size > MAX_FRAME {
        e.problems.push(Problem {
            offset: 0,
            srcloc: SourceLoc::default(),
            message: format!("stack frame of {frame_size} bytes exceeds BPF's {MAX_FRAME}"),
        });
    }
    let mut block_pos = vec![0usize; nblocks];
    for (n, &b) in emitted.iter().enumerate() {
        block_pos[b] = e.insns.len();
        let next = emitted.get(n + 1).map(|x| *x as Label);
        for item in out.block_insts_and_edits(vcode, regalloc2::Block::new(b)) {
            match item {
                InstOrEdit::Edit(Edit::Move { from, to }) => e.edit_move(*from, *to),
                InstOrEdit::Inst(i) => {
                    let loc = vcode.srclocs[i.index()];
                    if !loc.is_default() && loc != e.loc {
                        e.loc = loc;
                        e.srclocs.push(((e.insns.len() * 8) as u32, loc));
                    }
                    let mut inst = vcode.insts[i.index()].clone();
                    let allocs = out.inst_allocs(i);
                    let mut k = 0;
                    inst.visit(&mut |r, _| {
                        *r = Reg(allocs[k].as_reg().map_or(0, |p| p.hw_enc() as u32));
                        k += 1;
                    });
                    e.inst(&inst, next, &resolve);
                }
            }
        }
    }
    for (at, label) in std::mem::take(&mut e.fixups) {
        let dest = block_pos[resolve(label) as usize];
        let off = dest as i64 - at as i64 - 1;
        let insn = &mut e.insns[at];
        match i16::try_from(off) {
            Ok(o) => insn.off = o,
            Err(_) if insn.op == Insn::ja(0).op && target.cpu == Cpu::V4 => {
                *insn = Insn::gotol(off as i32);
            }
            Err(_) => e.problems.push(Problem {
                offset: (at * 8) as u32,
                srcloc: SourceLoc::default(),
                message: format!("branch over {off} instructions is out of BPF's range"),
            }),
        }
    }
    let mut code = Vec::with_capacity(e.insns.len() * 8);
    for insn in &e.insns {
        insn.encode(target.big_endian, &mut code);
    }
    CompiledFunction {
        code,
        relocs: e.relocs,
        core_relos: e.core_relos,
        frame_size,
        srclocs: e.srclocs,
        problems: e.problems,
    }
}

fn op2(s: Src) -> Operand2 {
    match s {
        Src::Reg(r) => Operand2::Reg(r.hw()),
        Src::Imm(i) => Operand2::Imm(i),
    }
}

impl Emitter<'_> {
    fn push(&mut self, insn: Insn) {
        self.insns.push(insn);
    }

    fn offset(&self) -> u32 {
        (self.insns.len() * 8) as u32
    }

    fn frame_off(&mut self, base: i64, off: i64) -> i16 {
        let total = base + off;
        i16::try_from(total).unwrap_or_else(|_| {
            let offset = self.offset();
            self.problems.push(Problem {
                offset,
                srcloc: self.loc,
                message: format!("stack offset {total} is out of range"),
            });
            0
        })
    }

    /// The base register and offset of the load or store pushed next.
    fn base(&mut self, base: Base, off: i32) -> (u8, i16) {
        match base {
            Base::Reg(r) => (r.hw(), off as i16),
            Base::Core { reg, site } => {
                self.core_relos.push((self.offset(), site));
                (reg.hw(), off as i16)
            }
            Base::Slot(s) => {
                let slot = i64::from(self.sel.frame.slot_offset(s));
                (FP, self.frame_off(slot, i64::from(off)))
            }
        }
    }

    fn edit_move(&mut self, from: Allocation, to: Allocation) {
        match (from.as_reg(), to.as_reg(), from.as_stack(), to.as_stack()) {
            (Some(f), Some(t), _, _) => {
                if f != t {
                    self.push(Insn::mov(
                        true,
                        t.hw_enc() as u8,
                        Operand2::Reg(f.hw_enc() as u8),
                    ));
                }
            }
            (None, Some(t), Some(s), _) => {
                let off = self.frame_off(self.sel.frame.spill_offset(s.index()), 0);
                self.push(Insn::ldx(Size::DW, false, t.hw_enc() as u8, FP, off));
            }
            (Some(f), None, _, Some(s)) => {
                let off = self.frame_off(self.sel.frame.spill_offset(s.index()), 0);
                self.push(Insn::stx(Size::DW, FP, off, f.hw_enc() as u8));
            }
            _ => {}
        }
    }

    /// A conditional jump, legalised for the cpu: cpu v1 has no "less
    /// than" jumps, so the operands are swapped, or for an immediate the
    /// inverted jump skips an unconditional one.
    fn jcc(&mut self, cmp: Compare, target: Target) {
        let a = cmp.a.hw();
        let b = op2(cmp.b);
        if self.target.cpu >= Cpu::V2 || cmp.cond.in_v1() {
            self.jump_to(Insn::jcc(cmp.w32, cmp.cond, a, b, 0), target);
        } else if let Operand2::Reg(r) = b {
            self.jump_to(
                Insn::jcc(cmp.w32, cmp.cond.swap(), r, Operand2::Reg(a), 0),
                target,
            );
        } else {
            self.push(Insn::jcc(cmp.w32, cmp.cond.invert(), a, b, 1));
            self.jump_to(Insn::ja(0), target);
        }
    }

    fn jump_to(&mut self, mut insn: Insn, target: Target) {
        match target {
            Target::Skip(n) => insn.off = n,
            Target::Label(l) => self.fixups.push((self.insns.len(), l)),
        }
        self.push(insn);
    }

    fn inst(&mut self, inst: &VInst, next: Option<Label>, resolve: &dyn Fn(Label) -> Label) {
        match inst {
            VInst::Alu {
                op, w64, dst, rhs, ..
            } => self.push(Insn::alu(*w64, *op, dst.hw(), op2(*rhs))),
            VInst::Mov { w64, dst, src } => {
                if !(*w64 && *src == Src::Reg(*dst)) {
                    self.push(Insn::mov(*w64, dst.hw(), op2(*src)));
                }
            }
            VInst::MovSx {
                w64,
                bits,
                dst,
                src,
            } => self.push(Insn::movsx(*w64, dst.hw(), src.hw(), *bits)),
            VInst::Neg { w64, dst, .. } => self.push(Insn::neg(*w64, dst.hw())),
            VInst::End {
                bits,
                to_be,
                unconditional,
                dst,
                ..
            } => self.push(Insn::end(dst.hw(), *bits, *to_be, *unconditional)),
            VInst::Load {
                size,
                sx,
                dst,
                base,
                off,
            } => {
                let (b, o) = self.base(*base, *off);
                self.push(Insn::ldx(*size, *sx, dst.hw(), b, o));
            }
            VInst::Store {
                size,
                base,
                off,
                src,
            } => {
                let (b, o) = self.base(*base, *off);
                match src {
                    Src::Reg(r) => self.push(Insn::stx(*size, b, o, r.hw())),
                    Src::Imm(i) => self.push(Insn::st(*size, b, o, *i)),
                }
            }
            VInst::FrameAddr { dst, slot, off } => {
                let slot = i64::from(self.sel.frame.slot_offset(*slot));
                let o = self.frame_off(slot, i64::from(*off));
                self.push(Insn::mov(true, dst.hw(), Operand2::Reg(FP)));
                self.push(Insn::alu(
                    true,
                    AluOp::Add,
                    dst.hw(),
                    Operand2::Imm(o.into()),
                ));
            }
            VInst::CoreImm { dst, value, site } => {
                self.core_relos.push((self.offset(), *site));
                for i in Insn::ld_imm64(dst.hw(), 0, *value) {
                    self.push(i);
                }
            }
            VInst::LdImm64 { dst, value, reloc } => {
                if let Some((kind, symbol)) = reloc {
                    self.relocs.push(CodeReloc {
                        offset: self.offset(),
                        kind: *kind,
                        symbol: symbol.clone(),
                        addend: *value,
                    });
                }
                let value = if reloc.is_some() { 0 } else { *value };
                for i in Insn::ld_imm64(dst.hw(), 0, value) {
                    self.push(i);
                }
            }
            VInst::Atomic {
                w64,
                aop,
                base,
                off,
                src,
                ..
            } => self.push(Insn::atomic(*w64, base.hw(), *off as i16, src.hw(), *aop)),
            VInst::CmpXchg {
                w64,
                base,
                off,
                src,
                ..
            } => self.push(Insn::atomic(*w64, base.hw(), *off as i16, src.hw(), 0xf1)),
            VInst::Jmp { target } => {
                let t = resolve(*target);
                if Some(t) != next {
                    self.jump_to(Insn::ja(0), Target::Label(t));
                }
            }
            VInst::CondBr {
                cmp,
                taken,
                not_taken,
            } => {
                let (t, f) = (resolve(*taken), resolve(*not_taken));
                if Some(t) == next {
                    let inv = Compare {
                        cond: cmp.cond.invert(),
                        ..*cmp
                    };
                    self.jcc(inv, Target::Label(f));
                } else {
                    self.jcc(*cmp, Target::Label(t));
                    if Some(f) != next {
                        self.jump_to(Insn::ja(0), Target::Label(f));
                    }
                }
            }
            VInst::CmpSet { cmp, dst } => {
                self.push(Insn::mov(true, dst.hw(), Operand2::Imm(1)));
                self.jcc(*cmp, Target::Skip(1));
                self.push(Insn::mov(true, dst.hw(), Operand2::Imm(0)));
            }
            VInst::Select { cmp, dst, f, .. } => {
                self.jcc(*cmp, Target::Skip(1));
                self.push(Insn::mov(true, dst.hw(), op2(*f)));
            }
            VInst::TrapIf { cmp } => {
                let inv = Compare {
                    cond: cmp.cond.invert(),
                    ..*cmp
                };
                self.jcc(inv, Target::Skip(2));
                self.push(Insn::mov(true, 0, Operand2::Imm(0)));
                self.push(Insn::exit());
            }
            VInst::Call { target, .. } => match target {
                CallTarget::Helper(id) => self.push(Insn::call(0, *id)),
                CallTarget::Func(name) => {
                    self.relocs.push(CodeReloc {
                        offset: self.offset(),
                        kind: CodeRelocKind::Call,
                        symbol: name.clone(),
                        addend: 0,
                    });
                    self.push(Insn::call(1, -1));
                }
            },
            VInst::LdPacket { size, index, .. } => match index {
                Src::Imm(i) => self.push(Insn::ld_packet(*size, None, *i)),
                Src::Reg(r) => self.push(Insn::ld_packet(*size, Some(r.hw()), 0)),
            },
            VInst::Args { .. } => {}
            VInst::Ret { .. } => self.push(Insn::exit()),
            VInst::Exit0 => {
                self.push(Insn::mov(true, 0, Operand2::Imm(0)));
                self.push(Insn::exit());
            }
            VInst::InlineAsm { program, regs } => {
                let mut phys = vec![0u8; regs.iter().map(|r| r.operand + 1).max().unwrap_or(0)];
                for r in regs {
                    phys[r.operand] = r.reg.hw();
                }
                for insn in program.resolve(&phys) {
                    self.push(insn);
                }
            }
            VInst::Marker { problem } => {
                let (message, srcloc) = self.sel.problems[*problem].clone();
                let offset = self.offset();
                self.problems.push(Problem {
                    offset,
                    srcloc,
                    message,
                });
            }
        }
    }
}

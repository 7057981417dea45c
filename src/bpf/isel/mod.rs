//! Instruction selection: CLIF to [`VCode`].
//!
//! Blocks are visited in reverse of reverse postorder and instructions
//! backwards, as Cranelift's own lowering does: by the time an instruction
//! is reached, every use of its results has been lowered, so a pure
//! instruction whose results nobody asked for (an address folded into a
//! load's offset, a constant folded into an immediate, a compare fused into
//! a jump) is simply not emitted.
//!
//! Value representation: every integer narrower than 64 bits is kept
//! zero-extended in its 64-bit register. `uextend` is then free, a 32-bit
//! load followed by `uextend` emits nothing but the load, and the only
//! 32-bit ALU operations are those on 32-bit (or narrower) CLIF values, so
//! pointers (always `i64`) never go through one. Floats live as their bit
//! patterns; `i128` values are pairs of registers (low, high).

mod alu;
mod branch;
mod call;
mod float;
mod i128;
mod inline_asm;
mod mem;

use std::collections::HashMap;

use cranelift_codegen::entity::{EntitySet, SecondaryMap};
use cranelift_codegen::ir::{
    self, Block, BlockArg, BlockCall, Inst, InstructionData, Opcode, SourceLoc, Type, Value,
    ValueDef, types,
};

use super::encode::AluOp;
use super::frame::Frame;
use super::inst::{Label, Reg, Role, Src, VBlock, VCode, VInst};
use super::{BpfTarget, CompileError, Cpu};

/// The register(s) holding one CLIF value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Regs {
    pub(crate) lo: Reg,
    pub(crate) hi: Option<Reg>,
}

impl Regs {
    fn words(self) -> impl Iterator<Item = Reg> {
        std::iter::once(self.lo).chain(self.hi)
    }
}

/// How a value is the same bits as another, so that it needs no code.
enum Alias {
    Same(Value),
    Lo(Value),
    Hi(Value),
    Concat(Value, Value),
}

#[derive(Default)]
struct BuildBlock {
    /// Instructions in reverse order while the block is being lowered.
    insts: Vec<(VInst, SourceLoc)>,
    params: Vec<Reg>,
    succs: Vec<(Label, Vec<Reg>)>,
    /// Blocks created while lowering this one (edge and switch blocks),
    /// laid out right after it.
    extras: Vec<Label>,
}

/// The result of instruction selection.
pub(crate) struct Selected {
    pub(crate) vcode: VCode,
    pub(crate) frame: Frame,
    /// Problems found (message, source location); their instructions carry
    /// a [`VInst::Marker`] with the index into this list.
    pub(crate) problems: Vec<(String, SourceLoc)>,
}

pub(crate) struct Lower<'a> {
    func: &'a ir::Function,
    target: BpfTarget,
    symbol_name: &'a dyn Fn(&ir::ExternalName) -> String,
    regs: HashMap<Value, Regs>,
    used: EntitySet<Value>,
    next_vreg: u32,
    blocks: Vec<BuildBlock>,
    block_label: SecondaryMap<Block, Label>,
    pred_count: SecondaryMap<Block, u32>,
    /// The instruction being lowered, in forward order.
    cur: Vec<VInst>,
    cur_block: Label,
    srcloc: SourceLoc,
    frame: Frame,
    out_args_slot: Option<u32>,
    ret_area_slot: Option<u32>,
    /// Memory for 128-bit arguments and results of runtime routines.
    libcall_slot: Option<u32>,
    /// The hidden return-area pointer this function received.
    ret_ptr: Option<Reg>,
    problems: Vec<(String, SourceLoc)>,
}

pub(crate) fn select(
    func: &ir::Function,
    target: BpfTarget,
    symbol_name: &dyn Fn(&ir::ExternalName) -> String,
    slot_conflicts: Option<crate::bpf::frame::SlotConflicts>,
) -> Result<Selected, CompileError> {
    let entry = func.layout.entry_block().ok_or_else(|| CompileError {
        srcloc: SourceLoc::default(),
        message: "function has no body".into(),
    })?;
    let rpo = reverse_postorder(func, entry);
    let mut lower = Lower {
        func,
        target,
        symbol_name,
        regs: HashMap::new(),
        used: EntitySet::new(),
        next_vreg: 0,
        blocks: Vec::new(),
        block_label: SecondaryMap::new(),
        pred_count: SecondaryMap::new(),
        cur: Vec::new(),
        cur_block: 0,
        srcloc: SourceLoc::default(),
        frame: Frame::new(func, slot_conflicts),
        out_args_slot: None,
        ret_area_slot: None,
        libcall_slot: None,
        ret_ptr: None,
        problems: Vec::new(),
    };
    for &b in &rpo {
        lower.block_label[b] = lower.blocks.len() as Label;
        lower.blocks.push(BuildBlock::default());
        if let Some(term) = func.layout.last_inst(b) {
            for bc in lower.destinations(term) {
                lower.pred_count[bc.block(&func.dfg.value_lists)] += 1;
            }
        }
    }
    // Block parameters first: they are defined by the allocator's block
    // parameter mechanism (or, in the entry block, by the arguments).
    for &b in &rpo {
        let mut params = Vec::new();
        for &p in func.dfg.block_params(b) {
            params.extend(lower.def(p).words());
        }
        let label = lower.block_label[b] as usize;
        if b == entry {
            lower.ret_ptr = call::entry_ret_ptr(&mut lower);
        } else {
            lower.blocks[label].params = params;
        }
    }
    for &b in rpo.iter().rev() {
        lower.lower_block(b, b == entry)?;
    }
    Ok(lower.finish(&rpo))
}

fn reverse_postorder(func: &ir::Function, entry: Block) -> Vec<Block> {
    let mut seen = EntitySet::new();
    let mut post = Vec::new();
    let mut stack = vec![(entry, 0usize)];
    seen.insert(entry);
    while let Some((b, i)) = stack.pop() {
        let succs: Vec<Block> = func
            .layout
            .last_inst(b)
            .map(|t| {
                func.dfg.insts[t]
                    .branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables)
                    .iter()
                    .map(|bc| bc.block(&func.dfg.value_lists))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(&s) = succs.get(i) {
            stack.push((b, i + 1));
            if seen.insert(s) {
                stack.push((s, 0));
            }
        } else {
            post.push(b);
        }
    }
    post.reverse();
    post
}

impl<'a> Lower<'a> {
    fn destinations(&self, inst: Inst) -> Vec<BlockCall> {
        self.func.dfg.insts[inst]
            .branch_destination(&self.func.dfg.jump_tables, &self.func.dfg.exception_tables)
            .to_vec()
    }

    fn cpu(&self) -> Cpu {
        self.target.cpu
    }

    pub(crate) fn error(&self, message: String) -> CompileError {
        CompileError {
            srcloc: self.srcloc,
            message,
        }
    }

    fn unsupported(&self, inst: Inst) -> CompileError {
        self.error(format!(
            "unsupported CLIF instruction for BPF: {}",
            self.func.dfg.display_inst(inst)
        ))
    }

    /// Records a problem at the current instruction.
    fn problem(&mut self, message: String) {
        let index = self.problems.len();
        self.problems.push((message, self.srcloc));
        self.emit(VInst::Marker { problem: index });
    }

    fn emit(&mut self, inst: VInst) {
        self.cur.push(inst);
    }

    fn tmp(&mut self) -> Reg {
        let r = Reg(self.next_vreg);
        self.next_vreg += 1;
        r
    }

    fn ty(&self, v: Value) -> Type {
        self.func.dfg.value_type(v)
    }

    fn inst_of(&self, v: Value) -> Option<Inst> {
        match self.func.dfg.value_def(self.func.dfg.resolve_aliases(v)) {
            ValueDef::Result(inst, _) => Some(inst),
            _ => None,
        }
    }

    fn alias(&self, v: Value) -> Option<Alias> {
        let dfg = &self.func.dfg;
        let (inst, n) = match dfg.value_def(v) {
            ValueDef::Result(inst, n) => (inst, n),
            _ => return None,
        };
        let args = dfg.inst_args(inst);
        let out = dfg.value_type(v);
        match dfg.insts[inst].opcode() {
            Opcode::Uextend if out.bits() <= 64 => Some(Alias::Same(args[0])),
            Opcode::Bitcast if dfg.value_type(args[0]).bits() == out.bits() => {
                Some(Alias::Same(args[0]))
            }
            Opcode::Ireduce if out == types::I64 => Some(Alias::Lo(args[0])),
            Opcode::Iconcat => Some(Alias::Concat(args[0], args[1])),
            Opcode::Isplit if n == 0 => Some(Alias::Lo(args[0])),
            Opcode::Isplit => Some(Alias::Hi(args[0])),
            _ => None,
        }
    }

    /// The registers of `v` for its definition (no use recorded).
    fn def(&mut self, v: Value) -> Regs {
        let v = self.func.dfg.resolve_aliases(v);
        if let Some(r) = self.regs.get(&v) {
            return *r;
        }
        let lo = self.tmp();
        let hi = (self.ty(v) == types::I128).then(|| self.tmp());
        let r = Regs { lo, hi };
        self.regs.insert(v, r);
        r
    }

    /// The registers of `v` as an operand: records the use.
    pub(crate) fn regs(&mut self, v: Value) -> Regs {
        let v = self.func.dfg.resolve_aliases(v);
        match self.alias(v) {
            Some(Alias::Same(x)) => self.regs(x),
            Some(Alias::Lo(x)) => Regs {
                lo: self.regs(x).lo,
                hi: None,
            },
            Some(Alias::Hi(x)) => {
                let r = self.regs(x);
                Regs {
                    lo: r.hi.unwrap_or(r.lo),
                    hi: None,
                }
            }
            Some(Alias::Concat(a, b)) => Regs {
                lo: self.regs(a).lo,
                hi: Some(self.regs(b).lo),
            },
            None => {
                // A constant is materialised at each use: one register held
                // from its definition (often the entry block, where SSA
                // construction puts the zeros of not-yet-assigned variables)
                // to a distant use would only add pressure and spills.
                if self.ty(v).bits() <= 64
                    && let Some(c) = self.const_of(v)
                {
                    return Regs {
                        lo: self.const_reg(c),
                        hi: None,
                    };
                }
                // Likewise frame addresses (r10 plus an offset): global
                // value numbering shares one `stack_addr` among distant
                // uses.
                if let Some(inst) = self.inst_of(v)
                    && let InstructionData::StackLoad {
                        opcode: Opcode::StackAddr,
                        stack_slot,
                        offset,
                    } = self.func.dfg.insts[inst]
                {
                    let dst = self.tmp();
                    self.emit(VInst::FrameAddr {
                        dst,
                        slot: stack_slot.as_u32(),
                        off: i32::from(offset),
                    });
                    return Regs { lo: dst, hi: None };
                }
                self.used.insert(v);
                self.def(v)
            }
        }
    }

    /// The single register of a value of at most 64 bits.
    pub(crate) fn reg(&mut self, v: Value) -> Reg {
        self.regs(v).lo
    }

    /// The canonical (zero-extended) value of `v` if it is a constant.
    pub(crate) fn const_of(&self, v: Value) -> Option<i64> {
        let v = self.func.dfg.resolve_aliases(v);
        if let Some(Alias::Same(x)) = self.alias(v) {
            return self.const_of(x);
        }
        let inst = self.inst_of(v)?;
        match self.func.dfg.insts[inst] {
            InstructionData::UnaryImm {
                opcode: Opcode::Iconst,
                imm,
            } => Some(mask(imm.bits(), self.ty(v))),
            _ => None,
        }
    }

    /// `v` as the second operand of an operation whose immediate is
    /// sign-extended from 32 bits (`wide`) or used as 32 bits.
    pub(crate) fn src(&mut self, v: Value, wide: bool) -> Src {
        match self.const_of(v) {
            Some(c) if wide && i32::try_from(c).is_ok() => Src::Imm(c as i32),
            Some(c) if !wide && self.ty(v).bits() <= 32 => Src::Imm(c as i32),
            _ => Src::Reg(self.reg(v)),
        }
    }

    /// A register holding the 64-bit constant `value`.
    pub(crate) fn const_reg(&mut self, value: i64) -> Reg {
        let dst = self.tmp();
        self.mov_const(dst, value);
        dst
    }

    pub(crate) fn mov_const(&mut self, dst: Reg, value: i64) {
        if let Ok(imm) = i32::try_from(value) {
            self.emit(VInst::Mov {
                w64: true,
                dst,
                src: Src::Imm(imm),
            });
        } else if let Ok(u) = u32::try_from(value) {
            self.emit(VInst::Mov {
                w64: false,
                dst,
                src: Src::Imm(u as i32),
            });
        } else {
            self.emit(VInst::LdImm64 {
                dst,
                value,
                reloc: None,
            });
        }
    }

    /// `dst = lhs op rhs` into a fresh register.
    pub(crate) fn alu(&mut self, op: AluOp, w64: bool, lhs: Reg, rhs: Src) -> Reg {
        let dst = self.tmp();
        self.emit(VInst::Alu {
            op,
            w64,
            dst,
            lhs,
            rhs,
        });
        dst
    }

    pub(crate) fn mov(&mut self, dst: Reg, src: Reg) {
        self.emit(VInst::Mov {
            w64: true,
            dst,
            src: Src::Reg(src),
        });
    }

    /// Makes `val` the value of `dst`: the last emitted instruction is
    /// retargeted when it is the one that defined `val`, else a move.
    pub(crate) fn finish_into(&mut self, dst: Reg, val: Reg) {
        if dst == val {
            return;
        }
        if let Some(last) = self.cur.last_mut() {
            let mut found = false;
            last.visit(&mut |r, role| {
                if *r == val && !matches!(role, Role::Use | Role::FixedUse(_)) {
                    *r = dst;
                    found = true;
                }
            });
            if found {
                return;
            }
        }
        self.mov(dst, val);
    }

    /// Binds a single-register result.
    pub(crate) fn bind(&mut self, result: Value, val: Reg) {
        let dst = self.def(result).lo;
        self.finish_into(dst, val);
    }

    /// A CLIF block's label for a branch from a block with one successor.
    fn label(&self, b: Block) -> Label {
        self.block_label[b]
    }

    fn new_block(&mut self) -> Label {
        let label = self.blocks.len() as Label;
        self.blocks.push(BuildBlock::default());
        let cur = self.cur_block as usize;
        self.blocks[cur].extras.push(label);
        label
    }

    /// Registers of a branch's block arguments (records the uses).
    fn block_args(&mut self, bc: BlockCall) -> Result<Vec<Reg>, CompileError> {
        let mut out = Vec::new();
        let args: Vec<BlockArg> = bc.args(&self.func.dfg.value_lists).collect();
        for a in args {
            match a {
                BlockArg::Value(v) => out.extend(self.regs(v).words()),
                _ => return Err(self.error("exception-handling block arguments".into())),
            }
        }
        Ok(out)
    }

    /// The label to use for one successor of a multi-way branch: the block
    /// itself when it has no other way in and no parameters, else a new
    /// edge block that jumps there with the arguments.
    fn edge(&mut self, bc: BlockCall) -> Result<Label, CompileError> {
        let b = bc.block(&self.func.dfg.value_lists);
        let target = self.label(b);
        if self.pred_count[b] == 1 && self.func.dfg.block_params(b).is_empty() {
            return Ok(target);
        }
        let args = self.block_args(bc)?;
        let label = self.new_block();
        let blk = &mut self.blocks[label as usize];
        blk.insts.push((VInst::Jmp { target }, self.srcloc));
        blk.succs.push((target, args));
        Ok(label)
    }

    /// Ends a switch block (not the current one) with `inst`.
    fn fill_block(&mut self, label: Label, inst: VInst, succs: Vec<Label>) {
        let blk = &mut self.blocks[label as usize];
        blk.insts.push((inst, self.srcloc));
        blk.succs = succs.into_iter().map(|s| (s, Vec::new())).collect();
    }

    fn set_succs(&mut self, succs: Vec<(Label, Vec<Reg>)>) {
        let cur = self.cur_block as usize;
        self.blocks[cur].succs = succs;
    }

    fn lower_block(&mut self, b: Block, is_entry: bool) -> Result<(), CompileError> {
        self.cur_block = self.label(b);
        let func = self.func;
        let insts: Vec<Inst> = func.layout.block_insts(b).collect();
        for &inst in insts.iter().rev() {
            let results = func.dfg.inst_results(inst);
            let needed = results.iter().any(|r| self.used.contains(*r));
            let op = func.dfg.insts[inst].opcode();
            let effects = op.is_branch()
                || op.is_terminator()
                || op.is_call()
                || op.can_store()
                || matches!(
                    op,
                    Opcode::Fence
                        | Opcode::AtomicRmw
                        | Opcode::AtomicCas
                        | Opcode::Trap
                        | Opcode::Trapz
                        | Opcode::Trapnz
                );
            if !needed && !effects {
                continue;
            }
            self.srcloc = self.func.srcloc(inst);
            self.lower_inst(inst)?;
            let cur = std::mem::take(&mut self.cur);
            let loc = self.srcloc;
            let blk = &mut self.blocks[self.cur_block as usize];
            blk.insts.extend(cur.into_iter().rev().map(|i| (i, loc)));
        }
        if is_entry {
            self.srcloc = SourceLoc::default();
            call::lower_entry_args(self, b)?;
            let cur = std::mem::take(&mut self.cur);
            let blk = &mut self.blocks[self.cur_block as usize];
            blk.insts
                .extend(cur.into_iter().rev().map(|i| (i, SourceLoc::default())));
        }
        let blk = &mut self.blocks[self.cur_block as usize];
        blk.insts.reverse();
        Ok(())
    }

    fn lower_inst(&mut self, inst: Inst) -> Result<(), CompileError> {
        let op = self.func.dfg.insts[inst].opcode();
        match op {
            Opcode::Nop | Opcode::Fence => Ok(()),
            // Pure re-interpretations: their results alias their inputs.
            Opcode::Uextend
            | Opcode::Bitcast
            | Opcode::Ireduce
            | Opcode::Iconcat
            | Opcode::Isplit
                if self
                    .func
                    .dfg
                    .inst_results(inst)
                    .iter()
                    .all(|r| self.alias(*r).is_some()) =>
            {
                Ok(())
            }
            Opcode::Jump
            | Opcode::Brif
            | Opcode::BrTable
            | Opcode::Select
            | Opcode::Icmp
            | Opcode::IcmpImm
            | Opcode::Trap
            | Opcode::Trapz
            | Opcode::Trapnz
            | Opcode::Debugtrap => branch::lower(self, inst),
            Opcode::Call | Opcode::CallIndirect | Opcode::Return => call::lower(self, inst),
            Opcode::Load
            | Opcode::Uload8
            | Opcode::Sload8
            | Opcode::Uload16
            | Opcode::Sload16
            | Opcode::Uload32
            | Opcode::Sload32
            | Opcode::Store
            | Opcode::Istore8
            | Opcode::Istore16
            | Opcode::Istore32
            | Opcode::StackLoad
            | Opcode::StackStore
            | Opcode::StackAddr
            | Opcode::SymbolValue
            | Opcode::GlobalValue
            | Opcode::FuncAddr
            | Opcode::AtomicLoad
            | Opcode::AtomicStore
            | Opcode::AtomicRmw
            | Opcode::AtomicCas => mem::lower(self, inst),
            _ if self.is_float_op(inst) => float::lower(self, inst),
            _ if self
                .func
                .dfg
                .inst_args(inst)
                .iter()
                .chain(self.func.dfg.inst_results(inst))
                .any(|v| self.ty(*v) == types::I128) =>
            {
                i128::lower(self, inst)
            }
            _ => alu::lower(self, inst),
        }
    }

    fn is_float_op(&self, inst: Inst) -> bool {
        use Opcode::*;
        matches!(
            self.func.dfg.insts[inst].opcode(),
            Fadd | Fsub
                | Fmul
                | Fdiv
                | Fneg
                | Fabs
                | Fcopysign
                | Fcmp
                | Fpromote
                | Fdemote
                | FcvtToSint
                | FcvtToUint
                | FcvtToSintSat
                | FcvtToUintSat
                | FcvtFromSint
                | FcvtFromUint
                | Sqrt
                | Fma
                | Floor
                | Ceil
                | Trunc
                | Nearest
                | Fmin
                | Fmax
                | F32const
                | F64const
        )
    }

    /// Lays blocks out (each CLIF block followed by the blocks created for
    /// it) and builds the allocator's view.
    fn finish(mut self, rpo: &[Block]) -> Selected {
        let mut order = Vec::new();
        for &b in rpo {
            let mut stack = vec![self.block_label[b]];
            while let Some(l) = stack.pop() {
                order.push(l);
                stack.extend(self.blocks[l as usize].extras.iter().rev());
            }
        }
        let mut new_index = vec![u32::MAX; self.blocks.len()];
        for (i, &l) in order.iter().enumerate() {
            new_index[l as usize] = i as u32;
        }
        let mut vcode = VCode::default();
        for &l in &order {
            let blk = std::mem::take(&mut self.blocks[l as usize]);
            let start = vcode.insts.len() as u32;
            for (mut inst, loc) in blk.insts {
                match &mut inst {
                    VInst::Jmp { target } => *target = new_index[*target as usize],
                    VInst::CondBr {
                        taken, not_taken, ..
                    } => {
                        *taken = new_index[*taken as usize];
                        *not_taken = new_index[*not_taken as usize];
                    }
                    _ => {}
                }
                let s = vcode.operands.len() as u32;
                inst.operands(&mut vcode.operands);
                vcode.operand_ranges.push((s, vcode.operands.len() as u32));
                vcode.clobbers.push(inst.clobbers());
                vcode.insts.push(inst);
                vcode.srclocs.push(loc);
            }
            vcode.blocks.push(VBlock {
                start,
                end: vcode.insts.len() as u32,
                params: blk.params.iter().map(|r| r.vreg()).collect(),
                succs: blk
                    .succs
                    .iter()
                    .map(|(s, _)| regalloc2::Block::new(new_index[*s as usize] as usize))
                    .collect(),
                preds: Vec::new(),
                succ_args: blk
                    .succs
                    .iter()
                    .map(|(_, a)| a.iter().map(|r| r.vreg()).collect())
                    .collect(),
            });
        }
        for i in 0..vcode.blocks.len() {
            for s in vcode.blocks[i].succs.clone() {
                vcode.blocks[s.index()].preds.push(regalloc2::Block::new(i));
            }
        }
        vcode.num_vregs = self.next_vreg as usize;
        Selected {
            vcode,
            frame: self.frame,
            problems: self.problems,
        }
    }
}

/// `imm` reduced to the width of `ty`, zero-extended.
pub(crate) fn mask(imm: i64, ty: Type) -> i64 {
    match ty.bits() {
        8 => imm & 0xff,
        16 => imm & 0xffff,
        32 => imm & 0xffff_ffff,
        _ => imm,
    }
}

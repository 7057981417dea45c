//! Register allocation: the regalloc2 view of a [`VCode`] and the machine
//! environment (r0-r9 allocatable, r10 the read-only frame pointer). Spill
//! slots are one 8-byte word each, so every spill is a full-width,
//! aligned stack access the verifier tracks (pointers included).

use regalloc2::{
    Algorithm, Block, Function, Inst, InstRange, MachineEnv, Operand, Output, PRegSet,
    RegAllocError, RegClass, RegallocOptions, VReg,
};

use super::inst::{VCode, preg};

impl Function for VCode {
    fn num_insts(&self) -> usize {
        self.insts.len()
    }

    fn num_blocks(&self) -> usize {
        self.blocks.len()
    }

    fn entry_block(&self) -> Block {
        Block::new(0)
    }

    fn block_insns(&self, block: Block) -> InstRange {
        let b = &self.blocks[block.index()];
        InstRange::new(Inst::new(b.start as usize), Inst::new(b.end as usize))
    }

    fn block_succs(&self, block: Block) -> &[Block] {
        &self.blocks[block.index()].succs
    }

    fn block_preds(&self, block: Block) -> &[Block] {
        &self.blocks[block.index()].preds
    }

    fn block_params(&self, block: Block) -> &[VReg] {
        &self.blocks[block.index()].params
    }

    fn is_ret(&self, insn: Inst) -> bool {
        self.insts[insn.index()].is_ret()
    }

    fn is_branch(&self, insn: Inst) -> bool {
        self.insts[insn.index()].is_branch()
    }

    fn branch_blockparams(&self, block: Block, _insn: Inst, succ_idx: usize) -> &[VReg] {
        self.blocks[block.index()]
            .succ_args
            .get(succ_idx)
            .map_or(&[], |a| a.as_slice())
    }

    fn inst_operands(&self, insn: Inst) -> &[Operand] {
        let (s, e) = self.operand_ranges[insn.index()];
        &self.operands[s as usize..e as usize]
    }

    fn inst_clobbers(&self, insn: Inst) -> PRegSet {
        self.clobbers[insn.index()]
    }

    fn num_vregs(&self) -> usize {
        self.num_vregs
    }

    fn spillslot_size(&self, _regclass: RegClass) -> usize {
        1
    }
}

/// r0-r5 are preferred (they are clobbered by calls anyway); r6-r9 hold
/// values that live across calls.
fn machine_env() -> MachineEnv {
    let mut preferred = PRegSet::empty();
    for r in [1, 2, 3, 4, 5, 0] {
        preferred.add(preg(r));
    }
    let mut non_preferred = PRegSet::empty();
    for r in 6..=9 {
        non_preferred.add(preg(r));
    }
    MachineEnv {
        preferred_regs_by_class: [preferred, PRegSet::empty(), PRegSet::empty()],
        non_preferred_regs_by_class: [non_preferred, PRegSet::empty(), PRegSet::empty()],
        scratch_by_class: [None, None, None],
        fixed_stack_slots: vec![],
    }
}

pub(crate) fn allocate(vcode: &VCode) -> Result<Output, RegAllocError> {
    let options = RegallocOptions {
        verbose_log: false,
        validate_ssa: cfg!(debug_assertions),
        algorithm: Algorithm::Ion,
    };
    regalloc2::run(vcode, &machine_env(), &options)
}

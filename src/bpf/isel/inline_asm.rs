//! Instruction selection of `asm!` blocks: a call of a marker function
//! (see [`crate::bpf::asm`]) becomes one [`VInst::InlineAsm`] whose
//! registers the allocator picks under the operands' constraints.

use cranelift_codegen::ir::Value;

use super::{Lower, alu};
use crate::bpf::CompileError;
use crate::bpf::asm::{Block, Dir};
use crate::bpf::inst::{AsmReg, Role, VInst};

pub(super) fn lower(
    cx: &mut Lower<'_>,
    block: Block,
    args: &[Value],
    results: &[Value],
) -> Result<(), CompileError> {
    let program = block.assemble().map_err(|e| cx.error(e))?;
    let mut inputs = args.iter();
    let mut regs = Vec::new();
    // Output registers and the index of their operand, in result order.
    let mut outputs = Vec::new();
    for (operand, o) in block.operands.iter().enumerate() {
        let mut push = |reg, role| {
            regs.push(AsmReg { operand, reg, role });
            regs.len() - 1
        };
        let input = if o.dir.is_input() {
            let arg = inputs
                .next()
                .ok_or_else(|| cx.error("inline assembly marker lacks an input".into()))?;
            let mut reg = cx.reg(*arg);
            if o.dir == Dir::InOut && o.fixed.is_none() {
                // The output reuses this register: give it a copy of its own
                // so that no other operand shares it.
                let copy = cx.tmp();
                cx.mov(copy, reg);
                reg = copy;
            }
            Some(push(reg, o.fixed.map_or(Role::Use, Role::FixedUse)))
        } else {
            None
        };
        if o.dir.is_output() {
            let reg = cx.tmp();
            let role = match (o.dir, o.fixed, input) {
                (Dir::InOut, Some(r), _) => Role::FixedDef(r),
                (Dir::InOut, None, Some(used)) => Role::Reuse(used),
                (Dir::Out, Some(r), _) => Role::FixedEarlyDef(r),
                (Dir::Out, None, _) => Role::EarlyDef,
                (_, Some(r), _) => Role::FixedDef(r),
                (_, None, _) => Role::Def,
            };
            push(reg, role);
            outputs.push(reg);
        }
    }
    cx.emit(VInst::InlineAsm {
        program: Box::new(program),
        regs,
    });
    // Narrow results are kept zero-extended (see the module documentation
    // of instruction selection); the block may leave any upper bits.
    for (&result, reg) in results.iter().zip(outputs) {
        let bits = cx.ty(result).bits().min(64);
        let value = alu::zext(cx, reg, bits);
        cx.bind(result, value);
    }
    Ok(())
}

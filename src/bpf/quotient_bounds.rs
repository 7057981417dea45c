//! Bounds the verifier cannot derive on its own, made explicit in the CLIF
//! before optimisation: an unsigned remainder by a constant `c` is at most
//! `c - 1`, a quotient by `c` at most `MAX / c`.
//!
//! The verifier does not track ranges through `div`/`mod`, nor through the
//! multiply-and-subtract a remainder by a constant is optimised into, so a
//! loop bounded by `n % 94` looks unbounded to it. Each such result is
//! passed through a `umin` with its true bound: it never changes the value,
//! and it lowers to a compare and conditional move from which the verifier
//! learns the range on both paths.

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::ir::{Function, Inst, InstBuilder, InstructionData, Opcode, Value};

/// Adds the bound after every unsigned division or remainder of an integer
/// of at most 64 bits by a non-zero constant.
pub(crate) fn insert(func: &mut Function) {
    let found: Vec<(Inst, Value, u64)> = func
        .layout
        .blocks()
        .flat_map(|b| func.layout.block_insts(b))
        .filter_map(|inst| bounded_result(func, inst).map(|(v, bound)| (inst, v, bound)))
        .collect();
    let mut cursor = FuncCursor::new(func);
    for (inst, result, bound) in found {
        let ty = cursor.func.dfg.value_type(result);
        let unbounded = cursor.func.dfg.replace_result(result, ty);
        cursor.goto_after_inst(inst);
        let limit = cursor.ins().iconst(ty, bound as i64);
        let bounded = cursor.ins().umin(unbounded, limit);
        cursor.func.dfg.change_to_alias(result, bounded);
    }
}

/// The result of `inst` and its largest possible value, for an unsigned
/// division or remainder by a constant.
fn bounded_result(func: &Function, inst: Inst) -> Option<(Value, u64)> {
    let dfg = &func.dfg;
    let (opcode, divisor) = match dfg.insts[inst] {
        InstructionData::BinaryImm64 { opcode, imm, .. } => (opcode, imm.bits() as u64),
        InstructionData::Binary { opcode, args } => {
            let def = dfg.value_def(dfg.resolve_aliases(args[1])).inst()?;
            match dfg.insts[def] {
                InstructionData::UnaryImm {
                    opcode: Opcode::Iconst,
                    imm,
                } => (opcode, imm.bits() as u64),
                _ => return None,
            }
        }
        _ => return None,
    };
    let result = *dfg.inst_results(inst).first()?;
    let bits = dfg.value_type(result).bits();
    if !dfg.value_type(result).is_int() || bits > 64 {
        return None;
    }
    let max = u64::MAX >> (64 - bits);
    let divisor = divisor & max;
    if divisor <= 1 {
        return None;
    }
    let bound = match opcode {
        Opcode::Urem | Opcode::UremImm => divisor - 1,
        Opcode::Udiv | Opcode::UdivImm => max / divisor,
        _ => return None,
    };
    Some((result, bound))
}

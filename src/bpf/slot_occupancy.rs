//! Where stack slots whose address never escapes hold data. Such a slot is
//! read and written only by loads and stores at its own address, so its
//! bytes matter only at points reached from a store to it that can still
//! reach a load of it (and at each store, which writes them). Slots without
//! lifetime markers (aggregate temporaries, locals without `StorageLive`)
//! get their lifetimes from this instead of being live throughout.

use cranelift_codegen::ir::{self, Inst, InstructionData, Opcode, Value};
use std::collections::HashMap;

/// The function's blocks in layout order and each block's successors (by
/// index into that order).
pub(super) fn cfg(func: &ir::Function) -> (Vec<ir::Block>, Vec<Vec<usize>>) {
    let blocks: Vec<ir::Block> = func.layout.blocks().collect();
    let index: HashMap<ir::Block, usize> =
        blocks.iter().enumerate().map(|(i, &b)| (b, i)).collect();
    let succs = blocks
        .iter()
        .map(|&b| {
            func.layout.last_inst(b).map_or_else(Vec::new, |term| {
                func.dfg.insts[term]
                    .branch_destination(&func.dfg.jump_tables, &func.dfg.exception_tables)
                    .iter()
                    .filter_map(|dest| index.get(&dest.block(&func.dfg.value_lists)).copied())
                    .collect()
            })
        })
        .collect();
    (blocks, succs)
}

/// An access of a slot: the slot (by index) and whether it is a store.
type Access = (usize, bool);

/// The access of a slot `inst` makes, if any.
fn access(func: &ir::Function, addrs: &HashMap<Value, usize>, inst: Inst) -> Option<Access> {
    let addr = |v: Value| addrs.get(&func.dfg.resolve_aliases(v)).copied();
    match func.dfg.insts[inst] {
        InstructionData::Load { arg, .. } => addr(arg).map(|s| (s, false)),
        InstructionData::Store { args: [_, a], .. } => addr(a).map(|s| (s, true)),
        InstructionData::StackLoad {
            opcode: Opcode::StackLoad,
            stack_slot,
            ..
        } => Some((stack_slot.as_u32() as usize, false)),
        InstructionData::StackStore { stack_slot, .. } => {
            Some((stack_slot.as_u32() as usize, true))
        }
        _ => None,
    }
}

/// For each instruction after which one of the non-escaping slots among
/// the `n` CLIF slots holds data, those slots. Also returns which slots do
/// not escape; the others are not described.
pub(super) fn occupied_after(
    func: &ir::Function,
    n: usize,
) -> (Vec<bool>, HashMap<Inst, Vec<usize>>) {
    let mut addrs: HashMap<Value, usize> = HashMap::new();
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            if let InstructionData::StackLoad {
                opcode: Opcode::StackAddr,
                stack_slot,
                ..
            } = func.dfg.insts[inst]
            {
                addrs.insert(func.dfg.first_result(inst), stack_slot.as_u32() as usize);
            }
        }
    }
    // A slot escapes when its address is used other than as the address
    // operand of a load or store.
    let mut private = vec![true; n];
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            let mut address = match func.dfg.insts[inst] {
                InstructionData::Load { arg, .. } => Some(func.dfg.resolve_aliases(arg)),
                InstructionData::Store { args: [_, a], .. } => Some(func.dfg.resolve_aliases(a)),
                _ => None,
            };
            for v in func.dfg.inst_values(inst) {
                let v = func.dfg.resolve_aliases(v);
                if let Some(&s) = addrs.get(&v) {
                    if address == Some(v) {
                        address = None;
                    } else if s < n {
                        private[s] = false;
                    }
                }
            }
        }
    }

    let (blocks, succs) = cfg(func);
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); blocks.len()];
    for (i, ss) in succs.iter().enumerate() {
        for &j in ss {
            preds[j].push(i);
        }
    }
    let accesses: Vec<Vec<(Inst, Option<Access>)>> = blocks
        .iter()
        .map(|&b| {
            func.layout
                .block_insts(b)
                .map(|inst| {
                    let a = access(func, &addrs, inst).filter(|&(s, _)| s < n && private[s]);
                    (inst, a)
                })
                .collect()
        })
        .collect();

    // Forward: a store may have written the slot. Backward: a load may
    // still read it. Both only grow, so iterate to a fixed point.
    let mut written_out = vec![vec![false; n]; blocks.len()];
    let mut read_in = vec![vec![false; n]; blocks.len()];
    let mut changed = true;
    while changed {
        changed = false;
        for b in 0..blocks.len() {
            let mut w = vec![false; n];
            for &p in &preds[b] {
                or_into(&mut w, &written_out[p]);
            }
            for &(_, a) in &accesses[b] {
                if let Some((s, true)) = a {
                    w[s] = true;
                }
            }
            let mut r = vec![false; n];
            for &s in &succs[b] {
                or_into(&mut r, &read_in[s]);
            }
            for &(_, a) in accesses[b].iter().rev() {
                if let Some((s, false)) = a {
                    r[s] = true;
                }
            }
            if w != written_out[b] || r != read_in[b] {
                written_out[b] = w;
                read_in[b] = r;
                changed = true;
            }
        }
    }

    let mut occupied: HashMap<Inst, Vec<usize>> = HashMap::new();
    for b in 0..blocks.len() {
        let mut read_after = vec![vec![false; n]; accesses[b].len()];
        let mut r = vec![false; n];
        for &s in &succs[b] {
            or_into(&mut r, &read_in[s]);
        }
        for (k, &(_, a)) in accesses[b].iter().enumerate().rev() {
            read_after[k].clone_from(&r);
            if let Some((s, false)) = a {
                r[s] = true;
            }
        }
        let mut w = vec![false; n];
        for &p in &preds[b] {
            or_into(&mut w, &written_out[p]);
        }
        for (k, &(inst, a)) in accesses[b].iter().enumerate() {
            let store = match a {
                Some((s, true)) => {
                    w[s] = true;
                    Some(s)
                }
                _ => None,
            };
            let here: Vec<usize> = (0..n)
                .filter(|&s| private[s] && (store == Some(s) || (w[s] && read_after[k][s])))
                .collect();
            if !here.is_empty() {
                occupied.insert(inst, here);
            }
        }
    }
    (private, occupied)
}

fn or_into(dst: &mut [bool], src: &[bool]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d |= *s;
    }
}

#[cfg(test)]
mod tests {
    use cranelift_codegen::ir::{
        AbiParam, Function, InstBuilder, MemFlags, Signature, StackSlotData, StackSlotKind, types,
    };
    use cranelift_codegen::isa::CallConv;
    use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

    use super::occupied_after;
    use crate::bpf::frame::{Frame, slot_conflicts};

    /// Two 8-byte slots used one after the other, the second through its
    /// address; with `escape` that address is also returned.
    fn two_slots(escape: bool) -> Function {
        let mut sig = Signature::new(CallConv::SystemV);
        sig.returns.push(AbiParam::new(types::I64));
        let mut func = Function::with_name_signature(Default::default(), sig);
        let mut ctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut ctx);
        let block = b.create_block();
        b.switch_to_block(block);
        b.seal_block(block);
        let data = || StackSlotData::new(StackSlotKind::ExplicitSlot, 8, 3);
        let (s0, s1) = (
            b.create_sized_stack_slot(data()),
            b.create_sized_stack_slot(data()),
        );
        let one = b.ins().iconst(types::I64, 1);
        b.ins().stack_store(one, s0, 0);
        let v = b.ins().stack_load(types::I64, s0, 0);
        let addr = b.ins().stack_addr(types::I64, s1, 0);
        b.ins().store(MemFlags::trusted(), v, addr, 0);
        let w = b.ins().load(types::I64, MemFlags::trusted(), addr, 0);
        let ret = if escape { addr } else { w };
        b.ins().return_(&[ret]);
        b.finalize();
        func
    }

    fn shared(func: &Function) -> bool {
        let mut frame = Frame::new(func, slot_conflicts(func, &[]));
        frame.layout();
        frame.slot_offset(0) == frame.slot_offset(1)
    }

    #[test]
    fn slots_used_apart_share_bytes() {
        let func = two_slots(false);
        let (private, occupied) = occupied_after(&func, 2);
        assert_eq!(private, [true, true]);
        // Each slot holds data only from its store to its load.
        let held: Vec<Vec<usize>> = func
            .layout
            .block_insts(func.layout.entry_block().unwrap())
            .map(|i| occupied.get(&i).cloned().unwrap_or_default())
            .collect();
        assert_eq!(
            held,
            [vec![], vec![0], vec![], vec![], vec![1], vec![], vec![]]
        );
        assert!(shared(&func));
    }

    #[test]
    fn escaping_slot_is_live_throughout() {
        let func = two_slots(true);
        let (private, _) = occupied_after(&func, 2);
        assert_eq!(private, [true, false]);
        assert!(!shared(&func));
    }
}

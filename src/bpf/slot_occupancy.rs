//! Where stack slots whose address never escapes hold data. Such a slot is
//! read and written only by loads and stores at its own address, so its
//! bytes matter only at points reached from a store to it that can still
//! reach a load of it (and at each store, which writes them). Slots without
//! lifetime markers (aggregate temporaries, locals without `StorageLive`)
//! get their lifetimes from this instead of being live throughout.

use cranelift_codegen::ir::{self, Inst, InstructionData, LibCall, Opcode, Value};
use std::collections::{HashMap, HashSet};

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

/// Kernel helpers that keep a pointer argument beyond the call (a dynptr
/// over the memory, 197) or hand it to a callback of the program, which
/// may store pointers into it (164, 180, 181, 209).
const HELPERS_KEEPING_POINTERS: [i64; 5] = [164, 180, 181, 197, 209];

/// The pointer arguments of `inst` when it is a call that uses the memory
/// they point to only while it runs and returns no pointer derived from
/// them: a kernel helper called by number, or `memcpy`/`memmove`/
/// `memset`/`memcmp` whose results are unused.
fn transient_call_args<'f>(
    func: &'f ir::Function,
    used: &HashSet<Value>,
    inst: Inst,
) -> Option<&'f [Value]> {
    let dfg = &func.dfg;
    match dfg.insts[inst] {
        InstructionData::CallIndirect { .. } => {
            let (&callee, args) = dfg.inst_args(inst).split_first()?;
            let def = dfg.value_def(dfg.resolve_aliases(callee)).inst()?;
            match dfg.insts[def] {
                InstructionData::UnaryImm {
                    opcode: Opcode::Iconst,
                    imm,
                } if !HELPERS_KEEPING_POINTERS.contains(&imm.bits()) => Some(args),
                _ => None,
            }
        }
        InstructionData::Call { func_ref, .. } => {
            let memory_routine = matches!(
                dfg.ext_funcs[func_ref].name,
                ir::ExternalName::LibCall(
                    LibCall::Memcpy | LibCall::Memmove | LibCall::Memset | LibCall::Memcmp
                )
            );
            let results_unused = dfg.inst_results(inst).iter().all(|r| !used.contains(r));
            (memory_routine && results_unused).then(|| dfg.inst_args(inst))
        }
        _ => None,
    }
}

/// The accesses of slots `inst` makes: a load or store at a slot's
/// address, or a transient call (see [`transient_call_args`]) given slot
/// addresses, which may read and write them.
fn accesses_of(
    func: &ir::Function,
    addrs: &HashMap<Value, usize>,
    used: &HashSet<Value>,
    inst: Inst,
) -> Vec<Access> {
    let addr = |v: Value| addrs.get(&func.dfg.resolve_aliases(v)).copied();
    match func.dfg.insts[inst] {
        InstructionData::Load { arg, .. } => addr(arg).map(|s| (s, false)).into_iter().collect(),
        InstructionData::Store { args: [_, a], .. } => {
            addr(a).map(|s| (s, true)).into_iter().collect()
        }
        InstructionData::StackLoad {
            opcode: Opcode::StackLoad,
            stack_slot,
            ..
        } => vec![(stack_slot.as_u32() as usize, false)],
        InstructionData::StackStore { stack_slot, .. } => {
            vec![(stack_slot.as_u32() as usize, true)]
        }
        _ => transient_call_args(func, used, inst)
            .unwrap_or_default()
            .iter()
            .filter_map(|&v| addr(v))
            .flat_map(|s| [(s, false), (s, true)])
            .collect(),
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
    let used: HashSet<Value> = func
        .layout
        .blocks()
        .flat_map(|b| func.layout.block_insts(b))
        .flat_map(|inst| func.dfg.inst_values(inst))
        .map(|v| func.dfg.resolve_aliases(v))
        .collect();
    // A slot escapes when its address is used other than as the address
    // operand of a load or store or as an argument of a transient call.
    let mut private = vec![true; n];
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            let mut exempt: Vec<Value> = match func.dfg.insts[inst] {
                InstructionData::Load { arg, .. } => vec![arg],
                InstructionData::Store { args: [_, a], .. } => vec![a],
                _ => transient_call_args(func, &used, inst)
                    .unwrap_or_default()
                    .to_vec(),
            };
            for v in &mut exempt {
                *v = func.dfg.resolve_aliases(*v);
            }
            for v in func.dfg.inst_values(inst) {
                let v = func.dfg.resolve_aliases(v);
                if let Some(&s) = addrs.get(&v) {
                    if let Some(k) = exempt.iter().position(|&e| e == v) {
                        exempt.swap_remove(k);
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
    let accesses: Vec<Vec<(Inst, Vec<Access>)>> = blocks
        .iter()
        .map(|&b| {
            func.layout
                .block_insts(b)
                .map(|inst| {
                    let mut a = accesses_of(func, &addrs, &used, inst);
                    a.retain(|&(s, _)| s < n && private[s]);
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
            for (_, a) in &accesses[b] {
                for &(s, _) in a.iter().filter(|&&(_, store)| store) {
                    w[s] = true;
                }
            }
            let mut r = vec![false; n];
            for &s in &succs[b] {
                or_into(&mut r, &read_in[s]);
            }
            for (_, a) in accesses[b].iter().rev() {
                for &(s, _) in a.iter().filter(|&&(_, store)| !store) {
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
        for (k, (_, a)) in accesses[b].iter().enumerate().rev() {
            read_after[k].clone_from(&r);
            for &(s, _) in a.iter().filter(|&&(_, store)| !store) {
                r[s] = true;
            }
        }
        let mut w = vec![false; n];
        for &p in &preds[b] {
            or_into(&mut w, &written_out[p]);
        }
        for (k, (inst, a)) in accesses[b].iter().enumerate() {
            let stored: Vec<usize> = a
                .iter()
                .filter(|&&(_, store)| store)
                .map(|&(s, _)| s)
                .collect();
            for &s in &stored {
                w[s] = true;
            }
            let here: Vec<usize> = (0..n)
                .filter(|&s| private[s] && (stored.contains(&s) || (w[s] && read_after[k][s])))
                .collect();
            if !here.is_empty() {
                occupied.insert(*inst, here);
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
    /// address; with `escape` that address is also returned, and with
    /// `addr_first` it is taken before the first slot is used.
    fn two_slots(escape: bool, addr_first: bool) -> Function {
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
        let early = addr_first.then(|| b.ins().stack_addr(types::I64, s1, 0));
        let one = b.ins().iconst(types::I64, 1);
        b.ins().stack_store(one, s0, 0);
        let v = b.ins().stack_load(types::I64, s0, 0);
        let addr = early.unwrap_or_else(|| b.ins().stack_addr(types::I64, s1, 0));
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
        let func = two_slots(false, false);
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
    fn escaping_slot_is_live_from_its_address_on() {
        let func = two_slots(true, true);
        let (private, _) = occupied_after(&func, 2);
        assert_eq!(private, [true, false]);
        assert!(!shared(&func));
    }

    #[test]
    fn escaping_slot_shares_with_slots_dead_before_its_address() {
        let func = two_slots(true, false);
        let (private, _) = occupied_after(&func, 2);
        assert_eq!(private, [true, false]);
        assert!(shared(&func));
    }

    /// A slot written by a kernel helper (number `helper`) through its
    /// address and then read, and a second slot used only afterwards.
    fn helper_output(helper: i64) -> Function {
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
        let mut helper_sig = Signature::new(CallConv::SystemV);
        helper_sig.params.push(AbiParam::new(types::I64));
        helper_sig.returns.push(AbiParam::new(types::I64));
        let sig_ref = b.import_signature(helper_sig);
        let callee = b.ins().iconst(types::I64, helper);
        let addr = b.ins().stack_addr(types::I64, s0, 0);
        b.ins().call_indirect(sig_ref, callee, &[addr]);
        let v = b.ins().stack_load(types::I64, s0, 0);
        b.ins().stack_store(v, s1, 0);
        let w = b.ins().stack_load(types::I64, s1, 0);
        b.ins().return_(&[w]);
        b.finalize();
        func
    }

    #[test]
    fn helper_argument_is_held_from_the_call_to_its_last_read() {
        // bpf_probe_read_kernel (113) writes the buffer only while it runs.
        let func = helper_output(113);
        let (private, occupied) = occupied_after(&func, 2);
        assert_eq!(private, [true, true]);
        let held: Vec<Vec<usize>> = func
            .layout
            .block_insts(func.layout.entry_block().unwrap())
            .map(|i| occupied.get(&i).cloned().unwrap_or_default())
            .collect();
        assert_eq!(
            held,
            [vec![], vec![], vec![0], vec![], vec![1], vec![], vec![]]
        );
        assert!(shared(&func));
    }

    #[test]
    fn helper_keeping_its_argument_makes_it_escape() {
        // bpf_dynptr_from_mem (197) keeps a pointer to the buffer; the
        // buffer is then live from its address on, over the second slot.
        let func = helper_output(197);
        let (private, _) = occupied_after(&func, 2);
        assert_eq!(private, [false, true]);
        assert!(!shared(&func));
    }
}

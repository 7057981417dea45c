//! Frame layout below r10: the function's CLIF stack slots and the call
//! areas instruction selection adds (outgoing argument block, return area)
//! come first, each aligned to at least 8 bytes; the allocator's 8-byte
//! spill slots follow.
//!
//! BPF frames are limited to 512 bytes, so CLIF slots share space when they
//! are never live together: lowering marks where a slot starts and stops
//! holding data ([`SlotMarker`]); a forward dataflow over the CFG finds the
//! slots possibly live at each marker, and slots that never meet are packed
//! into the same bytes. Slots without markers hold data where
//! [`slot_occupancy`](super::slot_occupancy) finds it when their address
//! does not escape; otherwise they are live from the first instruction
//! naming them (taking their address or accessing them) onwards, since
//! nothing can reach their bytes before that.

use cranelift_codegen::ir::{self, Inst, InstructionData};
use std::collections::{HashMap, HashSet};

use super::slot_occupancy;

use crate::lower::SlotMarker;

/// BPF's per-frame stack limit.
pub(crate) const MAX_FRAME: u32 = 512;

#[derive(Clone, Copy, Debug)]
struct Slot {
    size: u32,
    align: u32,
}

#[derive(Debug, Default)]
pub(crate) struct Frame {
    slots: Vec<Slot>,
    /// How many of `slots` are the function's CLIF slots (the rest were
    /// added by instruction selection).
    clif_slots: usize,
    /// For each CLIF slot, the CLIF slots it may be live together with;
    /// `None` when every slot conflicts with every other.
    conflicts: Option<Vec<Vec<bool>>>,
    /// r10-relative offset of each slot, once laid out.
    offsets: Vec<i32>,
    fixed_size: u32,
}

impl Frame {
    /// A frame holding `func`'s stack slots as slots `0..n` (by index),
    /// sharing space as `conflicts` allows.
    pub(crate) fn new(func: &ir::Function, conflicts: Option<SlotConflicts>) -> Frame {
        let mut frame = Frame::default();
        for (_, data) in func.sized_stack_slots.iter() {
            frame.add(data.size, 1u32 << data.align_shift.min(12));
        }
        frame.clif_slots = frame.slots.len();
        frame.conflicts = conflicts.map(|c| c.0);
        frame
    }

    pub(crate) fn add(&mut self, size: u32, align: u32) -> u32 {
        self.slots.push(Slot {
            size,
            align: align.max(8),
        });
        (self.slots.len() - 1) as u32
    }

    /// Makes `slot` at least `size` bytes.
    pub(crate) fn grow(&mut self, slot: u32, size: u32) {
        let s = &mut self.slots[slot as usize];
        s.size = s.size.max(size);
    }

    /// Assigns offsets; returns nothing, see [`Frame::size`].
    pub(crate) fn layout(&mut self) {
        // Depth (bytes below r10) of the end of each slot; a slot occupies
        // depths (end - size, end].
        let mut ends: Vec<u64> = vec![0; self.slots.len()];
        let mut order: Vec<usize> = (0..self.clif_slots).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(self.slots[i].size), i));
        let mut placed: Vec<usize> = Vec::with_capacity(order.len());
        for &i in &order {
            let Slot { size, align } = self.slots[i];
            let (size, align) = (u64::from(size), u64::from(align));
            let mut end = size.max(1).next_multiple_of(align);
            loop {
                let clash = placed.iter().find(|&&j| {
                    self.may_meet(i, j) && {
                        let (j_end, j_size) = (ends[j], u64::from(self.slots[j].size));
                        end - size < j_end && j_end - j_size < end
                    }
                });
                match clash {
                    Some(&j) => end = (ends[j] + size).next_multiple_of(align),
                    None => break,
                }
            }
            ends[i] = end;
            placed.push(i);
        }
        let mut depth: u64 = placed.iter().map(|&i| ends[i]).max().unwrap_or(0);
        for (i, s) in self.slots.iter().enumerate().skip(self.clif_slots) {
            depth += u64::from(s.size);
            depth = depth.next_multiple_of(u64::from(s.align));
            ends[i] = depth;
        }
        self.offsets = ends
            .iter()
            .map(|&end| -(i32::try_from(end).unwrap_or(i32::MAX)))
            .collect();
        self.fixed_size = u32::try_from(depth.next_multiple_of(8)).unwrap_or(u32::MAX);
    }

    fn may_meet(&self, a: usize, b: usize) -> bool {
        self.conflicts.as_ref().is_none_or(|c| c[a][b])
    }

    pub(crate) fn slot_offset(&self, slot: u32) -> i32 {
        self.offsets[slot as usize]
    }

    pub(crate) fn spill_offset(&self, spill: usize) -> i64 {
        -(i64::from(self.fixed_size) + 8 * (spill as i64 + 1))
    }

    /// Total frame bytes with `spills` spill slots.
    pub(crate) fn size(&self, spills: usize) -> u32 {
        self.fixed_size.saturating_add(8 * spills as u32)
    }
}

/// Which CLIF slots of a function may be live at the same time.
pub(crate) struct SlotConflicts(Vec<Vec<bool>>);

/// The conflicts of `func`'s slots from its markers. Computed before any
/// optimisation: optimisations keep memory accesses in place (only pure
/// address arithmetic moves), so they stay valid afterwards.
pub(crate) fn slot_conflicts(func: &ir::Function, markers: &[SlotMarker]) -> Option<SlotConflicts> {
    Some(SlotConflicts(conflicts(
        func,
        markers,
        func.sized_stack_slots.len(),
    )))
}

/// Which of the `n` CLIF slots may be live at the same time.
fn conflicts(func: &ir::Function, markers: &[SlotMarker], n: usize) -> Vec<Vec<bool>> {
    // Only slots that are ever started are tracked by their markers; a
    // slot with only end markers (or none) is described by its accesses
    // when its address does not escape, and otherwise is live from the
    // first instruction that names it (its address cannot be used before
    // an instruction makes it) to the end of the function.
    let mut tracked = vec![false; n];
    for m in markers {
        let slot = m.slot.as_u32() as usize;
        if slot < n && m.live && func.layout.inst_block(m.inst).is_some() {
            tracked[slot] = true;
        }
    }
    let (private, occupied) = slot_occupancy::occupied_after(func, n);
    let by_access: Vec<bool> = (0..n).map(|s| !tracked[s] && private[s]).collect();
    let escaping: Vec<bool> = (0..n).map(|s| !tracked[s] && !private[s]).collect();

    let mut at: HashMap<Inst, Vec<(usize, bool)>> = HashMap::new();
    for m in markers {
        let slot = m.slot.as_u32() as usize;
        if slot < n && tracked[slot] && func.layout.inst_block(m.inst).is_some() {
            at.entry(m.inst).or_default().push((slot, m.live));
        }
    }
    for block in func.layout.blocks() {
        for inst in func.layout.block_insts(block) {
            let slot = match func.dfg.insts[inst] {
                InstructionData::StackLoad { stack_slot, .. }
                | InstructionData::StackStore { stack_slot, .. } => stack_slot.as_u32() as usize,
                _ => continue,
            };
            if slot < n && escaping[slot] {
                at.entry(inst).or_default().push((slot, true));
            }
        }
    }

    // Forward "possibly live" dataflow to a fixed point.
    let (blocks, succs) = slot_occupancy::cfg(func);
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); blocks.len()];
    for (i, ss) in succs.iter().enumerate() {
        for &j in ss {
            preds[j].push(i);
        }
    }
    let transfer = |b: ir::Block, live: &mut Vec<bool>| {
        for inst in func.layout.block_insts(b) {
            for &(slot, start) in at.get(&inst).map_or(&[][..], Vec::as_slice) {
                live[slot] = start;
            }
        }
    };
    let mut outs: Vec<Vec<bool>> = vec![vec![false; n]; blocks.len()];
    let mut changed = true;
    while changed {
        changed = false;
        for (i, &b) in blocks.iter().enumerate() {
            let mut live = vec![false; n];
            for &p in &preds[i] {
                for (l, o) in live.iter_mut().zip(&outs[p]) {
                    *l |= *o;
                }
            }
            transfer(b, &mut live);
            if live != outs[i] {
                outs[i] = live;
                changed = true;
            }
        }
    }

    // A slot conflicts with whatever is possibly live where it starts (an
    // escaping slot starts at each instruction naming it); a slot described
    // by its accesses with whatever is live where it holds data.
    let mut conflict = vec![vec![false; n]; n];
    let mut states: HashSet<Vec<bool>> = HashSet::new();
    for (i, &b) in blocks.iter().enumerate() {
        let mut live = vec![false; n];
        for &p in &preds[i] {
            for (l, o) in live.iter_mut().zip(&outs[p]) {
                *l |= *o;
            }
        }
        for inst in func.layout.block_insts(b) {
            for &(slot, start) in at.get(&inst).map_or(&[][..], Vec::as_slice) {
                if start {
                    for other in 0..n {
                        if live[other] && other != slot {
                            conflict[slot][other] = true;
                            conflict[other][slot] = true;
                        }
                    }
                }
                live[slot] = start;
            }
            if let Some(slots) = occupied.get(&inst) {
                let mut state = live.clone();
                for &s in slots.iter().filter(|&&s| by_access[s]) {
                    state[s] = true;
                }
                states.insert(state);
            }
        }
    }
    for state in &states {
        for a in (0..n).filter(|&a| state[a] && by_access[a]) {
            for b in (0..n).filter(|&b| state[b] && b != a) {
                conflict[a][b] = true;
                conflict[b][a] = true;
            }
        }
    }
    conflict
}

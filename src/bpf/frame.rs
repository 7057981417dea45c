//! Frame layout below r10: the function's CLIF stack slots and the call
//! areas instruction selection adds (outgoing argument block, return area)
//! come first, each aligned to at least 8 bytes; the allocator's 8-byte
//! spill slots follow.

use cranelift_codegen::ir;

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
    /// r10-relative offset of each slot, once laid out.
    offsets: Vec<i32>,
    fixed_size: u32,
}

impl Frame {
    /// A frame holding `func`'s stack slots as slots `0..n` (by index).
    pub(crate) fn new(func: &ir::Function) -> Frame {
        let mut frame = Frame::default();
        for (_, data) in func.sized_stack_slots.iter() {
            frame.add(data.size, 1u32 << data.align_shift.min(12));
        }
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
        let mut depth: u64 = 0;
        self.offsets.clear();
        for s in &self.slots {
            depth += u64::from(s.size);
            depth = depth.next_multiple_of(u64::from(s.align));
            self.offsets
                .push(-(i32::try_from(depth).unwrap_or(i32::MAX)));
        }
        self.fixed_size = u32::try_from(depth.next_multiple_of(8)).unwrap_or(u32::MAX);
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

//! Equality compares of two pointers into the same object, rewritten as
//! compares of their offsets from it.
//!
//! The verifier decides `p == q` for pointers only against null or the
//! packet end, so a slice iterator, which steps `ptr += size` until
//! `ptr == end`, is explored past its end when both are stack or packet
//! pointers. When `p` and `q` are the same base plus offsets `a` and `b`,
//! `p == q` exactly when `a == b` (addition modulo 2^64 is injective), and
//! `a`, `b` are scalars the verifier knows in each state.
//!
//! A base is a stack slot, or an SSA value; offsets are constants, or are
//! carried in stack memory next to the pointers they describe. Iterators
//! live in stack slots, so a pointer is often stored and reloaded: a slot's
//! 8-byte field whose address never escapes, whose every access is an
//! exact 8-byte load or store, and whose every store writes the same base
//! plus an offset (a constant, or an offset from a load of such a field, as
//! in `ptr += size`) gets a shadow: 8 bytes added to its slot that hold the
//! offset, stored right after every store to the field and loaded right
//! after every load of it, so that it always holds the field minus the
//! base. A base kept in memory must be one value per call: a stack slot, or
//! an SSA value defined outside every cycle of the CFG.

use std::collections::{HashMap, HashSet};

use cranelift_codegen::cursor::{Cursor, FuncCursor};
use cranelift_codegen::flowgraph::ControlFlowGraph;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    Block, Function, Inst, InstBuilder, InstructionData, Opcode, StackSlot, Value, ValueDef, types,
};

/// An 8-byte location in a stack slot: the slot and its byte offset.
type Field = (StackSlot, i64);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Base {
    Slot(StackSlot),
    Value(Value),
    /// The base of a field whose stores are being classified.
    Pending(Field),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Offset {
    Const(i64),
    /// The offset read with the load of a shadowed field, plus a constant.
    Shadow(Inst, i64),
}

/// A value as `base + offset`.
#[derive(Clone, Copy, Debug)]
struct Affine {
    base: Base,
    offset: Offset,
}

impl Affine {
    fn plus(self, c: i64) -> Affine {
        let offset = match self.offset {
            Offset::Const(a) => Offset::Const(a.wrapping_add(c)),
            Offset::Shadow(load, a) => Offset::Shadow(load, a.wrapping_add(c)),
        };
        Affine { offset, ..self }
    }
}

/// What every store to a field writes.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// Always the same base plus the same constant.
    Constant(Base, i64),
    /// The same base plus offsets that vary: the field gets a shadow.
    Shadowed(Base),
    Opaque,
}

#[derive(Default)]
struct FieldAccesses {
    loads: Vec<Inst>,
    /// Each store and the value it writes.
    stores: Vec<(Inst, Value)>,
}

/// Rewrites the equality compares of pointers with a common base.
pub(crate) fn rewrite(func: &mut Function) {
    let mut analysis = Analysis::new(func);
    let compares: Vec<(Inst, IntCC, Affine, Affine)> = func
        .layout
        .blocks()
        .flat_map(|b| func.layout.block_insts(b))
        .filter_map(|inst| match func.dfg.insts[inst] {
            InstructionData::IntCompare {
                opcode: Opcode::Icmp,
                cond,
                args,
            } if matches!(cond, IntCC::Equal | IntCC::NotEqual)
                && func.dfg.value_type(args[0]) == types::I64 =>
            {
                let (a, b) = (analysis.resolve(args[0]), analysis.resolve(args[1]));
                (a.base == b.base && !matches!(a.base, Base::Pending(_)))
                    .then_some((inst, cond, a, b))
            }
            _ => None,
        })
        .collect();
    if compares.is_empty() {
        return;
    }
    let shadows = analysis.shadow_stores(&compares);
    let loads = analysis.load_field;
    let mut writer = ShadowWriter {
        cursor: FuncCursor::new(func),
        slots: HashMap::new(),
        loads,
        values: HashMap::new(),
    };
    for (field, stores) in shadows {
        for (store, offset) in stores {
            writer.cursor.goto_after_inst(store);
            let value = writer.materialize(offset);
            let (slot, at) = writer.shadow_slot(field);
            writer.cursor.ins().stack_store(value, slot, at);
        }
    }
    for (inst, cond, a, b) in compares {
        writer.cursor.goto_inst(inst);
        let a = writer.materialize(a.offset);
        let b = writer.materialize(b.offset);
        writer.cursor.func.dfg.replace(inst).icmp(cond, a, b);
    }
}

/// Facts about the function's slots and values, gathered on demand.
struct Analysis<'f> {
    func: &'f Function,
    cfg: ControlFlowGraph,
    fields: HashMap<Field, FieldAccesses>,
    /// The field each load of a field reads.
    load_field: HashMap<Inst, Field>,
    kinds: HashMap<Field, Kind>,
    pending: HashSet<Field>,
    cyclic: HashMap<Block, bool>,
}

impl<'f> Analysis<'f> {
    fn new(func: &'f Function) -> Self {
        let fields = fields(func);
        let load_field = fields
            .iter()
            .flat_map(|(&field, a)| a.loads.iter().map(move |&load| (load, field)))
            .collect();
        Analysis {
            func,
            cfg: ControlFlowGraph::with_function(func),
            fields,
            load_field,
            kinds: HashMap::new(),
            pending: HashSet::new(),
            cyclic: HashMap::new(),
        }
    }

    /// `v` as a base plus an offset; at worst itself plus 0.
    fn resolve(&mut self, v: Value) -> Affine {
        let dfg = &self.func.dfg;
        let v = dfg.resolve_aliases(v);
        let itself = Affine {
            base: Base::Value(v),
            offset: Offset::Const(0),
        };
        let ValueDef::Result(inst, 0) = dfg.value_def(v) else {
            return itself;
        };
        match dfg.insts[inst] {
            InstructionData::StackLoad {
                opcode: Opcode::StackAddr,
                stack_slot,
                offset,
            } => Affine {
                base: Base::Slot(stack_slot),
                offset: Offset::Const(i64::from(offset)),
            },
            InstructionData::BinaryImm64 {
                opcode: Opcode::IaddImm,
                arg,
                imm,
            } => self.resolve(arg).plus(imm.bits()),
            InstructionData::Binary {
                opcode: Opcode::Iadd,
                args: [x, y],
            } => match (constant(self.func, x), constant(self.func, y)) {
                (_, Some(c)) => self.resolve(x).plus(c),
                (Some(c), None) => self.resolve(y).plus(c),
                (None, None) => itself,
            },
            InstructionData::Binary {
                opcode: Opcode::Isub,
                args: [x, y],
            } => match constant(self.func, y) {
                Some(c) => self.resolve(x).plus(c.wrapping_neg()),
                None => itself,
            },
            _ => match self.load_field.get(&inst).copied() {
                Some(field) if self.pending.contains(&field) => Affine {
                    base: Base::Pending(field),
                    offset: Offset::Shadow(inst, 0),
                },
                Some(field) => match self.classify(field) {
                    Kind::Constant(base, c) => Affine {
                        base,
                        offset: Offset::Const(c),
                    },
                    Kind::Shadowed(base) => Affine {
                        base,
                        offset: Offset::Shadow(inst, 0),
                    },
                    Kind::Opaque => itself,
                },
                None => itself,
            },
        }
    }

    /// What the stores to `field` write.
    fn classify(&mut self, field: Field) -> Kind {
        if let Some(&kind) = self.kinds.get(&field) {
            return kind;
        }
        self.pending.insert(field);
        let stored: Vec<Value> = self.fields[&field].stores.iter().map(|&(_, v)| v).collect();
        let mut base = None;
        let mut constants = HashSet::new();
        let mut varies = false;
        let mut opaque = stored.is_empty();
        for value in stored {
            let affine = self.resolve(value);
            match affine.base {
                // The field's own value plus something: an induction step.
                Base::Pending(f) if f == field => varies = true,
                Base::Pending(_) => opaque = true,
                b if self.is_one_per_call(b) && *base.get_or_insert(b) == b => {
                    match affine.offset {
                        Offset::Const(c) => {
                            constants.insert(c);
                        }
                        Offset::Shadow(..) => varies = true,
                    }
                }
                _ => opaque = true,
            }
            if opaque {
                break;
            }
        }
        self.pending.remove(&field);
        let kind = match base {
            Some(base) if !opaque => match (varies, constants.len()) {
                (false, 1) => Kind::Constant(base, *constants.iter().next().unwrap_or(&0)),
                _ => Kind::Shadowed(base),
            },
            _ => Kind::Opaque,
        };
        self.kinds.insert(field, kind);
        kind
    }

    /// Whether `base` has one value throughout a call: a slot, or a value
    /// not defined inside a cycle.
    fn is_one_per_call(&mut self, base: Base) -> bool {
        let block = match base {
            Base::Slot(_) => return true,
            Base::Pending(_) => return false,
            Base::Value(v) => match self.func.dfg.value_def(v) {
                ValueDef::Result(inst, _) => self.func.layout.inst_block(inst),
                ValueDef::Param(block, _) => Some(block),
                _ => None,
            },
        };
        let Some(block) = block else {
            return false;
        };
        if let Some(&cyclic) = self.cyclic.get(&block) {
            return !cyclic;
        }
        let mut seen = HashSet::new();
        let mut work: Vec<Block> = self.cfg.succ_iter(block).collect();
        let mut cyclic = false;
        while let Some(b) = work.pop() {
            if b == block {
                cyclic = true;
                break;
            }
            if seen.insert(b) {
                work.extend(self.cfg.succ_iter(b));
            }
        }
        self.cyclic.insert(block, cyclic);
        !cyclic
    }

    /// The shadowed fields the compares read, and those their stores read,
    /// with each store to them and the offset it writes.
    fn shadow_stores(
        &mut self,
        compares: &[(Inst, IntCC, Affine, Affine)],
    ) -> Vec<(Field, Vec<(Inst, Offset)>)> {
        let mut work: Vec<Field> = compares
            .iter()
            .flat_map(|(_, _, a, b)| [a.offset, b.offset])
            .filter_map(|offset| match offset {
                Offset::Shadow(load, _) => self.load_field.get(&load).copied(),
                Offset::Const(_) => None,
            })
            .collect();
        let mut done = HashSet::new();
        let mut shadows = Vec::new();
        while let Some(field) = work.pop() {
            if !done.insert(field) {
                continue;
            }
            let stores = self.fields[&field].stores.clone();
            let offsets: Vec<(Inst, Offset)> = stores
                .into_iter()
                .map(|(store, value)| (store, self.resolve(value).offset))
                .collect();
            for (_, offset) in &offsets {
                if let Offset::Shadow(load, _) = offset {
                    work.extend(self.load_field.get(load).copied());
                }
            }
            shadows.push((field, offsets));
        }
        shadows
    }
}

/// Inserts the shadows' loads and the offsets' arithmetic.
struct ShadowWriter<'f> {
    cursor: FuncCursor<'f>,
    /// The shadow of each field: its slot and offset.
    slots: HashMap<Field, (StackSlot, i32)>,
    loads: HashMap<Inst, Field>,
    /// The shadow loaded after each load of a shadowed field.
    values: HashMap<Inst, Value>,
}

impl ShadowWriter<'_> {
    /// The shadow of `field`: 8 bytes added to the end of its slot.
    fn shadow_slot(&mut self, field: Field) -> (StackSlot, i32) {
        if let Some(&at) = self.slots.get(&field) {
            return at;
        }
        let slot = field.0;
        let data = &mut self.cursor.func.sized_stack_slots[slot];
        let at = data.size.next_multiple_of(8);
        data.size = at + 8;
        data.align_shift = data.align_shift.max(3);
        let shadow = (slot, at as i32);
        self.slots.insert(field, shadow);
        shadow
    }

    /// `offset` as a value, computed at the cursor.
    fn materialize(&mut self, offset: Offset) -> Value {
        match offset {
            Offset::Const(c) => self.cursor.ins().iconst(types::I64, c),
            Offset::Shadow(load, c) => {
                let at = self.cursor.position();
                let shadow = self.shadow_value(load);
                self.cursor.set_position(at);
                match c {
                    0 => shadow,
                    c => self.cursor.ins().iadd_imm(shadow, c),
                }
            }
        }
    }

    /// The shadow read right after `load`.
    fn shadow_value(&mut self, load: Inst) -> Value {
        if let Some(&v) = self.values.get(&load) {
            return v;
        }
        let (slot, at) = self.shadow_slot(self.loads[&load]);
        self.cursor.goto_after_inst(load);
        let v = self.cursor.ins().stack_load(types::I64, slot, at);
        self.values.insert(load, v);
        v
    }
}

/// `v` when it is an integer constant.
fn constant(func: &Function, v: Value) -> Option<i64> {
    let dfg = &func.dfg;
    let inst = dfg.value_def(dfg.resolve_aliases(v)).inst()?;
    match dfg.insts[inst] {
        InstructionData::UnaryImm {
            opcode: Opcode::Iconst,
            imm,
        } => Some(imm.bits()),
        InstructionData::BinaryImm64 { opcode, arg, imm } => {
            let (x, y) = (constant(func, arg)?, imm.bits());
            match opcode {
                Opcode::IaddImm => Some(x.wrapping_add(y)),
                Opcode::ImulImm => Some(x.wrapping_mul(y)),
                _ => None,
            }
        }
        InstructionData::Binary { opcode, args } => {
            let (x, y) = (constant(func, args[0])?, constant(func, args[1])?);
            match opcode {
                Opcode::Iadd => Some(x.wrapping_add(y)),
                Opcode::Isub => Some(x.wrapping_sub(y)),
                Opcode::Imul => Some(x.wrapping_mul(y)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A load or store of stack memory at a slot and offset.
struct Access {
    inst: Inst,
    slot: StackSlot,
    offset: i64,
    size: u32,
    /// For an exact 8-byte integer access: the stored value (stores) or
    /// `None` (loads).
    exact: Option<Option<Value>>,
}

/// The fields of slots whose address never escapes that only exact 8-byte
/// accesses touch, with those accesses.
fn fields(func: &Function) -> HashMap<Field, FieldAccesses> {
    let dfg = &func.dfg;
    let mut addrs: HashMap<Value, (StackSlot, i64)> = HashMap::new();
    let mut accesses = Vec::new();
    let mut escaped = HashSet::new();
    for inst in func
        .layout
        .blocks()
        .flat_map(|b| func.layout.block_insts(b))
    {
        let mut address = None;
        let access = match dfg.insts[inst] {
            InstructionData::StackLoad {
                opcode: Opcode::StackAddr,
                stack_slot,
                offset,
            } => {
                addrs.insert(dfg.first_result(inst), (stack_slot, i64::from(offset)));
                None
            }
            InstructionData::StackLoad {
                opcode: Opcode::StackLoad,
                stack_slot,
                offset,
            } => Some((
                stack_slot,
                i64::from(offset),
                dfg.ctrl_typevar(inst),
                Opcode::Load,
                None,
            )),
            InstructionData::StackStore {
                arg,
                stack_slot,
                offset,
                ..
            } => Some((
                stack_slot,
                i64::from(offset),
                dfg.value_type(arg),
                Opcode::Store,
                Some(arg),
            )),
            InstructionData::Load {
                opcode,
                arg,
                flags,
                offset,
            } if flags.explicit_endianness().is_none() => {
                let arg = dfg.resolve_aliases(arg);
                addrs.get(&arg).map(|&(slot, at)| {
                    address = Some(arg);
                    (
                        slot,
                        at + i64::from(offset),
                        dfg.ctrl_typevar(inst),
                        opcode,
                        None,
                    )
                })
            }
            InstructionData::Store {
                opcode,
                args: [value, arg],
                flags,
                offset,
            } if flags.explicit_endianness().is_none() => {
                let arg = dfg.resolve_aliases(arg);
                addrs.get(&arg).map(|&(slot, at)| {
                    address = Some(arg);
                    (
                        slot,
                        at + i64::from(offset),
                        dfg.value_type(value),
                        opcode,
                        Some(value),
                    )
                })
            }
            _ => None,
        };
        if let Some((slot, offset, ty, opcode, stored)) = access {
            let size = match opcode {
                Opcode::Load | Opcode::Store => Some(ty.bytes()),
                Opcode::Uload8 | Opcode::Sload8 | Opcode::Istore8 => Some(1),
                Opcode::Uload16 | Opcode::Sload16 | Opcode::Istore16 => Some(2),
                Opcode::Uload32 | Opcode::Sload32 | Opcode::Istore32 => Some(4),
                _ => None,
            };
            match size {
                Some(size) => {
                    let exact = matches!(opcode, Opcode::Load | Opcode::Store) && ty == types::I64;
                    accesses.push(Access {
                        inst,
                        slot,
                        offset,
                        size,
                        exact: exact.then_some(stored),
                    });
                }
                None => address = None,
            }
        }
        // Any other use of a slot's address lets it escape.
        for v in dfg.inst_values(inst) {
            let v = dfg.resolve_aliases(v);
            if address == Some(v) {
                address = None;
            } else if let Some(&(slot, _)) = addrs.get(&v) {
                escaped.insert(slot);
            }
        }
    }
    let mut fields: HashMap<Field, FieldAccesses> = HashMap::new();
    for a in accesses.iter().filter(|a| !escaped.contains(&a.slot)) {
        if let Some(stored) = a.exact {
            let field = fields.entry((a.slot, a.offset)).or_default();
            match stored {
                Some(value) => field.stores.push((a.inst, value)),
                None => field.loads.push(a.inst),
            }
        }
    }
    // A field overlapped by any other access is not one.
    let mut by_slot: HashMap<StackSlot, Vec<&Access>> = HashMap::new();
    for a in &accesses {
        by_slot.entry(a.slot).or_default().push(a);
    }
    fields.retain(|&(slot, at), _| {
        by_slot[&slot].iter().all(|a| {
            let disjoint = a.offset + i64::from(a.size) <= at || at + 8 <= a.offset;
            disjoint || (a.exact.is_some() && a.offset == at)
        })
    });
    fields
}

#[cfg(test)]
mod tests;

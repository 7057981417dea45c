//! Unit tests of the pointer-compare rewrite on hand-built CLIF.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    AbiParam, Function, Inst, InstBuilder, InstructionData, MemFlags, Opcode, Signature,
    StackSlotData, StackSlotKind, Value, types,
};
use cranelift_codegen::isa::CallConv;
use cranelift_codegen::settings;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

use super::{constant, rewrite};

/// A function returning `icmp eq` of the two pointers `ptrs` builds from a
/// fresh builder (given two 32-byte slots).
fn compare_of(
    ptrs: impl FnOnce(&mut FunctionBuilder, [cranelift_codegen::ir::StackSlot; 2]) -> (Value, Value),
) -> Function {
    let mut sig = Signature::new(CallConv::SystemV);
    sig.returns.push(AbiParam::new(types::I8));
    let mut func = Function::with_name_signature(Default::default(), sig);
    let mut ctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut ctx);
    let block = b.create_block();
    b.switch_to_block(block);
    b.seal_block(block);
    let data = || StackSlotData::new(StackSlotKind::ExplicitSlot, 32, 3);
    let slots = [
        b.create_sized_stack_slot(data()),
        b.create_sized_stack_slot(data()),
    ];
    let (p, q) = ptrs(&mut b, slots);
    let eq = b.ins().icmp(IntCC::Equal, p, q);
    b.ins().return_(&[eq]);
    b.finalize();
    func
}

/// The function's only `icmp` and its operands.
fn the_compare(func: &Function) -> (Inst, [Value; 2]) {
    func.layout
        .blocks()
        .flat_map(|b| func.layout.block_insts(b))
        .find_map(|inst| match func.dfg.insts[inst] {
            InstructionData::IntCompare {
                opcode: Opcode::Icmp,
                args,
                ..
            } => Some((inst, args)),
            _ => None,
        })
        .expect("an icmp")
}

fn verified(func: &Function) {
    let flags = settings::Flags::new(settings::builder());
    cranelift_codegen::verify_function(func, &flags).expect("valid CLIF after the rewrite");
}

#[test]
fn pointers_into_one_slot_compare_their_offsets() {
    let mut func = compare_of(|b, [s, _]| {
        let p = b.ins().stack_addr(types::I64, s, 8);
        let q = b.ins().iadd_imm(p, 16);
        (p, q)
    });
    rewrite(&mut func);
    verified(&func);
    let (_, [a, b]) = the_compare(&func);
    assert_eq!(
        (constant(&func, a), constant(&func, b)),
        (Some(8), Some(24))
    );
}

#[test]
fn pointers_into_different_slots_are_left_alone() {
    let mut func = compare_of(|b, [s0, s1]| {
        (
            b.ins().stack_addr(types::I64, s0, 0),
            b.ins().stack_addr(types::I64, s1, 0),
        )
    });
    let before = the_compare(&func).1;
    rewrite(&mut func);
    verified(&func);
    assert_eq!(the_compare(&func).1, before);
}

#[test]
fn stored_pointer_gets_a_shadow_offset() {
    // An iterator field in slot 1 holds a pointer into slot 0; it is
    // stored, reloaded, stepped and compared with the end of slot 0.
    let mut func = compare_of(|b, [buf, iter]| {
        let start = b.ins().stack_addr(types::I64, buf, 0);
        b.ins().stack_store(start, iter, 0);
        let cur = b.ins().stack_load(types::I64, iter, 0);
        let next = b.ins().iadd_imm(cur, 8);
        let field = b.ins().stack_addr(types::I64, iter, 0);
        b.ins().store(MemFlags::trusted(), next, field, 0);
        let reloaded = b.ins().load(types::I64, MemFlags::trusted(), field, 0);
        let end = b.ins().stack_addr(types::I64, buf, 32);
        (reloaded, end)
    });
    let stores_before = count(&func, Opcode::StackStore);
    rewrite(&mut func);
    verified(&func);
    let (_, [a, b]) = the_compare(&func);
    // The end is a constant offset; the reloaded pointer's offset comes
    // from its shadow, written next to each of the field's two stores.
    assert_eq!(constant(&func, b), Some(32));
    assert_eq!(constant(&func, a), None);
    assert_eq!(count(&func, Opcode::StackStore), stores_before + 2);
}

fn count(func: &Function, opcode: Opcode) -> usize {
    func.layout
        .blocks()
        .flat_map(|b| func.layout.block_insts(b))
        .filter(|&i| func.dfg.insts[i].opcode() == opcode)
        .count()
}

//! Addresses during lowering: a base (an SSA value, a stack slot, or a
//! dangling but aligned address for zero-sized data) plus a constant offset,
//! so that field offsets fold into the load/store instruction.

use cranelift_codegen::ir::{InstBuilder, MemFlags, StackSlot, Type, Value};
use rustc_abi::Align;

use super::FunctionCx;

#[derive(Clone, Copy, Debug)]
enum Base {
    Addr(Value),
    Stack(StackSlot),
    Dangling(Align),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Pointer {
    base: Base,
    offset: i32,
}

impl Pointer {
    pub(crate) fn new(addr: Value) -> Self {
        Pointer {
            base: Base::Addr(addr),
            offset: 0,
        }
    }

    pub(crate) fn stack_slot(slot: StackSlot) -> Self {
        Pointer {
            base: Base::Stack(slot),
            offset: 0,
        }
    }

    /// The stack slot this pointer is the start of, if any.
    pub(crate) fn as_stack_slot(self) -> Option<StackSlot> {
        match self.base {
            Base::Stack(slot) if self.offset == 0 => Some(slot),
            _ => None,
        }
    }

    pub(crate) fn dangling(align: Align) -> Self {
        Pointer {
            base: Base::Dangling(align),
            offset: 0,
        }
    }

    /// The address as an SSA value.
    pub(crate) fn get_addr(self, fx: &mut FunctionCx<'_, '_, '_>) -> Value {
        let ptr_ty = fx.ptr_ty;
        match self.base {
            Base::Addr(v) if self.offset == 0 => v,
            Base::Addr(v) => fx.bcx.ins().iadd_imm(v, i64::from(self.offset)),
            Base::Stack(slot) => fx.bcx.ins().stack_addr(ptr_ty, slot, self.offset),
            Base::Dangling(align) => fx
                .bcx
                .ins()
                .iconst(ptr_ty, align.bytes() as i64 + i64::from(self.offset)),
        }
    }

    pub(crate) fn offset_i64(self, fx: &mut FunctionCx<'_, '_, '_>, extra: i64) -> Self {
        match i32::try_from(i64::from(self.offset) + extra) {
            Ok(offset) => Pointer {
                base: self.base,
                offset,
            },
            Err(_) => {
                let addr = self.get_addr(fx);
                Pointer::new(fx.bcx.ins().iadd_imm(addr, extra))
            }
        }
    }

    pub(crate) fn offset_value(self, fx: &mut FunctionCx<'_, '_, '_>, extra: Value) -> Self {
        let addr = self.get_addr(fx);
        Pointer::new(fx.bcx.ins().iadd(addr, extra))
    }

    /// Same base and offset (so the same address).
    pub(crate) fn same_as(self, other: Pointer) -> bool {
        let same_base = match (self.base, other.base) {
            (Base::Addr(a), Base::Addr(b)) => a == b,
            (Base::Stack(a), Base::Stack(b)) => a == b,
            _ => false,
        };
        same_base && self.offset == other.offset
    }

    pub(crate) fn load(self, fx: &mut FunctionCx<'_, '_, '_>, ty: Type, flags: MemFlags) -> Value {
        match self.base {
            Base::Addr(v) => fx.bcx.ins().load(ty, flags, v, self.offset),
            Base::Stack(slot) => fx.bcx.ins().stack_load(ty, slot, self.offset),
            Base::Dangling(_) => {
                let addr = self.get_addr(fx);
                fx.bcx.ins().load(ty, flags, addr, 0)
            }
        }
    }

    pub(crate) fn store(self, fx: &mut FunctionCx<'_, '_, '_>, value: Value, flags: MemFlags) {
        match self.base {
            Base::Addr(v) => {
                fx.bcx.ins().store(flags, value, v, self.offset);
            }
            Base::Stack(slot) => {
                fx.bcx.ins().stack_store(value, slot, self.offset);
            }
            Base::Dangling(_) => {
                let addr = self.get_addr(fx);
                fx.bcx.ins().store(flags, value, addr, 0);
            }
        }
    }
}

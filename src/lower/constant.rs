//! Constants and statics: MIR constants become immediates or references to
//! read-only data; constant allocations (with pointers between them,
//! functions and vtables) become data objects; statics are defined with
//! their symbol names.

use cranelift_codegen::ir::{InstBuilder, Value};
use cranelift_module::{DataDescription, DataId, FuncOrDataId, Linkage, Module};
use rustc_const_eval::interpret::{AllocId, GlobalAlloc, Scalar};
use rustc_data_structures::fx::FxHashMap;
use rustc_hir::def_id::DefId;
use rustc_middle::middle::codegen_fn_attrs::CodegenFnAttrFlags;
use rustc_middle::mir::{ConstOperand, ConstValue};
use rustc_middle::ty::layout::{LayoutOf, TyAndLayout};
use rustc_middle::ty::{self, Instance, Ty, TyCtxt};
use rustc_span::{DUMMY_SP, Span};

use super::FunctionCx;
use super::pointer::Pointer;
use super::value::Val;

/// Data objects a function (or static) refers to and that still need
/// their contents written.
#[derive(Default)]
pub(crate) struct ConstantCx {
    todo: Vec<Todo>,
    done: FxHashMap<AllocId, DataId>,
}

/// A data object to define, with the span that needed it (for errors).
enum Todo {
    Alloc(AllocId, DataId, Span),
    Static(DefId),
}

impl ConstantCx {
    /// Writes every pending data object (and what they reach) into `module`.
    pub(crate) fn finalize(mut self, tcx: TyCtxt<'_>, module: &mut dyn Module) {
        while let Some(item) = self.todo.pop() {
            self.define(tcx, module, item);
        }
    }

    fn define(&mut self, tcx: TyCtxt<'_>, module: &mut dyn Module, item: Todo) {
        let mut data = DataDescription::new();
        let (data_id, alloc, span) = match item {
            Todo::Alloc(alloc_id, data_id, span) => match tcx.global_alloc(alloc_id) {
                GlobalAlloc::Memory(alloc) => (data_id, alloc, span),
                GlobalAlloc::VTable(ty, dyn_ty) => {
                    let alloc_id = crate::vtable::vtable_alloc_id(tcx, ty, dyn_ty);
                    (data_id, tcx.global_alloc(alloc_id).unwrap_memory(), span)
                }
                _ => return,
            },
            Todo::Static(def_id) => {
                let attrs = tcx.codegen_fn_attrs(def_id);
                if let Some(section) = attrs.link_section {
                    data.set_segment_section("", section.as_str());
                }
                data.set_used(attrs.flags.contains(CodegenFnAttrFlags::USED_LINKER));
                let alloc = match tcx.eval_static_initializer(def_id) {
                    Ok(alloc) => alloc,
                    Err(_) => return, // already reported by const eval
                };
                (
                    data_id_for_static(tcx, module, def_id, true),
                    alloc,
                    tcx.def_span(def_id),
                )
            }
        };
        let alloc = alloc.inner();
        data.set_align(alloc.align.bytes());
        let bytes = alloc
            .inspect_with_uninit_and_ptr_outside_interpreter(0..alloc.len())
            .to_vec();
        let ptr_size = tcx.data_layout.pointer_size().bytes() as usize;
        let mut relocs = Vec::new();
        for &(offset, prov) in alloc.provenance().ptrs().iter() {
            let offset = offset.bytes() as usize;
            let raw = &bytes[offset..offset + ptr_size];
            let addend = read_target_uint(tcx, raw) as i64;
            relocs.push((offset, prov.alloc_id(), addend));
        }
        data.define(bytes.into_boxed_slice());
        for (offset, alloc_id, addend) in relocs {
            match tcx.global_alloc(alloc_id) {
                GlobalAlloc::Function { instance, .. } => {
                    let func_id = super::abi::import_function(tcx, module, instance);
                    let func_ref = module.declare_func_in_data(func_id, &mut data);
                    data.write_function_addr(offset as u32, func_ref);
                }
                GlobalAlloc::Static(def_id) => {
                    let target = data_id_for_static(tcx, module, def_id, false);
                    let gv = module.declare_data_in_data(target, &mut data);
                    data.write_data_addr(offset as u32, gv, addend);
                }
                GlobalAlloc::TypeId { .. } => {
                    // Type ids carry provenance only to stop const eval from
                    // looking inside; the bytes are the value.
                }
                GlobalAlloc::VTable(ty, dyn_ty) if crate::vtable::emits_vtables(tcx) => {
                    let target = crate::vtable::data_id(tcx, module, ty, dyn_ty, span);
                    let gv = module.declare_data_in_data(target, &mut data);
                    data.write_data_addr(offset as u32, gv, addend);
                }
                GlobalAlloc::Memory(_) | GlobalAlloc::VTable(..) => {
                    let target = self.data_for_alloc(module, alloc_id, tcx, span);
                    let gv = module.declare_data_in_data(target, &mut data);
                    data.write_data_addr(offset as u32, gv, addend);
                }
            }
        }
        if let Err(err) = module.define_data(data_id, &data) {
            tcx.dcx().fatal(format!("cannot define data object: {err}"));
        }
    }

    /// The data object holding a constant allocation (created on demand);
    /// `span` is where it is used.
    fn data_for_alloc(
        &mut self,
        module: &mut dyn Module,
        alloc_id: AllocId,
        tcx: TyCtxt<'_>,
        span: Span,
    ) -> DataId {
        if let Some(&id) = self.done.get(&alloc_id) {
            return id;
        }
        let writable = match tcx.global_alloc(alloc_id) {
            GlobalAlloc::Memory(alloc) => alloc.inner().mutability.is_mut(),
            _ => false,
        };
        let id = module
            .declare_anonymous_data(writable, false)
            .unwrap_or_else(|e| tcx.dcx().fatal(format!("cannot declare data object: {e}")));
        self.done.insert(alloc_id, id);
        self.todo.push(Todo::Alloc(alloc_id, id, span));
        id
    }
}

pub(crate) fn read_target_uint(tcx: TyCtxt<'_>, bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    match tcx.data_layout.endian {
        rustc_abi::Endian::Little => {
            buf[..bytes.len()].copy_from_slice(bytes);
            u64::from_le_bytes(buf)
        }
        rustc_abi::Endian::Big => {
            buf[8 - bytes.len()..].copy_from_slice(bytes);
            u64::from_be_bytes(buf)
        }
    }
}

/// Declares the data object of a static, defining it when `definition`.
fn data_id_for_static(
    tcx: TyCtxt<'_>,
    module: &mut dyn Module,
    def_id: DefId,
    definition: bool,
) -> DataId {
    let instance = Instance::mono(tcx, def_id);
    let name = tcx.symbol_name(instance).name;
    let attrs = tcx.codegen_fn_attrs(def_id);
    let tls = attrs.flags.contains(CodegenFnAttrFlags::THREAD_LOCAL);
    let ty = instance.ty(tcx, ty::TypingEnv::fully_monomorphized());
    let writable =
        tcx.is_mutable_static(def_id) || !ty.is_freeze(tcx, ty::TypingEnv::fully_monomorphized());
    let linkage = if definition {
        if tcx.is_reachable_non_generic(def_id)
            || attrs.flags.contains(CodegenFnAttrFlags::USED_LINKER)
        {
            Linkage::Export
        } else {
            Linkage::Hidden
        }
    } else if attrs.import_linkage.is_some() {
        return extern_with_linkage(tcx, module, name);
    } else if let Some(FuncOrDataId::Data(id)) = module.get_name(name) {
        return id;
    } else {
        Linkage::Import
    };
    match module.declare_data(name, linkage, writable, tls) {
        Ok(id) => id,
        Err(err) => tcx
            .dcx()
            .fatal(format!("cannot declare static `{name}`: {err}")),
    }
}

/// A foreign static with `#[linkage = "extern_weak"]` (or another import
/// linkage): its value is the address of the symbol `name`, null when the
/// symbol is absent, so the static is a local pointer-sized object holding
/// that address (as rustc's LLVM backend lays it out), and `name` a weak
/// import.
fn extern_with_linkage(tcx: TyCtxt<'_>, module: &mut dyn Module, name: &str) -> DataId {
    let holder = format!("_rust_extern_with_linkage_{name}");
    if let Some(FuncOrDataId::Data(id)) = module.get_name(&holder) {
        return id;
    }
    let fail = |err: cranelift_module::ModuleError| -> DataId {
        tcx.dcx()
            .fatal(format!("cannot declare weak static `{name}`: {err}"))
    };
    let symbol = module
        .declare_data(name, Linkage::Preemptible, false, false)
        .unwrap_or_else(fail);
    let holder_id = module
        .declare_data(&holder, Linkage::Local, false, false)
        .unwrap_or_else(fail);
    let mut data = DataDescription::new();
    let ptr_size = tcx.data_layout.pointer_size().bytes() as usize;
    data.define_zeroinit(ptr_size);
    data.set_align(ptr_size as u64);
    let gv = module.declare_data_in_data(symbol, &mut data);
    data.write_data_addr(0, gv, 0);
    if let Err(err) = module.define_data(holder_id, &data) {
        fail(err);
    }
    holder_id
}

/// Defines a static's data object (a `MonoItem::Static`).
pub(crate) fn codegen_static(tcx: TyCtxt<'_>, module: &mut dyn Module, def_id: DefId) {
    let mut cx = ConstantCx::default();
    cx.todo.push(Todo::Static(def_id));
    cx.finalize(tcx, module);
}

/// Lowers a MIR constant operand.
pub(crate) fn lower_const_operand<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    constant: &ConstOperand<'tcx>,
) -> Val<'tcx> {
    let const_ = fx.monomorphize(constant.const_);
    let ty = const_.ty();
    match const_.eval(fx.tcx, ty::TypingEnv::fully_monomorphized(), constant.span) {
        Ok(value) => const_value_to_val(fx, value, ty),
        Err(_) => {
            // Const evaluation already reported the error.
            fx.tcx
                .dcx()
                .span_delayed_bug(constant.span, "erroneous constant reached codegen");
            fx.failed_const();
            let layout = fx.layout_of(ty);
            Val::zst(layout)
        }
    }
}

pub(crate) fn const_value_to_val<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    value: ConstValue,
    ty: Ty<'tcx>,
) -> Val<'tcx> {
    let layout = fx.layout_of(ty);
    if layout.is_zst() {
        return Val::zst(layout);
    }
    match value {
        ConstValue::ZeroSized => Val::zst(layout),
        ConstValue::Scalar(Scalar::Int(int)) => {
            match layout.backend_repr {
                rustc_abi::BackendRepr::Scalar(_) => Val::const_scalar_int(fx, layout, int),
                _ => {
                    // A scalar constant of an aggregate type (e.g. a newtype
                    // of a union): go through memory.
                    let int_layout = fx.layout_of(match layout.size.bytes() {
                        1 => fx.tcx.types.u8,
                        2 => fx.tcx.types.u16,
                        4 => fx.tcx.types.u32,
                        8 => fx.tcx.types.u64,
                        _ => fx.tcx.types.u128,
                    });
                    Val::const_scalar_int(fx, int_layout, int).transmute(fx, layout)
                }
            }
        }
        ConstValue::Scalar(Scalar::Ptr(ptr, _)) => {
            let (prov, offset) = ptr.prov_and_relative_offset();
            let addr = alloc_address(fx, prov.alloc_id(), offset.bytes() as i64);
            match addr {
                Some(addr) => Val::by_val(addr, layout),
                // A type id: the value is the offset.
                None => Val::const_int(fx, layout, u128::from(offset.bytes())),
            }
        }
        ConstValue::Slice { alloc_id, meta } => {
            let addr = alloc_address(fx, alloc_id, 0)
                .unwrap_or_else(|| fx.bug("slice of a type id".into()));
            let len = fx.bcx.ins().iconst(fx.ptr_ty, meta as i64);
            Val::by_val_pair(addr, len, layout)
        }
        ConstValue::Indirect { alloc_id, offset } => {
            let addr = alloc_address(fx, alloc_id, offset.bytes() as i64)
                .unwrap_or_else(|| fx.bug("indirect constant in a type id".into()));
            Val::by_ref(Pointer::new(addr), layout)
        }
    }
}

/// Address of `offset` bytes into a global allocation (`None` for type ids,
/// which have no address).
pub(crate) fn alloc_address<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    alloc_id: AllocId,
    offset: i64,
) -> Option<Value> {
    let base = match fx.tcx.global_alloc(alloc_id) {
        GlobalAlloc::Memory(alloc) if alloc.inner().len() == 0 => {
            let align = alloc.inner().align.bytes() as i64;
            return Some(fx.bcx.ins().iconst(fx.ptr_ty, align + offset));
        }
        GlobalAlloc::VTable(ty, dyn_ty) if crate::vtable::emits_vtables(fx.tcx) => {
            let id = crate::vtable::data_id(fx.tcx, fx.module, ty, dyn_ty, fx.span);
            let gv = fx.module.declare_data_in_func(id, fx.bcx.func);
            fx.bcx.ins().symbol_value(fx.ptr_ty, gv)
        }
        GlobalAlloc::Memory(_) | GlobalAlloc::VTable(..) => {
            let tcx = fx.tcx;
            let id = fx
                .constants
                .data_for_alloc(fx.module, alloc_id, tcx, fx.span);
            let gv = fx.module.declare_data_in_func(id, fx.bcx.func);
            fx.bcx.ins().symbol_value(fx.ptr_ty, gv)
        }
        GlobalAlloc::Function { instance, .. } => function_address(fx, instance),
        GlobalAlloc::Static(def_id) => {
            let layout = fx.layout_of(Ty::new_imm_ptr(fx.tcx, fx.tcx.types.u8));
            if fx
                .tcx
                .codegen_fn_attrs(def_id)
                .flags
                .contains(CodegenFnAttrFlags::THREAD_LOCAL)
            {
                thread_local_address(fx, def_id, layout).load_scalar(fx)
            } else {
                let id = data_id_for_static(fx.tcx, fx.module, def_id, false);
                let gv = fx.module.declare_data_in_func(id, fx.bcx.func);
                fx.bcx.ins().symbol_value(fx.ptr_ty, gv)
            }
        }
        GlobalAlloc::TypeId { .. } => return None,
    };
    Some(if offset == 0 {
        base
    } else {
        fx.bcx.ins().iadd_imm(base, offset)
    })
}

/// The address of a function, for function pointers.
pub(crate) fn function_address<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    instance: Instance<'tcx>,
) -> Value {
    let id = super::abi::import_function(fx.tcx, fx.module, instance);
    let func_ref = fx.module.declare_func_in_func(id, fx.bcx.func);
    fx.bcx.ins().func_addr(fx.ptr_ty, func_ref)
}

/// The address of the current thread's instance of a `#[thread_local]`
/// static.
pub(crate) fn thread_local_address<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    def_id: DefId,
    layout: TyAndLayout<'tcx>,
) -> Val<'tcx> {
    if !fx.target.thread_locals {
        fx.unsupported("a `#[thread_local]` static on this target");
        return Val::by_val(fx.bcx.ins().iconst(fx.ptr_ty, 0), layout);
    }
    if !def_id.is_local() && fx.tcx.needs_thread_local_shim(def_id) {
        let instance = Instance {
            def: ty::InstanceKind::ThreadLocalShim(def_id),
            args: ty::GenericArgs::empty(),
        };
        let dest = super::place::Place::new_stack_slot(fx, layout);
        let info = rustc_middle::mir::SourceInfo::outermost(DUMMY_SP);
        super::abi::call_instance(fx, instance, vec![], Some(dest), info);
        return dest.to_val(fx);
    }
    let id = data_id_for_static(fx.tcx, fx.module, def_id, false);
    let gv = fx.module.declare_data_in_func(id, fx.bcx.func);
    let addr = fx.bcx.ins().tls_value(fx.ptr_ty, gv);
    Val::by_val(addr, layout)
}

/// A read-only data object holding `bytes`, e.g. a panic message.
pub(crate) fn bytes_address(fx: &mut FunctionCx<'_, '_, '_>, bytes: &[u8]) -> Value {
    let alloc_id = fx
        .tcx
        .allocate_bytes_dedup(bytes, rustc_const_eval::interpret::CTFE_ALLOC_SALT);
    alloc_address(fx, alloc_id, 0).unwrap_or_else(|| fx.bug("byte string without address".into()))
}

//! The one place that knows how trait-object vtables are laid out.
//!
//! rustc's `vtable_allocation` describes a vtable as pointer-sized entries
//! `[drop_in_place, size, align, methods...]`, with super-trait vtable
//! pointers among the methods for upcasting. On host targets this module
//! emits every vtable itself, once per object file, in the session's layout
//! ([`VtableAbi`]):
//!
//! - absolute: rustc's entries as they are, with an absolute relocation per
//!   function or vtable entry (`.data.rel.ro`);
//! - relative: 32-bit entries; drop, method and super-trait entries hold the
//!   offset from the vtable's start to their target (a drop entry of 0: no
//!   drop glue), size and align are `u32`. The vtable is `.rodata` with
//!   PC-relative relocations that a linker resolves statically
//!   (`R_X86_64_PLT32` for functions, `R_X86_64_PC32` for vtables), so a
//!   PIE or shared object needs no dynamic relocation for it.
//!
//! Constants, statics and runtime coercions all get their vtables from
//! [`data_id`], keyed by `(type, trait)`, so they always agree on the
//! layout; every read of a vtable goes through the `load_*` functions. On
//! eBPF vtables stay ordinary (absolute) constants.

use cranelift_codegen::ir::{InstBuilder, MemFlags, Value};
use cranelift_module::{DataDescription, DataId, FuncOrDataId, Linkage, Module};
use cranelift_object::object::write::{Relocation, SymbolSection};
use cranelift_object::object::{RelocationFlags, elf};
use cranelift_object::{ObjectModule, ObjectProduct};
use rustc_const_eval::interpret::{AllocId, GlobalAlloc};
use rustc_middle::ty::vtable::VtblEntry;
use rustc_middle::ty::{self, Ty, TyCtxt};
use rustc_span::Span;
use rustc_target::spec::Arch;

use crate::lower::FunctionCx;
pub(crate) use crate::options::VtableAbi;

/// Names of the vtable data objects: the prefix and rustc's allocation id.
const SYMBOL_PREFIX: &str = "rust_vtable.";

/// The byte width of one relative entry.
const RELATIVE_ENTRY: u64 = 4;

/// The session's vtable layout.
pub(crate) fn abi(tcx: TyCtxt<'_>) -> VtableAbi {
    crate::options::vtable_abi(tcx.sess)
}

/// Whether this module emits the session's vtables (host targets) rather
/// than leaving them to the generic constant emission (eBPF).
pub(crate) fn emits_vtables(tcx: TyCtxt<'_>) -> bool {
    tcx.sess.target.arch != Arch::Bpf
}

/// What identifies a vtable: the type and the trait (none for a trait
/// object of auto traits only), as rustc's `vtable_allocation` takes them.
type VtableKey<'tcx> = (Ty<'tcx>, Option<ty::ExistentialTraitRef<'tcx>>);

fn key<'tcx>(
    tcx: TyCtxt<'tcx>,
    ty: Ty<'tcx>,
    dyn_ty: &'tcx ty::List<ty::PolyExistentialPredicate<'tcx>>,
) -> VtableKey<'tcx> {
    let principal = dyn_ty
        .principal()
        .map(|p| tcx.instantiate_bound_regions_with_erased(p));
    (ty, principal)
}

/// The constant allocation holding the vtable of `ty` as `dyn_ty`.
pub(crate) fn vtable_alloc_id<'tcx>(
    tcx: TyCtxt<'tcx>,
    ty: Ty<'tcx>,
    dyn_ty: &'tcx ty::List<ty::PolyExistentialPredicate<'tcx>>,
) -> AllocId {
    tcx.vtable_allocation(key(tcx, ty, dyn_ty))
}

/// The address of the vtable of `ty` for the trait object type `dyn_ty`.
pub(crate) fn vtable_address<'tcx>(
    fx: &mut FunctionCx<'_, '_, 'tcx>,
    ty: Ty<'tcx>,
    dyn_ty: Ty<'tcx>,
) -> Value {
    let ty::Dynamic(preds, ..) = dyn_ty.kind() else {
        fx.bug(format!("vtable for non-trait-object type `{dyn_ty}`"))
    };
    if !emits_vtables(fx.tcx) {
        let alloc_id = vtable_alloc_id(fx.tcx, ty, preds);
        return crate::lower::alloc_address(fx, alloc_id, 0)
            .unwrap_or_else(|| fx.bug("vtable without address".into()));
    }
    let id = data_id(fx.tcx, fx.module, ty, preds, fx.span);
    let gv = fx.module.declare_data_in_func(id, fx.bcx.func);
    fx.bcx.ins().symbol_value(fx.ptr_ty, gv)
}

/// The data object holding the vtable of `ty` as `dyn_ty` in `module`,
/// defined (with the vtables it points to) on first use. `span` is where
/// the vtable is needed, for errors.
pub(crate) fn data_id<'tcx>(
    tcx: TyCtxt<'tcx>,
    module: &mut dyn Module,
    ty: Ty<'tcx>,
    dyn_ty: &'tcx ty::List<ty::PolyExistentialPredicate<'tcx>>,
    span: Span,
) -> DataId {
    data_id_of(tcx, module, key(tcx, ty, dyn_ty), span)
}

fn data_id_of<'tcx>(
    tcx: TyCtxt<'tcx>,
    module: &mut dyn Module,
    key: VtableKey<'tcx>,
    span: Span,
) -> DataId {
    let alloc_id = tcx.vtable_allocation(key);
    let name = format!("{SYMBOL_PREFIX}{}", alloc_id.0);
    if let Some(FuncOrDataId::Data(id)) = module.get_name(&name) {
        return id;
    }
    let id = module
        .declare_data(&name, Linkage::Local, false, false)
        .unwrap_or_else(|e| tcx.dcx().fatal(format!("cannot declare a vtable: {e}")));
    let alloc = tcx.global_alloc(alloc_id).unwrap_memory().inner();
    let bytes = alloc.inspect_with_uninit_and_ptr_outside_interpreter(0..alloc.len());
    // What rustc put in each slot, to find the super-trait entries.
    let layout = match key.1 {
        Some(principal) => {
            let trait_ref = principal.with_self_ty(tcx, key.0);
            tcx.vtable_entries(tcx.erase_and_anonymize_regions(trait_ref))
        }
        None => TyCtxt::COMMON_VTABLE_ENTRIES,
    };
    let ptr_size = tcx.data_layout.pointer_size().bytes() as usize;
    let read =
        |offset: usize| crate::lower::read_target_uint(tcx, &bytes[offset..offset + ptr_size]);
    // Each entry: its plain value or the function or vtable it points to.
    let entries: Vec<Entry> =
        (0..alloc.len() / ptr_size)
            .map(|slot| {
                let offset = slot * ptr_size;
                let prov = alloc
                    .provenance()
                    .ptrs()
                    .get(&rustc_abi::Size::from_bytes(offset));
                match (prov.map(|p| tcx.global_alloc(p.alloc_id())), layout.get(slot)) {
                (None, _) => Entry::Value(read(offset)),
                (Some(GlobalAlloc::Function { instance, .. }), _) => Entry::Function(
                    crate::lower::abi::import_function(tcx, module, instance),
                ),
                (Some(GlobalAlloc::Memory(_)), Some(&VtblEntry::TraitVPtr(trait_ref))) => {
                    let super_trait = ty::ExistentialTraitRef::erase_self_ty(tcx, trait_ref);
                    Entry::Vtable(data_id_of(tcx, module, (key.0, Some(super_trait)), span))
                }
                (other, entry) => tcx.dcx().span_fatal(
                    span,
                    format!(
                        "rustc_codegen_bpf internal error: vtable entry {entry:?} holding {other:?}"
                    ),
                ),
            }
            })
            .collect();
    let mut data = DataDescription::new();
    match abi(tcx) {
        VtableAbi::Absolute => {
            data.set_align(ptr_size as u64);
            data.define(bytes.to_vec().into_boxed_slice());
            for (slot, entry) in entries.iter().enumerate() {
                let offset = (slot * ptr_size) as u32;
                match *entry {
                    Entry::Value(_) => {}
                    Entry::Function(func) => {
                        let func_ref = module.declare_func_in_data(func, &mut data);
                        data.write_function_addr(offset, func_ref);
                    }
                    Entry::Vtable(vtable) => {
                        let gv = module.declare_data_in_data(vtable, &mut data);
                        data.write_data_addr(offset, gv, 0);
                    }
                }
            }
        }
        VtableAbi::Relative => {
            let mut encoded = Vec::with_capacity(entries.len() * RELATIVE_ENTRY as usize);
            for entry in &entries {
                let word = match *entry {
                    Entry::Value(value) => u32::try_from(value).unwrap_or_else(|_| {
                        let as_dyn = match key.1 {
                            Some(principal) => format!("`dyn {principal}`"),
                            None => "a trait object".to_string(),
                        };
                        tcx.dcx().span_err(
                            span,
                            format!(
                                "`{}` is too large to be used as {as_dyn}: relative vtables \
                                 store sizes as 32 bits (this one is {value} bytes); compile \
                                 with `-Cllvm-args=vtables=absolute`",
                                key.0
                            ),
                        );
                        0
                    }),
                    Entry::Function(func) => pending_target(func.as_u32(), false),
                    Entry::Vtable(vtable) => pending_target(vtable.as_u32(), true),
                };
                encoded.extend_from_slice(&word.to_le_bytes());
            }
            data.set_align(RELATIVE_ENTRY);
            data.define(encoded.into_boxed_slice());
        }
    }
    if let Err(err) = module.define_data(id, &data) {
        tcx.dcx().fatal(format!("cannot define a vtable: {err}"));
    }
    id
}

/// One pointer-sized entry of rustc's vtable allocation.
enum Entry {
    /// Size, align, a null drop entry or a vacant slot.
    Value(u64),
    Function(cranelift_module::FuncId),
    Vtable(DataId),
}

// Cranelift's `DataDescription` only expresses absolute pointer
// relocations, so a relative entry is written in two steps: while the
// module is built, the entry holds its target's id (`pending_target`); once
// the object exists, `resolve_relative_entries` turns each such entry into
// a PC-relative relocation on the object and zeroes it. Both steps happen
// inside `object_file::emit` for every host object.

/// The placeholder of a relative entry pointing at function or data `index`
/// (never 0, which is an entry without target).
fn pending_target(index: u32, is_data: bool) -> u32 {
    ((index << 1) | u32::from(is_data)) + 1
}

/// The relative vtables of `module`, to pass to [`resolve_relative_entries`]
/// once the module is finished.
pub(crate) fn relative_vtables(abi: VtableAbi, module: &ObjectModule) -> Vec<DataId> {
    if abi != VtableAbi::Relative {
        return Vec::new();
    }
    module
        .declarations()
        .get_data_objects()
        .filter(|(_, decl)| {
            decl.name
                .as_deref()
                .is_some_and(|n| n.starts_with(SYMBOL_PREFIX))
        })
        .map(|(id, _)| id)
        .collect()
}

/// Replaces the placeholders of the relative `vtables` by relocations.
pub(crate) fn resolve_relative_entries(
    product: &mut ObjectProduct,
    vtables: &[DataId],
) -> Result<(), String> {
    for &vtable in vtables {
        let symbol = product.object.symbol(product.data_symbol(vtable));
        let (SymbolSection::Section(section), start, size) =
            (symbol.section, symbol.value, symbol.size)
        else {
            return Err("a vtable without a section".into());
        };
        for offset in (start..start + size).step_by(RELATIVE_ENTRY as usize) {
            let at = offset as usize..(offset + RELATIVE_ENTRY) as usize;
            let data = product.object.section_mut(section).data_mut();
            let word = u32::from_le_bytes(data[at.clone()].try_into().unwrap_or_default());
            let slot = (offset - start) / RELATIVE_ENTRY;
            let is_target = slot != ty::COMMON_VTABLE_ENTRIES_SIZE as u64
                && slot != ty::COMMON_VTABLE_ENTRIES_ALIGN as u64;
            if !is_target || word == 0 {
                continue;
            }
            data[at].fill(0);
            let index = (word - 1) >> 1;
            let (target, r_type) = if (word - 1) & 1 == 1 {
                let id = DataId::from_u32(index);
                (product.data_symbol(id), elf::R_X86_64_PC32)
            } else {
                let id = cranelift_module::FuncId::from_u32(index);
                (product.function_symbol(id), elf::R_X86_64_PLT32)
            };
            // S + A - P with P = vtable + entry offset: A = entry offset
            // makes the entry `target - vtable`.
            let relocation = Relocation {
                offset,
                symbol: target,
                addend: (offset - start) as i64,
                flags: RelocationFlags::Elf { r_type },
            };
            product
                .object
                .add_relocation(section, relocation)
                .map_err(|e| format!("cannot relocate a vtable entry: {e}"))?;
        }
    }
    Ok(())
}

/// Loads entry `index` of `vtable`: a function or vtable address, or null
/// for a relative entry of 0 when `nullable`.
fn load_target(
    fx: &mut FunctionCx<'_, '_, '_>,
    vtable: Value,
    index: usize,
    nullable: bool,
) -> Value {
    let flags = MemFlags::trusted().with_readonly();
    match abi(fx.tcx) {
        VtableAbi::Absolute => {
            let offset = (index as u64 * fx.target.pointer_bytes) as i32;
            fx.bcx.ins().load(fx.ptr_ty, flags, vtable, offset)
        }
        VtableAbi::Relative => {
            let offset = (index as u64 * RELATIVE_ENTRY) as i32;
            let rel = fx.bcx.ins().sload32(flags, vtable, offset);
            let target = fx.bcx.ins().iadd(vtable, rel);
            if nullable {
                let null = fx.bcx.ins().iconst(fx.ptr_ty, 0);
                fx.bcx.ins().select(rel, target, null)
            } else {
                target
            }
        }
    }
}

/// Loads the size or align entry `index` of `vtable`.
fn load_usize(fx: &mut FunctionCx<'_, '_, '_>, vtable: Value, index: usize) -> Value {
    let flags = MemFlags::trusted().with_readonly();
    match abi(fx.tcx) {
        VtableAbi::Absolute => {
            let offset = (index as u64 * fx.target.pointer_bytes) as i32;
            fx.bcx.ins().load(fx.ptr_ty, flags, vtable, offset)
        }
        VtableAbi::Relative => {
            let offset = (index as u64 * RELATIVE_ENTRY) as i32;
            fx.bcx.ins().uload32(flags, vtable, offset)
        }
    }
}

/// The `drop_in_place` entry (null when the type needs no drop).
pub(crate) fn load_drop_in_place(fx: &mut FunctionCx<'_, '_, '_>, vtable: Value) -> Value {
    load_target(fx, vtable, ty::COMMON_VTABLE_ENTRIES_DROPINPLACE, true)
}

pub(crate) fn load_size(fx: &mut FunctionCx<'_, '_, '_>, vtable: Value) -> Value {
    load_usize(fx, vtable, ty::COMMON_VTABLE_ENTRIES_SIZE)
}

pub(crate) fn load_align(fx: &mut FunctionCx<'_, '_, '_>, vtable: Value) -> Value {
    load_usize(fx, vtable, ty::COMMON_VTABLE_ENTRIES_ALIGN)
}

/// Method entry `index` (rustc's vtable slot index).
pub(crate) fn load_method(fx: &mut FunctionCx<'_, '_, '_>, vtable: Value, index: usize) -> Value {
    load_target(fx, vtable, index, false)
}

/// The vtable of a super-trait, stored in slot `index` (trait upcasting).
pub(crate) fn load_supertrait_vtable(
    fx: &mut FunctionCx<'_, '_, '_>,
    vtable: Value,
    index: usize,
) -> Value {
    load_target(fx, vtable, index, false)
}

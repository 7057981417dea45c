//! Per-crate orchestration: walks rustc's codegen units, lowers every mono
//! item into a Cranelift module, writes one object file per unit and returns
//! them to rustc, which links them.

mod allocator;
mod bpf_unit;
mod entry;
mod link;
pub(crate) mod link_step;
mod object_file;
pub(crate) mod variadic;
pub(crate) mod vtable_note;

use cranelift_codegen::Context;
use cranelift_module::{Linkage, Module};
use rustc_codegen_ssa::back::write::produce_final_output_artifacts;
use rustc_codegen_ssa::{CompiledModule, CompiledModules};
use rustc_data_structures::fx::FxIndexMap;
use rustc_hir::attrs::Linkage as RLinkage;
use rustc_middle::dep_graph::{WorkProduct, WorkProductId};
use rustc_middle::middle::codegen_fn_attrs::CodegenFnAttrFlags;
use rustc_middle::mono::{MonoItem, MonoItemData, Visibility};
use rustc_middle::ty::{Instance, TyCtxt};
use rustc_session::Session;
use rustc_session::config::OutputFilenames;
use rustc_target::spec::Arch;

use crate::options::BackendOptions;

/// What `codegen_crate` hands to `join_codegen`: the finished object files.
pub(crate) struct CodegenOutput {
    modules: Vec<CompiledModule>,
    allocator_module: Option<CompiledModule>,
}

impl CodegenOutput {
    pub(crate) fn join(
        self,
        sess: &Session,
        outputs: &OutputFilenames,
    ) -> (CompiledModules, FxIndexMap<WorkProductId, WorkProduct>) {
        sess.dcx().abort_if_errors();
        let compiled = CompiledModules {
            modules: self.modules,
            allocator_module: self.allocator_module,
        };
        produce_final_output_artifacts(sess, &compiled, outputs);
        (compiled, FxIndexMap::default())
    }
}

/// Lowers every codegen unit of the crate and writes its object file.
pub(crate) fn codegen_crate(tcx: TyCtxt<'_>, options: BackendOptions) -> Box<CodegenOutput> {
    let cgus = tcx.collect_and_partition_mono_items(()).codegen_units;
    let mut modules = Vec::with_capacity(cgus.len());
    for cgu in cgus {
        let dep_node = cgu.codegen_dep_node(tcx);
        let (module, _) = tcx.dep_graph.with_task(
            dep_node,
            tcx,
            || codegen_cgu(tcx, &options, cgu.name()),
            None,
        );
        modules.push(module);
    }
    // eBPF programs have no global allocator; a program that allocates
    // fails to link, naming `__rust_alloc`.
    let allocator_module = if tcx.sess.target.arch == Arch::Bpf {
        None
    } else {
        allocator_module(tcx, &options)
    };
    tcx.dcx().abort_if_errors();
    Box::new(CodegenOutput {
        modules,
        allocator_module,
    })
}

/// The object holding the global allocator shim, when the crate needs one.
fn allocator_module(tcx: TyCtxt<'_>, options: &BackendOptions) -> Option<CompiledModule> {
    let name = "allocator_shim";
    let mut module = crate::native::make_module(tcx.sess, name);
    if !allocator::codegen(tcx, &mut module) {
        return None;
    }
    let mut compiled = object_file::emit(tcx, module, name, options, None);
    compiled.kind = rustc_codegen_ssa::ModuleKind::Allocator;
    Some(compiled)
}

fn codegen_cgu(
    tcx: TyCtxt<'_>,
    options: &BackendOptions,
    cgu_name: rustc_span::Symbol,
) -> CompiledModule {
    if tcx.sess.target.arch == Arch::Bpf {
        return bpf_unit::codegen_cgu(tcx, cgu_name);
    }
    let cgu = tcx.codegen_unit(cgu_name);
    let items = cgu.items_in_deterministic_order(tcx);
    let mut module = crate::native::make_module(tcx.sess, cgu_name.as_str());
    let mut debug = crate::native::debuginfo::DebugContext::new(tcx, cgu_name.as_str());
    lower_items(
        tcx,
        &mut module,
        &items,
        |module, ctx, lowered, instance| {
            crate::native::define_function(tcx, module, ctx, &lowered, instance, debug.as_mut());
        },
    );
    entry::maybe_create_entry_wrapper(tcx, &mut module, cgu.is_primary());
    object_file::emit(tcx, module, cgu_name.as_str(), options, debug)
}

/// Declares and lowers every item of a unit into `module`; `define` turns
/// each lowered function (left in the context) into machine code.
fn lower_items<'tcx, M: Module>(
    tcx: TyCtxt<'tcx>,
    module: &mut M,
    items: &[(MonoItem<'tcx>, MonoItemData)],
    mut define: impl FnMut(&mut M, &mut Context, crate::lower::Lowered<'tcx>, Instance<'tcx>),
) {
    declare_functions(tcx, module, items);
    let mut ctx = Context::new();
    for (item, _) in items {
        match *item {
            MonoItem::Fn(instance) => {
                if tcx
                    .codegen_instance_attrs(instance.def)
                    .flags
                    .contains(CodegenFnAttrFlags::NAKED)
                {
                    tcx.dcx().span_err(
                        tcx.def_span(instance.def_id()),
                        "naked functions are not supported by rustc_codegen_bpf",
                    );
                    continue;
                }
                let Some(lowered) = crate::lower::codegen_fn(tcx, module, instance, &mut ctx.func)
                else {
                    continue;
                };
                define(module, &mut ctx, lowered, instance);
            }
            MonoItem::Static(def_id) => crate::lower::codegen_static(tcx, module, def_id),
            MonoItem::GlobalAsm(item_id) => {
                tcx.dcx().span_err(
                    tcx.def_span(item_id.owner_id),
                    "global assembly is not supported by rustc_codegen_bpf",
                );
            }
        }
    }
}

/// Declares every function of the unit up front so that calls between them
/// resolve regardless of order.
fn declare_functions<'tcx>(
    tcx: TyCtxt<'tcx>,
    module: &mut dyn Module,
    items: &[(MonoItem<'tcx>, MonoItemData)],
) {
    for &(item, data) in items {
        if let MonoItem::Fn(instance) = item {
            let name = tcx.symbol_name(instance).name;
            let sig = crate::lower::abi::fn_signature(
                tcx,
                module.target_config().default_call_conv,
                instance,
            );
            let linkage = clif_linkage(data.linkage, data.visibility);
            if let Err(err) = module.declare_function(name, linkage, &sig) {
                tcx.dcx()
                    .fatal(format!("cannot declare function `{name}`: {err}"));
            }
        }
    }
}

/// Maps rustc's linkage and visibility of a mono item to a Cranelift linkage.
pub(crate) fn clif_linkage(linkage: RLinkage, visibility: Visibility) -> Linkage {
    match (linkage, visibility) {
        (RLinkage::External, Visibility::Default) => Linkage::Export,
        (RLinkage::Internal, _) => Linkage::Local,
        (RLinkage::External, Visibility::Hidden | Visibility::Protected) => Linkage::Hidden,
        (
            RLinkage::WeakAny | RLinkage::LinkOnceAny | RLinkage::LinkOnceODR | RLinkage::WeakODR,
            _,
        ) => Linkage::Preemptible,
        _ => Linkage::Export,
    }
}

//! The global allocator shim of a host executable (or dylib): `__rust_alloc`
//! and its siblings forwarding to std's default `__rdl_*` implementations
//! when no `#[global_allocator]` is defined, the alloc-error handler
//! forwarding to `__rdl_alloc_error_handler` when no `#[alloc_error_handler]`
//! is defined, and the `__rust_no_alloc_shim_is_unstable_v2` marker that
//! `alloc` calls to ensure the shim is linked. The list of methods comes from
//! rustc (`allocator_shim_contents`), so it follows the compiler's contract.

use cranelift_codegen::Context;
use cranelift_codegen::ir::{AbiParam, InstBuilder, Signature, Type};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{Linkage, Module};
use rustc_ast::expand::allocator::{
    AllocatorTy, NO_ALLOC_SHIM_IS_UNSTABLE, default_fn_name, global_fn_name,
};
use rustc_codegen_ssa::base::{allocator_kind_for_codegen, allocator_shim_contents};
use rustc_middle::ty::TyCtxt;
use rustc_symbol_mangling::mangle_internal_symbol;

/// Defines the shim's functions in `module`; returns whether the crate needs
/// a shim at all.
pub(super) fn codegen(tcx: TyCtxt<'_>, module: &mut dyn Module) -> bool {
    let Some(kind) = allocator_kind_for_codegen(tcx) else {
        return false;
    };
    let ptr = module.target_config().pointer_type();
    for method in allocator_shim_contents(tcx, kind) {
        let mut params = Vec::new();
        for input in method.inputs {
            match input.ty {
                // A `Layout` travels as its size and alignment.
                AllocatorTy::Layout => params.extend([ptr, ptr]),
                AllocatorTy::Ptr | AllocatorTy::Usize => params.push(ptr),
                AllocatorTy::Never | AllocatorTy::ResultPtr | AllocatorTy::Unit => {
                    tcx.dcx().fatal(format!(
                        "allocator method `{}` has an argument of a return-only type",
                        method.name
                    ))
                }
            }
        }
        let returns = match method.output {
            AllocatorTy::ResultPtr => vec![ptr],
            AllocatorTy::Never | AllocatorTy::Unit => vec![],
            AllocatorTy::Layout | AllocatorTy::Usize | AllocatorTy::Ptr => {
                tcx.dcx().fatal(format!(
                    "allocator method `{}` returns an argument-only type",
                    method.name
                ))
            }
        };
        let from = mangle_internal_symbol(tcx, &global_fn_name(method.name));
        let to = mangle_internal_symbol(tcx, &default_fn_name(method.name));
        define_wrapper(tcx, module, &from, Some(&to), &params, &returns);
    }
    let marker = mangle_internal_symbol(tcx, NO_ALLOC_SHIM_IS_UNSTABLE);
    define_wrapper(tcx, module, &marker, None, &[], &[]);
    true
}

/// Defines the exported function `from`, which calls `to` (when given) with
/// its own arguments and returns what it returns.
fn define_wrapper(
    tcx: TyCtxt<'_>,
    module: &mut dyn Module,
    from: &str,
    to: Option<&str>,
    params: &[Type],
    returns: &[Type],
) {
    let sig = Signature {
        params: params.iter().copied().map(AbiParam::new).collect(),
        returns: returns.iter().copied().map(AbiParam::new).collect(),
        call_conv: module.target_config().default_call_conv,
    };
    let declare = |module: &mut dyn Module, name: &str, linkage: Linkage| {
        module
            .declare_function(name, linkage, &sig)
            .unwrap_or_else(|e| tcx.dcx().fatal(format!("cannot declare `{name}`: {e}")))
    };
    let from_id = declare(module, from, Linkage::Export);
    let to_id = to.map(|to| declare(module, to, Linkage::Import));

    let mut ctx = Context::new();
    ctx.func.signature = sig;
    let mut fctx = FunctionBuilderContext::new();
    let mut bcx = FunctionBuilder::new(&mut ctx.func, &mut fctx);
    let block = bcx.create_block();
    bcx.append_block_params_for_function_params(block);
    bcx.switch_to_block(block);
    let args = bcx.block_params(block).to_vec();
    let results = match to_id {
        Some(to_id) => {
            let callee = module.declare_func_in_func(to_id, bcx.func);
            let call = bcx.ins().call(callee, &args);
            bcx.inst_results(call).to_vec()
        }
        None => vec![],
    };
    bcx.ins().return_(&results);
    bcx.seal_all_blocks();
    bcx.finalize();
    if let Err(err) = module.define_function(from_id, &mut ctx) {
        tcx.dcx().fatal(format!("cannot define `{from}`: {err}"));
    }
}

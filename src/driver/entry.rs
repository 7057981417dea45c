//! The C `main` symbol of an executable: it calls the `start` lang item with
//! the user's `main`, `argc`, `argv` and the SIGPIPE setting.

use cranelift_codegen::Context;
use cranelift_codegen::ir::{AbiParam, InstBuilder, Signature, types};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{Linkage, Module};
use rustc_hir::LangItem;
use rustc_middle::ty::{self, Instance, TyCtxt, Unnormalized};
use rustc_session::config::EntryFnType;
use rustc_span::DUMMY_SP;

pub(super) fn maybe_create_entry_wrapper(
    tcx: TyCtxt<'_>,
    module: &mut dyn Module,
    is_primary_cgu: bool,
) {
    let Some((main_def_id, EntryFnType::Main { sigpipe })) = tcx.entry_fn(()) else {
        return;
    };
    // The wrapper goes into the unit that holds the user's main (or the
    // primary unit when main comes from another crate).
    let main_instance = Instance::mono(tcx, main_def_id);
    let main_name = tcx.symbol_name(main_instance).name;
    if main_def_id.is_local() {
        if module.get_name(main_name).is_none() {
            return;
        }
    } else if !is_primary_cgu {
        return;
    }

    let ptr = module.target_config().pointer_type();
    let call_conv = module.target_config().default_call_conv;
    let c_int = types::I32;
    let cmain_sig = Signature {
        params: vec![AbiParam::new(c_int), AbiParam::new(ptr)],
        returns: vec![AbiParam::new(c_int)],
        call_conv,
    };
    let entry_name = tcx.sess.target.options.entry_name.as_ref();
    let cmain_id = match module.declare_function(entry_name, Linkage::Export, &cmain_sig) {
        Ok(id) => id,
        Err(err) => tcx
            .dcx()
            .fatal(format!("entry symbol `{entry_name}` declared twice: {err}")),
    };

    let main_ret_ty = tcx.fn_sig(main_def_id).no_bound_vars().unwrap().output();
    let main_ret_ty = tcx.normalize_erasing_regions(
        ty::TypingEnv::fully_monomorphized(),
        Unnormalized::new_wip(main_ret_ty.no_bound_vars().unwrap()),
    );
    let start_def_id = tcx.require_lang_item(LangItem::Start, DUMMY_SP);
    let start_instance = Instance::expect_resolve(
        tcx,
        ty::TypingEnv::fully_monomorphized(),
        start_def_id,
        tcx.mk_args(&[main_ret_ty.into()]),
        DUMMY_SP,
    );
    let main_id = crate::lower::abi::import_function(tcx, module, main_instance);
    let start_id = crate::lower::abi::import_function(tcx, module, start_instance);

    let mut ctx = Context::new();
    ctx.func.signature = cmain_sig;
    let mut fctx = FunctionBuilderContext::new();
    let mut bcx = FunctionBuilder::new(&mut ctx.func, &mut fctx);
    let block = bcx.create_block();
    bcx.switch_to_block(block);
    let argc = bcx.append_block_param(block, c_int);
    let argv = bcx.append_block_param(block, ptr);
    let argc = bcx.ins().sextend(ptr, argc);
    let sigpipe = bcx.ins().iconst(types::I8, i64::from(sigpipe));
    let main_ref = module.declare_func_in_func(main_id, bcx.func);
    let start_ref = module.declare_func_in_func(start_id, bcx.func);
    let main_addr = bcx.ins().func_addr(ptr, main_ref);
    let call = bcx.ins().call(start_ref, &[main_addr, argc, argv, sigpipe]);
    let ret = bcx.inst_results(call)[0];
    let ret = bcx.ins().ireduce(c_int, ret);
    bcx.ins().return_(&[ret]);
    bcx.seal_all_blocks();
    bcx.finalize();
    if let Err(err) = module.define_function(cmain_id, &mut ctx) {
        tcx.dcx()
            .fatal(format!("cannot define entry symbol `{entry_name}`: {err}"));
    }
}

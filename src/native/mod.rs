//! CLIF -> host machine code: builds the Cranelift ISA for the session's
//! target and compiles lowered functions into an object module.

pub(crate) mod debuginfo;

use std::sync::Arc;

use cranelift_codegen::Context;
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_module::{Module, ModuleError};
use cranelift_object::{ObjectBuilder, ObjectModule};
use rustc_middle::ty::{Instance, TyCtxt};
use rustc_session::Session;
use rustc_session::config::OptLevel;

use crate::lower::Lowered;

/// The Cranelift ISA for the session's (host-class) target.
fn build_isa(sess: &Session) -> Arc<dyn TargetIsa> {
    let llvm_target = rustc_codegen_ssa::back::versioned_llvm_target(sess);
    let triple: target_lexicon::Triple = llvm_target.parse().unwrap_or_else(|e| {
        sess.dcx()
            .fatal(format!("target `{llvm_target}` not recognised: {e}"))
    });
    let mut flags = settings::builder();
    let set = |flags: &mut settings::Builder, k: &str, v: &str| {
        flags
            .set(k, v)
            .unwrap_or_else(|e| panic!("cranelift flag {k}={v}: {e}"))
    };
    set(&mut flags, "is_pic", "true");
    set(&mut flags, "enable_llvm_abi_extensions", "true");
    set(&mut flags, "preserve_frame_pointers", "true");
    set(&mut flags, "tls_model", "elf_gd");
    let verify = if cfg!(debug_assertions) || std::env::var_os("BPF_CODEGEN_VERIFY").is_some() {
        "true"
    } else {
        "false"
    };
    set(&mut flags, "enable_verifier", verify);
    let opt = if sess.opts.optimize == OptLevel::No {
        "none"
    } else {
        "speed_and_size"
    };
    set(&mut flags, "opt_level", opt);
    if matches!(
        triple.architecture,
        target_lexicon::Architecture::X86_64 | target_lexicon::Architecture::Aarch64(_)
    ) {
        set(&mut flags, "enable_probestack", "true");
        set(&mut flags, "probestack_strategy", "inline");
    }
    let mut isa = cranelift_codegen::isa::lookup(triple.clone()).unwrap_or_else(|e| {
        sess.dcx().fatal(format!(
            "rustc_codegen_bpf cannot compile for {triple}: {e}"
        ))
    });
    if triple.architecture == target_lexicon::Architecture::X86_64 {
        let cpu = sess
            .opts
            .cg
            .target_cpu
            .as_deref()
            .unwrap_or(sess.target.cpu.as_ref());
        if isa.enable(cpu).is_err() {
            sess.dcx().fatal(format!(
                "target cpu `{cpu}` is not supported by rustc_codegen_bpf"
            ));
        }
    }
    isa.finish(settings::Flags::new(flags)).unwrap_or_else(|e| {
        sess.dcx()
            .fatal(format!("cannot build the target ISA: {e}"))
    })
}

/// A fresh object module for one codegen unit.
pub(crate) fn make_module(sess: &Session, name: &str) -> ObjectModule {
    let mut builder = ObjectBuilder::new(
        build_isa(sess),
        format!("{name}.o"),
        cranelift_module::default_libcall_names(),
    )
    .unwrap_or_else(|e| sess.dcx().fatal(format!("cannot create object: {e}")));
    builder.per_function_section(
        sess.opts
            .unstable_opts
            .function_sections
            .unwrap_or(sess.target.function_sections),
    );
    ObjectModule::new(builder)
}

/// Compiles the lowered function held in `ctx.func` to machine code and,
/// when the unit carries DWARF, describes it there.
pub(crate) fn define_function<'tcx>(
    tcx: TyCtxt<'tcx>,
    module: &mut ObjectModule,
    ctx: &mut Context,
    lowered: &Lowered<'tcx>,
    instance: Instance<'tcx>,
    debug: Option<&mut debuginfo::DebugContext>,
) {
    let result = module.define_function(lowered.func_id, ctx);
    if let (Ok(()), Some(debug), Some(code)) = (&result, debug, ctx.compiled_code()) {
        debug.add_function(tcx, instance, lowered, code);
    }
    ctx.clear();
    match result {
        Ok(()) => {}
        Err(ModuleError::Compilation(err)) => tcx.dcx().span_fatal(
            tcx.def_span(instance.def_id()),
            format!("rustc_codegen_bpf failed to compile `{instance}`: {err:?}"),
        ),
        Err(err) => tcx
            .dcx()
            .fatal(format!("cannot define `{instance}`: {err}")),
    }
}

//! `rustc_codegen_bpf`: a rustc codegen backend.
//!
//! MIR is lowered to Cranelift IR by [`lower`] (target independent); the IR is
//! then turned into machine code by [`native`] (Cranelift's own ISAs, host
//! targets) or by [`bpf`] (the eBPF ISA, the backend's own). [`driver`] walks
//! the codegen units and writes the object files; host objects go to rustc's
//! linker, eBPF objects to the backend's own BPF linker. This file holds the
//! `CodegenBackend` implementation.

#![feature(rustc_private)]
#![warn(rust_2018_idioms)]
#![warn(unused_lifetimes)]

extern crate rustc_abi;
extern crate rustc_ast;
extern crate rustc_codegen_ssa;
extern crate rustc_const_eval;
extern crate rustc_data_structures;
extern crate rustc_hir;
extern crate rustc_index;
extern crate rustc_metadata;
extern crate rustc_middle;
extern crate rustc_session;
extern crate rustc_span;
extern crate rustc_symbol_mangling;
extern crate rustc_target;

// Linking `rustc_driver` makes the backend share the compiler's own copies of
// the rustc crates instead of pulling in a second set.
#[allow(unused_extern_crates)]
extern crate rustc_driver;

mod bpf;
mod btf;
mod driver;
mod lower;
mod native;
mod options;
mod vtable;

use std::any::Any;
use std::cell::OnceCell;

use rustc_codegen_ssa::traits::CodegenBackend;
use rustc_codegen_ssa::{CompiledModules, CrateInfo, TargetConfig};
use rustc_data_structures::fx::FxIndexMap;
use rustc_middle::dep_graph::{WorkProduct, WorkProductId};
use rustc_middle::ty::TyCtxt;
use rustc_session::Session;
use rustc_session::config::OutputFilenames;
use rustc_span::{Symbol, sym};
use rustc_target::spec::{Arch, Os};

pub use crate::options::BackendOptions;

/// The backend object rustc loads through `__rustc_codegen_backend`.
pub struct BpfCodegenBackend {
    options: OnceCell<BackendOptions>,
}

impl CodegenBackend for BpfCodegenBackend {
    fn name(&self) -> &'static str {
        "bpf"
    }

    fn init(&self, sess: &Session) {
        use rustc_session::config::{InstrumentCoverage, Lto};
        if matches!(sess.lto(), Lto::Thin | Lto::Fat) {
            sess.dcx()
                .warn("rustc_codegen_bpf performs no LTO; `-Clto` is ignored");
        }
        if sess.opts.cg.instrument_coverage() != InstrumentCoverage::No {
            sess.dcx()
                .fatal("`-Cinstrument-coverage` is not supported by rustc_codegen_bpf");
        }
        self.options.get_or_init(|| {
            BackendOptions::parse(&sess.opts.cg.llvm_args)
                .and_then(|o| o.validate(sess).map(|()| o))
                .unwrap_or_else(|e| sess.dcx().fatal(e))
        });
    }

    fn target_config(&self, sess: &Session) -> TargetConfig {
        // SSE and SSE2 are enabled (floats and the C ABI use them), but
        // they are not reported to `cfg(target_feature)`: the code that
        // `cfg(target_feature = "sse2")` selects in core, std and hashbrown
        // is written with 128-bit vector intrinsics, which the backend does
        // not lower, and every such use has a portable fallback.
        let (target_features, enabled) =
            if sess.target.arch == Arch::X86_64 && sess.target.os != Os::None {
                (
                    vec![sym::fxsr, Symbol::intern("x87")],
                    vec![sym::fxsr, sym::sse, sym::sse2, Symbol::intern("x87")],
                )
            } else {
                (vec![], vec![])
            };
        TargetConfig {
            unstable_target_features: enabled,
            target_features,
            has_reliable_f16: false,
            has_reliable_f16_math: false,
            has_reliable_f128: false,
            has_reliable_f128_math: false,
        }
    }

    fn print_version(&self) {
        println!(
            "rustc_codegen_bpf {} (Cranelift {})",
            env!("CARGO_PKG_VERSION"),
            cranelift_codegen::VERSION
        );
    }

    fn target_cpu(&self, sess: &Session) -> String {
        sess.opts
            .cg
            .target_cpu
            .clone()
            .unwrap_or_else(|| sess.target.cpu.to_string())
    }

    fn codegen_crate(&self, tcx: TyCtxt<'_>) -> Box<dyn Any> {
        let options = self.options.get().cloned().unwrap_or_default();
        driver::codegen_crate(tcx, options)
    }

    fn join_codegen(
        &self,
        ongoing: Box<dyn Any>,
        sess: &Session,
        outputs: &OutputFilenames,
        _crate_info: &CrateInfo,
    ) -> (CompiledModules, FxIndexMap<WorkProductId, WorkProduct>) {
        match ongoing.downcast::<driver::CodegenOutput>() {
            Ok(out) => out.join(sess, outputs),
            Err(_) => sess
                .dcx()
                .fatal("rustc_codegen_bpf: unexpected codegen result type"),
        }
    }

    fn link(
        &self,
        sess: &Session,
        compiled_modules: CompiledModules,
        crate_info: CrateInfo,
        metadata: rustc_metadata::EncodedMetadata,
        outputs: &OutputFilenames,
    ) {
        if sess.target.arch == Arch::Bpf {
            driver::link_step::link(sess, compiled_modules, crate_info, metadata, outputs);
        } else {
            driver::vtable_note::check_link(sess, &crate_info);
            rustc_codegen_ssa::back::link::link_binary(
                sess,
                &rustc_codegen_ssa::back::archive::ArArchiveBuilderBuilder,
                compiled_modules,
                crate_info,
                metadata,
                outputs,
                self.name(),
            );
        }
    }
}

/// Entry point rustc looks up in the dylib.
#[unsafe(no_mangle)]
pub fn __rustc_codegen_backend() -> Box<dyn CodegenBackend> {
    Box::new(BpfCodegenBackend {
        options: OnceCell::new(),
    })
}

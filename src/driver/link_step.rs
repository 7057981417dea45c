//! rustc's link step for the eBPF targets. Executables and cdylibs become one
//! ELF object made by the backend's own BPF linker ([`super::link`]) from the
//! crate's objects and the rlibs it links; rlibs and staticlibs are archived
//! by rustc as usual.

use std::path::PathBuf;

use rustc_codegen_ssa::back::archive::ArArchiveBuilderBuilder;
use rustc_codegen_ssa::back::link::{each_linked_rlib, link_binary};
use rustc_codegen_ssa::{CompiledModules, CrateInfo};
use rustc_metadata::EncodedMetadata;
use rustc_session::Session;
use rustc_session::config::{CrateType, OutFileName, OutputFilenames};
use rustc_session::output::out_filename;

/// Links every requested crate type.
pub(crate) fn link(
    sess: &Session,
    compiled_modules: CompiledModules,
    mut crate_info: CrateInfo,
    metadata: EncodedMetadata,
    outputs: &OutputFilenames,
) {
    let (ours, archived): (Vec<CrateType>, Vec<CrateType>) =
        crate_info.crate_types.iter().partition(|t| {
            matches!(
                t,
                CrateType::Executable | CrateType::Cdylib | CrateType::Dylib
            )
        });
    if sess.opts.output_types.should_link() {
        for crate_type in ours {
            link_object(sess, &compiled_modules, &crate_info, outputs, crate_type);
        }
    }
    if !archived.is_empty() {
        crate_info.crate_types = archived;
        link_binary(
            sess,
            &ArArchiveBuilderBuilder,
            compiled_modules,
            crate_info,
            metadata,
            outputs,
            "bpf",
        );
    }
}

/// One linked BPF object for `crate_type`.
fn link_object(
    sess: &Session,
    compiled_modules: &CompiledModules,
    crate_info: &CrateInfo,
    outputs: &OutputFilenames,
    crate_type: CrateType,
) {
    let mut inputs: Vec<PathBuf> = compiled_modules
        .modules
        .iter()
        .filter_map(|m| m.object.clone())
        .collect();
    let mut missing = Vec::new();
    let walked = each_linked_rlib(crate_info, Some(crate_type), &mut |cnum, path| {
        if path.as_os_str().is_empty() {
            missing.push(crate_info.crate_name[&cnum].to_string());
        } else {
            inputs.push(path.to_path_buf());
        }
    });
    if let Err(err) = walked {
        sess.dcx().emit_fatal(err);
    }
    if !missing.is_empty() {
        sess.dcx().fatal(format!(
            "BPF programs link crates statically; no rlib for: {}",
            missing.join(", ")
        ));
    }
    let roots: Vec<String> = crate_info
        .exported_symbols
        .get(&crate_type)
        .map(|syms| syms.iter().map(|(name, _)| name.clone()).collect())
        .unwrap_or_default();
    let output = match out_filename(sess, crate_type, outputs, crate_info.local_crate_name) {
        OutFileName::Real(path) => path,
        OutFileName::Stdout => sess
            .dcx()
            .fatal("a BPF object cannot be written to standard output; use `-o FILE`"),
    };
    let big_endian = sess.target.endian == rustc_abi::Endian::Big;
    if let Err(errors) = super::link::link_bpf(&inputs, &roots, &output, big_endian) {
        for error in errors {
            sess.dcx().err(error);
        }
        sess.dcx().abort_if_errors();
    }
}

//! The BPF linker: merges the crate's objects and the objects inside its
//! rlibs into one ELF object libbpf loads, keeping only what the programs,
//! maps, license and exported symbols reach, and reporting what only the
//! link can know (problems in kept functions, recursion, stack depth,
//! undefined symbols).

mod btf;
mod checks;
mod graph;
mod inputs;
mod layout;
mod write;

use std::path::{Path, PathBuf};

/// Links `inputs` (objects and rlib archives) into `output`. `roots` are the
/// exported symbol names of the crate being linked. Errors come one message
/// per problem.
pub(crate) fn link_bpf(
    inputs: &[PathBuf],
    roots: &[String],
    output: &Path,
    big_endian: bool,
) -> Result<(), Vec<String>> {
    let inputs = inputs::read_inputs(inputs, big_endian)?;
    let graph = graph::reachable(&inputs, roots)?;
    let errors = checks::check(&inputs, &graph);
    if !errors.is_empty() {
        return Err(errors);
    }
    let naming = layout::name_symbols(&inputs, &graph);
    let bytes = write::write(&inputs, &graph, &naming, big_endian).map_err(|e| vec![e])?;
    std::fs::write(output, bytes)
        .map_err(|e| vec![format!("cannot write `{}`: {e}", output.display())])
}

#[cfg(test)]
mod btf_tests;
#[cfg(test)]
mod tests;

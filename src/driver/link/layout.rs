//! Where kept atoms go in the output: section names (`.rodata*` into
//! `.rodata` and so on), and each symbol's output name and binding.

use std::collections::HashSet;

use super::graph::Graph;
use super::inputs::Input;
use crate::bpf::object::{Binding, SectionKind};

/// The output section an input section's atoms go to.
pub(super) fn output_section(name: &str) -> &str {
    for merged in [".rodata", ".data", ".bss"] {
        if name == merged
            || name
                .strip_prefix(merged)
                .is_some_and(|rest| rest.starts_with('.'))
        {
            return merged;
        }
    }
    name
}

/// A symbol as it appears in the output.
pub(super) struct OutName {
    pub(super) name: String,
    pub(super) binding: Binding,
}

/// Output names and bindings: `names[atom][j]` for `atoms[atom].symbols[j]`,
/// and each kept atom's anchor (the symbol at its start), synthesised when
/// it has none.
pub(super) struct Naming {
    pub(super) names: Vec<Vec<OutName>>,
    pub(super) anchors: Vec<String>,
    /// Anchors that are not one of the atom's symbols and must be defined.
    pub(super) synthetic: Vec<bool>,
}

/// Names every symbol of the kept atoms. Functions in `.text` become
/// local (global subprograms would need BTF and separate verification);
/// resolved global definitions keep their names, other clashes get a
/// numbered local name.
pub(super) fn name_symbols(inputs: &[Input], graph: &Graph) -> Naming {
    let mut taken = HashSet::new();
    // Resolved definitions claim their names first.
    for (a, atom) in graph.atoms.iter().enumerate() {
        if graph.kept[a] {
            for &k in &atom.symbols {
                if graph.picked.contains(&(atom.input, k)) {
                    taken.insert(inputs[atom.input].symbols[k].name.clone());
                }
            }
        }
    }
    let mut names = Vec::with_capacity(graph.atoms.len());
    let mut anchors = Vec::with_capacity(graph.atoms.len());
    let mut synthetic = Vec::with_capacity(graph.atoms.len());
    let mut counter = 0;
    let mut fresh = |base: &str, taken: &mut HashSet<String>| loop {
        counter += 1;
        let candidate = format!("{base}.{counter}");
        if taken.insert(candidate.clone()) {
            break candidate;
        }
    };
    for (a, atom) in graph.atoms.iter().enumerate() {
        let input = &inputs[atom.input];
        let section = &input.sections[atom.section];
        let mut atom_names = Vec::new();
        let mut anchor = None;
        if graph.kept[a] {
            for &k in &atom.symbols {
                let sym = &input.symbols[k];
                let mut binding = match (section.kind, section.name.as_str()) {
                    (SectionKind::Code, ".text") => Binding::Local,
                    (SectionKind::Code, _) => Binding::Global,
                    _ => sym.binding,
                };
                let name =
                    if graph.picked.contains(&(atom.input, k)) || taken.insert(sym.name.clone()) {
                        sym.name.clone()
                    } else {
                        binding = Binding::Local;
                        fresh(&sym.name, &mut taken)
                    };
                if anchor.is_none() && sym.def.is_some_and(|d| d.1 == atom.start) {
                    anchor = Some(name.clone());
                }
                atom_names.push(OutName { name, binding });
            }
        }
        synthetic.push(anchor.is_none());
        anchors.push(anchor.unwrap_or_else(|| fresh(&format!(".L{}", section.name), &mut taken)));
        names.push(atom_names);
    }
    Naming {
        names,
        anchors,
        synthetic,
    }
}

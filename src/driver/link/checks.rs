//! What only the link can know: problems in functions that survive, and the
//! call graph of kept code (no recursion, the verifier's stack limits).

use std::collections::HashMap;

use super::graph::{Graph, atom_name, describe_atom, display_name};
use super::inputs::Input;
use crate::bpf::object::{FunctionNote, RelocKind, SectionKind};

/// The verifier's stack limit for a whole call chain.
const STACK_LIMIT: u32 = 512;
/// Frames are rounded up to this when the verifier sums a chain.
const FRAME_ROUNDING: u32 = 32;
/// The verifier's limit on nested BPF-to-BPF calls (frames in a chain).
const MAX_FRAMES: usize = 8;

/// Checks the kept atoms; one message per problem.
pub(super) fn check(inputs: &[Input], graph: &Graph) -> Vec<String> {
    let mut errors = Vec::new();
    let notes: Vec<HashMap<&str, &FunctionNote>> = inputs
        .iter()
        .map(|input| input.notes.iter().map(|n| (n.name.as_str(), n)).collect())
        .collect();
    for (input, by_name) in inputs.iter().zip(&notes) {
        if let Some(note) = by_name.get("") {
            for problem in &note.problems {
                errors.push(format!("`{}`: {}", input.origin, problem.message));
            }
        }
    }

    // Code atoms kept, their frames and callees.
    let mut frame = HashMap::new();
    let mut callees: HashMap<usize, Vec<usize>> = HashMap::new();
    for (a, atom) in graph.atoms.iter().enumerate() {
        let input = &inputs[atom.input];
        let section = &input.sections[atom.section];
        if !graph.kept[a] || section.kind != SectionKind::Code {
            continue;
        }
        let name = atom_name(inputs, atom);
        let note = notes[atom.input].get(name.as_str());
        frame.insert(a, note.map_or(0, |n| n.frame_size));
        for problem in note.map_or(&[][..], |n| &n.problems) {
            errors.push(if problem.site.is_empty() {
                format!("{}: {}", describe_atom(inputs, atom), problem.message)
            } else {
                format!(
                    "`{}` at {}: {}",
                    display_name(inputs, atom),
                    problem.site,
                    problem.message
                )
            });
        }
        for (r, reloc) in section.relocs.iter().enumerate() {
            if reloc.kind != RelocKind::Call
                || reloc.offset < atom.start
                || reloc.offset >= atom.end
            {
                continue;
            }
            let Some(dest) = graph.dests.get(&(atom.input, atom.section, r)) else {
                continue;
            };
            let target = &graph.atoms[dest.atom];
            let target_section = &inputs[target.input].sections[target.section];
            if target_section.kind != SectionKind::Code || target_section.name != ".text" {
                errors.push(format!(
                    "`{name}` calls `{}` in section `{}`; only functions in `.text` can be called",
                    display_name(inputs, target),
                    target_section.name
                ));
            } else {
                callees.entry(a).or_default().push(dest.atom);
            }
        }
    }

    // Longest chain below each function, with cycle detection.
    let mut state: HashMap<usize, Visit> = HashMap::new();
    let mut roots: Vec<usize> = frame.keys().copied().collect();
    roots.sort();
    for &root in &roots {
        let mut path = Vec::new();
        if let Err(cycle) = deepest(root, &frame, &callees, &mut state, &mut path) {
            let names: Vec<_> = cycle
                .iter()
                .map(|&a| describe_atom(inputs, &graph.atoms[a]))
                .collect();
            errors.push(format!(
                "recursion is not allowed in BPF programs: {}",
                names.join(" calls ")
            ));
            return errors;
        }
    }
    for &root in &roots {
        let Some(Visit::Done(depth, chain)) = state.get(&root) else {
            continue;
        };
        let section = &inputs[graph.atoms[root].input].sections[graph.atoms[root].section];
        if section.name == ".text" {
            continue;
        }
        let names: Vec<_> = chain
            .iter()
            .map(|&a| describe_atom(inputs, &graph.atoms[a]))
            .collect();
        // A frame over the limit on its own is a problem of its function,
        // reported above.
        let oversized = chain
            .iter()
            .any(|a| frame.get(a).is_some_and(|&f| f > STACK_LIMIT));
        if *depth > STACK_LIMIT && !oversized {
            errors.push(format!(
                "the call chain {} needs {depth} bytes of stack (frames rounded up to \
                 {FRAME_ROUNDING}), more than the {STACK_LIMIT} the verifier allows",
                names.join(" -> ")
            ));
        }
        if chain.len() > MAX_FRAMES {
            errors.push(format!(
                "the call chain {} is {} calls deep, more than the verifier's {MAX_FRAMES}",
                names.join(" -> "),
                chain.len()
            ));
        }
    }
    errors
}

enum Visit {
    Active,
    /// Stack bytes of the deepest chain from here, and that chain.
    Done(u32, Vec<usize>),
}

/// Depth-first walk computing [`Visit::Done`]; `Err` holds a cycle.
fn deepest(
    a: usize,
    frame: &HashMap<usize, u32>,
    callees: &HashMap<usize, Vec<usize>>,
    state: &mut HashMap<usize, Visit>,
    path: &mut Vec<usize>,
) -> Result<(), Vec<usize>> {
    match state.get(&a) {
        Some(Visit::Done(..)) => return Ok(()),
        Some(Visit::Active) => {
            let start = path.iter().position(|&p| p == a).unwrap_or(0);
            let mut cycle = path[start..].to_vec();
            cycle.push(a);
            return Err(cycle);
        }
        None => {}
    }
    state.insert(a, Visit::Active);
    path.push(a);
    let mut best = (0, Vec::new());
    for &callee in callees.get(&a).map_or(&[][..], |v| v) {
        deepest(callee, frame, callees, state, path)?;
        if let Some(Visit::Done(depth, chain)) = state.get(&callee)
            && *depth >= best.0
        {
            best = (*depth, chain.clone());
        }
    }
    path.pop();
    let own = frame
        .get(&a)
        .copied()
        .unwrap_or(0)
        .next_multiple_of(FRAME_ROUNDING);
    let mut chain = vec![a];
    chain.extend(best.1);
    state.insert(a, Visit::Done(own.saturating_add(best.0), chain));
    Ok(())
}

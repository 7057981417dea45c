//! The vtable-layout note of host objects. Every object the backend writes
//! carries an ELF note (owner `rustc_codegen_bpf`) naming its vtable layout;
//! before rustc links an executable or a shared library, every member of
//! the rlibs it links statically and every Rust dylib it links is checked
//! against the session's layout (the crate's own objects have it), so that code
//! built for another layout is a link error instead of a crash.
//!
//! An object without the note (compiled by rustc's LLVM backend, or C) is
//! layout-neutral unless it defines a vtable, recognised by its shape in a
//! relocated read-only data section: `[drop, size, align, entries...]` with
//! no relocation in the size and align words, a power-of-two align that
//! divides the size, a drop word that is a function address or zero, and at
//! least one absolute function address. An object that only calls through
//! vtables defined elsewhere cannot be recognised.

use std::path::Path;

use object::elf::FileHeader64;
use object::read::elf::NoteIterator;
use object::write::Object;
use object::{
    Endianness, Object as _, ObjectSection as _, ObjectSymbol as _, RelocationFlags,
    RelocationTarget, SectionKind,
};
use rustc_codegen_ssa::CrateInfo;
use rustc_middle::middle::dependency_format::Linkage as DepLinkage;
use rustc_session::Session;
use rustc_session::config::CrateType;

use crate::options::VtableAbi;

const SECTION: &str = ".note.rustc_codegen_bpf.vtables";
const OWNER: &[u8] = b"rustc_codegen_bpf";
/// The note type of a vtable-layout note.
const NOTE_TYPE: u32 = 1;

/// Adds the note recording `abi` to a host object.
pub(super) fn add(object: &mut Object<'_>, abi: VtableAbi) {
    let section = object.add_section(Vec::new(), SECTION.as_bytes().to_vec(), SectionKind::Note);
    let desc = abi.name().as_bytes();
    let mut note = Vec::new();
    let name_size = OWNER.len() + 1;
    for word in [name_size as u32, desc.len() as u32, NOTE_TYPE] {
        note.extend_from_slice(&word.to_le_bytes());
    }
    note.extend_from_slice(OWNER);
    note.push(0);
    note.resize(note.len().next_multiple_of(4), 0);
    note.extend_from_slice(desc);
    note.resize(note.len().next_multiple_of(4), 0);
    object.set_section_data(section, note, 4);
}

/// What an object says or shows about its vtables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// The backend's note.
    Noted(VtableAbi),
    /// No note, but absolute vtables (another compiler's).
    Foreign,
    /// No note and no vtable.
    Neutral,
}

impl Layout {
    fn describe(self) -> String {
        match self {
            Layout::Noted(abi) => format!("{} vtables", abi.name()),
            Layout::Foreign => {
                "absolute vtables (compiled by another backend, without a layout note)".into()
            }
            Layout::Neutral => "no vtables".into(),
        }
    }
}

/// Fails the session when something linked into a host executable or
/// shared library was built for another vtable layout.
pub(crate) fn check_link(sess: &Session, info: &CrateInfo) {
    let ours = crate::options::vtable_abi(sess);
    let mut mismatches = Vec::new();
    for &crate_type in &info.crate_types {
        if crate_type == CrateType::Rlib {
            continue;
        }
        let Some(formats) = info.dependency_formats.get(&crate_type) else {
            continue;
        };
        for &cnum in &info.used_crates {
            let source = &info.used_crate_source[&cnum];
            let path = match formats.get(cnum) {
                Some(DepLinkage::Static) => source.rlib.as_ref(),
                Some(DepLinkage::Dynamic) => source.dylib.as_ref(),
                _ => None,
            };
            let Some(path) = path else { continue };
            let name = info.crate_name[&cnum];
            match mismatch(ours, path) {
                Ok(None) => {}
                Ok(Some(problem)) => {
                    let line = format!("crate `{name}`: {problem}");
                    if !mismatches.contains(&line) {
                        mismatches.push(line);
                    }
                }
                Err(err) => {
                    sess.dcx().err(format!(
                        "cannot read {} to check its vtable layout: {err}",
                        path.display()
                    ));
                }
            }
        }
    }
    if !mismatches.is_empty() {
        sess.dcx().err(format!(
            "cannot link crate `{}`, compiled with {} vtables, with code built for \
             another vtable layout:\n    {}\nbuild everything with the same \
             `-Cllvm-args=vtables=relative|absolute` (and a sysroot built that way)",
            info.local_crate_name,
            ours.name(),
            mismatches.join("\n    ")
        ));
    }
    sess.dcx().abort_if_errors();
}

/// The first object in the file at `path` (an object, an rlib or a shared
/// library) whose vtables differ from `ours`, described.
fn mismatch(ours: VtableAbi, path: &Path) -> Result<Option<String>, std::io::Error> {
    let data = std::fs::read(path)?;
    let mut objects = Vec::new();
    match object::read::archive::ArchiveFile::parse(&*data) {
        Ok(archive) => {
            for member in archive.members().flatten() {
                let name = String::from_utf8_lossy(member.name()).into_owned();
                if let Ok(bytes) = member.data(&*data) {
                    objects.push((format!("{}({name})", path.display()), bytes));
                }
            }
        }
        Err(_) => objects.push((path.display().to_string(), &data[..])),
    }
    for (object_name, bytes) in objects {
        let Ok(file) = object::File::parse(bytes) else {
            continue; // not an object: metadata, a linker script...
        };
        let layout = layout_of(&file);
        let compatible = match layout {
            Layout::Noted(abi) => abi == ours,
            Layout::Foreign => ours == VtableAbi::Absolute,
            Layout::Neutral => true,
        };
        if !compatible {
            return Ok(Some(format!("{object_name} has {}", layout.describe())));
        }
    }
    Ok(None)
}

/// The vtable layout `file` records or shows.
fn layout_of(file: &object::File<'_>) -> Layout {
    if let Some(section) = file.section_by_name(SECTION)
        && let Some(abi) = section.data().ok().and_then(read_note)
    {
        return Layout::Noted(abi);
    }
    if file.sections().any(|s| defines_vtable(file, &s)) {
        Layout::Foreign
    } else {
        Layout::Neutral
    }
}

/// The layout named by the first note of ours in a note section (the
/// section of a linked library holds one note per object).
fn read_note(data: &[u8]) -> Option<VtableAbi> {
    let notes = NoteIterator::<FileHeader64<Endianness>>::new(Endianness::Little, 4, data).ok()?;
    let mut notes = notes;
    while let Ok(Some(note)) = notes.next() {
        if note.name() == OWNER && note.n_type(Endianness::Little) == NOTE_TYPE {
            return match note.desc() {
                b"relative" => Some(VtableAbi::Relative),
                b"absolute" => Some(VtableAbi::Absolute),
                _ => None,
            };
        }
    }
    None
}

/// Whether `section` starts an absolute-layout vtable, or holds one at a
/// symbol (see the module documentation).
fn defines_vtable(file: &object::File<'_>, section: &object::Section<'_, '_>) -> bool {
    if !section.name().is_ok_and(|n| n.starts_with(".data.rel.ro")) {
        return false;
    }
    let Ok(data) = section.data() else {
        return false;
    };
    // Offsets of absolute 64-bit relocations, and whether each may point at
    // code (a function, an executable section or an undefined symbol).
    let mut relocs = std::collections::BTreeMap::new();
    for (offset, reloc) in section.relocations() {
        let absolute = matches!(reloc.flags(), RelocationFlags::Elf { r_type } if r_type == object::elf::R_X86_64_64);
        relocs.insert(offset, absolute && may_be_code(file, reloc.target()));
    }
    let word = |at: u64| -> Option<u64> {
        let bytes = data.get(at as usize..at as usize + 8)?;
        Some(u64::from_le_bytes(bytes.try_into().ok()?))
    };
    let index = section.index();
    let starts = std::iter::once(0).chain(
        file.symbols()
            .filter(|s| s.section_index() == Some(index))
            .map(|s| s.address() - section.address()),
    );
    let is_vtable_at = |start: u64| -> Option<bool> {
        let (size, align) = (word(start + 8)?, word(start + 16)?);
        let header_ok = !relocs.contains_key(&(start + 8))
            && !relocs.contains_key(&(start + 16))
            && align.is_power_of_two()
            && align <= 1 << 29
            && size % align == 0
            && match relocs.get(&start) {
                Some(&code) => code,
                None => word(start)? == 0,
            };
        let end = start + section.size().min(data.len() as u64);
        let has_function = relocs.range(start..end).any(|(_, &code)| code);
        Some(header_ok && has_function)
    };
    starts
        .into_iter()
        .any(|start| is_vtable_at(start).unwrap_or(false))
}

fn may_be_code(file: &object::File<'_>, target: RelocationTarget) -> bool {
    let RelocationTarget::Symbol(index) = target else {
        return false;
    };
    let Ok(symbol) = file.symbol_by_index(index) else {
        return false;
    };
    if symbol.is_undefined() || symbol.kind() == object::SymbolKind::Text {
        return true;
    }
    symbol
        .section_index()
        .and_then(|s| file.section_by_index(s).ok())
        .is_some_and(|s| s.kind() == SectionKind::Text)
}

#[cfg(test)]
mod tests {
    use object::write::{Object, Relocation, Symbol, SymbolSection};
    use object::{
        Architecture, BinaryFormat, Endianness, RelocationFlags, SectionKind, SymbolFlags,
        SymbolKind, SymbolScope,
    };

    use super::{Layout, VtableAbi, layout_of};

    fn empty() -> Object<'static> {
        Object::new(BinaryFormat::Elf, Architecture::X86_64, Endianness::Little)
    }

    fn layout(object: Object<'_>) -> Layout {
        let bytes = object.write().unwrap();
        layout_of(&object::File::parse(&*bytes).unwrap())
    }

    /// An object with a function and `data` in section `name`, with an
    /// absolute relocation to the function at each of `relocs`.
    fn with_data(name: &str, data: Vec<u8>, relocs: &[u64]) -> Object<'static> {
        let mut object = empty();
        let text = object.add_section(Vec::new(), b".text".to_vec(), SectionKind::Text);
        object.append_section_data(text, &[0xc3], 16);
        let func = object.add_symbol(Symbol {
            name: b"method".to_vec(),
            value: 0,
            size: 1,
            kind: SymbolKind::Text,
            scope: SymbolScope::Compilation,
            weak: false,
            section: SymbolSection::Section(text),
            flags: SymbolFlags::None,
        });
        let section = object.add_section(Vec::new(), name.as_bytes().to_vec(), SectionKind::Data);
        object.append_section_data(section, &data, 8);
        for &offset in relocs {
            let relocation = Relocation {
                offset,
                symbol: func,
                addend: 0,
                flags: RelocationFlags::Elf {
                    r_type: object::elf::R_X86_64_64,
                },
            };
            object.add_relocation(section, relocation).unwrap();
        }
        object
    }

    /// `[drop, size, align, method]` words.
    fn vtable_words(size: u64, align: u64) -> Vec<u8> {
        [0, size, align, 0]
            .iter()
            .flat_map(|w: &u64| w.to_le_bytes())
            .collect()
    }

    #[test]
    fn notes_round_trip() {
        for abi in [VtableAbi::Relative, VtableAbi::Absolute] {
            let mut object = empty();
            super::add(&mut object, abi);
            assert_eq!(layout(object), Layout::Noted(abi));
        }
    }

    #[test]
    fn absolute_vtables_without_note_are_foreign() {
        let object = with_data(".data.rel.ro..Lanon.1", vtable_words(24, 8), &[0, 24]);
        assert_eq!(layout(object), Layout::Foreign);
        // No drop glue: a zero drop word.
        let object = with_data(".data.rel.ro..Lanon.2", vtable_words(4, 4), &[24]);
        assert_eq!(layout(object), Layout::Foreign);
    }

    #[test]
    fn other_data_is_neutral() {
        // A writable function-pointer static.
        let object = with_data(".data.FUNC", vtable_words(24, 8), &[0, 24]);
        assert_eq!(layout(object), Layout::Neutral);
        // A table of function pointers (relocations at the size and align).
        let object = with_data(".data.rel.ro.table", vtable_words(24, 8), &[0, 8, 16, 24]);
        assert_eq!(layout(object), Layout::Neutral);
        // An align that is no power of two.
        let object = with_data(".data.rel.ro.x", vtable_words(24, 6), &[0, 24]);
        assert_eq!(layout(object), Layout::Neutral);
        assert_eq!(layout(empty()), Layout::Neutral);
    }
}

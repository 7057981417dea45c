//! gimli's DWARF sections into a unit's object: one non-allocated section
//! each, and an ELF relocation for every address (against the function's
//! symbol) and every offset into another DWARF section (against that
//! section), so the linker can merge the units' DWARF.

use std::collections::HashMap;

use cranelift_module::FuncId;
use cranelift_object::ObjectProduct;
use cranelift_object::object::write::{Relocation, SectionId as ObjectSectionId};
use cranelift_object::object::{RelocationEncoding, RelocationFlags, RelocationKind, SectionKind};
use gimli::write::{DwarfUnit, EndianVec, RelocateWriter, RelocationTarget, Sections};
use gimli::{RunTimeEndian, SectionId};

/// One DWARF section's bytes and the relocations gimli asked for.
#[derive(Clone)]
struct SectionWriter {
    data: EndianVec<RunTimeEndian>,
    relocations: Vec<gimli::write::Relocation>,
}

impl RelocateWriter for SectionWriter {
    type Writer = EndianVec<RunTimeEndian>;

    fn writer(&self) -> &Self::Writer {
        &self.data
    }

    fn writer_mut(&mut self) -> &mut Self::Writer {
        &mut self.data
    }

    fn relocate(&mut self, relocation: gimli::write::Relocation) {
        self.relocations.push(relocation);
    }
}

/// Writes `dwarf` into `product`'s object. Addresses gimli was given as
/// `Address::Symbol` carry a [`FuncId`] index.
pub(super) fn write(
    dwarf: &mut DwarfUnit,
    endian: RunTimeEndian,
    product: &mut ObjectProduct,
) -> Result<(), String> {
    let mut sections = Sections::new(SectionWriter {
        data: EndianVec::new(endian),
        relocations: Vec::new(),
    });
    dwarf
        .write(&mut sections)
        .map_err(|e| format!("cannot write DWARF: {e}"))?;

    let object = &mut product.object;
    let mut ids: HashMap<SectionId, ObjectSectionId> = HashMap::new();
    sections.for_each(|id, section| -> Result<(), String> {
        let data = section.data.slice();
        if data.is_empty() {
            return Ok(());
        }
        let kind = match id {
            SectionId::DebugStr | SectionId::DebugLineStr => SectionKind::DebugString,
            _ => SectionKind::Debug,
        };
        let object_id = object.add_section(Vec::new(), id.name().as_bytes().to_vec(), kind);
        object.set_section_data(object_id, data.to_vec(), 1);
        ids.insert(id, object_id);
        Ok(())
    })?;
    sections.for_each(|id, section| -> Result<(), String> {
        let Some(&object_id) = ids.get(&id) else {
            return Ok(());
        };
        for relocation in &section.relocations {
            let symbol = match relocation.target {
                RelocationTarget::Symbol(index) => {
                    let func = FuncId::from_u32(index as u32);
                    product.functions[func]
                        .ok_or_else(|| format!("DWARF refers to an undefined function {func}"))?
                        .0
                }
                RelocationTarget::Section(target) => {
                    let target = *ids.get(&target).ok_or_else(|| {
                        format!("DWARF refers to the empty section {}", target.name())
                    })?;
                    object.section_symbol(target)
                }
            };
            object
                .add_relocation(
                    object_id,
                    Relocation {
                        offset: relocation.offset as u64,
                        symbol,
                        addend: relocation.addend,
                        flags: RelocationFlags::Generic {
                            kind: RelocationKind::Absolute,
                            encoding: RelocationEncoding::Generic,
                            size: relocation.size * 8,
                        },
                    },
                )
                .map_err(|e| format!("cannot relocate {}: {e}", id.name()))?;
        }
        Ok(())
    })
}

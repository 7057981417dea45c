//! DWARF for host objects. With `-g` / `-Cdebuginfo=line-tables-only|1|2`
//! every codegen unit's object gets one compile unit holding a subprogram
//! entry (name, linkage name, address range, declaration line) per compiled
//! function and a line table mapping each function's machine code back to
//! the Rust source lines it was lowered from, so debuggers and symbolizers
//! see `file:line`. The DWARF is written with gimli's writer,
//! the maintained DWARF library Cranelift itself uses; [`sections`] turns
//! its output into relocatable object sections.

mod line_rows;
mod sections;

use cranelift_codegen::CompiledCode;
use cranelift_object::ObjectProduct;
use gimli::write::{Address, AttributeValue, DwarfUnit, LineProgram, Range, RangeList};
use gimli::{Encoding, Format, LineEncoding, RunTimeEndian};
use rustc_middle::ty::{Instance, TyCtxt};
use rustc_session::config::DebugInfo;
use rustc_span::{RemapPathScopeComponents, Span};

use self::line_rows::FileTable;
use crate::lower::Lowered;

/// The DWARF of one codegen unit, filled function by function.
pub(crate) struct DebugContext {
    dwarf: DwarfUnit,
    files: FileTable,
    endian: RunTimeEndian,
    /// The address range of every function described, for the unit's
    /// `DW_AT_ranges`.
    ranges: Vec<Range>,
}

impl DebugContext {
    /// The DWARF context for unit `cgu_name`, or `None` when the session
    /// asks for no debug information.
    pub(crate) fn new(tcx: TyCtxt<'_>, cgu_name: &str) -> Option<DebugContext> {
        let sess = tcx.sess;
        if matches!(sess.opts.debuginfo, DebugInfo::None) {
            return None;
        }
        let encoding = Encoding {
            format: Format::Dwarf32,
            // rustc accepts -Zdwarf-version=2..=5, all of which gimli writes.
            version: u16::try_from(sess.dwarf_version()).unwrap_or(4),
            address_size: sess.target.pointer_width.div_ceil(8) as u8,
        };
        let mut dwarf = DwarfUnit::new(encoding);
        let source_map = sess.source_map();
        let comp_dir = source_map
            .working_dir()
            .path(RemapPathScopeComponents::DEBUGINFO)
            .to_string_lossy()
            .into_owned();
        let crate_file = sess
            .local_crate_source_file()
            .map(|file| {
                file.path(RemapPathScopeComponents::DEBUGINFO)
                    .to_string_lossy()
                    .into_owned()
            })
            .unwrap_or_else(|| tcx.crate_name(rustc_span::def_id::LOCAL_CRATE).to_string());
        let files = FileTable::new(encoding, comp_dir.clone());
        let comp_dir_line = files.line_string(&mut dwarf, &comp_dir);
        let crate_file_line = files.line_string(&mut dwarf, &crate_file);
        dwarf.unit.line_program = LineProgram::new(
            encoding,
            LineEncoding::default(),
            comp_dir_line,
            None,
            crate_file_line,
            None,
        );

        let producer = format!(
            "rustc version {} (rustc_codegen_bpf {})",
            sess.cfg_version,
            env!("CARGO_PKG_VERSION")
        );
        let name = format!("{crate_file}/@/{cgu_name}");
        let strings = [
            (gimli::DW_AT_producer, producer),
            (gimli::DW_AT_name, name),
            (gimli::DW_AT_comp_dir, comp_dir),
        ];
        let root = dwarf.unit.root();
        for (attr, value) in strings {
            let id = dwarf.strings.add(value);
            dwarf
                .unit
                .get_mut(root)
                .set(attr, AttributeValue::StringRef(id));
        }
        let root_entry = dwarf.unit.get_mut(root);
        root_entry.set(
            gimli::DW_AT_language,
            AttributeValue::Language(gimli::DW_LANG_Rust),
        );
        root_entry.set(
            gimli::DW_AT_low_pc,
            AttributeValue::Address(Address::Constant(0)),
        );
        Some(DebugContext {
            dwarf,
            files,
            endian: match sess.target.endian {
                rustc_abi::Endian::Little => RunTimeEndian::Little,
                rustc_abi::Endian::Big => RunTimeEndian::Big,
            },
            ranges: Vec::new(),
        })
    }

    /// Describes the function `instance`, just lowered into `lowered` and
    /// compiled into `code`.
    pub(crate) fn add_function<'tcx>(
        &mut self,
        tcx: TyCtxt<'tcx>,
        instance: Instance<'tcx>,
        lowered: &Lowered<'tcx>,
        code: &CompiledCode,
    ) {
        let size = u64::from(code.code_info().total_size);
        let start = Address::Symbol {
            symbol: lowered.func_id.as_u32() as usize,
            addend: 0,
        };
        let fn_span = tcx.instance_mir(instance.def).span;
        self.add_subprogram(tcx, instance, fn_span, start, size);
        self.files
            .add_sequence(&mut self.dwarf, tcx, fn_span, lowered, code, start);
        self.ranges.push(Range::StartLength {
            begin: start,
            length: size,
        });
    }

    /// The `DW_TAG_subprogram` entry of a function starting at `start`.
    fn add_subprogram<'tcx>(
        &mut self,
        tcx: TyCtxt<'tcx>,
        instance: Instance<'tcx>,
        fn_span: Span,
        start: Address,
        size: u64,
    ) {
        let def_id = instance.def_id();
        let name = tcx
            .def_path(def_id)
            .data
            .last()
            .map(|data| data.as_sym(true).to_string())
            .unwrap_or_else(|| tcx.crate_name(def_id.krate).to_string());
        let linkage_name = tcx.symbol_name(instance).name.to_string();
        let (file, line) = self.files.position(&mut self.dwarf, tcx, fn_span);
        let root = self.dwarf.unit.root();
        let id = self.dwarf.unit.add(root, gimli::DW_TAG_subprogram);
        let name = self.dwarf.strings.add(name);
        let linkage_name = self.dwarf.strings.add(linkage_name);
        let entry = self.dwarf.unit.get_mut(id);
        entry.set(gimli::DW_AT_name, AttributeValue::StringRef(name));
        entry.set(
            gimli::DW_AT_linkage_name,
            AttributeValue::StringRef(linkage_name),
        );
        entry.set(
            gimli::DW_AT_decl_file,
            AttributeValue::FileIndex(Some(file)),
        );
        entry.set(gimli::DW_AT_decl_line, AttributeValue::Udata(line));
        entry.set(gimli::DW_AT_low_pc, AttributeValue::Address(start));
        entry.set(gimli::DW_AT_high_pc, AttributeValue::Udata(size));
    }

    /// Writes the DWARF sections into the unit's object, with relocations
    /// against the functions' symbols and between the sections.
    pub(crate) fn emit(mut self, product: &mut ObjectProduct) -> Result<(), String> {
        let ranges = self.dwarf.unit.ranges.add(RangeList(self.ranges));
        let root = self.dwarf.unit.root();
        self.dwarf
            .unit
            .get_mut(root)
            .set(gimli::DW_AT_ranges, AttributeValue::RangeListRef(ranges));
        sections::write(&mut self.dwarf, self.endian, product)
    }
}

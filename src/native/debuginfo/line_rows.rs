//! Source positions in DWARF terms: the line program's file table (one entry
//! per Rust source file, named as rustc's LLVM backend names it) and the line
//! table rows of one function, from the source locations Cranelift kept for
//! its machine code.

use crate::lower::Lowered;
use cranelift_codegen::CompiledCode;
use gimli::Encoding;
use gimli::write::{Address, DwarfUnit, FileId, LineString};
use rustc_data_structures::fx::FxHashMap;
use rustc_middle::ty::TyCtxt;
use rustc_span::{FileName, RemapPathScopeComponents, SourceFile, Span, StableSourceFileId};

/// A file, line and column, as a line table row holds them.
type Position = (FileId, u64, u64);

/// The files of a unit's line program, by rustc source file.
pub(super) struct FileTable {
    encoding: Encoding,
    /// The unit's `DW_AT_comp_dir`: files under it are named relative to it.
    comp_dir: String,
    files: FxHashMap<StableSourceFileId, FileId>,
}

impl FileTable {
    pub(super) fn new(encoding: Encoding, comp_dir: String) -> FileTable {
        FileTable {
            encoding,
            comp_dir,
            files: FxHashMap::default(),
        }
    }

    /// A string of the line program's header: in `.debug_line_str` for
    /// DWARF 5, inline before.
    pub(super) fn line_string(&self, dwarf: &mut DwarfUnit, text: &str) -> LineString {
        if self.encoding.version >= 5 {
            LineString::LineStringRef(dwarf.line_strings.add(text))
        } else {
            LineString::String(text.as_bytes().to_vec())
        }
    }

    /// The file and line where `span` starts.
    pub(super) fn position(
        &mut self,
        dwarf: &mut DwarfUnit,
        tcx: TyCtxt<'_>,
        span: Span,
    ) -> (FileId, u64) {
        let (file, line, _) = self.location(dwarf, tcx, span, span);
        (file, line)
    }

    /// Where an instruction lowered from `span` of the function whose body
    /// spans `fn_span` is attributed: macro expansions collapse to their
    /// call site inside the function as rustc's LLVM backend does them
    /// (unless the macro asks to be stepped into); code inlined by MIR keeps
    /// its own source position, as in LLVM's line tables.
    fn location(
        &mut self,
        dwarf: &mut DwarfUnit,
        tcx: TyCtxt<'_>,
        span: Span,
        fn_span: Span,
    ) -> Position {
        let span = if span.is_dummy() {
            fn_span
        } else {
            rustc_span::hygiene::walk_chain_collapsed(span, fn_span)
        };
        let loc = tcx.sess.source_map().lookup_char_pos(span.lo());
        let file = self.file_id(dwarf, &loc.file);
        (file, loc.line as u64, loc.col.0 as u64 + 1)
    }

    fn file_id(&mut self, dwarf: &mut DwarfUnit, file: &SourceFile) -> FileId {
        if let Some(&id) = self.files.get(&file.stable_id) {
            return id;
        }
        let (directory, name) = match &file.name {
            FileName::Real(real) => {
                let (working_dir, path) = real.embeddable_name(RemapPathScopeComponents::DEBUGINFO);
                match path.strip_prefix(working_dir) {
                    Ok(relative) => (
                        working_dir.to_string_lossy().into_owned(),
                        relative.to_string_lossy().into_owned(),
                    ),
                    Err(_) => (String::new(), path.to_string_lossy().into_owned()),
                }
            }
            other => (
                String::new(),
                other
                    .display(RemapPathScopeComponents::DEBUGINFO)
                    .to_string(),
            ),
        };
        // The line program refuses empty names and NUL bytes.
        let name = match name.replace('\0', "") {
            name if name.is_empty() => "<unknown>".to_string(),
            name => name,
        };
        let program_dir = if directory.is_empty() || directory == self.comp_dir {
            dwarf.unit.line_program.default_directory()
        } else {
            let directory = self.line_string(dwarf, &directory.replace('\0', ""));
            dwarf.unit.line_program.add_directory(directory)
        };
        let name = self.line_string(dwarf, &name);
        let id = dwarf.unit.line_program.add_file(name, program_dir, None);
        self.files.insert(file.stable_id, id);
        id
    }
}

impl FileTable {
    /// Adds the line table sequence of one function, compiled into `code`
    /// at `start`. Code before the first located instruction (the prologue)
    /// is attributed to the function's own span; code between located
    /// stretches keeps the row before it.
    pub(super) fn add_sequence(
        &mut self,
        dwarf: &mut DwarfUnit,
        tcx: TyCtxt<'_>,
        fn_span: Span,
        lowered: &Lowered<'_>,
        code: &CompiledCode,
        start: Address,
    ) {
        let size = u64::from(code.code_info().total_size);
        let srclocs = code.buffer.get_srclocs_sorted();
        let fn_position = self.location(dwarf, tcx, fn_span, fn_span);
        dwarf.unit.line_program.begin_sequence(Some(start));
        let mut last: Option<Position> = None;
        let first_located = srclocs.first().map_or(u64::MAX, |s| u64::from(s.start));
        if first_located > 0 && size > 0 {
            emit_row(dwarf, 0, fn_position, false);
            last = Some(fn_position);
        }
        for srcloc in srclocs {
            let position = match lowered.span_of(srcloc.loc) {
                Some(span) => self.location(dwarf, tcx, span, fn_span),
                None => fn_position,
            };
            if last != Some(position) {
                emit_row(dwarf, u64::from(srcloc.start), position, last.is_some());
                last = Some(position);
            }
        }
        dwarf.unit.line_program.end_sequence(size);
    }
}

fn emit_row(
    dwarf: &mut DwarfUnit,
    offset: u64,
    (file, line, column): Position,
    prologue_end: bool,
) {
    let program = &mut dwarf.unit.line_program;
    let row = program.row();
    row.address_offset = offset;
    row.file = file;
    row.line = line;
    row.column = column;
    row.prologue_end = prologue_end;
    program.generate_row();
}

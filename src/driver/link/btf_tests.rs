//! The linked object's BTF: a program with a BTF-defined map in `.maps`,
//! a static subprogram from another object and a dead function, linked,
//! read back, dumped by `bpftool btf dump` and loaded with libbpf
//! (`bpftool prog loadall`), whose translated dump shows the source lines.

use std::path::Path;
use std::process::Command;

use cranelift_module::{Linkage, Module};

use super::link_bpf;
use crate::bpf::module::BpfModule;
use crate::bpf::object::tests::{define_bytes, insn, return_const, scratch, signature, target};
use crate::bpf::{CodeReloc, CodeRelocKind, CompiledFunction};
use crate::btf::read::{read_btf, read_ext};
use crate::btf::types::{Btf, IntEncoding, Kind, Linkage as BtfLinkage, Member, Param, TypeId};
use crate::btf::{FunctionDebug, SourceLine};

fn uint(btf: &mut Btf, size: u32) -> TypeId {
    btf.named(
        &format!("u{}", size * 8),
        Kind::Int {
            size,
            encoding: IntEncoding::Unsigned,
            bits: (size * 8) as u8,
        },
    )
    .unwrap()
}

/// `struct ArrayMap { type: *[i32; 2], max_entries: *[i32; 1], key: *u32,
/// value: *u64 }`, libbpf's `__uint`/`__type` shape.
fn array_map_type(btf: &mut Btf) -> TypeId {
    let int = btf
        .named(
            "i32",
            Kind::Int {
                size: 4,
                encoding: IntEncoding::Signed,
                bits: 32,
            },
        )
        .unwrap();
    let index = uint(btf, 4);
    let uint_ptr = |btf: &mut Btf, n| {
        let array = btf
            .anon(Kind::Array {
                elem: int,
                index,
                len: n,
            })
            .unwrap();
        btf.anon(Kind::Ptr(array)).unwrap()
    };
    let map_type = uint_ptr(btf, 2);
    let max_entries = uint_ptr(btf, 1);
    let u32_ = uint(btf, 4);
    let key = btf.anon(Kind::Ptr(u32_)).unwrap();
    let u64_ = uint(btf, 8);
    let value = btf.anon(Kind::Ptr(u64_)).unwrap();
    let members = [
        ("type", map_type),
        ("max_entries", max_entries),
        ("key", key),
        ("value", value),
    ]
    .iter()
    .enumerate()
    .map(|(i, &(name, ty))| Member {
        name: name.into(),
        ty,
        bit_offset: 64 * i as u32,
        bitfield_size: 0,
    })
    .collect();
    btf.named("ArrayMap", Kind::Struct { size: 32, members })
        .unwrap()
}

fn line(line: u32, text: &str) -> SourceLine {
    SourceLine {
        file: "prog.rs".into(),
        text: text.into(),
        line,
        col: 5,
    }
}

/// The program: calls `helper`, looks up key 0 of `COUNTS`, returns 2.
fn program_object() -> std::path::PathBuf {
    let mut module = BpfModule::new(target(false), "prog");
    let sig = signature();
    let prog = module
        .declare_function("xdp_prog", Linkage::Export, &sig)
        .unwrap();
    module
        .declare_function("helper", Linkage::Import, &sig)
        .unwrap();
    let code = [
        insn(0x85, 0, 1, 0, -1, false),  // call helper
        insn(0x62, 10, 0, -4, 0, false), // *(u32 *)(r10 - 4) = 0
        insn(0xbf, 2, 10, 0, 0, false),  // r2 = r10
        insn(0x07, 2, 0, 0, -4, false),  // r2 += -4
        insn(0x18, 1, 0, 0, 0, false),   // r1 = COUNTS ll
        insn(0, 0, 0, 0, 0, false),
        insn(0x85, 0, 0, 0, 1, false), // call bpf_map_lookup_elem
        insn(0xb7, 0, 0, 0, 2, false), // r0 = 2
        insn(0x95, 0, 0, 0, 0, false), // exit
    ]
    .concat();
    let compiled = CompiledFunction {
        code,
        relocs: vec![
            CodeReloc {
                offset: 0,
                kind: CodeRelocKind::Call,
                symbol: "helper".into(),
                addend: 0,
            },
            CodeReloc {
                offset: 32,
                kind: CodeRelocKind::LdImm64,
                symbol: "COUNTS".into(),
                addend: 0,
            },
        ],
        frame_size: 8,
        ..Default::default()
    };
    module
        .define_compiled(prog, Some("xdp"), compiled, vec![])
        .unwrap();
    let map = array_map_type(module.btf_mut());
    let u32_ = uint(module.btf_mut(), 4);
    let proto = module
        .btf_mut()
        .anon(Kind::FuncProto {
            ret: u32_,
            params: vec![Param {
                name: "ctx".into(),
                ty: u32_,
            }],
            variadic: false,
        })
        .unwrap();
    module.set_function_debug(
        prog,
        FunctionDebug {
            name: "xdp_prog".into(),
            proto,
            lines: vec![
                (0, line(3, "helper();")),
                (8, line(4, "let counts = COUNTS.get(0);")),
                (56, line(5, "2")),
            ],
            core_relos: Vec::new(),
        },
    );
    define_bytes(
        &mut module,
        "COUNTS",
        Linkage::Export,
        true,
        Some(".maps"),
        &[0; 32],
    );
    module.set_data_type("COUNTS", map);
    define_bytes(
        &mut module,
        "LICENSE",
        Linkage::Export,
        false,
        Some("license"),
        b"GPL\0",
    );
    let license = module
        .btf_mut()
        .anon(Kind::Array {
            elem: u32_,
            index: u32_,
            len: 1,
        })
        .unwrap();
    module.set_data_type("LICENSE", license);
    let path = scratch("btf-prog.o");
    std::fs::write(&path, module.finish()).unwrap();
    path
}

/// `helper` (kept) and `dead` (dropped), both described only by their
/// signatures, and a typed global only `dead` uses.
fn library_object() -> std::path::PathBuf {
    let mut module = BpfModule::new(target(false), "lib");
    let sig = signature();
    for name in ["helper", "dead"] {
        let id = module
            .declare_function(name, Linkage::Export, &sig)
            .unwrap();
        let body = CompiledFunction {
            code: return_const(1, false),
            ..Default::default()
        };
        module.define_compiled(id, None, body, vec![]).unwrap();
    }
    let path = scratch("btf-lib.o");
    std::fs::write(&path, module.finish()).unwrap();
    path
}

fn section<'a>(elf: &'a [u8], name: &str) -> &'a [u8] {
    use object::{Object as _, ObjectSection as _};
    let file = object::File::parse(elf).unwrap();
    file.section_by_name(name).unwrap().data().unwrap()
}

#[test]
fn linked_btf_describes_kept_functions_and_maps_and_loads() {
    let output = scratch("btf-linked.o");
    link_bpf(&[program_object(), library_object()], &[], &output, false).unwrap();
    let elf = std::fs::read(&output).unwrap();
    let btf = read_btf(section(&elf, ".BTF")).unwrap();
    let ext = read_ext(section(&elf, ".BTF.ext"), &btf).unwrap();
    let btf = btf.btf;
    let named = |name: &str| {
        btf.types()
            .iter()
            .position(|t| t.name == name)
            .map(|i| (i as u32 + 1, &btf.types()[i].kind))
    };
    // Functions: the program global, the helper static, `dead` gone.
    let (prog, prog_kind) = named("xdp_prog").unwrap();
    assert!(matches!(
        prog_kind,
        Kind::Func {
            linkage: BtfLinkage::Global,
            ..
        }
    ));
    let (helper, helper_kind) = named("helper").unwrap();
    assert!(matches!(
        helper_kind,
        Kind::Func {
            linkage: BtfLinkage::Static,
            ..
        }
    ));
    assert!(named("dead").is_none());
    // func_info: one per function at its first instruction, in bytes.
    let funcs: Vec<_> = ext
        .funcs
        .iter()
        .map(|f| (f.section.as_str(), f.insn_off, f.func))
        .collect();
    assert_eq!(funcs, [(".text", 0, helper), ("xdp", 0, prog)]);
    let lines: Vec<_> = ext
        .lines
        .iter()
        .map(|l| (l.section.as_str(), l.insn_off, l.line))
        .collect();
    assert_eq!(
        lines,
        [
            (".text", 0, 0),
            ("xdp", 0, 3),
            ("xdp", 8, 4),
            ("xdp", 56, 5)
        ]
    );
    // `.maps` and `license` DATASECs with their VARs.
    let (_, maps) = named(".maps").unwrap();
    let Kind::Datasec { size: 32, vars } = maps else {
        panic!("{maps:?}");
    };
    assert_eq!((vars[0].offset, vars[0].size), (0, 32));
    assert_eq!(btf.get(vars[0].var).unwrap().name, "COUNTS");
    assert!(named("license").is_some());
    // One `u32` although both objects have one.
    assert_eq!(btf.types().iter().filter(|t| t.name == "u32").count(), 1);

    let dump = bpftool(&["btf", "dump", "file"], &output).unwrap();
    assert!(dump.contains("FUNC 'xdp_prog' type_id="), "{dump}");
    assert!(dump.contains("DATASEC '.maps' size=32 vlen=1"), "{dump}");
    load_and_dump(&output);
}

/// Runs bpftool on `path`; `None` when bpftool cannot run.
fn bpftool(args: &[&str], path: &Path) -> Option<String> {
    let out = Command::new("bpftool").args(args).arg(path).output().ok()?;
    assert!(
        out.status.success(),
        "bpftool {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Loads `path` with libbpf, pinned under a name of this process, checks
/// the source lines in the translated dump, and removes the pins.
fn load_and_dump(path: &Path) {
    let root = std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
    });
    if !root {
        eprintln!("skipped loading: needs root and bpftool");
        return;
    }
    let pin = format!("/sys/fs/bpf/rcgb_btf_{}", std::process::id());
    let out = Command::new("bpftool")
        .args(["prog", "loadall"])
        .arg(path)
        .arg(&pin)
        .output()
        .unwrap();
    let dump = Command::new("bpftool")
        .args(["prog", "dump", "xlated", "pinned"])
        .arg(format!("{pin}/xdp_prog"))
        .arg("linum")
        .output();
    let _ = std::fs::remove_dir_all(&pin);
    assert!(
        out.status.success(),
        "libbpf refused the object: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump = String::from_utf8_lossy(&dump.unwrap().stdout).into_owned();
    assert!(
        dump.contains("; let counts = COUNTS.get(0); [file:prog.rs line_num:4"),
        "{dump}"
    );
}

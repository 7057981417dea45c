//! Tests of the ELF writer through [`crate::bpf::module::BpfModule`], and
//! helpers other object tests share: instruction encoding, disassembly with
//! rustc's bundled `llvm-objdump`, and loading with `bpftool`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use cranelift_codegen::ir::{AbiParam, Signature, SourceLoc, types};
use cranelift_codegen::isa::CallConv;
use cranelift_module::{DataDescription, Linkage, Module};

use crate::bpf::module::BpfModule;
use crate::bpf::{BpfTarget, CodeReloc, CodeRelocKind, CompiledFunction, Cpu, Problem};

/// Encodes one instruction in the given byte order.
pub(crate) fn insn(op: u8, dst: u8, src: u8, off: i16, imm: i32, big_endian: bool) -> [u8; 8] {
    let mut out = [0; 8];
    out[0] = op;
    if big_endian {
        out[1] = (dst << 4) | src;
        out[2..4].copy_from_slice(&off.to_be_bytes());
        out[4..8].copy_from_slice(&imm.to_be_bytes());
    } else {
        out[1] = (src << 4) | dst;
        out[2..4].copy_from_slice(&off.to_le_bytes());
        out[4..8].copy_from_slice(&imm.to_le_bytes());
    }
    out
}

/// `r0 = value; exit`.
pub(crate) fn return_const(value: i32, big_endian: bool) -> Vec<u8> {
    [
        insn(0xb7, 0, 0, 0, value, big_endian),
        insn(0x95, 0, 0, 0, 0, big_endian),
    ]
    .concat()
}

/// `call <symbol>; exit` with the call relocated.
pub(crate) fn call_then_exit(symbol: &str, big_endian: bool) -> CompiledFunction {
    CompiledFunction {
        code: [
            insn(0x85, 0, 1, 0, 0, big_endian),
            insn(0x95, 0, 0, 0, 0, big_endian),
        ]
        .concat(),
        relocs: vec![CodeReloc {
            offset: 0,
            kind: CodeRelocKind::Call,
            symbol: symbol.to_string(),
            addend: 0,
        }],
        frame_size: 0,
        ..Default::default()
    }
}

/// `r1 = &symbol ll; r0 = *(u32 *)(r1 + 0); exit`.
pub(crate) fn load_u32_of(symbol: &str, big_endian: bool) -> CompiledFunction {
    CompiledFunction {
        code: [
            insn(0x18, 1, 0, 0, 0, big_endian),
            insn(0, 0, 0, 0, 0, big_endian),
            insn(0x61, 0, 1, 0, 0, big_endian),
            insn(0x95, 0, 0, 0, 0, big_endian),
        ]
        .concat(),
        relocs: vec![CodeReloc {
            offset: 0,
            kind: CodeRelocKind::LdImm64,
            symbol: symbol.to_string(),
            addend: 0,
        }],
        ..Default::default()
    }
}

/// A path for a scratch file of this test run.
pub(crate) fn scratch(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("rcgb-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir.join(format!("{n}-{name}"))
}

/// `llvm-objdump -d -r` of `path`; fails the test on any complaint.
pub(crate) fn objdump(path: &Path) -> String {
    let sysroot = Command::new("rustc")
        .args(["+nightly-2026-05-20", "--print", "sysroot"])
        .output()
        .expect("rustc --print sysroot");
    let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_string();
    let tool = Path::new(&sysroot).join("lib/rustlib/x86_64-unknown-linux-gnu/bin/llvm-objdump");
    let out = Command::new(tool)
        .args(["-d", "-r", "-t", "-h"])
        .arg(path)
        .output()
        .expect("llvm-objdump runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "llvm-objdump: {stderr}"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Loads every program of `path` with `bpftool prog loadall`. Returns
/// `None` (the caller says why it skipped) when not root or bpftool is
/// missing, otherwise bpftool's verdict.
pub(crate) fn bpftool_load(path: &Path) -> Option<Result<(), String>> {
    let is_root = std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    if !is_root || Command::new("bpftool").arg("version").output().is_err() {
        eprintln!("skipped loading {}: needs root and bpftool", path.display());
        return None;
    }
    let pin = format!(
        "/sys/fs/bpf/rcgb-test-{}-{}",
        std::process::id(),
        path.file_name()?.to_string_lossy().replace('.', "_")
    );
    let out = Command::new("bpftool")
        .args(["prog", "loadall"])
        .arg(path)
        .arg(&pin)
        .output()
        .ok()?;
    let _ = std::fs::remove_dir_all(&pin);
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    })
}

pub(crate) fn target(big_endian: bool) -> BpfTarget {
    BpfTarget {
        cpu: Cpu::V3,
        big_endian,
    }
}

pub(crate) fn signature() -> Signature {
    let mut sig = Signature::new(CallConv::SystemV);
    sig.returns.push(AbiParam::new(types::I32));
    sig
}

pub(crate) fn define_bytes(
    module: &mut BpfModule,
    name: &str,
    linkage: Linkage,
    writable: bool,
    section: Option<&str>,
    bytes: &[u8],
) {
    let id = module.declare_data(name, linkage, writable, false).unwrap();
    let mut data = DataDescription::new();
    data.define(bytes.into());
    if let Some(section) = section {
        data.set_segment_section("", section);
    }
    module.define_data(id, &data).unwrap();
}

/// An XDP object: two programs, a static subprogram, `.rodata`, `.data`,
/// `.bss` and a license.
pub(crate) fn sample_object(big_endian: bool) -> Vec<u8> {
    let mut module = BpfModule::new(target(big_endian), "sample");
    let sig = signature();
    let prog = module
        .declare_function("xdp_pass", Linkage::Export, &sig)
        .unwrap();
    let reader = module
        .declare_function("xdp_read", Linkage::Export, &sig)
        .unwrap();
    let two = module
        .declare_function("helper_two", Linkage::Local, &sig)
        .unwrap();
    module
        .define_compiled(
            prog,
            Some("xdp"),
            call_then_exit("helper_two", big_endian),
            vec![],
        )
        .unwrap();
    module
        .define_compiled(
            reader,
            Some("xdp"),
            load_u32_of("VALUE", big_endian),
            vec![],
        )
        .unwrap();
    let helper = CompiledFunction {
        code: return_const(2, big_endian),
        frame_size: 16,
        ..Default::default()
    };
    module.define_compiled(two, None, helper, vec![]).unwrap();
    define_bytes(
        &mut module,
        "LICENSE",
        Linkage::Export,
        false,
        Some("license"),
        b"GPL\0",
    );
    let value = if big_endian {
        2u32.to_be_bytes()
    } else {
        2u32.to_le_bytes()
    };
    define_bytes(&mut module, "VALUE", Linkage::Export, false, None, &value);
    define_bytes(
        &mut module,
        "COUNTER",
        Linkage::Export,
        true,
        None,
        &[1, 0, 0, 0],
    );
    let zero = module
        .declare_data("ZERO", Linkage::Local, true, false)
        .unwrap();
    let mut data = DataDescription::new();
    data.define_zeroinit(8);
    module.define_data(zero, &data).unwrap();
    module.finish()
}

#[test]
fn sample_object_disassembles_and_loads() {
    for big_endian in [false, true] {
        let bytes = sample_object(big_endian);
        let path = scratch(if big_endian {
            "sample-eb.o"
        } else {
            "sample-el.o"
        });
        std::fs::write(&path, &bytes).unwrap();
        let dump = objdump(&path);
        assert!(dump.contains("R_BPF_64_32\t.text"), "{dump}");
        assert!(dump.contains("R_BPF_64_64\tVALUE"), "{dump}");
        assert!(dump.contains(" .bss ") && dump.contains("BSS"), "{dump}");
        let parsed = read_function_notes(&bytes).unwrap();
        assert_eq!(parsed.len(), 3);
        assert_eq!(
            parsed
                .iter()
                .find(|n| n.name == "helper_two")
                .unwrap()
                .frame_size,
            16
        );
        if !big_endian && let Some(result) = bpftool_load(&path) {
            result.unwrap();
        }
    }
}

#[test]
fn calls_to_globals_use_minus_one_and_static_calls_the_section_offset() {
    let mut module = BpfModule::new(target(false), "calls");
    let sig = signature();
    let first = module
        .declare_function("first", Linkage::Local, &sig)
        .unwrap();
    let second = module
        .declare_function("second", Linkage::Local, &sig)
        .unwrap();
    let global = module
        .declare_function("global", Linkage::Export, &sig)
        .unwrap();
    let caller = module
        .declare_function("caller", Linkage::Export, &sig)
        .unwrap();
    let external = module
        .declare_function("external", Linkage::Import, &sig)
        .unwrap();
    let _ = external;
    for id in [first, second, global] {
        let f = CompiledFunction {
            code: return_const(0, false),
            ..Default::default()
        };
        module.define_compiled(id, None, f, vec![]).unwrap();
    }
    let mut code = Vec::new();
    let mut relocs = Vec::new();
    for (i, callee) in ["second", "global", "external"].iter().enumerate() {
        code.extend(insn(0x85, 0, 1, 0, 0, false));
        relocs.push(CodeReloc {
            offset: 8 * i as u32,
            kind: CodeRelocKind::Call,
            symbol: callee.to_string(),
            addend: 0,
        });
    }
    code.extend(insn(0x95, 0, 0, 0, 0, false));
    let problems = vec![Problem {
        offset: 0,
        srcloc: SourceLoc::default(),
        message: "indirect call".into(),
    }];
    let f = CompiledFunction {
        code,
        relocs,
        problems,
        ..Default::default()
    };
    module
        .define_compiled(caller, Some("xdp"), f, vec!["a.rs:1:2".into()])
        .unwrap();
    let bytes = module.finish();
    let path = scratch("calls.o");
    std::fs::write(&path, &bytes).unwrap();
    let dump = objdump(&path);
    // `second` is 16 bytes into `.text`: imm = 16 / 8 - 1 = 1.
    assert!(dump.contains("call 0x1\n"), "{dump}");
    assert!(dump.contains("R_BPF_64_32\tglobal"), "{dump}");
    assert!(dump.contains("R_BPF_64_32\texternal"), "{dump}");
    assert!(dump.contains("call -0x1"), "{dump}");
    let notes = read_function_notes(&bytes).unwrap();
    let caller = notes.iter().find(|n| n.name == "caller").unwrap();
    assert_eq!(caller.problems[0].site, "a.rs:1:2");
    assert_eq!(caller.problems[0].message, "indirect call");
}

#[test]
fn bad_definitions_are_errors() {
    let mut module = BpfModule::new(target(false), "bad");
    let tls = module
        .declare_data("TLS", Linkage::Export, true, true)
        .unwrap();
    let mut data = DataDescription::new();
    data.define(vec![0; 4].into());
    let err = module.define_data(tls, &data).unwrap_err().to_string();
    assert!(err.contains("TLS"), "{err}");
    let f = module
        .declare_function("f", Linkage::Export, &signature())
        .unwrap();
    let compiled = CompiledFunction {
        code: return_const(0, false),
        ..Default::default()
    };
    module
        .define_compiled(f, Some(".data"), compiled.clone(), vec![])
        .unwrap();
    let err = module
        .define_compiled(f, None, compiled, vec![])
        .unwrap_err();
    assert!(err.to_string().contains('f'), "{err}");
    let d = module
        .declare_data("D", Linkage::Export, true, false)
        .unwrap();
    // Non-zero, so that it belongs in `.data` (all-zero data goes to `.bss`).
    let mut data = DataDescription::new();
    data.define(vec![1; 4].into());
    let err = module.define_data(d, &data).unwrap_err().to_string();
    assert!(err.contains("`.data`"), "{err}");
}

/// The [`FunctionNote`]s of an ELF object, empty when it has none.
fn read_function_notes(elf: &[u8]) -> Result<Vec<crate::bpf::object::FunctionNote>, String> {
    use object::{Object as _, ObjectSection as _};
    let file = object::File::parse(elf).map_err(|e| format!("not an ELF object: {e}"))?;
    match file.section_by_name(crate::bpf::object::FUNCS_NOTE_SECTION) {
        Some(section) => {
            let bytes = section
                .data()
                .map_err(|e| format!("unreadable the function notes: {e}"))?;
            crate::bpf::object::decode_function_notes(bytes)
        }
        None => Ok(Vec::new()),
    }
}

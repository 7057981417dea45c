//! Links hand-made objects and an archive, then disassembles and loads the
//! result; and checks each link-time error.

use std::path::PathBuf;
use std::process::Command;

use cranelift_module::{Linkage, Module};

use super::link_bpf;
use crate::bpf::module::BpfModule;
use crate::bpf::object::tests::{
    bpftool_load, call_then_exit, define_bytes, insn, load_u32_of, objdump, return_const, scratch,
    signature, target,
};
use crate::bpf::{CompiledFunction, Problem};

/// A function for a test module: (name, linkage, section, body).
type Def<'a> = (&'a str, Linkage, Option<&'a str>, CompiledFunction);

fn object(name: &str, defs: Vec<Def<'_>>, imports: &[&str], license: bool) -> PathBuf {
    let mut module = BpfModule::new(target(false), name);
    let sig = signature();
    for import in imports {
        module
            .declare_function(import, Linkage::Import, &sig)
            .unwrap();
    }
    let ids: Vec<_> = defs
        .iter()
        .map(|(name, linkage, ..)| module.declare_function(name, *linkage, &sig).unwrap())
        .collect();
    for (id, (_, _, section, body)) in ids.into_iter().zip(defs) {
        let sites = body
            .problems
            .iter()
            .map(|_| "lib.rs:7:5".to_string())
            .collect();
        module.define_compiled(id, section, body, sites).unwrap();
    }
    if license {
        define_bytes(
            &mut module,
            "LICENSE",
            Linkage::Export,
            false,
            Some("license"),
            b"GPL\0",
        );
        define_bytes(
            &mut module,
            "VALUE",
            Linkage::Local,
            false,
            None,
            &[2, 0, 0, 0],
        );
    }
    let path = scratch(&format!("{name}.o"));
    std::fs::write(&path, module.finish()).unwrap();
    path
}

fn ret(value: i32) -> CompiledFunction {
    CompiledFunction {
        code: return_const(value, false),
        ..Default::default()
    }
}

fn with_frame(mut f: CompiledFunction, frame_size: u32) -> CompiledFunction {
    f.frame_size = frame_size;
    f
}

/// An rlib-like archive of `members` plus a non-ELF `lib.rmeta`.
fn archive(name: &str, members: &[PathBuf]) -> PathBuf {
    let rmeta = scratch("lib.rmeta");
    std::fs::write(&rmeta, b"rust metadata, not ELF").unwrap();
    let path = scratch(&format!("{name}.rlib"));
    let status = Command::new("ar")
        .arg("crs")
        .arg(&path)
        .args(members)
        .arg(&rmeta)
        .status()
        .expect("ar runs");
    assert!(status.success());
    path
}

fn link(inputs: &[PathBuf], roots: &[&str]) -> Result<PathBuf, Vec<String>> {
    let out = scratch("linked.o");
    let roots: Vec<String> = roots.iter().map(|s| s.to_string()).collect();
    link_bpf(inputs, &roots, &out, false).map(|()| out)
}

#[test]
fn links_objects_and_archive_members_keeping_only_what_is_reachable() {
    let main = object(
        "main",
        vec![
            (
                "xdp_prog",
                Linkage::Export,
                Some("xdp"),
                call_then_exit("used_helper", false),
            ),
            (
                "reader",
                Linkage::Export,
                Some("xdp"),
                load_u32_of("VALUE", false),
            ),
            ("dead_main", Linkage::Local, None, ret(1)),
        ],
        &["used_helper"],
        true,
    );
    let lib = object(
        "lib",
        vec![
            ("inner", Linkage::Local, None, with_frame(ret(2), 64)),
            (
                "used_helper",
                Linkage::Export,
                None,
                call_then_exit("inner", false),
            ),
            (
                "dead_lib",
                Linkage::Export,
                None,
                CompiledFunction {
                    problems: vec![Problem {
                        offset: 0,
                        srcloc: Default::default(),
                        message: "indirect call".into(),
                    }],
                    ..ret(3)
                },
            ),
        ],
        &[],
        false,
    );
    let weak = object(
        "weak",
        vec![("used_helper", Linkage::Preemptible, None, ret(0))],
        &[],
        false,
    );
    let rlib = archive("libdep", &[lib]);
    let out = link(&[main, rlib, weak], &[]).unwrap();
    let dump = objdump(&out);
    for gone in ["dead_main", "dead_lib", ".rcgb"] {
        assert!(!dump.contains(gone), "{gone} kept:\n{dump}");
    }
    // `.text` functions are local; the call between them needs no relocation.
    assert!(
        dump.contains("l     F .text") && dump.contains("used_helper"),
        "{dump}"
    );
    assert!(!dump.contains("g     F .text"), "{dump}");
    assert!(
        dump.contains("g     F xdp") && dump.contains("xdp_prog"),
        "{dump}"
    );
    let text = dump.split("Disassembly of section .text").nth(1).unwrap();
    let text = text.split("Disassembly of section").next().unwrap();
    assert!(!text.contains("R_BPF"), "{text}");
    assert!(dump.contains("R_BPF_64_32\t.text"), "{dump}");
    assert!(dump.contains("R_BPF_64_64\tVALUE"), "{dump}");
    if let Some(result) = bpftool_load(&out) {
        result.unwrap();
    }
}

#[test]
fn link_errors_name_functions_and_inputs() {
    let calls = |callee: &str| call_then_exit(callee, false);
    // A kept function with a problem, recursion, undefined symbols.
    let bad = object(
        "bad",
        vec![
            ("prog", Linkage::Export, Some("xdp"), calls("ping")),
            ("ping", Linkage::Local, None, calls("pong")),
            ("pong", Linkage::Local, None, calls("ping")),
            (
                "other",
                Linkage::Export,
                Some("tc"),
                CompiledFunction {
                    problems: vec![Problem {
                        offset: 0,
                        srcloc: Default::default(),
                        message: "indirect call".into(),
                    }],
                    ..calls("missing")
                },
            ),
        ],
        &["missing"],
        true,
    );
    let errors = link(std::slice::from_ref(&bad), &[]).unwrap_err();
    let all = errors.join("\n");
    assert!(
        all.contains("undefined symbol `missing`, referenced by `other`"),
        "{all}"
    );
    let fixed = object(
        "fix",
        vec![("missing", Linkage::Export, None, ret(0))],
        &[],
        false,
    );
    let errors = link(&[bad, fixed], &[]).unwrap_err().join("\n");
    assert!(
        errors.contains("`other` at lib.rs:7:5: indirect call"),
        "{errors}"
    );
    assert!(errors.contains("recursion"), "{errors}");
    assert!(
        errors.contains("`ping` calls `pong` calls `ping`")
            || errors.contains("`pong` calls `ping` calls `pong`"),
        "{errors}"
    );

    // Frames summed along a chain.
    let deep = object(
        "deep",
        vec![
            (
                "prog",
                Linkage::Export,
                Some("xdp"),
                with_frame(calls("mid"), 200),
            ),
            ("mid", Linkage::Local, None, with_frame(calls("leaf"), 200)),
            ("leaf", Linkage::Local, None, with_frame(ret(0), 100)),
        ],
        &[],
        true,
    );
    let errors = link(&[deep], &[]).unwrap_err().join("\n");
    assert!(
        errors.contains("`prog` -> `mid` -> `leaf` needs 576 bytes"),
        "{errors}"
    );

    // Two strong definitions.
    let one = object(
        "one",
        vec![("dup", Linkage::Export, None, ret(1))],
        &[],
        false,
    );
    let two = object(
        "two",
        vec![("dup", Linkage::Export, None, ret(2))],
        &[],
        false,
    );
    let errors = link(&[one.clone(), two], &["dup"]).unwrap_err().join("\n");
    assert!(
        errors.contains("`dup` is defined in both") && errors.contains("one.o"),
        "{errors}"
    );

    // A member for another machine.
    let mut x86 = object::write::Object::new(
        object::BinaryFormat::Elf,
        object::Architecture::X86_64,
        object::Endianness::Little,
    );
    x86.add_section(Vec::new(), b".text".to_vec(), object::SectionKind::Text);
    let x86_path = scratch("x86.o");
    std::fs::write(&x86_path, x86.write().unwrap()).unwrap();
    let rlib = archive("libx86", &[x86_path]);
    let errors = link(&[one, rlib], &[]).unwrap_err().join("\n");
    assert!(
        errors.contains("x86.o") && errors.contains("not eBPF"),
        "{errors}"
    );
}

#[test]
fn direct_calls_without_relocation_are_followed() {
    // `pair` calls the function after it pc-relatively, as clang does for
    // static functions of one section: `call +1` from offset 0 lands at 16.
    let pair = CompiledFunction {
        code: [insn(0x85, 0, 1, 0, 1, false), insn(0x95, 0, 0, 0, 0, false)].concat(),
        ..Default::default()
    };
    let obj = object(
        "direct",
        vec![
            ("pair", Linkage::Local, None, pair),
            ("next_to_pair", Linkage::Local, None, ret(2)),
            (
                "prog",
                Linkage::Export,
                Some("xdp"),
                call_then_exit("pair", false),
            ),
        ],
        &[],
        true,
    );
    let out = link(&[obj], &[]).unwrap();
    let dump = objdump(&out);
    assert!(dump.contains("<next_to_pair>"), "{dump}");
    if let Some(result) = bpftool_load(&out) {
        result.unwrap();
    }
}

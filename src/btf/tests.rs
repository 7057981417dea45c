//! Byte-level tests of the `.BTF`/`.BTF.ext` encoders in both byte orders,
//! and round trips through the decoders.

use super::read::{read_btf, read_ext};
use super::types::{
    Btf, BtfExt, FuncInfo, IntEncoding, Kind, LineInfo, Linkage, Member, Param, SecVar, Type,
};
use super::write::write;

fn words(bytes: &[u8], big_endian: bool) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|w| {
            let w = [w[0], w[1], w[2], w[3]];
            if big_endian {
                u32::from_be_bytes(w)
            } else {
                u32::from_le_bytes(w)
            }
        })
        .collect()
}

/// `int` and `struct S { int a; }` and nothing else.
fn tiny() -> Btf {
    let mut btf = Btf::new();
    let int = btf
        .named(
            "int",
            Kind::Int {
                size: 4,
                encoding: IntEncoding::Signed,
                bits: 32,
            },
        )
        .unwrap();
    btf.named(
        "S",
        Kind::Struct {
            size: 4,
            members: vec![Member {
                name: "a".into(),
                ty: int,
                bit_offset: 0,
                bitfield_size: 0,
            }],
        },
    )
    .unwrap();
    btf
}

#[test]
fn btf_bytes_in_both_byte_orders() {
    for big_endian in [false, true] {
        let (bytes, ext) = write(&tiny(), &BtfExt::default(), big_endian).unwrap();
        assert!(ext.is_none(), "no records, no .BTF.ext");
        let magic = if big_endian {
            [0xEB, 0x9F]
        } else {
            [0x9F, 0xEB]
        };
        assert_eq!(bytes[..4], [magic[0], magic[1], 1, 0]);
        let w = words(&bytes[4..24], big_endian);
        // hdr_len, type_off, type_len, str_off = type_len (no gap), str_len.
        let type_len = 16 + 12 + 12;
        let strings = b"\0int\0S\0a\0";
        assert_eq!(w, [24, 0, type_len, type_len, strings.len() as u32]);
        assert_eq!(bytes.len(), 24 + type_len as usize + strings.len());
        let types = words(&bytes[24..24 + type_len as usize], big_endian);
        assert_eq!(
            types,
            [
                1, // "int"
                1 << 24,
                4,
                1 << 24 | 32, // signed, 32 bits
                5,            // "S"
                4 << 24 | 1,
                4,
                7, // "a"
                1,
                0,
            ]
        );
        assert_eq!(&bytes[24 + type_len as usize..], strings);
    }
}

#[test]
fn ext_bytes_in_both_byte_orders() {
    let mut btf = tiny();
    let proto = btf
        .anon(Kind::FuncProto {
            ret: 1,
            params: vec![Param {
                name: "ctx".into(),
                ty: 1,
            }],
            variadic: false,
        })
        .unwrap();
    let func = btf
        .named(
            "prog",
            Kind::Func {
                proto,
                linkage: Linkage::Global,
            },
        )
        .unwrap();
    let line = |insn_off, line| LineInfo {
        section: "xdp".into(),
        insn_off,
        file: "a.rs".into(),
        text: "let x = 1;".into(),
        line,
        col: 5,
    };
    let ext = BtfExt {
        funcs: vec![FuncInfo {
            section: "xdp".into(),
            insn_off: 0,
            func,
        }],
        // Out of order: the writer sorts.
        lines: vec![line(16, 4), line(0, 3)],
        core_relos: Vec::new(),
    };
    for big_endian in [false, true] {
        let (bytes, ext_bytes) = write(&btf, &ext, big_endian).unwrap();
        let ext_bytes = ext_bytes.unwrap();
        let w = words(&ext_bytes, big_endian);
        assert_eq!(
            w[0] & 0xFFFF_0000,
            if big_endian { 0xEB9F_0000 } else { 0x0001_0000 } & 0xFFFF_0000
        );
        // hdr_len, func_info off/len, line_info off/len, core_relo off/len.
        assert_eq!(w[1..8], [32, 0, 20, 20, 44, 64, 0]);
        let parsed = read_btf(&bytes).unwrap();
        let strings = |off: u32| {
            let tail = &bytes[24 + (words(&bytes[4..24], big_endian)[3]) as usize + off as usize..];
            String::from_utf8(tail[..tail.iter().position(|&b| b == 0).unwrap()].to_vec()).unwrap()
        };
        // func_info: rec_size, section, count, {insn_off, type}.
        assert_eq!(w[8], 8);
        assert_eq!(strings(w[9]), "xdp");
        assert_eq!(w[10..13], [1, 0, func]);
        // line_info: rec_size, section, count, records sorted by offset.
        assert_eq!(w[13], 16);
        assert_eq!(w[15], 2);
        assert_eq!(w[16], 0);
        assert_eq!(strings(w[17]), "a.rs");
        assert_eq!(strings(w[18]), "let x = 1;");
        assert_eq!(w[19], 3 << 10 | 5);
        assert_eq!(w[20], 16);
        let back = read_ext(&ext_bytes, &parsed).unwrap();
        assert_eq!(back.funcs, ext.funcs);
        assert_eq!(back.lines, vec![line(0, 3), line(16, 4)]);
        assert_eq!(parsed.btf.types(), btf.types());
    }
}

#[test]
fn every_kind_round_trips() {
    let mut btf = tiny();
    let ptr = btf.anon(Kind::Ptr(2)).unwrap();
    let kinds = vec![
        Kind::Array {
            elem: 1,
            index: 1,
            len: 3,
        },
        Kind::Union {
            size: 4,
            members: vec![Member {
                name: "b".into(),
                ty: 1,
                bit_offset: 0,
                bitfield_size: 3,
            }],
        },
        Kind::Enum {
            size: 4,
            signed: true,
            values: vec![("A".into(), -1), ("B".into(), 7)],
        },
        Kind::Enum {
            size: 8,
            signed: false,
            values: vec![("C".into(), 1 << 40)],
        },
        Kind::Fwd { union: true },
        Kind::Typedef(ptr),
        Kind::Const(1),
        Kind::Volatile(1),
        Kind::Restrict(ptr),
        Kind::TypeTag(1),
        Kind::FuncProto {
            ret: 0,
            params: vec![Param {
                name: "x".into(),
                ty: 1,
            }],
            variadic: true,
        },
        Kind::Var {
            ty: 1,
            linkage: Linkage::Static,
        },
        Kind::Float { size: 8 },
        Kind::DeclTag {
            target: 2,
            component: -1,
        },
    ];
    for (i, kind) in kinds.into_iter().enumerate() {
        btf.push(Type {
            name: format!("t{i}"),
            kind,
        })
        .unwrap();
    }
    let var = btf.len() as u32 - 2;
    btf.push(Type {
        name: ".data".into(),
        kind: Kind::Datasec {
            size: 8,
            vars: vec![SecVar {
                var,
                offset: 4,
                size: 4,
            }],
        },
    })
    .unwrap();
    for big_endian in [false, true] {
        let (bytes, _) = write(&btf, &BtfExt::default(), big_endian).unwrap();
        let back = read_btf(&bytes).unwrap();
        assert_eq!(back.btf.types(), btf.types());
    }
}

#[test]
fn malformed_input_is_an_error() {
    let (bytes, _) = write(&tiny(), &BtfExt::default(), false).unwrap();
    assert!(read_btf(&bytes[..30]).unwrap_err().contains("outside"));
    assert!(read_btf(b"nope").unwrap_err().contains("magic"));
    let mut btf = Btf::new();
    btf.reserve().unwrap();
    assert!(write(&btf, &BtfExt::default(), false).is_err());
}

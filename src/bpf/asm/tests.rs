//! Assembler tests: encodings checked against the bytes llvm-objdump shows
//! for the same instructions, and the errors of bad templates.

use super::{Block, Dir, Operand, parse};

/// Little-endian bytes of `template` with operand `N` in register `regs[N]`.
fn bytes(template: &str, regs: &[u8]) -> Vec<u8> {
    let program = parse(template, regs.len()).unwrap();
    let mut out = Vec::new();
    for insn in program.resolve(regs) {
        insn.encode(false, &mut out);
    }
    out
}

fn err(template: &str, operands: usize) -> String {
    parse(template, operands).unwrap_err()
}

#[test]
fn aya_check_bounds_signed() {
    // aya-ebpf's `check_bounds_signed`, operands i=r3, lower=r2, upper=r4,
    // value=r1.
    let code = bytes(
        "if r{3} s< r{1} goto +2\nif r{3} s> r{2} goto +1\nr{0} = 1",
        &[3, 2, 4, 1],
    );
    assert_eq!(
        code,
        [
            0xcd, 0x21, 2, 0, 0, 0, 0, 0, // if r1 s< r2 goto +2
            0x6d, 0x41, 1, 0, 0, 0, 0, 0, // if r1 s> r4 goto +1
            0xb7, 0x03, 0, 0, 1, 0, 0, 0, // r3 = 1
        ]
    );
}

#[test]
fn moves_and_alu() {
    assert_eq!(bytes("w1 = 5", &[]), [0xb4, 0x01, 0, 0, 5, 0, 0, 0]);
    assert_eq!(bytes("r2 = r0", &[]), [0xbf, 0x02, 0, 0, 0, 0, 0, 0]);
    assert_eq!(bytes("r2 += 14", &[]), [0x07, 0x02, 0, 0, 14, 0, 0, 0]);
    assert_eq!(bytes("r1 s>>= 3", &[]), [0xc7, 0x01, 0, 0, 3, 0, 0, 0]);
    assert_eq!(bytes("w1 -= w2", &[]), [0x1c, 0x21, 0, 0, 0, 0, 0, 0]);
    assert_eq!(bytes("r1 = -r1", &[]), [0x87, 0x01, 0, 0, 0, 0, 0, 0]);
    assert_eq!(bytes("r1 = be16 r1", &[]), [0xdc, 0x01, 0, 0, 16, 0, 0, 0]);
    assert_eq!(
        bytes("r1 = bswap64 r1", &[]),
        [0xd7, 0x01, 0, 0, 64, 0, 0, 0]
    );
    assert_eq!(bytes("r1 = (s8)r2", &[]), [0xbf, 0x21, 8, 0, 0, 0, 0, 0]);
    assert_eq!(bytes("r1 s/= r2", &[]), [0x3f, 0x21, 1, 0, 0, 0, 0, 0]);
    assert_eq!(
        bytes("w1 = 0xffffffff", &[]),
        [0xb4, 0x01, 0, 0, 0xff, 0xff, 0xff, 0xff]
    );
    assert_eq!(
        bytes("r1 = 0x100000000 ll", &[]),
        [0x18, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    );
}

#[test]
fn memory() {
    assert_eq!(
        bytes("r0 = *(u32 *)(r1 + 4)", &[]),
        [0x61, 0x10, 4, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        bytes("r0 = *(s16 *)(r1 + 0)", &[]),
        [0x89, 0x10, 0, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        bytes("*(u64 *)(r10 - 8) = r1", &[]),
        [0x7b, 0x1a, 0xf8, 0xff, 0, 0, 0, 0]
    );
    assert_eq!(
        bytes("*(u8 *)(r{0} + 2) = 7", &[3]),
        [0x72, 0x03, 2, 0, 7, 0, 0, 0]
    );
    assert_eq!(
        bytes("lock *(u64 *)(r1 + 0) += r2", &[]),
        [0xdb, 0x21, 0, 0, 0, 0, 0, 0]
    );
}

#[test]
fn jumps_calls_and_exit() {
    assert_eq!(
        bytes("if w1 & 0x10 goto +0", &[]),
        [0x46, 0x01, 0, 0, 0x10, 0, 0, 0]
    );
    assert_eq!(
        bytes("if r1 == 0 goto +1\nexit", &[]),
        [0x15, 0x01, 1, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        bytes("call 5 // bpf_ktime_get_ns", &[]),
        [0x85, 0, 0, 0, 5, 0, 0, 0]
    );
    assert_eq!(
        bytes("r0 = 0\ngoto -2", &[]),
        [0xb7, 0, 0, 0, 0, 0, 0, 0, 0x05, 0, 0xfe, 0xff, 0, 0, 0, 0]
    );
}

#[test]
fn big_endian_objects_swap_registers() {
    let program = parse("if r1 s< r2 goto +0", 0).unwrap();
    let mut out = Vec::new();
    program.resolve(&[])[0].encode(true, &mut out);
    assert_eq!(out, [0xcd, 0x12, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn bad_templates() {
    assert!(err("nop", 0).contains("unknown instruction"));
    assert!(err("goto out", 0).contains("labels are not supported"));
    assert!(err("goto +5", 0).contains("leaves the block"));
    assert!(err("r1 = 0x80000000", 0).contains("does not fit"));
    assert!(err("r1 += w2", 0).contains("same width"));
    assert!(err("r{2} = 1", 1).contains("operand 2 does not exist"));
    assert!(err("r1 = 1; r2 = 2", 0).contains("one instruction per line"));
    assert!(err("r0 = *(u32 *)(w1 + 0)", 0).contains("64-bit register"));
}

#[test]
fn registers_must_be_declared() {
    let block = |template: &str, operands: Vec<Operand>| {
        Block {
            operands,
            template: template.into(),
        }
        .assemble()
    };
    let fixed = |dir, r| Operand {
        dir,
        fixed: Some(r),
    };
    let class = |dir| Operand { dir, fixed: None };
    assert!(
        block("r0 = 1", vec![])
            .unwrap_err()
            .contains("r0, which is not an operand")
    );
    assert!(
        block("r0 = r1", vec![fixed(Dir::In, 0), fixed(Dir::In, 1)])
            .unwrap_err()
            .contains("r0, which is not an output")
    );
    assert!(
        block("r10 = 1", vec![])
            .unwrap_err()
            .contains("frame pointer")
    );
    assert!(
        block("r{0} = 1", vec![class(Dir::In)])
            .unwrap_err()
            .contains("input only")
    );
    block(
        "r0 = *(u32 *)(r1 + 4)",
        vec![fixed(Dir::LateOut, 0), fixed(Dir::In, 1)],
    )
    .unwrap();
    block("*(u64 *)(r10 - 8) = r{0}", vec![class(Dir::In)]).unwrap();
    let clobbers = |upto: u8| (0..=upto).map(|r| fixed(Dir::LateOut, r)).collect();
    assert!(
        block("call 5", clobbers(4))
            .unwrap_err()
            .contains("r5 is not an output")
    );
    block("call 5", clobbers(5)).unwrap();
}

#[test]
fn marker_names_round_trip() {
    let block = Block {
        operands: vec![
            Operand {
                dir: Dir::InOut,
                fixed: None,
            },
            Operand {
                dir: Dir::LateOut,
                fixed: Some(0),
            },
        ],
        template: "r{0} = 1\nr0 = r{0}".into(),
    };
    let name = block.marker_name("i64");
    assert_eq!(Block::from_marker(&name), Some(Ok(block)));
    assert_eq!(Block::from_marker("memcpy"), None);
    assert!(matches!(
        Block::from_marker("rustc_codegen_bpf.asm:q*::"),
        Some(Err(_))
    ));
}

//! Machine-level eBPF instructions and their 8-byte encoding in either byte
//! order. Everything here works on physical register numbers; the opcode
//! constants follow the kernel's `instruction-set.rst`.

/// Instruction classes (`op & 7`).
pub(crate) mod class {
    pub(crate) const LD: u8 = 0x00;
    pub(crate) const LDX: u8 = 0x01;
    pub(crate) const ST: u8 = 0x02;
    pub(crate) const STX: u8 = 0x03;
    pub(crate) const ALU: u8 = 0x04;
    pub(crate) const JMP: u8 = 0x05;
    pub(crate) const JMP32: u8 = 0x06;
    pub(crate) const ALU64: u8 = 0x07;
}

/// Source operand selector: immediate (K) or register (X).
pub(crate) const SRC_K: u8 = 0x00;
pub(crate) const SRC_X: u8 = 0x08;

/// Memory access modes.
pub(crate) mod mode {
    pub(crate) const IMM: u8 = 0x00;
    pub(crate) const ABS: u8 = 0x20;
    pub(crate) const IND: u8 = 0x40;
    pub(crate) const MEM: u8 = 0x60;
    pub(crate) const MEMSX: u8 = 0x80;
    pub(crate) const ATOMIC: u8 = 0xc0;
}

/// The frame pointer register.
pub(crate) const FP: u8 = 10;

/// Access sizes of loads and stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Size {
    B,
    H,
    W,
    DW,
}

impl Size {
    pub(crate) fn bits(self) -> u8 {
        match self {
            Size::W => 0x00,
            Size::H => 0x08,
            Size::B => 0x10,
            Size::DW => 0x18,
        }
    }

    /// The access size for a value of `bytes` bytes (1, 2, 4 or 8).
    pub(crate) fn from_bytes(bytes: u32) -> Option<Size> {
        match bytes {
            1 => Some(Size::B),
            2 => Some(Size::H),
            4 => Some(Size::W),
            8 => Some(Size::DW),
            _ => None,
        }
    }
}

/// ALU operations (the high nibble of the opcode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AluOp {
    Add,
    Sub,
    Mul,
    Div,
    Or,
    And,
    Lsh,
    Rsh,
    Mod,
    Xor,
    Arsh,
    /// Signed division (cpu v4: DIV with off = 1).
    SDiv,
    /// Signed remainder (cpu v4: MOD with off = 1).
    SMod,
}

impl AluOp {
    fn code(self) -> (u8, i16) {
        match self {
            AluOp::Add => (0x00, 0),
            AluOp::Sub => (0x10, 0),
            AluOp::Mul => (0x20, 0),
            AluOp::Div => (0x30, 0),
            AluOp::Or => (0x40, 0),
            AluOp::And => (0x50, 0),
            AluOp::Lsh => (0x60, 0),
            AluOp::Rsh => (0x70, 0),
            AluOp::Mod => (0x90, 0),
            AluOp::Xor => (0xa0, 0),
            AluOp::Arsh => (0xc0, 0),
            AluOp::SDiv => (0x30, 1),
            AluOp::SMod => (0x90, 1),
        }
    }
}

const OP_NEG: u8 = 0x80;
const OP_MOV: u8 = 0xb0;
const OP_END: u8 = 0xd0;

/// Conditions of conditional jumps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cond {
    Eq,
    Ne,
    Ugt,
    Uge,
    Ult,
    Ule,
    Sgt,
    Sge,
    Slt,
    Sle,
}

impl Cond {
    fn code(self) -> u8 {
        match self {
            Cond::Eq => 0x10,
            Cond::Ugt => 0x20,
            Cond::Uge => 0x30,
            Cond::Ne => 0x50,
            Cond::Sgt => 0x60,
            Cond::Sge => 0x70,
            Cond::Ult => 0xa0,
            Cond::Ule => 0xb0,
            Cond::Slt => 0xc0,
            Cond::Sle => 0xd0,
        }
    }

    /// The condition that holds exactly when `self` does not.
    pub(crate) fn invert(self) -> Cond {
        match self {
            Cond::Eq => Cond::Ne,
            Cond::Ne => Cond::Eq,
            Cond::Ugt => Cond::Ule,
            Cond::Uge => Cond::Ult,
            Cond::Ult => Cond::Uge,
            Cond::Ule => Cond::Ugt,
            Cond::Sgt => Cond::Sle,
            Cond::Sge => Cond::Slt,
            Cond::Slt => Cond::Sge,
            Cond::Sle => Cond::Sgt,
        }
    }

    /// The condition with its operands exchanged (`a < b` is `b > a`).
    pub(crate) fn swap(self) -> Cond {
        match self {
            Cond::Eq | Cond::Ne => self,
            Cond::Ugt => Cond::Ult,
            Cond::Uge => Cond::Ule,
            Cond::Ult => Cond::Ugt,
            Cond::Ule => Cond::Uge,
            Cond::Sgt => Cond::Slt,
            Cond::Sge => Cond::Sle,
            Cond::Slt => Cond::Sgt,
            Cond::Sle => Cond::Sge,
        }
    }

    /// Whether cpu v1 has this jump (it lacks the "less than" family).
    pub(crate) fn in_v1(self) -> bool {
        !matches!(self, Cond::Ult | Cond::Ule | Cond::Slt | Cond::Sle)
    }
}

/// The second operand of an ALU or jump instruction, already allocated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Operand2 {
    Reg(u8),
    Imm(i32),
}

/// One 8-byte instruction slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Insn {
    pub(crate) op: u8,
    pub(crate) dst: u8,
    pub(crate) src: u8,
    pub(crate) off: i16,
    pub(crate) imm: i32,
}

impl Insn {
    /// Appends the encoding. Big-endian objects swap the register nibbles
    /// (dst in the high nibble) and store `off` and `imm` big-endian.
    pub(crate) fn encode(&self, big_endian: bool, out: &mut Vec<u8>) {
        out.push(self.op);
        if big_endian {
            out.push((self.dst << 4) | (self.src & 0xf));
            out.extend_from_slice(&self.off.to_be_bytes());
            out.extend_from_slice(&self.imm.to_be_bytes());
        } else {
            out.push((self.src << 4) | (self.dst & 0xf));
            out.extend_from_slice(&self.off.to_le_bytes());
            out.extend_from_slice(&self.imm.to_le_bytes());
        }
    }

    fn with_src(code: u8, cls: u8, dst: u8, src: Operand2, off: i16) -> Insn {
        match src {
            Operand2::Reg(r) => Insn {
                op: code | SRC_X | cls,
                dst,
                src: r,
                off,
                imm: 0,
            },
            Operand2::Imm(imm) => Insn {
                op: code | SRC_K | cls,
                dst,
                src: 0,
                off,
                imm,
            },
        }
    }

    pub(crate) fn alu(w64: bool, op: AluOp, dst: u8, src: Operand2) -> Insn {
        let (code, off) = op.code();
        let cls = if w64 { class::ALU64 } else { class::ALU };
        Insn::with_src(code, cls, dst, src, off)
    }

    pub(crate) fn mov(w64: bool, dst: u8, src: Operand2) -> Insn {
        let cls = if w64 { class::ALU64 } else { class::ALU };
        Insn::with_src(OP_MOV, cls, dst, src, 0)
    }

    /// `MOVSX` (cpu v4): sign-extends the low `bits` of `src`.
    pub(crate) fn movsx(w64: bool, dst: u8, src: u8, bits: u8) -> Insn {
        let cls = if w64 { class::ALU64 } else { class::ALU };
        Insn::with_src(OP_MOV, cls, dst, Operand2::Reg(src), i16::from(bits))
    }

    pub(crate) fn neg(w64: bool, dst: u8) -> Insn {
        let cls = if w64 { class::ALU64 } else { class::ALU };
        Insn {
            op: OP_NEG | cls,
            dst,
            ..Insn::default()
        }
    }

    /// Byte swap of the low `bits`: `to_be` selects END TO_BE (else TO_LE);
    /// `unconditional` is the cpu v4 BSWAP (ALU64 class).
    pub(crate) fn end(dst: u8, bits: u8, to_be: bool, unconditional: bool) -> Insn {
        let op = if unconditional {
            OP_END | class::ALU64
        } else if to_be {
            OP_END | SRC_X | class::ALU
        } else {
            OP_END | class::ALU
        };
        Insn {
            op,
            dst,
            imm: i32::from(bits),
            ..Insn::default()
        }
    }

    pub(crate) fn ldx(size: Size, sx: bool, dst: u8, base: u8, off: i16) -> Insn {
        let m = if sx { mode::MEMSX } else { mode::MEM };
        Insn {
            op: m | size.bits() | class::LDX,
            dst,
            src: base,
            off,
            imm: 0,
        }
    }

    pub(crate) fn stx(size: Size, base: u8, off: i16, src: u8) -> Insn {
        Insn {
            op: mode::MEM | size.bits() | class::STX,
            dst: base,
            src,
            off,
            imm: 0,
        }
    }

    pub(crate) fn st(size: Size, base: u8, off: i16, imm: i32) -> Insn {
        Insn {
            op: mode::MEM | size.bits() | class::ST,
            dst: base,
            src: 0,
            off,
            imm,
        }
    }

    /// `BPF_STX | BPF_ATOMIC`: `aop` is the atomic operation in `imm`.
    pub(crate) fn atomic(w64: bool, base: u8, off: i16, src: u8, aop: i32) -> Insn {
        let size = if w64 { Size::DW } else { Size::W };
        Insn {
            op: mode::ATOMIC | size.bits() | class::STX,
            dst: base,
            src,
            off,
            imm: aop,
        }
    }

    /// Classic packet load (`BPF_LD | BPF_ABS` or, with `index`, `BPF_IND`).
    pub(crate) fn ld_packet(size: Size, index: Option<u8>, imm: i32) -> Insn {
        let (m, src) = match index {
            Some(r) => (mode::IND, r),
            None => (mode::ABS, 0),
        };
        Insn {
            op: m | size.bits() | class::LD,
            dst: 0,
            src,
            off: 0,
            imm,
        }
    }

    /// The two slots of `ld_imm64`.
    pub(crate) fn ld_imm64(dst: u8, src: u8, value: i64) -> [Insn; 2] {
        [
            Insn {
                op: mode::IMM | Size::DW.bits() | class::LD,
                dst,
                src,
                off: 0,
                imm: value as i32,
            },
            Insn {
                imm: (value >> 32) as i32,
                ..Insn::default()
            },
        ]
    }

    pub(crate) fn jcc(jmp32: bool, cond: Cond, a: u8, b: Operand2, off: i16) -> Insn {
        let cls = if jmp32 { class::JMP32 } else { class::JMP };
        Insn::with_src(cond.code(), cls, a, b, off)
    }

    pub(crate) fn ja(off: i16) -> Insn {
        Insn {
            op: class::JMP,
            off,
            ..Insn::default()
        }
    }

    /// `gotol` (cpu v4): an unconditional jump with a 32-bit offset.
    pub(crate) fn gotol(off: i32) -> Insn {
        Insn {
            op: class::JMP32,
            imm: off,
            ..Insn::default()
        }
    }

    /// `call imm`: `src` 0 for a helper, 1 for a BPF-to-BPF call.
    pub(crate) fn call(src: u8, imm: i32) -> Insn {
        Insn {
            op: 0x80 | class::JMP,
            src,
            imm,
            ..Insn::default()
        }
    }

    pub(crate) fn exit() -> Insn {
        Insn {
            op: 0x90 | class::JMP,
            ..Insn::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(insn: Insn, big_endian: bool) -> Vec<u8> {
        let mut out = Vec::new();
        insn.encode(big_endian, &mut out);
        out
    }

    // Expected bytes as llvm-objdump prints them for the same instruction.
    #[test]
    fn little_endian() {
        let mov = Insn::mov(true, 2, Operand2::Reg(0));
        assert_eq!(bytes(mov, false), [0xbf, 0x02, 0, 0, 0, 0, 0, 0]);
        let add = Insn::alu(true, AluOp::Add, 2, Operand2::Imm(14));
        assert_eq!(bytes(add, false), [0x07, 0x02, 0, 0, 0x0e, 0, 0, 0]);
        let jgt = Insn::jcc(false, Cond::Ugt, 2, Operand2::Reg(1), 8);
        assert_eq!(bytes(jgt, false), [0x2d, 0x12, 0x08, 0, 0, 0, 0, 0]);
        let ldx = Insn::ldx(Size::W, false, 0, 1, 4);
        assert_eq!(bytes(ldx, false), [0x61, 0x10, 0x04, 0, 0, 0, 0, 0]);
        let w0 = Insn::mov(false, 0, Operand2::Imm(2));
        assert_eq!(bytes(w0, false), [0xb4, 0, 0, 0, 2, 0, 0, 0]);
        assert_eq!(bytes(Insn::exit(), false), [0x95, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(bytes(Insn::call(0, 1), false), [0x85, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(
            bytes(Insn::call(1, -1), false),
            [0x85, 0x10, 0, 0, 0xff, 0xff, 0xff, 0xff]
        );
        let st = Insn::st(Size::DW, FP, -8, 0);
        assert_eq!(bytes(st, false), [0x7a, 0x0a, 0xf8, 0xff, 0, 0, 0, 0]);
        let stx = Insn::stx(Size::DW, FP, -8, 1);
        assert_eq!(bytes(stx, false), [0x7b, 0x1a, 0xf8, 0xff, 0, 0, 0, 0]);
        let [a, b] = Insn::ld_imm64(1, 0, 0x1_2345_6789);
        assert_eq!(bytes(a, false), [0x18, 0x01, 0, 0, 0x89, 0x67, 0x45, 0x23]);
        assert_eq!(bytes(b, false), [0, 0, 0, 0, 1, 0, 0, 0]);
    }

    #[test]
    fn big_endian_swaps_nibbles_and_fields() {
        let mov = Insn::mov(true, 2, Operand2::Reg(0));
        assert_eq!(bytes(mov, true), [0xbf, 0x20, 0, 0, 0, 0, 0, 0]);
        let jgt = Insn::jcc(false, Cond::Ugt, 2, Operand2::Reg(1), 8);
        assert_eq!(bytes(jgt, true), [0x2d, 0x21, 0, 0x08, 0, 0, 0, 0]);
        let add = Insn::alu(true, AluOp::Add, 2, Operand2::Imm(14));
        assert_eq!(bytes(add, true), [0x07, 0x20, 0, 0, 0, 0, 0, 0x0e]);
    }

    #[test]
    fn v3_and_v4_forms() {
        // r1 = be16 r1 (TO_BE), r1 = bswap64 r1 (v4), sdiv, smod, movsx, ldsx.
        assert_eq!(
            bytes(Insn::end(1, 16, true, false), false)[..5],
            [0xdc, 0x01, 0, 0, 16]
        );
        assert_eq!(
            bytes(Insn::end(1, 16, false, false), false)[..5],
            [0xd4, 0x01, 0, 0, 16]
        );
        assert_eq!(
            bytes(Insn::end(1, 64, false, true), false)[..5],
            [0xd7, 0x01, 0, 0, 64]
        );
        let sdiv = Insn::alu(true, AluOp::SDiv, 1, Operand2::Reg(2));
        assert_eq!(bytes(sdiv, false), [0x3f, 0x21, 1, 0, 0, 0, 0, 0]);
        let smod = Insn::alu(false, AluOp::SMod, 1, Operand2::Reg(2));
        assert_eq!(bytes(smod, false), [0x9c, 0x21, 1, 0, 0, 0, 0, 0]);
        assert_eq!(
            bytes(Insn::movsx(true, 1, 2, 8), false),
            [0xbf, 0x21, 8, 0, 0, 0, 0, 0]
        );
        assert_eq!(bytes(Insn::ldx(Size::W, true, 1, 2, 0), false)[0], 0x81);
        let xadd = Insn::atomic(true, 1, 0, 2, 0x01);
        assert_eq!(bytes(xadd, false), [0xdb, 0x21, 0, 0, 1, 0, 0, 0]);
        let j32 = Insn::jcc(true, Cond::Slt, 1, Operand2::Imm(-1), 2);
        assert_eq!(
            bytes(j32, false),
            [0xc6, 0x01, 2, 0, 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(bytes(Insn::gotol(70000), false)[..2], [0x06, 0]);
        let abs = Insn::ld_packet(Size::H, None, 12);
        assert_eq!(bytes(abs, false), [0x28, 0, 0, 0, 12, 0, 0, 0]);
        let ind = Insn::ld_packet(Size::B, Some(3), 0);
        assert_eq!(bytes(ind, false), [0x50, 0x30, 0, 0, 0, 0, 0, 0]);
    }
}

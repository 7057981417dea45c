//! BTF-relocatable kernel types and CO-RE queries for eBPF programs built
//! with `rustc_codegen_bpf`.
//!
//! `#[btf::relocatable]` marks a struct, union or enum as a description of
//! a kernel type. On eBPF targets the backend relocates every field access
//! through a pointer to such a type (`(*task).se.vruntime`, `addr_of!`)
//! with a CO-RE record, as clang does for `preserve_access_index` types,
//! and the macros below become relocated constants (libbpf's
//! `bpf_core_*` set). On other targets the same code compiles and every
//! query answers with the local layout, so program logic can be unit
//! tested natively.
//!
//! Field paths are field names separated by dots (`se.vruntime`); the
//! shape follows `core::btf::field_byte_offset!(Carrier, fields)`.
//!
//! # Bitfields
//!
//! Rust has no bitfields, so a relocatable struct declares C bitfields
//! over a storage field with `#[bitfields(...)]`, naming each bitfield,
//! the C type it is declared with and its width in bits, in the order C
//! lays them out from the storage's first bit (`_` skips bits):
//!
//! ```ignore
//! #[btf::relocatable]
//! pub struct sk_buff {
//!     pub len: u32,
//!     #[bitfields(pkt_type: u8 = 3, _: u8 = 2, ip_summed: u8 = 2)]
//!     pub _bits0: u8,
//! }
//! ```
//!
//! Each bitfield becomes a zero-sized field of type [`Bitfield`] placed
//! right after its storage, so that field paths and the `field_*!`
//! macros name it as the kernel does (`field_lshift!(sk_buff, pkt_type)`).
//! The backend describes it in the program's BTF as the C bitfield it
//! stands for (a member of the declared type with its bit offset and
//! width, in a struct with `kind_flag` set), so the loader matches it by
//! name against the kernel's bitfield wherever that sits. The storage
//! field keeps its own name in BTF; read the bitfields with
//! [`core_read_bitfield!`], never the storage itself, whose bytes mean
//! nothing in the kernel's layout ([`read_bitfield!`] loads directly,
//! where the verifier allows it).
//!
//! On a bitfield, [`field_byte_offset!`] and [`field_byte_size!`] are the
//! aligned unit a load must read (the smallest power-of-two size, at
//! least the declared type's, covering the bits), and [`field_lshift!`]
//! and [`field_rshift!`] the shifts that extract it from that unit loaded
//! into a `u64`, as clang computes them; off eBPF they answer for the
//! local layout.

#![no_std]
#![feature(rustc_attrs)]
#![feature(min_specialization)]
#![allow(internal_features)]

pub use btf_macros::relocatable;

use core::marker::PhantomData;

/// A type described to the loader by its BTF name, whose layout is the
/// kernel's at load time. Implemented by `#[btf::relocatable]`.
///
/// # Safety
///
/// The type must be `#[repr(C)]` (or a primitive repr for enums), so that
/// its local layout is the C layout the BTF describes.
#[rustc_diagnostic_item = "btf_relocatable"]
pub unsafe trait Relocatable {
    /// The type's BTF name, matched against the kernel's after libbpf
    /// strips a `___flavor` suffix.
    const BTF_NAME: &'static str;
}

/// A C bitfield of a `#[btf::relocatable]` struct, declared by
/// `#[bitfields(...)]` on the storage field it follows: declared with C
/// type `T`, `BITS` wide, from bit `BIT` of the storage (of type `S`).
/// Zero-sized; its value is read with [`core_read_bitfield!`].
#[rustc_diagnostic_item = "btf_bitfield"]
pub struct Bitfield<T, S, const BIT: u32, const BITS: u32>(PhantomData<(T, S)>);

impl<T, S, const BIT: u32, const BITS: u32> Bitfield<T, S, BIT, BITS> {
    /// The marker, for struct literals (`pkt_type: Bitfield::new()`).
    pub const fn new() -> Self {
        Bitfield(PhantomData)
    }
}

impl<T, S, const BIT: u32, const BITS: u32> Default for Bitfield<T, S, BIT, BITS> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, S, const BIT: u32, const BITS: u32> Clone for Bitfield<T, S, BIT, BITS> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, S, const BIT: u32, const BITS: u32> Copy for Bitfield<T, S, BIT, BITS> {}

impl<T, S, const BIT: u32, const BITS: u32> core::fmt::Debug for Bitfield<T, S, BIT, BITS> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Bitfield<{BIT}..{}>", BIT + BITS)
    }
}

/// The C types a bitfield may be declared with: integers of up to 64 bits
/// and `bool` (BTF INTs). A declaration is checked when it compiles: its
/// type must be one of these,
///
/// ```compile_fail,E0277
/// #[btf::relocatable]
/// pub struct s {
///     #[bitfields(a: [u8; 2] = 3)]
///     pub _bits0: u16,
/// }
/// ```
///
/// each width must fit the bitfield's type,
///
/// ```compile_fail,E0080
/// #[btf::relocatable]
/// pub struct s {
///     #[bitfields(a: u8 = 9)]
///     pub _bits0: u16,
/// }
/// ```
///
/// and the bitfields must fit their storage.
///
/// ```compile_fail,E0080
/// #[btf::relocatable]
/// pub struct s {
///     #[bitfields(a: u8 = 6, b: u8 = 3)]
///     pub _bits0: u8,
/// }
/// ```
pub trait BitfieldType: __private::Signedness {}

macro_rules! bitfield_types {
    ($($t:ty),*) => {
        $(impl BitfieldType for $t {})*
    };
}
bitfield_types!(u8, u16, u32, u64, i8, i16, i32, i64, bool);

/// Whether the field exists in the target kernel's type.
#[macro_export]
macro_rules! field_exists {
    ($Carrier:ty, $($field:ident).+ $(,)?) => {
        $crate::__field_info!(FIELD_EXISTS, $Carrier, $($field).+, {
            let _ = $crate::__private::field_pointee_size::<$Carrier, _>(
                |p| unsafe { ::core::ptr::addr_of!((*p).$($field).+) },
            );
            1
        }) != 0
    };
}

/// The field's byte offset in the target kernel's type, `None` when the
/// field does not exist there.
#[macro_export]
macro_rules! field_byte_offset {
    ($Carrier:ty, $($field:ident).+ $(,)?) => {
        if $crate::field_exists!($Carrier, $($field).+) {
            ::core::option::Option::Some($crate::__field_info!(
                FIELD_BYTE_OFFSET,
                $Carrier,
                $($field).+,
                $crate::__field_bits!($Carrier, $($field).+).byte_offset()
            ) as usize)
        } else {
            ::core::option::Option::None
        }
    };
}

/// The field's size in bytes in the target kernel's type, `None` when the
/// field does not exist there.
#[macro_export]
macro_rules! field_byte_size {
    ($Carrier:ty, $($field:ident).+ $(,)?) => {
        if $crate::field_exists!($Carrier, $($field).+) {
            ::core::option::Option::Some($crate::__field_info!(
                FIELD_BYTE_SIZE,
                $Carrier,
                $($field).+,
                $crate::__field_bits!($Carrier, $($field).+).byte_size()
            ) as usize)
        } else {
            ::core::option::Option::None
        }
    };
}

/// Whether the field is a signed integer (or signed enum) in the target.
#[macro_export]
macro_rules! field_signed {
    ($Carrier:ty, $($field:ident).+ $(,)?) => {
        $crate::__field_info!(
            FIELD_SIGNED,
            $Carrier,
            $($field).+,
            $crate::__private::field_pointee_signed::<$Carrier, _>(
                |p| unsafe { ::core::ptr::addr_of!((*p).$($field).+) },
            ) as u64
        ) != 0
    };
}

/// The left shift that moves the field to the top of a `u64` loaded from
/// its offset with its size (`BPF_CORE_READ_BITFIELD`); for a bitfield,
/// loaded from [`field_byte_offset!`] with [`field_byte_size!`].
#[macro_export]
macro_rules! field_lshift {
    ($Carrier:ty, $($field:ident).+ $(,)?) => {
        $crate::__field_info!(
            FIELD_LSHIFT_U64,
            $Carrier,
            $($field).+,
            $crate::__field_bits!($Carrier, $($field).+).lshift()
        ) as u32
    };
}

/// The right shift that brings the field back down after
/// [`field_lshift!`].
#[macro_export]
macro_rules! field_rshift {
    ($Carrier:ty, $($field:ident).+ $(,)?) => {
        $crate::__field_info!(
            FIELD_RSHIFT_U64,
            $Carrier,
            $($field).+,
            $crate::__field_bits!($Carrier, $($field).+).rshift()
        ) as u32
    };
}

/// Whether the target kernel has a type of this name.
#[macro_export]
macro_rules! type_exists {
    ($T:ty $(,)?) => {
        $crate::__type_info!(TYPE_EXISTS, $T, 1) != 0
    };
}

/// Whether the target kernel has a type of this name whose shape matches
/// (libbpf's `bpf_core_type_matches`).
#[macro_export]
macro_rules! type_matches {
    ($T:ty $(,)?) => {
        $crate::__type_info!(TYPE_MATCHES, $T, 1) != 0
    };
}

/// The type's size in the target kernel, 0 when it has no such type.
#[macro_export]
macro_rules! type_size {
    ($T:ty $(,)?) => {
        $crate::__type_info!(TYPE_SIZE, $T, ::core::mem::size_of::<$T>() as u64) as usize
    };
}

/// The type's id in the program's own BTF (0 on other targets).
#[macro_export]
macro_rules! type_id_local {
    ($T:ty $(,)?) => {
        $crate::__type_info!(TYPE_ID_LOCAL, $T, 0) as u32
    };
}

/// The type's id in the target kernel's BTF, 0 when it has no such type
/// (0 on other targets).
#[macro_export]
macro_rules! type_id_target {
    ($T:ty $(,)?) => {
        $crate::__type_info!(TYPE_ID_TARGET, $T, 0) as u32
    };
}

/// Whether the target kernel's enum has this enumerator.
#[macro_export]
macro_rules! enum_value_exists {
    ($E:ident :: $V:ident $(,)?) => {
        $crate::__enum_info!(ENUMVAL_EXISTS, $E, $V, 1) != 0
    };
}

/// The enumerator's value in the target kernel (check
/// [`enum_value_exists!`] first: a missing one fails to load).
#[macro_export]
macro_rules! enum_value {
    ($E:ident :: $V:ident $(,)?) => {
        $crate::__enum_info!(ENUMVAL_VALUE, $E, $V, $E::$V as i64 as u64) as i64
    };
}

/// `BPF_CORE_READ`: follows a chain of fields through pointers, each hop
/// read at its relocated offset (with `bpf_probe_read_kernel` on eBPF, a
/// plain read elsewhere). `core_read!(task, real_parent, tgid)` is
/// `(*(*task).real_parent).tgid`; a hop may name nested fields
/// (`se.vruntime`). On eBPF a failed read yields zero bytes.
///
/// # Safety
///
/// Used inside `unsafe`: on other targets every pointer is dereferenced.
#[macro_export]
macro_rules! core_read {
    ($src:expr, $($hops:tt)+) => {{
        let src = $src;
        $crate::__core_read!(src; $($hops)+)
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __core_read {
    ($p:ident; $($field:ident).+ $(,)?) => {
        $crate::__private::read(::core::ptr::addr_of!((*$p).$($field).+))
    };
    ($p:ident; $($field:ident).+, $($rest:tt)+) => {{
        let next = $crate::__private::read(::core::ptr::addr_of!((*$p).$($field).+));
        $crate::__core_read!(next; $($rest)+)
    }};
}

/// `BPF_CORE_READ_BITFIELD_PROBED`: the value of a bitfield (or of an
/// integer field) of the relocatable struct `src` points at, as a `u64`,
/// sign-extended when the target's field is signed. On eBPF its unit is
/// read with `bpf_probe_read_kernel` at the relocated byte offset and
/// size, then shifted by the relocated shifts; a failed read yields 0.
/// Elsewhere the local layout is read directly.
///
/// ```ignore
/// let pkt_type = unsafe { btf::core_read_bitfield!(skb, pkt_type) };
/// ```
///
/// # Safety
///
/// Used inside `unsafe`: on other targets `src` is dereferenced.
#[macro_export]
macro_rules! core_read_bitfield {
    ($src:expr, $($field:ident).+ $(,)?) => {
        $crate::__read_bitfield!(read_bits, $src, $($field).+)
    };
}

/// `BPF_CORE_READ_BITFIELD`: [`core_read_bitfield!`] with a direct load
/// of the unit instead of `bpf_probe_read_kernel`, for pointers the
/// verifier lets a program load through (packet data, the BTF-typed
/// pointers of `tp_btf` and `fentry` programs).
///
/// # Safety
///
/// Used inside `unsafe`: `src` is dereferenced.
#[macro_export]
macro_rules! read_bitfield {
    ($src:expr, $($field:ident).+ $(,)?) => {
        $crate::__read_bitfield!(load_bits, $src, $($field).+)
    };
}

/// A bitfield read: the unit's relocated offset, size and shifts, and
/// signedness, given to `__private::$read` on eBPF.
#[doc(hidden)]
#[macro_export]
macro_rules! __read_bitfield {
    ($read:ident, $src:expr, $($field:ident).+) => {{
        let src: *const _ = $src;
        #[cfg(target_arch = "bpf")]
        let value = {
            // Type-checks the path without reading anything.
            let _ = || unsafe { ::core::ptr::addr_of!((*src).$($field).+) };
            $crate::__private::$read(
                src.cast::<u8>().wrapping_add(
                    $crate::__field_info_of!(FIELD_BYTE_OFFSET, src, $($field).+) as usize,
                ),
                $crate::__field_info_of!(FIELD_BYTE_SIZE, src, $($field).+),
                $crate::__field_info_of!(FIELD_LSHIFT_U64, src, $($field).+) as u32,
                $crate::__field_info_of!(FIELD_RSHIFT_U64, src, $($field).+) as u32,
                $crate::__field_info_of!(FIELD_SIGNED, src, $($field).+) != 0,
            )
        };
        #[cfg(not(target_arch = "bpf"))]
        let value =
            $crate::__private::read_field_bits(src, ::core::ptr::addr_of!((*src).$($field).+));
        value
    }};
}

/// A field query on the type a pointer points at: the path is a literal
/// in the query's own body, whose carrier type is inferred from `$src`.
#[doc(hidden)]
#[macro_export]
macro_rules! __field_info_of {
    ($kind:ident, $src:ident, $($field:ident).+) => {{
        #[inline(always)]
        fn query<T: $crate::Relocatable>(_: *const T) -> u64 {
            $crate::__private::field_info::<T, { $crate::__private::$kind }>(
                ::core::stringify!($($field).+),
            )
        }
        query($src)
    }};
}

/// Where the field's bits are in the local layout.
#[doc(hidden)]
#[macro_export]
macro_rules! __field_bits {
    ($Carrier:ty, $($field:ident).+) => {
        $crate::__private::field_bits::<$Carrier, _>(
            ::core::mem::offset_of!($Carrier, $($field).+),
            |p| unsafe { ::core::ptr::addr_of!((*p).$($field).+) },
        )
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __field_info {
    ($kind:ident, $Carrier:ty, $($field:ident).+, $host:expr) => {{
        #[cfg(target_arch = "bpf")]
        let value = {
            // Type-checks the path and the local answer without running
            // it; the backend reads the string.
            let _ = || $host;
            $crate::__private::field_info::<$Carrier, { $crate::__private::$kind }>(
                ::core::stringify!($($field).+),
            )
        };
        #[cfg(not(target_arch = "bpf"))]
        let value: u64 = $host;
        value
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __type_info {
    ($kind:ident, $T:ty, $host:expr) => {{
        #[cfg(target_arch = "bpf")]
        let value = $crate::__private::type_info::<$T, { $crate::__private::$kind }>();
        #[cfg(not(target_arch = "bpf"))]
        let value: u64 = {
            $crate::__private::assert_relocatable::<$T>();
            $host
        };
        value
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __enum_info {
    ($kind:ident, $E:ident, $V:ident, $host:expr) => {{
        let _ = $E::$V;
        #[cfg(target_arch = "bpf")]
        let value = $crate::__private::enum_info::<$E, { $crate::__private::$kind }>(
            ::core::stringify!($V),
        );
        #[cfg(not(target_arch = "bpf"))]
        let value: u64 = {
            $crate::__private::assert_relocatable::<$E>();
            $host
        };
        value
    }};
}

/// What the macros expand to. On eBPF, `rustc_codegen_bpf` replaces each
/// call of [`field_info`], [`type_info`] and [`enum_info`] (found by their
/// diagnostic items) with a constant the loader relocates; their bodies
/// never run.
#[doc(hidden)]
pub mod __private {
    use super::Relocatable;

    pub const FIELD_BYTE_OFFSET: u32 = 0;
    pub const FIELD_BYTE_SIZE: u32 = 1;
    pub const FIELD_EXISTS: u32 = 2;
    pub const FIELD_SIGNED: u32 = 3;
    pub const FIELD_LSHIFT_U64: u32 = 4;
    pub const FIELD_RSHIFT_U64: u32 = 5;
    pub const TYPE_ID_LOCAL: u32 = 6;
    pub const TYPE_ID_TARGET: u32 = 7;
    pub const TYPE_EXISTS: u32 = 8;
    pub const TYPE_SIZE: u32 = 9;
    pub const ENUMVAL_EXISTS: u32 = 10;
    pub const ENUMVAL_VALUE: u32 = 11;
    pub const TYPE_MATCHES: u32 = 12;

    const NOT_LOWERED: &str = "CO-RE queries are answered by rustc_codegen_bpf on eBPF targets";

    /// The relocation `KIND` of the field at `path` (dot-separated names).
    #[rustc_diagnostic_item = "btf_field_info"]
    #[inline(never)]
    pub fn field_info<T: Relocatable, const KIND: u32>(path: &'static str) -> u64 {
        let _ = path;
        panic!("{}", NOT_LOWERED)
    }

    /// The relocation `KIND` of the type `T`.
    #[rustc_diagnostic_item = "btf_type_info"]
    #[inline(never)]
    pub fn type_info<T: Relocatable, const KIND: u32>() -> u64 {
        panic!("{}", NOT_LOWERED)
    }

    /// The relocation `KIND` of the enumerator `variant` of `E`.
    #[rustc_diagnostic_item = "btf_enum_info"]
    #[inline(never)]
    pub fn enum_info<E: Relocatable, const KIND: u32>(variant: &'static str) -> u64 {
        let _ = variant;
        panic!("{}", NOT_LOWERED)
    }

    pub const fn assert_relocatable<T: Relocatable>() {}

    /// The size of the field `project` points at.
    pub fn field_pointee_size<T: Relocatable, F>(_project: fn(*const T) -> *const F) -> usize {
        core::mem::size_of::<F>()
    }

    /// Where the bits of the field `project` points at are, given its
    /// byte offset in `T`.
    pub fn field_bits<T: Relocatable, F>(
        byte_offset: usize,
        _project: fn(*const T) -> *const F,
    ) -> FieldBits {
        F::field_bits(byte_offset)
    }

    /// A field as BTF describes it: its first bit, its width when it is a
    /// bitfield, and the size of its type.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct FieldBits {
        pub bit_offset: u64,
        /// 0 when the field is not a bitfield.
        pub bitfield_size: u64,
        pub type_size: u64,
    }

    impl FieldBits {
        /// The unit a load reads the field in: its byte offset and size.
        /// For a bitfield, the smallest aligned power of two at least the
        /// type's size that covers its bits (what clang and libbpf
        /// compute); otherwise the field itself.
        fn unit(self) -> (u64, u64) {
            if self.bitfield_size == 0 {
                return (self.bit_offset / 8, self.type_size);
            }
            let end = self.bit_offset + self.bitfield_size;
            let mut size = self.type_size.max(1);
            let mut offset = self.bit_offset / 8 / size * size;
            while end - offset * 8 > size * 8 && size < 8 {
                size *= 2;
                offset = self.bit_offset / 8 / size * size;
            }
            (offset, size)
        }

        fn bits(self) -> u64 {
            if self.bitfield_size == 0 {
                self.type_size * 8
            } else {
                self.bitfield_size
            }
        }

        pub fn byte_offset(self) -> u64 {
            self.unit().0
        }

        pub fn byte_size(self) -> u64 {
            self.unit().1
        }

        /// `FIELD_LSHIFT_U64`: the unit is loaded into a `u64`'s low
        /// bytes in target byte order.
        pub fn lshift(self) -> u64 {
            let (offset, size) = self.unit();
            let start = self.bit_offset - offset * 8;
            if cfg!(target_endian = "little") {
                64 - (start + self.bits())
            } else {
                (8 - size) * 8 + start
            }
        }

        /// `FIELD_RSHIFT_U64`.
        pub fn rshift(self) -> u64 {
            64 - self.bits()
        }
    }

    /// The BTF shape of a field's type: a plain member, or a bitfield.
    pub trait FieldShape {
        fn field_bits(byte_offset: usize) -> FieldBits;
    }

    impl<F> FieldShape for F {
        default fn field_bits(byte_offset: usize) -> FieldBits {
            FieldBits {
                bit_offset: 8 * byte_offset as u64,
                bitfield_size: 0,
                type_size: core::mem::size_of::<F>() as u64,
            }
        }
    }

    /// The marker follows its storage: the storage starts
    /// `size_of::<S>()` bytes before it.
    impl<T, S, const BIT: u32, const BITS: u32> FieldShape for crate::Bitfield<T, S, BIT, BITS> {
        fn field_bits(byte_offset: usize) -> FieldBits {
            let storage = byte_offset - core::mem::size_of::<S>();
            FieldBits {
                bit_offset: 8 * storage as u64 + u64::from(BIT),
                bitfield_size: u64::from(BITS),
                type_size: core::mem::size_of::<T>() as u64,
            }
        }
    }

    /// Compile-time check of a `#[bitfields]` declaration's C type.
    pub const fn assert_bitfield_type<T: crate::BitfieldType>() {}

    /// `core_read_bitfield!` off eBPF: the field `field` of `*src`, read
    /// from the local layout as the eBPF code reads the target's.
    ///
    /// # Safety
    ///
    /// `src` must be valid for reads of `T`, `field` point into it.
    pub unsafe fn read_field_bits<T: Relocatable, F: Signedness>(
        src: *const T,
        field: *const F,
    ) -> u64 {
        let bits = F::field_bits(field as usize - src as usize);
        // SAFETY: the unit lies within `*src` (the caller's).
        unsafe {
            read_bits(
                src.cast::<u8>().add(bits.byte_offset() as usize),
                bits.byte_size(),
                bits.lshift() as u32,
                bits.rshift() as u32,
                F::SIGNED,
            )
        }
    }

    /// `BPF_CORE_READ_BITFIELD_PROBED`'s steps: `size` bytes at `unit`
    /// into the low-order bytes of a `u64` with `bpf_probe_read_kernel`,
    /// then [`extract`]ed. A unit of more than 8 bytes reads nothing.
    ///
    /// # Safety
    ///
    /// Off eBPF, `unit` must be valid for reads of `size` bytes.
    #[inline(always)]
    pub unsafe fn read_bits(
        unit: *const u8,
        size: u64,
        lshift: u32,
        rshift: u32,
        signed: bool,
    ) -> u64 {
        let mut value = 0u64;
        if size <= 8 {
            let at = if cfg!(target_endian = "little") {
                0
            } else {
                8 - size as usize
            };
            let dst = (&raw mut value).cast::<u8>().wrapping_add(at);
            // SAFETY: `dst` has `size` bytes of `value` after it; `unit`
            // is the caller's.
            unsafe { copy_kernel(dst, size as u32, unit) };
        }
        extract(value, lshift, rshift, signed)
    }

    /// `BPF_CORE_READ_BITFIELD`'s steps: the unit loaded directly as an
    /// integer of `size` bytes (nothing for other sizes), then
    /// [`extract`]ed.
    ///
    /// # Safety
    ///
    /// `unit` must be valid for reads of `size` bytes and aligned to them.
    #[inline(always)]
    pub unsafe fn load_bits(
        unit: *const u8,
        size: u64,
        lshift: u32,
        rshift: u32,
        signed: bool,
    ) -> u64 {
        // SAFETY: the caller's.
        let value = unsafe {
            match size {
                1 => u64::from(*unit),
                2 => u64::from(*unit.cast::<u16>()),
                4 => u64::from(*unit.cast::<u32>()),
                8 => *unit.cast::<u64>(),
                _ => 0,
            }
        };
        extract(value, lshift, rshift, signed)
    }

    /// The bits a unit loaded into `value` holds: shifted left by
    /// `lshift`, then right by `rshift`, arithmetically when `signed`.
    #[inline(always)]
    fn extract(value: u64, lshift: u32, rshift: u32, signed: bool) -> u64 {
        let value = value.wrapping_shl(lshift);
        if signed {
            (value as i64).wrapping_shr(rshift) as u64
        } else {
            value.wrapping_shr(rshift)
        }
    }

    /// Copies `size` bytes from `src` to `dst`: with
    /// `bpf_probe_read_kernel` on eBPF (leaving `dst` as it was when the
    /// read fails), directly elsewhere.
    ///
    /// # Safety
    ///
    /// `dst` must be valid for writes of `size` bytes; off eBPF, `src`
    /// for reads of as many.
    #[inline(always)]
    unsafe fn copy_kernel(dst: *mut u8, size: u32, src: *const u8) {
        #[cfg(target_arch = "bpf")]
        {
            const BPF_PROBE_READ_KERNEL: usize = 113;
            // SAFETY: helper 113 is `long bpf_probe_read_kernel(void *dst,
            // u32 size, const void *unsafe_ptr)`; it writes at most `size`
            // bytes at `dst`.
            unsafe {
                let helper: unsafe extern "C" fn(*mut u8, u32, *const u8) -> i64 =
                    core::mem::transmute(BPF_PROBE_READ_KERNEL);
                helper(dst, size, src);
            }
        }
        #[cfg(not(target_arch = "bpf"))]
        // SAFETY: the caller's.
        unsafe {
            core::ptr::copy_nonoverlapping(src, dst, size as usize)
        }
    }

    /// Whether the field `project` points at is signed, as BTF says it.
    pub fn field_pointee_signed<T: Relocatable, F: Signedness>(
        _project: fn(*const T) -> *const F,
    ) -> bool {
        F::SIGNED
    }

    /// Field types whose signedness [`field_signed!`] reports off eBPF.
    pub trait Signedness {
        const SIGNED: bool;
    }

    macro_rules! signedness {
        ($signed:literal: $($t:ty),*) => {
            $(impl Signedness for $t { const SIGNED: bool = $signed; })*
        };
    }
    signedness!(true: i8, i16, i32, i64, i128, isize);
    signedness!(false: u8, u16, u32, u64, u128, usize, bool, char);
    impl<T: ?Sized> Signedness for *const T {
        const SIGNED: bool = false;
    }
    impl<T: ?Sized> Signedness for *mut T {
        const SIGNED: bool = false;
    }
    impl<T: Signedness, S, const BIT: u32, const BITS: u32> Signedness
        for crate::Bitfield<T, S, BIT, BITS>
    {
        const SIGNED: bool = T::SIGNED;
    }

    /// Reads `*src`: with `bpf_probe_read_kernel` on eBPF (zero bytes when
    /// the read fails), directly elsewhere.
    ///
    /// # Safety
    ///
    /// Off eBPF, `src` must be valid for reads. `T` must be valid when
    /// all-zero (integers, raw pointers, arrays and structs of those).
    #[inline(always)]
    pub unsafe fn read<T>(src: *const T) -> T {
        let mut value = core::mem::MaybeUninit::<T>::zeroed();
        // SAFETY: `value` has room for a `T`; `src` is the caller's; a
        // failed read leaves it zero, which the caller allows.
        unsafe {
            copy_kernel(
                value.as_mut_ptr().cast(),
                core::mem::size_of::<T>() as u32,
                src.cast(),
            );
            value.assume_init()
        }
    }
}

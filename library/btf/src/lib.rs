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

#![no_std]
#![feature(rustc_attrs)]
#![allow(internal_features)]

pub use btf_macros::relocatable;

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
                ::core::mem::offset_of!($Carrier, $($field).+) as u64
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
                $crate::__field_size!($Carrier, $($field).+)
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
/// its offset with its size (`BPF_CORE_READ_BITFIELD`).
#[macro_export]
macro_rules! field_lshift {
    ($Carrier:ty, $($field:ident).+ $(,)?) => {
        $crate::__field_info!(
            FIELD_LSHIFT_U64,
            $Carrier,
            $($field).+,
            64 - 8 * $crate::__field_size!($Carrier, $($field).+)
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
            64 - 8 * $crate::__field_size!($Carrier, $($field).+)
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

#[doc(hidden)]
#[macro_export]
macro_rules! __field_size {
    ($Carrier:ty, $($field:ident).+) => {
        $crate::__private::field_pointee_size::<$Carrier, _>(
            |p| unsafe { ::core::ptr::addr_of!((*p).$($field).+) },
        ) as u64
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __field_info {
    ($kind:ident, $Carrier:ty, $($field:ident).+, $host:expr) => {{
        #[cfg(target_arch = "bpf")]
        let value = {
            // Type-checks the path; the backend reads the string.
            let _ = $host;
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

    /// Reads `*src`: with `bpf_probe_read_kernel` on eBPF (zero bytes when
    /// the read fails), directly elsewhere.
    ///
    /// # Safety
    ///
    /// Off eBPF, `src` must be valid for reads. `T` must be valid when
    /// all-zero (integers, raw pointers, arrays and structs of those).
    #[inline(always)]
    pub unsafe fn read<T>(src: *const T) -> T {
        #[cfg(target_arch = "bpf")]
        {
            const BPF_PROBE_READ_KERNEL: usize = 113;
            let mut value = core::mem::MaybeUninit::<T>::zeroed();
            // SAFETY: helper 113 is `long bpf_probe_read_kernel(void *dst,
            // u32 size, const void *unsafe_ptr)`; it writes at most `size`
            // bytes of `value`.
            unsafe {
                let helper: unsafe extern "C" fn(*mut u8, u32, *const u8) -> i64 =
                    core::mem::transmute(BPF_PROBE_READ_KERNEL);
                helper(
                    value.as_mut_ptr().cast(),
                    core::mem::size_of::<T>() as u32,
                    src.cast(),
                );
                value.assume_init()
            }
        }
        #[cfg(not(target_arch = "bpf"))]
        // SAFETY: the caller's.
        unsafe {
            core::ptr::read(src)
        }
    }
}

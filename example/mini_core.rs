//! `mini_core`: a very small stand-in for `core`, used to build test programs
//! (`mini_core_hello_world.rs` and the ui tests) for `rustc_codegen_bpf`
//! without a real standard library.
//!
//! It declares the lang items rustc needs to type-check and build MIR for
//! ordinary code: the marker traits, the operator and comparison traits with
//! impls for every primitive, the closure traits, drop glue, `Box` (on top of
//! libc `malloc`/`free`), `#[track_caller]` locations, the panic entry points
//! (they print `panicked at FILE:LINE:COL:` plus a message to stderr and call
//! libc `abort()`), a `start` lang item so that binaries can use a plain
//! `fn main()`, a set of `#[rustc_intrinsic]` declarations, and libc externs.
//!
//! Everything is re-exported at the crate root, so users write
//! `use mini_core::*;` and get a small prelude. The crate is always built with
//! `-Cpanic=abort`; nothing here unwinds.

#![feature(
    no_core,
    lang_items,
    intrinsics,
    rustc_attrs,
    decl_macro,
    auto_traits,
    negative_impls,
    freeze_impls,
    unboxed_closures,
    pattern_types,
    extern_types,
    transparent_unions
)]
#![no_core]
#![rustc_coherence_is_core]
#![allow(
    internal_features,
    dead_code,
    non_camel_case_types,
    unused_unsafe,
    ambiguous_wide_pointer_comparisons,
    unnecessary_transmutes
)]

pub use self::boxed::*;
pub use self::cell::*;
pub use self::clone::*;
pub use self::cmp::*;
pub use self::iter::*;
pub use self::libc::{c_char, c_int};
pub use self::macros::*;
pub use self::marker::*;
pub use self::mem::{ManuallyDrop, MaybeUninit};
pub use self::ops::*;
pub use self::option::Option::{self, None, Some};
pub use self::panicking::Location;
pub use self::ptr::NonNull;
pub use self::rt::Termination;

// ---------------------------------------------------------------------------
// Built-in macros
// ---------------------------------------------------------------------------

/// The compiler-provided macros the tests use.
pub mod macros {
    #[rustc_builtin_macro]
    pub macro concat($($t:tt)*) {
        /* compiler built-in */
    }

    #[rustc_builtin_macro]
    pub macro stringify($($t:tt)*) {
        /* compiler built-in */
    }

    #[rustc_builtin_macro]
    pub macro file() {
        /* compiler built-in */
    }

    #[rustc_builtin_macro]
    pub macro line() {
        /* compiler built-in */
    }

    #[rustc_builtin_macro]
    pub macro column() {
        /* compiler built-in */
    }

    #[rustc_builtin_macro(pattern_type)]
    pub macro pattern_type($($t:tt)*) {
        /* compiler built-in */
    }
}

// ---------------------------------------------------------------------------
// Pattern types
// ---------------------------------------------------------------------------

/// Support for pattern types such as `pattern_type!(u32 is 1..)`: open
/// ranges need the bounds of the base type.
pub mod pat {
    use crate::macros::pattern_type;
    use crate::marker::*;

    pub trait RangePattern {
        #[lang = "RangeMin"]
        const MIN: Self;
        #[lang = "RangeMax"]
        const MAX: Self;
    }

    macro_rules! range_pattern_impls {
        ($($t:ty)*) => {$(
            impl RangePattern for $t {
                const MIN: $t = <$t>::MIN;
                const MAX: $t = <$t>::MAX;
            }
        )*};
    }
    range_pattern_impls!(u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize);

    impl RangePattern for char {
        const MIN: char = '\0';
        const MAX: char = char::MAX;
    }

    impl<T: PointeeSized> Unpin for pattern_type!(*const T is !null) {}
    unsafe impl<T: PointeeSized> UnsafeUnpin for pattern_type!(*const T is !null) {}
    unsafe impl<T: PointeeSized> UnsafeUnpin for pattern_type!(*mut T is !null) {}
    unsafe impl<T: PointeeSized> Freeze for pattern_type!(*const T is !null) {}
    unsafe impl<T: PointeeSized> Freeze for pattern_type!(*mut T is !null) {}
}

// ---------------------------------------------------------------------------
// Marker traits
// ---------------------------------------------------------------------------

pub mod marker {
    use crate::ptr::NonNull;

    #[lang = "pointee_sized"]
    pub trait PointeeSized {}

    #[lang = "meta_sized"]
    pub trait MetaSized: PointeeSized {}

    #[lang = "sized"]
    pub trait Sized: MetaSized {}

    #[lang = "copy"]
    pub trait Copy {}

    #[lang = "destruct"]
    pub trait Destruct {}

    #[lang = "tuple_trait"]
    pub trait Tuple {}

    #[lang = "unsize"]
    pub trait Unsize<T: PointeeSized>: PointeeSized {}

    #[lang = "structural_peq"]
    pub trait StructuralPartialEq {}

    #[lang = "bikeshed_guaranteed_no_drop"]
    pub trait BikeshedGuaranteedNoDrop {}

    /// Types without interior mutability. `UnsafeCell` opts out below.
    #[lang = "freeze"]
    pub unsafe auto trait Freeze {}

    /// Types that may be shared between threads. Only `UnsafeCell` opts
    /// out; raw pointers are deliberately `Sync` here so that tests can put
    /// them in statics without ceremony.
    #[lang = "sync"]
    pub unsafe auto trait Sync {}

    pub unsafe auto trait Send {}

    #[lang = "unpin"]
    pub auto trait Unpin {}

    /// Queried for `&mut T` noalias decisions (at least when optimising).
    #[lang = "unsafe_unpin"]
    pub unsafe auto trait UnsafeUnpin {}

    unsafe impl<T: PointeeSized> UnsafeUnpin for PhantomData<T> {}
    unsafe impl<T: PointeeSized> UnsafeUnpin for *const T {}
    unsafe impl<T: PointeeSized> UnsafeUnpin for *mut T {}
    unsafe impl<T: PointeeSized> UnsafeUnpin for &T {}
    unsafe impl<T: PointeeSized> UnsafeUnpin for &mut T {}

    #[lang = "phantom_data"]
    pub struct PhantomData<T: PointeeSized>;

    impl<T: PointeeSized> Copy for PhantomData<T> {}

    unsafe impl<T: PointeeSized> Freeze for PhantomData<T> {}
    unsafe impl<T: PointeeSized> Freeze for *const T {}
    unsafe impl<T: PointeeSized> Freeze for *mut T {}
    unsafe impl<T: PointeeSized> Freeze for &T {}
    unsafe impl<T: PointeeSized> Freeze for &mut T {}

    unsafe impl<T: PointeeSized> Sync for *const T {}
    unsafe impl<T: PointeeSized> Sync for *mut T {}
    unsafe impl<T: PointeeSized> Sync for &T {}
    unsafe impl<T: PointeeSized> Sync for &mut T {}

    /// Gives every type its discriminant type (`discriminant_value`).
    #[lang = "discriminant_kind"]
    pub trait DiscriminantKind {
        #[lang = "discriminant_type"]
        type Discriminant: Copy;
    }

    /// Gives every type its pointer metadata type (`ptr_metadata`).
    #[lang = "pointee_trait"]
    pub trait Pointee: PointeeSized {
        #[lang = "metadata_type"]
        type Metadata: Copy + Sync + Unpin + Freeze;
    }

    unsafe extern "C" {
        /// What a vtable pointer points at; never read directly.
        pub type VTable;
    }

    /// The metadata of a pointer to a `dyn Trait`: the vtable pointer.
    #[lang = "dyn_metadata"]
    pub struct DynMetadata<Dyn: PointeeSized> {
        vtable: NonNull<VTable>,
        marker: PhantomData<Dyn>,
    }

    impl<Dyn: PointeeSized> Copy for DynMetadata<Dyn> {}

    macro_rules! copy_impls {
        ($($t:ty)*) => { $( impl Copy for $t {} )* };
    }
    copy_impls!(bool char f32 f64 u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize);

    impl<T: PointeeSized> Copy for &T {}
    impl<T: PointeeSized> Copy for *const T {}
    impl<T: PointeeSized> Copy for *mut T {}
    impl<T: Copy, const N: usize> Copy for [T; N] {}
}

// ---------------------------------------------------------------------------
// Clone
// ---------------------------------------------------------------------------

pub mod clone {
    use crate::marker::*;

    #[lang = "clone"]
    pub trait Clone: Sized {
        #[lang = "clone_fn"]
        fn clone(&self) -> Self;
    }

    macro_rules! clone_by_copy {
        ($($t:ty)*) => {
            $( impl Clone for $t { #[inline] fn clone(&self) -> Self { *self } } )*
        };
    }
    clone_by_copy!(bool char f32 f64 u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize);

    impl<T: PointeeSized> Clone for &T {
        #[inline]
        fn clone(&self) -> Self {
            *self
        }
    }
    impl<T: PointeeSized> Clone for *const T {
        #[inline]
        fn clone(&self) -> Self {
            *self
        }
    }
    impl<T: PointeeSized> Clone for *mut T {
        #[inline]
        fn clone(&self) -> Self {
            *self
        }
    }
    impl<T: Copy, const N: usize> Clone for [T; N] {
        #[inline]
        fn clone(&self) -> Self {
            *self
        }
    }
}

// ---------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------

pub mod ops {
    use crate::marker::*;
    use crate::panicking::panic_str;
    use crate::ptr::NonNull;

    macro_rules! binary_trait {
        ($lang:literal $Trait:ident $method:ident) => {
            #[lang = $lang]
            pub trait $Trait<Rhs = Self> {
                type Output;
                fn $method(self, rhs: Rhs) -> Self::Output;
            }
        };
    }
    binary_trait!("add" Add add);
    binary_trait!("sub" Sub sub);
    binary_trait!("mul" Mul mul);
    binary_trait!("div" Div div);
    binary_trait!("rem" Rem rem);
    binary_trait!("bitand" BitAnd bitand);
    binary_trait!("bitor" BitOr bitor);
    binary_trait!("bitxor" BitXor bitxor);
    binary_trait!("shl" Shl shl);
    binary_trait!("shr" Shr shr);

    macro_rules! assign_trait {
        ($lang:literal $Trait:ident $method:ident) => {
            #[lang = $lang]
            pub trait $Trait<Rhs = Self> {
                fn $method(&mut self, rhs: Rhs);
            }
        };
    }
    assign_trait!("add_assign" AddAssign add_assign);
    assign_trait!("sub_assign" SubAssign sub_assign);
    assign_trait!("mul_assign" MulAssign mul_assign);
    assign_trait!("div_assign" DivAssign div_assign);
    assign_trait!("rem_assign" RemAssign rem_assign);
    assign_trait!("bitand_assign" BitAndAssign bitand_assign);
    assign_trait!("bitor_assign" BitOrAssign bitor_assign);
    assign_trait!("bitxor_assign" BitXorAssign bitxor_assign);
    assign_trait!("shl_assign" ShlAssign shl_assign);
    assign_trait!("shr_assign" ShrAssign shr_assign);

    #[lang = "neg"]
    pub trait Neg {
        type Output;
        fn neg(self) -> Self::Output;
    }

    #[lang = "not"]
    pub trait Not {
        type Output;
        fn not(self) -> Self::Output;
    }

    // The bodies use the built-in operator of the primitive type, which MIR
    // building lowers directly; they do not recurse.
    macro_rules! binary_impls {
        ($Trait:ident $method:ident $ATrait:ident $amethod:ident $op:tt; $($t:ty)*) => {$(
            impl $Trait for $t {
                type Output = $t;
                #[inline]
                #[rustc_inherit_overflow_checks]
                fn $method(self, rhs: $t) -> $t { self $op rhs }
            }
            impl $ATrait for $t {
                #[inline]
                #[rustc_inherit_overflow_checks]
                fn $amethod(&mut self, rhs: $t) { *self = *self $op rhs; }
            }
        )*};
    }
    macro_rules! arith_impls {
        ($($t:ty)*) => {
            binary_impls!(Add add AddAssign add_assign +; $($t)*);
            binary_impls!(Sub sub SubAssign sub_assign -; $($t)*);
            binary_impls!(Mul mul MulAssign mul_assign *; $($t)*);
            binary_impls!(Div div DivAssign div_assign /; $($t)*);
            binary_impls!(Rem rem RemAssign rem_assign %; $($t)*);
        };
    }
    macro_rules! bit_impls {
        ($($t:ty)*) => {
            binary_impls!(BitAnd bitand BitAndAssign bitand_assign &; $($t)*);
            binary_impls!(BitOr bitor BitOrAssign bitor_assign |; $($t)*);
            binary_impls!(BitXor bitxor BitXorAssign bitxor_assign ^; $($t)*);
            $( impl Not for $t { type Output = $t; #[inline] fn not(self) -> $t { !self } } )*
        };
    }
    macro_rules! neg_impls {
        ($($t:ty)*) => {$(
            impl Neg for $t {
                type Output = $t;
                #[inline]
                #[rustc_inherit_overflow_checks]
                fn neg(self) -> $t { -self }
            }
        )*};
    }
    // Every integer type may be shifted by every integer type.
    macro_rules! shift_impls {
        ($($t:ty)*) => { $( shift_impls!(@rhs $t; u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize); )* };
        (@rhs $t:ty; $($r:ty)*) => {$(
            impl Shl<$r> for $t {
                type Output = $t;
                #[inline]
                #[rustc_inherit_overflow_checks]
                fn shl(self, rhs: $r) -> $t { self << rhs }
            }
            impl Shr<$r> for $t {
                type Output = $t;
                #[inline]
                #[rustc_inherit_overflow_checks]
                fn shr(self, rhs: $r) -> $t { self >> rhs }
            }
            impl ShlAssign<$r> for $t {
                #[inline]
                #[rustc_inherit_overflow_checks]
                fn shl_assign(&mut self, rhs: $r) { *self = *self << rhs; }
            }
            impl ShrAssign<$r> for $t {
                #[inline]
                #[rustc_inherit_overflow_checks]
                fn shr_assign(&mut self, rhs: $r) { *self = *self >> rhs; }
            }
        )*};
    }

    arith_impls!(u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64);
    bit_impls!(bool u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize);
    neg_impls!(i8 i16 i32 i64 i128 isize f32 f64);
    shift_impls!(u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize);

    // --- closures -----------------------------------------------------------

    #[lang = "fn_once"]
    #[rustc_paren_sugar]
    pub trait FnOnce<Args: Tuple> {
        #[lang = "fn_once_output"]
        type Output;
        extern "rust-call" fn call_once(self, args: Args) -> Self::Output;
    }

    #[lang = "fn_mut"]
    #[rustc_paren_sugar]
    pub trait FnMut<Args: Tuple>: FnOnce<Args> {
        extern "rust-call" fn call_mut(&mut self, args: Args) -> Self::Output;
    }

    #[lang = "fn"]
    #[rustc_paren_sugar]
    pub trait Fn<Args: Tuple>: FnMut<Args> {
        extern "rust-call" fn call(&self, args: Args) -> Self::Output;
    }

    // A reference to a closure is itself callable.
    impl<A: Tuple, F: Fn<A> + ?Sized> FnOnce<A> for &F {
        type Output = F::Output;
        extern "rust-call" fn call_once(self, args: A) -> F::Output {
            (*self).call(args)
        }
    }
    impl<A: Tuple, F: Fn<A> + ?Sized> FnMut<A> for &F {
        extern "rust-call" fn call_mut(&mut self, args: A) -> F::Output {
            (**self).call(args)
        }
    }
    impl<A: Tuple, F: Fn<A> + ?Sized> Fn<A> for &F {
        extern "rust-call" fn call(&self, args: A) -> F::Output {
            (**self).call(args)
        }
    }
    impl<A: Tuple, F: FnMut<A> + ?Sized> FnOnce<A> for &mut F {
        type Output = F::Output;
        extern "rust-call" fn call_once(self, args: A) -> F::Output {
            (*self).call_mut(args)
        }
    }
    impl<A: Tuple, F: FnMut<A> + ?Sized> FnMut<A> for &mut F {
        extern "rust-call" fn call_mut(&mut self, args: A) -> F::Output {
            (**self).call_mut(args)
        }
    }

    // --- drop -----------------------------------------------------------------

    #[lang = "drop"]
    pub trait Drop {
        fn drop(&mut self);
    }

    // --- deref and indexing -------------------------------------------------

    #[lang = "deref"]
    pub trait Deref {
        #[lang = "deref_target"]
        type Target: ?Sized;
        fn deref(&self) -> &Self::Target;
    }

    #[lang = "deref_mut"]
    pub trait DerefMut: Deref {
        fn deref_mut(&mut self) -> &mut Self::Target;
    }

    #[lang = "legacy_receiver"]
    pub trait LegacyReceiver: PointeeSized {}

    impl<T: PointeeSized> LegacyReceiver for &T {}
    impl<T: PointeeSized> LegacyReceiver for &mut T {}

    #[lang = "index"]
    pub trait Index<Idx: ?Sized> {
        type Output: ?Sized;
        fn index(&self, index: Idx) -> &Self::Output;
    }

    #[lang = "index_mut"]
    pub trait IndexMut<Idx: ?Sized>: Index<Idx> {
        fn index_mut(&mut self, index: Idx) -> &mut Self::Output;
    }

    /// `start..end`.
    #[lang = "Range"]
    pub struct Range<Idx> {
        pub start: Idx,
        pub end: Idx,
    }

    // Indexing arrays and slices with a `usize` is built into the compiler
    // (so these bodies do not recurse); the impls are still needed so that
    // the index type is not inferred to be a `Range`.
    impl<T> Index<usize> for [T] {
        type Output = T;
        #[inline]
        fn index(&self, index: usize) -> &T {
            &self[index]
        }
    }

    impl<T> IndexMut<usize> for [T] {
        #[inline]
        fn index_mut(&mut self, index: usize) -> &mut T {
            &mut self[index]
        }
    }

    impl<T, const N: usize> Index<usize> for [T; N] {
        type Output = T;
        #[inline]
        fn index(&self, index: usize) -> &T {
            &self[index]
        }
    }

    impl<T, const N: usize> IndexMut<usize> for [T; N] {
        #[inline]
        fn index_mut(&mut self, index: usize) -> &mut T {
            &mut self[index]
        }
    }

    impl<T> Index<Range<usize>> for [T] {
        type Output = [T];
        #[track_caller]
        fn index(&self, r: Range<usize>) -> &[T] {
            if r.start > r.end || r.end > self.len() {
                panic_str("slice range out of bounds", crate::panicking::Location::caller());
            }
            unsafe { &*crate::ptr::slice_from_raw_parts(self.as_ptr().add(r.start), r.end - r.start) }
        }
    }

    impl<T, const N: usize> Index<Range<usize>> for [T; N] {
        type Output = [T];
        #[track_caller]
        fn index(&self, r: Range<usize>) -> &[T] {
            Index::index(self as &[T], r)
        }
    }

    impl<T, const N: usize> IndexMut<Range<usize>> for [T; N] {
        #[track_caller]
        fn index_mut(&mut self, r: Range<usize>) -> &mut [T] {
            IndexMut::index_mut(self as &mut [T], r)
        }
    }

    impl<T> IndexMut<Range<usize>> for [T] {
        #[track_caller]
        fn index_mut(&mut self, r: Range<usize>) -> &mut [T] {
            if r.start > r.end || r.end > self.len() {
                panic_str("slice range out of bounds", crate::panicking::Location::caller());
            }
            unsafe {
                &mut *crate::ptr::slice_from_raw_parts_mut(
                    self.as_mut_ptr().add(r.start),
                    r.end - r.start,
                )
            }
        }
    }

    // --- unsizing -------------------------------------------------------------

    #[lang = "coerce_unsized"]
    pub trait CoerceUnsized<T: PointeeSized> {}

    impl<'a, 'b: 'a, T: PointeeSized + Unsize<U>, U: PointeeSized> CoerceUnsized<&'a U> for &'b T {}
    impl<'a, 'b: 'a, T: PointeeSized + Unsize<U>, U: PointeeSized> CoerceUnsized<&'a mut U>
        for &'b mut T
    {
    }
    impl<'a, 'b: 'a, T: PointeeSized + Unsize<U>, U: PointeeSized> CoerceUnsized<&'a U>
        for &'b mut T
    {
    }
    impl<T: PointeeSized + Unsize<U>, U: PointeeSized> CoerceUnsized<*const U> for *const T {}
    impl<T: PointeeSized + Unsize<U>, U: PointeeSized> CoerceUnsized<*mut U> for *mut T {}
    impl<T: PointeeSized + Unsize<U>, U: PointeeSized> CoerceUnsized<*const U> for *mut T {}
    impl<T: PointeeSized + Unsize<U>, U: PointeeSized> CoerceUnsized<NonNull<U>> for NonNull<T> {}

    #[lang = "dispatch_from_dyn"]
    pub trait DispatchFromDyn<T> {}

    impl<'a, T: PointeeSized + Unsize<U>, U: PointeeSized> DispatchFromDyn<&'a U> for &'a T {}
    impl<'a, T: PointeeSized + Unsize<U>, U: PointeeSized> DispatchFromDyn<&'a mut U> for &'a mut T {}
    impl<T: PointeeSized + Unsize<U>, U: PointeeSized> DispatchFromDyn<*const U> for *const T {}
    impl<T: PointeeSized + Unsize<U>, U: PointeeSized> DispatchFromDyn<*mut U> for *mut T {}
    impl<T: PointeeSized + Unsize<U>, U: PointeeSized> DispatchFromDyn<NonNull<U>> for NonNull<T> {}

    // The non-null pattern type inside `NonNull` must coerce as well.
    impl<T: PointeeSized + Unsize<U>, U: PointeeSized>
        CoerceUnsized<crate::macros::pattern_type!(*const U is !null)>
        for crate::macros::pattern_type!(*const T is !null)
    {
    }
    impl<T: DispatchFromDyn<U>, U> DispatchFromDyn<crate::macros::pattern_type!(U is !null)>
        for crate::macros::pattern_type!(T is !null)
    {
    }
}

// ---------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------

pub mod cmp {
    use crate::marker::*;
    use crate::option::Option::{self, *};

    #[lang = "Ordering"]
    #[repr(i8)]
    pub enum Ordering {
        Less = -1,
        Equal = 0,
        Greater = 1,
    }

    impl Copy for Ordering {}

    impl Ordering {
        pub fn as_i8(self) -> i8 {
            self as i8
        }
        pub fn reverse(self) -> Ordering {
            match self {
                Ordering::Less => Ordering::Greater,
                Ordering::Equal => Ordering::Equal,
                Ordering::Greater => Ordering::Less,
            }
        }
    }

    #[lang = "eq"]
    pub trait PartialEq<Rhs: PointeeSized = Self>: PointeeSized {
        fn eq(&self, other: &Rhs) -> bool;
        fn ne(&self, other: &Rhs) -> bool {
            !self.eq(other)
        }
    }

    #[lang = "partial_ord"]
    pub trait PartialOrd<Rhs: PointeeSized = Self>: PartialEq<Rhs> + PointeeSized {
        fn partial_cmp(&self, other: &Rhs) -> Option<Ordering>;
        fn lt(&self, other: &Rhs) -> bool {
            match self.partial_cmp(other) {
                Some(Ordering::Less) => true,
                _ => false,
            }
        }
        fn le(&self, other: &Rhs) -> bool {
            match self.partial_cmp(other) {
                Some(Ordering::Less | Ordering::Equal) => true,
                _ => false,
            }
        }
        fn gt(&self, other: &Rhs) -> bool {
            match self.partial_cmp(other) {
                Some(Ordering::Greater) => true,
                _ => false,
            }
        }
        fn ge(&self, other: &Rhs) -> bool {
            match self.partial_cmp(other) {
                Some(Ordering::Greater | Ordering::Equal) => true,
                _ => false,
            }
        }
    }

    // Built-in comparisons for scalar types (the bodies use the built-in
    // operators, they do not recurse).
    macro_rules! scalar_cmp_impls {
        ($(impl[$($g:tt)*] $t:ty;)*) => {$(
            impl<$($g)*> PartialEq for $t {
                #[inline] fn eq(&self, other: &$t) -> bool { *self == *other }
                #[inline] fn ne(&self, other: &$t) -> bool { *self != *other }
            }
            impl<$($g)*> PartialOrd for $t {
                #[inline]
                fn partial_cmp(&self, other: &$t) -> Option<Ordering> {
                    if *self < *other {
                        Some(Ordering::Less)
                    } else if *self > *other {
                        Some(Ordering::Greater)
                    } else if *self == *other {
                        Some(Ordering::Equal)
                    } else {
                        None
                    }
                }
                #[inline] fn lt(&self, other: &$t) -> bool { *self < *other }
                #[inline] fn le(&self, other: &$t) -> bool { *self <= *other }
                #[inline] fn gt(&self, other: &$t) -> bool { *self > *other }
                #[inline] fn ge(&self, other: &$t) -> bool { *self >= *other }
            }
        )*};
    }
    scalar_cmp_impls! {
        impl[] bool; impl[] char; impl[] f32; impl[] f64;
        impl[] u8; impl[] u16; impl[] u32; impl[] u64; impl[] u128; impl[] usize;
        impl[] i8; impl[] i16; impl[] i32; impl[] i64; impl[] i128; impl[] isize;
        impl[T: PointeeSized] *const T;
        impl[T: PointeeSized] *mut T;
    }

    impl PartialEq for () {
        fn eq(&self, _: &()) -> bool {
            true
        }
    }

    impl PartialEq for Ordering {
        fn eq(&self, other: &Ordering) -> bool {
            (*self as i8) == (*other as i8)
        }
    }

    impl<A: ?Sized + PartialEq<B>, B: ?Sized> PartialEq<&B> for &A {
        fn eq(&self, other: &&B) -> bool {
            PartialEq::eq(*self, *other)
        }
    }

    impl<T: PartialEq> PartialEq for [T] {
        fn eq(&self, other: &[T]) -> bool {
            if self.len() != other.len() {
                return false;
            }
            let mut i = 0;
            while i < self.len() {
                if self[i] != other[i] {
                    return false;
                }
                i += 1;
            }
            true
        }
    }

    impl<T: PartialEq, const N: usize> PartialEq for [T; N] {
        fn eq(&self, other: &[T; N]) -> bool {
            PartialEq::eq(self as &[T], other as &[T])
        }
    }

    impl PartialEq for str {
        fn eq(&self, other: &str) -> bool {
            PartialEq::eq(self.as_bytes(), other.as_bytes())
        }
    }

    impl<T: PartialEq> PartialEq for Option<T> {
        fn eq(&self, other: &Option<T>) -> bool {
            match (self, other) {
                (Some(a), Some(b)) => a.eq(b),
                (None, None) => true,
                _ => false,
            }
        }
    }

    /// The smaller of two values (the first one if they are equal).
    pub fn min<T: PartialOrd>(a: T, b: T) -> T {
        if b < a { b } else { a }
    }

    /// The larger of two values (the second one if they are equal).
    pub fn max<T: PartialOrd>(a: T, b: T) -> T {
        if b < a { a } else { b }
    }
}

// ---------------------------------------------------------------------------
// Option
// ---------------------------------------------------------------------------

pub mod option {
    use crate::marker::*;
    use crate::ops::FnOnce;

    #[lang = "Option"]
    pub enum Option<T> {
        #[lang = "None"]
        None,
        #[lang = "Some"]
        Some(T),
    }

    use Option::*;

    impl<T: Copy> Copy for Option<T> {}

    impl<T> Option<T> {
        pub fn is_some(&self) -> bool {
            match self {
                Some(_) => true,
                None => false,
            }
        }

        pub fn is_none(&self) -> bool {
            !self.is_some()
        }

        #[track_caller]
        pub fn unwrap(self) -> T {
            match self {
                Some(v) => v,
                None => crate::panicking::panic("called `Option::unwrap()` on a `None` value"),
            }
        }

        pub fn unwrap_or(self, default: T) -> T {
            match self {
                Some(v) => v,
                None => default,
            }
        }

        pub fn map<U, F: FnOnce(T) -> U>(self, f: F) -> Option<U> {
            match self {
                Some(v) => Some(f(v)),
                None => None,
            }
        }

        pub fn as_ref(&self) -> Option<&T> {
            match self {
                Some(v) => Some(v),
                None => None,
            }
        }

        pub fn take(&mut self) -> Option<T> {
            crate::mem::replace(self, None)
        }
    }
}

// ---------------------------------------------------------------------------
// Iteration (for `for` loops over ranges)
// ---------------------------------------------------------------------------

pub mod iter {
    use crate::marker::*;
    use crate::ops::Range;
    use crate::option::Option::{self, *};

    #[lang = "iterator"]
    pub trait Iterator {
        type Item;
        #[lang = "next"]
        fn next(&mut self) -> Option<Self::Item>;
    }

    pub trait IntoIterator {
        type Item;
        type IntoIter: Iterator<Item = Self::Item>;
        #[lang = "into_iter"]
        fn into_iter(self) -> Self::IntoIter;
    }

    impl<I: Iterator> IntoIterator for I {
        type Item = I::Item;
        type IntoIter = I;
        fn into_iter(self) -> I {
            self
        }
    }

    /// Integers that a `Range` can step through.
    pub trait Step: Copy + crate::cmp::PartialOrd {
        fn successor(self) -> Self;
    }

    macro_rules! step_impls {
        ($($t:ty)*) => { $( impl Step for $t { #[inline] fn successor(self) -> $t { self + 1 } } )* };
    }
    step_impls!(u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize);

    impl<A: Step> Iterator for Range<A> {
        type Item = A;
        fn next(&mut self) -> Option<A> {
            if self.start < self.end {
                let current = self.start;
                self.start = current.successor();
                Some(current)
            } else {
                None
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Intrinsics
// ---------------------------------------------------------------------------

/// Compiler intrinsics; each declaration must match rustc's own signature.
pub mod intrinsics {
    use crate::cmp::Ordering;
    use crate::marker::*;
    use crate::panicking::Location;

    #[rustc_intrinsic]
    pub fn abort() -> !;
    #[rustc_intrinsic]
    pub unsafe fn unreachable() -> !;
    #[rustc_intrinsic]
    pub unsafe fn assume(b: bool);
    #[rustc_intrinsic]
    pub fn cold_path();
    #[rustc_intrinsic]
    pub const fn caller_location() -> &'static Location<'static>;
    #[rustc_intrinsic]
    pub fn black_box<T>(x: T) -> T;

    // --- layout -------------------------------------------------------------
    #[rustc_intrinsic]
    pub const fn size_of<T>() -> usize;
    #[rustc_intrinsic]
    pub const fn align_of<T>() -> usize;
    #[rustc_intrinsic]
    pub unsafe fn size_of_val<T: ?Sized>(ptr: *const T) -> usize;
    #[rustc_intrinsic]
    pub unsafe fn align_of_val<T: ?Sized>(ptr: *const T) -> usize;
    #[rustc_intrinsic]
    pub const fn needs_drop<T: ?Sized>() -> bool;
    #[rustc_intrinsic]
    pub const fn variant_count<T>() -> usize;
    #[rustc_intrinsic]
    pub fn discriminant_value<T>(v: &T) -> <T as DiscriminantKind>::Discriminant;

    // --- memory -------------------------------------------------------------
    #[rustc_intrinsic]
    pub const unsafe fn transmute<Src, Dst>(src: Src) -> Dst;
    #[rustc_intrinsic]
    pub unsafe fn copy<T>(src: *const T, dst: *mut T, count: usize);
    #[rustc_intrinsic]
    pub unsafe fn copy_nonoverlapping<T>(src: *const T, dst: *mut T, count: usize);
    #[rustc_intrinsic]
    pub unsafe fn write_bytes<T>(dst: *mut T, val: u8, count: usize);
    #[rustc_intrinsic]
    pub unsafe fn volatile_load<T>(src: *const T) -> T;
    #[rustc_intrinsic]
    pub unsafe fn volatile_store<T>(dst: *mut T, val: T);
    #[rustc_intrinsic]
    pub unsafe fn read_via_copy<T>(ptr: *const T) -> T;
    #[rustc_intrinsic]
    pub unsafe fn write_via_move<T>(ptr: *mut T, value: T);

    // --- pointers -----------------------------------------------------------
    #[rustc_intrinsic]
    pub unsafe fn offset<Ptr, Delta>(dst: Ptr, offset: Delta) -> Ptr;
    #[rustc_intrinsic]
    pub unsafe fn arith_offset<T>(dst: *const T, offset: isize) -> *const T;
    #[rustc_intrinsic]
    pub unsafe fn ptr_offset_from<T>(ptr: *const T, base: *const T) -> isize;
    #[rustc_intrinsic]
    pub unsafe fn ptr_offset_from_unsigned<T>(ptr: *const T, base: *const T) -> usize;
    #[rustc_intrinsic]
    pub fn ptr_metadata<P: PointeeSized + Pointee<Metadata = M>, M>(ptr: *const P) -> M;
    #[rustc_intrinsic]
    pub fn aggregate_raw_ptr<P, D, M>(data: D, meta: M) -> P;

    // --- integers -----------------------------------------------------------
    #[rustc_intrinsic]
    pub fn ctpop<T: Copy>(x: T) -> u32;
    #[rustc_intrinsic]
    pub fn ctlz<T: Copy>(x: T) -> u32;
    #[rustc_intrinsic]
    pub fn cttz<T: Copy>(x: T) -> u32;
    #[rustc_intrinsic]
    pub unsafe fn ctlz_nonzero<T: Copy>(x: T) -> u32;
    #[rustc_intrinsic]
    pub unsafe fn cttz_nonzero<T: Copy>(x: T) -> u32;
    #[rustc_intrinsic]
    pub fn bswap<T: Copy>(x: T) -> T;
    #[rustc_intrinsic]
    pub fn bitreverse<T: Copy>(x: T) -> T;
    #[rustc_intrinsic]
    pub unsafe fn unchecked_funnel_shl<T: Copy>(a: T, b: T, shift: u32) -> T;
    #[rustc_intrinsic]
    pub unsafe fn unchecked_funnel_shr<T: Copy>(a: T, b: T, shift: u32) -> T;

    // Intrinsics with a fallback body: a backend may implement them itself
    // or let the body be used (LLVM uses these bodies).
    #[rustc_intrinsic]
    pub fn rotate_left<T: Copy>(x: T, shift: u32) -> T {
        let bits = const { size_of::<T>() } as u32 * 8;
        unsafe { unchecked_funnel_shl(x, x, shift % bits) }
    }
    #[rustc_intrinsic]
    pub fn rotate_right<T: Copy>(x: T, shift: u32) -> T {
        let bits = const { size_of::<T>() } as u32 * 8;
        unsafe { unchecked_funnel_shr(x, x, shift % bits) }
    }
    #[rustc_intrinsic]
    pub fn three_way_compare<T: Copy>(lhs: T, rhs: T) -> Ordering;
    #[rustc_intrinsic]
    pub fn add_with_overflow<T: Copy>(x: T, y: T) -> (T, bool);
    #[rustc_intrinsic]
    pub fn sub_with_overflow<T: Copy>(x: T, y: T) -> (T, bool);
    #[rustc_intrinsic]
    pub fn mul_with_overflow<T: Copy>(x: T, y: T) -> (T, bool);
    #[rustc_intrinsic]
    pub fn wrapping_add<T: Copy>(a: T, b: T) -> T;
    #[rustc_intrinsic]
    pub fn wrapping_sub<T: Copy>(a: T, b: T) -> T;
    #[rustc_intrinsic]
    pub fn wrapping_mul<T: Copy>(a: T, b: T) -> T;
    #[rustc_intrinsic]
    pub fn saturating_add<T: Copy>(a: T, b: T) -> T;
    #[rustc_intrinsic]
    pub fn saturating_sub<T: Copy>(a: T, b: T) -> T;
    #[rustc_intrinsic]
    pub unsafe fn unchecked_add<T: Copy>(x: T, y: T) -> T;
    #[rustc_intrinsic]
    pub unsafe fn unchecked_sub<T: Copy>(x: T, y: T) -> T;
    #[rustc_intrinsic]
    pub unsafe fn unchecked_mul<T: Copy>(x: T, y: T) -> T;
    #[rustc_intrinsic]
    pub unsafe fn unchecked_div<T: Copy>(x: T, y: T) -> T;
    #[rustc_intrinsic]
    pub unsafe fn unchecked_rem<T: Copy>(x: T, y: T) -> T;
    #[rustc_intrinsic]
    pub unsafe fn unchecked_shl<T: Copy, U: Copy>(x: T, y: U) -> T;
    #[rustc_intrinsic]
    pub unsafe fn unchecked_shr<T: Copy, U: Copy>(x: T, y: U) -> T;
    #[rustc_intrinsic]
    pub unsafe fn exact_div<T: Copy>(x: T, y: T) -> T;

    // --- floats -------------------------------------------------------------
    #[rustc_intrinsic]
    pub fn sqrtf32(x: f32) -> f32;
    #[rustc_intrinsic]
    pub fn sqrtf64(x: f64) -> f64;
    #[rustc_intrinsic]
    pub fn floorf32(x: f32) -> f32;
    #[rustc_intrinsic]
    pub fn floorf64(x: f64) -> f64;
    #[rustc_intrinsic]
    pub fn ceilf64(x: f64) -> f64;
    #[rustc_intrinsic]
    pub fn truncf64(x: f64) -> f64;
    #[rustc_intrinsic]
    pub fn roundf64(x: f64) -> f64;
    #[rustc_intrinsic]
    pub fn fabs<T: Copy>(x: T) -> T;
    #[rustc_intrinsic]
    pub fn copysignf64(x: f64, y: f64) -> f64;
    #[rustc_intrinsic]
    pub fn fmaf64(a: f64, b: f64, c: f64) -> f64;
    #[rustc_intrinsic]
    pub fn minimum_number_nsz_f64(x: f64, y: f64) -> f64;
    #[rustc_intrinsic]
    pub fn maximum_number_nsz_f64(x: f64, y: f64) -> f64;
    /// IEEE 754-2019 minimum: NaN-propagating, -0.0 < +0.0.
    #[rustc_intrinsic]
    pub fn minimumf64(x: f64, y: f64) -> f64 {
        if x < y {
            x
        } else if y < x {
            y
        } else if x == y {
            // Equal values differ at most in the sign bit (for zeros).
            unsafe { transmute::<u64, f64>(transmute::<f64, u64>(x) | transmute::<f64, u64>(y)) }
        } else {
            x + y
        }
    }
    /// IEEE 754-2019 maximum: NaN-propagating, -0.0 < +0.0.
    #[rustc_intrinsic]
    pub fn maximumf64(x: f64, y: f64) -> f64 {
        if x > y {
            x
        } else if y > x {
            y
        } else if x == y {
            unsafe { transmute::<u64, f64>(transmute::<f64, u64>(x) & transmute::<f64, u64>(y)) }
        } else {
            x + y
        }
    }
    #[rustc_intrinsic]
    pub fn powif64(a: f64, x: i32) -> f64;

    /// Not an intrinsic any more in this nightly: built on `cold_path`.
    #[inline(always)]
    pub fn likely(b: bool) -> bool {
        if b {
            true
        } else {
            cold_path();
            false
        }
    }

    /// Not an intrinsic any more in this nightly: built on `cold_path`.
    #[inline(always)]
    pub fn unlikely(b: bool) -> bool {
        if b {
            cold_path();
            true
        } else {
            false
        }
    }
}

// ---------------------------------------------------------------------------
// Methods on primitive types
// ---------------------------------------------------------------------------

/// Inherent methods for integers, floats, `str`, slices and raw pointers
/// (allowed here by `#![rustc_coherence_is_core]`).
pub mod prim {
    use crate::intrinsics;
    use crate::marker::*;
    use crate::option::Option::{self, *};

    macro_rules! int_methods {
        ($($t:ident $bits:literal $min:expr, $max:expr, $signed:literal;)*) => {$(
            impl $t {
                pub const MIN: $t = $min;
                pub const MAX: $t = $max;
                pub const BITS: u32 = $bits;

                #[inline]
                pub fn checked_add(self, rhs: $t) -> Option<$t> {
                    let (v, o) = intrinsics::add_with_overflow(self, rhs);
                    if o { None } else { Some(v) }
                }
                #[inline]
                pub fn checked_sub(self, rhs: $t) -> Option<$t> {
                    let (v, o) = intrinsics::sub_with_overflow(self, rhs);
                    if o { None } else { Some(v) }
                }
                #[inline]
                pub fn checked_mul(self, rhs: $t) -> Option<$t> {
                    let (v, o) = intrinsics::mul_with_overflow(self, rhs);
                    if o { None } else { Some(v) }
                }
                #[inline]
                pub fn checked_div(self, rhs: $t) -> Option<$t> {
                    if rhs == 0 || ($signed && self == Self::MIN && rhs == (0 as $t).wrapping_sub(1)) {
                        None
                    } else {
                        Some(unsafe { intrinsics::unchecked_div(self, rhs) })
                    }
                }
                #[inline]
                pub fn checked_rem(self, rhs: $t) -> Option<$t> {
                    if rhs == 0 || ($signed && self == Self::MIN && rhs == (0 as $t).wrapping_sub(1)) {
                        None
                    } else {
                        Some(unsafe { intrinsics::unchecked_rem(self, rhs) })
                    }
                }
                #[inline]
                pub fn overflowing_add(self, rhs: $t) -> ($t, bool) {
                    intrinsics::add_with_overflow(self, rhs)
                }
                #[inline]
                pub fn overflowing_sub(self, rhs: $t) -> ($t, bool) {
                    intrinsics::sub_with_overflow(self, rhs)
                }
                #[inline]
                pub fn overflowing_mul(self, rhs: $t) -> ($t, bool) {
                    intrinsics::mul_with_overflow(self, rhs)
                }
                #[inline]
                pub fn wrapping_add(self, rhs: $t) -> $t {
                    intrinsics::wrapping_add(self, rhs)
                }
                #[inline]
                pub fn wrapping_sub(self, rhs: $t) -> $t {
                    intrinsics::wrapping_sub(self, rhs)
                }
                #[inline]
                pub fn wrapping_mul(self, rhs: $t) -> $t {
                    intrinsics::wrapping_mul(self, rhs)
                }
                #[inline]
                pub fn wrapping_neg(self) -> $t {
                    intrinsics::wrapping_sub(0, self)
                }
                /// Shift with the amount masked to the bit width, like `wrapping_shl`.
                #[inline]
                pub fn wrapping_shl(self, rhs: u32) -> $t {
                    unsafe { intrinsics::unchecked_shl(self, rhs & ($bits - 1)) }
                }
                #[inline]
                pub fn wrapping_shr(self, rhs: u32) -> $t {
                    unsafe { intrinsics::unchecked_shr(self, rhs & ($bits - 1)) }
                }
                #[inline]
                pub fn saturating_add(self, rhs: $t) -> $t {
                    intrinsics::saturating_add(self, rhs)
                }
                #[inline]
                pub fn saturating_sub(self, rhs: $t) -> $t {
                    intrinsics::saturating_sub(self, rhs)
                }
                #[inline]
                pub fn count_ones(self) -> u32 {
                    intrinsics::ctpop(self)
                }
                #[inline]
                pub fn leading_zeros(self) -> u32 {
                    intrinsics::ctlz(self)
                }
                #[inline]
                pub fn trailing_zeros(self) -> u32 {
                    intrinsics::cttz(self)
                }
                #[inline]
                pub fn swap_bytes(self) -> $t {
                    intrinsics::bswap(self)
                }
                #[inline]
                pub fn reverse_bits(self) -> $t {
                    intrinsics::bitreverse(self)
                }
                #[inline]
                pub fn rotate_left(self, n: u32) -> $t {
                    intrinsics::rotate_left(self, n)
                }
                #[inline]
                pub fn rotate_right(self, n: u32) -> $t {
                    intrinsics::rotate_right(self, n)
                }
                /// Exponentiation by squaring, with overflow checks in debug builds.
                #[rustc_inherit_overflow_checks]
                pub fn pow(self, mut exp: u32) -> $t {
                    let mut base = self;
                    let mut acc: $t = 1;
                    while exp > 1 {
                        if (exp & 1) == 1 {
                            acc = acc * base;
                        }
                        exp /= 2;
                        base = base * base;
                    }
                    if exp == 1 {
                        acc = acc * base;
                    }
                    acc
                }
            }
        )*};
    }

    int_methods! {
        u8 8 0, 0xff, false;
        u16 16 0, 0xffff, false;
        u32 32 0, 0xffff_ffff, false;
        u64 64 0, 0xffff_ffff_ffff_ffff, false;
        u128 128 0, 0xffff_ffff_ffff_ffff_ffff_ffff_ffff_ffff, false;
        usize 64 0, 0xffff_ffff_ffff_ffff, false;
        i8 8 -0x80, 0x7f, true;
        i16 16 -0x8000, 0x7fff, true;
        i32 32 -0x8000_0000, 0x7fff_ffff, true;
        i64 64 -0x8000_0000_0000_0000, 0x7fff_ffff_ffff_ffff, true;
        i128 128 -0x8000_0000_0000_0000_0000_0000_0000_0000, 0x7fff_ffff_ffff_ffff_ffff_ffff_ffff_ffff, true;
        isize 64 -0x8000_0000_0000_0000, 0x7fff_ffff_ffff_ffff, true;
    }

    impl f64 {
        pub const INFINITY: f64 = 1.0 / 0.0;
        pub const NEG_INFINITY: f64 = -1.0 / 0.0;
        pub const NAN: f64 = 0.0 / 0.0;
        pub const MAX: f64 = 1.7976931348623157e308;
        pub const MIN_POSITIVE: f64 = 2.2250738585072014e-308;

        pub fn is_nan(self) -> bool {
            self != self
        }
        pub fn to_bits(self) -> u64 {
            unsafe { intrinsics::transmute(self) }
        }
        pub fn from_bits(bits: u64) -> f64 {
            unsafe { intrinsics::transmute(bits) }
        }
        pub fn sqrt(self) -> f64 {
            intrinsics::sqrtf64(self)
        }
        pub fn floor(self) -> f64 {
            intrinsics::floorf64(self)
        }
        pub fn ceil(self) -> f64 {
            intrinsics::ceilf64(self)
        }
        pub fn trunc(self) -> f64 {
            intrinsics::truncf64(self)
        }
        pub fn round(self) -> f64 {
            intrinsics::roundf64(self)
        }
        pub fn abs(self) -> f64 {
            intrinsics::fabs(self)
        }
        pub fn copysign(self, sign: f64) -> f64 {
            intrinsics::copysignf64(self, sign)
        }
        pub fn mul_add(self, a: f64, b: f64) -> f64 {
            intrinsics::fmaf64(self, a, b)
        }
        pub fn min(self, other: f64) -> f64 {
            intrinsics::minimum_number_nsz_f64(self, other)
        }
        pub fn max(self, other: f64) -> f64 {
            intrinsics::maximum_number_nsz_f64(self, other)
        }
        pub fn powi(self, n: i32) -> f64 {
            intrinsics::powif64(self, n)
        }
    }

    impl f32 {
        pub const INFINITY: f32 = 1.0 / 0.0;
        pub const NAN: f32 = 0.0 / 0.0;
        pub const MAX: f32 = 3.40282347e38;

        pub fn is_nan(self) -> bool {
            self != self
        }
        pub fn to_bits(self) -> u32 {
            unsafe { intrinsics::transmute(self) }
        }
        pub fn from_bits(bits: u32) -> f32 {
            unsafe { intrinsics::transmute(bits) }
        }
        pub fn sqrt(self) -> f32 {
            intrinsics::sqrtf32(self)
        }
        pub fn floor(self) -> f32 {
            intrinsics::floorf32(self)
        }
        pub fn abs(self) -> f32 {
            intrinsics::fabs(self)
        }
    }

    impl char {
        pub const MAX: char = '\u{10FFFF}';

        pub fn is_ascii(&self) -> bool {
            *self as u32 <= 0x7f
        }
        pub fn is_ascii_digit(&self) -> bool {
            match *self {
                '0'..='9' => true,
                _ => false,
            }
        }
        /// The UTF-8 encoded length of the character.
        pub fn len_utf8(self) -> usize {
            let c = self as u32;
            if c < 0x80 {
                1
            } else if c < 0x800 {
                2
            } else if c < 0x10000 {
                3
            } else {
                4
            }
        }
    }

    impl str {
        pub fn len(&self) -> usize {
            intrinsics::ptr_metadata(self as *const str)
        }
        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }
        pub fn as_ptr(&self) -> *const u8 {
            self as *const str as *const u8
        }
        pub fn as_bytes(&self) -> &[u8] {
            unsafe { &*(self as *const str as *const [u8]) }
        }
    }

    impl<T> [T] {
        pub fn len(&self) -> usize {
            intrinsics::ptr_metadata(self as *const [T])
        }
        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }
        pub fn as_ptr(&self) -> *const T {
            self as *const [T] as *const T
        }
        pub fn as_mut_ptr(&mut self) -> *mut T {
            self as *mut [T] as *mut T
        }
        pub fn get(&self, index: usize) -> Option<&T> {
            if index < self.len() {
                Some(unsafe { &*self.as_ptr().add(index) })
            } else {
                None
            }
        }
        pub fn first(&self) -> Option<&T> {
            self.get(0)
        }
        pub fn swap(&mut self, a: usize, b: usize) {
            let pa: *mut T = &raw mut self[a];
            let pb: *mut T = &raw mut self[b];
            unsafe { crate::ptr::swap(pa, pb) }
        }
    }

    impl<T: PointeeSized> *const T {
        pub fn is_null(self) -> bool {
            (self as *const u8) == crate::ptr::null()
        }
        pub fn cast<U>(self) -> *const U {
            self as *const U
        }
        pub fn addr(self) -> usize {
            self as *const u8 as usize
        }
    }

    impl<T> *const T {
        pub unsafe fn add(self, count: usize) -> *const T {
            unsafe { intrinsics::offset(self, count) }
        }
        pub unsafe fn sub(self, count: usize) -> *const T {
            unsafe { intrinsics::offset(self, 0isize - count as isize) }
        }
        pub unsafe fn offset(self, count: isize) -> *const T {
            unsafe { intrinsics::offset(self, count) }
        }
        pub fn wrapping_offset(self, count: isize) -> *const T {
            unsafe { intrinsics::arith_offset(self, count) }
        }
        pub unsafe fn offset_from(self, origin: *const T) -> isize {
            unsafe { intrinsics::ptr_offset_from(self, origin) }
        }
        pub unsafe fn read(self) -> T {
            unsafe { intrinsics::read_via_copy(self) }
        }
    }

    impl<T: PointeeSized> *mut T {
        pub fn is_null(self) -> bool {
            (self as *const u8) == crate::ptr::null()
        }
        pub fn cast<U>(self) -> *mut U {
            self as *mut U
        }
        pub fn addr(self) -> usize {
            self as *const u8 as usize
        }
    }

    impl<T> *mut T {
        pub unsafe fn add(self, count: usize) -> *mut T {
            unsafe { intrinsics::offset(self, count) }
        }
        pub unsafe fn offset(self, count: isize) -> *mut T {
            unsafe { intrinsics::offset(self, count) }
        }
        pub unsafe fn offset_from(self, origin: *const T) -> isize {
            unsafe { intrinsics::ptr_offset_from(self as *const T, origin) }
        }
        pub unsafe fn read(self) -> T {
            unsafe { intrinsics::read_via_copy(self as *const T) }
        }
        pub unsafe fn write(self, value: T) {
            unsafe { intrinsics::write_via_move(self, value) }
        }
    }
}

// ---------------------------------------------------------------------------
// Pointers and memory
// ---------------------------------------------------------------------------

pub mod ptr {
    use crate::intrinsics;
    use crate::macros::pattern_type;
    use crate::marker::*;

    /// A non-null raw pointer; like core's, it wraps a `!null` pattern type,
    /// which gives `Option<NonNull<T>>` and `Box<T>` their niche.
    #[repr(transparent)]
    #[rustc_nonnull_optimization_guaranteed]
    pub struct NonNull<T: PointeeSized> {
        pointer: pattern_type!(*const T is !null),
    }

    impl<T: PointeeSized> Copy for NonNull<T> {}

    impl<T: PointeeSized> NonNull<T> {
        /// `ptr` must not be null.
        pub const unsafe fn new_unchecked(ptr: *mut T) -> NonNull<T> {
            NonNull { pointer: unsafe { intrinsics::transmute::<*mut T, pattern_type!(*const T is !null)>(ptr) } }
        }
        pub const fn as_ptr(self) -> *mut T {
            unsafe { intrinsics::transmute::<pattern_type!(*const T is !null), *mut T>(self.pointer) }
        }
    }

    impl<T> NonNull<T> {
        pub fn new(ptr: *mut T) -> crate::option::Option<NonNull<T>> {
            if ptr.is_null() {
                crate::option::Option::None
            } else {
                crate::option::Option::Some(unsafe { NonNull::new_unchecked(ptr) })
            }
        }
    }

    pub const fn null<T>() -> *const T {
        0usize as *const T
    }

    pub const fn null_mut<T>() -> *mut T {
        0usize as *mut T
    }

    /// Runs the drop glue of `*to_drop` in place.
    pub unsafe fn drop_in_place<T: ?Sized>(to_drop: *mut T) {
        unsafe { drop_glue(&mut *to_drop) }
    }

    /// The compiler replaces the body of this with the real drop glue.
    #[lang = "drop_glue"]
    unsafe fn drop_glue<T: ?Sized>(_: &mut T) {}

    pub unsafe fn read<T>(src: *const T) -> T {
        unsafe { intrinsics::read_via_copy(src) }
    }

    pub unsafe fn write<T>(dst: *mut T, value: T) {
        unsafe { intrinsics::write_via_move(dst, value) }
    }

    pub unsafe fn read_volatile<T>(src: *const T) -> T {
        unsafe { intrinsics::volatile_load(src) }
    }

    pub unsafe fn write_volatile<T>(dst: *mut T, value: T) {
        unsafe { intrinsics::volatile_store(dst, value) }
    }

    pub unsafe fn swap<T>(a: *mut T, b: *mut T) {
        unsafe {
            let tmp = read(a);
            intrinsics::copy(b as *const T, a, 1);
            write(b, tmp);
        }
    }

    pub fn slice_from_raw_parts<T>(data: *const T, len: usize) -> *const [T] {
        intrinsics::aggregate_raw_ptr(data, len)
    }

    pub fn slice_from_raw_parts_mut<T>(data: *mut T, len: usize) -> *mut [T] {
        intrinsics::aggregate_raw_ptr(data, len)
    }
}

pub mod mem {
    use crate::intrinsics;
    use crate::marker::*;
    use crate::ops::{Deref, DerefMut};

    pub use crate::intrinsics::transmute;

    /// Holds the `mem_size_const`/`mem_align_const` lang items, which the
    /// debug-build pointer checks (null and alignment) refer to.
    pub trait SizedTypeProperties: Sized {
        #[lang = "mem_size_const"]
        const SIZE: usize = intrinsics::size_of::<Self>();
        #[lang = "mem_align_const"]
        const ALIGN: usize = intrinsics::align_of::<Self>();
    }
    impl<T> SizedTypeProperties for T {}

    pub const fn size_of<T>() -> usize {
        <T as SizedTypeProperties>::SIZE
    }

    pub const fn align_of<T>() -> usize {
        <T as SizedTypeProperties>::ALIGN
    }

    pub fn size_of_val<T: ?Sized>(val: &T) -> usize {
        unsafe { intrinsics::size_of_val(val) }
    }

    pub fn align_of_val<T: ?Sized>(val: &T) -> usize {
        unsafe { intrinsics::align_of_val(val) }
    }

    // Nullary intrinsics may only be evaluated at compile time, so they are
    // wrapped in `const` blocks.
    pub const fn needs_drop<T: ?Sized>() -> bool {
        const { intrinsics::needs_drop::<T>() }
    }

    pub const fn variant_count<T>() -> usize {
        const { intrinsics::variant_count::<T>() }
    }

    pub fn forget<T>(value: T) {
        let _ = ManuallyDrop::new(value);
    }

    pub fn drop<T>(_value: T) {}

    pub fn swap<T>(a: &mut T, b: &mut T) {
        unsafe { crate::ptr::swap(a, b) }
    }

    pub fn replace<T>(dest: &mut T, value: T) -> T {
        unsafe {
            let old = crate::ptr::read(dest);
            crate::ptr::write(dest, value);
            old
        }
    }

    /// Suppresses the drop of the wrapped value.
    #[lang = "manually_drop"]
    #[repr(transparent)]
    pub struct ManuallyDrop<T: ?Sized> {
        value: T,
    }

    impl<T: Copy> Copy for ManuallyDrop<T> {}

    impl<T> ManuallyDrop<T> {
        pub const fn new(value: T) -> ManuallyDrop<T> {
            ManuallyDrop { value }
        }
        pub fn into_inner(slot: ManuallyDrop<T>) -> T {
            slot.value
        }
    }

    impl<T: ?Sized> ManuallyDrop<T> {
        pub unsafe fn drop(slot: &mut ManuallyDrop<T>) {
            unsafe { crate::ptr::drop_in_place(&mut slot.value) }
        }
    }

    impl<T: ?Sized> Deref for ManuallyDrop<T> {
        type Target = T;
        fn deref(&self) -> &T {
            &self.value
        }
    }

    impl<T: ?Sized> DerefMut for ManuallyDrop<T> {
        fn deref_mut(&mut self) -> &mut T {
            &mut self.value
        }
    }

    /// Possibly uninitialised memory for a `T`.
    #[lang = "maybe_uninit"]
    #[repr(transparent)]
    pub union MaybeUninit<T> {
        uninit: (),
        value: ManuallyDrop<T>,
    }

    impl<T: Copy> Copy for MaybeUninit<T> {}

    impl<T> MaybeUninit<T> {
        pub const fn uninit() -> MaybeUninit<T> {
            MaybeUninit { uninit: () }
        }
        pub fn zeroed() -> MaybeUninit<T> {
            let mut m = MaybeUninit::<T>::uninit();
            unsafe { intrinsics::write_bytes(m.as_mut_ptr(), 0, 1) };
            m
        }
        pub fn as_ptr(&self) -> *const T {
            self as *const MaybeUninit<T> as *const T
        }
        pub fn as_mut_ptr(&mut self) -> *mut T {
            self as *mut MaybeUninit<T> as *mut T
        }
        pub unsafe fn assume_init(self) -> T {
            unsafe { ManuallyDrop::into_inner(self.value) }
        }
    }
}

// ---------------------------------------------------------------------------
// Interior mutability
// ---------------------------------------------------------------------------

pub mod cell {
    use crate::marker::*;

    #[lang = "unsafe_cell"]
    #[repr(transparent)]
    pub struct UnsafeCell<T: ?Sized> {
        value: T,
    }

    impl<T: ?Sized> !Freeze for UnsafeCell<T> {}
    impl<T: ?Sized> !Sync for UnsafeCell<T> {}

    impl<T> UnsafeCell<T> {
        pub const fn new(value: T) -> UnsafeCell<T> {
            UnsafeCell { value }
        }
    }

    impl<T: ?Sized> UnsafeCell<T> {
        pub const fn get(&self) -> *mut T {
            self as *const UnsafeCell<T> as *const T as *mut T
        }
    }

    /// A mutable memory location for `Copy` values, changeable through `&`.
    #[repr(transparent)]
    pub struct Cell<T> {
        value: UnsafeCell<T>,
    }

    impl<T: Copy> Cell<T> {
        pub const fn new(value: T) -> Cell<T> {
            Cell { value: UnsafeCell::new(value) }
        }
        pub fn get(&self) -> T {
            unsafe { *self.value.get() }
        }
        pub fn set(&self, value: T) {
            unsafe { *self.value.get() = value }
        }
        pub fn replace(&self, value: T) -> T {
            let old = self.get();
            self.set(value);
            old
        }
    }
}

// ---------------------------------------------------------------------------
// Box
// ---------------------------------------------------------------------------

pub mod boxed {
    use crate::libc;
    use crate::marker::*;
    use crate::ops::*;
    use crate::ptr::NonNull;

    #[lang = "global_alloc_ty"]
    pub struct Global;

    /// An owning non-null pointer, the first field of `Box`.
    pub struct Unique<T: PointeeSized> {
        pointer: NonNull<T>,
        marker: PhantomData<T>,
    }

    impl<T: PointeeSized + Unsize<U>, U: PointeeSized> CoerceUnsized<Unique<U>> for Unique<T> {}
    impl<T: PointeeSized + Unsize<U>, U: PointeeSized> DispatchFromDyn<Unique<U>> for Unique<T> {}

    /// A heap allocation made with libc `malloc` and released with `free`.
    #[lang = "owned_box"]
    pub struct Box<T: ?Sized, A = Global>(Unique<T>, A);

    impl<T: ?Sized + Unsize<U>, U: ?Sized> CoerceUnsized<Box<U>> for Box<T> {}
    impl<T: ?Sized + Unsize<U>, U: ?Sized> DispatchFromDyn<Box<U>> for Box<T> {}
    impl<T: ?Sized> LegacyReceiver for Box<T> {}

    impl<T> Box<T> {
        pub fn new(value: T) -> Box<T> {
            unsafe {
                // `malloc(0)` may return null; always ask for at least a byte.
                let size = crate::mem::size_of::<T>();
                let raw = libc::malloc(if size == 0 { 1 } else { size }) as *mut T;
                if raw.is_null() {
                    crate::panicking::panic("out of memory");
                }
                crate::ptr::write(raw, value);
                Box::from_raw(raw)
            }
        }

        pub fn into_inner(boxed: Box<T>) -> T {
            *boxed
        }
    }

    impl<T: ?Sized> Box<T> {
        /// `raw` must come from `malloc` and hold a valid `T`.
        pub unsafe fn from_raw(raw: *mut T) -> Box<T> {
            Box(Unique { pointer: unsafe { NonNull::new_unchecked(raw) }, marker: PhantomData }, Global)
        }

        pub fn as_ptr(b: &Box<T>) -> *const T {
            b.0.pointer.as_ptr() as *const T
        }
    }

    impl<T: ?Sized, A> Drop for Box<T, A> {
        fn drop(&mut self) {
            // The compiler has already dropped the contents.
            unsafe { libc::free(self.0.pointer.as_ptr() as *mut u8) }
        }
    }

    impl<T: ?Sized> Deref for Box<T> {
        type Target = T;
        fn deref(&self) -> &T {
            &**self
        }
    }

    impl<T: ?Sized> DerefMut for Box<T> {
        fn deref_mut(&mut self) -> &mut T {
            &mut **self
        }
    }
}

// ---------------------------------------------------------------------------
// libc
// ---------------------------------------------------------------------------

pub mod libc {
    pub type c_char = i8;
    pub type c_int = i32;

    /// Opaque C `FILE`.
    pub enum FILE {}

    #[link(name = "c")]
    unsafe extern "C" {
        pub fn printf(format: *const c_char, ...) -> c_int;
        pub fn dprintf(fd: c_int, format: *const c_char, ...) -> c_int;
        pub fn puts(s: *const c_char) -> c_int;
        pub fn putchar(c: c_int) -> c_int;
        pub fn write(fd: c_int, buf: *const u8, count: usize) -> isize;
        pub fn fflush(stream: *mut FILE) -> c_int;
        pub fn malloc(size: usize) -> *mut u8;
        pub fn calloc(n: usize, size: usize) -> *mut u8;
        pub fn free(ptr: *mut u8);
        pub fn memcmp(a: *const u8, b: *const u8, n: usize) -> c_int;
        pub fn strlen(s: *const c_char) -> usize;
        pub fn abort() -> !;
        pub fn exit(code: c_int) -> !;
    }

    // The float intrinsics may become calls to libm (`floor`, `fma`, ...).
    #[link(name = "m")]
    unsafe extern "C" {
        pub fn fmod(a: f64, b: f64) -> f64;
    }

    // 128-bit division and friends (`__divti3`, ...) come from libgcc.
    #[link(name = "gcc_s")]
    unsafe extern "C" {}
}

pub use self::libc::{printf, puts};

// ---------------------------------------------------------------------------
// Panics
// ---------------------------------------------------------------------------

pub mod panicking {
    use crate::libc;
    use crate::marker::*;

    /// Where a `#[track_caller]` function was called from. The compiler
    /// fills in the three fields, in this order.
    #[lang = "panic_location"]
    pub struct Location<'a> {
        file: &'a str,
        line: u32,
        col: u32,
    }

    impl<'a> Copy for Location<'a> {}

    impl<'a> Location<'a> {
        #[track_caller]
        pub const fn caller() -> &'static Location<'static> {
            crate::intrinsics::caller_location()
        }
        pub fn file(&self) -> &'a str {
            self.file
        }
        pub fn line(&self) -> u32 {
            self.line
        }
        pub fn column(&self) -> u32 {
            self.col
        }
    }

    /// Flushes stdout, then prints the first line of a panic report.
    fn begin(loc: &Location<'_>) {
        unsafe {
            libc::fflush(crate::ptr::null_mut());
            libc::dprintf(
                2,
                "panicked at %.*s:%u:%u:\n\0".as_ptr() as *const i8,
                loc.file.len() as i32,
                loc.file.as_ptr(),
                loc.line,
                loc.col,
            );
        }
    }

    fn end() -> ! {
        unsafe { libc::abort() }
    }

    /// Reports `msg` as a panic at `loc` and aborts.
    pub fn panic_str(msg: &str, loc: &Location<'_>) -> ! {
        begin(loc);
        unsafe {
            libc::dprintf(2, "%.*s\n\0".as_ptr() as *const i8, msg.len() as i32, msg.as_ptr());
        }
        end()
    }

    #[lang = "panic"]
    #[track_caller]
    pub fn panic(msg: &'static str) -> ! {
        panic_str(msg, Location::caller())
    }

    #[lang = "panic_nounwind"]
    #[track_caller]
    #[rustc_nounwind]
    pub fn panic_nounwind(msg: &'static str) -> ! {
        panic_str(msg, Location::caller())
    }

    #[lang = "panic_bounds_check"]
    #[track_caller]
    fn panic_bounds_check(index: usize, len: usize) -> ! {
        begin(Location::caller());
        unsafe {
            libc::dprintf(
                2,
                "index out of bounds: the len is %llu but the index is %llu\n\0".as_ptr() as *const i8,
                len as u64,
                index as u64,
            );
        }
        end()
    }

    #[lang = "panic_misaligned_pointer_dereference"]
    #[track_caller]
    #[rustc_nounwind]
    fn panic_misaligned_pointer_dereference(required: usize, found: usize) -> ! {
        begin(Location::caller());
        unsafe {
            libc::dprintf(
                2,
                "misaligned pointer dereference: address must be a multiple of %#llx but is %#llx\n\0"
                    .as_ptr() as *const i8,
                required as u64,
                found as u64,
            );
        }
        end()
    }

    #[lang = "panic_null_pointer_dereference"]
    #[track_caller]
    #[rustc_nounwind]
    fn panic_null_pointer_dereference() -> ! {
        panic_str("null pointer dereference occurred", Location::caller())
    }

    #[lang = "panic_invalid_enum_construction"]
    #[track_caller]
    #[rustc_nounwind]
    fn panic_invalid_enum_construction(_source: u128) -> ! {
        panic_str("trying to construct an enum from an invalid value", Location::caller())
    }

    #[lang = "panic_cannot_unwind"]
    #[rustc_nounwind]
    fn panic_cannot_unwind() -> ! {
        unsafe {
            libc::dprintf(2, "panic in a function that cannot unwind\n\0".as_ptr() as *const i8);
        }
        end()
    }

    #[lang = "panic_in_cleanup"]
    #[rustc_nounwind]
    fn panic_in_cleanup() -> ! {
        unsafe {
            libc::dprintf(2, "panic in a destructor during cleanup\n\0".as_ptr() as *const i8);
        }
        end()
    }

    // The fixed-message panics emitted for MIR `Assert`s (overflow checks,
    // division by zero).
    macro_rules! const_panics {
        ($($lang:ident => $msg:literal,)*) => {$(
            #[lang = crate::macros::stringify!($lang)]
            #[track_caller]
            pub fn $lang() -> ! {
                panic_str($msg, Location::caller())
            }
        )*};
    }

    const_panics! {
        panic_const_add_overflow => "attempt to add with overflow",
        panic_const_sub_overflow => "attempt to subtract with overflow",
        panic_const_mul_overflow => "attempt to multiply with overflow",
        panic_const_div_overflow => "attempt to divide with overflow",
        panic_const_rem_overflow => "attempt to calculate the remainder with overflow",
        panic_const_neg_overflow => "attempt to negate with overflow",
        panic_const_shr_overflow => "attempt to shift right with overflow",
        panic_const_shl_overflow => "attempt to shift left with overflow",
        panic_const_div_by_zero => "attempt to divide by zero",
        panic_const_rem_by_zero => "attempt to calculate the remainder with a divisor of zero",
    }
}

// ---------------------------------------------------------------------------
// Program entry
// ---------------------------------------------------------------------------

pub mod rt {

    static mut ARGC: isize = 0;
    static mut ARGV: *const *const u8 = 0usize as *const *const u8;

    /// What `main` may return.
    #[lang = "termination"]
    pub trait Termination {
        fn report(self) -> i32;
    }

    impl Termination for () {
        fn report(self) -> i32 {
            0
        }
    }

    impl Termination for i32 {
        fn report(self) -> i32 {
            self
        }
    }

    /// Called by the C `main` that rustc generates; runs the user's `main`.
    #[lang = "start"]
    fn lang_start<T: Termination + 'static>(
        main: fn() -> T,
        argc: isize,
        argv: *const *const u8,
        _sigpipe: u8,
    ) -> isize {
        unsafe {
            ARGC = argc;
            ARGV = argv;
        }
        let code = main().report();
        unsafe { crate::libc::fflush(crate::ptr::null_mut()) };
        code as isize
    }

    /// The number of command line arguments, program name included.
    pub fn argc() -> isize {
        unsafe { ARGC }
    }

    /// The `index`th command line argument as a NUL-terminated string, or
    /// null if there is no such argument.
    pub fn argv(index: isize) -> *const u8 {
        unsafe {
            if index < 0 || index >= ARGC {
                crate::ptr::null()
            } else {
                *ARGV.offset(index)
            }
        }
    }
}

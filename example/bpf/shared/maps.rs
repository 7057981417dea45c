//! BPF maps for the example programs, and the helpers that use them.
//!
//! - BTF-defined maps (section `.maps`): [`Map`] carries libbpf's encoding
//!   in its type, `__uint(type, N)` as `*const [i32; N]` and
//!   `__type(key, K)` as `*const K`, so a map is declared as
//!   `static COUNTS: Array<u64, 4> = Array::new();` in `.maps`.
//!   [`RingBuf`] is the key-less ring buffer.
//! - The legacy `maps` section: [`LegacyMap`] holds the `struct bpf_map_def`
//!   aya-ebpf's `#[map]` emits (libbpf >= 1.0 refuses it, aya loads it).
//!
//! Helpers are called the way aya-ebpf calls them: the helper's number
//! transmuted to a function pointer.
#![allow(dead_code)] // each program uses its own part

use core::cell::UnsafeCell;
use core::marker::PhantomData;
use core::ptr::null;

/// `enum bpf_map_type` values.
pub const BPF_MAP_TYPE_HASH: usize = 1;
pub const BPF_MAP_TYPE_ARRAY: usize = 2;
pub const BPF_MAP_TYPE_PROG_ARRAY: usize = 3;
pub const BPF_MAP_TYPE_PERCPU_HASH: usize = 5;
pub const BPF_MAP_TYPE_PERCPU_ARRAY: usize = 6;
pub const BPF_MAP_TYPE_LRU_HASH: usize = 9;
pub const BPF_MAP_TYPE_RINGBUF: usize = 27;

/// `BPF_ANY` for [`KeyValueMap::insert`]: create or update.
pub const BPF_ANY: u64 = 0;

const BPF_FUNC_MAP_LOOKUP_ELEM: usize = 1;
const BPF_FUNC_MAP_UPDATE_ELEM: usize = 2;
const BPF_FUNC_MAP_DELETE_ELEM: usize = 3;
const BPF_FUNC_TAIL_CALL: usize = 12;
const BPF_FUNC_RINGBUF_OUTPUT: usize = 130;

/// A BTF-defined map of kind `TYPE` with at most `MAX` entries of `K` to
/// `V`: the member names and pointer shapes are what libbpf and aya read
/// from its BTF; the pointers themselves stay null.
#[repr(C)]
pub struct Map<const TYPE: usize, K, V, const MAX: usize, const FLAGS: usize = 0> {
    r#type: *const [i32; TYPE],
    key: *const K,
    value: *const V,
    max_entries: *const [i32; MAX],
    map_flags: *const [i32; FLAGS],
}

// The kernel owns the map's contents; the static is only its description.
unsafe impl<const TYPE: usize, K, V, const MAX: usize, const FLAGS: usize> Sync
    for Map<TYPE, K, V, MAX, FLAGS>
{
}

impl<const TYPE: usize, K, V, const MAX: usize, const FLAGS: usize> Map<TYPE, K, V, MAX, FLAGS> {
    pub const fn new() -> Self {
        Map {
            r#type: null(),
            key: null(),
            value: null(),
            max_entries: null(),
            map_flags: null(),
        }
    }
}

pub type Array<V, const MAX: usize> = Map<BPF_MAP_TYPE_ARRAY, u32, V, MAX>;
pub type HashMap<K, V, const MAX: usize> = Map<BPF_MAP_TYPE_HASH, K, V, MAX>;
pub type PerCpuArray<V, const MAX: usize> = Map<BPF_MAP_TYPE_PERCPU_ARRAY, u32, V, MAX>;
pub type PerCpuHashMap<K, V, const MAX: usize> = Map<BPF_MAP_TYPE_PERCPU_HASH, K, V, MAX>;
pub type LruHashMap<K, V, const MAX: usize> = Map<BPF_MAP_TYPE_LRU_HASH, K, V, MAX>;
/// Program file descriptors (filled by user space) for [`ProgArray::tail_call`].
pub type ProgArray<const MAX: usize> = Map<BPF_MAP_TYPE_PROG_ARRAY, u32, u32, MAX>;

/// A BTF-defined ring buffer of `BYTES` bytes (a power of two, a multiple
/// of the page size).
#[repr(C)]
pub struct RingBuf<const BYTES: usize> {
    r#type: *const [i32; BPF_MAP_TYPE_RINGBUF],
    max_entries: *const [i32; BYTES],
}

unsafe impl<const BYTES: usize> Sync for RingBuf<BYTES> {}

impl<const BYTES: usize> RingBuf<BYTES> {
    pub const fn new() -> Self {
        RingBuf {
            r#type: null(),
            max_entries: null(),
        }
    }

    /// Copies `record` into the buffer (`bpf_ringbuf_output`).
    #[inline(always)]
    pub fn output<T>(&self, record: &T) -> Result<(), i64> {
        let output: unsafe extern "C" fn(*const Self, *const T, u64, u64) -> i64 =
            unsafe { core::mem::transmute(BPF_FUNC_RINGBUF_OUTPUT) };
        let rc = unsafe { output(self, record, core::mem::size_of::<T>() as u64, 0) };
        if rc < 0 { Err(rc) } else { Ok(()) }
    }
}

/// `struct bpf_map_def` as aya-ebpf lays it out in the `maps` section.
#[repr(C)]
pub struct bpf_map_def {
    pub r#type: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub map_flags: u32,
    pub id: u32,
    pub pinning: u32,
}

/// A map of the legacy `maps` section with keys `K` and values `V`.
#[repr(transparent)]
pub struct LegacyMap<K, V> {
    def: UnsafeCell<bpf_map_def>,
    _types: PhantomData<(K, V)>,
}

unsafe impl<K, V> Sync for LegacyMap<K, V> {}

impl<K, V> LegacyMap<K, V> {
    pub const fn new(map_type: usize, max_entries: u32) -> Self {
        LegacyMap {
            def: UnsafeCell::new(bpf_map_def {
                r#type: map_type as u32,
                key_size: core::mem::size_of::<K>() as u32,
                value_size: core::mem::size_of::<V>() as u32,
                max_entries,
                map_flags: 0,
                id: 0,
                pinning: 0,
            }),
            _types: PhantomData,
        }
    }
}

/// Lookup, update and delete, shared by every map with keys and values.
pub trait KeyValueMap: Sized {
    type Key;
    type Value;

    /// The value of `key` (this CPU's for per-CPU maps), or `None`.
    #[inline(always)]
    fn get(&self, key: &Self::Key) -> Option<&mut Self::Value> {
        let lookup: unsafe extern "C" fn(*const Self, *const Self::Key) -> *mut Self::Value =
            unsafe { core::mem::transmute(BPF_FUNC_MAP_LOOKUP_ELEM) };
        let value = unsafe { lookup(self, key) };
        if value.is_null() {
            None
        } else {
            Some(unsafe { &mut *value })
        }
    }

    /// Sets `key` to `value` (`flags`: [`BPF_ANY`] and friends).
    #[inline(always)]
    fn insert(&self, key: &Self::Key, value: &Self::Value, flags: u64) -> Result<(), i64> {
        let update: unsafe extern "C" fn(
            *const Self,
            *const Self::Key,
            *const Self::Value,
            u64,
        ) -> i64 = unsafe { core::mem::transmute(BPF_FUNC_MAP_UPDATE_ELEM) };
        let rc = unsafe { update(self, key, value, flags) };
        if rc < 0 { Err(rc) } else { Ok(()) }
    }

    /// Deletes `key`.
    #[inline(always)]
    fn remove(&self, key: &Self::Key) -> Result<(), i64> {
        let delete: unsafe extern "C" fn(*const Self, *const Self::Key) -> i64 =
            unsafe { core::mem::transmute(BPF_FUNC_MAP_DELETE_ELEM) };
        let rc = unsafe { delete(self, key) };
        if rc < 0 { Err(rc) } else { Ok(()) }
    }
}

impl<const TYPE: usize, K, V, const MAX: usize, const FLAGS: usize> KeyValueMap
    for Map<TYPE, K, V, MAX, FLAGS>
{
    type Key = K;
    type Value = V;
}

impl<K, V> KeyValueMap for LegacyMap<K, V> {
    type Key = K;
    type Value = V;
}

impl<const MAX: usize> ProgArray<MAX> {
    /// Jumps to the program at `index` (`bpf_tail_call`); returns only
    /// when there is none.
    #[inline(always)]
    pub fn tail_call<C>(&self, ctx: *mut C, index: u32) {
        let tail_call: unsafe extern "C" fn(*mut C, *const Self, u32) -> i64 =
            unsafe { core::mem::transmute(BPF_FUNC_TAIL_CALL) };
        unsafe { tail_call(ctx, self, index) };
    }
}

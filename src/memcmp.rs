//! `memcmp` and `bcmp` for the page (wasm32): every string comparison the engine makes (names
//! in hash lookups, sorts, equality) ends in one of them, and on wasm32 Rust's runtime
//! (compiler-builtins) supplies them as byte-by-byte loops, which the engine's ~10⁵ name
//! comparisons per analysis feel. These compare eight bytes at a time. compiler-builtins
//! defines its own with weak linkage, so these take their place; natively the C library's
//! are used and this module only provides the function its tests check.

/// Compares `n` bytes at `a` and `b` as `memcmp` does: negative, zero or positive as the
/// first differing byte (unsigned) of `a` is below, equal to or above `b`'s.
///
/// # Safety
/// `a` and `b` must be valid for reads of `n` bytes.
pub unsafe fn compare(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    while i + 8 <= n {
        // SAFETY: i + 8 <= n, and the caller vouches for n bytes at each.
        let (x, y) = unsafe { (a.add(i).cast::<u64>().read_unaligned(), b.add(i).cast::<u64>().read_unaligned()) };
        if x != y {
            // The first differing byte in memory order: the lowest one of a little-endian
            // word (wasm32 and x86 are little-endian; `from_le` keeps this right elsewhere).
            let at = (u64::from_le(x) ^ u64::from_le(y)).trailing_zeros() / 8;
            let (p, q) = ((u64::from_le(x) >> (at * 8)) as u8, (u64::from_le(y) >> (at * 8)) as u8);
            return i32::from(p) - i32::from(q);
        }
        i += 8;
    }
    while i < n {
        // SAFETY: i < n.
        let (p, q) = unsafe { (*a.add(i), *b.add(i)) };
        if p != q {
            return i32::from(p) - i32::from(q);
        }
        i += 1;
    }
    0
}

/// The C `memcmp`, for wasm32.
///
/// # Safety
/// `a` and `b` must be valid for reads of `n` bytes.
#[cfg(target_arch = "wasm32")]
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: the C contract of memcmp is the caller's.
    unsafe { compare(a, b, n) }
}

/// Equality only (LLVM turns `memcmp(..) == 0` into this): zero when equal.
///
/// # Safety
/// `a` and `b` must be valid for reads of `n` bytes.
#[cfg(target_arch = "wasm32")]
#[no_mangle]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: as above.
    unsafe { compare(a, b, n) }
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering;

    fn sign(it: i32) -> Ordering {
        it.cmp(&0)
    }

    #[test]
    fn orders_like_byte_slices_at_every_length_and_difference() {
        // Every length across the 8-byte steps, a difference at every position, both ways,
        // with bytes above 127 (memcmp compares unsigned).
        for n in 0..40usize {
            let a: Vec<u8> = (0..n).map(|i| (i * 37 % 251) as u8).collect();
            assert_eq!(unsafe { compare(a.as_ptr(), a.as_ptr(), n) }, 0);
            let copy = a.clone();
            assert_eq!(unsafe { compare(a.as_ptr(), copy.as_ptr(), n) }, 0);
            for at in 0..n {
                for delta in [1u8, 128, 255] {
                    let mut b = a.clone();
                    b[at] = b[at].wrapping_add(delta);
                    let expected = a.as_slice().cmp(b.as_slice());
                    assert_eq!(sign(unsafe { compare(a.as_ptr(), b.as_ptr(), n) }), expected, "n {n} at {at}");
                    assert_eq!(sign(unsafe { compare(b.as_ptr(), a.as_ptr(), n) }), expected.reverse());
                }
            }
        }
    }

    #[test]
    fn the_first_difference_decides_not_a_later_one() {
        let a = b"vnet-spoke-0001-weu!";
        let b = b"vnet-spoke-0002-weu ";
        assert_eq!(sign(unsafe { compare(a.as_ptr(), b.as_ptr(), a.len()) }), Ordering::Less);
        // Unaligned starts.
        assert_eq!(sign(unsafe { compare(a.as_ptr().add(1), b.as_ptr().add(1), a.len() - 1) }), Ordering::Less);
    }
}

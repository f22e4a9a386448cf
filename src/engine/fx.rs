//! A fast, deterministic hasher for the engine's maps (rustc's Fx): keys are names and
//! indexes from the design, hashed 10⁵ times per analysis of an enterprise estate, and
//! need no protection against crafted collisions. Never iterated into an output.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])));
        }
        // The tail of a name (up to seven bytes) as one little-endian word, read as four, two
        // and one bytes: copying it into a buffer called memcpy for every name hashed.
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let (mut word, mut shift, mut rest) = (0u64, 0, tail);
            if let Some((four, more)) = rest.split_first_chunk::<4>() {
                word = u64::from(u32::from_le_bytes(*four));
                (shift, rest) = (32, more);
            }
            if let Some((two, more)) = rest.split_first_chunk::<2>() {
                word |= u64::from(u16::from_le_bytes(*two)) << shift;
                (shift, rest) = (shift + 16, more);
            }
            if let Some(&one) = rest.first() {
                word |= u64::from(one) << shift;
            }
            self.add(word ^ (tail.len() as u64) << 59);
        }
    }
    fn write_u8(&mut self, value: u8) {
        self.add(value as u64);
    }
    fn write_u32(&mut self, value: u32) {
        self.add(value as u64);
    }
    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }
    fn finish(&self) -> u64 {
        // A multiply carries only upward: without the rotation, keys that differ only in
        // their high bits (a VNet's position above an address, say) would share the low
        // bits hashbrown picks buckets with, and collide by the thousand (rustc-hash 2
        // finishes the same way).
        self.0.rotate_left(26)
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub type Fx = BuildHasherDefault<FxHasher>;

pub type FxMap<K, V> = HashMap<K, V, Fx>;
pub type FxSet<K> = HashSet<K, Fx>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tail_is_hashed_as_the_word_its_bytes_make() {
        // The tail read in pieces equals the tail copied into a zeroed little-endian word.
        let text = b"abcdefgh-0123456";
        for len in 0..=text.len() {
            let bytes = &text[..len];
            let mut pieces = FxHasher::default();
            pieces.write(bytes);
            let mut words = FxHasher::default();
            let mut chunks = bytes.chunks_exact(8);
            for chunk in &mut chunks {
                words.add(u64::from_le_bytes(chunk.try_into().unwrap()));
            }
            let tail = chunks.remainder();
            if !tail.is_empty() {
                let mut word = [0u8; 8];
                word[..tail.len()].copy_from_slice(tail);
                words.add(u64::from_le_bytes(word) ^ (tail.len() as u64) << 59);
            }
            assert_eq!(pieces.finish(), words.finish(), "{len} bytes");
        }
    }
}

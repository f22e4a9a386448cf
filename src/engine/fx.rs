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
        // The tail of a name (up to seven bytes) as one word, not byte by byte.
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let mut word = [0u8; 8];
            word[..tail.len()].copy_from_slice(tail);
            self.add(u64::from_le_bytes(word) ^ (tail.len() as u64) << 59);
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

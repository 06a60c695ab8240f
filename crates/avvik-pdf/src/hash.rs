//! A tiny, stable, non-cryptographic hash (FNV-1a), used for the deterministic file
//! identifier and the font subset tags. Stable across platforms and Rust versions,
//! unlike `std`'s `DefaultHasher`.

/// 64-bit FNV-1a.
pub(crate) struct Fnv64(u64);

impl Fnv64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    pub(crate) fn new() -> Self {
        Fnv64(Self::OFFSET)
    }

    /// A hasher whose start state also depends on `seed` (for independent lanes).
    pub(crate) fn with_seed(seed: u64) -> Self {
        let mut h = Self::new();
        h.write(&seed.to_le_bytes());
        h
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// Writes a length-prefixed string, so that ("ab", "c") and ("a", "bc") differ.
    pub(crate) fn write_str(&mut self, s: &str) {
        self.write(&(s.len() as u64).to_le_bytes());
        self.write(s.as_bytes());
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

/// Two independent 64-bit lanes, for a 16-byte identifier.
pub(crate) struct Fnv128 {
    a: Fnv64,
    b: Fnv64,
}

impl Fnv128 {
    pub(crate) fn new() -> Self {
        Fnv128 {
            a: Fnv64::with_seed(1),
            b: Fnv64::with_seed(2),
        }
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        self.a.write(bytes);
        self.b.write(bytes);
    }

    pub(crate) fn write_str(&mut self, s: &str) {
        self.a.write_str(s);
        self.b.write_str(s);
    }

    pub(crate) fn finish(&self) -> [u8; 16] {
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&self.a.finish().to_be_bytes());
        out[8..].copy_from_slice(&self.b.finish().to_be_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv64_matches_reference_values() {
        // Reference values of 64-bit FNV-1a.
        assert_eq!(Fnv64::new().finish(), 0xcbf2_9ce4_8422_2325);
        let mut h = Fnv64::new();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
        let mut h = Fnv64::new();
        h.write(b"foobar");
        assert_eq!(h.finish(), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn length_prefix_separates_fields() {
        let mut x = Fnv128::new();
        x.write_str("ab");
        x.write_str("c");
        let mut y = Fnv128::new();
        y.write_str("a");
        y.write_str("bc");
        assert_ne!(x.finish(), y.finish());
    }
}

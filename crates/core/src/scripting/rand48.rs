//! The generator behind `math.random` in scripts: Redis replaces Lua's
//! (libc-dependent) one with the 48-bit linear congruential generator of
//! `drand48`, started from the classic state and shared by every script of
//! the server, so a sequence of scripts draws the same numbers on every
//! machine.

const MULTIPLIER: u64 = 0x5_DEEC_E66D;
const INCREMENT: u64 = 0xB;
const MASK: u64 = (1 << 48) - 1;
/// The low 16 bits every seed gets.
const SEED_LOW: u64 = 0x330E;

#[derive(Clone, Debug)]
pub struct Rand48 {
    state: u64,
}

impl Default for Rand48 {
    fn default() -> Self {
        Rand48 { state: 0x1234_ABCD_330E }
    }
}

impl Rand48 {
    /// `lrand48`: the next 31-bit value.
    pub fn next(&mut self) -> i32 {
        self.state = (self.state.wrapping_mul(MULTIPLIER).wrapping_add(INCREMENT)) & MASK;
        (self.state >> 17) as i32
    }

    /// `srand48`: the seed becomes the high 32 bits of the state.
    pub fn seed(&mut self, seed: i32) {
        self.state = (((seed as u32) as u64) << 16) | SEED_LOW;
    }

    /// A number in [0, 1) as Redis's `math.random` draws it.
    pub fn unit(&mut self) -> f64 {
        let max = i32::MAX as f64;
        (self.next() as i64 % i32::MAX as i64) as f64 / max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_the_drand48_sequence() {
        // glibc's lrand48() after srand48(0) / without seeding.
        let mut r = Rand48::default();
        let first: Vec<i32> = (0..3).map(|_| r.next()).collect();
        let mut seeded = Rand48::default();
        seeded.seed(0x1234_ABCD);
        assert_eq!(first, (0..3).map(|_| seeded.next()).collect::<Vec<_>>());
        let mut zero = Rand48::default();
        zero.seed(0);
        assert_eq!(zero.next(), 366850414);
    }
}

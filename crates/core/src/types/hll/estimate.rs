//! The cardinality estimate from a histogram of register values: Otmar
//! Ertl's improved estimator ("New cardinality estimation algorithms for
//! HyperLogLog sketches", arXiv:1702.01284), computed in the same order of
//! floating-point steps as Redis 7 so results agree to the unit.

use super::{Q, REGISTERS};

/// 1 / (2 ln 2): the estimator's constant as m grows.
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;

/// The sum of x^(2^k) · 2^(k-1) for k ≥ 1, plus x: corrects for registers
/// still at zero. Infinite when every register is zero.
fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let mut weight = 1.0;
    let mut sum = x;
    loop {
        x *= x;
        let before = sum;
        sum += x * weight;
        weight += weight;
        if sum == before {
            return sum;
        }
    }
}

/// Corrects for registers that reached the largest possible value.
fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let mut weight = 1.0;
    let mut sum = 1.0 - x;
    loop {
        x = x.sqrt();
        let before = sum;
        weight *= 0.5;
        let gap = 1.0 - x;
        sum -= gap * gap * weight;
        if sum == before {
            return sum / 3.0;
        }
    }
}

/// `histogram[v]` registers hold value v.
pub fn cardinality(histogram: &[u32; 64]) -> u64 {
    let m = REGISTERS as f64;
    let q = Q as usize;
    let mut z = m * tau((m - histogram[q + 1] as f64) / m);
    for j in (1..=q).rev() {
        z += histogram[j] as f64;
        z *= 0.5;
    }
    z += m * sigma(histogram[0] as f64 / m);
    // Rounded half away from zero, as C's llroundl.
    (ALPHA_INF * m * m / z).round() as i64 as u64
}

//! PFSELFTEST: checks the register packing and the estimator from inside,
//! as Redis's self-test does, with its error texts.

use super::{add, count, dense, encoding, new_sparse, Encoding, DENSE_LEN, HEADER_LEN, REGISTERS, REGISTER_MAX};

/// How hard to test: Redis runs 1000 rounds of register writes and adds
/// ten million elements.
pub struct Effort {
    pub register_rounds: usize,
    pub elements: u64,
}

impl Effort {
    pub const REDIS: Effort = Effort { register_rounds: 1000, elements: 10_000_000 };
}

/// Runs the checks; the error is the reply's text.
pub fn run(effort: &Effort, sparse_max_bytes: usize, mut random: impl FnMut() -> u64) -> Result<(), String> {
    check_registers(effort.register_rounds, &mut random)?;
    check_estimates(effort.elements, sparse_max_bytes, random())
}

/// Every register keeps what was written to it, whatever its neighbours hold.
fn check_registers(rounds: usize, random: &mut impl FnMut() -> u64) -> Result<(), String> {
    let mut packed = vec![0u8; DENSE_LEN - HEADER_LEN];
    let mut expected = vec![0u8; REGISTERS];
    for _ in 0..rounds {
        for (i, e) in expected.iter_mut().enumerate() {
            *e = (random() & REGISTER_MAX as u64) as u8;
            dense::set(&mut packed, i, *e);
        }
        for (i, &e) in expected.iter().enumerate() {
            let got = dense::get(&packed, i);
            if got != e {
                return Err(format!("TESTFAILED Register {i} should be {e} but is {got}"));
            }
        }
    }
    Ok(())
}

/// Adds distinct elements to a dense and a sparse value side by side and
/// checks, at every power of ten, that both agree, that small sets stay
/// sparse, and that the error stays within six standard errors.
fn check_estimates(elements: u64, sparse_max_bytes: usize, seed: u64) -> Result<(), String> {
    let mut dense_hll = new_sparse();
    super::to_dense(&mut dense_hll).map_err(|_| "TESTFAILED dense conversion failed".to_string())?;
    let mut sparse_hll = new_sparse();
    let relative_error = 1.04 / (REGISTERS as f64).sqrt();
    let mut checkpoint = 1u64;
    for j in 1..=elements {
        let element = (j ^ seed).to_le_bytes();
        let _ = add(&mut dense_hll, &element, sparse_max_bytes);
        let _ = add(&mut sparse_hll, &element, sparse_max_bytes);
        if j != checkpoint {
            continue;
        }
        if j < sparse_max_bytes as u64 / 2 && encoding(&sparse_hll) != Encoding::Sparse {
            return Err("TESTFAILED sparse encoding not used".into());
        }
        let estimate = count(&dense_hll).unwrap_or(u64::MAX);
        if count(&sparse_hll).ok() != Some(estimate) {
            return Err("TESTFAILED dense/sparse disagree".into());
        }
        // Ten elements may collide in a register now and then: allow one.
        let max_error = if j == 10 { 1 } else { (relative_error * 6.0 * checkpoint as f64).ceil() as u64 };
        let error = checkpoint.abs_diff(estimate);
        if error > max_error {
            return Err(format!("TESTFAILED Too big error. card:{checkpoint} abserr:{error}"));
        }
        checkpoint *= 10;
    }
    Ok(())
}

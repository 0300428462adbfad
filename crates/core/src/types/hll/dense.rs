//! The dense encoding: 16384 registers of 6 bits packed one after another,
//! each starting at the low bits of its first byte and spilling into the
//! next one.

use super::{REGISTERS, REGISTER_MAX};

/// Register `index` of the packed `registers` (the bytes after the header).
#[inline]
pub fn get(registers: &[u8], index: usize) -> u8 {
    let bit = index * 6;
    let (byte, shift) = (bit / 8, bit % 8);
    // The last register never reaches past its byte; Redis reads the
    // string's terminating zero there.
    let low = registers[byte] as u16;
    let high = registers.get(byte + 1).copied().unwrap_or(0) as u16;
    (((low >> shift) | (high << (8 - shift))) & REGISTER_MAX as u16) as u8
}

/// Sets register `index` to `value` (0..=63).
#[inline]
pub fn set(registers: &mut [u8], index: usize, value: u8) {
    let bit = index * 6;
    let (byte, shift) = (bit / 8, bit % 8);
    let bits = (value as u16 & REGISTER_MAX as u16) << shift;
    let mask = (REGISTER_MAX as u16) << shift;
    registers[byte] = (registers[byte] & !(mask as u8)) | bits as u8;
    if shift > 2 {
        let next = &mut registers[byte + 1];
        *next = (*next & !((mask >> 8) as u8)) | (bits >> 8) as u8;
    }
}

/// Raises register `index` to `value` if lower; true if it changed.
pub fn raise(registers: &mut [u8], index: usize, value: u8) -> bool {
    if value > get(registers, index) {
        set(registers, index, value);
        true
    } else {
        false
    }
}

/// Counts how many registers hold each value.
pub fn histogram(registers: &[u8], histogram: &mut [u32; 64]) {
    // Four registers fill three bytes exactly.
    for group in registers[..REGISTERS * 6 / 8].chunks_exact(3) {
        let word = group[0] as u32 | (group[1] as u32) << 8 | (group[2] as u32) << 16;
        histogram[(word & 63) as usize] += 1;
        histogram[(word >> 6 & 63) as usize] += 1;
        histogram[(word >> 12 & 63) as usize] += 1;
        histogram[(word >> 18 & 63) as usize] += 1;
    }
}

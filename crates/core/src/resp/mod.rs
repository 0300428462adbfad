//! The Redis protocol: requests in, replies out.

pub mod parser;
pub mod writer;

pub use writer::{Protocol, Reply};

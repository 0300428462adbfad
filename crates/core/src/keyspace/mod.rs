//! The keyspace: databases of keys with values and expiry deadlines.

pub mod bytes;
pub mod db;
pub mod table;

pub use bytes::SmallBytes;
pub use db::Db;
pub use table::Table;

//! Values stored in the keyspace, one module per data type.

pub mod hash;
pub mod hll;
pub mod list;
pub mod set;
pub mod stream;
pub mod string;
pub mod zset;

pub use hash::Hash;
pub use list::List;
pub use set::Set;
pub use stream::Stream;
pub use string::StrValue;
pub use zset::ZSet;

/// A key's value. Collections are boxed so every variant fits in 24 bytes
/// (the keyspace's entries stay at 56 bytes); a hash is small enough not to
/// be, which spares small hashes an allocation each.
#[derive(Clone, Debug)]
pub enum Value {
    Str(StrValue),
    List(Box<List>),
    Hash(Hash),
    Set(Box<Set>),
    ZSet(Box<ZSet>),
    Stream(Box<Stream>),
}

impl Value {
    /// The name TYPE replies with.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
            Value::Stream(_) => "stream",
        }
    }

    /// The name OBJECT ENCODING replies with (Redis's names).
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Str(s) => s.encoding(),
            Value::List(l) => l.encoding(),
            Value::Hash(h) => h.encoding(),
            Value::Set(s) => s.encoding(),
            Value::ZSet(z) => z.encoding(),
            Value::Stream(s) => s.encoding(),
        }
    }

    /// Approximate bytes this value owns outside its 24-byte slot.
    pub fn heap_size(&self) -> usize {
        match self {
            Value::Str(s) => s.heap_size(),
            Value::List(l) => l.heap_size() + std::mem::size_of::<List>(),
            Value::Hash(h) => h.heap_size(),
            Value::Set(s) => s.heap_size() + std::mem::size_of::<Set>(),
            Value::ZSet(z) => z.heap_size() + std::mem::size_of::<ZSet>(),
            Value::Stream(s) => s.heap_size() + std::mem::size_of::<Stream>(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_value_fits_in_24_bytes() {
        assert_eq!(std::mem::size_of::<super::Value>(), 24);
    }
}

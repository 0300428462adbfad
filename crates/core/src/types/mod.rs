//! Values stored in the keyspace, one module per data type.

pub mod string;

pub use string::StrValue;

/// A key's value. Collections arrive boxed so every variant fits in 24 bytes.
#[derive(Clone, Debug)]
pub enum Value {
    Str(StrValue),
}

impl Value {
    /// The name TYPE replies with.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
        }
    }

    /// The name OBJECT ENCODING replies with (Redis's names).
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Str(s) => s.encoding(),
        }
    }

    /// Approximate bytes this value owns outside its 24-byte slot.
    pub fn heap_size(&self) -> usize {
        match self {
            Value::Str(s) => s.heap_size(),
        }
    }
}

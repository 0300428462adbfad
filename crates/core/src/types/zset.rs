//! Sorted sets. SHELL: the zset family replaces this representation with Redis's
//! compact encodings; only the methods `Value` calls are fixed.

/// A zset value.
#[derive(Clone, Debug, Default)]
pub struct ZSet {
    members: Vec<Vec<u8>>,
}

impl ZSet {
    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The name OBJECT ENCODING replies with.
    pub fn encoding(&self) -> &'static str {
        "listpack"
    }

    /// Bytes owned on the heap.
    pub fn heap_size(&self) -> usize {
        self.members.iter().map(|m| m.capacity() + 24).sum()
    }
}

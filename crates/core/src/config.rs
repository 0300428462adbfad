//! The directives the core reads. The host (TypeScript) owns the full config
//! table, validates values, and pushes those listed here with `set`.

use crate::resp::parser::parse_i64;

#[derive(Debug, Clone)]
pub struct Config {
    pub databases: usize,
    pub hz: u32,
    pub proto_max_bulk_len: u64,
    pub client_query_buffer_limit: usize,
    /// The default user's password (`requirepass`); ACL users come later.
    pub requirepass: Option<Vec<u8>>,
    pub maxmemory: u64,
    pub active_expire_enabled: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            databases: 16,
            hz: 10,
            proto_max_bulk_len: 512 * 1024 * 1024,
            client_query_buffer_limit: 1024 * 1024 * 1024,
            requirepass: None,
            maxmemory: 0,
            active_expire_enabled: true,
        }
    }
}

impl Config {
    /// Applies one directive pushed by the host. Names the core does not use
    /// are accepted and ignored: the host keeps them.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let num = || parse_i64(value.as_bytes()).ok_or_else(|| format!("invalid value for {name}: {value}"));
        match name {
            "hz" => self.hz = num()?.clamp(1, 500) as u32,
            "proto-max-bulk-len" => self.proto_max_bulk_len = num()?.max(1) as u64,
            "client-query-buffer-limit" => self.client_query_buffer_limit = num()?.max(1) as usize,
            "maxmemory" => self.maxmemory = num()?.max(0) as u64,
            "requirepass" => self.requirepass = if value.is_empty() { None } else { Some(value.as_bytes().to_vec()) },
            _ => {}
        }
        Ok(())
    }
}

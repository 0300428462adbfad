//! Stream command tests.

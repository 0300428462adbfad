//! Stream type tests.

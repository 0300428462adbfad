//! Scripting commands through the real feed path.

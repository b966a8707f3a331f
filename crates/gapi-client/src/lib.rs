//! placeholder
pub mod retry;

//! Google API Discovery documents: the bundled copies of every public API description.
#![deny(missing_docs)]

pub mod bundle;

//! gapi built as `default-features = false` (no Discovery document, none of the optional
//! capabilities): one test binary, a module per area.

mod features_off;
mod fetch_on_first_use;

//! Test only: see `tests/fetch_on_first_use.rs`.

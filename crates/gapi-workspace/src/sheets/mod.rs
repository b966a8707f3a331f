//! Sheets: CSV <-> cell rows ([`read_csv`], [`write_csv`], JSON shapes), and reading and
//! appending values through a Sheets service ([`read`], [`append`]).
//!
//! ```
//! use gapi_workspace::sheets::{read_csv, to_csv_string};
//! # fn main() -> gapi_workspace::Result<()> {
//! let rows = read_csv("name,note\n\"Doe, Ann\",\"two\nlines\"\n".as_bytes())?;
//! assert_eq!(rows[1], ["Doe, Ann", "two\nlines"]);
//! assert_eq!(to_csv_string(&rows)?, "name,note\n\"Doe, Ann\",\"two\nlines\"\n");
//! # Ok(()) }
//! ```

mod csv_map;
mod values;

pub use csv_map::{
    cell_text, column_letter, read_csv, rows_to_json, rows_to_records, to_csv_string, write_csv,
};
pub use values::{
    APPEND_CHUNK_ROWS, AppendReport, InsertDataOption, ValueInputOption, append, append_with,
    create, read, values_to_rows,
};

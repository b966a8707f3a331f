//! Sheets' saved state: spreadsheets of grid sheets whose cells keep what was entered (a
//! number, a boolean, text or a formula) and how a number is shown.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One cell's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum Cell {
    Number {
        value: f64,
        /// How it is shown (`FORMATTED_VALUE`) when entered with a format (`50%`, `1,234`,
        /// `$1.50`); `None` shows the General format.
        shown: Option<String>,
    },
    Bool(bool),
    Text(String),
    /// A formula (with its leading `=`), evaluated when read.
    Formula(String),
}

/// A sheet (tab).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Sheet {
    pub sheet_id: i64,
    pub title: String,
    pub row_count: u32,
    pub column_count: u32,
    /// Rows of cells; `None` is an empty cell; rows may be shorter than the grid.
    pub rows: Vec<Vec<Option<Cell>>>,
}

impl Sheet {
    /// The cell at (row, col), if any.
    pub(crate) fn cell(&self, row: u32, col: u32) -> Option<&Cell> {
        self.rows
            .get(row as usize)
            .and_then(|r| r.get(col as usize))
            .and_then(Option::as_ref)
    }

    /// Sets (or clears) a cell, growing the stored rows as needed.
    pub(crate) fn set(&mut self, row: u32, col: u32, cell: Option<Cell>) {
        let (r, c) = (row as usize, col as usize);
        if cell.is_none() && self.rows.get(r).is_none_or(|x| x.get(c).is_none()) {
            return;
        }
        if self.rows.len() <= r {
            self.rows.resize(r + 1, Vec::new());
        }
        let line = &mut self.rows[r];
        if line.len() <= c {
            line.resize(c + 1, None);
        }
        line[c] = cell;
    }

    /// The number of stored rows that hold at least one cell (the used height).
    pub(crate) fn used_rows(&self) -> u32 {
        self.rows
            .iter()
            .rposition(|r| r.iter().any(Option::is_some))
            .map(|i| i as u32 + 1)
            .unwrap_or(0)
    }
}

/// A spreadsheet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Spreadsheet {
    pub id: String,
    /// Lower-case email of the owner.
    pub owner: String,
    pub title: String,
    pub locale: String,
    pub time_zone: String,
    pub sheets: Vec<Sheet>,
    pub next_sheet_id: i64,
}

/// Every spreadsheet, by id.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct SheetsData {
    pub spreadsheets: BTreeMap<String, Spreadsheet>,
}

//! A1 notation as Sheets reads it: `Sheet1!A1:B2`, `'My sheet'!A:C` (quotes doubled inside),
//! whole rows `2:5`, whole sheets `Sheet1`, open ends `A2:C`, a bare `A1:B2` on the first
//! sheet; and written back (`'It''s'!A1:B2`) in answers.

use super::model::{Sheet, Spreadsheet};
use crate::framework::api_error::ApiError;

/// A resolved range on one sheet; rows and columns 0-based, ends exclusive (`None`: to the
/// grid's end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GridRange {
    pub sheet: usize,
    pub start_row: u32,
    pub end_row: Option<u32>,
    pub start_col: u32,
    pub end_col: Option<u32>,
}

impl GridRange {
    /// The end row, bounded by the sheet's grid.
    pub(crate) fn end_row_in(&self, sheet: &Sheet) -> u32 {
        self.end_row
            .unwrap_or(sheet.row_count)
            .min(sheet.row_count.max(self.start_row))
    }

    /// The end column, bounded by the sheet's grid.
    pub(crate) fn end_col_in(&self, sheet: &Sheet) -> u32 {
        self.end_col
            .unwrap_or(sheet.column_count)
            .min(sheet.column_count.max(self.start_col))
    }
}

fn unparsable(text: &str) -> ApiError {
    ApiError::new(
        400,
        "INVALID_ARGUMENT",
        "badRequest",
        format!("Unable to parse range: {text}"),
    )
}

/// `A` → 0, `Z` → 25, `AA` → 26.
pub(crate) fn column_index(letters: &str) -> Option<u32> {
    if letters.is_empty() || letters.len() > 4 {
        return None;
    }
    let mut n: u32 = 0;
    for b in letters.bytes() {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        n = n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    Some(n - 1)
}

/// 0 → `A`, 26 → `AA`.
pub(crate) fn column_letters(mut index: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// One end of a range: (column, row), each optional (`A` is a column, `3` a row).
fn cell_ref(text: &str) -> Option<(Option<u32>, Option<u32>)> {
    let text = text.replace('$', "");
    let split = text
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(text.len());
    let (letters, digits) = text.split_at(split);
    let col = if letters.is_empty() {
        None
    } else {
        Some(column_index(letters)?)
    };
    let row = if digits.is_empty() {
        None
    } else {
        let n: u32 = digits.parse().ok()?;
        if n == 0 {
            return None;
        }
        Some(n - 1)
    };
    if col.is_none() && row.is_none() {
        return None;
    }
    Some((col, row))
}

/// The cells part of a range (`A1:B2`, `A:C`, `2:5`, `B3`).
fn cells(text: &str) -> Option<(u32, Option<u32>, u32, Option<u32>)> {
    let (a, b) = match text.split_once(':') {
        Some((a, b)) => (a, Some(b)),
        None => (text, None),
    };
    let (c1, r1) = cell_ref(a)?;
    match b {
        None => {
            // A single cell, or a whole column/row.
            let (start_col, end_col) = match c1 {
                Some(c) => (c, Some(c + 1)),
                None => (0, None),
            };
            let (start_row, end_row) = match r1 {
                Some(r) => (r, Some(r + 1)),
                None => (0, None),
            };
            Some((start_row, end_row, start_col, end_col))
        }
        Some(b) => {
            let (c2, r2) = cell_ref(b)?;
            let (start_col, end_col) = match (c1, c2) {
                (Some(x), Some(y)) => (x.min(y), Some(x.max(y) + 1)),
                (Some(x), None) => (x, None),
                (None, Some(y)) => (0, Some(y + 1)),
                (None, None) => (0, None),
            };
            let (start_row, end_row) = match (r1, r2) {
                (Some(x), Some(y)) => (x.min(y), Some(x.max(y) + 1)),
                (Some(x), None) => (x, None),
                (None, Some(y)) => (0, Some(y + 1)),
                (None, None) => (0, None),
            };
            Some((start_row, end_row, start_col, end_col))
        }
    }
}

/// Splits `'It''s'!A1` / `Sheet1!A1` / `A1` into (sheet name, cells).
fn split_sheet(text: &str) -> Option<(Option<String>, Option<&str>)> {
    if let Some(rest) = text.strip_prefix('\'') {
        let mut name = String::new();
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().map(|(_, c)| *c) == Some('\'') {
                    name.push('\'');
                    chars.next();
                    continue;
                }
                let after = &rest[i + 1..];
                return match after.strip_prefix('!') {
                    Some(cells) => Some((Some(name), Some(cells))),
                    None if after.is_empty() => Some((Some(name), None)),
                    None => None,
                };
            }
            name.push(c);
        }
        return None;
    }
    match text.rsplit_once('!') {
        Some((sheet, cells)) => Some((Some(sheet.to_owned()), Some(cells))),
        None => Some((None, Some(text))),
    }
}

/// Resolves `text` on `book`.
pub(crate) fn parse(book: &Spreadsheet, text: &str) -> Result<GridRange, ApiError> {
    let trimmed = text.trim();
    let (sheet_name, cells_text) = split_sheet(trimmed).ok_or_else(|| unparsable(text))?;
    let find = |name: &str| book.sheets.iter().position(|s| s.title == name);
    let (sheet, cells_text) = match (sheet_name, cells_text) {
        (Some(name), cells) => (find(&name).ok_or_else(|| unparsable(text))?, cells),
        // A bare word is a sheet's name when there is such a sheet, else cells of the first.
        (None, Some(c)) => match find(c) {
            Some(i) => (i, None),
            None => (0, Some(c)),
        },
        (None, None) => return Err(unparsable(text)),
    };
    if book.sheets.is_empty() {
        return Err(unparsable(text));
    }
    let Some(c) = cells_text.filter(|c| !c.is_empty()) else {
        return Ok(GridRange {
            sheet,
            start_row: 0,
            end_row: None,
            start_col: 0,
            end_col: None,
        });
    };
    let (start_row, end_row, start_col, end_col) = cells(c).ok_or_else(|| unparsable(text))?;
    Ok(GridRange {
        sheet,
        start_row,
        end_row,
        start_col,
        end_col,
    })
}

/// A sheet's name as written in A1 notation (quoted when needed).
pub(crate) fn quote_sheet(name: &str) -> String {
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && cell_ref(name).is_none();
    if plain {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// `Sheet1!A1:C3` for rows `r0..r1`, columns `c0..c1` (ends exclusive) of `sheet`.
pub(crate) fn format(sheet: &Sheet, r0: u32, r1: u32, c0: u32, c1: u32) -> String {
    let name = quote_sheet(&sheet.title);
    let a = format!("{}{}", column_letters(c0), r0 + 1);
    let b = format!("{}{}", column_letters(c1.max(c0 + 1) - 1), r1.max(r0 + 1));
    if a == b {
        format!("{name}!{a}")
    } else {
        format!("{name}!{a}:{b}")
    }
}

/// A range as Sheets writes it back: bounded by the grid.
pub(crate) fn format_range(sheet: &Sheet, range: &GridRange) -> String {
    format(
        sheet,
        range.start_row,
        range.end_row_in(sheet),
        range.start_col,
        range.end_col_in(sheet),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> Spreadsheet {
        let sheet = |id, title: &str| Sheet {
            sheet_id: id,
            title: title.into(),
            row_count: 1000,
            column_count: 26,
            rows: Vec::new(),
        };
        Spreadsheet {
            id: "x".into(),
            owner: "a".into(),
            title: "t".into(),
            locale: "en_US".into(),
            time_zone: "Etc/GMT".into(),
            sheets: vec![sheet(0, "Sheet1"), sheet(7, "It's Q1")],
            next_sheet_id: 8,
        }
    }

    #[test]
    fn parses_a1() {
        let b = book();
        let r = parse(&b, "Sheet1!B2:C3").unwrap();
        assert_eq!(
            (r.sheet, r.start_row, r.end_row, r.start_col, r.end_col),
            (0, 1, Some(3), 1, Some(3))
        );
        let r = parse(&b, "'It''s Q1'!A:C").unwrap();
        assert_eq!(
            (r.sheet, r.start_row, r.end_row, r.end_col),
            (1, 0, None, Some(3))
        );
        let r = parse(&b, "A5").unwrap();
        assert_eq!((r.sheet, r.start_row, r.end_row), (0, 4, Some(5)));
        let r = parse(&b, "Sheet1").unwrap();
        assert_eq!((r.end_row, r.end_col), (None, None));
        let r = parse(&b, "Sheet1!2:4").unwrap();
        assert_eq!(
            (r.start_row, r.end_row, r.start_col, r.end_col),
            (1, Some(4), 0, None)
        );
        let r = parse(&b, "Sheet1!A2:C").unwrap();
        assert_eq!((r.start_row, r.end_row, r.end_col), (1, None, Some(3)));
        assert!(parse(&b, "Nope!A1").is_err());
        assert!(parse(&b, "Sheet1!A0").is_err());
        assert!(parse(&b, "'open!A1").is_err());
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_index("AB"), Some(27));
        assert_eq!(quote_sheet("It's Q1"), "'It''s Q1'");
        assert_eq!(quote_sheet("Sheet1"), "Sheet1");
        assert_eq!(
            format_range(&b.sheets[0], &parse(&b, "Sheet1").unwrap()),
            "Sheet1!A1:Z1000"
        );
        assert_eq!(
            format_range(&b.sheets[1], &parse(&b, "'It''s Q1'!B2").unwrap()),
            "'It''s Q1'!B2"
        );
    }
}

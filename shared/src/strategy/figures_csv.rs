//! Figures in bulk: a strategy's measurements written as CSV, and a partner's CSV of figures
//! read back in the same format, so a partner downloads the file, adds or corrects its rows in
//! a spreadsheet, and imports it.
//!
//! The columns are [`FIGURE_COLUMNS`]: `target_id`, `code`, `target`, `unit`, `date`,
//! `value`, `note`. The download has one row per figure, and one row with no date and no value
//! for each target that has none yet, to fill in. On import:
//! - a row names its target by `target_id`, or by `code` when the id is blank and the code
//!   is unique within the strategy; `target` and `unit` are there for people and are not read;
//! - a row with neither date nor value is left alone (the download's rows to fill in);
//! - a date is `2011-08-31`, or `31/08/2011` as a UK spreadsheet rewrites it;
//! - a value is read as the figure forms read it (`48.5`, `1,250`, `12%`);
//! - a figure for a target and date that already has one **changes** that figure (the
//!   preview shows the value before and after); one that is the same is **unchanged**; any
//!   other is **added**, with an id made from the target and date, so importing the same file
//!   twice, on one device or two, adds each figure once;
//! - without a `note` column, a changed figure keeps its note;
//! - every other row is refused with its row number and the reason, and nothing is stored
//!   until the person has seen the preview and chosen to import.

use uuid::Uuid;

use super::{Measurement, MeasurementId, StrategyId, Target, TargetId, figure_input};
use crate::Snapshot;
use crate::date::IsoDate;
use crate::export::{RowError, csv_table, derived_id, parse_csv};
use crate::text::fold_char;
use crate::validate::Validate;

/// The columns of the figures file, in order.
pub const FIGURE_COLUMNS: [&str; 7] = [
    "target_id",
    "code",
    "target",
    "unit",
    "date",
    "value",
    "note",
];

/// A strategy's targets in the order its page shows them: by priority, then by target.
fn targets_in_order(s: &Snapshot, strategy: StrategyId) -> Vec<(TargetId, &Target)> {
    s.priorities_of(strategy)
        .into_iter()
        .flat_map(|(p, _)| s.targets_of(p))
        .collect()
}

/// A figure as the file writes it: the plain number, with no thousands separator or unit.
fn plain_number(value: f64) -> String {
    format!("{value}")
}

/// Every figure of `strategy`'s targets as CSV ([`FIGURE_COLUMNS`]), and a row to fill in for
/// each target that has no figure yet.
pub fn figures_csv(s: &Snapshot, strategy: StrategyId) -> String {
    let mut rows = Vec::new();
    for (id, target) in targets_in_order(s, strategy) {
        let row = |date: String, value: String, note: String| {
            vec![
                id.to_string(),
                target.code.clone(),
                target.name.clone(),
                target.unit.clone(),
                date,
                value,
                note,
            ]
        };
        let figures = s.measurements_of(id);
        if figures.is_empty() {
            rows.push(row(String::new(), String::new(), String::new()));
        }
        for (_, m) in figures {
            rows.push(row(
                m.on.to_string(),
                plain_number(m.value.get()),
                m.note.clone(),
            ));
        }
    }
    csv_table(&FIGURE_COLUMNS, rows)
}

/// A figure the import would add or change.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureChange {
    /// The row number as a spreadsheet shows it (the header is row 1).
    pub row: usize,
    pub id: MeasurementId,
    pub measurement: Measurement,
    /// The figure it replaces; none when it adds one.
    pub before: Option<Measurement>,
}

/// What a figures file would do: the figures it adds or changes, how many rows are the same
/// as what is stored or left blank, and the rows refused.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FiguresPreview {
    pub changes: Vec<FigureChange>,
    pub unchanged: usize,
    pub blank: usize,
    pub errors: Vec<RowError>,
}

/// A date as a spreadsheet may leave it: `2011-08-31`, or the UK's `31/08/2011` (one- or
/// two-digit day and month, four-digit year).
pub fn spreadsheet_date(text: &str) -> Option<IsoDate> {
    let text = text.trim();
    if let Ok(date) = IsoDate::parse(text) {
        return Some(date);
    }
    let parts: Vec<&str> = text.split('/').collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let number = |part: &str, most: usize| -> Option<u32> {
        (!part.is_empty() && part.len() <= most && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    if y.len() != 4 {
        return None;
    }
    IsoDate::new(number(y, 4)?, number(m, 2)?, number(d, 2)?)
}

/// Reads a figures file for `strategy` (module docs) into what it would do. `Err` when the file
/// as a whole cannot be read: not CSV, empty, or missing a column it needs.
pub fn read_figures(
    s: &Snapshot,
    strategy: StrategyId,
    text: &str,
) -> Result<FiguresPreview, String> {
    let rows = parse_csv(text)?;
    let Some((header, rows)) = rows.split_first() else {
        return Err(
            "The file is empty: it needs a row of column names, then one row per figure".to_owned(),
        );
    };
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (id_col, code_col) = (column("target_id"), column("code"));
    let (Some(date_col), Some(value_col)) = (column("date"), column("value")) else {
        return Err(
            "The file needs a date column and a value column. Its first row names the columns, \
             as a download of the figures does: target_id, code, target, unit, date, value, note"
                .to_owned(),
        );
    };
    if id_col.is_none() && code_col.is_none() {
        return Err(
            "The file needs a target_id or a code column, to say which target each figure is for"
                .to_owned(),
        );
    }
    let note_col = column("note");
    let targets = targets_in_order(s, strategy);
    let mut preview = FiguresPreview::default();
    let mut seen: Vec<(TargetId, IsoDate, usize)> = Vec::new();
    for (i, cells) in rows.iter().enumerate() {
        let row = i + 2;
        let cell = |col: Option<usize>| col.and_then(|c| cells.get(c)).map_or("", |v| v.trim());
        let refuse = |message: String| RowError {
            row,
            message: format!("Row {row}: {message}"),
        };
        let (date_text, value_text) = (cell(Some(date_col)), cell(Some(value_col)));
        if date_text.is_empty() && value_text.is_empty() {
            preview.blank += 1;
            continue;
        }
        let target = match find_target(&targets, cell(id_col), cell(code_col)) {
            Ok(t) => t,
            Err(message) => {
                preview.errors.push(refuse(message));
                continue;
            }
        };
        let Some(on) = spreadsheet_date(date_text) else {
            preview.errors.push(refuse(if date_text.is_empty() {
                "enter the date the figure is for".to_owned()
            } else {
                format!("“{date_text}” is not a real date: write it like 2011-08-31 or 31/08/2011")
            }));
            continue;
        };
        let value = match figure_input("value", value_text, "the value") {
            Ok(v) => v,
            Err(e) => {
                preview.errors.push(refuse(lower_first(&e.message)));
                continue;
            }
        };
        if let Some((_, _, first)) = seen.iter().find(|(t, d, _)| *t == target.0 && *d == on) {
            preview.errors.push(refuse(format!(
                "the same target and date as row {first}: keep one of them"
            )));
            continue;
        }
        seen.push((target.0, on, row));
        let existing = s
            .measurements_of(target.0)
            .into_iter()
            .find(|(_, m)| m.on == on)
            .map(|(id, m)| (id, m.clone()));
        let note = match (note_col, &existing) {
            (Some(_), _) => cell(note_col).to_owned(),
            (None, Some((_, m))) => m.note.clone(),
            (None, None) => String::new(),
        };
        let measurement = Measurement {
            partnership_id: target.1.partnership_id,
            target_id: target.0,
            on,
            value,
            note,
        };
        if let Err(errors) = measurement.validate() {
            let words: Vec<String> = errors.iter().map(|e| lower_first(&e.message)).collect();
            preview.errors.push(refuse(words.join("; ")));
            continue;
        }
        match existing {
            Some((_, before)) if before == measurement => preview.unchanged += 1,
            Some((id, before)) => preview.changes.push(FigureChange {
                row,
                id,
                measurement,
                before: Some(before),
            }),
            None => preview.changes.push(FigureChange {
                row,
                id: figure_id(target.0, on),
                measurement,
                before: None,
            }),
        }
    }
    Ok(preview)
}

/// The id of an imported figure: one per target and date, the same on every device.
pub fn figure_id(target: TargetId, on: IsoDate) -> MeasurementId {
    MeasurementId(derived_id(&[
        "figure of a target",
        &target.to_string(),
        &on.to_string(),
    ]))
}

/// The target a row names: by id, else by a code unique within the strategy.
fn find_target<'a>(
    targets: &[(TargetId, &'a Target)],
    id: &str,
    code: &str,
) -> Result<(TargetId, &'a Target), String> {
    if !id.is_empty() {
        let found = Uuid::parse_str(id)
            .ok()
            .and_then(|u| targets.iter().find(|(t, _)| t.0 == u));
        return found
            .copied()
            .ok_or_else(|| format!("the target_id “{id}” is not a target of this strategy"));
    }
    if code.is_empty() {
        return Err("give the target_id or the code of the target the figure is for".to_owned());
    }
    let matching: Vec<_> = targets
        .iter()
        .filter(|(_, t)| t.code.trim().eq_ignore_ascii_case(code))
        .collect();
    match matching.as_slice() {
        [one] => Ok(**one),
        [] => Err(format!("no target of this strategy has the code “{code}”")),
        _ => Err(format!(
            "more than one target of this strategy has the code “{code}”: give the target_id"
        )),
    }
}

/// "Enter the value as a number" → "enter the value as a number", to follow "Row 3: ".
fn lower_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => std::iter::once(fold_char(first)).chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;

//! Consultation results as files: the raw answers as CSV and JSON, the summary as CSV, and the
//! import of a partner organisation's results from CSV in the same format as the raw export.
//!
//! # The raw answers (`answers.csv`)
//! One header row, then one row per response, oldest first. CSV as in RFC 4180 (read and written
//! with `csv-core`, the `csv` crate's own parser and writer, the formula rule below on top):
//! fields are
//! separated by commas, rows end in CRLF, and a field containing a comma, a double quote, a
//! carriage return or a line feed is put in double quotes, with each double quote inside it
//! written twice (a file whose first cell starts with a byte order mark, which a reader would
//! drop, has every field quoted). Every CSV file the app writes
//! follows the formula rule below. The columns, in order:
//!
//! | column | what it holds |
//! | --- | --- |
//! | `response_id` | the response's id (a UUID) |
//! | `captured_at` | when it was captured, ISO 8601 in UTC to the millisecond: `2010-01-01T10:30:00.000Z` |
//! | `channel` | `staff_assisted`, `kiosk`, `paper` or `online` |
//! | `event` | the id (a UUID) of the event it was captured at; empty when not at an event |
//! | `questionnaire_version` | the number of the questionnaire version answered: `1`, `2`, ... |
//! | `device_id` | the id (a UUID) of the device that captured it |
//! | one column per question, headed by the question's key | the answer; empty when unanswered |
//!
//! The question columns are those of every version of the questionnaire: the current version's
//! questions in its order, then any question only an older version asked. Answers are written:
//!
//! * ranking ("rank priorities"): the option keys, most important first, joined by ` > `:
//!   `housing > community_safety > older_people`;
//! * choose several: the option keys joined by `; `: `buses; parks`;
//! * choose one and "about you": the option key;
//! * agree/disagree scale: the number from `-2` (strongly disagree) to `2` (strongly agree),
//!   a negative one written `'-1` by the formula rule below;
//! * free text: the text as written; a response hidden by a moderator shows
//!   `[hidden by moderator]` instead, so personal data never leaves in a file;
//! * postcode district: the district, like `B97`.
//!
//! ## Cells that look like formulas
//! A spreadsheet reads a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return as
//! a formula, so a resident's free text could run one on the computer of whoever opens the
//! file ("CSV injection"). As OWASP advises, such a cell is written with a single quote (`'`)
//! in front: `=HYPERLINK(...)` is written `'=HYPERLINK(...)`, and a scale answer `-1` is
//! written `'-1` (a spreadsheet shows it as text). So that the rule can be undone exactly, a
//! cell that starts with single quotes followed by one of those characters gets one quote
//! more too: `'=1` is written `''=1`. Reading a CSV file ([`parse_csv`], and so the import)
//! undoes it: a cell that starts with one or more single quotes and then one of those
//! characters loses its first quote, so every cell of an export reads back as it was, and a
//! partner's `-1` (no quote) reads as `-1` too.
//!
//! # The raw answers as JSON (`answers.json`)
//! An array with one object per response, with the same keys as the CSV columns. Answers keep
//! their shape: a ranking and a "choose several" answer are arrays of option keys, a scale
//! answer is a number, the others are strings; an unanswered question is `null`.
//!
//! # The summary (`summary.csv`)
//! CSV as above; one row per option of each question that has options (the agree scale's five
//! points count as options), with the columns `question_key`, `question`, `answered` (responses
//! that answered the question), `option_key`, `option` (its label), `count` (responses that
//! chose or ranked it), `percent` (of those that answered, one decimal place), and for a
//! ranking question `borda_points` and `ranked_first` (empty for other questions). A ranking's
//! options come in ranking order (see [`crate::results`] for the scoring method); other
//! questions' options in the order the questionnaire lists them.
//!
//! # Importing a partner's results
//! A partner organisation's results come in the raw answers format: a header row naming the
//! columns, then one row per response. Only the question columns are needed; every other
//! column may be left out or left empty:
//!
//! * `response_id` empty: the id is derived from the row's content (see below);
//! * `captured_at` empty: the time the caller gives (the page uses the consultation's closing
//!   date); a date alone (`2010-01-15`) means midnight UTC;
//! * `channel` empty: `paper`; the channel's label (`Paper form`) is accepted too;
//! * `event` empty: not at an event; an event's name is accepted as well as its id;
//! * `questionnaire_version` empty: the version the caller gives (the current one);
//! * `device_id` empty: one fixed id per consultation standing for "imported from a file".
//!
//! In answers an option's label is accepted as well as its key, and a scale point's label
//! ("Agree") as well as its number; a postcode is cut down to its district. A free-text cell
//! reading `[hidden by moderator]` (a re-imported export) marks the response hidden and leaves
//! the answer out. Each row is checked against its questionnaire version with
//! [`validate_response`]; a row with problems is not imported, and each problem is reported in
//! plain English with its row number as a spreadsheet shows it (the header is row 1).
//!
//! ## The same file twice counts once; two files never merge
//! A row's response id is its `response_id` when given (so an export re-imports as the same
//! responses); otherwise a UUID (version 8) made from a stable 128-bit hash (FNV-1a) of the
//! consultation's id, the file's own FNV-1a hash (of all of its text, as read), the row's
//! cells by column name, and how many identical rows came before it in the file. So:
//!
//! * the same file imported again gives the same ids, and the server treats a response stored
//!   again unchanged as already there: it counts once;
//! * two residents who gave identical answers on paper are still two rows, two responses;
//! * the same row in two different files (two partners who each had a resident give the same
//!   answers) is two responses, never one.
//!
//! A file changed in any way, a row added or a cell corrected, is another file, and all of its
//! rows are new answers. The import page says how many of a file's answers are already on the
//! device, which shows it (a corrected file says none are).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::consultation::{
    AGREE_SCALE, AnswerValue, Channel, ConsultationEvent, Question, QuestionKind, Questionnaire,
    Response, postcode_district, validate_response,
};
use crate::date::{IsoDate, civil_from_days};
use crate::ids::{
    ConsultationEventId, ConsultationId, DeviceId, PartnershipId, QuestionnaireId, ResponseId,
};
use crate::results::Summary;
use crate::text::{fold_case, fold_char};

/// What a moderated free-text answer is exported as.
pub const HIDDEN_TEXT: &str = "[hidden by moderator]";

/// The columns before the question columns, in order.
pub const FIXED_COLUMNS: [&str; 6] = [
    "response_id",
    "captured_at",
    "channel",
    "event",
    "questionnaire_version",
    "device_id",
];

/// The columns of the summary export, in order.
pub const SUMMARY_COLUMNS: [&str; 9] = [
    "question_key",
    "question",
    "answered",
    "option_key",
    "option",
    "count",
    "percent",
    "borda_points",
    "ranked_first",
];

// ---------------------------------------------------------------- CSV

/// The characters that make a spreadsheet read a cell as a formula (OWASP's list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `value` starts, after any single quotes, with a character that starts a formula:
/// the cells that the formula rule (module docs) writes with one quote more.
fn looks_like_formula(value: &str) -> bool {
    value.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// One cell as the app writes it, before CSV quoting: with a single quote in front when it
/// looks like a formula (module docs).
fn neutralised(value: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(value) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// One field as the app writes CSV: [`neutralised`], then quoted as RFC 4180 does when it holds
/// a comma, a quote or a line break (or starts with a byte order mark, which a reader would
/// drop). What [`CsvOut`] writes for a cell, shown alone (for tests and the docs' examples).
pub fn csv_field(value: &str) -> String {
    let mut out = CsvOut::new(value.starts_with('\u{feff}'));
    out.push_row(&[value]);
    let mut text = out.finish();
    text.truncate(text.trim_end_matches("\r\n").len());
    text
}

/// A whole CSV file as the app writes it: the `header` row, then `rows`, every cell written as
/// [`csv_field`] would (RFC 4180 quoting, CRLF line ends, the formula guard).
pub fn csv_table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = CsvOut::new(header.first().is_some_and(|h| h.starts_with('\u{feff}')));
    out.push_row(header);
    for row in rows {
        out.push_row(&row);
    }
    out.finish()
}

/// CSV as the app writes it, by `csv-core` (the `csv` crate's own reader and writer, without
/// its I/O layer, which would add some 20 KB to the app's download): RFC 4180 quoting where
/// needed, CRLF line ends, every cell [`neutralised`].
struct CsvOut {
    writer: csv_core::Writer,
    out: Vec<u8>,
    buf: Vec<u8>,
}

impl CsvOut {
    /// `bom_first`: the file's first cell starts with a byte order mark, which a reader would
    /// take for the file's own and drop; then every field is quoted, so the file starts with a
    /// quote instead.
    fn new(bom_first: bool) -> Self {
        let style = if bom_first {
            csv_core::QuoteStyle::Always
        } else {
            csv_core::QuoteStyle::Necessary
        };
        Self {
            writer: csv_core::WriterBuilder::new()
                .terminator(csv_core::Terminator::CRLF)
                .quote_style(style)
                .build(),
            out: Vec::new(),
            buf: vec![0; 8],
        }
    }

    fn push_row<S: AsRef<str>>(&mut self, cells: &[S]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                let (_, n) = self.writer.delimiter(&mut self.buf);
                self.out.extend_from_slice(&self.buf[..n]);
            }
            let cell = neutralised(cell.as_ref());
            let bytes = cell.as_bytes();
            // The most a field can take, quoted with every byte a quote (csv-core's docs): the
            // whole field goes in one call, as the writer needs to choose its quoting.
            self.buf.resize(2 * bytes.len() + 2, 0);
            let (_, _, n) = self.writer.field(bytes, &mut self.buf);
            self.out.extend_from_slice(&self.buf[..n]);
        }
        self.buf.resize(self.buf.len().max(8), 0);
        let (_, n) = self.writer.terminator(&mut self.buf);
        self.out.extend_from_slice(&self.buf[..n]);
    }

    fn finish(mut self) -> String {
        let (_, n) = self.writer.finish(&mut self.buf);
        self.out.extend_from_slice(&self.buf[..n]);
        // Every cell was a `&str`, and the writer adds only ASCII, so the bytes are UTF-8.
        String::from_utf8(self.out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// A field as read back: the formula rule's quote taken off again.
fn unneutralised(field: &str) -> String {
    match field.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest.to_owned(),
        _ => field.to_owned(),
    }
}

/// Reads RFC 4180 CSV into rows of fields, with `csv-core`. Accepts CRLF or LF line ends, a
/// UTF-8 byte order mark, rows of differing lengths and a missing final line end; skips blank
/// lines; undoes the formula rule (module docs), so what [`csv_field`] wrote reads back as it
/// was. Fails, in plain English, on a quote left open: the reader would take the rest of the
/// file into that one field, and the rows after it would vanish into one answer.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    use csv_core::ReadRecordResult;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(row) = row_of_unclosed_quote(text) {
        return Err(format!(
            "The file ends inside a quoted field (row {row}): a double quote is not closed"
        ));
    }
    let mut reader = csv_core::Reader::new();
    let mut input = text.as_bytes();
    // A record's fields are never longer than the file, so they always fit.
    let mut output = vec![0u8; input.len() + 1];
    let mut ends = vec![0usize; 64];
    let (mut used, mut fields) = (0, 0);
    let mut rows = Vec::new();
    loop {
        let (result, nin, nout, nend) =
            reader.read_record(input, &mut output[used..], &mut ends[fields..]);
        input = &input[nin..];
        used += nout;
        fields += nend;
        match result {
            // The next call, with nothing left, tells the reader the file has ended.
            ReadRecordResult::InputEmpty => {}
            ReadRecordResult::OutputFull => output.resize(output.len() * 2, 0),
            ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            ReadRecordResult::Record => {
                let mut start = 0;
                let row: Vec<String> = ends[..fields]
                    .iter()
                    .map(|&end| {
                        let field = String::from_utf8_lossy(&output[start..end]);
                        start = end;
                        unneutralised(&field)
                    })
                    .collect();
                // A line holding nothing is no row (the reader gives it one empty field).
                if !(row.len() == 1 && row[0].is_empty()) {
                    rows.push(row);
                }
                (used, fields) = (0, 0);
            }
            ReadRecordResult::End => return Ok(rows),
        }
    }
}

/// The row (counting from 1, as a spreadsheet does) where a quoted field opens and is never
/// closed, if one is: RFC 4180's rule that a quote opens a field only as its first character,
/// and a doubled quote inside one is a quote.
fn row_of_unclosed_quote(text: &str) -> Option<usize> {
    let (mut row, mut opened_at) = (1, 1);
    let (mut in_quotes, mut field_start) = (false, true);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (in_quotes, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
            }
            (true, '"') => in_quotes = false,
            (false, '"') if field_start => {
                in_quotes = true;
                opened_at = row;
            }
            (false, ',') => {
                field_start = true;
                continue;
            }
            (false, '\n') => {
                row += 1;
                field_start = true;
                continue;
            }
            (false, '\r') => {
                field_start = true;
                continue;
            }
            (true, '\n') => row += 1,
            _ => {}
        }
        field_start = false;
    }
    in_quotes.then_some(opened_at)
}

// ---------------------------------------------------------------- dates

/// Milliseconds since the Unix epoch as ISO 8601 in UTC: `2010-01-01T10:30:00.000Z`.
pub fn iso_utc(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rest = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}

fn number(s: &str, min: i64, max: i64) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok().filter(|n| (min..=max).contains(n))
}

/// A date (`2010-01-15`, midnight UTC) or a date and time in UTC (`2010-01-15T10:30:00Z`,
/// seconds and milliseconds optional, `Z` or `+00:00` or no zone) as ms since the Unix epoch.
pub fn parse_iso_utc(input: &str) -> Option<i64> {
    let s = input.trim();
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut parts = date.split('-');
    let y = number(parts.next()?, 1, 9999)?;
    let m = number(parts.next()?, 1, 12)?;
    let d = number(parts.next()?, 1, 31)?;
    if parts.next().is_some() {
        return None;
    }
    // Spreadsheets drop leading zeros (2010-1-5), so the parts are read loosely here; whether
    // the day exists is the one rule of `IsoDate`.
    let mut ms = IsoDate::new(y as u32, m as u32, d as u32)?.unix_ms();
    if let Some(t) = time {
        let t = t
            .strip_suffix('Z')
            .or_else(|| t.strip_suffix("+00:00"))
            .unwrap_or(t);
        let (hms, frac) = match t.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (t, None),
        };
        let mut p = hms.split(':');
        let h = number(p.next()?, 0, 23)?;
        let mi = number(p.next()?, 0, 59)?;
        let sec = match p.next() {
            Some(x) => number(x, 0, 59)?,
            None => 0,
        };
        if p.next().is_some() {
            return None;
        }
        let milli = match frac {
            Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
                let padded = format!("{f:0<3}");
                number(&padded[..3], 0, 999)?
            }
            Some(_) => return None,
            None => 0,
        };
        ms += h * 3_600_000 + mi * 60_000 + sec * 1000 + milli;
    }
    Some(ms)
}

// ---------------------------------------------------------------- export

/// The question columns of an export: the newest version's questions in its order, then the
/// questions only older versions asked (newest first). `versions` oldest first, as
/// [`crate::Snapshot::questionnaire_versions_of`] gives them.
pub fn question_columns<'a>(
    versions: &[(QuestionnaireId, &'a Questionnaire)],
) -> Vec<&'a Question> {
    let mut seen = BTreeSet::new();
    let mut columns = Vec::new();
    for (_, q) in versions.iter().rev() {
        for question in &q.questions {
            if seen.insert(question.key.as_str()) {
                columns.push(question);
            }
        }
    }
    columns
}

/// A channel as the exports and the page's `data-channel` hooks write it: `kiosk`, `staff_assisted`, ...
pub fn channel_key(c: Channel) -> &'static str {
    match c {
        Channel::StaffAssisted => "staff_assisted",
        Channel::Kiosk => "kiosk",
        Channel::Paper => "paper",
        Channel::Online => "online",
    }
}

/// An answer as a CSV cell (see the module docs); `hidden` replaces free text.
pub fn answer_cell(answer: &AnswerValue, hidden: bool) -> String {
    match answer {
        AnswerValue::Ranked(keys) => keys.join(" > "),
        AnswerValue::Several(keys) => keys.join("; "),
        AnswerValue::One(k) => k.clone(),
        AnswerValue::Scale(v) => v.to_string(),
        AnswerValue::Text(_) if hidden => HIDDEN_TEXT.to_owned(),
        AnswerValue::Text(t) => t.clone(),
        AnswerValue::Postcode(p) => p.clone(),
    }
}

fn answer_json(answer: &AnswerValue, hidden: bool) -> Value {
    match answer {
        AnswerValue::Ranked(keys) | AnswerValue::Several(keys) => {
            Value::Array(keys.iter().map(|k| Value::String(k.clone())).collect())
        }
        AnswerValue::Scale(v) => Value::from(*v),
        other => Value::String(answer_cell(other, hidden)),
    }
}

/// The fixed cells of a response's row.
fn fixed_cells(
    id: ResponseId,
    r: &Response,
    version_of: &BTreeMap<QuestionnaireId, u32>,
) -> [String; 6] {
    [
        id.to_string(),
        iso_utc(r.captured_at),
        channel_key(r.channel).to_owned(),
        r.event_id.map(|e| e.to_string()).unwrap_or_default(),
        version_of
            .get(&r.questionnaire_id)
            .map(u32::to_string)
            .unwrap_or_default(),
        r.device_id.to_string(),
    ]
}

fn versions_by_id(
    versions: &[(QuestionnaireId, &Questionnaire)],
) -> BTreeMap<QuestionnaireId, u32> {
    crate::order::map_of(versions.iter().map(|(id, q)| (*id, q.version)))
}

/// The raw answers as CSV (see the module docs for the columns).
pub fn raw_csv(
    versions: &[(QuestionnaireId, &Questionnaire)],
    responses: &[(ResponseId, &Response)],
) -> String {
    let columns = question_columns(versions);
    let version_of = versions_by_id(versions);
    let mut out = CsvOut::new(false);
    let header: Vec<&str> = FIXED_COLUMNS
        .iter()
        .copied()
        .chain(columns.iter().map(|q| q.key.as_str()))
        .collect();
    out.push_row(&header);
    for (id, r) in responses {
        let mut cells: Vec<String> = fixed_cells(*id, r, &version_of).into();
        cells.extend(columns.iter().map(|q| {
            r.answers
                .get(&q.key)
                .map(|a| answer_cell(a, r.hidden))
                .unwrap_or_default()
        }));
        out.push_row(&cells);
    }
    out.finish()
}

/// The raw answers as a JSON array of objects (see the module docs).
pub fn raw_json(
    versions: &[(QuestionnaireId, &Questionnaire)],
    responses: &[(ResponseId, &Response)],
) -> String {
    let columns = question_columns(versions);
    let version_of = versions_by_id(versions);
    let rows: Vec<Value> = responses
        .iter()
        .map(|(id, r)| {
            let fixed = fixed_cells(*id, r, &version_of);
            let mut object = Map::new();
            for (name, cell) in FIXED_COLUMNS.iter().zip(fixed) {
                let value = match *name {
                    "event" if cell.is_empty() => Value::Null,
                    "questionnaire_version" => {
                        cell.parse::<u32>().map(Value::from).unwrap_or(Value::Null)
                    }
                    _ => Value::String(cell),
                };
                object.insert((*name).to_owned(), value);
            }
            for q in &columns {
                let value = r
                    .answers
                    .get(&q.key)
                    .map(|a| answer_json(a, r.hidden))
                    .unwrap_or(Value::Null);
                object.insert(q.key.clone(), value);
            }
            Value::Object(object)
        })
        .collect();
    serde_json::to_string_pretty(&Value::Array(rows)).unwrap_or_else(|_| "[]".to_owned())
}

/// The summary as CSV (see the module docs for the columns).
pub fn summary_csv(questions: &[Question], summary: &Summary) -> String {
    let mut out = CsvOut::new(false);
    out.push_row(&SUMMARY_COLUMNS);
    for tally in &summary.questions {
        let ranking = questions
            .iter()
            .find(|q| q.key == tally.key)
            .is_some_and(|q| matches!(q.kind, QuestionKind::RankPriorities { .. }));
        for o in &tally.options {
            let (points, first) = if ranking {
                (o.points.to_string(), o.first.to_string())
            } else {
                (String::new(), String::new())
            };
            out.push_row(&[
                tally.key.clone(),
                tally.text.clone(),
                tally.answered.to_string(),
                o.key.clone(),
                o.label.clone(),
                o.count.to_string(),
                format!("{:.1}", o.percent),
                points,
                first,
            ]);
        }
    }
    out.finish()
}

// ---------------------------------------------------------------- import

/// Where imported rows go, and the defaults for the columns a file leaves out.
#[derive(Clone, Debug)]
pub struct ImportTarget<'a> {
    pub partnership_id: PartnershipId,
    pub consultation_id: ConsultationId,
    /// Every version of the questionnaire (any order).
    pub versions: Vec<(QuestionnaireId, &'a Questionnaire)>,
    /// The version a row answers when it has no `questionnaire_version`.
    pub default_version: QuestionnaireId,
    pub events: Vec<(ConsultationEventId, &'a ConsultationEvent)>,
    /// `captured_at` for a row without one (ms since the Unix epoch).
    pub default_captured_at: i64,
}

/// A row that will be added.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedRow {
    /// The row number as a spreadsheet shows it (the header is row 1).
    pub row: usize,
    pub id: ResponseId,
    pub response: Response,
}

/// A row that will not be added, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    /// Plain English, starting "Row 7: ".
    pub message: String,
}

/// What a file would add: the good rows and the problems of the others.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportPreview {
    pub rows: Vec<ImportedRow>,
    pub errors: Vec<RowError>,
}

/// A stable 128-bit FNV-1a hash.
fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    bytes
        .iter()
        .fold(OFFSET, |h, b| (h ^ u128::from(*b)).wrapping_mul(PRIME))
}

/// A version 8 UUID made from the hash of `parts` (each part length-prefixed, so
/// `["ab", "c"]` and `["a", "bc"]` differ).
pub fn derived_id(parts: &[&str]) -> Uuid {
    let mut bytes = Vec::new();
    for p in parts {
        bytes.extend_from_slice(&(p.len() as u64).to_le_bytes());
        bytes.extend_from_slice(p.as_bytes());
    }
    uuid::Builder::from_custom_bytes(fnv1a_128(&bytes).to_be_bytes()).into_uuid()
}

/// The device id imported rows carry when the file names none: one per consultation.
pub fn import_device_id(c: ConsultationId) -> DeviceId {
    DeviceId(derived_id(&["imported from a file", &c.to_string()]))
}

fn parse_channel(s: &str) -> Option<Channel> {
    let s = fold_case(s.trim());
    Channel::ALL.iter().copied().find(|c| {
        channel_key(*c) == s
            || fold_case(c.label()) == s
            || channel_key(*c).replace('_', " ") == s
            || channel_key(*c).replace('_', "-") == s
    })
}

/// The option key `cell` names, by key or (case-insensitively) by label.
fn option_key<'q>(question: &'q Question, cell: &str) -> Option<&'q str> {
    let cell = cell.trim();
    let options = question.options();
    options
        .iter()
        .find(|c| c.key == cell)
        .or_else(|| {
            options
                .iter()
                .find(|c| c.key.eq_ignore_ascii_case(cell) || c.label.eq_ignore_ascii_case(cell))
        })
        .map(|c| c.key.as_str())
}

/// The answer a cell gives to `question`, or a problem in plain English (without the row).
/// `Ok(None)` for an empty cell, or a moderated text (which sets `hidden`).
fn parse_answer(
    question: &Question,
    cell: &str,
    hidden: &mut bool,
) -> Result<Option<AnswerValue>, String> {
    if cell.trim().is_empty() {
        return Ok(None);
    }
    let key = &question.key;
    let keys = |sep: char| -> Result<Vec<String>, String> {
        cell.split(sep)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                option_key(question, s).map(str::to_owned).ok_or_else(|| {
                    format!(
                        "the answer to '{key}' names an option that is not in the questionnaire: '{s}'"
                    )
                })
            })
            .collect()
    };
    let answer = match &question.kind {
        QuestionKind::RankPriorities { .. } => AnswerValue::Ranked(keys('>')?),
        QuestionKind::ChooseSeveral { .. } => AnswerValue::Several(keys(';')?),
        QuestionKind::ChooseOne { .. } | QuestionKind::AboutYou { .. } => {
            let k = option_key(question, cell).ok_or_else(|| {
                format!(
                    "the answer to '{key}' names an option that is not in the questionnaire: '{}'",
                    cell.trim()
                )
            })?;
            AnswerValue::One(k.to_owned())
        }
        QuestionKind::AgreeScale => {
            let t = cell.trim();
            let v = t.parse::<i8>().ok().or_else(|| {
                AGREE_SCALE
                    .iter()
                    .find(|(_, label)| label.eq_ignore_ascii_case(t))
                    .map(|(v, _)| *v)
            });
            match v {
                Some(v) if (-2..=2).contains(&v) => AnswerValue::Scale(v),
                _ => {
                    return Err(format!(
                        "the answer to '{key}' should be a number from -2 (strongly disagree) to 2 (strongly agree), not '{t}'"
                    ));
                }
            }
        }
        QuestionKind::FreeText { .. } => {
            if cell.trim() == HIDDEN_TEXT {
                *hidden = true;
                return Ok(None);
            }
            AnswerValue::Text(cell.to_owned())
        }
        QuestionKind::PostcodeDistrict => match postcode_district(cell) {
            Some(d) => AnswerValue::Postcode(d),
            None => {
                return Err(format!(
                    "the answer to '{key}' is not a postcode or the first part of one: '{}'",
                    cell.trim()
                ));
            }
        },
    };
    Ok(Some(answer))
}

/// Reads a partner's CSV (see the module docs for the format) into the responses it would add
/// to the consultation, and the problems of the rows it would not. `Err` when the file as a
/// whole cannot be read: empty, a quote left open, a column that is not a question.
pub fn import_csv(text: &str, target: &ImportTarget<'_>) -> Result<ImportPreview, String> {
    let rows = parse_csv(text)?;
    let Some((header, body)) = rows.split_first() else {
        return Err("The file is empty: it should start with a row of column names".into());
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
    let mut known: BTreeMap<&str, ()> =
        crate::order::map_of(FIXED_COLUMNS.iter().map(|c| (*c, ())));
    for (_, q) in &target.versions {
        for question in &q.questions {
            known.insert(question.key.as_str(), ());
        }
    }
    let mut seen_columns = BTreeSet::new();
    for name in &header {
        if !known.contains_key(name.as_str()) {
            return Err(format!(
                "The column '{name}' is not a question in this questionnaire: use the question keys as column names, as an export does"
            ));
        }
        if !seen_columns.insert(name.as_str()) {
            return Err(format!("The column '{name}' appears twice"));
        }
    }
    let by_version: BTreeMap<u32, (QuestionnaireId, &Questionnaire)> =
        crate::order::map_of(target.versions.iter().map(|(id, q)| (q.version, (*id, *q))));
    let Some(default) = target
        .versions
        .iter()
        .find(|(id, _)| *id == target.default_version)
        .copied()
    else {
        return Err("The questionnaire to import into is not on this device".into());
    };
    let device = import_device_id(target.consultation_id);
    let consultation = target.consultation_id.to_string();
    // The file's identity: the same file gives the same ids, another file other ids.
    let file = format!("{:032x}", fnv1a_128(text.as_bytes()));

    let mut preview = ImportPreview::default();
    let mut occurrences: BTreeMap<Vec<(String, String)>, usize> = BTreeMap::new();
    let mut ids: BTreeMap<ResponseId, usize> = BTreeMap::new();
    for (i, cells) in body.iter().enumerate() {
        let row = i + 2;
        let mut problems: Vec<String> = Vec::new();
        if cells.len() > header.len() {
            problems.push(format!(
                "it has {} cells but the header names {} columns",
                cells.len(),
                header.len()
            ));
        }
        let cell = |name: &str| -> &str {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|at| cells.get(at))
                .map(String::as_str)
                .unwrap_or("")
        };
        let (qid, questionnaire) = match cell("questionnaire_version").trim() {
            "" => default,
            v => match v.parse::<u32>().ok().and_then(|n| by_version.get(&n)) {
                Some(found) => *found,
                None => {
                    problems.push(format!("there is no version '{v}' of this questionnaire"));
                    default
                }
            },
        };
        let captured_at = match cell("captured_at").trim() {
            "" => target.default_captured_at,
            t => parse_iso_utc(t).unwrap_or_else(|| {
                problems.push(format!(
                    "the time '{t}' is not a date like 2010-01-15 or a time like 2010-01-15T10:30:00Z"
                ));
                target.default_captured_at
            }),
        };
        let channel = match cell("channel").trim() {
            "" => Channel::Paper,
            c => parse_channel(c).unwrap_or_else(|| {
                problems.push(format!(
                    "the channel '{c}' is not one of staff_assisted, kiosk, paper or online"
                ));
                Channel::Paper
            }),
        };
        let event_id = match cell("event").trim() {
            "" => None,
            e => {
                let found = target.events.iter().find(|(id, ev)| {
                    id.to_string().eq_ignore_ascii_case(e) || ev.name.trim().eq_ignore_ascii_case(e)
                });
                match found {
                    Some((id, _)) => Some(*id),
                    None => {
                        problems.push(format!(
                            "the event '{e}' is not one of this consultation's events"
                        ));
                        None
                    }
                }
            }
        };
        let device_id = match cell("device_id").trim() {
            "" => device,
            d => d.parse::<DeviceId>().unwrap_or_else(|_| {
                problems.push(format!("the device id '{d}' is not a valid id"));
                device
            }),
        };
        let mut hidden = false;
        let mut answers = BTreeMap::new();
        for name in &header {
            if FIXED_COLUMNS.contains(&name.as_str()) {
                continue;
            }
            let value = cell(name);
            match questionnaire.questions.iter().find(|q| &q.key == name) {
                None if value.trim().is_empty() => {}
                None => problems.push(format!(
                    "'{name}' is not a question in version {} of the questionnaire",
                    questionnaire.version
                )),
                Some(question) => match parse_answer(question, value, &mut hidden) {
                    Ok(Some(answer)) => {
                        answers.insert(name.clone(), answer);
                    }
                    Ok(None) => {}
                    Err(problem) => problems.push(problem),
                },
            }
        }
        let response = Response {
            partnership_id: target.partnership_id,
            consultation_id: target.consultation_id,
            questionnaire_id: qid,
            event_id,
            device_id,
            channel,
            captured_at,
            answers,
            hidden,
            accepted: false,
            received_at: None,
            review: Vec::new(),
        };
        if problems.is_empty()
            && let Err(errors) = validate_response(questionnaire, &response)
        {
            // Only the rules the cell checks above leave: required questions, too many
            // priorities, a priority named twice, text too long.
            for e in errors {
                problems.push(format!(
                    "the answer to '{}': {}",
                    e.field,
                    lower_first(&e.message)
                ));
            }
        }
        let id = match cell("response_id").trim() {
            "" => {
                let content: Vec<(String, String)> = header
                    .iter()
                    .zip(cells.iter())
                    .filter(|(h, c)| h.as_str() != "response_id" && !c.trim().is_empty())
                    .map(|(h, c)| (h.clone(), c.trim().to_owned()))
                    .collect();
                let mut parts: Vec<String> = vec![consultation.clone(), file.clone()];
                for (h, c) in &content {
                    parts.push(h.clone());
                    parts.push(c.clone());
                }
                let n = occurrences.entry(content).or_insert(0);
                parts.push(n.to_string());
                *n += 1;
                let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
                ResponseId(derived_id(&refs))
            }
            given => match given.parse::<ResponseId>() {
                Ok(id) => id,
                Err(_) => {
                    problems.push(format!("the response id '{given}' is not a valid id"));
                    ResponseId(Uuid::nil())
                }
            },
        };
        if problems.is_empty() {
            match ids.get(&id) {
                Some(first) => {
                    problems.push(format!("it has the same response id as row {first}"));
                }
                None => {
                    ids.insert(id, row);
                }
            }
        }
        if problems.is_empty() {
            preview.rows.push(ImportedRow { row, id, response });
        } else {
            for p in problems {
                preview.errors.push(RowError {
                    row,
                    message: format!("Row {row}: {p}"),
                });
            }
        }
    }
    Ok(preview)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => std::iter::once(fold_char(f)).chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;

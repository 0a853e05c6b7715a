//! The strategy records: [`Strategy`], its [`Priority`]s, their [`Target`]s and the
//! [`Measurement`]s of each target, with their rules (`impl Validate`) and the device's queries
//! of them. The module docs of [`crate::strategy`] explain how they fit together.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::accounts::Access;
use crate::date::IsoDate;
use crate::entity::{EntityKind, Record, RefField};
use crate::ids::{BodyId, OrganisationId, PartnershipId, define_id};
use crate::order::{sort, sort_by, sort_by_key};
use crate::replica::Snapshot;
use crate::structure::domain::labelled_enum;
use crate::text::fold_case;
use crate::validate::{Errors, FieldError, MAX_NAME_CHARS, Validate};

define_id!(
    /// A Sustainable Community Strategy of a partnership.
    StrategyId
);
define_id!(
    /// One priority of a strategy.
    PriorityId
);
define_id!(
    /// A target (indicator) of a priority.
    TargetId
);
define_id!(
    /// One dated figure of a target.
    MeasurementId
);

labelled_enum! {
    /// How far a strategy has come. Each step reached may carry its date.
    pub enum StrategyStatus {
        Draft => ("Draft", "Being written. Only members of the partnership can see it."),
        PreScrutiny => ("Pre-scrutiny", "Being examined by the council's Overview and Scrutiny Committee before it is adopted."),
        Adopted => ("Adopted", "Agreed by the partnership: the strategy it works to now."),
        Superseded => ("Superseded", "Replaced by a newer strategy, and kept for the record."),
    }
}

labelled_enum! {
    /// Which way a target's figures should move.
    pub enum Polarity {
        HigherIsBetter => ("Higher is better", "The figure should rise, like the share of pupils with five good GCSEs."),
        LowerIsBetter => ("Lower is better", "The figure should fall, like the under-18 conception rate."),
    }
}

labelled_enum! {
    /// How often a target's figure is expected, so the app can say when one is overdue.
    pub enum Frequency {
        Monthly => ("Monthly", "A new figure is expected every month."),
        Quarterly => ("Quarterly", "A new figure is expected every three months."),
        SixMonthly => ("Every six months", "A new figure is expected twice a year."),
        Yearly => ("Yearly", "A new figure is expected once a year."),
        Irregular => ("When available", "Figures come when they are published; none is ever overdue."),
    }
}

impl Frequency {
    /// The months between figures; `None` when there is no schedule.
    pub fn months(self) -> Option<i32> {
        match self {
            Self::Monthly => Some(1),
            Self::Quarterly => Some(3),
            Self::SixMonthly => Some(6),
            Self::Yearly => Some(12),
            Self::Irregular => None,
        }
    }
}

labelled_enum! {
    /// Where a target stands, as the status rule ([`crate::strategy::assess`]) computes it
    /// (or, beside it, as a manager set it by hand with a reason).
    pub enum TargetStatus {
        OnTrack => ("On track", "The latest figure is on or ahead of the trajectory."),
        AtRisk => ("At risk", "The latest figure is behind the trajectory, but within the tolerance."),
        OffTrack => ("Off track", "The latest figure is behind the trajectory by more than the tolerance."),
        Achieved => ("Achieved", "The latest figure meets or beats the target."),
        NotYetMeasured => ("Not yet measured", "No figure has been entered yet."),
        NoTrajectory => ("Nothing to compare", "There are figures, but no dated baseline, milestone or target to compare them with."),
    }
}

/// The largest size of a figure: beyond any indicator, and far from overflowing arithmetic.
pub const MAX_FIGURE: f64 = 1e12;

/// A number a target or measurement holds (a percentage, a rate, a count): always finite, so
/// records compare equal to themselves and the status rule never meets NaN.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Figure(f64);

// Never NaN (see `new`), so equality is an equivalence.
impl Eq for Figure {}

impl Figure {
    /// The figure `value`, unless it is NaN or infinite.
    pub fn new(value: f64) -> Option<Self> {
        value.is_finite().then_some(Self(value))
    }

    /// A figure known when the code is written (a test, the demo). A non-finite value gives 0.
    pub const fn known(value: f64) -> Self {
        if value.is_finite() {
            Self(value)
        } else {
            Self(0.0)
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.0)
    }
}

impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        Figure::new(value).ok_or_else(|| serde::de::Error::custom("a figure must be a number"))
    }
}

/// A figure typed into the form field `field`, which may be left empty. Accepts what people
/// type: `48.5`, `-3`, `1,250`, `12%`; refuses anything else with GOV.UK words ("Enter the
/// baseline as a number, like 48.5"). `what` names it in lower case ("the baseline").
pub fn optional_figure_input(
    field: &str,
    input: &str,
    what: &str,
) -> Result<Option<Figure>, FieldError> {
    let typed = input.trim().trim_end_matches('%').trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let wrong = || FieldError::new(field, format!("Enter {what} as a number, like 48.5"));
    // A comma only separates thousands ("1,250"): "7,9" is a decimal comma, which would
    // otherwise be read as 79, so it is refused with a hint.
    let whole = typed.split('.').next().unwrap_or("");
    if typed.contains(',') {
        let whole = whole.trim_start_matches(['-', '+']);
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or("");
        let thousands = (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3);
        if !thousands || typed.matches(',').count() != whole.matches(',').count() {
            return Err(FieldError::new(
                field,
                format!(
                    "Enter {what} with a point for decimals, like 7.9 (a comma only separates thousands, like 1,250)"
                ),
            ));
        }
    }
    let cleaned: String = typed.chars().filter(|c| *c != ',').collect();
    let cleaned = cleaned.trim();
    let digits = cleaned.strip_prefix(['-', '+']).unwrap_or(cleaned);
    let points = digits.chars().filter(|c| *c == '.').count();
    let ok = points <= 1
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.');
    if !ok {
        return Err(wrong());
    }
    let value: f64 = cleaned.parse().map_err(|_| wrong())?;
    match Figure::new(value) {
        Some(f) if value.abs() <= MAX_FIGURE => Ok(Some(f)),
        _ => Err(FieldError::new(
            field,
            format!(
                "{} must be between minus one million million and one million million",
                crate::validate::capitalise(what)
            ),
        )),
    }
}

/// As [`optional_figure_input`], and an empty field is "Enter the value".
pub fn figure_input(field: &str, input: &str, what: &str) -> Result<Figure, FieldError> {
    optional_figure_input(field, input, what)?
        .ok_or_else(|| FieldError::new(field, format!("Enter {what}")))
}

/// A figure for people: at most two decimal places, no trailing zeros, thousands with commas
/// ("1,250", "48.5", "-3"), then the unit ("48.5%", "32 per 1,000 women aged 15 to 17").
pub fn format_figure(value: f64, unit: &str) -> String {
    let number = if value.is_finite() {
        let fixed = format!("{:.2}", value.abs());
        let (whole, fraction) = fixed.split_once('.').unwrap_or((fixed.as_str(), ""));
        let fraction = fraction.trim_end_matches('0');
        let mut grouped = String::new();
        let digits: Vec<char> = whole.chars().collect();
        for (i, c) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(*c);
        }
        let sign = if value < 0.0 && (grouped != "0" || !fraction.is_empty()) {
            "-"
        } else {
            ""
        };
        if fraction.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}.{fraction}")
        }
    } else {
        "an unreadable figure".to_owned()
    };
    let unit = unit.trim();
    if unit.is_empty() {
        number
    } else if unit.starts_with('%') {
        format!("{number}{unit}")
    } else {
        format!("{number} {unit}")
    }
}

/// A Sustainable Community Strategy: the partnership's vision and its few priorities for a
/// period of years. A partnership has several over time, all kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strategy {
    pub partnership_id: PartnershipId,
    pub title: String,
    /// The period it covers, first and last year ("2011 to 2014").
    pub first_year: u16,
    pub last_year: u16,
    #[serde(default)]
    pub vision: String,
    pub status: StrategyStatus,
    /// The day each step was reached, where known.
    #[serde(default)]
    pub drafted_on: Option<IsoDate>,
    #[serde(default)]
    pub pre_scrutiny_on: Option<IsoDate>,
    #[serde(default)]
    pub adopted_on: Option<IsoDate>,
    #[serde(default)]
    pub superseded_on: Option<IsoDate>,
}

impl Strategy {
    /// "2011 to 2014", or "2011" for one year.
    pub fn period(&self) -> String {
        if self.first_year == self.last_year {
            self.first_year.to_string()
        } else {
            format!("{} to {}", self.first_year, self.last_year)
        }
    }

    /// The steps with their dates, in order: (status, field, date).
    pub fn steps(&self) -> [(StrategyStatus, &'static str, Option<IsoDate>); 4] {
        [
            (StrategyStatus::Draft, "drafted_on", self.drafted_on),
            (
                StrategyStatus::PreScrutiny,
                "pre_scrutiny_on",
                self.pre_scrutiny_on,
            ),
            (StrategyStatus::Adopted, "adopted_on", self.adopted_on),
            (
                StrategyStatus::Superseded,
                "superseded_on",
                self.superseded_on,
            ),
        ]
    }
}

impl Record for Strategy {
    type Id = StrategyId;
    const WIRE_NAME: &'static str = "strategy";
    const NOUN: &'static str = "strategy";
    const PLURAL: &'static str = "strategies";
    const REFERENCES: &'static [RefField<Self>] =
        &[RefField::partnership(|s| Some(s.partnership_id.0))];
    const READ_VARIES: bool = true;

    /// A draft is the partnership's members' to read; from pre-scrutiny on, everyone's.
    fn read_access(&self) -> Access {
        match self.status {
            StrategyStatus::Draft => Access::Member,
            StrategyStatus::PreScrutiny | StrategyStatus::Adopted | StrategyStatus::Superseded => {
                Access::Public
            }
        }
    }
}

/// The earliest and latest year a strategy's period may name.
pub const YEARS: std::ops::RangeInclusive<u16> = 1990..=2100;

impl Validate for Strategy {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("title", &self.title, "the strategy's title");
        for (field, year, what) in [
            ("first_year", self.first_year, "The first year"),
            ("last_year", self.last_year, "The last year"),
        ] {
            if !YEARS.contains(&year) {
                e.0.push(FieldError::new(
                    field,
                    format!(
                        "{what} must be a year between {} and {}, like 2011",
                        YEARS.start(),
                        YEARS.end()
                    ),
                ));
            }
        }
        if self.last_year < self.first_year {
            e.0.push(FieldError::new(
                "last_year",
                "The last year must be the same as or after the first year",
            ));
        }
        e.text("vision", &self.vision, "the vision");
        let mut latest: Option<IsoDate> = None;
        for (step, field, date) in self.steps() {
            let Some(date) = date else { continue };
            if step > self.status {
                e.0.push(FieldError::new(
                    field,
                    format!(
                        "Remove this date, or set the status to {}: the strategy has not reached that step",
                        step.label()
                    ),
                ));
            } else if latest.is_some_and(|l| date < l) {
                e.0.push(FieldError::new(
                    field,
                    "This date must be on or after the dates of the steps before it",
                ));
            }
            latest = Some(latest.map_or(date, |l| l.max(date)));
        }
        e.finish()
    }
}

/// One of a strategy's priorities, owned by a body (usually a Priority Action Group) and led
/// by some of the partners.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priority {
    pub partnership_id: PartnershipId,
    pub strategy_id: StrategyId,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The body that owns it. Not a reference: deleting the body leaves the priority,
    /// without an owner.
    #[serde(default)]
    pub body_id: Option<BodyId>,
    /// The lead partners; plain ids, like the owner.
    #[serde(default)]
    pub lead_organisation_ids: Vec<OrganisationId>,
    /// Its place in the strategy's list, 1 first.
    pub position: u32,
    /// The theme residents ranked that this priority answers: one option of a ranking
    /// question of one of the partnership's consultations. The strategy page shows how
    /// residents ranked it ([`crate::strategy::resident_ranking`]). Not a reference: deleting
    /// the consultation leaves the priority, and the page says the consultation is gone.
    #[serde(default)]
    pub resident_theme: Option<ResidentTheme>,
    /// Priorities of other partnerships' strategies this one dovetails with (a district's
    /// with its county's, seed 004 #14). Plain ids, like the owner: a reader is shown only
    /// those they may see.
    #[serde(default)]
    pub dovetails_with: Vec<PriorityId>,
}

/// The theme residents ranked, as a priority names it: a ranking question's option.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidentTheme {
    pub consultation_id: crate::ids::ConsultationId,
    /// The question's key (stable across questionnaire versions).
    pub question_key: String,
    /// The option's key (what answers store).
    pub option_key: String,
    /// The option's label when the link was made, so a later rename can be pointed out.
    #[serde(default)]
    pub option_label: String,
}

impl Record for Priority {
    type Id = PriorityId;
    const WIRE_NAME: &'static str = "priority";
    const NOUN: &'static str = "priority";
    const PLURAL: &'static str = "priorities";
    // The owner and leads are not references, like a finding's groups.
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|p| Some(p.partnership_id.0)),
        RefField::new(EntityKind::Strategy, "strategy_id", |p| {
            Some(p.strategy_id.0)
        }),
    ];
}

/// The most priorities a strategy has before the app warns.
pub const MOST_PRIORITIES: usize = 6;

/// The warning shown on a strategy with more than [`MOST_PRIORITIES`] priorities (a warning,
/// never a refusal), after Redditch's Task and Finish Group (seed 004, recommendation 12).
pub fn too_many_priorities(count: usize) -> Option<String> {
    (count > MOST_PRIORITIES).then(|| {
        format!(
            "This strategy has {count} priorities. Redditch's Task and Finish Group asked for \
             “fewer, more focussed targets (perhaps four – six)”, each specific, measurable, \
             achievable, relevant and timebound. Consider merging some."
        )
    })
}

impl Validate for Priority {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("title", &self.title, "the priority's title");
        e.text("description", &self.description, "the description");
        if !(1..=999).contains(&self.position) {
            e.0.push(FieldError::new(
                "position",
                "The order number must be a whole number from 1 to 999",
            ));
        }
        let mut leads = self.lead_organisation_ids.clone();
        sort(&mut leads);
        leads.dedup();
        if leads.len() != self.lead_organisation_ids.len() {
            e.0.push(FieldError::new(
                "lead_organisation_ids",
                "Choose each lead organisation once",
            ));
        }
        let mut dovetails = self.dovetails_with.clone();
        sort(&mut dovetails);
        dovetails.dedup();
        if dovetails.len() != self.dovetails_with.len() {
            e.0.push(FieldError::new(
                "dovetails_with",
                "Choose each priority it dovetails with once",
            ));
        }
        if let Some(theme) = &self.resident_theme {
            if theme.question_key.trim().is_empty() || theme.option_key.trim().is_empty() {
                e.0.push(FieldError::new(
                    "resident_theme",
                    "Choose the theme residents ranked from the list",
                ));
            }
            for (value, what) in [
                (&theme.question_key, "the question's key"),
                (&theme.option_key, "the theme's key"),
                (&theme.option_label, "the theme's name"),
            ] {
                e.max_chars("resident_theme", value, MAX_NAME_CHARS, what);
            }
        }
        e.finish()
    }
}

/// One point of a target's trajectory: the value expected by a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub on: IsoDate,
    pub value: Figure,
}

/// A target (indicator) of a priority: what is measured, where it started, where it should be
/// by when, and the milestones between. Its status is computed from its measurements by
/// [`crate::strategy::assess`]; a manager may set one by hand beside it, with a reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub partnership_id: PartnershipId,
    pub priority_id: PriorityId,
    pub name: String,
    /// A National Indicator ("NI 75") or Local Area Agreement code; empty when it is neither.
    #[serde(default)]
    pub code: String,
    /// A Local Area Agreement target: one the partnership agreed with government and must
    /// report (seed 003: "Report Hampshire LAA performance targets (where applicable)").
    #[serde(default)]
    pub laa: bool,
    /// What a figure counts: "%", "per 1,000 women aged 15 to 17".
    #[serde(default)]
    pub unit: String,
    pub polarity: Polarity,
    #[serde(default)]
    pub baseline: Option<Figure>,
    #[serde(default)]
    pub baseline_on: Option<IsoDate>,
    #[serde(default)]
    pub target_value: Option<Figure>,
    #[serde(default)]
    pub deadline: Option<IsoDate>,
    /// The values expected on the way, in date order: the trajectory.
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    /// How far behind the trajectory (in percent of the value expected) still counts as at
    /// risk rather than off track.
    pub tolerance_percent: Figure,
    /// Where the figures come from.
    #[serde(default)]
    pub source: String,
    pub frequency: Frequency,
    /// The organisation answerable for it. A plain id, not a reference.
    #[serde(default)]
    pub owner_id: Option<OrganisationId>,
    /// A status set by hand, shown beside the computed one (never instead of it). Who set
    /// it is in the record's history.
    #[serde(default)]
    pub status_override: Option<TargetStatus>,
    #[serde(default)]
    pub override_reason: String,
}

/// The milestones as the form writes them: one a line, the date then the value
/// ("2012-08-31 52").
pub fn milestones_text(milestones: &[Milestone]) -> String {
    milestones
        .iter()
        // Rust writes a float in full, never in exponent form, and reads it back exactly.
        .map(|m| format!("{} {}", m.on, m.value.get()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The milestones typed into the form field `milestones`: one a line, a date written like
/// 2012-08-31, a space, then the value; blank lines are skipped. Any text is safe to pass.
pub fn milestones_input(input: &str) -> Result<Vec<Milestone>, FieldError> {
    let mut milestones = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let wrong = || {
            FieldError::new(
                "milestones",
                format!(
                    "Line {} of the milestones must be a date then a value, like 2012-08-31 52",
                    i + 1
                ),
            )
        };
        let (date, value) = line.split_once(char::is_whitespace).ok_or_else(wrong)?;
        let on = IsoDate::parse(date).map_err(|_| wrong())?;
        let value = optional_figure_input("milestones", value, "the milestone")
            .map_err(|_| wrong())?
            .ok_or_else(wrong)?;
        milestones.push(Milestone { on, value });
    }
    Ok(milestones)
}

impl Record for Target {
    type Id = TargetId;
    const WIRE_NAME: &'static str = "target";
    const NOUN: &'static str = "target";
    const PLURAL: &'static str = "targets";
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|t| Some(t.partnership_id.0)),
        RefField::new(EntityKind::Priority, "priority_id", |t| {
            Some(t.priority_id.0)
        }),
    ];
}

/// The most milestones a target holds.
pub const MAX_MILESTONES: usize = 60;

fn figure_in_range(e: &mut Errors, field: &str, value: Option<Figure>, what: &str) {
    if value.is_some_and(|v| v.get().abs() > MAX_FIGURE) {
        e.0.push(FieldError::new(
            field,
            format!(
                "{} must be between minus one million million and one million million",
                crate::validate::capitalise(what)
            ),
        ));
    }
}

impl Validate for Target {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("name", &self.name, "the target's name");
        e.max_chars("code", &self.code, 40, "the indicator code");
        e.max_chars("unit", &self.unit, MAX_NAME_CHARS, "the unit");
        figure_in_range(&mut e, "baseline", self.baseline, "the baseline");
        figure_in_range(&mut e, "target_value", self.target_value, "the target");
        if let (Some(from), Some(by)) = (self.baseline_on, self.deadline)
            && by <= from
        {
            e.0.push(FieldError::new(
                "deadline",
                "The deadline must be after the baseline date",
            ));
        }
        if self.milestones.len() > MAX_MILESTONES {
            e.0.push(FieldError::new(
                "milestones",
                format!("Give {MAX_MILESTONES} milestones or fewer"),
            ));
        }
        let mut previous: Option<IsoDate> = None;
        for (i, m) in self.milestones.iter().enumerate() {
            let n = i + 1;
            let problem = if previous.is_some_and(|p| m.on <= p) {
                Some("must be after the milestone before it")
            } else if self.baseline_on.is_some_and(|b| m.on <= b) {
                Some("must be after the baseline date")
            } else if self.deadline.is_some_and(|d| m.on > d) {
                Some("must be on or before the deadline")
            } else if m.value.get().abs() > MAX_FIGURE {
                Some("is too large a figure")
            } else {
                None
            };
            if let Some(problem) = problem {
                e.0.push(FieldError::new(
                    "milestones",
                    format!("Milestone {n} {problem}"),
                ));
            }
            previous = Some(m.on);
        }
        if !(0.0..=100.0).contains(&self.tolerance_percent.get()) {
            e.0.push(FieldError::new(
                "tolerance_percent",
                "The tolerance must be a percentage from 0 to 100",
            ));
        }
        e.max_chars("source", &self.source, MAX_NAME_CHARS, "the data source");
        match (self.status_override, self.override_reason.trim().is_empty()) {
            (Some(_), true) => e.0.push(FieldError::new(
                "override_reason",
                "Enter why the status is set by hand",
            )),
            (None, false) => e.0.push(FieldError::new(
                "override_reason",
                "Choose the status to show, or remove the reason",
            )),
            _ => e.text("override_reason", &self.override_reason, "the reason"),
        }
        e.finish()
    }
}

/// One dated figure of a target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measurement {
    pub partnership_id: PartnershipId,
    pub target_id: TargetId,
    /// The day the figure is for (the end of the period it measures).
    pub on: IsoDate,
    pub value: Figure,
    #[serde(default)]
    pub note: String,
}

impl Record for Measurement {
    type Id = MeasurementId;
    const WIRE_NAME: &'static str = "measurement";
    const NOUN: &'static str = "measurement";
    const PLURAL: &'static str = "measurements";
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|m| Some(m.partnership_id.0)),
        RefField::new(EntityKind::Target, "target_id", |m| Some(m.target_id.0)),
    ];
}

impl Validate for Measurement {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        figure_in_range(&mut e, "value", Some(self.value), "the figure");
        e.text("note", &self.note, "the note");
        e.finish()
    }
}

impl Snapshot {
    /// A partnership's strategies, the latest period first, then by title.
    pub fn strategies_of(&self, p: PartnershipId) -> Vec<(StrategyId, &Strategy)> {
        let mut v: Vec<_> = self
            .strategies
            .iter()
            .filter(|(_, s)| s.partnership_id == p)
            .map(|(id, s)| (*id, s))
            .collect();
        sort_by(&mut v, |a, b| {
            (b.1.first_year, b.1.last_year)
                .cmp(&(a.1.first_year, a.1.last_year))
                .then_with(|| fold_case(&a.1.title).cmp(&fold_case(&b.1.title)))
        });
        v
    }

    /// A strategy's priorities in their order, then by title.
    pub fn priorities_of(&self, s: StrategyId) -> Vec<(PriorityId, &Priority)> {
        let mut v: Vec<_> = self
            .priorities
            .iter()
            .filter(|(_, p)| p.strategy_id == s)
            .map(|(id, p)| (*id, p))
            .collect();
        sort_by(&mut v, |a, b| {
            (a.1.position, fold_case(&a.1.title)).cmp(&(b.1.position, fold_case(&b.1.title)))
        });
        v
    }

    /// The priorities a body owns, across the strategies, in their strategies' order.
    pub fn priorities_owned_by(&self, body: BodyId) -> Vec<(PriorityId, &Priority)> {
        let mut v: Vec<_> = self
            .priorities
            .iter()
            .filter(|(_, p)| p.body_id == Some(body))
            .map(|(id, p)| (*id, p))
            .collect();
        sort_by_key(&mut v, |(id, p)| {
            let year = self.strategies.get(&p.strategy_id).map(|s| s.first_year);
            (std::cmp::Reverse(year), p.position, *id)
        });
        v
    }

    /// A priority's targets by name.
    pub fn targets_of(&self, p: PriorityId) -> Vec<(TargetId, &Target)> {
        let mut v: Vec<_> = self
            .targets
            .iter()
            .filter(|(_, t)| t.priority_id == p)
            .map(|(id, t)| (*id, t))
            .collect();
        sort_by_key(&mut v, |(_, t)| fold_case(&t.name));
        v
    }

    /// A target's measurements in date order (the same day: in the order they were made).
    pub fn measurements_of(&self, t: TargetId) -> Vec<(MeasurementId, &Measurement)> {
        let mut v: Vec<_> = self
            .measurements
            .iter()
            .filter(|(_, m)| m.target_id == t)
            .map(|(id, m)| (*id, m))
            .collect();
        sort_by_key(&mut v, |(id, m)| (m.on, *id));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strategy(status: StrategyStatus) -> Strategy {
        Strategy {
            partnership_id: PartnershipId::new(1, [1; 10]),
            title: "Redditch Sustainable Community Strategy".into(),
            first_year: 2011,
            last_year: 2014,
            vision: String::new(),
            status,
            drafted_on: None,
            pre_scrutiny_on: None,
            adopted_on: None,
            superseded_on: None,
        }
    }

    #[test]
    fn a_draft_strategy_is_for_members_and_every_later_step_is_public() {
        assert_eq!(
            strategy(StrategyStatus::Draft).read_access(),
            Access::Member
        );
        for status in [
            StrategyStatus::PreScrutiny,
            StrategyStatus::Adopted,
            StrategyStatus::Superseded,
        ] {
            assert_eq!(strategy(status).read_access(), Access::Public, "{status:?}");
        }
        // Its priorities, targets and measurements inherit it.
        for kind in [
            EntityKind::Strategy,
            EntityKind::Priority,
            EntityKind::Target,
            EntityKind::Measurement,
        ] {
            assert!(kind.gated(), "{kind:?}");
        }
        assert!(!EntityKind::Body.gated());
    }

    #[test]
    fn a_step_date_must_be_reached_and_in_order() {
        let mut s = strategy(StrategyStatus::PreScrutiny);
        s.pre_scrutiny_on = Some(IsoDate::known(2011, 3, 2));
        assert_eq!(s.validate(), Ok(()));
        s.adopted_on = Some(IsoDate::known(2011, 6, 16));
        let fields: Vec<String> = s
            .validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["adopted_on"]);
        s.status = StrategyStatus::Adopted;
        assert_eq!(s.validate(), Ok(()));
        s.drafted_on = Some(IsoDate::known(2011, 4, 1));
        let errors = s.validate().err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "pre_scrutiny_on");
    }

    #[test]
    fn a_period_runs_forwards_between_sensible_years() {
        let mut s = strategy(StrategyStatus::Draft);
        s.first_year = 2014;
        s.last_year = 2011;
        assert!(s.validate().is_err());
        s.first_year = 20;
        s.last_year = 2011;
        assert!(s.validate().is_err());
        assert_eq!(strategy(StrategyStatus::Draft).period(), "2011 to 2014");
    }

    #[test]
    fn more_than_six_priorities_is_a_warning_quoting_the_task_and_finish_group() {
        assert_eq!(too_many_priorities(4), None);
        assert_eq!(too_many_priorities(6), None);
        let warning = too_many_priorities(7).unwrap_or_default();
        assert!(warning.contains("7 priorities"), "{warning}");
        assert!(warning.contains("fewer, more focussed"), "{warning}");
        assert!(warning.contains("four – six"), "{warning}");
    }

    #[test]
    fn figures_are_read_as_people_type_them() {
        let read = |s: &str| optional_figure_input("baseline", s, "the baseline");
        assert_eq!(read("48.5"), Ok(Some(Figure::known(48.5))));
        assert_eq!(read(" 1,250 "), Ok(Some(Figure::known(1250.0))));
        assert_eq!(read("12%"), Ok(Some(Figure::known(12.0))));
        assert_eq!(read("-3"), Ok(Some(Figure::known(-3.0))));
        assert_eq!(read(""), Ok(None));
        for bad in ["NaN", "inf", "1e5", "12.3.4", "-", ".", "forty", "1e999"] {
            assert!(read(bad).is_err(), "{bad}");
        }
        assert_eq!(
            read("-12,345,678.25"),
            Ok(Some(Figure::known(-12_345_678.25)))
        );
        // A decimal comma would be read as a number ten or a hundred times too big: refused.
        for decimal_comma in [
            "7,9", "7,95", "1,2345", ",123", "1,,250", "7.9,1", "1,250,5",
        ] {
            let refused = read(decimal_comma)
                .err()
                .map(|e| e.message)
                .unwrap_or_default();
            assert!(
                refused.contains("with a point for decimals"),
                "{decimal_comma}: {refused}"
            );
        }
        assert!(read("9999999999999").is_err());
        assert_eq!(
            figure_input("value", "", "the figure")
                .err()
                .map(|e| e.message),
            Some("Enter the figure".to_owned())
        );
    }

    #[test]
    fn figures_are_written_for_people_with_their_unit() {
        assert_eq!(format_figure(48.5, "%"), "48.5%");
        assert_eq!(format_figure(1250.0, ""), "1,250");
        assert_eq!(format_figure(-3.0, "per 1,000"), "-3 per 1,000");
        assert_eq!(format_figure(0.004, ""), "0");
        assert_eq!(format_figure(-0.001, ""), "0");
        assert_eq!(format_figure(1234567.891, ""), "1,234,567.89");
        assert_eq!(format_figure(f64::NAN, "%"), "an unreadable figure%");
    }

    #[test]
    fn milestones_are_typed_one_a_line_and_read_back() {
        let read = milestones_input("2012-08-31 52\n\n 2013-08-31   54.5 \n");
        let expected = vec![
            Milestone {
                on: IsoDate::known(2012, 8, 31),
                value: Figure::known(52.0),
            },
            Milestone {
                on: IsoDate::known(2013, 8, 31),
                value: Figure::known(54.5),
            },
        ];
        assert_eq!(read, Ok(expected.clone()));
        assert_eq!(milestones_text(&expected), "2012-08-31 52\n2013-08-31 54.5");
        let wrong = milestones_input("2012-08-31 52\n31/08/2013 54").err();
        assert_eq!(
            wrong.map(|e| e.message),
            Some("Line 2 of the milestones must be a date then a value, like 2012-08-31 52".into())
        );
        assert!(milestones_input("2012-08-31").is_err());
    }

    #[test]
    fn a_figure_is_never_nan_or_infinite() {
        assert_eq!(Figure::new(f64::NAN), None);
        assert_eq!(Figure::new(f64::INFINITY), None);
        assert_eq!(Figure::known(f64::NAN), Figure::known(0.0));
        assert!(serde_json::from_str::<Figure>("1e999").is_err());
        assert_eq!(
            serde_json::from_str::<Figure>("52.5").ok(),
            Some(Figure::known(52.5))
        );
    }

    use crate::test_text::{config, text};
    // Not the prelude's glob: its `Strategy` trait would clash with the record.
    use proptest::prelude::{any, prop_assert, prop_assert_eq, proptest};

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn any_typed_figure_is_read_or_refused_without_a_crash(input in text(16)) {
            if let Ok(Some(f)) = optional_figure_input("value", &input, "the figure") {
                prop_assert!(f.get().is_finite());
                prop_assert!(f.get().abs() <= MAX_FIGURE);
            }
        }

        #[test]
        fn any_typed_milestones_are_read_or_refused_without_a_crash(input in text(40)) {
            if let Ok(read) = milestones_input(&input) {
                prop_assert_eq!(milestones_input(&milestones_text(&read)), Ok(read));
            }
        }

        #[test]
        fn any_figure_is_written_without_a_crash(value in any::<f64>(), unit in text(8)) {
            let written = format_figure(value, &unit);
            prop_assert!(!written.is_empty());
        }
    }
}

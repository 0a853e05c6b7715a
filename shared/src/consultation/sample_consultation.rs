//! The "We Are Redditch" questionnaire (seed 004): the demo's first version
//! (`backend/src/demo.rs`), and the one the results, export and import tests and the results
//! benchmark use, so they all answer the same questions.

use crate::consultation::{Choice, Question, QuestionKind};

/// The themes residents rank: the general LSP themes (DOMAIN.md), as in the demo.
pub const PRIORITY_THEMES: [(&str, &str); 6] = [
    ("children_and_young_people", "Children and Young People"),
    ("community_safety", "Community Safety"),
    ("health_and_wellbeing", "Health and Wellbeing"),
    ("housing", "Housing"),
    ("skills_and_employability", "Skills and Employability"),
    ("older_people", "Older People"),
];

/// The "about you" question's age bands.
pub const AGE_BANDS: [(&str, &str); 5] = [
    ("under_16", "Under 16"),
    ("16_24", "16 to 24"),
    ("25_44", "25 to 44"),
    ("45_64", "45 to 64"),
    ("65_plus", "65 or over"),
];

fn question(key: &str, text: &str, required: bool, kind: QuestionKind) -> Question {
    Question {
        key: key.into(),
        text: text.into(),
        hint: String::new(),
        required,
        kind,
    }
}

/// The questions of the first version: the ranking of the top three themes (required), an
/// agree scale, free text, the postcode district and the age band.
pub fn we_are_redditch_questions() -> Vec<Question> {
    vec![
        question(
            "priorities",
            "Which three of these matter most to you for Redditch? Put the most important first.",
            true,
            QuestionKind::RankPriorities {
                options: Choice::list(&PRIORITY_THEMES),
                top_n: 3,
            },
        ),
        question(
            "know_the_partnership",
            "I know what the Redditch Partnership does for the borough.",
            false,
            QuestionKind::AgreeScale,
        ),
        question(
            "anything_else",
            "Is there anything else you would like the partnership to know?",
            false,
            QuestionKind::FreeText { max_chars: 1000 },
        ),
        question(
            "postcode",
            "What is the first part of your postcode (for example B97)?",
            false,
            QuestionKind::PostcodeDistrict,
        ),
        question(
            "age_band",
            "How old are you?",
            false,
            QuestionKind::AboutYou {
                options: Choice::list(&AGE_BANDS),
            },
        ),
    ]
}

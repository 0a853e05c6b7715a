//! How a target's status is shown wherever it appears: a tag whose words say the status (the
//! colour only repeats them), the rule's sentence, a status set by hand beside the computed
//! one (never in its place), and an overdue figure.

use atlas_shared::strategy::{Assessment, TargetStatus};
use atlas_shared::text::fold_case;
use leptos::prelude::*;

use crate::components::Tag;

/// The tag's colour for a status; the tag's text always names it.
pub fn tone(status: TargetStatus) -> &'static str {
    match status {
        TargetStatus::OnTrack => "green",
        TargetStatus::AtRisk => "yellow",
        TargetStatus::OffTrack => "red",
        TargetStatus::Achieved => "turquoise",
        TargetStatus::NotYetMeasured | TargetStatus::NoTrajectory => "grey",
    }
}

/// A target's status: the computed tag and sentence, then what was set by hand and an overdue
/// figure, each in words.
#[component]
pub fn StatusSummary(assessment: Assessment) -> impl IntoView {
    let Assessment {
        status,
        set_by_hand,
        sentence,
        next_due,
        overdue,
        ..
    } = assessment;
    view! {
        <div class="target-status" data-status=status.as_key()>
            <p class="target-status__computed">
                <Tag text=status.label() tone=tone(status) />
                " "
                <span class="target-status__sentence">{sentence}</span>
            </p>
            {set_by_hand
                .map(|(by_hand, reason)| {
                    view! {
                        <p class="target-status__by-hand">
                            <Tag text=format!("Set by hand: {}", by_hand.label()) tone=tone(by_hand) />
                            " "
                            {format!(
                                "A manager set this status by hand; the figures say {}. Reason: {reason}",
                                fold_case(status.label())
                            )}
                        </p>
                    }
                })}
            {next_due
                .filter(|_| overdue)
                .map(|due| {
                    view! {
                        <p class="target-status__overdue">
                            <Tag text="Figure overdue" tone="red" />
                            " "
                            {format!("The next figure was due by {}.", due.long())}
                        </p>
                    }
                })}
        </div>
    }
}

//! Text that explains its own acronyms: every occurrence of one of the partnership's glossary
//! terms is marked (a dotted underline, not colour alone) and its first occurrence opens a
//! tooltip with the meaning on hover, on keyboard focus and on tap. The meaning is in the page
//! for screen readers too: the tooltip has `role="tooltip"` and the term points at it with
//! `aria-describedby`. Escape hides it (WCAG 1.4.13: content on hover is dismissible).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use atlas_shared::training::{Glossed, gloss};
use atlas_shared::{PartnershipId, Snapshot};
use leptos::ev;
use leptos::prelude::*;

/// One run of glossed text, owning its strings so a view can hold it.
#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Plain(String),
    Term {
        /// As written in the text.
        text: String,
        /// As written in the glossary.
        term: String,
        meaning: String,
        /// The first time this term appears in the text: it carries the tooltip.
        first: bool,
        /// Which glossary term this is, so later occurrences can point at the first's tooltip.
        index: usize,
    },
}

fn pieces(s: &Snapshot, p: PartnershipId, text: &str) -> Vec<Piece> {
    let glossary = s.glossary_of(p);
    let terms: Vec<&str> = glossary.iter().map(|(_, g)| g.term.as_str()).collect();
    let mut seen = BTreeSet::new();
    gloss(text, &terms)
        .into_iter()
        .map(|g| match g {
            Glossed::Plain(run) => Piece::Plain(run.to_owned()),
            Glossed::Term { text, term } => Piece::Term {
                text: text.to_owned(),
                term: glossary[term].1.term.clone(),
                meaning: glossary[term].1.meaning.clone(),
                first: seen.insert(term),
                index: term,
            },
        })
        .collect()
}

/// A prefix unique on the page for each `GlossedText`, so tooltip ids never clash.
fn next_instance() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// `text` with the partnership's glossary terms marked and explained. Follows changes to the
/// glossary (a term added elsewhere starts explaining itself here at once).
#[component]
pub fn GlossedText(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    #[prop(into)] text: String,
) -> impl IntoView {
    let instance = next_instance();
    let pieces = Memo::new(move |_| snapshot.with(|s| pieces(s, partnership, &text)));
    // Escape hides every tooltip in this text until the pointer or focus moves to a term again.
    let dismissed = RwSignal::new(false);
    let listener = window_event_listener(ev::keydown, move |e| {
        if e.key() == "Escape" && !dismissed.get_untracked() {
            dismissed.set(true);
        }
    });
    on_cleanup(move || listener.remove());
    let show_again = move || {
        if dismissed.get_untracked() {
            dismissed.set(false);
        }
    };
    move || {
        pieces
            .get()
            .into_iter()
            .map(|piece| match piece {
                Piece::Plain(run) => run.into_any(),
                Piece::Term {
                    text,
                    term,
                    meaning,
                    first,
                    index,
                } => {
                    let tip_id = format!("glossary-{instance}-{index}");
                    if !first {
                        // Marked, and described by the tooltip of its first occurrence.
                        return view! {
                            <span class="glossary-term glossary-term--repeat" aria-describedby=tip_id>
                                {text}
                            </span>
                        }
                        .into_any();
                    }
                    view! {
                        <span
                            class="glossary-term"
                            class=("glossary-term--dismissed", move || dismissed.get())
                            on:mouseenter=move |_| show_again()
                            on:focusin=move |_| show_again()
                        >
                            <span class="glossary-term__text" tabindex="0" aria-describedby=tip_id.clone()>
                                {text}
                            </span>
                            <span class="glossary-term__tip" role="tooltip" id=tip_id>
                                <strong class="glossary-term__name">{term}</strong>
                                ": "
                                {meaning}
                            </span>
                        </span>
                    }
                    .into_any()
                }
            })
            .collect_view()
    }
}
